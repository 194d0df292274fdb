"""Expected-action vocabulary: which player decisions or events satisfy an MSEL item.

An MSEL inject lists `expected_actions: [{action: KIND, within_min: N}]`. A
KIND is only useful if something can *meet* it, so every kind is declared
here (kinds every hazard shares) or by a hazard plug-in (its own
`expected_actions` dict), with the commands that satisfy it, an optional test
of the model state at the moment of the command (e.g. "the order covers the
zone after the wind shift"), and whether units sent by automatic dispatch
count. `validate` rejects kinds no vocabulary declares.

Credit is decided in two steps so replays and reports need only the log:

* when a trainee command is applied, `kinds_met(model, cmd)` lists the kinds
  it satisfies *now*; the list is stored in the `trainee_command` event
  (`meets`);
* `viz.msel.expected_rows` then links commands (and, for incident kinds,
  auto-dispatched units) to the injects they answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.commands import Command
    from sim.model import DrillModel

#: Share of the groups in a zone an order must cover to count as covering it
#: (a drill-design choice, not a standard).
ZONE_COVER_SHARE = 0.5


@dataclass(frozen=True)
class ActionKind:
    """One kind of expected action and what satisfies it.

    Attributes:
        description: Plain-language meaning (shown to the trainer and in the AAR).
        commands: Trainee command kinds that can satisfy it.
        when: Extra test of the model state at the moment of the command.
        incident_needs: If set, the action is about an incident: the command (or
            an auto-dispatched unit, if `auto`) must go to an incident with one
            of these needs that the inject created, or that was open at the
            inject or reported after it.
        to_point: The command must send a unit to a point (repositioning), not
            to an incident.
        auto: Units sent by automatic dispatch also satisfy it (marked as such).
    """

    description: str
    commands: tuple[str, ...]
    when: Callable[[DrillModel, Command], bool] | None = None
    incident_needs: tuple[str, ...] | None = None
    to_point: bool = False
    auto: bool = False


def _unit(model: DrillModel, cmd: Command):
    uid = str(cmd.params.get("unit_id", ""))
    return next((t for t in model.teams if t.uid == uid), None)


def unit_has_mode(*modes: str) -> Callable[[DrillModel, Command], bool]:
    """Test: the commanded unit can travel by one of `modes` (e.g. sea, river)."""

    def test(model: DrillModel, cmd: Command) -> bool:
        u = _unit(model, cmd)
        return u is not None and any(u.vehicle.speed_kmh.get(m) for m in modes)

    return test


def unit_has_capability(*caps: str) -> Callable[[DrillModel, Command], bool]:
    """Test: the commanded unit has one of `caps`."""

    def test(model: DrillModel, cmd: Command) -> bool:
        u = _unit(model, cmd)
        return u is not None and bool(set(caps) & set(u.capabilities))

    return test


def aid_template_has_mode(*modes: str) -> Callable[[DrillModel, Command], bool]:
    """Test: a mutual-aid request asks for units that travel by one of `modes`."""

    def test(model: DrillModel, cmd: Command) -> bool:
        gid = str(cmd.params.get("template", ""))
        spec = next((u for u in model.spec.plan.units if u.id == gid), None)
        return spec is not None and any(getattr(spec.vehicle, f"{m}_kmh", None) for m in modes)

    return test


def both(*tests: Callable[[DrillModel, Command], bool]) -> Callable[[DrillModel, Command], bool]:
    """All of `tests`."""
    return lambda model, cmd: all(t(model, cmd) for t in tests)


#: Kinds every hazard shares.
GENERIC: dict[str, ActionKind] = {
    "open_shelters": ActionKind("open a shelter", ("open_shelter",)),
    "evacuate": ActionKind("order an evacuation", ("order_evacuation",)),
    "shelter_in_place": ActionKind("order shelter-in-place", ("order_shelter_in_place",)),
    "protective_order": ActionKind(
        "order an evacuation or shelter-in-place", ("order_evacuation", "order_shelter_in_place")
    ),
    "warn_public": ActionKind(
        "warn the public (a warning, or an order, which also warns)",
        ("issue_warning", "order_evacuation", "order_shelter_in_place"),
    ),
    "request_mutual_aid": ActionKind("request mutual aid", ("request_mutual_aid",)),
    "preposition_units": ActionKind(
        "move units to a staging point", ("dispatch_unit",), to_point=True
    ),
    "preposition_boats": ActionKind(
        "move boats to a staging point",
        ("dispatch_unit",),
        when=unit_has_mode("sea", "river"),
        to_point=True,
    ),
    "dispatch_sea_rescue": ActionKind(
        "a boat or aircraft sent to a rescue at sea (auto-dispatch counts)",
        ("dispatch_unit",),
        incident_needs=("sea_rescue",),
        auto=True,
    ),
    "dispatch_water_rescue": ActionKind(
        "a boat sent to a flood/river rescue (auto-dispatch counts)",
        ("dispatch_unit",),
        incident_needs=("water_rescue",),
        auto=True,
    ),
    "dispatch_rescue": ActionKind(
        "send a unit to the inject's incident (auto-dispatch counts)",
        ("dispatch_unit",),
        incident_needs=(),
        auto=True,
    ),
}


def vocabulary(hazard: str) -> dict[str, ActionKind]:
    """Every expected-action kind valid in a scenario of hazard type `hazard`."""
    from sim.hazards.registry import get_plugin

    try:
        own = getattr(get_plugin(hazard), "expected_actions", {}) or {}
    except KeyError:
        own = {}
    return {**GENERIC, **own}


def kinds_met(model: DrillModel, cmd: Command) -> list[str]:
    """Kinds of the model's vocabulary that `cmd` satisfies now (before it is carried out)."""
    out = []
    for name, k in vocabulary(model.spec.scenario.hazard).items():
        if cmd.kind not in k.commands:
            continue
        if k.to_point and "incident_id" in cmd.params:
            continue
        if k.incident_needs is not None and "incident_id" not in cmd.params:
            continue
        if k.when is not None and not k.when(model, cmd):
            continue
        out.append(name)
    return out


def unknown_kinds(scenario: Any) -> list[str]:
    """One-line problems: MSEL expected actions of undeclared kinds, unknown HSEEP capabilities."""
    from sim.hseep import CORE_CAPABILITIES

    vocab = vocabulary(scenario.scenario.hazard)
    out = []
    for i, inj in enumerate(scenario.msel):
        if inj.capability and inj.capability not in CORE_CAPABILITIES:
            out.append(
                f"msel[{i}].capability: got {inj.capability!r}; expected an HSEEP core "
                "capability (sim/hseep.py), e.g. 'Public Information and Warning'"
            )
        for k, ea in enumerate(inj.expected_actions):
            if ea.action not in vocab:
                out.append(
                    f"msel[{i}].expected_actions[{k}].action: got {ea.action!r}; "
                    f"expected one of {', '.join(sorted(vocab))}"
                )
    from sim.commands import COMMAND_KINDS

    unit_ids = {u.id for u in scenario.plan.units}
    for name, role in scenario.roles.items():
        for k, c in enumerate(role.commands):
            if c not in COMMAND_KINDS:
                out.append(
                    f"roles.{name}.commands[{k}]: got {c!r}; expected one of {list(COMMAND_KINDS)}"
                )
        for k, u in enumerate(role.units):
            if u not in unit_ids:
                out.append(
                    f"roles.{name}.units[{k}]: got {u!r}; expected a plan unit id {sorted(unit_ids)}"
                )
    return out
