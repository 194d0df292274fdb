"""The hydrological service's flood warnings at river gauges (洪水预警), on a stated rule.

The plan's row 专栏2-9 主要河流控制断面洪水预警发布率 asks how often a flood at a river
control section was warned. Here a *flood event* is a gauge's stage passing its warning
level (警戒水位, the ``river_above_warning`` event) and a warning counts if it was issued
*before* that moment (INDICATORS.md gives no definition for this row; this is the one used).

Warning rule (a scenario setting, ``hazard.chain.hydrology.flood_warning``): every tick
the service extrapolates each gauge's stage linearly from its rise over the last
``trend_h`` hours to ``lead_h`` hours ahead (a persistence-of-trend forecast, the
simplest stage forecast; real services route forecast rain, so this is a lower bound on
their skill) and issues a warning ``issue_delay_min`` after the forecast or the observed
stage first reaches the warning level; one warning per gauge and run. Lead, trend window
and delay are *illustrative* unless the scenario cites them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.model import DrillModel


def trend_forecast(history: list[tuple[float, float]], trend_h: float, lead_h: float) -> float:
    """Stage ``lead_h`` hours after the last of ``history`` [(t_min, stage_m)], linear trend.

    The trend is the rise from the oldest sample within ``trend_h`` hours to the latest;
    with a single sample the forecast is persistence (the latest stage).
    """
    t1, s1 = history[-1]
    old = [(t, s) for t, s in history if t1 - t <= trend_h * 60.0 + 1e-9]
    t0, s0 = old[0]
    if t1 <= t0:
        return s1
    return s1 + (s1 - s0) / (t1 - t0) * lead_h * 60.0


class FloodWarnings:
    """One warning service over the scenario's gauges."""

    def __init__(self, gauges, rule, tick_min: float) -> None:
        self.gauges = list(gauges)
        self.rule = rule
        keep = int(rule.trend_h * 60.0 / tick_min) + 2
        self.history = [deque(maxlen=keep) for _ in self.gauges]
        self.decided = [False] * len(self.gauges)

    def update(self, model: DrillModel, t: float, stages: list[float]) -> None:
        """Record this tick's stages and start the issue of any warning now due."""
        r = self.rule
        for k, (gg, s) in enumerate(zip(self.gauges, stages, strict=True)):
            h = self.history[k]
            h.append((t, float(s)))
            if self.decided[k]:
                continue
            fc = trend_forecast(list(h), r.trend_h, r.lead_h)
            if fc >= gg.warning_m or s >= gg.warning_m:
                self.decided[k] = True
                basis = "observed" if s >= gg.warning_m else "forecast"
                model.env.process(self._issue(model, gg, s, fc, basis))

    def in_force(self) -> bool:
        """Whether any warning is still in force (so no all-clear yet).

        In force: issued, and its gauge's observed or forecast stage is still at or above
        the warning level.
        """
        r = self.rule
        for k, gg in enumerate(self.gauges):
            h = self.history[k]
            if self.decided[k] and h:
                fc = trend_forecast(list(h), r.trend_h, r.lead_h)
                if max(fc, h[-1][1]) >= gg.warning_m:
                    return True
        return False

    def _issue(self, model: DrillModel, gg, stage: float, fc: float, basis: str) -> Generator:
        t0 = model.env.now
        if self.rule.issue_delay_min > 0:
            yield model.env.timeout(self.rule.issue_delay_min)
        model.log.emit(
            model.env.now,
            "flood_warning_issued",
            subject_id=gg.id,
            gauge=gg.name,
            basis=basis,
            stage_m=round(stage, 2),
            forecast_stage_m=round(fc, 2),
            warning_m=gg.warning_m,
            lead_h=self.rule.lead_h,
            decided_min=round(t0, 3),
        )
