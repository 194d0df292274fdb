"""The event log: the single record of everything observable in a run.

Like a flight recorder, the log is append-only and ordered. Indicators, the
report, the replay and the after-action review all read it and nothing else,
so every figure can be traced back to the events behind it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: Event kinds the engine itself emits. Hazards may add their own kinds.
CORE_KINDS = frozenset(
    {
        "run_started",
        "run_finished",
        "hazard_started",
        "hazard_passed",
        "incident_reported",
        "incident_queued",
        "unit_dispatched",
        "unit_arrived",
        "unit_departed_scene",
        "unit_returned",
        "unit_unavailable",
        "incident_resolved",
        "warning_issued",
        "warning_received",
        "evacuation_ordered",
        "shelter_ordered",
        "household_evacuating",
        "household_sheltered",
        "household_displaced",
        "household_relieved",
        "household_exposed",
        "shelter_full",
        "supplies_dispatched",
        "supplies_delivered",
        "comms_lost",
        "comms_restored",
        "inject_applied",
        "trainee_command",
    }
)

COLUMNS = ["seq", "t_min", "kind", "incident_id", "unit_id", "subject_id", "x_m", "y_m", "payload"]


def _clean(value: Any) -> Any:
    """Make payload values JSON-stable (numpy scalars to Python, floats rounded)."""
    t = type(value)
    if t is str or t is int or t is bool or value is None:
        return value
    if t is float:
        return round(value, 6) if math.isfinite(value) else None
    if t is dict:
        return {str(k): _clean(v) for k, v in value.items()}
    if t is list or t is tuple:
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        return _clean(value.item())
    if isinstance(value, np.ndarray):
        return _clean(value.tolist())
    return value


@dataclass(frozen=True, slots=True)
class Event:
    """One state change: when, what, who, where, and details."""

    seq: int
    t_min: float
    kind: str
    incident_id: str = ""
    unit_id: str = ""
    subject_id: str = ""
    x_m: float = math.nan
    y_m: float = math.nan
    payload: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> tuple:
        """Row in `COLUMNS` order, payload as canonical JSON."""
        return (
            self.seq,
            self.t_min,
            self.kind,
            self.incident_id,
            self.unit_id,
            self.subject_id,
            self.x_m,
            self.y_m,
            json.dumps(self.payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
        )


class EventLog:
    """Append-only, time-ordered list of `Event`s with tabular export.

    Times are rounded to 1e-6 min and payload floats to 6 decimals so that the
    serialised log is byte-identical across runs with the same seed.
    """

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._last_t = -math.inf

    def emit(
        self,
        t_min: float,
        kind: str,
        /,
        *,
        incident_id: str = "",
        unit_id: str = "",
        subject_id: str = "",
        x_m: float = math.nan,
        y_m: float = math.nan,
        **payload: Any,
    ) -> Event:
        """Append one event; time must not go backwards."""
        t = round(t_min, 6) if type(t_min) is float else round(float(t_min), 6)
        if t < self._last_t:
            raise ValueError(
                f"event {kind!r} at t={t} is before the previous event t={self._last_t}"
            )
        self._last_t = t
        ev = Event(
            seq=len(self._events),
            t_min=t,
            kind=kind,
            incident_id=str(incident_id),
            unit_id=str(unit_id),
            subject_id=str(subject_id),
            x_m=round(float(x_m), 3) if x_m == x_m else math.nan,
            y_m=round(float(y_m), 3) if y_m == y_m else math.nan,
            payload=_clean(payload) if payload else {},
        )
        self._events.append(ev)
        return ev

    def extend(self, events: Iterable[Event]) -> None:
        """Append already-built events (used when merging or replaying)."""
        for ev in events:
            self._events.append(ev)
            self._last_t = ev.t_min

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __getitem__(self, i: int) -> Event:
        return self._events[i]

    def of_kind(self, *kinds: str) -> list[Event]:
        """Events whose kind is one of `kinds`, in log order."""
        return [e for e in self._events if e.kind in kinds]

    def to_frame(self) -> pd.DataFrame:
        """The log as a DataFrame with `COLUMNS` (payload as JSON text)."""
        return pd.DataFrame([e.as_row() for e in self._events], columns=COLUMNS).astype(
            {"seq": "int64", "t_min": "float64", "x_m": "float64", "y_m": "float64"}
        )

    def to_jsonl(self) -> str:
        """Canonical text form; the basis of the determinism hash."""
        lines = []
        for e in self._events:
            row = dict(zip(COLUMNS, e.as_row(), strict=True))
            row["payload"] = e.payload
            for k in ("x_m", "y_m"):
                if isinstance(row[k], float) and math.isnan(row[k]):
                    row[k] = None
            lines.append(json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
        return "\n".join(lines) + ("\n" if lines else "")

    def digest(self) -> str:
        """SHA-256 of the canonical text form."""
        return hashlib.sha256(self.to_jsonl().encode()).hexdigest()

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> EventLog:
        """Rebuild a log from `to_frame` output (e.g. read back from Parquet)."""
        log = cls()
        log.extend(
            Event(
                seq=int(r.seq),
                t_min=float(r.t_min),
                kind=str(r.kind),
                incident_id=str(r.incident_id),
                unit_id=str(r.unit_id),
                subject_id=str(r.subject_id),
                x_m=float(r.x_m),
                y_m=float(r.y_m),
                payload=json.loads(r.payload) if r.payload else {},
            )
            for r in df.itertuples(index=False)
        )
        return log

    def write_parquet(self, path: Path) -> None:
        """Write the log to Parquet atomically."""
        from sim.output import atomic_write_parquet

        atomic_write_parquet(self.to_frame(), path)
