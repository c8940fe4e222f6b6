"""A self-contained HTML report of a results folder: charts, tables, scenario, seed, version.

One file, no external assets and no scripts: every chart is embedded as a base64 PNG, the
style sheet is inline, so the report opens offline in any browser and can be mailed around.
The report shows the same charts as ``callsim plot`` (:mod:`sim.presentation.plots.chart_set`).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import yaml
from matplotlib.figure import Figure

from sim.analysis.quota import quota_attainment
from sim.analysis.results import ALL_PROFILES, TEAM, Results
from sim.errors import ResultsDirError
from sim.presentation.console import HEADLINE_KPIS, warning_lines
from sim.presentation.numbers import (
    format_estimate,
    format_metric_estimate,
    format_value,
    half_width,
)
from sim.presentation.plots.chart_set import (
    Chart,
    ResultsFolder,
    figure_bytes,
    folder_charts,
    open_folder,
    sweep_metrics,
    sweep_profile,
)
from sim.presentation.plots.common import metric_label
from sim.records.kpis import HEADLINE_METRICS
from sim.storage.folders import REPORT_FILE, REPORT_GENERATOR, write_file_atomically

EXPERIMENT_METRICS = HEADLINE_METRICS
"""Metrics the compare table lists (when present)."""

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
       max-width: 1100px; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.lead { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.92rem; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: right; }
td { white-space: nowrap; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
thead th { background: #f4f4f4; }
figure { margin: 1.2rem 0 2rem; } figure img { max-width: 100%; height: auto; }
figcaption { color: #444; font-style: italic; margin-top: 0.3rem; }
pre { background: #f7f7f7; padding: 0.8rem; overflow-x: auto; font-size: 0.82rem; }
nav ul { columns: 2; list-style: none; padding-left: 1rem; } nav p { margin-bottom: 0; }
.muted { color: #777; font-size: 0.85rem; }
.warning { background: #fff4e5; border-left: 4px solid #e67e22; padding: 0.2rem 1rem; }
"""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _table(
    header: Sequence[str] | None, rows: Iterable[Sequence[Any]], text_columns: int = 1
) -> str:
    """An HTML table; no heading row if ``header`` is None; left-aligned text columns first."""
    head = (
        ""
        if header is None
        else "<thead><tr>"
        + "".join(
            f"<th{' class=text' if i < text_columns else ''}>{_esc(h)}</th>"
            for i, h in enumerate(header)
        )
        + "</tr></thead>"
    )
    body = []
    for row in rows:
        cells = "".join(
            f"<td{' class=text' if i < text_columns else ''}>{_esc(c)}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table>{head}<tbody>{''.join(body)}</tbody></table>"


def _value(value: Any) -> str:
    """A table cell: numbers as exact inputs (:func:`format_value`), anything else as text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_value(value)


def _facts(folder: ResultsFolder) -> list[tuple[str, str]]:
    from sim._version import __version__

    manifest = folder.manifest
    facts = [("results folder", str(folder.path)), ("kind", folder.kind)]
    if "scenario_name" in manifest:
        facts.append(("scenario", str(manifest["scenario_name"])))
    for key, name in (
        ("base_scenario", "base scenario"),
        ("baseline", "baseline"),
        ("varied", "varied"),
        ("seed", "root seed"),
        ("replications", "replications"),
        ("wall_time_s", "wall time, s"),
    ):
        if key in manifest:
            value = manifest[key]
            facts.append(
                (name, ", ".join(map(str, value)) if isinstance(value, list) else str(value))
            )
    facts.append(("written by callsim", str(manifest.get("version", "unknown"))))
    facts.append(("report by callsim", __version__))
    versions = manifest.get("versions")
    if isinstance(versions, dict):
        facts.append(("libraries", ", ".join(f"{k} {v}" for k, v in versions.items())))
    return facts


def _estimate(mean: float, low: float, high: float, unit: str = "") -> str:
    """``mean ± half-width`` of a confidence interval in the one number format."""
    return format_estimate(mean, half_width(low, high), unit, sep=" ± ")


def _warning_banner(manifest: dict[str, Any]) -> list[str]:
    """The run's warnings (list lead supply, idle callers, drift) in a banner, if any."""
    lines = warning_lines(manifest)
    if not lines:
        return []
    items = "".join(f"<li>{_esc(line.removeprefix('warning: '))}</li>" for line in lines)
    return [
        '<div class="warning" role="alert"><p><strong>Read these figures with care:</strong>'
        f"</p><ul>{items}</ul></div>"
    ]


def _run_sections(results: Results) -> list[str]:
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
    kpis = _table(["per operator-day", "callers", *(h for _, h, _, _ in HEADLINE_KPIS)], rows)

    team_rows = []
    for group, label in zip(scenario.team, scenario.group_labels, strict=True):
        spec = scenario.profiles[group.profile]
        mix = group.segments or spec.segments or {s: 1.0 for s in scenario.segments}
        quota = " and ".join(f"{q.target:g} {metric_label(q.counts)}" for q in spec.quota) or "none"
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
    team = _table(
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
                f"{r['target']:g} {unit}",
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
        _table(
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
        f"<p>{_esc(scenario.description or scenario.name)}</p>",
        f"<p>{scenario.horizon_days} working days, "
        f"shift {format_value(scenario.shift.length_min)} min "
        f"({format_value(scenario.shift.working_min)} working min after breaks), "
        f"{results.replications} replications, root seed {results.seed}.</p>",
        team,
        "<h2 id=kpis>Results per operator-day and per team-day</h2>",
        "<p>Mean per caller per working day (per profile, team group and all callers) and per "
        "team-day (the whole team's daily total) ± the half-width of its 95% confidence "
        "interval over replications (cost per meeting: ratio of totals, "
        f"{_esc(scenario.currency)}).</p>",
        kpis,
        "<h3>Daily quota: each part, and the norms operator-days attain</h3>",
        "<p>Per part of each quota: the share of operator-days meeting it, the share meeting "
        "every part on the same day, and the highest norm of the part's unit met on 50, 80 and "
        "95% of operator-days (means over replications ± 95% CI half-width; charts 3 and 8).</p>",
        norm_table,
    ]


def _compare_sections(table: pd.DataFrame) -> list[str]:
    shown = table[table["metric"].isin(EXPERIMENT_METRICS)]
    if shown.empty:
        shown = table
    rows = [
        [
            r.label,
            r.metric,
            r.profile,
            format_metric_estimate(r.metric, r.mean, r.ci_low, r.ci_high),
            format_metric_estimate(
                r.metric, r.diff_mean, r.diff_ci_low, r.diff_ci_high, difference=True
            ),
        ]
        for r in shown.itertuples()
    ]
    return [
        "<h2 id=table>Paired differences against the baseline</h2>",
        "<p>Mean per operator-day and its paired difference from the baseline (common "
        "random numbers), each ± the half-width of its 95% confidence interval.</p>",
        _table(
            ["scenario", "metric", "profile", "mean", "difference from baseline"],
            rows,
            text_columns=3,
        ),
    ]


def _sweep_sections(
    table: pd.DataFrame, varied: Sequence[str], manifest: dict[str, Any]
) -> list[str]:
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
        f"<h2 id=table>Sweep points ({_esc(profile)} callers)</h2>",
        "<p>Mean per operator-day (per team-day for the team) ± the half-width of its 95% "
        "confidence interval.</p>",
        _table([*keys, *shown], rows, text_columns=len(keys)),
    ]


def _sensitivity_sections(table: pd.DataFrame) -> list[str]:
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
                _value(row.mu_star),
                f"{_value(row.mu_star_ci_low)} to {_value(row.mu_star_ci_high)}",
                _value(row.sigma),
            ]
        rows.append(cells)
    unit = table["unit"].iloc[0] if len(table) else ""
    return [
        f"<h2 id=table>Effects on {_esc(str(table['metric'].iloc[0]))}, {_esc(str(unit))}</h2>",
        _table(header, rows),
    ]


def _charts_section(charts: list[tuple[Chart, Callable[[], Figure]]]) -> list[str]:
    parts = ["<h2 id=charts>Charts</h2>"]
    for chart, draw in charts:
        fig = draw()
        try:
            data = base64.b64encode(figure_bytes(fig, "png")).decode("ascii")
        finally:
            plt.close(fig)
        parts.append(
            f'<figure id="chart-{_esc(chart.name)}">'
            f"<h3>{chart.number}. {_esc(chart.title)}</h3>"
            f'<img src="data:image/png;base64,{data}" alt="{_esc(chart.title)}">'
            f"<figcaption>Answers: {_esc(chart.question)}</figcaption></figure>"
        )
    return parts


def build_report(directory: str | Path) -> str:
    """The HTML text of the report of ``directory`` (a run, compare or sweep folder)."""
    folder = open_folder(directory)
    manifest = folder.manifest
    appendix = []
    if folder.results is not None:
        title = f"callsim report: {folder.results.scenario.name}"
        body = _run_sections(folder.results)
        text = yaml.safe_dump(manifest["scenario"], sort_keys=False, allow_unicode=True)
        appendix = [
            "<h2 id=resolved>Resolved scenario</h2>",
            "<details><summary>Every setting the run used (YAML)</summary>"
            f"<pre>{_esc(text)}</pre></details>",
        ]
    elif folder.kind == "compare":
        labels = manifest.get("labels") or [folder.path.name]
        title = f"callsim comparison: {' vs '.join(map(str, labels))}"
        assert folder.table is not None  # a compare folder always has comparison.csv
        body = _compare_sections(folder.table)
        runs = [label for label in labels if (folder.path / "runs" / str(label)).is_dir()]
        if runs:
            appendix = [
                "<h2 id=runs>Runs</h2>",
                "<p>Each scenario's run folder has its own charts and report "
                "(<code>callsim report DIR</code>):</p>",
                "<ul>"
                + "".join(f"<li><code>runs/{_esc(label)}/</code></li>" for label in runs)
                + "</ul>",
            ]
    elif folder.kind == "sensitivity":
        title = (
            f"callsim sensitivity: {manifest.get('base_scenario', folder.path.name)}, "
            f"{manifest.get('metric')} ({manifest.get('group')})"
        )
        assert folder.table is not None  # a sensitivity folder always has effects.csv
        body = _sensitivity_sections(folder.table)
    else:
        varied = manifest.get("varied", [])
        title = (
            f"callsim sweep: {manifest.get('base_scenario', folder.path.name)} over "
            f"{', '.join(map(str, varied))}"
        )
        assert folder.table is not None  # a sweep folder always has sweep.csv
        body = _sweep_sections(folder.table, varied, folder.manifest)
    facts = _table(None, _facts(folder), text_columns=2)
    charts = folder_charts(folder)
    nav = (
        "<nav><p>Charts:</p><ul>"
        + "".join(
            f'<li>{chart.number}. <a href="#chart-{_esc(chart.name)}">{_esc(chart.title)}</a></li>'
            for chart, _ in charts
        )
        + "</ul></nav>"
    )
    page = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        REPORT_GENERATOR,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_esc(title)}</h1>",
        '<p class="lead">Monte Carlo simulation of an outbound B2B cold-calling centre.</p>',
        facts,
        *_warning_banner(manifest),
        nav,
        *body,
        *_charts_section(charts),
        *appendix,
        '<p class="muted">Generated by callsim; self-contained, no external resources.</p>',
        "</body>",
        "</html>",
    ]
    return "\n".join(page) + "\n"


def write_report(directory: str | Path, path: str | Path | None = None) -> Path:
    """Write :func:`build_report` to ``path`` (default ``directory/report.html``).

    Written atomically (a temporary name, then a rename). An existing file is replaced only
    if it is a callsim report: never a results folder's own files, never a user's file.
    """
    target = Path(path) if path is not None else Path(directory) / REPORT_FILE
    if target.is_dir():
        target = target / REPORT_FILE
    if target.exists() and not _is_report(target):
        raise ResultsDirError(f"{target} exists and is not a callsim report; choose another --out")
    text = build_report(directory)
    return write_file_atomically(target, text.encode("utf-8"))


def _is_report(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            head = stream.read(2048)
    except OSError:
        return False
    return REPORT_GENERATOR.encode() in head
