"""The command line: ``callsim`` and ``python -m sim``; the top layer, the only one that prints.

:mod:`sim.cli.main` parses and dispatches; one module per sub-command in
:mod:`sim.cli.commands`.
"""

from sim.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
