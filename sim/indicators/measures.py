"""Dynamic indicators as pure functions of the event log.

Each measure takes the events of one or many runs (a DataFrame with the event
log columns plus `run_id`) and returns `Samples`: one value per qualifying
item (an incident, a household group, a fire, a run) with a trace key
(`run_id:item_id`) so every figure leads back to the events behind it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

JIANGMEN_FOREST_HA = 411_800.0  # 粤林〔2014〕1号 (terrain_facts.csv)
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


def _payload(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame([json.loads(p) if p else {} for p in df["payload"]], index=df.index)


def _of(ev: pd.DataFrame, *kinds: str) -> pd.DataFrame:
    return ev[ev["kind"].isin(kinds)]


def _arrival(ev: pd.DataFrame, domain: str) -> Samples:
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
    arrived = _of(ev, "unit_arrived")
    arr = arrived.groupby(["run_id", "incident_id"])["t_min"].min()
    key = list(zip(rep["run_id"], rep["incident_id"], strict=True))
    t_arr = np.array([arr.get(k, np.inf) for k in key])
    hours = (t_arr - rep["t_min"].to_numpy()) / 60.0
    return Samples(
        hours,
        [f"{r}:{i}" for r, i in key],
        censored=int(np.isinf(hours).sum()),
        extra={"phases_h": arrival_phases(arrived, set(key))},
    )


#: Phases of a response, in order, as logged on `unit_arrived` (minutes).
PHASES = ("call_handling_min", "queue_wait_min", "turnout_min", "weather_hold_min", "travel_min")


def arrival_phases(arrived: pd.DataFrame, keys: set[tuple]) -> dict[str, float]:
    """Mean hours of each response phase over the first arrivals at the `keys` incidents.

    Where the time went (issue 13): e.g. a sea arrival that is mostly weather
    hold is not fixed by more boats at the same base. Empty if nothing arrived
    or the log predates phase logging.
    """
    if arrived.empty:
        return {}
    first = arrived.sort_values("seq").drop_duplicates(["run_id", "incident_id"])
    first = first[[k in keys for k in zip(first["run_id"], first["incident_id"], strict=True)]]
    if first.empty:
        return {}
    p = _payload(first)
    if not set(PHASES) <= set(p.columns):
        return {}
    return {k.removesuffix("_min"): float(p[k].astype(float).mean()) / 60.0 for k in PHASES}


def sea_arrival_time(ev: pd.DataFrame) -> Samples:
    """Hours from report to first unit on scene, sea incidents within 12 nmi."""
    return _arrival(ev, "sea")


def inland_river_arrival_time(ev: pd.DataFrame) -> Samples:
    """Hours from report to first unit on scene, inland-water incidents."""
    return _arrival(ev, "river")


def initial_relief_time(ev: pd.DataFrame) -> Samples:
    """Hours from sheltering to receiving a relief kit, per household group."""
    sh = _of(ev, "household_sheltered")
    if sh.empty:
        return Samples(np.zeros(0), [])
    rel = _of(ev, "household_relieved").groupby(["run_id", "subject_id"])["t_min"].min()
    key = list(zip(sh["run_id"], sh["subject_id"], strict=True))
    t = np.array([rel.get(k, np.inf) for k in key])
    hours = (t - sh["t_min"].to_numpy()) / 60.0
    return Samples(hours, [f"{r}:{g}" for r, g in key], censored=int(np.isinf(hours).sum()))


def _first_batch(level: str) -> Callable[[pd.DataFrame], Samples]:
    def measure(ev: pd.DataFrame) -> Samples:
        rel = _of(ev, "relief_released").groupby("run_id", sort=True)["t_min"].first()
        if rel.empty:
            return Samples(np.zeros(0), [])
        d = _of(ev, "supplies_delivered")
        d = d[_payload(d)["level"].to_numpy() == level] if not d.empty else d
        first = d.groupby("run_id")[["t_min", "seq"]].first()
        disp = _of(ev, "supplies_dispatched")
        sent = (
            set(disp["run_id"][_payload(disp)["level"].to_numpy() == level])
            if not disp.empty
            else set()
        )
        out, trace = [], []
        for run_id, t0 in rel.items():
            if run_id in first.index:
                t, seq = first.loc[run_id, "t_min"], first.loc[run_id, "seq"]
                out.append((float(t) - t0) / 60.0)
                trace.append(f"{run_id}:{int(seq)}")
            elif run_id in sent:  # a truck left but never arrived in run time
                out.append(np.inf)
                trace.append(f"{run_id}:undelivered")
        v = np.array(out, dtype=float)
        return Samples(v, trace, censored=int(np.isinf(v).sum()))

    measure.__doc__ = f"Hours from relief release to the first {level}-depot delivery, per run."
    return measure


def warning_public_coverage(ev: pd.DataFrame) -> Samples:
    """1 per household group reached by the hazard after being warned, else 0."""
    r = _of(ev, "hazard_reached")
    if r.empty:
        return Samples(np.zeros(0), [])
    p = _payload(r)
    return Samples(
        p["warned_before"].astype(float).to_numpy(),
        [f"{a}:{b}" for a, b in zip(r["run_id"], r["subject_id"], strict=True)],
        extra={"people": p["people"].to_numpy()},
    )


def scene_comms_assurance(ev: pd.DataFrame) -> Samples:
    """1 per incident scene whose communications never failed unrestored."""
    arr = _of(ev, "unit_arrived")
    if arr.empty:
        return Samples(np.zeros(0), [])
    scenes = arr.drop_duplicates(["run_id", "incident_id"])
    lost = _of(ev, "comms_lost")
    restored = _of(ev, "comms_restored")
    bad = set(zip(lost["run_id"], lost["incident_id"], strict=True)) - set(
        zip(restored["run_id"], restored["incident_id"], strict=True)
    )
    key = list(zip(scenes["run_id"], scenes["incident_id"], strict=True))
    ok = np.array([k not in bad for k in key], dtype=float)
    return Samples(ok, [f"{r}:{i}" for r, i in key])


def forest_fire_24h_extinguish_rate(ev: pd.DataFrame) -> Samples:
    """1 per fire extinguished within 24 h of ignition, else 0."""
    ign = _of(ev, "fire_ignited")
    if ign.empty:
        return Samples(np.zeros(0), [])
    ext = _of(ev, "fire_extinguished").groupby(["run_id", "subject_id"])["t_min"].min()
    key = list(zip(ign["run_id"], ign["subject_id"], strict=True))
    t = np.array([ext.get(k, np.inf) for k in key]) - ign["t_min"].to_numpy()
    return Samples((t <= 24 * 60).astype(float), [f"{r}:{f}" for r, f in key])


def _per_run_sum(kind: str, field_: str, scale: Callable[[float, pd.DataFrame], float]):
    def measure(ev: pd.DataFrame) -> Samples:
        out, trace = [], []
        for run_id, g in ev.groupby("run_id", sort=True):
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
    """Affected person-times (受灾人次) per 100,000 residents, per run.

    Counted: people evacuated, people displaced by damage (`households_displaced`),
    and people exposed where exposure means harm (`household_exposed` with
    `harmed`, e.g. a toxic dose or the fire front; typhoon wind at home is not).
    """
    out, trace = [], []
    for run_id, g in ev.groupby("run_id", sort=True):
        e = _of(g, "household_evacuating", "households_displaced", "household_exposed")
        people = 0.0
        if not e.empty:
            p = _payload(e)
            harmed = p["harmed"].fillna(True) if "harmed" in p else pd.Series(True, index=p.index)
            keep = (e["kind"] != "household_exposed") | harmed.astype(bool)
            people = float(p.loc[keep, "people"].sum())
        out.append(people / _population(g) * 1e5)
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
    for run_id, g in ev.groupby("run_id", sort=True):
        zone = _of(g, "aegl2_zone_entered").drop_duplicates("subject_id")
        if zone.empty:
            continue
        t0 = _release_start(g)
        prot = _of(g, "group_protected").groupby("subject_id")["t_min"].min()
        for gid in zone["subject_id"]:
            out.append((float(prot.get(gid, np.inf)) - t0) / 60.0)
            trace.append(f"{run_id}:{gid}")
    v = np.array(out, dtype=float)
    return Samples(v, trace, censored=int(np.isinf(v).sum()))


def _people_above(tier: int) -> Callable[[pd.DataFrame], Samples]:
    def measure(ev: pd.DataFrame) -> Samples:
        out, trace = [], []
        for run_id, g in ev.groupby("run_id", sort=True):
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
    key = list(zip(rep["run_id"], rep["incident_id"], strict=True))
    t = np.array([arr.get(k, np.inf) for k in key])
    hours = (t - rep["t_min"].to_numpy()) / 60.0
    return Samples(hours, [f"{r}:{i}" for r, i in key], censored=int(np.isinf(hours).sum()))


def chem_source_shutoff_time(ev: pd.DataFrame) -> Samples:
    """Hours from release start until responders isolate the source, per run (inf if never)."""
    out, trace = [], []
    for run_id, g in ev.groupby("run_id", sort=True):
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
    "scene_comms_assurance": scene_comms_assurance,
    "forest_fire_24h_extinguish_rate": forest_fire_24h_extinguish_rate,
    "forest_fire_damage_rate": _per_run_sum(
        "fire_final", "burned_forest_ha", lambda v, g: v / JIANGMEN_FOREST_HA * 1000.0
    ),
    "natural_disaster_deaths_per_million": _per_run_sum(
        "casualties", "deaths", lambda v, g: v / _population(g) * 1e6
    ),
    "affected_per_100k": lambda ev: _affected(ev),
    "direct_loss_share_of_gdp": _per_run_sum(
        "direct_loss", "loss_cny", lambda v, g: v / _run_field(g, "gdp_cny") * 100
    ),
}
