"""Every bad input gives a message and exit status 2, before any simulation (issue #14).

The table in ``tests/data/bad/cases.yaml`` (hostile scenario files and command lines, each
with the message it must produce) runs ``sim.cli.main.main(argv)`` in-process. Two Hypothesis
properties generalise it: whatever string an option is given, the command ends with exit 2
and no traceback; and a scenario that ``validate`` accepts, however extreme its legal values,
runs with finite figures or is refused with a typed error before it simulates.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.cli.main import main
from sim.errors import CallsimError, ScenarioError
from sim.scenario.base import MAX_CV, MAX_DELAY_MIN, MAX_DURATION_MIN, MAX_MONEY, MAX_WEIGHT
from tests.builders import deep_update

BAD = Path(__file__).parent / "data" / "bad"
CASES: list[list[Any]] = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))

GOOD = (BAD / "good.yaml").read_text(encoding="utf-8")

# Values the YAML table cannot carry: file names given as undecodable bytes (Linux hands them
# to Python as lone surrogates) and NUL characters.
PY_CASES: list[list[Any]] = [
    ["validate-non-utf8-path", ["validate", "\udcff\udcfe.yaml"], "is not valid UTF-8"],
    ["run-out-non-utf8", ["run", "{good}", "--out", "res\udcffults"], "is not valid UTF-8"],
    ["compare-non-utf8", ["compare", "{good}", "b\udce9.yaml"], "is not valid UTF-8"],
    ["plot-nul", ["plot", "dir\0name"], "holds a NUL character"],
    ["resume-nul", ["run", "--resume", "a\0b"], "holds a NUL character"],
]


def _generate(kind: str, folder: Path) -> Path:
    """A hostile file too large to keep in the repository."""
    path = folder / f"{kind}.yaml"
    if kind == "deep":
        depth = 100_000
        path.write_text("name: x\nsegments: " + "[" * depth + "]" * depth + "\n")
    elif kind == "biglist":
        path.write_text("name: x\nsegments: [" + "1, " * 1_000_000 + "]\n")
    elif kind.startswith("longname"):
        path = folder / f"{kind}-{'n' * 150}.yaml"
        path.write_text(GOOD, encoding="utf-8")
    elif kind == "damaged":  # the work folder of a run, its plan nested 100,000 deep
        path = folder / "damaged"
        work = folder / "damaged.partial"
        work.mkdir()
        deep = "[" * 100_000 + "]" * 100_000
        (work / "manifest.json").write_text(
            f'{{"tool": "callsim", "kind": "partial", "plan": {deep}}}'
        )
    else:
        raise ValueError(kind)
    return path


def _expand(argv: list[str], tmp_path: Path) -> list[str]:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    expanded = []
    for token in argv:
        if token.startswith("{big:"):
            expanded.append(str(_generate(token[5:-1], tmp_path)))
            continue
        expanded.append(
            token.replace("{bad}", str(BAD))
            .replace("{good}", str(good))
            .replace("{out}", str(tmp_path / "out"))
        )
    return expanded


@pytest.mark.parametrize(
    ("argv", "message"),
    [pytest.param(argv, message, id=name) for name, argv, message in CASES + PY_CASES],
)
def test_each_hostile_input_gets_its_message_and_exit_2(
    argv: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # '--out .' and relative paths stay inside the test folder
    status = main(_expand(argv, tmp_path))
    captured = capsys.readouterr()
    output = captured.err + captured.out
    assert status == 2, output
    assert message in output
    assert "Traceback" not in output
    assert not (tmp_path / "out").exists()


def test_the_table_has_at_least_forty_cases() -> None:
    names = [name for name, _, _ in CASES + PY_CASES]
    assert len(names) >= 40
    assert len(set(names)) == len(names)
    used = {Path(token.split("/")[-1]).name for _, argv, _ in CASES for token in argv}
    unused = {p.name for p in BAD.glob("*.yaml")} - used - {"cases.yaml"}
    assert not unused, f"hostile files no case uses: {unused}"


def test_a_refused_big_file_is_refused_quickly(tmp_path: Path) -> None:
    import time

    path = _generate("deep", tmp_path)
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match="nest more than 40"):
        sim.load_scenario(path)
    assert time.perf_counter() - start < 2.0


@pytest.fixture
def limits_log(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> pytest.LogCaptureFixture:
    """Warnings of sim.execution.limits (a logging.config call elsewhere may disable it)."""
    monkeypatch.setattr(logging.getLogger("sim.execution.limits"), "disabled", False)
    caplog.set_level(logging.WARNING, logger="sim.execution.limits")
    return caplog


def test_force_overrides_the_hard_bound_of_the_estimate_with_a_warning(
    limits_log: pytest.LogCaptureFixture,
) -> None:
    from sim.errors import ExperimentError
    from sim.execution.limits import HARD_SECONDS, check_resources, estimate_work
    from sim.execution.plan import ExperimentPlan, RunSpec

    scenario = sim.load_scenario(BAD / "huge-team.yaml")
    plan = ExperimentPlan("run", (RunSpec("run", scenario),), 1, 100_000)
    estimate = estimate_work(plan, workers=2, in_memory=False)
    assert HARD_SECONDS < estimate.seconds < math.inf
    with pytest.raises(ExperimentError, match="pass --force"):
        check_resources(plan, 2, in_memory=False, force=False)
    check_resources(plan, 2, in_memory=False, force=True)
    assert "--force" in limits_log.text


def test_a_long_experiment_is_warned_about_but_runs(limits_log: pytest.LogCaptureFixture) -> None:
    from sim.execution.limits import WARN_SECONDS, check_resources, estimate_work
    from sim.execution.plan import ExperimentPlan, RunSpec

    scenario = sim.load_scenario(BAD / "good.yaml")
    small = estimate_work(ExperimentPlan("run", (RunSpec("run", scenario),), 1, 1), 1, True)
    replications = int(WARN_SECONDS * 2 / small.seconds)
    plan = ExperimentPlan("run", (RunSpec("run", scenario),), 1, replications)
    check_resources(plan, 1, in_memory=False, force=False)
    assert "may take long" in limits_log.text


# --- Hypothesis: every option, any string --------------------------------------------------

ADVERSARIAL = st.sampled_from(
    [
        "",
        " ",
        "-1",
        "0",
        "١٢",
        "1_000",
        "1e999",
        "nan",
        "inf",
        "-inf",
        "9" * 5000,
        "[" * 3000,
        "{a: &x [1], b: *x}",
        "&a 1,*a",
        "x=" + "[" * 3000,
        "tcp://",
        "inproc://x",
        "tls://h:1",
        "local:",
        "local:-1",
        "\udcff",
        "a\udcffb",
        ".",
        "/",
        "..",
        "=",
        "a.b=",
        ".=1",
        "team.-1.count=1",
        "x" * 5000,
        "\x00",
        "é=1,2",
        "a:b:c",
    ]
)
OPTION_VALUES = st.one_of(ADVERSARIAL, st.text(max_size=40))

OPTIONS = [
    ("run", "--replications"),
    ("run", "--seed"),
    ("run", "--jobs"),
    ("run", "--scheduler"),
    ("run", "--precision"),
    ("run", "--metric"),
    ("run", "--max-replications"),
    ("run", "--out"),
    ("run", "--resume"),
    ("run", "--set"),
    ("sweep", "--vary"),
    ("sweep", "--points"),
    ("sweep", "--design"),
    ("compare", "--out"),
    ("compare", "--break-even"),
    ("compare", "--break-even-points"),
    ("compare", "--break-even-xtol"),
    ("sensitivity", "--vary"),
    ("sensitivity", "--metric"),
    ("sensitivity", "--trajectories"),
    ("sensitivity", "--levels"),
    ("sensitivity", "--out"),
    ("sensitivity", "--jobs"),
    ("plot", "--out"),
    ("report", "--out"),
    ("validate", "--set"),
]

# What each command needs besides the option under test (so the option's value is read).
NEEDS = {
    "sweep": {"--vary": "team.0.count=1,2"},
    "sensitivity": {"--vary": "team.0.count=1:2", "--metric": "dials"},
}
BREAK_EVEN = {"--break-even": "team.0.count=1:2", "--metric": "dials"}

BROKEN = "name: broken\nsegments: {small: {companies: -1}}\nteam: [{profile: student, count: 1}]\n"


def _option_ends_in_exit_2(
    command: str,
    option: str,
    value: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The scenario is broken, so a value the option accepts still ends in exit 2 (from the
    # scenario), and nothing ever simulates: the property is that no value gets further than
    # a message.
    monkeypatch.chdir(tmp_path)
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    files = [str(broken), str(broken)] if command == "compare" else [str(broken)]
    needs = BREAK_EVEN if option.startswith("--break-even") else NEEDS.get(command, {})
    extra = [f"{name}={text}" for name, text in needs.items() if name != option]
    argv = [command, *files, *extra, f"{option}={value}"]
    status = main(argv)
    captured = capsys.readouterr()
    assert status == 2, (argv, captured.err)
    assert "Traceback" not in captured.err + captured.out


FIXTURES_OK = [HealthCheck.function_scoped_fixture]


@pytest.mark.parametrize(("command", "option"), OPTIONS)
@settings(max_examples=5, deadline=None, suppress_health_check=FIXTURES_OK)
@given(value=OPTION_VALUES)
def test_any_option_value_ends_in_exit_2_without_a_traceback(
    command: str,
    option: str,
    value: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _option_ends_in_exit_2(command, option, value, tmp_path, monkeypatch, capsys)


@pytest.mark.slow
@pytest.mark.parametrize(("command", "option"), OPTIONS)
@settings(max_examples=30, deadline=None, suppress_health_check=FIXTURES_OK)
@given(value=OPTION_VALUES)
def test_many_option_values_end_in_exit_2_without_a_traceback(
    command: str,
    option: str,
    value: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _option_ends_in_exit_2(command, option, value, tmp_path, monkeypatch, capsys)


# --- Hypothesis: validate accepts => run finishes with finite figures ----------------------

TINY = 5e-324  # the smallest positive float


def _extreme_duration() -> st.SearchStrategy[Any]:
    mean = st.sampled_from([TINY, 1e-9, 0.5, MAX_DURATION_MIN])
    return st.one_of(
        st.sampled_from([0.0, TINY, 1e-9, 1.0, MAX_DURATION_MIN]),
        mean.map(lambda m: {"kind": "exponential", "mean_min": m}),
        st.tuples(st.sampled_from(["lognormal", "gamma"]), mean, st.sampled_from([0.0, 1.0])).map(
            lambda t: {
                "kind": t[0],
                "mean_min": t[1],
                "sd_min": max(t[2] * MAX_CV * t[1], TINY if t[0] == "gamma" else 0.0),
            }
        ),
        st.sampled_from([0.0, MAX_DURATION_MIN]).map(
            lambda hi: {"kind": "uniform", "low_min": 0.0, "high_min": hi}
        ),
        st.sampled_from([[0.0, MAX_WEIGHT], [TINY, MAX_WEIGHT], [MAX_WEIGHT] * 2]).map(
            lambda w: {"kind": "empirical", "values_min": [0.0, MAX_DURATION_MIN], "weights": w}
        ),
    )


@st.composite
def extreme_scenarios(draw: st.DrawFn, companies: int = 1000) -> dict[str, Any]:
    """A small scenario (1 caller, 1-2 days) whose other values sit at the schema's limits.

    ``companies`` is the largest calling base drawn (10,000,000, the limit, takes seconds).
    """
    prob = st.sampled_from([0.0, 1.0, 0.5])
    delay = st.sampled_from([0.0, 1e-9, MAX_DELAY_MIN])
    every = draw(st.sampled_from([None, 1.0, 1200.0]))
    shift: dict[str, Any] = {
        "length_min": draw(st.sampled_from([TINY, 1.0, 1200.0])),
        "break_every_min": every,
    }
    if every is not None:
        shift["break_length_min"] = draw(st.sampled_from([0.0, every * (1 - 1e-12)]))
    data = {
        "name": "extreme",
        "horizon_days": draw(st.integers(1, 2)),
        "shift": shift,
        "retry": {
            "max_attempts": draw(st.sampled_from([1, 1000])),
            "busy_delay_min": draw(delay),
            "no_answer_delay_min": draw(delay),
            "invalid_delay_min": draw(delay),
            "long_term_callback_days": draw(st.sampled_from([0.0, 1e6])),
        },
        "segments": {
            "small": {
                "companies": draw(st.sampled_from([0, 1, companies])),
                "line": {
                    "busy_prob": draw(prob) / 2,
                    "no_answer_prob": draw(prob) / 2,
                    "ring_time_answered": draw(_extreme_duration()),
                    "ring_time_busy": draw(_extreme_duration()),
                },
                "gatekeeper": {"talk_time": draw(_extreme_duration())},
                "referral": {
                    "max_hops": draw(st.sampled_from([1, 50])),
                    "next_is_dm_prob": draw(prob),
                    "thread_lost_prob": draw(prob),
                    "hop_talk_time": draw(_extreme_duration()),
                },
                "needs": {"talk_time_immediate": draw(_extreme_duration())},
            }
        },
        "profiles": {
            "student": {
                "dial_time": draw(_extreme_duration()),
                "wrap_up_time": draw(_extreme_duration()),
                "wrap_up_time_conversation": draw(_extreme_duration()),
                "talk_time_scale": draw(st.sampled_from([1e-300, 10.0])),
                "gatekeeper_skill": draw(st.sampled_from([0.0, 100.0])),
                "discovery_skill": draw(st.sampled_from([0.0, 100.0])),
                "segments": {"small": draw(st.sampled_from([TINY, MAX_WEIGHT]))},
                "pay": {
                    "fixed_per_month": draw(st.sampled_from([0.0, MAX_MONEY])),
                    "working_days_per_month": draw(st.sampled_from([1.0, 31.0])),
                },
                "quota": [{"counts": "dials", "target": draw(st.sampled_from([0.0, 1e9]))}],
            }
        },
        "team": [{"profile": "student", "count": 1}],
    }
    return deep_update(data, draw(_extreme_new_blocks()))


def _maybe(block: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), block)


@st.composite
def _extreme_new_blocks(draw: st.DrawFn) -> dict[str, Any]:
    """The blocks added since #14 (people over time, time of day, timed callbacks, sales), each
    present or not, their values at the schema's limits; merged into the scenario."""
    unit = st.sampled_from([0.0, 1.0])
    share = st.sampled_from([1e-9, 1.0])
    profile: dict[str, Any] = {
        "ramp": draw(
            _maybe(
                st.one_of(
                    st.builds(
                        lambda d, lv: {"kind": "staged", "stages": [{"until_day": d, "level": lv}]},
                        st.sampled_from([1, 100_000]),
                        share,
                    ),
                    st.builds(
                        lambda lv, t: {
                            "kind": "exponential",
                            "start_level": lv,
                            "time_constant_days": t,
                        },
                        share,
                        st.sampled_from([1e-9, 100_000.0]),
                    ),
                )
            )
        ),
        "turnover": draw(
            _maybe(
                st.builds(
                    lambda p, r, d, c: {
                        "daily_quit_prob": p,
                        "rise_per_day_without_meeting": r,
                        "hiring_delay_days": d,
                        "hiring_cost": c,
                    },
                    unit,
                    st.sampled_from([0.0, 100.0]),
                    st.sampled_from([0, 100_000]),
                    st.sampled_from([0.0, MAX_MONEY]),
                )
            )
        ),
        "fatigue": draw(
            _maybe(
                st.builds(
                    lambda lo, rec, fl: {"loss_per_hour": lo, "break_recovery": rec, "floor": fl},
                    unit,
                    unit,
                    share,
                )
            )
        ),
        "box_ticking": draw(
            _maybe(
                st.builds(
                    lambda s_, t: {"strength": s_, "talk_cut": t, "discovery_cut": 1.0},
                    unit,
                    st.sampled_from([0.0, 1.0 - 1e-12]),
                )
            )
        ),
        "air_time": draw(
            _maybe(
                st.builds(
                    lambda m, h, x, e: {
                        "min_talk_min": m,
                        "min_air_hours_per_day": h,
                        "stretch_when_behind": x,
                        "length_effect_per_min": e,
                    },
                    st.sampled_from([1e-9, 600.0]),
                    st.sampled_from([None, 1e-9, 24.0]),
                    st.sampled_from([1.0, 10.0]),
                    st.sampled_from([0.0, 10.0]),
                )
            )
        ),
    }
    factors = st.lists(st.sampled_from([0.0, 100.0]), min_size=0, max_size=24)
    weekdays = st.lists(st.sampled_from([0.0, 100.0]), min_size=0, max_size=5)
    time_of_day = draw(
        _maybe(
            st.builds(
                lambda a, g, d, w: {
                    "answer_by_hour": a,
                    "gatekeeper_pass_by_hour": g,
                    "dm_available_by_hour": d,
                    "answer_by_weekday": w,
                },
                factors,
                factors,
                factors,
                weekdays,
            )
        )
    )
    callback = draw(
        _maybe(
            st.builds(
                lambda h, w: {"hour": h, "weekday": w},
                st.sampled_from([0.0, 24.0 - 1e-9]),
                st.sampled_from([None, 0, 4]),
            )
        )
    )
    seller = {
        "count": draw(st.sampled_from([1, 1000])),
        "meetings_per_day": draw(st.sampled_from([1, 100])),
        "booking_lead_days": draw(st.sampled_from([0, 2000])),
        "no_show_prob": draw(unit),
        "close_prob": draw(unit),
        "skill": draw(st.sampled_from([1e-9, 10.0])),
        "deal_value": {
            "mean": draw(st.sampled_from([1e-9, MAX_MONEY])),
            "sd": draw(st.sampled_from([0.0, MAX_MONEY])),
        },
        "sales_cycle_days": draw(st.sampled_from([0, 2000])),
        "hourly_cost": draw(st.sampled_from([0.0, MAX_MONEY])),
        "hours_per_day": draw(st.sampled_from([1e-9, 24.0])),
        "commission_share": draw(unit),
    }
    if draw(st.booleans()):  # the callers hold their own meetings
        seller |= {
            "count": 1,
            "team_group": "student",
            "meeting_min": draw(st.sampled_from([0.0, 600.0])),
        }
    sales = draw(
        _maybe(
            st.builds(
                lambda fit, conv, policy, noise, pay: {
                    "fit": {"small": fit},
                    "long_term_convert_prob": conv,
                    "lists": {
                        "student": {"policy": policy, "score_noise": noise, "share_kept": 1e-9}
                    },
                    "sellers": [seller],
                    "pay": {"student": pay},
                },
                st.sampled_from(
                    [{"mean": 1e-9, "sd": 0.0}, {"mean": 0.5, "sd": 0.4999}, {"mean": 1 - 1e-9}]
                ),
                unit,
                st.sampled_from(["broad", "targeted"]),
                st.sampled_from([0.0, float("inf")]),
                st.builds(
                    lambda plan, only, b, c: {
                        "plan_meetings_per_month": plan,
                        "fixed_only_if_plan_met": only,
                        "bonus_per_meeting_booked": b,
                        "bonus_per_meeting_held": b,
                        "commission_share": c,
                    },
                    st.sampled_from([0, 100_000]),
                    st.booleans(),
                    st.sampled_from([0.0, MAX_MONEY]),
                    unit,
                ),
            )
        )
    )
    blocks: dict[str, Any] = {
        "profiles": {"student": {k: v for k, v in profile.items() if v is not None}},
        "warm_up_days": draw(st.sampled_from([0, 2])),
    }
    if time_of_day is not None:
        blocks["time_of_day"] = {"small": time_of_day}
    if callback is not None:
        blocks["retry"] = {"callback_at": {"dm_unavailable": callback, "busy": callback}}
    if sales is not None:
        blocks["sales"] = sales
    return blocks


def _check_finite(results: sim.Results) -> None:
    days = results.operator_days
    numeric = days.select_dtypes(include=[np.number])
    assert np.isfinite(numeric.to_numpy(dtype=float)).all()
    summary = results.summary()
    values = summary.select_dtypes(include=[np.number]).to_numpy(dtype=float)
    # A ratio with a zero denominator (cost per meeting without meetings) is undefined (NaN),
    # never infinite.
    assert not np.isinf(values).any()
    assert isinstance(summary, pd.DataFrame)


def _accepted_runs_finish_with_finite_figures(data: dict[str, Any]) -> None:
    try:
        scenario = sim.scenario_from_mapping(data)
    except ScenarioError:
        return  # validate refuses it: nothing to run
    started: list[int] = []
    try:
        results = sim.run(scenario, replications=1, seed=3, on_progress=started.append)
    except CallsimError:
        assert not started, "a typed error must come before the first replication"
        return
    _check_finite(results)


@settings(max_examples=8, deadline=None)
@given(data=extreme_scenarios())
def test_a_scenario_validate_accepts_runs_with_finite_figures(data: dict[str, Any]) -> None:
    _accepted_runs_finish_with_finite_figures(data)


def test_a_gamma_too_narrow_for_floating_point_does_not_stop_the_clock() -> None:
    # Found by the Hypothesis test below (it hung CI): a gamma wrap-up of mean 1e-9 min and
    # sd 5e-324 drew NaN, and a NaN clock never reaches the end of the shift.
    data = extreme_scenarios_example()
    scenario = sim.scenario_from_mapping(data)
    results = sim.run(scenario, replications=1, seed=3)
    _check_finite(results)
    assert len(results.operator_days) == scenario.operator_count * scenario.horizon_days


def test_a_fatigue_floor_below_the_rounding_does_not_divide_by_zero() -> None:
    # Found by the Hypothesis test once it drew the people blocks: a floor of 1e-9 rounded
    # to a fatigue level of 0, and the caller's times are divided by the level.
    data = {
        "name": "tired",
        "horizon_days": 1,
        "shift": {"length_min": 180.0, "break_every_min": None},
        "segments": {"small": {"companies": 1000}},
        "profiles": {
            "student": {"fatigue": {"loss_per_hour": 1.0, "break_recovery": 0.0, "floor": 1e-9}}
        },
        "team": [{"profile": "student", "count": 1}],
    }
    results = sim.run(sim.scenario_from_mapping(data), replications=1, seed=3)
    _check_finite(results)


def test_a_targeted_list_of_a_segment_without_companies_is_empty() -> None:
    # Found by the Hypothesis test: a targeted list kept one company of a segment of none.
    data = deep_update(
        extreme_scenarios_example(),
        {
            "segments": {"small": {"companies": 0}},
            "sales": {"lists": {"student": {"policy": "targeted", "share_kept": 1e-9}}},
        },
    )
    results = sim.run(sim.scenario_from_mapping(data), replications=1, seed=3)
    _check_finite(results)
    assert int(results.operator_days["dials"].sum()) == 0


def extreme_scenarios_example() -> dict[str, Any]:
    """The scenario that hung: a one-minute shift, near-zero and 10,000-minute durations."""
    return {
        "name": "extreme",
        "horizon_days": 1,
        "shift": {"length_min": 1.0, "break_every_min": None},
        "retry": {"max_attempts": 1000, "no_answer_delay_min": 1e-9, "invalid_delay_min": 1e-9},
        "segments": {
            "small": {
                "companies": 1000,
                "line": {"busy_prob": 0.5, "no_answer_prob": 0.25, "ring_time_busy": 10_000.0},
            }
        },
        "profiles": {
            "student": {
                "dial_time": {"kind": "lognormal", "mean_min": TINY, "sd_min": 10 * TINY},
                "wrap_up_time": {"kind": "gamma", "mean_min": 1e-9, "sd_min": TINY},
                "wrap_up_time_conversation": {"kind": "exponential", "mean_min": TINY},
                "segments": {"small": 1.0},
            }
        },
        "team": [{"profile": "student", "count": 1}],
    }


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(data=extreme_scenarios(companies=10_000_000))
def test_many_extreme_scenarios_run_with_finite_figures(data: dict[str, Any]) -> None:
    _accepted_runs_finish_with_finite_figures(data)


def test_the_schema_states_its_limits() -> None:
    schema = sim.Scenario.model_json_schema()
    text = str(schema)
    assert str(int(MAX_DURATION_MIN)) in text
    assert "at most 10 x mean_min" in text
