"""`run(scenario, seed, injects) -> RunResult`: one run as a pure function.

Monte Carlo and the visualiser both call this; nothing in a run depends on
anything outside its arguments, so the same inputs give the same event log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sim.events import EventLog
from sim.scenario.schema import Inject, Scenario

#: Said in every output of a `plan: {baseline: none}` scenario (console, manifest, report).
BASELINE_NOTE = (
    "no-response baseline (plan.baseline: none): no units, depots or shelters respond; "
    "the scorecard shows the hazard alone"
)


@dataclass
class RunResult:
    """What one run produced: its identity, its event log and model notes."""

    scenario_id: str
    seed: int
    run_id: str
    log: EventLog
    validity: list[str] = field(default_factory=list)
    model: Any = None

    def events(self, columns: dict[str, Any] | None = None) -> pd.DataFrame:
        """The log as a DataFrame with a `run_id` column (for indicators).

        `columns`: the log's `columns()` when the caller already has them.
        """
        df = self.log.to_frame(columns)
        df.insert(0, "run_id", self.run_id)
        return df


def load_world(scenario: Scenario):
    """The world a scenario asks for: the Jiangmen pack (with user GIS overrides) or synthetic."""
    from sim.world import World, load_jiangmen

    spec = scenario.world
    world = World.synthetic() if spec.pack == "synthetic" else load_jiangmen()
    overrides = {
        k: getattr(spec, k)
        for k in ("dem", "landcover", "boundaries", "roads_osm")
        if getattr(spec, k)
    }
    if overrides:
        world = world.with_overrides(**overrides)
    return world


def run(
    scenario: Scenario,
    seed: int | None = None,
    injects: Iterable[Inject] = (),
    *,
    world=None,
    keep_model: bool = False,
    resident_agents: bool = True,
) -> RunResult:
    """Run `scenario` once with `seed` (default: the scenario's) and optional extra injects.

    `resident_agents=False` skips the per-group Mesa agents (see `DrillModel`): same log.
    """
    from sim.model import DrillModel

    seed = scenario.run.seed if seed is None else int(seed)
    world = world if world is not None else load_world(scenario)
    model = DrillModel(scenario, world, seed, injects=injects, resident_agents=resident_agents)
    model.run()
    validity = list(model.hazard.validity())
    if scenario.plan.baseline == "none":
        validity.append(BASELINE_NOTE)
    return RunResult(
        scenario_id=scenario.scenario.id,
        seed=seed,
        run_id=f"{scenario.scenario.id}#s{seed}",
        log=model.log,
        validity=validity,
        model=model if keep_model else None,
    )
