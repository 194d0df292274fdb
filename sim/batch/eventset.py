"""The events of a batch, on disk: one Parquet file per run, read lazily.

Workers write each run's events to `events.parquet/run-NNNNNN.parquet` (a
partitioned dataset any Parquet reader opens as one table, e.g.
`pandas.read_parquet(DIR / "events.parquet")`), so the batch process never
holds the events of all runs. Readers ask for one run, or for a few kinds
over a sample of runs (`pyarrow.dataset` filters). A run whose events were
not kept (`--events none|sample`) is re-run on demand: runs are deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from sim.output import atomic_write

#: `--events` choices: keep every run's events, a sample of runs, or none.
EVENT_MODES = ("all", "sample", "none")
#: Runs whose events `--events sample` keeps (evenly spaced), and that report figures pool.
SAMPLE_RUNS = 100


def run_file(folder: Path, index: int) -> Path:
    """The events file of run `index`."""
    return Path(folder) / f"run-{index:06d}.parquet"


def keeps_events(mode: str, index: int, runs: int) -> bool:
    """Whether run `index` of `runs` keeps its events under `--events mode`."""
    if mode == "all":
        return True
    if mode == "sample":
        return index % max(1, math.ceil(runs / SAMPLE_RUNS)) == 0
    return False


def run_bytes(events: pd.DataFrame) -> bytes:
    """One run's events as Parquet bytes (fixed writer options: equal events, equal bytes)."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(events, preserve_index=False), sink, compression="snappy")
    return sink.getvalue().to_pybytes()


def write_run_bytes(data: bytes, path: Path) -> None:
    """Store `run_bytes` output atomically."""
    atomic_write(path, lambda p: p.write_bytes(data))


def write_run_events(events: pd.DataFrame, path: Path) -> None:
    """One run's events, atomically (the same bytes `run_bytes` gives)."""
    write_run_bytes(run_bytes(events), path)


class EventSet:
    """Lazy access to a batch's per-run event files, with re-run for missing runs."""

    def __init__(
        self,
        folder: Path | None,
        run_ids: Sequence[str],
        rerun: Callable[[int], pd.DataFrame] | None = None,
    ) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.run_ids = list(run_ids)
        self._rerun = rerun
        self._cache: dict[int, pd.DataFrame] = {}

    def stored(self) -> list[int]:
        """Indices of runs whose events are on disk."""
        if self.folder is None or not self.folder.is_dir():
            return []
        return sorted(int(p.stem.split("-")[1]) for p in self.folder.glob("run-*.parquet"))

    def run(self, index: int) -> pd.DataFrame:
        """All events of run `index` (read, or re-run when not kept); last few cached."""
        if index not in self._cache:
            f = run_file(self.folder, index) if self.folder is not None else None
            if f is not None and f.is_file():
                ev = pq.read_table(f).to_pandas()
            elif self._rerun is not None:
                ev = self._rerun(index)
            else:
                raise KeyError(f"events of run {index} were not kept")
            if len(self._cache) >= 4:
                self._cache.pop(next(iter(self._cache)))
            self._cache[index] = ev
        return self._cache[index]

    def of_kinds(self, kinds: Sequence[str], limit: int = SAMPLE_RUNS) -> tuple[pd.DataFrame, int]:
        """Events of `kinds` over at most `limit` stored runs (evenly spaced); and that count."""
        have = self.stored()
        if not have:
            from sim.events import COLUMNS

            return pd.DataFrame(columns=["run_id", *COLUMNS]), 0
        step = max(1, math.ceil(len(have) / limit))
        chosen = have[::step]
        dataset = ds.dataset([str(run_file(self.folder, k)) for k in chosen], format="parquet")
        table = dataset.to_table(filter=ds.field("kind").isin(list(kinds)))
        return table.to_pandas(), len(chosen)
