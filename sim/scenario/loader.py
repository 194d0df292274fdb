"""Read and validate scenario YAML into an immutable `Scenario`.

Errors are collected and phrased as `file: field.path: got VALUE; expected ...`
so that a trainer can fix the file without reading Python.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.errors import ScenarioError
from sim.scenario.safe_yaml import YamlLimitError, check_size, load_yaml
from sim.scenario.schema import Scenario


def _fmt_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _allowed_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names valid at the parent of `loc`, for 'did you mean' hints."""
    cur: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(cur, "model_fields", None)
        if not fields or part not in fields:
            return []
        ann = fields[part].annotation
        cur = _first_model(ann)
        if cur is None:
            return []
    return list(getattr(cur, "model_fields", {}))


def _first_model(ann: Any) -> Any:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()) or ():
        found = _first_model(arg)
        if found is not None:
            return found
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def format_validation_error(
    err: ValidationError, model: type[BaseModel], prefix: tuple = ()
) -> list[str]:
    """One readable line per pydantic error: path, bad value, expectation."""
    lines = []
    # A typo'd key yields "unknown field" and "missing"; the first explains the second.
    errors = sorted(err.errors(), key=lambda e: e["type"] != "extra_forbidden")
    for e in errors:
        loc = prefix + tuple(e["loc"])
        path = _fmt_loc(loc)
        if e["type"] == "extra_forbidden":
            allowed = _allowed_fields(model, tuple(e["loc"]))
            hint = difflib.get_close_matches(str(e["loc"][-1]), allowed, n=1)
            msg = f"{path}: unknown field"
            msg += f"; did you mean {hint[0]!r}?" if hint else ""
            msg += f" (allowed: {', '.join(allowed)})" if allowed else ""
        elif e["type"] == "missing":
            msg = f"{path}: required field is missing"
        else:
            expected = e["msg"]
            if expected.startswith("Value error, "):
                expected = expected[len("Value error, ") :]
            msg = f"{path}: got {_short(e.get('input'))}; expected {expected[0].lower()}{expected[1:]}"
        lines.append(msg)
    return lines


def load_scenario(path: str | Path) -> Scenario:
    """Load, validate and type a scenario file; raise `ScenarioError` on any problem."""
    path = Path(path)
    name = str(path)
    try:
        check_size(path.stat().st_size)
        text = path.read_text(encoding="utf-8")
    except YamlLimitError as exc:
        raise ScenarioError(name, [str(exc)]) from None
    except FileNotFoundError:
        raise ScenarioError(name, ["file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(name, [f"cannot read file: {exc}"]) from None
    return parse_scenario(text, name, base_dir=path.parent)


def parse_scenario(text: str, name: str = "<scenario>", base_dir: Path | None = None) -> Scenario:
    """Validate scenario YAML text (see `load_scenario`)."""
    try:
        data = load_yaml(text)
    except YamlLimitError as exc:
        raise ScenarioError(name, [str(exc)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(name, [f"{where}YAML syntax error: {problem}"]) from None
    if not isinstance(data, dict):
        raise ScenarioError(
            name, [f"(top level): got {_short(data)}; expected a mapping of sections"]
        )
    return validate_scenario_dict(data, name, base_dir)


def validate_scenario_dict(
    data: dict, name: str = "<scenario>", base_dir: Path | None = None, *, semantic: bool = True
) -> Scenario:
    """Validate an already-parsed mapping, including the hazard plug-in's block.

    The one validation pass of `validate`, `run`, `drill`, `compare` and `sweep`:
    types and ranges (pydantic), finite numbers and no booleans for numbers,
    then (`semantic`) every check that needs the world: references, places,
    injects, vocabulary (`sim.scenario.checks`).
    """
    from sim.batch.uncertainty import check_support, split_uncertain
    from sim.hazards.registry import get_plugin
    from sim.scenario.raw_checks import raw_value_problems

    data, space = split_uncertain(data, name)  # {dist: ...} nodes → nominal values
    problems: list[str] = []
    raw_hazard = data.get("hazard")
    meta = data.get("scenario")
    hazard_name = meta.get("hazard") if isinstance(meta, dict) else None
    try:
        hazard_model = get_plugin(str(hazard_name)).params_model
    except Exception:  # unknown or broken plug-in: reported below
        hazard_model = None
    problems = raw_value_problems(data, Scenario, hazard_model)
    if problems:
        raise ScenarioError(name, problems)
    try:
        scen = Scenario.model_validate({**data, "hazard": None})
    except ValidationError as err:
        raise ScenarioError(name, format_validation_error(err, Scenario)) from None
    try:
        plugin = get_plugin(scen.scenario.hazard)
    except KeyError as exc:
        raise ScenarioError(name, [f"scenario.hazard: {exc.args[0]}"]) from None
    hazard_block = {} if raw_hazard is None else raw_hazard
    if not isinstance(hazard_block, dict):
        raise ScenarioError(name, [f"hazard: got {_short(raw_hazard)}; expected a mapping"])
    try:
        hazard = plugin.params_model.model_validate(hazard_block)
    except ValidationError as err:
        problems += format_validation_error(err, plugin.params_model, prefix=("hazard",))
    if problems:
        raise ScenarioError(name, problems)
    from sim.expected_actions import unknown_kinds

    problems = unknown_kinds(scen)
    if problems:
        raise ScenarioError(name, problems)
    if base_dir is not None:
        world = scen.world
        fixes = {
            k: str((base_dir / v).resolve())
            for k in ("dem", "landcover", "boundaries", "roads_osm")
            if (v := getattr(world, k)) is not None and not Path(v).is_absolute()
        }
        if fixes:
            scen = scen.model_copy(update={"world": world.model_copy(update=fixes)})
    scen = scen.model_copy(update={"hazard": hazard})
    if semantic:
        from sim.scenario.checks import semantic_problems, world_problems

        world, problems = world_problems(scen.world)
        if not problems:
            problems = semantic_problems(scen, plugin, raw_hazard, world)
        if problems:
            raise ScenarioError(name, problems)
    # Uncertain inputs at their extremes, once the nominal scenario itself is sound (so a
    # nominal problem is reported once, not again at every support point).
    if space.nodes:
        check_support(space, data, name, base_dir)
    return scen
