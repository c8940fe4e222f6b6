"""Charts per calling segment: the call funnel (chart 4) and how hard DMs are to reach (chart 7).

The funnel follows a dial down to a meeting: dials -> answered -> past the gatekeeper (no
gatekeeper, or put through) -> decision-maker (DM) reached -> need discovered -> meeting booked,
per 100 dials so profiles with different dialling speeds compare on conversion. Segment
difficulty counts, for every company called during the horizon, the attempts (and, with the call
log, the working days from the first dial) until its DM was first reached.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.analysis.results import Results
from sim.presentation.plots.common import axes_or_new, segment_colors
from sim.presentation.plots.style import profile_colors
from sim.records.lead_table import segment_codes

FUNNEL_STAGES = ("dials", "answered", "past gatekeeper", "DM reached", "need", "meeting")
"""Funnel stages, top to bottom."""
STAGE_LABELS = {"answered": "connects (answered)"}
"""How a funnel stage reads on the chart where it differs from its name in ``funnel_table``."""
_LINESTYLES = ["-", "--", "-.", ":"]


def funnel_table(results: Results) -> pd.DataFrame:
    """Funnel counts per segment and profile, per 100 dials, with stage-to-stage conversion.

    Columns ``segment, profile, stage, per_100_dials, conversion``; ``conversion`` is the share
    of the previous stage that reaches this one (NaN for dials). Segment ``all`` pools segments.
    """
    frame = results.segment_days
    columns = [
        "dials",
        "answered",
        "gatekeeper_contacts",
        "gatekeeper_passed",
        "dm_contacts",
        "needs",
        "meetings",
    ]
    by_segment = frame.groupby(["segment", "profile"], observed=True)[columns].sum()
    pooled = frame.groupby("profile", observed=True)[columns].sum()
    pooled.index = pd.MultiIndex.from_product([["all"], pooled.index.astype(str)])
    by_segment.index = pd.MultiIndex.from_arrays(
        [
            by_segment.index.get_level_values(0).astype(str),
            by_segment.index.get_level_values(1).astype(str),
        ]
    )
    totals = pd.concat([by_segment, pooled])
    stopped = totals["gatekeeper_contacts"] - totals["gatekeeper_passed"]
    stages = pd.DataFrame(
        {
            "dials": totals["dials"],
            "answered": totals["answered"],
            "past gatekeeper": totals["answered"] - stopped,
            "DM reached": totals["dm_contacts"],
            "need": totals["needs"],
            "meeting": totals["meetings"],
        }
    ).astype(float)
    rows = []
    for (segment, profile), counts in stages.iterrows():
        dials = counts["dials"]
        previous = None
        for stage in FUNNEL_STAGES:
            value = counts[stage]
            conversion = value / previous if previous else np.nan
            rows.append(
                {
                    "segment": segment,
                    "profile": profile,
                    "stage": stage,
                    "per_100_dials": 100.0 * value / dials if dials else np.nan,
                    "conversion": conversion,
                }
            )
            previous = value
    return pd.DataFrame(rows)


def plot_funnel(results: Results, ax: Axes | None = None, segment: str = "all") -> Axes:
    """Chart 4 for one segment (default: all pooled): funnel bars per profile, per 100 dials.

    Each bar is labelled with its count per 100 dials and the conversion from the stage above.
    """
    profiles = results.profiles()
    ax = axes_or_new(ax, (6, 4.5))
    table = funnel_table(results)
    table = table[table["segment"] == segment]
    colors = profile_colors(profiles)
    height = 0.8 / max(len(profiles), 1)
    y_stage = np.arange(len(FUNNEL_STAGES))[::-1].astype(float)
    for k, profile in enumerate(profiles):
        part = table[table["profile"] == profile].set_index("stage").reindex(FUNNEL_STAGES)
        if part["per_100_dials"].isna().all():
            continue
        y = y_stage + 0.4 - height * (k + 0.5)
        values = part["per_100_dials"].to_numpy()
        ax.barh(y, values, height=height * 0.92, color=colors[profile], label=profile)
        for yi, value, conv in zip(y, values, part["conversion"], strict=True):
            if not np.isfinite(value):
                continue
            text = f"{value:.1f}" if value < 99.95 else "100"
            if np.isfinite(conv):
                text += f"  ({conv:.0%})"
            ax.text(value + 1.5, yi, text, va="center", fontsize=7.5)
    # The glossary's word for a dial someone picked up: the console's "connects".
    ax.set_yticks(y_stage, [STAGE_LABELS.get(stage, stage) for stage in FUNNEL_STAGES])
    ax.set_xlim(0, 142)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("per 100 dials\n(in brackets: % of the stage above)")
    ax.set_title("Call funnel, all segments" if segment == "all" else f"Call funnel: {segment}")
    ax.grid(axis="x", alpha=0.3)
    return ax


def funnel_figure(results: Results) -> Figure:
    """Chart 4 as a figure: one funnel panel per segment called (profiles side by side)."""
    table = funnel_table(results)
    segments = [s for s in results.scenario.segments if s in set(table["segment"])]
    fig, axes = plt.subplots(
        1,
        len(segments),
        figsize=(4.2 * len(segments) + 1.2, 4.6),
        sharey=True,
        constrained_layout=True,
        squeeze=False,
    )
    for ax, segment in zip(axes[0], segments, strict=True):
        plot_funnel(results, ax, segment)
        ax.set_title(f"{segment} companies")
        if ax is not axes[0][0]:
            ax.tick_params(axis="y", length=0)
    # One legend for the figure, from every panel: a profile may call only a later segment.
    found: dict[str, Any] = {}
    for ax in axes[0]:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            found.setdefault(label, handle)
    order = [p for p in results.profiles() if p in found]
    fig.legend(
        [found[p] for p in order], order, title="profile", loc="outside right center", frameon=False
    )
    fig.suptitle("Call funnel by segment and profile: dial to meeting")
    return fig


def first_dm_contact(results: Results) -> pd.DataFrame:
    """Per company called in the horizon: attempts (and days) until its DM was first reached.

    Columns ``replication, segment, attempts_to_dm, days_to_dm``: NaN where the DM was not
    reached within the horizon. ``attempts_to_dm`` is the attempt number of the first DM
    conversation and ``days_to_dm`` the working days from the first dial to it, read from the
    leads table (or, for results saved before it had those columns, from the call log).
    """
    if results.has_table("leads") and {"first_attempt_day", "dm_contact_attempt"} <= set(
        results.column_names("leads")
    ):
        # One pass in chunks, keeping four compact columns: a leads table of thousands of
        # replications is millions of rows.
        names = list(results.scenario.segments)
        columns = ["replication", "segment", "attempts", "dm_contact_attempt"]
        parts = []
        for chunk in results.column_chunks(
            "leads", [*columns, "dm_contact_day", "first_attempt_day"]
        ):
            called = chunk["attempts"].to_numpy() > 0
            part = chunk[called]
            parts.append(
                pd.DataFrame(
                    {
                        "replication": part["replication"].to_numpy(dtype=np.int32),
                        "segment": pd.Categorical.from_codes(
                            segment_codes(part["segment"], names), names
                        ),
                        "attempts_to_dm": part["dm_contact_attempt"].to_numpy(
                            dtype=np.float32, na_value=np.nan
                        ),
                        "days_to_dm": (part["dm_contact_day"] - part["first_attempt_day"]).to_numpy(
                            dtype=np.float32, na_value=np.nan
                        ),
                    }
                )
            )
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    calls = results.calls
    if calls is None:
        raise ValueError(
            "these results predate the leads table's first_attempt_day column; "
            "re-run them (or run with --call-log)"
        )
    keys = ["replication", "segment", "company"]
    first_day = calls.groupby(keys, observed=True)["day"].min()
    dm = calls[calls["dm_contact"]].groupby(keys, observed=True)[["attempt", "day"]].min()
    joined = first_day.to_frame("first_day").join(dm, how="left").reset_index()
    return pd.DataFrame(
        {
            "replication": joined["replication"].to_numpy(),
            "segment": joined["segment"].astype(str).to_numpy(),
            "attempts_to_dm": joined["attempt"].to_numpy(dtype=float),
            "days_to_dm": (joined["day"] - joined["first_day"]).to_numpy(dtype=float),
        }
    )


def _plot_reach_ecdf(
    results: Results, ax: Axes, column: str, grid: np.ndarray, data: pd.DataFrame | None
) -> Axes:
    if data is None:
        data = first_dm_contact(results)
    segments = [s for s in results.scenario.segments if s in set(data["segment"])]
    colors = segment_colors(list(results.scenario.segments))
    for k, segment in enumerate(segments):
        values = np.sort(data.loc[data["segment"] == segment, column].to_numpy(dtype=float))
        # Share of companies at or below each grid point (NaN, never reached, sorts last).
        share = np.searchsorted(values, grid, side="right") / max(len(values), 1)
        ax.step(
            grid,
            100 * share,
            where="post",
            color=colors[segment],
            linewidth=2,
            linestyle=_LINESTYLES[k % len(_LINESTYLES)],
            label=f"{segment}: {share[-1]:.0%} of {len(values) / results.replications:,.0f}"
            " companies called",
        )
    ax.set_ylim(0, 100)
    ax.set_ylabel("companies with DM reached, %")
    ax.grid(alpha=0.3)
    ax.legend(
        title="segment: DM reached / called per run",
        fontsize=8,
        title_fontsize=8,
        loc="best",
        framealpha=0.9,
    )
    return ax


def plot_attempts_to_dm(
    results: Results, ax: Axes | None = None, data: pd.DataFrame | None = None
) -> Axes:
    """Chart 7: share of companies called whose DM was reached within k attempts, per segment.

    An ECDF over every company called in the horizon; its plateau below 100% is the share
    never reached (given up, refused at the switchboard, or still being retried).
    ``data`` is :func:`first_dm_contact` of ``results`` if already computed.
    """
    ax = axes_or_new(ax)
    most = results.scenario.retry.max_attempts
    _plot_reach_ecdf(results, ax, "attempts_to_dm", np.arange(0, most + 2, dtype=float), data)
    ax.set_xlim(0, most + 0.7)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("attempts until the decision-maker was first reached")
    ax.set_title("How many attempts it takes to reach the decision-maker")
    return ax


def plot_days_to_dm(
    results: Results, ax: Axes | None = None, data: pd.DataFrame | None = None
) -> Axes:
    """Chart 7 companion: share of companies whose DM was reached within d working days.

    ``data`` is :func:`first_dm_contact` of ``results`` if already computed.
    """
    ax = axes_or_new(ax)
    days = results.scenario.horizon_days
    _plot_reach_ecdf(results, ax, "days_to_dm", np.arange(0, days + 1, dtype=float), data)
    ax.set_xlim(0, days - 0.3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("working days from the first dial until the DM was reached")
    ax.set_title("How many days it takes to reach the decision-maker")
    return ax


def segment_difficulty_figure(results: Results) -> Figure:
    """Chart 7 as a figure: attempts and days to the first DM contact, per segment."""
    fig, axes = plt.subplots(1, 2, figsize=(12.4, 4.6), constrained_layout=True, squeeze=False)
    data = first_dm_contact(results)
    plot_attempts_to_dm(results, axes[0][0], data)
    plot_days_to_dm(results, axes[0][1], data)
    legend = axes[0][0].get_legend()
    handles, labels = axes[0][0].get_legend_handles_labels()
    for ax in axes[0]:
        ax.get_legend().remove()
    fig.legend(
        handles,
        labels,
        title=legend.get_title().get_text(),
        loc="outside lower center",
        ncols=len(labels),
        frameon=False,
    )
    fig.suptitle("Segment difficulty: how quickly decision-makers are reached")
    return fig
