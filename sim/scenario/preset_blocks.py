"""Segment and profile blocks started from their presets, and names that look like a preset.

A ``segments`` or ``profiles`` block named like a preset (``medium``, ``student``) starts from
it unasked, and one with a ``preset:`` key starts from the preset that key names; a profile the
team uses without writing it out is the preset itself. A name one typo away from a preset
(``Medium``, ``students``) is refused unless ``preset:`` says what it is.
"""

from __future__ import annotations

import difflib
from typing import Any, Literal

from sim.scenario.base import NestedValueError
from sim.scenario.presets import PROFILE_PRESETS, SEGMENT_PRESETS, merge_onto_preset

__all__ = ["PRESET_KEY", "apply_presets", "check_preset_names"]

PRESET_KEY = "preset"
"""A segment or profile block's key naming the preset it starts from (``preset: medium``), or
``null`` for the schema's defaults; a block named like a preset starts from it unasked."""


def apply_presets(data: Any) -> Any:
    """A scenario mapping with each segment and profile block merged onto its preset.

    Profiles the team names that are presets and not written out are added as the preset.
    Anything but a mapping is returned as it is, for validation to refuse.
    """
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for key, presets in (("segments", SEGMENT_PRESETS), ("profiles", PROFILE_PRESETS)):
        block = data.get(key)
        if isinstance(block, dict):
            data[key] = {name: _onto_preset(name, value, presets) for name, value in block.items()}
    team = data.get("team")
    if isinstance(team, list):
        profiles = dict(data.get("profiles") or {})
        for group in team:
            name = group.get("profile") if isinstance(group, dict) else None
            if isinstance(name, str) and name in PROFILE_PRESETS and name not in profiles:
                profiles[name] = dict(PROFILE_PRESETS[name])
        data["profiles"] = profiles
    return data


def check_preset_names(value: Any, kind: Literal["segment", "profile"]) -> Any:
    """The ``segments`` or ``profiles`` block ``value``, its ``preset:`` keys checked and dropped.

    A name one typo away from a preset is an error, unless ``preset:`` says what it is:
    ``Medium:`` for ``medium:`` or ``students:`` for ``student:`` would otherwise validate
    as a new block with the schema's defaults, and change results without a word. Raises
    :class:`NestedValueError` naming the block.
    """
    if not isinstance(value, dict):
        return value
    presets = SEGMENT_PRESETS if kind == "segment" else PROFILE_PRESETS
    checked = {}
    for name, block in value.items():
        if isinstance(block, dict) and PRESET_KEY in block:
            chosen = block[PRESET_KEY]
            if chosen is not None and chosen not in presets:
                raise NestedValueError(
                    f"unknown preset {chosen!r}; the {kind} presets are "
                    f"{', '.join(presets)}, or null for none",
                    name,
                    PRESET_KEY,
                )
            block = {k: v for k, v in block.items() if k != PRESET_KEY}
        elif isinstance(name, str) and name not in presets:
            near = _near_preset(name, presets)
            if near is not None:
                raise NestedValueError(
                    f"{kind} {name!r} looks like the preset {near!r} mistyped, which would "
                    f"silently give a {kind} with the schema's defaults: write {near!r} to "
                    f"use the preset, or keep the name and say `preset: {near}` (start from "
                    "it) or `preset: null` (start from the schema's defaults)",
                    name,
                )
        checked[name] = block
    return checked


def _onto_preset(name: str, value: Any, presets: dict[str, dict[str, Any]]) -> Any:
    """A block merged onto its preset: its own name's, or the one its ``preset:`` key names.

    The ``preset`` key stays, for :func:`check_preset_names` to check and drop.
    """
    if (
        name in presets
        and isinstance(value, dict | None)
        and not (isinstance(value, dict) and PRESET_KEY in value)
    ):
        return merge_onto_preset(presets[name], value or {})
    if isinstance(value, dict) and isinstance(value.get(PRESET_KEY), str):
        chosen = value[PRESET_KEY]
        if chosen in presets:
            own = {k: v for k, v in value.items() if k != PRESET_KEY}
            return {**merge_onto_preset(presets[chosen], own), PRESET_KEY: chosen}
    return value


def _near_preset(name: str, presets: dict[str, dict[str, Any]]) -> str | None:
    """The preset ``name`` is most likely a typo of (same letters in another case, or close)."""
    for preset in presets:
        if name.lower() == preset.lower():
            return preset
    close = difflib.get_close_matches(name.lower(), list(presets), n=1, cutoff=0.8)
    return close[0] if close else None
