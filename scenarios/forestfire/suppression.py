"""On-scene work of fire units, as dispatch handlers (SimPy generators).

The dispatch centre brings a unit to the incident point: for ground units the
staging point (the road node nearest the fire, where vehicles stop), for
helicopters the fire itself. The handlers then do the fire work:

* **ground crews** (professional 专业森林消防队 = NWCG Type I; semi-professional
  town and village teams = Type II) walk from the road to the nearest burning
  edge over the DEM at Tobler's off-path speed, build line at the NWCG rate for
  the edge's fuel (see ``fuel_map``), stay until the fire is out or their shift
  ends, mop up, and walk back. Teams with pumps and hose (the plan's Ch.4 §3
  equipment: ≥1 pump and ≥1000 m hose) attack with water and can work edge
  with flames up to 2.4 m; hand tools only to 1.2 m.
* **engines** (森林消防水罐车) work with water only within hose reach of the
  road; otherwise they stand by at staging.
* **helicopters** cycle: fly to the nearest water, fill, fly back, drop; each
  drop wets ``drop_line_m`` of the hottest edge within 3.4 m flames. They fly
  in daylight only (``flight_hours``) and stop once the fire is contained.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING

from .fire import Crew
from .terrain import walk

if TYPE_CHECKING:
    from sim.agents.units import Team
    from sim.model import DrillModel
    from sim.response.incident import Incident

GROUND_KIND = "forest_fire"
AIR_KIND = "forest_fire_air"


def _unit_spec(model: DrillModel, unit: Team):
    for s in model.spec.plan.units:
        if s.id == unit.group:
            return s
    return None


def crew_of(model: DrillModel, unit: Team) -> Crew:
    """How a team works on the line: people, NWCG crew type, flame limit."""
    sup = model.hazard.params.suppression
    spec = _unit_spec(model, unit)
    eq = dict(spec.equipment) if spec is not None else {}
    water = "engine" in unit.type or (eq.get("pumps", 0) >= 1 and eq.get("hose_m", 0) >= 1000)
    limit = sup.water_flame_limit_m if water else sup.hand_flame_limit_m
    return Crew(unit.uid, unit.crew, 1 if unit.fulltime else 2, limit)


def ground_handler(model: DrillModel, inc: Incident, unit: Team) -> Generator:
    """Walk in, build line until the fire is out (or shift ends), mop up, walk out."""
    hz = model.hazard
    env = model.env
    fire = hz.fires[inc.attrs["fire_id"]]
    sup = hz.params.suppression
    if fire.out:
        return
    hz.sync(model)
    edge = fire.nearest_edge_xy(*unit.xy)
    minutes, length, climb = walk(model.world, unit.xy, edge)
    is_engine = "engine" in unit.type
    if is_engine:
        spec = _unit_spec(model, unit)
        reach = float((spec.equipment if spec else {}).get("hose_m", sup.engine_hose_reach_m))
        if length > reach:
            model.log.emit(env.now, "unit_standby", incident_id=inc.id, unit_id=unit.uid,
                           subject_id=fire.fid, reason="fire beyond hose reach", distance_m=round(length))  # fmt: skip
            yield fire.out_event | env.timeout(sup.max_shift_min)
            return
        minutes = 0.0
    model.log.emit(
        env.now, "unit_on_foot", incident_id=inc.id, unit_id=unit.uid, subject_id=fire.fid,
        x_m=edge[0], y_m=edge[1], walk_min=round(minutes, 2), length_m=round(length, 1),
        climb_m=round(climb, 1),
    )  # fmt: skip
    if minutes > 0:
        yield env.timeout(minutes)
    t_on = env.now
    if not fire.out:
        fire.add_crew(crew_of(model, unit))
        model.log.emit(env.now, "unit_on_line", incident_id=inc.id, unit_id=unit.uid,
                       subject_id=fire.fid, crew=unit.crew)  # fmt: skip
        yield fire.out_event | env.timeout(sup.max_shift_min)
        fire.remove_crew(unit.uid)
        if fire.out and sup.mopup_min > 0:
            yield env.timeout(sup.mopup_min)
    model.log.emit(env.now, "unit_off_line", incident_id=inc.id, unit_id=unit.uid,
                   subject_id=fire.fid, hours_on_line=round((env.now - t_on) / 60, 3))  # fmt: skip
    if minutes > 0:
        yield env.timeout(minutes)


def air_handler(model: DrillModel, inc: Incident, unit: Team) -> Generator:
    """Bucket cycles between the nearest water and the fire, in daylight, until contained."""
    hz = model.hazard
    env = model.env
    fire = hz.fires[inc.attrs["fire_id"]]
    h = hz.params.suppression.helicopter
    wx, wy = hz.water_source(fire)
    speed = unit.vehicle.speed_kmh.get("air") or 200.0
    leg = math.hypot(wx - fire.x_m, wy - fire.y_m) / (speed * 1000.0 / 60.0)
    drops = 0
    while not (fire.out or fire.contained):
        if not hz.daylight(env.now, h.flight_hours):
            model.log.emit(env.now, "air_ops_suspended", unit_id=unit.uid, subject_id=fire.fid,
                           reason="outside flight hours")  # fmt: skip
            break
        yield env.timeout(leg + h.fill_min + leg + h.drop_min)
        if fire.out or fire.contained:
            break
        fire.add_drop(h.drop_line_m)
        drops += 1
        model.log.emit(env.now, "water_drop", unit_id=unit.uid, subject_id=fire.fid,
                       x_m=fire.x_m, y_m=fire.y_m, n=drops, water_x_m=round(wx), water_y_m=round(wy))  # fmt: skip
    model.log.emit(env.now, "air_ops_ended", unit_id=unit.uid, subject_id=fire.fid, drops=drops)
