"""Team-level figures: what each whole team achieves per team-day (issue 10's first finding).

Per caller-day means answer "how good is a caller"; staffing compares teams. Team totals must
equal the sum of the per-caller tables, and the comparison of a big student team with a small
experienced one must show the team view the per-caller view hides.
"""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.analysis.estimator import TEAM, TEAM_METRICS
from sim.cli import main
from tests.builders import build, constant_scenario


def _team(students: int, experienced: int) -> sim.Scenario:
    data = constant_scenario(horizon_days=3)
    data["name"] = f"s{students}e{experienced}"
    data["profiles"] = {"student": {}, "experienced": {}}
    data["team"] = [
        group
        for group in (
            {"profile": "student", "count": students},
            {"profile": "experienced", "count": experienced},
        )
        if group["count"]
    ]
    return build(data)


@pytest.fixture(scope="module")
def results() -> sim.Results:
    return sim.run(_team(3, 1), replications=4, seed=11)


def test_team_figures_are_the_sum_over_callers_per_day(results: sim.Results) -> None:
    days = results.operator_days
    for metric in ("dials", "dm_contacts", "meetings", "talk_min", "cost"):
        daily = days.groupby(["replication", "day"])[metric].sum()
        expected = daily.groupby(level="replication").mean()
        got = results.replication_values(metric, TEAM)
        np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-12)
        # Everyone works every day: a team-day is the headcount's operator-days.
        per_caller = results.replication_values(metric, "all")
        np.testing.assert_allclose(got.to_numpy(), 4 * per_caller.to_numpy(), rtol=1e-12)


def test_team_rows_in_the_summary_say_per_team_day_and_leave_quotas_out(
    results: sim.Results,
) -> None:
    summary = results.summary()
    team = summary[summary["profile"] == TEAM].set_index("metric")
    assert set(team.loc[list(TEAM_METRICS), "unit"]) == {"per team-day"}
    assert np.isnan(team.at["quota_met", "mean"])
    rows = summary.set_index(["metric", "profile"])
    for ratio in ("cost_per_meeting", "cost_per_dm_contact", "needs_per_100_calls"):
        # A team's ratio is the ratio of its totals: the same as all callers'.
        np.testing.assert_allclose(
            team.at[ratio, "mean"], rows.at[(ratio, "all"), "mean"], equal_nan=True
        )


def test_comparing_teams_of_different_sizes_heads_with_the_team_view(
    capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    big, small = _team(6, 0), _team(0, 2)
    comparison = sim.compare([big, small], replications=3, seed=2)
    assert comparison.headline_group == TEAM
    table = comparison.to_frame().set_index(["label", "metric", "profile"])
    a, b = comparison.labels
    team_diff = table.at[(b, "dials", TEAM), "diff_mean"]
    caller_diff = table.at[(b, "dials", "all"), "diff_mean"]
    # Six callers dial more as a team, though each experienced caller may dial about as much.
    assert team_diff < 0
    assert team_diff == pytest.approx(
        table.at[(b, "dials", TEAM), "mean"] - table.at[(a, "dials", TEAM), "mean"]
    )
    assert abs(team_diff) > abs(caller_diff)
    same = sim.compare([big, big], replications=2, seed=2)
    assert same.headline_group == "all"

    files = []
    for scenario in (big, small):
        path = tmp_path / f"{scenario.name}.yaml"
        path.write_text(
            "name: "
            + scenario.name
            + "\nhorizon_days: 2\nsegments:\n  small: {companies: 300}\n"
            + "team:\n"
            + "".join(f"  - {{profile: {g.profile}, count: {g.count}}}\n" for g in scenario.team),
            encoding="utf-8",
        )
        files.append(str(path))
    args = ["compare", *files, "-n", "2", "--jobs", "1", "-q", "--out", str(tmp_path / "c")]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "the whole team, per team-day" in printed
    assert printed.index("per team-day") < printed.index("Per caller")


def test_experiment_charts_show_the_team_when_headcounts_differ(tmp_path) -> None:
    from sim.presentation.plots.chart_files import save_folder_chart
    from sim.presentation.plots.results_folder import headline_group, open_folder

    comparison = sim.compare([_team(4, 0), _team(0, 1)], replications=2, seed=3)
    folder = sim.save(comparison, tmp_path / "cmp")
    assert headline_group(open_folder(folder)) == TEAM
    assert save_folder_chart(folder).is_file()
    grid = sim.sweep(_team(1, 0), "team.0.count=1,3", replications=2, seed=3)
    swept = sim.save(grid, tmp_path / "sweep")
    assert grid.headline_group == TEAM
    assert headline_group(open_folder(swept)) == TEAM
    assert save_folder_chart(swept).name == "sweep_lines.png"
    same = sim.save(sim.compare([_team(2, 0), _team(2, 0)], replications=2), tmp_path / "same")
    assert headline_group(open_folder(same)) == "all"
