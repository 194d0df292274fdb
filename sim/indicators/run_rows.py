"""The measures of one run read from the log's columns: a batch worker's fast path.

`sim.indicators.measures` measures events as a DataFrame, for one run or many. A
batch worker measures each run's own events once, and there the pandas work (kind
selections, payload frames, group-bys on a few hundred rows) cost ~12 % of a
Mangkhut run. Here the same measures read the columns `EventLog.columns` builds
anyway (plain lists, payloads parsed per kind with one `json.loads`), for one
run only. Each gives exactly what its `MEASURES` counterpart gives on that run's
DataFrame (tests compare them on every shipped scenario); when a run's events are
not the shape a fast measure knows (a payload field present in some events and
missing in others, where pandas would fill NaN), it raises `Fallback` and the
caller uses the DataFrame measure instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np

from sim.indicators.measures import (
    ALL_PHASES,
    CITY_POPULATION,
    LATE_CAUSES,
    LEAD_TIME_MIN,
    SEA_LIMIT_NM,
    Samples,
    comms_held,
    escalation_on_time,
    onset_for,
    relief_waits_h,
    report_key,
)


class Fallback(Exception):
    """These events need the DataFrame measure (see the module docstring)."""


class RunRows:
    """One run's events as lists in log order (seq = position), looked up by kind."""

    def __init__(self, run_id: str, columns: dict[str, Any]) -> None:
        self.run_id = run_id
        self.t: list[float] = columns["t_min"].tolist() if len(columns["kind"]) else []
        self.kind: list[str] = columns["kind"]
        self.incident: list[str] = columns["incident_id"]
        self.subject: list[str] = columns["subject_id"]
        self._text: list[str] = columns["payload"]
        self._pos: dict[str, list[int]] = {}
        for i, k in enumerate(self.kind):
            hit = self._pos.get(k)
            if hit is None:
                self._pos[k] = [i]
            else:
                hit.append(i)
        self._payloads: dict[str, list[dict]] = {}
        self.derived: dict[str, Any] = {}

    def pos(self, *kinds: str) -> list[int]:
        """Positions of the events of `kinds`, in log order."""
        if len(kinds) == 1:
            return self._pos.get(kinds[0], [])
        return sorted(i for k in set(kinds) for i in self._pos.get(k, ()))

    def payloads(self, kind: str) -> list[dict]:
        """Parsed payloads of the events of `kind` (in `pos(kind)` order; read-only)."""
        hit = self._payloads.get(kind)
        if hit is None:
            text = self._text
            hit = json.loads("[" + ",".join([text[i] for i in self.pos(kind)]) + "]")
            self._payloads[kind] = hit
        return hit

    def payloads_at(self, positions: list[int]) -> list[dict]:
        """Parsed payloads at `positions` (any kinds)."""
        text = self._text
        return json.loads("[" + ",".join([text[i] for i in positions]) + "]")

    def first_arrivals(self) -> list[int]:
        """Position of the first `unit_arrived` of each incident, in log (= time) order."""
        hit = self.derived.get("first_arrivals")
        if hit is None:
            seen: set[str] = set()
            hit = []
            for i in self.pos("unit_arrived"):
                if self.incident[i] not in seen:
                    seen.add(self.incident[i])
                    hit.append(i)
            self.derived["first_arrivals"] = hit
        return hit

    def end_min(self) -> float:
        """Time of the run's last `run_finished` (inf without one)."""
        fin = self.pos("run_finished")
        return max(self.t[i] for i in fin) if fin else np.inf


def _uniform(rows: list[dict], key: str) -> bool:
    """Whether every payload has `key` with a value (True) or none has it (False).

    Anything between is where a DataFrame of the payloads holds NaN: `Fallback`.
    """
    n = sum(1 for d in rows if d.get(key) is not None)
    if n == len(rows):
        return bool(rows)
    if n == 0 and not any(key in d for d in rows):
        return False
    raise Fallback(key)


def _require(rows: list[dict], *keys: str) -> None:
    """Every payload in `rows` has each of `keys` (else `Fallback`: the DataFrame measure)."""
    for key in keys:
        if not _uniform(rows, key):
            raise Fallback(key)


def _first_t(rr: RunRows, kind: str, keys: list[str]) -> dict[str, float]:
    """Earliest time of a `kind` event per key (`keys`: the subject or incident column)."""
    first: dict[str, float] = {}
    for i in rr.pos(kind):
        k = keys[i]
        if k not in first or rr.t[i] < first[k]:
            first[k] = rr.t[i]
    return first


def _empty() -> Samples:
    return Samples(np.zeros(0), [])


def _arrival(rr: RunRows, domain: str) -> Samples:
    rep = rr.pos("incident_reported")
    if not rep:
        return _empty()
    p = rr.payloads("incident_reported")
    _require(p, "domain")
    keep = []
    for i, d in zip(rep, p, strict=True):
        if d["domain"] != domain:
            continue
        if domain == "sea":
            off = d.get("offshore_nm")
            if not (0 if off is None else off) <= SEA_LIMIT_NM:
                continue
        keep.append(i)
    if not keep:
        return _empty()
    first = rr.first_arrivals()
    fmap = {rr.incident[j]: k for k, j in enumerate(first)}
    pos = np.array([fmap.get(rr.incident[i], -1) for i in keep], dtype=int)
    t_first = np.array([rr.t[j] for j in first], dtype=float)
    t_arr = np.where(pos >= 0, t_first[np.maximum(pos, 0)] if first else np.inf, np.inf)
    t_rep = np.array([rr.t[i] for i in keep], dtype=float)
    hours = (t_arr - t_rep) / 60.0
    if first:
        fp = rr.payloads_at(first)
        phases = {}
        for ph in ALL_PHASES:
            col = np.array([d.get(ph) for d in fp], dtype=float)  # None -> NaN, as pandas
            phases[ph] = np.where(pos >= 0, col[np.maximum(pos, 0)], np.nan)
    else:
        phases = {ph: np.full(len(keep), np.nan) for ph in ALL_PHASES}
    end = rr.end_min()
    open_h = np.where(np.isinf(hours), (np.full(len(keep), end) - t_rep) / 60.0, np.nan)
    r = rr.run_id
    return Samples(
        hours,
        [f"{r}:{rr.incident[i]}" for i in keep],
        censored=int(np.isinf(hours).sum()),
        extra={"phases": phases, "unreached": int(np.isinf(hours).sum()), "open_h": open_h},
    )


def initial_relief_time(rr: RunRows) -> Samples:
    """`measures.initial_relief_time` of one run."""
    r = rr.run_id
    relieved = _first_t(rr, "household_relieved", rr.subject)
    out, trace, seen = [], [], set()
    for i in rr.pos("household_evacuating", "household_sheltered"):
        g = rr.subject[i]
        if g in seen:
            continue
        seen.add(g)
        out.append((float(relieved.get(g, np.inf)) - float(rr.t[i])) / 60.0)
        trace.append(f"{r}:{g}")
    disp = rr.pos("households_displaced")
    displaced_units = 0
    if disp:
        p = rr.payloads("households_displaced")
        got = rr.pos("displaced_relieved")
        gp = rr.payloads("displaced_relieved") if got else []
        _require(p, "people")
        if got:
            _require(gp, "kits")
        kit = _uniform(p, "kit_people")
        for i, d in zip(disp, p, strict=True):
            sid, t = rr.subject[i], rr.t[i]
            size = float(d["kit_people"]) if kit else 0.0
            times: list[float] = []
            for j, g in zip(got, gp, strict=True):
                if rr.subject[j] == sid:
                    times += [float(rr.t[j])] * int(g["kits"])
            waits = relief_waits_h(float(d["people"]), size, times, float(t))
            out += waits
            trace += [f"{r}:{sid}#{k}" for k in range(len(waits))]
            displaced_units += len(waits)
    v = np.array(out, dtype=float)
    return Samples(
        v, trace, censored=int(np.isinf(v).sum()), extra={"displaced_units": displaced_units}
    )


def _onsets(rr: RunRows) -> dict[str, list[tuple[float, str]]]:
    hit = rr.derived.get("onsets")
    if hit is None:
        p = rr.payloads("disaster_onset")
        if p:
            _require(p, "area", "onset_min")
        has_rule = _uniform(p, "rule")
        hit = {}
        for d in p:
            rule = d["rule"] if has_rule else ""
            if not isinstance(d["area"], str) or not isinstance(rule, str):
                raise Fallback("area/rule")
            hit.setdefault(d["area"], []).append((float(d["onset_min"]), str(rule or "")))
        hit = rr.derived["onsets"] = {k: sorted(v) for k, v in hit.items()}
    return hit


def _first_batch(level: str) -> Callable[[RunRows], Samples]:
    def measure(rr: RunRows) -> Samples:
        d = rr.pos("supplies_delivered")
        if not d:
            return _empty()
        p = rr.payloads("supplies_delivered")
        _require(p, "level")
        first = next((k for k, x in enumerate(p) if x["level"] == level), None)
        if first is None:
            return _empty()
        sent = rr.payloads("supplies_dispatched")
        if sent:
            _require(sent, "level")
        area = p[first].get("shelter")
        if not isinstance(area, str):
            raise Fallback("shelter")
        i = d[first]
        t = float(rr.t[i])
        onsets = _onsets(rr)
        if area in onsets:
            t0, why = onset_for(onsets[area], t)
            rule = "onset:" + why
        else:
            rel = rr.pos("relief_released")
            t0 = float(rr.t[rel[0]]) if rel else 0.0
            rule = "release"
        h = (t - t0) / 60.0
        # one run delivered, so no run of this table dispatched without delivering
        return Samples(
            np.array([max(h, 0.0)], dtype=float),
            [f"{rr.run_id}:{i}@{area}"],
            censored=0,
            extra={"pre_positioned": int(h <= 0), "clock": [rule]},
        )

    return measure


def warning_public_coverage(rr: RunRows) -> Samples:
    """`measures.warning_public_coverage` of one run."""
    pos = rr.pos("hazard_reached")
    if not pos:
        return _empty()
    p = rr.payloads("hazard_reached")
    _require(p, "warned_before", "people")
    r = rr.run_id
    return Samples(
        np.array([d["warned_before"] for d in p]).astype(float),
        [f"{r}:{rr.subject[i]}" for i in pos],
        extra={"people": np.array([d["people"] for d in p], dtype=float), "weighted": True},
    )


def warning_lead_time(rr: RunRows) -> Samples:
    """`measures.warning_lead_time` of one run."""
    pos = rr.pos("hazard_reached")
    if not pos:
        return _empty()
    warned = _first_t(rr, "warning_received", rr.subject)
    vals, trace, lead = [], [], []
    r = rr.run_id
    for i in pos:
        g, t = rr.subject[i], rr.t[i]
        tw = warned.get(g)
        if tw is None or tw > t:
            continue
        lead.append(float(t) - float(tw))
        vals.append(float(lead[-1] >= LEAD_TIME_MIN))
        trace.append(f"{r}:{g}")
    return Samples(np.array(vals), trace, extra={"lead_min": np.array(lead)})


def incident_report_timeliness(rr: RunRows) -> Samples:
    """`measures.incident_report_timeliness` of one run."""
    r = rr.run_id
    vals, trace = [], []
    done: set[str] = set()
    why = dict.fromkeys([*LATE_CAUSES, "late_comms_down"], 0)
    illustrative = False
    esc = rr.pos("incident_escalated")
    if esc:
        p = rr.payloads("incident_escalated")
        _require(p, "delay_min", "deadline_min")
        has_ill, has_key = _uniform(p, "illustrative"), _uniform(p, "report_key")
        for i, row in zip(esc, p, strict=True):
            vals.append(float(escalation_on_time(row, why)))
            illustrative |= bool(row["illustrative"]) if has_ill else False
            trace.append(f"{r}:{rr.incident[i]}")
            done.add(str((row["report_key"] if has_key else None) or rr.incident[i]))
    censored = 0
    start = rr.pos("run_started")
    rep = rr.pos("incident_reported")
    if start and rep:
        sp = rr.payloads("run_started")
        dl = [float(d) for d in (x.get("report_deadline_min") for x in sp) if d is not None]
        fin = rr.pos("run_finished")
        if dl and fin:
            deadline = dl[-1]  # {run: deadline}: the last run_started of the run wins
            end = rr.end_min()
            rp = rr.payloads("incident_reported")
            seen: set[str] = set()
            for i, d in zip(rep, rp, strict=True):
                fid = d.get("fire_id")
                if fid is not None and not isinstance(fid, str):
                    raise Fallback("fire_id")  # a DataFrame column would hold it as a float
                key = report_key(fid, d.get("report_key"), rr.incident[i])
                if key in seen or key in done:
                    continue
                seen.add(key)
                if float(end) - float(rr.t[i]) > deadline:
                    vals.append(0.0)
                    trace.append(f"{r}:{rr.incident[i]}")
                    why["late_unarrived"] += 1
                else:
                    censored += 1
    return Samples(
        np.array(vals, dtype=float), trace, censored=censored,
        extra={**why, "illustrative": illustrative},
    )  # fmt: skip


def scene_comms_assurance(rr: RunRows) -> Samples:
    """`measures.scene_comms_assurance` of one run."""
    if not rr.pos("unit_arrived"):
        return _empty()
    closed = _first_t(rr, "incident_resolved", rr.incident)
    lost = rr.pos("comms_lost")
    lp = rr.payloads("comms_lost")
    by_l: dict[str, list[tuple[float, float]]] = {}
    for i, d in zip(lost, lp, strict=True):
        tol = d.get("tolerance_min")
        tol = np.inf if tol is None else float(tol)
        by_l.setdefault(rr.incident[i], []).append((float(rr.t[i]), tol if tol == tol else np.inf))
    by_r: dict[str, list[float]] = {}
    for i in rr.pos("comms_restored"):
        by_r.setdefault(rr.incident[i], []).append(rr.t[i])
    rep = rr.pos("incident_reported")
    at_sea = {rr.incident[i] for i, d in zip(rep, rr.payloads("incident_reported"), strict=True)
              if d.get("domain") == "sea"}  # fmt: skip
    why = {"comms_unrestored": 0, "comms_restored_late": 0, "comms_fail_sea": 0}
    ok, trace = [], []
    for j in rr.first_arrivals():
        k = rr.incident[j]
        end = float(closed.get(k, np.inf))
        ok.append(float(comms_held(by_l.get(k, []), by_r.get(k, []), end, k in at_sea, why)))
        trace.append(f"{rr.run_id}:{k}")
    return Samples(np.array(ok), trace, extra=why)


def _sum(rows: list[dict], key: str) -> float:
    """``float(DataFrame(rows)[key].sum())``: the same dtype, so the same summation."""
    import pandas as pd

    if not any(key in d for d in rows):
        raise Fallback(key)
    return float(pd.Series([d.get(key) for d in rows]).sum())


def _run_field(rr: RunRows, name: str) -> float:
    p = rr.payloads("run_started")
    v = p[0].get(name) if p else None
    return float(v) if v is not None else np.nan


def _per_run_sum(kind: str, field_: str, scale: Callable[[float, RunRows], float]):
    def measure(rr: RunRows) -> Samples:
        e = rr.pos(kind)
        if not e and not rr.pos("run_started"):
            return Samples(np.array([], dtype=float), [])
        total = _sum(rr.payloads(kind), field_) if e else 0.0
        return Samples(np.array([scale(total, rr)], dtype=float), [f"{rr.run_id}:{kind}×{len(e)}"])

    return measure


def affected_per_100k(rr: RunRows) -> Samples:
    """`measures._affected` of one run."""
    kinds = ("household_evacuating", "households_displaced", "household_exposed")
    e = rr.pos(*kinds)
    people = 0.0
    if e:
        p = rr.payloads_at(e)
        has_harmed = any("harmed" in d for d in p)
        kept = []
        for i, d in zip(e, p, strict=True):
            h = d.get("harmed")
            if rr.kind[i] != "household_exposed" or not has_harmed or h is None or bool(h):
                kept.append(d)
        people = _sum(kept, "people") if kept else 0.0
    return Samples(
        np.array([people / CITY_POPULATION * 1e5], dtype=float),
        [f"{rr.run_id}:affected_events×{len(e)}"],
    )


def flood_warning_issue_rate(rr: RunRows) -> Samples:
    """`measures.flood_warning_issue_rate` of a run without river gauges (else `Fallback`)."""
    if rr.pos("river_above_warning"):
        raise Fallback("river_above_warning")  # the disaster chain's runs: the DataFrame measure
    return _empty()


FAST: dict[str, Callable[[RunRows], Samples]] = {
    "sea_arrival_time": lambda rr: _arrival(rr, "sea"),
    "inland_river_arrival_time": lambda rr: _arrival(rr, "river"),
    "initial_relief_time": initial_relief_time,
    "relief_supply_first_batch_city": _first_batch("city"),
    "relief_supply_first_batch_county": _first_batch("county"),
    "relief_supply_first_batch_town": _first_batch("town"),
    "warning_public_coverage": warning_public_coverage,
    "warning_lead_time": warning_lead_time,
    "incident_report_timeliness": incident_report_timeliness,
    "scene_comms_assurance": scene_comms_assurance,
    "natural_disaster_deaths_per_million": _per_run_sum(
        "casualties", "deaths", lambda v, rr: v / CITY_POPULATION * 1e6
    ),
    "affected_per_100k": affected_per_100k,
    "direct_loss_share_of_gdp": _per_run_sum(
        "direct_loss", "loss_cny", lambda v, rr: v / _run_field(rr, "gdp_cny") * 100
    ),
    "flood_warning_issue_rate": flood_warning_issue_rate,
}
