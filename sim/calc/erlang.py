"""Erlang C (M/M/c) and a check of the engine's dispatch machinery against it.

The check is the engine's queueing ground truth: Poisson incidents at one
base, `c` identical units, exponential on-scene time and zero travel make the
dispatch centre an M/M/c queue, whose mean wait is known exactly.

The check runs on `sim.calc.queue_model.QueueModel` (the real dispatch centre,
incident stream and event log, without Mesa or a world: it starts in a fraction
of the time); `mmc_drill_model` builds the same queue as a full `DrillModel`,
and the two give byte-identical event logs.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.model import DrillModel
    from sim.scenario.schema import Scenario


def erlang_c_wait_probability(lam: float, mu: float, c: int) -> float:
    """P(wait) for M/M/c (Erlang C formula).

    Source: Erlang (1917); formula as in Kleinrock (1975) Queueing Systems
    vol. 1, eq. 3.40, and shared reference models.md §4.
    """
    if lam <= 0 or mu <= 0 or c < 1:
        raise ValueError(f"need lam>0, mu>0, c>=1; got lam={lam}, mu={mu}, c={c}")
    a = lam / mu
    rho = a / c
    if rho >= 1:
        raise ValueError(f"unstable queue: utilisation λ/(cμ) = {rho:.3f} must be < 1")
    # sum_{k<c} a^k/k! computed in log space for large c
    terms = [math.exp(k * math.log(a) - math.lgamma(k + 1)) for k in range(c)]
    top = math.exp(c * math.log(a) - math.lgamma(c + 1)) / (1 - rho)
    return top / (sum(terms) + top)


def erlang_c_wq(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue W_q = P(wait) / (cμ − λ) (same time unit as 1/λ)."""
    return erlang_c_wait_probability(lam, mu, c) / (c * mu - lam)


def batch_means_se(x: np.ndarray, batches: int = 20) -> float:
    """Standard error of a correlated series' mean by non-overlapping batch means.

    Successive queue waits are strongly autocorrelated, so the naive s/√n
    understates the error; batch means (Law & Kelton 2000, §9.5.3) do not.
    """
    k = len(x) // batches
    means = x[: k * batches].reshape(batches, k).mean(axis=1)
    return float(means.std(ddof=1) / math.sqrt(batches))


def mmc_scenario(lam_per_h: float, mu_per_h: float, c: int, hours: float, seed: int) -> Scenario:
    """A scripted scenario that is an M/M/c queue: one base, zero travel."""
    from sim.hazards.scripted import IncidentStream, ScriptedParams
    from sim.scenario.schema import (
        DispatchSpec,
        LatLon,
        Meta,
        PlanSpec,
        ReportingSpec,
        RunSpec,
        Scenario,
        UnitSpec,
        VehicleSpec,
    )

    base = LatLon(lat=22.58, lon=113.08)
    return Scenario(
        scenario=Meta(
            id="erlang_check",
            title="M/M/c check",
            hazard="scripted",
            start_time=datetime(2025, 1, 1),
            duration_h=hours,
        ),
        hazard=ScriptedParams(
            streams=[
                IncidentStream(
                    kind="call",
                    where="town",
                    rate_per_h=lam_per_h,
                    work_min=60.0 / mu_per_h,
                    needs="general",
                )
            ]
        ),
        plan=PlanSpec(
            units=[
                UnitSpec(
                    id="u",
                    type="generic",
                    count=c,
                    capabilities=["general"],
                    base=base,
                    vehicle=VehicleSpec(type="car", road_kmh=60.0),
                )
            ],
            dispatch=DispatchSpec(call_handling_min=0.0, turnout_min=0.0),
            # a pure dispatch queue: no reports up the administrative chain
            reporting=ReportingSpec(enabled=False),
        ),
        run=RunSpec(seed=seed, tick_min=60.0),
    )


class _OnePointWorld:
    """Minimal world for the queue check: one town, no geography."""

    def __init__(self) -> None:
        import pandas as pd

        from sim.geo import to_utm

        x, y = to_utm(22.58, 113.08)
        self.towns = pd.DataFrame({"x_m": [float(x)], "y_m": [float(y)]})
        self.name = "one-point"


def mmc_drill_model(
    lam_per_h: float, mu_per_h: float, c: int, hours: float, seed: int
) -> DrillModel:
    """The check's queue as a full `DrillModel` (Mesa agents, scenario schema, world)."""
    from sim.model import DrillModel
    from sim.routing import ZeroRouter

    scen = mmc_scenario(lam_per_h, mu_per_h, c, hours, seed)
    return DrillModel(scen, _OnePointWorld(), seed, router=ZeroRouter())


#: The event kinds `erlang_check` reads: report times and each dispatch's queue wait.
ERLANG_KINDS = frozenset({"incident_reported", "unit_dispatched"})


def erlang_check(
    lam_per_h: float,
    mu_per_h: float,
    c: int,
    hours: float,
    seed: int,
    warmup_h: float | None = None,
) -> dict:
    """Simulate the M/M/c dispatch and compare mean queue wait with Erlang C.

    Waits are measured for incidents reported after a warm-up (default 5 % of
    the run) so the empty-start transient does not bias the mean low.
    """
    from sim.calc.queue_model import QueueModel

    # the log keeps the two kinds read here (all seven are still emitted and time-checked)
    log = QueueModel(lam_per_h, mu_per_h, c, hours, seed, keep=ERLANG_KINDS).run()
    warm = (0.05 * hours if warmup_h is None else warmup_h) * 60.0
    # Raw rows, read as the materialised `Event`s are (rounded to 6 decimals), without
    # building them. A report time is only rounded near the warm-up's end: rounding
    # moves it by at most 5e-7 min, so farther away the comparison cannot change.
    lo, hi = warm - 1e-5, warm + 1e-5
    late = {
        r[2]
        for r in log.raw_of_kind("incident_reported")
        if r[0] >= hi or (r[0] > lo and round(r[0], 6) >= warm)
    }
    waits = [
        round(r[7]["wait_min"], 6) / 60.0
        for r in log.raw_of_kind("unit_dispatched")
        if r[2] in late
    ]
    wq = erlang_c_wq(lam_per_h, mu_per_h, c)
    sim_wq = float(np.mean(waits)) if waits else math.nan
    se = batch_means_se(np.array(waits)) if len(waits) >= 200 else math.nan
    return {
        "arrivals_per_h": lam_per_h,
        "service_per_h": mu_per_h,
        "servers": c,
        "hours": hours,
        "seed": seed,
        "incidents": len(waits),
        "utilisation": lam_per_h / (c * mu_per_h),
        "sim_wq_h": sim_wq,
        "sim_wq_se_h": se,
        "erlang_wq_h": wq,
        "erlang_p_wait": erlang_c_wait_probability(lam_per_h, mu_per_h, c),
        "sim_p_wait": float(np.mean(np.array(waits) > 1e-12)) if waits else math.nan,
        "rel_error": (sim_wq - wq) / wq if wq > 0 else math.nan,
    }
