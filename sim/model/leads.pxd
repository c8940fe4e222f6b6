# Cython augmentation of leads.py (the compiled core; the .py is the single source).
# Lead becomes an extension type with C fields, so the per-attempt loop reads and writes a
# company's state without dictionary or descriptor lookups. Widths: Py_ssize_t (64 bits) for
# every counter, double for uniforms; Python semantics are unchanged at these sizes.

cdef class Lead:
    cdef public Py_ssize_t attempts
    cdef public Py_ssize_t budget_start
    cdef public Py_ssize_t callback_seq
    cdef public Py_ssize_t dm_contact_attempt
    cdef public Py_ssize_t dm_contact_day
    cdef public bint dm_known
    cdef public double[:] draws
    cdef public Py_ssize_t draws_end
    cdef public Py_ssize_t draws_offset
    cdef public Py_ssize_t first_day
    cdef public Py_ssize_t index
    cdef public Py_ssize_t segment
    cdef public Py_ssize_t status
