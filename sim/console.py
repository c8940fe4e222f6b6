"""Plain-text tables for the terminal (the CLI prints what these functions return)."""

from __future__ import annotations

import math

from sim.results import Results

_COLUMNS = (
    ("dials", "dials/day", 1.0, "{:.1f}"),
    ("answered", "connects/day", 1.0, "{:.1f}"),
    ("dm_contacts", "DM contacts/day", 1.0, "{:.1f}"),
    ("needs", "needs/day", 1.0, "{:.2f}"),
    ("meetings", "meetings/day", 1.0, "{:.2f}"),
    ("talk_min", "air time h/day", 1 / 60, "{:.2f}"),
    ("quota_met", "quota met", 100.0, "{:.0f}%"),
    ("cost_per_meeting", "cost/meeting", 1.0, "{:,.0f}"),
)


def _cell(mean: float, half: float, scale: float, fmt: str) -> str:
    if not math.isfinite(mean):
        return "-"
    text = fmt.format(mean * scale)
    if math.isfinite(half) and half > 0:
        text += " ±" + fmt.format(half * scale).rstrip("%")
    return text


def summary_table(results: Results) -> str:
    """Per profile: headline KPIs per operator-day, mean ± 95% CI half-width."""
    summary = results.summary()
    header = ["profile", "callers"] + [label for _, label, _, _ in _COLUMNS]
    callers = results.operator_days.groupby("profile", observed=True)["operator"].nunique()
    rows = []
    profiles = results.profiles()
    for profile in profiles + (["all"] if len(profiles) > 1 else []):
        part = summary[summary["profile"] == profile].set_index("metric")
        n = int(callers.sum()) if profile == "all" else int(callers.get(profile, 0))
        row = [profile, str(n)]
        for metric, _, scale, fmt in _COLUMNS:
            row.append(_cell(part.at[metric, "mean"], part.at[metric, "half_width"], scale, fmt))
        rows.append(row)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in
                       enumerate(zip(header, widths, strict=True)))]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in
                               enumerate(zip(r, widths, strict=True))))
    return "\n".join(lines)
