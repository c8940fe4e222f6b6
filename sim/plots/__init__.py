"""Charts: pure functions ``plot_x(results, ax=None) -> Axes`` that never call ``plt.show()``.

One module per family of charts; every public function is re-exported here, so analysts
write ``from sim.plots import plot_contacts_per_day``. Each profile keeps one colour across
every chart (:func:`profile_colors`).
"""

from sim.plots.run_charts import (
    daily_means,
    plot_contacts_per_day,
    plot_daily_metric,
    save_contacts_chart,
)
from sim.plots.style import profile_colors

__all__ = [
    "daily_means",
    "plot_contacts_per_day",
    "plot_daily_metric",
    "profile_colors",
    "save_contacts_chart",
]
