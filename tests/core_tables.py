"""Hash every table of the core-equivalence cases on the core this process runs.

``python -m tests.core_tables OUT.json`` (with ``CALLSIM_CORE`` set by the caller) runs each
case of :data:`CASES` and writes ``{"core": <sim.core_info()>, "hashes": {case/table: sha}}``.
``tests/test_compiled_core.py`` runs it once per core and compares the two files: the
compiled core must give the pure-Python core's tables bit for bit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import sim
from tests.test_golden import frame_hash

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "scenarios" / "students-vs-experienced.yaml"
SHORT = ["horizon_days=3"]
REPLICATIONS = 2
SEED = 20261202

CASES: dict[str, tuple[Path, list[str], bool]] = {
    **{path.stem: (path, SHORT, False) for path in sorted((ROOT / "scenarios").glob("*.yaml"))},
    "mixed-segments": (
        MAIN,
        [*SHORT, "team.0.segments={small: 3, medium: 2, large: 1}", "team.1.segments={large: 1}"],
        False,
    ),
    "list-exhausted": (
        MAIN,
        [
            "horizon_days=30",
            "segments.small.companies=150",
            "segments.medium.companies=100",
            "segments.large.companies=50",
        ],
        False,
    ),
    "call-log": (MAIN, SHORT, True),
}
"""Case name: scenario file, overrides, whether the call log is kept."""


def case_hashes(name: str, path: Path, overrides: list[str], call_log: bool) -> dict[str, str]:
    scenario = sim.load_scenario(path, overrides)
    results = sim.run(scenario, replications=REPLICATIONS, seed=SEED, call_log=call_log)
    hashes = {
        f"{name}/{table}": frame_hash(results.table(table))
        for table in ("operator_days", "segment_days", "leads", "calls", "meetings")
        if results.has_table(table)
    }
    hashes[f"{name}/summary"] = frame_hash(results.summary())
    return hashes


def main() -> None:
    hashes: dict[str, str] = {}
    for name, (path, overrides, call_log) in CASES.items():
        hashes.update(case_hashes(name, path, overrides, call_log))
    info = sim.core_info()
    found = {"core": info.name, "describe": info.describe(), "hashes": hashes}
    Path(sys.argv[1]).write_text(json.dumps(found, indent=2) + "\n")


if __name__ == "__main__":
    main()
