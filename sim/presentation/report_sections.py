"""The HTML sections of a report: tables of a run, a comparison, a sweep or a sensitivity analysis.

Small HTML helpers (escaping, tables, numbers in the one number format) and one function per
folder kind returning its sections; :mod:`sim.presentation.report` assembles the page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from sim.analysis.quota import quota_attainment, spoken_amount
from sim.analysis.results import ALL_PROFILES, TEAM, Results
from sim.presentation.console import HEADLINE_KPIS, warning_lines
from sim.presentation.glossary import GLOSSARY
from sim.presentation.numbers import (
    format_bounds,
    format_estimate,
    format_metric_estimate,
    format_number,
    format_value,
    half_width,
)
from sim.presentation.plots.common import metric_label
from sim.presentation.plots.results_folder import sweep_metrics, sweep_profile
from sim.records.kpis import HEADLINE_METRICS, RATIO_METRICS

EXPERIMENT_METRICS = HEADLINE_METRICS
"""Metrics the compare table lists (when present)."""


def esc(value: Any) -> str:
    """``value`` as HTML text (quotes escaped too)."""
    return html.escape(str(value), quote=True)


def html_table(
    header: Sequence[str] | None, rows: Iterable[Sequence[Any]], text_columns: int = 1
) -> str:
    """An HTML table; no heading row if ``header`` is None; left-aligned text columns first."""
    head = (
        ""
        if header is None
        else "<thead><tr>"
        + "".join(
            f"<th{' class=text' if i < text_columns else ''}>{esc(h)}</th>"
            for i, h in enumerate(header)
        )
        + "</tr></thead>"
    )
    body = []
    for row in rows:
        cells = "".join(
            f"<td{' class=text' if i < text_columns else ''}>{esc(c)}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table>{head}<tbody>{''.join(body)}</tbody></table>"


def _value(value: Any) -> str:
    """A table cell: numbers as exact inputs (:func:`format_value`), anything else as text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_value(value)


def _estimate(mean: float, low: float, high: float, unit: str = "") -> str:
    """``mean ± half-width`` of a confidence interval in the one number format."""
    return format_estimate(mean, half_width(low, high), unit, sep=" ± ")


def definitions() -> list[str]:
    """The glossary (:mod:`sim.presentation.glossary`): the words the figures are in."""
    items = "".join(
        f"<dt>{esc(term)}</dt><dd>{esc(text.replace('`', ''))}</dd>" for term, text in GLOSSARY
    )
    return ["<h2 id=definitions>Definitions</h2>", f"<dl>{items}</dl>"]


def warning_banner(manifest: dict[str, Any]) -> list[str]:
    """The run's warnings (list lead supply, idle callers, drift) in a banner, if any."""
    lines = warning_lines(manifest)
    if not lines:
        return []
    items = "".join(f"<li>{esc(line.removeprefix('warning: '))}</li>" for line in lines)
    return [
        '<div class="warning" role="alert"><p><strong>Read these figures with care:</strong>'
        f"</p><ul>{items}</ul></div>"
    ]


def run_sections(results: Results) -> list[str]:
    """A run's sections: the scenario and team, the figures, every quota part."""
    scenario = results.scenario
    summary = results.summary().set_index(["profile", "metric"])
    days = results.operator_days
    callers = {
        **days.groupby("group", observed=True)["operator"].nunique().to_dict(),
        **days.groupby("profile", observed=True)["operator"].nunique().to_dict(),
    }
    total = int(days["operator"].nunique())
    named = [*results.profiles(), *results.groups()]
    rows = []
    for profile in [
        *named,
        *([ALL_PROFILES] if len(named) > 1 else []),
        *([TEAM] if total > 1 else []),
    ]:
        row = [
            "team (per team-day)" if profile == TEAM else profile,
            str(int(callers.get(profile, total))),
        ]
        for metric, _, scale, unit in HEADLINE_KPIS:
            s = summary.loc[(profile, metric)]
            half = half_width(s["ci_low"], s["ci_high"])
            row.append(format_estimate(s["mean"] * scale, half * scale, unit))
        rows.append(row)
    kpis = html_table(["per operator-day", "callers", *(h for _, h, _, _ in HEADLINE_KPIS)], rows)

    team_rows = []
    for group, label in zip(scenario.team, scenario.group_labels, strict=True):
        spec = scenario.profiles[group.profile]
        mix = group.segments or spec.segments or {s: 1.0 for s in scenario.segments}
        quota = (
            " and ".join(f"{q.target:,.10g} {metric_label(q.counts)}" for q in spec.quota) or "none"
        )
        team_rows.append(
            [
                label,
                group.profile,
                group.count,
                ", ".join(f"{s} {format_value(w)}" for s, w in mix.items()),
                quota,
                f"{spec.pay.fixed_per_month:,.0f} {scenario.currency}/month",
            ]
        )
    team = html_table(
        ["group", "profile", "callers", "segment mix", "daily quota", "pay"],
        team_rows,
        text_columns=6,
    )

    quota_rows = []
    for r in quota_attainment(results).to_dict("records"):
        first, unit = r["part"] == 1, str(r["unit_label"])
        quota_rows.append(
            [
                r["profile"] if first else "",
                r["quota"] if first else "",
                spoken_amount(float(r["target"]), unit),
                _estimate(100 * r["p_part"], 100 * r["p_part_low"], 100 * r["p_part_high"], "%"),
                _estimate(100 * r["p_met"], 100 * r["p_met_low"], 100 * r["p_met_high"], "%")
                if first
                else "",
                *(
                    _estimate(r[f"norm_p{s}"], r[f"norm_p{s}_low"], r[f"norm_p{s}_high"], unit)
                    for s in (50, 80, 95)
                ),
            ]
        )
    norm_table = (
        html_table(
            [
                "profile",
                "quota",
                "part",
                "days meeting the part",
                "days meeting the whole quota",
                "norm met on 50% of days",
                "80%",
                "95%",
            ],
            quota_rows,
            text_columns=3,
        )
        if quota_rows
        else "<p>No caller on the team has a daily quota.</p>"
    )
    return [
        "<h2 id=scenario>Scenario</h2>",
        f"<p>{esc(scenario.description or scenario.name)}</p>",
        f"<p>{scenario.horizon_days} working days, "
        f"shift {format_value(scenario.shift.length_min)} min "
        f"({format_value(scenario.shift.working_min)} working min after breaks), "
        f"{results.replications} replications, root seed {results.seed}.</p>",
        team,
        "<h2 id=kpis>Results per operator-day and per team-day</h2>",
        "<p>Mean per caller per working day (per profile, team group and all callers) and per "
        "team-day (the whole team's daily total) ± the half-width of its 95% confidence "
        "interval over replications (cost per meeting: ratio of totals, "
        f"{esc(scenario.currency)}).</p>",
        kpis,
        "<h3>Daily quota: each part, and the norms operator-days attain</h3>",
        "<p>Per part of each quota: the share of operator-days meeting it, the share meeting "
        "every part on the same day, and the highest norm of the part's unit met on 50, 80 and "
        "95% of operator-days (means over replications ± 95% CI half-width; charts 3 and 8).</p>",
        norm_table,
    ]


def compare_sections(table: pd.DataFrame, headline: str = ALL_PROFILES) -> list[str]:
    """A comparison's section: each scenario's mean and paired difference.

    Rows are grouped by caller row, the ``headline`` group first (``team`` when the
    headcounts differ: a staffing decision compares what each team achieves per day), each
    row with its unit (per team-day, per operator-day or a ratio of totals).
    """
    shown = table[table["metric"].isin(EXPERIMENT_METRICS)]
    if shown.empty:
        shown = table
    groups = list(dict.fromkeys(shown["profile"].astype(str)))
    if headline in groups:
        groups = [headline, *(g for g in groups if g != headline)]
    ordered = pd.concat([shown[shown["profile"].astype(str) == g] for g in groups])
    rows = [
        [
            r.label,
            r.metric,
            r.profile,
            _row_unit(str(r.metric), str(r.profile)),
            format_metric_estimate(r.metric, r.mean, r.ci_low, r.ci_high),
            format_metric_estimate(
                r.metric, r.diff_mean, r.diff_ci_low, r.diff_ci_high, difference=True, of=r.mean
            ),
        ]
        for r in ordered.itertuples()
    ]
    lead = (
        "The headcounts differ, so the whole team's figures per team-day (row <code>team</code>) "
        "come first: per-caller means can point the other way. "
        if headline == TEAM
        else ""
    )
    return [
        "<h2 id=table>Paired differences against the baseline</h2>",
        f"<p>{lead}Each row's mean (per operator-day for a profile, a team group or "
        "<code>all</code>; per team-day for the <code>team</code>; ratios of totals) and its "
        "paired difference from the baseline (common random numbers), each ± the half-width of "
        "its 95% confidence interval.</p>",
        html_table(
            ["scenario", "metric", "row", "unit", "mean", "difference from baseline"],
            rows,
            text_columns=4,
        ),
    ]


def break_even_sections(found: pd.DataFrame, points: pd.DataFrame) -> list[str]:
    """``compare --break-even``'s section: the value found, its interval and each evaluation."""
    row = found.iloc[0]
    if str(row["status"]) == "found":
        estimate, bounds = format_bounds(row["break_even"], row["ci_low"], row["ci_high"])
        low, _, high = bounds.partition(" to ") if " to " in bounds else (bounds, "", bounds)
        low = ("&le; " if bool(row["ci_low_open"]) else "") + esc(low)
        high = ("&ge; " if bool(row["ci_high_open"]) else "") + esc(high)
        verdict = f"{esc(str(row['parameter']))} = <b>{esc(estimate)}</b>, 95% CI {low} to {high}"
    else:
        verdict = f"no break-even in range ({esc(str(row['status']))})"
    rows = [
        [
            format_value(p.value),
            format_number(p.scenario_mean),
            format_number(p.against_mean),
            *format_bounds(p.diff_mean, p.diff_ci_low, p.diff_ci_high, signed=True),
        ]
        for p in points.itertuples()
    ]
    return [
        "<h2 id=break-even>Break-even</h2>",
        f"<p>The value of {esc(str(row['parameter']))} in {esc(str(row['scenario']))} only, "
        f"searched in {format_value(row['low'])}..{format_value(row['high'])}, at which it equals "
        f"{esc(str(row['against']))} on {esc(str(row['metric']))} ({esc(str(row['group']))}, "
        f"{esc(str(row['unit']))}): {verdict}.</p>",
        html_table(
            [
                "value",
                str(row["scenario"]),
                str(row["against"]),
                "difference",
                "difference 95% CI",
            ],
            rows,
        ),
    ]


def _row_unit(metric: str, row: str) -> str:
    """What one value of ``metric`` in ``row`` is, as ``summary.csv``'s ``unit`` says it."""
    if metric in RATIO_METRICS:
        return "ratio"
    return "per team-day" if row == TEAM else "per operator-day"


def sweep_sections(
    table: pd.DataFrame, varied: Sequence[str], manifest: dict[str, Any]
) -> list[str]:
    """A sweep's section: each point's headline figures for the headline group."""
    profile = sweep_profile(table, manifest)
    metrics = sweep_metrics(table, profile)
    part = table[(table["profile"].astype(str) == profile) & table["metric"].isin(metrics)]
    keys = ["point", *[v for v in varied if v in table.columns]]
    shown = [m for m in metrics if m in set(part["metric"])]
    rows = []
    for _, cells in part.groupby("point", sort=True):
        by_metric = cells.set_index("metric")
        first = cells.iloc[0]
        rows.append(
            [
                *(_value(first[k]) for k in keys),
                *(
                    format_metric_estimate(
                        m,
                        by_metric.at[m, "mean"],
                        by_metric.at[m, "ci_low"],
                        by_metric.at[m, "ci_high"],
                    )
                    for m in shown
                ),
            ]
        )
    return [
        f"<h2 id=table>Sweep points ({esc(profile)} callers)</h2>",
        "<p>Mean per operator-day (per team-day for the team) ± the half-width of its 95% "
        "confidence interval.</p>",
        html_table([*keys, *shown], rows, text_columns=len(keys)),
    ]


def sensitivity_sections(table: pd.DataFrame) -> list[str]:
    """A sensitivity analysis's section: the effect of each parameter."""
    morris = bool(table["method"].eq("morris").any())
    header = ["parameter", "low", "high", "at low", "at high", "swing (95% CI)"]
    header += ["mu*", "mu* 95% CI", "sigma"] if morris else []
    rows = []
    for row in table.itertuples():
        cells = [
            row.parameter,
            _value(row.low),
            _value(row.high),
            _value(row.low_mean),
            _value(row.high_mean),
            _estimate(row.swing, row.swing_ci_low, row.swing_ci_high),
        ]
        if morris:
            cells += [
                *format_bounds(row.mu_star, row.mu_star_ci_low, row.mu_star_ci_high),
                format_number(row.sigma),
            ]
        rows.append(cells)
    unit = table["unit"].iloc[0] if len(table) else ""
    return [
        f"<h2 id=table>Effects on {esc(str(table['metric'].iloc[0]))}, {esc(str(unit))}</h2>",
        html_table(header, rows),
    ]
