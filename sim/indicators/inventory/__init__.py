"""The shipped city-wide Jiangmen inventory behind the static indicators.

Static rows of 专栏2 describe the whole city's standing resources, never the
units one drill deploys. `load_inventory()` reads the cited `jiangmen.yaml`
(every figure has a `source` or is flagged `illustrative`); `for_scenario()`
lets a scenario's `plan.inventory` override single figures and records that.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

HERE = Path(__file__).parent
DEFAULT_FILE = HERE / "jiangmen.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Figure(_Strict):
    """One number with where it comes from."""

    value: float
    source: str = ""
    illustrative: bool = False
    note: str = ""

    def provenance(self) -> str:
        """'source: …' or 'ILLUSTRATIVE (…)' for the scorecard detail."""
        if self.illustrative:
            return "ILLUSTRATIVE" + (f" ({self.note})" if self.note else "")
        return f"source: {self.source}"


class TeamClass(_Strict):
    """A class of identical forest-fire teams."""

    type: str
    count: Annotated[int, Field(ge=0)]
    staff: Annotated[int, Field(ge=0)] = 0
    equipment: dict[str, float] = Field(default_factory=dict)
    source: str = ""
    illustrative: bool = False
    note: str = ""


class Shelters(_Strict):
    """Shelter figures of the city."""

    urban_area_m2: Figure
    inspected_2024: Figure | None = None


class Observer(_Strict):
    """A camera of the inventory."""

    id: str
    lat: float
    lon: float
    height_m: float = 20.0
    range_km: float = 15.0


class Cameras(_Strict):
    """Video surveillance points."""

    items: list[Observer] = Field(default_factory=list)
    illustrative: bool = False
    note: str = ""


class KeyArea(_Strict):
    """A key forest area (centre and radius)."""

    name: str
    lat: float
    lon: float
    radius_km: float


class KeyAreas(_Strict):
    """The key forest areas the coverage row is about."""

    items: list[KeyArea] = Field(default_factory=list)
    illustrative: bool = False
    note: str = ""


class Lookouts(_Strict):
    """Where lookout towers come from."""

    from_world_facilities: bool = True
    source: str = ""


class FourOnes(_Strict):
    """The 四个一 status of the towns (plan note 9)."""

    illustrative: bool = False
    note: str = ""
    missing: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)


class Towns(_Strict):
    """Towns and streets of the city."""

    count: Annotated[int, Field(ge=1)]
    source: str = ""
    four_ones: FourOnes


class Kit(_Strict):
    """The 四合一 kit holdings (Ch.4)."""

    illustrative: bool = False
    note: str = ""
    holding: dict[str, Annotated[int, Field(ge=0)]]


class Departments(_Strict):
    """Town-and-above emergency management departments."""

    count: Annotated[int, Field(ge=1)]
    source: str = ""
    kit_4in1: Kit


class Inventory(_Strict):
    """The city-wide inventory (schema: docs/scorecard.md#inventory)."""

    name: str
    population_2020: Figure
    urban_population_2020: Figure
    land_area_km2: Figure
    forest_area_ha: Figure
    gdp_cny: Figure
    shelters: Shelters
    fulltime_firefighters: Figure
    rain_gauges: Figure
    forest_fire_teams: list[TeamClass]
    lookouts: Lookouts = Field(default_factory=Lookouts)
    cameras: Cameras = Field(default_factory=Cameras)
    key_forest_areas: KeyAreas = Field(default_factory=KeyAreas)
    towns: Towns
    departments_town_up: Departments
    overrides: tuple[str, ...] = ()


@cache
def load_inventory(path: Path = DEFAULT_FILE) -> Inventory:
    """The shipped (or a given) inventory file, validated."""
    data: dict[str, Any] = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return Inventory.model_validate(data)


def for_scenario(scenario) -> Inventory:
    """The shipped inventory with the scenario's `plan.inventory` figures laid over it."""
    inv = load_inventory()
    spec = scenario.plan.inventory
    src = spec.source or f"scenario {scenario.scenario.id} plan.inventory"
    upd: dict[str, Any] = {}
    over: list[str] = []
    if spec.fulltime_firefighters is not None:
        upd["fulltime_firefighters"] = Figure(value=spec.fulltime_firefighters, source=src)
        over.append("fulltime_firefighters")
    if spec.rain_gauges is not None:
        upd["rain_gauges"] = Figure(value=spec.rain_gauges, source=src)
        over.append("rain_gauges")
    if spec.urban_shelter_area_m2 is not None:
        upd["shelters"] = inv.shelters.model_copy(
            update={"urban_area_m2": Figure(value=spec.urban_shelter_area_m2, source=src)}
        )
        over.append("shelters.urban_area_m2")
    if spec.forest_fire_teams:
        upd["forest_fire_teams"] = [
            TeamClass(type=t.type, count=t.count, equipment=dict(t.equipment), source=src)
            for t in spec.forest_fire_teams
        ]
        over.append("forest_fire_teams")
    if not upd:
        return inv
    upd["overrides"] = tuple(over)
    return inv.model_copy(update=upd)
