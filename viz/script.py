"""Scripted headless drills: timed role commands from a YAML file, no window.

A commands file holds the same records a drill recording stores, so a
scripted drill can be tested, batch-scored, replayed and fed to the AAR and
rerun-decisions like a live one::

    actions:            # or a bare list
      - {type: command, id: C1, at_min: 31, kind: order_shelter_in_place,
         params: {lat: 22.43, lon: 113.10, radius_km: 3}, by: chemical_officer, answers: WS1}
      - {type: inject, id: X9, at_min: 40, kind: wind_shift, params: {wind_from_deg: 90}}

`type` defaults to `command`. Records are applied in time order (stable for
equal times). Any problem is one `JmsimError` line naming the file, the
record and the field; nothing is written unless the whole drill ran.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from sim.commands import Command
from sim.errors import JmsimError
from sim.scenario.schema import Inject
from sim.session import Action, DrillSession


def load_actions(path: str | Path) -> list[Action]:
    """Parse a commands file into injects/commands sorted by time."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise JmsimError(f"{p}: commands file not found") from None
    except yaml.YAMLError as e:
        raise JmsimError(f"{p}: not valid YAML ({str(e).splitlines()[0]})") from None
    if isinstance(data, dict):
        data = data.get("actions")
    if not isinstance(data, list):
        raise JmsimError(f"{p}: expected a list of actions (or a mapping with 'actions:')")
    out: list[Action] = []
    for k, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise JmsimError(f"{p}: actions[{k}]: got {rec!r}; expected a mapping")
        rec = dict(rec)
        typ = rec.pop("type", "command")
        cls = {"command": Command, "inject": Inject}.get(typ)
        if cls is None:
            raise JmsimError(f"{p}: actions[{k}].type: got {typ!r}; expected 'command' or 'inject'")
        try:
            out.append(cls(**rec))
        except ValidationError as e:
            err = e.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            raise JmsimError(
                f"{p}: actions[{k}].{loc}: got {err.get('input')!r}; {err['msg']}"
            ) from None
    ids = [a.id for a in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise JmsimError(f"{p}: actions: ids must be unique, repeated: {dup}")
    return sorted(out, key=lambda a: a.at_min)


def run_script(
    scenario_path: str | Path,
    actions: list[Action],
    seed: int | None = None,
    *,
    commands_file: str | Path = "<commands>",
    until: float | None = None,
    world=None,
) -> DrillSession:
    """Play a scripted drill to `until` (default: the end); bad actions are JmsimErrors."""
    from sim.scenario import load_scenario

    scen = load_scenario(scenario_path)
    seed = scen.run.seed if seed is None else seed
    try:
        s = DrillSession(scen, seed, world, actions)
        s.advance_to(scen.duration_min if until is None else until)
    except ValueError as e:
        raise JmsimError(f"{commands_file}: {e}") from None
    return s
