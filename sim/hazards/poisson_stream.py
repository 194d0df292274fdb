"""One Poisson stream of incidents as a SimPy process (the scripted hazard's calls).

Its own module, free of pydantic and of any world, so that lean paths (the
M/M/c check) run the very same stream as `ScriptedHazard` does.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, Protocol

import numpy as np

#: Incident domain of each kind of place.
DOMAIN_OF_PLACE = {"sea": "sea", "river": "river", "town": "land"}


class StreamSpec(Protocol):
    """What the process reads of a stream (`sim.hazards.scripted.IncidentStream` has it)."""

    kind: str
    where: str
    rate_per_h: float
    needs: str
    priority: int
    work_min: float
    units_needed: int
    start_min: float
    end_min: float | None


def poisson_incidents(
    model: Any,
    s: StreamSpec,
    k: int,
    seed_rng: np.random.Generator,
    places: Callable[[], np.ndarray],
    offshore_nm: Callable[[float, float], float] | None = None,
) -> Generator:
    """Report incidents of stream `s` (number `k`) at exponential gaps until its end.

    The stream draws its own generator from `seed_rng` when it starts, picks a
    place per incident from `places()` with ±150 m jitter, and draws random
    numbers in blocks of 256 (one numpy call per block, not per incident).
    `offshore_nm(x, y)`, when given, is recorded on each incident (sea calls).
    """
    env = model.env
    end = s.end_min if s.end_min is not None else model.spec.duration_min
    if s.start_min > 0:
        yield env.timeout(s.start_min)
    rng = np.random.default_rng(seed_rng.integers(2**63) + k)
    pts = places()
    mean_gap = 60.0 / s.rate_per_h
    domain = DOMAIN_OF_PLACE[s.where]
    report = model.report_incident
    block = 256
    i = block
    while True:
        if i == block:
            gaps = rng.exponential(mean_gap, block).tolist()
            picks = rng.integers(len(pts), size=block)
            xys = (pts[picks] + rng.uniform(-150, 150, (block, 2))).tolist()
            i = 0
        gap = gaps[i]
        if env.now + gap >= end:
            return
        yield env.timeout(gap)
        x, y = xys[i]
        i += 1
        attrs = {"offshore_nm": round(float(offshore_nm(x, y)), 3)} if offshore_nm else {}
        report(
            s.kind,
            x,
            y,
            domain=domain,
            needs=s.needs,
            priority=s.priority,
            units_needed=s.units_needed,
            work_min=s.work_min,
            **attrs,
        )
