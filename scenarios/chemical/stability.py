"""Pasquill-Gifford atmospheric stability class from routine weather.

Stability is the atmosphere's "stirring strength": A is a sunny, light-wind
afternoon that mixes a plume fast; F is a clear, calm night that lets it slide
along the ground almost undiluted. The table is Pasquill (1961) as published by
NOAA READY (see /work/shared/reference/models.md, section 2):

=========  ======  ========  ======  ===================  ==========
Wind m/s   Strong  Moderate  Slight  Night >4/8 cloud     Night <=4/8
=========  ======  ========  ======  ===================  ==========
< 2        A       A-B       B       E                    F
2-3        A-B     B         C       E                    F
3-5        B       B-C       C       D                    E
5-6        C       C-D       D       D                    D
> 6        C       D         D       D                    D
=========  ======  ========  ======  ===================  ==========

Overcast (8/8) day or night is D.

Validity limits: 10 m wind; open, flat terrain; the table ignores surface
roughness and urban heat, so treat urban night-time E/F with caution.
Intermediate entries (``"A-B"``) are resolved to the *more stable* class by
:func:`pasquill_class`, which gives the longer (more conservative) ground-level
hazard distance.
"""

from __future__ import annotations

from typing import Literal

Insolation = Literal["strong", "moderate", "slight"]
CLASSES: tuple[str, ...] = ("A", "B", "C", "D", "E", "F")

# Upper wind bounds (m/s, exclusive) of the table rows; the last row is open.
_WIND_ROWS: tuple[float, ...] = (2.0, 3.0, 5.0, 6.0)
_DAY = {
    "strong": ("A", "A-B", "B", "C", "C"),
    "moderate": ("A-B", "B", "B-C", "C-D", "D"),
    "slight": ("B", "C", "C", "D", "D"),
}
_NIGHT_CLOUDY = ("E", "E", "D", "D", "D")
_NIGHT_CLEAR = ("F", "F", "E", "D", "D")


def _row(wind_m_s: float) -> int:
    for i, upper in enumerate(_WIND_ROWS):
        if wind_m_s < upper:
            return i
    return len(_WIND_ROWS)


def pasquill_table_entry(
    wind_m_s: float,
    *,
    daytime: bool,
    insolation: Insolation | None = None,
    cloud_fraction: float = 0.0,
) -> str:
    """Raw Pasquill (1961) / NOAA table entry, possibly intermediate (``"B-C"``).

    Args:
        wind_m_s: 10 m wind speed, m/s (>= 0).
        daytime: True between sunrise and sunset.
        insolation: Daytime solar radiation category; required when ``daytime``.
        cloud_fraction: Cloud cover 0..1 (oktas / 8). 1.0 means overcast -> D.

    Raises:
        ValueError: on negative wind, cloud outside [0, 1], or missing/unknown
            insolation by day.
    """
    if not wind_m_s >= 0:
        raise ValueError(f"wind_m_s={wind_m_s!r}: expected a number >= 0")
    if not 0.0 <= cloud_fraction <= 1.0:
        raise ValueError(f"cloud_fraction={cloud_fraction!r}: expected 0..1")
    if cloud_fraction >= 1.0:
        return "D"
    row = _row(wind_m_s)
    if daytime:
        if insolation not in _DAY:
            raise ValueError(
                f"insolation={insolation!r}: expected 'strong', 'moderate' or 'slight' by day"
            )
        return _DAY[insolation][row]
    return (_NIGHT_CLOUDY if cloud_fraction > 0.5 else _NIGHT_CLEAR)[row]


def pasquill_class(
    wind_m_s: float,
    *,
    daytime: bool,
    insolation: Insolation | None = None,
    cloud_fraction: float = 0.0,
) -> str:
    """Single Pasquill-Gifford class A-F (intermediates -> more stable class).

    See :func:`pasquill_table_entry` for arguments; source Pasquill (1961) via
    NOAA READY stability table.
    """
    entry = pasquill_table_entry(
        wind_m_s, daytime=daytime, insolation=insolation, cloud_fraction=cloud_fraction
    )
    return entry.split("-")[-1]


def insolation_from_solar_elevation(
    elevation_deg: float, cloud_fraction: float = 0.0
) -> Insolation | None:
    """Daytime insolation category from solar elevation (Turner 1964 thresholds).

    Turner's (1964) insolation classes: elevation > 60 deg strong, 35-60
    moderate, 15-35 slight. Below 15 deg (and below the horizon) returns None:
    treat as night/neutral. Approximation: cloud cover > 5/8 lowers the category
    by one step (Turner's net-radiation index does this for ceilings below
    7000 ft; here without ceiling height).

    Args:
        elevation_deg: Solar elevation above the horizon, degrees.
        cloud_fraction: Total cloud cover 0..1.
    """
    if not 0.0 <= cloud_fraction <= 1.0:
        raise ValueError(f"cloud_fraction={cloud_fraction!r}: expected 0..1")
    order: list[Insolation] = ["slight", "moderate", "strong"]
    if elevation_deg > 60:
        idx = 2
    elif elevation_deg > 35:
        idx = 1
    elif elevation_deg > 15:
        idx = 0
    else:
        return None
    if cloud_fraction > 5 / 8:
        idx -= 1
    return order[idx] if idx >= 0 else None


def validate_class(stability: str) -> str:
    """Return the upper-case class letter or raise ValueError."""
    s = str(stability).strip().upper()
    if s not in CLASSES:
        raise ValueError(f"stability={stability!r}: expected one of {list(CLASSES)}")
    return s
