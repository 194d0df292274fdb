"""Checks on the raw YAML values that pydantic's lax mode lets through.

pydantic turns `true` into 1.0 for a float field and accepts `.nan` and `.inf`
for any float; a scenario must say what it means, so booleans are refused
where a number is expected and every number anywhere must be finite.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel

from sim.batch.paths import field_kind


def _path(toks: list) -> str:
    out = ""
    for t in toks:
        out += f"[{t}]" if isinstance(t, int) else ("." if out else "") + str(t)
    return out or "(top level)"


def raw_value_problems(
    data: Any, model: type[BaseModel], hazard_model: type[BaseModel] | None
) -> list[str]:
    """`path: got VALUE; expected ...` for non-finite numbers and booleans given as numbers."""
    problems: list[str] = []

    def walk(obj: Any, toks: list) -> None:
        if isinstance(obj, dict):
            for k, v in obj.items():
                walk(v, [*toks, k])
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                walk(v, [*toks, i])
        elif isinstance(obj, bool):
            if field_kind(model, toks, hazard_model) in ("int", "float"):
                problems.append(f"{_path(toks)}: got {obj!r}; expected a number, not true/false")
        elif isinstance(obj, float) and not math.isfinite(obj):
            problems.append(f"{_path(toks)}: got {obj!r}; expected a finite number")

    walk(data, [])
    return problems
