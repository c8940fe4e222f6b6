"""What people see: charts, the HTML report and plain-text tables.

:mod:`sim.presentation.plots` (charts), :mod:`sim.presentation.report` (one self-contained
HTML file) and :mod:`sim.presentation.console` (the tables the command line prints).
"""
