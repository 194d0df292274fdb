"""Stress tests: vary plan and hazard fields over ranges, then find where the plan fails.

`jmsim sweep` runs a Latin hypercube of experiments over the `--vary` ranges
(plus any `{dist: ...}` nodes of the file), writes the experiments table with
outcomes, and runs scenario discovery: PRIM (Friedman & Fisher 1999), as
implemented by the EMA Workbench (Kwakkel 2017, `ema_workbench.analysis.prim`),
finds the input box where failures concentrate. Optionally, a Sobol global
sensitivity analysis (Saltelli 2002; SALib, Herman & Usher 2017).
"""

from __future__ import annotations

import argparse
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.batch.outcomes import OUT, dynamic_indicators, meets_target
from sim.output import atomic_write, atomic_write_csv

#: Default minimum share of failures a reported box must cover.
MIN_COVERAGE = 0.8


@dataclass(frozen=True)
class Box:
    """A PRIM box: limits of the restricted inputs and its quality."""

    limits: dict[str, tuple]  # input → (low, high) or (set of categories,)
    coverage: float  # share of all failures inside the box
    density: float  # share of runs inside the box that fail
    mass: float  # share of all runs inside the box
    n: int

    def describe(self) -> str:
        """One line per restricted input, then the box statistics."""
        lines = []
        for k, lim in self.limits.items():
            if len(lim) == 1:
                lines.append(f"  {k} in {{{', '.join(map(str, sorted(lim[0])))}}}")
            else:
                lines.append(f"  {lim[0]:.4g} <= {k} <= {lim[1]:.4g}")
        lines.append(
            f"  coverage {self.coverage:.0%} of failures, density {self.density:.0%} fail "
            f"inside, mass {self.mass:.0%} of runs (n={self.n})"
        )
        return "\n".join(lines)


def _quiet_import_prim():
    logging.getLogger("EMA").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    return prim


def discover(
    x: pd.DataFrame,
    fail: np.ndarray,
    *,
    min_coverage: float = MIN_COVERAGE,
    mass_min: float = 0.05,
    density_tolerance: float = 0.02,
    plot: Path | None = None,
) -> Box | None:
    """Find the box of inputs where failures concentrate (PRIM, EMA Workbench).

    From PRIM's peeling trajectory, among boxes covering at least
    `min_coverage` of the failures, those within `density_tolerance` of the
    best density are candidates and the one with the highest coverage wins
    (then fewer restricted inputs): peeling on past the true edge buys little
    density with noisy outcomes but loses coverage. Returns None when nothing fails.
    """
    fail = np.asarray(fail, dtype=bool)
    if not fail.any():
        return None
    prim = _quiet_import_prim()
    x = x.reset_index(drop=True)
    # EMA Workbench's pasting writes midpoints (e.g. 5.5) into the box: integer inputs as floats
    x = x.astype({c: float for c in x.columns if pd.api.types.is_integer_dtype(x[c])})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alg = prim.Prim(x, fail, mass_min=mass_min)
        box = alg.find_box()
    traj = box.peeling_trajectory
    ok = traj[traj["coverage"] >= min_coverage]
    if ok.empty:
        ok = traj
    near = ok[ok["density"] >= ok["density"].max() - density_tolerance]
    best = near.sort_values(["coverage", "res_dim", "density"], ascending=[False, True, False])
    i = int(best.index[0])
    box.select(i)
    lim, init = box.box_lim, alg.box_init
    limits: dict[str, tuple] = {}
    for col in x.columns:
        if col not in lim:
            continue
        lo, hi = lim[col].iloc[0], lim[col].iloc[1]
        if isinstance(lo, set):
            if lo != init[col].iloc[0]:
                limits[col] = (lo,)
        elif lo != init[col].iloc[0] or hi != init[col].iloc[1]:
            limits[col] = (float(lo), float(hi))
    row = traj.loc[i]
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fig = box.show_tradeoff()
        fig.axes[0].set_title(f"PRIM peeling trajectory (chosen box {i})", fontsize=9)
        atomic_write(
            plot.with_name(plot.stem + "_tradeoff.png"),
            lambda p: fig.savefig(p, format="png", dpi=90),
        )
        plt.close(fig)
        figs = box.inspect(i, style="graph")
        fig = figs[0][0] if isinstance(figs[0], tuple) else figs[0]
        atomic_write(plot, lambda p: fig.savefig(p, format="png", dpi=90, bbox_inches="tight"))
        plt.close("all")
    return Box(
        limits, float(row["coverage"]), float(row["density"]), float(row["mass"]), int(row["n"])
    )


def failures(runs: pd.DataFrame, d, year: int, threshold: float | None) -> np.ndarray:
    """Per-run failure flags for indicator `d`: worse than `threshold` (default: target)."""
    vals = runs[OUT + d.id].to_numpy(float)
    if threshold is None:
        ok = [meets_target(d, v, year) for v in vals]
        return np.array([m is False for m in ok])
    bad = vals > threshold if d.direction in ("<", "<=") else vals < threshold
    return bad & ~np.isnan(vals)


def run_sweep(a: argparse.Namespace) -> int:
    """The `jmsim sweep` command."""
    from sim.batch.montecarlo import run_batch
    from sim.batch.uncertainty import UncertainScenario
    from sim.indicators.catalog import CATALOG

    us = UncertainScenario.load(a.scenario, vary=a.vary)
    if not us.space.nodes:
        raise ValueError("nothing to vary: give --vary PATH=LOW..HIGH or {dist: ...} fields")
    if a.samples < 2:
        raise ValueError(f"--samples must be at least 2; got {a.samples}")
    nominal = us.nominal()
    inds = dynamic_indicators(nominal)
    if a.indicator and a.indicator not in {d.id for d in inds}:
        raise ValueError(
            f"--indicator {a.indicator!r}: not a dynamic indicator of this scenario; "
            f"expected one of {', '.join(d.id for d in inds)}"
        )
    seed = nominal.run.seed if a.seed is None else a.seed
    out = Path(a.out) if a.out else None
    res = run_batch(
        us, runs=a.samples, seed=seed, out=out, workers=a.workers, scheduler=a.scheduler,
        resume=a.resume, force=a.force, year=a.year, progress=a.progress,
        report=not a.no_report, events=getattr(a, "events", "all"),
    )  # fmt: skip
    runs = res.runs
    if out is not None:
        atomic_write_csv(runs, out / "experiments.csv")
    print(f"# sweep of {us.name}: {len(runs)} experiments over {', '.join(us.space.paths)}")
    d = CATALOG[a.indicator] if a.indicator else _first_with_data(inds, runs)
    if d is None:
        print("# no indicator has data in these runs: nothing to discover")
        return 0
    fail = failures(runs, d, res.year, a.threshold)
    limit = a.threshold if a.threshold is not None else d.target(res.year)
    print(
        f"# scenario discovery for {d.id}: failure = per-run value not {d.direction} {limit:g} "
        f"{d.unit}; {int(fail.sum())} of {len(fail)} experiments fail"
    )
    x = runs[us.space.paths]
    box = discover(x, fail, plot=out / "prim_box.png" if out else None)
    if box is None:
        print("# no failures: the plan meets the target over the whole range")
    else:
        print("PRIM box (EMA Workbench) where failures concentrate:")
        print(box.describe())
        if out is not None:
            rows = [
                {"input": k, "low": v[0] if len(v) == 2 else None,
                 "high": v[1] if len(v) == 2 else None,
                 "categories": ",".join(map(str, sorted(v[0]))) if len(v) == 1 else None}
                for k, v in box.limits.items()
            ]  # fmt: skip
            box_df = pd.DataFrame(rows, columns=["input", "low", "high", "categories"])
            box_df["coverage"], box_df["density"], box_df["mass"] = (
                box.coverage,
                box.density,
                box.mass,
            )
            atomic_write_csv(box_df, out / "prim_boxes.csv")
    if a.sobol:
        sobol(us, d, a, seed, out)
    if out is not None:
        print(f"# experiments, PRIM box and plots written to {out}/")
    return 0


def _first_with_data(inds, runs):
    return next((d for d in inds if runs[OUT + d.id].notna().any()), None)


def sobol(us, d, a, seed: int, out: Path | None) -> pd.DataFrame:
    """Sobol indices of indicator `d` over the uniform inputs (SALib, Saltelli sampling).

    All runs share one engine seed, so the indices apportion the variance caused
    by the inputs, not by the hazard's randomness (which a different seed varies).
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    from sim.batch.montecarlo import run_batch

    nodes = us.space.nodes
    if any(n.dist.kind != "uniform" for n in nodes):
        raise ValueError("--sobol supports uniform ranges only (PATH=LOW..HIGH)")
    problem = {
        "num_vars": len(nodes),
        "names": [n.path for n in nodes],
        "bounds": [list(n.dist.bounds()) for n in nodes],
    }
    x = sobol_sample.sample(problem, a.sobol, calc_second_order=False, seed=seed)
    table = pd.DataFrame({n.path: [n.dist._cast(v) for v in x[:, j]] for j, n in enumerate(nodes)})
    res = run_batch(
        us, runs=len(table), seed=seed, out=out / "sobol" if out else None,
        workers=a.workers, scheduler=a.scheduler, resume=a.resume, force=a.force,
        year=a.year, progress=a.progress, report=False, table=table, common_seed=True,
        events=getattr(a, "events", "all"),
    )  # fmt: skip
    y = res.runs[OUT + d.id].to_numpy(float)
    if not np.isfinite(y).all():
        finite = y[np.isfinite(y)]
        cap = float(finite.max()) if finite.size else 0.0
        y = np.where(np.isnan(y), cap, np.where(np.isinf(y), cap, y))
        print(f"# sobol: {d.id} missing or infinite in some runs, capped at {cap:.4g}")
    si = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
    df = pd.DataFrame(
        {
            "input": problem["names"],
            "S1": si["S1"],
            "S1_conf": si["S1_conf"],
            "ST": si["ST"],
            "ST_conf": si["ST_conf"],
        }
    )
    print(f"Sobol indices of {d.id} ({len(table)} runs, SALib):")
    for r in df.itertuples(index=False):
        print(
            f"  {r.input:<50} S1 {r.S1:6.3f} ± {r.S1_conf:.3f}   ST {r.ST:6.3f} ± {r.ST_conf:.3f}"
        )
    if out is not None:
        atomic_write_csv(df, out / "sobol.csv")
    return df


__all__ = ["Box", "discover", "failures", "run_sweep", "sobol"]
