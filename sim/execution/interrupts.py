"""A stop a signal asked for, kept until the experiment can act on it.

The command line turns SIGTERM into an exception raised wherever the main thread is
(``sim/cli/main.py``). Python drops an exception raised inside a callback whose exceptions it
ignores: a signal that arrives while a worker pool forks runs its handler inside
``os.register_at_fork`` callbacks, and the stop was lost (the run went on to the end). So the
handler also records the stop here, and the executors check it where they regain control: after
starting their workers and between results.
"""

from __future__ import annotations

_requested: type[BaseException] | None = None


def request_stop(kind: type[BaseException]) -> None:
    """Record that the program must stop by raising ``kind`` (an interrupt type)."""
    global _requested
    _requested = kind


def clear_stop() -> None:
    """Forget a recorded stop (the command that asked for it has ended)."""
    global _requested
    _requested = None


def check_stop() -> None:
    """Raise the recorded stop, if any: a signal's exception that was lost is raised here."""
    if _requested is not None:
        raise _requested
