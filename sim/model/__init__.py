"""The SimPy world: leads and the lead pool, callers' shifts, and the call flow."""
