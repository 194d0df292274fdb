"""The event feed in plain language: who did what where, with repeats rate-limited.

Raw events (`road_closed E1768`) mean nothing to a room of trainees. Each
feed line names the unit, incident kind and the nearest town (Chinese name
when the world has it), and a kind that floods the log (lifeline status,
road closures) is shown at most `MAX_PER_WINDOW` times per `WINDOW_MIN`
scenario minutes, the rest folded into one "+N more" line.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from viz.msel import QUIET_KINDS

WINDOW_MIN = 30.0
MAX_PER_WINDOW = 2

#: Plain-language templates by event kind; fields: unit, inc, what, where, extra.
PHRASES: dict[str, str] = {
    "incident_reported": "new {what} incident {inc}{where}",
    "unit_dispatched": "{unit} sent to {inc}{where}",
    "unit_arrived": "{unit} on scene at {inc}{where}",
    "incident_resolved": "incident {inc} resolved{where}",
    "incident_requeued": "{inc} back in the queue: {unit} broke down",
    "unit_returned": "{unit} back at base, available",
    "unit_unavailable": "{unit} out of service{extra}",
    "unit_restored": "{unit} back in service",
    "unit_repositioning": "{unit} moving to a staging point{where}",
    "road_closed": "road closed{where}",
    "road_closures": "roads closed around the threat zone",
    "road_blocked": "road blocked{where}",
    "route_blocked": "{unit} cut off by closed roads{where}: waiting for a way through",
    "orders_lifted": "all-clear: orders lifted for {extra}",
    "group_returned_home": "residents back home{where}",
    "lifeline_status": "power / mobile network status update",
    "shelter_opened": "shelter {subject} opened{where}",
    "shelter_full": "shelters full: {extra}",
    "inject_applied": "trainer inject {subject}",
    "trainee_command": "order {subject} ({extra})",
    "warning_issued": "warning issued",
    "evacuation_ordered": "evacuation ordered ({extra})",
    "shelter_ordered": "shelter-in-place ordered ({extra})",
    "comms_lost": "communications lost{where}",
    "comms_restored": "communications restored{where}",
    "mutual_aid_requested": "mutual aid requested: {extra}",
    "mutual_aid_arrived": "mutual aid arrived{where}",
}


class PlainFeed:
    """Turns log events into feed lines (see module doc)."""

    def __init__(self, world) -> None:
        t = getattr(world, "towns", None)
        if t is not None and len(t):
            self._tx = t["x_m"].to_numpy(float)
            self._ty = t["y_m"].to_numpy(float)
            zh = t["name_zh"] if "name_zh" in t.columns else [""] * len(t)
            self._names = [
                str(z) if isinstance(z, str) and z.strip() else str(n)
                for z, n in zip(zh, t["name"], strict=True)
            ]
        else:
            self._tx = self._ty = np.zeros(0)
            self._names = []
        self._recent: dict[str, deque[float]] = {}
        self._folded: dict[str, int] = {}

    def place(self, x_m: float, y_m: float) -> str:
        """' near 古井' for a point (empty if unknown)."""
        if not self._names or not np.isfinite(x_m) or not np.isfinite(y_m):
            return ""
        k = int(np.argmin(np.hypot(self._tx - x_m, self._ty - y_m)))
        return f" near {self._names[k]}"

    def line(self, e) -> str | None:
        """A feed line for event `e`, or None (too frequent / not for the feed)."""
        if e.kind in QUIET_KINDS or e.kind == "command_result":
            return None
        q = self._recent.setdefault(e.kind, deque())
        while q and q[0] < e.t_min - WINDOW_MIN:
            q.popleft()
        h, m = divmod(int(e.t_min), 60)
        if len(q) >= MAX_PER_WINDOW:
            self._folded[e.kind] = self._folded.get(e.kind, 0) + 1
            return None
        q.append(e.t_min)
        p = e.payload
        extra = ""
        if e.kind == "unit_unavailable" and p.get("pulled_off"):
            extra = f", pulled off {p['pulled_off']}"
        elif e.kind in ("evacuation_ordered", "shelter_ordered"):
            extra = f"{p.get('groups', 0)} groups"
        elif e.kind == "orders_lifted":
            extra = f"{p.get('groups', 0)} groups ({p.get('people', 0):,} people)"
        elif e.kind == "shelter_full":
            extra = f"{p.get('groups', 0)} groups ({p.get('people', 0):,} people) without a place"
        elif e.kind == "trainee_command":
            extra = f"{p.get('command_kind', '')} by {p.get('by') or 'trainee'}"
        elif e.kind == "mutual_aid_requested":
            extra = f"{p.get('count', '')} x {p.get('template', '')}"
        tmpl = PHRASES.get(e.kind, e.kind.replace("_", " ") + "{where}")
        text = tmpl.format(
            unit=e.unit_id or "a unit",
            inc=e.incident_id or "",
            what=str(p.get("incident_kind", "") or p.get("needs", "")).replace("_", " "),
            where=self.place(e.x_m, e.y_m),
            subject=e.subject_id,
            extra=extra,
        )
        folded = self._folded.pop(e.kind, 0)
        more = f"  (+{folded} more)" if folded else ""
        return f"{h:02d}:{m:02d} {text}{more}"
