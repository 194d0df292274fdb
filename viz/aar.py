"""After-action report draft (HTML) from a recorded drill, in the HSEEP layout.

Sections follow the HSEEP After-Action Report/Improvement Plan template
(HSEEP-IP01, Rev. April 2013): exercise overview; analysis (here: each MSEL
inject with the expected player actions next to what the players actually
did and when, and the indicators against the plan's targets); strengths and
areas for improvement derived from those verdicts; an improvement-plan table;
and appendices (timeline, plots, hazard-area maps drawn from the drill state). It is a *draft*: evaluators
add the observations only people in the room can make.

The report is built from a replay of the drill file, which is checked against
the event-log digest recorded with it.
"""

from __future__ import annotations

import base64
import html
import io
import math
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from sim.events import EventLog
from sim.scenario import load_scenario
from sim.session import replay
from viz.capabilities import RATING_TEXT, rate_capabilities
from viz.msel import (
    QUIET_KINDS,
    ExpectedRow,
    commands_from_log,
    expected_rows,
    facts_from_log,
    fired_from_log,
    trainee_actions,
)
from viz.record import DrillRecord, replay_verdict

#: HSEEP capability ratings (template HSEEP-IP01) from an indicator verdict.
HSEEP_RATING = {
    "pass": "P (performed without challenges)",
    "cannot tell": "S (performed with some challenges: evidence inconclusive)",
    "fail": "M (performed with major challenges)",
    "no qualifying events": "not observed",
    "not computed": "not evaluated (no plan inventory)",
}
TIMELINE_QUIET = QUIET_KINDS | {
    "unit_returned",
    "unit_arrived",
    "unit_dispatched",
    "supplies_dispatched",
    "supplies_delivered",
}
CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}
h1{font-size:1.6em} h2{border-bottom:2px solid #345;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;font-size:.88em;margin:.6em 0}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eef} .pass,.on-time{background:#dfd} .fail,.overdue{background:#fdd}
.cannot-tell,.late{background:#ffd}
.rating-P{background:#dfd} .rating-S{background:#ffd} .rating-M{background:#fed} .rating-U{background:#fdd} .draft{color:#a00;font-weight:bold}
img{max-width:100%;border:1px solid #ccc;margin:.4em 0}
"""


def met_text(status: str) -> str:
    """'met' / 'not met' / 'open' from an expected-action status."""
    return {
        "on time": "met",
        "late": "met (late)",
        "overdue": "not met",
        "no incident": "not rated (no such incident occurred)",
    }.get(status, status)


def _hhmm(t: float) -> str:
    if t is None or not math.isfinite(t):
        return "-"
    h, m = divmod(int(round(t)), 60)
    return f"T+{h:02d}:{m:02d}"


def _esc(x) -> str:
    return html.escape(str(x))


#: Tables of the report being built, in order (for the PDF); None when not recording.
_TABLES: list[tuple[list[str], list[list]]] | None = None
#: Headings of the recorded tables, in the order `build_aar` makes them.
PDF_HEADINGS = [
    "1. Exercise overview",
    "2. MSEL: expected player actions and what the players did",
    "2a. Core capabilities (HSEEP ratings)",
    "2b. What the trainees did",
    "3. Indicators against the plan's targets",
    "6. Improvement plan (to be completed by the exercise team)",
]


def _cell(x, breakable: bool = False) -> str:
    """Escaped cell text; `breakable`: may break after underscores.

    The indicator table's long ids (industrial_deaths_per_100k_workers) otherwise
    push it past the page edge.
    """
    return _esc(x).replace("_", "_<wbr>") if breakable else _esc(x)


def _table(
    headers: list[str], rows: list[list], classes: list[str] | None = None, breakable=False
) -> str:
    if _TABLES is not None:
        _TABLES.append((list(headers), [list(r) for r in rows]))
    out = ["<table><tr>" + "".join(f"<th>{_esc(h)}</th>" for h in headers) + "</tr>"]
    for k, r in enumerate(rows):
        cls = f' class="{classes[k]}"' if classes and classes[k] else ""
        out.append(f"<tr{cls}>" + "".join(f"<td>{_cell(c, breakable)}</td>" for c in r) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _png_b64(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode()


def _plots(log: EventLog, end: float) -> list[tuple[str, str]]:
    """Matplotlib figures (title, base64 PNG): people by state, open incidents."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    ev = [(e.t_min, e.kind, e.payload) for e in log]
    kinds = {
        "household_evacuating": "evacuating (cum.)",
        "household_sheltered": "sheltered (cum.)",
        "household_exposed": "exposed (cum.)",
    }
    fig, ax = plt.subplots(figsize=(9, 3))
    any_line = False
    for k, label in kinds.items():
        t = [e[0] / 60 for e in ev if e[1] == k]
        ppl = np.cumsum([int(e[2].get("people", 1)) for e in ev if e[1] == k])
        if len(t):
            ax.step(t, ppl, where="post", label=label)
            any_line = True
    if any_line:
        ax.set_xlabel("hours since start")
        ax.set_ylabel("people")
        ax.legend(fontsize=8)
        ax.set_xlim(0, end / 60)
        out.append(("Resident protective actions", _png_b64(fig)))
    plt.close(fig)
    rep = sorted(e[0] for e in ev if e[1] == "incident_reported")
    res = sorted(e[0] for e in ev if e[1] == "incident_resolved")
    if rep:
        fig, ax = plt.subplots(figsize=(9, 3))
        ts = np.linspace(0, end, 400)
        open_n = np.searchsorted(rep, ts, side="right") - np.searchsorted(res, ts, side="right")
        ax.plot(ts / 60, open_n)
        ax.set_xlabel("hours since start")
        ax.set_ylabel("open incidents")
        out.append(("Open incidents", _png_b64(fig)))
        plt.close(fig)
    return out


def _val(r) -> str:
    from sim.indicators.format import fmt_value

    return fmt_value(r.estimate, r.unit)


def strengths_and_areas(card: pd.DataFrame, rows: list[ExpectedRow]) -> tuple[list[str], list[str]]:
    """Strengths (targets met, actions on time) and areas for improvement (the rest)."""
    good, bad = [], []
    for r in card.itertuples():
        tgt = (
            f"{r.direction} {r.target:g}"
            if isinstance(r.target, int | float) and math.isfinite(r.target)
            else ""
        )
        if r.verdict == "pass":
            good.append(
                f"Indicator {r.id} ({r.wording_zh}) met its target {tgt}: estimate {_val(r)} ({r.detail})."
            )
        elif r.verdict == "fail":
            bad.append(
                f"Indicator {r.id} ({r.wording_zh}) missed its target {tgt}: estimate {_val(r)} ({r.detail})."
            )
        elif r.verdict == "cannot tell":
            bad.append(
                f"Indicator {r.id}: evidence inconclusive against {tgt} (n={r.n}); more drills or runs are needed."
            )
    for x in rows:
        if x.status == "on time":
            good.append(
                f"{x.inject_id}: '{x.action}' done {x.delay_min:.0f} min after the inject (allowed {x.within_min:.0f})."
            )
        elif x.status == "late":
            bad.append(
                f"{x.inject_id}: '{x.action}' done late, {x.delay_min:.0f} min after the inject (allowed {x.within_min:.0f})."
            )
        elif x.status in ("overdue", "pending"):
            bad.append(
                f"{x.inject_id}: expected action '{x.action}' was not taken (allowed {x.within_min:.0f} min)."
            )
    return good, bad


def indicator_table(card: pd.DataFrame) -> str:
    """Section 3: every scorecard row, with the same verdict and value text as report.html.

    Both print the row's `verdict` and `fmt_value`, so an ∞ reads alike in both.
    """
    from sim.indicators.format import fmt_value

    crows, ccls = [], []
    for r in card.itertuples():
        judged = r.status not in ("out_of_scope", "not_modelled")
        crows.append(
            [
                r.seed_item,
                r.id,
                r.wording_zh,
                r.status,
                f"{r.direction} {fmt_value(r.target, r.unit)}",
                fmt_value(r.estimate, r.unit) if judged else "—",
                r.n,
                r.verdict,
                HSEEP_RATING.get(r.verdict, r.verdict),
                r.cause,
                r.reason or r.detail,
            ]
        )
        ccls.append(r.verdict.replace(" ", "-"))
    headers = ["Plan item", "Indicator", "Wording", "Status", "Target", "Estimate", "n",
               "Verdict", "HSEEP rating", "Dominant cause", "Detail / reason"]  # fmt: skip
    return _table(headers, crows, ccls, breakable=True)


def _overall_line(card: pd.DataFrame) -> str:
    from sim.indicators.scorecard import overall_verdict

    return overall_verdict(card)["line"]


def build_aar(
    drill_file: str | Path,
    out: str | Path,
    snapshots: int = 3,
    world=None,
    pdf: str | Path | None = None,
) -> Path:
    """Replay a drill file and write the after-action report draft (self-contained HTML).

    `snapshots` hazard-area maps at key moments (rendered from the drill state);
    `pdf` also writes the report as a PDF hand-out (without the raw timeline).
    """
    global _TABLES
    _TABLES = []
    try:
        return _build_aar(drill_file, out, snapshots, world, pdf)
    finally:
        _TABLES = None


def _build_aar(drill_file, out, snapshots, world, pdf) -> Path:
    from sim.fonts import use_cjk_in_matplotlib
    from sim.indicators.scorecard import build_scorecard
    from sim.run import load_world

    use_cjk_in_matplotlib()  # scenario titles and plan wording are Chinese

    rec = DrillRecord.load(drill_file)
    scen_path = rec.scenario_path(drill_file)
    scen = load_scenario(scen_path)
    world = world if world is not None else load_world(scen)
    until = rec.ended_at_min if rec.ended_at_min > 0 else scen.duration_min
    sess = replay(scen, rec.seed, rec.actions, world, until=until)
    log = sess.model.log
    verified, why = replay_verdict(rec, log.digest())
    ev = log.to_frame()
    ev.insert(0, "run_id", f"{scen.scenario.id}#s{rec.seed}")
    card = build_scorecard(scen, ev, world)
    now = sess.now
    rows = expected_rows(scen.msel, facts_from_log(log), now, scen.scenario.hazard)
    good, bad = strengths_and_areas(card, rows)
    sc = scen.scenario
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>AAR {_esc(sc.title)}</title><style>{CSS}</style></head><body>",
        f"<p class='draft'>DRAFT After-Action Report / Improvement Plan (HSEEP layout), generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by jmsim</p>",
        f"<h1>{_esc(sc.title)}</h1>",
        f"<p><b>{_esc(_overall_line(card))}</b></p>",
        "<h2>1. Exercise overview</h2>",
        _table(
            ["Item", "Value"],
            [
                ["Scenario", f"{sc.id} ({scen_path}, sha256 {rec.scenario_sha256[:12]}…)"],
                ["Threat or hazard", sc.hazard],
                ["Scenario start", sc.start_time.isoformat()],
                ["Drill played to", f"{_hhmm(now)} of {_hhmm(scen.duration_min)}"],
                ["Seed", rec.seed],
                ["Injects fired (MSEL + ad hoc)", len(fired_from_log(log))],
                ["Trainee commands", len(commands_from_log(log))],
                [
                    "Branch",
                    "-" if not rec.branch else f"from {_hhmm(rec.branch.get('at_min', math.nan))}",
                ],
                [
                    "Replay check",
                    "event log identical to the recorded drill" if verified else f"event log {why}",
                ],
                ["Description", sc.description.strip() or "-"],
            ],
        ),
        "<h2>2. MSEL: expected player actions and what the players did</h2>",
    ]
    msel_rows, classes = [], []
    for x in rows:
        cmd = f"{x.how} at {_hhmm(x.done_t)} (+{x.delay_min:.0f} min)" if x.done_by else "-"
        if x.also:
            cmd += f"; also (not credited again): {'; '.join(x.also)}"
        msel_rows.append(
            [
                x.inject_id,
                _hhmm(x.inject_t),
                x.inject_kind,
                x.description,
                x.action,
                f"{x.within_min:.0f} min",
                cmd,
                x.status,
                met_text(x.status),
            ]
        )
        classes.append(x.status.replace(" ", "-"))
    no_exp = [i for i in scen.msel if not i.expected_actions]
    for i in no_exp:
        msel_rows.append(
            [
                i.id,
                _hhmm(fired_from_log(log).get(i.id, math.nan)),
                i.kind,
                i.description,
                "(none expected)",
                "-",
                "-",
                "-",
                "-",
            ]
        )
        classes.append("")
    parts.append(
        _table(
            [
                "Inject",
                "Fired",
                "Kind",
                "Description",
                "Expected action",
                "Within",
                "Actual (command, time)",
                "Status",
                "Met?",
            ],
            msel_rows,
            classes,
        )
    )
    parts.append("<h2>2a. Core capabilities (HSEEP ratings)</h2>")
    caps = rate_capabilities(rows, _hhmm)
    parts.append(
        _table(
            ["Core capability", "Rating", "Evidence"],
            [[c.capability, RATING_TEXT[c.rating], "; ".join(c.evidence)] for c in caps]
            or [["(no expected actions due yet)", "-", "-"]],
            [f"rating-{c.rating}" for c in caps] or None,
        )
    )
    parts.append("<h2>2b. What the trainees did</h2>")
    did = trainee_actions(log, world)
    parts.append(
        _table(
            ["Time", "Role", "Command", "Effect"],
            [[_hhmm(a.t_min), a.role, a.command, a.effect] for a in did]
            or [["-", "-", "(no commands)", "-"]],
        )
    )
    from sim.indicators.scorecard import overall_verdict

    parts.append("<h2>3. Indicators against the plan's targets</h2>")
    parts.append(f"<p><b>{_esc(overall_verdict(card)['line'])}</b></p>")
    parts.append(indicator_table(card))
    parts.append(
        "<h2>4. Strengths</h2><ul>"
        + "".join(f"<li>{_esc(s)}</li>" for s in good or ["(none derived)"])
        + "</ul>"
    )
    parts.append(
        "<h2>5. Areas for improvement</h2><ul>"
        + "".join(f"<li>{_esc(s)}</li>" for s in bad or ["(none derived)"])
        + "</ul>"
    )
    parts.append("<h2>6. Improvement plan (to be completed by the exercise team)</h2>")
    parts.append(
        _table(
            [
                "Area for improvement",
                "Corrective action",
                "Capability element",
                "Primary agency",
                "Start",
                "Completion",
            ],
            [[b, "", "", "", "", ""] for b in bad],
        )
    )
    parts.append("<h2>Appendix A. Timeline</h2>")
    tl = [
        [
            _hhmm(e.t_min),
            e.kind,
            e.subject_id or e.incident_id or e.unit_id,
            _payload_text(e.payload),
        ]
        for e in log
        if e.kind not in TIMELINE_QUIET
    ][:400]
    parts.append(_table(["Time", "Event", "Who", "Details"], tl))
    parts.append("<h2>Appendix B. Plots</h2>")
    for title, b64 in _plots(log, now):
        parts.append(
            f"<h3>{_esc(title)}</h3><img alt='{_esc(title)}' src='data:image/png;base64,{b64}'>"
        )
    maps: list[tuple[str, bytes]] = []
    if snapshots > 0:
        parts.append("<h2>Appendix C. Hazard area at key moments (drawn from the drill state)</h2>")
        maps = _hazard_maps(scen, rec, world, fired_from_log(log), now, snapshots)
        for title, png in maps:
            b64 = base64.b64encode(png).decode()
            parts.append(
                f"<h3>{_esc(title)}</h3><img alt='hazard area at {_esc(title)}' src='data:image/png;base64,{b64}'>"
            )
    parts.append("</body></html>")
    outp = Path(out)
    outp.parent.mkdir(parents=True, exist_ok=True)
    outp.write_text("\n".join(parts), encoding="utf-8")
    if pdf is not None:
        from viz.aar_pdf import write_pdf

        tables = list(_TABLES or [])
        sections = [
            (h, headers, rows) for h, (headers, rows) in zip(PDF_HEADINGS, tables, strict=False)
        ]
        sections.insert(5, ("4. Strengths", ["Strength"], [[g] for g in good] or [["(none)"]]))
        sections.insert(
            6, ("5. Areas for improvement", ["Area"], [[b] for b in bad] or [["(none)"]])
        )
        write_pdf(
            pdf,
            f"After-Action Report (draft): {sc.title}",
            sections,
            maps,
            notes=[
                f"DRAFT, HSEEP layout, generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by jmsim "
                f"from {Path(drill_file).name}; the full event timeline is in the HTML report."
            ],
        )
    return outp


def _hazard_maps(scen, rec, world, fired, now, n) -> list[tuple[str, bytes]]:
    """Hazard-area maps (title, PNG) at the key moments, from a replay of the drill."""
    from sim.session import DrillSession
    from viz.hazard_maps import hazard_map_png, key_moments

    s = DrillSession(scen, rec.seed, world, rec.actions)
    out = []
    for t, label in key_moments(scen.msel, fired, now, n):
        s.advance_to(t)
        log = s.model.log
        kinds = {
            e.subject_id: e.payload.get("command_kind", "") for e in log.of_kind("trainee_command")
        }
        zones = [
            (e.subject_id, kinds.get(e.subject_id, ""), e.payload["zone_xy"])
            for e in log.of_kind("command_result")
            if e.payload.get("zone_xy")
        ]
        title = f"{_hhmm(s.now)} ({label})"
        out.append((title, hazard_map_png(s, title, zones)))
    return out


def _payload_text(p: dict) -> str:
    items = []
    for k, v in p.items():
        if k in ("people_by_state",):
            continue
        s = str(v)
        items.append(f"{k}={s[:60]}")
    return ", ".join(items)[:200]
