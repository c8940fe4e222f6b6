"""Charts: pure functions ``plot_x(results, ax=None) -> Axes`` that never call ``plt.show()``.

One module per family of charts; every public function is re-exported here, so analysts
write ``from sim.presentation.plots import plot_contacts_per_day``. Each profile keeps one colour
across
every chart (:func:`profile_colors`). The numbered chart set (1-8) lives in
:mod:`sim.presentation.plots.chart_set`, the folders it is drawn from in
:mod:`sim.presentation.plots.results_folder` and the files it is drawn into in
:mod:`sim.presentation.plots.chart_files`.

=====  ===========================================  =========================================
chart  function                                     figure with companion panels
=====  ===========================================  =========================================
1      :func:`plot_contacts_per_day`                :func:`contacts_figure`
2      :func:`plot_daily_distribution`
3      :func:`plot_quota_attainment`
4      :func:`plot_funnel`                          :func:`funnel_figure`
5      :func:`plot_day_breakdown`
6      ``plot_comparison``, ``plot_sweep_heatmap``  (``sim.presentation.plots.experiment_charts``)
7      :func:`plot_attempts_to_dm`                  :func:`segment_difficulty_figure`
8      :func:`plot_quota_frontier` (two-part quotas)
=====  ===========================================  =========================================
"""

from sim.presentation.plots.chart_files import save_charts, save_folder_chart
from sim.presentation.plots.chart_set import RUN_CHARTS, Chart, folder_charts
from sim.presentation.plots.common import metric_label, segment_colors
from sim.presentation.plots.experiment_charts import (
    plot_comparison,
    plot_sweep_heatmap,
    plot_sweep_lines,
    save_comparison_chart,
    save_sweep_chart,
)
from sim.presentation.plots.quota_charts import (
    attainable_norms,
    attainment_curve,
    plot_daily_distribution,
    plot_quota_attainment,
    plot_quota_frontier,
    quota_metric,
)
from sim.presentation.plots.results_folder import open_folder
from sim.presentation.plots.run_charts import (
    contacts_figure,
    daily_means,
    day_breakdown,
    plot_connects_per_day,
    plot_contacts_per_day,
    plot_daily_metric,
    plot_day_breakdown,
    plot_dials_per_day,
    save_contacts_chart,
)
from sim.presentation.plots.segment_charts import (
    first_dm_contact,
    funnel_figure,
    funnel_table,
    plot_attempts_to_dm,
    plot_days_to_dm,
    plot_funnel,
    segment_difficulty_figure,
)
from sim.presentation.plots.sensitivity_charts import plot_tornado
from sim.presentation.plots.style import profile_colors
from sim.presentation.plots.summary_charts import plot_metric_by_run, runs_summary

__all__ = [
    "RUN_CHARTS",
    "Chart",
    "attainable_norms",
    "attainment_curve",
    "contacts_figure",
    "daily_means",
    "day_breakdown",
    "first_dm_contact",
    "folder_charts",
    "funnel_figure",
    "funnel_table",
    "metric_label",
    "open_folder",
    "plot_attempts_to_dm",
    "plot_comparison",
    "plot_connects_per_day",
    "plot_contacts_per_day",
    "plot_daily_distribution",
    "plot_daily_metric",
    "plot_day_breakdown",
    "plot_days_to_dm",
    "plot_dials_per_day",
    "plot_funnel",
    "plot_metric_by_run",
    "plot_quota_attainment",
    "plot_quota_frontier",
    "plot_sweep_heatmap",
    "plot_sweep_lines",
    "plot_tornado",
    "profile_colors",
    "quota_metric",
    "runs_summary",
    "save_charts",
    "save_comparison_chart",
    "save_contacts_chart",
    "save_folder_chart",
    "save_sweep_chart",
    "segment_colors",
    "segment_difficulty_figure",
]
