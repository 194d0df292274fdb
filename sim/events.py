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
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pandas costs ~0.4 s to import; only exports need it
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
        "route_blocked",
        "unit_unavailable",
        "unit_restored",
        "incident_requeued",
        "incident_resolved",
        "incident_escalated",
        "warning_issued",
        "warning_received",
        "evacuation_ordered",
        "shelter_ordered",
        "household_evacuating",
        "household_sheltered",
        "household_displaced",
        "household_relieved",
        "displaced_relieved",
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

#: Canonical JSON (sorted keys, no spaces, UTF-8 kept): what `json.dumps` gives with these
#: options, with the encoder built once instead of once per event.
_CANONICAL_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)

COLUMNS = ["seq", "t_min", "kind", "incident_id", "unit_id", "subject_id", "x_m", "y_m", "payload"]


def _make_payload_json():
    """`_CANONICAL_JSON.encode` for payload dicts, with its C encoder built once.

    `JSONEncoder.encode` builds a new C encoder object per call; a batch run encodes
    ~8 k payloads, so building it once is a visible share of `EventLog.to_frame`. Same
    C function and options, hence the same text. No circular-reference check (payloads
    are plain data, cleaned by `_clean`).
    """
    try:
        from _json import make_encoder
    except ImportError:  # pragma: no cover - CPython always has _json
        return _CANONICAL_JSON.encode
    enc = make_encoder(
        None,
        _CANONICAL_JSON.default,
        json.encoder.encode_basestring,
        None,
        _CANONICAL_JSON.key_separator,
        _CANONICAL_JSON.item_separator,
        True,  # sort_keys
        False,  # skipkeys
        True,  # allow_nan
    )
    return lambda obj: "".join(enc(obj, 0))


_payload_json = _make_payload_json()


def _clean_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """`_clean` of a payload dict, with its flat values handled inline (the common case)."""
    out = {}
    for k, v in payload.items():
        t = type(v)
        if t is str or t is int or t is bool or v is None:
            out[str(k)] = v
        elif t is float:
            out[str(k)] = round(v, 6) if math.isfinite(v) else None
        else:
            out[str(k)] = _clean(v)
    return out


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


def _rounded(values: tuple, ndigits: int) -> np.ndarray:
    """``round(float(v), ndigits)`` of each value (NaN kept) as a float array.

    Python's correctly rounded `round` (the nearest float to N / 10**ndigits, N the
    exact value times 10**ndigits rounded half-even), not numpy's `round` (which can
    differ in the last digit). Vectorised: ``y = v * 10**ndigits`` is off the exact
    product by at most half an ulp (|y| 2**-53), so wherever y is further than that
    from a half-integer, `rint(y)` is N, and N / 10**ndigits (both exact floats, one
    correctly rounded division) is Python's answer, signed zeros included (`rint`
    and the division keep the sign). Values near a tie or beyond 2**52, NaN/inf, and
    any `ndigits` outside 0..22 (10**ndigits inexact) go through Python's `round`.
    Every NaN is `math.nan`, as a per-value loop gives.
    """
    a = np.array(values, dtype=float)
    if not a.size:
        return a
    if not 0 <= ndigits <= 22:  # 10**ndigits is an exact float only for these
        return np.array([math.nan if v != v else round(v, ndigits) for v in a.tolist()])
    scale = 10.0**ndigits
    y = a * scale
    n = np.rint(y)
    out = n / scale
    with np.errstate(invalid="ignore"):
        # |y - n| is exact (|y| < 2**52); a tie is `half` away; twice the error bound
        safe = (np.abs(np.abs(y - n) - 0.5) > np.abs(y) * 2.0**-52) & (np.abs(y) < 2.0**52)
    if not safe.all():
        slow = np.flatnonzero(~safe)
        out[slow] = [round(v, ndigits) for v in a[slow].tolist()]
    nan = np.isnan(a)
    if nan.any():
        out[nan] = math.nan
    return out


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
            _CANONICAL_JSON.encode(self.payload),
        )


class EventLog:
    """Append-only, time-ordered list of `Event`s with tabular export.

    `emit` only appends a raw tuple (it sits on the hot path of every run);
    `Event` objects are built, cleaned and cached on first read. Times are
    rounded to 1e-6 min and payload floats to 6 decimals when materialised, so
    the serialised log is byte-identical across runs with the same seed.
    Payload values must not be mutated after they are emitted.
    """

    def __init__(self) -> None:
        self._rows: list[tuple] = []
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
    ) -> None:
        """Append one event; time must not go backwards."""
        if t_min < self._last_t:
            raise ValueError(
                f"event {kind!r} at t={t_min} is before the previous event t={self._last_t}"
            )
        self._last_t = t_min
        self._rows.append((t_min, kind, incident_id, unit_id, subject_id, x_m, y_m, payload))

    def emit_row(
        self,
        t_min: float,
        kind: str,
        incident_id: str,
        unit_id: str,
        subject_id: str,
        x_m: float,
        y_m: float,
        payload: dict[str, Any],
        /,
    ) -> None:
        """`emit` with every field given in order and the payload as a new dict.

        For the dispatch cycle's per-call events (seven per call): keyword
        arguments cost more than the append itself (~0.8 against ~0.4 µs for
        `unit_arrived`). The row is the one `emit` would append; `payload` must
        not be shared or mutated afterwards.
        """
        if t_min < self._last_t:
            raise ValueError(
                f"event {kind!r} at t={t_min} is before the previous event t={self._last_t}"
            )
        self._last_t = t_min
        self._rows.append((t_min, kind, incident_id, unit_id, subject_id, x_m, y_m, payload))

    def _materialise(self) -> list[Event]:
        ev = self._events
        for i in range(len(ev), len(self._rows)):
            t, kind, inc, unit, subj, x, y, payload = self._rows[i]
            ev.append(
                Event(
                    seq=i,
                    t_min=round(float(t), 6),
                    kind=kind,
                    incident_id=str(inc),
                    unit_id=str(unit),
                    subject_id=str(subj),
                    x_m=round(float(x), 3) if x == x else math.nan,
                    y_m=round(float(y), 3) if y == y else math.nan,
                    payload=_clean(payload) if payload else {},
                )
            )
        return ev

    def extend(self, events: Iterable[Event]) -> None:
        """Append already-built events (used when merging or replaying)."""
        self._materialise()
        for e in events:
            self._rows.append(
                (e.t_min, e.kind, e.incident_id, e.unit_id, e.subject_id, e.x_m, e.y_m, e.payload)
            )
            self._events.append(e)
            self._last_t = e.t_min

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._materialise())

    def __getitem__(self, i: int) -> Event:
        return self._materialise()[i]

    @property
    def last_t(self) -> float:
        """Time of the latest event (−inf when empty)."""
        return self._last_t

    def of_kind(self, *kinds: str) -> list[Event]:
        """Events whose kind is one of `kinds`, in log order."""
        return [e for e in self._materialise() if e.kind in kinds]

    def raw_of_kind(self, kind: str) -> list[tuple]:
        """Raw rows ``(t_min, kind, incident_id, unit_id, subject_id, x_m, y_m, payload)`` of `kind`.

        Unrounded and uncleaned (no `Event` objects): for read-only analysis of long
        logs, such as the M/M/c check, where materialising every event would cost
        more than the run. Round like `Event` does when results must match it.
        """
        return [r for r in self._rows if r[1] == kind]

    def count(self, kind: str) -> int:
        """How many events of `kind` (cheap: no materialisation)."""
        return sum(1 for r in self._rows if r[1] == kind)

    def columns(self) -> dict[str, Any]:
        """The log's columns, as `to_frame` puts them in its DataFrame.

        Built column-wise from the raw rows (no `Event` objects): batches call
        this once per run, so it is on the Monte Carlo hot path. Values equal
        those of `Event.as_row`: `seq`, `t_min`, `x_m`, `y_m` as numpy arrays, the
        other columns as lists of str (payload as canonical JSON). A batch worker
        also reads these lists directly (`sim.indicators.run_rows`), not only the
        DataFrame.
        """
        rows = self._rows
        n = len(rows)
        if not n:
            return {c: [] for c in COLUMNS}
        t, kind, inc, unit, subj, x, y, payload = zip(*rows, strict=True)
        dumps = _payload_json
        return {
            "seq": np.arange(n, dtype=np.int64),
            "t_min": _rounded(t, 6),
            "kind": list(kind),
            "incident_id": [v if type(v) is str else str(v) for v in inc],
            "unit_id": [v if type(v) is str else str(v) for v in unit],
            "subject_id": [v if type(v) is str else str(v) for v in subj],
            "x_m": _rounded(x, 3),
            "y_m": _rounded(y, 3),
            "payload": [dumps(_clean_payload(p)) if p else "{}" for p in payload],
        }

    def to_frame(self, columns: dict[str, Any] | None = None) -> pd.DataFrame:
        """The log as a DataFrame with `COLUMNS` (payload as JSON text).

        `columns`: this log's `columns()` when the caller already has them.
        """
        import pandas as pd

        if not self._rows:
            return pd.DataFrame(columns=COLUMNS)
        return pd.DataFrame(self.columns() if columns is None else columns, columns=COLUMNS)

    def to_jsonl(self) -> str:
        """Canonical text form; the basis of the determinism hash."""
        lines = []
        for e in self._materialise():
            row = dict(zip(COLUMNS, e.as_row(), strict=True))
            row["payload"] = e.payload
            for k in ("x_m", "y_m"):
                if isinstance(row[k], float) and math.isnan(row[k]):
                    row[k] = None
            lines.append(_CANONICAL_JSON.encode(row))
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


class KeptKindsLog(EventLog):
    """An event log that keeps the rows of some kinds only (and counts every event).

    For a long run read by one analysis: the M/M/c check reads two kinds of the
    seven a call logs, and holding the other ~400 k rows of a 10,000 h check
    (~170 MB) cost more time in allocation and page faults than reading them.
    Every event is still emitted through the same calls and checked for time
    order; the rows kept equal the full log's rows of those kinds
    (tests/engine/test_eng_queue_model.py). `emitted` counts all events.
    """

    def __init__(self, kinds: Iterable[str]) -> None:
        super().__init__()
        self.kinds = frozenset(kinds)
        self.emitted = 0

    def emit(self, t_min: float, kind: str, /, **fields: Any) -> None:  # noqa: D102
        if kind in self.kinds:
            EventLog.emit(self, t_min, kind, **fields)
        elif t_min < self._last_t:
            EventLog.emit(self, t_min, kind)  # raises the out-of-order error
        else:
            self._last_t = t_min
        self.emitted += 1

    def emit_row(self, t_min: float, kind: str, /, *fields: Any) -> None:  # noqa: D102
        if kind in self.kinds:
            EventLog.emit_row(self, t_min, kind, *fields)
        elif t_min < self._last_t:
            EventLog.emit(self, t_min, kind)  # raises the out-of-order error
        else:
            self._last_t = t_min
        self.emitted += 1
