# Cython augmentation of decisions.py (the compiled core; the .py is the single source).
# CallParams becomes a frozen extension-type dataclass whose thresholds are C doubles (the
# three-cut stages as C tuples), and decide_attempt a C-callable function reading the
# company's uniforms through a typed memoryview: every comparison is a C comparison.
import cython

cdef Py_ssize_t _GK_PRESENT, _GK_OUTCOME, _REFERRAL, _DM_AVAILABLE, _NEEDS, _BOOKED

cdef class CallParams:
    cdef readonly (double, double, double) line_cuts
    cdef readonly double gatekeeper_present_prob
    cdef readonly (double, double, double) gatekeeper_cuts
    cdef readonly tuple referral_cuts
    cdef readonly tuple referral_hops
    cdef readonly tuple referral_reached_dm
    cdef readonly double dm_available_prob
    cdef readonly (double, double, double) needs_cuts
    cdef readonly double meeting_booking_prob

@cython.locals(
    x=double, gatekeeper=Py_ssize_t, hops=Py_ssize_t, i=Py_ssize_t,
    line=(double, double, double), gk=(double, double, double),
    needs=(double, double, double), chain=tuple,
)
cpdef tuple decide_attempt(const double[:] u, CallParams p, bint dm_known, Py_ssize_t start=*)
