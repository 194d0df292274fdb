"""The storm over the drill clock: track variant, per-tick storm states, wind on the grid.

The historical track (cited fixes) is turned into the scenario's variant (shift,
intensity, translation speed), extended a little past its last fix along the
last motion (bulletin tracks stop soon after landfall while the storm still
blows over Jiangmen), resampled at the hazard tick and converted once into
`StormState`s (Holland parameters, motion, Kaplan-DeMaria decay). A tick then
costs one vectorised `wind_field` call on the world grid.
"""

from __future__ import annotations

import dataclasses
import functools
from datetime import datetime

import numpy as np

from scenarios.typhoon.track import (
    Track,
    interpolate_hourly,
    load_track,
    scale_intensity,
    shift_perpendicular,
    shift_track,
    time_stretch,
    translation,
)
from scenarios.typhoon.windfield import (
    MAX_DIST_EYE_KM,
    GridWind,
    StormState,
    WindField,
    track_states,
)
from scenarios.typhoon.windfield import wind_field as _wind_field


@functools.lru_cache(maxsize=16)
def historical_track(storm: str) -> Track:
    """`load_track(storm)`, read once per process (every run of a batch starts from it).

    Its arrays are read-only: variants build new tracks, never change this one.
    """
    tr = load_track(storm)
    for f in dataclasses.fields(tr):
        value = getattr(tr, f.name)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return tr


def build_track(storm: str, variant) -> Track:
    """The historical track of `storm` with the scenario's synthetic variant applied."""
    tr = historical_track(storm)
    if variant.shift_east_km or variant.shift_north_km:
        tr = shift_track(tr, variant.shift_east_km, variant.shift_north_km)
    if variant.intensity_factor != 1.0:
        tr = scale_intensity(tr, variant.intensity_factor, variant.intensity_mode)
    if variant.speed_factor != 1.0:
        tr = time_stretch(tr, variant.speed_factor)
    if getattr(variant, "cross_track_km", 0.0):
        tr = shift_perpendicular(tr, variant.cross_track_km)
    if getattr(variant, "time_shift_h", 0.0):
        shift = np.timedelta64(int(round(variant.time_shift_h * 3600.0)), "s")
        tr = dataclasses.replace(
            tr,
            time=tr.time.astype("datetime64[s]") + shift,
            landfall_time=None
            if tr.landfall_time is None
            else np.datetime64(tr.landfall_time, "s") + shift,
        )
    return tr


def vary_states(states: list[StormState], variant) -> list[StormState]:
    """Scale Holland B and the radius of maximum wind of every state (uncertainty nodes)."""
    b = getattr(variant, "holland_b_factor", 1.0)
    r = getattr(variant, "rmax_factor", 1.0)
    if b == 1.0 and r == 1.0:
        return states
    return [dataclasses.replace(s, b_factor=s.b_factor * b, rmax_km=s.rmax_km * r) for s in states]


def extrapolate(track: Track, hours: float) -> Track:
    """Append one fix `hours` after the last, moving on with the last translation velocity.

    Intensity is held at the last value; inland weakening comes from the decay model.
    """
    if hours <= 0:
        return track
    _, _, ve, vn = translation(track)
    dt = hours * 3600.0
    lat = track.lat[-1] + np.degrees(vn[-1] * dt / 6.371e6)
    lon = track.lon[-1] + np.degrees(ve[-1] * dt / (6.371e6 * np.cos(np.radians(track.lat[-1]))))
    t_new = track.time[-1].astype("datetime64[s]") + np.timedelta64(int(dt), "s")
    src = None if track.source is None else np.append(track.source, "extrapolated (last motion)")
    return dataclasses.replace(
        track,
        time=np.append(track.time.astype("datetime64[s]"), t_new),
        lat=np.append(track.lat, lat),
        lon=np.append(track.lon, lon),
        pc_hpa=np.append(track.pc_hpa, track.pc_hpa[-1]),
        vmax_m_s=np.append(track.vmax_m_s, track.vmax_m_s[-1]),
        rmax_km=np.append(track.rmax_km, track.rmax_km[-1]),
        source=src,
    )


def _utc64(dt: datetime) -> np.datetime64:
    if dt.tzinfo is None:
        raise ValueError(f"scenario.start_time={dt.isoformat()} needs a UTC offset (e.g. +08:00)")
    ts = dt.timestamp()
    return np.datetime64(int(round(ts)), "s")


class StormTimeline:
    """Storm states on the drill clock (minutes since scenario start)."""

    def __init__(
        self,
        track: Track,
        start_time: datetime,
        step_min: float,
        *,
        model: str = "H08",
        extrapolate_h: float = 12.0,
    ) -> None:
        self.track = extrapolate(track, extrapolate_h)
        self.model = model
        self.step_min = float(step_min)
        fine = interpolate_hourly(self.track, self.step_min / 60.0)
        self.fine = fine
        self.states: list[StormState] = track_states(fine)
        t0 = _utc64(start_time).astype(np.int64)
        secs = fine.time.astype("datetime64[s]").astype(np.int64)
        self.t_min = (secs - t0) / 60.0
        lf = self.track.landfall_time
        self.landfall_min = (
            float((np.datetime64(lf, "s").astype(np.int64) - t0) / 60.0) if lf is not None else None
        )

    def state_at(self, t_min: float) -> StormState | None:
        """The storm state valid at `t_min` (last state at or before it), or None outside."""
        if t_min < self.t_min[0] - 1e-6 or t_min > self.t_min[-1] + 1e-6:
            return None
        k = int(np.searchsorted(self.t_min, t_min + 1e-6, side="right") - 1)
        return self.states[max(k, 0)]

    def wind(
        self, state: StormState | None, lat2d: np.ndarray, lon2d: np.ndarray
    ) -> WindField | None:
        """Surface 1-min wind of `state` on a lat/lon grid; None if the storm is far away."""
        if state is None or not reaches(
            state, (lat2d.min(), lat2d.max(), lon2d.min(), lon2d.max())
        ):
            return None
        return _wind_field(state, lat2d, lon2d, model=self.model)

    def grid_wind(self, state: StormState | None, grid: GridWind) -> WindField | None:
        """`wind` on a world grid, bit for bit, times the grid's factor (see `GridWind`)."""
        if state is None or not reaches(state, grid.bounds):
            return None
        return grid(state)


def reaches(state: StormState, bounds: tuple[float, float, float, float]) -> bool:
    """Whether the eye is within `MAX_DIST_EYE_KM` (roughly) of a lat/lon box (min/max lat, lon)."""
    lat_min, lat_max, lon_min, lon_max = bounds
    pad = MAX_DIST_EYE_KM / 111.0
    padl = pad / max(np.cos(np.radians(state.lat)), 0.1)
    return not (
        state.lat + pad < lat_min
        or state.lat - pad > lat_max
        or state.lon + padl < lon_min
        or state.lon - padl > lon_max
    )
