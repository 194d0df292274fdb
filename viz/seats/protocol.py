"""Seat messages: one JSON object per line over an asyncio stream (docs/seats.md).

Trainee view state is built here from the running drill and holds only what
a player in the room could see: the clock, weather, units and incidents on
the map, people by state, order zones and a plain feed of what happened;
the hazard field travels in its own `hazard` message (`encode_layers`), the
resident groups (positions and states) in a `residents` message. It
never holds MSEL content (upcoming injects, descriptions, expected actions),
so a trainee window cannot give the exercise away.
"""

from __future__ import annotations

import base64
import json
import zlib
from types import SimpleNamespace
from typing import Any

import numpy as np

from sim.session import DrillSession
from viz.agents import order_zones_of, unit_shape
from viz.overlay import OverlayLayer
from viz.seats.roles import owns_unit

PROTOCOL = "jmsim-seat/1"

#: Event kinds a trainee's feed shows (effects, never the MSEL itself).
TRAINEE_FEED_KINDS = frozenset(
    {
        "incident_reported",
        "unit_dispatched",
        "unit_arrived",
        "incident_resolved",
        "incident_requeued",
        "unit_unavailable",
        "unit_restored",
        "shelter_opened",
        "shelter_full",
        "command_result",
        "road_blocked",
        "comms_lost",
        "comms_restored",
    }
)


def encode(msg: dict[str, Any]) -> bytes:
    """One message as a JSON line."""
    return (json.dumps(msg, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def decode(line: bytes) -> dict[str, Any]:
    """A JSON line as a message; ValueError if it is not a JSON object with a `type`."""
    msg = json.loads(line.decode())
    if not isinstance(msg, dict) or "type" not in msg:
        raise ValueError(f"not a seat message: {line[:80]!r}")
    return msg


def encode_layers(layers: list[OverlayLayer], t_min: float) -> dict[str, Any]:
    """A `hazard` message: the overlay layers as zlib-compressed little-endian arrays.

    Sent when the hazard field changes, not with every state: a plume or wind
    field is tens to hundreds of kB, a state a few kB.
    """
    out = []
    for lay in layers:
        a = np.asarray(lay.array)
        a = a.astype("<f4") if a.dtype.kind == "f" else a.astype("u1")
        out.append(
            {
                "name": lay.name,
                "extent": lay.extent if lay.extent == "world" else [float(e) for e in lay.extent],
                "cmap": lay.cmap,
                "vmin": lay.vmin,
                "vmax": lay.vmax,
                "visible": lay.visible,
                "log": lay.log,
                "shape": list(a.shape),
                "dtype": a.dtype.str,
                "data": base64.b64encode(
                    zlib.compress(np.ascontiguousarray(a).tobytes(), 1)
                ).decode(),
            }
        )
    return {"type": "hazard", "t_min": t_min, "layers": out}


def _pack(a: np.ndarray) -> str:
    return base64.b64encode(zlib.compress(np.ascontiguousarray(a).tobytes(), 1)).decode()


def _unpack(text: str, dtype: str) -> np.ndarray:
    return np.frombuffer(zlib.decompress(base64.b64decode(text)), dtype=np.dtype(dtype))


def encode_residents(res, t_min: float) -> dict[str, Any]:
    """A `residents` message: every group's position (UTM, float32) and state (uint8)."""
    return {
        "type": "residents",
        "t_min": t_min,
        "n": int(res.n),
        "x": _pack(np.asarray(res.x, dtype="<f4")),
        "y": _pack(np.asarray(res.y, dtype="<f4")),
        "state": _pack(np.asarray(res.state, dtype="u1")),
    }


def decode_residents(msg: dict[str, Any]) -> SimpleNamespace:
    """Groups of a `residents` message, with `n`, `x`, `y`, `state` like `ResidentGroups`."""
    return SimpleNamespace(
        n=int(msg["n"]),
        x=_unpack(msg["x"], "<f4").astype(float),
        y=_unpack(msg["y"], "<f4").astype(float),
        state=_unpack(msg["state"], "u1"),
    )


def decode_layers(msg: dict[str, Any]) -> list[OverlayLayer]:
    """The overlay layers of a `hazard` message."""
    out = []
    for d in msg.get("layers", []):
        raw = zlib.decompress(base64.b64decode(d["data"]))
        a = np.frombuffer(raw, dtype=np.dtype(d["dtype"])).reshape(d["shape"])
        ext = d["extent"] if d["extent"] == "world" else tuple(float(e) for e in d["extent"])
        out.append(
            OverlayLayer(d["name"], a, ext, d["cmap"], d["vmin"], d["vmax"], d["visible"], d["log"])
        )
    return out


def _feed_line(e) -> str:
    h, m = divmod(int(e.t_min), 60)
    p = e.payload
    if e.kind == "command_result":
        return f"{h:02d}:{m:02d} {p.get('summary', '')}"
    who = e.unit_id or e.incident_id or e.subject_id
    what = p.get("incident_kind") or p.get("needs") or ""
    return f"{h:02d}:{m:02d} {e.kind.replace('_', ' ')} {who} {what}".rstrip()


def zones_view(log) -> list[dict[str, Any]]:
    """Order zones as the `state` message carries them."""
    return [
        {"id": cid, "kind": kind, "ring": [[round(x, 1), round(y, 1)] for x, y in ring]}
        for cid, kind, ring in order_zones_of(log)
    ]


def trainee_view(
    session: DrillSession, role_name: str, role, feed_n: int = 12, zones=None
) -> dict[str, Any]:
    """The shared picture for one seat (no MSEL content); `zones`: cached `zones_view`."""
    m = session.model
    hz = m.hazard
    units = [
        {
            "id": t.uid,
            "group": t.group,
            "status": t.status.value,
            "x_m": round(float(t.position_at(session.now)[0]), 1),
            "y_m": round(float(t.position_at(session.now)[1]), 1),
            "incident": t.incident_id,
            "capabilities": sorted(t.capabilities),
            "shape": unit_shape(t),
            "own": owns_unit(role, t),
        }
        for t in m.teams
    ]
    incidents = [
        {
            "id": i.id,
            "x_m": round(i.x_m, 1),
            "y_m": round(i.y_m, 1),
            "kind": i.kind,
            "needs": i.needs,
            "assigned": list(i.assigned),
        }
        for i in m.dispatch.incidents.values()
        if not i.resolved
    ]
    log = m.log
    feed = []
    for k in range(len(log) - 1, -1, -1):
        e = log[k]
        if e.kind in TRAINEE_FEED_KINDS:
            feed.append(_feed_line(e))
            if len(feed) >= feed_n:
                break
    wind = {}
    for attr in ("wind_from_deg", "wind_m_s"):
        v = getattr(hz, attr, None)
        if isinstance(v, int | float):
            wind[attr] = float(v)
    return {
        "type": "state",
        "t_min": session.now,
        "end_min": session.end,
        "title": session.scenario.scenario.title,
        "hazard": session.scenario.scenario.hazard,
        "role": role_name,
        "commands": list(role.commands),
        "wind": wind,
        "people": m.residents.counts() if m.residents is not None else {},
        "units": units,
        "incidents": incidents,
        "zones": zones_view(log) if zones is None else zones,
        "feed": feed[::-1],
        "finished": session.finished,
    }
