"""MSEL bookkeeping: expected player actions against what the players did.

Shared by the live MSEL panel and the after-action report. For each inject
that has fired, each `expected_actions[]` entry is credited once, to the
earliest action at or after the inject's time that satisfies its kind: a
trainee command (`sim.expected_actions`: the kinds a command met when it was
given are in its `trainee_command` event) or, for incident kinds that allow
it, a unit automatic dispatch sent (marked "auto-dispatch"). The other
satisfying actions are listed with it (`also`), never credited a second time,
and one action answers at most one inject's expected action of a kind. A
command tagged with `answers: INJECT` is credited to that inject only. Status is *on time*,
*late*, *overdue* (deadline passed, not done), *pending*, or *no incident*
(an incident kind whose incident never occurred: nothing to rate).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from sim.events import EventLog
from sim.expected_actions import vocabulary

#: Event kinds too frequent for the feed (one per household group).
QUIET_KINDS = frozenset(
    {
        "household_exposed",
        "household_evacuating",
        "household_sheltered",
        "household_relieved",
        "household_displaced",
        "hazard_reached",
        "warning_received",
        "incident_queued",
        "unit_departed_scene",
        "run_started",
    }
)


@dataclass(frozen=True)
class TakenCommand:
    """A trainee command as logged: time, id, kind, params."""

    t_min: float
    id: str
    kind: str
    params: dict
    by: str = ""
    answers: str = ""
    meets: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExpectedRow:
    """One expected action of one inject, with what happened."""

    inject_id: str
    inject_kind: str
    inject_t: float
    description: str
    action: str
    within_min: float
    deadline: float
    done_t: float
    done_by: str
    status: str  # "on time", "late", "overdue", "pending", "not fired", "no incident"
    capability: str = ""
    how: str = ""  # e.g. "CMD-001 by chemical_officer", "auto-dispatch: unit hazmat_xh-1"
    also: tuple[str, ...] = ()  # the other actions that satisfied it (not credited again)

    @property
    def delay_min(self) -> float:
        """Minutes from the inject to the matching command (nan if none)."""
        return self.done_t - self.inject_t if math.isfinite(self.done_t) else math.nan


@dataclass(frozen=True)
class Dispatch:
    """A unit sent to an incident, and whether automatic dispatch chose it."""

    t_min: float
    unit_id: str
    incident_id: str
    auto: bool


@dataclass
class DrillFacts:
    """What the log says happened, as the MSEL matcher needs it."""

    fired: dict[str, float] = field(default_factory=dict)
    commands: list[TakenCommand] = field(default_factory=list)
    dispatches: list[Dispatch] = field(default_factory=list)
    incidents: dict[str, dict] = field(default_factory=dict)  # id -> {t, needs, source, t_resolved}


def commands_from_log(log: EventLog) -> list[TakenCommand]:
    """Trainee commands in a log, in order."""
    return [
        TakenCommand(
            e.t_min,
            e.subject_id,
            str(e.payload.get("command_kind", "")),
            e.payload.get("params", {}) or {},
            str(e.payload.get("by", "")),
            str(e.payload.get("answers", "")),
            tuple(e.payload.get("meets", ()) or ()),
        )
        for e in log.of_kind("trainee_command")
    ]


def fired_from_log(log: EventLog) -> dict[str, float]:
    """Inject id → time it was applied."""
    out: dict[str, float] = {}
    for e in log.of_kind("inject_applied"):
        out.setdefault(e.subject_id, e.t_min)
    return out


def facts_from_log(log: EventLog) -> DrillFacts:
    """Injects, commands, dispatches and incidents of a log."""
    f = DrillFacts(fired=fired_from_log(log), commands=commands_from_log(log))
    by_trainee = {
        (c.t_min, str(c.params.get("unit_id", ""))) for c in f.commands if c.kind == "dispatch_unit"
    }
    for e in log:
        if e.kind == "incident_reported":
            f.incidents[e.incident_id] = {
                "t": e.t_min,
                "needs": str(e.payload.get("needs", "")),
                "source": str(e.payload.get("source", "")),
                "t_resolved": math.inf,
            }
        elif e.kind == "incident_resolved" and e.incident_id in f.incidents:
            f.incidents[e.incident_id]["t_resolved"] = e.t_min
        elif e.kind == "unit_dispatched":
            auto = (e.t_min, e.unit_id) not in by_trainee
            f.dispatches.append(Dispatch(e.t_min, e.unit_id, e.incident_id, auto))
    return f


def _target_incidents(kind, inject_id: str, t_inj: float, facts: DrillFacts) -> set[str]:
    """Incidents an incident-kind action of this inject may go to."""
    own = {i for i, d in facts.incidents.items() if d["source"] == inject_id}
    if own or not kind.incident_needs:
        return own
    return {
        i
        for i, d in facts.incidents.items()
        if d["needs"] in kind.incident_needs and d["t_resolved"] >= t_inj
    }


#: Other satisfying actions listed per expected action (a storm brings dozens of auto-dispatches).
MAX_ALSO = 3


@dataclass(frozen=True)
class _Credit:
    """An action that satisfies an expected action: when, identity, and how to show it."""

    t_min: float
    key: str  # command id, or "auto:UNIT>INCIDENT@T"
    by: str  # command id, or "auto-dispatch"
    how: str


def _candidates(kind, ea_action: str, inj_id: str, t_inj: float, facts: DrillFacts) -> list:
    """Every action at or after the inject that satisfies this expected action, earliest first."""
    targets = (
        _target_incidents(kind, inj_id, t_inj, facts) if kind.incident_needs is not None else None
    )
    out = []
    for c in facts.commands:
        if c.t_min < t_inj or ea_action not in c.meets:
            continue
        if c.answers and c.answers != inj_id:
            continue
        if targets is not None and str(c.params.get("incident_id")) not in targets:
            continue
        out.append(_Credit(c.t_min, c.id, c.id, f"{c.id} ({c.kind}) by {c.by or 'trainee'}"))
    if kind.auto and targets:
        for d in facts.dispatches:
            if d.auto and d.t_min >= t_inj and d.incident_id in targets:
                out.append(
                    _Credit(
                        d.t_min,
                        f"auto:{d.unit_id}>{d.incident_id}@{d.t_min:g}",
                        "auto-dispatch",
                        f"auto-dispatch: unit {d.unit_id} to {d.incident_id}",
                    )
                )
    # earliest first; at the same minute a trainee command before automatic dispatch
    return sorted(out, key=lambda c: (c.t_min, c.by == "auto-dispatch"))


def _credits(msel, facts: DrillFacts, vocab) -> dict[tuple[int, int], tuple]:
    """(inject index, action index) -> (credited action or None, the other satisfying actions).

    Each expected action is credited once, to its earliest satisfying action.
    One action is evidence for at most one expected action *of the same kind*:
    one warning does not answer two "warn the public" injects. Injects are
    served in firing order (an untagged action goes to the oldest open one;
    `answers:` tags override). An action may still meet expected actions of
    different kinds (a shelter order both warns and re-issues the zone).
    """
    order = sorted(
        (
            (facts.fired[inj.id], i, k)
            for i, inj in enumerate(msel)
            if inj.id in facts.fired
            for k in range(len(inj.expected_actions))
        ),
    )
    used: dict[str, set[str]] = {}
    out: dict[tuple[int, int], tuple] = {}
    for t_inj, i, k in order:
        inj, ea = msel[i], msel[i].expected_actions[k]
        kind = vocab.get(ea.action)
        if kind is None:
            continue
        cands = _candidates(kind, ea.action, inj.id, t_inj, facts)
        taken = used.setdefault(ea.action, set())
        best = next((c for c in cands if c.key not in taken), None)
        if best is not None:
            taken.add(best.key)
        out[i, k] = (best, [c for c in cands if c is not best])
    return out


def _also(others: list[_Credit]) -> tuple[str, ...]:
    def hhmm(t: float) -> str:
        h, m = divmod(int(round(t)), 60)
        return f"T+{h:02d}:{m:02d}"

    shown = [f"{c.how} at {hhmm(c.t_min)}" for c in others[:MAX_ALSO]]
    if len(others) > MAX_ALSO:
        shown.append(f"and {len(others) - MAX_ALSO} more")
    return tuple(shown)


def expected_rows(msel, facts: DrillFacts, now: float, hazard: str) -> list[ExpectedRow]:
    """Expected-vs-actual rows for every expected action of every MSEL inject (MSEL order)."""
    vocab = vocabulary(hazard)
    credits = _credits(msel, facts, vocab)
    rows = []
    for i, inj in enumerate(msel):
        t_inj = facts.fired.get(inj.id, math.nan)
        for k, ea in enumerate(inj.expected_actions):
            kind = vocab.get(ea.action)
            deadline = t_inj + ea.within_min if math.isfinite(t_inj) else math.nan
            best, others = credits.get((i, k), (None, []))
            done_t = best.t_min if best is not None else math.nan
            done_by = best.by if best is not None else ""
            how = best.how if best is not None else ""
            no_target = (
                kind is not None
                and kind.incident_needs is not None
                and math.isfinite(t_inj)
                and not _target_incidents(kind, inj.id, t_inj, facts)
            )
            if not math.isfinite(t_inj):
                status = "not fired"
            elif math.isfinite(done_t):
                status = "on time" if done_t <= deadline else "late"
            elif no_target and now > deadline:
                status = "no incident"  # nothing to send a unit to: not the players' failing
            elif now > deadline:
                status = "overdue"
            else:
                status = "pending"
            rows.append(
                ExpectedRow(
                    inj.id,
                    inj.kind,
                    t_inj,
                    inj.description,
                    ea.action,
                    ea.within_min,
                    deadline,
                    done_t,
                    done_by,
                    status,
                    capability=getattr(inj, "capability", "") or "",
                    how=how,
                    also=_also(others),
                )
            )
    return rows


@dataclass(frozen=True)
class TraineeAction:
    """One row of "what the trainees did": time, role, command, effect."""

    t_min: float
    role: str
    command: str
    effect: str


class PlaceNames:
    """Names for the ids and points in trainee commands (a hand-out names places, not codes)."""

    def __init__(self, world=None) -> None:
        import numpy as np

        self._np = np
        self.district: dict[str, str] = {}
        self.facility: dict[str, str] = {}
        self._towns = None
        if world is None:
            return
        d = getattr(world, "districts", None)
        if d is not None and len(d) and "adcode" in d.columns:
            for r in d.itertuples():
                zh, en = str(getattr(r, "name_zh", "") or ""), str(getattr(r, "name_en", "") or "")
                self.district[str(r.adcode)] = f"{zh} {en}".strip() or str(r.adcode)
        f = getattr(world, "facilities", None)
        if f is not None and len(f) and "facility_id" in f.columns:
            for r in f.itertuples():
                zh = str(getattr(r, "name_zh", "") or "")
                self.facility[str(r.facility_id)] = zh or str(getattr(r, "name", "") or "")
        t = getattr(world, "towns", None)
        if t is not None and len(t) and {"lat", "lon"} <= set(t.columns):
            zh = t["name_zh"] if "name_zh" in t.columns else t["name"]
            names = [str(z) if isinstance(z, str) and z.strip() else str(n)
                     for z, n in zip(zh, t["name"], strict=True)]  # fmt: skip
            self._towns = (t["lat"].to_numpy(float), t["lon"].to_numpy(float), names)

    def near(self, lat: float, lon: float) -> str:
        """Nearest town's name (empty if the world has no towns)."""
        if self._towns is None:
            return ""
        la, lo, names = self._towns
        k = int(self._np.argmin((la - lat) ** 2 + ((lo - lon) * 0.92) ** 2))
        return names[k]

    def facility_name(self, fid: str) -> str:
        """'SHE08 江门…避难场所' (the id stays: trainers match it to the map and the plan)."""
        name = self.facility.get(str(fid), "")
        return f"{fid} {name}" if name else str(fid)

    def params(self, params: dict) -> str:
        """Command parameters in words: districts and facilities by name, points near a town."""
        p = dict(params)
        parts = []
        if "lat" in p and "lon" in p:
            lat, lon = float(p.pop("lat")), float(p.pop("lon"))
            town = self.near(lat, lon)
            parts.append(f"at {lat:.3f}N {lon:.3f}E" + (f" (near {town})" if town else ""))
        for k, v in p.items():
            if k == "districts" and isinstance(v, list | tuple):
                v = ", ".join(self.district.get(str(x), str(x)) for x in v)
            elif k == "facility":
                v = self.facility_name(v)
            parts.append(f"{k}={v}")
        return ", ".join(parts)

    def text(self, text: str) -> str:
        """Facility ids in a feedback line followed by their names."""
        if not self.facility:
            return text
        return re.sub(
            r"\b([A-Z]{3}\d{2})\b",
            lambda m: self.facility_name(m.group(1)) if m.group(1) in self.facility else m.group(0),
            text,
        )


def trainee_actions(log: EventLog, world=None) -> list[TraineeAction]:
    """Trainee commands with their effects (the `command_result` feedback line).

    With the `world`, districts, facilities and points are named (no codes or UTM metres).
    """
    names = PlaceNames(world)
    effect = {
        e.subject_id: str(e.payload.get("summary", "")) for e in log.of_kind("command_result")
    }
    out = []
    for e in log.of_kind("trainee_command"):
        p = e.payload
        params = {k: v for k, v in (p.get("params") or {}).items() if k not in ("x_m", "y_m")}
        args = names.params(params)
        tag = f" [answers {p['answers']}]" if p.get("answers") else ""
        out.append(
            TraineeAction(
                e.t_min,
                str(p.get("by") or "trainee"),
                f"{e.subject_id} {p.get('command_kind', '')}({args}){tag}",
                names.text(effect.get(e.subject_id, "(no recorded effect)")),
            )
        )
    for e in log.of_kind("trainee_command_skipped"):
        out.append(
            TraineeAction(
                e.t_min, "-", f"{e.subject_id} (skipped)", str(e.payload.get("reason", ""))
            )
        )
    return sorted(out, key=lambda a: a.t_min)
