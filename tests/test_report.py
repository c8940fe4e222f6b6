"""``callsim report``: one self-contained HTML file that shows every chart, offline.

The report is checked as text (embedded images, scenario, seed, version, nothing external) and
rendered in headless Chromium, which must decode every chart without a console message.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import sim
from sim.cli import main
from sim.presentation.numbers import format_estimate
from sim.presentation.plots import RUN_CHARTS as ALL_RUN_CHARTS
from sim.presentation.report import build_report
from tests.test_plots import SALES_CHARTS, make_experiment_folder, make_run_folder

RUN_CHARTS = [chart for chart in ALL_RUN_CHARTS if chart.name not in SALES_CHARTS]
"""The charts of a run without sellers (the sales charts: tests/test_sales_outputs.py)."""

IMG = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)">')
CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
IMAGE_CHECK = """<script>
window.addEventListener("load", function () {
  var images = Array.from(document.images);
  var decoded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; });
  document.body.setAttribute("data-decoded", decoded.length + "/" + images.length);
});
</script>"""


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_run_folder(tmp_path_factory.mktemp("report") / "run")


@pytest.fixture(scope="module")
def report_file(run_dir: Path) -> Path:
    assert main(["report", str(run_dir)]) == 0
    return run_dir / "report.html"


def _images(text: str) -> list[tuple[bytes, str]]:
    return [(base64.b64decode(data), html.unescape(alt)) for data, alt in IMG.findall(text)]


@pytest.mark.slow
def test_report_embeds_every_run_chart_as_a_png(report_file: Path) -> None:
    images = _images(report_file.read_text(encoding="utf-8"))
    assert [alt for _, alt in images] == [chart.title for chart in RUN_CHARTS]
    assert all(data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000 for data, _ in images)


@pytest.mark.slow
def test_report_states_scenario_seed_version_and_results(report_file: Path) -> None:
    text = report_file.read_text(encoding="utf-8")
    results = sim.load(report_file.parent)
    assert "<title>callsim report: charts-test</title>" in text
    assert f"<td class=text>root seed</td><td class=text>{results.seed}</td>" in text
    assert f"<td class=text>written by callsim</td><td class=text>{sim.__version__}</td>" in text
    assert "Resolved scenario" in text and "horizon_days: 3" in text
    dm = results.confidence_interval("dm_contacts", profile="student")
    assert format_estimate(dm.mean, dm.half_width) in text
    for chart in RUN_CHARTS:
        assert chart.question.replace('"', "&quot;") in text


@pytest.mark.slow
def test_report_is_self_contained(report_file: Path) -> None:
    text = report_file.read_text(encoding="utf-8")
    assert "<script" not in text and "<link" not in text
    assert not re.search(r'(src|href)="(?!data:|#)', text)
    assert "url(" not in text


def test_report_for_compare_and_sweep_folders_embeds_chart_6(tmp_path: Path) -> None:
    compare = build_report(make_experiment_folder(tmp_path / "cmp", "compare"))
    assert [alt for _, alt in _images(compare)] == ["Scenario comparison"]
    assert "more-students" in compare and "-0.050 ±0.030" in compare
    sweep = build_report(make_experiment_folder(tmp_path / "sweep", "sweep"))
    assert [alt for _, alt in _images(sweep)] == [
        "Sweep: meetings booked",
        "Sweep: cost per meeting",
    ]
    assert "team.0.count" in sweep
    # Sweep points show each mean with its interval, in the one number format.
    assert "<td>0.306 ±0.031</td>" in sweep and "<td>3,060 ±310</td>" in sweep


def test_compare_report_leads_with_the_team_when_headcounts_differ(tmp_path: Path) -> None:
    # Issue #10 audit: the compare report listed the per-caller rows first under "Mean per
    # operator-day", the team's per team-day rows last and unlabelled.
    import json

    import pandas as pd

    folder = make_experiment_folder(tmp_path / "cmp", "compare")
    table = pd.read_csv(folder / "comparison.csv")
    team = table.assign(profile="team", mean=table["mean"] * 10)
    pd.concat([table, team]).to_csv(folder / "comparison.csv", index=False)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "headline_group": "team"}))
    text = build_report(folder)
    rows = re.findall(r"<tr><td class=text>([^<]*)</td><td class=text>([^<]*)</td>"
                      r"<td class=text>([^<]*)</td><td class=text>([^<]*)</td>", text)  # fmt: skip
    assert rows[0][2:] == ("team", "per team-day"), rows[:2]
    assert ("more-students", "meetings", "all", "per operator-day") in rows
    assert [r[2] for r in rows] == sorted((r[2] for r in rows), key=lambda g: g != "team")
    assert "per-caller means can point the other way" in text


def test_compare_report_shows_the_break_even_when_the_folder_has_one(tmp_path: Path) -> None:
    # Issue #10 audit: `compare --break-even` wrote break_even.csv, but the report left it out.
    folder = make_experiment_folder(tmp_path / "cmp", "compare")
    (folder / "break_even.csv").write_text(
        "parameter,low,high,scenario,against,metric,group,unit,status,break_even,ci_low,ci_high,"
        "ci_low_open,ci_high_open,level,replications,evaluations,crossings,seed\n"
        "profiles.student.discovery_skill,0.5,3,base,more-students,cost_per_meeting,team,"
        "currency,found,0.77681,0.5,1.0123,True,False,0.95,4,10,1,7\n"
    )
    (folder / "break_even_points.csv").write_text(
        "value,scenario_mean,against_mean,diff_mean,diff_ci_low,diff_ci_high,replications\n"
        "0.5,3357,2846,511,-757,1779,4\n0.77681,2846,2846,-1.19e-12,-2059,2059,4\n"
    )
    text = build_report(folder)
    assert "id=break-even" in text and "<b>0.78</b>, 95% CI &le; 0.50 to 1.01" in text
    assert "<td>-2,100 to 2,100</td>" in text and "e-12" not in text


@pytest.mark.slow
def test_report_command_writes_where_asked_and_refuses_other_folders(
    tmp_path: Path, run_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "r.html"
    assert main(["report", str(run_dir), "--out", str(target)]) == 0
    assert target.is_file() and str(target) in capsys.readouterr().out
    assert main(["report", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "not a callsim results folder" in err and "Traceback" not in err
    assert "'sensitivity'" in err  # every kind of folder it reads is named


@pytest.mark.slow
@pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium binary: apt-get install chromium "
    "(.ci/run installs it) to render the report",
)
def test_report_renders_every_chart_in_headless_chromium(report_file: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    # The report has no scripts; the check is added to a copy, just before </body>.
    page.write_text(
        report_file.read_text(encoding="utf-8").replace("</body>", IMAGE_CHECK + "</body>"),
        encoding="utf-8",
    )
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=10000",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f'data-decoded="{len(RUN_CHARTS)}/{len(RUN_CHARTS)}"' in done.stdout
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
