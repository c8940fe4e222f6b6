"""Write ``docs/validation.md``: every forum target and benchmark against the presets' output.

Runs the shipped scenarios ``students-vs-experienced`` and ``call-centre-120-12`` and, for each
preset caller profile, one run per preset segment called alone (20 callers, 22 working days,
30,000 companies: nobody runs out of fresh leads; 20 callers so that the few meetings of a
student month still pin the novice-to-experienced ratio B15), all with the same root seed.
Each row of the page gives the source's figure, the model's figure with its 95 % interval over
replications, the band taken from the source, and the verdict; :func:`rows` returns the same
rows for the calibration test (``tests/test_validation_page.py``), which asserts that every
target the presets claim is in its band. Then it finds the student skill at which students and
experienced callers cost the same per meeting (``sim.break_even``).

    PYTHONPATH=. python docs/validation_figures.py [--replications N] [--out docs/validation.md]
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

import sim
from sim.analysis.results import Results
from sim.scenario import Scenario
from sim.scenario.presets import PROFILE_PRESETS

ROOT = Path(__file__).resolve().parent.parent
REPLICATIONS = 10
SEED = 20261127
JOBS = 2
CALLERS = 20
COMPANIES = 30_000
INF = math.inf


@dataclass(frozen=True)
class Row:
    """One line of the page: a target or benchmark, the model's figure and the verdict."""

    anchor: str
    """The anchor in ``docs/sources.md`` (``T2``, ``B7``, ``C5``)."""
    source_figure: str
    quantity: str
    mean: float
    half_width: float
    low: float
    high: float
    claimed: bool
    """Whether the presets claim to reproduce it (the test asserts those)."""
    unit: str = ""
    miss: str = "not matched (benchmark, forum outranks)"
    """The verdict of a row the presets do not claim, outside its band."""

    @property
    def in_band(self) -> bool:
        return self.low <= self.mean <= self.high

    @property
    def verdict(self) -> str:
        if self.in_band:
            return "**reproduced**" if self.claimed else "in band"
        return "**not reproduced**" if self.claimed else self.miss

    def band_text(self) -> str:
        if self.low == -INF:
            return f"≤ {self.high:g}{self.unit}"
        if self.high == INF:
            return f"≥ {self.low:g}{self.unit}"
        return f"{self.low:g}–{self.high:g}{self.unit}"


def segment_run(profile: str, segment: str) -> Scenario:
    """``CALLERS`` callers of a preset profile on one preset segment for 22 working days."""
    data: dict[str, Any] = {
        "name": f"{profile}-on-{segment}",
        "horizon_days": 22,
        "segments": {segment: {"companies": COMPANIES}},
        "team": [{"profile": profile, "count": CALLERS}],
    }
    return Scenario.model_validate(data)


def mixed_run(profile: str) -> Scenario:
    """``CALLERS`` callers of a preset profile on the three preset segments in equal shares.

    The shipped mixed scenario has 2 experienced callers: too few, with personal skills, to pin
    a trained caller's needs per call at modest replications.
    """
    data: dict[str, Any] = {
        "name": f"{profile}-on-mixed",
        "horizon_days": 22,
        "segments": {s: {"companies": COMPANIES} for s in ("small", "medium", "large")},
        "team": [{"profile": profile, "count": CALLERS,
                  "segments": {"small": 1, "medium": 1, "large": 1}}],
    }  # fmt: skip
    return Scenario.model_validate(data)


def per_replication(
    results: Results, profile: str, statistic: Callable[[pd.DataFrame], float]
) -> tuple[float, float]:
    """Mean and 95 % half-width over replications of ``statistic`` of the profile's days."""
    days = results.operator_days
    days = days[days["profile"] == profile]
    values = np.array([statistic(part) for _, part in days.groupby("replication")], dtype=float)
    return mean_half(values)


def mean_half(values: np.ndarray) -> tuple[float, float]:
    """Mean and 95 % half-width (Student t) of per-replication values."""
    if len(values) < 2:
        return float(values.mean()), float("nan")
    half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values))
    return float(values.mean()), float(half)


def ratio(num: str, den: str, scale: float = 1.0) -> Callable[[pd.DataFrame], float]:
    """``scale`` times the ratio of two columns' totals."""
    return lambda d: scale * float(d[num].sum()) / float(d[den].sum())


def mean_of(column: str) -> Callable[[pd.DataFrame], float]:
    """The mean of a column over operator-days."""
    return lambda d: float(d[column].mean())


def quantile_of(column: str, q: float) -> Callable[[pd.DataFrame], float]:
    """The ``q``-th percentile of a column over operator-days."""
    return lambda d: float(np.percentile(d[column], q))


def working_min(d: pd.DataFrame) -> float:
    """Minutes of dialling, talk, wrap-up and idle time per operator-day."""
    return float((d["dial_min"] + d["talk_min"] + d["wrap_min"] + d["idle_min"]).mean())


def simulate(replications: int) -> dict[str, Results]:
    """Every run the page needs, by label."""
    runs: dict[str, Scenario] = {
        "mixed": sim.load_scenario(ROOT / "scenarios" / "students-vs-experienced.yaml"),
        "call-centre": sim.load_scenario(ROOT / "scenarios" / "call-centre-120-12.yaml"),
    }
    for profile in ("student", "experienced"):
        for segment in ("small", "medium", "large"):
            runs[f"{profile}/{segment}"] = segment_run(profile, segment)
    runs["experienced/mixed"] = mixed_run("experienced")
    return {
        label: sim.run(scenario, replications=replications, seed=SEED, jobs=JOBS)
        for label, scenario in runs.items()
    }


def rows(runs: dict[str, Results]) -> list[Row]:
    """Every target and benchmark row, from the runs of :func:`simulate`."""
    mixed, centre, trained = runs["mixed"], runs["call-centre"], runs["experienced/mixed"]
    out: list[Row] = []

    def add(anchor, figure, quantity, results, profile, statistic, low, high, claimed, unit=""):  # type: ignore[no-untyped-def]
        mean, half = per_replication(results, profile, statistic)
        out.append(Row(anchor, figure, quantity, mean, half, low, high, claimed, unit))

    calls = "calls_excl_busy_no_answer"
    add("T1", "8 h with a 10-min break every hour = 400 working minutes",
        "dial + talk + wrap-up + idle minutes, mixed team", mixed, "student", working_min,
        395, 410, True, " min")  # fmt: skip
    for segment in ("small", "medium", "large"):
        r = runs[f"student/{segment}"]
        add("T2", "newcomers physically cannot do more than 60 calls",
            f"students' median calls per operator-day, {segment} firms", r, "student",
            quantile_of(calls, 50), -INF, 60, True)  # fmt: skip
        add("T2", "newcomers at most ~60 (issue #11: 90th percentile ≤ 63)",
            f"students' 90th percentile of calls per operator-day, {segment} firms", r,
            "student", quantile_of(calls, 90), -INF, 63, True)  # fmt: skip
    add("T2", "trained: ~80 calls a day", "experienced callers' calls per operator-day, mixed base",
        trained, "experienced", mean_of(calls), 75, 85, True)  # fmt: skip
    add("T2", "trained: ~80 calls a day", "call-centre operators' calls per operator-day",
        centre, "operator", mean_of(calls), 75, 85, True)  # fmt: skip
    add("T3", "trained: 2–3 needs per 80 calls; 6 per 120 fine",
        "experienced callers' needs per 100 calls, mixed base", trained, "experienced",
        ratio("needs", calls, 100), 2.5, 5, True)  # fmt: skip
    add("T3", "trained: 2–3 needs per 80 calls; 6 per 120 fine",
        "call-centre operators' needs per 100 calls", centre, "operator",
        ratio("needs", calls, 100), 2.5, 5, True)  # fmt: skip
    add("T3", "12 needs per 120 calls is an imitation of activity",
        "share of operator-days meeting '120 calls + 12 needs'", centre, "operator",
        mean_of("quota_met"), 0, 0.02, True)  # fmt: skip
    add("T3", "6 needs per 120 calls is fine",
        "share of trained operators' days with needs ≥ 5 % of calls", centre, "operator",
        lambda d: float((d["needs"] >= 0.05 * d[calls]).mean()), 0.15, 1, True)  # fmt: skip
    add("T4", "ramped-up operators: 130–170 dials a day", "call-centre operators' dials per day",
        centre, "operator", mean_of("dials"), 130, 170, True)  # fmt: skip
    add("T4", "time on air under 3 hours", "call-centre operators' talk minutes per day", centre,
        "operator", mean_of("talk_min"), -INF, 180, True, " min")  # fmt: skip
    add("T5", "norms 40–80 calls, usually 50–60 (busy/no answer excluded)",
        "students' quota-counted calls per day, mixed base", mixed, "student", mean_of(calls),
        50, 60, True)  # fmt: skip
    add("T6", "medium firms ~30 DM calls a day", "experienced DM contacts per day, medium firms",
        runs["experienced/medium"], "experienced", mean_of("dm_contacts"), 27, 33,
        True)  # fmt: skip
    add("T6", "large firms ~10 DM calls a day", "experienced DM contacts per day, large firms",
        runs["experienced/large"], "experienced", mean_of("dm_contacts"), 9, 11, True)  # fmt: skip
    add("T8", "fixed pay 15,000 RUB a month, 22 working days",
        "students' cost per operator-day, RUB", mixed, "student", mean_of("cost"),
        681.8, 681.9, True)  # fmt: skip
    for label, profile in (
        ("mixed", "student"),
        ("experienced/mixed", "experienced"),
        ("call-centre", "operator"),
    ):
        add("C5", "~80 counted calls from 130–170 dials: about half of all dials answered",
            f"answered share of dials, {profile}", runs[label], profile,
            ratio("answered", "dials"), 0.45, 0.55, True)  # fmt: skip
    b15 = "novices ~0.5-0.7 of experienced callers' conversion (meetings per DM conversation)"
    gaps = []
    for segment in ("small", "medium", "large"):
        per_profile = {}
        for profile in ("student", "experienced"):
            r = runs[f"{profile}/{segment}"]
            meetings = r.replication_values("meetings", profile).to_numpy(dtype=float)
            contacts = r.replication_values("dm_contacts", profile).to_numpy(dtype=float)
            per_profile[profile] = meetings / contacts
        values = per_profile["student"] / per_profile["experienced"]
        gaps.append(values)
        out.append(Row("B15", b15,
                       f"students / experienced meetings per DM contact, {segment} firms",
                       *mean_half(values), 0.5, 0.7, False,
                       miss="outside the band (the segments together are the claim)"))  # fmt: skip
    reach_note = "outside: the presets follow the notes on conversion only"
    for segment in ("small", "medium", "large"):
        per_dial = {
            p: runs[f"{p}/{segment}"].replication_values("dm_contacts", p).to_numpy(dtype=float)
            / runs[f"{p}/{segment}"].replication_values("dials", p).to_numpy(dtype=float)
            for p in ("student", "experienced")
        }
        out.append(Row("B15", "the notes: novices ~0.5-0.7 of experienced callers on DM reach",
                       f"students / experienced DM contacts per dial, {segment} firms",
                       *mean_half(per_dial["student"] / per_dial["experienced"]), 0.5, 0.7,
                       False, miss=reach_note))  # fmt: skip
    # The three segments' gaps averaged per replication: the gap with three times the meetings
    # behind it, the figure the presets claim (each segment weighs the same, whatever the
    # profiles' DM contacts: pooling the contacts would mix segments differently per profile).
    out.append(Row("B15", b15,
                   "students / experienced meetings per DM contact, mean of the three segments",
                   *mean_half(np.mean(gaps, axis=0)), 0.5, 0.7, True))  # fmt: skip
    # Benchmarks: reported, the forum outranks them where they differ.
    for label in ("student/large", "experienced/large", "experienced/medium"):
        profile = label.split("/")[0]
        add("B3", "connect (conversation) per dial 5.4 % average, 13.3 % top quartile",
            f"DM contacts per dial, {label}", runs[label], profile,
            ratio("dm_contacts", "dials"), 0.054, 0.133, False)  # fmt: skip
    add("B7", "conversation → meeting 4.6–4.8 %", "meetings per DM contact, experienced, mixed",
        trained, "experienced", ratio("meetings", "dm_contacts"), 0.04, 0.055, False)  # fmt: skip
    add("B8", "≈ 370 dials per meeting", "dials per meeting, experienced, mixed", trained,
        "experienced", ratio("dials", "meetings"), 250, 500, False)  # fmt: skip
    add("B10", "connected cold call ≈ 80 s", "talk minutes per answered call, experienced, mixed",
        trained, "experienced", ratio("talk_min", "answered"), 1.0, 1.7, False, " min")  # fmt: skip
    return out


def break_even(replications: int) -> sim.BreakEven:
    """Student ``discovery_skill`` at which students cost what experienced callers do per meeting.

    Both teams 6 callers on the medium preset segment; only the students' discovery skill
    varies (their booking skill stays at the preset's).
    """
    students, experienced = segment_run("student", "medium"), segment_run("experienced", "medium")
    return sim.break_even(
        students, experienced, "profiles.student.discovery_skill=0.3:1.2", "cost_per_meeting",
        replications=replications, seed=SEED, jobs=JOBS, points=4,
    )  # fmt: skip


def anchors() -> dict[str, str]:
    """``T2`` -> ``t2-calls-a-day-newcomers-and-trained-callers``: the headings of sources.md."""
    found = {}
    for line in (ROOT / "docs" / "sources.md").read_text().splitlines():
        if line.startswith("###") and ":" in line:
            title = line.lstrip("#").strip()
            slug = "".join(c for c in title.lower() if c.isalnum() or c in " -").replace(" ", "-")
            found[title.split(":")[0]] = slug
    return found


def figure(mean: float, half: float) -> str:
    """``mean ±half-width`` to a precision fitting the mean."""
    digits = 3 if abs(mean) < 1 else (2 if abs(mean) < 10 else 1)
    text = f"{mean:,.{digits}f}"
    return text + (f" ±{half:,.{digits}f}" if math.isfinite(half) else "")


def page(table: list[Row], even: sim.BreakEven, replications: int) -> str:
    """The Markdown of ``docs/validation.md``."""
    student, experienced = PROFILE_PRESETS["student"], PROFILE_PRESETS["experienced"]
    student_product = student["discovery_skill"] * student["booking_skill"]
    experienced_product = experienced["discovery_skill"] * experienced["booking_skill"]
    configured_gap = student_product / experienced_product
    claim = next(r for r in table if r.anchor == "B15" and r.claimed)
    reach = [r.mean for r in table if r.quantity.startswith("students / experienced DM contacts")]
    reach_low, reach_high = min(reach), max(reach)
    lines = [
        "# Validation: the presets against the forum's targets and the public benchmarks",
        "",
        "<!-- Generated by `PYTHONPATH=. python docs/validation_figures.py`; "
        "do not edit by hand. -->",
        "",
        "Every figure below comes from "
        "[`docs/validation_figures.py`](validation_figures.py), which runs "
        "`scenarios/students-vs-experienced.yaml`, `scenarios/call-centre-120-12.yaml` and, for "
        f"each preset profile, {CALLERS} callers on each preset segment alone ({COMPANIES:,} "
        f"companies, 22 working days) and {CALLERS} experienced callers on the three in equal "
        'shares (the rows "experienced, mixed base": the shipped mixed scenario has only 2), '
        f"with {replications} replications and seed {SEED}. "
        "Anchors (T1–T8 forum targets, C1–C6 the thread's contradictions, B1–B18 benchmarks) "
        "link to [sources.md](sources.md). The model figure is the mean over replications "
        "± the half-width of its 95 % interval; bands come from the sources, not from the "
        'model. "Calls" exclude busy and no answer. The forum outranks the benchmarks.',
        "",
        "## Targets and benchmarks",
        "",
        "| anchor | source figure | model quantity | model (95 % CI) | band | verdict |",
        "|---|---|---|--:|--:|---|",
    ]
    slugs = anchors()
    for row in table:
        lines.append(
            f"| [{row.anchor}](sources.md#{slugs.get(row.anchor, row.anchor.lower())}) | "
            f"{row.source_figure} | "
            f"{row.quantity} | {figure(row.mean, row.half_width)}{row.unit} | "
            f"{row.band_text()} | {row.verdict} |"
        )
    lines += [
        "",
        "Checked elsewhere: T7 (broad against targeted calling, a relative effect) and the "
        "bonus part of T8 need sellers and two-part pay, which the presets leave off; "
        "`scenarios/forum/broad-list.yaml`, `targeted-list.yaml` and `pay-schemes.yaml` "
        "reproduce them (`tests/test_sales_scenarios.py`, `tests/test_sales_money.py`). B14 "
        "(time of day) is the optional `time_of_day`, off in the presets. Not modelled: B12 "
        "(attempts to reach a prospect), B16–B18 (dialer modes, predictive-dialing rules, B2C).",
        "",
        "## Where targets pull apart, and which one the presets keep",
        "",
        "- **Students' ceiling against their norm (C1, T5).** Students at most ~60 calls "
        "(median ≤ 60, 90th percentile ≤ 63) leave the 60-call norm met on only a minority of "
        "their days; the presets keep the ceiling, as the forum's contradictions section does.",
        "- **Callers differ against the ceiling.** A 90th percentile within 3 calls of the "
        "median leaves room for little personal speed among students (`speed_spread` 0.02); "
        "the spread between callers is mostly skill (`skill_spread` 0.3, an assumption).",
        "- **B7 and B3 against T3 and T6.** Meetings per DM conversation for experienced "
        "callers stay below the benchmarks' 4.6 %, and DM contacts per dial on medium firms "
        "above them: raising either would break T3 (≤ 5 needs per 100 calls) or T6. The forum "
        "wins.",
        "- **The notes' novice multipliers (B15) on DM reach.** The notes put novices at "
        "0.5–0.7 of experienced callers on DM reach *and* conversion; the presets follow them "
        "on conversion only (the B15 rows). Students' DM contacts per dial are "
        f"{reach_low:.2f}–{reach_high:.2f} of experienced callers' by segment (the T2 ceiling "
        "and T6 set the reach), so DM reach is penalised less than the notes suggest.",
        "",
        "## The students-vs-experienced verdict depends on the skill gap",
        "",
        f"The presets set students' `discovery_skill` × `booking_skill` to {student_product:.2f} "
        f"against experienced callers' {experienced_product:.2f}: {configured_gap:.2f}× (B15, "
        "0.5–0.7); the model measures the gap at "
        f"{claim.mean:.2f} ±{claim.half_width:.2f} (the B15 row above). How far the students' "
        "skill may fall before the cost-per-meeting ranking flips: `sim.break_even` on the "
        "students' `discovery_skill` over 0.3–1.2 (6 students against 6 experienced callers on "
        f"medium firms, cost per meeting, {replications} replications, seed {SEED}; "
        "reproduce with `PYTHONPATH=. python docs/validation_figures.py`).",
        "",
    ]
    if even.estimate is None:
        lines.append(f"No break-even in 0.3–1.2 ({even.status}).")
    else:
        booking = PROFILE_PRESETS["student"]["booking_skill"]
        lines.append(
            f"Break-even student `discovery_skill`: **{even.estimate:.2f}** (95 % CI "
            f"{even.ci_low:.2f}–{even.ci_high:.2f}; the preset is "
            f"{PROFILE_PRESETS['student']['discovery_skill']:g}, experienced "
            f"{PROFILE_PRESETS['experienced']['discovery_skill']:g}), a configured gap of "
            f"**{even.estimate * booking / experienced_product:.2f}×** "
            f"({even.ci_low * booking / experienced_product:.2f}–"
            f"{even.ci_high * booking / experienced_product:.2f}). Below it experienced callers "
            "are cheaper per meeting, above it students."
        )
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    """Run everything and write the page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=REPLICATIONS)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "validation.md")
    args = parser.parse_args()
    table = rows(simulate(args.replications))
    args.out.write_text(page(table, break_even(args.replications), args.replications))


if __name__ == "__main__":
    main()
