"""Damaged or foreign results folders: every corruption is one line (exit 2), never a traceback.

Each class of damage is made on a copy of a small, real run, compare or sweep folder, then
opened with ``sim.load``, ``callsim plot`` and ``callsim report``. Also: a damaged work folder
on ``--resume``, an executor that cannot start, and SIGTERM handling in the command line.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.errors import ExperimentError, ResultsDirError
from sim.records.replication import simulate_replication
from sim.records.tables import TABLE_COLUMNS, TABLE_NAMES
from tests.builders import build, constant_scenario
from tests.test_experiments_execution import assert_same_files


def _scenario(**changes: object) -> sim.Scenario:
    data = constant_scenario(
        segment={"companies": 40, "line": {"busy_prob": 0.3, "no_answer_prob": 0.2}},
        callers=2,
        **{"name": "tiny", **changes},
    )
    return build(data)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A run (with the call log), a compare and a sweep folder of a tiny scenario."""
    root = tmp_path_factory.mktemp("folders")
    scenario = _scenario()
    sim.run(scenario, replications=2, seed=1, call_log=True, out=root / "run")
    other = _scenario(name="other")
    sim.compare([scenario, other], replications=2, seed=1, out=root / "compare")
    sim.sweep(scenario, ["team.0.count=1,2"], replications=2, seed=1, out=root / "sweep")
    return {kind: root / kind for kind in ("run", "compare", "sweep")}


def _copy(folders: dict[str, Path], kind: str, tmp_path: Path) -> Path:
    target = tmp_path / kind
    shutil.copytree(folders[kind], target)
    return target


def _edit_manifest(folder: Path, change: Callable[[dict], object]) -> None:
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def _set(key: str, value: object) -> Callable[[dict], object]:
    return lambda manifest: manifest.__setitem__(key, value)


def _table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(folder / f"{name}.parquet")


# Each damage: (kind of folder, what to do to it, words the one-line message must hold).
DAMAGES: dict[str, tuple[str, Callable[[Path], object], str]] = {
    "table swapped for another": (
        "run",
        lambda f: shutil.copyfile(f / "leads.parquet", f / "operator_days.parquet"),
        "holds the leads table, not operator_days",
    ),
    "header-only table": (
        "run",
        lambda f: (
            _table(f, "segment_days").iloc[:0].to_parquet(f / "segment_days.parquet", index=False)
        ),
        "holds no rows",
    ),
    "text where numbers belong": (
        "run",
        lambda f: (
            _table(f, "operator_days")
            .astype({"dials": str})
            .to_parquet(f / "operator_days.parquet", index=False)
        ),
        "string values, not whole numbers",
    ),
    "a column missing": (
        "run",
        lambda f: _table(f, "leads").drop(columns="status").to_parquet(f / "leads.parquet"),
        "lacks the columns status",
    ),
    "truncated table": (
        "run",
        lambda f: (f / "calls.parquet").write_bytes((f / "calls.parquet").read_bytes()[:500]),
        "calls.parquet: cannot be read",
    ),
    "replications beyond the manifest's": (
        "run",
        lambda f: _edit_manifest(f, _set("replications", 1)),
        "outside the folder's 0..0",
    ),
    "overflowing seed": (
        "run",
        lambda f: (f / "manifest.json").write_text(
            (f / "manifest.json").read_text().replace('"seed": 1,', '"seed": 1e400,')
        ),
        "seed",
    ),
    "seed beyond any bound": (
        "run",
        lambda f: _edit_manifest(f, _set("seed", 10**100)),
        "seed: Input should be less than or equal to",
    ),
    "replications as text": (
        "run",
        lambda f: _edit_manifest(f, _set("replications", "2")),
        "replications: Input should be a valid integer",
    ),
    "not-a-number wall time": (
        "run",
        lambda f: _edit_manifest(f, _set("wall_time_s", float("nan"))),
        "wall_time_s",
    ),
    "huge string": (
        "run",
        lambda f: _edit_manifest(f, _set("version", "x" * 100_000)),
        "version: String should have at most 1000 characters",
    ),
    "invalid scenario in the manifest": (
        "run",
        lambda f: _edit_manifest(f, lambda m: m["scenario"].__setitem__("horizon_days", -3)),
        "scenario.horizon_days",
    ),
    "unknown kind": (
        "run",
        lambda f: _edit_manifest(f, _set("kind", "teleport")),
        "unknown results kind 'teleport'",
    ),
    "manifest nested too deep": (
        "run",
        lambda f: (f / "manifest.json").write_text("[" * 100_000 + "]" * 100_000),
        "is not a callsim results folder",
    ),
    "a label that is a path": (
        "compare",
        lambda f: _edit_manifest(f, lambda m: m["labels"].__setitem__(1, "../../elsewhere")),
        "labels.1: is not a plain folder name",
    ),
    "no labels": (
        "compare",
        lambda f: _edit_manifest(f, lambda m: m.pop("labels")),
        "manifest.json: no labels",
    ),
    "baseline not the first label": (
        "compare",
        lambda f: _edit_manifest(f, _set("baseline", "other")),
        "baseline is not the first label",
    ),
    "comparison swapped for a sweep table": (
        "compare",
        lambda f: pd.DataFrame(
            {
                "point": [0],
                "metric": ["dials"],
                "profile": ["all"],
                "mean": [1.0],
                "ci_low": [0.5],
                "ci_high": [1.5],
                "replications": [2],
            }
        ).to_csv(f / "comparison.csv", index=False),
        "holds the sweep table, not comparison",
    ),
    "header-only CSV": (
        "compare",
        lambda f: (f / "comparison.csv").write_text(
            (f / "comparison.csv").read_text().splitlines()[0] + "\n"
        ),
        "comparison.csv: holds no rows",
    ),
    "empty CSV": (
        "compare",
        lambda f: (f / "comparison.csv").write_text(""),
        "comparison.csv: cannot be read",
    ),
    "observations swapped for a run table": (
        "compare",
        lambda f: shutil.copyfile(
            f / "runs" / "tiny" / "operator_days.parquet", f / "observations.parquet"
        ),
        "holds the operator_days table, not observations",
    ),
    "a run folder missing": (
        "compare",
        lambda f: shutil.rmtree(f / "runs" / "other"),
        "runs/other: is missing",
    ),
    "non-numeric CSV": (
        "sweep",
        lambda f: (f / "sweep.csv").write_text(
            (f / "sweep.csv").read_text().replace(",dials,all,", ",dials,all,lots", 1)
        ),
        "holds 'lots",
    ),
    "a varied column missing": (
        "sweep",
        lambda f: (
            pd.read_csv(f / "sweep.csv")
            .drop(columns="team.0.count")
            .to_csv(f / "sweep.csv", index=False)
        ),
        "lacks the columns team.0.count",
    ),
    "points that disagree with the labels": (
        "sweep",
        lambda f: _edit_manifest(f, lambda m: m["point_values"].pop()),
        "point_values and labels differ in length",
    ),
    "infinite precision target": (
        "sweep",
        lambda f: _edit_manifest(
            f,
            _set(
                "precision",
                {
                    "relative": 1e999,
                    "metric": "dials",
                    "profile": "all",
                    "max_replications": 10,
                    "replications": 2,
                    "reached": True,
                },
            ),
        ),
        "precision.relative",
    ),
}


BEYOND_CHARTS = {"observations swapped for a run table", "a run folder missing", "no labels"}
"""Damage to what only ``sim.load`` reads of an experiment folder (charts and the report are
drawn from its table and manifest)."""


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_each_kind_of_damage_is_one_line_and_exit_2(
    damage: str,
    folders: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    kind, spoil, words = DAMAGES[damage]
    folder = _copy(folders, kind, tmp_path)
    spoil(folder)
    before = sorted(p.name for p in folder.rglob("*"))
    with pytest.raises(ResultsDirError, match=r"damaged|not a callsim") as error:
        sim.load(folder)
    assert words in str(error.value)
    for command in () if damage in BEYOND_CHARTS else ("plot", "report"):
        assert main([command, str(folder)]) == 2
        printed = capsys.readouterr().err.strip()
        assert printed.count("\n") == 0 and words in printed, printed
    assert sorted(p.name for p in folder.rglob("*")) == before  # nothing written into it


def test_the_undamaged_folders_open_and_the_table_layout_is_what_a_replication_makes(
    folders: dict[str, Path],
) -> None:
    for folder in folders.values():
        sim.load(folder)
    tables = simulate_replication(_scenario(sales={"sellers": [{}]}), 1, 0, call_log=True)
    for name in TABLE_NAMES:
        frame = getattr(tables, name)
        assert list(frame.columns) == list(TABLE_COLUMNS[name]), name


def test_a_table_damaged_past_its_footer_is_one_line_when_first_used(
    folders: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(folders, "run", tmp_path)
    path = folder / "leads.parquet"
    data = bytearray(path.read_bytes())
    data[4:200] = b"\xff" * 196  # the first data pages; the footer is intact
    path.write_bytes(bytes(data))
    results = sim.load(folder)  # lazily: only footers are checked on opening
    with pytest.raises(ResultsDirError, match=r"leads.parquet: cannot be read"):
        _ = results.leads


# --- resume from a damaged work folder ------------------------------------------------


def _interrupted_run(out: Path, replications: int = 6) -> None:
    class Stop(Exception):
        pass

    def stop(done: int) -> None:
        if done >= replications // 2:
            raise Stop

    with pytest.raises(Stop):
        sim.run(_scenario(), replications=replications, seed=3, out=out, on_progress=stop)


@pytest.mark.slow
def test_a_truncated_chunk_is_run_again_on_resume(tmp_path: Path) -> None:
    out = tmp_path / "r"
    _interrupted_run(out)
    chunks = sorted((tmp_path / "r.partial" / "parts" / "run-0").glob("r*"))
    assert chunks
    leads = chunks[0] / "leads.parquet"
    leads.write_bytes(leads.read_bytes()[:100])  # cut short, as by a power cut
    (chunks[-1] / "segment_days.parquet").unlink()  # a chunk missing a table
    # A handler on the store's own logger: other tests in the same process may have changed
    # logging's configuration (Dask configures it on import), which caplog depends on.
    store_log = logging.getLogger("sim.execution.store")
    messages: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: messages.append(record.getMessage())  # type: ignore[method-assign]
    was_disabled, level = store_log.disabled, store_log.level
    store_log.disabled = False
    store_log.setLevel(logging.WARNING)
    store_log.addHandler(handler)
    try:
        resumed = sim.run(None, resume=out)
    finally:
        store_log.removeHandler(handler)
        store_log.disabled, store_log.level = was_disabled, level
    text = "\n".join(messages)
    assert "leads.parquet cannot be read" in text
    assert "segment_days.parquet cannot be read" in text
    sim.save(sim.run(_scenario(), replications=6, seed=3), tmp_path / "whole")
    assert resumed.replications == 6
    assert_same_files(out, tmp_path / "whole")
    assert not (tmp_path / "r.partial").exists()


@pytest.mark.slow
def test_a_chunk_holding_other_replications_is_run_again(tmp_path: Path) -> None:
    out = tmp_path / "r"
    _interrupted_run(out)
    chunks = sorted((tmp_path / "r.partial" / "parts" / "run-0").glob("r*"))
    days = chunks[0] / "operator_days.parquet"
    frame = pd.read_parquet(days)
    frame.assign(replication=frame["replication"] + 50).to_parquet(days, index=False)
    sim.run(None, resume=out)
    sim.save(sim.run(_scenario(), replications=6, seed=3), tmp_path / "whole")
    assert_same_files(out, tmp_path / "whole")


@pytest.mark.parametrize(
    "manifest",
    [
        "",
        "[" * 100_000,
        json.dumps({"tool": "callsim", "kind": "partial", "plan": {}}),
        json.dumps({"tool": "callsim", "kind": "partial", "plan": {"kind": "run", "seed": 1}}),
        json.dumps({"tool": "callsim", "kind": "partial", "plan": "run"}),
    ],
)
def test_a_damaged_work_folder_is_one_line_on_resume(
    manifest: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r"
    _interrupted_run(out)
    work = tmp_path / "r.partial"
    (work / "manifest.json").write_text(manifest)
    with pytest.raises(ExperimentError, match=r"r\.partial"):
        sim.run(None, resume=out)
    assert main(["run", "--resume", str(out), "--quiet"]) == 2
    printed = capsys.readouterr().err.strip()
    assert printed.count("\n") == 0 and "--force" in printed, printed
    assert work.is_dir()  # nothing thrown away


def test_a_plan_with_a_label_that_is_a_path_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "r"
    _interrupted_run(out)
    path = tmp_path / "r.partial" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["plan"]["runs"][0]["label"] = "../../escape"
    path.write_text(json.dumps(manifest))
    with pytest.raises(ExperimentError, match="plain folder name"):
        sim.run(None, resume=out)
    assert not (tmp_path.parent / "escape").exists()


# --- executors that fail, and -q ----------------------------------------------------------


@pytest.mark.slow
def test_workers_that_cannot_start_leave_no_work_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import multiprocessing.context

    def no_pool(*args: object, **kwargs: object) -> None:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(multiprocessing.context.BaseContext, "Pool", no_pool)
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(json.dumps(constant_scenario(name="tiny")))
    out = tmp_path / "r"
    args = ["run", str(scenario), "-n", "2", "--jobs", "2", "--quiet", "--out", str(out)]
    assert main(args) == 1
    printed = capsys.readouterr().err.strip()
    assert printed.count("\n") == 0 and "cannot start 2 worker processes" in printed, printed
    assert "nothing had finished" in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.yaml"]  # nothing blocks a rerun
    monkeypatch.undo()
    assert main(args) == 0


def test_quiet_silences_dask_info_logging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASK_LOGGING__DISTRIBUTED", raising=False)
    monkeypatch.setattr(logging.getLogger("distributed"), "level", logging.INFO)
    assert main(["run", "--resume", str(tmp_path / "none"), "-q"]) == 2
    assert logging.getLogger("distributed").getEffectiveLevel() == logging.WARNING
    import os

    assert os.environ["DASK_LOGGING__DISTRIBUTED"] == "warning"  # for Dask imported later


def test_text_that_reads_like_a_missing_value_is_kept_and_nan_is_a_missing_number(
    tmp_path: Path,
) -> None:
    from sim.storage.table_checks import read_csv_table

    path = tmp_path / "sweep.csv"
    path.write_text(
        "point,x,metric,profile,mean,ci_low,ci_high,replications\n0,1,dials,NA,1.5,nan,,2\n"
    )
    table = read_csv_table(path, "sweep", ["x"])
    assert table["profile"].tolist() == ["NA"]
    assert table["ci_low"].isna().all() and table["ci_high"].isna().all()
    assert table["mean"].tolist() == [1.5]


# --- the sales outputs: meetings.parquet and a compared run's money.csv ---------------------


def _sales(**changes: object) -> sim.Scenario:
    return _scenario(sales={"sellers": [{"count": 1}]}, **changes)


@pytest.fixture(scope="module")
def sales_folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A run with sellers and meetings, and a comparison of two such scenarios."""
    root = tmp_path_factory.mktemp("sales")
    scenario = _sales()
    sim.run(scenario, replications=2, seed=1, out=root / "run")
    sim.compare([scenario, _sales(name="other")], replications=2, seed=1, out=root / "compare")
    return {kind: root / kind for kind in ("run", "compare")}


def _money(folder: Path) -> Path:
    return folder / "runs" / "tiny" / "money.csv"


SALES_DAMAGES: dict[str, tuple[str, Callable[[Path], object], str]] = {
    "meetings swapped for leads": (
        "run",
        lambda f: shutil.copyfile(f / "leads.parquet", f / "meetings.parquet"),
        "holds the leads table, not meetings",
    ),
    "meetings truncated": (
        "run",
        lambda f: (f / "meetings.parquet").write_bytes((f / "meetings.parquet").read_bytes()[:300]),
        "meetings.parquet: cannot be read",
    ),
    "money swapped for the comparison": (
        "compare",
        lambda f: shutil.copyfile(f / "comparison.csv", _money(f)),
        "holds the comparison table, not money",
    ),
    "header-only money": (
        "compare",
        lambda f: _money(f).write_text(_money(f).read_text().splitlines()[0] + "\n"),
        "money.csv: holds no rows",
    ),
    "non-numeric money": (
        "compare",
        lambda f: _money(f).write_text(
            _money(f).read_text().replace("cost_per_sale,", "cost_per_sale,lots", 1)
        ),
        "holds 'lots",
    ),
    "a money figure missing": (
        "compare",
        lambda f: _money(f).write_text(
            "".join(
                line
                for line in _money(f).read_text().splitlines(keepends=True)
                if not line.startswith("gross_margin,")
            )
        ),
        "lacks the figures gross_margin",
    ),
    "empty money": ("compare", lambda f: _money(f).write_text(""), "money.csv: cannot be read"),
}


@pytest.mark.parametrize("damage", list(SALES_DAMAGES))
def test_damaged_sales_outputs_are_one_line_and_exit_2(
    damage: str,
    sales_folders: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    kind, spoil, words = SALES_DAMAGES[damage]
    folder = _copy(sales_folders, kind, tmp_path)
    spoil(folder)
    before = sorted(p.name for p in folder.rglob("*"))
    for command in ("plot", "report"):
        assert main([command, str(folder)]) == 2
        printed = capsys.readouterr().err.strip()
        assert printed.count("\n") == 0 and words in printed, printed
    assert sorted(p.name for p in folder.rglob("*")) == before


def test_a_run_that_booked_no_meeting_opens_plots_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every line busy: sellers but never a meeting. The empty meetings table once came back
    # with untyped text columns and the run's own folder was refused as damaged.
    scenario = _sales(segments={"seg": {"line": {"busy_prob": 1.0, "no_answer_prob": 0.0}}})
    folder = tmp_path / "run"
    assert (
        main(["run", _write(scenario, tmp_path), "-n", "2", "-j", "1", "-q", "--out", str(folder)])
        == 0
    )
    results = sim.load(folder)
    assert results.meetings is not None and len(results.meetings) == 0
    for command in ("plot", "report"):
        assert main([command, str(folder)]) == 0, capsys.readouterr().err
    assert (folder / "charts" / "sellers_backlog.png").stat().st_size > 0


def _write(scenario: sim.Scenario, folder: Path) -> str:
    path = folder / "scenario.yaml"
    path.write_text(json.dumps(scenario.model_dump(mode="json")), encoding="utf-8")
    return str(path)


def _values(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "values.parquet")


SENSITIVITY_DAMAGES: dict[str, tuple[Callable[[Path], object], str]] = {
    "values swapped for another table": (
        lambda f: _table(f, "values").rename(columns=str.upper).to_parquet(f / "values.parquet"),
        "values.parquet: lacks the points base",
    ),
    "values as text": (
        lambda f: _values(f).astype(str).to_parquet(f / "values.parquet"),
        "values.parquet: holds values that are not numbers",
    ),
    "values of fewer replications": (
        lambda f: _values(f).iloc[:1].to_parquet(f / "values.parquet"),
        "values.parquet: holds 1 rows, not the folder's 2 replications",
    ),
}


@pytest.mark.parametrize("damage", list(SENSITIVITY_DAMAGES))
def test_a_damaged_sensitivity_folder_is_one_line(damage: str, tmp_path: Path) -> None:
    # Once a KeyError over several lines, blaming the manifest.
    folder = tmp_path / "effects"
    sim.sensitivity(
        _scenario(), ["team.0.count=1:2"], "dials", method="oat", replications=2, out=folder
    )
    spoil, words = SENSITIVITY_DAMAGES[damage]
    spoil(folder)
    with pytest.raises(ResultsDirError, match="damaged") as error:
        sim.load(folder)
    assert words in str(error.value) and "\n" not in str(error.value)
