"""Typed errors raised by the library. Only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field


class CallsimError(Exception):
    """Base class of every error callsim raises on purpose."""


@dataclass(frozen=True)
class ScenarioProblem:
    """One thing wrong with a scenario file.

    ``path`` is the dotted field path (``segments.large.gatekeeper.pass_prob``); ``line`` the
    1-based line in the file when known; ``suggestion`` the nearest valid key for a typo.
    """

    path: str
    message: str
    line: int | None = None
    allowed: str | None = None
    suggestion: str | None = None

    def describe(self, file: str | None = None) -> str:
        """One human-readable line: ``file:line: path: message (allowed ...; did you mean ...)``."""
        where = ""
        if file:
            where = f"{file}:{self.line}: " if self.line else f"{file}: "
        elif self.line:
            where = f"line {self.line}: "
        text = f"{where}{self.path or '<top level>'}: {self.message}"
        extras = []
        if self.allowed:
            extras.append(f"allowed: {self.allowed}")
        if self.suggestion:
            extras.append(f"did you mean '{self.suggestion}'?")
        if extras:
            text += " (" + "; ".join(extras) + ")"
        return text


@dataclass
class ScenarioError(CallsimError):
    """A scenario file (or override) that cannot be loaded or does not validate."""

    file: str | None
    problems: list[ScenarioProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"invalid scenario {self.file}" if self.file else "invalid scenario"
        count = len(self.problems)
        lines = [f"{head}: {count} problem{'' if count == 1 else 's'}"]
        lines += ["  " + p.describe(self.file) for p in self.problems]
        return "\n".join(lines)


class ArgumentTypeError(CallsimError, TypeError):
    """An argument of the Python API of plainly the wrong kind, refused where it enters.

    A scenario that is neither a :class:`~sim.scenario.Scenario` nor a path, a folder that is
    not a path, overrides that are not a list of ``path=value`` texts, a flag that is not a
    bool, a callback that cannot be called. Both a :class:`CallsimError` and a ``TypeError``.
    """


class ArgumentValueError(CallsimError, ValueError):
    """An argument of a results query that cannot be used.

    A confidence level outside (0, 1), a table the results did not keep. Both a
    :class:`CallsimError` and a ``ValueError``.
    """


class UnknownNameError(CallsimError, KeyError):
    """A metric, profile, team group or scenario label the results do not have.

    The message lists the known ones. Both a :class:`CallsimError` and a ``KeyError`` (whose
    message is not quoted, as a plain ``KeyError``'s would be).
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ResultsDirError(CallsimError):
    """An output folder callsim refuses to write into (it holds files callsim did not write)."""


class ExperimentError(CallsimError):
    """An experiment request that cannot be carried out (bad replication count, resume mismatch)."""


class ExecutionError(CallsimError):
    """The executor of an experiment failed to start or was lost mid-run.

    A Dask scheduler gone, worker processes that would not start: finished chunks are kept.
    """


class CoreError(CallsimError):
    """The requested core cannot run, or a worker ran another core than its client.

    ``CALLSIM_CORE=compiled`` without a current compiled core, or an unknown ``CALLSIM_CORE``.
    """
