"""A self-contained HTML report of a results folder: charts, tables, scenario, seed, version.

One file, no external assets and no scripts: every chart is embedded as a base64 PNG, the
style sheet is inline, so the report opens offline in any browser and can be mailed around.
The report shows the same charts as ``callsim plot`` (:mod:`sim.presentation.plots.chart_set`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import yaml
from matplotlib.figure import Figure

from sim.errors import ResultsDirError
from sim.presentation.people_sections import people_sections
from sim.presentation.plots.chart_files import figure_bytes
from sim.presentation.plots.chart_set import Chart, folder_charts
from sim.presentation.plots.results_folder import ResultsFolder, headline_group, open_folder
from sim.presentation.report_sales import sales_sections
from sim.presentation.report_sections import (
    break_even_sections,
    compare_sections,
    definitions,
    esc,
    html_table,
    run_sections,
    sensitivity_sections,
    sweep_sections,
    warning_banner,
)
from sim.storage.folders import (
    REPORT_FILE,
    REPORT_GENERATOR,
    file_marked,
    write_file_atomically,
)
from sim.storage.sensitivity import BREAK_EVEN_POINTS, BREAK_EVEN_TABLE

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
       max-width: 1100px; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.lead { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.92rem; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: right; }
td { white-space: nowrap; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
thead th { background: #f4f4f4; }
figure { margin: 1.2rem 0 2rem; } figure img { max-width: 100%; height: auto; }
figcaption { color: #444; font-style: italic; margin-top: 0.3rem; }
pre { background: #f7f7f7; padding: 0.8rem; overflow-x: auto; font-size: 0.82rem; }
nav ul { columns: 2; list-style: none; padding-left: 1rem; } nav p { margin-bottom: 0; }
.muted { color: #777; font-size: 0.85rem; }
.warning { background: #fff4e5; border-left: 4px solid #e67e22; padding: 0.2rem 1rem; }
"""


def _facts(folder: ResultsFolder) -> list[tuple[str, str]]:
    from sim._version import __version__

    manifest = folder.manifest
    facts = [("results folder", str(folder.path)), ("kind", folder.kind)]
    if "scenario_name" in manifest:
        facts.append(("scenario", str(manifest["scenario_name"])))
    for key, name in (
        ("base_scenario", "base scenario"),
        ("baseline", "baseline"),
        ("varied", "varied"),
        ("seed", "root seed"),
        ("replications", "replications"),
        ("wall_time_s", "wall time, s"),
    ):
        if key in manifest:
            value = manifest[key]
            facts.append(
                (name, ", ".join(map(str, value)) if isinstance(value, list) else str(value))
            )
    facts.append(("written by callsim", str(manifest.get("version", "unknown"))))
    facts.append(("report by callsim", __version__))
    versions = manifest.get("versions")
    if isinstance(versions, dict):
        facts.append(("libraries", ", ".join(f"{k} {v}" for k, v in versions.items())))
    return facts


def _charts_section(charts: list[tuple[Chart, Callable[[], Figure]]]) -> list[str]:
    parts = ["<h2 id=charts>Charts</h2>"]
    for chart, draw in charts:
        fig = draw()
        try:
            data = base64.b64encode(figure_bytes(fig, "png")).decode("ascii")
        finally:
            plt.close(fig)
        parts.append(
            f'<figure id="chart-{esc(chart.name)}">'
            f"<h3>{chart.number}. {esc(chart.title)}</h3>"
            f'<img src="data:image/png;base64,{data}" alt="{esc(chart.title)}">'
            f"<figcaption>Answers: {esc(chart.question)}</figcaption></figure>"
        )
    return parts


def build_report(directory: str | Path) -> str:
    """The HTML text of the report of ``directory`` (any kind of results folder)."""
    folder = open_folder(directory)
    manifest = folder.manifest
    appendix = []
    if folder.results is not None:
        title = f"callsim report: {folder.results.scenario.name}"
        body = (
            run_sections(folder.results)
            + sales_sections(folder.results)
            + people_sections(folder.results)
        )
        text = yaml.safe_dump(manifest["scenario"], sort_keys=False, allow_unicode=True)
        appendix = [
            "<h2 id=resolved>Resolved scenario</h2>",
            "<details><summary>Every setting the run used (YAML)</summary>"
            f"<pre>{esc(text)}</pre></details>",
        ]
    elif folder.kind == "compare":
        labels = manifest.get("labels") or [folder.path.name]
        title = f"callsim comparison: {' vs '.join(map(str, labels))}"
        assert folder.table is not None  # a compare folder always has comparison.csv
        body = compare_sections(folder.table, headline_group(folder))
        if (folder.path / BREAK_EVEN_TABLE).is_file():
            body += break_even_sections(
                pd.read_csv(folder.path / BREAK_EVEN_TABLE),
                pd.read_csv(folder.path / BREAK_EVEN_POINTS),
            )
        runs = [label for label in labels if (folder.path / "runs" / str(label)).is_dir()]
        if runs:
            appendix = [
                "<h2 id=runs>Runs</h2>",
                "<p>Each scenario's run folder has its own charts and report "
                "(<code>callsim report DIR</code>):</p>",
                "<ul>"
                + "".join(f"<li><code>runs/{esc(label)}/</code></li>" for label in runs)
                + "</ul>",
            ]
    elif folder.kind == "sensitivity":
        title = (
            f"callsim sensitivity: {manifest.get('base_scenario', folder.path.name)}, "
            f"{manifest.get('metric')} ({manifest.get('group')})"
        )
        assert folder.table is not None  # a sensitivity folder always has effects.csv
        body = sensitivity_sections(folder.table)
    else:
        varied = manifest.get("varied", [])
        title = (
            f"callsim sweep: {manifest.get('base_scenario', folder.path.name)} over "
            f"{', '.join(map(str, varied))}"
        )
        assert folder.table is not None  # a sweep folder always has sweep.csv
        body = sweep_sections(folder.table, varied, folder.manifest)
    facts = html_table(None, _facts(folder), text_columns=2)
    charts = folder_charts(folder)
    nav = (
        "<nav><p>Charts:</p><ul>"
        + "".join(
            f'<li>{chart.number}. <a href="#chart-{esc(chart.name)}">{esc(chart.title)}</a></li>'
            for chart, _ in charts
        )
        + "</ul></nav>"
    )
    page = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        REPORT_GENERATOR,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(title)}</h1>",
        '<p class="lead">Monte Carlo simulation of an outbound B2B cold-calling centre.</p>',
        facts,
        *warning_banner(manifest),
        nav,
        *body,
        *_charts_section(charts),
        *appendix,
        *definitions(),
        '<p class="muted">Generated by callsim; self-contained, no external resources.</p>',
        "</body>",
        "</html>",
    ]
    return "\n".join(page) + "\n"


def write_report(directory: str | Path, path: str | Path | None = None) -> Path:
    """Write :func:`build_report` to ``path`` (default ``directory/report.html``).

    Written atomically (a temporary name, then a rename). An existing file is replaced only
    if it is a callsim report: never a results folder's own files, never a user's file.
    """
    target = Path(path) if path is not None else Path(directory) / REPORT_FILE
    if target.is_dir():
        target = target / REPORT_FILE
    if target.exists() and not _is_report(target):
        raise ResultsDirError(f"{target} exists and is not a callsim report; choose another --out")
    text = build_report(directory)
    return write_file_atomically(target, text.encode("utf-8"))


def _is_report(path: Path) -> bool:
    """Whether ``path`` is a report callsim wrote (its head names the generator)."""
    return file_marked(path, REPORT_GENERATOR, 2048)
