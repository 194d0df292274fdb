"""The ``hazard.chain:`` block of a typhoon scenario: rain, rivers, floods, slides, tanks.

Defaults marked *illustrative* are drill settings without local calibration; the shipped
chain scenarios list them in their ``approximate:`` notes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Pos = Annotated[float, Field(gt=0)]
NonNeg = Annotated[float, Field(ge=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]
#: Survival curves of sim/response/survival.py (CURVES).
Curve = Literal["trapped", "immersion", "vessel", "injured", "cut_off"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RainSpell(_Strict):
    """Scripted uniform rain (e.g. a monsoon trough rainstorm) from ``from_h`` to ``to_h``.

    ``urban_only``: the rain falls on urban cells only (a convective cloudburst over the
    town centres, which waterlogs streets without adding a basin-wide flood volume).
    """

    from_h: NonNeg
    to_h: Pos
    mm_h: NonNeg
    urban_only: bool = False

    @model_validator(mode="after")
    def _order(self) -> RainSpell:
        if not self.from_h < self.to_h:
            raise ValueError(f"from_h={self.from_h} must be before to_h={self.to_h}")
        return self


class Rain(_Strict):
    """R-CLIPER rain with orographic lift plus scripted spells; ``scale`` multiplies all rain."""

    orographic: bool = True
    q_sat: Annotated[float, Field(gt=0, le=0.04)] = 0.02
    orographic_smooth_km: NonNeg = 10.0
    scale: NonNeg = 1.0
    spells: list[RainSpell] = Field(default_factory=list)


class River(_Strict):
    """Channel of one named river of the world graph (all *illustrative* unless cited)."""

    name: str
    width_m: Pos
    slope: Annotated[float, Field(gt=0, lt=0.1)]
    manning_n: Annotated[float, Field(gt=0.005, lt=0.2)] = 0.03
    design_q_m3s: Pos
    base_q_m3s: NonNeg = 0.0


class Diversion(_Strict):
    """A distributary taking a fixed share of a river's flow (e.g. 江门水道 off 西江)."""

    from_river: str
    to_river: str
    share: Fraction


class Gauge(_Strict):
    """A river gauge: stage in its datum against its warning and guarantee levels."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]+$")]
    name: str
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    normal_m: float
    warning_m: float
    guarantee_m: float
    source: str = ""

    @model_validator(mode="after")
    def _levels(self) -> Gauge:
        if not self.normal_m < self.warning_m < self.guarantee_m:
            raise ValueError(
                f"gauge {self.id}: expected normal_m < warning_m < guarantee_m, got "
                f"{self.normal_m}, {self.warning_m}, {self.guarantee_m}"
            )
        return self


class FloodWarningRule(_Strict):
    """When the hydrological service warns of a flood at a gauge (flood_warning.py)."""

    lead_h: NonNeg = 6.0
    trend_h: Pos = 2.0
    issue_delay_min: NonNeg = 30.0
    source: str = ""


class Hydrology(_Strict):
    """Runoff, routing and flooding settings."""

    soil_group: Literal["A", "B", "C", "D"] = "C"
    initial_abstraction_ratio: Annotated[float, Field(gt=0, le=0.3)] = 0.2
    catchment_km: Pos = 40.0
    hillslope_lag_h: Pos = 6.0
    celerity_m_s: Pos = 1.5
    muskingum_x: Annotated[float, Field(ge=0, le=0.5)] = 0.2
    rivers: list[River] = Field(default_factory=list)
    diversion: Diversion | None = None
    gauges: list[Gauge] = Field(default_factory=list)
    flood_warning: FloodWarningRule | None = None
    floodplain_km: Pos = 5.0
    floodplain_pool_km: Pos = 10.0  # river length sharing one floodplain level (illustrative)
    levee_m: NonNeg = 0.0
    drainage_capacity_mm_h: Pos = 36.0
    ponding_share: Annotated[float, Field(gt=0, le=1)] = 1.0
    road_cut_depth_m: Pos = 0.3
    flood_velocity: Literal["none", "lower", "upper"] = "none"
    trap_depth_m: Pos = 1.0

    def river_for(self, name: str) -> River:
        """Channel settings of the river called ``name`` (error if the scenario lacks it)."""
        for r in self.rivers:
            if r.name == name:
                return r
        raise ValueError(
            f"hazard.chain.hydrology.rivers: no entry for world river {str(name)!r}; "
            f"expected one per river ({[r.name for r in self.rivers]})"
        )


class Landslides(_Strict):
    """Caine (1980) threshold x slope susceptibility (slope limits *illustrative*)."""

    enabled: bool = True
    event_min_rate_mm_h: Pos = 1.0
    slope_lo_deg: NonNeg = 2.0
    slope_hi_deg: Pos = 8.0
    p_max: Fraction = 0.5
    bury_share: Fraction = 0.01

    @model_validator(mode="after")
    def _slopes(self) -> Landslides:
        if not self.slope_lo_deg < self.slope_hi_deg:
            raise ValueError("slope_lo_deg must be below slope_hi_deg")
        return self


class Tank(_Strict):
    """A storage tank at a chemical park (geometry and fragility *illustrative*)."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]+$")]
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    chemical: str
    inventory_kg: Pos
    release_rate_kg_s: Pos
    diameter_m: Pos
    height_m: Pos
    shell_mass_kg: Pos
    fill_fraction: Fraction = 0.5
    liquid_density_kg_m3: Pos = 1000.0
    flood_beta: Annotated[float, Field(gt=0, le=2)] = 0.3
    wind_median_m_s: Pos = 60.0
    wind_beta: Annotated[float, Field(gt=0, le=2)] = 0.2
    site_elevation_m: float | None = Field(
        None, description="surveyed ground level of the tank site; None = the (coarse) world DEM"
    )


class Rescue(_Strict):
    """Trapped and buried people: how they are counted and the rescue incidents they make.

    Counting rule: ``scenarios/typhoon/hydro/trapping.py``; of the flood-trapped, the share at
    mortal risk is Jonkman's depth-mortality function (``hydro/mortality.py``). Survival curves are those of
    ``sim/response/survival.py`` (flood: ``cut_off``, isolated by water; landslide:
    ``trapped``, Tangshan collapse data). Work times are *illustrative*.
    """

    enabled: bool = True
    footprint_cells: Annotated[int, Field(ge=0, le=3)] = 1
    min_people: Annotated[int, Field(ge=1)] = 10
    min_people_buried: Annotated[int, Field(ge=1)] = 1
    flood_needs: str = "water_rescue"
    flood_survival: Curve = "cut_off"
    # Share of the flood-trapped at mortal risk: Jonkman et al. 2008 (Nat. Hazards 46:353-389)
    # / Jonkman 2007 (TU Delft thesis) remaining-zone mortality F_D(h) = Phi((ln h - mu_N) / sigma_N)
    # by water depth h (hydro/mortality.py); None = every trapped person is at risk.
    flood_mortality: Literal["jonkman_remaining_zone"] | None = "jonkman_remaining_zone"
    mortality_mu_n: float = 7.60  # Jonkman et al. 2008, remaining zone
    mortality_sigma_n: Pos = 2.75  # Jonkman et al. 2008, remaining zone
    flood_work_min_per_person: NonNeg = 0.5
    flood_min_work_min: NonNeg = 30.0
    landslide_needs: str = "rescue"
    landslide_survival: Curve = "trapped"
    landslide_work_min: NonNeg = 180.0
    priority: Annotated[int, Field(ge=1, le=9)] = 1


class Chain(_Strict):
    """YAML ``hazard.chain:``: the typhoon's rain and what follows from it."""

    rain: Rain = Rain()
    hydrology: Hydrology = Hydrology()
    landslides: Landslides = Landslides()
    rescue: Rescue = Rescue()
    tanks: list[Tank] = Field(default_factory=list)
    exposure_aegl_tier: Literal[1, 2, 3] = 2
