"""Scripted incidents: a drill with no physics, only timed and random calls.

Useful on its own for readiness drills (how fast do sea and river rescue units
reach distress calls?) and as the simplest `Hazard` plug-in. Incidents come
from Poisson streams over sampled places (sea within N nautical miles of the
coast, river reaches, towns) plus the MSEL.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from sim.hazards.base import NullHazard
from sim.hazards.poisson_stream import poisson_incidents

if TYPE_CHECKING:
    from sim.model import DrillModel

NM_M = 1852.0


class IncidentStream(BaseModel):
    """A Poisson stream of incidents of one kind over one kind of place."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Annotated[str, Field(min_length=1)]
    where: Literal["sea", "river", "town"]
    rate_per_h: Annotated[float, Field(gt=0, le=1000)]
    max_offshore_nm: Annotated[float, Field(gt=0, le=200)] = 12.0
    needs: str = "general"
    priority: Annotated[int, Field(ge=0, le=9)] = 5
    work_min: Annotated[float, Field(ge=0)] = 60.0
    units_needed: Annotated[int, Field(ge=1, le=50)] = 1
    start_min: Annotated[float, Field(ge=0)] = 0.0
    end_min: Annotated[float, Field(gt=0)] | None = None


class ScriptedParams(BaseModel):
    """YAML block `hazard:` for `scenario.hazard: scripted`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["scripted"] = "scripted"
    streams: list[IncidentStream] = Field(default_factory=list)


class ScriptedHazard(NullHazard):
    """Generates incidents from Poisson streams; no physical field."""

    name = "scripted"

    def __init__(self, params: ScriptedParams, world, streams) -> None:
        self.params = params
        self.world = world
        self.rng = streams.incidents
        self._places: dict[tuple, np.ndarray] = {}

    def start(self, model: DrillModel) -> None:
        """Start one SimPy process per incident stream."""
        for k, s in enumerate(self.params.streams):
            model.env.process(self._stream(model, k, s))

    def _stream(self, model: DrillModel, k: int, s: IncidentStream) -> Generator:
        return poisson_incidents(
            model,
            s,
            k,
            self.rng,
            lambda: self.places(s),
            self._offshore_nm if s.where == "sea" else None,
        )

    def places(self, s: IncidentStream) -> np.ndarray:
        """Candidate (x, y) points for a stream's incidents."""
        key = (s.where, s.max_offshore_nm)
        if key in self._places:
            return self._places[key]
        w = self.world
        if s.where == "town":
            pts = w.towns[["x_m", "y_m"]].to_numpy(float)
        elif s.where == "river":
            pts = np.array([(d["x_m"], d["y_m"]) for _, d in w.rivers.nodes(data=True)], float)
        else:
            dist = self._coast_distance_nm()
            sel = (~w.is_land) & (dist > 0.3) & (dist <= s.max_offshore_nm)
            pts = np.column_stack([w.grid.x_m[sel], w.grid.y_m[sel]])
        if len(pts) == 0:
            raise ValueError(f"no places of kind {s.where!r} in world {w.name!r}")
        self._places[key] = pts
        return pts

    def _coast_distance_nm(self) -> np.ndarray:
        if "coast_nm" not in self._places:
            from scipy.ndimage import distance_transform_edt

            w = self.world
            dy = float(abs(np.diff(w.grid.y_m[:, 0]).mean())) if w.grid.shape[0] > 1 else 1.0
            dx = float(abs(np.diff(w.grid.x_m[0, :]).mean())) if w.grid.shape[1] > 1 else 1.0
            d = distance_transform_edt(~w.is_land, sampling=(dy, dx)) / NM_M
            self._places["coast_nm"] = d
        return self._places["coast_nm"]

    def _offshore_nm(self, x: float, y: float) -> float:
        r, c = self.world.grid.index_xy(np.array([x]), np.array([y]))
        return float(self._coast_distance_nm()[r[0], c[0]])


class _Plugin:
    name = "scripted"
    params_model = ScriptedParams

    def build(self, scenario, world, streams) -> ScriptedHazard:
        return ScriptedHazard(scenario.hazard, world, streams)


PLUGIN = _Plugin()
