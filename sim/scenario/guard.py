"""Size limits on YAML text, checked before any Python object is built from it.

A scenario file (or a ``--set`` / ``--vary`` value) is first read as a stream of YAML *events*
(PyYAML's parser is a state machine, not a recursion), counting the nodes the document would
build and how deeply they nest. Only text within the limits is composed and constructed, so a
50 MB list, a document nested tens of thousands of levels deep (which would overflow Python's
recursion limit) or a "billion laughs" file (a few anchors whose aliases expand to billions of
nodes) is refused in milliseconds with the limit stated. An alias counts as the whole subtree
it stands for, because that is what construction builds.

A mapping handed to the Python API (:func:`sim.scenario_from_mapping`) skips the YAML text, so
:func:`check_mapping_limits` walks it, without recursion, under the same node and depth limits:
a list or mapping reached twice counts each time (as an alias does), and one that contains
itself is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import yaml

__all__ = [
    "MAX_SCENARIO_BYTES",
    "MAX_SCENARIO_DEPTH",
    "MAX_SCENARIO_NODES",
    "MAX_VALUE_BYTES",
    "MAX_VALUE_DEPTH",
    "MAX_VALUE_NODES",
    "YamlLimitError",
    "check_mapping_limits",
    "check_yaml_limits",
    "load_value",
]

MAX_SCENARIO_BYTES = 2_000_000
"""Largest scenario file read, bytes (the shipped scenarios are under 10 KB)."""
MAX_SCENARIO_NODES = 200_000
"""Most YAML nodes (scalars, lists, mappings; aliases expanded) in a scenario file."""
MAX_SCENARIO_DEPTH = 40
"""Deepest nesting of lists and mappings in a scenario file (the schema needs 6)."""
MAX_VALUE_BYTES = 100_000
"""Largest ``--set`` / ``--vary`` value on the command line, bytes."""
MAX_VALUE_NODES = 20_000
"""Most YAML nodes in one command-line value."""
MAX_VALUE_DEPTH = 10
"""Deepest nesting of lists and mappings in one command-line value."""


class YamlLimitError(ValueError):
    """YAML text over a size, node-count or depth limit, or with aliases where none may be."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class _Open:
    """A list or mapping being read: its anchor, nodes before it, its depth, deepest inside."""

    anchor: str | None
    start_nodes: int
    depth: int
    deepest: int


def check_yaml_limits(
    source: str | bytes,
    *,
    max_bytes: int = MAX_SCENARIO_BYTES,
    max_nodes: int = MAX_SCENARIO_NODES,
    max_depth: int = MAX_SCENARIO_DEPTH,
    aliases: bool = True,
) -> None:
    """Raise :class:`YamlLimitError` if ``source`` is over a limit; build nothing from it.

    ``aliases=False`` refuses anchors and aliases altogether (command-line values need none).
    YAML syntax errors met on the way propagate as :class:`yaml.YAMLError`.
    """
    size = len(source.encode("utf-8", "surrogateescape") if isinstance(source, str) else source)
    if size > max_bytes:
        raise YamlLimitError(f"the text is {size:,} bytes; the limit is {max_bytes:,} bytes")
    loader = yaml.SafeLoader(source)
    try:
        _walk_events(loader, max_nodes, max_depth, aliases)
    finally:
        loader.dispose()


def _walk_events(loader: yaml.SafeLoader, max_nodes: int, max_depth: int, aliases: bool) -> None:
    nodes = 0
    stack: list[_Open] = []
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (nodes, levels below and including it)
    while loader.check_event():
        event = loader.get_event()
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        anchor = getattr(event, "anchor", None)
        if not aliases and (isinstance(event, yaml.AliasEvent) or anchor is not None):
            raise YamlLimitError("YAML anchors and aliases (&name, *name) are not allowed", line)
        depth = len(stack)
        reached = depth
        if isinstance(event, yaml.AliasEvent):
            count, levels = sizes.get(event.anchor or "", (1, 0))
            nodes += count
            reached = depth + levels
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
            if anchor is not None:
                sizes[anchor] = (1, 0)
        elif isinstance(event, yaml.CollectionStartEvent):
            nodes += 1
            stack.append(_Open(anchor, nodes - 1, depth + 1, depth + 1))
            reached = depth + 1
        elif isinstance(event, yaml.CollectionEndEvent):
            closed = stack.pop()
            if closed.anchor is not None:
                sizes[closed.anchor] = (nodes - closed.start_nodes, closed.deepest - depth + 1)
            reached = closed.deepest
        if stack:
            stack[-1].deepest = max(stack[-1].deepest, reached)
        _check_counts(nodes, reached, max_nodes, max_depth, line)


_YAML_NODES = "YAML nodes (values, lists, mappings; aliases count as the nodes they repeat)"
_PYTHON_NODES = "values (keys, values, lists, mappings; one reached twice counts twice)"


def _check_counts(
    nodes: int,
    depth: int,
    max_nodes: int,
    max_depth: int,
    line: int | None,
    what: str = _YAML_NODES,
) -> None:
    if depth > max_depth:
        raise YamlLimitError(f"lists and mappings nest more than {max_depth} levels deep", line)
    if nodes > max_nodes:
        raise YamlLimitError(f"more than {max_nodes:,} {what}", line)


_DONE = object()
_CONTAINERS = (list, tuple, set, frozenset)
"""Python values walked into as lists (what a validator may read as one)."""


def _children(value: object) -> Iterator[object] | None:
    """The keys and values of a mapping, the items of a list; None for a single value."""
    if isinstance(value, Mapping):
        return (part for item in value.items() for part in item)
    if isinstance(value, _CONTAINERS):
        return iter(value)
    return None


def check_mapping_limits(
    data: object, *, max_nodes: int = MAX_SCENARIO_NODES, max_depth: int = MAX_SCENARIO_DEPTH
) -> None:
    """Raise :class:`YamlLimitError` if ``data`` is over the scenario limits or contains itself.

    Walks mappings (keys and values) and lists, tuples and sets with an explicit stack, so a
    structure nested 100,000 levels deep or holding 10 million keys is refused after at most
    ``max_nodes`` steps, whatever its size.
    """
    nodes = 1
    first = _children(data)
    if first is None:
        return
    stack: list[Iterator[object]] = [first]
    inside: list[int] = [id(data)]  # the containers being walked, outermost first
    while stack:
        child = next(stack[-1], _DONE)
        if child is _DONE:
            stack.pop()
            inside.pop()
            continue
        nodes += 1
        children = _children(child)
        if children is not None and id(child) in inside:
            raise YamlLimitError("a list or mapping contains itself")
        depth = len(stack) + (children is not None)
        _check_counts(nodes, depth, max_nodes, max_depth, None, _PYTHON_NODES)
        if children is None:
            continue
        stack.append(children)
        inside.append(id(child))


def load_value(text: str) -> object:
    """One command-line value read as YAML (``5``, ``0.3``, ``null``, ``[1, 2]``, ``{a: 1}``).

    Within the command-line limits and without anchors or aliases; raises
    :class:`YamlLimitError` or :class:`yaml.YAMLError`.
    """
    check_yaml_limits(
        text,
        max_bytes=MAX_VALUE_BYTES,
        max_nodes=MAX_VALUE_NODES,
        max_depth=MAX_VALUE_DEPTH,
        aliases=False,
    )
    return yaml.safe_load(text)
