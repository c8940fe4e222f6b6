# Cython augmentation of operator.py (the compiled core; the .py is the single source): the
# extension types the per-attempt loop's typed locals (``@cython.locals``) refer to, and the
# caller's duration streams as an extension-type dataclass (C field access per attempt).
from sim.model.decisions cimport CallParams, decide_attempt
from sim.model.leads cimport Lead

cdef class SegmentDurations:
    cdef readonly tuple line_times
    cdef readonly object gatekeeper_talk
    cdef readonly object hop_talk
    cdef readonly tuple stage_talk
