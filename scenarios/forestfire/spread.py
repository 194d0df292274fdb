"""Vectorised surface fire spread on a raster: minimum travel time over a 16/32-neighbour stencil.

Method
------
Each burnable cell gets its Behave/Rothermel surface fire behaviour (head rate
R, ellipse eccentricity e, direction of maximum spread) from the same arithmetic as
:func:`scenarios.forestfire.rothermel._rothermel_core`. Fire travels between cell
centres along the edges of a fixed stencil (8, 16 or 32 neighbours).  The rate along
an edge of azimuth theta in a cell is the ellipse rate from its rear focus,
``R(theta) = R (1 - e)/(1 - e cos(theta - theta_max))`` (Anderson 1983;
Behave ``FromIgnitionPoint`` mode), and the edge travel time is the mean
slowness of the two end cells times the surface distance (slope included).  The
arrival time of every cell is then the shortest-path time from the fire
(Dijkstra 1959) - the minimum travel time idea of Finney (2002, *Can. J. For. Res.*
32:1420) used in FlamMap.  In uniform conditions the shortest paths are straight lines
and the burned region is exactly the Anderson/Behave ellipse with the ignition at its
rear focus, up to the angular discretisation of the stencil (tested: head ROS within
5 %, 1-h area and perimeter within 10 %; see ``tests/forestfire/test_ff_spread.py``).

Time-varying conditions are handled as events: ``set_weather``, ``block``,
``extinguish`` and ``ignite`` fix every arrival time up to the event time and
re-solve the rest from the fire front at that time with a super-source node.
An edge from a burning cell i to an unburned cell j whose old travel time was
``tau_old`` and that had been burning for ``t - a_i`` restarts with the
remaining fraction ``max(0, 1 - (t - a_i)/tau_old)`` of the new travel time
(so re-solving with unchanged weather reproduces the original arrival times).
A weather event recomputes only the wind-dependent part of the Rothermel chain
(the fuel bed, no-wind rate and slope factor are cached per moisture state), and
a re-solve searches no further than the solve horizon, or only up to the next
weather change when it is known (``set_weather(next_change_min=...)``,
``expect_weather_change``).

A re-solve costs work near the front, not over the grid (``travel_time``, compiled):
the front's edges are read from a per-cell word of legal stencil edges (kept from
solve to solve and cut where cells get blocked); a first search with a lower bound of
every edge time (each cell's top rate, from a per-cell rate bound that needs no fire
behaviour) finds the cells a path can reach within the horizon; the fire behaviour of
the new weather is evaluated at those cells only (numpy); then the exact search works
out each edge's travel time only when it relaxes it. Burning cells found without an
edge to unburned fuel are never read again. Reads of the burned state work inside the
box of finite arrival times, and each tick's front is two comparisons with a
per-solve time. None of these shortcuts changes a number (tested bit for bit in
``tests/forestfire/test_ff_solve_window.py``; the compiled search against
``scipy.sparse.csgraph.dijkstra`` in ``tests/forestfire/test_ff_travel_time.py``).
Nothing is ever one Python object per cell.

Grid conventions: ``array[row, col]``; row 0 is the **north** edge, columns
increase eastward; azimuths are degrees clockwise from north; wind direction is
meteorological (the direction the wind blows **from**).

Validity limits: surface fire only (no crown fire, spotting or ember
transport, no fire-atmosphere feedback); steady-state Rothermel spread (no
acceleration phase); the stencil restricts path directions, so spread between
stencil rays is under-estimated - measured against the Behave ellipse on 30 m
cells with the default 32-neighbour stencil: LW 1.5-1.9 head within 1 %, 1-h
area -2 to -5 %; LW 3.2 area -8 %; LW 7 (FM1, 8 m/s midflame) head -13 % off
axis and area -30 % (the 16-neighbour stencil roughly doubles these errors and
is only advisable for LW < 1.5); fire cannot cross a
non-burnable line of cells that is connected in 8-neighbour sense (edges may
not pass through non-burnable cells); per-cell intensity is the Byram intensity
in the direction the fire arrived from.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np

from .behaviour_steps import (
    effective_wind,
    effective_wind_base,
    ellipse_and_intensity,
    gather_wind_angle,
    slowness_terms,
    wind_slope_vector,
)
from .fuel_models import get_fuel_model
from .raster_reads import (
    burning_candidates,
    burning_in_box,
    burning_of,
    latest_free_neighbour,
)
from .rothermel import (
    FT_MIN_PER_M_S,
    FT_MIN_PER_MPH,
    FUEL_TABLE,
    KW_M_PER_BTU_FT_S,
    M_PER_FT,
    Moisture,
    _fuelbed,
)
from .travel_time import (
    arrival_angles,
    arrival_intensity,
    box_sources,
    cut_edges,
    edge_angles,
    edge_times_from_cos,
    front_edges,
    min_travel_time,
    start_times_bound,
    start_times_exact,
    start_weights,
    within_bound,
)

__all__ = ["FireSpread", "stencil_offsets", "fuel_grid_from_codes", "marching_squares_perimeter"]

_EPS = 1e-9


def stencil_offsets(n: int = 32) -> list[tuple[int, int]]:
    """Neighbour offsets ``(drow, dcol)`` for an 8-, 16- or 32-neighbour stencil."""
    base = [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)]
    if n == 8:
        return base
    k16 = [(a * s, b * t) for a, b in ((1, 2), (2, 1)) for s in (-1, 1) for t in (-1, 1)]
    if n == 16:
        return base + k16
    k32 = [
        (a * s, b * t)
        for a, b in ((1, 3), (3, 1), (2, 3), (3, 2))
        for s in (-1, 1)
        for t in (-1, 1)
    ]
    if n == 32:
        return base + k16 + k32
    raise ValueError("stencil must be 8, 16 or 32")


@lru_cache(maxsize=64)
def _crossed_cells(dr: int, dc: int) -> tuple[tuple[int, int], ...]:
    """Cells (other than the end points) whose closed square the segment touches.

    Cached: a pure function of the offset, and slow in Python (every fire grid needs all 32).
    """
    out: set[tuple[int, int]] = set()
    n = 1200
    for i in range(1, n):
        pr, pc = dr * i / n, dc * i / n

        def cands(v: float) -> list[int]:
            f = math.floor(v)
            if abs(v - f - 0.5) < 1e-12:
                return [f, f + 1]
            return [math.floor(v + 0.5)]

        for r in cands(pr):
            for c in cands(pc):
                out.add((r, c))
    out.discard((0, 0))
    out.discard((dr, dc))
    return tuple(sorted(out))


def fuel_grid_from_codes(codes: Any) -> np.ndarray:
    """Translate an array of fuel codes (``"FM4"``, ``"GS2"``, ``0``/``""`` = none) to Behave numbers."""
    arr = np.asarray(codes, dtype=object)
    out = np.zeros(arr.shape, dtype=np.int16)
    cache: dict[Any, int] = {}
    for idx, v in np.ndenumerate(arr):  # lookup table build; codes are few
        if v in cache:
            out[idx] = cache[v]
            continue
        num = 0 if v in (None, "", 0, "0", "NB", "none") else get_fuel_model(v).number
        cache[v] = num
        out[idx] = num
    return out


def marching_squares_perimeter(mask: np.ndarray, cell_size: float = 1.0) -> float:
    """Perimeter of a binary raster region by the Cauchy-Crofton formula.

    Counts boundary crossings along grid lines in four directions (0, 45, 90,
    135 degrees) and applies ``L = (pi/8) (N_0 + N_90 + (N_45 + N_135)/sqrt(2))``
    cell sizes, which is unbiased for randomly oriented boundaries (a plain edge
    count over-estimates by up to 4/pi, marching squares by about 5 %).  The
    name is kept for API stability.
    """
    m = np.pad(np.asarray(mask, dtype=bool), 1)
    n0 = np.count_nonzero(m[:, 1:] != m[:, :-1])
    n90 = np.count_nonzero(m[1:, :] != m[:-1, :])
    n45 = np.count_nonzero(m[1:, 1:] != m[:-1, :-1])
    n135 = np.count_nonzero(m[1:, :-1] != m[:-1, 1:])
    total = math.pi / 8.0 * (n0 + n90 + (n45 + n135) / math.sqrt(2.0))
    return float(total) * cell_size


class _Behaviour:
    """Per-cell fire behaviour for one weather epoch (flat arrays), evaluated on demand.

    A weather change starts a new epoch. Its cells are evaluated only when a solve
    or a read-out needs them (``ensure``): a wind shift then costs work in the
    region the re-solve can reach, not over the whole grid. Values are the same
    element-wise arithmetic whichever cells are asked for first.
    """

    __slots__ = ("ros", "ecc", "theta", "fli", "_done", "_all", "_compute", "bound_key")

    def __init__(self, n: int, compute: Any, bound_key: tuple) -> None:
        self.ros = np.zeros(n)  # head ROS along the surface (m/min)
        self.ecc = np.zeros(n)
        self.theta = np.zeros(n)  # azimuth of maximum spread (rad, clockwise from north)
        self.fli = np.zeros(n)  # head Byram intensity (kW/m)
        self._done = np.zeros(n, dtype=bool)
        self._all = False
        self._compute = compute
        self.bound_key = bound_key  # what the ROS upper bound depends on (moisture, speed)

    def ensure(self, idx: np.ndarray | None = None) -> None:
        """Evaluate the cells ``idx`` (flat ids; default all) that are not evaluated yet."""
        if self._all:
            return
        if idx is None:
            if not self._done.any():
                vals = self._compute(None)
                for name, v in zip(("ros", "ecc", "theta", "fli"), vals, strict=True):
                    setattr(self, name, v)
                self._done[:] = True
                self._all = True
                return
            todo = np.flatnonzero(~self._done)
            self._all = True
        else:
            idx = np.asarray(idx, dtype=np.intp).ravel()
            todo = idx[~self._done[idx]]
        if todo.size == 0:
            return
        for arr, v in zip(
            (self.ros, self.ecc, self.theta, self.fli),
            self._compute(todo),
            strict=True,
        ):
            arr[todo] = v
        self._done[todo] = True


class FireSpread:
    """Raster surface-fire spread with event-driven re-solves (minimum travel time).

    Args:
        fuel: ``(H, W)`` integer array of Behave fuel-model numbers
            (0 and NB 91-99 = non-burnable).  See :func:`fuel_grid_from_codes`.
        cell_size_m: Cell size in metres (30-60 m intended).
        elevation_m: ``(H, W)`` elevation in metres, or None for flat.
        moisture: :class:`~scenarios.forestfire.rothermel.Moisture` in percent;
            each field may be a scalar or an ``(H, W)`` array.
        wind_speed_m_s: Wind speed (scalar or ``(H, W)``) at ``wind_height``.
        wind_from_deg: Direction the wind blows from (deg, clockwise from north).
        wind_height: ``"midflame"`` (used as is), ``"20ft"`` (times WAF) or
            ``"10m"`` (divided by 1.15, Behave, then times WAF).
        waf: Wind adjustment factor (scalar/array); default Behave's
            unsheltered factor from each cell's fuel-bed depth.
        stencil: 8, 16 or 32 neighbours (default 32: 16 under-estimates the area of
            elongated fires by ~10 % at LW 1.6, 32 by ~4 %).
        horizon_min: Length of time solved per Dijkstra pass (min).
        burnout_min: How long a cell counts as burning after ignition (min).
        wind_limit: Apply the Rothermel wind limit.
        t0_min: Initial simulation time (min).
    """

    def __init__(
        self,
        fuel: Any,
        cell_size_m: float = 30.0,
        elevation_m: Any = None,
        moisture: Moisture | None = None,
        wind_speed_m_s: Any = 0.0,
        wind_from_deg: Any = 0.0,
        *,
        wind_height: str = "midflame",
        waf: Any = None,
        stencil: int = 32,
        horizon_min: float = 720.0,
        burnout_min: float = 60.0,
        wind_limit: bool = False,
        t0_min: float = 0.0,
    ):
        fuel = np.asarray(fuel)
        if fuel.ndim != 2:
            raise ValueError("fuel must be a 2-D array of Behave fuel-model numbers")
        self.shape: tuple[int, int] = (int(fuel.shape[0]), int(fuel.shape[1]))
        self.n_cells = fuel.size
        self.cell_size_m = float(cell_size_m)
        self.fuel = np.clip(fuel.astype(np.int64), 0, 255).ravel()
        self.elevation = (
            np.zeros(self.n_cells)
            if elevation_m is None
            else np.asarray(elevation_m, dtype=float).reshape(self.shape).ravel().copy()
        )
        self._fuel_burnable = FUEL_TABLE["burnable"][self.fuel].copy()
        self.blocked = np.zeros(self.n_cells, dtype=bool)
        self.extinguished = np.zeros(self.n_cells, dtype=bool)
        self._spent = np.zeros(self.n_cells, dtype=bool)  # burned, no front edge left
        self.arrival = np.full(self.n_cells, np.inf)
        self.cell_intensity_kw_m = np.zeros(self.n_cells)
        self.cell_flame_length_m = np.zeros(self.n_cells)
        self.wind_height = wind_height
        self.waf = waf
        self.wind_limit = bool(wind_limit)
        self.horizon_min = float(horizon_min)
        self.burnout_min = float(burnout_min)
        self.t_now = float(t0_min)
        self._valid_until = float(t0_min)
        self._pending: list[tuple[int, float]] = []
        self.offsets = stencil_offsets(stencil)
        self._crossed = [_crossed_cells(dr, dc) for dr, dc in self.offsets]
        self._stencil_reach = max(max(abs(dr), abs(dc)) for dr, dc in self.offsets)
        # per-offset constants, indexed by offset number (edges carry their offset's number)
        self._az = np.array([math.atan2(dc, -dr) for dr, dc in self.offsets])
        self._cos_az = np.array([math.cos(a) for a in self._az.tolist()])
        self._sin_az = np.array([math.sin(a) for a in self._az.tolist()])
        self._horiz = np.array([self.cell_size_m * math.hypot(dr, dc) for dr, dc in self.offsets])
        self._half_horiz = 0.5 * self._horiz
        # azimuth of a step (dr, dc), |dr|, |dc| <= 3, as np.arctan2 gives it (7x7, row dr + 3)
        step_r, step_c = np.divmod(np.arange(49), 7)
        self._az_of_step = np.arctan2(step_c - 3, -(step_r - 3))
        self.n_solves = 0
        # stencil offsets in destination order (increasing (dr, dc)): bit b of a cell's
        # edge word is offset `_dst_order[b]`, to the cell id plus `_bit_step[b]`
        self._dst_order = np.array(sorted(range(len(self.offsets)), key=lambda k: self.offsets[k]))
        self._bit_step = np.array(
            [self.offsets[k][0] * self.shape[1] + self.offsets[k][1] for k in self._dst_order]
        )
        self._node_id = np.full(self.n_cells, -1, dtype=np.int32)  # scratch of `_resolve`
        self._touch: np.ndarray | None = None  # see `_cut_legal`
        # read every tick: free cells and not-extinguished cells, (H, W); reset on block/extinguish
        self._masks: tuple[np.ndarray, np.ndarray] | None = None
        self._front_at: tuple[int, np.ndarray] | None = None  # see `_front_until`
        self._burning_at: tuple | None = None  # see `burning_mask`
        self._solve_from = float(t0_min)  # start time of the last solve
        # (solve number, its start, cells burned then, its arrival times sorted): area reads
        self._area_at: tuple[int, float, int, np.ndarray] | None = None
        # bounding box (r0, r1, c0, c1) holding every finite arrival time: reads and the
        # solve's set-up work inside it (the fire is usually a small part of the grid)
        self._fin_box: tuple[int, int, int, int] | None = None
        self._ub_free: tuple[tuple, bool] | None = None  # see `_can_spread`
        self._inv_ub_cache: tuple[tuple, np.ndarray] | None = None  # see `_inv_ub`
        self._min_edge_cache: tuple[np.ndarray, float] | None = None  # `_min_edge_bound`
        self._scratch = np.full(self.n_cells, np.inf)  # all-inf work array of `within_bound`
        self._slope_aspect()
        self._flat = not np.any(self.elevation != self.elevation[0])
        self.moisture = moisture if moisture is not None else Moisture(6, 7, 8, 60, 90)
        self.wind_speed_m_s = wind_speed_m_s
        self.wind_from_deg = wind_from_deg
        self._static_cache: tuple[tuple, dict[str, np.ndarray]] | None = None
        self._wind_cache: tuple[tuple, np.ndarray] | None = None  # midflame wind (ft/min)
        self._bound: tuple[tuple, np.ndarray, np.ndarray] | None = None  # ROS bound, wind part
        self._static_version = 0
        self._next_change_min = math.inf  # a known coming weather change (solves stop there)
        self._beh = self._behaviour()
        # legal edges, one word per cell (see `_legal_edges`): part of the fuel-grid set-up
        self._edge_bits = self._bits_of(self._legal_edges())

    # ------------------------------------------------------------------ setup
    def _slope_aspect(self) -> None:
        h, w = self.shape
        z = self.elevation.reshape(h, w)
        if h > 1 and w > 1:
            gz_row, gz_col = np.gradient(z, self.cell_size_m)
        else:
            gz_row = np.zeros_like(z)
            gz_col = np.zeros_like(z)
        self.slope_tan = np.hypot(gz_row, gz_col).ravel()
        # aspect = azimuth of the downslope direction (east = -gz_col, north = +gz_row)
        self.aspect_deg = (np.rad2deg(np.arctan2(-gz_col, gz_row)) % 360.0).ravel()

    def _midflame_wind(self, speed: Any) -> np.ndarray:
        s = np.broadcast_to(np.asarray(speed, dtype=float), self.shape).ravel()
        if self.wind_height == "midflame":
            return s.copy()
        if self.wind_height not in ("20ft", "10m"):
            raise ValueError("wind_height must be 'midflame', '20ft' or '10m'")
        if self.wind_height == "10m":
            s = s / 1.15
        if self.waf is None:
            d = FUEL_TABLE["depth"][self.fuel]
            with np.errstate(divide="ignore", invalid="ignore"):
                waf = np.where(
                    d > 0, 1.83 / np.log((20.0 + 0.36 * d) / (0.13 * np.where(d > 0, d, 1))), 0
                )
        else:
            waf = np.broadcast_to(np.asarray(self.waf, dtype=float), self.shape).ravel()
        return s * waf

    def _behaviour(self) -> _Behaviour:
        """Per-cell Behave behaviour for the current wind and moisture (evaluated lazily).

        Same arithmetic as ``rothermel._rothermel_kernel`` (so the same numbers),
        split so that a wind change (MSEL ``wind_shift``) only recomputes the wind
        factor, ellipse and intensity: the fuel bed, no-wind rate and slope factor
        depend on fuel, moisture and slope only and are cached per moisture state.
        Only the four fields the spread needs are computed, and only for the cells
        asked for (see `_Behaviour.ensure`).
        """
        with np.errstate(all="ignore"):
            st = self._static_terms()
            sp = np.asarray(self.wind_speed_m_s, dtype=float)
            skey = (sp.shape, sp.tobytes())
            if self._wind_cache is None or self._wind_cache[0] != skey:
                self._wind_cache = (skey, self._midflame_wind(sp) * FT_MIN_PER_M_S)
            wind_all = self._wind_cache[1]
        wind_from = np.asarray(self.wind_from_deg, dtype=float)
        if wind_from.ndim:  # one direction per cell (a scalar is used as is: same numbers)
            wind_from = np.broadcast_to(wind_from, self.shape).ravel()
        wind_limit = self.wind_limit
        packed = st["packed"]
        key = (self._static_version, np.asarray(self.wind_speed_m_s, dtype=float).tobytes())
        if self._bound is None or self._bound[0] != key:
            with np.errstate(all="ignore"):
                # the wind's part of the rate, r0 phi_w, depends on the wind speed, not on its
                # direction: worked out once per speed for every cell (a wind shift reuses it)
                phi_w = np.where(
                    wind_all < 1e-7,
                    0.0,
                    np.power(np.maximum(wind_all, 0.0), st["wind_b"]) * st["wind_c"] * st["rb_neg"],
                )
                wind_rate_all = st["r0"] * phi_w
                # ros = r0 + |slope vector + wind vector| <= r0 + slope_rate + r0 * phi_w,
                # whatever the wind direction (the wind limit only lowers ros)
                ub = (st["r0"] * (1.0 + phi_w) + st["slope_rate"]) * M_PER_FT
                # not finite (degenerate inputs): no bound, treated as infinitely fast
                ub = np.where(
                    st["burnable"], np.where(np.isfinite(ub), ub * (1.0 + 1e-9), np.inf), 0.0
                )
            self._bound = (key, ub, wind_rate_all)
        wind_rate_all = self._bound[2]

        per_cell_wind = wind_from.ndim > 0
        wind_from_arr = np.ascontiguousarray(wind_from, dtype=float).reshape(-1)
        n_cells = self.n_cells

        def compute(idx: np.ndarray | None) -> tuple[np.ndarray, ...]:
            # compiled arithmetic between numpy's transcendental functions: the same numbers
            # as `rothermel._rothermel_kernel`, in a dozen calls instead of sixty
            ids = np.arange(n_cells) if idx is None else idx
            with np.errstate(all="ignore"):
                rows, wrad, wrate = gather_wind_angle(
                    packed, ids, wind_from_arr, per_cell_wind, wind_rate_all
                )
                x, y = wind_slope_vector(rows, wrate, np.cos(wrad), np.sin(wrad))
                ros, az, phi_e, base, expo = effective_wind_base(
                    rows, np.hypot(x, y), np.arctan2(y, x)
                )
                lim_pow = np.power(rows[10], rows[2]) if wind_limit else rows[10]
                u, a1, a2 = effective_wind(
                    rows, ros, phi_e, np.power(base, expo), wind_limit, lim_pow, FT_MIN_PER_MPH
                )
                return ellipse_and_intensity(
                    rows, ros, az, u, np.exp(a1), np.exp(a2), M_PER_FT, KW_M_PER_BTU_FT_S
                )

        return _Behaviour(self.n_cells, compute, key)

    def _static_terms(self) -> dict[str, np.ndarray]:
        """Wind-independent Rothermel terms for the current moisture (cached per moisture)."""
        m = self.moisture
        fields = (m.m1h, m.m10h, m.m100h, m.live_herb, m.live_woody)
        key = tuple((np.shape(v), np.asarray(v, dtype=float).tobytes()) for v in fields)
        if self._static_cache is not None and self._static_cache[0] == key:
            return self._static_cache[1]
        moist = tuple(
            np.broadcast_to(np.asarray(v, dtype=float), self.shape).ravel() / 100.0 for v in fields
        )
        fuel = self.fuel
        if fuel.size > 64 and all(np.ptp(a) == 0.0 for a in moist):
            # uniform moisture: the fuel bed once per distinct fuel model (as the kernel does)
            uniq, inv = np.unique(fuel, return_inverse=True)
            fb_u = _fuelbed(uniq, *(np.full(uniq.shape, a.flat[0]) for a in moist))
            fb = {k: v[inv.reshape(fuel.shape)] for k, v in fb_u.items()}
        else:
            fb = _fuelbed(fuel, *moist)
        sigma, beta, rel_beta = fb["sigma"], fb["beta"], fb["rel_beta"]
        safe_sigma = np.where(sigma > 1e-7, sigma, 1.0)
        phi_s = 5.275 * np.where(beta > 0, beta, 1.0) ** (-0.3) * self.slope_tan**2
        limit = 0.9 * fb["ir"]
        phi_s = np.where((phi_s > 0) & (phi_s > limit) & self.wind_limit, limit, phi_s)
        # one row per term, so that evaluating a set of cells is one gather
        names = ("aspect", "r0", "wind_b", "wind_c", "rb_neg", "slope_rate", "rb_pos", "ir", "t_r")
        packed = np.empty((len(names) + 2, fuel.size))
        packed[0] = self.aspect_deg
        packed[1] = fb["r0"]
        packed[2] = fb["wind_b"]
        packed[3] = fb["wind_c"]
        packed[4] = rel_beta ** (-fb["wind_e"])
        packed[5] = fb["r0"] * phi_s
        packed[6] = rel_beta ** fb["wind_e"]
        packed[7] = fb["ir"]
        packed[8] = np.where(sigma > 1e-7, 384.0 / safe_sigma, 0.0)
        packed[9] = fb["burnable"]
        packed[10] = limit
        st = {name: packed[i] for i, name in enumerate(names)}
        st.update(burnable=fb["burnable"], limit=packed[10], packed=packed)
        self._static_cache = (key, st)
        self._static_version += 1
        return st

    # ----------------------------------------------------------------- public
    @property
    def burnable(self) -> np.ndarray:
        """``(H, W)`` mask of cells that can still burn (fuel and not blocked)."""
        return (self._fuel_burnable & ~self.blocked).reshape(self.shape)

    @property
    def ros_m_min(self) -> np.ndarray:
        """Current head rate of spread per cell (m/min)."""
        self._beh.ensure()
        return self._beh.ros.reshape(self.shape)

    @property
    def head_intensity_kw_m(self) -> np.ndarray:
        """Current head fireline intensity per cell (kW/m)."""
        self._beh.ensure()
        return self._beh.fli.reshape(self.shape)

    def _cell(self, row: int, col: int) -> int:
        h, w = self.shape
        if not (0 <= row < h and 0 <= col < w):
            raise IndexError(f"cell ({row}, {col}) outside grid {self.shape}")
        return row * w + col

    def ignite(self, row: int, col: int, t_min: float | None = None) -> None:
        """Ignite a cell at ``t_min`` (default now; past times are treated as now)."""
        t = self.t_now if t_min is None else max(float(t_min), self.t_now)
        i = self._cell(row, col)
        self._ensure_solved(self.t_now)
        if self.arrival[i] <= self.t_now:
            return
        self._pending.append((i, t))
        self._resolve(self.t_now, self._beh)

    def ignite_cells(self, mask: np.ndarray, t_min: float | None = None) -> None:
        """Ignite every cell in a boolean ``(H, W)`` mask at ``t_min``."""
        t = self.t_now if t_min is None else max(float(t_min), self.t_now)
        self._ensure_solved(self.t_now)
        cells = np.flatnonzero(np.asarray(mask).ravel())
        self._pending.extend((i, t) for i in cells[self.arrival[cells] > self.t_now].tolist())
        self._resolve(self.t_now, self._beh)

    def set_weather(
        self,
        t_min: float,
        wind_speed_m_s: Any = None,
        wind_from_deg: Any = None,
        moisture: Moisture | None = None,
        *,
        next_change_min: float | None = None,
    ) -> None:
        """Change weather at ``t_min`` (>= now); the fire re-spreads from its front at ``t_min``.

        ``next_change_min``: when the next weather change is already known (an MSEL wind
        shift, the next hourly weather), the re-solve stops there, so only the region the
        fire can reach before it is solved (see `expect_weather_change`).
        """
        self.advance(t_min)
        self._next_change_min = math.inf if next_change_min is None else float(next_change_min)
        old = self._beh
        if wind_speed_m_s is not None:
            self.wind_speed_m_s = wind_speed_m_s
        if wind_from_deg is not None:
            self.wind_from_deg = wind_from_deg
        if moisture is not None:
            self.moisture = moisture
        self._beh = self._behaviour()
        self._resolve(self.t_now, old)

    def expect_weather_change(self, t_min: float) -> None:
        """Declare that the weather will change at ``t_min``: solves stop there.

        When the change does come at ``t_min``, arrival times are exactly those of a solve
        without the hint (tested); it only saves solving ahead in weather about to be
        replaced, most of the cost when the weather changes often. If no change comes, a
        read beyond ``t_min`` continues the solve from the front at ``t_min``: edges that
        were already burning at the last real change then count their progress in the
        current weather, as every mid-epoch re-solve (`block`, `ignite`) does, which can
        shift some arrival times by minutes (burned area within 1 % in the tests). So
        announce only changes that are scheduled. A later `set_weather` without
        ``next_change_min`` forgets it.
        """
        self._next_change_min = float(t_min)

    def block(self, mask: np.ndarray, t_min: float | None = None) -> None:
        """Make unburned cells in ``mask`` non-burnable from ``t_min`` (fireline, water)."""
        if t_min is not None:
            self.advance(t_min)
        self._ensure_solved(self.t_now)
        m = np.asarray(mask, dtype=bool).ravel() & (self.arrival > self.t_now)
        self._cut_legal(m & ~self.blocked)
        self.blocked |= m
        self._masks = self._ub_free = None
        self._resolve(self.t_now, self._beh)

    def extinguish(self, mask: np.ndarray, t_min: float | None = None) -> None:
        """Put out cells in ``mask`` at ``t_min``: burned ones stop spreading, unburned ones can't burn."""
        if t_min is not None:
            self.advance(t_min)
        self._ensure_solved(self.t_now)
        m = np.asarray(mask, dtype=bool).ravel()
        burned = self.arrival <= self.t_now
        self.extinguished |= m & burned
        self._cut_legal(m & ~burned & ~self.blocked)
        self.blocked |= m & ~burned
        self._masks = self._ub_free = None
        self._resolve(self.t_now, self._beh)

    def advance(self, t_min: float) -> None:
        """Advance the simulation clock to ``t_min`` (cannot go back)."""
        t = float(t_min)
        if t < self.t_now - 1e-9:
            raise ValueError(f"cannot go back in time ({t} < {self.t_now})")
        self._ensure_solved(t)
        self.t_now = max(t, self.t_now)
        self._pending = [(i, tp) for i, tp in self._pending if tp > self.t_now]

    # -------------------------------------------------------------- read-outs
    def _t(self, t_min: float | None) -> float:
        t = self.t_now if t_min is None else float(t_min)
        self._ensure_solved(t)
        return t

    @property
    def arrival_time_min(self) -> np.ndarray:
        """``(H, W)`` arrival times up to now (inf = not burned yet)."""
        a = np.where(self.arrival <= self.t_now, self.arrival, np.inf)
        return a.reshape(self.shape)

    def forecast_arrival_min(self, until_min: float) -> np.ndarray:
        """Arrival times up to ``until_min`` assuming no further events (inf beyond)."""
        self._ensure_solved(until_min)
        a = np.where(self.arrival <= until_min, self.arrival, np.inf)
        return a.reshape(self.shape)

    def _box(self, grow: int = 0) -> tuple[slice, slice] | None:
        """Slices of the box holding every finite arrival time, grown by ``grow`` cells."""
        if self._fin_box is None:
            return None
        h, w = self.shape
        r0, r1, c0, c1 = self._fin_box
        return (
            slice(max(0, r0 - grow), min(h, r1 + grow)),
            slice(max(0, c0 - grow), min(w, c1 + grow)),
        )

    def _burned_now(self, t: float) -> np.ndarray:
        """Flat mask ``arrival <= t``, compared inside the finite-arrival box only."""
        m = np.zeros(self.shape, dtype=bool)
        bx = self._box()
        if bx is not None:
            m[bx] = self.arrival.reshape(self.shape)[bx] <= t
        return m.ravel()

    def burned_mask(self, t_min: float | None = None) -> np.ndarray:
        """``(H, W)`` cells reached by the fire at ``t_min`` (default now)."""
        t = self._t(t_min)
        return self._burned_now(t).reshape(self.shape)

    def front_cells(self, t_min: float | None = None) -> np.ndarray:
        """``(H, W)`` burned, not extinguished cells with an unburned burnable 8-neighbour."""
        return self._front(self._t(t_min))

    def _static_masks(self) -> tuple[np.ndarray, np.ndarray]:
        """``(free, alive)`` as ``(H, W)``: fuel not blocked, and not extinguished (cached)."""
        if self._masks is None:
            free = (self._fuel_burnable & ~self.blocked).reshape(self.shape)
            self._masks = (free, ~self.extinguished.reshape(self.shape))
        return self._masks

    def _front_until(self) -> np.ndarray:
        """Per cell of the finite-arrival box grown by one: latest arrival among its free 8-neighbours.

        A burned cell is on the front while a free neighbour is unburned, that is while
        ``t`` is below this time (-inf: no free neighbour; inf: one never burns). Arrival
        times change only in a solve, so it is kept per solve, and each tick's front read
        is two comparisons instead of a dilation. The centre counts too, which changes
        nothing for a burned cell (its own arrival is not after ``t``).
        """
        c = self._front_at
        if c is not None and c[0] == self.n_solves:
            return c[1]
        bx = self._box(1)
        out = np.empty((bx[0].stop - bx[0].start, bx[1].stop - bx[1].start))
        latest_free_neighbour(
            self.arrival.reshape(self.shape), self._static_masks()[0], bx[0].start, bx[1].start, out
        )
        self._front_at = (self.n_solves, out)
        return out

    def _front(self, t: float) -> np.ndarray:
        """``(H, W)`` front cells at ``t``: burned, not extinguished, a free unburned 8-neighbour.

        Worked out in the finite-arrival box grown by one cell: no cell outside the box
        is burned, and a burned cell's neighbours are inside the grown box.
        """
        out = np.zeros(self.shape, dtype=bool)
        bx = self._box(1)
        if bx is None:
            return out
        front = self.arrival.reshape(self.shape)[bx] <= t
        front &= self._front_until() > t
        front &= self._static_masks()[1][bx]
        out[bx] = front
        return out

    def burning_mask(self, t_min: float | None = None) -> np.ndarray:
        """``(H, W)`` cells actively burning: front cells plus cells ignited < ``burnout_min`` ago."""
        t = self._t(t_min)
        out = np.zeros(self.shape, dtype=bool)
        bx = self._box(1)
        if bx is None:
            return out
        c = self._burning_at
        if c is None or c[0] != self.n_solves:
            # the cells that may burn from the last solve's start on (its reads are at or
            # after it): each tick then looks at these only, not at the whole box
            t0 = self._solve_from
            c = (self.n_solves, t0, *burning_candidates(
                self.arrival.reshape(self.shape), self._front_until(), self._static_masks()[1],
                bx[0].start, bx[1].start, t0, self.burnout_min,
            ))  # fmt: skip
            self._burning_at = c
        if t >= c[1]:
            burning_of(c[2], c[3], c[4], t, self.burnout_min, out.reshape(-1))
        else:  # a read before the last solve's start
            burning_in_box(
                self.arrival.reshape(self.shape), self._front_until(), self._static_masks()[1],
                bx[0].start, bx[1].start, t, self.burnout_min, out,
            )  # fmt: skip
        return out

    def burned_area_ha(self, t_min: float | None = None) -> float:
        """Burned area (ha) at ``t_min``."""
        t = self._t(t_min)
        at = self._area_at
        if at is not None and at[0] == self.n_solves and t >= at[1]:
            # every cell burned after the last solve's start is one of its arrivals
            n = at[2] + int(np.searchsorted(at[3], t, side="right"))
        else:
            bx = self._box()
            n = 0 if bx is None else np.count_nonzero(self.arrival.reshape(self.shape)[bx] <= t)
        return float(n) * self.cell_size_m**2 / 1e4

    def perimeter_m(self, t_min: float | None = None) -> float:
        """Length (m) of the boundary of the burned region (marching squares)."""
        return marching_squares_perimeter(self.burned_mask(t_min), self.cell_size_m)

    def intensity_kw_m(self, t_min: float | None = None) -> np.ndarray:
        """``(H, W)`` Byram intensity (kW/m) of burned cells at ``t_min`` (0 elsewhere)."""
        t = self._t(t_min)
        return np.where(self.arrival <= t, self.cell_intensity_kw_m, 0.0).reshape(self.shape)

    def flame_length_m(self, t_min: float | None = None) -> np.ndarray:
        """``(H, W)`` flame length (m) of burned cells at ``t_min`` (0 elsewhere)."""
        t = self._t(t_min)
        return np.where(self.arrival <= t, self.cell_flame_length_m, 0.0).reshape(self.shape)

    @property
    def max_intensity(self) -> float:
        """Maximum Byram intensity (kW/m) among cells burned so far."""
        burned = self.arrival <= self.t_now
        return float(self.cell_intensity_kw_m[burned].max()) if burned.any() else 0.0

    @property
    def is_active(self) -> bool:
        """True while some front cell can still spread or an ignition is pending."""
        return bool(self._pending) or bool(self.front_cells().any())

    # ------------------------------------------------------------------ solver
    def _ensure_solved(self, t: float) -> None:
        guard = 0
        while self._valid_until < t:
            guard += 1
            if guard > 100000:  # pragma: no cover - defensive
                raise RuntimeError("solver failed to progress")
            self._resolve(self._valid_until, self._beh)

    def _edge_tau(
        self, beh: _Behaviour, src: np.ndarray, dst: np.ndarray, k: np.ndarray
    ) -> np.ndarray:
        """Travel time (min) along stencil edges ``k`` (per edge) from flat cells ``src`` to ``dst``.

        Mean slowness of the two end cells' ellipse rates from the rear focus,
        ``R (1 - e) / (1 - e cos(az - theta))``, times the surface length (compiled
        arithmetic around one ``np.cos``). Used for the old weather's edges of the front
        (the restart fractions). The searches write the same slowness as
        ``(1 - (e cos th cos az + e sin th sin az)) / (R (1 - e))`` (`_cell_terms`), which
        can differ in the last bit: each form is kept where the kernel has always used it,
        so arrival times stay those of the earlier kernel.
        """
        beh.ensure(np.concatenate([src, dst]))
        with np.errstate(all="ignore"):
            cos_d = np.cos(edge_angles(self._az, k, beh.theta, src, dst))
            return edge_times_from_cos(
                cos_d, k, src, dst, beh.ros, beh.ecc, self._horiz, self.elevation, _EPS
            )

    def _legal_edges(self) -> np.ndarray:
        """``(K, H, W)`` masks, built from scratch: stencil edge ``k`` from cell ``(r, c)`` can carry fire.

        True while both end cells and every cell the segment crosses are free (fuel, not
        blocked). That depends on fuel and blocked cells only, not on the fire or the
        weather, so it is built once (`_edge_bits`) and cut where cells get blocked
        (`_cut_legal`), instead of re-testing every crossed cell in every solve.
        """
        h, w = self.shape
        free = (self._fuel_burnable & ~self.blocked).reshape(h, w)
        legal = np.zeros((len(self.offsets), h, w), dtype=bool)
        for k, (dr, dc) in enumerate(self.offsets):
            sr = slice(max(0, -dr), h - max(0, dr))
            sc = slice(max(0, -dc), w - max(0, dc))
            tr = slice(max(0, dr), h - max(0, -dr))
            tc = slice(max(0, dc), w - max(0, -dc))
            ok = free[sr, sc] & free[tr, tc]
            for cr, cc in self._crossed[k]:
                ok &= free[sr.start + cr : sr.stop + cr, sc.start + cc : sc.stop + cc]
            legal[k][sr, sc] = ok
        return legal

    def _bits_of(self, legal: np.ndarray) -> np.ndarray:
        """Edge masks as one word per cell: bit ``b`` set when offset ``_dst_order[b]`` is legal."""
        bits = np.zeros(self.n_cells, dtype=np.uint32)
        for b, k in enumerate(self._dst_order.tolist()):
            bits |= legal[k].ravel().astype(np.uint32) << np.uint32(b)
        return bits

    def _cut_legal(self, newly_blocked: np.ndarray) -> None:
        """Remove the edges that start at, end at or cross cells that just became non-free."""
        cells = np.flatnonzero(newly_blocked)
        if cells.size == 0:
            return
        if self._touch is None:
            # (bit, dr, dc): the blocked cell sits at offset (0,0), (dr,dc) or a crossed
            # offset from the source of the edge of that bit
            self._touch = np.array(
                [
                    (b, orr, occ)
                    for b, k in enumerate(self._dst_order.tolist())
                    for orr, occ in ((0, 0), self.offsets[k], *self._crossed[k])
                ],
                dtype=np.int64,
            )
        h, w = self.shape
        cut_edges(self._edge_bits, cells, w, h, self._touch)

    def _retire(self, cells: np.ndarray) -> None:
        """Burning cells without a front edge: they never get one, so no later solve reads them.

        The unburned cells and the legal edges only ever shrink (burned stays burned,
        blocking only cuts edges), so a cell with no legal edge to an unburned cell keeps
        none.
        """
        self._spent[cells] = True

    def _cell_terms(self, beh: _Behaviour, cells: np.ndarray) -> dict[str, np.ndarray]:
        """Per-cell edge slowness terms of grid cells ``cells``, as a dict of arrays.

        ``ec = e cos th``, ``es = e sin th`` (th: the head direction), ``base = 1/(R (1 - e))``
        and elevation ``z``: the slowness along an edge of azimuth az is
        ``(1 - (ec cos az + es sin az)) base``. Worked out once per solve for every cell it
        reads (the trigonometry is the costly part).
        """
        th = beh.theta[cells]
        with np.errstate(divide="ignore"):
            ec, es, base, z = slowness_terms(
                cells, beh.ros, beh.ecc, np.cos(th), np.sin(th), self.elevation
            )
        return {"ec": ec, "es": es, "base": base, "z": z}

    def _can_spread(self, beh: _Behaviour, free: np.ndarray) -> bool:
        """Some free cell has a positive rate (the rate bound is positive exactly where it is)."""
        key = beh.bound_key
        if self._ub_free is None or self._ub_free[0] != key:
            self._ub_free = (key, bool((self._ub_of(beh)[free] > 0.0).any()))
        return self._ub_free[1]

    def _ub_of(self, beh: _Behaviour) -> np.ndarray:
        """Per-cell upper bound of the head rate (m/min) for ``beh``'s wind speed and moisture."""
        if self._bound is None or self._bound[0] != beh.bound_key:  # pragma: no cover - defensive
            beh.ensure()
            return np.where(np.isfinite(beh.ros), beh.ros * (1.0 + 1e-9), np.inf)
        return self._bound[1]

    def _inv_ub(self, beh: _Behaviour) -> np.ndarray:
        """``1 / _ub_of(beh)``: inf where a cell cannot burn, 0 where it has no finite bound."""
        c = self._inv_ub_cache
        if c is None or c[0] != beh.bound_key:
            with np.errstate(divide="ignore"):
                c = (beh.bound_key, 1.0 / self._ub_of(beh))
            self._inv_ub_cache = c
        return c[1]

    def _min_edge_bound(self, beh: _Behaviour) -> float:
        """Smallest lower-bound edge time anywhere in the grid (the bucket width of `within_bound`)."""
        inv = self._inv_ub(beh)
        c = self._min_edge_cache
        if c is None or c[0] is not inv:
            vmin = float(inv.min()) if inv.size else 0.0
            c = (inv, 2.0 * float(self._half_horiz.min()) * vmin * (1.0 - 1e-9) * (1.0 - 1e-12))
            self._min_edge_cache = c
        return c[1]

    def _take_pending(
        self, t_from: float, burned: np.ndarray, free: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pending ignitions that can still start (cell unburned and free), at ``t_from`` or later.

        Those due by ``t_from`` are dropped from the pending list: this solve starts them.
        """
        pend_i = np.array([i for i, _ in self._pending], dtype=np.int64)
        pend_t = np.array([tp for _, tp in self._pending], dtype=float)
        ok = ~burned[pend_i] & free[pend_i]
        self._pending = [(i, tp) for i, tp in self._pending if tp > t_from]
        return pend_i[ok], np.maximum(pend_t[ok], t_from)

    def _resolve(self, t_from: float, old: _Behaviour) -> None:
        """Recompute arrival times of cells unburned at ``t_from`` (events at ``t_from``)."""
        self.n_solves += 1
        self._solve_from = t_from
        w = self.shape[1]
        beh = self._beh
        free2d, alive2d = self._static_masks()
        free = free2d.ravel()
        # Burned cells at t_from; later arrival times are reset (solved again); the
        # sources are the burned cells not put out and not known to have no front edge
        # (`_retire`), in row-major order. No burned cell lies outside the box.
        burned = np.zeros(self.n_cells, dtype=bool)
        src_g = np.zeros(0, dtype=np.int64)
        if self._fin_box is not None:
            src_g = box_sources(
                self.arrival, w, self._fin_box, t_from, alive2d.ravel(), self._spent, burned
            )
        # burned area from t_from on: these cells, plus this solve's arrivals (sorted)
        self._area_at = (self.n_solves, t_from, int(np.count_nonzero(burned)), np.zeros(0))
        pend_i, pend_t = self._take_pending(t_from, burned, free)
        horizon = self.horizon_min
        if t_from < self._next_change_min:  # re-solve only up to the next known change
            horizon = min(horizon, self._next_change_min - t_from)
        if (src_g.size == 0 and pend_i.size == 0) or not self._can_spread(beh, free):
            self._valid_until = math.inf
            return
        bits, b_off, b_step = self._edge_bits, self._dst_order, self._bit_step
        # The front: legal edges from sources to unburned cells, offset by offset, each
        # offset's by source. Sources found without one are retired.
        # Start cells: pending ignitions and the front's unburned ends, each once.
        f_kk, s_g, d_g, spent, starts, inv = front_edges(
            bits, b_off, b_step, src_g, burned, len(self.offsets),
            pend_i.astype(np.int64), self._node_id,
        )  # fmt: skip
        self._retire(src_g[spent])
        # Start times: pending ignitions, and each front edge restarting with the part of
        # its travel time not yet done (see the module docstring). First with a lower
        # bound of the new travel time (no fire behaviour needed yet), to find the cells a
        # path can reach by `limit`; then exactly, for the start cells among them.
        inv_f = inv[pend_i.size :]
        inv_p = inv[: pend_i.size]
        m = f_kk.size
        inv_ub = self._inv_ub(beh)
        limit = horizon + 1e-6
        has_old = bool(m) and old is not beh  # the weather changed: edges restart from it
        tau_old = self._edge_tau(old, s_g, d_g, f_kk) if has_old else np.zeros(0)
        lb_starts, w_lb, any_start = start_times_bound(
            starts, inv_p, pend_t, inv_f, f_kk, s_g, d_g, tau_old, has_old,
            self.arrival, inv_ub, self._half_horiz, t_from, _EPS, limit,
        )  # fmt: skip
        if lb_starts.size == 0:  # nothing can start before the horizon
            if any_start:
                self._solved_to(t_from, horizon)
            else:
                self._valid_until = math.inf
            return
        # Candidates: the cells a path can reach by `limit` at each cell's top rate (a
        # compiled search with lower-bound edge times). The exact search needs the fire
        # behaviour of these cells only (and of the front's burning cells).
        cells = within_bound(
            bits, b_off, b_step, free, burned,
            inv_ub, self._half_horiz, self._min_edge_bound(beh), lb_starts, w_lb,
            limit, self._scratch,
        )  # fmt: skip
        live = src_g[~spent]
        both = np.concatenate([live, cells])  # sources then candidates: terms in that order
        beh.ensure(both)
        terms = self._cell_terms(beh, both)
        nid = self._node_id  # grid cell -> candidate index, -1 elsewhere (reset below)
        nid[cells] = np.arange(cells.size, dtype=np.int32)
        # exact start times; a front edge ending at no candidate ends beyond the horizon
        # even at the top rate
        n_live = live.size
        dst_term = nid[d_g].astype(np.int64)
        dst_term[dst_term >= 0] += n_live
        cand, c_t = start_times_exact(
            starts.size, inv_p, pend_t, inv_f, f_kk, np.searchsorted(live, s_g), dst_term,
            s_g, tau_old, has_old, self.arrival, terms["ec"], terms["es"], terms["base"],
            terms["z"], self._cos_az, self._sin_az, self._horiz, t_from, _EPS,
        )  # fmt: skip
        start_ids, super_w, any_start = start_weights(cand, starts, nid, t_from, _EPS, limit)
        if start_ids.size == 0:  # the bound's start cells all start after the horizon
            nid[cells] = -1
            if any_start:
                self._solved_to(t_from, horizon)
            else:
                self._valid_until = math.inf
            return
        if start_ids.min() < 0:  # pragma: no cover - defensive
            raise RuntimeError("fire solve: a start cell is not a candidate")  # not a segfault
        # The exact search reads the candidates' edges from their edge words and works out
        # an edge's travel time only when it relaxes it (`travel_time.min_travel_time`).
        reached, dist, pred_cell = min_travel_time(
            bits, b_off, b_step, nid, cells, terms["ec"][n_live:], terms["es"][n_live:],
            terms["base"][n_live:], terms["z"][n_live:], self._cos_az, self._sin_az,
            self._horiz, start_ids, super_w, limit, _EPS,
        )  # fmt: skip
        # arrival times, and the intensity in the direction of arrival: along the edge from
        # the predecessor, or along the winning front edge for a cell started from the front
        g, ang, won, box = arrival_angles(
            reached, dist, pred_cell, cells, t_from, _EPS, self.arrival, w, beh.theta,
            self._az_of_step, c_t, cand, inv_f, limit, f_kk, d_g, self._az,
        )  # fmt: skip
        # settled in time order: these arrival times are sorted (see `burned_area_ha`)
        self._area_at = (*self._area_at[:3], self.arrival[g])
        if g.size:
            self._grow_fin_box_to(box)
        arrival_intensity(
            g, reached, pred_cell, np.cos(ang), won, d_g, nid, cells.size, beh.ecc, beh.fli,
            self.cell_intensity_kw_m,
        )  # fmt: skip
        nid[cells] = -1
        self.cell_flame_length_m[g] = np.where(
            self.cell_intensity_kw_m[g] > 0,
            0.45 * (self.cell_intensity_kw_m[g] / KW_M_PER_BTU_FT_S) ** 0.46 * M_PER_FT,
            0.0,
        )
        self._solved_to(t_from, horizon)

    def _grow_fin_box_to(self, box: tuple[int, int, int, int]) -> None:
        """Grow the box of finite arrival times to hold ``box`` ``(r0, r1, c0, c1)``."""
        if self._fin_box is not None:
            b0 = self._fin_box
            box = (min(b0[0], box[0]), max(b0[1], box[1]), min(b0[2], box[2]), max(b0[3], box[3]))
        self._fin_box = tuple(int(v) for v in box)

    def _solved_to(self, t_from: float, horizon: float) -> None:
        """Arrival times are final up to the end of the horizon solved from ``t_from``."""
        self._valid_until = t_from + horizon
        if horizon < self.horizon_min:  # stopped at the next change: valid up to it exactly
            self._valid_until = max(self._valid_until, self._next_change_min)

    # ------------------------------------------------------------------- misc
    def with_moisture(self, **changes: float) -> Moisture:
        """Return the current moisture with some fields replaced (helper for set_weather)."""
        return replace(self.moisture, **changes)
