"""Report sections of the people mechanisms: one per mechanism that is on in the run.

Ramp-up and turnover get their figures (performance by tenure week; headcount, quits,
hires, tenure and the cost of turnover), time of day the answered share by hour when the
run kept a call log, fatigue and box-tickers the settings that were on, the air-time rule
the air minutes per operator-day and talk per DM contact against the rule (and the assumed
effect of length in use), and timed callbacks their times with the callbacks scheduled per
operator-day. A run with none of them gets no section, so its report is as before.
"""

from __future__ import annotations

from sim.analysis.people import (
    AIR_TIME_METRICS,
    TURNOVER_METRICS,
    air_time_summary,
    by_tenure_week,
    has_people_columns,
    has_turnover_columns,
    turnover_summary,
)
from sim.analysis.results import Results
from sim.analysis.stats import t_interval
from sim.analysis.time_of_day import by_hour
from sim.presentation.numbers import format_estimate, format_value, half_width
from sim.presentation.report_sections import esc, html_table
from sim.scenario import Profile

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

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
    out += _air_time_section(results, staffed)
    out += _timed_callbacks_section(results)
    return out


def _air_time_section(results: Results, staffed: dict[str, Profile]) -> list[str]:
    """Air minutes per operator-day and talk per DM contact of the profiles with a rule."""
    ruled = {name: p.air_time for name, p in staffed.items() if p.air_time is not None}
    if not ruled:
        return []
    summary = air_time_summary(results.operator_days, results.scenario)
    rows = []
    for name, rule in ruled.items():
        figures = summary[summary["profile"] == name].set_index("metric")
        if figures.empty:
            continue
        air, talk = (
            _estimate(*figures.loc[m, ["mean", "ci_low", "ci_high"]].astype(float))
            for m in AIR_TIME_METRICS
        )
        rows.append(
            (
                name,
                air,
                "none"
                if rule.min_air_hours_per_day is None
                else f"{format_value(rule.min_air_hours_per_day * 60.0)} "
                f"(stretch x{format_value(rule.stretch_when_behind)} when behind)",
                talk,
                "none" if rule.min_talk_min is None else format_value(rule.min_talk_min),
                format_value(rule.length_effect_per_min),
            )
        )
    header = [
        "profile",
        "air min per operator-day",
        "rule: air min a day",
        "talk min per DM contact",
        "rule: shortest DM talk, min",
        "length_effect_per_min (assumed)",
    ]
    return [
        "<h2 id=air-time>Air-time rule</h2>",
        "<p>Per operator-day and per DM contact (gatekeeper and referral talk included), mean "
        "over replications ± 95% CI half-width, against each profile's rule. "
        "<code>length_effect_per_min</code> is the assumed true effect of an added talk minute "
        "on conversion: 0 means the stretched talk books no extra meetings.</p>",
        html_table(header, rows, 1),
    ]


def _timed_callbacks_section(results: Results) -> list[str]:
    """The outcomes called back at a time of day, and the callbacks scheduled per day."""
    timed = results.scenario.retry.callback_at
    if not timed:
        return []
    rows = [
        (
            str(outcome),
            format_value(at.hour),
            "any working day" if at.weekday is None else _WEEKDAYS[at.weekday],
        )
        for outcome, at in timed.items()
    ]
    days = results.operator_days
    per_rep = days.groupby("replication", sort=True)["callbacks_scheduled"].mean()
    ci = t_interval(per_rep.to_numpy(dtype=float))
    return [
        "<h2 id=timed-callbacks>Timed callbacks</h2>",
        "<p>Outcomes called back at a time of day instead of after their delay (hours into "
        "the shift; weekdays count from the horizon's first day, a Monday). Callbacks "
        f"scheduled per operator-day, all outcomes: {_estimate(ci.mean, ci.low, ci.high)}.</p>",
        html_table(["outcome", "hour of shift", "weekday"], rows, 1),
    ]
