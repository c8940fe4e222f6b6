"""callsim: discrete-event Monte Carlo simulation of an outbound B2B cold-calling centre.

Public API::

    import sim
    scenario = sim.load_scenario("scenarios/students-vs-experienced.yaml")
    results = sim.run(scenario, replications=40, seed=1, jobs=2)
    results.summary()
    results.save("results/my-run")

    comparison = sim.compare(["a.yaml", "b.yaml"], replications=40, seed=1, jobs=2)
    comparison.to_frame()          # paired differences under common random numbers
    grid = sim.sweep("a.yaml", ["team.0.count=4,6,8"], replications=20, out="results/sweep")
"""

from sim.errors import CallsimError, ExperimentError, ResultsDirError, ScenarioError
from sim.experiments import Comparison, Sweep, compare, sweep
from sim.results import Results
from sim.runner import run
from sim.scenario import Scenario
from sim.scenario.io import load_scenario, scenario_from_mapping

__version__ = "0.1.0"

__all__ = [
    "CallsimError",
    "Comparison",
    "ExperimentError",
    "Results",
    "ResultsDirError",
    "Scenario",
    "ScenarioError",
    "Sweep",
    "__version__",
    "compare",
    "load_scenario",
    "run",
    "scenario_from_mapping",
    "sweep",
]
