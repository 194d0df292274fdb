"""Engine dispatch throughput against bare SimPy, side by side in one run.

Both sides simulate the same M/M/c queue (Poisson calls, c identical units,
exponential service, zero travel). Bare SimPy is the textbook model: one
process per call that requests a `simpy.Resource`. The engine runs the same
queue through `DrillModel`: scripted incident stream, priority dispatch queue,
Mesa unit agents, the unit cycle and a typed event log. Throughput is
simulated incidents per wall-clock second; the ratio is engine ÷ bare, taken
per interleaved repeat (so machine noise hits both sides of a pair alike) and
summarised by its median and quartiles. SimPy events are counted in a separate
untimed run, so the counter costs neither side any time.

Incidents per second, not SimPy events per second, is the like-for-like
measure: the engine needs 3 SimPy events per incident where the textbook
model needs 6, so events per second would reward the more wasteful design.

Usage: python benchmarks/bench_dispatch.py [--hours 1000] [--repeats 21]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import numpy as np
import simpy

from sim.calc.erlang import _OnePointWorld, erlang_c_wq, mmc_scenario
from sim.model import DrillModel, relaxed_gc
from sim.routing import ZeroRouter

LAM, MU, C = 4.0, 1.5, 4


class CountingEnv(simpy.Environment):
    """Counts processed SimPy events; used in a separate untimed run of each side."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.n_events = 0

    def step(self) -> None:
        self.n_events += 1
        super().step()


def bare_simpy(hours: float, seed: int, env_cls=simpy.Environment) -> tuple[int, float, Any]:
    """Textbook SimPy M/M/c; returns (incidents, mean wait h, environment)."""
    env = env_cls()
    units = simpy.Resource(env, capacity=C)
    rng = np.random.default_rng(seed)
    waits: list[float] = []

    def call(env):
        t0 = env.now
        with units.request() as req:
            yield req
            waits.append(env.now - t0)
            yield env.timeout(rng.exponential(60.0 / MU))

    def source(env):
        while True:
            yield env.timeout(rng.exponential(60.0 / LAM))
            env.process(call(env))

    env.process(source(env))
    env.run(until=hours * 60)
    return len(waits), float(np.mean(waits)) / 60, env


def bare_simpy_dispatch(
    hours: float, seed: int, env_cls=simpy.Environment
) -> tuple[int, float, Any]:
    """Hand-written SimPy dispatch doing the engine's job without the engine.

    A priority queue of incident records (`simpy.PriorityStore`), unit processes
    that take the most urgent incident, travel (zero here), work on scene and
    return, and a plain list of (time, kind, incident, unit) records as the log:
    what a modeller would write directly in SimPy for the same dispatch model.
    """
    env = env_cls()
    queue = simpy.PriorityStore(env)
    rng = np.random.default_rng(seed)
    log: list[tuple] = []
    waits: list[float] = []

    def source(env):
        k = 0
        while True:
            yield env.timeout(rng.exponential(60.0 / LAM))
            k += 1
            log.append((env.now, "incident_reported", k, ""))
            queue.put(simpy.PriorityItem((5, env.now, k), k))

    def unit(env, uid):
        while True:
            item = yield queue.get()
            _, t_rep, k = item.priority
            waits.append(env.now - t_rep)
            log.append((env.now, "unit_dispatched", k, uid))
            log.append((env.now, "unit_arrived", k, uid))
            yield env.timeout(rng.exponential(60.0 / MU))
            log.append((env.now, "incident_resolved", k, uid))
            log.append((env.now, "unit_returned", k, uid))

    env.process(source(env))
    for u in range(C):
        env.process(unit(env, f"u{u}"))
    env.run(until=hours * 60)
    return len(waits), float(np.mean(waits)) / 60, env


def engine(hours: float, seed: int, env_cls=simpy.Environment) -> DrillModel:
    """Same queue through the drill engine (model construction + run)."""
    scen = mmc_scenario(LAM, MU, C, hours, seed)
    m = DrillModel(scen, _OnePointWorld(), seed, router=ZeroRouter())
    if env_cls is not simpy.Environment:
        m.env.__class__ = env_cls  # add the counter; the model's processes have not run yet
        m.env.n_events = 0
    m.run()
    return m


def simpy_events_per_incident(hours: float) -> tuple[float, float, float]:
    """SimPy events per incident on each side, from one untimed counting run each."""
    nb, _, eb = bare_simpy(hours, 0, CountingEnv)
    nd, _, ed = bare_simpy_dispatch(hours, 0, CountingEnv)
    m = engine(hours, 0, CountingEnv)
    return eb.n_events / nb, ed.n_events / nd, m.env.n_events / m.log.count("unit_dispatched")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hours", type=float, default=1000)
    ap.add_argument("--repeats", type=int, default=21)
    a = ap.parse_args()
    rates: dict[str, list[float]] = {"bare": [], "dispatch": [], "dispatch_gc": [], "engine": []}
    for r in range(a.repeats):  # interleaved so machine noise hits all sides alike
        t = time.perf_counter()
        nb, wb, _ = bare_simpy(a.hours, r)
        rates["bare"].append(nb / (time.perf_counter() - t))
        t = time.perf_counter()
        nd, wd, _ = bare_simpy_dispatch(a.hours, r)
        rates["dispatch"].append(nd / (time.perf_counter() - t))
        t = time.perf_counter()
        with relaxed_gc():  # the engine's own GC setting, for a like-for-like baseline
            ng, _, _ = bare_simpy_dispatch(a.hours, r)
        rates["dispatch_gc"].append(ng / (time.perf_counter() - t))
        t = time.perf_counter()
        m = engine(a.hours, r)
        dt = time.perf_counter() - t
        ne = m.log.count("unit_dispatched")
        rates["engine"].append(ne / dt)
        logged = len(m.log) / ne
        we = float(np.mean([e.payload["wait_min"] for e in m.log.of_kind("unit_dispatched")])) / 60
    epi_b, epi_d, epi_e = simpy_events_per_incident(min(a.hours, 1000))
    b, d, g, e = (
        statistics.median(rates[k]) for k in ("bare", "dispatch", "dispatch_gc", "engine")
    )
    print(
        f"M/M/{C}: λ={LAM}/h μ={MU}/h, {a.hours:.0f} h simulated, {a.repeats} interleaved repeats"
    )
    print(
        f"Erlang C Wq = {erlang_c_wq(LAM, MU, C):.4f} h; bare SimPy Wq = {wb:.4f} h; "
        f"bare dispatch Wq = {wd:.4f} h; engine Wq = {we:.4f} h"
    )
    print()
    print("| side | incidents / s (median) | µs per incident | SimPy events per incident |")
    print("|---|---|---|---|")
    print(f"| bare SimPy M/M/c (Resource) | {b:,.0f} | {1e6 / b:.1f} | {epi_b:.2f} |")
    print(
        "| bare SimPy dispatch (PriorityStore + unit processes + list log) "
        f"| {d:,.0f} | {1e6 / d:.1f} | {epi_d:.2f} |"
    )
    print(
        "| bare SimPy dispatch, GC relaxed as in the engine (`sim.model.relaxed_gc`) "
        f"| {g:,.0f} | {1e6 / g:.1f} | {epi_d:.2f} |"
    )
    print(
        f"| jmsim engine (DrillModel, {logged:.1f} logged events per incident) "
        f"| {e:,.0f} | {1e6 / e:.1f} | {epi_e:.2f} |"
    )
    for name, k in (
        ("bare M/M/c", "bare"),
        ("bare dispatch", "dispatch"),
        ("bare dispatch, relaxed GC", "dispatch_gc"),
    ):
        pair = [x / y for x, y in zip(rates["engine"], rates[k], strict=True)]
        q1, q2, q3 = statistics.quantiles(pair, n=4) if len(pair) > 1 else (pair[0],) * 3
        print(
            f"| **ratio engine / {name}** (median of {len(pair)} side-by-side pairs; "
            f"quartiles) | **{q2:.2f}** ({q1:.2f}–{q3:.2f}) | | |"
        )


if __name__ == "__main__":
    main()
