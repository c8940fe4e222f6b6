"""callsim: discrete-event Monte Carlo simulation of an outbound B2B cold-calling centre.

Public API::

    import sim
    scenario = sim.load_scenario("scenarios/students-vs-experienced.yaml")
    results = sim.run(scenario, replications=40, seed=1, jobs=2)
    results.summary()
    results.save("results/my-run")
"""

from sim.errors import CallsimError, ExperimentError, ResultsDirError, ScenarioError
from sim.results import Results
from sim.runner import run
from sim.scenario import Scenario
from sim.scenario.io import load_scenario, scenario_from_mapping

__version__ = "0.1.0"

__all__ = [
    "CallsimError",
    "ExperimentError",
    "Results",
    "ResultsDirError",
    "Scenario",
    "ScenarioError",
    "__version__",
    "load_scenario",
    "run",
    "scenario_from_mapping",
]
