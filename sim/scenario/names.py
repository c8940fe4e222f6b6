"""Names in a scenario: what the scenario, its segments, profiles and team groups may be called.

A name becomes a results folder (the scenario's) or a row of every results table (a
segment's, profile's or group's), so it must be an identifier, not too long, and not one of
the words results use for everyone together (:data:`AGGREGATE_NAME`, :data:`TEAM_NAME`).
"""

from __future__ import annotations

from typing import Any

from sim.scenario.base import NestedValueError

__all__ = [
    "AGGREGATE_NAME",
    "MAX_NAME_LENGTH",
    "NAME_PATTERN",
    "TEAM_NAME",
    "check_block_names",
    "check_group_name",
]

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
"""What a scenario name may look like: it names the results folder."""

AGGREGATE_NAME = "all"
"""What results call every profile (or segment) together; no profile or segment may use it."""
TEAM_NAME = "team"
"""What results call the whole team as one (per team-day); no profile or segment may use it."""

MAX_NAME_LENGTH = 100
"""Longest scenario, segment or profile name, characters."""


def check_block_names(value: dict[str, Any]) -> dict[str, Any]:
    """``value`` (the ``segments`` or ``profiles`` block) if every name in it may be used.

    Raises ``ValueError`` for a name that is not letters, digits, ``_`` or ``-``, is longer
    than :data:`MAX_NAME_LENGTH` or is reserved.
    """
    for name in value:
        if not name or not name.replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"name {name!r} must be letters, digits, '_' or '-'")
        if len(name) > MAX_NAME_LENGTH:
            raise ValueError(
                f"name {name[:20]!r}... is {len(name)} characters long; "
                f"the limit is {MAX_NAME_LENGTH}"
            )
        if name in (AGGREGATE_NAME, TEAM_NAME):
            raise ValueError(
                f"name {name!r} is reserved: results use {AGGREGATE_NAME!r} for every "
                f"profile or segment together and {TEAM_NAME!r} for the whole team; "
                "choose another name"
            )
    return value


def check_group_name(name: str, profile: str, profiles: set[str], index: int) -> None:
    """Refuse a group name that could not be a results row and an operator-id prefix.

    It must be an identifier, not reserved, and not another profile's name (whose row it
    would be mistaken for).
    """
    if not name or not name.replace("_", "").replace("-", "").isalnum():
        raise NestedValueError(
            f"group name {name!r} must be letters, digits, '_' or '-'", index, "name"
        )
    if name in (AGGREGATE_NAME, TEAM_NAME):
        raise NestedValueError(
            f"group name {name!r} is reserved for every caller together ({AGGREGATE_NAME!r}) "
            f"and the whole team ({TEAM_NAME!r}); choose another name",
            index,
            "name",
        )
    if name != profile and name in profiles:
        raise NestedValueError(
            f"group name {name!r} is the name of another profile; results would show the "
            f"group as that profile: choose another name",
            index,
            "name",
        )
