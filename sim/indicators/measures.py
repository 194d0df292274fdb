"""Dynamic indicators as pure functions of the event log.

Each measure takes the events of one or many runs (a DataFrame with the event
log columns plus `run_id`) and returns `Samples`: one value per qualifying
item (an incident, a household group, a fire, a run) with a trace key
(`run_id:item_id`) so every figure leads back to the events behind it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

JIANGMEN_FOREST_HA = 411_800.0  # 粤林〔2014〕1号 (terrain_facts.csv)
#: Denominator of the per-capita annual rows: the whole city, 2020 census
#: (en.wikipedia Jiangmen; reference/jiangmen/admin_units.csv), never the modelled residents.
CITY_POPULATION = 4_798_090.0
SEA_LIMIT_NM = 12.0


@dataclass
class Samples:
    """Per-item values of one indicator (times in hours, proportions as 0/1)."""

    values: np.ndarray
    trace: list[str]
    censored: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of qualifying items."""
        return int(self.values.size)


class _Shared:
    """What the measures of one event table read in common (see `shared_reads`)."""

    def __init__(self, ev: pd.DataFrame) -> None:
        self.ev = ev
        self.of: dict[tuple[str, ...], pd.DataFrame] = {}
        # id(frame) -> (frame, parsed payloads); the frame is kept so its id stays unique
        self.payload: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}
        self.runs: list[tuple[str, pd.DataFrame]] | None = None
        self.rows_of: dict[str, np.ndarray] | None = None
        self.derived: dict[str, Any] = {}  # other shared intermediate results (`_shared`)


_SHARED: ContextVar[_Shared | None] = ContextVar("measures_shared", default=None)


@contextmanager
def shared_reads(ev: pd.DataFrame) -> Iterator[None]:
    """Let every measure called inside share its reads of `ev`.

    A batch worker measures ~15 indicators on each run's events, and each
    measure selects event kinds and parses their JSON payloads itself; most of a
    measure's time went into those reads, repeated from measure to measure. Inside
    this block the selections, parsed payloads and per-run groups are computed
    once and reused (read-only: measures never modify them), so the values are
    the same as without it. Per thread/task (a context variable).
    """
    token = _SHARED.set(_Shared(ev))
    try:
        yield
    finally:
        _SHARED.reset(token)


def _shared(ev: pd.DataFrame, key: str, make: Callable[[], Any]) -> Any:
    """`make()`, computed once per `key` under `shared_reads(ev)` (read-only results)."""
    s = _SHARED.get()
    if s is None or ev is not s.ev:
        return make()
    if key not in s.derived:
        s.derived[key] = make()
    return s.derived[key]


def _first_arrivals(ev: pd.DataFrame) -> pd.DataFrame:
    """The first `unit_arrived` of each incident (per run), in time order."""
    return _shared(
        ev,
        "first_arrivals",
        lambda: (
            _of(ev, "unit_arrived")
            .sort_values(["run_id", "t_min", "seq"])
            .drop_duplicates(["run_id", "incident_id"])
        ),
    )


def _payload(df: pd.DataFrame) -> pd.DataFrame:
    s = _SHARED.get()
    if s is not None:
        hit = s.payload.get(id(df))
        if hit is not None and hit[0] is df:
            return hit[1]
    if s is None:
        rows = [json.loads(p) if p else {} for p in df["payload"]]
    else:  # one parser call for the whole column: the same dicts, without a call per event
        rows = json.loads("[" + ",".join([p or "{}" for p in df["payload"].tolist()]) + "]")
    out = pd.DataFrame(rows, index=df.index)
    if s is not None:
        s.payload[id(df)] = (df, out)
    return out


def _lookup(s: pd.Series) -> dict:
    """A (grouped) Series as a plain dict, for per-item look-ups.

    `Series.get` on a MultiIndex is tens of µs per item, a dict look-up well under
    1 µs, and a typhoon run looks up ~10 k household groups.
    """
    return dict(zip(s.index.tolist(), s.tolist(), strict=True))


def _of(ev: pd.DataFrame, *kinds: str) -> pd.DataFrame:
    s = _SHARED.get()
    if s is None or ev is not s.ev:
        return ev[ev["kind"].isin(kinds)]
    hit = s.of.get(kinds)
    if hit is None:
        if s.rows_of is None:  # row positions of each kind, from one pass over the column
            s.rows_of = ev.groupby("kind", sort=False).indices
        parts = [s.rows_of[k] for k in set(kinds) if k in s.rows_of]
        pos = np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.intp)
        hit = s.of[kinds] = ev.take(pos)  # = ev[ev["kind"].isin(kinds)]
    return hit


def _by_run(ev: pd.DataFrame):
    """``ev.groupby("run_id", sort=True)`` as (run_id, events) pairs.

    Under `shared_reads` the groups are built once; a table of a single run (a
    batch worker's) is its own only group, so the kind selections of the whole
    table are reused inside the per-run loops.
    """
    s = _SHARED.get()
    if s is None or ev is not s.ev:
        return ev.groupby("run_id", sort=True)
    if s.runs is None:
        ids = ev["run_id"].unique()
        s.runs = [(ids[0], ev)] if len(ids) == 1 else list(ev.groupby("run_id", sort=True))
    return s.runs


#: The phases of INDICATORS.md whose split says what would help (more units, other
#: bases, other craft), as logged on `unit_arrived` (minutes).
PHASES = ("queue_wait_min", "weather_hold_min", "turnout_min", "travel_min")
#: Every logged phase, in the order of a response: call handling comes first.
ALL_PHASES = (
    "call_handling_min",
    "queue_wait_min",
    "turnout_min",
    "weather_hold_min",
    "travel_min",
)
LEAD_TIME_MIN = 20.0  # 专栏1: 突发灾害性天气预警提前量 20 分钟以上
FIRE_WINDOW_MIN = 24 * 60.0


def _arrival(ev: pd.DataFrame, domain: str) -> Samples:
    """Report → first unit on scene, with the response phases when the events carry them.

    An incident never reached in run time is +inf (over target, not missing). The
    phases (`queue_wait_min`, `weather_hold_min`, `turnout_min`, `travel_min`) are
    read from the first `unit_arrived` event of each incident; missing fields are NaN.
    """
    rep = _of(ev, "incident_reported")
    if rep.empty:
        return Samples(np.zeros(0), [])
    p = _payload(rep)
    sel = p["domain"] == domain
    if domain == "sea" and "offshore_nm" in p:
        sel &= p["offshore_nm"].fillna(0) <= SEA_LIMIT_NM
    rep = rep[sel.to_numpy()]
    if rep.empty:
        return Samples(np.zeros(0), [])
    first = _first_arrivals(ev)
    key = list(zip(rep["run_id"].tolist(), rep["incident_id"].tolist(), strict=True))
    fkeys = zip(first["run_id"].tolist(), first["incident_id"].tolist(), strict=True)
    fmap = {k: j for j, k in enumerate(fkeys)}
    t_first = first["t_min"].to_numpy(float)
    pos = np.array([fmap.get(k, -1) for k in key], dtype=int)
    t_arr = np.where(pos >= 0, t_first[np.maximum(pos, 0)] if len(first) else np.inf, np.inf)
    hours = (t_arr - rep["t_min"].to_numpy()) / 60.0
    phases: dict[str, np.ndarray] = {}
    if len(first):
        fp = _payload(first)
        for ph in ALL_PHASES:
            col = fp[ph].to_numpy(float) if ph in fp else np.full(len(first), np.nan)
            phases[ph] = np.where(pos >= 0, col[np.maximum(pos, 0)], np.nan)
    else:
        phases = {ph: np.full(len(key), np.nan) for ph in ALL_PHASES}
    # without a run_finished event the run's end is unknown: nothing is censored
    fin = _of(ev, "run_finished").groupby("run_id")["t_min"].max()
    end = {r: float(fin.get(r, np.inf)) for r in rep["run_id"].tolist()}
    open_h = np.where(
        np.isinf(hours),
        (np.array([end[r] for r in rep["run_id"].tolist()]) - rep["t_min"].to_numpy(float)) / 60.0,
        np.nan,
    )
    return Samples(
        hours,
        [f"{r}:{i}" for r, i in key],
        censored=int(np.isinf(hours).sum()),
        extra={"phases": phases, "unreached": int(np.isinf(hours).sum()), "open_h": open_h},
    )


def phase_hours(s: Samples) -> dict[str, float]:
    """Mean hours of each response phase over the reached incidents of arrival samples.

    Where the time went (issue 13): e.g. a sea arrival that is mostly weather
    hold is not fixed by more boats at the same base. Empty when the log
    predates phase logging or nothing was reached.
    """
    ph = s.extra.get("phases") or {}
    out = {}
    for k in ALL_PHASES:
        v = np.asarray(ph.get(k, ()), dtype=float)
        if np.isfinite(v).any():
            out[k.removesuffix("_min")] = float(np.nanmean(v)) / 60.0
        elif k in PHASES:  # a log from before phase logging
            return {}
    return out


def sea_arrival_time(ev: pd.DataFrame) -> Samples:
    """Hours from report to first unit on scene, sea incidents within 12 nmi."""
    return _arrival(ev, "sea")


def inland_river_arrival_time(ev: pd.DataFrame) -> Samples:
    """Hours from report to first unit on scene, inland-water incidents."""
    return _arrival(ev, "river")


def relief_waits_h(
    people: float, kit_people: float, kit_times: list[float], t_displaced: float
) -> list[float]:
    """Hours each relief unit of a displaced group waited for its kit (inf if never served).

    One unit per `kit_people` people (one for the group when the size is unknown), served
    by the group's earliest kits. One rule for the DataFrame measure and the batch
    worker's (`run_rows`).
    """
    n = int(np.ceil(people / kit_people)) if kit_people > 0 else (1 if people > 0 else 0)
    times = sorted(kit_times)[:n] + [np.inf] * max(0, n - len(kit_times))
    return [(tt - t_displaced) / 60.0 for tt in times]


def initial_relief_time(ev: pd.DataFrame) -> Samples:
    """Hours from the moment a household is in need until its relief kit arrives.

    In need from the moment it starts evacuating (`household_evacuating`; the
    shelter arrival if no such event) or is displaced by damage
    (`households_displaced`, counted in kit units of `kit_people` people). Relief
    of displaced households is `displaced_relieved` (kits delivered to their
    district). Never relieved in run time = +inf (over target).
    """
    out, trace = [], []
    need = _of(ev, "household_evacuating", "household_sheltered").sort_values(["t_min", "seq"])
    need = need.drop_duplicates(["run_id", "subject_id"])
    rel = _lookup(_of(ev, "household_relieved").groupby(["run_id", "subject_id"])["t_min"].min())
    for r, g, t in zip(
        need["run_id"].tolist(), need["subject_id"].tolist(), need["t_min"].tolist(), strict=True
    ):
        out.append((float(rel.get((r, g), np.inf)) - float(t)) / 60.0)
        trace.append(f"{r}:{g}")
    disp = _of(ev, "households_displaced")
    displaced_units = 0
    if not disp.empty:
        p = _payload(disp)
        got = _of(ev, "displaced_relieved")
        gp = _payload(got) if not got.empty else pd.DataFrame()
        for k, (r, sid, t) in enumerate(
            zip(
                disp["run_id"].tolist(),
                disp["subject_id"].tolist(),
                disp["t_min"].tolist(),
                strict=True,
            )
        ):
            people = float(p["people"].iloc[k])
            size = float(p["kit_people"].iloc[k]) if "kit_people" in p else 0.0
            times: list[float] = []
            if not got.empty:
                m = ((got["run_id"] == r) & (got["subject_id"] == sid)).to_numpy()
                for tt, kk in zip(got["t_min"][m], gp["kits"][m], strict=True):
                    times += [float(tt)] * int(kk)
            waits = relief_waits_h(people, size, times, float(t))
            out += waits
            trace += [f"{r}:{sid}#{j}" for j in range(len(waits))]
            displaced_units += len(waits)
    v = np.array(out, dtype=float)
    return Samples(
        v, trace, censored=int(np.isinf(v).sum()), extra={"displaced_units": displaced_units}
    )


def _onsets(ev: pd.DataFrame) -> dict[tuple[str, str], list[tuple[float, str]]]:
    """Disaster onsets per (run, relief area), sorted (`onset_min`, rule).

    A typhoon logs one per area; a forest fire one per ignition.
    """
    on = _of(ev, "disaster_onset")
    if on.empty:
        return {}
    p = _payload(on)
    rules = p["rule"] if "rule" in p else pd.Series("", index=p.index)
    out: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for r, a, t, rule in zip(on["run_id"].tolist(), p["area"], p["onset_min"], rules, strict=True):
        out.setdefault((r, a), []).append((float(t), str(rule or "")))
    return {k: sorted(v) for k, v in out.items()}


def onset_for(onsets: list[tuple[float, str]], t: float) -> tuple[float, str]:
    """The onset a delivery at `t` answers: the latest at or before `t`, else the first.

    A batch delivered before any onset was pre-positioned (0 h).
    """
    before = [o for o in onsets if o[0] <= t]
    return before[-1] if before else onsets[0]


def _first_batch(level: str) -> Callable[[pd.DataFrame], Samples]:
    def measure(ev: pd.DataFrame) -> Samples:
        d = _of(ev, "supplies_delivered")
        if d.empty:
            return Samples(np.zeros(0), [])
        p = _payload(d)
        d = d[(p["level"] == level).to_numpy()].sort_values(["run_id", "t_min", "seq"])
        if d.empty:
            return Samples(np.zeros(0), [])
        first = d.drop_duplicates("run_id")
        fp = _payload(first)
        onsets = _shared(ev, "onsets", lambda: _onsets(ev))
        rel = _of(ev, "relief_released").groupby("run_id")["t_min"].first()
        out, trace, pre, rule = [], [], 0, set()
        for k, (r, t, seq) in enumerate(
            zip(
                first["run_id"].tolist(),
                first["t_min"].tolist(),
                first["seq"].tolist(),
                strict=True,
            )
        ):
            area = fp["shelter"].iloc[k]
            if (r, area) in onsets:
                t0, why = onset_for(onsets[(r, area)], float(t))
                rule.add("onset:" + why)
            else:
                t0 = float(rel.get(r, 0.0))
                rule.add("release")
            h = (float(t) - t0) / 60.0
            if h <= 0:
                pre += 1
            out.append(max(h, 0.0))
            trace.append(f"{r}:{int(seq)}@{area}")
        # a level that dispatched but never delivered in a run counts as +inf
        disp = _of(ev, "supplies_dispatched")
        if not disp.empty:
            dp = _payload(disp)
            sent = set(disp["run_id"][(dp["level"] == level).to_numpy()]) - set(first["run_id"])
            for r in sorted(sent):
                out.append(np.inf)
                trace.append(f"{r}:undelivered")
        v = np.array(out, dtype=float)
        return Samples(
            v,
            trace,
            censored=int(np.isinf(v).sum()),
            extra={"pre_positioned": pre, "clock": sorted(rule)},
        )

    measure.__doc__ = (
        f"Hours from disaster onset in the area to the {level}'s own first batch arriving "
        "there, per run (delivered before onset = 0 h)."
    )
    return measure


def warning_public_coverage(ev: pd.DataFrame) -> Samples:
    """1 per household group reached by the hazard after being warned, else 0 (people kept)."""
    r = _of(ev, "hazard_reached")
    if r.empty:
        return Samples(np.zeros(0), [])
    p = _payload(r)
    return Samples(
        p["warned_before"].astype(float).to_numpy(),
        [f"{a}:{b}" for a, b in zip(r["run_id"].tolist(), r["subject_id"].tolist(), strict=True)],
        extra={"people": p["people"].to_numpy(float), "weighted": True},
    )


def warning_lead_time(ev: pd.DataFrame) -> Samples:
    """1 per warned group whose warning arrived ≥ 20 min before the hazard reached it.

    Lead time = hazard reaching the group's place (`hazard_reached`) − the warning
    reaching it (`warning_received`); only groups warned before the hazard count
    (the unwarned are the coverage row's failures).
    """
    r = _of(ev, "hazard_reached")
    if r.empty:
        return Samples(np.zeros(0), [])
    w = _lookup(_of(ev, "warning_received").groupby(["run_id", "subject_id"])["t_min"].min())
    vals, trace, lead = [], [], []
    for run, g, t in zip(
        r["run_id"].tolist(), r["subject_id"].tolist(), r["t_min"].tolist(), strict=True
    ):
        tw = w.get((run, g))
        if tw is None or tw > t:
            continue
        lead.append(float(t) - float(tw))
        vals.append(float(lead[-1] >= LEAD_TIME_MIN))
        trace.append(f"{run}:{g}")
    return Samples(np.array(vals), trace, extra={"lead_min": np.array(lead)})


#: Why items of a share failed, per measure: counts in `Samples.extra` (summed when
#: batches pool runs); the scorecard names the most frequent as the row's dominant cause.
FAIL_CAUSES: dict[str, dict[str, str]] = {
    "incident_report_timeliness": {
        "late_town_hop": "town → county hop over its deadline",
        "late_county_hop": "county → city hop over its deadline",
        "late_chain": "whole chain over its deadline",
        "late_unarrived": "still on its way past the deadline at the run's end",
    },
    "scene_comms_assurance": {
        "comms_unrestored": "comms lost and not restored before the scene closed",
        "comms_restored_late": "comms restored later than the tolerance",
    },
}
#: Circumstances shared by some failures (counts in `Samples.extra`), named with the cause.
FAIL_QUALIFIERS = {
    "late_comms_down": "had the public mobile network down",
    "comms_fail_sea": "were at sea (no comms unit can reach them; only on-board satellite phones)",
}
LATE_CAUSES = FAIL_CAUSES["incident_report_timeliness"]


def report_key(fire_id: Any, key: Any, incident_id: str) -> str:
    """The chain's report key of an `incident_reported` payload (sim.response.reporting).

    A fire's own key, else the payload's report key, else the incident; a missing
    value may be None or NaN (a payload column of a DataFrame).
    """
    if isinstance(fire_id, str) or (fire_id is not None and fire_id == fire_id):
        return f"fire:{fire_id}"
    return str(key) if isinstance(key, str) and key else str(incident_id)


def flood_warning_issue_rate(ev: pd.DataFrame) -> Samples:
    """1 per flood event at a river gauge warned before it happened, else 0.

    A flood event is a gauge's stage passing its warning level (`river_above_warning`);
    it is warned if a `flood_warning_issued` for the same gauge came strictly earlier
    in the same run (a warning issued as the water arrives is not a warning).
    """
    x = _of(ev, "river_above_warning")
    if x.empty:
        return Samples(np.zeros(0), [])
    w = _of(ev, "flood_warning_issued").groupby(["run_id", "subject_id"])["t_min"].min()
    vals, trace, lead = [], [], []
    for run, g, t in zip(
        x["run_id"].tolist(), x["subject_id"].tolist(), x["t_min"].tolist(), strict=True
    ):
        tw = w.get((run, g))
        ok = tw is not None and float(tw) < float(t)
        vals.append(float(ok))
        lead.append(float(t) - float(tw) if ok else np.nan)
        trace.append(f"{run}:{g}")
    return Samples(np.array(vals), trace, extra={"lead_min": np.array(lead)})


def escalation_on_time(row: Any, why: dict[str, int]) -> bool:
    """Whether one `incident_escalated` met its chain deadline and every hop's deadline.

    A late one is counted in `why` by its first late hop (town, county) or else the
    whole chain, and also as `late_comms_down` if the public network was down on a
    hop. `row`: the event's payload (a dict, or a pandas row of the payload frame).
    One rule for the DataFrame measure and the batch worker's (`run_rows`).
    """
    chain_ok = float(row["delay_min"]) <= float(row["deadline_min"])
    hops, lim = row.get("hop_min"), row.get("hop_deadline_min")
    over = []
    if isinstance(hops, list) and isinstance(lim, list):
        over = [float(h) > float(d) for h, d in zip(hops, lim, strict=False)]
    ok = chain_ok and not any(over)
    if not ok:
        if len(over) > 0 and over[0]:
            why["late_town_hop"] += 1
        elif len(over) > 1 and over[1]:
            why["late_county_hop"] += 1
        else:
            why["late_chain"] += 1
        down = row.get("comms_down")
        if isinstance(down, list) and any(down):
            why["late_comms_down"] += 1
    return ok


def incident_report_timeliness(ev: pd.DataFrame) -> Samples:
    """1 per report that reached the city within its deadlines, 0 if late (`incident_escalated`).

    On time = the whole chain within `deadline_min` and every hop within its
    `hop_deadline_min` (493号令 Art. 9/10). A report still on its way when the
    run ends (runs whose `run_started` carries `report_deadline_min`) is a
    failure if it has been open longer than the deadline, else censored: it
    could still arrive in time (neither pass nor fail, counted).
    """
    e = _of(ev, "incident_escalated")
    vals, trace = [], []
    done: set[tuple[str, str]] = set()
    # why reports were late (summed over runs when batches pool): the row's cause
    why = dict.fromkeys([*LATE_CAUSES, "late_comms_down"], 0)
    illustrative = False  # chain delays not from a cited source (plan.reporting.source)
    if not e.empty:
        p = _payload(e)
        for k, (r, i) in enumerate(
            zip(e["run_id"].tolist(), e["incident_id"].tolist(), strict=True)
        ):
            row = p.iloc[k]
            ok = escalation_on_time(row, why)
            vals.append(float(ok))
            illustrative |= bool(row.get("illustrative", False))
            trace.append(f"{r}:{i}")
            done.add((r, str(row.get("report_key") or i)))
    censored = 0
    start = _of(ev, "run_started")
    rep = _of(ev, "incident_reported").sort_values(["run_id", "t_min", "seq"])
    if not start.empty and not rep.empty:
        sp = _payload(start)
        dl = {
            r: float(d)
            for r, d in zip(
                start["run_id"].tolist(),
                sp.get("report_deadline_min", pd.Series(dtype=float)),
                strict=False,
            )
            if d is not None and d == d
        }
        fin = _of(ev, "run_finished").groupby("run_id")["t_min"].max()
        rp = _payload(rep)
        seen: set[tuple[str, str]] = set()
        for k, (r, i, t) in enumerate(
            zip(
                rep["run_id"].tolist(),
                rep["incident_id"].tolist(),
                rep["t_min"].tolist(),
                strict=True,
            )
        ):
            if r not in dl or r not in fin:
                continue
            p = rp.iloc[k]
            key = (r, report_key(p.get("fire_id"), p.get("report_key"), i))
            if key in seen or key in done:
                continue
            seen.add(key)
            if float(fin[r]) - float(t) > dl[r]:
                vals.append(0.0)  # still on its way after the deadline: late whatever follows
                trace.append(f"{r}:{i}")
                why["late_unarrived"] += 1
            else:
                censored += 1
    return Samples(
        np.array(vals, dtype=float), trace, censored=censored,
        extra={**why, "illustrative": illustrative},
    )  # fmt: skip


def comms_held(
    losses: list[tuple[float, float]],
    restores: list[float],
    end: float,
    at_sea: bool,
    why: dict[str, int],
) -> bool:
    """Whether each comms loss at a scene, (time, tolerance min), was restored in time.

    A loss is matched to the first restoration at or after it, which must come within
    its tolerance and before the scene closed (`end`). A failure is counted in `why`
    (restored late, or never; and whether at sea). One rule for the DataFrame measure
    and the batch worker's (`run_rows`).
    """
    rs = sorted(restores)
    for tl, within in sorted(losses):
        nxt = [t for t in rs if t >= tl]
        if not nxt or nxt[0] > min(end, tl + within):
            late = bool(nxt) and nxt[0] <= end
            why["comms_restored_late" if late else "comms_unrestored"] += 1
            why["comms_fail_sea"] += at_sea
            return False
        rs.remove(nxt[0])
    return True


def scene_comms_assurance(ev: pd.DataFrame) -> Samples:
    """1 per scene whose comms worked for as long as it was open, else 0.

    A scene is open from its first unit's arrival until `incident_resolved` (or the
    run's end). Each `comms_lost` while open must be followed by `comms_restored`
    before the scene closes and, when the loss carries the scenario's tolerance
    (`tolerance_min`), within that tolerance; otherwise it fails the scene.
    """
    arr = _of(ev, "unit_arrived")
    if arr.empty:
        return Samples(np.zeros(0), [])
    scenes = _first_arrivals(ev)
    closed = _of(ev, "incident_resolved").groupby(["run_id", "incident_id"])["t_min"].min()
    lost = _of(ev, "comms_lost")
    restored = _of(ev, "comms_restored")
    tol = (
        _payload(lost)["tolerance_min"].to_numpy(float)
        if not lost.empty and "tolerance_min" in _payload(lost)
        else np.full(len(lost), np.inf)
    )
    by_l: dict = {}
    for r, i, t, tl in zip(
        lost["run_id"].tolist(),
        lost["incident_id"].tolist(),
        lost["t_min"].tolist(),
        tol,
        strict=True,
    ):
        by_l.setdefault((r, i), []).append((float(t), float(tl) if tl == tl else np.inf))
    by_r = restored.groupby(["run_id", "incident_id"])["t_min"].apply(list).to_dict()
    rep = _of(ev, "incident_reported")
    at_sea = set()
    if not rep.empty:
        dom = _payload(rep).get("domain", pd.Series("", index=rep.index))
        at_sea = {
            k
            for k, d in zip(
                zip(rep["run_id"].tolist(), rep["incident_id"].tolist(), strict=True),
                dom,
                strict=True,
            )
            if d == "sea"
        }
    why = {"comms_unrestored": 0, "comms_restored_late": 0, "comms_fail_sea": 0}
    ok, trace = [], []
    for k in zip(scenes["run_id"].tolist(), scenes["incident_id"].tolist(), strict=True):
        end = float(closed.get(k, np.inf))
        good = comms_held(by_l.get(k, []), by_r.get(k, []), end, k in at_sea, why)
        ok.append(float(good))
        trace.append(f"{k[0]}:{k[1]}")
    return Samples(np.array(ok), trace, extra=why)


def _run_end(ev: pd.DataFrame) -> dict[str, float]:
    fin = _of(ev, "run_finished").groupby("run_id")["t_min"].max()
    last = ev.groupby("run_id")["t_min"].max()
    return {r: float(fin.get(r, last[r])) for r in last.index}


def forest_fire_24h_extinguish_rate(ev: pd.DataFrame) -> Samples:
    """1 per fire extinguished within 24 h of ignition, else 0; late fires censored.

    A fire lit less than 24 h before the run ends and not out by then cannot be
    judged: it is left out and counted in `censored` (neither pass nor fail).
    """
    ign = _of(ev, "fire_ignited")
    if ign.empty:
        return Samples(np.zeros(0), [])
    ext = _of(ev, "fire_extinguished").groupby(["run_id", "subject_id"])["t_min"].min()
    end = _run_end(ev)
    vals, trace, censored = [], [], 0
    for r, f, t0 in zip(
        ign["run_id"].tolist(), ign["subject_id"].tolist(), ign["t_min"].tolist(), strict=True
    ):
        dt = float(ext.get((r, f), np.inf)) - float(t0)
        if dt <= FIRE_WINDOW_MIN:
            vals.append(1.0)
        elif end[r] - float(t0) < FIRE_WINDOW_MIN:
            censored += 1
            continue
        else:
            vals.append(0.0)
        trace.append(f"{r}:{f}")
    return Samples(np.array(vals), trace, censored=censored)


def _per_run_sum(kind: str, field_: str, scale: Callable[[float, pd.DataFrame], float]):
    def measure(ev: pd.DataFrame) -> Samples:
        out, trace = [], []
        for run_id, g in _by_run(ev):
            e = _of(g, kind)
            start = _of(g, "run_started")
            if e.empty and start.empty:
                continue
            total = float(_payload(e)[field_].sum()) if not e.empty else 0.0
            out.append(scale(total, g))
            trace.append(f"{run_id}:{kind}×{len(e)}")
        return Samples(np.array(out, dtype=float), trace)

    return measure


def _affected(ev: pd.DataFrame) -> Samples:
    """Affected person-times (受灾人次) per 100,000 city residents, per run.

    Counted: people evacuated, people displaced by damage (`households_displaced`),
    and people exposed where exposure means harm (`household_exposed` with
    `harmed`, e.g. a toxic dose or the fire front; typhoon wind at home is not).
    """
    out, trace = [], []
    for run_id, g in _by_run(ev):
        e = _of(g, "household_evacuating", "households_displaced", "household_exposed")
        people = 0.0
        if not e.empty:
            p = _payload(e)
            harmed = p["harmed"].fillna(True) if "harmed" in p else pd.Series(True, index=p.index)
            keep = (e["kind"] != "household_exposed") | harmed.astype(bool)
            people = float(p.loc[keep, "people"].sum())
        out.append(people / CITY_POPULATION * 1e5)
        trace.append(f"{run_id}:affected_events×{len(e)}")
    return Samples(np.array(out, dtype=float), trace)


def _run_field(g: pd.DataFrame, name: str) -> float:
    p = _payload(_of(g, "run_started"))
    return float(p[name].iloc[0]) if name in p and pd.notna(p[name].iloc[0]) else np.nan


def _population(g: pd.DataFrame) -> float:
    return _run_field(g, "population")


def _release_start(g: pd.DataFrame) -> float:
    s = _of(g, "release_started")
    return float(s["t_min"].iloc[0]) if not s.empty else 0.0


def chem_aegl2_zone_protected_time(ev: pd.DataFrame) -> Samples:
    """Hours from release start until each AEGL-2-zone group is protected (inf if never)."""
    out, trace = [], []
    for run_id, g in _by_run(ev):
        zone = _of(g, "aegl2_zone_entered").drop_duplicates("subject_id")
        if zone.empty:
            continue
        t0 = _release_start(g)
        prot = _of(g, "group_protected").groupby("subject_id")["t_min"].min()
        for gid in zone["subject_id"].tolist():
            out.append((float(prot.get(gid, np.inf)) - t0) / 60.0)
            trace.append(f"{run_id}:{gid}")
    v = np.array(out, dtype=float)
    return Samples(v, trace, censored=int(np.isinf(v).sum()))


def _people_above(tier: int) -> Callable[[pd.DataFrame], Samples]:
    def measure(ev: pd.DataFrame) -> Samples:
        out, trace = [], []
        for run_id, g in _by_run(ev):
            if _of(g, "release_started").empty:
                continue
            e = _of(g, "aegl_exceeded")
            if not e.empty:
                p = _payload(e)
                e = e[(p["tier"] == tier).to_numpy()]
            total = float(_payload(e)["people"].sum()) if not e.empty else 0.0
            out.append(total)
            trace.append(f"{run_id}:aegl{tier}×{len(e)}")
        return Samples(np.array(out, dtype=float), trace)

    measure.__doc__ = f"People in groups above AEGL-{tier}, per run."
    return measure


def chem_first_hazmat_arrival(ev: pd.DataFrame) -> Samples:
    """Hours from the leak report to the first hazmat team on scene, per leak."""
    rep = _of(ev, "incident_reported")
    if rep.empty:
        return Samples(np.zeros(0), [])
    rep = rep[(_payload(rep)["incident_kind"] == "chemical_leak").to_numpy()]
    if rep.empty:
        return Samples(np.zeros(0), [])
    arr = _of(ev, "unit_arrived").groupby(["run_id", "incident_id"])["t_min"].min()
    key = list(zip(rep["run_id"].tolist(), rep["incident_id"].tolist(), strict=True))
    t = np.array([arr.get(k, np.inf) for k in key])
    hours = (t - rep["t_min"].to_numpy()) / 60.0
    return Samples(hours, [f"{r}:{i}" for r, i in key], censored=int(np.isinf(hours).sum()))


def chem_source_shutoff_time(ev: pd.DataFrame) -> Samples:
    """Hours from release start until responders isolate the source, per run (inf if never)."""
    out, trace = [], []
    for run_id, g in _by_run(ev):
        if _of(g, "release_started").empty:
            continue
        iso = _of(g, "source_isolated")
        t = float(iso["t_min"].iloc[0]) if not iso.empty else np.inf
        out.append((t - _release_start(g)) / 60.0)
        trace.append(f"{run_id}:{iso['seq'].iloc[0] if not iso.empty else 'not isolated'}")
    v = np.array(out, dtype=float)
    return Samples(v, trace, censored=int(np.isinf(v).sum()))


MEASURES: dict[str, Callable[[pd.DataFrame], Samples]] = {
    "chem_aegl2_zone_protected_time": chem_aegl2_zone_protected_time,
    "chem_people_above_aegl2": _people_above(2),
    "chem_people_above_aegl3": _people_above(3),
    "chem_first_hazmat_arrival": chem_first_hazmat_arrival,
    "chem_source_shutoff_time": chem_source_shutoff_time,
    "sea_arrival_time": sea_arrival_time,
    "inland_river_arrival_time": inland_river_arrival_time,
    "initial_relief_time": initial_relief_time,
    "relief_supply_first_batch_city": _first_batch("city"),
    "relief_supply_first_batch_county": _first_batch("county"),
    "relief_supply_first_batch_town": _first_batch("town"),
    "warning_public_coverage": warning_public_coverage,
    "warning_lead_time": warning_lead_time,
    "incident_report_timeliness": incident_report_timeliness,
    "flood_warning_issue_rate": flood_warning_issue_rate,
    "scene_comms_assurance": scene_comms_assurance,
    "forest_fire_24h_extinguish_rate": forest_fire_24h_extinguish_rate,
    "forest_fire_damage_rate": _per_run_sum(
        "fire_final", "burned_forest_ha", lambda v, g: v / JIANGMEN_FOREST_HA * 1000.0
    ),
    "natural_disaster_deaths_per_million": _per_run_sum(
        "casualties", "deaths", lambda v, g: v / CITY_POPULATION * 1e6
    ),
    "affected_per_100k": lambda ev: _affected(ev),
    "direct_loss_share_of_gdp": _per_run_sum(
        "direct_loss", "loss_cny", lambda v, g: v / _run_field(g, "gdp_cny") * 100
    ),
}
