"""The words callsim's figures are in: one definition each, used by the README and the report.

The README's "Glossary" section and the report's "Definitions" are this table (a test keeps
the README in step), and the KPI labels of :mod:`sim.records.kpis` use these words.
"""

from __future__ import annotations

GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "dial",
        "one call attempt: the caller looks up a number and dials it, whatever happens next "
        "(KPI `dials`).",
    ),
    (
        "call",
        "a dial that did not end busy or unanswered, as managers count calls for a quota "
        '("60 calls a day, busy and no-answer don\'t count"; KPI `calls_excl_busy_no_answer`).',
    ),
    (
        "connect",
        "a dial that someone picked up: a secretary, a specialist or a decision-maker. "
        "Connects and `answered` are the same count; an invalid number is not a connect.",
    ),
    (
        "DM contact",
        "a conversation with the decision-maker, the person who can say yes (KPI `dm_contacts`).",
    ),
    (
        "need",
        "a DM contact that ended in an immediate need or a long-term one "
        '("call us in half a year"); KPI `needs`, split as `needs_immediate` and '
        "`needs_long_term`.",
    ),
    ("meeting", "an immediate need that the caller booked as a meeting (KPI `meetings`)."),
    (
        "operator-day",
        "one caller's working day; also caller-day. Per operator-day figures are means over "
        "every caller and day of a row (a profile, a team group or `all`).",
    ),
    (
        "team-day",
        "the whole team's working day. Per team-day figures (row `team`) are the team's daily "
        "totals: what a staffing decision compares when headcounts differ.",
    ),
    (
        "team group",
        "callers of one profile on the team, with their own segment mix; a group with its own "
        "name (or `profile-INDEX`) is a results row of its own.",
    ),
    (
        "quota",
        'a daily norm per operator-day of one or more parts ("120 calls + 12 needs"); met on a '
        "day when every part is met.",
    ),
    (
        "norm met on 80% of days",
        "the highest whole level of a quota part that at least 80% of operator-days reach.",
    ),
    (
        "warm-up days",
        "days simulated before the horizon and left out of every figure (`warm_up_days`).",
    ),
)
"""Each term and its definition, in reading order."""


def glossary_markdown() -> str:
    """The glossary as a Markdown list (the README's "Glossary" section holds exactly this)."""
    return "\n".join(f"- **{term}**: {definition}" for term, definition in GLOSSARY)
