"""Chart files: the chart set drawn into PNG (and SVG) files, and a folder's headline chart.

Files are written atomically and marked as callsim's in their metadata (:data:`CHART_MARK`),
so ``callsim plot --out`` elsewhere replaces only charts callsim drew. Rendering leaves out
timestamps, so the same results give the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from sim.errors import ResultsDirError
from sim.presentation.plots.chart_set import folder_charts
from sim.presentation.plots.experiment_charts import (
    save_comparison_chart,
    save_sweep_chart,
    varied_columns,
)
from sim.presentation.plots.results_folder import (
    headline_group,
    open_folder,
    sweep_metrics,
    sweep_scenario,
)
from sim.presentation.plots.run_charts import save_contacts_chart
from sim.presentation.plots.sensitivity_charts import save_tornado_chart
from sim.storage.folders import CHARTS_DIR, file_marked, write_file_atomically

__all__ = [
    "CHART_MARK",
    "FOLDER_CHARTS",
    "PNG_DPI",
    "figure_bytes",
    "save_charts",
    "save_folder_chart",
]

PNG_DPI = 110


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """``fig`` rendered as PNG or SVG bytes (no timestamps, so output is reproducible)."""
    buffer = io.BytesIO()
    # Marked as callsim's, so a later `plot --out` may replace it and nothing else.
    metadata = {"Software": CHART_MARK} if fmt == "png" else {"Date": None, "Creator": CHART_MARK}
    # A tight bounding box keeps long tick labels of figures drawn without a layout engine.
    fig.savefig(
        buffer, format=fmt, dpi=PNG_DPI, metadata=metadata, bbox_inches="tight", pad_inches=0.1
    )
    return buffer.getvalue()


def save_charts(
    directory: str | Path, svg: bool = False, out: str | Path | None = None
) -> list[Path]:
    """Draw every chart ``directory`` allows into ``out`` (default ``directory/charts``).

    Writes ``<name>.png`` (and ``<name>.svg`` with ``svg``) per chart; returns the paths.
    """
    folder = open_folder(directory)
    charts = folder_charts(folder)  # reads what else the charts need: a damaged file stops here
    target = Path(out) if out is not None else folder.path / CHARTS_DIR
    own = {folder.path.resolve(), (folder.path / CHARTS_DIR).resolve()}
    if target.resolve() not in own:  # elsewhere, replace only charts callsim drew
        for chart, _ in charts:
            for fmt in ("png", "svg") if svg else ("png",):
                path = target / f"{chart.name}.{fmt}"
                if path.exists() and not _is_chart(path):
                    raise ResultsDirError(
                        f"{path} exists and is not a callsim chart; choose another --out"
                    )
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for chart, draw in charts:
        fig = draw()
        try:
            for fmt in ("png", "svg") if svg else ("png",):
                path = write_file_atomically(target / f"{chart.name}.{fmt}", figure_bytes(fig, fmt))
                written.append(path)
        finally:
            plt.close(fig)
    return written


CHART_MARK = "callsim"
"""What a chart file ``save_charts`` wrote holds in its metadata (PNG Software, SVG Creator)."""


def _is_chart(path: Path) -> bool:
    """Whether ``path`` is a chart file callsim drew (its metadata names callsim)."""
    return file_marked(path, CHART_MARK, 8192)


FOLDER_CHARTS = {
    "run": "contacts_per_day.png",
    "compare": "comparison.png",
    "sweep": "sweep_heatmap.png",
    "sensitivity": "tornado.png",
}
"""The headline chart a command draws into each kind of results folder after simulating
(a sweep with other than two varied parameters gets ``sweep_lines.png`` instead)."""


def save_folder_chart(directory: str | Path) -> Path:
    """Draw a results folder's headline chart into it (:data:`FOLDER_CHARTS`); its path.

    Written under a temporary name and renamed, so the folder never holds half a PNG.
    """
    folder = open_folder(directory)
    name = FOLDER_CHARTS[folder.kind]
    if (
        folder.kind == "sweep"
        and folder.table is not None
        and len(varied_columns(folder.table)) != 2
    ):
        name = "sweep_lines.png"
    path = folder.path / name
    temporary = path.with_name(f".tmp-{name}")
    try:
        if folder.kind == "run":
            assert folder.results is not None
            save_contacts_chart(folder.results, temporary)
        elif folder.kind == "compare":
            assert folder.table is not None
            save_comparison_chart(folder.table, temporary, headline_group(folder))
        elif folder.kind == "sensitivity":
            assert folder.table is not None
            save_tornado_chart(folder.table, temporary)
        else:
            assert folder.table is not None
            group = headline_group(folder)
            metrics = sweep_metrics(folder.table, group)
            scenario = sweep_scenario(folder.manifest)
            save_sweep_chart(folder.table, temporary, metrics, group, scenario)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
