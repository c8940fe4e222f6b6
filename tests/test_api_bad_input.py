"""The Python API's bad-input contract (issue #14 §2, library side; README "Python API").

Every hostile argument of the public entry points raises a :class:`sim.CallsimError` where it
enters, before anything is read, written or simulated: an argument of plainly the wrong kind
:class:`sim.ArgumentTypeError` (also a ``TypeError``), a number out of range or of the wrong
type :class:`sim.ExperimentError`, a scenario mapping over the scenario file's limits (or
containing itself) :class:`sim.ScenarioError`. Never a RecursionError, a TypeError from deep
inside, or a hang.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.errors import ArgumentTypeError, CallsimError, ExperimentError, ScenarioError
from sim.execution.limits import MAX_REPLICATIONS, max_jobs
from sim.scenario.base import MAX_SEED
from sim.scenario.guard import MAX_SCENARIO_DEPTH, MAX_SCENARIO_NODES, check_mapping_limits
from tests.builders import build, constant_scenario

SHIPPED = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))
SCENARIO = build(constant_scenario())
DATA = constant_scenario()


class ManyKeys(Mapping[str, int]):
    """A mapping that says it holds ``n`` keys and makes them only when iterated (no memory)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.made = 0

    def __getitem__(self, key: str) -> int:
        return 0

    def __iter__(self) -> Iterator[str]:
        for i in range(self.n):
            self.made += 1
            yield f"k{i}"

    def __len__(self) -> int:
        return self.n


def _deep(levels: int, container: type = dict) -> Any:
    top: Any = {} if container is dict else []
    current = top
    for _ in range(levels):
        child: Any = {} if container is dict else []
        if container is dict:
            current["a"] = child
        else:
            current.append(child)
        current = child
    return top


def _cyclic() -> dict[str, Any]:
    data = constant_scenario()
    data["segments"]["seg"]["self"] = data["segments"]
    return data


def _shared() -> dict[str, Any]:
    """Thirty levels each holding the level below twice: 2**30 values, a few dicts in memory."""
    data: Any = [0]
    for _ in range(30):
        data = {"a": data, "b": data}
    return {**constant_scenario(), "description": data}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_cyclic, "contains itself"),
        (lambda: {**DATA, "x": _deep(100_000)}, f"more than {MAX_SCENARIO_DEPTH} levels"),
        (lambda: {**DATA, "x": _deep(100_000, list)}, f"more than {MAX_SCENARIO_DEPTH} levels"),
        (lambda: {**DATA, "x": ManyKeys(10_000_000)}, f"more than {MAX_SCENARIO_NODES:,} values"),
        (_shared, f"more than {MAX_SCENARIO_NODES:,} values"),
    ],
    ids=["cyclic", "deep-dict", "deep-list", "ten-million-keys", "shared-subtrees"],
)
def test_a_hostile_mapping_is_refused_before_it_is_copied(
    make: Callable[[], Any], message: str
) -> None:
    data = make()
    started = time.perf_counter()
    with pytest.raises(ScenarioError, match="refused before validating it") as caught:
        sim.scenario_from_mapping(data)
    assert message in str(caught.value)
    assert time.perf_counter() - started < 2.0


def test_ten_million_keys_are_not_all_walked() -> None:
    keys = ManyKeys(10_000_000)
    with pytest.raises(ScenarioError):
        sim.scenario_from_mapping({**DATA, "x": keys})
    assert keys.made <= MAX_SCENARIO_NODES


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_the_shipped_scenarios_are_within_the_mapping_limits(path: Path) -> None:
    dumped = sim.load_scenario(path).model_dump(mode="json")
    check_mapping_limits(dumped)
    assert sim.scenario_from_mapping(dumped) == sim.load_scenario(path)


def test_an_override_path_deeper_than_any_scenario_is_refused_at_once() -> None:
    deep = "segments" + ".a" * 100_000 + "=1"
    started = time.perf_counter()
    with pytest.raises(ScenarioError, match=f"more than {MAX_SCENARIO_DEPTH} levels deep"):
        sim.scenario_from_mapping(DATA, overrides=[deep])
    assert time.perf_counter() - started < 1.0


def test_a_flag_given_as_text_is_refused_before_the_folder_is_touched(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.txt").write_text("x")
    with pytest.raises(ArgumentTypeError, match="force must be True or False, not 'no'"):
        sim.run(SCENARIO, out=out, force="no")  # type: ignore[arg-type]
    assert (out / "thesis.txt").read_text() == "x"


def test_argument_type_errors_are_also_type_errors() -> None:
    with pytest.raises(TypeError, match="scenario must be a Scenario"):
        sim.run(123)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="unknown metric"):
        sim.run(SCENARIO, replications=2).confidence_interval("nosuch")


def test_an_integer_is_never_read_as_a_file_descriptor() -> None:
    with pytest.raises(ArgumentTypeError, match="must be a path"):
        sim.load_scenario(0)  # type: ignore[arg-type]


# Hostile values per argument: none of them may be accepted.
TEXT = st.text(max_size=20)
NOT_A_NUMBER = st.one_of(TEXT, st.booleans(), st.lists(st.integers(), max_size=2), st.none())
FLOATS = st.floats(allow_nan=True, allow_infinity=True)
HOSTILE: dict[str, st.SearchStrategy[Any]] = {
    "replications": st.one_of(
        TEXT,
        st.booleans(),
        FLOATS,
        st.integers(max_value=0),
        st.integers(min_value=MAX_REPLICATIONS + 1),
    ),
    "seed": st.one_of(
        TEXT, st.booleans(), FLOATS, st.integers(max_value=-1), st.integers(min_value=MAX_SEED + 1)
    ),
    "jobs": st.one_of(
        NOT_A_NUMBER, FLOATS, st.integers(max_value=0), st.integers(min_value=max_jobs() + 1)
    ),
    "out": st.one_of(st.integers(), st.binary(max_size=5), FLOATS, st.lists(TEXT, max_size=2)),
    "force": st.one_of(TEXT, st.integers(), st.none()),
    "progress": st.one_of(TEXT, st.integers(), st.none()),
    "scheduler": st.one_of(st.integers(), st.just(""), st.text(max_size=10).map("bad:".__add__)),
    "resume": st.one_of(st.integers(), st.binary(max_size=5), FLOATS),
    "options": st.one_of(st.integers(), TEXT, st.dictionaries(TEXT, st.integers(), max_size=2)),
}
RUN_ONLY: dict[str, st.SearchStrategy[Any]] = {
    "call_log": st.one_of(TEXT, st.integers(), st.none()),
    "on_progress": st.one_of(TEXT, st.integers()),
    "precision": st.one_of(
        TEXT,
        st.booleans(),
        st.floats(max_value=0.0),
        st.sampled_from([math.nan, math.inf, -math.inf]),
    ),
}


def _run(**kwargs: Any) -> Any:
    if "precision" in kwargs:
        kwargs["metric"] = "dials"
    return sim.run(SCENARIO, **kwargs)


ENTRY_POINTS: dict[str, tuple[Callable[..., Any], dict[str, st.SearchStrategy[Any]]]] = {
    "run": (_run, {**HOSTILE, **RUN_ONLY}),
    "compare": (lambda **kw: sim.compare([SCENARIO, SCENARIO], **kw), HOSTILE),
    "sweep": (lambda **kw: sim.sweep(SCENARIO, ["team.0.count=1,2"], **kw), HOSTILE),
    "sensitivity": (
        lambda **kw: sim.sensitivity(SCENARIO, ["team.0.count=1:3"], "dials", method="oat", **kw),
        HOSTILE,
    ),
}


@st.composite
def hostile_calls(draw: st.DrawFn) -> tuple[str, str, Any]:
    entry = draw(st.sampled_from(sorted(ENTRY_POINTS)))
    arguments = ENTRY_POINTS[entry][1]
    name = draw(st.sampled_from(sorted(arguments)))
    return entry, name, draw(arguments[name])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_calls())
def test_any_hostile_argument_raises_a_callsim_error_before_running(
    call: tuple[str, str, Any],
) -> None:
    entry, name, value = call
    function = ENTRY_POINTS[entry][0]
    with pytest.raises(CallsimError):
        function(**{name: value})


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        TEXT,
        st.integers(),
        st.lists(st.one_of(st.integers(), st.none(), st.binary(max_size=3)), min_size=1),
        st.dictionaries(TEXT, TEXT, max_size=2),
    )
)
def test_overrides_that_are_not_a_list_of_texts_are_refused(overrides: Any) -> None:
    with pytest.raises(ArgumentTypeError, match="overrides"):
        sim.scenario_from_mapping(DATA, overrides=overrides)


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.integers(),
        st.none(),
        st.binary(max_size=5),
        FLOATS,
        st.lists(TEXT, max_size=2),
    )
)
def test_a_folder_that_is_not_a_path_is_refused(directory: Any) -> None:
    with pytest.raises(ArgumentTypeError, match="must be a path"):
        sim.load(directory)
    with pytest.raises(ArgumentTypeError, match="must be a path"):
        sim.save(sim.Results, directory)


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.integers(),
        st.floats(allow_nan=True),
        st.lists(st.integers(), max_size=2),
        st.none(),
    )
)
def test_a_text_argument_of_another_kind_is_refused(value: Any) -> None:
    with pytest.raises(CallsimError):
        sim.sweep(SCENARIO, [value], replications=1)
    with pytest.raises(CallsimError):
        sim.scenario_from_mapping(DATA, file=value if value is not None else 5)


@settings(max_examples=40, deadline=None)
@given(
    st.one_of(
        st.integers(),
        st.none(),
        st.binary(max_size=5),
        st.lists(st.one_of(st.integers(), st.none()), min_size=1, max_size=2),
        st.dictionaries(st.integers(), st.just([1, 2]), min_size=1, max_size=1),
    )
)
def test_vary_that_is_not_texts_is_refused(vary: Any) -> None:
    for function in (
        lambda: sim.sweep(SCENARIO, vary, replications=1),
        lambda: sim.sensitivity(SCENARIO, vary, "dials", method="oat", replications=1),
        lambda: sim.break_even(SCENARIO, SCENARIO, vary, "dials", replications=1),
    ):
        with pytest.raises(ArgumentTypeError):
            function()


def test_wrong_numbers_for_the_experiment_designs_are_refused() -> None:
    cases: list[Callable[[], Any]] = [
        lambda: sim.sensitivity(SCENARIO, ["team.0.count=1:3"], "dials", trajectories=math.nan),
        lambda: sim.sensitivity(SCENARIO, ["team.0.count=1:3"], "dials", levels="4"),
        lambda: sim.break_even(SCENARIO, SCENARIO, "team.0.count=1:3", "dials", points=2.0),
        lambda: sim.break_even(SCENARIO, SCENARIO, "team.0.count=1:3", "dials", xtol="x"),
        lambda: sim.break_even(SCENARIO, SCENARIO, "team.0.count=1:3", "dials", level=math.nan),
        lambda: sim.sweep(SCENARIO, ["team.0.count=1:3"], design="lhs", points=math.inf),
    ]
    for case in cases:
        with pytest.raises(ExperimentError):
            case()
