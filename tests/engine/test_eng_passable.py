"""Journeys cut off by closed roads wait and retry instead of failing the run.

`jmsim year` stopped with "road: destination unreachable" when a chain run's flood
closures cut a unit off from its base (issue #12/#16 merge).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import simpy

from sim.response.passable import RETRY_MIN, passable_leg
from sim.routing import Leg
from sim.world.errors import WorldError


class _Log:
    def __init__(self) -> None:
        self.events: list[tuple[float, str, dict]] = []

    def emit(self, t, kind, **kw) -> None:
        self.events.append((t, kind, kw))


class _Router:
    """Unreachable until `open_at` minutes, then a 12-minute leg."""

    def __init__(self, env, open_at: float, error: str) -> None:
        self.env, self.open_at, self.error = env, open_at, error

    def route(self, mode, a, b, speed):
        if self.env.now < self.open_at:
            raise WorldError(self.error)
        return Leg(mode=mode, time_min=12.0, length_m=6000.0, path_xy=np.zeros((2, 2)))


def _journey(open_at: float, error: str = "road: destination unreachable from origin"):
    env = simpy.Environment()
    model = SimpleNamespace(env=env, log=_Log(), router=_Router(env, open_at, error))
    out = {}

    def proc():
        leg = yield from passable_leg(model, "road", (0, 0), (5, 5), 30.0, unit_id="U1")
        out["left_at"], out["leg"] = env.now, leg

    env.process(proc())
    env.run(until=24 * 60)
    return out, model.log.events


def test_open_road_leaves_at_once_and_logs_nothing():
    out, events = _journey(open_at=0.0)
    assert out["left_at"] == 0.0 and out["leg"].time_min == 12.0
    assert events == []


def test_cut_off_journey_waits_for_the_road_and_logs_once():
    out, events = _journey(open_at=70.0)
    # re-checked every RETRY_MIN: leaves at the first check after the road reopens
    assert out["left_at"] == pytest.approx(np.ceil(70.0 / RETRY_MIN) * RETRY_MIN)
    assert [k for _, k, _ in events] == ["route_blocked"]
    assert events[0][0] == 0.0 and events[0][2]["unit_id"] == "U1"


def test_a_road_that_never_reopens_leaves_the_journey_unfinished():
    out, events = _journey(open_at=np.inf)
    assert "left_at" not in out and len(events) == 1


def test_other_world_errors_still_fail_loudly():
    with pytest.raises(WorldError, match="speed"):
        _journey(open_at=10.0, error="speed_kmh must be positive and finite, got -1")
