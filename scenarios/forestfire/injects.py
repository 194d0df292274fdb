"""Params of the forest-fire hazard's MSEL injects (checked by `jmsim validate`).

Mirrors `ForestFireHazard.apply_inject`: `wind_shift` and `weather_change`
replace fields of the fire weather (same ranges as `WeatherParams`), `ignite`
and `spot_fire` start a fire at lat/lon (on burnable land; see `sim.scenario.checks`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from scenarios.forestfire.params import WeatherParams


class _P(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _something(self) -> _P:
        if not self.model_fields_set and type(self).model_fields:
            raise ValueError(f"at least one of {', '.join(type(self).model_fields)}")
        return self


def _weather_subset(name: str, keys: tuple[str, ...]) -> type[BaseModel]:
    fields = WeatherParams.model_fields
    return create_model(
        name,
        __base__=_P,
        **{k: (fields[k].annotation | None, Field(None, **_bounds(fields[k]))) for k in keys},
    )


def _bounds(field) -> dict[str, float]:
    out: dict[str, float] = {}
    for m in field.metadata:
        for attr in ("ge", "le", "gt", "lt"):
            if getattr(m, attr, None) is not None:
                out[attr] = getattr(m, attr)
    return out


WindShiftParams = _weather_subset("WindShiftParams", ("wind_speed_10m_m_s", "wind_from_deg"))
WeatherChangeParams = _weather_subset("WeatherChangeParams", tuple(WeatherParams.model_fields))


class IgniteParams(BaseModel):
    """`ignite` / `spot_fire`: where (and optionally the fire's id)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    fire_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]+$")] | None = None


INJECT_PARAMS: dict[str, Any] = {
    "wind_shift": WindShiftParams,
    "weather_change": WeatherChangeParams,
    "ignite": IgniteParams,
    "spot_fire": IgniteParams,
}


def place_problems(params) -> list[tuple[str, str, float, float]]:
    """(medium, field path, lat, lon) of the hazard block's places.

    Ignitions on burnable land, cameras and lookouts on land, key areas in the world.
    """
    d = params.detection
    return [
        *(("burnable", f"hazard.ignitions[{i}]", ig.lat, ig.lon)
          for i, ig in enumerate(params.ignitions)),
        *(("land", f"hazard.detection.observers[{i}]", o.lat, o.lon)
          for i, o in enumerate(d.observers)),
        *(("any", f"hazard.detection.key_areas[{i}]", a.lat, a.lon)
          for i, a in enumerate(d.key_areas)),
    ]  # fmt: skip
