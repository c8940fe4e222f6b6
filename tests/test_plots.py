"""The chart set: every chart draws what its numbers say, in the profiles' colours, readably.

One small two-profile, two-segment run (with the call log) feeds every test; ``callsim plot``
is tested on that run's folder and on hand-made compare and sweep folders that follow the
experiment folders' contract.
"""

from __future__ import annotations

import io
import json
from itertools import combinations
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_hex
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

import sim
from sim.cli import main
from sim.presentation.plots import (
    RUN_CHARTS,
    attainable_norms,
    attainment_curve,
    contacts_figure,
    first_dm_contact,
    funnel_figure,
    funnel_table,
    plot_attempts_to_dm,
    plot_comparison,
    plot_contacts_per_day,
    plot_daily_distribution,
    plot_day_breakdown,
    plot_days_to_dm,
    plot_funnel,
    plot_metric_by_run,
    plot_quota_attainment,
    plot_sweep_heatmap,
    plot_sweep_lines,
    profile_colors,
    runs_summary,
    segment_difficulty_figure,
)
from sim.presentation.plots.chart_set import folder_charts
from sim.presentation.plots.results_folder import open_folder
from sim.presentation.plots.run_charts import AIR_TIME_TARGET_MIN

SCENARIO = {
    "name": "charts-test",
    "horizon_days": 3,
    "replications": 3,
    "seed": 7,
    "segments": {"small": {"companies": 1500}, "large": {"companies": 1500}},
    "profiles": {
        "student": {"quota": [{"counts": "calls_excl_busy_no_answer", "target": 60}]},
        "experienced": {
            "quota": [
                {"counts": "calls_excl_busy_no_answer", "target": 80},
                {"counts": "needs", "target": 2},
            ]
        },
    },
    "team": [{"profile": "student", "count": 3}, {"profile": "experienced", "count": 1}],
}
PROFILES = ["student", "experienced"]
SALES_CHARTS = {"sales_funnel", "sellers_backlog"}
"""Drawn only for runs with sellers (tests/test_sales_outputs.py); these runs have none."""
RUN_CHART_FILES = [f"{chart.name}.png" for chart in RUN_CHARTS if chart.name not in SALES_CHARTS]

COMPARISON_CSV = """\
scenario,label,baseline,metric,profile,mean,ci_low,ci_high,replications,diff_mean,diff_ci_low,diff_ci_high,var_ratio
base,base,base,meetings,all,0.35,0.31,0.39,10,0,0,0,
more-students,more-students,base,meetings,all,0.30,0.27,0.33,10,-0.05,-0.08,-0.02,0.4
base,base,base,dm_contacts,all,22.7,22.1,23.3,10,0,0,0,
more-students,more-students,base,dm_contacts,all,21.9,21.4,22.4,10,-0.8,-1.1,-0.5,0.3
"""


def _sweep_csv() -> str:
    rows = ["point,team.0.count,team.1.count,metric,profile,mean,ci_low,ci_high,replications"]
    point = 0
    for students in (4, 8):
        for experienced in (1, 2):
            for metric, base in (("meetings", 0.3), ("cost_per_meeting", 3000.0)):
                value = base * (1 + 0.1 * experienced - 0.02 * students)
                rows.append(
                    f"{point},{students},{experienced},{metric},all,{value:.4g},"
                    f"{value * 0.9:.4g},{value * 1.1:.4g},5"
                )
            point += 1
    return "\n".join(rows) + "\n"


def make_run_folder(directory: Path) -> Path:
    """Run the test scenario (call log on) and save it to ``directory``."""
    scenario = sim.scenario_from_mapping(SCENARIO)
    sim.save(sim.run(scenario, call_log=True), directory)
    return directory


def make_experiment_folder(directory: Path, kind: str) -> Path:
    """A hand-made compare or sweep folder following the experiments' folder contract."""
    directory.mkdir(parents=True)
    manifest: dict[str, object] = {
        "tool": "callsim",
        "kind": kind,
        "version": sim.__version__,
        "seed": 7,
        "replications": 10,
    }
    if kind == "compare":
        (directory / "comparison.csv").write_text(COMPARISON_CSV)
        manifest["baseline"] = "base"
    else:
        (directory / "sweep.csv").write_text(_sweep_csv())
        manifest["varied"] = ["team.0.count", "team.1.count"]
    (directory / "manifest.json").write_text(json.dumps(manifest))
    return directory


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_run_folder(tmp_path_factory.mktemp("charts") / "run")


@pytest.fixture(scope="module")
def results(run_dir: Path) -> sim.Results:
    return sim.load(run_dir)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _lines_by_label(ax) -> dict[str, object]:
    return {
        line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")
    }


def _drawn_texts(fig: Figure) -> list[Text]:
    """Visible, non-empty texts of ``fig``; tick labels only for ticks inside the view."""
    tick_labels = set()
    for ax in fig.axes:
        for axis, (low, high), index in (
            (ax.xaxis, ax.get_xlim(), 0),
            (ax.yaxis, ax.get_ylim(), 1),
        ):
            low, high = min(low, high), max(low, high)
            labels = axis.get_ticklabels()
            tick_labels.update(id(t) for t in labels)
            tick_labels.difference_update(
                id(t) for t in labels if low - 1e-9 <= t.get_position()[index] <= high + 1e-9
            )
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in tick_labels
    ]


def overlapping_texts(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of drawn texts in ``fig`` whose boxes overlap."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in _drawn_texts(fig)]
    return [
        (a, b)
        for (a, box_a), (b, box_b) in combinations(boxes, 2)
        if box_a.overlaps(box_b) and box_a.width > 0 and box_b.width > 0
    ]


# --- chart 1: contacts per day ---------------------------------------------------------------


def test_contacts_per_day_has_one_line_per_profile_over_the_horizon(results) -> None:
    ax = plot_contacts_per_day(results)
    lines = _lines_by_label(ax)
    assert list(lines) == PROFILES
    for profile, line in lines.items():
        assert list(line.get_xdata()) == [1, 2, 3]
        assert to_hex(line.get_color()) == profile_colors(PROFILES)[profile].lower()
        days = results.operator_days[results.operator_days["profile"] == profile]
        expected = days.groupby("day")["dm_contacts"].mean().to_numpy()
        np.testing.assert_allclose(line.get_ydata(), expected)
    assert "DM contacts" in ax.get_ylabel()
    assert ax.get_title()


def test_contacts_figure_has_dm_contacts_with_connects_and_dials_companions(results) -> None:
    fig = contacts_figure(results)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(fig.axes) == 3
    assert "Decision-maker contacts" in titles[0]
    assert any("Connects" in t for t in titles) and any("Dials" in t for t in titles)
    assert all(ax.get_ylabel().endswith("per operator-day") for ax in fig.axes)


# --- chart 2: daily distribution against the quota -------------------------------------------


def test_daily_distribution_has_a_violin_and_quota_line_per_profile(results) -> None:
    ax = plot_daily_distribution(results)
    violins = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(violins) == len(PROFILES)
    quota_lines = [
        c
        for c in ax.collections
        if isinstance(c, LineCollection) and to_hex(c.get_color()[0]) == "#c0392b"
    ]
    targets = sorted(float(seg[0][1]) for c in quota_lines for seg in c.get_segments())
    assert targets == [60.0, 80.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == PROFILES
    assert "calls" in ax.get_ylabel()


def test_daily_distribution_states_the_share_of_days_meeting_the_whole_quota(results) -> None:
    ax = plot_daily_distribution(results)
    days = results.operator_days
    texts = " | ".join(t.get_text() for t in ax.texts)
    for profile in PROFILES:
        met = days.loc[days["profile"] == profile, "quota_met"].astype(float).mean()
        assert f"met on {met:.0%} of days" in texts
    assert "80 calls + 2 needs" in texts  # both parts of the experienced quota are named


# --- chart 3: quota attainment ---------------------------------------------------------------


def test_attainment_curve_starts_at_one_and_never_rises(results) -> None:
    curve = attainment_curve(results, "calls_excl_busy_no_answer", "student")
    assert curve["share"].iloc[0] == 1.0
    assert (np.diff(curve["share"]) <= 0).all()
    assert (curve["low"] <= curve["share"] + 1e-12).all()
    assert (curve["share"] <= curve["high"] + 1e-12).all()


def test_attainable_norm_is_the_highest_norm_met_on_that_share_of_days(results) -> None:
    norms = attainable_norms(results, "calls_excl_busy_no_answer")
    assert len(norms) == len(PROFILES) * 3
    for row in norms.itertuples():
        values = results.operator_days.loc[
            results.operator_days["profile"] == row.profile, "calls_excl_busy_no_answer"
        ].to_numpy()
        assert (values >= row.norm).mean() >= row.share
        assert (values >= row.norm + 1).mean() < row.share


def test_quota_attainment_marks_levels_norms_and_current_quotas(results) -> None:
    ax = plot_quota_attainment(results)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sum("norm met on 50/80/95% of days" in label for label in labels) == len(PROFILES)
    assert sum("current quota" in label for label in labels) == len(PROFILES)
    levels = sorted(line.get_ydata()[0] for line in ax.get_lines() if line.get_linestyle() == ":")
    assert levels == [50.0, 80.0, 95.0]
    assert ax.get_ylabel().endswith("%") and "per operator-day" in ax.get_xlabel()


# --- chart 4: funnel -------------------------------------------------------------------------


def test_funnel_narrows_from_dials_to_meetings_in_every_segment(results) -> None:
    table = funnel_table(results)
    assert set(table["segment"]) == {"small", "large", "all"}
    for _, part in table.groupby(["segment", "profile"]):
        values = part["per_100_dials"].to_numpy()
        assert values[0] == pytest.approx(100.0)
        assert (np.diff(values) <= 1e-9).all()


def test_funnel_draws_a_bar_per_stage_and_profile_with_conversion_labels(results) -> None:
    ax = plot_funnel(results, segment="large")
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 6 * len(PROFILES)
    ticks = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in ticks] == [
        "dials",
        "connects (answered)",  # the glossary's word, as the console says it (issue #10)
        "past gatekeeper",
        "DM reached",
        "need",
        "meeting",
    ]
    assert sum("%)" in t.get_text() for t in ax.texts) == 5 * len(PROFILES)
    colors = {to_hex(b.get_facecolor()) for b in bars}
    assert colors == {c.lower() for c in profile_colors(PROFILES).values()}


def test_funnel_figure_has_a_panel_per_segment(results) -> None:
    fig = funnel_figure(results)
    assert [ax.get_title() for ax in fig.axes] == ["small companies", "large companies"]


def test_funnel_legend_lists_a_profile_that_calls_only_a_later_segment() -> None:
    # Issue #10: the legend was taken from the first panel, so experienced callers working
    # only the large firms (the second panel) were missing from it.
    scenario = sim.scenario_from_mapping(
        {
            "name": "funnel-legend",
            "horizon_days": 1,
            "replications": 1,
            "seed": 3,
            "segments": {"small": {"companies": 300}, "large": {"companies": 300}},
            "team": [
                {"profile": "student", "count": 1, "segments": {"small": 1}},
                {"profile": "experienced", "count": 1, "segments": {"large": 1}},
            ],
        }
    )
    fig = funnel_figure(sim.run(scenario))
    assert [ax.get_title() for ax in fig.axes] == ["small companies", "large companies"]
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["student", "experienced"]
    colors = [to_hex(h.get_facecolor()) for h in legend.legend_handles]
    assert colors == [c.lower() for c in profile_colors(["student", "experienced"]).values()]


# --- chart 5: where the day goes -------------------------------------------------------------


def test_day_breakdown_stacks_to_the_shift_and_marks_three_hours_of_air_time(results) -> None:
    ax = plot_day_breakdown(results)
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) % len(PROFILES) == 0 and len(bars) >= 4 * len(PROFILES)
    ends = {}
    for bar in bars:
        y = round(bar.get_y() + bar.get_height() / 2)
        ends[y] = max(ends.get(y, 0.0), bar.get_x() + bar.get_width())
    days = results.operator_days
    expected = (days["shift_min"] + days["overrun_min"]).mean()
    assert list(ends.values()) == pytest.approx([expected] * len(PROFILES), abs=1.0)
    assert any(line.get_xdata()[0] == AIR_TIME_TARGET_MIN for line in ax.get_lines())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:4] == ["air time (talk)", "dialling and ringing", "wrap-up (forms)", "breaks"]


# --- chart 7: segment difficulty -------------------------------------------------------------


def test_first_dm_contact_from_the_leads_table_agrees_with_the_call_log(results) -> None:
    calls = results.calls
    keys = ["replication", "segment", "company"]
    first_day = calls.groupby(keys, observed=True)["day"].min()
    dm = calls[calls["dm_contact"]].groupby(keys, observed=True)[["attempt", "day"]].min()
    expected = first_day.to_frame("first_day").join(dm, how="left").reset_index()
    expected_days = (expected["day"] - expected["first_day"]).to_numpy(dtype=float)
    got = first_dm_contact(results)
    assert len(got) == len(expected)
    for column, want in (
        ("attempts_to_dm", expected["attempt"].to_numpy(dtype=float)),
        ("days_to_dm", expected_days),
    ):
        assert np.sort(got[column].to_numpy()) == pytest.approx(np.sort(want), nan_ok=True)
    reached = got.dropna()
    assert reached["attempts_to_dm"].between(1, results.scenario.retry.max_attempts).all()
    assert reached["days_to_dm"].between(0, results.scenario.horizon_days - 1).all()


def test_attempts_to_dm_is_one_curve_per_segment_ending_at_the_share_reached(results) -> None:
    ax = plot_attempts_to_dm(results)
    lines = _lines_by_label(ax)
    assert [label.split(":")[0] for label in lines] == ["small", "large"]
    data = first_dm_contact(results)
    for label, line in lines.items():
        segment = label.split(":")[0]
        reached = data.loc[data["segment"] == segment, "attempts_to_dm"].notna().mean()
        assert line.get_ydata()[-1] == pytest.approx(100 * reached)
    small, large = (line.get_ydata()[-1] for line in lines.values())
    assert large < small  # large enterprises' DMs are harder to reach


def test_days_to_dm_needs_no_call_log_but_old_results_without_it_are_refused(results) -> None:
    bare = sim.Results(
        results.scenario,
        results.seed,
        results.replications,
        results.operator_days,
        results.segment_days,
        results.leads,
    )
    assert len(segment_difficulty_figure(bare).axes) == 2
    plot_days_to_dm(bare)
    old_leads = results.leads.drop(columns=["first_attempt_day", "dm_contact_attempt"])
    old = sim.Results(
        results.scenario,
        results.seed,
        results.replications,
        results.operator_days,
        results.segment_days,
        old_leads,
    )
    with pytest.raises(ValueError, match="call-log"):
        plot_days_to_dm(old)
    with_log = sim.Results(
        results.scenario,
        results.seed,
        results.replications,
        results.operator_days,
        results.segment_days,
        old_leads,
        results.calls,
    )
    assert first_dm_contact(with_log)["days_to_dm"].notna().any()


# --- several runs side by side --------------------------------------------------------------


def test_runs_side_by_side_get_one_bar_per_run_and_profile_at_the_mean(results) -> None:
    summary = runs_summary({"first": results, "second": results}, ["meetings", "dm_contacts"])
    assert list(dict.fromkeys(summary["run"])) == ["first", "second"]
    assert set(summary["metric"]) == {"meetings", "dm_contacts"}
    ax = plot_metric_by_run(summary, "dm_contacts")
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 2 * len(PROFILES)
    expected = results.confidence_interval("dm_contacts", profile="student").mean
    student = profile_colors(PROFILES)["student"].lower()
    heights = [b.get_height() for b in bars if to_hex(b.get_facecolor()) == student]
    assert heights == pytest.approx([expected, expected])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["first", "second"]


# --- the whole set ---------------------------------------------------------------------------


@pytest.mark.slow
def test_every_run_chart_has_titles_labelled_axes_and_no_overlapping_text(results, run_dir) -> None:
    for chart, draw in folder_charts(open_folder(run_dir)):
        fig = draw()
        for ax in fig.axes:
            assert ax.get_title(), f"{chart.name}: a panel without a title"
            assert ax.get_xlabel(), f"{chart.name}: a panel without an x label"
            shares_y = ax.get_shared_y_axes().joined(ax, fig.axes[0])
            assert ax.get_ylabel() or ax.get_yticklabels() or shares_y, chart.name
        assert overlapping_texts(fig) == [], chart.name
        plt.close(fig)


def test_profiles_keep_their_colours_across_charts(results) -> None:
    colors = {p: c.lower() for p, c in profile_colors(PROFILES).items()}
    line = {
        p: to_hex(drawn.get_color())
        for p, drawn in _lines_by_label(plot_contacts_per_day(results)).items()
    }
    violins = [
        to_hex(c.get_facecolor()[0], keep_alpha=False)
        for c in plot_daily_distribution(results).collections
        if isinstance(c, PolyCollection)
    ]
    handles, labels = plot_funnel(results).get_legend_handles_labels()
    funnel = {
        label: to_hex(h.patches[0].get_facecolor())
        for h, label in zip(handles, labels, strict=True)
    }
    assert line == colors
    assert violins == [colors[p] for p in PROFILES]
    assert funnel == colors


# --- chart 6: sweeps ------------------------------------------------------------------------


def _sweep_table(varied: dict[str, list[float]], metric: str = "meetings") -> pd.DataFrame:
    """A sweep table of ``metric`` (all callers and the team) over the points ``varied``."""
    rows = []
    for point, values in enumerate(zip(*varied.values(), strict=True)):
        mean = 1.0 + 0.1 * point
        for profile, factor in (("all", 1.0), ("team", 5.0)):
            rows.append(
                {
                    "point": point,
                    **dict(zip(varied, values, strict=True)),
                    "metric": metric,
                    "profile": profile,
                    "mean": mean * factor,
                    "ci_low": (mean - 0.2) * factor,
                    "ci_high": (mean + 0.2) * factor,
                    "replications": 10,
                }
            )
    return pd.DataFrame(rows)


def test_one_dimensional_sweep_chart_is_titled_labelled_with_units_and_banded() -> None:
    # Issue #10: 1-D sweep charts had no title, a raw "shift.length_min" axis and no units.
    table = _sweep_table({"shift.length_min": [300.0, 400.0, 480.0]})
    ax = plot_sweep_lines(table, "meetings")
    assert ax.get_title().startswith("Meetings booked per caller-day, all callers")
    assert ax.get_xlabel() == "shift length, min"
    assert ax.get_ylabel() == "meetings booked per caller-day"
    (band,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    lows, highs = band.get_paths()[0].vertices[:, 1].min(), band.get_paths()[0].vertices[:, 1].max()
    assert (lows, highs) == pytest.approx((0.8, 1.4))
    team = plot_sweep_lines(table, "meetings", "team")
    assert team.get_title().startswith("Meetings booked per team-day, whole team")


def test_a_whole_number_sweep_axis_has_whole_number_ticks() -> None:
    # Issue #10 audit: a sweep of team.0.count = 8, 9, 10 had ticks at 8.25, 8.5, ... callers.
    ax = plot_sweep_lines(_sweep_table({"team.0.count": [8, 9, 10]}), "meetings", "team")
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks), ticks
    plt.close(ax.figure)


def test_sweep_axes_name_team_groups_and_the_currency_from_the_scenario() -> None:
    scenario = sim.scenario_from_mapping(SCENARIO)
    table = _sweep_table({"team.1.count": [0, 1, 2]}, metric="cost_per_meeting")
    ax = plot_sweep_lines(table, "cost_per_meeting", scenario=scenario)
    assert ax.get_xlabel() == "team group 1 (experienced): number of callers in the group"
    assert ax.get_ylabel() == "cost per meeting, RUB"
    assert "Cost per meeting (RUB), all callers" in ax.get_title()


def test_latin_hypercube_sweep_is_a_real_heatmap_with_the_samples_marked() -> None:
    # Issue #10: an LHS "heatmap" was a scatter of coloured dots.
    rng = np.random.default_rng(1)
    x, y = rng.uniform(300, 480, 9), rng.uniform(0.02, 0.1, 9)
    table = _sweep_table(
        {"shift.length_min": list(x), "segments.small.needs.immediate_prob": list(y)}
    )
    ax = plot_sweep_heatmap(table, "meetings")
    assert any(isinstance(c, ContourSet) for c in ax.collections)
    (samples,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(samples.get_offsets()) == 9
    assert ax.get_xlabel() == "segment small: P(immediate need | DM conversation)"
    assert ax.get_ylabel() == "shift length, min"
    colorbar = ax.figure.axes[-1]
    assert colorbar.get_ylabel() == "meetings booked per caller-day"
    assert ax.get_title().startswith("Meetings booked per caller-day, all callers")


def test_grid_sweep_heatmap_annotates_each_cell_with_its_interval() -> None:
    table = pd.read_csv(io.StringIO(_sweep_csv()))
    ax = plot_sweep_heatmap(table, "cost_per_meeting")
    assert ax.get_images()
    texts = {t.get_text() for t in ax.texts}
    assert "3,060\n±310" in texts  # 4 students, 1 experienced: 3,060 ± 306
    assert ax.get_xlabel() == "team group 1: number of callers in the group"
    assert ax.figure.axes[-1].get_ylabel() == "cost per meeting, currency"


# --- callsim plot ----------------------------------------------------------------------------


@pytest.mark.slow
def test_plot_command_writes_every_run_chart(run_dir: Path, capsys) -> None:
    assert main(["plot", str(run_dir), "--svg"]) == 0
    charts = run_dir / "charts"
    assert sorted(p.name for p in charts.glob("*.png")) == sorted(RUN_CHART_FILES)
    assert len(list(charts.glob("*.svg"))) == len(RUN_CHART_FILES)
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in charts.glob("*.png"))
    assert f"{2 * len(RUN_CHART_FILES)} chart files" in capsys.readouterr().out
    assert plt.get_fignums() == []  # every figure closed


def test_forest_plot_keeps_every_text_inside_the_figure_and_names_metrics_in_words() -> None:
    # Issue #10 audit: comparison.png cut its title and x label off at the right edge, and
    # labelled its rows with raw KPI names (dm_contacts_per_10k).
    long = "students-vs-experienced"
    table = pd.read_csv(io.StringIO(COMPARISON_CSV))
    table[["scenario", "label", "baseline"]] = table[["scenario", "label", "baseline"]].replace(
        "base", long
    )
    table["profile"] = "team"
    ax = plot_comparison(table, profile="team")
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    texts = [ax.title, ax.xaxis.label, *ax.get_yticklabels()]
    outside = [
        t.get_text()
        for t in texts
        if not all(fig.bbox.contains(*corner) for corner in t.get_window_extent(renderer).corners())
    ]
    assert outside == []
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "meetings booked · more-students" in labels, labels
    assert "per team-day" in ax.get_xlabel() and long in ax.get_title()
    plt.close(fig)


def test_plot_command_draws_the_comparison_for_a_compare_folder(tmp_path: Path) -> None:
    folder = make_experiment_folder(tmp_path / "cmp", "compare")
    assert main(["plot", str(folder)]) == 0
    assert [p.name for p in (folder / "charts").iterdir()] == ["comparison.png"]


def test_plot_command_draws_a_heatmap_per_metric_for_a_sweep_folder(tmp_path: Path) -> None:
    folder = make_experiment_folder(tmp_path / "sweep", "sweep")
    assert main(["plot", str(folder), "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "sweep_cost_per_meeting.png",
        "sweep_meetings.png",
    ]


@pytest.mark.parametrize("setup", ["empty", "foreign", "missing", "unknown-kind", "no-table"])
def test_plot_command_refuses_a_folder_that_is_not_callsim_results(
    tmp_path: Path, capsys, setup: str
) -> None:
    folder = tmp_path / "folder"
    if setup != "missing":
        folder.mkdir()
    if setup == "foreign":
        (folder / "manifest.json").write_text('{"tool": "something-else"}')
    if setup in ("unknown-kind", "no-table"):
        kind = "mystery" if setup == "unknown-kind" else "sweep"
        (folder / "manifest.json").write_text(json.dumps({"tool": "callsim", "kind": kind}))
    assert main(["plot", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("callsim: ") and str(folder) in err
    assert "Traceback" not in err
    assert not (folder / "charts").exists()


def _damage(folder: Path, damage: str) -> None:
    """Break a results folder the way a crash, a full disk or a hand edit could."""
    manifest_path = folder / "manifest.json"
    if damage == "truncated-table":
        table = folder / "operator_days.parquet"
        table.write_bytes(table.read_bytes()[:100])
    elif damage == "invalid-scenario":
        manifest = json.loads(manifest_path.read_text())
        manifest["scenario"] = {"team": "nobody"}
        manifest_path.write_text(json.dumps(manifest))
    elif damage == "no-seed":
        manifest = json.loads(manifest_path.read_text())
        del manifest["seed"]
        manifest_path.write_text(json.dumps(manifest))
    elif damage == "garbled-comparison":
        (folder / "comparison.csv").write_text('\x00garbage,"unterminated\n1,2\n')


@pytest.mark.parametrize("command", ["plot", "report"])
@pytest.mark.parametrize(
    "damage", ["truncated-table", "invalid-scenario", "no-seed", "garbled-comparison"]
)
def test_a_damaged_results_folder_is_reported_without_a_traceback(
    tmp_path: Path, run_dir: Path, capsys, command: str, damage: str
) -> None:
    if damage == "garbled-comparison":
        folder = make_experiment_folder(tmp_path / "cmp", "compare")
    else:
        folder = tmp_path / "run"
        folder.mkdir()
        for item in run_dir.iterdir():
            if item.is_file():
                (folder / item.name).write_bytes(item.read_bytes())
    _damage(folder, damage)
    assert main([command, str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("callsim: ") and "damaged" in err
    assert "Traceback" not in err
