"""Report sections of the people mechanisms: one per mechanism that is on in the run.

Ramp-up and turnover get their figures (performance by tenure week; headcount, quits,
hires, tenure and the cost of turnover), time of day the answered share by hour when the
run kept a call log, and fatigue and box-tickers the settings that were on. A run with
none of them gets no section, so its report is as before.
"""

from __future__ import annotations

from sim.analysis.people import (
    TURNOVER_METRICS,
    by_tenure_week,
    has_people_columns,
    has_turnover_columns,
    turnover_summary,
)
from sim.analysis.results import Results
from sim.analysis.time_of_day import by_hour
from sim.presentation.numbers import format_estimate, format_value, half_width
from sim.presentation.report_sections import esc, html_table

_TURNOVER_LABELS = {
    "headcount": "callers at work per day",
    "quits": "quits per replication",
    "hires": "hires per replication",
    "tenure_days": "mean tenure of the days worked, working days",
    "turnover_cost": "cost of turnover (hires x hiring cost)",
}


def _estimate(mean: float, low: float, high: float) -> str:
    """``mean ± half-width`` in the report's one number format."""
    return format_estimate(mean, half_width(low, high), "", sep=" ± ")


def people_sections(results: Results) -> list[str]:
    """The people sections of a run's report (empty when no mechanism is on)."""
    scenario = results.scenario
    staffed = {g.profile: scenario.profiles[g.profile] for g in scenario.team if g.count}
    days = results.operator_days
    out: list[str] = []
    if has_people_columns(days):
        rows = []
        for metric in ("dials", "calls_excl_busy_no_answer", "dm_contacts"):
            weeks = by_tenure_week(days, metric)
            for w in weeks.itertuples():
                rows.append(
                    (
                        metric,
                        int(w.tenure_week) + 1,
                        w.operator_days,
                        _estimate(w.mean, w.ci_low, w.ci_high),
                    )
                )
        ramps = [f"{esc(name)}: {esc(p.ramp.kind)}" for name, p in staffed.items() if p.ramp]
        out += [
            "<h2 id=ramp>Ramp-up: performance by tenure week</h2>",
            f"<p>Ramps: {', '.join(ramps) or 'none (tenure from turnover)'}. Per operator-day "
            "by tenure week (1 = the first five days worked), mean over replications ± 95% CI "
            "half-width.</p>",
            html_table(["metric", "tenure week", "operator-days", "per day"], rows, 1),
        ]
    if has_turnover_columns(days):
        summary = turnover_summary(days, scenario).set_index("metric")
        figures = [
            (
                _TURNOVER_LABELS[m],
                _estimate(*summary.loc[m, ["mean", "ci_low", "ci_high"]].astype(float)),
            )
            for m in TURNOVER_METRICS
        ]
        out += [
            "<h2 id=turnover>Turnover and hiring</h2>",
            "<p>Per replication, mean over replications ± 95% CI half-width (chart 9 shows "
            "the headcount day by day).</p>",
            html_table(["figure", "value"], figures, 1),
        ]
    if scenario.time_of_day:
        out.append("<h2 id=time-of-day>Time of day and weekday</h2>")
        out.append(
            "<p>Segments with hour-of-shift or weekday factors: "
            f"{esc(', '.join(scenario.time_of_day))}.</p>"
        )
        if results.calls is not None:
            hours = by_hour(results.calls)
            hourly = [
                (int(h.hour) + 1, int(h.dials), f"{h.answered_share:.1%}")
                for h in hours.itertuples()
            ]
            out.append(html_table(["hour of shift", "dials", "answered share"], hourly, 0))
        else:
            out.append("<p>Run with the call log for the answered share by hour.</p>")
    tired = [name for name, p in staffed.items() if p.fatigue is not None]
    ticking = [name for name, p in staffed.items() if p.box_ticking is not None]
    if tired or ticking:
        out.append("<h2 id=behaviour>Fatigue and box-ticking</h2>")
        for name in tired:
            f = staffed[name].fatigue
            assert f is not None
            out.append(
                f"<p>{esc(name)} tires: {format_value(f.loss_per_hour)} of its level per hour, "
                f"a break restores {format_value(f.break_recovery)}, floor "
                f"{format_value(f.floor)}.</p>"
            )
        for name in ticking:
            b = staffed[name].box_ticking
            assert b is not None
            out.append(
                f"<p>{esc(name)} ticks boxes under a count-only quota with strength "
                f"{format_value(b.strength)} (no effect under a quota with a quality part).</p>"
            )
    return out
