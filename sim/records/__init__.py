"""From records to KPIs: the KPI registry and the tables of one replication.

- :mod:`sim.records.kpis` - every metric callsim reports, in one table;
- :mod:`sim.records.tables` - a replication's records turned into tidy tables;
- :mod:`sim.records.quota` and :mod:`sim.records.cost` - quota attainment and pay per
  operator-day;
- :mod:`sim.records.replication` - one replication, simulated and tabulated.
"""
