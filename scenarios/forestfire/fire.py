"""One forest fire: its local grid, its spread kernel and its suppression state.

Line is built on the fire grid: every ``line_update_min`` the production of the
crews on the line (and the wetted length of helicopter drops) becomes blocked
cells just outside the burning edge (``FireSpread.block``), so the fire really
stops where line is. Crews work rear-first (anchor at the back, flank toward
the head); helicopters take the hottest edge they can still affect. A crew can
only line edge cells whose adjacent flames are within its limit (hand tools
1.2 m, water 2.4 m, aircraft 3.4 m: the fire-suppression interpretation chart
of Andrews & Rothermel 1982, 4/8/11 ft).

* **contained**: no burning cell has unburned fuel left next to it, i.e. the
  line (with natural barriers) closes round the fire - constructed line >=
  the open perimeter;
* **extinguished** (shared INDICATORS.md): contained *and* no cell still
  actively burning (each cell flames for ``burnout_min`` after ignition). The
  24-h clock of ``forest_fire_24h_extinguish_rate`` starts at **ignition**
  (``fire_ignited``), the stricter reading of 24小时森林火灾扑灭率.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.ndimage import binary_dilation, maximum_filter

from .fuel_map import fuel_numbers_from_landcover, line_rate_m_min
from .rothermel import FUEL_TABLE, wind_adjustment_factor
from .spread import FireSpread
from .terrain import LocalGrid
from .viewshed import FOREST_CODES
from .weather import FireWeather

if TYPE_CHECKING:
    from .params import ForestFireParams

_EIGHT = np.ones((3, 3), dtype=bool)


@dataclass
class Crew:
    """A unit on the fire line."""

    uid: str
    crew: int
    crew_type: int
    flame_limit_m: float


@dataclass
class Fire:
    """A fire burning on its own grid; times are model minutes."""

    fid: str
    grid: LocalGrid
    spread: FireSpread
    weather: FireWeather
    x_m: float
    y_m: float
    t_ignited: float
    fuel: np.ndarray
    forest: np.ndarray
    params: ForestFireParams
    t_detected: float = math.nan
    t_reported: float = math.nan
    t_contained: float = math.nan
    t_extinguished: float = math.nan
    line_m: float = 0.0
    crews: dict[str, Crew] = field(default_factory=dict)
    drops_m: list[float] = field(default_factory=list)
    carry: dict[float, float] = field(default_factory=dict)
    t_line: float = math.nan
    t_moist: float = math.nan
    edge_hit: bool = False
    incidents: list = field(default_factory=list)
    staging_xy: tuple[float, float] = (math.nan, math.nan)
    out_event: Any = None
    _exposure: tuple[float, np.ndarray] | None = None

    # ------------------------------------------------------------------ build
    @classmethod
    def start(
        cls,
        fid: str,
        world,
        x_m: float,
        y_m: float,
        t_min: float,
        weather: FireWeather,
        local_hour: float,
        params: ForestFireParams,
    ) -> Fire:
        """Cut the grid, map fuels, set weather and ignite the nearest burnable cell."""
        g = params.grid
        grid = LocalGrid.around(world, x_m, y_m, g.half_width_km * 1000.0, g.cell_m)
        fuel = fuel_numbers_from_landcover(grid.landcover, params.fuel_map)
        c = params.canopy
        canopy_waf, how = wind_adjustment_factor(1.0, c.cover, c.height_m / 0.3048, c.crown_ratio)
        depth = FUEL_TABLE["depth"][fuel]
        with np.errstate(divide="ignore", invalid="ignore"):
            open_waf = np.where(
                depth > 0,
                1.83 / np.log((20.0 + 0.36 * depth) / (0.13 * np.where(depth > 0, depth, 1))),
                0,
            )
        forest = np.isin(grid.landcover, FOREST_CODES)
        waf = np.where(forest & (how == "sheltered"), canopy_waf, open_waf)
        sp = FireSpread(
            fuel,
            g.cell_m,
            grid.elevation_m,
            moisture=weather.moisture_at(local_hour),
            wind_speed_m_s=weather.wind_speed_10m_m_s,
            wind_from_deg=weather.wind_from_deg,
            wind_height="10m",
            waf=waf,
            stencil=g.stencil,
            horizon_min=g.horizon_min,
            burnout_min=g.burnout_min,
            t0_min=t_min,
        )
        fire = cls(fid, grid, sp, weather, x_m, y_m, t_min, fuel, forest, params)
        r, cc = fire.nearest_burnable(x_m, y_m)
        sp.ignite(r, cc, t_min)
        fire.t_moist = t_min
        return fire

    def nearest_burnable(self, x_m: float, y_m: float) -> tuple[int, int]:
        """Grid cell of the burnable cell nearest to (x, y).

        Raises:
            ValueError: no burnable cell within 1 km (ignition on water/town/farmland).
        """
        r, c, _ = self.grid.rc(x_m, y_m)
        burn = self.spread.burnable
        if burn[r, c]:
            return int(r), int(c)
        rr, cc = np.nonzero(burn)
        if rr.size:
            d = np.hypot(rr - r, cc - c)
            k = int(np.argmin(d))
            if d[k] * self.grid.cell_m <= 1000.0:
                return int(rr[k]), int(cc[k])
        raise ValueError(
            f"fire {self.fid}: no burnable fuel within 1 km of the ignition point "
            f"(land cover there is {int(self.grid.landcover[r, c])}); move the ignition onto forest, "
            "shrub or grass"
        )

    # ------------------------------------------------------------ read-outs
    @property
    def out(self) -> bool:
        """Whether the fire has been extinguished."""
        return not math.isnan(self.t_extinguished)

    @property
    def contained(self) -> bool:
        """Whether the fire is contained."""
        return not math.isnan(self.t_contained)

    def burned_ha(self) -> float:
        """Burned area (ha) now."""
        return self.spread.burned_area_ha()

    def burned_forest_ha(self) -> float:
        """Burned forest area (ha) now (world land cover 5-8)."""
        m = self.spread.burned_mask() & self.forest
        return float(np.count_nonzero(m)) * self.grid.cell_m**2 / 1e4

    def state_hash(self) -> str:
        """Short hash of the burned mask and the lined cells: the fire perimeter's fingerprint."""
        h = hashlib.sha1(np.packbits(self.spread.burned_mask()).tobytes())
        h.update(np.packbits(self.spread.blocked).tobytes())
        return h.hexdigest()[:16]

    def nearest_edge_xy(self, x_m: float, y_m: float) -> tuple[float, float]:
        """The point of the burning edge nearest to (x, y) (the fire origin if none)."""
        front = self.spread.front_cells()
        rr, cc = np.nonzero(front)
        if rr.size == 0:
            return self.x_m, self.y_m
        fx, fy = self.grid.xy(rr, cc)
        k = int(np.argmin(np.hypot(fx - x_m, fy - y_m)))
        return float(fx[k]), float(fy[k])

    def exposure_field(self, t: float) -> np.ndarray:
        """Byram intensity (kW/m) of burning cells spread to their 8 neighbours."""
        if self._exposure is None or self._exposure[0] != t:
            burning = self.spread.burning_mask()
            inten = np.where(burning, self.spread.intensity_kw_m(), 0.0)
            self._exposure = (t, maximum_filter(inten, size=3) if burning.any() else inten)
        return self._exposure[1]

    # ---------------------------------------------------------- suppression
    def add_crew(self, crew: Crew) -> None:
        """Put a crew on the line (production starts at the next line update)."""
        self.crews[crew.uid] = crew

    def remove_crew(self, uid: str) -> None:
        """Take a crew off the line."""
        self.crews.pop(uid, None)

    def add_drop(self, line_m: float) -> None:
        """Record a helicopter drop wetting ``line_m`` of edge (applied at the next update)."""
        self.drops_m.append(line_m)

    def apply_suppression(self, t: float, dt: float) -> int:
        """Turn line production since the last update into blocked cells; returns cells lined."""
        sp = self.spread
        front = sp.front_cells()
        if not front.any():
            self.drops_m.clear()
            return 0
        burned = sp.burned_mask()
        cand = sp.burnable & ~burned & binary_dilation(front, _EIGHT)
        if not cand.any():  # pragma: no cover - front implies a free neighbour
            return 0
        flame = maximum_filter(np.where(front, sp.flame_length_m(), 0.0), size=3)
        rr, cc = np.nonzero(cand)
        fl = flame[rr, cc]
        cx, cy = self.grid.xy(rr, cc)
        head = math.radians(self.weather.wind_from_deg + 180.0)
        ux, uy = cx - self.x_m, cy - self.y_m
        norm = np.hypot(ux, uy) + 1e-9
        rear_first = (ux * math.sin(head) + uy * math.cos(head)) / norm  # cos to head direction
        taken = np.zeros(rr.size, dtype=bool)
        cell = self.grid.cell_m
        # ground crews, grouped by flame limit (lowest first: hand crews take the easy edge)
        groups: dict[float, float] = {}
        for c in sorted(self.crews.values(), key=lambda c: c.uid):
            fuel = self._line_fuel(rr, cc, fl, c.flame_limit_m)
            rate = line_rate_m_min(fuel, c.crew, c.crew_type) if fuel else 0.0
            groups[c.flame_limit_m] = groups.get(c.flame_limit_m, 0.0) + rate * dt
        n_lined = 0
        for limit in sorted(groups):
            budget = groups[limit] + self.carry.get(limit, 0.0)
            ok = np.flatnonzero(~taken & (fl <= limit))
            n = min(int(budget // cell), ok.size)
            pick = ok[np.lexsort((ok, rear_first[ok]))[:n]]
            taken[pick] = True
            n_lined += n
            self.carry[limit] = min(budget - n * cell, cell) if n == ok.size else budget - n * cell
        if self.drops_m:
            limit = self.params.suppression.helicopter.flame_limit_m
            budget = sum(self.drops_m) + self.carry.get(-1.0, 0.0)
            ok = np.flatnonzero(~taken & (fl <= limit))
            n = min(int(budget // cell), ok.size)
            pick = ok[np.lexsort((ok, -fl[ok]))[:n]]
            taken[pick] = True
            n_lined += n
            self.carry[-1.0] = min(budget - n * cell, cell)
            self.drops_m.clear()
        if n_lined:
            mask = np.zeros(sp.shape, dtype=bool)
            mask[rr[taken], cc[taken]] = True
            sp.block(mask)
            self.line_m += n_lined * cell
        return n_lined

    def _line_fuel(self, rr, cc, fl, limit: float) -> int:
        """Most common fuel among edge cells a crew with ``limit`` can work (0 if none)."""
        ok = fl <= limit
        if not ok.any():
            return 0
        vals, counts = np.unique(self.fuel[rr[ok], cc[ok]], return_counts=True)
        return int(vals[np.argmax(counts)])

    def open_perimeter_m(self) -> float:
        """Perimeter (m) of the burned area (Cauchy-Crofton estimate)."""
        return self.spread.perimeter_m()

    def threatened(self, until_min: float, buffer_m: float) -> np.ndarray:
        """Cells within ``buffer_m`` of where the fire is forecast to be by ``until_min``."""
        f = np.isfinite(self.spread.forecast_arrival_min(until_min))
        k = int(math.ceil(buffer_m / self.grid.cell_m))
        return binary_dilation(f, _EIGHT, iterations=k) if k > 0 and f.any() else f

    def touches_edge(self) -> bool:
        """Whether burned cells reach the grid border (the fire may be cut off)."""
        b = self.spread.burned_mask()
        return bool(b[0].any() or b[-1].any() or b[:, 0].any() or b[:, -1].any())
