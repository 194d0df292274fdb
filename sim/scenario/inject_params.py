"""What each engine inject kind takes as `params`, as pydantic models (one table).

`sim.model.DrillModel.apply_inject` reads these keys at run time; validating
them here means a bad inject is reported by `validate` instead of failing (or
being ignored) hours into a run. Hazard plug-ins add their own kinds through an
optional `inject_params` table of the same shape.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Lat = Annotated[float, Field(ge=-90, le=90)]
Lon = Annotated[float, Field(ge=-180, le=180)]


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class _Point(_Params):
    """A place as lat/lon (WGS84) or x_m/y_m (UTM 49N metres)."""

    lat: Lat | None = None
    lon: Lon | None = None
    x_m: float | None = None
    y_m: float | None = None

    @model_validator(mode="after")
    def _one_place(self) -> _Point:
        latlon = self.lat is not None and self.lon is not None
        xy = self.x_m is not None and self.y_m is not None
        if not (latlon or xy):
            raise ValueError("the place: lat and lon (or x_m and y_m)")
        return self


class IncidentParams(_Point):
    """`incident`: a call for help at a place."""

    incident_kind: Annotated[str, Field(min_length=1)] = "rescue"
    domain: Literal["land", "sea", "river", "flood", "air"] = "land"
    needs: Annotated[str, Field(min_length=1)] = "general"
    priority: Annotated[int, Field(ge=0, le=9)] = 5
    units_needed: Annotated[int, Field(ge=1, le=50)] = 1
    work_min: Annotated[float, Field(ge=0, le=10_000)] = 60.0


class GroupsParams(_Params):
    """`warning` / `evacuation_order` / `shelter_order`: which resident groups (default all)."""

    districts: list[int] | None = None
    lat: Lat | None = None
    lon: Lon | None = None
    radius_km: Annotated[float, Field(gt=0, le=200)] = 5.0


class UnitParams(_Params):
    """`unit_breakdown` / `unit_restored`: which unit."""

    unit_id: Annotated[str, Field(min_length=1)]


class NoParams(_Params):
    """Kinds that take no parameters."""


class RoadParams(_Point):
    """`road_block` / `road_reopen`: roads within `radius_km` of a place."""

    radius_km: Annotated[float, Field(gt=0, le=50)] = 0.5


class AnyParams(BaseModel):
    """`note`: free text for the log; anything goes."""

    model_config = ConfigDict(extra="allow", frozen=True)


#: Engine inject kinds → their params model.
CORE_INJECT_PARAMS: dict[str, type[BaseModel]] = {
    "incident": IncidentParams,
    "warning": GroupsParams,
    "evacuation_order": GroupsParams,
    "shelter_order": GroupsParams,
    "unit_breakdown": UnitParams,
    "unit_restored": UnitParams,
    "relief_release": NoParams,
    "note": AnyParams,
    "road_block": RoadParams,
    "road_reopen": RoadParams,
}


def inject_params_table(plugin: Any = None) -> dict[str, type[BaseModel]]:
    """All inject kinds valid for a hazard plug-in: the engine's and the plug-in's own."""
    return {**CORE_INJECT_PARAMS, **(getattr(plugin, "inject_params", None) or {})}
