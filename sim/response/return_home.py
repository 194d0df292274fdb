"""Going back home after the all-clear: evacuees leave their shelters, the map stops being red.

A group that left for a shelter, that sheltered in place at home, or that the
hazard reached at home, goes back to (or stays at) home and is marked RETURNED
("back home") once its hazard
says the all-clear for that home: `hazard.all_clear(model, idx, t_min)` returns,
per group, whether the danger there has passed and the home is fit to live in.
Hazards without that method never give an all-clear, so their groups keep
their state (honest: no model of when people go back).

Orders have no lifting of their own: the all-clear is the lifting. A returning
group's evacuation or shelter-in-place order is cleared (so a later threat can
order it again), it opens its windows again (`indoor` off), and each check that
lifts orders logs one `orders_lifted` event.

The return is instantaneous (no travel back is simulated) and checked once
per `CHECK_EVERY_MIN` of scenario time, so it costs one hazard look-up per
candidate group per hour. Each group that returns logs `group_returned_home`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents.residents import ResidentState

if TYPE_CHECKING:
    from sim.model import DrillModel

#: How often (scenario minutes) the all-clear is checked. ILLUSTRATIVE.
CHECK_EVERY_MIN = 60.0


class ReturnHome:
    """Sends evacuated and exposed groups home when their hazard gives the all-clear."""

    def __init__(self, model: DrillModel) -> None:
        self.model = model
        self._next = 0.0

    def step(self, now: float) -> np.ndarray:
        """Check the all-clear if due; return the indices of groups that went home."""
        m = self.model
        res = m.residents
        all_clear = getattr(m.hazard, "all_clear", None)
        if res is None or all_clear is None or now < self._next:
            return np.zeros(0, dtype=np.intp)
        self._next = now + CHECK_EVERY_MIN
        st = res.state
        away = (st == ResidentState.SHELTERED) & (res.shelter >= 0)
        at_home_in = res.indoor & ((st == ResidentState.UNAWARE) | (st == ResidentState.WARNED))
        cand = np.flatnonzero(away | at_home_in | (st == ResidentState.EXPOSED))
        if cand.size == 0:
            return cand
        go = cand[np.asarray(all_clear(m, cand, now), dtype=bool)]
        pa = m.protective_actions
        shelters = pa.shelters
        # per-group values as Python scalars in one pass each (thousands of groups go home)
        people = res.people[go].tolist()
        shelter = res.shelter[go].tolist()
        in_shelter = (st[go] == ResidentState.SHELTERED).tolist()
        for k, i in enumerate(go.tolist()):
            p = people[k]
            src = "home"
            if in_shelter[k] and shelter[k] >= 0:
                s = shelters[shelter[k]]
                s.occupants -= p
                src = s.id
            m.log.emit(
                now,
                "group_returned_home",
                subject_id=f"G{i}",
                x_m=res.home_x[i],
                y_m=res.home_y[i],
                people=p,
                came_from=src,
            )
        lifted = go[pa.evac_ordered[go] | pa.sip_ordered[go] | res.indoor[go]]
        if lifted.size:
            m.log.emit(
                now,
                "orders_lifted",
                groups=int(lifted.size),
                people=int(res.people[lifted].sum()),
                by=f"{getattr(m.hazard, 'name', 'hazard')} all-clear",
            )
        pa.evac_ordered[go] = False
        pa.sip_ordered[go] = False
        res.indoor[go] = False
        res.go_home(go)
        return go
