"""YAML text parsed as ``yaml.safe_load`` does, keeping what error reports need.

The node tree gives each field's line (:func:`line_maps`); keys given twice in one mapping,
which YAML would silently collapse, are found before construction; YAML syntax errors and
refused sizes become a :class:`ScenarioProblem` with the line they were found at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from sim.errors import ScenarioProblem
from sim.scenario.guard import YamlLimitError, check_yaml_limits

__all__ = ["LineMaps", "YamlPath", "line_maps", "parse_yaml", "yaml_problem", "yaml_tree"]

YamlPath = tuple[str, ...]
"""A node's path in the YAML tree: mapping keys and list indexes, as text."""
LineMaps = tuple[dict[YamlPath, int], dict[YamlPath, int]]
"""The 1-based lines of the values and of the keys, by path."""


def parse_yaml(source: str | bytes) -> tuple[Any, yaml.Node | None, list[ScenarioProblem]]:
    """Parse one YAML document as ``yaml.safe_load`` does, keeping its node tree for lines.

    Also returns the keys given twice in one mapping, found before merge keys are folded in.
    Text over the limits of :mod:`sim.scenario.guard` raises :class:`YamlLimitError` before
    any node is built.
    """
    check_yaml_limits(source)
    loader = yaml.SafeLoader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, []
        duplicates = _duplicate_keys(node)
        # construct_document also folds merge keys (<<) into the mapping nodes.
        return loader.construct_document(node), node, duplicates
    finally:
        loader.dispose()


_MERGE_TAG = "tag:yaml.org,2002:merge"
_Visit = tuple[YamlPath, yaml.Node, yaml.ScalarNode | None]


def yaml_tree(node: yaml.Node) -> Iterator[_Visit]:
    """Every node of a YAML tree once, root first, with its path and (in a mapping) its key node.

    A node reached again through an alias (``*name``) is not walked again, under its first path
    only: that stops recursive aliases, and "billion laughs" files whose aliases nest a few
    nodes into billions of paths.
    """
    seen: set[int] = set()

    def walk(current: yaml.Node, path: YamlPath, key: yaml.ScalarNode | None) -> Iterator[_Visit]:
        if id(current) in seen:
            return
        seen.add(id(current))
        yield path, current, key
        if isinstance(current, yaml.MappingNode):
            for child_key, child in current.value:
                if isinstance(child_key, yaml.ScalarNode):
                    yield from walk(child, (*path, child_key.value), child_key)
        elif isinstance(current, yaml.SequenceNode):
            for index, child in enumerate(current.value):
                yield from walk(child, (*path, str(index)), None)

    yield from walk(node, (), None)


def _duplicate_keys(node: yaml.Node) -> list[ScenarioProblem]:
    """A problem for each key given twice in one mapping (YAML would keep the last silently).

    Keys brought in by a merge (``<<: *defaults``) may be overridden: only keys written in the
    mapping itself count. What lies below a duplicate is not reported again.
    """
    problems: list[ScenarioProblem] = []
    first_line: dict[YamlPath, int] = {}
    duplicated: set[YamlPath] = set()
    for path, _, key in yaml_tree(node):
        if key is None or key.tag == _MERGE_TAG:
            continue
        line = key.start_mark.line + 1
        if path not in first_line:
            first_line[path] = line
        elif not any(path[:n] in duplicated for n in range(1, len(path))):
            duplicated.add(path)
            problems.append(
                ScenarioProblem(
                    ".".join(path),
                    f"duplicate key {key.value!r}: already given on line {first_line[path]}; "
                    "YAML would silently keep only the last",
                    line=line,
                    allowed="each key once per mapping",
                )
            )
    return problems


def yaml_problem(exc: yaml.YAMLError | YamlLimitError) -> ScenarioProblem:
    """Describe a YAML parsing error or a refused size, with the line it was found at."""
    if isinstance(exc, YamlLimitError):
        return ScenarioProblem("", f"scenario refused before reading it: {exc}", line=exc.line)
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        reason = "; ".join(part for part in (exc.context, exc.problem) if part)
        line = mark.line + 1 if mark is not None else None
        return ScenarioProblem("", f"YAML syntax error: {reason}", line=line)
    if isinstance(exc, yaml.reader.ReaderError):
        return ScenarioProblem("", f"unreadable text at character {exc.position}: {exc.reason}")
    return ScenarioProblem("", f"YAML error: {exc}")


def line_maps(node: yaml.Node | None) -> LineMaps:
    """Map each path in the YAML tree to the 1-based line of its value and of its key."""
    values: dict[YamlPath, int] = {}
    keys: dict[YamlPath, int] = {}
    if node is not None:
        for path, current, key in yaml_tree(node):
            values[path] = current.start_mark.line + 1
            if key is not None:
                keys[path] = key.start_mark.line + 1
    return values, keys
