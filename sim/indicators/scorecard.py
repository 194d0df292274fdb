"""The scorecard: every row of the plan, its status, target, estimate, interval, verdict.

Rules (shared INDICATORS.md):
- every 专栏2 row, the 专栏1 targets and the Ch.4 text target appear, each with
  `seed_item` and `status` (measured, inventory, event_contribution, not_modelled,
  out_of_scope) and the reason when it is not measured;
- proportions get a Wilson 95 % interval (people-weighted rows use the Kish
  effective number of groups, since people come in groups); 100 % targets use
  the rule of three; times get mean, P50, P90 with an interval for P90 and the
  verdict is on P90; annual rows from one event are an `event_contribution`
  without a verdict; static rows are exact counts from the city inventory;
- a row with no qualifying events says so and has no verdict.
The overall verdict (`overall_verdict`) sums the rows up in one line.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
from scipy.stats import norm

from sim.indicators import columns as col
from sim.indicators.catalog import CATALOG, IndicatorDef, not_modelled_reason
from sim.indicators.format import fmt_ci, fmt_value
from sim.indicators.measures import FAIL_CAUSES, FAIL_QUALIFIERS, MEASURES, PHASES, Samples
from sim.indicators.static import compute_static
from sim.indicators.stats import (
    BOOT_MAX_N,
    bootstrap_quantile_interval,
    bootstrap_replicates,
    order_statistic_ranks,
    resample_blocks,
    verdict,
    wilson_interval,
)

NO_EVENTS = "no qualifying events"
NO_VERDICT = "n/a"
STATUSES = ("measured", "inventory", "event_contribution", "not_modelled", "out_of_scope")
COLUMNS = [
    "id",
    "seed_item",
    "wording_zh",
    "status",
    "reason",
    "unit",
    "direction",
    "year",
    "target",
    "estimate",
    "ci_low",
    "ci_high",
    "n",
    "statistic",
    "verdict",
    "cause",
    "detail",
    "trace",
]
TEXT_COLUMNS = ("seed_item", "wording_zh", "status", "reason", "unit", "statistic", "verdict",
                "cause", "detail", "trace")  # fmt: skip
#: Human names of the response phases (INDICATORS.md "Where the time went").
PHASE_NAMES = {
    "call_handling_min": "call handling",
    "queue_wait_min": "queue wait (no free capable unit)",
    "weather_hold_min": "weather hold (launch limit)",
    "turnout_min": "turnout",
    "travel_min": "travel",
}
CLOCKS = {
    "sea_arrival_time": "report → first unit on scene",
    "inland_river_arrival_time": "report → first unit on scene",
    "initial_relief_time": "in need (evacuating/displaced) → relief kit received",
    "relief_supply_first_batch_city": "disaster onset → city first batch",
    "relief_supply_first_batch_county": "disaster onset → county first batch",
    "relief_supply_first_batch_town": "disaster onset → town first batch",
    "chem_aegl2_zone_protected_time": "release start → group protected",
    "chem_first_hazmat_arrival": "leak report → first hazmat team",
    "chem_source_shutoff_time": "release start → source isolated",
}


def _trace(s: Samples, k: int = 5) -> str:
    head = ", ".join(s.trace[:k])
    total = s.extra.get("n_trace", len(s.trace))  # pooled batches keep only the first keys
    return head + (f", … (+{total - k})" if total > k else "")


def _row(d: IndicatorDef, year: int, **kw) -> dict:
    return {
        "id": d.id,
        "seed_item": d.seed_item,
        "wording_zh": d.wording_zh,
        "status": "measured",
        "reason": "",
        "unit": d.unit,
        "direction": d.direction,
        "year": year,
        "target": d.target(year),
        "estimate": math.nan,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "n": 0,
        "statistic": "",
        "verdict": NO_EVENTS,
        "cause": "",
        "detail": "",
        "trace": "",
        **kw,
    }


def _wilson_float(p: float, n_eff: float, z: float = float(norm.ppf(0.975))) -> tuple[float, float]:
    """Wilson interval for a proportion `p` over an effective sample size `n_eff`."""
    denom = 1 + z * z / n_eff
    centre = (p + z * z / (2 * n_eff)) / denom
    half = z * math.sqrt(p * (1 - p) / n_eff + z * z / (4 * n_eff * n_eff)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _run_sums(s: Samples, w, x) -> tuple[np.ndarray, np.ndarray]:
    """Each run's weighted successes and people (runs with items, in run order).

    Pooled batches carry them (`run_sums`, summed per run as it was pooled);
    events of several runs are grouped by the run of each trace key, in sorted
    run-id order.
    """
    if "run_sums" in s.extra:
        num, den = s.extra["run_sums"]
        return np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    runs = np.array([t.split(":", 1)[0] for t in s.trace], dtype=object)
    uniq = np.unique(runs)
    idx = {r: np.flatnonzero(runs == r) for r in uniq}
    num = np.array([(w[idx[r]] * x[idx[r]]).sum() for r in uniq])
    den = np.array([w[idx[r]].sum() for r in uniq])
    return num, den


def _failing_keys(s: Samples, bad: np.ndarray) -> list[str]:
    """Trace keys of failing items among those kept (pooled batches keep the first keys)."""
    return [t for t, b in zip(s.trace, bad[: len(s.trace)], strict=True) if b]


def _named(keys: list[str], k: int = 5) -> str:
    """': a, b, …' naming up to `k` failing items ('' when none is among the kept keys)."""
    if not keys:
        return ""
    return ": " + ", ".join(keys[:k]) + (" …" if len(keys) > k else "")


def _proportion(d: IndicatorDef, s: Samples, year: int) -> dict:
    target = d.target(year)
    x = s.values if col.lazy(s.values) else np.asarray(s.values, dtype=float)
    w = s.extra.get("people") if s.extra.get("weighted") else None
    n_bad = col.count(col.lift(lambda a: a < 1, x))  # failed items
    # pooled batches keep only the first trace keys, and the first failing ones apart
    fails = s.extra["fail_keys"] if "fail_keys" in s.extra else _failing_keys(s, x < 1)
    cens = f"; {s.censored} censored (left out, not failures)" if s.censored else ""
    if w is not None:
        w = w if col.lazy(w) else np.asarray(w, dtype=float)
        tot, good = float(col.total(w)), float(col.total(col.lift(np.multiply, w, x)))
        p = good / tot
        n_eff = tot * tot / float(col.total(col.lift(np.multiply, w, w)))
        lo, hi = _wilson_float(p, n_eff)
        num, den = _run_sums(s, w, x)
        how = f"Wilson over the Kish effective n = {n_eff:,.0f} of {x.size:,} groups"
        if num.size >= 10:  # cluster bootstrap over runs as well; keep the wider interval
            boot = np.concatenate([num[pick].sum(axis=1) / den[pick].sum(axis=1)
                                   for pick in resample_blocks(num.size, 2000, 0)])  # fmt: skip
            blo, bhi = float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975))
            lo, hi = min(lo, blo), max(hi, bhi)
            how += f" and bootstrap over {num.size} runs (wider kept)"
        counts = (
            f"{good:,.0f} of {tot:,.0f} people ({fmt_value(p, 'share', p)}) in {x.size:,} groups"
        )
        est, stat = p, f"people-weighted share ({how}, 95%)"
        k, n = int(round(good)), int(round(tot))
    else:
        k, n = int(col.total(x)), int(x.size)
        p = k / n
        lo, hi = wilson_interval(k, n)
        counts = f"{k:,} of {n:,} ({fmt_value(p, 'share', p)})"
        est, stat = p, "share (Wilson 95%)"
    if target is not None and target >= 1.0:
        # Rule of three (Hanley & Lippman-Hand 1983): 0 failures in n → one-sided 95 %
        # lower bound 1 − 3/n; any failure fails a 100 % target.
        n_units = x.size
        if n_bad:
            v = "fail"
        elif n_units > 3:
            v = "pass"
        else:
            v = "cannot tell"
        lo = max(0.0, 1 - 3 / n_units) if not n_bad else lo
        hi = 1.0 if not n_bad else hi
        stat = "share; 100 % target: rule of three (lower bound 1 − 3/n)"
        extra = (
            f"; none failed: one-sided 95 % lower bound 1 − 3/{n_units} = {lo:.4f}"
            if not n_bad
            else f"; {n_bad} failed" + _named(fails)
        )
        if v == "cannot tell":
            extra += " (n ≤ 3: too few for the rule of three)"
    else:
        v = verdict(lo, hi, target, d.direction) if target is not None else NO_VERDICT
        extra = f"; {n_bad:,} failed" + _named(fails) if n_bad else ""
    cause = ""
    if v == "fail":
        cause = f"{n_bad:,} of {x.size:,} items failed" + _named(fails, 3)
        cause += _dominant_failure(d.id, s.extra)
    if s.extra.get("illustrative"):
        stat += " (ILLUSTRATIVE reporting delays: plan.reporting.source is empty)"
    if "lead_min" in s.extra and s.extra["lead_min"].size:
        lm = s.extra["lead_min"]
        extra += f"; lead time P10 {col.quantile(lm, 0.1):.0f} min, median {col.median(lm):.0f} min"
    return _row(
        d, year, estimate=est, ci_low=lo, ci_high=hi, n=int(x.size), statistic=stat, verdict=v,
        cause=cause, detail=counts + extra + cens, trace=_trace(s),
    )  # fmt: skip


def _dominant_failure(id_: str, extra: dict) -> str:
    """'; dominant: <most frequent failure cause> (n; m of all failures <qualifier>)'."""
    causes = FAIL_CAUSES.get(id_, {})
    counts = {k: int(extra.get(k, 0)) for k in causes}
    if not any(counts.values()):
        return ""
    k = max(counts, key=counts.get)
    quals = [
        f"{int(extra[q]):,} of all failures {text}"
        for q, text in FAIL_QUALIFIERS.items()
        if int(extra.get(q, 0) or 0) > 0
    ]
    return f"; dominant: {causes[k]} ({counts[k]:,}" + "".join(f"; {q}" for q in quals) + ")"


def _phase_text(s: Samples, over: np.ndarray) -> tuple[str, str]:
    """(mean of each phase, dominant phase among over-target items).

    The dominant phase is named only when the events carry all four phases
    (queue wait, weather hold, turnout, travel); with fewer, the largest of
    those present says nothing about the others, so the caller falls back to
    the clock that failed.
    """
    ph = s.extra.get("phases") or {}
    means = {k: float(col.nanmean(v)) for k, v in ph.items() if _any_finite(v)}
    if not means:
        return "", ""
    text = "phases (mean): " + ", ".join(f"{PHASE_NAMES[k]} {v:.0f} min" for k, v in means.items())
    have = sum(k in means for k in PHASES)
    if have < len(PHASES):
        return text + f" (events carry {have} of {len(PHASES)} phases)", ""
    sel = {k: col.select(v, over) for k, v in ph.items() if k in PHASES}
    om = {k: float(col.nanmean(v)) for k, v in sel.items() if v.size and _any_finite(v)}
    if not om:
        return text, ""
    k = max(om, key=om.get)
    return text, f"{PHASE_NAMES[k]} (mean {om[k]:.0f} min of the over-target incidents)"


def _any_finite(v) -> bool:
    return col.any_true(col.lift(np.isfinite, v))


def _censor_late_calls(s: Samples, target: float) -> tuple[Samples, int]:
    """Leave out incidents unreached at run end that were open for less than the target.

    Such a call could still have been reached in time: it is neither a pass nor a
    failure (counted on the row). An unreached call open longer than the target is
    over target whatever happens next, and stays in as +inf.
    """
    open_h = s.extra.get("open_h")
    if open_h is None or target is None:
        return s, 0
    late = col.lift(
        lambda v, o: np.isinf(v) & (np.nan_to_num(o, nan=np.inf) < target), s.values, open_h
    )
    n_late = col.count(late)
    if not n_late:
        return s, 0
    keep = col.lift(np.logical_not, late)
    extra = dict(s.extra)
    extra["phases"] = {k: col.select(v, keep) for k, v in (s.extra.get("phases") or {}).items()}
    for k in ("open_h", "item_run"):
        if k in extra:
            extra[k] = col.select(extra[k], keep)
    trace = [t for t, k in zip(s.trace, col.head(keep, len(s.trace)), strict=True) if k]
    if "n_trace" in extra:
        extra["n_trace"] -= col.count(late, limit=extra["n_trace"])
    v = col.select(s.values, keep)
    return Samples(v, trace, censored=col.count(col.lift(np.isinf, v)), extra=extra), n_late


def _time(d: IndicatorDef, s: Samples, year: int) -> dict:
    target = d.target(year)
    s, late = _censor_late_calls(s, target)
    if s.n == 0:
        return _row(
            d, year, detail=f"{d.note}; {late} reported too close to the run end (censored)"
        )
    v = s.values if col.lazy(s.values) else np.asarray(s.values, dtype=float)
    p90 = float(col.quantile(v, 0.9, method="inverted_cdf"))
    lo, hi = _p90_interval(v)
    finite = col.select(v, col.lift(np.isfinite, v))
    over = col.lift((lambda a: a >= target) if d.direction == "<" else (lambda a: a > target), v)
    under_n = v.size - col.count(over)
    mean_txt = f"{col.total(finite) / finite.size:.2f} h" if finite.size else "n/a"
    p50 = col.quantile(v, 0.5, method="inverted_cdf")
    detail = (
        f"mean {mean_txt} (reached only), P50 {p50:.2f} h, "
        f"P90 {fmt_value(p90, 'h')}; {under_n:,} of {v.size:,} within target"
        + (f"; {s.censored} never reached in run time (counted over target)" if s.censored else "")
        + (
            f"; {late} reported less than the target before the run ended and not yet reached: "
            "censored (neither pass nor fail)"
            if late
            else ""
        )
    )
    if s.extra.get("displaced_units"):
        detail += f"; {s.extra['displaced_units']:,} displaced-by-damage household units counted"
    if "pre_positioned" in s.extra:
        detail += (
            f"; {s.extra['pre_positioned']} of {v.size} pre-positioned before onset (0 h)"
            f"; clock from {' / '.join(_clock_rule(c) for c in s.extra['clock'])}"
        )
    ptxt, dom = _phase_text(s, over)
    if ptxt:
        detail += "; " + ptxt
    vd = verdict(lo, hi, target, d.direction)
    cause = ""
    if vd == "fail":
        if dom:
            cause = dom + (f"; {s.censored} never reached" if s.censored else "")
        else:
            cause = f"clock {CLOCKS.get(d.id, d.id)}: P90 {fmt_value(p90, 'h')}" + (
                f", {s.censored} never reached" if s.censored else ""
            )
    return _row(
        d, year, estimate=p90, ci_low=lo, ci_high=hi, n=s.n, statistic="P90 (bootstrap 95%)",
        verdict=vd, cause=cause, detail=detail, trace=_trace(s),
    )  # fmt: skip


def _p90_interval(v) -> tuple[float, float]:
    """`bootstrap_quantile_interval(v, 0.9)`, reading a long column in chunks.

    Above the bootstrap's `max_n` values the interval is two order statistics,
    found on disk; below it the column is short enough to load.
    """
    if not col.lazy(v) or v.size <= BOOT_MAX_N:
        return bootstrap_quantile_interval(col.as_array(v), 0.9)
    lo_i, hi_i = order_statistic_ranks(v.size, 0.9)
    a, b = col.order_stats(v, [lo_i, hi_i])
    return a, b


def _clock_rule(c: str) -> str:
    """Where a first-batch clock started, with the hazard's onset rule from its events."""
    if c == "release":
        return "relief release (no onset event)"
    why = c.removeprefix("onset").removeprefix(":")
    return "disaster onset in the area" + (f" ({why})" if why else "")


def _rate(d: IndicatorDef, s: Samples, year: int, annual_verdict: bool) -> dict:
    v = col.as_array(s.values)  # one value per run: short
    v = v[np.isfinite(v)]
    if v.size == 0:
        return _row(d, year, detail=d.note)
    mean = float(v.mean())
    if v.size > 1:
        boots = bootstrap_replicates(v, np.mean, 2000, 0)
        lo, hi = float(np.quantile(boots, 0.025)), float(np.quantile(boots, 0.975))
    else:
        lo = hi = mean
    if d.annual and not annual_verdict:
        return _row(
            d, year, status="event_contribution",
            reason="one event's share of an annual figure; a verdict needs simulated years "
            "(jmsim year)",
            estimate=mean, ci_low=lo, ci_high=hi, n=int(v.size), statistic="mean over runs",
            verdict=NO_VERDICT, detail=d.note, trace=_trace(s),
        )  # fmt: skip
    vd = verdict(lo, hi, d.target(year), d.direction)
    return _row(
        d, year, estimate=mean, ci_low=lo, ci_high=hi, n=int(v.size), statistic="mean over runs",
        verdict=vd, cause=f"value {fmt_value(mean, d.unit)}" if vd == "fail" else "",
        detail=d.note, trace=_trace(s),
    )  # fmt: skip


def score_samples(d: IndicatorDef, s: Samples, year: int, annual_verdict: bool = False) -> dict:
    """One scorecard row from the samples of a dynamic indicator."""
    if s.n == 0:
        extra = f"; {s.censored} censored (left out)" if s.censored else ""
        return _row(d, year, detail=d.note + extra)
    if d.kind == "proportion":
        return _proportion(d, s, year)
    if d.kind == "time":
        return _time(d, s, year)
    return _rate(d, s, year, annual_verdict)


def _static_row(d: IndicatorDef, sv, year: int) -> dict:
    if sv is None or sv.value is None:
        return _row(
            d, year, status="not_modelled", verdict=NO_VERDICT,
            reason="the city inventory has no figure for it", detail=d.note,
        )  # fmt: skip
    target = d.target(year)
    vd = verdict(sv.value, sv.value, target, d.direction)
    stat = "city inventory" + (" (ILLUSTRATIVE inputs)" if sv.illustrative else " (cited)")
    return _row(
        d, year, status="inventory", estimate=sv.value, ci_low=sv.value, ci_high=sv.value,
        n=sv.n, statistic=stat, verdict=vd,
        cause=f"inventory: {fmt_value(sv.value, d.unit)} against {d.direction} "
        f"{fmt_value(target, d.unit)}" if vd == "fail" else "",
        detail=sv.detail, trace="sim/indicators/inventory/jiangmen.yaml",
    )  # fmt: skip


def wanted_rows(scenario) -> list[tuple[IndicatorDef, str, str]]:
    """(definition, status hint, reason) for every row this scenario's scorecard shows."""
    hazard = scenario.scenario.hazard
    include = scenario.indicators.include
    hook = getattr(scenario.hazard, "indicator_targets", None)
    over = hook() if callable(hook) else {}
    # rows a hazard can measure only with parts this scenario lacks (e.g. river gauges)
    lacks = getattr(scenario.hazard, "not_modelled_indicators", None)
    lacking = lacks() if callable(lacks) else {}
    out = []
    for d in CATALOG.values():
        if d.id in over:
            d = dataclasses.replace(d, target_2023=over[d.id], target_2025=over[d.id])
        if d.scope == "out_of_scope":
            out.append((d, "out_of_scope", d.note))
        elif d.scope == "static":
            out.append((d, "inventory", ""))
        elif not d.seed_item.startswith(("专栏", "text")) and hazard not in d.hazards:
            continue  # exercise measures of another hazard (no plan row)
        elif hazard not in d.hazards:
            out.append((d, "not_modelled", not_modelled_reason(d, hazard)))
        elif d.id.startswith("relief_supply_first_batch") and not scenario.plan.depots:
            out.append((d, "not_modelled", "the scenario's plan has no relief depots "
                        "(plan.depots): no first batch can be sent"))  # fmt: skip
        elif d.id == "incident_report_timeliness" and not scenario.plan.reporting.enabled:
            out.append((d, "not_modelled", "the scenario switches the reporting chain off "
                        "(plan.reporting.enabled: false)"))  # fmt: skip
        elif d.id in lacking:
            out.append((d, "not_modelled", lacking[d.id]))
        elif include != "all" and d.id not in include:
            out.append((d, "not_modelled", "not selected by the scenario's indicators.include"))
        else:
            out.append((d, "measured", ""))
    return out


def build_scorecard(
    scenario,
    events: pd.DataFrame | None,
    world,
    year: int | None = None,
    samples: dict[str, Samples] | None = None,
    annual_verdict: bool = False,
) -> pd.DataFrame:
    """Scorecard rows (every plan row) for one scenario over the events of all its runs.

    `events` is the concatenated event log with a `run_id` column; `samples`
    may hold measures already computed from it (batches pool them from their
    runs and pass `events=None`). `annual_verdict` is set by `jmsim year`, whose
    runs are whole simulated years.
    """
    year = year or scenario.indicators.year
    static = compute_static(scenario, world)
    rows = []
    for d, status, reason in wanted_rows(scenario):
        if status in ("out_of_scope", "not_modelled"):
            note = "" if status == "out_of_scope" else d.note  # the reason already says it
            rows.append(
                _row(d, year, status=status, reason=reason, verdict=NO_VERDICT, detail=note)
            )
        elif status == "inventory":
            row = _static_row(d, static.get(d.id), year)
            if d.id == "shelter_area_per_capita_urban" and events is not None:
                full = events[events["kind"] == "shelter_full"]
                row["detail"] += (
                    f"; dynamic check: {len(full)} shelter-full events (overflow turned away, "
                    "never squeezed in) in these runs"
                )
            rows.append(row)
        else:
            if samples and d.id in samples:
                s = samples[d.id]
            elif events is not None:
                s = MEASURES[d.id](events)
            else:
                raise ValueError(f"no samples and no events for indicator {d.id}")
            rows.append(score_samples(d, s, year, annual_verdict))
    return pd.DataFrame(rows, columns=COLUMNS)


def overall_verdict(card: pd.DataFrame) -> dict:
    """One verdict on the plan: counts by verdict and status and the cause of each failure."""
    judged = card[card["status"].isin(["measured", "inventory"])]
    v = judged["verdict"].value_counts().to_dict()
    st = card["status"].value_counts().to_dict()
    fails = judged[judged["verdict"] == "fail"]
    year = int(card["year"].iloc[0]) if len(card) else 0
    n_fail, n_ct, n_pass = v.get("fail", 0), v.get("cannot tell", 0), v.get("pass", 0)
    n_none = v.get(NO_EVENTS, 0)
    adequate = "NO" if n_fail else ("CANNOT TELL" if n_ct else "YES")
    causes = [
        f"{r.id}: {r.cause or 'see row'}"
        + (" [illustrative inputs]" if "ILLUSTRATIVE" in r.statistic else "")
        for r in fails.itertuples(index=False)
    ]
    n_illus = int(judged["statistic"].str.contains("ILLUSTRATIVE").sum())
    line = (
        f"Plan adequate for {year} targets: {adequate}: {n_fail} of {len(judged)} judged "
        f"indicators fail"
        + (f" ({'; '.join(causes)})" if causes else "")
        + f", {n_ct} cannot tell, {n_pass} pass, {n_none} without qualifying events; "
        f"{st.get('event_contribution', 0)} event contributions (no verdict), "
        f"{st.get('not_modelled', 0)} not modelled, {st.get('out_of_scope', 0)} out of scope"
        + (
            f"; {n_illus} judged rows rest on ILLUSTRATIVE inputs (inventory figures or "
            "reporting delays)"
            if n_illus
            else ""
        )
    )
    return {
        "adequate": adequate,
        "year": year,
        "line": line,
        "rows": len(card),
        "by_verdict": {k: int(x) for k, x in v.items()},
        "by_status": {k: int(x) for k, x in st.items()},
        "failing": [{"id": r.id, "cause": r.cause} for r in fails.itertuples(index=False)],
    }


def scorecard_json(card: pd.DataFrame, scenario_id: str = "") -> dict:
    """`scorecard.json` (schema in docs/scorecard.md): overall verdict plus every row."""
    import json

    return {
        "schema": "jmsim.scorecard/2",
        "scenario": scenario_id,
        "overall": overall_verdict(card),
        "rows": json.loads(card.to_json(orient="records")),
    }


def format_scorecard(df: pd.DataFrame) -> str:
    """Plain-text table for the terminal: overall line, then every row by status."""
    lines = [overall_verdict(df)["line"], ""]
    for r in df.itertuples(index=False):
        head = f"{r.seed_item:<26} {r.id:<36} {r.wording_zh}"
        if r.status in ("out_of_scope", "not_modelled"):
            lines.append(f"{head}\n    {r.status.upper().replace('_', ' ')}: {r.reason}")
            continue
        tgt = f"{r.direction} {fmt_value(r.target, r.unit)} ({r.year})"
        est = fmt_value(r.estimate, r.unit, r.estimate)
        ci = "" if r.n == 0 or r.ci_low == r.ci_high else fmt_ci(r.ci_low, r.ci_high, r.unit)
        tag = {"event_contribution": "EVENT CONTRIBUTION (no verdict)", "inventory": "INVENTORY"}
        lines.append(
            f"{head}\n    [{tag.get(r.status, 'MEASURED')}] target {tgt}  estimate {est} {ci}  "
            f"n={r.n}  → {r.verdict.upper()}"
            + (f"  cause: {r.cause}" if r.cause else "")
            + f"\n    {r.statistic + ': ' if r.statistic else ''}{r.detail}"
            + (f"\n    {r.reason}" if r.reason else "")
        )
    return "\n".join(lines)
