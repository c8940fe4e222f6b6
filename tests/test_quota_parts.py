"""Every part of a quota gets its attainment and norms, with units (issue 10, finding 3).

For "120 calls + 12 needs" the console, report and API gave norms for calls only; the needs
norm needed the plotting API. Each part now has its own row, the whole quota's (joint)
attainment stands beside it, and a two-part quota gets its attainable frontier.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.quota import quota_attainment, quota_frontier
from sim.analysis.stats import t_interval
from sim.cli import main
from sim.presentation.console import quota_table
from tests.builders import build

QUOTA = [
    {"counts": "calls_excl_busy_no_answer", "target": 40},
    {"counts": "needs", "target": 3},
]


def _scenario() -> sim.Scenario:
    return build(
        {
            "name": "two_parts",
            "horizon_days": 4,
            "segments": {"medium": {"companies": 5000}},
            "profiles": {"student": {"quota": QUOTA}, "experienced": {"quota": []}},
            "team": [
                {"profile": "student", "count": 3},
                {"profile": "experienced", "count": 1},
            ],
        }
    )


@pytest.fixture(scope="module")
def results() -> sim.Results:
    return sim.run(_scenario(), replications=4, seed=2)


def _student_days(results: sim.Results) -> pd.DataFrame:
    days = results.operator_days
    return days[days["profile"] == "student"]


def test_each_part_has_its_own_row_with_unit_attainment_and_norms(results) -> None:
    table = quota_attainment(results)
    assert table["profile"].tolist() == ["student", "student"]
    assert table["part"].tolist() == [1, 2]
    assert table["unit"].tolist() == ["calls_excl_busy_no_answer", "needs"]
    assert table["unit_label"].tolist() == ["calls", "needs"]
    days = _student_days(results)
    for row in table.itertuples():
        meets = days[row.unit] >= row.target
        expected = t_interval(meets.groupby(days["replication"]).mean().to_numpy())
        assert row.p_part == pytest.approx(expected.mean)
        # The norm of this part's own unit: per replication, the level 80% of days reach.
        per_rep = [
            float(np.floor(np.sort(v)[len(v) - int(np.ceil(0.8 * len(v)))]))
            for _, v in days.groupby("replication")[row.unit]
        ]
        assert row.norm_p80 == pytest.approx(np.mean(per_rep))
        assert row.norm_p95 <= row.norm_p80 <= row.norm_p50


def test_the_whole_quota_is_the_joint_attainment_of_every_part(results) -> None:
    table = quota_attainment(results)
    days = _student_days(results)
    whole = (days["calls_excl_busy_no_answer"] >= 40) & (days["needs"] >= 3)
    assert table["p_met"].nunique() == 1
    assert table["p_met"].iloc[0] == pytest.approx(whole.mean())  # equal days per replication
    assert table["p_met"].iloc[0] <= table["p_part"].min()
    assert table["p_met"].iloc[0] == pytest.approx(
        results.confidence_interval("quota_met", profile="student").mean
    )


def test_the_frontier_holds_exactly_the_attainable_pairs(results) -> None:
    days = _student_days(results)
    first = days["calls_excl_busy_no_answer"].to_numpy()
    second = days["needs"].to_numpy()
    frontier = quota_frontier(results, "student")
    assert set(frontier["share"]) == {0.5, 0.8, 0.95}
    for row in frontier.itertuples():
        met = np.mean((first >= row.first) & (second >= row.second))
        higher = np.mean((first >= row.first) & (second >= row.second + 1))
        assert met >= row.share - 1e-12
        assert higher < row.share  # the highest such second level
    with pytest.raises(ValueError, match="two-part"):
        quota_frontier(results, "experienced")


def test_console_names_every_part_with_its_unit(results) -> None:
    text = quota_table(results)
    assert "40 calls + 3 needs" in text
    needs_line = next(line for line in text.splitlines() if line.lstrip().startswith("3 needs"))
    assert needs_line.count("needs") == 4  # the part and its three norms


@pytest.mark.slow
def test_run_folder_keeps_quota_csv_and_the_report_shows_every_part(tmp_path: Path) -> None:
    scenario_file = tmp_path / "s.yaml"
    import yaml

    scenario_file.write_text(yaml.safe_dump(_scenario().model_dump(mode="json")))
    out = tmp_path / "run"
    assert main(["run", str(scenario_file), "-n", "2", "-j", "1", "-q", "--out", str(out)]) == 0
    quota = pd.read_csv(out / "quota.csv")
    assert quota["unit"].tolist() == ["calls_excl_busy_no_answer", "needs"]
    assert main(["report", str(out)]) == 0
    html = (out / "report.html").read_text()
    assert "3 needs" in html and "quota_frontier" in html


def test_a_large_quota_target_is_written_in_plain_digits() -> None:
    # Issue #10 audit: "{:g}" wrote a legal target of 1e9 dials as "1e+09 dials".
    from sim.analysis.quota import quota_text
    from sim.scenario.team import QuotaTarget

    parts = [QuotaTarget(counts="dials", target=1e9), QuotaTarget(counts="needs", target=12)]
    assert quota_text(parts) == "1,000,000,000 dials + 12 needs"


def test_a_quota_part_of_one_is_spoken_in_the_singular() -> None:
    # Issue #10 audit: "60 calls + 1 meetings".
    from sim.analysis.quota import quota_text
    from sim.scenario.team import QuotaTarget

    parts = [QuotaTarget(counts="calls_excl_busy_no_answer", target=60)]
    parts.append(QuotaTarget(counts="meetings", target=1))
    assert quota_text(parts) == "60 calls + 1 meeting"
