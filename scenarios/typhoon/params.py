"""The `hazard:` block of a typhoon scenario, as frozen pydantic models.

Every number a planner may want to change lives here with its unit; unknown
keys are errors so a typo never silently falls back to a default. Defaults
marked *illustrative* have no local calibration and are listed in each
shipped scenario's ``approximate:`` notes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scenarios.typhoon.damage import V_HALF_M_S, V_THRESH_M_S
from scenarios.typhoon.hydro.params import Chain
from scenarios.typhoon.track import STORMS

Pos = Annotated[float, Field(gt=0)]
NonNeg = Annotated[float, Field(ge=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TrackVariant(_Strict):
    """Synthetic variant of the historical track (stress tests)."""

    # A shift beyond ~1,000 km moves the storm out of the region the track data describe.
    shift_east_km: Annotated[float, Field(ge=-1000, le=1000)] = 0.0
    shift_north_km: Annotated[float, Field(ge=-1000, le=1000)] = 0.0
    intensity_factor: Annotated[float, Field(gt=0.2, le=3.0)] = 1.0
    intensity_mode: Literal["dp", "vmax"] = "vmax"
    speed_factor: Annotated[float, Field(gt=0.1, le=10.0)] = 1.0
    # Forecast error between the forecast the orders were issued on and the storm that
    # came (issue 13 uncertainty; see the scenario's uncertainty notes for sources):
    cross_track_km: Annotated[float, Field(ge=-500, le=500)] = 0.0  # right of motion
    time_shift_h: Annotated[float, Field(ge=-48, le=48)] = 0.0  # + = storm later than forecast
    holland_b_factor: Annotated[float, Field(gt=0.5, le=1.5)] = 1.0
    rmax_factor: Annotated[float, Field(gt=0.3, le=3.0)] = 1.0


class Fragility(_Strict):
    """Lognormal fragility P(fail | v) = Phi(ln(v / median) / beta) on the peak 1-min wind."""

    median_m_s: Pos
    beta: Annotated[float, Field(gt=0, le=2)] = 0.25


class Outages(_Strict):
    """Power and mobile-network failures by wind (illustrative fragilities)."""

    power: Fragility = Fragility(median_m_s=38.0, beta=0.25)
    mobile: Fragility = Fragility(median_m_s=45.0, beta=0.25)
    battery_h: NonNeg = 3.0
    power_restore_h: Annotated[tuple[float, float], Field()] = (6.0, 36.0)
    mobile_restore_h: Annotated[tuple[float, float], Field()] = (2.0, 12.0)
    work_wind_m_s: Pos = 17.2


class RoadDamage(_Strict):
    """Fallen trees and landslides closing road edges (illustrative rates)."""

    tree_per_km: NonNeg = 0.06
    tree: Fragility = Fragility(median_m_s=35.0, beta=0.3)
    landslide_per_km: NonNeg = 0.03
    landslide: Fragility = Fragility(median_m_s=35.0, beta=0.3)
    slope_ref_deg: Pos = 3.0
    clear_h: Annotated[tuple[float, float], Field()] = (2.0, 12.0)
    closed_speed_kmh: Pos | None = 5.0
    work_wind_m_s: Pos = 17.2


class Surge(_Strict):
    """Planning-level surge (inverse barometer + linear wind setup) and coastal flooding."""

    enabled: bool = True
    depth_m: Pos = 10.0
    shelf_width_km: Pos = 30.0
    tide_m: Annotated[float, Field(ge=-10, le=10)] = 0.0
    seawall_m: NonNeg = 1.0
    inland_km: Pos = 3.0


class Impacts(_Strict):
    """Damage, displacement, casualties and direct loss after the storm's passage."""

    v_half_m_s: Annotated[float, Field(gt=V_THRESH_M_S)] = V_HALF_M_S["WP3_TDR"]
    v_thresh_m_s: Pos = V_THRESH_M_S
    p_fatal_at_total: Fraction = 0.01
    fatal_exponent: Pos = 2.0
    gdp_cny: Pos = 4.02225e11
    assets_to_gdp: Pos = 3.0


class Zone(_Strict):
    """Which resident groups an order covers; all given criteria must hold."""

    districts: list[int] | None = None
    coast_km: Pos | None = None
    max_elevation_m: float | None = None
    max_hand_m: NonNeg | None = Field(
        None,
        description="flood zone: homes on the river floodplain at most this high above the river (needs chain)",
    )


class TimedOrder(_Strict):
    """An order issued `lead_h` hours before landfall to a zone."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]+$")]
    lead_h: Annotated[float, Field(ge=-240, le=240)]  # hours before landfall (negative: after)
    zone: Zone = Zone()


class SeaIncidents(_Strict):
    """Fishing boats still at sea / ships in distress, timed relative to landfall."""

    within_12nm: Annotated[int, Field(ge=0, le=500)] = 6
    beyond_12nm: Annotated[int, Field(ge=0, le=500)] = 2
    window_h: tuple[float, float] = (-18.0, 6.0)
    work_min: NonNeg = 60.0
    needs: str = "sea_rescue"


class RiverIncidents(_Strict):
    """Incidents on 潭江, 银洲湖 and 西江 (river graph), timed relative to landfall."""

    count: Annotated[int, Field(ge=0, le=500)] = 4
    window_h: tuple[float, float] = (-6.0, 12.0)
    work_min: NonNeg = 45.0
    needs: str = "water_rescue"


class Comms(_Strict):
    """Scene communications: who restores them and how fast."""

    sat_phone_restore_min: NonNeg = 10.0
    comms_capability: str = "emergency_comms"


class TyphoonParams(_Strict):
    """YAML block `hazard:` for `scenario.hazard: typhoon`."""

    type: Literal["typhoon"] = "typhoon"
    storm: str
    variant: TrackVariant = TrackVariant()
    tick_min: Annotated[float, Field(ge=5, le=60)] = 20.0
    wind_model: Literal["H08", "H1980"] = "H08"
    land_factor: Annotated[float, Field(gt=0, le=1)] = 1.0
    extrapolate_h: Annotated[float, Field(ge=0, le=48)] = 12.0
    exposure_wind_m_s: Pos = V_THRESH_M_S
    relief_release_wind_m_s: Pos = 17.2
    relief_lead_h: float | None = None
    outages: Outages = Outages()
    roads: RoadDamage = RoadDamage()
    surge: Surge = Surge()
    impacts: Impacts = Impacts()
    warnings: list[TimedOrder] = Field(default_factory=list)
    evacuations: list[TimedOrder] = Field(default_factory=list)
    five_stops_lead_h: float | None = None
    sea: SeaIncidents = SeaIncidents()
    river: RiverIncidents = RiverIncidents()
    comms: Comms = Comms()
    chain: Chain | None = None

    def not_modelled_indicators(self) -> dict[str, str]:
        """Rows this scenario cannot measure for want of a part (scorecard hook)."""
        h = self.chain.hydrology if self.chain is not None else None
        if h is None or not h.gauges or h.flood_warning is None:
            return {
                "flood_warning_issue_rate": "this typhoon scenario has no river gauges with a "
                "flood-warning rule (hazard.chain.hydrology.gauges and flood_warning)"
            }
        return {}

    @model_validator(mode="after")
    def _check(self) -> TyphoonParams:
        if self.storm not in STORMS:
            raise ValueError(f"storm={self.storm!r} unknown; expected one of {list(STORMS)}")
        for name, lo_hi in (
            ("outages.power_restore_h", self.outages.power_restore_h),
            ("outages.mobile_restore_h", self.outages.mobile_restore_h),
            ("roads.clear_h", self.roads.clear_h),
            ("sea.window_h", self.sea.window_h),
            ("river.window_h", self.river.window_h),
        ):
            if not lo_hi[0] <= lo_hi[1]:
                raise ValueError(f"{name}={list(lo_hi)}: expected [low, high] with low <= high")
        if self.chain is None:
            for o in [*self.warnings, *self.evacuations]:
                if o.zone.max_hand_m is not None:
                    raise ValueError(
                        f"order {o.id}: zone.max_hand_m needs hazard.chain (rivers and floodplain)"
                    )
        ids = [o.id for o in [*self.warnings, *self.evacuations]]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"warning/evacuation order ids must be unique, repeated: {dup}")
        return self
