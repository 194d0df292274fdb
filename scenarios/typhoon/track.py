"""Typhoon tracks: loading, hourly interpolation, translation and synthetic variants.

Data: ``data/best_tracks.csv`` holds *operational* fixes (HKO warning bulletins, CMA/NMC
bulletins quoted by news sites, JTWC summaries) for Mangkhut 1822, Hato 1713 and Higos 2007.
No official best-track file (CMA tcdata, IBTrACS) was reachable offline, so every row carries
its own source and the agency of its numbers. The ``use`` column says which rows feed
positions (``pos``), intensity (``int``) and which row is the reported landfall.

Validity limits:
    * Positions mix HKO bulletin fixes with a CMA landfall town; errors of 10-30 km are
      expected and intensity after the last intensity row is held constant (inland decay is
      applied by the wind model, not here).
    * Interpolation is great-circle for position and linear in time for pressure, wind and
      radius of maximum wind; it cannot reproduce sub-6-hourly intensity changes.
    * Synthetic variants are rigid transformations (shift, intensity scaling, time stretch);
      they do not re-balance pressure and wind physically.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

EARTH_RADIUS_KM = 6371.0
DATA_PATH = Path(__file__).parent / "data" / "best_tracks.csv"
STORMS = ("Mangkhut 1822", "Hato 1713", "Higos 2007")
PENV_WP_HPA = 1005.0  # CLIMADA default environmental pressure for the western Pacific.


@dataclass(frozen=True)
class Track:
    """A storm track as parallel numpy arrays (one entry per fix, times in UTC).

    Attributes:
        name: Storm label, e.g. ``"Mangkhut 1822"``.
        time: ``datetime64[s]`` UTC times, strictly increasing.
        lat: Latitude of the eye (deg N).
        lon: Longitude of the eye (deg E).
        pc_hpa: Central pressure (hPa).
        vmax_m_s: Reported maximum sustained wind (m/s) with averaging ``vmax_avg_min``.
        rmax_km: Radius of maximum wind (km); NaN where unknown (estimated downstream).
        vmax_avg_min: Averaging period of ``vmax_m_s`` in minutes (CMA: 2).
        penv_hpa: Environmental pressure (hPa), CLIMADA's WP default 1005.
        landfall_time: Reported landfall time (UTC) or ``None``.
        source: Short provenance string per fix.
    """

    name: str
    time: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    pc_hpa: np.ndarray
    vmax_m_s: np.ndarray
    rmax_km: np.ndarray
    vmax_avg_min: float = 2.0
    penv_hpa: float = PENV_WP_HPA
    landfall_time: np.datetime64 | None = None
    source: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.time)
        for field in ("lat", "lon", "pc_hpa", "vmax_m_s", "rmax_km"):
            if len(getattr(self, field)) != n:
                raise ValueError(
                    f"Track.{field} has length {len(getattr(self, field))}, expected {n}"
                )
        if n < 2:
            raise ValueError(f"Track needs at least 2 fixes, got {n}")
        if np.any(np.diff(self.time.astype("datetime64[s]").astype(np.int64)) <= 0):
            raise ValueError("Track.time must be strictly increasing")

    @property
    def hours(self) -> np.ndarray:
        """Hours since the first fix (float)."""
        t = self.time.astype("datetime64[s]").astype(np.int64)
        return (t - t[0]) / 3600.0

    def hours_since_landfall(self) -> np.ndarray:
        """Hours relative to ``landfall_time`` (negative before); all NaN if unknown."""
        if self.landfall_time is None:
            return np.full(len(self.time), np.nan)
        t = self.time.astype("datetime64[s]").astype(np.int64)
        return (t - np.datetime64(self.landfall_time, "s").astype(np.int64)) / 3600.0


def load_best_tracks(path: Path | str = DATA_PATH) -> pd.DataFrame:
    """Read the cited track table (one row per fix, ``time_utc`` parsed)."""
    import pandas as pd  # only to read the track file; calculators need no pandas

    df = pd.read_csv(path)
    df["time_utc"] = pd.to_datetime(df["time_utc"])
    df["use"] = df["use"].fillna("")
    return df


@functools.lru_cache(maxsize=4)
def _best_tracks_cached(path: str) -> pd.DataFrame:
    """`load_best_tracks` once per process and path: a batch builds a track per run.

    Only `load_track` reads it, and never modifies it.
    """
    return load_best_tracks(path)


def _interp_column(t_out: np.ndarray, t_in: np.ndarray, values: np.ndarray) -> np.ndarray:
    ok = np.isfinite(values)
    if not ok.any():
        return np.full(len(t_out), np.nan)
    return np.interp(t_out, t_in[ok], values[ok])


def load_track(storm: str, path: Path | str = DATA_PATH) -> Track:
    """Build a :class:`Track` for one storm from the rows flagged for use.

    Each variable is interpolated in time from its own flagged rows (positions from ``pos``
    rows, pressure/wind from ``int`` rows). The track spans the first to last position fix;
    intensity is held constant outside its data range.

    Args:
        storm: One of :data:`STORMS`.
        path: CSV path (default: packaged data).
    """
    df = _best_tracks_cached(str(path))
    rows = df[df["storm"] == storm].sort_values("time_utc")
    if rows.empty:
        raise ValueError(f"storm={storm!r} not in {path}; expected one of {STORMS}")
    t_all = rows["time_utc"].to_numpy().astype("datetime64[s]").astype(np.int64) / 3600.0
    pos = rows["use"].str.contains("pos").to_numpy()
    inten = rows["use"].str.contains("int").to_numpy()
    land = rows["use"].str.contains("landfall").to_numpy()
    t_pos = t_all[pos]
    keep = (pos | inten | land) & (t_all >= t_pos.min()) & (t_all <= t_pos.max())
    t_out = np.unique(t_all[keep])
    lat = np.interp(t_out, t_pos, rows["lat"].to_numpy(float)[pos])
    lon = np.interp(t_out, t_pos, rows["lon"].to_numpy(float)[pos])
    pc = _interp_column(t_out, t_all[inten], rows["pc_hpa"].to_numpy(float)[inten])
    vmax = _interp_column(t_out, t_all[inten], rows["vmax_m_s"].to_numpy(float)[inten])
    rmax = _interp_column(t_out, t_all[pos | inten], rows["rmax_km"].to_numpy(float)[pos | inten])
    src = np.array(
        ["; ".join(rows["source"].to_numpy()[np.isclose(t_all, t)].astype(str)) for t in t_out],
        dtype=object,
    )
    landfall = None
    if land.any():
        landfall = rows["time_utc"][land].to_numpy()[0].astype("datetime64[s]")
    avg = rows["vmax_avg_min"][inten].dropna()
    return Track(
        name=storm,
        time=(t_out * 3600).astype(np.int64).astype("datetime64[s]"),
        lat=lat,
        lon=lon,
        pc_hpa=pc,
        vmax_m_s=vmax,
        rmax_km=rmax,
        vmax_avg_min=float(avg.iloc[0]) if len(avg) else 2.0,
        landfall_time=landfall,
        source=src,
    )


def _slerp(lat0, lon0, lat1, lon1, frac):
    """Great-circle interpolation between two points (degrees) at fraction ``frac``."""
    p0 = np.radians(np.stack([lat0, lon0]))
    p1 = np.radians(np.stack([lat1, lon1]))
    v0 = np.array([np.cos(p0[0]) * np.cos(p0[1]), np.cos(p0[0]) * np.sin(p0[1]), np.sin(p0[0])])
    v1 = np.array([np.cos(p1[0]) * np.cos(p1[1]), np.cos(p1[0]) * np.sin(p1[1]), np.sin(p1[0])])
    omega = np.arccos(np.clip(np.sum(v0 * v1, axis=0), -1.0, 1.0))
    small = omega < 1e-12
    so = np.where(small, 1.0, np.sin(omega))
    a = np.where(small, 1.0 - frac, np.sin((1.0 - frac) * omega) / so)
    b = np.where(small, frac, np.sin(frac * omega) / so)
    v = a * v0 + b * v1
    lat = np.degrees(np.arctan2(v[2], np.hypot(v[0], v[1])))
    lon = np.degrees(np.arctan2(v[1], v[0]))
    return lat, lon


def interpolate_hourly(track: Track, step_h: float = 1.0) -> Track:
    """Resample a track every ``step_h`` hours (great circle position, linear intensity)."""
    if not step_h > 0:
        raise ValueError(f"step_h={step_h} must be > 0")
    h = track.hours
    h_out = np.arange(0.0, h[-1] + 1e-9, step_h)
    idx = np.clip(np.searchsorted(h, h_out, side="right") - 1, 0, len(h) - 2)
    frac = (h_out - h[idx]) / (h[idx + 1] - h[idx])
    lat, lon = _slerp(track.lat[idx], track.lon[idx], track.lat[idx + 1], track.lon[idx + 1], frac)
    t0 = track.time[0].astype("datetime64[s]")
    times = t0 + np.round(h_out * 3600).astype("timedelta64[s]")
    return dataclasses.replace(
        track,
        time=times,
        lat=lat,
        lon=lon,
        pc_hpa=np.interp(h_out, h, track.pc_hpa),
        vmax_m_s=np.interp(h_out, h, track.vmax_m_s),
        rmax_km=_interp_column(h_out, h, track.rmax_km),
        source=None,
    )


def translation(track: Track) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Translation velocity of the eye at each fix.

    Backward differences on a local equirectangular projection (as CLIMADA ``_vtrans``); the
    first fix copies the second so it is never zero.

    Returns:
        ``(speed_m_s, direction_deg, v_east_m_s, v_north_m_s)``; direction is the heading the
        storm moves toward, clockwise from north.
    """
    lat = np.radians(track.lat)
    dlat = np.diff(lat)
    dlon = np.radians(np.diff((track.lon + 180.0) % 360.0 - 180.0))
    dt_s = np.diff(track.hours) * 3600.0
    mid = 0.5 * (lat[1:] + lat[:-1])
    ve = EARTH_RADIUS_KM * 1e3 * dlon * np.cos(mid) / dt_s
    vn = EARTH_RADIUS_KM * 1e3 * dlat / dt_s
    ve = np.concatenate([ve[:1], ve])
    vn = np.concatenate([vn[:1], vn])
    speed = np.hypot(ve, vn)
    direction = np.degrees(np.arctan2(ve, vn)) % 360.0
    return speed, direction, ve, vn


def shift_track(track: Track, east_km: float = 0.0, north_km: float = 0.0) -> Track:
    """Translate the whole track rigidly by ``east_km``/``north_km`` (synthetic variant)."""
    dlat = north_km / EARTH_RADIUS_KM * 180.0 / np.pi
    lat = track.lat + dlat
    dlon = east_km / (EARTH_RADIUS_KM * np.cos(np.radians(lat))) * 180.0 / np.pi
    return dataclasses.replace(track, lat=lat, lon=track.lon + dlon, name=f"{track.name} shifted")


def shift_perpendicular(track: Track, right_km: float) -> Track:
    """Shift each fix ``right_km`` to the right of the local motion (negative = left)."""
    _, direction, _, _ = translation(track)
    theta = np.radians(direction + 90.0)
    dlat = right_km * np.cos(theta) / EARTH_RADIUS_KM * 180.0 / np.pi
    lat = track.lat + dlat
    dlon = right_km * np.sin(theta) / (EARTH_RADIUS_KM * np.cos(np.radians(lat))) * 180.0 / np.pi
    return dataclasses.replace(
        track, lat=lat, lon=track.lon + dlon, name=f"{track.name} {right_km:+.0f} km right"
    )


#: Lowest sea-level pressure observed in a tropical cyclone: Typhoon Tip, 12 Oct 1979,
#: 870 hPa (WMO Weather and Climate Extremes Archive; Dunnavan & Diercks 1980, MWR 108).
PC_RECORD_HPA = 870.0


def scale_intensity(track: Track, factor: float, mode: str = "dp") -> Track:
    """Scale storm strength: ``mode="dp"`` scales the pressure deficit, ``"vmax"`` the wind.

    With ``"dp"`` the wind is scaled by ``sqrt(factor)`` (Holland: V ~ sqrt(dp)); with
    ``"vmax"`` the pressure deficit is scaled by ``factor**2`` so both stay consistent.
    No fix goes below the record low ``PC_RECORD_HPA``: the intensity spreads of the
    shipped scenarios reach factor 1.3, which would take Mangkhut's 905 hPa peak to 833.
    """
    if not factor > 0:
        raise ValueError(f"factor={factor} must be > 0")
    if mode == "dp":
        fdp, fv = factor, np.sqrt(factor)
    elif mode == "vmax":
        fdp, fv = factor**2, factor
    else:
        raise ValueError(f"mode={mode!r}; expected 'dp' or 'vmax'")
    dp0 = track.penv_hpa - track.pc_hpa
    dp = fdp * dp0
    # A sampled factor may push a super typhoon's open-ocean peak past anything observed;
    # the deficit is capped at the record low (PC_RECORD_HPA) and the wind with it (V ~ sqrt(dp)).
    cap = track.penv_hpa - PC_RECORD_HPA
    over = dp > cap
    v = track.vmax_m_s * fv
    if np.any(over):
        dp = np.where(over, cap, dp)
        v = np.where(over, track.vmax_m_s * np.sqrt(cap / np.where(over, dp0, 1.0)), v)
    return dataclasses.replace(
        track, pc_hpa=track.penv_hpa - dp, vmax_m_s=v, name=f"{track.name} x{factor:g} {mode}"
    )


def time_stretch(track: Track, factor: float, about: np.datetime64 | None = None) -> Track:
    """Stretch time about ``about`` (default landfall): factor 2 halves translation speed."""
    if not factor > 0:
        raise ValueError(f"factor={factor} must be > 0")
    ref = about if about is not None else track.landfall_time
    if ref is None:
        ref = track.time[0]
    t = track.time.astype("datetime64[s]").astype(np.int64)
    r = np.datetime64(ref, "s").astype(np.int64)
    new = (r + np.round((t - r) * factor)).astype(np.int64).astype("datetime64[s]")
    return dataclasses.replace(track, time=new, name=f"{track.name} speed/{factor:g}")
