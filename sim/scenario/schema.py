"""Typed scenario model: what a planner or trainer writes in YAML.

A scenario holds the hazard, the plan (units, bases, depots, shelters, dispatch
and warning rules), the MSEL (timed injects with expected player actions), the
indicators to score and the run settings. Every model forbids unknown fields so
a typo is caught instead of silently ignored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sim.rng import MAX_SEED

NonNeg = Annotated[float, Field(ge=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]
Ident = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]+$", min_length=1, max_length=80)]


class Strict(BaseModel):
    """Base: unknown keys are errors; instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LatLon(Strict):
    """A WGS84 position."""

    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class Meta(Strict):
    """Identity and time frame of the scenario."""

    id: Ident
    title: str
    hazard: Literal["forestfire", "chemical", "typhoon", "scripted"]
    description: str = ""
    start_time: datetime = Field(description="wall-clock time of t=0 (ISO 8601, with offset)")
    duration_h: Annotated[float, Field(gt=0, le=24 * 366 * 10)]
    approximate: list[str] = Field(
        default_factory=list, description="what in this file is approximate"
    )


class WorldSpec(Strict):
    """Which world to run on: the embedded Jiangmen pack, optionally with user GIS layers."""

    pack: Literal["jiangmen", "synthetic"] = "jiangmen"
    dem: str | None = None
    landcover: str | None = None
    boundaries: str | None = None
    roads_osm: str | None = None


class VehicleSpec(Strict):
    """Transport of a unit; speeds in km/h per mode (None = cannot use that mode)."""

    type: Ident
    road_kmh: Annotated[float, Field(gt=0, le=200)] | None = 60.0
    foot_kmh: Annotated[float, Field(gt=0, le=20)] | None = 3.0
    sea_kmh: Annotated[float, Field(gt=0, le=120)] | None = None
    river_kmh: Annotated[float, Field(gt=0, le=120)] | None = None
    air_kmh: Annotated[float, Field(gt=0, le=900)] | None = None
    capacity: Annotated[int, Field(ge=0, le=10000)] = 0


class UnitSpec(Strict):
    """A group of identical response units (teams with their vehicle) at one base."""

    id: Ident
    type: Ident
    count: Annotated[int, Field(ge=1, le=1000)] = 1
    crew: Annotated[int, Field(ge=1, le=2000)] = 5
    capabilities: list[Ident] = Field(min_length=1)
    base: Ident | LatLon
    vehicle: VehicleSpec
    fulltime: bool = True
    meets_standard: bool = True
    equipment: dict[Ident, NonNeg] = Field(default_factory=dict)
    launch_limit_wind_m_s: Annotated[float, Field(gt=0)] | None = None


class DepotSpec(Strict):
    """A relief depot (SimPy Container) with its stock and trucks."""

    facility: Ident
    level: Literal["city", "county", "town"]
    stock_kits: Annotated[int, Field(ge=0)]
    trucks: Annotated[int, Field(ge=0, le=1000)] = 2
    kits_per_truck: Annotated[int, Field(ge=1)] = 500
    load_min: NonNeg = 30.0


class ShelterSpec(Strict):
    """An emergency shelter; capacity in people, usable area in m²."""

    facility: Ident
    capacity_people: Annotated[int, Field(ge=0)]
    area_m2: NonNeg
    urban: bool = False


class DispatchSpec(Strict):
    """How incidents become assignments (policies: see sim/response/dispatch.py)."""

    policy: Literal["earliest_arrival", "nearest", "priority_weighted", "first_free"] = (
        "earliest_arrival"
    )
    auto: bool = True
    call_handling_min: NonNeg = 2.0
    turnout_min: NonNeg = 3.0


class WarningChannel(Strict):
    """One public warning channel: who it reaches, how fast, what breaks it."""

    name: Literal["cell_broadcast", "sms", "loudspeaker", "tv_radio", "door_to_door"]
    reach: Fraction
    delay_min: NonNeg
    needs_power: bool = False
    needs_mobile_network: bool = False


class WarningSpec(Strict):
    """Warning rules: channels and when the warning goes out."""

    channels: list[WarningChannel] = Field(default_factory=list)
    issue_at_min: NonNeg | None = None


class ReportHopSpec(Strict):
    """One level's hop of the incident report up the chain (its duty desk).

    Handling time per report is lognormal (median `median_min`, log-sd `sigma`);
    reports queue for the level's `duty_staff` desks. Without `satellite_phone`
    the hop is `outage_factor` times slower while the public mobile network is
    down at the incident (relay by radio or runner). Defaults: ILLUSTRATIVE.
    """

    median_min: Annotated[float, Field(gt=0, le=24 * 60)] = 15.0
    sigma: Annotated[float, Field(ge=0, le=3)] = 0.5
    duty_staff: Annotated[int, Field(ge=1, le=1000)] = 1
    satellite_phone: bool = False
    deadline_min: Annotated[float, Field(gt=0)] = 120.0


class ReportingSpec(Strict):
    """Incident reports up the chain town → county → city (灾害事故信息上报).

    Deadline defaults: 《生产安全事故报告和调查处理条例》(国务院令第493号) Art. 9 (the
    unit reports to the county level within 1 h) and Art. 10 (逐级上报, each level
    within 2 h): town hop 60 min, county hop 120 min, whole chain 180 min. Delay
    and staffing defaults are ILLUSTRATIVE.
    """

    enabled: bool = True
    deadline_min: Annotated[float, Field(gt=0)] = 180.0
    town: ReportHopSpec = Field(default_factory=lambda: ReportHopSpec(deadline_min=60.0))
    county: ReportHopSpec = Field(
        default_factory=lambda: ReportHopSpec(
            median_min=20.0, duty_staff=2, satellite_phone=True, deadline_min=120.0
        )
    )
    outage_factor: Annotated[float, Field(ge=1, le=100)] = 3.0
    #: Where the delay and staffing figures come from; empty = ILLUSTRATIVE (said on the row).
    source: str = ""


class ForestTeamStock(Strict):
    """A class of forest-fire teams in the city-wide inventory."""

    type: Ident
    count: Annotated[int, Field(ge=0)]
    equipment: dict[Ident, NonNeg] = Field(default_factory=dict)
    meets_standard: bool = True


class InventorySpec(Strict):
    """City-wide inventory behind the static indicators (not the units deployed in this run)."""

    fulltime_firefighters: Annotated[int, Field(ge=0)] | None = None
    urban_shelter_area_m2: NonNeg | None = None
    rain_gauges: Annotated[int, Field(ge=0)] | None = None
    forest_fire_teams: list[ForestTeamStock] = Field(default_factory=list)
    source: str = ""


class PlanSpec(Strict):
    """The emergency plan under test.

    A plan with no units is refused unless it says `baseline: none`: a
    no-response baseline (what happens if nobody responds) run on purpose.
    """

    baseline: Literal["none"] | None = Field(
        default=None, description="'none': a no-response baseline, no units on purpose"
    )
    units: list[UnitSpec] = Field(default_factory=list)
    depots: list[DepotSpec] = Field(default_factory=list)
    shelters: list[ShelterSpec] = Field(default_factory=list)
    dispatch: DispatchSpec = Field(default_factory=DispatchSpec)
    warning: WarningSpec = Field(default_factory=WarningSpec)
    inventory: InventorySpec = Field(default_factory=InventorySpec)
    reporting: ReportingSpec = Field(default_factory=ReportingSpec)
    #: Cost of plan changes for `jmsim advise` (CNY; keys in sim/batch/advise.py DEFAULT_COSTS).
    costs: dict[Ident, NonNeg] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids(self) -> PlanSpec:
        ids = [u.id for u in self.units]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"unit ids must be unique, repeated: {dup}")
        return self


class ResidentsSpec(Strict):
    """How the population becomes agents: one agent per household group."""

    group_size: Annotated[int, Field(ge=1, le=100000)] = 500
    districts: list[int] | Literal["all"] = "all"
    radius_km: Annotated[float, Field(gt=0, le=50)] = 3.0
    walk_kmh: Annotated[float, Field(gt=0, le=20)] = 4.0
    drive_kmh: Annotated[float, Field(gt=0, le=120)] = 30.0


class ExpectedAction(Strict):
    """What players are expected to do after an inject, and by when."""

    action: Ident
    within_min: NonNeg
    note: str = ""


class Inject(Strict):
    """A timed MSEL entry: something the trainer makes happen."""

    id: Ident
    at_min: NonNeg
    kind: Ident
    params: dict[str, Any] = Field(default_factory=dict)
    description: str = ""
    expected_actions: list[ExpectedAction] = Field(default_factory=list)
    capability: str = ""
    """HSEEP core capability the inject tests (`sim.hseep.CORE_CAPABILITIES`)."""


class IndicatorsSpec(Strict):
    """Which indicators to score and which year's targets apply."""

    year: Literal[2023, 2025] = 2025
    include: list[Ident] | Literal["all"] = "all"


class RunSpec(Strict):
    """Run settings."""

    seed: Annotated[int, Field(ge=0, le=MAX_SEED)] = 0
    runs: Annotated[int, Field(ge=1, le=100000)] = 1
    tick_min: Annotated[float, Field(gt=0, le=60)] = 5.0


class RoleSpec(Strict):
    """A trainee seat: the commands it may give and the plan units it controls (empty: all)."""

    commands: list[Ident] = Field(min_length=1)
    units: list[Ident] = Field(default_factory=list)
    description: str = ""


class Scenario(Strict):
    """A whole scenario. `hazard` holds the hazard plugin's own typed model."""

    scenario: Meta
    world: WorldSpec = Field(default_factory=WorldSpec)
    hazard: Any = None
    plan: PlanSpec = Field(default_factory=PlanSpec)
    residents: ResidentsSpec | None = None
    msel: list[Inject] = Field(default_factory=list)
    roles: dict[Ident, RoleSpec] = Field(default_factory=dict)
    indicators: IndicatorsSpec = Field(default_factory=IndicatorsSpec)
    run: RunSpec = Field(default_factory=RunSpec)

    @field_validator("msel")
    @classmethod
    def _msel_ids_unique(cls, v: list[Inject]) -> list[Inject]:
        ids = [i.id for i in v]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"inject ids must be unique, repeated: {dup}")
        return v

    @property
    def duration_min(self) -> float:
        """Scenario length in minutes."""
        return self.scenario.duration_h * 60.0
