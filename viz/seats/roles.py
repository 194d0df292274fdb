"""Trainee roles: which commands a seat may give and which units it controls.

A scenario may declare `roles:`; without it every drill offers two seats,
operations (units) and public information (warnings, orders, shelters).
"""

from __future__ import annotations

from sim.commands import Command
from sim.scenario.schema import RoleSpec, Scenario

DEFAULT_ROLES: dict[str, RoleSpec] = {
    "operations": RoleSpec(
        commands=["dispatch_unit", "set_auto_dispatch", "request_mutual_aid"],
        description="units: dispatch, automatic dispatch, mutual aid",
    ),
    "public_info": RoleSpec(
        commands=["issue_warning", "order_evacuation", "order_shelter_in_place", "open_shelter"],
        description="the public: warnings, evacuation and shelter orders, shelters",
    ),
}


def roles_of(scenario: Scenario) -> dict[str, RoleSpec]:
    """The scenario's roles, or the default two."""
    return dict(scenario.roles) if scenario.roles else dict(DEFAULT_ROLES)


def owns_unit(role: RoleSpec, team) -> bool:
    """Whether a seat with `role` controls unit `team` (its plan group listed, or no list)."""
    if not role.units:
        return True
    return team.group in role.units or any(team.group == f"aid-{g}" for g in role.units)


def refuse(role_name: str, role: RoleSpec, cmd: Command, teams) -> str | None:
    """Why `role` may not give `cmd` (None if it may)."""
    if cmd.kind not in role.commands:
        return f"role {role_name!r} may not give {cmd.kind!r}; its commands: {role.commands}"
    uid = cmd.params.get("unit_id")
    if uid is not None:
        team = next((t for t in teams if t.uid == str(uid)), None)
        if team is not None and not owns_unit(role, team):
            return f"unit {uid!r} belongs to another seat; role {role_name!r} controls {role.units}"
    return None
