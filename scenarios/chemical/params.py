"""The `hazard:` block of a chemical-leak scenario, as a typed pydantic model.

Everything a trainer sets lives here: the substance, where and how it leaks
(rate and duration, a mass, or a hole in a tank by the orifice equation), the
weather and its scripted changes, how people and buildings respond, what the
response sends, and the exercise thresholds the scorecard applies. Unknown keys
are errors, so a typo is caught, and every error names its field.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scenarios.chemical.chemicals import get_chemical
from scenarios.chemical.source import P_ATM
from scenarios.chemical.stability import pasquill_class, validate_class

Pos = Annotated[float, Field(gt=0)]
NonNeg = Annotated[float, Field(ge=0)]
Zone = Literal["aegl1", "aegl2", "aegl3"]


class Strict(BaseModel):
    """Unknown keys are errors; instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Orifice(Strict):
    """A hole in a tank or pipe: the release rate follows from the orifice equation.

    ``liquid``: Bernoulli liquid outflow (Crowl & Louvar eq. 4-6, CCPS 1999),
    no flashing. ``gas``: ideal-gas choked/unchoked flow (Crowl & Louvar 4-50/4-52).
    """

    phase: Literal["liquid", "gas"]
    hole_diameter_m: Annotated[float, Field(gt=0, le=2)]
    pressure_pa: Annotated[
        float,
        Field(gt=P_ATM, description="absolute pressure upstream; above atmospheric (101325 Pa)"),
    ]
    liquid_density_kg_m3: Pos | None = None
    liquid_head_m: NonNeg = 0.0
    temperature_k: Pos = 298.15
    heat_capacity_ratio: Annotated[float, Field(gt=1, le=2)] = 1.3
    discharge_coefficient: Annotated[float, Field(gt=0, le=1)] | None = None

    @model_validator(mode="after")
    def _density_for_liquid(self) -> Orifice:
        if self.phase == "liquid" and self.liquid_density_kg_m3 is None:
            raise ValueError("phase 'liquid' needs liquid_density_kg_m3 (kg/m3)")
        return self


class Release(Strict):
    """Source term: continuous (rate, duration, or an orifice) or instantaneous (mass)."""

    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    kind: Literal["continuous", "instantaneous"] = "continuous"
    rate_kg_s: Pos | None = None
    orifice: Orifice | None = None
    duration_min: Pos | None = Field(
        None, description="continuous: release stops after this unless isolated earlier"
    )
    inventory_kg: Pos | None = Field(None, description="continuous: stops when this is spent")
    mass_kg: Pos | None = None
    start_min: NonNeg = 0.0
    height_m: Annotated[float, Field(ge=0, le=500)] = 0.0

    @model_validator(mode="after")
    def _complete(self) -> Release:
        if self.kind == "continuous":
            if (self.rate_kg_s is None) == (self.orifice is None):
                raise ValueError("continuous release needs exactly one of rate_kg_s or orifice")
            if self.mass_kg is not None:
                raise ValueError("mass_kg is for instantaneous releases; use rate_kg_s")
        else:
            if self.mass_kg is None:
                raise ValueError("instantaneous release needs mass_kg")
            if self.rate_kg_s is not None or self.orifice is not None:
                raise ValueError("instantaneous release takes mass_kg, not rate_kg_s/orifice")
        return self


class WindChange(Strict):
    """Scripted weather change at `at_min` (fields left out keep their value)."""

    at_min: NonNeg
    wind_m_s: Annotated[float, Field(gt=0, le=50)] | None = None
    wind_from_deg: Annotated[float, Field(ge=0, lt=360)] | None = None
    stability: str | None = None

    @field_validator("stability")
    @classmethod
    def _cls(cls, v: str | None) -> str | None:
        return None if v is None else validate_class(v)


class Weather(Strict):
    """10 m wind and Pasquill-Gifford stability (given, or derived from sky and time)."""

    wind_m_s: Annotated[float, Field(gt=0, le=50)]
    wind_from_deg: Annotated[float, Field(ge=0, lt=360)]
    stability: str | None = None
    daytime: bool | None = None
    insolation: Literal["strong", "moderate", "slight"] | None = None
    cloud_fraction: Annotated[float, Field(ge=0, le=1)] = 0.0
    urban: bool = False
    changes: list[WindChange] = Field(default_factory=list)

    @field_validator("stability")
    @classmethod
    def _cls(cls, v: str | None) -> str | None:
        return None if v is None else validate_class(v)

    @model_validator(mode="after")
    def _derivable(self) -> Weather:
        if self.stability is None and self.daytime is None:
            raise ValueError("give stability (A-F) or daytime (+ insolation by day) to derive it")
        return self

    def stability_class(self) -> str:
        """The class given, or Pasquill (1961) from wind, insolation, cloud and day/night."""
        if self.stability is not None:
            return self.stability
        return pasquill_class(
            self.wind_m_s,
            daytime=bool(self.daytime),
            insolation=self.insolation,
            cloud_fraction=self.cloud_fraction,
        )


class ZoneOrder(Strict):
    """A protective-action order for the groups inside a threat zone at `at_min`."""

    at_min: NonNeg
    action: Literal["evacuate", "shelter_in_place"]
    zone: Zone = "aegl2"
    forecast_min: Annotated[float, Field(gt=0, le=600)] = 60.0


class People(Strict):
    """Buildings and protective-action orders.

    ACH defaults follow :func:`scenarios.chemical.indoor.ach_from_building`
    (project planning values, approximate): 5/h windows open, 0.5/h average
    house with windows and doors shut.
    """

    reach_tier: Literal[1, 2, 3] = Field(
        2,
        description="outdoor AEGL tier at which the engine counts a group as reached by the "
        "hazard (warning coverage; such groups no longer start an evacuation)",
    )
    ach_normal_per_h: NonNeg = 5.0
    ach_shelter_per_h: NonNeg = 0.5
    orders: list[ZoneOrder] = Field(default_factory=list)
    clearance_min: Annotated[float, Field(gt=0, le=1440)] = Field(
        60.0,
        description="all-clear: minutes the outdoor air at a home must stay below AEGL-1 after "
        "the release ended before its group goes home (ILLUSTRATIVE)",
    )


class Traffic(Strict):
    """Evacuation traffic on the road graph (see `sim.response.traffic`)."""

    enabled: bool = True
    persons_per_vehicle: Annotated[float, Field(gt=0, le=60)] = 2.5
    avoid_zone: Zone | None = "aegl1"
    avoid_penalty: Annotated[float, Field(ge=1, le=1000)] = 5.0
    close_roads_zone: Zone | None = "aegl2"
    close_roads_at_min: NonNeg | None = None
    close_shelters_zone: Zone | None = "aegl1"


class Response(Strict):
    """What the leak report triggers through the dispatch queue."""

    report_delay_min: NonNeg = 5.0
    hazmat_needs: str = "hazmat"
    hazmat_units: Annotated[int, Field(ge=1, le=20)] = 1
    isolation_work_min: Pos = 30.0
    fire_needs: str | None = "fire"
    fire_units: Annotated[int, Field(ge=0, le=20)] = 1
    medical_needs: str | None = "ambulance"
    casualty_share_aegl2: Annotated[float, Field(ge=0, le=1)] = 0.01
    casualty_share_aegl3: Annotated[float, Field(ge=0, le=1)] = 0.2
    load_min: NonNeg = 10.0


class Targets(Strict):
    """Exercise thresholds the scorecard applies (a trainer's choice, not the plan's)."""

    aegl2_zone_protected_h: Pos = 1.0
    people_above_aegl2: NonNeg = 0.0
    people_above_aegl3: NonNeg = 0.0
    first_hazmat_arrival_h: Pos = 0.5
    source_shutoff_h: Pos = 1.5


class Grid(Strict):
    """Local display grid around the source."""

    half_width_km: Annotated[float, Field(gt=0, le=60)] = 15.0
    cell_m: Annotated[float, Field(ge=20, le=2000)] = 200.0


class ChemicalParams(Strict):
    """YAML block `hazard:` for `scenario.hazard: chemical`."""

    type: Literal["chemical"] = "chemical"
    chemical: str
    source_name: str = ""
    release: Release
    weather: Weather
    people: People = Field(default_factory=People)
    traffic: Traffic = Field(default_factory=Traffic)
    response: Response = Field(default_factory=Response)
    targets: Targets = Field(default_factory=Targets)
    grid: Grid = Field(default_factory=Grid)
    tick_min: Annotated[float, Field(gt=0, le=10)] = 1.0
    puffs_per_min: Annotated[int, Field(ge=1, le=120)] = 6
    aegl_duration_min: Literal[10, 30, 60] = 60
    max_travel_km: Annotated[float, Field(gt=0, le=200)] = 40.0

    @field_validator("chemical")
    @classmethod
    def _known(cls, v: str) -> str:
        return get_chemical(v).name

    @field_validator("tick_min")
    @classmethod
    def _divides_ten(cls, v: float) -> float:
        steps = 10.0 / v
        if abs(steps - round(steps)) > 1e-9:
            raise ValueError(f"tick_min must divide 10 min (AEGL windows), got {v}")
        return v

    def indicator_targets(self) -> dict[str, float]:
        """Scorecard targets by indicator id (hook read by the scorecard)."""
        t = self.targets
        return {
            "chem_aegl2_zone_protected_time": t.aegl2_zone_protected_h,
            "chem_people_above_aegl2": t.people_above_aegl2,
            "chem_people_above_aegl3": t.people_above_aegl3,
            "chem_first_hazmat_arrival": t.first_hazmat_arrival_h,
            "chem_source_shutoff_time": t.source_shutoff_h,
        }
