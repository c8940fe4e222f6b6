"""The public API's experiments: :func:`run`, :func:`compare` and :func:`sweep`.

Each kind is one module that builds its plan and its collector; :mod:`.pipeline` executes and
saves every kind the same way, with one :class:`~sim.api.pipeline.ExperimentOptions`.
:mod:`.designs` parses sweep designs and :mod:`.scenarios` labels an experiment's scenarios.
"""
