"""Sub-commands of the ``callsim`` command line, one module each.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``execute(args) -> int``;
:mod:`sim.cli` lists the modules in ``COMMAND_MODULES``. Handlers return the exit status and
print only through :func:`sim.cli.commands.common.out` / ``err``.
"""
