"""Per-run outcomes: each dynamic indicator reduced to one number per run.

The pooled scorecard answers "does the plan meet the target over all runs";
per-run values answer "in how many runs does it" and feed distribution plots,
scenario discovery and paired plan comparison. The reduction matches the
scorecard statistic: a share for proportions, P90 for times (inverted CDF, as
the scorecard), the value for per-run rates.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.indicators.catalog import CATALOG, IndicatorDef
from sim.indicators.measures import MEASURES, Samples

OUT = "out."
N = "n."


def dynamic_indicators(scenario) -> list[IndicatorDef]:
    """Indicators of this scenario that are measured from the event log, in catalog order."""
    hazard = scenario.scenario.hazard
    include = scenario.indicators.include
    return [
        d
        for d in CATALOG.values()
        if d.id in MEASURES
        and ((include == "all" and hazard in d.hazards) or (include != "all" and d.id in include))
    ]


def reduce_samples(d: IndicatorDef, values: np.ndarray) -> float:
    """One number for one run's samples of indicator `d` (NaN when there are none)."""
    v = np.asarray(values, dtype=float)
    if d.kind == "rate":
        v = v[np.isfinite(v)]
    if v.size == 0:
        return math.nan
    if d.kind == "proportion":
        return float(v.mean())
    if d.kind == "time":
        return float(np.quantile(v, 0.9, method="inverted_cdf"))
    return float(v.mean())


def run_outcomes(events: pd.DataFrame, indicators: list[IndicatorDef]) -> dict[str, float | int]:
    """`out.<id>` (per-run statistic) and `n.<id>` (samples behind it) for one run's events."""
    row: dict[str, float | int] = {}
    for d in indicators:
        s = MEASURES[d.id](events)
        row[OUT + d.id] = reduce_samples(d, s.values)
        row[N + d.id] = int(s.n)
    return row


def pooled_samples(events: pd.DataFrame, indicators: list[IndicatorDef]) -> dict[str, Samples]:
    """Each measure evaluated once over the events of all runs (cheaper than per run)."""
    return {d.id: MEASURES[d.id](events) for d in indicators}


def outcomes_by_run(
    samples: dict[str, Samples], indicators: list[IndicatorDef], run_ids: list[str]
) -> pd.DataFrame:
    """Per-run `out.<id>`/`n.<id>` columns from pooled samples, rows in `run_ids` order.

    Splits samples by the run id in their trace keys (`run_id:item`), so the
    result equals `run_outcomes` applied to each run's events separately.
    """
    cols: dict[str, list] = {}
    for d in indicators:
        s = samples[d.id]
        runs = np.array([t.split(":", 1)[0] for t in s.trace], dtype=object)
        vals = np.asarray(s.values, dtype=float)
        order = np.argsort(runs, kind="stable")
        runs, vals = runs[order], vals[order]
        bounds: dict[str, tuple[int, int]] = {}
        if runs.size:
            uniq, start = np.unique(runs, return_index=True)
            ends = [*start[1:].tolist(), runs.size]
            bounds = {u: (a, b) for u, a, b in zip(uniq, start.tolist(), ends, strict=True)}
        out, n = [], []
        for r in run_ids:
            lo, hi = bounds.get(r, (0, 0))
            out.append(reduce_samples(d, vals[lo:hi]))
            n.append(int(hi - lo))
        cols[OUT + d.id], cols[N + d.id] = out, n
    return pd.DataFrame(cols)


def meets_target(d: IndicatorDef, value: float, year: int) -> bool | None:
    """Whether one run's value meets the target (None when undefined)."""
    target = d.target(year)
    if target is None or value is None or math.isnan(value):
        return None
    value = float(value)
    return {
        ">=": value >= target,
        ">": value > target,
        "<=": value <= target,
        "<": value < target,
    }[d.direction]


def better_sign(d: IndicatorDef) -> int:
    """+1 if larger values are better for `d`, −1 if smaller are."""
    return 1 if d.direction in (">=", ">") else -1
