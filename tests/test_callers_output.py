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
