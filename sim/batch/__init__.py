"""Plan evaluation at scale: Monte Carlo batches, sweeps, plan comparison, reports.

Modules, one concept each: `paths` (addressing fields of a scenario mapping),
`uncertainty` (distribution nodes and Latin hypercube sampling), `outcomes`
(per-run indicator values), `store` (atomic, resumable batch directories),
`executor` (local processes or a Dask cluster), `montecarlo` (the batch itself),
`report` (self-contained HTML), `sweep` (stress tests and PRIM scenario
discovery) and `compare` (paired plan comparison with common random numbers).
"""
