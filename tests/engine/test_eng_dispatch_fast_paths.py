"""The dispatch cycle's open-route shortcut logs exactly what its general path logs.

Issue #15 made the per-call path cheaper: an open route is taken at once
(`passable.open_leg`) without entering `passable_leg`'s waiting loop. Each test runs
the same queue with the shortcut and with it switched off (monkeypatched to "cut
off", so every journey goes through `passable_leg` from its first try) and compares
the whole event log.
"""

from __future__ import annotations

import pytest

import sim.response.dispatch as dispatch_mod
from sim.calc.erlang import _OnePointWorld, mmc_scenario
from sim.model import DrillModel
from sim.routing import Leg, StraightLineRouter, ZeroRouter
from sim.world.errors import WorldError


def _digest(router, seed: int = 3, turnout_min: float = 0.0) -> tuple[str, dict[str, int]]:
    scen = mmc_scenario(6.0, 1.5, 5, 150.0, seed)
    disp = scen.plan.dispatch.model_copy(update={"turnout_min": turnout_min})
    scen = scen.model_copy(update={"plan": scen.plan.model_copy(update={"dispatch": disp})})
    log = DrillModel(scen, _OnePointWorld(), seed, router=router).run()
    kinds: dict[str, int] = {}
    for e in log:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    return log.digest(), kinds


def _without_open_leg(monkeypatch) -> None:
    monkeypatch.setattr(dispatch_mod, "open_leg", lambda *a, **k: None)


@pytest.mark.parametrize("router_cls", [ZeroRouter, StraightLineRouter])
def test_open_leg_shortcut_logs_what_passable_leg_logs(monkeypatch, router_cls):
    # ZeroRouter: zero-minute legs; StraightLineRouter: the ±150 m jitter around the
    # base gives legs of a few seconds, travelled as timeouts.
    fast, kinds = _digest(router_cls())
    assert kinds["unit_arrived"] > 500
    _without_open_leg(monkeypatch)
    slow, _ = _digest(router_cls())
    assert fast == slow


class _CutOffUntil(StraightLineRouter):
    """Straight-line travel, but every journey is cut off before `open_min` (flood closures)."""

    def __init__(self, model_env_ref: list, open_min: float) -> None:
        super().__init__()
        self.env_ref, self.open_min = model_env_ref, open_min

    def route(self, mode, origin_xy, dest_xy, speed_kmh) -> Leg:  # noqa: D102
        if self.env_ref[0].now < self.open_min:
            raise WorldError("road: destination unreachable from origin")
        return super().route(mode, origin_xy, dest_xy, speed_kmh)


def _cut_off_run(seed: int = 2) -> tuple[str, list]:
    scen = mmc_scenario(6.0, 1.5, 5, 20.0, seed)
    env_ref: list = []
    router = _CutOffUntil(env_ref, open_min=100.0)
    model = DrillModel(scen, _OnePointWorld(), seed, router=router)
    env_ref.append(model.env)
    log = model.run()
    return log.digest(), log.of_kind("route_blocked", "unit_arrived")


def test_open_leg_shortcut_waits_for_a_cut_road_as_passable_leg_does(monkeypatch):
    fast, events = _cut_off_run()
    blocked = [e for e in events if e.kind == "route_blocked"]
    arrived = [e for e in events if e.kind == "unit_arrived"]
    assert blocked and all(e.t_min < 100.0 for e in blocked)
    # nobody arrives before the road opens; the first retry after it is at a multiple of 30 min
    assert arrived and min(e.t_min for e in arrived) >= 100.0
    # the general path: every journey goes through passable_leg's loop from its first try
    _without_open_leg(monkeypatch)
    slow, _ = _cut_off_run()
    assert fast == slow
