"""Params of the chemical hazard's MSEL injects (checked by `jmsim validate`).

Mirrors `ChemicalHazard.apply_inject`: `wind_shift` (any of wind, direction,
stability), `source_isolated` (none), `release_rate_change` (kg/s) and
`zone_order` (a `ZoneOrder` without its time, which is the inject's).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from scenarios.chemical.params import ZoneOrder
from scenarios.chemical.stability import validate_class


class _P(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class WindShiftParams(_P):
    """`wind_shift`: fields left out keep their value; at least one is given."""

    wind_m_s: Annotated[float, Field(gt=0, le=50)] | None = None
    wind_from_deg: Annotated[float, Field(ge=0, le=360)] | None = None
    stability: str | None = None

    @field_validator("stability")
    @classmethod
    def _cls(cls, v: str | None) -> str | None:
        return None if v is None else validate_class(v)

    @model_validator(mode="after")
    def _something(self) -> WindShiftParams:
        if self.wind_m_s is None and self.wind_from_deg is None and self.stability is None:
            raise ValueError("at least one of wind_m_s, wind_from_deg, stability")
        return self


class SourceIsolatedParams(_P):
    """`source_isolated`: no parameters."""


class RateChangeParams(_P):
    """`release_rate_change`: the new release rate."""

    rate_kg_s: Annotated[float, Field(ge=0, le=10_000)]


#: `zone_order`: a protective-action order for a threat zone, at the inject's time.
ZoneOrderParams = create_model(
    "ZoneOrderParams",
    __base__=_P,
    **{k: (f.annotation, f) for k, f in ZoneOrder.model_fields.items() if k != "at_min"},
)

INJECT_PARAMS: dict[str, Any] = {
    "wind_shift": WindShiftParams,
    "source_isolated": SourceIsolatedParams,
    "release_rate_change": RateChangeParams,
    "zone_order": ZoneOrderParams,
}


def place_problems(params) -> list[tuple[str, str, float, float]]:
    """(medium, field path, lat, lon) of the places the hazard block names: the source is on land."""
    r = params.release
    return [("land", "hazard.release", float(r.lat), float(r.lon))]
