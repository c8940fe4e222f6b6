"""callsim: discrete-event Monte Carlo simulation of an outbound B2B cold-calling centre.

Public API::

    import sim
    scenario = sim.load_scenario("scenarios/students-vs-experienced.yaml")
    results = sim.run(scenario, replications=40, seed=1, jobs=2)
    results.summary()
    sim.save(results, "results/my-run")      # and sim.load("results/my-run")

    comparison = sim.compare(["a.yaml", "b.yaml"], replications=40, seed=1, jobs=2)
    comparison.to_frame()          # paired differences under common random numbers
    grid = sim.sweep("a.yaml", ["team.0.count=4,6,8"], replications=20, out="results/sweep")
    effects = sim.sensitivity("a.yaml", ["team.0.count=4:8"], "meetings", method="oat")
    crossing = sim.break_even("a.yaml", "b.yaml", "profiles.student.discovery_skill=0.5:1.5",
                              "cost_per_meeting")

Charts and the HTML report are in :mod:`sim.presentation` (``sim.presentation.plots``).
The package is layered, bottom to top: scenario, model, records, analysis, execution, storage,
api, presentation, cli (see ``docs/architecture.md``); this module only re-exports.

``sim.core_info()`` says which core runs the per-attempt loop: the compiled extensions or the
pure-Python modules (identical results; ``CALLSIM_CORE`` chooses, see :mod:`sim._core`).
"""

# First: sim._core decides which core runs before any sim.model module is imported.
from sim._core import CoreInfo, core_info  # isort: skip
from sim._version import __version__
from sim.analysis.break_even import BreakEven
from sim.analysis.comparison import Comparison
from sim.analysis.results import Results
from sim.analysis.sensitivity import Sensitivity
from sim.analysis.sweep import Sweep
from sim.api.break_even import break_even
from sim.api.compare import compare
from sim.api.pipeline import ExperimentOptions
from sim.api.run import run
from sim.api.sensitivity import sensitivity
from sim.api.sweep import sweep
from sim.errors import (
    ArgumentTypeError,
    ArgumentValueError,
    CallsimError,
    CoreError,
    ExecutionError,
    ExperimentError,
    ResultsDirError,
    ScenarioError,
    UnknownNameError,
)
from sim.scenario import Scenario
from sim.scenario.io import load_scenario, scenario_from_mapping
from sim.storage import load, save

__all__ = [
    "ArgumentTypeError",
    "ArgumentValueError",
    "BreakEven",
    "CallsimError",
    "Comparison",
    "CoreError",
    "CoreInfo",
    "ExecutionError",
    "ExperimentError",
    "ExperimentOptions",
    "Results",
    "ResultsDirError",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "Sweep",
    "UnknownNameError",
    "__version__",
    "break_even",
    "compare",
    "core_info",
    "load",
    "load_scenario",
    "run",
    "save",
    "scenario_from_mapping",
    "sensitivity",
    "sweep",
]
