"""The YAML ``hazard:`` block of a forest-fire scenario, as typed pydantic models.

Every model forbids unknown keys; the engine prefixes validation errors with
``hazard.`` so a trainer sees e.g. ``hazard.weather.rh_min_pct: ...``.
Numbers that are assumptions say so in their field description.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Pos = Annotated[float, Field(gt=0)]
NonNeg = Annotated[float, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GridParams(_Strict):
    """The fine local grid each fire runs on."""

    cell_m: Annotated[float, Field(ge=10, le=500)] = 50.0
    half_width_km: Annotated[float, Field(gt=0.2, le=20)] = 4.0
    stencil: Literal[8, 16, 32] = 32
    burnout_min: Annotated[float, Field(gt=0, le=1440)] = 60.0
    horizon_min: Annotated[float, Field(gt=10, le=2880)] = 360.0


class WeatherParams(_Strict):
    """Fire weather (one state; MSEL ``wind_shift``/``weather_change`` replace fields)."""

    wind_speed_10m_m_s: Annotated[float, Field(ge=0, le=40)] = 4.0
    wind_from_deg: Annotated[float, Field(ge=0, le=360)] = 45.0
    t_max_c: Annotated[float, Field(ge=-20, le=50)] = 20.0
    t_min_c: Annotated[float, Field(ge=-30, le=40)] = 11.0
    rh_min_pct: Annotated[float, Field(ge=1, le=100)] = 40.0
    days_since_rain: Annotated[float, Field(ge=0, le=365)] = 10.0
    live_herb_pct: Annotated[float, Field(ge=30, le=300)] = 70.0
    live_woody_pct: Annotated[float, Field(ge=50, le=300)] = 100.0

    @model_validator(mode="after")
    def _t_order(self) -> WeatherParams:
        if self.t_min_c > self.t_max_c:
            raise ValueError(f"t_min_c = {self.t_min_c} is above t_max_c = {self.t_max_c}")
        return self


class CanopyParams(_Strict):
    """Forest canopy for the wind adjustment factor (Albini & Baughman 1979, Behave rule).

    Defaults (cover 0.3, crown ratio 0.4) give crown fill 0.04 < 0.05, i.e. Behave
    treats the fuel as unsheltered: an assumption for open South-China pine and
    eucalyptus plantations. Denser stands (e.g. cover 0.5, ratio 0.5) are sheltered.
    """

    cover: Annotated[float, Field(ge=0, le=1)] = 0.3
    height_m: Annotated[float, Field(ge=0, le=60)] = 9.0
    crown_ratio: Annotated[float, Field(ge=0, le=1)] = 0.4


class Ignition(_Strict):
    """A fire start at a place and time (minutes after scenario start)."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]+$")]
    at_min: NonNeg = 0.0
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class ObserverParams(_Strict):
    """A lookout or camera added by the plan (world lookouts are included by default)."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]+$")]
    kind: Literal["lookout", "camera"] = "camera"
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    height_m: Annotated[float, Field(ge=0, le=200)] = 30.0
    range_km: Annotated[float, Field(gt=0, le=60)] = 8.0


class KeyArea(_Strict):
    """A key forest area (重点区域) as a circle."""

    name: str
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    radius_km: Annotated[float, Field(gt=0, le=100)]


class DetectionParams(_Strict):
    """How fires are seen and reported."""

    world_lookouts: bool = True
    lookout_height_m: Annotated[float, Field(ge=0, le=200)] = 20.0
    lookout_range_km: Annotated[float, Field(gt=0, le=60)] = 15.0
    observers: list[ObserverParams] = Field(default_factory=list)
    key_areas: list[KeyArea] = Field(default_factory=list)
    smoke_height_m: Annotated[float, Field(ge=0, le=2000)] = 50.0
    covered_delay_min: Pos = 10.0
    public_delay_min: Pos = 45.0
    report_delay_min: NonNeg = 10.0


class HelicopterParams(_Strict):
    """Bucket drops: each drop wets ``drop_line_m`` of fire edge."""

    drop_line_m: Pos = 40.0
    fill_min: NonNeg = 3.0
    drop_min: NonNeg = 1.0
    flight_hours: tuple[float, float] = (7.0, 18.5)
    flame_limit_m: Pos = 3.4


class SuppressionParams(_Strict):
    """Tactics and limits of suppression."""

    ground_units: Annotated[int, Field(ge=0, le=10000)] = 1000
    air_units: Annotated[int, Field(ge=0, le=100)] = 3
    reinforce_min: Annotated[float, Field(gt=0, le=1440)] | None = Field(
        None,
        description="while a fire is not contained, ask for ground_units more units this often "
        "(扩大响应 escalation; None = one request per fire). A drill setting.",
    )
    max_ground_units: Annotated[int, Field(ge=1, le=10000)] = 10000
    line_update_min: Annotated[float, Field(ge=1, le=240)] = 15.0
    hand_flame_limit_m: Pos = 1.2
    water_flame_limit_m: Pos = 2.4
    engine_hose_reach_m: Pos = 400.0
    max_shift_min: Pos = 24 * 60.0
    mopup_min: NonNeg = 120.0
    helicopter: HelicopterParams = Field(default_factory=HelicopterParams)

    @model_validator(mode="after")
    def _cap_above_first_request(self) -> SuppressionParams:
        if self.reinforce_min is not None and self.max_ground_units < self.ground_units:
            raise ValueError(
                f"max_ground_units = {self.max_ground_units} is below ground_units = "
                f"{self.ground_units}: escalation could never add a unit"
            )
        return self


class ThreatParams(_Strict):
    """When villages are warned and evacuated ahead of the front."""

    lead_min: Pos = 120.0
    buffer_m: NonNeg = 300.0
    check_min: Pos = 15.0
    exposure_threshold_kw_m: NonNeg = 1.0
    return_distance_m: Annotated[float, Field(gt=0, le=20000)] = Field(
        2000.0,
        description="all-clear: no burning cell within this distance of a home (ILLUSTRATIVE)",
    )
    return_quiet_min: Annotated[float, Field(gt=0, le=10080)] = Field(
        240.0,
        description="all-clear: minutes a home must have had no fire near it and no "
        "uncontained fire threatening it before its group goes home (ILLUSTRATIVE)",
    )


class MonthWeather(_Strict):
    """Typical fire weather of a month (for the season's random fires)."""

    t_max_c: Annotated[float, Field(ge=-20, le=50)]  # same bounds as WeatherParams
    t_min_c: Annotated[float, Field(ge=-30, le=40)]
    rh_min_pct: Annotated[float, Field(ge=1, le=100)]
    wind_10m_m_s: Annotated[float, Field(ge=0, le=40)]
    wind_from_deg: Annotated[float, Field(ge=0, le=360)]
    days_since_rain: Annotated[float, Field(ge=0, le=365)]
    live_herb_pct: Annotated[float, Field(ge=30, le=300)] = 90.0
    live_woody_pct: Annotated[float, Field(ge=50, le=300)] = 120.0


class SeasonParams(_Strict):
    """Random ignitions over the run: a Poisson process with monthly seasonality."""

    fires_per_year: Annotated[float, Field(gt=0, le=10000)]
    monthly_share: list[NonNeg] = Field(min_length=12, max_length=12)
    months: list[MonthWeather] = Field(min_length=12, max_length=12)
    town_scale_km: Pos = 5.0
    weather_jitter: Annotated[float, Field(ge=0, le=1)] = 0.2

    @field_validator("monthly_share")
    @classmethod
    def _sums_to_one(cls, v: list[float]) -> list[float]:
        if abs(sum(v) - 1.0) > 0.01:
            raise ValueError(f"monthly_share must sum to 1 (got {sum(v):.3f})")
        return v


class ForestFireParams(_Strict):
    """YAML block ``hazard:`` for ``scenario.hazard: forestfire``."""

    type: Literal["forestfire"] = "forestfire"
    tick_min: Annotated[float, Field(gt=0, le=60)] = 5.0
    grid: GridParams = Field(default_factory=GridParams)
    weather: WeatherParams = Field(default_factory=WeatherParams)
    canopy: CanopyParams = Field(default_factory=CanopyParams)
    fuel_map: dict[int, str] = Field(default_factory=dict)
    moisture_update_min: Pos = 60.0
    ignitions: list[Ignition] = Field(default_factory=list)
    season: SeasonParams | None = None
    detection: DetectionParams = Field(default_factory=DetectionParams)
    suppression: SuppressionParams = Field(default_factory=SuppressionParams)
    threat: ThreatParams = Field(default_factory=ThreatParams)
    state_every_min: Pos = 60.0

    @model_validator(mode="after")
    def _some_fire(self) -> ForestFireParams:
        if not self.ignitions and self.season is None:
            raise ValueError("give at least one entry in ignitions or a season block")
        ids = [i.id for i in self.ignitions]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"ignition ids must be unique, repeated: {dup}")
        return self
