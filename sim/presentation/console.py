"""Plain-text tables for the terminal (the CLI prints what these functions return)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from sim.analysis.results import Results
from sim.presentation.numbers import (
    NOISE,
    format_estimate,
    format_metric_estimate,
    format_number,
    format_value,
    half_width,
)
from sim.records.kpis import RUN_HEADLINES

HEADLINE_KPIS: tuple[tuple[str, str, float, str], ...] = tuple(
    (k.name, k.headline or k.name, k.headline_scale, "%" if k.kind == "share" else "")
    for k in RUN_HEADLINES
)
"""Headline KPIs of a run, shown by the CLI and the HTML report: metric, heading, scale, unit
(``%`` for a share, shown as a percentage)."""


def summary_table(results: Results) -> str:
    """Headline KPIs, mean ± 95% CI half-width, one line per row of the summary.

    Per operator-day for each profile, each team group with a row of its own and all callers;
    per team-day for the whole team.
    """
    summary = results.summary()
    header = ["per operator-day", "callers"] + [label for _, label, _, _ in HEADLINE_KPIS]
    days = results.operator_days
    callers = {
        **days.groupby("group", observed=True)["operator"].nunique().to_dict(),
        **days.groupby("profile", observed=True)["operator"].nunique().to_dict(),
    }
    total = int(days["operator"].nunique())
    rows = []
    named = [*results.profiles(), *results.groups()]
    shown = named + (["all"] if len(named) > 1 else []) + (["team"] if total > 1 else [])
    for profile in shown:
        part = summary[summary["profile"] == profile].set_index("metric")
        n = int(callers.get(profile, total))
        row = ["team (per team-day)" if profile == "team" else profile, str(n)]
        for metric, _, scale, unit in HEADLINE_KPIS:
            mean, half = part.at[metric, "mean"], part.at[metric, "half_width"]
            row.append(format_estimate(mean * scale, half * scale, unit))
        rows.append(row)
    return _table(header, rows)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            h.rjust(w) if i else h.ljust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    ]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append(
            "  ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    return "\n".join(lines)


def _with_half(mean: float, low: float, high: float, unit: str = "") -> str:
    return format_estimate(mean, half_width(low, high), unit)


def precision_line(report: dict) -> str:
    """One line on a precision target: reached or not, after how many replications."""
    metric = report["metric"] + ("" if report["profile"] == "all" else f" ({report['profile']})")
    achieved = report.get("relative_half_width")
    got = f"{achieved:.1%}" if isinstance(achieved, float) else "n/a"
    status = "reached" if report["reached"] else "NOT reached (cap --max-replications)"
    return (
        f"Precision target {report['relative']:.1%} on {metric}: {status} after "
        f"{report['replications']} replications (CI half-width {got} of the mean)"
    )


def quota_table(results: Results, level: float = 0.95) -> str:
    """Per profile (and team group) with a quota, one line per part of the quota.

    Each line: the part, the share of operator-days meeting it, and the norms of its unit met
    on 50/80/95% of operator-days; the first line of a profile also gives the share meeting
    the whole quota (every part on the same day).
    """
    from sim.analysis.quota import quota_attainment, spoken_amount

    frame = quota_attainment(results, level)
    if frame.empty:
        return ""
    header = [
        "profile",
        "quota",
        "part",
        "P(part met)",
        "P(whole quota met)",
        "norm met on 50%",
        "80%",
        "95% of days",
    ]
    rows = []
    for r in frame.to_dict("records"):
        first = r["part"] == 1
        unit = str(r["unit_label"])
        rows.append(
            [
                r["profile"] if first else "",
                r["quota"] if first else "",
                spoken_amount(float(r["target"]), unit),
                _percent(r["p_part"], r["p_part_low"], r["p_part_high"]),
                _percent(r["p_met"], r["p_met_low"], r["p_met_high"]) if first else "",
                *(
                    _with_half(r[f"norm_p{s}"], r[f"norm_p{s}_low"], r[f"norm_p{s}_high"], unit)
                    for s in (50, 80, 95)
                ),
            ]
        )
    return _table(header, rows)


def _percent(share: float, low: float, high: float) -> str:
    return _with_half(100 * share, 100 * low, 100 * high, "%")


def comparison_table(table: pd.DataFrame, metrics: Sequence[str], profile: str = "all") -> str:
    """Headline metrics: each scenario's mean ± half-width, differences and CRN ratios."""
    labels = list(dict.fromkeys(table["label"]))
    base = labels[0]
    part = table[(table["profile"] == profile) & table["metric"].isin(metrics)]
    header = [
        "metric",
        *labels,
        *(f"{lab} - {base}" for lab in labels[1:]),
        *(f"var ratio {lab}" for lab in labels[1:]),
    ]
    rows = []
    for metric in metrics:
        cells = part[part["metric"] == metric].set_index("label")
        if cells.empty:
            continue
        row = [metric]
        for lab in labels:
            c = cells.loc[lab] if lab in cells.index else None
            row.append(
                "-"
                if c is None
                else format_metric_estimate(metric, c["mean"], c["ci_low"], c["ci_high"])
            )
        for lab in labels[1:]:
            c = cells.loc[lab] if lab in cells.index else None
            row.append(
                "-"
                if c is None
                else format_metric_estimate(
                    metric,
                    c["diff_mean"],
                    c["diff_ci_low"],
                    c["diff_ci_high"],
                    difference=True,
                    of=c["mean"],
                )
            )
        for lab in labels[1:]:
            c = cells.loc[lab] if lab in cells.index else None
            row.append("-" if c is None else format_number(_ratio(c["var_ratio"]), 2))
        rows.append(row)
    return _table(header, rows)


def _ratio(value: float) -> float:
    """A variance ratio, with floating-point noise of 0 (identical differences) written 0."""
    return 0.0 if abs(value) <= NOISE else value


def sweep_table(
    table: pd.DataFrame,
    varied: Sequence[str],
    metrics: Sequence[str],
    profile: str = "all",
    marginal: bool = False,
) -> str:
    """One line per sweep point: the varied values and each metric's mean ± half-width.

    With ``marginal``, each cell is instead the change from the previous point per unit of
    the varied parameter (``marginal_*`` columns of ``sweep.csv``): what one more unit brings.
    """
    part = table[(table["profile"] == profile) & table["metric"].isin(metrics)]
    if marginal:
        part = part.drop(columns=["mean", "ci_low", "ci_high"]).rename(
            columns={
                "marginal_mean": "mean",
                "marginal_ci_low": "ci_low",
                "marginal_ci_high": "ci_high",
            }
        )
    header = ["point", *varied, *metrics]
    rows = []
    for point, cells in part.groupby("point", sort=True):
        cells = cells.set_index("metric")
        first = cells.iloc[0]
        row = [
            str(point),
            *(
                format_value(first[v]) if isinstance(first[v], float) else str(first[v])
                for v in varied
            ),
        ]
        for metric in metrics:
            c = cells.loc[metric] if metric in cells.index else None
            row.append(
                "-"
                if c is None
                else format_metric_estimate(metric, c["mean"], c["ci_low"], c["ci_high"])
            )
        rows.append(row)
    return _table(header, rows)


def warning_lines(manifest: dict[str, Any]) -> list[str]:
    """The warnings a results folder's manifest keeps, one line each, ready to print.

    A run's ``warnings`` is a list; a comparison's or sweep's maps each run label to its list
    (each line then names the run). Anything malformed is skipped, not trusted.
    """
    found = manifest.get("warnings") or []
    by_label = found.items() if isinstance(found, dict) else [(None, found)]
    lines = []
    for label, warnings in by_label:
        for warning in warnings if isinstance(warnings, list) else []:
            message = warning.get("message") if isinstance(warning, dict) else None
            if isinstance(message, str):
                lines.append(f"warning: {label}: {message}" if label else f"warning: {message}")
    return lines


def callers_spread_table(results: Results) -> str:
    """Per profile: each caller's month (calls, DM contacts, meetings), spread between callers.

    Mean per caller-month with the 10th-90th percentile range between callers, and the share of
    callers whose days met their quota on at least 80% of the horizon's days.
    """
    from sim.analysis.callers import callers_table

    table = callers_table(results.operator_days)
    header = ["per caller-month", "callers", "calls", "DM contacts", "meetings",
              "callers meeting quota on 80% of days"]  # fmt: skip
    rows = []
    for profile, part in table.groupby("profile", sort=False):
        by_metric = part.set_index("metric")
        cells = [
            f"{format_number(r['p50'])} ({format_number(r['p10'])}-{format_number(r['p90'])})"
            for _, r in by_metric.reindex(
                ["calls_excl_busy_no_answer", "dm_contacts", "meetings"]
            ).iterrows()
        ]
        attaining = by_metric["callers_attaining"].iloc[0]
        rows.append(
            [
                str(profile),
                f"{by_metric['callers'].iloc[0]:g}",
                *cells,
                "-" if attaining != attaining else f"{100 * attaining:.0f}%",
            ]
        )
    return _table(header, rows)
