"""Where things may be: inside the world, on land, at sea, by a river, on burnable land.

Used by the validation pass (`sim.scenario.checks`) to refuse a boat based
inland, a fire lit in the sea or a unit based in Beijing before a run starts.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

#: How far (km) a boat's base may be from water and a road unit's from land: the
#: world grid is ~0.9 km, so a quay or a coastal station can fall in a sea cell.
WATER_REACH_KM = 5.0
LAND_REACH_KM = 1.5
#: Aircraft may be based outside the world by this much (degrees, ~150 km): a
#: provincial helicopter at Zhuhai flies in; one in Beijing does not.
AIR_MARGIN_DEG = 1.5
#: How far (km) an ignition may be from a burnable cell (the fire starts at the nearest).
BURNABLE_REACH_KM = 3.0


class Places:
    """Where things may be: world bounds, land, water, rivers, burnable land."""

    def __init__(self, world: Any) -> None:
        self.world = world
        g = world.grid
        w, s, e, n = g.bounds
        self.bounds = (float(w), float(s), float(e), float(n))
        self._trees: dict[str, Any] = {}

    def inside(self, lat: float, lon: float, margin_deg: float = 0.0) -> bool:
        """Whether lat/lon is inside the world's grid (widened by `margin_deg`)."""
        w, s, e, n = self.bounds
        m = margin_deg
        return s - m <= lat <= n + m and w - m <= lon <= e + m

    def _tree(self, what: str):
        if what not in self._trees:
            from scipy.spatial import cKDTree

            w = self.world
            if what == "river":
                pts = np.array(
                    [(d["x_m"], d["y_m"]) for _, d in w.rivers.nodes(data=True)], float
                ).reshape(-1, 2)
            else:
                mask = {
                    "water": ~w.is_land,
                    "land": w.is_land,
                    "burnable": w.is_land & np.isin(w.landcover, (3, 4, 5, 6, 7, 8)),
                }[what]
                pts = np.column_stack([w.grid.x_m[mask], w.grid.y_m[mask]])
            self._trees[what] = cKDTree(pts) if len(pts) else None
        return self._trees[what]

    def distance_km(self, what: str, lat: float, lon: float) -> float:
        """Distance (km) from lat/lon to the nearest cell/node of `what`."""
        from sim.geo import to_utm

        tree = self._tree(what)
        if tree is None:
            return float("inf")
        x, y = to_utm(lat, lon)
        d, _ = tree.query([float(x), float(y)])
        return float(d) / 1000.0


@cache
def places_of(world: Any) -> Places:
    """One `Places` (and its search trees) per world: batches validate every run."""
    return Places(world)


def place_problem(places: Places, path: str, lat: float, lon: float, medium: str) -> str | None:
    """A problem line if lat/lon is outside the world or not on/near `medium`."""
    got = f"lat {lat}, lon {lon}"
    margin = AIR_MARGIN_DEG if medium == "air" else 0.0
    if not places.inside(lat, lon, margin):
        w, s, e, n = places.bounds
        w, s, e, n = w - margin, s - margin, e + margin, n + margin
        return (
            f"{path}: got {got}; expected a place inside the world "
            f"(lat {s:.2f}..{n:.2f}, lon {w:.2f}..{e:.2f})"
        )
    reach = {
        "land": LAND_REACH_KM,
        "water": WATER_REACH_KM,
        "river": WATER_REACH_KM,
        "burnable": BURNABLE_REACH_KM,
        "sea_or_river": WATER_REACH_KM,
    }.get(medium)
    if reach is None:
        return None
    if medium == "sea_or_river":
        d = min(places.distance_km("water", lat, lon), places.distance_km("river", lat, lon))
    else:
        d = places.distance_km(medium, lat, lon)
    if d > reach:
        what = {
            "land": "on land",
            "water": "at sea or on the coast",
            "river": "on or beside a river",
            "burnable": "on burnable land (forest, shrub or grass)",
            "sea_or_river": "on or beside water",
        }[medium]
        return f"{path}: got {got} ({d:.1f} km away); expected a place {what}"
    return None


def unit_medium(vehicle: Any) -> str:
    """Where a unit's base must be, from the modes its vehicle can use."""
    modes = {
        m for m in ("road", "sea", "river", "air") if getattr(vehicle, f"{m}_kmh", None) is not None
    }
    if "air" in modes:
        return "air"
    if "road" in modes or not modes:
        return "land"
    if modes == {"sea"}:
        return "water"
    if modes == {"river"}:
        return "river"
    return "sea_or_river"
