"""Uncertain inputs: distribution nodes in scenario YAML and Latin hypercube samples.

Any numeric or categorical field under `hazard:`, `plan:` or `msel:` may be
written as a distribution instead of a value::

    count: {dist: uniform, low: 2, high: 8}          # integer field → integers 2..8
    delay_min: {dist: normal, mean: 10, sd: 3, low: 0}
    rate_per_h: {dist: triangular, low: 0.3, mode: 0.6, high: 1.2}
    policy: {dist: choice, values: [nearest, first_free], weights: [0.7, 0.3]}

A single run uses the nominal value (uniform midpoint, normal mean, triangular
mode, first choice). A batch samples all nodes jointly by Latin hypercube
(McKay, Beckman & Conover 1979, via `scipy.stats.qmc.LatinHypercube`), which
covers each input's range evenly with few runs. Every node's whole support is
validated at load time, so a batch never fails halfway on a bad sample.
"""

from __future__ import annotations

import copy
import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from sim.batch.paths import ID_KEYS, field_kind, parse_path, set_value
from sim.errors import ScenarioError
from sim.scenario.safe_yaml import load_yaml

#: Sections whose fields may be distributions.
SECTIONS = ("hazard", "plan", "msel")
_PARAMS = {
    "uniform": ({"low", "high"}, set()),
    "normal": ({"mean", "sd"}, {"low", "high"}),
    "triangular": ({"low", "mode", "high"}, set()),
    "choice": ({"values"}, {"weights"}),
}
#: A normal without bounds is truncated at mean ± this many standard deviations.
NORMAL_TAIL_SD = 4.0


@dataclass(frozen=True)
class Dist:
    """One distribution node: its kind, parameters and whether samples are integers."""

    kind: str
    params: dict[str, Any]
    integer: bool = False

    @classmethod
    def parse(cls, node: dict, where: str, kind_hint: str) -> Dist:
        """Check a `{dist: ...}` mapping; raise ValueError naming the field and expectation."""
        kind = node.get("dist")
        if kind not in _PARAMS:
            raise ValueError(f"{where}: got dist {kind!r}; expected one of {', '.join(_PARAMS)}")
        need, opt = _PARAMS[kind]
        keys = set(node) - {"dist", "integer"}
        if missing := sorted(need - keys):
            raise ValueError(f"{where}: dist {kind} needs {', '.join(missing)}")
        if extra := sorted(keys - need - opt):
            raise ValueError(
                f"{where}: dist {kind} has unknown key(s) {', '.join(extra)}; "
                f"allowed: {', '.join(sorted(need | opt | {'integer'}))}"
            )
        p = {k: v for k, v in node.items() if k in keys}  # the file's order, not a set's
        if kind == "choice":
            vals = p["values"]
            if not isinstance(vals, list) or not vals:
                raise ValueError(f"{where}: dist choice needs a non-empty list of values")
            w = p.get("weights")
            if w is not None:
                if not isinstance(w, list) or len(w) != len(vals):
                    raise ValueError(
                        f"{where}: dist choice weights must be a list as long as values "
                        f"({len(vals)}); got {w!r}"
                    )
                if any(not _num(x) or x < 0 for x in w) or sum(w) <= 0:
                    raise ValueError(
                        f"{where}: dist choice weights must be non-negative numbers with a "
                        f"positive sum; got {w!r}"
                    )
            return cls(kind, p, False)
        for k, v in p.items():
            if not _num(v):
                raise ValueError(f"{where}: dist {kind} {k} must be a number; got {v!r}")
        if kind == "uniform" and not p["low"] < p["high"]:
            raise ValueError(f"{where}: dist uniform needs low < high; got {p['low']}..{p['high']}")
        if (
            kind == "triangular"
            and not p["low"] <= p["mode"] <= p["high"]
            or (kind == "triangular" and p["low"] == p["high"])
        ):
            raise ValueError(
                f"{where}: dist triangular needs low ≤ mode ≤ high and low < high; got "
                f"low={p['low']}, mode={p['mode']}, high={p['high']}"
            )
        if kind == "normal":
            if not p["sd"] > 0:
                raise ValueError(f"{where}: dist normal sd must be > 0; got {p['sd']}")
            lo, hi = p.get("low", -math.inf), p.get("high", math.inf)
            if not lo < hi or not lo <= p["mean"] <= hi:
                raise ValueError(
                    f"{where}: dist normal needs low ≤ mean ≤ high; got low={lo}, "
                    f"mean={p['mean']}, high={hi}"
                )
        integer = node.get("integer")
        if integer is None:
            integer = kind_hint == "int"
        elif not isinstance(integer, bool):
            raise ValueError(f"{where}: integer must be true or false; got {integer!r}")
        return cls(kind, p, bool(integer))

    # -- values -----------------------------------------------------------------------
    def bounds(self) -> tuple[float, float]:
        """Lowest and highest value a sample can take (numeric kinds)."""
        p = self.params
        if self.kind == "normal":
            lo = p.get("low", p["mean"] - NORMAL_TAIL_SD * p["sd"])
            hi = p.get("high", p["mean"] + NORMAL_TAIL_SD * p["sd"])
            return float(lo), float(hi)
        return float(p["low"]), float(p["high"])

    def support(self) -> list[tuple[str, Any]]:
        """(label, value) pairs that span the support, for validation at load."""
        if self.kind == "choice":
            return [(f"values[{i}]", v) for i, v in enumerate(self.params["values"])]
        lo, hi = self.bounds()
        return [("lowest value", self._cast(lo)), ("highest value", self._cast(hi))]

    def nominal(self) -> Any:
        """The value a single (non-batch) run uses."""
        p = self.params
        if self.kind == "choice":
            return p["values"][0]
        if self.kind == "uniform":
            return self._cast((p["low"] + p["high"]) / 2)
        return self._cast(p["mean"] if self.kind == "normal" else p["mode"])

    def ppf(self, u: np.ndarray) -> list[Any]:
        """Map uniform [0, 1) samples to this distribution (inverse CDF)."""
        from scipy import stats

        u = np.asarray(u, dtype=float)
        p = self.params
        if self.kind == "choice":
            w = np.asarray(p.get("weights") or [1.0] * len(p["values"]), dtype=float)
            cum = np.cumsum(w) / w.sum()
            idx = np.minimum(np.searchsorted(cum, u, side="right"), len(w) - 1)
            return [p["values"][i] for i in idx]
        if self.kind == "uniform":
            lo, hi = float(p["low"]), float(p["high"])
            if self.integer:
                lo_i, hi_i = math.ceil(lo), math.floor(hi)
                x = np.minimum(np.floor(lo_i + u * (hi_i - lo_i + 1)), hi_i)
                return [int(v) for v in x]
            x = lo + u * (hi - lo)
        elif self.kind == "normal":
            lo, hi = self.bounds()
            sd = float(p["sd"])
            a, b = (lo - p["mean"]) / sd, (hi - p["mean"]) / sd
            x = stats.truncnorm.ppf(u, a, b, loc=float(p["mean"]), scale=sd)
        else:
            lo, hi = float(p["low"]), float(p["high"])
            x = stats.triang.ppf(u, (float(p["mode"]) - lo) / (hi - lo), loc=lo, scale=hi - lo)
        return [self._cast(v) for v in x]

    def _cast(self, v: float) -> Any:
        return int(round(float(v))) if self.integer else float(v)


def _num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


@dataclass(frozen=True)
class Node:
    """An uncertain field: its canonical path and distribution."""

    path: str
    dist: Dist


@dataclass(frozen=True)
class UncertainSpace:
    """The uncertain fields of a scenario, in file order."""

    nodes: tuple[Node, ...] = ()

    @property
    def paths(self) -> list[str]:
        """Canonical paths of the nodes."""
        return [n.path for n in self.nodes]

    def merged(self, other: UncertainSpace) -> UncertainSpace:
        """This space with `other`'s nodes added or replacing same-path nodes."""
        mine = {n.path: n for n in self.nodes}
        mine.update({n.path: n for n in other.nodes})
        return UncertainSpace(tuple(mine.values()))

    def sample(self, n: int, seed: int, columns: list[str] | None = None) -> pd.DataFrame:
        """`n` Latin hypercube samples: one row per run, one column per node.

        `columns` fixes the hypercube's dimensions (a superset of this space's
        paths); two plans sampled with the same columns, `n` and `seed` get the
        same uniform draws for the fields they share (common random numbers).
        """
        cols = list(columns) if columns is not None else self.paths
        if missing := [p for p in self.paths if p not in cols]:
            raise ValueError(f"sampling columns miss uncertain fields {missing}")
        u = lhs_unit(n, len(cols), seed)
        data = {node.path: node.dist.ppf(u[:, cols.index(node.path)]) for node in self.nodes}
        return pd.DataFrame(data, index=pd.RangeIndex(n, name="run"))


def lhs_unit(n: int, d: int, seed: int) -> np.ndarray:
    """An `n`×`d` Latin hypercube in [0, 1), seeded apart from the engine's run seeds."""
    if d == 0:
        return np.zeros((n, 0))
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x4C48]))
    return qmc.LatinHypercube(d=d, rng=rng).random(n)


def _id_of(el: Any, k: int) -> str:
    if isinstance(el, dict):
        for key in ID_KEYS:
            if key in el and not isinstance(el[key], dict):
                return str(el[key])
    return str(k)


def split_uncertain(data: dict, name: str = "<scenario>") -> tuple[dict, UncertainSpace]:
    """Replace distribution nodes by nominal values; return (nominal data, space).

    Raises `ScenarioError` (file, field path, value, expectation) for malformed
    nodes or nodes outside `hazard:`, `plan:` and `msel:`.
    """
    from sim.hazards.registry import get_plugin
    from sim.scenario.schema import Scenario

    problems: list[str] = []
    nodes: list[Node] = []
    hazard_model = None
    meta = data.get("scenario")
    if isinstance(meta, dict):
        try:
            hazard_model = get_plugin(str(meta.get("hazard"))).params_model
        except Exception:  # unknown/broken plug-in: the loader reports it properly
            hazard_model = None

    def walk(obj: Any, path: str, toks: list, section: str | None) -> Any:
        if isinstance(obj, dict):
            if "dist" in obj:
                if section not in SECTIONS:
                    problems.append(
                        f"{path}: distributions are allowed only under {', '.join(SECTIONS)}"
                    )
                    return obj
                try:
                    dist = Dist.parse(obj, path, field_kind(Scenario, toks, hazard_model))
                except ValueError as e:
                    problems.append(str(e))
                    return obj
                nodes.append(Node(path, dist))
                return dist.nominal()
            return {
                k: walk(v, f"{path}.{k}" if path else str(k), [*toks, k], section or str(k))
                for k, v in obj.items()
            }
        if isinstance(obj, list):
            return [
                walk(v, f"{path}[{_id_of(v, i)}]", [*toks, i], section) for i, v in enumerate(obj)
            ]
        return obj

    nominal = walk(data, "", [], None)
    if problems:
        raise ScenarioError(name, problems)
    return nominal, UncertainSpace(tuple(nodes))


def check_support(
    space: UncertainSpace, nominal: dict, name: str, base_dir: Path | None = None
) -> None:
    """Validate the scenario at each node's extreme values; raise one error per bad value."""
    from sim.scenario.loader import validate_scenario_dict

    problems: list[str] = []
    seen: set[str] = set()
    for node in space.nodes:
        for label, value in node.dist.support():
            trial = copy.deepcopy(nominal)
            set_value(trial, node.path, value)
            try:
                validate_scenario_dict(trial, name, base_dir)
            except ScenarioError as e:
                new = [p for p in e.problems if p not in seen]  # once, at the first bad value
                seen.update(new)
                problems += [f"{p} (the {label} of dist {node.dist.kind})" for p in new]
    if problems:
        raise ScenarioError(name, problems)


def uniform_nodes(specs: list[str], nominal: dict) -> UncertainSpace:
    """Nodes for `--vary PATH=LOW..HIGH` (or `PATH=a,b,c` for a choice)."""
    from sim.batch.paths import canonical
    from sim.hazards.registry import get_plugin
    from sim.scenario.schema import Scenario

    try:
        hazard_model = get_plugin(str(nominal["scenario"]["hazard"])).params_model
    except Exception:  # unknown/broken plug-in: reported by the loader
        hazard_model = None
    nodes = []
    for spec in specs:
        if "=" not in spec:
            raise ValueError(f"--vary {spec!r}: expected PATH=LOW..HIGH or PATH=a,b,c")
        path, rng = (s.strip() for s in spec.split("=", 1))
        where = f"--vary {spec!r}"
        try:
            cpath = canonical(nominal, path)
        except (ValueError, AttributeError, TypeError) as e:
            raise ValueError(f"{where}: {e}") from None
        kind = field_kind(Scenario, parse_path(cpath), hazard_model)
        if ".." in rng:
            lo_s, hi_s = rng.split("..", 1)
            try:
                lo, hi = float(lo_s), float(hi_s)
            except ValueError:
                raise ValueError(f"{where}: LOW..HIGH must be numbers; got {rng!r}") from None
            node = {"dist": "uniform", "low": lo, "high": hi}
        else:
            vals = [yaml.safe_load(v) for v in rng.split(",")]
            node = {"dist": "choice", "values": vals}
        try:
            nodes.append(Node(cpath, Dist.parse(node, where, kind)))
        except ValueError as e:
            raise ValueError(str(e)) from None
    return UncertainSpace(tuple(nodes))


@dataclass(frozen=True)
class UncertainScenario:
    """A scenario file with its uncertain fields, ready to be realised per run."""

    name: str
    base_dir: Path | None
    nominal_data: dict
    space: UncertainSpace
    sha256: str
    text: str = field(repr=False, default="")
    vary: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: str | Path, vary: tuple[str, ...] | list[str] = ()) -> UncertainScenario:
        """Load and fully validate `path`, adding `--vary` ranges as uniform nodes."""
        from sim.scenario import load_scenario

        path = Path(path)
        load_scenario(path)  # every validation error, phrased for the user
        return cls.from_text(path.read_text(encoding="utf-8"), str(path), path.parent, vary)

    @classmethod
    def from_text(
        cls,
        text: str,
        name: str,
        base_dir: Path | str | None,
        vary: tuple[str, ...] | list[str] = (),
    ) -> UncertainScenario:
        """Build from YAML text (what a remote worker receives instead of a path)."""
        from sim.scenario.loader import parse_scenario

        base = Path(base_dir) if base_dir is not None else None
        parse_scenario(text, name, base)
        nominal, space = split_uncertain(load_yaml(text), name)
        if vary:
            extra = uniform_nodes(list(vary), nominal)
            check_support(extra, nominal, name, base)
            space = space.merged(extra)
        sha = hashlib.sha256(text.encode()).hexdigest()
        return cls(name, base, nominal, space, sha, text, tuple(vary))

    def realise(self, values: dict[str, Any]):
        """The validated `Scenario` with `values` (path → value) set."""
        from sim.scenario.loader import validate_scenario_dict

        data = copy.deepcopy(self.nominal_data)
        for path, v in values.items():
            set_value(data, path, v.item() if isinstance(v, np.generic) else v)
        return validate_scenario_dict(data, self.name, self.base_dir)

    def nominal(self):
        """The scenario at nominal values (what `jmsim run` without a batch would use)."""
        return self.realise({})
