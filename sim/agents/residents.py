"""Residents: one Mesa agent per household group, state held in numpy arrays.

Think of a roll-call sheet: each `Resident` agent is a line on the sheet (an
identity the visualiser and queries can hold), while the columns (position,
state, times) are numpy arrays so that per-tick work over 100 k groups is a few
vector operations rather than 100 k Python calls.

State machine: UNAWARE → WARNED → EVACUATING → SHELTERED, and from any
unsheltered state to EXPOSED or INJURED when the hazard reaches the group;
SHELTERED (in a shelter), sheltering in place at home (`indoor`) or EXPOSED →
RETURNED ("back home") after the hazard's all-clear (`sim.response.return_home`;
typhoon, chemical and forest-fire hazards give one).
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    pass


class ResidentState(IntEnum):
    """Household-group states (stored as uint8)."""

    UNAWARE = 0
    WARNED = 1
    EVACUATING = 2
    SHELTERED = 3
    EXPOSED = 4
    INJURED = 5
    RETURNED = 6  # back home after the all-clear


class Resident(mesa.Agent):
    """A household group; its attributes are views into `ResidentGroups` arrays."""

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def state(self) -> ResidentState:
        """Current state of the group."""
        return ResidentState(int(self.model.residents.state[self.index]))

    @property
    def people(self) -> int:
        """Number of people in the group."""
        return int(self.model.residents.people[self.index])

    @property
    def xy(self) -> tuple[float, float]:
        """Current position (UTM metres)."""
        r = self.model.residents
        return float(r.x[self.index]), float(r.y[self.index])


class ResidentGroups:
    """Columnar state of all household groups, advanced in vectorised steps."""

    def __init__(
        self,
        x: np.ndarray,
        y: np.ndarray,
        people: np.ndarray,
        town: np.ndarray,
        district: np.ndarray,
    ) -> None:
        n = len(x)
        self.n = n
        self.x = np.asarray(x, dtype=float).copy()
        self.y = np.asarray(y, dtype=float).copy()
        self.home_x, self.home_y = self.x.copy(), self.y.copy()
        self.people = np.asarray(people, dtype=np.int32)
        self.town = np.asarray(town)
        self.district = np.asarray(district, dtype=np.int32)
        self.state = np.zeros(n, dtype=np.uint8)
        self.t_warned = np.full(n, np.nan)
        self.t_reached = np.full(n, np.nan)
        self.t_move_start = np.full(n, np.nan)
        self.t_move_end = np.full(n, np.nan)
        self.dest_x = np.full(n, np.nan)
        self.dest_y = np.full(n, np.nan)
        self.shelter = np.full(n, -1, dtype=np.int32)
        self.exposure = np.zeros(n)
        self.indoor = np.zeros(n, dtype=bool)
        self.agents: list[Resident] = []

    @classmethod
    def around_towns(
        cls,
        towns_x: np.ndarray,
        towns_y: np.ndarray,
        towns_pop: np.ndarray,
        towns_id: np.ndarray,
        towns_district: np.ndarray,
        group_size: int,
        radius_m: float,
        rng: np.random.Generator,
        on_land=None,
    ) -> ResidentGroups:
        """Split each town's population into groups scattered around its seat.

        Each town gets ceil(pop / group_size) groups; the last group takes the
        remainder so that people sum exactly to the town population. Offsets are
        Gaussian (sd = radius/2); points that `on_land` rejects are pulled back
        to the seat.
        """
        pop = np.asarray(towns_pop, dtype=np.int64)
        counts = np.maximum(1, -(-pop // group_size))
        idx = np.repeat(np.arange(len(pop)), counts)
        people = np.full(len(idx), group_size, dtype=np.int64)
        last = np.cumsum(counts) - 1
        people[last] = pop - group_size * (counts - 1)
        keep = people > 0
        idx, people = idx[keep], people[keep]
        off = rng.normal(0.0, radius_m / 2.0, size=(len(idx), 2))
        x = np.asarray(towns_x, dtype=float)[idx] + off[:, 0]
        y = np.asarray(towns_y, dtype=float)[idx] + off[:, 1]
        if on_land is not None:
            bad = ~on_land(x, y)
            x[bad] = np.asarray(towns_x, dtype=float)[idx][bad]
            y[bad] = np.asarray(towns_y, dtype=float)[idx][bad]
        return cls(x, y, people, np.asarray(towns_id)[idx], np.asarray(towns_district)[idx])

    def attach_agents(self, model: mesa.Model) -> None:
        """Create one Mesa agent per group (identity only; state stays columnar)."""
        self.agents = [Resident(model, i) for i in range(self.n)]

    # -- vectorised dynamics --------------------------------------------------
    def start_moving(
        self,
        idx: np.ndarray,
        t: float,
        dest_x: np.ndarray,
        dest_y: np.ndarray,
        travel_min: np.ndarray,
    ) -> None:
        """Begin moving groups `idx` toward destinations, arriving after `travel_min`."""
        self.state[idx] = ResidentState.EVACUATING
        self.t_move_start[idx] = t
        self.t_move_end[idx] = t + travel_min
        self.dest_x[idx] = dest_x
        self.dest_y[idx] = dest_y

    def move(self, t: float, part: slice = slice(None)) -> np.ndarray:
        """Advance positions of moving groups in `part` to time `t`; return indices that arrived."""
        start = part.start or 0
        moving = np.flatnonzero(self.state[part] == ResidentState.EVACUATING) + start
        if moving.size == 0:
            return moving
        t0, t1 = self.t_move_start[moving], self.t_move_end[moving]
        frac = np.clip((t - t0) / np.maximum(t1 - t0, 1e-9), 0.0, 1.0)
        self.x[moving] = self.home_x[moving] + frac * (self.dest_x[moving] - self.home_x[moving])
        self.y[moving] = self.home_y[moving] + frac * (self.dest_y[moving] - self.home_y[moving])
        return moving[frac >= 1.0]

    def expose(
        self, intensity: np.ndarray, t: float, threshold: float, part: slice = slice(None)
    ) -> np.ndarray:
        """Mark groups in `part` reached by the hazard; return indices newly reached.

        `intensity` holds the values for `part`. Sheltered groups are protected;
        groups reached while not sheltered become EXPOSED. Reach time is recorded
        once, for warning coverage.
        """
        start = part.start or 0
        reached = intensity > threshold
        new = np.flatnonzero(reached & np.isnan(self.t_reached[part])) + start
        self.t_reached[new] = t
        np.maximum(self.exposure[part], intensity, out=self.exposure[part])
        hit = new[self.state[new] != ResidentState.SHELTERED]
        self.state[hit] = ResidentState.EXPOSED
        return new

    def go_home(self, idx: np.ndarray) -> None:
        """Groups `idx` are back at home (RETURNED); they keep their exposure record."""
        self.state[idx] = ResidentState.RETURNED
        self.x[idx] = self.home_x[idx]
        self.y[idx] = self.home_y[idx]
        self.shelter[idx] = -1

    def counts(self) -> dict[str, int]:
        """People per state (for dashboards)."""
        out = np.bincount(self.state, weights=self.people, minlength=len(ResidentState))
        return {s.name.lower(): int(out[s]) for s in ResidentState}
