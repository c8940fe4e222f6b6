"""Streamed experiments on disk: the work folder of an unfinished experiment, and resuming it.

A streamed experiment writing to ``out`` keeps its finished chunks in ``<out>.partial`` (see
:mod:`sim.execution.store`) until the final folder is written; then the work folder is
deleted. If the process is interrupted or killed, ``resume`` continues from the chunks
already on disk, and the final files are identical to an uninterrupted run.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TypeVar

from sim.errors import ExperimentError
from sim.execution.plan import ExperimentPlan, plan_differences
from sim.execution.store import DiskStore

log = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"
T = TypeVar("T")


def work_dir_for(out: Path) -> Path:
    """The work folder of a streamed experiment writing to ``out``."""
    return out.with_name(out.name + PARTIAL_SUFFIX)


def resume_target(resume: str | Path) -> Path:
    """The results folder a ``--resume`` argument names (the folder or its work folder)."""
    path = Path(resume)
    if path.name.endswith(PARTIAL_SUFFIX):
        return path.with_name(path.name[: -len(PARTIAL_SUFFIX)])
    return path


def output_folder(out: str | Path | None, resume: bool | str | Path) -> Path | None:
    """The results folder of a request: ``out``, or the folder ``resume`` names.

    ``resume`` is False, True (resume ``out``) or the folder to resume. Raises
    :class:`ExperimentError` for a resume without a folder or naming a different one.
    """
    directory = Path(out) if out is not None else None
    if resume is False or resume is None:
        return directory
    if resume is True:
        if directory is None:
            raise ExperimentError("resume needs the results folder of the unfinished run")
        return resume_target(directory)
    target = resume_target(resume)
    if directory is not None and resume_target(directory) != target:
        raise ExperimentError(f"out={directory} and resume={resume} name different folders")
    return target


def stored_plan(out: Path, kind: str) -> ExperimentPlan:
    """The plan of the unfinished ``kind`` experiment writing to ``out``."""
    work = work_dir_for(out)
    if not work.is_dir():
        complete = " (it is complete)" if (out / "manifest.json").is_file() else ""
        raise ExperimentError(
            f"nothing to resume for {out}{complete}: no unfinished "
            f"experiment ({work} does not exist)"
        )
    plan = read_stored_plan(work)
    if plan.kind != kind:
        raise ExperimentError(
            f"{out} holds an unfinished {plan.kind}, not a {kind}; resume it "
            f"with 'callsim {plan.kind} --resume {out}'"
        )
    return plan


def read_stored_plan(work: Path) -> ExperimentPlan:
    """The plan of the work folder ``work`` (:class:`ExperimentError` if it is damaged)."""
    data = DiskStore.read_plan(work)
    try:
        return ExperimentPlan.from_json(data)
    except ExperimentError as error:
        problem = str(error)
    except (KeyError, TypeError, ValueError, OverflowError) as error:  # pydantic's included
        problem = f"no {error}" if isinstance(error, KeyError) else str(error).splitlines()[0]
    raise ExperimentError(
        f"{work}: the stored plan is damaged ({problem[:200]}); start over with --force"
    )


def open_disk_store(plan: ExperimentPlan, out: Path, resume: bool, force: bool) -> DiskStore:
    """Create the work folder for ``plan``, or reopen it to resume.

    Resuming checks that the stored plan is the requested one. Starting afresh over an
    unfinished experiment is refused unless ``force`` (it would throw finished work away).
    """
    work = work_dir_for(out)
    requested = plan.to_json()
    if resume:
        stored = DiskStore.read_plan(work) if work.is_dir() else None
        if stored is None:
            raise ExperimentError(f"nothing to resume for {out}: {work} does not exist")
        if stored.get("kind") != plan.kind:
            raise ExperimentError(
                f"{out} holds an unfinished {stored.get('kind')}, not a {plan.kind}"
            )
        differ = plan_differences(stored, requested)
        if differ:
            raise ExperimentError(
                f"cannot resume {out}: the request differs from the unfinished one in "
                f"{', '.join(differ)}; resume with the original options (or just --resume)"
            )
        store = DiskStore(work, plan.labels)
        store.verify(plan.kept_tables)
        return store
    if work.exists() and not force:
        raise ExperimentError(
            f"{out} has an unfinished experiment in {work}: pass --resume {out} to complete "
            "it, or --force to start over"
        )
    return DiskStore.create(work, requested, plan.labels)
