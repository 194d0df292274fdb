"""Plan comparison: plan A and plan B on the same hazard realisations.

Both plans run with the same engine seeds, so every named random stream
(hazard, incidents, people, ...) draws the same numbers in run k of A and of
B (common random numbers, Law 2015 §11.2): differences between A and B come
from the plans, not from luck. Uncertain inputs they share use the same Latin
hypercube columns. Each indicator's per-run difference B − A gets a paired
percentile-bootstrap interval of its mean (Efron & Tibshirani 1993, §13.3).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from sim.batch.outcomes import OUT, better_sign, dynamic_indicators, meets_target
from sim.indicators.stats import bootstrap_replicates
from sim.output import atomic_write_csv, atomic_write_json

COLUMNS = [
    "id",
    "unit",
    "direction",
    "scorecard_a",
    "scorecard_b",
    "mean_a",
    "mean_b",
    "diff_mean",
    "ci_low",
    "ci_high",
    "pairs",
    "pairs_capped",
    "runs_meeting_target_a",
    "runs_meeting_target_b",
    "better",
]


def bootstrap_mean_interval(
    d: np.ndarray, confidence: float = 0.95, n_boot: int = 4000, seed: int = 0
) -> tuple[float, float]:
    """Percentile-bootstrap interval of the mean of paired differences (seeded)."""
    d = np.asarray(d, dtype=float)
    if d.size == 0:
        raise ValueError("no paired differences to bootstrap")
    if d.size == 1 or np.all(d == d[0]):
        return float(d[0]), float(d[0])
    means = bootstrap_replicates(d, np.mean, n_boot, seed)
    a = (1 - confidence) / 2
    return float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def which_better(sign: int, lo: float, hi: float) -> str:
    """'A', 'B', 'same' or 'no clear difference' from the interval of B − A."""
    if lo == hi == 0:
        return "same"
    if lo > 0:
        return "B" if sign > 0 else "A"
    if hi < 0:
        return "A" if sign > 0 else "B"
    return "no clear difference"


def paired_differences(
    runs_a: pd.DataFrame,
    runs_b: pd.DataFrame,
    indicators,
    year: int,
    cap_h: float = math.inf,
):
    """One row per indicator: means, mean difference B − A with interval, verdict.

    A time never reached in a run (+inf) is capped at `cap_h` (the run length):
    the true value is at least that, so the difference is conservative rather
    than the pair being dropped (dropping would favour the worse plan). Only
    times are capped: a rate must never turn into the run length in hours.
    """
    if list(runs_a["seed"]) != list(runs_b["seed"]):
        raise ValueError("plan comparison needs the same seeds for A and B")
    rows = []
    for d in indicators:
        col = OUT + d.id
        if col not in runs_a or col not in runs_b:
            continue
        a = runs_a[col].to_numpy(float)
        b = runs_b[col].to_numpy(float)
        row = {
            "id": d.id,
            "unit": d.unit,
            "direction": d.direction,
            "runs_meeting_target_a": _rate(d, a, year),
            "runs_meeting_target_b": _rate(d, b, year),
        }
        # Only times are capped at the run length (hours); any other unit is left alone.
        cap = cap_h if d.kind == "time" else math.inf
        capped = (np.isinf(a) | np.isinf(b)) & (d.kind == "time")
        a, b = np.minimum(a, cap), np.minimum(b, cap)
        ok = np.isfinite(a) & np.isfinite(b)
        row |= {"pairs": int(ok.sum()), "pairs_capped": int((capped & ok).sum())}
        if ok.any():
            diff = b[ok] - a[ok]
            lo, hi = bootstrap_mean_interval(diff)
            row |= {
                "mean_a": float(a[ok].mean()),
                "mean_b": float(b[ok].mean()),
                "diff_mean": float(diff.mean()),
                "ci_low": lo,
                "ci_high": hi,
                "better": which_better(better_sign(d), lo, hi),
            }
        else:
            row |= {"better": "no paired data"}
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _rate(d, v: np.ndarray, year: int) -> str:
    ok = [m for m in (meets_target(d, x, year) for x in v) if m is not None]
    return f"{sum(ok)}/{len(ok)}" if ok else ""


def with_scorecards(df: pd.DataFrame, card_a: pd.DataFrame, card_b: pd.DataFrame) -> pd.DataFrame:
    """Add each plan's own scorecard estimate, so compare shows the same per-plan values."""
    df = df.copy()
    ea = card_a.set_index("id")["estimate"]
    eb = card_b.set_index("id")["estimate"]
    df["scorecard_a"] = [float(ea.get(i, math.nan)) for i in df["id"]]
    df["scorecard_b"] = [float(eb.get(i, math.nan)) for i in df["id"]]
    return df


def format_comparison(df: pd.DataFrame) -> str:
    """Terminal table: each plan's scorecard value, then the paired per-run difference."""
    from sim.indicators.format import fmt_value

    def f(v):
        return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.4g}"

    lines = [
        f"{'indicator':<36} {'A (scorecard)':>16} {'B (scorecard)':>16} {'B−A per run':>12}  "
        f"{'95% interval':<22} better"
    ]
    for r in df.itertuples(index=False):
        ci = f"[{f(r.ci_low)}, {f(r.ci_high)}]"
        lines.append(
            f"{r.id:<36} {fmt_value(r.scorecard_a, r.unit):>16} {fmt_value(r.scorecard_b, r.unit):>16} "
            f"{f(r.diff_mean):>12}  {ci:<22} "
            f"{r.better}   (direction {r.direction} is good; {r.unit}; per-run means A "
            f"{f(r.mean_a)}, B {f(r.mean_b)}; pairs {r.pairs}"
            + (f", {r.pairs_capped} never reached: capped at run length" if r.pairs_capped else "")
            + f"; runs meeting target A {r.runs_meeting_target_a}, B {r.runs_meeting_target_b})"
        )
    return "\n".join(lines)


def _write_phase_report(out: Path, df: pd.DataFrame, results: dict, name_a: str, name_b: str):
    """`report.html` of a comparison: the paired table and per-plan response-phase bars."""
    import html

    from sim.batch.phases import fig_phases
    from sim.batch.report import _img

    parts = [
        f"<h1>Plan comparison: A = {html.escape(name_a)}, B = {html.escape(name_b)}</h1>",
        df.to_html(index=False, float_format=lambda v: f"{v:.4g}"),
        "<p>Each plan's full report: <a href='a/report.html'>A</a> · "
        "<a href='b/report.html'>B</a></p>",
    ]
    kinds = ["incident_reported", "unit_arrived"]
    b64 = fig_phases({k.upper(): results[k].events.of_kinds(kinds)[0] for k in ("a", "b")})
    if b64 is not None:
        parts += ["<h2>Response phases per plan</h2>", _img(b64, "response phases")]
    text = "<!doctype html><meta charset='utf-8'><body>" + "\n".join(parts) + "</body>"
    tmp = out / "report.html.tmp"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out / "report.html")


def run_compare(a: argparse.Namespace) -> int:
    """The `jmsim compare` command."""
    from sim.batch.montecarlo import run_batch
    from sim.batch.uncertainty import UncertainScenario

    ua, ub = UncertainScenario.load(a.a), UncertainScenario.load(a.b)
    na, nb = ua.nominal(), ub.nominal()
    if na.scenario.hazard != nb.scenario.hazard:
        raise ValueError(
            f"plans must face the same hazard type; got {na.scenario.hazard!r} and "
            f"{nb.scenario.hazard!r}"
        )
    columns = ua.space.paths + [p for p in ub.space.paths if p not in ua.space.paths]
    seed = na.run.seed if a.seed is None else a.seed
    runs = a.runs or na.run.runs
    year = a.year or na.indicators.year
    out = Path(a.out) if a.out else None
    results = {}
    for tag, us in (("a", ua), ("b", ub)):
        print(f"# plan {tag.upper()}: {us.name}")
        results[tag] = run_batch(
            us, runs=runs, seed=seed, out=out / tag if out else None, workers=a.workers,
            scheduler=a.scheduler, resume=a.resume, force=a.force, year=year,
            progress=a.progress, columns=columns, report=not a.no_report, events=getattr(a, "events", "all"),
        )  # fmt: skip
    inds = dynamic_indicators(na)
    inds += [d for d in dynamic_indicators(nb) if d not in inds]
    cap_h = max(na.scenario.duration_h, nb.scenario.duration_h)
    df = paired_differences(results["a"].runs, results["b"].runs, inds, year, cap_h)
    df = with_scorecards(df, results["a"].scorecard, results["b"].scorecard)
    print(f"# A = {ua.name}, B = {ub.name}; {runs} paired runs, seeds {seed}..{seed + runs - 1}")
    print(format_comparison(df))
    wins = {k: list(df.loc[df["better"] == k, "id"]) for k in ("A", "B")}
    print(f"# A better on: {', '.join(wins['A']) or 'nothing'}")
    print(f"# B better on: {', '.join(wins['B']) or 'nothing'}")
    if out is not None:
        atomic_write_csv(df, out / "compare.csv")
        atomic_write_json(out / "compare.json", json.loads(df.to_json(orient="records")))
        if not a.no_report:
            _write_phase_report(out, df, results, ua.name, ub.name)
        print(f"# comparison written to {out}/ (each plan's batch in {out}/a and {out}/b)")
    return 0
