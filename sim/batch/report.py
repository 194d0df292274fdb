"""`report.html`: the batch's evidence in one self-contained file.

Everything is inline (CSS, matplotlib figures as base64 PNG, a few lines of
script that check the figures decoded), so the file can be mailed or
archived and opens offline. Plots: per-run distribution of each indicator
against its target, response-time CDFs, a hazard footprint map with incidents
and units, and the timelines of a typical and a worst run. The map is generic:
it re-runs the typical run and samples `hazard.intensity_at` on the world
grid, so any hazard plug-in gets a footprint without report code of its own.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.batch.outcomes import OUT, dynamic_indicators, meets_target  # noqa: E402
from sim.indicators.measures import SEA_LIMIT_NM  # noqa: E402
from sim.indicators.stats import wilson_interval  # noqa: E402
from sim.output import atomic_write_text  # noqa: E402

_DOMAIN_COLOUR = {
    "sea ≤12 nm": "#1f77b4",
    "sea >12 nm (not scored)": "#9ecae1",
    "river": "#17becf",
    "land": "#8c564b",
}
_VERDICT_COLOUR = {"pass": "#d4edda", "fail": "#f8d7da", "cannot tell": "#fff3cd"}
#: Target of the response-time CDF per incident domain (scorecard indicator ids).
_DOMAIN_INDICATOR = {"sea ≤12 nm": "sea_arrival_time", "river": "inland_river_arrival_time"}
FOOTPRINT_CHECKPOINTS = 48
FOOTPRINT_MAX_CELLS = 200


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def _img(b64: str, alt: str) -> str:
    return f'<img class="plot" alt="{html.escape(alt)}" src="data:image/png;base64,{b64}">'


# -- run selection ------------------------------------------------------------------------
def pick_runs(res) -> tuple[int, int, str]:
    """(typical run, worst run, rule): worst fails most per-run targets, typical is median.

    Ties among the worst break on the primary indicator (first with data).
    """
    inds = [d for d in dynamic_indicators(res.scenario) if d.target(res.year) is not None]
    runs = res.runs
    primary = next((d for d in inds if runs[OUT + d.id].notna().any()), None)
    if primary is None:
        return 0, 0, "no indicator with data: first run shown"
    fails = np.zeros(len(runs))
    for d in inds:
        ok = [meets_target(d, v, res.year) for v in runs[OUT + d.id]]
        fails += np.array([m is False for m in ok], dtype=float)
    sign = 1 if primary.direction in ("<", "<=") else -1
    v = runs[OUT + primary.id].to_numpy(float)
    bad = np.where(np.isnan(v), -np.inf, sign * np.nan_to_num(v, posinf=1e300, neginf=-1e300))
    worst = int(np.lexsort((bad, fails))[-1])
    finite = np.isfinite(v)
    med = np.median(v[finite]) if finite.any() else 0.0
    dist = np.where(finite, np.abs(v - med), np.inf)
    typical = int(np.argmin(dist))
    rule = (
        f"typical = run closest to the median of {primary.id}; worst = run failing most per-run "
        f"targets, ties broken by the worst {primary.id}"
    )
    return typical, worst, rule


# -- figures ------------------------------------------------------------------------------
def fig_distributions(res) -> str | None:
    """Histogram of each indicator's per-run value with its target line."""
    inds = [d for d in dynamic_indicators(res.scenario) if res.runs[OUT + d.id].notna().any()]
    if not inds:
        return None
    cols = 3
    rows = math.ceil(len(inds) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False)
    for ax, d in zip(axes.flat, inds, strict=False):
        v = res.runs[OUT + d.id].to_numpy(float)
        v = v[~np.isnan(v)]
        inf = int(np.isinf(v).sum())
        fin = v[np.isfinite(v)]
        if fin.size:
            ax.hist(fin, bins=min(30, max(5, fin.size // 3)), color="#4c72b0", alpha=0.85)
        target = d.target(res.year)
        if target is not None:
            ax.axvline(
                target, color="#c0392b", ls="--", lw=2, label=f"target {d.direction} {target:g}"
            )
            ax.legend(fontsize=7, loc="best")
        stat = {"time": "P90 per run", "proportion": "share per run"}.get(d.kind, "value per run")
        ax.set_title(f"{d.id}\n({stat}{f', {inf} never reached' if inf else ''})", fontsize=8)
        ax.set_xlabel(d.unit, fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(inds) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return _png(fig)


def _domain_labels(payloads) -> list[str]:
    """Incident domain as the charts show it: sea split at the indicator's 12 nm limit."""
    out = []
    for p in payloads:
        q = json.loads(p) if p else {}
        dom = q.get("domain", "land")
        if dom == "sea":
            far = (q.get("offshore_nm") or 0) > SEA_LIMIT_NM
            dom = "sea >12 nm (not scored)" if far else "sea ≤12 nm"
        out.append(dom)
    return out


def response_times(events: pd.DataFrame) -> pd.DataFrame:
    """Hours from report to first arrival per incident (inf if never reached), with domain."""
    rep = events[events["kind"] == "incident_reported"]
    if rep.empty:
        return pd.DataFrame(columns=["run_id", "incident_id", "domain", "hours"])
    dom = _domain_labels(rep["payload"])
    arr = events[events["kind"] == "unit_arrived"].groupby(["run_id", "incident_id"])["t_min"].min()
    key = list(zip(rep["run_id"], rep["incident_id"], strict=True))
    t = np.array([arr.get(k, np.inf) for k in key], dtype=float)
    return pd.DataFrame(
        {
            "run_id": rep["run_id"].to_numpy(),
            "incident_id": rep["incident_id"].to_numpy(),
            "domain": dom,
            "hours": (t - rep["t_min"].to_numpy(float)) / 60.0,
        }
    )


def fig_cdfs(res) -> str | None:
    """Empirical CDFs of report→arrival time per incident domain, with targets."""
    from sim.indicators.catalog import CATALOG

    ev, n_runs = res.events.of_kinds(["incident_reported", "unit_arrived"])
    rt = response_times(ev) if not ev.empty else pd.DataFrame()
    if rt.empty:
        return None
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for dom, g in rt.groupby("domain", sort=True):
        h = np.sort(g["hours"].to_numpy())
        y = np.arange(1, h.size + 1) / h.size
        fin = np.isfinite(h)
        colour = _DOMAIN_COLOUR.get(dom, "#555555")
        ax.step(h[fin], y[fin], where="post", color=colour, lw=2, label=f"{dom} (n={h.size})")
        ind = _DOMAIN_INDICATOR.get(dom)
        if ind:
            tgt = CATALOG[ind].target(res.year)
            ax.axvline(tgt, color=colour, ls="--", lw=1.2)
            ax.text(tgt, 0.02, f" {ind} target {tgt:g} h", color=colour, rotation=90, fontsize=7)
    ax.set_xlabel("hours from report to first unit on scene")
    ax.set_ylabel("share of incidents")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    over = "all runs" if n_runs == len(res.runs) else f"{n_runs} of {len(res.runs)} runs"
    ax.set_title(
        f"Response-time CDFs, all reported incidents of {over} (curves below 1: never reached);\n"
        "sea_arrival_time counts only sea incidents ≤ 12 nm offshore",
        fontsize=9,
    )
    return _png(fig)


def focus_box(events: pd.DataFrame, world) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) around where the hazard acted: incidents, exposures, hazard events.

    Hazard-specific event kinds (anything outside the engine's core kinds) count
    too, so a small plume or fire gets a close-up instead of a speck on the city.
    """
    from sim.events import CORE_KINDS

    keep = events["kind"].isin(["incident_reported", "household_exposed"]) | ~events["kind"].isin(
        CORE_KINDS
    )
    e = events[keep & events["x_m"].notna() & events["y_m"].notna()]
    g = world.grid
    if e.empty:
        return (
            float(g.x_m.min()), float(g.x_m.max()), float(g.y_m.min()), float(g.y_m.max())
        )  # fmt: skip
    x0, x1 = float(e["x_m"].min()), float(e["x_m"].max())
    y0, y1 = float(e["y_m"].min()), float(e["y_m"].max())
    pad = max(2000.0, 0.2 * max(x1 - x0, y1 - y0))
    return x0 - pad, x1 + pad, y0 - pad, y1 + pad


def footprint(res, index: int) -> dict[str, Any]:
    """Re-run run `index` and sample the hazard's intensity on a grid around its events.

    Returns the max intensity over checkpoints, the unit positions when the
    footprint was largest, unit bases, the hazard's field names and the model.
    """
    model = rebuild(res, index)
    scen = model.spec
    x0, x1, y0, y1 = focus_box(res.events.run(index), res.world)
    x, y = np.meshgrid(
        np.linspace(x0, x1, FOOTPRINT_MAX_CELLS), np.linspace(y0, y1, FOOTPRINT_MAX_CELLS)
    )
    thr = float(getattr(model.hazard, "exposure_threshold", 0.0))
    peak = np.zeros(x.shape)
    best, units_xy, t_best = -1, None, 0.0
    end = scen.duration_min
    for t in np.linspace(end / FOOTPRINT_CHECKPOINTS, end, FOOTPRINT_CHECKPOINTS):
        model.run(until_min=float(t))
        inten = np.asarray(model.hazard.intensity_at(x.ravel(), y.ravel()), float).reshape(x.shape)
        peak = np.maximum(peak, np.nan_to_num(inten))
        area = int((inten > thr).sum())
        if area > best:
            best, t_best = area, float(t)
            units_xy = np.array([tm.position_at(model.env.now) for tm in model.teams]).reshape(
                -1, 2
            )
    land = None
    if getattr(res.world, "is_land", None) is not None:
        land = res.world.sample("is_land", x.ravel(), y.ravel()).reshape(x.shape)
    return {
        "x": x,
        "y": y,
        "peak": peak,
        "threshold": thr,
        "units": units_xy,
        "bases": np.array([tm.base_xy for tm in model.teams]).reshape(-1, 2),
        "t_units": t_best,
        "fields": sorted(model.hazard.fields()),
        "land": land,
        "box": (x0, x1, y0, y1),
        "model": model,
    }


def rebuild(res, index: int):
    """A fresh, unrun `DrillModel` for run `index` of the batch (same inputs and seed)."""
    from sim.model import DrillModel

    row = res.runs.iloc[index]
    scen = res.us.realise({p: _py(row[p]) for p in res.us.space.paths})
    return DrillModel(scen, res.world, int(row["seed"]))


def _py(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def fig_map(res, fp: dict, run_id: str) -> str:
    """Hazard footprint (max intensity) with incidents of all runs and unit positions."""
    fig, ax = plt.subplots(figsize=(8, 7))
    if fp["land"] is not None:
        ax.pcolormesh(
            fp["x"], fp["y"], fp["land"].astype(float), cmap="Greys", vmin=0, vmax=5,
            shading="nearest", zorder=0,
        )  # fmt: skip
    peak = np.ma.masked_less_equal(fp["peak"], fp["threshold"])
    if peak.count():
        m = ax.pcolormesh(fp["x"], fp["y"], peak, cmap="YlOrRd", shading="nearest", alpha=0.75)
        fig.colorbar(m, ax=ax, shrink=0.7, label=f"peak hazard intensity (> {fp['threshold']:g})")
    else:
        ax.text(
            0.5, 0.97, "no hazard field above the exposure threshold (e.g. scripted drill)",
            transform=ax.transAxes, ha="center", va="top", fontsize=8,
        )  # fmt: skip
    rep, n_runs = res.events.of_kinds(["incident_reported"])
    if not rep.empty:
        dom = _domain_labels(rep["payload"])
        cols = [_DOMAIN_COLOUR.get(d, "#555") for d in dom]
        ax.scatter(
            rep["x_m"],
            rep["y_m"],
            s=6,
            c=cols,
            alpha=0.35,
            lw=0,
            label="incidents (all runs)"
            if n_runs == len(res.runs)
            else f"incidents ({n_runs} runs)",
        )
    ax.scatter(*fp["bases"].T, marker="^", s=40, c="k", label="unit bases", zorder=3)
    if fp["units"] is not None and len(fp["units"]):
        ax.scatter(
            *fp["units"].T, marker="o", s=30, facecolors="none", edgecolors="#2ca02c", lw=1.5,
            label=f"units at t={fp['t_units'] / 60:.1f} h ({run_id})", zorder=4,
        )  # fmt: skip
    x0, x1, y0, y1 = fp["box"]
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xlabel("UTM x (m)")
    ax.set_ylabel("UTM y (m)")
    ax.legend(fontsize=7, loc="lower left")
    ax.set_title(
        f"Peak hazard intensity over {run_id} (sampled {FOOTPRINT_CHECKPOINTS}× from "
        "hazard.intensity_at), incidents of all runs in view",
        fontsize=9,
    )
    return _png(fig)


def fig_timeline(events: pd.DataFrame, run_id: str, title: str) -> str:
    """Incidents of one run: waiting (grey) and on-scene (colour) bars, with MSEL injects."""
    ev = events[events["run_id"] == run_id]
    rep = ev[ev["kind"] == "incident_reported"]
    arr = ev[ev["kind"] == "unit_arrived"].groupby("incident_id")["t_min"].min()
    done = ev[ev["kind"] == "incident_resolved"].groupby("incident_id")["t_min"].min()
    end = float(ev["t_min"].max()) if not ev.empty else 0.0
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for k, r in enumerate(rep.itertuples(index=False)):
        dom = json.loads(r.payload).get("domain", "land") if r.payload else "land"
        t0 = r.t_min / 60
        t1 = arr.get(r.incident_id, np.inf) / 60
        t2 = done.get(r.incident_id, end) / 60
        ax.plot([t0, min(t1, end / 60)], [k, k], color="#bbbbbb", lw=2)
        if np.isfinite(t1):
            ax.plot([t1, t2], [k, k], color=_DOMAIN_COLOUR.get(dom, "#555"), lw=2)
    for r in ev[ev["kind"] == "inject_applied"].itertuples(index=False):
        ax.axvline(r.t_min / 60, color="#9467bd", ls=":", lw=1)
        ax.text(
            r.t_min / 60, max(len(rep), 1), r.subject_id, fontsize=7, color="#9467bd", va="bottom"
        )
    ax.set_xlabel("hours since start")
    ax.set_ylabel("incident (by report time)")
    ax.set_title(f"{title}: {run_id} — grey waiting, colour on scene (sea/river/land)", fontsize=9)
    ax.grid(alpha=0.3)
    return _png(fig)


# -- tables -------------------------------------------------------------------------------
def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if isinstance(v, float):
        return "∞" if math.isinf(v) else f"{v:.4g}"
    return html.escape(str(v))


def run_pass_rates(res) -> dict[str, str]:
    """Share of runs meeting each target, with a Wilson 95 % interval."""
    out = {}
    for d in dynamic_indicators(res.scenario):
        if d.annual:  # one event is not a year: no per-run verdict either
            continue
        ok = [meets_target(d, v, res.year) for v in res.runs[OUT + d.id]]
        ok = [m for m in ok if m is not None]
        if ok:
            k, n = sum(ok), len(ok)
            lo, hi = wilson_interval(k, n)
            out[d.id] = f"{k}/{n} = {k / n:.0%} [{lo:.0%}, {hi:.0%}]"
    return out


def scorecard_html(res) -> str:
    """The overall verdict and every plan row as an HTML table (same units as the console)."""
    from sim.indicators.scorecard import overall_verdict

    overall = overall_verdict(res.scorecard)["line"]
    return f"<p class='overall'><b>{html.escape(overall)}</b></p>" + scorecard_html_rows(
        res.scorecard, run_pass_rates(res)
    )


def scorecard_html_rows(card: pd.DataFrame, rates: dict[str, str] | None = None) -> str:
    """Every row of a scorecard as an HTML table."""
    from sim.indicators.format import fmt_ci, fmt_value

    rates = rates or {}
    head = (
        "<tr><th>plan item</th><th>indicator</th><th>plan wording</th><th>status</th>"
        "<th>target (year)</th><th>estimate</th><th>95 % interval</th><th>n</th><th>verdict</th>"
        "<th>dominant cause</th><th>runs meeting target</th><th>detail / reason</th></tr>"
    )
    rows = []
    for r in card.itertuples(index=False):
        colour = _VERDICT_COLOUR.get(r.verdict, "#eeeeee")
        judged = r.status not in ("out_of_scope", "not_modelled")
        tgt = f"{r.direction} {fmt_value(r.target, r.unit)} ({r.year})"
        est = fmt_value(r.estimate, r.unit) if judged else "—"
        ci = fmt_ci(r.ci_low, r.ci_high, r.unit) if judged and r.n else ""
        text = " ".join(x for x in (str(r.reason), str(r.statistic), str(r.detail)) if x)
        rows.append(
            f"<tr><td>{html.escape(str(r.seed_item))}</td><td>{html.escape(r.id)}</td>"
            f"<td>{html.escape(str(r.wording_zh))}</td><td>{html.escape(str(r.status))}</td>"
            f"<td>{html.escape(tgt)}</td><td>{html.escape(est)}</td><td>{html.escape(ci)}</td>"
            f"<td>{r.n}</td><td style='background:{colour}'><b>{html.escape(r.verdict)}</b></td>"
            f"<td>{html.escape(str(r.cause))}</td><td>{html.escape(rates.get(r.id, ''))}</td>"
            f"<td>{html.escape(text)}</td></tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


_CSS = """
body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px}
th{background:#f0f0f0}img.plot{max-width:100%;border:1px solid #ddd;margin:6px 0}
.note{color:#666;font-size:12px}
"""
_CHECK = """
<script>
window.addEventListener('load', function () {
  var imgs = document.querySelectorAll('img.plot'), ok = 0;
  imgs.forEach(function (i) { if (i.complete && i.naturalWidth > 0) ok++; });
  document.body.setAttribute('data-plots-ok', ok + '/' + imgs.length);
});
</script>
"""


def hazard_figures(model) -> list[str]:
    """The hazard's own figures (optional `write_figures` hook, e.g. the typhoon swath), inlined."""
    if model is None or not hasattr(model.hazard, "write_figures"):
        return []
    import base64
    import tempfile
    from pathlib import Path

    out: list[str] = []
    with tempfile.TemporaryDirectory() as d:
        for p in sorted(Path(x) for x in model.hazard.write_figures(Path(d))):
            if p.suffix.lower() == ".png":
                out.append(_img(base64.b64encode(p.read_bytes()).decode(), p.stem))
    return out


def render(res) -> tuple[str, Any]:
    """The whole report as HTML text, and the re-run model of the typical run."""
    from sim.fonts import use_cjk_in_matplotlib

    use_cjk_in_matplotlib()  # plan wording in figures is Chinese
    sc = res.scenario.scenario
    typical, worst, rule = pick_runs(res)
    tid, wid = str(res.runs["run_id"].iloc[typical]), str(res.runs["run_id"].iloc[worst])
    parts = [
        f"<h1>{html.escape(sc.title)}</h1>",
        f"<p class='note'>scenario <code>{html.escape(sc.id)}</code> · hazard {sc.hazard} · "
        f"{len(res.runs)} runs · seeds {res.runs['seed'].min()}..{res.runs['seed'].max()} · "
        f"targets for {res.year} · scenario sha256 {res.us.sha256[:12]}…</p>",
    ]
    if res.us.space.nodes:
        items = "".join(
            f"<li><code>{html.escape(n.path)}</code>: {n.dist.kind} "
            f"{html.escape(json.dumps(n.dist.params, ensure_ascii=False))}</li>"
            for n in res.us.space.nodes
        )
        parts.append(f"<p>Uncertain inputs (Latin hypercube):</p><ul>{items}</ul>")
    if res.validity:
        notes = "".join(f"<li>{html.escape(v)}</li>" for v in res.validity)
        parts.append(f"<p>Model limits:</p><ul>{notes}</ul>")
    from sim.indicators.scorecard import overall_verdict

    parts.insert(
        1, f"<p class='overall'><b>{html.escape(overall_verdict(res.scorecard)['line'])}</b></p>"
    )
    parts += ["<h2>Scorecard</h2>", scorecard_html(res)]
    parts.append(
        "<p class='note'>Verdict: pass if the 95 % interval lies on the good side of the target, "
        "fail if on the bad side, cannot tell if it contains the target. Runs meeting target: "
        "per-run statistic against the target, Wilson 95 % interval.</p>"
    )
    if (b := fig_distributions(res)) is not None:
        parts += ["<h2>Indicator distributions over runs</h2>", _img(b, "distributions")]
    if (b := fig_cdfs(res)) is not None:
        parts += ["<h2>Response-time CDFs</h2>", _img(b, "response-time CDFs")]
    from sim.batch.phases import fig_phases, fig_tracks

    ph_ev, ph_runs = res.events.of_kinds(["incident_reported", "unit_arrived"])
    if (b := fig_phases({"plan": ph_ev})) is not None:
        parts += ["<h2>Response phases</h2>", _img(b, "response phases"),
                  f"<p class='note'>First unit at each incident, {ph_runs} of {len(res.runs)} "
                  "runs.</p>"]  # fmt: skip
    tr_ev, tr_runs = res.events.of_kinds(["typhoon_track"])
    if (b := fig_tracks(tr_ev)) is not None:
        parts += ["<h2>Hazard spread</h2>", _img(b, f"storm tracks of {tr_runs} runs")]
    fp = footprint(res, typical)
    parts += [
        "<h2>Hazard footprint</h2>",
        _img(fig_map(res, fp, tid), "hazard footprint map"),
        f"<p class='note'>Hazard fields of this hazard (hazard.fields()): "
        f"{html.escape(', '.join(fp['fields']) or 'none')}; exposure threshold "
        f"{fp['threshold']:g}.</p>",
    ]
    parts += hazard_figures(fp["model"])
    parts += [
        "<h2>Timelines</h2>",
        f"<p class='note'>{html.escape(rule)}</p>",
        _img(fig_timeline(res.events.run(typical), tid, "Typical run"), "typical run timeline"),
        _img(fig_timeline(res.events.run(worst), wid, "Worst run"), "worst run timeline"),
    ]
    table = res.runs[
        ["run", "seed", *res.us.space.paths, *[c for c in res.runs if c.startswith(OUT)]]
    ]
    parts += [
        "<h2>Runs</h2>",
        table.head(200).to_html(index=False, float_format=lambda v: f"{v:.4g}", na_rep="—"),
    ]
    body = "\n".join(parts)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(sc.title)} — jmsim report</title><style>{_CSS}</style></head>"
        f"<body>{body}{_CHECK}</body></html>\n"
    ), fp["model"]


def write_report(res, path):
    """Render and write `report.html` atomically; return the typical run's finished model."""
    text, model = render(res)
    atomic_write_text(path, text)
    return model


__all__ = ["render", "write_report"]
