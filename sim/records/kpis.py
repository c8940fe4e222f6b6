"""The KPI registry: every metric callsim reports, in one table.

Each :class:`Kpi` says what a metric is (its name, the words on an axis, its unit and kind),
how it is summarised and shown, and where it comes from. Every list of metrics elsewhere is
derived from :data:`KPIS`: the count and minute columns of the tables, the metrics summarised
per operator-day, the ratio metrics, chart labels, the headlines of the console and the
report, the metrics of forest plots and sweep charts, and what a quota may count. Adding a KPI
is one entry here (plus, for a new recorded count, the outcome or path it counts in
:mod:`sim.model.outcomes`).

Kinds and how each is summarised per replication (see :mod:`sim.analysis.estimator`):

- ``count``, ``minutes``, ``cost``, ``units``: the mean per operator-day;
- ``share``: the share of operator-days on which it holds (``quota_met``);
- ``ratio``: a ratio of totals, ``scale * sum(numerator) / sum(denominator)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sim.errors import UnknownNameError

KpiKind = Literal["count", "minutes", "cost", "units", "share", "ratio"]
KpiSource = Literal["attempts", "day", "quota", "pay", "totals"]


@dataclass(frozen=True)
class Kpi:
    """One metric: what it is, where it comes from, how it is shown.

    ``source`` is where the value comes from: ``attempts`` (summed from the attempts of a
    segment-day: a column of both operator-day and segment-day tables), ``day`` (the caller's
    day as a whole: breaks, idle time, overrun), ``quota`` and ``pay`` (evaluated per
    operator-day from the profile), or ``totals`` (a ratio of other metrics' totals).
    """

    name: str
    label: str
    """How the metric reads on an axis (per operator-day unless a ratio or a share)."""
    unit: str
    """Unit of one value, e.g. ``dials``, ``min``, ``currency``."""
    kind: KpiKind
    source: KpiSource
    fmt: str = "{:.1f}"
    """Display format of a mean."""
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    """Ratios: ``scale * numerator / denominator`` (e.g. 100 for "per 100 calls")."""
    headline: str | None = None
    """Column heading when the console and the report show it among a run's headlines."""
    headline_scale: float = 1.0
    """Factor applied to the headline (e.g. 1/60 to show minutes as hours)."""
    headline_fmt: str | None = None
    compared: bool = False
    """Shown by ``callsim compare`` and its forest plot."""
    swept: bool = False
    """Drawn in sweep charts and printed by ``callsim sweep``."""
    spoken: str | None = None
    """The unit as a quota is spoken ("60 calls", "12 needs"); the name if None."""


# fmt: off
KPIS: tuple[Kpi, ...] = (
    Kpi("dials", "dials", "dials", "count", "attempts", headline="dials/day"),
    Kpi("busy", "busy signals", "dials", "count", "attempts"),
    Kpi("no_answer", "unanswered dials", "dials", "count", "attempts"),
    Kpi("invalid", "invalid numbers", "dials", "count", "attempts"),
    Kpi("answered", "connects (someone answered)", "dials", "count", "attempts",
        headline="connects/day", spoken="connects"),
    Kpi("calls_excl_busy_no_answer", "calls (busy and no-answer excluded)", "calls", "count",
        "attempts", spoken="calls"),
    Kpi("gatekeeper_contacts", "gatekeeper conversations", "conversations", "count",
        "attempts"),
    Kpi("gatekeeper_passed", "gatekeepers passed", "conversations", "count", "attempts"),
    Kpi("referrals", "referral transfers", "hops", "count", "attempts"),
    Kpi("dm_contacts", "decision-maker contacts", "contacts", "count", "attempts",
        headline="DM contacts/day", compared=True, swept=True, spoken="DM contacts"),
    Kpi("needs_immediate", "immediate needs", "needs", "count", "attempts", fmt="{:.2f}",
        spoken="immediate needs"),
    Kpi("needs_long_term", "long-term needs", "needs", "count", "attempts", fmt="{:.2f}"),
    Kpi("needs", "needs discovered", "needs", "count", "attempts", fmt="{:.2f}",
        headline="needs/day", compared=True),
    Kpi("meetings", "meetings booked", "meetings", "count", "attempts", fmt="{:.2f}",
        headline="meetings/day", compared=True, swept=True),
    Kpi("callbacks_scheduled", "callbacks scheduled", "callbacks", "count", "attempts"),
    Kpi("talk_min", "air time, min", "min", "minutes", "attempts", headline="air time h/day",
        headline_scale=1 / 60, headline_fmt="{:.2f}"),
    Kpi("dial_min", "dialling time, min", "min", "minutes", "attempts"),
    Kpi("wrap_min", "wrap-up time, min", "min", "minutes", "attempts"),
    Kpi("break_min", "break time, min", "min", "minutes", "day"),
    Kpi("idle_min", "idle time, min", "min", "minutes", "day"),
    Kpi("overrun_min", "overrun past the shift, min", "min", "minutes", "day"),
    Kpi("quota_units", "quota units", "quota units", "units", "quota"),
    Kpi("quota_met", "share of operator-days meeting the quota", "share of days", "share",
        "quota", fmt="{:.0%}", headline="quota met", headline_scale=100.0,
        headline_fmt="{:.0f}%", compared=True, swept=True),
    Kpi("cost", "cost", "currency", "cost", "pay", fmt="{:,.0f}", compared=True),
    Kpi("cost_per_dm_contact", "cost per DM contact", "currency", "ratio", "totals",
        fmt="{:,.0f}", numerator="cost", denominator="dm_contacts"),
    Kpi("cost_per_meeting", "cost per meeting", "currency", "ratio", "totals", fmt="{:,.0f}",
        numerator="cost", denominator="meetings", headline="cost/meeting", compared=True,
        swept=True),
    Kpi("dm_contacts_per_10k", "DM contacts per 10,000 of pay", "contacts/10,000", "ratio",
        "totals", fmt="{:.2f}", numerator="dm_contacts", denominator="cost", scale=10_000.0,
        compared=True),
    Kpi("meetings_per_10k", "meetings per 10,000 of pay", "meetings/10,000", "ratio", "totals",
        fmt="{:.3f}", numerator="meetings", denominator="cost", scale=10_000.0, compared=True,
        swept=True),
    Kpi("meetings_per_talk_hour", "meetings per hour on air", "meetings/h", "ratio", "totals",
        fmt="{:.2f}", numerator="meetings", denominator="talk_min", scale=60.0),
    Kpi("needs_per_100_calls", "needs per 100 calls", "needs/100 calls", "ratio", "totals",
        fmt="{:.2f}", numerator="needs", denominator="calls_excl_busy_no_answer", scale=100.0),
)
# fmt: on
"""Every KPI, in the order tables and summaries list them."""

KPI_BY_NAME: dict[str, Kpi] = {kpi.name: kpi for kpi in KPIS}

COUNT_COLUMNS: tuple[str, ...] = tuple(
    k.name for k in KPIS if k.kind == "count" and k.source == "attempts"
)
"""Funnel counts reported per operator-day and per segment-day."""
MINUTE_COLUMNS: tuple[str, ...] = tuple(
    k.name for k in KPIS if k.kind == "minutes" and k.source == "attempts"
)
"""Minutes of the attempts (dialling, talking, wrapping up), per operator-day and segment-day."""
DAY_MINUTE_COLUMNS: tuple[str, ...] = tuple(k.name for k in KPIS if k.source == "day")
"""Minutes of the caller's day outside attempts, per operator-day."""
PER_DAY_METRICS: tuple[str, ...] = tuple(k.name for k in KPIS if k.kind != "ratio")
"""Metrics summarised as means per operator-day (a share is a mean of 0/1)."""
RATIO_METRICS: dict[str, tuple[str, str, float]] = {
    k.name: (k.numerator, k.denominator, k.scale)
    for k in KPIS
    if k.kind == "ratio" and k.numerator is not None and k.denominator is not None
}
"""Ratio metrics: ``name -> (numerator, denominator, scale)``, totals within a replication."""
HEADLINE_METRICS: tuple[str, ...] = tuple(k.name for k in KPIS if k.compared)
"""Metrics printed by ``callsim compare`` and drawn in its forest plot."""
SWEPT_METRICS: tuple[str, ...] = tuple(k.name for k in KPIS if k.swept)
"""Metrics drawn in sweep charts and printed by ``callsim sweep``."""
RUN_HEADLINES: tuple[Kpi, ...] = tuple(k for k in KPIS if k.headline is not None)
"""The headline KPIs of a run (console and report), in order."""


def spoken_unit(name: str) -> str:
    """How a quota counting ``name`` is spoken: ``calls_excl_busy_no_answer`` -> ``calls``."""
    found = KPI_BY_NAME.get(name)
    return (found.spoken or found.name) if found is not None else name.replace("_", " ")


def kpi(name: str) -> Kpi:
    """The KPI called ``name`` (KeyError listing the known names if there is none)."""
    try:
        return KPI_BY_NAME[name]
    except (KeyError, TypeError):  # TypeError: a name that cannot be a key (a list)
        raise UnknownNameError(
            f"unknown metric {name!r}; known: {', '.join(KPI_BY_NAME)}"
        ) from None


def metric_label(name: str) -> str:
    """How ``name`` reads on an axis: ``dm_contacts`` -> ``decision-maker contacts``."""
    found = KPI_BY_NAME.get(name)
    return found.label if found is not None else name.replace("_", " ")


def is_per_day(name: str) -> bool:
    """True for a metric shown per operator-day (not a ratio or a share)."""
    found = KPI_BY_NAME.get(name)
    return found is not None and found.kind not in ("ratio", "share")
