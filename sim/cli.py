"""The ``callsim`` command line: parse, load, run, write, print. The only module that prints.

Exit status: 0 on success, 2 for bad input (scenario, options, refused output folder),
1 for an unexpected failure, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sim.errors import CallsimError, ExperimentError, ResultsDirError, ScenarioError

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, Command] = {}


def _out(text: str = "") -> None:
    print(text)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _add_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
        help="override a scenario field, e.g. --set team.0.count=5 (repeatable; re-validated)",
    )


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--replications", "-n", type=_positive_int,
                        help="Monte Carlo replications (default: the scenario's)")
    parser.add_argument("--seed", type=_seed, help="root seed (default: the scenario's)")
    parser.add_argument("--jobs", "-j", type=_positive_int,
                        help="worker processes (default: all cores)")
    parser.add_argument("--force", action="store_true",
                        help="replace an output folder even if it holds non-callsim files")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    from sim import __version__

    parser = argparse.ArgumentParser(
        prog="callsim",
        description="Monte Carlo simulation of an outbound B2B cold-calling centre.",
    )
    parser.add_argument("--version", action="version", version=f"callsim {__version__}")
    parser.add_argument("--verbose", "-v", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run a scenario and write results and charts")
    run.add_argument("scenario", type=Path, help="scenario YAML file")
    run.add_argument("--out", "-o", type=Path,
                     help="results folder (default: results/<scenario name>)")
    run.add_argument("--call-log", action="store_true",
                     help="also write calls.parquet, one row per attempt")
    _add_run_options(run)
    _add_set(run)

    validate = sub.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("scenarios", type=Path, nargs="+", help="scenario YAML file(s)")
    _add_set(validate)

    schema = sub.add_parser("schema", help="print the scenario JSON Schema (or its reference)")
    schema.add_argument("--markdown", action="store_true",
                        help="print the Markdown field reference instead")
    return parser


def _cmd_run(args: argparse.Namespace) -> int:
    import sim
    from sim.console import summary_table
    from sim.outputs import check_writable
    from sim.runner import default_jobs

    scenario = sim.load_scenario(args.scenario, args.overrides)
    out = args.out or Path("results") / scenario.name
    check_writable(out, args.force)
    results = sim.run(scenario, replications=args.replications, seed=args.seed,
                      jobs=args.jobs or default_jobs(), call_log=args.call_log,
                      progress=not args.quiet)
    results.save(out, force=args.force)
    _out(f"{scenario.name}: {results.replications} replications x {scenario.horizon_days} "
         f"days, seed {results.seed}, {results.wall_time_s:.1f} s")
    _out("Per operator-day, mean ± 95% CI half-width:")
    _out(summary_table(results))
    _out(f"\nResults in {out}/ (operator_days.parquet, segment_days.parquet, leads.parquet, "
         f"summary.csv, manifest.json, contacts_per_day.png"
         f"{', calls.parquet' if args.call_log else ''})")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    import sim

    failed = 0
    for path in args.scenarios:
        try:
            scenario = sim.load_scenario(path, args.overrides)
        except ScenarioError as error:
            _err(str(error))
            failed += 1
        else:
            _out(f"{path}: ok ({scenario.name}: {scenario.operator_count} callers, "
                 f"{len(scenario.segments)} segments, {scenario.horizon_days} days)")
    return 2 if failed else 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from sim.scenario import Scenario
    from sim.scenario.reference import markdown_reference

    if args.markdown:
        _out(markdown_reference())
    else:
        _out(json.dumps(Scenario.model_json_schema(), indent=2))
    return 0


_COMMANDS.update(run=_cmd_run, validate=_cmd_validate, schema=_cmd_schema)


def register(name: str, command: Command) -> None:
    """Add a sub-command handler (its parser is added in :func:`build_parser`)."""
    _COMMANDS[name] = command


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``callsim`` and ``python -m sim``; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return _COMMANDS[args.command](args)
    except ScenarioError as error:
        _err(str(error))
        return 2
    except (ResultsDirError, ExperimentError) as error:
        _err(f"callsim: {error}")
        return 2
    except CallsimError as error:
        _err(f"callsim: {error}")
        return 1
    except KeyboardInterrupt:
        _err("callsim: interrupted")
        return 130
