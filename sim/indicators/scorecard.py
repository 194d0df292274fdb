"""The scorecard: every applicable indicator, its target, estimate, interval, verdict.

Rules (shared INDICATORS.md): proportions get a Wilson 95 % interval; times get
mean, P50 and P90 with a bootstrap interval for P90 and the verdict is on P90;
per-run rates get a bootstrap interval of the mean over runs; static indicators
are exact. An indicator with no qualifying events says so and has no verdict.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from sim.indicators.catalog import CATALOG, IndicatorDef
from sim.indicators.measures import MEASURES, Samples
from sim.indicators.static import compute_static
from sim.indicators.stats import bootstrap_quantile_interval, verdict, wilson_interval

NO_EVENTS = "no qualifying events"
COLUMNS = [
    "id",
    "wording_zh",
    "unit",
    "direction",
    "year",
    "target",
    "estimate",
    "ci_low",
    "ci_high",
    "n",
    "statistic",
    "verdict",
    "detail",
    "trace",
]


def _trace(s: Samples, k: int = 5) -> str:
    head = ", ".join(s.trace[:k])
    return head + (f", … (+{len(s.trace) - k})" if len(s.trace) > k else "")


def _phases_text(phases: dict[str, float] | None) -> str:
    """'; phases (mean h): queue_wait 0.10, weather_hold 2.30, ...' for arrival rows."""
    if not phases:
        return ""
    return "; phases (mean h): " + ", ".join(f"{k} {v:.2f}" for k, v in phases.items())


def _row(d: IndicatorDef, year: int, **kw) -> dict:
    return {
        "id": d.id,
        "wording_zh": d.wording_zh,
        "unit": d.unit,
        "direction": d.direction,
        "year": year,
        "target": d.target(year),
        "estimate": math.nan,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "n": 0,
        "statistic": "",
        "verdict": NO_EVENTS,
        "detail": "",
        "trace": "",
        **kw,
    }


def score_samples(d: IndicatorDef, s: Samples, year: int) -> dict:
    """One scorecard row from the samples of a dynamic indicator."""
    target = d.target(year)
    if s.n == 0:
        return _row(d, year, detail=d.note)
    if d.kind == "proportion":
        k = int(s.values.sum())
        lo, hi = wilson_interval(k, s.n)
        return _row(
            d,
            year,
            estimate=k / s.n,
            ci_low=lo,
            ci_high=hi,
            n=s.n,
            statistic="share (Wilson 95%)",
            verdict=verdict(lo, hi, target, d.direction),
            detail=f"{k} of {s.n}",
            trace=_trace(s),
        )
    if d.kind == "time":
        v = s.values
        p90 = float(np.quantile(v, 0.9, method="inverted_cdf"))
        lo, hi = bootstrap_quantile_interval(v, 0.9)
        finite = v[np.isfinite(v)]
        under = float(np.mean(v < target)) if target is not None else math.nan
        mean_txt = f"{finite.mean():.2f} h" if finite.size else "n/a"
        detail = (
            f"mean {mean_txt} (reached only), P50 {np.quantile(v, 0.5, method='inverted_cdf'):.2f} h, "
            f"P90 {p90:.2f} h, {under:.0%} under target"
            + (f", {s.censored} never reached in run time" if s.censored else "")
            + _phases_text(s.extra.get("phases_h"))
        )
        return _row(
            d,
            year,
            estimate=p90,
            ci_low=lo,
            ci_high=hi,
            n=s.n,
            statistic="P90 (bootstrap 95%)",
            verdict=verdict(lo, hi, target, d.direction),
            detail=detail,
            trace=_trace(s),
        )
    v = s.values[np.isfinite(s.values)]
    if v.size == 0:
        return _row(d, year, detail=d.note)
    mean = float(v.mean())
    if v.size > 1:
        rng = np.random.default_rng(0)
        boots = v[rng.integers(0, v.size, (2000, v.size))].mean(axis=1)
        lo, hi = float(np.quantile(boots, 0.025)), float(np.quantile(boots, 0.975))
    else:
        lo = hi = mean
    return _row(
        d,
        year,
        estimate=mean,
        ci_low=lo,
        ci_high=hi,
        n=int(v.size),
        statistic="mean over runs",
        verdict=verdict(lo, hi, target, d.direction),
        detail=d.note,
        trace=_trace(s),
    )


def build_scorecard(
    scenario,
    events: pd.DataFrame,
    world,
    year: int | None = None,
    samples: dict[str, Samples] | None = None,
) -> pd.DataFrame:
    """Scorecard rows for one scenario over the events of all its runs.

    `events` is the concatenated event log with a `run_id` column; `samples`
    may hold measures already computed from it (the batch reuses them).
    """
    year = year or scenario.indicators.year
    hazard = scenario.scenario.hazard
    include = scenario.indicators.include
    wanted = [
        d
        for d in CATALOG.values()
        if (include == "all" and hazard in d.hazards) or (include != "all" and d.id in include)
    ]
    # Hazard plug-ins may carry exercise targets set in the scenario (e.g. chemical `targets:`).
    hook = getattr(scenario.hazard, "indicator_targets", None)
    if callable(hook):
        over = hook()
        wanted = [
            dataclasses.replace(d, target_2023=over[d.id], target_2025=over[d.id])
            if d.id in over
            else d
            for d in wanted
        ]
    static = compute_static(scenario, world)
    rows = []
    for d in wanted:
        if d.kind == "static":
            sv = static.get(d.id)
            if sv is None or sv.value is None:
                rows.append(
                    _row(
                        d,
                        year,
                        verdict="not computed",
                        detail=d.note + " (no plan inventory for it)",
                    )
                )
                continue
            rows.append(
                _row(
                    d,
                    year,
                    estimate=sv.value,
                    ci_low=sv.value,
                    ci_high=sv.value,
                    n=1,
                    statistic="plan inventory",
                    verdict=verdict(sv.value, sv.value, d.target(year), d.direction),
                    detail=sv.detail,
                    trace="scenario plan",
                )
            )
        elif d.id in MEASURES:
            s = samples[d.id] if samples and d.id in samples else MEASURES[d.id](events)
            rows.append(score_samples(d, s, year))
    return pd.DataFrame(rows, columns=COLUMNS)


def _fmt(v: float, unit: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if isinstance(v, float) and math.isinf(v):
        return "∞"
    if unit == "share":
        return f"{v:.1%}"
    return f"{v:.3g}"


def format_scorecard(df: pd.DataFrame) -> str:
    """Plain-text table for the terminal."""
    lines = []
    for r in df.itertuples(index=False):
        tgt = f"{r.direction} {_fmt(r.target, r.unit)} ({r.year})"
        est = _fmt(r.estimate, r.unit)
        ci = (
            ""
            if r.n == 0 or r.ci_low == r.ci_high
            else f"[{_fmt(r.ci_low, r.unit)}, {_fmt(r.ci_high, r.unit)}]"
        )
        unit = "" if r.unit == "share" else r.unit
        lines.append(
            f"{r.id:<36} {r.wording_zh}\n    target {tgt} {unit}  estimate {est} {ci}  n={r.n}  "
            f"→ {r.verdict.upper()}\n    {r.statistic + ': ' if r.statistic else ''}{r.detail}"
        )
    return "\n".join(lines)
