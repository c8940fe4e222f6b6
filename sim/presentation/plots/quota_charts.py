"""Charts of daily quotas: how operator-days spread against the norm, and which norm is fair.

Chart 2 shows each profile's distribution of operator-days with its quota line and the share of
days that meet the quota; chart 3 turns the same distribution into an attainment curve, the
share of operator-days that would meet a norm of each level, with the norms met on 50, 80 and
95% of days. The data helpers (:func:`attainment_curve`, :func:`attainable_norms`) answer the
forum's "what norm is fair?" in numbers. Chart 8, drawn when a quota has two parts, shows which
pairs of the two parts operator-days attain together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection

from sim.analysis.estimator import profile_rows
from sim.analysis.quota import quota_frontier, row_quota
from sim.analysis.quota import quota_text as spoken_quota
from sim.analysis.results import Results
from sim.analysis.stats import t_interval
from sim.presentation.plots.common import axes_or_new, metric_label
from sim.presentation.plots.style import profile_colors
from sim.records.kpis import spoken_unit
from sim.records.quota import QUOTA_UNITS

QUOTA_UNIT_SHORT = {unit: spoken_unit(unit) for unit in QUOTA_UNITS}
"""Quota units as a quota is spoken: "60 calls", "12 needs"."""

NORM_SHARES = (0.5, 0.8, 0.95)
"""Shares of operator-days at which chart 3 marks the norm that many days meet."""
_SHARE_MARKERS = {0.5: "o", 0.8: "s", 0.95: "D"}


def quota_metric(results: Results) -> str:
    """The operator-day column a default quota chart shows: what the quotas count.

    The first quota part of the first profile on the team that has a quota (the forum's
    headline number, e.g. calls with busy/no-answer excluded); DM contacts if no one has one.
    """
    for profile in results.profiles():
        quota = results.scenario.profiles[profile].quota
        if quota:
            return str(quota[0].counts)
    return "dm_contacts"


def quota_target(results: Results, profile: str, metric: str) -> float | None:
    """The profile's daily target for ``metric``, or None if no part of its quota counts it."""
    for part in results.scenario.profiles[profile].quota:
        if part.counts == metric:
            return float(part.target)
    return None


def daily_values(results: Results, metric: str, profile: str) -> np.ndarray:
    """``metric`` on every operator-day of ``profile`` (all replications and days)."""
    frame = results.operator_days
    return frame.loc[frame["profile"] == profile, metric].to_numpy(dtype=float)


def quota_met_share(results: Results, profile: str) -> float | None:
    """Share of the profile's operator-days that meet its whole quota (None: no quota)."""
    frame = results.operator_days
    met = frame.loc[frame["profile"] == profile, "quota_met"]
    if not results.scenario.profiles[profile].quota or met.isna().all():
        return None
    return float(met.astype("Float64").mean())


def quota_text(results: Results, profile: str) -> str:
    """The profile's quota as spoken: ``120 calls + 12 needs`` (empty if it has none)."""
    return spoken_quota(results.scenario.profiles[profile].quota)


def _levels(values: np.ndarray, extra: Sequence[float] = ()) -> np.ndarray:
    top = max([float(np.nanmax(values)) if len(values) else 0.0, *extra, 1.0])
    if np.allclose(values, np.round(values)):
        return np.arange(0, int(np.ceil(top)) + 2, dtype=float)
    return np.linspace(0.0, top * 1.02, 200)


def attainment_curve(
    results: Results,
    metric: str,
    profile: str,
    levels: np.ndarray | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Share of the profile's operator-days with ``metric`` >= each quota level.

    Columns ``level, share, low, high``: ``share`` pools every operator-day; ``low``/``high``
    is a Student-t interval over replications of each replication's share.
    """
    frame = results.operator_days
    part = frame.loc[frame["profile"] == profile, ["replication", metric]]
    values = part[metric].to_numpy(dtype=float)
    if levels is None:
        levels = _levels(values)
    meets = values[:, None] >= levels[None, :]
    share = meets.mean(axis=0) if len(values) else np.full(len(levels), np.nan)
    per_rep = pd.DataFrame(meets).groupby(part["replication"].to_numpy()).mean().to_numpy()
    bands = [t_interval(per_rep[:, j], level) for j in range(len(levels))]
    low = np.array([b.low if np.isfinite(b.low) else share[j] for j, b in enumerate(bands)])
    high = np.array([b.high if np.isfinite(b.high) else share[j] for j, b in enumerate(bands)])
    return pd.DataFrame(
        {"level": levels, "share": share, "low": np.clip(low, 0, 1), "high": np.clip(high, 0, 1)}
    )


def attainable_norms(
    results: Results, metric: str | None = None, shares: Sequence[float] = NORM_SHARES
) -> pd.DataFrame:
    """The highest whole-number daily norm of ``metric`` that each share of operator-days meets.

    Columns ``profile, share, norm``: e.g. share 0.8, norm 63 means 80% of the profile's
    operator-days reach at least 63. ``metric`` defaults to :func:`quota_metric`.
    """
    metric = metric or quota_metric(results)
    rows = []
    for profile in results.profiles():
        values = np.sort(daily_values(results, metric, profile))
        for share in shares:
            # Largest whole q with P(X >= q) >= share: the (ceil(share * n))-th largest day.
            kth = values[len(values) - int(np.ceil(share * len(values) - 1e-9))]
            rows.append({"profile": profile, "share": share, "norm": float(np.floor(kth))})
    return pd.DataFrame(rows, columns=["profile", "share", "norm"])


def plot_daily_distribution(
    results: Results, ax: Axes | None = None, metric: str | None = None
) -> Axes:
    """Chart 2: the spread of operator-days per profile, with its quota line and share met.

    One violin per profile of ``metric`` per operator-day (default: what the quotas count) with
    its quartiles and median; a red line at the profile's target for ``metric`` and, above the
    violin, the share of operator-days that meet the profile's whole quota.
    """
    metric = metric or quota_metric(results)
    profiles = results.profiles()
    ax = axes_or_new(ax, (max(7.0, 2.6 * len(profiles) + 1.5), 4.8))
    colors = profile_colors(profiles)
    positions = np.arange(1, len(profiles) + 1)
    tops = []
    for pos, profile in zip(positions, profiles, strict=True):
        values = daily_values(results, metric, profile)
        color = colors[profile]
        if np.ptp(values) > 0:
            parts = ax.violinplot(values, [pos], widths=0.8, showextrema=False)
            # matplotlib types every entry as a Collection; "bodies" is a list of them
            body = cast("list[PolyCollection]", parts["bodies"])[0]
            body.set(facecolor=color, edgecolor=color, alpha=0.45)
        q1, median, q3 = np.percentile(values, [25, 50, 75])
        ax.vlines(pos, q1, q3, color=color, linewidth=5)
        ax.scatter(
            [pos],
            [median],
            color="white",
            edgecolor=color,
            zorder=3,
            s=30,
            label="median (bar: middle half of days)",
        )
        target = quota_target(results, profile, metric)
        if target is not None:
            ax.hlines(
                target, pos - 0.45, pos + 0.45, color="#C0392B", linewidth=2, label="quota target"
            )
            ax.text(pos + 0.47, target, f"{target:,.10g}", color="#C0392B", va="center", fontsize=9)
        tops.append(max(float(values.max()), target or 0.0))
    top = max(tops) * 1.18 if tops else 1.0
    for pos, profile in zip(positions, profiles, strict=True):
        share = quota_met_share(results, profile)
        text = (
            "no quota"
            if share is None
            else f"quota {quota_text(results, profile)}\nmet on {share:.0%} of days"
        )
        ax.text(
            float(pos),
            top * 0.985,
            text,
            ha="center",
            va="top",
            fontsize=9,
            color=colors[profile],
            fontweight="bold",
        )
    ax.set_xticks(positions, profiles)
    for tick, profile in zip(ax.get_xticklabels(), profiles, strict=True):
        tick.set_color(colors[profile])
    ax.set_xlim(0.3, len(profiles) + 0.8)
    ax.set_ylim(0, top * 1.1)
    ax.set_ylabel(f"{metric_label(metric)} per operator-day")
    ax.set_xlabel("caller profile (every operator-day of every replication)")
    ax.set_title(f"Daily {metric_label(metric)} per caller\nagainst the quota")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(
        unique.values(),
        unique.keys(),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.15),
        ncols=2,
        fontsize=8,
        frameon=False,
    )
    ax.grid(axis="y", alpha=0.3)
    return ax


def plot_quota_attainment(
    results: Results, ax: Axes | None = None, metric: str | None = None
) -> Axes:
    """Chart 3: share of operator-days meeting a norm of each level, per profile (95% band).

    Dotted lines mark 50/80/95% of days; the markers on each curve are the highest norms met
    on that share of days (listed in the legend), a cross is the profile's current quota.
    """
    metric = metric or quota_metric(results)
    profiles = results.profiles()
    ax = axes_or_new(ax, (9, 5.6))
    colors = profile_colors(profiles)
    targets = [t for p in profiles if (t := quota_target(results, p, metric)) is not None]
    all_values = results.operator_days[metric].to_numpy(dtype=float)
    levels = _levels(all_values, targets)
    norms = attainable_norms(results, metric)
    low_end = min([float(np.quantile(all_values, 0.005)), *targets]) if len(all_values) else 0
    x_low = max(0.0, float(np.floor(low_end * 0.85)))
    # Level labels and the legend sit outside the plot, so no curve can run under them.
    for share in NORM_SHARES:
        ax.axhline(100 * share, color="#777777", linestyle=":", linewidth=1)
        ax.text(
            1.01,
            100 * share,
            f"{share:.0%} of\ndays",
            transform=ax.get_yaxis_transform(),
            ha="left",
            va="center",
            fontsize=8,
            color="#555555",
        )
    for profile in profiles:
        color = colors[profile]
        curve = attainment_curve(results, metric, profile, levels)
        mine = norms[norms["profile"] == profile]
        label = f"{profile}: norm met on 50/80/95% of days = " + " / ".join(
            f"{n:,.10g}" for n in mine["norm"]
        )
        ax.step(curve["level"], 100 * curve["share"], where="post", color=color, label=label)
        ax.fill_between(
            curve["level"],
            100 * curve["low"],
            100 * curve["high"],
            step="post",
            color=color,
            alpha=0.2,
            linewidth=0,
        )
        for share, norm in zip(mine["share"], mine["norm"], strict=True):
            at = curve.loc[curve["level"] <= norm, "share"]
            ax.scatter(
                [norm],
                [100 * (at.iloc[-1] if len(at) else share)],
                marker=_SHARE_MARKERS.get(share, "o"),
                color=color,
                edgecolor="black",
                linewidth=0.5,
                zorder=3,
                s=28,
            )
        target = quota_target(results, profile, metric)
        if target is not None:
            met = float((daily_values(results, metric, profile) >= target).mean())
            ax.scatter(
                [target],
                [100 * met],
                marker="X",
                s=90,
                color=color,
                edgecolor="black",
                zorder=4,
                label=f"{profile}: current quota {target:,.10g} met on {met:.0%} of days",
            )
    ax.set_xlim(x_low, levels[-1])
    ax.set_ylim(0, 104)
    ax.set_xlabel(f"daily norm: {metric_label(metric)} per operator-day")
    ax.set_ylabel("operator-days meeting the norm, %")
    ax.set_title(f"Which daily norm of {metric_label(metric)} is attainable?")
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.13),
        ncols=min(len(profiles), 2),
        fontsize=8,
        frameon=False,
    )
    ax.grid(alpha=0.3)
    return ax


def two_part_rows(results: Results) -> list[str]:
    """Profiles and team groups on the team whose quota has two parts or more."""
    return [
        row for row in [*results.profiles(), *results.groups()] if len(row_quota(results, row)) >= 2
    ]


def plot_quota_frontier(
    results: Results, ax: Axes | None = None, profile: str | None = None
) -> Axes:
    """Chart 8: the attainable (part 1, part 2) pairs of a two-part quota ("120 calls + 12 needs").

    One step line per share of operator-days (50, 80, 95%): every pair on or below it is met
    together on at least that share of days (:func:`sim.analysis.quota.quota_frontier`). The
    cross is the current quota, labelled with the share of days that meet it whole.
    """
    rows = two_part_rows(results)
    if profile is None:
        if not rows:
            raise ValueError("no caller on the team has a quota of two parts or more")
        profile = rows[0]
    quota = row_quota(results, profile)
    frontier = quota_frontier(results, profile)
    ax = axes_or_new(ax, (8, 5.2))
    shades = {0.5: "#1F618D", 0.8: "#2E86C1", 0.95: "#85C1E9"}
    for share, line in frontier.groupby("share", sort=True):
        # Close each line down to zero at its last level: no pair beyond it is attainable.
        ax.step(
            [*line["first"], line["first"].iloc[-1]],
            [*line["second"], 0.0],
            where="post",
            color=shades.get(float(share), "#333333"),
            linewidth=2,
            label=f"met together on {share:.0%} of operator-days",
        )
    first, second = quota[0], quota[1]
    days = profile_rows(results.operator_days, profile)
    whole = (days[first.counts] >= first.target) & (days[second.counts] >= second.target)
    ax.scatter(
        [first.target],
        [second.target],
        marker="X",
        s=110,
        color="#C0392B",
        edgecolor="black",
        zorder=4,
        label=f"current quota {spoken_quota(quota[:2])}: met on {float(whole.mean()):.0%} of days",
    )
    ax.set_xlabel(f"part 1: {metric_label(first.counts)} per operator-day")
    ax.set_ylabel(f"part 2: {metric_label(second.counts)} per operator-day")
    ax.set_title(f"Which two-part norm is attainable? ({profile})")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    return ax
