"""A drill session: one run advanced in steps, with injects and commands at given times.

The visualiser advances the clock frame by frame and applies the trainer's
injects and the trainees' commands as they come; a replay applies the same
recorded actions from a file. Both go through `DrillSession`, so a replay is
the same sequence of SimPy calls as the live drill and yields the identical
event log:

* the model is first *primed* (every t=0 event processed), then
* an action recorded at time t is applied after the clock has been run to t
  (`env.run(until=t)` stops *before* the events scheduled at t), in the
  recorded order, and
* running to the end emits `run_finished` exactly as `DrillModel.run` does.

Stopping and restarting a SimPy clock does not reorder its events, so a
session without actions reproduces `sim.run.run` byte for byte (tested).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from typing import Any

from sim.commands import COMMAND_KINDS, Command, apply_command, check_command
from sim.generic_injects import GENERIC_INJECTS
from sim.model import CORE_INJECTS, DrillModel
from sim.scenario.schema import Inject, Scenario

Action = Inject | Command


def action_type(a: Action) -> str:
    """'command' or 'inject'."""
    return "command" if isinstance(a, Command) else "inject"


class DrillSession:
    """A `DrillModel` with a clock the caller advances and a record of applied actions.

    Args:
        scenario: The scenario.
        seed: Run seed.
        world: The world (default: the one the scenario asks for).
        actions: Recorded injects/commands to apply at their times (replay).
        strict: If False, a recorded command that cannot be carried out (e.g. it
            names an incident that does not exist in another hazard realisation)
            is skipped with a `trainee_command_skipped` event instead of raising.
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        world: Any = None,
        actions: Iterable[Action] = (),
        *,
        strict: bool = True,
    ) -> None:
        if world is None:
            from sim.run import load_world

            world = load_world(scenario)
        self.scenario = scenario
        self.seed = int(seed)
        self.world = world
        self.strict = strict
        self.model = DrillModel(scenario, world, seed)
        self.end = scenario.duration_min
        acts = list(actions)
        for a, b in zip(acts, acts[1:], strict=False):
            if b.at_min < a.at_min:
                raise ValueError(
                    f"recorded actions must be in time order: {b.id!r} at {b.at_min} "
                    f"comes after {a.id!r} at {a.at_min}"
                )
        for a in acts:
            self._check_time(a)
        self.pending: deque[Action] = deque(acts)
        self.applied: list[Action] = []
        self.skipped: list[tuple[Action, str]] = []
        self.finished = False
        self.last_result = ""  # feedback line of the last applied action
        env = self.model.env
        while env.peek() == 0:  # prime: process every t=0 event (run_started, t=0 injects)
            env.step()

    # -- clock ------------------------------------------------------------------------
    @property
    def now(self) -> float:
        """Scenario minutes."""
        return float(self.model.env.now)

    def _check_time(self, a: Action) -> None:
        if not (0 <= a.at_min < self.end):
            raise ValueError(
                f"action {a.id!r}: at_min={a.at_min}; expected 0 <= at_min < {self.end} "
                "(the scenario duration)"
            )

    def _run_until(self, t: float) -> None:
        if t > self.model.env.now:
            self.model.env.run(until=t)

    def advance_to(self, t: float) -> None:
        """Run the clock to `t` (capped at the end), applying recorded actions due on the way."""
        if self.finished:
            return
        t = min(float(t), self.end)
        while self.pending and self.pending[0].at_min <= t and self.pending[0].at_min < self.end:
            a = self.pending.popleft()
            self._run_until(a.at_min)
            self._apply(a)
        if t >= self.end:
            self.model.run()  # runs to the end and emits run_finished
            self.finished = True
        else:
            self._run_until(t)

    def finish(self) -> None:
        """Run to the end of the scenario."""
        self.advance_to(self.end)

    # -- actions ----------------------------------------------------------------------
    def check(self, a: Action) -> None:
        """Raise ValueError if `a` cannot be applied now."""
        if isinstance(a, Command):
            check_command(self.model, a)
            return
        kinds = (
            CORE_INJECTS
            | set(GENERIC_INJECTS)
            | set(getattr(self.model.hazard, "inject_kinds", ()))
        )
        if a.kind not in kinds:
            raise ValueError(
                f"inject {a.id!r}: kind={a.kind!r} is not available in this drill "
                f"(hazard {self.model.hazard.name}); expected one of {sorted(kinds)}"
            )
        self._check_params(a)
        p = a.params
        if a.kind == "incident" and not ("lat" in p and "lon" in p):
            raise ValueError(f"inject {a.id!r} (incident): params={p!r}; expected lat and lon")
        if a.kind in ("unit_breakdown", "unit_restored"):
            uid = str(p.get("unit_id"))
            if uid not in {u.uid for u in self.model.teams}:
                raise ValueError(f"inject {a.id!r}: params.unit_id={uid!r} is not a unit")

    def _check_params(self, a: Inject) -> None:
        """The inject's params against the same table `jmsim validate` uses."""
        from pydantic import ValidationError

        from sim.hazards.registry import get_plugin
        from sim.scenario.inject_params import inject_params_table
        from sim.scenario.loader import format_validation_error

        model = inject_params_table(get_plugin(self.model.spec.scenario.hazard)).get(a.kind)
        if model is None:
            return
        try:
            model.model_validate(a.params)
        except ValidationError as err:
            first = format_validation_error(err, model, prefix=("params",))[0]
            raise ValueError(f"inject {a.id!r} ({a.kind}): {first}") from None

    def _apply(self, a: Action) -> None:
        try:
            self.check(a)
        except ValueError as e:
            if self.strict:
                raise
            self.model.log.emit(
                self.now,
                "trainee_command_skipped" if isinstance(a, Command) else "inject_skipped",
                subject_id=a.id,
                reason=str(e),
            )
            self.skipped.append((a, str(e)))
            return
        if isinstance(a, Command):
            self.last_result = apply_command(self.model, a)
        else:
            self.model.apply_inject(a)
            self.last_result = f"inject {a.id} ({a.kind}) applied"
        self.applied.append(a)

    def submit(self, a: Action) -> Action:
        """Apply a new inject or command now (its `at_min` is set to the current time).

        Raises ValueError (and changes nothing) if it cannot be applied.
        """
        if self.finished:
            raise ValueError(f"action {a.id!r}: the drill has ended")
        a = a.model_copy(update={"at_min": self.now})
        self._check_time(a)
        self.check(a)
        self._apply(a)
        return a

    def next_id(self, prefix: str) -> str:
        """A fresh action id like `CMD-003` or `ADHOC-001`."""
        used = {a.id for a in [*self.applied, *self.pending]}
        k = 1
        while f"{prefix}-{k:03d}" in used:
            k += 1
        return f"{prefix}-{k:03d}"


def command_kinds() -> tuple[str, ...]:
    """Kinds of trainee command (for help texts)."""
    return COMMAND_KINDS


def replay(
    scenario: Scenario,
    seed: int,
    actions: Iterable[Action],
    world: Any = None,
    until: float | None = None,
    *,
    strict: bool = True,
) -> DrillSession:
    """Re-run a drill with its recorded actions to `until` (default: the end)."""
    s = DrillSession(scenario, seed, world, actions, strict=strict)
    s.advance_to(s.end if until is None or not math.isfinite(until) else until)
    return s
