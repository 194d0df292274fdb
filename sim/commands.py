"""Trainee commands: the orders players give during a drill.

Where an inject is something the trainer makes *happen*, a command is a
decision a player *takes*: send this unit there, evacuate that zone, open a
shelter, ask a neighbouring city for help, switch automatic dispatch off so
the room decides. Each command is typed (`Command`), checked against the
running model before it changes anything (a bad order is a clear
`ValueError` naming the field, the value and what was expected), and logged as
a `trainee_command` event followed by the events of its effects, so replays,
indicators and the after-action report all see it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import Field

from sim.agents.units import Team, UnitStatus
from sim.expected_actions import kinds_met
from sim.geo import point_from_params, to_latlon
from sim.response.dispatch import DOMAIN_MODES
from sim.response.passable import passable_leg
from sim.response.shelters import Shelter
from sim.scenario.schema import Ident, NonNeg, Strict

if TYPE_CHECKING:
    from sim.model import DrillModel

CommandKind = Literal[
    "dispatch_unit",
    "order_evacuation",
    "order_shelter_in_place",
    "issue_warning",
    "open_shelter",
    "request_mutual_aid",
    "set_auto_dispatch",
]
#: What a handler returns when it carries a command out: the feedback line,
#: optionally with numbers for the `command_result` event (None when only checking).
Result = str | tuple[str, dict[str, Any]] | None
COMMAND_KINDS: tuple[str, ...] = CommandKind.__args__  # type: ignore[attr-defined]

#: Mutual-aid arrival delay when the command gives none (minutes). A drill
#: setting chosen by the trainer, not a measured figure.
DEFAULT_AID_DELAY_MIN = 120.0


class Command(Strict):
    """One trainee order: when, what, with which parameters, by whom."""

    id: Ident
    at_min: NonNeg
    kind: CommandKind
    params: dict[str, Any] = Field(default_factory=dict)
    by: str = ""
    note: str = ""
    answers: str = ""
    """MSEL inject id this command answers (optional tag): it is then credited to that inject only."""


# -- parameter helpers --------------------------------------------------------------
def _need(cmd: Command, key: str) -> Any:
    if key not in cmd.params:
        raise ValueError(
            f"command {cmd.id!r} ({cmd.kind}): params.{key} is missing; got params={cmd.params!r}"
        )
    return cmd.params[key]


def _point(cmd: Command) -> tuple[float, float] | None:
    """UTM point from params x_m/y_m or lat/lon, or None when neither is given."""
    return point_from_params(cmd.params)


def zone_groups(model: DrillModel, cmd: Command) -> np.ndarray:
    """Resident groups of a zone: `districts: [...]`, a circle, or `all: true`."""
    p = dict(cmd.params)
    if "zone" in p:
        zg = getattr(model.hazard, "zone_groups", None)
        if zg is None or p["zone"] not in ("aegl1", "aegl2", "aegl3"):
            raise ValueError(
                f"command {cmd.id!r} ({cmd.kind}): params.zone={p['zone']!r}; expected aegl1, "
                "aegl2 or aegl3 (the forecast threat zones of a chemical drill)"
            )
        return zg(model, p["zone"])
    if not any(k in p for k in ("districts", "lat", "x_m", "all")):
        raise ValueError(
            f"command {cmd.id!r} ({cmd.kind}): params={cmd.params!r}; expected a zone: "
            "districts: [adcode, ...], a circle (lat/lon or x_m/y_m with radius_km), "
            "all: true, or (chemical) zone: aegl2"
        )
    if "x_m" in p and "y_m" in p:
        lat, lon = to_latlon(float(p.pop("x_m")), float(p.pop("y_m")))
        p["lat"], p["lon"] = float(lat), float(lon)
    r = p.get("radius_km", 5.0)
    if not (isinstance(r, int | float) and r > 0):
        raise ValueError(f"command {cmd.id!r}: params.radius_km={r!r}; expected a number > 0")
    return model.groups_in(p)


def _unit(model: DrillModel, cmd: Command) -> Team:
    uid = str(_need(cmd, "unit_id"))
    for t in model.teams:
        if t.uid == uid:
            return t
    ids = [t.uid for t in model.teams]
    raise ValueError(
        f"command {cmd.id!r}: params.unit_id={uid!r} is not a unit of this drill; "
        f"units: {ids[:15]}{' ...' if len(ids) > 15 else ''}"
    )


def _reach(model: DrillModel, unit: Team, domain: str, dest: tuple[float, float]):
    """First travel mode (in the domain's preference order) that reaches `dest`."""
    for mode in DOMAIN_MODES[domain]:
        speed = unit.vehicle.speed_kmh.get(mode)
        if speed is None:
            continue
        eta = float(model.router.travel_time_min(mode, np.array([unit.xy]), dest, speed)[0])
        if math.isfinite(eta):
            return mode, eta
    return None


# -- command handlers ---------------------------------------------------------------
def _dispatch_unit(model: DrillModel, cmd: Command, check: bool) -> Result:
    unit = _unit(model, cmd)
    if unit.status is not UnitStatus.AVAILABLE:
        raise ValueError(
            f"command {cmd.id!r}: unit {unit.uid!r} is {unit.status.value}; "
            "expected an available unit"
        )
    if "incident_id" in cmd.params:
        iid = str(cmd.params["incident_id"])
        inc = model.dispatch.incidents.get(iid)
        if inc is None or inc.resolved:
            raise ValueError(
                f"command {cmd.id!r}: params.incident_id={iid!r} is "
                f"{'resolved' if inc else 'unknown'}; expected an open incident"
            )
        if not unit.can_serve(inc.needs):
            raise ValueError(
                f"command {cmd.id!r}: unit {unit.uid!r} lacks capability {inc.needs!r} "
                f"for incident {iid!r}; it has {sorted(unit.capabilities)}"
            )
        how = _reach(model, unit, inc.domain, (inc.x_m, inc.y_m))
        if how is None:
            raise ValueError(
                f"command {cmd.id!r}: unit {unit.uid!r} cannot reach {inc.domain} incident {iid!r}"
            )
        if not check:
            model.dispatch.assign(unit, inc, *how)
            return (
                f"Dispatch {cmd.id}: {unit.uid} to incident {iid} ({inc.kind}) by {how[0]}, "
                f"ETA {how[1]:.0f} min"
            )
        return None
    dest = _point(cmd)
    if dest is None:
        raise ValueError(
            f"command {cmd.id!r} (dispatch_unit): params={cmd.params!r}; "
            "expected incident_id, or a point as lat/lon or x_m/y_m"
        )
    land = bool(model.world.sample("is_land", np.array([dest[0]]), np.array([dest[1]]))[0])
    how = _reach(model, unit, "land" if land else "sea", dest)
    if how is None:
        raise ValueError(
            f"command {cmd.id!r}: unit {unit.uid!r} cannot reach the "
            f"{'land' if land else 'sea'} point ({dest[0]:.0f}, {dest[1]:.0f}) m"
        )
    if not check:
        unit.status = UnitStatus.DISPATCHED  # now, so auto dispatch cannot take it meanwhile
        model.env.process(_reposition(model, unit, dest, *how))
        lat, lon = to_latlon(dest[0], dest[1])
        return (
            f"Reposition {cmd.id}: {unit.uid} to {float(lat):.3f},{float(lon):.3f} by {how[0]}, "
            f"ETA {how[1]:.0f} min; stays available there"
        )
    return None


def _reposition(model: DrillModel, unit: Team, dest, mode: str, eta: float) -> Generator:
    """Move a unit to a point and keep it available there (prepositioning)."""
    env = model.env
    model.log.emit(
        env.now,
        "unit_repositioning",
        unit_id=unit.uid,
        x_m=dest[0],
        y_m=dest[1],
        mode=mode,
        eta_min=eta,
    )
    leg = yield from passable_leg(
        model, mode, unit.xy, dest, unit.vehicle.speed_kmh[mode], unit_id=unit.uid
    )
    unit.route_xy, unit.route_t = leg.path_xy, (env.now, env.now + leg.time_min)
    if leg.time_min > 0:
        yield env.timeout(leg.time_min)
    unit.xy = (float(dest[0]), float(dest[1]))
    unit.route_xy = None
    if unit.status is UnitStatus.DISPATCHED:
        unit.status = UnitStatus.AVAILABLE
    model.log.emit(env.now, "unit_repositioned", unit_id=unit.uid, x_m=dest[0], y_m=dest[1])
    model.dispatch.wake()


def _empty_zone_hint(model: DrillModel, cmd: Command) -> str:
    """Where the nearest resident groups are, when a zone holds none."""
    res = model.residents
    xy = _point(cmd)
    if res is None or res.n == 0:
        return "; this drill has no resident groups"
    if xy is None:
        return ""
    d = np.hypot(res.home_x - xy[0], res.home_y - xy[1])
    return f"; the nearest resident group is {d.min() / 1000:.1f} km from the centre"


def zone_outline(model: DrillModel, cmd: Command, idx: np.ndarray) -> list[list[float]]:
    """Outline (UTM metres) to draw an ordered zone: the circle given, else the hull of homes."""
    xy = _point(cmd)
    if xy is not None:  # a circle (a point without radius_km means the default 5 km)
        r = float(cmd.params.get("radius_km", 5.0)) * 1000.0
        a = np.linspace(0.0, 2 * np.pi, 33)[:-1]
        pts = np.column_stack([xy[0] + r * np.cos(a), xy[1] + r * np.sin(a)])
        return np.round(pts, 0).tolist()
    res = model.residents
    if res is None or idx.size == 0:
        return []
    pts = np.unique(np.column_stack([res.home_x[idx], res.home_y[idx]]), axis=0)
    if len(pts) >= 3:
        from scipy.spatial import ConvexHull, QhullError

        try:
            pts = pts[ConvexHull(pts).vertices]
        except QhullError:  # collinear homes: their bounding box
            pass
    if len(pts) < 3:
        (x0, y0), (x1, y1) = pts.min(axis=0) - 500, pts.max(axis=0) + 500
        pts = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    return np.round(pts, 0).tolist()


def _order_evacuation(model: DrillModel, cmd: Command, check: bool) -> Result:
    idx = zone_groups(model, cmd)
    if check:
        return None
    out = model.protective_actions.order_evacuation(idx, reason=cmd.id)
    text = out.text(cmd.id) + ("" if idx.size else _empty_zone_hint(model, cmd))
    return text, {**out.payload(), "zone_xy": zone_outline(model, cmd, idx)}


def _order_sip(model: DrillModel, cmd: Command, check: bool) -> Result:
    idx = zone_groups(model, cmd)
    if check:
        return None
    out = model.protective_actions.order_shelter_in_place(idx, reason=cmd.id)
    text = out.text(cmd.id) + ("" if idx.size else _empty_zone_hint(model, cmd))
    return text, {**out.payload(), "zone_xy": zone_outline(model, cmd, idx)}


def _issue_warning(model: DrillModel, cmd: Command, check: bool) -> Result:
    idx = zone_groups(model, cmd)
    if check:
        return None
    res = model.residents
    new = int(np.isnan(res.t_warned[idx]).sum()) if res is not None and idx.size else 0
    model.warnings.issue(idx, reason=cmd.id)
    text = (
        f"Warning {cmd.id}: {idx.size} groups in the zone, {new} not targeted by a warning before"
    )
    return text + ("" if idx.size else _empty_zone_hint(model, cmd)), {
        "groups": int(idx.size),
        "newly_targeted": new,
        "zone_xy": zone_outline(model, cmd, idx),
    }


def _open_shelter(model: DrillModel, cmd: Command, check: bool) -> Result:
    fid = str(_need(cmd, "facility"))
    pa = model.protective_actions
    for s in pa.shelters:
        if s.id == fid:
            if not check:
                s.open = True
                model.log.emit(
                    model.env.now,
                    "shelter_opened",
                    subject_id=fid,
                    x_m=s.x_m,
                    y_m=s.y_m,
                    capacity=s.capacity,
                )
                return (
                    f"Shelter {fid} open: {s.occupants + s.reserved:,}/{s.capacity:,} places taken"
                )
            return None
    fac = getattr(model.world, "facilities", None)
    row = fac[(fac["facility_id"] == fid) & (fac["kind"] == "shelter")] if fac is not None else None
    if row is None or row.empty:
        known = [s.id for s in pa.shelters]
        raise ValueError(
            f"command {cmd.id!r}: params.facility={fid!r} is neither a plan shelter {known} "
            "nor a shelter facility of the world"
        )
    r = row.iloc[0]
    cap = int(cmd.params.get("capacity_people", r.get("capacity", 0) or 0))
    if cap <= 0:
        raise ValueError(
            f"command {cmd.id!r}: shelter {fid!r} has no capacity in the world; "
            "give params.capacity_people > 0"
        )
    if not check:
        area = float(r.get("area_m2", 0) or 0)
        pa.shelters.append(Shelter(fid, float(r["x_m"]), float(r["y_m"]), cap, area, False))
        model.log.emit(
            model.env.now,
            "shelter_opened",
            subject_id=fid,
            x_m=float(r["x_m"]),
            y_m=float(r["y_m"]),
            capacity=cap,
        )
        return f"Shelter {fid} opened (world facility): 0/{cap:,} places taken"
    return None


def _request_mutual_aid(model: DrillModel, cmd: Command, check: bool) -> Result:
    gid = str(_need(cmd, "template"))
    spec = next((u for u in model.spec.plan.units if u.id == gid), None)
    if spec is None:
        raise ValueError(
            f"command {cmd.id!r}: params.template={gid!r}; expected a plan unit id "
            f"{[u.id for u in model.spec.plan.units]}"
        )
    count = cmd.params.get("count", 1)
    delay = cmd.params.get("delay_min", DEFAULT_AID_DELAY_MIN)
    if not (isinstance(count, int) and 1 <= count <= 100):
        raise ValueError(f"command {cmd.id!r}: params.count={count!r}; expected 1..100")
    if not (isinstance(delay, int | float) and delay >= 0):
        raise ValueError(f"command {cmd.id!r}: params.delay_min={delay!r}; expected >= 0")
    base = cmd.params.get("base")
    xy = model.place(base) if base is not None else model.place(spec.base)
    if not check:
        model.log.emit(
            model.env.now,
            "mutual_aid_requested",
            subject_id=cmd.id,
            template=gid,
            count=count,
            delay_min=float(delay),
        )
        model.env.process(_aid_arrives(model, cmd.id, spec, int(count), float(delay), xy))
        return (
            f"Mutual aid {cmd.id}: {count} x {gid} requested, arriving at "
            f"T+{(model.env.now + float(delay)) / 60:.1f} h"
        )
    return None


def _aid_arrives(model: DrillModel, cid: str, spec, count: int, delay: float, xy) -> Generator:
    if delay > 0:
        yield model.env.timeout(delay)
    ids = [
        model.add_team(spec, f"aid-{cid}-{k + 1}", xy, group=f"aid-{spec.id}").uid
        for k in range(count)
    ]
    model.log.emit(
        model.env.now, "mutual_aid_arrived", subject_id=cid, units=ids, x_m=xy[0], y_m=xy[1]
    )
    model.dispatch.wake()


def _set_auto_dispatch(model: DrillModel, cmd: Command, check: bool) -> Result:
    on = _need(cmd, "on")
    if not isinstance(on, bool):
        raise ValueError(f"command {cmd.id!r}: params.on={on!r}; expected true or false")
    if not check:
        model.dispatch.auto = on
        model.dispatch.wake()
        q = model.dispatch.queue_length
        return f"Automatic dispatch {'ON' if on else 'OFF'}; {q} incidents waiting in the queue"
    return None


HANDLERS: dict[str, Callable[[DrillModel, Command, bool], Result]] = {
    "dispatch_unit": _dispatch_unit,
    "order_evacuation": _order_evacuation,
    "order_shelter_in_place": _order_sip,
    "issue_warning": _issue_warning,
    "open_shelter": _open_shelter,
    "request_mutual_aid": _request_mutual_aid,
    "set_auto_dispatch": _set_auto_dispatch,
}


def check_command(model: DrillModel, cmd: Command) -> None:
    """Raise ValueError if `cmd` cannot be carried out now; change nothing."""
    HANDLERS[cmd.kind](model, cmd, True)
    if cmd.answers and cmd.answers not in {i.id for i in model.spec.msel}:
        raise ValueError(
            f"command {cmd.id!r}: answers={cmd.answers!r} is not an MSEL inject; "
            f"expected one of {[i.id for i in model.spec.msel]}"
        )


def apply_command(model: DrillModel, cmd: Command) -> str:
    """Check, log (`trainee_command`), carry out a command now; log and return its effect.

    The effect, in numbers (`command_result` event), is what the trainee sees,
    e.g. "Evacuation C3: 33 groups (49,500 people) ordered, 0 leave now; ...".
    """
    check_command(model, cmd)
    meets = kinds_met(model, cmd)
    model.log.emit(
        model.env.now,
        "trainee_command",
        subject_id=cmd.id,
        unit_id=str(cmd.params.get("unit_id", "")),
        incident_id=str(cmd.params.get("incident_id", "")),
        command_kind=cmd.kind,
        params=cmd.params,
        by=cmd.by,
        answers=cmd.answers,
        meets=meets,
    )
    result = HANDLERS[cmd.kind](model, cmd, False)
    text, numbers = result if isinstance(result, tuple) else (result, {})
    if text is None:
        text = f"{cmd.kind} {cmd.id}: done"
    model.log.emit(
        model.env.now, "command_result", subject_id=cmd.id, summary=text, by=cmd.by, **numbers
    )
    return text
