"""Regenerate the README's chart gallery (``docs/gallery/*.png``) from a shipped scenario.

Charts 1-5 and 7 come from one run of ``scenarios/students-vs-experienced.yaml`` (with the call
log, for the days-to-DM panel); chart 6 from a comparison of that scenario with a variant that
swaps two students for two more experienced callers, and from a students x experienced
staffing sweep. Everything uses the scenario's root seed, so the gallery only changes when the
model or the charts do.

    PYTHONPATH=. python docs/gallery/make_gallery.py            # about a minute on 2 cores

Every chart is drawn by the same code as ``callsim plot``
(:func:`sim.presentation.plots.save_charts`).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import sim
from sim.presentation.plots import save_charts

ROOT = Path(__file__).resolve().parents[2]
GALLERY = Path(__file__).resolve().parent
SCENARIO = ROOT / "scenarios" / "students-vs-experienced.yaml"
VARIANT = ["name=two-more-experienced", "team.0.count=6", "team.1.count=4"]
SWEEP = ["team.0.count=4,8,12", "team.1.count=1,2,3"]
SWEEP_CHARTS = ("sweep_meetings.png", "sweep_cost_per_meeting.png")


def make_gallery(out: Path = GALLERY, replications: int = 20, jobs: int = 2) -> list[Path]:
    """Run the gallery's experiments and write its PNGs into ``out``; returns the files."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        scenario = sim.load_scenario(SCENARIO)
        results = sim.run(scenario, replications=replications, jobs=jobs, call_log=True)
        sim.save(results, work / "run")
        # Drawn in the scratch folder and copied: `plot --out` replaces only files it marked as
        # its own, and the gallery is the repository's, not a results folder.
        written += _copied(save_charts(work / "run", out=work / "run-charts"), out)

        variant = sim.load_scenario(SCENARIO, overrides=VARIANT)
        sim.compare([scenario, variant], replications=replications, jobs=jobs, out=work / "compare")
        written += _copied(save_charts(work / "compare", out=work / "compare-charts"), out)

        sim.sweep(
            SCENARIO, SWEEP, replications=max(4, replications // 2), jobs=jobs, out=work / "sweep"
        )
        sweep_charts = save_charts(work / "sweep", out=work / "sweep-charts")
        written += _copied([p for p in sweep_charts if p.name in SWEEP_CHARTS], out)
    return written


def _copied(charts: list[Path], out: Path) -> list[Path]:
    """``charts`` copied into ``out``; returns the copies."""
    return [Path(shutil.copy(path, out / path.name)) for path in charts]


def main() -> None:
    """Command line: ``--replications`` and ``--jobs``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", "-n", type=int, default=20)
    parser.add_argument("--jobs", "-j", type=int, default=2)
    args = parser.parse_args()
    for path in make_gallery(replications=args.replications, jobs=args.jobs):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
