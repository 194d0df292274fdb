"""Travel between points: the interface the response system moves units with.

`World` implements this over its road graph, sea mask, rivers and the air. The
engine also ships two tiny routers: `ZeroRouter` (no travel, for queueing
checks like Erlang C) and `StraightLineRouter` (distance over speed, for tests).
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

import numpy as np


class Leg(NamedTuple):
    """One travelled leg: mode, duration, length and the path in UTM metres."""

    mode: str
    time_min: float
    length_m: float
    path_xy: np.ndarray


class Router(Protocol):
    """Anything that can time and trace journeys."""

    def route(
        self,
        mode: str,
        origin_xy: tuple[float, float],
        dest_xy: tuple[float, float],
        speed_kmh: float,
    ) -> Leg:
        """The fastest journey from origin to destination."""
        ...

    def travel_time_min(
        self, mode: str, origins_xy: np.ndarray, dest_xy: tuple[float, float], speed_kmh: float
    ) -> np.ndarray:
        """Travel time from each origin to one destination (inf if unreachable)."""
        ...


_NO_PATH = np.zeros((0, 2))
_NO_PATH.flags.writeable = False


class ZeroRouter:
    """Every journey is instantaneous: isolates queueing from travel.

    A zero-time leg is never on screen, so it carries an empty path instead of
    allocating one per journey (this router drives the queueing checks).
    """

    def __init__(self) -> None:
        self._legs: dict[str, Leg] = {}  # legs are immutable: one per mode serves every journey

    def route(self, mode, origin_xy, dest_xy, speed_kmh) -> Leg:  # noqa: D102
        leg = self._legs.get(mode)
        if leg is None:
            leg = self._legs[mode] = Leg(mode, 0.0, 0.0, _NO_PATH)
        return leg

    def travel_time_min(self, mode, origins_xy, dest_xy, speed_kmh) -> np.ndarray:  # noqa: D102
        return np.zeros(len(origins_xy))


class StraightLineRouter:
    """Straight line at the given speed times a detour factor (any mode)."""

    def __init__(self, detour: float = 1.0) -> None:
        self.detour = detour

    def route(self, mode, origin_xy, dest_xy, speed_kmh) -> Leg:  # noqa: D102
        d = float(np.hypot(dest_xy[0] - origin_xy[0], dest_xy[1] - origin_xy[1])) * self.detour
        return Leg(
            mode, d / (speed_kmh * 1000 / 60), d, np.array([origin_xy, dest_xy], dtype=float)
        )

    def travel_time_min(self, mode, origins_xy, dest_xy, speed_kmh) -> np.ndarray:  # noqa: D102
        o = np.asarray(origins_xy, dtype=float).reshape(-1, 2)
        d = np.hypot(o[:, 0] - dest_xy[0], o[:, 1] - dest_xy[1]) * self.detour
        return d / (speed_kmh * 1000 / 60)
