"""Engine dispatch throughput against bare SimPy, side by side in one run.

Both sides simulate the same M/M/c queue (Poisson calls, c identical units,
exponential service, zero travel). Bare SimPy is the textbook model: one
process per call that requests a `simpy.Resource`. The engine runs the same
queue through `DrillModel`: scripted incident stream, priority dispatch queue,
Mesa unit agents, the unit cycle and a typed event log. Throughput is
simulated incidents per wall-clock second; the ratio is engine ÷ bare.

Usage: python benchmarks/bench_dispatch.py [--hours 3000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import simpy

from sim.calc.erlang import _OnePointWorld, erlang_c_wq, mmc_scenario
from sim.model import DrillModel
from sim.routing import ZeroRouter

LAM, MU, C = 4.0, 1.5, 4


class CountingEnv(simpy.Environment):
    """Counts processed SimPy events (same overhead on both sides)."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.n_events = 0

    def step(self) -> None:
        self.n_events += 1
        super().step()


def bare_simpy(hours: float, seed: int) -> tuple[int, float, int]:
    """Textbook SimPy M/M/c; returns (incidents, mean wait h, SimPy events)."""
    env = CountingEnv()
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
    return len(waits), float(np.mean(waits)) / 60, env.n_events


def bare_simpy_dispatch(hours: float, seed: int) -> tuple[int, float, int]:
    """Hand-written SimPy dispatch doing the engine's job without the engine.

    A priority queue of incident records (`simpy.PriorityStore`), unit processes
    that take the most urgent incident, travel (zero here), work on scene and
    return, and a plain list of (time, kind, incident, unit) records as the log:
    what a modeller would write directly in SimPy for the same dispatch model.
    """
    env = CountingEnv()
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
    return len(waits), float(np.mean(waits)) / 60, env.n_events


def engine(hours: float, seed: int) -> DrillModel:
    """Same queue through the drill engine (model construction + run)."""
    scen = mmc_scenario(LAM, MU, C, hours, seed)
    m = DrillModel(scen, _OnePointWorld(), seed, router=ZeroRouter())
    m.env.__class__ = CountingEnv  # add the counter; the model's processes have not run yet
    m.env.n_events = 0
    m.run()
    return m


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hours", type=float, default=3000)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    rb, re_, sb, se, le, rd, sd = [], [], [], [], [], [], []
    for r in range(a.repeats):  # interleaved so machine noise hits both sides alike
        t = time.perf_counter()
        nb, wb, evb = bare_simpy(a.hours, r)
        dt = time.perf_counter() - t
        rb.append(nb / dt)
        sb.append(evb / dt)
        t = time.perf_counter()
        nd, wd, evd = bare_simpy_dispatch(a.hours, r)
        dt = time.perf_counter() - t
        rd.append(nd / dt)
        sd.append(evd / dt)
        t = time.perf_counter()
        m = engine(a.hours, r)
        dt = time.perf_counter() - t
        ne, ev = m.log.count("unit_dispatched"), len(m.log)
        re_.append(ne / dt)
        se.append(m.env.n_events / dt)
        le.append(ev / dt)
        we = float(np.mean([e.payload["wait_min"] for e in m.log.of_kind("unit_dispatched")])) / 60
    b, e = statistics.median(rb), statistics.median(re_)
    md = statistics.median
    print(
        f"M/M/{C}: λ={LAM}/h μ={MU}/h, {a.hours:.0f} h simulated, {a.repeats} interleaved repeats"
    )
    print(
        f"Erlang C Wq = {erlang_c_wq(LAM, MU, C):.4f} h; bare SimPy Wq = {wb:.4f} h; "
        f"bare dispatch Wq = {wd:.4f} h; engine Wq = {we:.4f} h"
    )
    print()
    print("| side | incidents / s | SimPy events / s | logged events / s |")
    print("|---|---|---|---|")
    print(f"| bare SimPy M/M/c (Resource) | {b:,.0f} | {md(sb):,.0f} | – |")
    d = md(rd)
    print(
        f"| bare SimPy dispatch (PriorityStore + unit processes + list log) | {d:,.0f} | {md(sd):,.0f} | – |"
    )
    print(
        f"| jmsim engine (DrillModel) | {e:,.0f} | {md(se):,.0f} | {md(le):,.0f} ({ev / ne:.1f} per incident) |"
    )
    print(f"| **ratio engine / bare M/M/c** | **{e / b:.2f}** | **{md(se) / md(sb):.2f}** | |")
    print(f"| **ratio engine / bare dispatch** | **{e / d:.2f}** | **{md(se) / md(sd):.2f}** | |")


if __name__ == "__main__":
    main()
