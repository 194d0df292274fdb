"""The typhoon hazard plug-in: the storm, its wind, water and lifeline damage on the drill clock.

Each typhoon tick (10-30 min) computes the Holland (CLIMADA H08) surface wind on
the whole world grid in one vectorised call, updates the peak swath, the surge
and flooded cells, power/mobile outages and blocked roads, and tracks the wind
each resident group feels at home and while unsheltered. Around landfall the
pre-drawn sea and river distress calls come in; public orders (warnings,
evacuations by zone, 五停) go out at their lead times. When the wind over land
falls below the relief threshold after landfall, impacts are assessed
(damage, displaced, casualties, direct loss) and relief is released.

The engine sees only the `Hazard` protocol plus the optional hooks it uses:
`exposure_threshold`, `wind_m_s`, `power_ok`, `mobile_ok`, `run_info`,
`write_figures`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from scenarios.typhoon import comms, impacts, marine, orders
from scenarios.typhoon.damage import emanuel_mdr
from scenarios.typhoon.infrastructure import Lifelines, RoadDamageModel
from scenarios.typhoon.params import TyphoonParams
from scenarios.typhoon.statics import coastal_flood, grid_wind, world_statics
from scenarios.typhoon.storm import StormTimeline, build_track, vary_states


def chain_validity() -> list[str]:
    """Validity notes of the rain/flood/landslide/Natech chain."""
    from scenarios.typhoon.hydro.chain import VALIDITY

    return list(VALIDITY)


if TYPE_CHECKING:
    from sim.model import DrillModel

#: Land-cover codes with many trees along roads (urban street trees, forests).
TREE_COVER = {1: 1.0, 4: 0.6, 5: 1.0, 6: 1.0, 7: 1.0, 8: 1.0}
#: Disaster onset for relief clocks: damaging wind (≥ gale, 17.2 m/s, Beaufort 8 lower
#: bound, GB/T 19201-2006) has ended at the area (shared INDICATORS.md).
ONSET_WIND_M_S = 17.2
#: Hours without gale (< 17.2 m/s) at a home, after the storm has passed, before its
#: people go back: the time for the warning to be lifted and roads checked. ILLUSTRATIVE.
RETURN_AFTER_GALE_H = 6.0
#: A home whose mean damage ratio (Emanuel 2011, at its peak wind) reaches this is
#: uninhabitable: its people stay displaced. ILLUSTRATIVE (half the stock damaged).
#: With the WP3 curve (v_half 112.8 m/s) no historic Jiangmen wind reaches it, so in
#: practice flooding keeps people away; damage shares below it are counted as
#: `households_displaced` per district, not per group.
UNINHABITABLE_MDR = 0.5
GDP_SOURCE = (
    "Jiangmen 2023 GDP 4022.25e8 CNY (江门市2023年国民经济和社会发展统计公报; figure from "
    "the authors' knowledge, not found in the search corpus — verify before quantitative use)"
)


class TyphoonHazard:
    """A historical (or varied) typhoon crossing the world grid."""

    name = "typhoon"

    def __init__(self, params: TyphoonParams, scenario, world, streams) -> None:
        self.params = params
        self.world = world
        self.tick_min = float(params.tick_min)
        self.exposure_threshold = float(params.exposure_wind_m_s)
        # Typhoon-force wind at home "reaches" a household (warning coverage) but is
        # not by itself harm: affected people are the evacuated and the displaced.
        self.exposure_is_harm = False
        self.rng = streams.hazard
        self.incident_rng = streams.incidents
        self.track = build_track(params.storm, params.variant)
        self.timeline = StormTimeline(
            self.track,
            scenario.scenario.start_time,
            self.tick_min,
            model=params.wind_model,
            extrapolate_h=params.extrapolate_h,
        )
        if self.timeline.landfall_min is None:
            raise ValueError(f"hazard.storm={params.storm!r}: track has no landfall time")
        self.timeline.states = vary_states(self.timeline.states, params.variant)
        # Orders are issued on the forecast landfall; a timing error moves the storm only.
        self.forecast_landfall_min = self.timeline.landfall_min - 60.0 * params.variant.time_shift_h
        g = world.grid
        shape = g.shape
        s = world_statics(world)  # per-world constants, computed once per process
        self.lon2d, self.lat2d, self.is_land = s.lon2d, s.lat2d, s.is_land
        # the wind field of a tick on this grid, land roughness factor applied
        self.grid_wind = grid_wind(g, s, params.wind_model, params.land_factor)
        self._calm_grid = True  # wind, u, v are all 0
        self.wind = np.zeros(shape)
        self.u = np.zeros(shape)
        self.v = np.zeros(shape)
        self.peak = np.zeros(shape)
        self.state = None
        self._cells_memo: tuple[np.ndarray, ...] | None = None
        self.cell_m = s.cell_m
        self.lifelines = Lifelines(shape, s.nearest_land, params.outages, self.rng, s.topology)
        # land cells look themselves up and are all the modelled cells: the land counts
        # of `_log_outages` are then the lifelines' own counts
        self._land_counts_direct = s.land_counts_direct
        self.flood = coastal_flood(world, s, params.surge)
        self.coast_km = s.coast_km
        self.slope_deg = s.slope_deg
        self.chain = None
        if params.chain is not None:
            from scenarios.typhoon.hydro.chain import ChainModel

            self.chain = ChainModel(
                params.chain,
                world,
                self.lat2d,
                self.lon2d,
                self.cell_m,
                self.slope_deg,
                self.tick_min,
                self.rng,
            )
        self.router = None
        self.roads: RoadDamageModel | None = None
        self.passed = False
        self.summary: impacts.ImpactSummary | None = None
        # When damaging wind last blew per cell (relief clocks start when it ends, 专栏1).
        self.gale_until = np.full(shape, -1.0)
        self._last_counts = (-1, -1)
        self._counts_version = -1
        self._duration_min = float(scenario.scenario.duration_h) * 60.0
        self._wind_series: dict[tuple[int, int], np.ndarray] = {}
        self._forecast_states: tuple | None = None  # (ticks, StateTable)
        self._forecast_cell: dict[tuple[float, float], tuple[int, int]] = {}

    # -- protocol ---------------------------------------------------------------
    def validity(self) -> list[str]:
        """Limits of this typhoon model (printed with the scorecard)."""
        return [
            "typhoon track: operational bulletin fixes (HKO/CMA), not a best-track file; "
            "positions ±10-30 km",
            "wind: parametric Holland/CLIMADA H08 vortex, no terrain friction beyond land_factor; "
            "Kaplan-DeMaria (Atlantic) inland decay",
            "surge: inverse barometer + steady linear wind setup, no bathymetry; factor ~2",
            "outages, road blockages and casualty function are illustrative, not calibrated",
            "direct loss: wind damage only (no flood/rain), assets spread by population",
        ] + (chain_validity() if self.chain is not None else ["no rain model in this scenario"])

    def start(self, model: DrillModel) -> None:
        """Install the closure router, schedule orders and distress calls, hook comms."""
        p = self.params
        w = self.world
        if model.router is w and hasattr(w, "_network"):
            from sim.world.closures import ClosureRouter

            self.router = ClosureRouter(w, closed_speed_kmh=p.roads.closed_speed_kmh)
            model.router = self.router
            mid = self.router.edge_midpoints()
            self._edge_rc = w.grid.index_xy(mid[:, 0], mid[:, 1])
            self._edge_flat = np.ravel_multi_index(self._edge_rc, w.grid.shape)
            self._edge_mid = mid
            lc = np.asarray(w.landcover)[self._edge_rc]
            tree = np.array([TREE_COVER.get(int(c), 0.3) for c in range(256)])[lc]
            self.roads = RoadDamageModel(
                self.router.edge_length_m(), tree, self.slope_deg[self._edge_rc], p.roads, self.rng
            )
        res = model.residents
        lf = self.forecast_landfall_min
        if res is not None:
            self._home_rc = w.grid.index_xy(res.home_x, res.home_y)
            self._home_flat = np.ravel_multi_index(self._home_rc, w.grid.shape)
            self.home_peak = np.zeros(res.n)
            self.out_peak = np.zeros(res.n)
            self.flooded_seen = np.zeros(res.n, bool)
            coast = self.coast_km[self._home_rc]
            elev = np.asarray(w.elevation_m, float)[self._home_rc]
            hand = self.chain.home_hand_m(self._home_rc) if self.chain is not None else None
            for o in p.warnings:
                idx = orders.zone_groups(model, o.zone, coast, elev, hand)
                at = orders.order_time(lf, o.lead_h)
                model.env.process(orders.warning_process(model, o, idx, at))
            for o in p.evacuations:
                idx = orders.zone_groups(model, o.zone, coast, elev, hand)
                at = orders.order_time(lf, o.lead_h)
                model.env.process(orders.evacuation_process(model, o, idx, at))
        if p.five_stops_lead_h is not None:
            model.env.process(
                orders.five_stops_process(model, orders.order_time(lf, p.five_stops_lead_h))
            )
        if p.relief_lead_h is not None:
            at = orders.order_time(lf, p.relief_lead_h)
            model.env.process(orders.relief_process(model, at, "pre-positioning before landfall"))
        calls = marine.draw_calls(w, p, self.timeline.landfall_min, self.incident_rng)
        model.env.process(marine.call_process(model, calls))
        handler = comms.make_handler(
            self.mobile_ok, p.comms.sat_phone_restore_min, p.comms.comms_capability
        )
        msel_kinds = {
            i.params.get("incident_kind", "rescue") for i in model.injects if i.kind == "incident"
        }
        for kind in {"vessel_distress", "river_distress", *msel_kinds}:
            model.dispatch.handlers.setdefault(kind, handler)
        model.log.emit(
            0.0,
            "typhoon_track",
            storm=self.track.name,
            landfall_min=round(self.timeline.landfall_min, 1),
            fixes=len(self.track.time),
            # the realised track (forecast error applied), for the report's spaghetti plot
            track_lon=[round(float(v), 3) for v in self.track.lon],
            track_lat=[round(float(v), 3) for v in self.track.lat],
            calls_sea=sum(c.domain == "sea" for c in calls),
            calls_river=sum(c.domain == "river" for c in calls),
        )

    def advance(self, model: DrillModel, t_min: float) -> None:
        """One typhoon tick: wind, swath, lifelines, water, roads, residents, passage."""
        p = self.params
        dt_h = self.tick_min / 60.0
        st = self.timeline.state_at(t_min)
        # land factor applied; the flood reads coastal sea cells only, where it is 1
        wf = self.timeline.grid_wind(st, self.grid_wind)
        self.state = st
        if wf is None:
            if not self._calm_grid:
                self.wind[:] = 0.0
                self.u[:] = 0.0
                self.v[:] = 0.0
                self._calm_grid = True
        else:
            self.wind, self.u, self.v = wf.speed, wf.u, wf.v
            self._calm_grid = False
        if not self._calm_grid:  # a calm grid changes neither the swath nor the gale clocks
            np.fmax(self.peak, self.wind, out=self.peak)
            self.gale_until[self.wind >= ONSET_WIND_M_S] = t_min + self.tick_min
        self.lifelines.update(t_min, dt_h, self.wind, self.peak, peak_changed=not self._calm_grid)
        self._log_outages(model, t_min)
        self.flood.update(st, wf)
        if self.chain is not None:
            self.chain.advance(model, t_min, st, self.u, self.v, self.wind, self.flood)
        self._update_roads(model, t_min, dt_h)
        self._update_residents(model, t_min)
        lf = self.timeline.landfall_min
        if not self.passed:
            calm = t_min >= lf and self._land_wind_max() < p.relief_release_wind_m_s
            if calm or t_min + self.tick_min >= model.spec.duration_min:
                self._after_passage(model, t_min, passed=calm)

    def _land_wind_max(self) -> float:
        """The strongest wind over land now (m/s)."""
        if self._calm_grid:
            return 0.0
        return float(np.max(self.wind, where=self.is_land, initial=0.0))

    def _cells(self, x_m: np.ndarray, y_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Grid cells of points, remembering the last query.

        Resident groups are looked up twice a tick (hazard tick, Mesa step) and mostly
        stand still between lookups, so comparing with the last positions is cheaper
        than projecting them again. The returned arrays must not be modified.
        """
        x = np.asarray(x_m, dtype=float)
        y = np.asarray(y_m, dtype=float)
        m = self._cells_memo
        if m is not None and np.array_equal(m[0], x) and np.array_equal(m[1], y):
            return m[2], m[3]
        r, c = self.world.grid.index_xy(x, y)
        self._cells_memo = (x.copy(), y.copy(), r, c, np.ravel_multi_index((r, c), self.wind.shape))
        return r, c

    def _flat_cells(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """`_cells` as flat indices (a gather is cheaper than 2-D fancy indexing)."""
        self._cells(x_m, y_m)
        return self._cells_memo[4]

    def all_clear(self, model: DrillModel, idx: np.ndarray, t_min: float) -> np.ndarray:
        """Whether groups `idx` may go home (the all-clear of `sim.response.return_home`).

        The storm has passed, no gale blew at home for `RETURN_AFTER_GALE_H`, no river
        flood warning is in force (with a disaster chain), the home is not flooded now
        and not damaged beyond `UNINHABITABLE_MDR` (Emanuel 2011 damage function, as in
        `impacts`).
        """
        if not self.passed or (self.chain is not None and not self.chain.flood_all_clear()):
            return np.zeros(len(idx), dtype=bool)
        r, c = self._home_rc[0][idx], self._home_rc[1][idx]
        quiet = t_min - self.gale_until[r, c] >= RETURN_AFTER_GALE_H * 60.0
        dry = ~self.flood.flooded[r, c]
        if self.chain is not None:
            dry &= ~(self.chain.water_m[r, c] > self.params.chain.hydrology.road_cut_depth_m)
        p = self.params.impacts
        mdr = emanuel_mdr(np.fmax(self.home_peak[idx], 0.0), p.v_half_m_s, p.v_thresh_m_s)
        return quiet & dry & (mdr < UNINHABITABLE_MDR)

    def intensity_at(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """Wind (m/s) at points; flooded points report at least threshold + 1 (wind-equivalent)."""
        k = self._flat_cells(x_m, y_m)
        w = self.wind.ravel()[k]
        wet = self.flood.flooded.ravel()[k]
        if self.chain is not None:
            deep = self.chain.water_m.ravel()[k] > self.params.chain.hydrology.road_cut_depth_m
            wet = wet | deep
        return np.where(wet, np.fmax(w, self.exposure_threshold + 1.0), w)

    def fields(self) -> dict[str, np.ndarray]:
        """Current grids for display and reports."""
        return {
            "wind_m_s": self.wind,
            "peak_wind_m_s": self.peak,
            "surge_m": self.flood.level,
            "flooded": self.flood.flooded,
            "power_ok": self.lifelines.power_ok_cells(),
            "mobile_ok": self.lifelines.mobile_ok_cells(),
            **(self.chain.fields() if self.chain is not None else {}),
        }

    # -- optional hooks used by the engine ----------------------------------------
    def wind_m_s(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """Current 1-min wind at points (launch limits of boats and aircraft)."""
        r, c = self.world.grid.index_xy(x_m, y_m)
        return self.wind[r, c]

    def wind_forecast(self, x_m: float, y_m: float) -> tuple[np.ndarray, np.ndarray]:
        """(tick times, 1-min wind) at a point over the whole run: the hazard's own forecast.

        The same storm timeline, Holland field and land factor as `advance`, on
        the point's grid cell, so the forecast equals the wind the unit will
        meet (a perfect forecast of the scenario storm; real forecast error is
        what the scenario's track uncertainty samples between runs).
        """
        key = self._forecast_cell.get((x_m, y_m))  # units ask from the same few bases
        if key is None:
            r, c = self.world.grid.index_xy(np.array([x_m]), np.array([y_m]))
            key = self._forecast_cell[(x_m, y_m)] = (int(r[0]), int(c[0]))
        series = self._wind_series.get(key)
        if series is None:
            if self._forecast_states is None:  # the track is fixed for the run
                from scenarios.typhoon.forecast import state_table

                ticks = np.arange(0.0, self._duration_min + self.tick_min, self.tick_min)
                states = [self.timeline.state_at(t) for t in ticks.tolist()]
                self._forecast_states = (ticks, state_table(states, self.timeline.model))
            from scenarios.typhoon.forecast import point_series

            f = self.params.land_factor if self.is_land[key] else 1.0
            wind = point_series(self._forecast_states[1], self.lat2d[key], self.lon2d[key])
            series = self._wind_series[key] = wind * f
        return self._forecast_states[0], series

    def launch_open_min(self, x_m: float, y_m: float, limit_m_s: float, t_min: float) -> float:
        """Earliest time >= `t_min` the wind at a point is within a launch limit (inf: never)."""
        ticks, wind = self.wind_forecast(x_m, y_m)
        k = max(int(np.searchsorted(ticks, t_min + 1e-6, side="right")) - 1, 0)
        if wind[k] <= limit_m_s:
            return t_min
        ok = np.flatnonzero(wind[k + 1 :] <= limit_m_s)
        return float(ticks[k + 1 + ok[0]]) if ok.size else float("inf")

    def power_ok(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """Whether mains power is on at points."""
        r, c = self.world.grid.index_xy(x_m, y_m)
        return self.lifelines.power_ok_cells()[r, c]

    def mobile_ok(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """Whether the public mobile network works at points."""
        r, c = self.world.grid.index_xy(x_m, y_m)
        return self.lifelines.mobile_ok_cells()[r, c]

    def run_info(self) -> dict:
        """Extra `run_started` fields the indicators read (GDP for the loss share)."""
        return {"gdp_cny": self.params.impacts.gdp_cny, "gdp_source": GDP_SOURCE}

    def write_figures(self, out_dir: Path) -> list[Path]:
        """Write the peak-wind swath map (and, with a chain, the storm rain map) into `out_dir`."""
        from scenarios.typhoon.figures import rain_map, swath_map

        out = [swath_map(self, Path(out_dir) / "typhoon_swath.png")]
        if self.chain is not None:
            out.append(rain_map(self, Path(out_dir) / "typhoon_rain.png"))
        return out

    # -- internals -------------------------------------------------------------------
    def _log_outages(self, model: DrillModel, t: float) -> None:
        if self.lifelines.version == self._counts_version:
            return  # the lifeline grids did not change: neither did the counts
        self._counts_version = self.lifelines.version
        land = self.is_land
        if self._land_counts_direct:
            pw, mb = self.lifelines.modelled_counts()
        else:
            pw = int((~self.lifelines.power_ok_cells() & land).sum())
            mb = int((~self.lifelines.mobile_ok_cells() & land).sum())
        if (pw, mb) != self._last_counts:
            n = int(land.sum())
            model.log.emit(
                t,
                "lifeline_status",
                power_down_cells=pw,
                mobile_down_cells=mb,
                power_down_share=round(pw / n, 4),
                mobile_down_share=round(mb / n, 4),
            )
            self._last_counts = (pw, mb)

    def _update_roads(self, model: DrillModel, t: float, dt_h: float) -> None:
        if self.roads is None or self.router is None:
            return
        if self._roads_idle():
            return
        rc = self._edge_rc
        ef = self._edge_flat  # flat cell indices: a gather, not 2-D fancy indexing
        peak_e = self.peak.ravel()[ef]
        new, cleared = self.roads.update(dt_h, self.wind.ravel()[ef], peak_e)
        flood_e = self.flood.flooded.ravel()[ef]
        want = self.roads.closed | flood_e
        if self.chain is not None:
            cut, cut_cause = self.chain.road_cuts(rc)
            want = want | cut
        closed_now = self.router.close(want & ~self.router.closed)
        opened = self.router.reopen(self.router.closed & ~want)
        mid = self._edge_mid  # = router.edge_midpoints(), fixed geometry
        causes = (
            dict(zip(new.tolist(), self.roads.cause(peak_e, new).tolist(), strict=True))
            if new.size
            else {}
        )
        if self.chain is not None:
            for e in np.flatnonzero(cut & ~flood_e).tolist():
                causes.setdefault(e, str(cut_cause[e]))
        for e in closed_now.tolist():
            model.log.emit(
                t,
                "road_closed",
                subject_id=f"E{e}",
                x_m=mid[e, 0],
                y_m=mid[e, 1],
                cause=causes.get(e, "flooding"),
                wind_m_s=round(float(self.wind[rc[0][e], rc[1][e]]), 1),
            )
        for e in opened.tolist():
            model.log.emit(t, "road_reopened", subject_id=f"E{e}", x_m=mid[e, 0], y_m=mid[e, 1])
        if cleared.size and not self.roads.closed.any() and model.relief.released.triggered:
            model.log.emit(t, "roads_cleared")

    def _roads_idle(self) -> bool:
        """A calm tick that cannot change a road: skip the roads' update (same result).

        Calm: the peaks did not move, so no road newly fails. With no road closed (by
        damage, flood or an inject), no flooded cell and no disaster chain, nothing
        clears, closes or reopens either; the update would log nothing.
        """
        return (
            self._calm_grid
            and self.chain is None
            and not (
                self.roads.closed.any() or self.router.closed.any() or self.flood.flooded.any()
            )
        )

    def _residents_idle(self) -> bool:
        """A calm tick without flooded cells: no peak to raise, nobody newly flooded."""
        return self._calm_grid and not self.flood.flooded.any()

    def _update_residents(self, model: DrillModel, t: float) -> None:
        res = model.residents
        if res is None:
            return
        if self._residents_idle():
            return
        from sim.agents.residents import ResidentState

        k = self._flat_cells(res.x, res.y)
        r, c = self._cells_memo[2], self._cells_memo[3]
        out = res.state != ResidentState.SHELTERED
        if not self._calm_grid:  # in a calm grid the peaks (>= 0) stay as they are
            np.fmax(self.home_peak, self.wind.ravel()[self._home_flat], out=self.home_peak)
            w_here = np.where(out, self.wind.ravel()[k], 0.0)
            np.fmax(self.out_peak, w_here, out=self.out_peak)
        wet = out & self.flood.flooded.ravel()[k] & ~self.flooded_seen
        for i in np.flatnonzero(wet).tolist():
            model.log.emit(
                t,
                "household_flooded",
                subject_id=f"G{i}",
                x_m=res.x[i],
                y_m=res.y[i],
                people=int(res.people[i]),
                depth_m=round(float(self.flood.max_depth[r[i], c[i]]), 2),
            )
        self.flooded_seen |= wet

    def _log_onsets(self, model: DrillModel, t: float) -> None:
        """`disaster_onset` per relief area (shelters, district demand points).

        Rule: the onset at an area is when damaging wind (≥ 17.2 m/s) last blew
        there; an area that never had it takes the landfall time.
        """
        res = model.residents
        areas = [(s.id, s.x_m, s.y_m) for s in model.protective_actions.shelters]
        if res is not None:
            for d in np.unique(res.district).tolist():
                here = res.district == d
                areas.append(
                    (f"D{d}", float(res.home_x[here].mean()), float(res.home_y[here].mean()))
                )
        lf = float(self.timeline.landfall_min)
        for area, x, y in areas:
            r, c = self.world.grid.index_xy(np.array([x]), np.array([y]))
            g = float(self.gale_until[r[0], c[0]])
            model.log.emit(
                t,
                "disaster_onset",
                area=area,
                onset_min=round(g if g >= 0 else lf, 3),
                rule="typhoon: damaging wind (>= 17.2 m/s) ended at the area"
                if g >= 0
                else "typhoon: no damaging wind at the area, landfall time",
            )

    def _after_passage(self, model: DrillModel, t: float, passed: bool) -> None:
        self.passed = True
        p = self.params
        land = self.is_land
        model.log.emit(
            t,
            "storm_passed" if passed else "storm_assessed_at_end",
            max_land_wind_m_s=round(float(self.peak[land].max(initial=0.0)), 2),
            max_surge_m=round(float(self.flood.max_level.max()), 2),
            flooded_cells=int(self.flood.ever_flooded.sum()),
            **(self.chain.summary() if self.chain is not None else {}),
        )
        res = model.residents
        self._log_onsets(model, t)
        if res is not None:
            pop = float(res.people.sum())
            s = impacts.assess(
                res.people, res.district, self.home_peak, self.out_peak, pop, p.impacts, self.rng
            )
            self.summary = s
            for k, d in enumerate(s.districts.tolist()):
                size = int(model.spec.residents.group_size) if model.spec.residents else 1
                model.log.emit(
                    t,
                    "households_displaced",
                    subject_id=f"D{d}",
                    district=d,
                    people=int(s.displaced[k]),
                    kit_people=size,
                    mean_damage_ratio=round(float(s.mean_mdr[k]), 6),
                )
                here = res.district == d
                x, y = float(res.home_x[here].mean()), float(res.home_y[here].mean())
                model.relief.on_displaced(f"D{d}", x, y, -(-int(s.displaced[k]) // size))
                model.log.emit(
                    t,
                    "casualties",
                    subject_id=f"D{d}",
                    district=d,
                    deaths=int(s.deaths[k]),
                    expected_deaths=round(float(s.expected_deaths[k]), 4),
                )
                model.log.emit(
                    t, "direct_loss", subject_id=f"D{d}", district=d, loss_cny=float(s.loss_cny[k])
                )
        if p.five_stops_lead_h is not None:
            model.log.emit(t, "five_stops_lifted", measures=list(orders.FIVE_STOPS))
        model.relief.release(reason="typhoon passed" if passed else "end of run")
