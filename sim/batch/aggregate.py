"""Streaming aggregation: each run reduced in its worker, pooled in run order by the parent.

A worker turns a run's events into its `runs.parquet` row (inputs, per-run
outcomes) and the indicator samples the scorecard needs (values, trace keys,
censored count, and the measure's extras: per-item people weights and response
phases, counts, clock rules). The parent pools those in run order: per-item
arrays go to columns on disk (`sim.indicators.columns`, read in chunks by the
scorecard, whose statistics there equal numpy's on the whole array); memory
keeps each run's table row, the first trace keys, running counts and two
numbers per run of a people-weighted share, never events, so it stays flat
in the number of runs. Pooled samples are the per-run samples concatenated in
run order, so a batch's scorecard does not depend on how run ids sort.
"""

from __future__ import annotations

import json
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from sim.indicators.columns import Spill, SpillDir
from sim.indicators.measures import MEASURES, Samples, shared_reads
from sim.indicators.run_rows import FAST, Fallback, RunRows

#: Trace keys kept per indicator for the scorecard's `trace` column.
TRACE_HEAD = 5
#: Rows buffered before they are packed into a DataFrame chunk.
ROW_CHUNK = 128


@dataclass
class RunSamples:
    """One indicator's samples of one run."""

    values: np.ndarray
    trace: list[str]
    censored: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def merge_extras(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Pool the measures' extras of several runs, in run order.

    Arrays (per item, like people weights or lead times) concatenate, dicts of
    arrays (response phases) concatenate per key, numbers add up, flags OR and
    lists (clock rules) unite. This is the one place that knows how.
    """
    out: dict[str, Any] = {}
    keys = list(dict.fromkeys(k for p in parts for k in p))  # first-seen order, as measured
    for k in keys:
        vals = [p[k] for p in parts if k in p]
        first = vals[0]
        if isinstance(first, np.ndarray):
            out[k] = np.concatenate([np.asarray(v) for v in vals])
        elif isinstance(first, dict):
            sub = list(dict.fromkeys(kk for v in vals for kk in v))
            out[k] = {
                kk: np.concatenate([np.asarray(v[kk]) for v in vals if kk in v]) for kk in sub
            }
        elif isinstance(first, bool):
            out[k] = any(vals)
        elif isinstance(first, int | float):
            out[k] = sum(vals)
        elif isinstance(first, list | tuple):
            out[k] = sorted({x for v in vals for x in v})
        else:
            out[k] = first
    return out


def _to_json(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return {"__array__": x.astype(float).tolist()}
    if isinstance(x, dict):
        return {k: _to_json(v) for k, v in x.items()}
    if isinstance(x, np.integer | np.floating | np.bool_):
        return x.item()
    return x


def _from_json(x: Any) -> Any:
    if isinstance(x, dict):
        if set(x) == {"__array__"}:
            return np.asarray(x["__array__"], dtype=float)
        return {k: _from_json(v) for k, v in x.items()}
    return x


@dataclass
class RunSummary:
    """What a run returns to the parent: its row, validity notes and indicator samples."""

    index: int
    row: dict[str, Any]
    validity: list[str]
    samples: dict[str, RunSamples] = field(default_factory=dict)
    events_blob: bytes | None = None  # events as Parquet bytes, when a Dask worker ships them


def run_samples(
    events: pd.DataFrame, indicators, rows: RunRows | None = None
) -> dict[str, RunSamples]:
    """Each dynamic indicator measured on one run's events.

    `rows`: the same run's events as `RunRows` (a batch worker has them from
    `EventLog.columns`); the measures that have a fast form read those instead of
    the DataFrame (`sim.indicators.run_rows`, equal results).
    """
    out = {}
    with shared_reads(events):  # the measures share their selections and parsed payloads
        for d in indicators:
            fast = FAST.get(d.id) if rows is not None else None
            try:
                s = fast(rows) if fast is not None else MEASURES[d.id](events)
            except Fallback:
                s = MEASURES[d.id](events)
            out[d.id] = RunSamples(
                np.asarray(s.values, dtype=float), list(s.trace), int(s.censored), dict(s.extra)
            )
    return out


# -- part files -------------------------------------------------------------------------------
def summary_table(summary: RunSummary, meta_key: bytes) -> pa.Table:
    """The run's samples as a table, its row and validity in the schema metadata."""
    ids, vals, traces = [], [], []
    for ind, s in summary.samples.items():
        ids += [ind] * s.values.size
        vals.append(s.values)
        traces += s.trace
    table = pa.table(
        {
            "indicator": pa.array(ids, pa.string()),
            "value": pa.array(np.concatenate(vals) if vals else np.zeros(0), pa.float64()),
            "trace": pa.array(traces, pa.string()),
        }
    )
    extra = {
        "row": summary.row,
        "validity": summary.validity,
        "censored": {k: s.censored for k, s in summary.samples.items()},
        "extra": {k: _to_json(s.extra) for k, s in summary.samples.items()},
        "indicators": list(summary.samples),
    }
    return table.replace_schema_metadata({meta_key: json.dumps(extra, allow_nan=True).encode()})


def summary_from_table(index: int, table: pa.Table, meta_key: bytes) -> RunSummary:
    """Inverse of `summary_table`."""
    extra = json.loads(table.schema.metadata[meta_key])
    enc = table.column("indicator").combine_chunks().dictionary_encode()  # compare codes
    codes = enc.indices.to_numpy(zero_copy_only=False)
    code = {name: i for i, name in enumerate(enc.dictionary.to_pylist())}
    vals = table.column("value").to_numpy()
    traces = table.column("trace").to_pylist()
    samples = {}
    for k in extra["indicators"]:
        sel = np.flatnonzero(codes == code[k]) if k in code else np.zeros(0, dtype=int)
        samples[k] = RunSamples(
            vals[sel].astype(float),
            [traces[i] for i in sel],
            int(extra["censored"][k]),
            _from_json(extra.get("extra", {}).get(k, {})),
        )
    return RunSummary(index, extra["row"], extra["validity"], samples)


# -- pooling in the parent ---------------------------------------------------------------------
class _Spilled:
    """One indicator's per-item arrays (values, array extras) appended to columns on disk."""

    def __init__(self, home: SpillDir, name: str) -> None:
        self.home, self.name = home, name
        self.values = Spill(home, name)
        self.arrays: dict[tuple[str, ...], Spill] = {}  # extra key path -> column
        self.scalars: dict[str, Any] = {}  # numbers, flags, rule lists: merged as they come
        self.order: list[str] = []  # extra keys in first-seen order, as `merge_extras` keeps
        self.sub: dict[str, list[str]] = {}  # keys of dict extras (phases), first-seen order

    def add(self, values: np.ndarray, extra: dict[str, Any]) -> None:
        self.values.append(values)
        for k, v in extra.items():
            if k not in self.order:
                self.order.append(k)
            if isinstance(v, np.ndarray):
                self._spill((k,)).append(v)
            elif isinstance(v, dict):
                keys = self.sub.setdefault(k, [])
                for kk, a in v.items():
                    if kk not in keys:
                        keys.append(kk)
                    self._spill((k, kk)).append(a)
            elif k in self.scalars:
                self.scalars[k] = merge_extras([{k: self.scalars[k]}, {k: v}])[k]
            else:
                self.scalars[k] = v

    def _spill(self, path: tuple[str, ...]) -> Spill:
        if path not in self.arrays:
            self.arrays[path] = Spill(self.home, f"{self.name}.{'.'.join(path)}")
        return self.arrays[path]

    def extra(self) -> dict[str, Any]:
        """The pooled extras: columns for arrays, merged scalars, in first-seen key order."""
        out: dict[str, Any] = {}
        for k in self.order:
            if k in self.sub:
                out[k] = {kk: self.arrays[(k, kk)].column() for kk in self.sub[k]}
            elif (k,) in self.arrays:
                out[k] = self.arrays[(k,)].column()
            else:
                out[k] = self.scalars[k]
        return out


class Pool:
    """Runs added in run order → runs table, pooled samples, validity notes.

    Per-item arrays (sample values, people weights, phases, ...) go to columns on
    disk (`spill`: a folder for them, e.g. inside the batch directory); what stays
    in memory per run is its table row and a few numbers per indicator.
    """

    def __init__(self, indicators, spill: Path | None = None) -> None:
        self.indicators = list(indicators)
        self.ids = [d.id for d in indicators]
        self._home = SpillDir(spill)
        self._items = {k: _Spilled(self._home, k) for k in self.ids}
        self._head: dict[str, list[str]] = {k: [] for k in self.ids}
        self._ntrace = dict.fromkeys(self.ids, 0)
        # the first failing items (value < 1) of share rows, which the scorecard names
        self._fails: dict[str, list[str]] = {k: [] for k in self.ids}
        self._share = {d.id for d in self.indicators if d.kind == "proportion"}
        self._censored = dict.fromkeys(self.ids, 0)
        # people-weighted shares: each run's weighted successes and people (8 bytes each),
        # for the cluster bootstrap over runs
        self._run_num = {k: array("d") for k in self.ids}
        self._run_den = {k: array("d") for k in self.ids}
        self._nruns = 0
        self._rows: list[dict] = []
        self._chunks: list[pd.DataFrame] = []
        self.validity: set[str] = set()

    def add(self, s: RunSummary) -> None:
        """Pool one run (call in run order)."""
        self._rows.append(s.row)
        if len(self._rows) >= ROW_CHUNK:
            self._chunks.append(pd.DataFrame(self._rows))
            self._rows = []
        self.validity.update(s.validity)
        for k in self.ids:
            rs = s.samples.get(k)
            if rs is None:
                continue
            x = np.asarray(rs.values, dtype=float)
            self._items[k].add(x, rs.extra)
            if rs.extra.get("weighted") and x.size and "people" in rs.extra:
                w = np.asarray(rs.extra["people"], dtype=float)
                self._run_num[k].append(float((w * x).sum()))
                self._run_den[k].append(float(w.sum()))
            need = TRACE_HEAD - len(self._head[k])
            if need > 0:
                self._head[k] += rs.trace[:need]
            self._ntrace[k] += len(rs.trace)
            if k in self._share and len(self._fails[k]) <= TRACE_HEAD:
                bad = np.flatnonzero(x[: len(rs.trace)] < 1)
                self._fails[k] += [rs.trace[i] for i in bad[: TRACE_HEAD + 1]]
            self._censored[k] += rs.censored
        self._nruns += 1

    def runs(self) -> pd.DataFrame:
        """The runs table (row order = run order)."""
        chunks = [*self._chunks, pd.DataFrame(self._rows)] if self._rows else self._chunks
        return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]

    def samples(self) -> dict[str, Samples]:
        """Pooled samples per indicator, their per-item arrays as on-disk columns.

        `extra['n_trace']` counts every trace key (only the first are kept) and
        `extra['run_sums']` gives each run's weighted successes and people, for
        intervals over runs (runs without items left out).
        """
        out = {}
        for k in self.ids:
            items = self._items[k]
            extra = items.extra()
            extra["n_trace"] = self._ntrace[k]
            if k in self._share:
                extra["fail_keys"] = self._fails[k][: TRACE_HEAD + 1]
            if self._run_num[k]:
                extra["run_sums"] = (
                    np.frombuffer(self._run_num[k], dtype=float),
                    np.frombuffer(self._run_den[k], dtype=float),
                )
            out[k] = Samples(items.values.column(), list(self._head[k]), self._censored[k], extra)
        return out
