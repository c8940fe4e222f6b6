"""Per-caller figures reach the run folder and the console (issue 11: callers who differ)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.analysis.callers import CALLER_METRICS, caller_spread
from sim.cli import main
from tests.builders import build


@pytest.mark.slow
def test_a_run_folder_keeps_the_spread_between_callers(tmp_path: Path, capsys) -> None:
    scenario = build(
        {
            "name": "spread",
            "horizon_days": 3,
            "segments": {"medium": {"companies": 5000}},
            "profiles": {"student": {"skill_spread": 0.3}},
            "team": [{"profile": "student", "count": 4}],
        }
    )
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(scenario.model_dump(mode="json")))
    out = tmp_path / "run"
    assert main(["run", str(path), "-n", "2", "-j", "1", "-q", "--out", str(out)]) == 0
    table = pd.read_csv(out / "callers.csv")
    assert list(table["metric"]) == list(CALLER_METRICS)
    days = pd.read_parquet(out / "operator_days.parquet")
    expected = caller_spread(days, "dm_contacts")
    got = table[table["metric"] == "dm_contacts"].reset_index(drop=True)
    assert got["p50"].iloc[0] == pytest.approx(expected["p50"].iloc[0], rel=1e-5)
    assert "Between callers" in capsys.readouterr().out


def test_team_groups_with_a_row_of_their_own_get_their_own_spread() -> None:
    """Ramping new hires and trained callers of one profile: the profile's row mixes them, so
    each named group has its row too, over its own callers only (as in ``summary.csv``)."""
    days = pd.DataFrame(
        {
            "replication": [0] * 6,
            "profile": ["experienced"] * 4 + ["student"] * 2,
            "group": ["new-hires", "new-hires", "trained", "trained", "student", "student"],
            "operator": ["new-hires-0", "new-hires-1", "trained-0", "trained-1", "s-0", "s-1"],
            "day": [0] * 6,
            "calls_excl_busy_no_answer": [50, 60, 90, 100, 40, 44],
            "quota_met": [False, False, True, True, False, True],
        }
    )
    spread = caller_spread(days).set_index("profile")
    assert list(spread.index) == ["experienced", "student", "new-hires", "trained"]
    assert spread.loc["experienced", "callers"] == 4
    assert spread.loc["experienced", "mean"] == pytest.approx(75.0)
    assert spread.loc["new-hires", "mean"] == pytest.approx(55.0)
    assert spread.loc["trained", "mean"] == pytest.approx(95.0)
    assert spread.loc["trained", "callers_attaining"] == 1.0
    assert spread.loc["new-hires", "callers_attaining"] == 0.0
    assert spread.loc["student", "callers"] == 2  # a group named as its profile: one row
