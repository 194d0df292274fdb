"""MSEL bookkeeping: expected player actions against what the players did.

Shared by the live MSEL panel and the after-action report. For each inject
that has fired, each `expected_actions[]` entry is matched to the first
trainee command at or after the inject's time that carries it out
(`sim.commands.command_matches`); its status is *done on time*, *done late*,
*overdue* (deadline passed, not done) or *pending*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.commands import command_matches
from sim.events import EventLog

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
    status: str  # "on time", "late", "overdue", "pending", "not fired"

    @property
    def delay_min(self) -> float:
        """Minutes from the inject to the matching command (nan if none)."""
        return self.done_t - self.inject_t if math.isfinite(self.done_t) else math.nan


def commands_from_log(log: EventLog) -> list[TakenCommand]:
    """Trainee commands in a log, in order."""
    return [
        TakenCommand(
            e.t_min,
            e.subject_id,
            str(e.payload.get("command_kind", "")),
            e.payload.get("params", {}) or {},
        )
        for e in log.of_kind("trainee_command")
    ]


def fired_from_log(log: EventLog) -> dict[str, float]:
    """Inject id → time it was applied."""
    out: dict[str, float] = {}
    for e in log.of_kind("inject_applied"):
        out.setdefault(e.subject_id, e.t_min)
    return out


def expected_rows(
    msel, fired: dict[str, float], commands: list[TakenCommand], now: float
) -> list[ExpectedRow]:
    """Expected-vs-actual rows for every expected action of every MSEL inject."""
    rows = []
    for inj in msel:
        t_inj = fired.get(inj.id, math.nan)
        for ea in inj.expected_actions:
            deadline = t_inj + ea.within_min if math.isfinite(t_inj) else math.nan
            done = (
                next(
                    (
                        c
                        for c in commands
                        if c.t_min >= t_inj and command_matches(ea.action, c.kind, c.params)
                    ),
                    None,
                )
                if math.isfinite(t_inj)
                else None
            )
            if not math.isfinite(t_inj):
                status = "not fired"
            elif done is not None:
                status = "on time" if done.t_min <= deadline else "late"
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
                    done.t_min if done else math.nan,
                    done.id if done else "",
                    status,
                )
            )
    return rows
