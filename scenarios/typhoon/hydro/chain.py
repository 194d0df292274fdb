"""The typhoon's disaster chain on the drill clock, one event per link.

rain → runoff → river stage → overtopping and waterlogging → road cuts, trapped households,
landslides → tank failure → release → exposure. One object owned by the typhoon hazard; every link of the chain is an event in the log.
Each model's source and validity limits are in its own module.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from scenarios.typhoon.hydro.flood_warning import FloodWarnings
from scenarios.typhoon.hydro.inundation import RiverFloodplain, UrbanWaterlogging
from scenarios.typhoon.hydro.landslide import LandslideModel
from scenarios.typhoon.hydro.mortality import jonkman_remaining_zone
from scenarios.typhoon.hydro.natech import NatechModel, wind_from_deg
from scenarios.typhoon.hydro.params import Chain
from scenarios.typhoon.hydro.rivers import RiverSystem, build_reach_tree
from scenarios.typhoon.hydro.runoff import RunoffGrid, curve_numbers
from scenarios.typhoon.hydro.trapping import Trapping, footprint_index
from scenarios.typhoon.rain import RainField

if TYPE_CHECKING:
    from sim.model import DrillModel

URBAN = 1
VALIDITY = [
    "rain: R-CLIPER (Tuleya et al. 2007 NHC coefficients) + orographic lift on a smoothed "
    "DEM; symmetric, no shear; storm totals indicative (factor ~2)",
    "runoff: SCS-CN with one soil group; catchments = nearest river node (no D8 paths); "
    "Muskingum routing, no tide or backwater",
    "river flooding: volume-limited HAND fill (level pool per ~1 km reach, filled by the "
    'flow above the design discharge) on a 30" DEM; extents indicative only; channel and '
    "gauge datums approximate",
    "landslides: Caine (1980) global threshold x illustrative slope ramp on a smoothed DEM",
    "Natech: Landucci et al. (2012) flotation limit state, illustrative wind fragility; "
    "cloud advected by the storm wind at the tank (uniform), Gaussian puffs",
]


class ChainModel:
    """Rain, rivers, floods, landslides and tanks of one typhoon run."""

    def __init__(self, p: Chain, world, lat2d, lon2d, cell_m, slope_deg, tick_min, rng) -> None:
        self.p = p
        self.world = world
        self.tick_min = float(tick_min)
        land = np.asarray(world.is_land, bool)
        self.land = land
        elev = np.asarray(world.elevation_m, float)
        r = p.rain
        self.rain = RainField(
            lat2d,
            lon2d,
            elev,
            cell_m,
            orographic=r.orographic,
            q_sat=r.q_sat,
            scale=r.scale,
            smooth_km=r.orographic_smooth_km,
        )
        h = p.hydrology
        self.runoff = RunoffGrid(
            curve_numbers(world.landcover, h.soil_group), h.initial_abstraction_ratio
        )
        dv = h.diversion
        tree = build_reach_tree(
            world.rivers, distributary=None if dv is None else (dv.from_river, dv.to_river)
        )
        self.rivers = RiverSystem(tree, world, h, self.tick_min * 60.0)
        g = world.grid
        rr, rc = g.index_xy(tree.x_m, tree.y_m)
        # river bed side: lowest ground in the 3x3 cells around the node (valley floor)
        from scipy.ndimage import minimum_filter

        self.reach_ground = minimum_filter(elev, size=3)[rr, rc]
        self.floodplain = RiverFloodplain(
            elev,
            land,
            self.rivers.nearest_node,
            self.rivers.dist_river_m,
            self.reach_ground,
            h.floodplain_km,
            h.levee_m,
            self.rivers.cell_area_m2,
            self.rivers.pool,
        )
        self.rivers.enable_floodplain(self.floodplain.has_cells)
        self.urban = UrbanWaterlogging(
            np.asarray(world.landcover) == URBAN, h.drainage_capacity_mm_h, h.ponding_share
        )
        self.gauge_reach = [self.rivers.reach_at(*_utm(gg.lat, gg.lon)) for gg in h.gauges]
        self.gauge_level = [0] * len(h.gauges)  # 0 normal, 1 above warning, 2 above guarantee
        self.gauge_peak = [-np.inf] * len(h.gauges)
        self.flood_warnings = (
            FloodWarnings(h.gauges, h.flood_warning, self.tick_min)
            if h.flood_warning is not None and h.gauges
            else None
        )
        self.overtopped = np.zeros(tree.down.size, bool)
        self.slides = (
            LandslideModel(slope_deg, land, p.landslides, rng) if p.landslides.enabled else None
        )
        self.slid = np.zeros(land.shape, bool)
        self.natech = NatechModel(p.tanks, g, rng, h.flood_velocity)
        self.water_m = np.zeros(land.shape)
        self.max_water_m = np.zeros(land.shape)
        self._t_last_hour = 0.0
        self.trap: Trapping | None = None
        self._trap_seq: dict[str, int] = {}
        self.exposed_seen = None

    # -- per tick -----------------------------------------------------------------
    def advance(self, model: DrillModel, t: float, state, u, v, wind, coastal=None) -> None:
        """One hazard tick of the chain (storm ``state`` may be None far from the grid)."""
        dt = self.tick_min
        vmax = 0.0
        lat = lon = None
        if state is not None and np.isfinite(getattr(state, "vmax_1min_m_s", np.nan)):
            vmax = float(state.vmax_1min_m_s) * float(state.decay)
            lat, lon = state.lat, state.lon
        self.rain.update(lat, lon, vmax, u, v, dt)
        now = [sp for sp in self.p.rain.spells if sp.from_h * 60 <= t < sp.to_h * 60]
        extra = sum(sp.mm_h for sp in now if not sp.urban_only)
        town = sum(sp.mm_h for sp in now if sp.urban_only)
        if extra > 0 or town > 0:
            rate = extra + town * self.urban.urban if town > 0 else extra
            self.rain.add_uniform(rate * self.p.rain.scale, dt)
        rain_mm = self.rain.rate * dt / 60.0
        excess = self.runoff.step(rain_mm)
        self.rivers.step(excess)
        river_d = self.floodplain.update(self.rivers.fp_store_m3)
        over = self.overtop_m
        urban_d = self.urban.update(self.rain.rate, dt)
        self.water_m = np.fmax(river_d, urban_d)
        np.fmax(self.max_water_m, self.water_m, out=self.max_water_m)
        self._log_rain(model, t)
        self._log_gauges(model, t)
        self._log_overtopping(model, t, over)
        if self.slides is not None:
            new = self.slides.update(self.rain.rate, dt)
            if new.any():
                self._log_slides(model, t, new)
            self.slid |= new
        self._residents(model, t)
        self._natech(model, t, wind, u, v, coastal)

    @property
    def overtop_m(self) -> np.ndarray:
        """Floodplain water level above the levee crest per reach (0 when dry)."""
        lv = self.floodplain.reach_level - self.floodplain.levee_m
        return np.where(self.rivers.spilling, np.fmax(lv, 0.0), 0.0)

    def stage_m(self, k: int) -> float:
        """Stage at gauge ``k``: the channel rating, or the crest plus the floodplain level."""
        gg = self.p.hydrology.gauges[k]
        j = self.gauge_reach[k]
        s = self.rivers.stage_m(j, gg.normal_m, gg.guarantee_m)
        if self.rivers.spilling[j]:
            lv = self.floodplain.reach_level[j] - self.floodplain.levee_m
            s = max(s, gg.guarantee_m + max(float(lv), 0.0))
        return s

    def flood_all_clear(self) -> bool:
        """No river flood threat left, so evacuees may go home.

        No flood warning in force, or, without a warning rule, every gauge below its
        warning level.
        """
        if self.flood_warnings is not None:
            return not self.flood_warnings.in_force()
        gauges = self.p.hydrology.gauges
        return all(self.stage_m(k) < gg.warning_m for k, gg in enumerate(gauges))

    def home_hand_m(self, home_rc) -> np.ndarray:
        """Height above the nearest river reach at homes (inf off the floodplain)."""
        fp = self.floodplain
        return np.where(fp.cand[home_rc], fp.hand[home_rc], np.inf)

    # -- roads ---------------------------------------------------------------------
    def road_cuts(self, edge_rc) -> tuple[np.ndarray, np.ndarray]:
        """(closed, cause) per road edge: water over the cut depth, or a landslide."""
        r, c = edge_rc
        h = self.p.hydrology
        river = self.floodplain.depth[r, c] > h.road_cut_depth_m
        urban = self.urban.depth_mm[r, c] / 1000.0 > h.road_cut_depth_m
        slide = self.slid[r, c]
        cause = np.where(slide, "landslide", np.where(river, "river_flood", "waterlogging"))
        return river | urban | slide, cause

    # -- logging -------------------------------------------------------------------
    def _log_rain(self, model, t: float) -> None:
        if not self.rain.hour_complete:
            return
        hr = self.rain.last_hour[self.land]
        model.log.emit(
            t,
            "rain_hourly",
            land_mean_mm=round(float(hr.mean()), 2),
            land_max_mm=round(float(hr.max(initial=0.0)), 2),
            storm_total_max_mm=round(float(self.rain.total[self.land].max(initial=0.0)), 1),
        )
        for k, gg in enumerate(self.p.hydrology.gauges):
            j = self.gauge_reach[k]
            model.log.emit(
                t,
                "river_stage",
                subject_id=gg.id,
                stage_m=round(self.stage_m(k), 2),
                q_m3s=round(float(self.rivers.q[j]), 1),
            )

    def _log_gauges(self, model, t: float) -> None:
        gauges = self.p.hydrology.gauges
        stages = [self.stage_m(k) for k in range(len(gauges))]
        if self.flood_warnings is not None:
            self.flood_warnings.update(model, t, stages)
        for k, gg in enumerate(gauges):
            s = stages[k]
            self.gauge_peak[k] = max(self.gauge_peak[k], s)
            lvl = 2 if s > gg.guarantee_m else 1 if s > gg.warning_m else 0
            if lvl > self.gauge_level[k]:
                model.log.emit(
                    t,
                    "river_above_guarantee" if lvl == 2 else "river_above_warning",
                    subject_id=gg.id,
                    gauge=gg.name,
                    stage_m=round(s, 2),
                    level_m=gg.guarantee_m if lvl == 2 else gg.warning_m,
                )
            self.gauge_level[k] = max(lvl, self.gauge_level[k])

    def _log_overtopping(self, model, t: float, over: np.ndarray) -> None:
        new = self.rivers.spilling & ~self.overtopped
        tree = self.rivers.tree
        for j in np.flatnonzero(new).tolist():
            model.log.emit(
                t,
                "river_overtopping",
                subject_id=f"R{int(tree.node_ids[j])}",
                river=str(tree.river[j]),
                x_m=float(tree.x_m[j]),
                y_m=float(tree.y_m[j]),
                overtop_m=round(float(over[j]), 2),
                q_m3s=round(float(self.rivers.q[j]), 1),
                pool_m3=round(float(self.rivers.fp_store_m3[self.rivers.pool[j]]), 0),
            )
        self.overtopped |= new

    def _log_slides(self, model, t: float, new: np.ndarray) -> None:
        g = self.world.grid
        s = self.slides
        for r, c in zip(*np.nonzero(new), strict=True):
            model.log.emit(
                t,
                "landslide",
                subject_id=f"L{int(r)}_{int(c)}",
                x_m=float(g.x_m[r, c]),
                y_m=float(g.y_m[r, c]),
                event_rain_mm=round(float(s.event_mm[r, c]), 1),
                event_h=round(float(s.event_h[r, c]), 2),
            )

    # -- residents -------------------------------------------------------------------
    def _residents(self, model, t: float) -> None:
        """Trapped and buried people (trapping.py) become rescue incidents (survival.py)."""
        res = model.residents
        if res is None:
            return
        from sim.agents.residents import ResidentState

        if self.trap is None:
            r, c = self.world.grid.index_xy(res.home_x, res.home_y)
            flat, valid = footprint_index(r, c, self.land, self.p.rescue.footprint_cells)
            self.trap = Trapping(res.people, flat, valid, self.p.rescue)
            self.exposed_seen = np.zeros(res.n, bool)
        home = res.state != ResidentState.SHELTERED
        home &= np.hypot(res.x - res.home_x, res.y - res.home_y) < 1.0
        deep = self.water_m > self.p.hydrology.trap_depth_m
        risk = self._at_risk_share(deep)
        for i, n, share in self.trap.flooded(deep, home):
            self._trapped(model, t, i, n, share, "flood", float(risk[i]))
        self._raise_open_risk(model, risk)
        if self.slides is not None:
            for i, n, share in self.trap.slid(self.slid, home, self.p.landslides.bury_share):
                self._trapped(model, t, i, n, share, "landslide")

    def _at_risk_share(self, deep: np.ndarray) -> np.ndarray:
        """Per group: mean Jonkman F_D(depth) over its deep footprint cells (1 = all at risk)."""
        rp = self.p.rescue
        if rp.flood_mortality is None:
            return np.ones(self.trap.people.size)
        fd = jonkman_remaining_zone(self.water_m, rp.mortality_mu_n, rp.mortality_sigma_n)
        hit = deep.ravel()[self.trap.flat] & self.trap.valid
        tot = (fd.ravel()[self.trap.flat] * hit).sum(axis=1)
        return tot / np.maximum(hit.sum(axis=1), 1)

    def _raise_open_risk(self, model, risk: np.ndarray) -> None:
        """Water still rising round people nobody has reached yet raises their risk.

        Jonkman's F_D takes the flood's maximum depth, so an open flood incident keeps
        the highest at-risk share its group's deep cells have reached before rescue.
        """
        if not self.p.rescue.enabled or self.p.rescue.flood_mortality is None:
            return
        for base, k in self._trap_seq.items():
            if not base.startswith("TRAP-flood-G"):
                continue
            inc = model.dispatch.incidents.get(f"{base}-{k}")
            if inc is None or not math.isnan(inc.t_first_arrival):
                continue
            i = int(base.removeprefix("TRAP-flood-G"))
            inc.attrs["at_risk_share"] = max(inc.attrs["at_risk_share"], float(risk[i]))

    def _trapped(
        self, model, t: float, i: int, n: int, share: float, cause: str, risk: float = 1.0
    ) -> None:
        """Log a trapping and hand it to dispatch: a new incident, or more people on an open one.

        Incident ids are fixed by group and cause (``TRAP-flood-G12``), so two plans on one
        seed share each trapping's survival draw (common random numbers).
        """
        res = model.residents
        rp = self.p.rescue
        flood = cause == "flood"
        base = f"TRAP-{cause}-G{i}"
        k = self._trap_seq.get(base, 0)
        open_inc = model.dispatch.incidents.get(f"{base}-{k}") if k else None
        joined = open_inc is not None and math.isnan(open_inc.t_first_arrival)
        inc_id = f"{base}-{k}" if joined else f"{base}-{k + 1}"
        extra = {
            "depth_m": round(float(self.water_m.ravel()[self.trap.flat[i]].max()), 2),
            "at_risk_share": round(risk, 6),
            "at_risk_people": round(n * risk, 3),
        }
        model.log.emit(
            t,
            "people_trapped",
            subject_id=f"G{i}",
            x_m=float(res.home_x[i]),
            y_m=float(res.home_y[i]),
            people=int(n),
            group_people=int(res.people[i]),
            footprint_share=round(share, 3),
            cause=cause,
            incident_id=inc_id if rp.enabled else "",
            **(extra if flood else {}),
        )
        if not rp.enabled:
            return
        if joined:
            before = int(open_inc.attrs["people"])
            open_inc.attrs["people"] = before + int(n)
            if flood:
                # people-weighted at-risk share of the joined trappings
                old = float(open_inc.attrs.get("at_risk_share", 1.0))
                open_inc.attrs["at_risk_share"] = (before * old + n * risk) / (before + n)
                open_inc.work_min = max(
                    rp.flood_min_work_min, open_inc.attrs["people"] * rp.flood_work_min_per_person
                )
            return
        self._trap_seq[base] = k + 1
        model.report_incident(
            "flood_trapped" if flood else "landslide_burial",
            float(res.home_x[i]),
            float(res.home_y[i]),
            domain="flood" if flood else "land",
            needs=rp.flood_needs if flood else rp.landslide_needs,
            priority=rp.priority,
            work_min=max(rp.flood_min_work_min, n * rp.flood_work_min_per_person)
            if flood
            else rp.landslide_work_min,
            incident_id=inc_id,
            people=int(n),
            survival=rp.flood_survival if flood else rp.landslide_survival,
            group=f"G{i}",
            # one 灾情 report per town and cause goes up the chain, not one per trapped group
            report_key=f"{cause}:{res.town[i]}",
            **({"at_risk_share": risk} if flood else {}),
        )

    # -- Natech ----------------------------------------------------------------------
    def tank_depths(self, coastal=None) -> np.ndarray:
        """Flood depth at each tank site: river (HAND from the site level), waterlogging, surge.

        Sites use their surveyed elevation when given: the world DEM is too smooth for a
        reclaimed industrial park on the estuary.
        """
        nm = self.natech
        r, c = nm.rc
        fp = self.floodplain
        site = np.array(
            [
                t.site_elevation_m if t.site_elevation_m is not None else fp.elev[r[k], c[k]]
                for k, t in enumerate(nm.tanks)
            ]
        )
        reach = fp.reach[r, c]
        hand = np.fmax(site - fp.ground_m[reach], 0.0)
        depth = np.fmax(fp.reach_level[reach] - hand, 0.0)  # level is -inf where dry
        depth = np.fmax(depth, self.urban.depth_mm[r, c] / 1000.0)
        if coastal is not None:
            water = coastal.level[
                coastal.nearest_coastal[0][r, c], coastal.nearest_coastal[1][r, c]
            ]
            depth = np.fmax(depth, water - (site + coastal.p.seawall_m))
        return np.fmax(depth, 0.0)

    def _natech(self, model, t: float, wind, u, v, coastal=None) -> None:
        nm = self.natech
        if not nm.tanks:
            return
        for k, cause, pf in nm.failures(self.tank_depths(coastal), wind):
            tk = nm.tanks[k]
            model.log.emit(
                t,
                "tank_failed",
                subject_id=tk.id,
                x_m=float(nm.x[k]),
                y_m=float(nm.y[k]),
                cause=cause,
                p_fail=round(pf, 4),
                flood_depth_m=round(float(nm.peak_depth[k]), 2),
                critical_depth_m=round(float(nm.h_crit[k]), 2),
                wind_m_s=round(float(nm.peak_wind[k]), 1),
            )
            model.log.emit(
                t,
                "natech_release_started",
                subject_id=tk.id,
                chemical=tk.chemical,
                rate_kg_s=tk.release_rate_kg_s,
                inventory_kg=tk.inventory_kg,
            )
        nm.release(self.tick_min * 60.0, u, v)
        res = model.residents
        if res is None or not nm.failed.any():
            return
        from sim.agents.residents import ResidentState

        ppm = nm.ppm_at(res.x, res.y)
        tier = self.p.exposure_aegl_tier
        lim = min(nm.aegl_ppm(k, tier) for k in np.flatnonzero(nm.failed))
        out = res.state != ResidentState.SHELTERED
        if nm.rate_now.any() and self.rain.hour_complete:
            k = int(np.argmax(nm.rate_now))
            model.log.emit(
                t,
                "natech_plume",
                subject_id=nm.tanks[k].id,
                rate_kg_s=round(float(nm.rate_now.sum()), 3),
                wind_m_s=round(float(np.hypot(*nm.wind_now[k])), 1),
                wind_from_deg=round(wind_from_deg(*nm.wind_now[k]), 0),
                max_ppm_at_households=round(float(ppm.max(initial=0.0)), 3),
            )
        new = out & (ppm >= lim) & ~self.exposed_seen
        for i in np.flatnonzero(new).tolist():
            model.log.emit(
                t,
                "natech_exposure",
                subject_id=f"G{i}",
                x_m=float(res.x[i]),
                y_m=float(res.y[i]),
                people=int(res.people[i]),
                ppm=round(float(ppm[i]), 2),
                aegl_tier=tier,
                aegl_ppm=lim,
            )
        self.exposed_seen |= new

    # -- summaries -------------------------------------------------------------------
    def fields(self) -> dict[str, np.ndarray]:
        """Rain and water grids for display and reports."""
        return {
            "rain_mm_h": self.rain.rate,
            "rain_total_mm": self.rain.total,
            "flood_depth_m": self.water_m,
            "landslides": self.slid,
        }

    def summary(self) -> dict:
        """Storm-end numbers for the passage event."""
        land = self.land
        return {
            "rain_total_max_mm": round(float(self.rain.total[land].max(initial=0.0)), 1),
            "rain_total_mean_mm": round(float(self.rain.total[land].mean()), 1),
            "river_flood_cells": int((self.floodplain.max_depth > 0).sum()),
            "waterlogged_cells": int((self.urban.max_depth_mm > 0).sum()),
            "landslide_cells": int(self.slid.sum()),
            "tanks_failed": int(self.natech.failed.sum()),
        }


def _utm(lat: float, lon: float) -> tuple[float, float]:
    from sim.geo import to_utm

    x, y = to_utm(lat, lon)
    return float(x), float(y)
