"""Print the model's figures for ``docs/validation.md`` as Markdown tables.

Runs every shipped scenario (``scenarios/*.yaml``) and, for each of the two preset caller
profiles (``student``, ``experienced``), one run per preset segment (``small``, ``medium``,
``large``) called alone. Every run uses 10 replications, root seed 20261127 and 2 worker
processes, with the per-attempt call log on (it adds no randomness), so the output is the same
on every machine with the same library versions.

    PYTHONPATH=. python docs/validation_figures.py > /tmp/figures.md

Takes about 20 seconds on 2 cores.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

import sim
from sim.analysis.results import Results
from sim.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
REPLICATIONS = 10
SEED = 20261127
JOBS = 2
SEGMENT_RUN_CALLERS = 6
SEGMENT_RUN_COMPANIES = 30_000
"""Companies in each single-segment run: enough that no caller runs out of fresh leads."""


def segment_run(profile: str, segment: str) -> Scenario:
    """``SEGMENT_RUN_CALLERS`` callers of a preset profile on one preset segment, 22 days."""
    data: dict[str, Any] = {
        "name": f"{profile}-on-{segment}",
        "horizon_days": 22,
        "segments": {segment: {"companies": SEGMENT_RUN_COMPANIES}},
        "team": [{"profile": profile, "count": SEGMENT_RUN_CALLERS}],
    }
    return Scenario.model_validate(data)


def all_runs() -> list[tuple[str, Scenario]]:
    """(label, scenario) of every run, shipped scenarios first."""
    runs = [
        (f"`{path.name}`", sim.load_scenario(path))
        for path in sorted((ROOT / "scenarios").glob("*.yaml"))
    ]
    for profile in ("student", "experienced"):
        for segment in ("small", "medium", "large"):
            runs.append((f"preset {profile} on {segment} only", segment_run(profile, segment)))
    return runs


def cell(results: Results, metric: str, profile: str, scale: float = 1.0, digits: int = 1) -> str:
    """``mean ±half-width`` of the 95% interval over replications, scaled."""
    ci = results.confidence_interval(metric, profile=profile)
    if not math.isfinite(ci.mean):
        return "–"
    text = f"{ci.mean * scale:,.{digits}f}"
    if math.isfinite(ci.half_width) and ci.half_width > 0:
        text += f" ±{ci.half_width * scale:,.{digits}f}"
    return text


def totals(results: Results, profile: str) -> dict[str, float]:
    """Sum columns over every operator-day of ``profile`` in all replications."""
    days = results.operator_days
    part = days[days["profile"] == profile]
    columns = [
        "dials",
        "answered",
        "dm_contacts",
        "meetings",
        "talk_min",
        "calls_excl_busy_no_answer",
    ]
    return {c: float(part[c].sum()) for c in columns}


def percentiles(results: Results, metric: str, profile: str) -> str:
    """10th, 50th and 90th percentile of ``metric`` over the profile's operator-days."""
    days = results.operator_days
    values = days.loc[days["profile"] == profile, metric].to_numpy(dtype=float)
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return f"{p10:.0f} / {p50:.0f} / {p90:.0f}"


def ratio(num: float, den: float, scale: float = 1.0, digits: int = 1) -> str:
    """``scale * num / den`` formatted, or a dash when ``den`` is zero."""
    return f"{scale * num / den:,.{digits}f}" if den > 0 else "–"


def main() -> None:
    """Run everything and print the four tables."""
    runs = [
        (
            label,
            scenario,
            sim.run(scenario, replications=REPLICATIONS, seed=SEED, jobs=JOBS, call_log=True),
        )
        for label, scenario in all_runs()
    ]

    print(
        f"Means per operator-day ± half-width of the 95% confidence interval over "
        f"{REPLICATIONS} replications (seed {SEED})."
    )
    print()
    print("**Table A: funnel, talk time, quota and cost per operator-day.**")
    print()
    print(
        "| run | profile | callers | calls | dials | DM contacts | needs | needs per 100 "
        "calls | meetings | talk h | quota met | cost per meeting (RUB) |"
    )
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for label, _, results in runs:
        callers = results.operator_days.groupby("profile", observed=True)["operator"].nunique()
        for profile in results.profiles():
            row = [
                label,
                profile,
                str(int(callers[profile])),
                cell(results, "calls_excl_busy_no_answer", profile),
                cell(results, "dials", profile),
                cell(results, "dm_contacts", profile),
                cell(results, "needs", profile, digits=2),
                cell(results, "needs_per_100_calls", profile, digits=2),
                cell(results, "meetings", profile, digits=2),
                cell(results, "talk_min", profile, scale=1 / 60, digits=2),
                cell(results, "quota_met", profile, scale=100.0, digits=0) + " %",
                cell(results, "cost_per_meeting", profile, digits=0),
            ]
            print("| " + " | ".join(row) + " |")

    print()
    print(
        "**Table B: the working day, minutes per operator-day, and the spread of calls "
        "over operator-days.** `dial` includes ringing; `talk` is time on air."
    )
    print()
    print(
        "| run | profile | calls p10 / p50 / p90 | dial | talk | wrap-up | break | idle | overrun |"
    )
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|")
    for label, _, results in runs:
        for profile in results.profiles():
            row = [label, profile, percentiles(results, "calls_excl_busy_no_answer", profile)]
            row += [
                cell(results, m, profile, digits=0)
                for m in (
                    "dial_min",
                    "talk_min",
                    "wrap_min",
                    "break_min",
                    "idle_min",
                    "overrun_min",
                )
            ]
            print("| " + " | ".join(row) + " |")

    print()
    print(
        "**Table C: rates to compare with the public benchmarks "
        "([sources.md](sources.md#public-benchmarks))**, pooled over all attempts of the "
        "10 replications. Talk excludes dialling and ringing; a failed dial cycle is "
        "`profile.dial_time` plus the ring time of a busy, unanswered or invalid number."
    )
    print()
    print(
        "| run | profile | answered per dial | DM contacts per dial | meetings per DM "
        "contact | dials per meeting | talk min per answered call | talk min per DM "
        "conversation | talk min per call booking a meeting | failed dial cycle, s |"
    )
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for label, _, results in runs:
        calls = results.calls
        assert calls is not None
        for profile in results.profiles():
            t = totals(results, profile)
            mine = calls[calls["profile"] == profile]
            dm = mine[mine["dm_contact"]]
            booked = mine[mine["outcome"] == "meeting"]
            failed = mine[mine["outcome"].isin(["busy", "no_answer", "invalid"])]
            row = [
                label,
                profile,
                ratio(t["answered"], t["dials"], 100.0) + " %",
                ratio(t["dm_contacts"], t["dials"], 100.0) + " %",
                ratio(t["meetings"], t["dm_contacts"], 100.0, 2) + " %",
                ratio(t["dials"], t["meetings"], digits=0),
                ratio(t["talk_min"], t["answered"], digits=2),
                ratio(float(dm["talk_min"].sum()), float(len(dm)), digits=2),
                ratio(float(booked["talk_min"].sum()), float(len(booked)), digits=2),
                ratio(float(failed["dial_min"].sum()), float(len(failed)), 60.0, 0),
            ]
            print("| " + " | ".join(row) + " |")

    print()
    print(
        "**Table D: the calling base at the end of the horizon** (all callers of the run; "
        "companies called = companies with at least one attempt)."
    )
    print()
    print(
        "| run | companies called per replication | share with a DM conversation | "
        "attempts per company called | attempt no. of the first DM conversation | "
        "exhausted | closed: meeting / hot lead / no need / refused | long-term need |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for label, _, results in runs:
        calls = results.calls
        assert calls is not None
        leads = results.leads[results.leads["attempts"] > 0]
        n = float(len(leads))
        share = leads["status"].astype(str).value_counts() / n * 100.0
        first_dm = (
            calls[calls["dm_contact"]]
            .groupby(["replication", "segment", "company"], observed=True)["attempt"]
            .min()
        )
        closed = " / ".join(
            f"{share.get(s, 0.0):.1f}" for s in ("meeting", "hot_lead", "no_need", "refused")
        )
        row = [
            label,
            f"{n / results.replications:,.0f}",
            ratio(float(leads["dm_contact_day"].notna().sum()), n, 100.0) + " %",
            ratio(float(leads["attempts"].sum()), n, digits=2),
            f"{first_dm.mean():.2f}",
            f"{share.get('exhausted', 0.0):.1f} %",
            closed + " %",
            f"{share.get('long_term_need', 0.0):.1f} %",
        ]
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
