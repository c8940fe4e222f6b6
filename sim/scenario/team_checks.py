"""The team checked against the scenario's profiles and segments.

Every group must name a defined (or preset) profile, carry a label no other group has and a
name that can be a results row, and call at least one defined segment with a positive weight;
the team as a whole must have a caller. Errors name the group (:class:`NestedValueError`), so
the report points at its line.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from sim.scenario.base import NestedValueError, did_you_mean
from sim.scenario.names import check_group_name
from sim.scenario.presets import PROFILE_PRESETS
from sim.scenario.team import Profile, TeamGroup, group_labels

__all__ = ["check_team"]


def check_team(
    team: list[TeamGroup], profiles: Mapping[str, Profile], segments: Mapping[str, Any]
) -> list[TeamGroup]:
    """``team`` if it resolves against ``profiles`` and ``segments`` (by name); else raise.

    Raises ``ValueError`` (:class:`NestedValueError` for one group's fault).
    """
    if sum(group.count for group in team) == 0:
        raise ValueError("the team has no callers: give at least one group a count of 1 or more")
    labels = group_labels(team)
    seen: set[str] = set()
    for i, (group, label) in enumerate(zip(team, labels, strict=True)):
        if group.profile not in profiles:
            known = sorted(set(profiles) | set(PROFILE_PRESETS))
            close = difflib.get_close_matches(group.profile, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise NestedValueError(
                f"{group.profile!r} is not a defined or preset profile "
                f"(known: {', '.join(known)}){hint}",
                i,
                "profile",
            )
        if label in seen:
            raise NestedValueError(f"two groups named {label!r}; set `name`", i)
        seen.add(label)
        if group.name is not None:
            check_group_name(group.name, group.profile, set(profiles), i)
            if group.name == group.profile and sum(g.profile == label for g in team) > 1:
                raise NestedValueError(
                    f"group name {label!r} is its profile's name, but the profile has "
                    f"several groups and its results row covers them all: give this "
                    "group another name",
                    i,
                    "name",
                )
        if group.segments is not None:
            weights = group.segments
        else:
            weights = profiles[group.profile].segments or dict.fromkeys(segments, 1.0)
        where = (i, "segments") if group.segments is not None else (i,)
        unknown = sorted(set(weights) - set(segments))
        if unknown:
            raise NestedValueError(
                f"group {label} calls unknown segment(s) {unknown}; "
                f"defined: {sorted(segments)}{did_you_mean(unknown, segments)}",
                *where,
            )
        if not any(w > 0 for w in weights.values()):
            raise NestedValueError(f"group {label} has no segment with weight > 0", *where)
    return team
