"""Checks made before the first replication of any experiment (run, compare, sweep).

Everything that would otherwise fail late, after minutes of simulation, is checked here
first: the output folder (never the file-system root, the working folder or one of its
parents), the names the results will be written under (the folder, its ``.partial`` work
folder, the staging folder, ``runs/<label>/`` of each scenario) against the file system's
name and path limits, the labels of the runs as folder names, the documented maxima
(replications, runs, worker processes) and the estimate of time and memory
(:mod:`sim.execution.limits`).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from sim.errors import ExperimentError
from sim.execution.limits import (
    MAX_REPLICATIONS,
    MAX_RUNS,
    check_count,
    check_jobs,
    check_resources,
)
from sim.execution.plan import ExperimentPlan

__all__ = ["check_label", "check_output_path", "preflight"]

_STAGING_EXTRA = len(".callsim-staging-") + 2 + 10 + 8
"""Bytes a staging folder's name adds to the results folder's (dot, pid, dash, random)."""
_LONGEST_FILE = "operator_days.parquet.tmp-0123456789abcdef"
"""Longer than any file name callsim writes inside a results folder."""


def _name_max(directory: Path) -> int:
    """The longest file name (bytes) the file system holding ``directory`` allows."""
    for parent in (directory, *directory.parents):
        try:
            return int(os.pathconf(parent, "PC_NAME_MAX"))
        except (OSError, ValueError, AttributeError):
            continue
    return 255


def _path_max(directory: Path) -> int:
    for parent in (directory, *directory.parents):
        try:
            return int(os.pathconf(parent, "PC_PATH_MAX"))
        except (OSError, ValueError, AttributeError):
            continue
    return 4096


def _encoded(text: str, what: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise ExperimentError(
            f"{what} {text.encode('utf-8', 'backslashreplace').decode()!r} is not valid UTF-8"
        ) from None


def check_output_path(directory: str | os.PathLike[str]) -> Path:
    """``directory`` as a results folder, or :class:`ExperimentError` saying why it cannot be.

    Refused even with ``force``: the root, the working folder or one of its parents (replacing
    it would remove the folder the user works in), a name that is empty or not UTF-8, and a
    name so long that its work or staging folder would exceed the file system's name limit.
    """
    path = Path(directory)
    text = os.fspath(path)
    _encoded(text, "the output folder")
    if not text or "\0" in text:
        raise ExperimentError("the output folder name is empty or holds a NUL character")
    resolved = path.resolve()
    cwd = Path.cwd().resolve()
    if resolved == Path(resolved.anchor) or resolved == cwd or resolved in cwd.parents:
        raise ExperimentError(
            f"refusing to write results to {text!r}: it is the root, the working folder or "
            "one of its parents; give a new folder, e.g. --out results/my-run"
        )
    name_bytes = len(_encoded(resolved.name, "the output folder"))
    limit = _name_max(resolved.parent)
    if name_bytes + _STAGING_EXTRA > limit:
        raise ExperimentError(
            f"the output folder name is {name_bytes} bytes long; its staging folder needs "
            f"{_STAGING_EXTRA} more and the file system allows {limit}: use a name of at most "
            f"{limit - _STAGING_EXTRA} bytes"
        )
    return resolved


def check_label(label: str, directory: Path | None = None) -> None:
    """Refuse a run label that cannot name the folder ``runs/<label>/``.

    A compare label is the scenario file's stem: ``...yaml`` gives ``..``, which would write
    outside the comparison folder.
    """
    data = _encoded(label, "the run label")
    if (
        not label
        or label.startswith(".")
        or any(c in label for c in "/\\\0")
        or not label.isprintable()
    ):
        raise ExperimentError(
            f"the run label {label!r} (a scenario file's name without .yaml) cannot name a "
            "folder: rename the file to start with a letter or digit"
        )
    limit = _name_max(directory) if directory is not None else 255
    if len(data) > limit:
        raise ExperimentError(
            f"the run label {label[:40]!r}... is {len(data)} bytes; the file system allows "
            f"{limit}: rename the scenario file"
        )


def preflight(
    plan: ExperimentPlan,
    directory: Path | None,
    *,
    jobs: int,
    workers: int,
    force: bool,
    max_replications: int | None = None,
) -> None:
    """Every check that can be made before the first replication (see module docstring)."""
    check_count(plan.replications, MAX_REPLICATIONS, "replications")
    if max_replications is not None:
        check_count(max_replications, MAX_REPLICATIONS, "replications (--max-replications)")
    check_count(len(plan.runs), MAX_RUNS, "scenarios in one experiment")
    check_jobs(jobs)
    folded = [label.casefold() for label in plan.labels]
    if len(set(folded)) != len(folded):
        raise ExperimentError(
            f"run labels {plan.labels} differ only in upper and lower case, which collide on "
            "some file systems: rename the scenario files"
        )
    if directory is not None:
        resolved = check_output_path(directory)
        longest_label = max((len(_encoded(x, "the run label")) for x in plan.labels), default=0)
        deepest = len(os.fsencode(resolved)) + 1 + len("runs/") + longest_label + 1
        deepest += len(_LONGEST_FILE) + len(".partial")
        if deepest > _path_max(resolved.parent):
            raise ExperimentError(
                f"{os.strerror(errno.ENAMETOOLONG)}: files under {resolved} would have paths "
                f"of {deepest} bytes, more than the file system's {_path_max(resolved.parent)}"
            )
        for label in plan.labels:
            check_label(label, resolved.parent)
    else:
        for label in plan.labels:
            check_label(label)
    check_resources(plan, workers, directory is None, force)
