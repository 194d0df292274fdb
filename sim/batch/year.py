"""`jmsim year`: whole simulated years, so the annual (年均) targets can be judged.

A year set file (`scenarios/jiangmen_year.yaml`) lists event classes: a
shipped scenario and how many such events a year brings (Poisson with a cited or
illustrative rate, or exactly one run per year for a scenario that already
simulates a whole year, such as the forest-fire season). `jmsim year` draws the
number of events of every class for every year from one seed, runs **every drawn
event** with the shipped hazard model through the ordinary batch machinery
(local workers or Dask, atomic and resumable outputs in `DIR/events/<class>/`),
sums each year's contributions over the whole city (4,798,090 people, the city
GDP) and scores the distribution of each annual indicator and of its 5-year
mean (the 十四五 targets are five-year averages, plan 专栏2 note 1).

`--pool K` is an explicit shortcut: each class runs at most K events and the
drawn events reuse those runs (drawn with replacement, seeded). The annual
distribution is then composed from K realisations per class, which the outputs
and the report say; without `--pool` no run is reused.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.batch.outcomes import OUT
from sim.output import atomic_write_csv, atomic_write_json, atomic_write_text

#: Annual rows of 专栏2 a year sums (per-run values are already per city population/GDP).
ANNUAL = (
    "direct_loss_share_of_gdp",
    "natural_disaster_deaths_per_million",
    "affected_per_100k",
    "forest_fire_damage_rate",
)
BLOCK_YEARS = 5  # the plan's targets are 十四五 (five-year) means


class EventClass(BaseModel):
    """One kind of event in a year and how often it happens."""

    model_config = ConfigDict(extra="forbid")
    id: str
    scenario: str
    rate_per_year: float | None = Field(default=None, ge=0)
    per_year: Literal["exactly_one"] | None = None
    natural: bool = True
    intensity: str = ""
    source: str = ""
    illustrative: bool = False
    note: str = ""
    #: A chain scenario whose `hazard.chain` (rain, rivers, floods, landslides) this
    #: typhoon class runs with: its storm then brings its own rain and floods.
    chain_from: str | None = None


class YearSet(BaseModel):
    """The event classes of one simulated year."""

    model_config = ConfigDict(extra="forbid")
    name: str
    classes: list[EventClass]


def load_year_set(path: str | Path) -> tuple[YearSet, Path]:
    """The year set file, validated (one-line error naming file, field and value)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ValueError(f"{path}: cannot read the year set ({e})") from None
    try:
        ys = YearSet.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise ValueError(
            f"{path}: {where}: {err['msg']} (got {err.get('input')!r}); expected a year set "
            "(name, classes: [{id, scenario, rate_per_year | per_year: exactly_one}])"
        ) from None
    for c in ys.classes:
        if (c.rate_per_year is None) == (c.per_year is None):
            raise ValueError(
                f"{path}: classes[{c.id}]: give exactly one of rate_per_year or per_year"
            )
        if not (path.parent / c.scenario).exists():
            raise ValueError(
                f"{path}: classes[{c.id}].scenario: {c.scenario!r} not found next to the set file"
            )
        if c.chain_from is not None:
            _chain_block(path, path.parent, c)
    return ys, path.parent


def _chain_block(path: Path, base: Path, c: EventClass) -> dict:
    """The `hazard.chain` mapping `c.chain_from` lends to `c.scenario` (one-line errors)."""
    where = f"{path}: classes[{c.id}].chain_from"
    src = base / str(c.chain_from)
    try:
        lender = yaml.safe_load(src.read_text(encoding="utf-8"))
        own = yaml.safe_load((base / c.scenario).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ValueError(f"{where}: cannot read {c.chain_from!r} ({e})") from None
    chain = ((lender or {}).get("hazard") or {}).get("chain")
    if not isinstance(chain, dict):
        raise ValueError(f"{where}: {c.chain_from!r} has no hazard.chain block to lend")
    if ((own or {}).get("hazard") or {}).get("type") != "typhoon":
        raise ValueError(
            f"{where}: only typhoon scenarios can run with a chain; {c.scenario!r} is not one"
        )
    return chain


def class_scenario(ys_path: Path, base: Path, c: EventClass):
    """The `UncertainScenario` a class runs: its scenario, with the lent chain if any.

    The chain block is copied into the class's own scenario text (so a remote
    worker receives one self-contained scenario) and validated like any file.
    """
    from sim.batch.uncertainty import UncertainScenario

    if c.chain_from is None:
        return UncertainScenario.load(base / c.scenario)
    data = yaml.safe_load((base / c.scenario).read_text(encoding="utf-8"))
    data["hazard"]["chain"] = _chain_block(ys_path, base, c)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    name = f"{base / c.scenario} + chain of {c.chain_from}"
    return UncertainScenario.from_text(text, name, base / Path(c.scenario).parent)


def draw_counts(ys: YearSet, years: int, seed: int) -> np.ndarray:
    """Events of each class in each year, shape (years, classes): Poisson or exactly one."""
    rng = np.random.default_rng([seed, 12])
    out = np.zeros((years, len(ys.classes)), dtype=np.int64)
    for j, c in enumerate(ys.classes):
        out[:, j] = 1 if c.per_year == "exactly_one" else rng.poisson(c.rate_per_year, years)
    return out


def event_runs(n_events: int, pool: int | None, seed: int) -> tuple[int, np.ndarray]:
    """(runs to execute, run index of each event): one run per event, or draws from a pool."""
    if pool is None or n_events <= pool:
        return n_events, np.arange(n_events)
    rng = np.random.default_rng([seed, 99])
    return pool, rng.integers(0, pool, n_events)


def annual_table(ys: YearSet, counts: np.ndarray, runs: dict[str, pd.DataFrame],
                 picks: dict[str, np.ndarray]) -> pd.DataFrame:  # fmt: skip
    """One row per simulated year: events per class and the summed annual indicators."""
    years = counts.shape[0]
    table = {"year": np.arange(1, years + 1)}
    sums = {k: np.zeros(years) for k in ANNUAL}
    for j, c in enumerate(ys.classes):
        table[f"events.{c.id}"] = counts[:, j]
        if c.id not in runs:
            continue
        year_of = np.repeat(np.arange(years), counts[:, j])
        r = runs[c.id]
        for k in ANNUAL:
            col = OUT + k
            if not c.natural or col not in r:
                continue
            v = np.nan_to_num(r[col].to_numpy(float)[picks[c.id]], nan=0.0, posinf=0.0)
            np.add.at(sums[k], year_of, v)
    for k in ANNUAL:
        table[k] = sums[k]
    return pd.DataFrame(table)


def annual_scorecard(table: pd.DataFrame, year: int, ys: YearSet, runs) -> pd.DataFrame:
    """Scorecard rows of the annual indicators: distribution over years and 5-year means."""
    from sim.indicators.catalog import CATALOG
    from sim.indicators.format import fmt_value
    from sim.indicators.scorecard import COLUMNS, _row
    from sim.indicators.stats import verdict

    rows = []
    nblock = len(table) // BLOCK_YEARS
    for k in ANNUAL:
        d = CATALOG[k]
        producers = [
            c.id for c in ys.classes if c.natural and c.id in runs and OUT + k in runs[c.id]
        ]
        if not producers:
            rows.append(_row(d, year, status="not_modelled", verdict="n/a",
                             reason="no event class of the year set produces it"))  # fmt: skip
            continue
        v = table[k].to_numpy(float)
        target = d.target(year)
        if nblock < 2:
            rows.append(_row(d, year, n=len(v), verdict="no qualifying events",
                             detail=f"fewer than {2 * BLOCK_YEARS} years: no 5-year means"))  # fmt: skip
            continue
        means = v[: nblock * BLOCK_YEARS].reshape(nblock, BLOCK_YEARS).mean(axis=1)
        lo, hi = float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))
        ok = np.array([x < target if d.direction == "<" else x <= target for x in means])
        ok_y = np.array([x < target if d.direction == "<" else x <= target for x in v])
        vd = verdict(lo, hi, target, d.direction)
        detail = (
            f"5-year mean over {nblock} simulated 5-year periods: mean {fmt_value(means.mean(), d.unit)}, "
            f"P50 {fmt_value(np.median(means), d.unit)}, 95 % range [{fmt_value(lo, d.unit)}, "
            f"{fmt_value(hi, d.unit)}]; {int(ok.sum())} of {nblock} periods meet the target. "
            f"Single years ({len(v)}): mean {fmt_value(v.mean(), d.unit)}, P50 "
            f"{fmt_value(np.median(v), d.unit)}, P90 {fmt_value(np.quantile(v, 0.9), d.unit)}, "
            f"max {fmt_value(v.max(), d.unit)}; {int(ok_y.sum())} of {len(v)} years meet it. "
            f"Events from: {', '.join(producers)}"
        )
        missing = [c.id for c in ys.classes if c.natural and c.id in runs and c.id not in producers]
        if missing:
            detail += f"; {', '.join(missing)}: no such output in their models (counted 0)"
        cause = ""
        if vd == "fail":
            cause = _dominant_class(table, ys, runs, k, d.unit)
        rows.append(
            _row(
                d,
                year,
                seed_item=d.seed_item,
                estimate=float(means.mean()),
                ci_low=lo,
                ci_high=hi,
                n=nblock,
                statistic="5-year mean (95 % range over periods)",
                verdict=vd,
                cause=cause,
                detail=detail,
                trace="years.csv",
            )  # fmt: skip
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def _dominant_class(table: pd.DataFrame, ys: YearSet, runs, k: str, unit: str) -> str:
    """The event class contributing most to a failing annual indicator."""
    from sim.indicators.format import fmt_value

    total = {}
    for c in ys.classes:
        col = OUT + k
        if c.natural and c.id in runs and col in runs[c.id]:
            per_event = float(np.nan_to_num(runs[c.id][col].to_numpy(float), nan=0.0).mean())
            total[c.id] = per_event * float(table[f"events.{c.id}"].mean())
    if not total:
        return ""
    top = max(total, key=total.get)
    return f"dominant event class {top}: {fmt_value(total[top], unit)} per year on average"


def _is_year_output(out: Path) -> bool:
    """True if `out` holds an earlier `jmsim year` output (its manifest names a year set)."""
    try:
        man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(man, dict) and "year_set" in man


def run_year(a: argparse.Namespace) -> int:
    """The `jmsim year` command."""
    from sim.batch.montecarlo import run_batch
    from sim.indicators.scorecard import format_scorecard, overall_verdict

    if a.years < 1:
        raise ValueError(f"--years must be at least 1; got {a.years}")
    if a.pool is not None and a.pool < 1:
        raise ValueError(f"--pool must be at least 1; got {a.pool}")
    if a.resume and not a.out:
        raise ValueError("--resume needs --out DIR (the directory of the years to continue)")
    ys, base = load_year_set(a.year_set)
    seed = 1 if a.seed is None else a.seed
    counts = draw_counts(ys, a.years, seed)
    out = Path(a.out) if a.out else None
    if out is not None and out.exists() and any(out.iterdir()) and not a.resume:
        if not a.force:
            raise ValueError(f"--out {out}: directory is not empty; use --resume or --force")
        if not _is_year_output(out):
            raise ValueError(f"--out {out}: not a jmsim year output; --force replaces only those")
    t0 = time.perf_counter()
    runs: dict[str, pd.DataFrame] = {}
    picks: dict[str, np.ndarray] = {}
    year = a.year
    print(f"# {ys.name}: {a.years} simulated years, seed {seed}"
          + (f", pool of at most {a.pool} runs per class" if a.pool else ", every event run"))  # fmt: skip
    for j, c in enumerate(ys.classes):
        n = int(counts[:, j].sum())
        if n == 0:
            print(f"# {c.id}: no events drawn")
            continue
        nrun, pick = event_runs(n, a.pool, seed + j)
        us = class_scenario(Path(a.year_set), base, c)
        year = year or us.nominal().indicators.year
        with_chain = f" with the chain of {c.chain_from}" if c.chain_from else ""
        print(f"# {c.id}: {n} events, {nrun} runs of {c.scenario}{with_chain}")
        res = run_batch(
            us, runs=nrun, seed=seed * 1_000_003 + 100_000 * (j + 1),
            out=out / "events" / c.id if out else None, workers=a.workers,
            scheduler=a.scheduler, resume=a.resume, force=a.force, year=year,
            progress=a.progress, report=False,
        )  # fmt: skip
        runs[c.id], picks[c.id] = res.runs, pick
    year = year or 2025
    table = annual_table(ys, counts, runs, picks)
    card = annual_scorecard(table, year, ys, runs)
    wall = time.perf_counter() - t0
    print(format_scorecard(card))
    print(f"# {a.years} years in {wall:.1f} s")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_csv(table, out / "years.csv")
        atomic_write_csv(card, out / "annual_scorecard.csv")
        atomic_write_json(out / "annual_scorecard.json", {
            "schema": "jmsim.annual_scorecard/1", "year_set": ys.name,
            "overall": overall_verdict(card),
            "rows": json.loads(card.to_json(orient="records")),
        })  # fmt: skip
        atomic_write_json(out / "manifest.json", {
            "year_set": str(a.year_set), "years": a.years, "seed": seed, "pool": a.pool,
            "classes": [c.model_dump() for c in ys.classes],
            "events_per_class": {c.id: int(counts[:, j].sum()) for j, c in enumerate(ys.classes)},
            "runs_per_class": {k: len(v) for k, v in runs.items()},
            "target_year": year, "wall_s_this_invocation": round(wall, 2),
        })  # fmt: skip
        if not a.no_report:
            atomic_write_text(out / "report.html", year_report(ys, table, card, a))
        print(f"# results written to {out}/")
    return 0


def year_report(ys: YearSet, table: pd.DataFrame, card: pd.DataFrame, a) -> str:
    """Self-contained HTML: overall verdict, annual rows, histograms, event classes."""
    import html

    import matplotlib.pyplot as plt

    from sim.batch.report import _CSS, _img, _png, scorecard_html_rows
    from sim.indicators.catalog import CATALOG
    from sim.indicators.scorecard import overall_verdict

    parts = [
        f"<h1>{html.escape(ys.name)}: {a.years} simulated years</h1>",
        f"<p class='overall'><b>{html.escape(overall_verdict(card)['line'])}</b></p>",
        scorecard_html_rows(card),
    ]
    fig, axes = plt.subplots(1, len(ANNUAL), figsize=(4.2 * len(ANNUAL), 3.2), squeeze=False)
    nb = len(table) // BLOCK_YEARS
    for ax, k in zip(axes.flat, ANNUAL, strict=True):
        d = CATALOG[k]
        v = table[k].to_numpy(float)
        ax.hist(v, bins=30, color="#4c72b0", alpha=0.6, label="single years")
        if nb:
            m = v[: nb * BLOCK_YEARS].reshape(nb, BLOCK_YEARS).mean(axis=1)
            ax.hist(m, bins=15, color="#dd8452", alpha=0.7, label="5-year means")
        t = d.target(int(card["year"].iloc[0]))
        ax.axvline(t, color="#c0392b", ls="--", label=f"target {d.direction} {t:g}")
        ax.set_title(k, fontsize=8)
        ax.set_xlabel(d.unit, fontsize=8)
        ax.legend(fontsize=7)
    parts.append(_img(_png(fig), "annual distributions"))
    rows = "".join(
        f"<tr><td>{html.escape(c.id)}</td><td>{html.escape(c.scenario)}"
        f"{'<br>+ chain of ' + html.escape(c.chain_from) if c.chain_from else ''}</td>"
        f"<td>{'1 run = 1 year' if c.per_year else f'{c.rate_per_year:g} / yr'}</td>"
        f"<td>{'ILLUSTRATIVE ' if c.illustrative else ''}{html.escape(c.source or c.note)}</td></tr>"
        for c in ys.classes
    )
    parts.append(
        "<h2>Event classes and frequencies</h2><table><tr><th>class</th><th>scenario</th>"
        f"<th>frequency</th><th>source</th></tr>{rows}</table>"
    )
    if a.pool:
        parts.append(f"<p class='note'>Pool: at most {a.pool} runs per class; events reuse "
                     "pooled runs drawn with replacement.</p>")  # fmt: skip
    body = "\n".join(parts)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>jmsim year</title>"
        f"<style>{_CSS}</style></head><body>{body}</body></html>\n"
    )
