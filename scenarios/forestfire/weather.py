"""Fire weather: wind and dead-fuel moisture through the day.

Dead fuel moisture comes from the weather by the NFDRS method (Cohen & Deeming
1985, as coded in ``moisture.py``): 1-h and 10-h fuels relax toward the
fuel-surface equilibrium moisture of an hourly diurnal cycle of temperature and
RH (cosine temperature wave, constant dew point), with 1-h and 10-h timelags;
100-h fuel follows the NFDRS daily model ``days_since_rain`` days after a rain
day. Live moistures are scenario inputs (dry-season values are lower).

A weather state is immutable; MSEL injects (``wind_shift``, ``weather_change``)
replace it. Hourly moistures are computed once per state (a 24-value table).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np

from .moisture import hourly_fine_dead_moisture, moisture_after_rain
from .rothermel import Moisture

JIANGMEN_LAT = 22.6


@dataclass(frozen=True)
class FireWeather:
    """Weather driving the fire (one state; changed by injects)."""

    wind_speed_10m_m_s: float
    wind_from_deg: float
    t_max_c: float
    t_min_c: float
    rh_min_pct: float
    days_since_rain: float
    live_herb_pct: float
    live_woody_pct: float
    day_of_year: int = 15
    _table: dict = field(default_factory=dict, compare=False, repr=False)

    def with_changes(self, **kw) -> FireWeather:
        """A new state with some fields replaced (fresh moisture table)."""
        return replace(self, _table={}, **kw)

    def _hourly(self) -> tuple[np.ndarray, np.ndarray, float]:
        if "m" not in self._table:
            hours = np.arange(0, 25, dtype=float)
            args = (self.t_min_c, self.t_max_c, self.rh_min_pct)
            kw = {"lat_deg": JIANGMEN_LAT, "day_of_year": self.day_of_year}
            m1 = hourly_fine_dead_moisture(hours, *args, timelag_h=1.0, **kw)
            m10 = hourly_fine_dead_moisture(hours, *args, timelag_h=10.0, **kw)
            rh_max = min(100.0, self.rh_min_pct + 40.0)
            m100 = moisture_after_rain(
                self.days_since_rain, self.t_min_c, self.t_max_c, self.rh_min_pct, rh_max, **kw
            )["m100h"]
            self._table["m"] = (m1, m10, float(m100))
        return self._table["m"]

    def moisture_at(self, local_hour: float) -> Moisture:
        """Fuel moisture (%) at a local clock hour (0-24, wraps)."""
        m1, m10, m100 = self._hourly()
        h = local_hour % 24.0
        i = int(math.floor(h))
        f = h - i
        return Moisture(
            round(float(m1[i] + (m1[i + 1] - m1[i]) * f), 2),
            round(float(m10[i] + (m10[i + 1] - m10[i]) * f), 2),
            round(m100, 2),
            self.live_herb_pct,
            self.live_woody_pct,
        )


def local_hour(start: datetime, t_min: float) -> float:
    """Local clock hour at ``t_min`` after the scenario start (its own UTC offset)."""
    return (start.hour + start.minute / 60.0 + t_min / 60.0) % 24.0


def day_of_year(start: datetime, t_min: float) -> int:
    """Day of year at ``t_min`` after the scenario start."""
    return (
        start.timetuple().tm_yday - 1 + int((start.hour * 60 + start.minute + t_min) // 1440)
    ) % 365 + 1
