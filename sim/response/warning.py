"""Public warning: channels with reach, delay and fragility.

A warning is like a letter sent by several posts at once (cell broadcast, SMS,
village loudspeakers, TV/radio, door-to-door): each post reaches a share of
households after its own delay, and some posts stop working when the power or
the mobile network fails. A household is warned by the first post to arrive.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

import numpy as np

from sim.agents.residents import ResidentState

if TYPE_CHECKING:
    from sim.model import DrillModel
    from sim.scenario.schema import WarningSpec


class WarningSystem:
    """Issue warnings to resident groups and deliver them over the channels."""

    def __init__(self, model: DrillModel, spec: WarningSpec) -> None:
        self.model = model
        self.spec = spec
        self.issued = 0

    def issue(self, idx: np.ndarray, reason: str = "") -> int:
        """Warn groups `idx` (not yet warned); returns how many will receive it."""
        m = self.model
        res = m.residents
        if res is None or not self.spec.channels:
            return 0
        idx = np.asarray(idx, dtype=np.int64)
        idx = idx[np.isnan(res.t_warned[idx])]
        now = m.env.now
        rng = m.streams.warnings
        best_t = np.full(idx.size, np.inf)
        best_c = np.full(idx.size, -1)
        power_ok = getattr(m.hazard, "power_ok", None)
        mobile_ok = getattr(m.hazard, "mobile_ok", None)
        for ci, ch in enumerate(self.spec.channels):
            works = np.ones(idx.size, dtype=bool)
            if ch.needs_power and power_ok is not None:
                works &= power_ok(res.x[idx], res.y[idx])
            if ch.needs_mobile_network and mobile_ok is not None:
                works &= mobile_ok(res.x[idx], res.y[idx])
            reached = works & (rng.random(idx.size) < ch.reach)
            t = now + ch.delay_min * rng.uniform(0.5, 1.5, idx.size)
            better = reached & (t < best_t)
            best_t[better] = t[better]
            best_c[better] = ci
        self.issued += 1
        got = np.isfinite(best_t)
        m.log.emit(
            now,
            "warning_issued",
            subject_id=f"W{self.issued}",
            reason=reason,
            groups=int(idx.size),
            reachable_groups=int(got.sum()),
        )
        order = np.argsort(best_t[got], kind="stable")
        if order.size:
            m.env.process(self._deliver(idx[got][order], best_t[got][order], best_c[got][order]))
        # mark as pending so a second issue does not double-deliver
        res.t_warned[idx[got]] = -1.0
        return int(got.sum())

    def _deliver(self, idx: np.ndarray, times: np.ndarray, chans: np.ndarray) -> Generator:
        """Each group gets its warning at its time, in time order.

        A city-wide warning delivers to every group (thousands per typhoon run), so
        the loop reads per-group constants (people, channel names) as Python values
        once, and the state arrays through local names.
        """
        m = self.model
        res = m.residents
        env = m.env
        emit = m.log.emit
        on_warned = m.protective_actions.on_warned
        names = [c.name for c in self.spec.channels]
        people = res.people[idx].tolist()  # group sizes do not change during a run
        t_warned, state, x, y = res.t_warned, res.state, res.x, res.y
        unaware, warned = int(ResidentState.UNAWARE), int(ResidentState.WARNED)
        for k, (i, t, c) in enumerate(
            zip(idx.tolist(), times.tolist(), chans.tolist(), strict=True)
        ):
            if t > env.now:
                yield env.timeout(t - env.now)
            now = env.now
            t_warned[i] = now
            if state[i] == unaware:
                state[i] = warned
            emit(
                now,
                "warning_received",
                subject_id=f"G{i}",
                x_m=x[i],
                y_m=y[i],
                channel=names[c],
                people=people[k],
            )
            on_warned(i)
