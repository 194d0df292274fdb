"""Dead fuel moisture from weather: NFDRS equations and the Rothermel (1983) tables.

Two published methods are provided.

1. **Rothermel (1983) fine dead fuel moisture tables** (NWCG field method, as
   coded in BehavePlus/Behave ``fineDeadFuelMoistureTool.cpp``): a reference
   moisture from dry-bulb temperature and relative humidity (Table A) plus a
   correction for month, exposure (shading), aspect, slope, time of day and
   elevation relative to the weather site (Tables B-D, daytime 08:00-sunset).
   Rothermel, R.C. 1983. *How to predict the spread and intensity of forest and
   range fires.* USDA For. Serv. Gen. Tech. Rep. INT-143.  See
   :func:`fine_dead_fuel_moisture_table`.  Note: the tables' month groups are
   for the northern hemisphere; Jiangmen (22.5 N) is in it.

2. **NFDRS 1978 equations** (Cohen, J.D. and Deeming, J.E. 1985. *The National
   Fire-Danger Rating System: basic equations.* USDA For. Serv. Gen. Tech. Rep.
   PSW-82), which rest on Simard's (1968) equilibrium moisture content (EMC)
   regressions and on Fosberg & Deeming's (1971) timelag concept:

   * EMC (eq. 1a-1c, T in deg F, H in %):
     ``H < 10: 0.03229 + 0.281073 H - 0.000578 H T``;
     ``10 <= H < 50: 2.22749 + 0.160107 H - 0.014784 T``;
     ``H >= 50: 21.0606 + 0.005565 H^2 - 0.00035 H T - 0.483199 H``;
   * fuel-atmosphere interface correction by state of weather (SOW 0 clear:
     T + 25 F, H * 0.75; SOW 1: +19, *0.83; SOW 2: +12, *0.92; SOW 3
     overcast: +5, *1.00);
   * 1-h fuel moisture ``MC1 = 1.03 EMCPRM`` (35 % while raining);
     10-h fuel moisture ``MC10 = 1.28 EMCPRM``;
   * 100-h fuel moisture, daily:
     ``MC100 = Y + (BNDRYH - Y)(1 - 0.87 e^{-0.24})`` with the day-length
     weighted mean EMC and the rain-duration boundary condition
     ``BNDRYH = ((24 - D) EMCBAR + D (0.5 D + 41))/24``.

The diurnal helpers build an hourly temperature/RH cycle (cosine between the
daily minimum near sunrise and maximum mid-afternoon, constant dew point) and
run a first-order timelag response ``dm/dt = (EMC - m)/tau`` (Byram 1963;
Fosberg 1971) with tau = 1 h for 1-h fuels.  ``moisture_after_rain`` gives the
days-since-rain effect.

Validity limits: the equations are empirical fits for temperate US fuels;
they ignore dew/fog deposition (other than via RH = 100 %), rainfall amount for
1-h/10-h fuels, and litter-depth effects.  Live fuel moisture is an input.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from .rothermel import Moisture

__all__ = [
    "emc_nfdrs",
    "one_hour_moisture_nfdrs",
    "ten_hour_moisture_nfdrs",
    "hundred_hour_moisture_step",
    "daylight_hours",
    "sunrise_sunset_hours",
    "FineDeadFuelMoisture",
    "fine_dead_fuel_moisture_table",
    "fine_dead_fuel_moisture_by_index",
    "REFERENCE_MOISTURE_TABLE",
    "CORRECTION_TABLE",
    "diurnal_temperature_rh",
    "hourly_fine_dead_moisture",
    "moisture_after_rain",
    "moisture_from_weather",
    "STATE_OF_WEATHER_CORRECTION",
]


def _c_to_f(t_c: Any) -> Any:
    return np.asarray(t_c, dtype=float) * 9.0 / 5.0 + 32.0


def emc_nfdrs(temp_c: Any, rh_pct: Any) -> Any:
    """Equilibrium moisture content (%) - Simard (1968) as in NFDRS eq. 1a-1c.

    Args:
        temp_c: Dry-bulb temperature (deg C), scalar or array.
        rh_pct: Relative humidity (%), scalar or array (clipped to 0-100).

    Returns:
        EMC in percent (same shape as the broadcast inputs).
    """
    t = _c_to_f(temp_c)
    h = np.clip(np.asarray(rh_pct, dtype=float), 0.0, 100.0)
    e = np.where(
        h < 10.0,
        0.03229 + 0.281073 * h - 0.000578 * h * t,
        np.where(
            h < 50.0,
            2.22749 + 0.160107 * h - 0.014784 * t,
            21.0606 + 0.005565 * h * h - 0.00035 * h * t - 0.483199 * h,
        ),
    )
    e = np.maximum(e, 0.0)
    return float(e) if e.ndim == 0 else e


#: NFDRS state-of-weather correction to the fuel-atmosphere interface:
#: code -> (temperature increment deg F, RH multiplier).
STATE_OF_WEATHER_CORRECTION: dict[int, tuple[float, float]] = {
    0: (25.0, 0.75),  # clear
    1: (19.0, 0.83),  # scattered clouds
    2: (12.0, 0.92),  # broken clouds
    3: (5.0, 1.00),  # overcast
}


def _emc_prm(temp_c: Any, rh_pct: Any, state_of_weather: int) -> Any:
    sow = min(max(int(state_of_weather), 0), 3)
    dt_f, rh_mult = STATE_OF_WEATHER_CORRECTION[sow]
    return emc_nfdrs(
        np.asarray(temp_c, dtype=float) + dt_f * 5.0 / 9.0, np.asarray(rh_pct) * rh_mult
    )


def one_hour_moisture_nfdrs(
    temp_c: Any, rh_pct: Any, state_of_weather: int = 0, raining: bool = False
) -> Any:
    """NFDRS 1-h fuel moisture ``1.03 EMC(T+dT, RH*f)`` (%); 35 % if raining.

    Args:
        temp_c: Air temperature at 1.5 m (deg C).
        rh_pct: Relative humidity (%).
        state_of_weather: NFDRS code 0 clear .. 3 overcast (daytime insolation).
        raining: Raining at observation time.

    Returns:
        1-h moisture in percent.
    """
    if raining:
        return 35.0 if np.ndim(temp_c) == 0 else np.full(np.shape(temp_c), 35.0)
    return 1.03 * _emc_prm(temp_c, rh_pct, state_of_weather)


def ten_hour_moisture_nfdrs(temp_c: Any, rh_pct: Any, state_of_weather: int = 0) -> Any:
    """NFDRS 10-h fuel moisture without fuel sticks: ``1.28 EMCPRM`` (%)."""
    return 1.28 * _emc_prm(temp_c, rh_pct, state_of_weather)


def hundred_hour_moisture_step(
    prev_mc100: float,
    emc_min: float,
    emc_max: float,
    daylight_h: float,
    rain_duration_h: float = 0.0,
) -> float:
    """One daily update of NFDRS 100-h moisture (Cohen & Deeming 1985).

    Args:
        prev_mc100: Yesterday's 100-h moisture (%).
        emc_min: EMC at max temperature / min RH (%).
        emc_max: EMC at min temperature / max RH (%).
        daylight_h: Hours of daylight.
        rain_duration_h: Hours of precipitation in the 24 h.

    Returns:
        Today's 100-h moisture (%).
    """
    emcbar = (daylight_h * emc_min + (24.0 - daylight_h) * emc_max) / 24.0
    d = min(max(rain_duration_h, 0.0), 24.0)
    bndry = ((24.0 - d) * emcbar + d * (0.5 * d + 41.0)) / 24.0
    return prev_mc100 + (bndry - prev_mc100) * (1.0 - 0.87 * math.exp(-0.24))


def daylight_hours(lat_deg: float, day_of_year: int) -> float:
    """Day length (h) as in NFDRS: ``24 (1 - acos(tan(phi) tan(decl))/pi)``."""
    phi = math.radians(lat_deg)
    decl = 0.41008 * math.sin(math.radians(day_of_year - 82))
    x = max(-1.0, min(1.0, math.tan(phi) * math.tan(decl)))
    return 24.0 * (1.0 - math.acos(x) / math.pi)


def sunrise_sunset_hours(lat_deg: float, day_of_year: int) -> tuple[float, float]:
    """Local solar sunrise and sunset hours (symmetric about solar noon)."""
    d = daylight_hours(lat_deg, day_of_year)
    return 12.0 - d / 2.0, 12.0 + d / 2.0


# ---------------------------------------------------------------------------
# Rothermel (1983) tables as coded in Behave (fineDeadFuelMoistureTool.cpp)

#: Reference fine dead fuel moisture (%): rows = dry-bulb class
#: (10-29, 30-49, 50-69, 70-89, 90-109, >109 F); columns = RH class
#: (0-4, 5-9, ..., 95-99, 100 %).
REFERENCE_MOISTURE_TABLE = np.array(
    [
        [1, 2, 2, 3, 4, 5, 5, 6, 7, 8, 8, 8, 9, 9, 10, 11, 12, 12, 13, 13, 14],
        [1, 2, 2, 3, 4, 5, 5, 6, 7, 7, 7, 8, 9, 9, 10, 10, 11, 12, 13, 13, 13],
        [1, 2, 2, 3, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 11, 12, 12, 12, 13],
        [1, 1, 2, 2, 3, 4, 5, 5, 6, 7, 7, 8, 8, 8, 9, 10, 10, 11, 12, 12, 13],
        [1, 1, 2, 2, 3, 4, 4, 5, 6, 7, 7, 8, 8, 8, 9, 10, 10, 11, 12, 12, 13],
        [1, 1, 2, 2, 3, 4, 4, 5, 6, 7, 7, 8, 8, 8, 9, 10, 10, 11, 12, 12, 12],
    ],
    dtype=int,
)

#: Correction (%): rows = 12 per month group (exposed: slope class + 2*aspect,
#: rows 0-7; shaded: 8 + aspect), month groups May-Jul, Feb-Apr/Aug-Oct,
#: Nov-Jan; columns = elevation class (below, level, above) + 3 * time-of-day
#: class (08-10, 10-12, 12-14, 14-16, 16-18, 18-sunset).
CORRECTION_TABLE = np.array(
    [
        # May-Jun-Jul exposed
        [2, 3, 4, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 2, 3, 4],
        [3, 4, 4, 1, 2, 2, 1, 1, 2, 1, 1, 2, 1, 2, 2, 3, 4, 4],
        [2, 2, 3, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1, 1, 2, 3, 4, 4],
        [1, 2, 2, 0, 0, 1, 0, 0, 1, 1, 1, 2, 2, 3, 4, 4, 5, 6],
        [2, 3, 3, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 2, 3, 3],
        [2, 3, 3, 1, 1, 2, 0, 1, 1, 0, 1, 1, 1, 1, 2, 2, 3, 3],
        [2, 3, 4, 1, 1, 2, 0, 0, 1, 0, 0, 1, 0, 1, 1, 2, 3, 3],
        [4, 5, 6, 2, 3, 4, 1, 1, 2, 0, 0, 1, 0, 0, 1, 1, 2, 2],
        # May-Jun-Jul shaded
        [4, 5, 5, 3, 4, 5, 3, 3, 4, 3, 3, 4, 3, 4, 5, 4, 5, 5],
        [4, 4, 5, 3, 4, 5, 3, 3, 4, 3, 4, 4, 3, 4, 5, 4, 5, 6],
        [4, 4, 5, 3, 4, 5, 3, 3, 4, 3, 3, 4, 3, 4, 5, 4, 5, 5],
        [4, 5, 6, 3, 4, 5, 3, 3, 4, 3, 3, 4, 3, 4, 5, 4, 4, 5],
        # Feb-Mar-Apr / Aug-Sep-Oct exposed
        [3, 4, 5, 1, 2, 3, 1, 1, 2, 1, 1, 2, 1, 2, 3, 3, 4, 5],
        [3, 4, 5, 3, 3, 4, 2, 3, 4, 2, 3, 4, 3, 3, 4, 3, 4, 5],
        [3, 4, 5, 1, 2, 3, 1, 1, 1, 1, 1, 2, 1, 2, 3, 3, 4, 5],
        [3, 3, 4, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 4, 5, 3, 4, 6],
        [3, 4, 5, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 4, 5],
        [3, 4, 5, 1, 2, 2, 0, 1, 1, 0, 1, 1, 1, 2, 2, 3, 4, 5],
        [3, 4, 5, 1, 2, 3, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 4, 5],
        [4, 5, 6, 3, 4, 5, 1, 2, 3, 1, 1, 1, 1, 1, 1, 3, 3, 4],
        # Feb-Mar-Apr / Aug-Sep-Oct shaded
        [4, 5, 6, 4, 5, 5, 3, 4, 5, 3, 4, 5, 4, 5, 5, 4, 5, 6],
        [4, 5, 6, 3, 4, 5, 3, 4, 5, 3, 4, 5, 4, 5, 6, 4, 5, 6],
        [4, 5, 6, 3, 4, 5, 3, 4, 5, 3, 4, 5, 3, 4, 5, 4, 5, 6],
        [4, 5, 6, 4, 5, 6, 3, 4, 5, 3, 4, 5, 3, 4, 5, 4, 5, 6],
        # Nov-Dec-Jan exposed
        [4, 5, 6, 3, 4, 5, 2, 3, 4, 2, 3, 4, 3, 4, 5, 4, 5, 6],
        [4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6],
        [4, 5, 6, 3, 4, 4, 2, 3, 3, 2, 3, 3, 3, 4, 5, 4, 5, 6],
        [4, 5, 6, 2, 3, 4, 2, 2, 3, 3, 4, 4, 4, 5, 6, 4, 5, 6],
        [4, 5, 6, 3, 4, 5, 2, 3, 3, 2, 2, 3, 3, 4, 4, 4, 5, 6],
        [4, 5, 6, 2, 3, 3, 1, 1, 2, 1, 1, 2, 2, 3, 3, 4, 5, 6],
        [4, 5, 6, 3, 4, 5, 2, 3, 3, 2, 3, 3, 3, 4, 4, 4, 5, 6],
        [4, 5, 6, 4, 5, 6, 3, 4, 4, 2, 2, 3, 2, 3, 4, 4, 5, 6],
        # Nov-Dec-Jan shaded
        [4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6],
        [4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6],
        [4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6],
        [4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6, 4, 5, 6],
    ],
    dtype=int,
)

_ASPECTS = {"N": 0, "E": 1, "S": 2, "W": 3}
_ELEVATIONS = {"below": 0, "level": 1, "above": 2}


class FineDeadFuelMoisture(NamedTuple):
    """Result of the Rothermel (1983) table method (all in percent)."""

    reference: int
    correction: int
    total: int


def fine_dead_fuel_moisture_by_index(
    aspect: int, dry_bulb: int, elevation: int, month: int, rh: int, shading: int, slope: int,
    time_of_day: int,
) -> FineDeadFuelMoisture:  # fmt: skip
    """Table lookup by class indices exactly as Behave's ``calculateByIndex``.

    Args:
        aspect: 0 N, 1 E, 2 S, 3 W.
        dry_bulb: 0..5 (10-29, 30-49, 50-69, 70-89, 90-109, >109 deg F).
        elevation: 0 below (1000-2000 ft), 1 level (within 1000 ft), 2 above.
        month: 0 May-Jul, 1 Feb-Apr & Aug-Oct, 2 Nov-Jan.
        rh: 0..20 (0-4, 5-9, ..., 95-99, 100 %).
        shading: 0 exposed (<50 % shade), 1 shaded.
        slope: 0 (0-30 %), 1 (31+ %).
        time_of_day: 0..5 (08-10, 10-12, 12-14, 14-16, 16-18, 18-sunset).

    Returns:
        Reference, correction and corrected moisture (%).

    Raises:
        ValueError: For an index out of range.
    """
    limits = dict(
        aspect=4, dry_bulb=6, elevation=3, month=3, rh=21, shading=2, slope=2, time_of_day=6
    )
    vals = dict(
        aspect=aspect, dry_bulb=dry_bulb, elevation=elevation, month=month, rh=rh,
        shading=shading, slope=slope, time_of_day=time_of_day,
    )  # fmt: skip
    for k, v in vals.items():
        if not 0 <= int(v) < limits[k]:
            raise ValueError(f"{k} index {v} out of range 0..{limits[k] - 1}")
    ref = int(REFERENCE_MOISTURE_TABLE[dry_bulb, rh])
    row = (slope + 2 * aspect) if shading == 0 else (8 + aspect)
    row += 12 * month
    col = elevation + 3 * time_of_day
    corr = int(CORRECTION_TABLE[row, col])
    return FineDeadFuelMoisture(ref, corr, ref + corr)


def _month_class(month: int) -> int:
    if month in (5, 6, 7):
        return 0
    if month in (2, 3, 4, 8, 9, 10):
        return 1
    if month in (11, 12, 1):
        return 2
    raise ValueError(f"month must be 1..12, got {month}")


def _aspect_class(aspect: str | float) -> int:
    if isinstance(aspect, str):
        a = aspect.strip().upper()[:1]
        if a not in _ASPECTS:
            raise ValueError(f"aspect must be N/E/S/W or degrees, got {aspect!r}")
        return _ASPECTS[a]
    return int(((float(aspect) % 360.0) + 45.0) // 90.0) % 4


def fine_dead_fuel_moisture_table(
    temp_c: float,
    rh_pct: float,
    month: int,
    hour: float,
    aspect: str | float = "S",
    slope_pct: float = 0.0,
    shaded: bool = False,
    elevation: str = "level",
) -> FineDeadFuelMoisture:
    """Rothermel (1983) daytime fine dead fuel (1-h) moisture from the NWCG tables.

    Args:
        temp_c: Dry-bulb temperature (deg C).
        rh_pct: Relative humidity (%).
        month: Calendar month 1..12 (northern hemisphere grouping).
        hour: Local time in hours, 8 <= hour (daytime table; 18:00-sunset is the
            last class and is used for any later daylight hour).
        aspect: ``"N"``, ``"E"``, ``"S"``, ``"W"`` or an azimuth in degrees.
        slope_pct: Slope (%); the table splits at 30 %.
        shaded: True if >= 50 % shaded by canopy or cloud.
        elevation: Site relative to the weather station: ``"below"``
            (1000-2000 ft lower), ``"level"`` (within 1000 ft) or ``"above"``.

    Returns:
        :class:`FineDeadFuelMoisture` (reference, correction, total; percent).

    Raises:
        ValueError: For hour < 8 (night-time tables are not included; use the
            NFDRS functions) or out-of-range inputs.
    """
    if hour < 8.0:
        raise ValueError(
            "Rothermel (1983) daytime table covers 08:00-sunset; use NFDRS EMC at night"
        )
    t_f = float(_c_to_f(temp_c))
    dry = (
        0
        if t_f < 30
        else 1
        if t_f < 50
        else 2
        if t_f < 70
        else 3
        if t_f < 90
        else 4
        if t_f < 110
        else 5
    )
    rh = min(max(int(math.floor(float(rh_pct) / 5.0)), 0), 20)
    tod = min(int((hour - 8.0) // 2.0), 5)
    elev = _ELEVATIONS.get(elevation.lower())
    if elev is None:
        raise ValueError(f"elevation must be one of {list(_ELEVATIONS)}")
    return fine_dead_fuel_moisture_by_index(
        _aspect_class(aspect), dry, elev, _month_class(month), rh, int(bool(shaded)),
        1 if slope_pct > 30.0 else 0, tod,
    )  # fmt: skip


# ---------------------------------------------------------------------------
# Diurnal cycle


def _sat_vp_hpa(t_c: Any) -> Any:
    """Saturation vapour pressure over water (Magnus, Alduchov & Eskridge 1996)."""
    t = np.asarray(t_c, dtype=float)
    return 6.1094 * np.exp(17.625 * t / (t + 243.04))


def diurnal_temperature_rh(
    hours: Any,
    t_min_c: float,
    t_max_c: float,
    rh_at_tmax_pct: float,
    hour_tmin: float = 6.0,
    hour_tmax: float = 15.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Hourly temperature and RH: cosine temperature wave, constant dew point.

    Temperature rises from ``t_min_c`` at ``hour_tmin`` to ``t_max_c`` at
    ``hour_tmax`` along a half cosine and falls back along the other half
    cosine over the remaining hours; the vapour pressure is held at the value
    implied by ``rh_at_tmax_pct`` at ``t_max_c`` so RH peaks at dawn (capped
    at 100 %).

    Args:
        hours: Local hours (any real values; taken modulo 24).
        t_min_c: Daily minimum temperature (deg C).
        t_max_c: Daily maximum temperature (deg C).
        rh_at_tmax_pct: Afternoon minimum RH (%).
        hour_tmin: Hour of the minimum (about sunrise).
        hour_tmax: Hour of the maximum.

    Returns:
        ``(temperature_c, rh_pct)`` arrays.
    """
    h = np.mod(np.asarray(hours, dtype=float), 24.0)
    rise = hour_tmax - hour_tmin
    fall = 24.0 - rise
    since_min = np.mod(h - hour_tmin, 24.0)
    phase = np.where(since_min <= rise, since_min / rise, 1.0 + (since_min - rise) / fall)
    temp = t_min_c + (t_max_c - t_min_c) * 0.5 * (1.0 - np.cos(np.pi * phase))
    e = _sat_vp_hpa(t_max_c) * rh_at_tmax_pct / 100.0
    rh = np.minimum(100.0 * e / _sat_vp_hpa(temp), 100.0)
    return temp, rh


def hourly_fine_dead_moisture(
    hours: Any,
    t_min_c: float,
    t_max_c: float,
    rh_at_tmax_pct: float,
    *,
    lat_deg: float = 22.6,
    day_of_year: int = 15,
    state_of_weather: int = 0,
    timelag_h: float = 1.0,
    spinup_h: int = 48,
    initial_pct: float | None = None,
) -> np.ndarray:
    """Hourly 1-h (or other timelag) dead fuel moisture over a diurnal cycle.

    EMC each hour is the NFDRS EMC at the fuel-atmosphere interface (the
    state-of-weather solar correction applies between sunrise and sunset only,
    raw screen-level T/RH at night), multiplied by 1.03 as in NFDRS for 1-h
    fuels; moisture then relaxes toward it with an exponential timelag
    (``m <- E + (m - E) exp(-dt/tau)``, sub-stepped every 6 min).  The cycle is
    spun up for ``spinup_h`` hours so the result is periodic.

    Args:
        hours: Output hours (local solar time; may span several days).
        t_min_c: Daily minimum temperature (deg C).
        t_max_c: Daily maximum temperature (deg C).
        rh_at_tmax_pct: Afternoon minimum RH (%).
        lat_deg: Latitude for sunrise/sunset (default Jiangmen 22.6 N).
        day_of_year: Day of year (default mid-January, dry season).
        state_of_weather: NFDRS code 0..3 during daylight.
        timelag_h: Fuel timelag (1 for 1-h fuels, 10 for 10-h).
        spinup_h: Spin-up hours before ``min(hours)``.
        initial_pct: Initial moisture at the spin-up start (default EMC).

    Returns:
        Moisture (%) at each requested hour.
    """
    hours = np.asarray(hours, dtype=float)
    t0 = float(np.min(hours)) - spinup_h
    t1 = float(np.max(hours))
    dt = 0.1
    grid = np.arange(t0, t1 + dt / 2, dt)
    temp, rh = diurnal_temperature_rh(grid, t_min_c, t_max_c, rh_at_tmax_pct)
    sunrise, sunset = sunrise_sunset_hours(lat_deg, day_of_year)
    hod = np.mod(grid, 24.0)
    day = (hod >= sunrise) & (hod <= sunset)
    emc_day = _emc_prm(temp, rh, state_of_weather)
    emc_night = emc_nfdrs(temp, rh)
    factor = 1.03 if timelag_h <= 1.0 else 1.28 if timelag_h <= 10.0 else 1.0
    emc = factor * np.where(day, emc_day, emc_night)
    m = np.empty_like(emc)
    cur = float(emc[0]) if initial_pct is None else float(initial_pct)
    k = math.exp(-dt / timelag_h)
    for i, e in enumerate(emc):  # tiny 1-D recurrence (not per cell)
        cur = e + (cur - e) * k
        m[i] = cur
    return np.interp(hours, grid, m)


def moisture_after_rain(
    days_since_rain: float,
    t_min_c: float,
    t_max_c: float,
    rh_min_pct: float,
    rh_max_pct: float,
    *,
    lat_deg: float = 22.6,
    day_of_year: int = 15,
    rain_duration_h: float = 8.0,
    dry_mc100_pct: float | None = None,
    state_of_weather: int = 0,
) -> dict[str, float]:
    """Afternoon dead fuel moistures ``days_since_rain`` days after a rain day.

    * 100-h: NFDRS daily recurrence, starting from the dry-weather equilibrium
      (or ``dry_mc100_pct``), one rain day of ``rain_duration_h`` hours, then
      ``days_since_rain`` dry days (fractional days interpolated);
    * 10-h and 1-h: 35 % at the end of rain, relaxing toward the NFDRS
      afternoon values with timelags 10 h and 1 h.

    Args:
        days_since_rain: Days since the end of rain (>= 0).
        t_min_c: Daily minimum temperature (deg C).
        t_max_c: Daily maximum temperature (deg C).
        rh_min_pct: Afternoon minimum RH (%).
        rh_max_pct: Night maximum RH (%).
        lat_deg: Latitude (day length).
        day_of_year: Day of year.
        rain_duration_h: Hours of rain on the rain day.
        dry_mc100_pct: Pre-rain 100-h moisture (default: equilibrium value).
        state_of_weather: NFDRS code for the afternoon 1-h/10-h correction.

    Returns:
        Dict with ``m1h``, ``m10h``, ``m100h`` (%).
    """
    if days_since_rain < 0:
        raise ValueError("days_since_rain must be >= 0")
    dl = daylight_hours(lat_deg, day_of_year)
    emc_min = float(emc_nfdrs(t_max_c, rh_min_pct))
    emc_max = float(emc_nfdrs(t_min_c, rh_max_pct))
    emcbar = (dl * emc_min + (24.0 - dl) * emc_max) / 24.0
    y = emcbar if dry_mc100_pct is None else float(dry_mc100_pct)
    y = hundred_hour_moisture_step(y, emc_min, emc_max, dl, rain_duration_h)
    n = int(math.floor(days_since_rain))
    vals = [y]
    for _ in range(n + 1):
        vals.append(hundred_hour_moisture_step(vals[-1], emc_min, emc_max, dl, 0.0))
    frac = days_since_rain - n
    m100 = vals[n] + (vals[n + 1] - vals[n]) * frac
    hours = days_since_rain * 24.0
    m10_eq = float(ten_hour_moisture_nfdrs(t_max_c, rh_min_pct, state_of_weather))
    m1_eq = float(one_hour_moisture_nfdrs(t_max_c, rh_min_pct, state_of_weather))
    m10 = m10_eq + (35.0 - m10_eq) * math.exp(-hours / 10.0)
    m1 = m1_eq + (35.0 - m1_eq) * math.exp(-hours / 1.0)
    return {"m1h": m1, "m10h": m10, "m100h": m100}


def moisture_from_weather(
    temp_c: float,
    rh_pct: float,
    *,
    live_herb_pct: float = 120.0,
    live_woody_pct: float = 150.0,
    state_of_weather: int = 0,
    days_since_rain: float | None = None,
    t_min_c: float | None = None,
    rh_max_pct: float | None = None,
) -> Moisture:
    """Convenience: a :class:`~scenarios.forestfire.rothermel.Moisture` from weather.

    1-h and 10-h from NFDRS (``1.03``/``1.28`` x interface EMC); 100-h from the
    NFDRS 100-h model after ``days_since_rain`` dry days (default: long dry
    spell, i.e. the 24-h mean EMC).  Live moistures are inputs (defaults are
    typical green-season values; cured/dry-season herb in Guangdong winter is
    lower - set them explicitly).

    Args:
        temp_c: Afternoon temperature (deg C).
        rh_pct: Afternoon RH (%).
        live_herb_pct: Live herbaceous moisture (%).
        live_woody_pct: Live woody moisture (%).
        state_of_weather: NFDRS state of weather (0 clear .. 3 overcast).
        days_since_rain: Days since rain, or None for a long dry spell.
        t_min_c: Night minimum temperature (default ``temp_c - 8``).
        rh_max_pct: Night maximum RH (default ``min(100, rh_pct + 40)``).

    Returns:
        A :class:`Moisture` (percent).
    """
    t_min = temp_c - 8.0 if t_min_c is None else t_min_c
    rh_max = min(100.0, rh_pct + 40.0) if rh_max_pct is None else rh_max_pct
    m1 = float(one_hour_moisture_nfdrs(temp_c, rh_pct, state_of_weather))
    m10 = float(ten_hour_moisture_nfdrs(temp_c, rh_pct, state_of_weather))
    if days_since_rain is None:
        dl = 12.0
        e_min = float(emc_nfdrs(temp_c, rh_pct))
        e_max = float(emc_nfdrs(t_min, rh_max))
        m100 = (dl * e_min + (24.0 - dl) * e_max) / 24.0
    else:
        r = moisture_after_rain(days_since_rain, t_min, temp_c, rh_pct, rh_max,
                                state_of_weather=state_of_weather)  # fmt: skip
        m1, m10, m100 = r["m1h"], r["m10h"], r["m100h"]
    return Moisture(m1, m10, m100, live_herb_pct, live_woody_pct)
