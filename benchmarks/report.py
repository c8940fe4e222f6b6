"""The README's performance figures, generated from ``benchmarks/results.json``.

``python -m benchmarks --readme`` replaces the lines between ``<!-- PERFORMANCE -->`` and
``<!-- /PERFORMANCE -->`` in README.md with :func:`markdown`, so the quoted figures are always
those of the last benchmark run, never typed by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results.json"
README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- PERFORMANCE -->", "<!-- /PERFORMANCE -->"


def _gib(mib: float) -> str:
    return f"{mib:,.0f} MiB" if mib < 1024 else f"{mib / 1024:.2f} GiB"


CASES = ("10 callers", "20 callers", "40 callers", "list runs out")
"""The core cases the table shows side by side (the 2M-company segment has a row of its own)."""


def _cores(core: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The pure-Python and compiled cores' cases (the compiled core's None when not built)."""
    compiled = core.get("compiled")
    return core["python"]["cases"], compiled["cases"] if compiled else None


def _ratios(cases: dict[str, Any]) -> str:
    return " / ".join(f"{cases[c]['ratio_to_bare']:.2f}" for c in CASES)


def markdown(results: dict[str, Any]) -> str:
    """The figures as a Markdown table, with the machine and the run they come from."""
    m = results["machine"]
    cost = results["cost"]
    memory, headline = results["memory"], results["headline"]
    par = results["parallel"]
    python, compiled = _cores(results["core"])
    main = (compiled or python)["10 callers"]
    rate = f"pure-Python core {python['10 callers']['attempts_per_s']:,.0f}"
    if compiled:
        rate = f"compiled core {main['attempts_per_s']:,.0f}; {rate}"
    rows = [
        (
            "attempts per second, one core (10 callers)",
            f"{rate} (bare SimPy loop {main['bare_timeouts_per_s']:,.0f} timeouts/s)",
        ),
        (
            "ratio to a bare SimPy loop, compiled core: 10 / 20 / 40 callers / list runs out",
            _ratios(compiled) if compiled else "not built",
        ),
        (
            "ratio to a bare SimPy loop, pure-Python core: 10 / 20 / 40 callers / list runs out",
            _ratios(python),
        ),
    ]
    speedup = results["core"].get("speedup")
    if speedup:
        rows.append(
            (
                "speed-up of the compiled core: 10 / 20 / 40 callers / list runs out / "
                "2M-company segment",
                " / ".join(f"{value:.2f}x" for value in speedup.values()),
            )
        )
    compiled_cost = cost.get("compiled")
    rows += [
        (
            "SimPy events per attempt: 10 / 20 / 40 callers / list runs out",
            " / ".join(f"{python[c]['events_per_attempt']:.2f}" for c in CASES),
        ),
        (
            "bytecodes per attempt (model's own), deterministic: pure-Python core",
            f"{cost['bytecodes_per_attempt']:.0f} ({cost['model_bytecodes_per_attempt']:.0f})",
        ),
        (
            "Python bytecodes per attempt outside compiled code (model's own): compiled core",
            f"{compiled_cost['bytecodes_per_attempt']:.0f} "
            f"({compiled_cost['model_bytecodes_per_attempt']:.0f})"
            if compiled_cost
            else "not built",
        ),
        (
            "share of a replication spent tabulating: main scenario / 2M-company segment",
            f"{main['tabulate_share']:.0%} / "
            f"{(compiled or python)['2M-company segment']['tabulate_share']:.0%}",
        ),
        (
            f"peak RSS, {memory['many_replications']['replications']:,} replications "
            "(largest process)",
            _gib(memory["many_replications"]["peak_rss_mib"]),
        ),
        (
            "peak RSS, one replication with a 2,000,000-company segment",
            _gib(memory["big_base_one_replication"]["peak_rss_mib"]),
        ),
        (
            f"`callsim run`, {headline['replications']:,} replications x 20 callers x 22 days",
            f"{headline['seconds']:.0f} s wall"
            + (f" ({_core_name(headline['core'])})" if headline.get("core") else ""),
        ),
    ]
    rows.extend(_scaling_rows(results.get("scaling")))
    for name, e in par["executors"].items():
        if name != "1 process":
            rows.append(
                (
                    f"parallel speed-up, {name} ({par['replications']} replications)",
                    f"{e['speedup']:.2f}x ({e['speedup_on_free_cores']:.2f}x on free cores)",
                )
            )
    libs = ", ".join(f"{k} {v}" for k, v in m["libraries"].items() if v)
    lines = [
        f"Measured by `python -m benchmarks{' --quick' if results['mode'] == 'quick' else ''}`"
        f" on {results['generated'][:10]}: {m['cpu']}, {m['cores']} cores, Python "
        f"{m['python']} ({libs}).",
        "",
        "| measured | figure |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in rows),
    ]
    labels = {
        "events": "SimPy events per attempt",
        "core": "attempts per second, ratios and tabulating shares, on both cores",
        "cost": "bytecodes per attempt, on both cores",
        "parallel": "parallel speed-ups",
        "memory": "peak RSS and the 1,000-replication run",
        "headline": "the 1,000-replication run",
        "many": "peak RSS of 2,000 replications",
        "scaling": "cost per attempt by team size",
    }
    for update in results.get("remeasured", []):
        what = "; ".join(labels.get(step, step) for step in update["steps"])
        lines += [
            "",
            f"Re-measured on {update['date']} with `python -m benchmarks --only "
            f"{','.join(update['steps'])}`: {what}.",
        ]
    return "\n".join(lines)


def _core_name(name: str) -> str:
    return "compiled core" if name == "compiled" else "pure-Python core"


def write_readme(results: dict[str, Any], readme: Path = README) -> None:
    """Replace the README's generated performance block with the figures of ``results``."""
    text = readme.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1) if END in rest else ("", rest)
    readme.write_text(f"{head}{BEGIN}\n\n{markdown(results)}\n\n{END}{tail}")


def _scaling_rows(scale: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Rows of the scaling step: per core, counted cost and timed cost relative to 5 callers."""
    if not scale:
        return []
    by_core = scale if "python" in scale else {"python": scale}
    rows = []
    for name, found in by_core.items():
        if not found:
            continue
        cases = found.get("cases", found)
        callers = " / ".join(cases)
        label = "pure-Python core" if name == "python" else "compiled core"
        what = "bytecodes" if name == "python" else "Python bytecodes outside compiled code"
        rows.append(
            (
                f"cost per attempt by team size, {callers} callers: {what} (events), {label}",
                " / ".join(
                    f"{e['bytecodes_per_attempt']:.0f} ({e['events_per_attempt']:.2f})"
                    for e in cases.values()
                ),
            )
        )
        if all("cost_relative_to_smallest" in e for e in cases.values()):
            rows.append(
                (
                    f"timed cost per attempt relative to {next(iter(cases))} callers, "
                    f"{callers} callers, {label}",
                    " / ".join(f"{e['cost_relative_to_smallest']:.2f}" for e in cases.values()),
                )
            )
        rows.append(
            (
                f"ratio to a bare SimPy loop by team size, {callers} callers, {label}",
                " / ".join(f"{e['ratio_to_bare']:.2f}" for e in cases.values()),
            )
        )
    return rows
