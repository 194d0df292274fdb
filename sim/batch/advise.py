"""`jmsim advise`: which plan changes make failing indicator rows pass, and at what cost.

The planner's question "what should we change?" answered by simulation:

1. A baseline batch (N runs) gives the rows that fail or cannot tell.
2. Candidate changes, each with a cost: one more unit in each unit group, each
   group moved to another base of the same kind (the facility id prefix, e.g.
   SEA01 -> SEA04), a longer evacuation and warning lead (typhoon), more relief
   stock and one more truck per depot, another lookout (forest fire).
3. Each candidate runs on the same seeds (common random numbers) and its
   marginal effect on every failing/cannot-tell row is the paired mean
   difference with a bootstrap interval (the `compare` statistics).
4. Greedy search: add changes in order of benefit per cost (benefit = net sum
   over the rows of the improvement in target units: a row made worse counts
   against it) until the rows pass or the budget is spent, turning down any
   change that makes a passing row fail.
5. The recommended plan is confirmed on fresh seeds against the baseline, with
   before/after scorecards.

Costs come from `plan.costs` in the scenario, else `DEFAULT_COSTS` (ALL
ILLUSTRATIVE orders of magnitude in CNY, not procurement prices). The search is
greedy on marginal effects, so it can miss a combination that only helps
jointly; the confirmation run is what to trust.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from sim.batch.compare import paired_differences
from sim.batch.outcomes import better_sign, dynamic_indicators

#: ILLUSTRATIVE costs (CNY) of plan changes; a scenario overrides them in `plan.costs`.
DEFAULT_COSTS: dict[str, float] = {
    "unit": 2.0e6,  # any unit type not listed below
    "rescue_boat": 2.0e6,
    "fire_rescue_boat": 1.0e6,
    "patrol_craft": 5.0e6,
    "tug": 8.0e6,
    "helicopter": 3.0e7,
    "fire_engine": 2.0e6,
    "emergency_comms_vehicle": 1.5e6,
    "move_group_per_unit": 2.0e5,  # pre-positioning a group at another base
    "evacuation_lead_6h": 1.0e6,  # social cost of evacuating 6 h earlier
    "relief_stock_50pct": 5.0e5,
    "truck_per_depot": 3.0e5,
    "lookout": 5.0e5,
    "town_satellite_phones": 1.0e6,  # a satellite phone and service at every town duty desk
    "town_duty_desk": 3.0e6,  # one more duty officer at every town desk
}
BAD_VERDICTS = ("fail", "cannot tell")


@dataclass
class Candidate:
    """One plan change: a name, its cost and how it edits the raw scenario dict."""

    key: str
    label: str
    cost: float
    edit: Any  # callable(dict) -> None
    effects: dict[str, dict] = field(default_factory=dict)
    benefit: float = 0.0


def _cost(costs: dict[str, float], key: str) -> float:
    return float(costs.get(key, DEFAULT_COSTS.get(key, DEFAULT_COSTS["unit"])))


def _base_id(base: Any) -> str | None:
    return base if isinstance(base, str) else None


def candidates(raw: dict, facility_ids: list[str]) -> list[Candidate]:
    """All candidate changes for the scenario `raw` (YAML dict, distributions kept)."""
    plan = raw.get("plan", {})
    costs = {**DEFAULT_COSTS, **plan.get("costs", {})}
    out: list[Candidate] = []
    for i, u in enumerate(plan.get("units", [])):
        count = u.get("count", 1)
        n = count if isinstance(count, int) else 1

        def more(d, i=i):
            uu = d["plan"]["units"][i]
            c = uu.get("count", 1)
            uu["count"] = (c if isinstance(c, int) else 1) + 1

        out.append(
            Candidate(
                f"more:{u['id']}",
                f"one more {u['type']} in {u['id']}",
                _cost(costs, u["type"]),
                more,
            )  # fmt: skip
        )
        b = _base_id(u.get("base"))
        if b is None:
            continue
        prefix = re.match(r"[A-Za-z]+", b)
        others = [f for f in facility_ids if prefix and f.startswith(prefix.group(0)) and f != b]
        for f in others:

            def move(d, i=i, f=f):
                d["plan"]["units"][i]["base"] = f

            out.append(
                Candidate(
                    f"move:{u['id']}:{f}",
                    f"move {u['id']} from {b} to {f}",
                    n * costs["move_group_per_unit"],
                    move,
                )  # fmt: skip
            )
    hz = raw.get("hazard", {})
    if hz.get("type") == "typhoon" and hz.get("evacuations"):

        def earlier(d):
            for o in d["hazard"].get("evacuations", []) + d["hazard"].get("warnings", []):
                if isinstance(o.get("lead_h"), int | float):
                    o["lead_h"] = o["lead_h"] + 6

        out.append(
            Candidate(
                "lead:+6h",
                "warnings and evacuations 6 h earlier",
                costs["evacuation_lead_6h"],
                earlier,
            )  # fmt: skip
        )
    if plan.get("depots"):
        nd = len(plan["depots"])

        def stock(d):
            for dep in d["plan"]["depots"]:
                if isinstance(dep.get("stock_kits"), int):
                    dep["stock_kits"] = int(math.ceil(dep["stock_kits"] * 1.5))

        def trucks(d):
            for dep in d["plan"]["depots"]:
                t = dep.get("trucks", 2)
                if isinstance(t, int):
                    dep["trucks"] = t + 1

        out.append(Candidate("relief:stock", "relief stock +50 % at every depot",
                             costs["relief_stock_50pct"], stock))  # fmt: skip
        out.append(Candidate("relief:trucks", "one more truck at every depot",
                             nd * costs["truck_per_depot"], trucks))  # fmt: skip
    out += _reporting_candidates(plan, costs)
    det = hz.get("detection") if hz.get("type") == "forestfire" else None
    if isinstance(det, dict) and det.get("observers"):

        def lookout(d):
            obs = d["hazard"]["detection"]["observers"]
            first = copy.deepcopy(obs[0])
            first["id"] = f"{first['id']}_ADV"
            for k in ("lat", "lon"):
                if isinstance(first.get(k), int | float):
                    first[k] = first[k] + 0.03
            obs.append(first)

        out.append(Candidate("lookout", "another lookout camera", costs["lookout"], lookout))
    return out


def _reporting_candidates(plan: dict, costs: dict[str, float]) -> list[Candidate]:
    """Faster town reports (上报及时率): satellite phones or one more desk at every town."""
    from sim.scenario.schema import ReportingSpec

    rep = plan.get("reporting") or {}
    if rep.get("enabled", True) is False:
        return []
    default_town = ReportingSpec().town.model_dump()
    town = {**default_town, **(rep.get("town") or {})}

    def with_town(**change):
        def edit(d):
            r = d["plan"].setdefault("reporting", {})
            r["town"] = {**default_town, **(r.get("town") or {}), **change}

        return edit

    out = []
    if not town["satellite_phone"]:
        out.append(Candidate("reporting:town_satphone", "a satellite phone at every town duty desk",
                             costs["town_satellite_phones"], with_town(satellite_phone=True)))  # fmt: skip
    if isinstance(town["duty_staff"], int):
        out.append(Candidate("reporting:town_desk", "one more duty officer at every town desk",
                             costs["town_duty_desk"],
                             with_town(duty_staff=town["duty_staff"] + 1)))  # fmt: skip
    return out


def _us(raw: dict, name: str, base_dir: Path | None):
    from sim.batch.uncertainty import UncertainScenario

    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    return UncertainScenario.from_text(text, name, base_dir)


def _batch(us, runs: int, seed: int, opts: argparse.Namespace):
    from sim.batch.montecarlo import run_batch

    return run_batch(
        us, runs=runs, seed=seed, workers=opts.workers, scheduler=opts.scheduler,
        year=opts.year, progress=False, report=False,
    )  # fmt: skip


def _benefit(diffs: pd.DataFrame, rows: list, base_sc: pd.DataFrame) -> tuple[float, dict]:
    """Net improvement summed over `rows`, each in units of its distance to target.

    Net, not only the gains: moving the boats can shorten nothing on the comms row
    by noise and lengthen sea arrival for real; such a change must not rank high.
    """
    total, eff = 0.0, {}
    for d in rows:
        r = diffs[diffs["id"] == d.id]
        if r.empty or not np.isfinite(r["diff_mean"].iloc[0]):
            continue
        r = r.iloc[0]
        good = better_sign(d) * float(r["diff_mean"])  # > 0 = better
        est = base_sc.loc[base_sc["id"] == d.id, "estimate"].astype(float)
        tgt = base_sc.loc[base_sc["id"] == d.id, "target"].astype(float)
        scale = abs(float(est.iloc[0]) - float(tgt.iloc[0])) if len(est) else 1.0
        scale = scale if np.isfinite(scale) and scale > 0 else 1.0
        eff[d.id] = {
            "diff_mean": float(r["diff_mean"]),
            "ci_low": float(r["ci_low"]),
            "ci_high": float(r["ci_high"]),
            "better": str(r["better"]),
        }
        total += good / scale  # net: a row made worse counts against the change
    return total, eff


def _score_gain(prev: pd.DataFrame, new: pd.DataFrame, rows: list, base: pd.DataFrame) -> float:
    """Improvement of the rows' estimates from `prev` to `new`, in distance-to-target units."""
    total = 0.0
    for d in rows:
        p = prev.loc[prev["id"] == d.id, "estimate"].astype(float)
        n = new.loc[new["id"] == d.id, "estimate"].astype(float)
        b = base.loc[base["id"] == d.id, ["estimate", "target"]].astype(float)
        if p.empty or n.empty or b.empty:
            continue
        change = better_sign(d) * (float(n.iloc[0]) - float(p.iloc[0]))
        scale = abs(float(b["estimate"].iloc[0]) - float(b["target"].iloc[0]))
        if np.isfinite(change) and np.isfinite(scale) and scale > 0:
            total += change / scale
    return total


def _bad_rows(sc: pd.DataFrame, inds: list) -> list:
    bad = set(sc.loc[sc["verdict"].isin(BAD_VERDICTS), "id"])
    return [d for d in inds if d.id in bad]


def _progress(k: int, n: int, what: str, t0: float) -> None:
    width = 30
    done = int(width * k / max(n, 1))
    sys.stderr.write(
        f"\r[{'#' * done}{'.' * (width - done)}] {k}/{n} {what[:40]:<40} {time.time() - t0:6.0f} s"
    )
    sys.stderr.flush()
    if k == n:
        sys.stderr.write("\n")


@dataclass
class GreedyResult:
    """The greedy path: changes kept, the plan they make, their cost, what was turned down."""

    chosen: list[Candidate]
    plan: dict
    spent: float
    trace: list[dict]
    rejected: list[dict]


def _group(c: Candidate) -> tuple[str, str]:
    kind, _, rest = c.key.partition(":")
    return (kind, rest.split(":")[0]) if kind in ("move", "more") else (c.key, "")


def greedy(
    ranked: list[Candidate],
    raw: dict,
    evaluate: Callable[[dict], pd.DataFrame],
    rows: list,
    base_sc: pd.DataFrame,
    budget: float = math.inf,
    max_changes: int = 4,
) -> GreedyResult:
    """Add changes in the order given (best benefit per cost first) while they help.

    `evaluate(plan)` gives the scorecard of a plan on the search seeds. A change
    is kept only if it improves the failing rows (`rows`) and turns no row that
    passed in the baseline (`base_sc`) into a non-pass: advice that fixes one
    row by breaking another is not advice (a longer evacuation lead can fix
    relief to the city and break relief to the towns). A change is applied
    again while it keeps improving (e.g. +6 h, +12 h); a group gets one move.
    The advice is the cheapest prefix of the path that passes the most rows.
    """
    protected = set(base_sc.loc[base_sc["verdict"] == "pass", "id"])
    target_rows = {d.id for d in rows}
    chosen: list[Candidate] = []
    states: list[dict] = []
    trace: list[dict] = []
    rejected: list[dict] = []
    plan, prev_sc, spent = copy.deepcopy(raw), base_sc, 0.0
    for c in ranked:
        if any(_group(x) == _group(c) for x in chosen):
            continue
        while spent + c.cost <= budget and len(chosen) < max_changes:
            trial = copy.deepcopy(plan)
            c.edit(trial)
            sc = evaluate(trial)
            passing = set(sc.loc[sc["verdict"] == "pass", "id"])
            broken = sorted(protected - passing)
            if broken:
                rejected.append({"change": c.label, "cost": c.cost, "breaks": broken})
                break
            gain = _score_gain(prev_sc, sc, rows, base_sc)
            if chosen and gain <= 0:
                break  # a repeat (or a next change) that no longer helps
            chosen.append(c)
            spent += c.cost
            plan, prev_sc = trial, sc
            states.append(copy.deepcopy(trial))
            passed = passing & target_rows
            trace.append({"added": c.label, "cost": c.cost, "rows_passing": sorted(passed)})
            if passed == target_rows or c.key.startswith("move:"):
                break
        if set(prev_sc.loc[prev_sc["verdict"] == "pass", "id"]) >= target_rows:
            break
        if len(chosen) >= max_changes:
            break
    most = max((len(t["rows_passing"]) for t in trace), default=0)
    if most > 0:
        k = next(i for i, t in enumerate(trace) if len(t["rows_passing"]) == most)
        chosen, plan = chosen[: k + 1], states[k]
        spent = sum(c.cost for c in chosen)
    return GreedyResult(chosen, plan, spent, trace, rejected)


def advise(opts: argparse.Namespace) -> dict:
    """Run the whole advice search; returns the advice.json content."""
    from sim.batch.uncertainty import UncertainScenario
    from sim.run import load_world

    t_start = time.time()
    us0 = UncertainScenario.load(opts.scenario)
    path = Path(opts.scenario)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    nominal = us0.nominal()
    runs = opts.runs or max(nominal.run.runs, 4)
    seed = nominal.run.seed if opts.seed is None else opts.seed
    opts.year = opts.year or nominal.indicators.year
    world = load_world(nominal)
    fac = sorted(
        str(f) for f in getattr(world, "facilities", pd.DataFrame()).get("facility_id", [])
    )
    cands = [c for c in candidates(raw, fac) if not opts.only or re.search(opts.only, c.key)]
    n_batches = 1 + len(cands)
    t0 = time.time()
    _progress(0, n_batches, "baseline", t0)
    base = _batch(us0, runs, seed, opts)
    base_s = time.time() - t0  # the same invocation's cost of `runs` runs: advise's unit
    inds = dynamic_indicators(nominal)
    rows = _bad_rows(base.scorecard, inds)
    cap_h = nominal.scenario.duration_h
    n_runs = runs
    for k, c in enumerate(cands, start=1):
        _progress(k, n_batches, c.label, t0)
        d = copy.deepcopy(raw)
        c.edit(d)
        try:
            res = _batch(_us(d, f"{path}+{c.key}", path.parent), runs, seed, opts)
        except Exception as e:  # noqa: BLE001 - an invalid candidate is skipped, with the reason
            c.effects = {"error": str(e).splitlines()[0][:200]}
            continue
        n_runs += runs
        diffs = paired_differences(base.runs, res.runs, rows, opts.year, cap_h)
        c.benefit, c.effects = _benefit(diffs, rows, base.scorecard)
    ranked = sorted((c for c in cands if c.benefit > 0), key=lambda c: -c.benefit / max(c.cost, 1))
    budget = math.inf if opts.budget is None else float(opts.budget)

    def evaluate(trial: dict) -> pd.DataFrame:
        nonlocal n_runs
        n_runs += runs
        return _batch(_us(trial, f"{path}+greedy", path.parent), runs, seed, opts).scorecard

    g = greedy(ranked, raw, evaluate, rows, base.scorecard, budget, opts.max_changes)
    chosen, plan_raw, spent = g.chosen, g.plan, g.spent
    target_rows = {d.id for d in rows}
    # confirm on fresh seeds
    fresh = seed + 10_000
    before = _batch(us0, runs, fresh, opts)
    after = (
        _batch(_us(plan_raw, f"{path}+advice", path.parent), runs, fresh, opts)
        if chosen
        else before
    )
    n_runs += 2 * runs if chosen else runs

    def card(sc):
        return {
            r["id"]: {"estimate": r["estimate"], "verdict": r["verdict"]} for _, r in sc.iterrows()
        }

    cb, ca = card(before.scorecard), card(after.scorecard)
    fixed = sorted(i for i in target_rows if cb.get(i, {}).get("verdict") != "pass"
                   and ca.get(i, {}).get("verdict") == "pass")  # fmt: skip
    # the search only looks at failing rows: say which passing rows the advice breaks
    broken = sorted(i for i, b in cb.items() if b["verdict"] == "pass"
                    and ca.get(i, {}).get("verdict") != "pass")  # fmt: skip
    return {
        "scenario": str(path),
        "runs_per_batch": runs,
        "seed": seed,
        "confirm_seed": fresh,
        "total_runs": n_runs,
        "wall_s": round(time.time() - t_start, 1),
        "baseline_batch_s": round(base_s, 2),
        "budget": None if opts.budget is None else float(opts.budget),
        "rows_failing_or_cannot_tell": sorted(target_rows),
        "candidates": [
            {
                "key": c.key,
                "change": c.label,
                "cost": c.cost,
                "benefit_per_cost": c.benefit / max(c.cost, 1),
                "effects": c.effects,
            }  # fmt: skip
            for c in cands
        ],
        "recommendation": [{"change": c.label, "cost": c.cost} for c in chosen],
        "total_cost": spent,
        "greedy_trace": g.trace,
        "greedy_rejected": g.rejected,
        "confirmation": {"before": cb, "after": ca, "rows_fixed": fixed, "rows_broken": broken},
        "costs_note": "costs: plan.costs, else DEFAULT_COSTS (ILLUSTRATIVE) in sim/batch/advise.py",
    }


#: Verdicts that judge a row (the others say the row is not produced here).
JUDGED = ("pass", "fail", "cannot tell")
_VERDICT_BG = {"pass": "#d8f0dc", "fail": "#f7d6d6", "cannot tell": "#f7ecc8"}

ADVICE_CSS = """
body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;font-size:12px;margin:6px 0}td,th{border:1px solid #ccc;
padding:3px 6px;text-align:left;vertical-align:top}th{background:#f0f0f0}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.target td:first-child{font-weight:bold}
.note{color:#666;font-size:12px}.warn{background:#fff4e0;border:1px solid #e0b060;padding:6px 10px}
"""


def _verdict_td(v: str) -> str:
    bg = _VERDICT_BG.get(v)
    return f"<td style='background:{bg}'>{v}</td>" if bg else f"<td>{v}</td>"


def advice_html(adv: dict) -> str:
    """The advice as an HTML section (recommendation, effects, before/after scorecard).

    The before/after table lists only rows judged on either side (rows the model
    does not produce would bury the few that matter); rows the search targeted are
    bold, and a row whose verdict changed says so.
    """
    import html

    conf = adv["confirmation"]
    targets = set(adv["rows_failing_or_cannot_tell"])
    rec = (
        "".join(
            f"<li>{html.escape(r['change'])} — {r['cost']:,.0f} CNY</li>"
            for r in adv["recommendation"]
        )
        or "<li>no change found that improves a failing row</li>"
    )
    warn = ""
    if adv["recommendation"] and not conf["rows_fixed"]:
        warn = (
            "<p class='warn'>The recommended changes move the failing rows towards their targets "
            "on the search seeds but make none of them pass on fresh seeds: treat them as the "
            "best direction found, not as a fix (more <code>--runs</code>, a larger "
            "<code>--budget</code> or other candidates may find one).</p>"
        )
    rows = []
    for i, b in conf["before"].items():
        a = conf["after"].get(i, {})
        vb, va = b["verdict"], a.get("verdict", "")
        if vb not in JUDGED and va not in JUDGED:
            continue
        change = "" if vb == va else f"{vb} → {va}"
        cls = " class='target'" if i in targets else ""
        rows.append(
            f"<tr{cls}><td>{html.escape(i)}</td><td class='num'>{_f(b['estimate'])}</td>"
            f"{_verdict_td(vb)}<td class='num'>{_f(a.get('estimate'))}</td>{_verdict_td(va)}"
            f"<td>{html.escape(change)}</td></tr>"
        )
    eff = []
    for c in sorted(adv["candidates"], key=lambda c: -c["benefit_per_cost"])[:15]:
        e = "<br>".join(
            f"{html.escape(k)}: {v['diff_mean']:+.3g} [{v['ci_low']:+.3g}, {v['ci_high']:+.3g}]"
            for k, v in c["effects"].items()
            if isinstance(v, dict)
        ) or html.escape(str(c["effects"].get("error", "")))
        eff.append(f"<tr><td>{html.escape(c['change'])}</td><td class='num'>{c['cost']:,.0f}</td>"
                   f"<td class='num'>{c['benefit_per_cost'] * 1e6:.3g}</td><td>{e}</td></tr>")  # fmt: skip
    runs = adv.get("runs_per_batch", "?")
    return (
        f"<h2>Advice</h2><p>{adv['total_runs']} runs ({runs} per evaluated plan, seeds from "
        f"{adv.get('seed', '?')}; confirmation from {adv.get('confirm_seed', '?')}), "
        f"{adv['wall_s']:.0f} s. Rows failing or cannot tell: "
        f"{', '.join(sorted(targets)) or 'none'}.</p>"
        f"<h3>Recommended changes (total {adv['total_cost']:,.0f} CNY, illustrative costs)</h3>"
        f"<ul>{rec}</ul>{warn}<p>Rows fixed on fresh seeds: "
        f"{', '.join(conf['rows_fixed']) or 'none'}; rows that passed before and "
        f"no longer pass: {', '.join(conf['rows_broken']) or 'none'}</p>"
        + _rejected_html(adv.get("greedy_rejected", []))
        + "<h3>Before / after on fresh seeds</h3><p class='note'>Judged rows only; bold: rows "
        "the search tried to fix.</p><table><tr><th>indicator</th><th>before</th><th>verdict</th>"
        "<th>after</th><th>verdict</th><th>change</th></tr>" + "".join(rows) + "</table>"
        "<h3>Top candidates: paired effect (B − A) on the failing rows, 95 % interval</h3>"
        "<table><tr><th>change</th><th>cost (CNY)</th><th>benefit per M CNY</th>"
        "<th>effects</th></tr>" + "".join(eff) + "</table>"
    )


def _rejected_html(rej: list[dict]) -> str:
    import html

    if not rej:
        return ""
    items = "".join(
        f"<li>{html.escape(r['change'])}: would break {html.escape(', '.join(r['breaks']))}</li>"
        for r in rej
    )
    return f"<p>Turned down because they break rows that passed:</p><ul>{items}</ul>"


def _f(v) -> str:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return ""
    if math.isnan(x):
        return "—"
    return f"{x:.3g}" if math.isfinite(x) else ("∞" if x > 0 else "−∞")


def _check_out(out: Path) -> None:
    """Refuse a non-empty folder that holds no earlier advice: never overwrite a user's files."""
    if not out.exists() or not any(out.iterdir()):
        return
    try:
        old = json.loads((out / "advice.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = None
    if not (isinstance(old, dict) and "rows_failing_or_cannot_tell" in old):
        raise ValueError(
            f"--out {out}: not empty and holds no earlier jmsim advice; choose another folder"
        )


def cmd_advise(a: argparse.Namespace) -> int:
    """`jmsim advise`: search plan changes that make failing rows pass; write advice.json."""
    import html

    from sim.output import atomic_write_json, atomic_write_text

    out = Path(a.out or "advice")
    if out.is_file():
        raise ValueError(f"--out {out}: is a file; expected a folder")
    _check_out(out)
    adv = advise(a)
    out.mkdir(parents=True, exist_ok=True)
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>jmsim advice — "
        f"{html.escape(adv['scenario'])}</title><style>{ADVICE_CSS}</style></head><body>"
        + advice_html(adv)
        + "</body></html>"
    )
    atomic_write_text(out / "report.html", page)
    atomic_write_json(out / "advice.json", adv)  # last: marks the folder as advice output
    print(f"# rows failing or cannot tell: {', '.join(adv['rows_failing_or_cannot_tell'])}")
    for r in adv["recommendation"]:
        print(f"  + {r['change']} ({r['cost']:,.0f} CNY)")
    print(f"# total cost {adv['total_cost']:,.0f} CNY; rows fixed on fresh seeds: "
          f"{', '.join(adv['confirmation']['rows_fixed']) or 'none'}")  # fmt: skip
    if adv["confirmation"]["rows_broken"]:
        print(f"# WARNING: no longer passing: {', '.join(adv['confirmation']['rows_broken'])}")
    print(f"# {adv['total_runs']} runs in {adv['wall_s']:.0f} s; written to {out}/")
    return 0
