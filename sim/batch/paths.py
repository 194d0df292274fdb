"""Field paths into a scenario mapping: `plan.units[boat].count`, `msel[W1].at_min`.

Sweeps, distributions and result columns all name scenario fields the same
way. A list element is selected by position (`[0]`) or by its identifier
(`[boat]` matches the element whose `id`, `facility`, `name` or `kind` is
`boat`), so a path keeps meaning the same field when lists are reordered.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

#: Keys that identify an element of a list of mappings, in order of preference.
ID_KEYS = ("id", "facility", "name", "kind")
_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[([^\]]+)\]|(\.)")


def parse_path(path: str) -> list[str | int]:
    """Split a path into keys (str) and list selectors (int position or str id).

    List selectors that are ids are returned as `("id", value)` tuples.
    """
    out: list[Any] = []
    pos = 0
    expect_name = True
    text = path.strip()
    if not text:
        raise ValueError("empty field path; expected e.g. plan.units[boat].count")
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ValueError(
                f"field path {path!r}: cannot read {text[pos:]!r}; expected names joined by "
                "'.' and list selectors like [0] or [unit_id]"
            )
        name, sel, dot = m.groups()
        if dot:
            expect_name = True
        elif name is not None:
            if not expect_name:
                raise ValueError(f"field path {path!r}: missing '.' before {name!r}")
            out.append(name)
            expect_name = False
        else:
            sel = sel.strip()
            out.append(int(sel) if sel.lstrip("-").isdigit() else ("id", sel))
            expect_name = False
        pos = m.end()
    if expect_name:
        raise ValueError(f"field path {path!r}: ends with '.'")
    return out


def _find(items: list, sel: Any, path: str) -> int:
    if isinstance(sel, int):
        if not -len(items) <= sel < len(items):
            raise ValueError(
                f"field path {path!r}: index [{sel}] out of range (list has {len(items)})"
            )
        return sel % len(items)
    want = sel[1]
    for i, it in enumerate(items):
        if isinstance(it, dict) and any(str(it.get(k)) == want for k in ID_KEYS if k in it):
            return i
    ids = [
        next((str(it[k]) for k in ID_KEYS if k in it), "?") for it in items if isinstance(it, dict)
    ]
    raise ValueError(f"field path {path!r}: no element [{want}]; elements are {ids}")


def get_value(data: dict, path: str) -> Any:
    """The value at `path` in a nested mapping (KeyError-free: ValueError with the path)."""
    cur: Any = data
    for tok in parse_path(path):
        if isinstance(tok, str):
            if not isinstance(cur, dict) or tok not in cur:
                raise ValueError(f"field path {path!r}: no field {tok!r} in the scenario")
            cur = cur[tok]
        else:
            if not isinstance(cur, list):
                raise ValueError(f"field path {path!r}: selector {tok!r} applied to a non-list")
            cur = cur[_find(cur, tok, path)]
    return cur


def set_value(data: dict, path: str, value: Any) -> None:
    """Set `path` in a nested mapping in place, creating missing mappings on the way."""
    toks = parse_path(path)
    cur: Any = data
    for i, tok in enumerate(toks):
        last = i == len(toks) - 1
        if isinstance(tok, str):
            if not isinstance(cur, dict):
                raise ValueError(f"field path {path!r}: {tok!r} is inside a non-mapping")
            if last:
                cur[tok] = value
            else:
                if cur.get(tok) is None:
                    cur[tok] = [] if not isinstance(toks[i + 1], str) else {}
                cur = cur[tok]
        else:
            if not isinstance(cur, list):
                raise ValueError(f"field path {path!r}: selector {tok!r} applied to a non-list")
            k = _find(cur, tok, path)
            if last:
                cur[k] = value
            else:
                cur = cur[k]


def canonical(data: dict, path: str) -> str:
    """The path with list positions replaced by element ids where elements have one."""
    out = ""
    cur: Any = data
    for tok in parse_path(path):
        if isinstance(tok, str):
            out += ("." if out else "") + tok
            cur = cur.get(tok) if isinstance(cur, dict) else None
        else:
            k = _find(cur, tok, path) if isinstance(cur, list) else None
            el = cur[k] if k is not None else None
            ident = (
                next((str(el[key]) for key in ID_KEYS if key in el), None)
                if isinstance(el, dict)
                else None
            )
            out += f"[{ident}]" if ident is not None else f"[{k if k is not None else tok}]"
            cur = el
    return out


def _unwrap(ann: Any) -> list[Any]:
    """The concrete alternatives of an annotation (Annotated, Optional, Union removed)."""
    if get_origin(ann) is Annotated:
        return _unwrap(get_args(ann)[0])
    if get_origin(ann) in (Union, types.UnionType):
        return [a for arg in get_args(ann) for a in _unwrap(arg)]
    return [ann]


def field_kind(model: type[BaseModel], toks: list, hazard_model: type[BaseModel] | None) -> str:
    """'int', 'float', 'bool', 'str', 'choice' or 'any' for the field at `toks`.

    Walks the pydantic schema (the hazard plug-in's model under `hazard`), so an
    integer field gets integer samples without the user saying so.
    """
    cur: Any = model
    for i, tok in enumerate(toks):
        alts = [a for a in _unwrap(cur) if a is not type(None)]
        if i == 0 and tok == "hazard" and hazard_model is not None:
            cur = hazard_model
            continue
        nxt = None
        for a in alts:
            if isinstance(tok, str) and isinstance(a, type) and issubclass(a, BaseModel):
                f = a.model_fields.get(tok)
                if f is not None:
                    nxt = f.annotation
                    break
            elif isinstance(tok, str) and get_origin(a) is dict:
                nxt = get_args(a)[1] if get_args(a) else Any
                break
            elif not isinstance(tok, str) and get_origin(a) in (list, tuple):
                nxt = get_args(a)[0] if get_args(a) else Any
                break
        if nxt is None:
            return "any"
        cur = nxt
    alts = [a for a in _unwrap(cur) if a is not type(None)]
    if any(get_origin(a) is Literal for a in alts):
        return "choice"
    if float in alts:
        return "float"
    if int in alts:
        return "int"
    if bool in alts:
        return "bool"
    if str in alts:
        return "str"
    return "any" if alts and alts[0] in (Any, typing.Any) else "any"
