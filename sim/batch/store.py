"""A batch directory that survives being killed: one atomic part file per finished run.

Each finished run is written as `DIR/.parts/run-NNNNNN.parquet` (its indicator
samples, with its table row in the Parquet metadata; its events, written by the
worker, are in `DIR/.parts/events/`) through a temporary file and an atomic rename, so after a SIGKILL a part either exists complete or not at all.
`--resume` re-runs exactly the runs without a valid part (a truncated or
corrupt part is reported by name and re-run); the merge reads the parts in
run order, so a resumed batch equals an uninterrupted one byte for byte.
The batch identity (scenario hash, seed, runs, varied fields) is stored first
and checked on resume, so parts of a different batch are never mixed in.

`DIR/.jmsim-batch` marks the directory as jmsim's own and says its state
(`running`, `incomplete` with the reason, `complete`): `--force` replaces only
a directory carrying this marker, never one holding the input scenario.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.batch.aggregate import RunSummary, summary_from_table, summary_table
from sim.errors import JmsimError
from sim.output import atomic_write, atomic_write_json

PARTS = ".parts"
IDENTITY = "batch.json"
MARKER = ".jmsim-batch"
_PART = re.compile(r"^run-(\d{6,})\.parquet$")
_ROW_KEY = b"jmsim.row"


def write_table(df: pd.DataFrame, path: Path) -> Path:
    """Parquet written the same way every time (no index, fixed writer options)."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    return atomic_write(path, lambda p: pq.write_table(table, p, compression="snappy"))


def _contains(folder: Path, path: Path) -> bool:
    """Whether `path` is `folder` or lies inside it (after resolving links)."""
    folder, path = folder.resolve(), path.resolve()
    return path == folder or folder in path.parents


class BatchStore:
    """The on-disk state of one batch in `out`."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.parts = self.out / PARTS
        self.marker = self.out / MARKER

    # -- lifecycle ------------------------------------------------------------------------
    def open(
        self,
        identity: dict[str, Any],
        *,
        resume: bool,
        force: bool,
        protect: list[Path] | tuple[Path, ...] = (),
    ) -> str:
        """Prepare `out` for the batch; return 'new', 'resumed' or 'complete'.

        Raises `JmsimError` when `out` holds something else and neither
        `--force` (replace a jmsim batch directory) nor a matching `--resume` applies.
        `protect` are input files: a directory holding one is never removed.
        """
        ident = json.loads(json.dumps(identity, sort_keys=True, default=str))
        if self.out.exists() and not self.out.is_dir():
            raise JmsimError(f"--out {self.out}: is an existing file; expected a directory")
        exists = self.out.exists() and any(self.out.iterdir())
        if exists and force:
            self._check_removable(protect)
            shutil.rmtree(self.out)
            exists = False
        if exists:
            if not resume:
                raise JmsimError(
                    f"{self.out}: output directory exists and is not empty; use --resume to "
                    "continue the batch in it or --force to replace it"
                )
            found = self._stored_identity()
            if found is None:
                raise JmsimError(f"{self.out}: not a jmsim batch directory; cannot --resume")
            if found != ident:
                diff = sorted(k for k in set(found) | set(ident) if found.get(k) != ident.get(k))
                raise JmsimError(
                    f"{self.out}: cannot --resume, the batch there differs in {', '.join(diff)}"
                )
            if self.complete():
                return "complete"
            if not self.parts.exists():
                raise JmsimError(
                    f"{self.out}: the batch is incomplete and its run parts are gone; "
                    "rerun with --force to start it again"
                )
            for tmp in self.parts.glob(".*.tmp"):  # fragments of writes a kill interrupted
                tmp.unlink(missing_ok=True)
            self.mark("running")
            return "resumed"
        self.out.mkdir(parents=True, exist_ok=True)
        self.mark("running")
        self.parts.mkdir(parents=True, exist_ok=True)
        atomic_write_json(self.parts / IDENTITY, ident)
        return "new"

    def _check_removable(self, protect) -> None:
        """Refuse `--force` on anything jmsim did not create, or that holds an input."""
        for p in protect:
            if _contains(self.out, Path(p)):
                raise JmsimError(
                    f"--force refused: {self.out} contains the input {p}; choose another --out"
                )
        if not self.is_batch_dir():
            raise JmsimError(
                f"--force refused: {self.out} is not empty and was not created by jmsim "
                f"(no {MARKER} marker); choose another --out or empty it yourself"
            )

    def is_batch_dir(self) -> bool:
        """Whether `out` carries jmsim's batch marker."""
        if not self.marker.is_file():
            return self.complete() and (self.out / "runs.parquet").is_file()  # older jmsim
        try:
            return json.loads(self.marker.read_text(encoding="utf-8")).get("tool") == "jmsim"
        except (ValueError, OSError):
            return False

    def mark(self, status: str, reason: str = "") -> None:
        """Record the batch state in the marker (`running`, `incomplete`, `complete`)."""
        data = {"tool": "jmsim", "kind": "batch", "status": status}
        if reason:
            data["reason"] = reason
        atomic_write_json(self.marker, data)

    def status(self) -> dict:
        """The marker's content ({} when missing or unreadable)."""
        try:
            return json.loads(self.marker.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            return {}

    def complete(self) -> bool:
        """Whether every final output is in place (the manifest, written last, says so)."""
        manifest = self.out / "manifest.json"
        if not manifest.is_file():
            return False
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except ValueError:
            return False
        legacy = "status" not in data and not self.parts.exists()  # written before the marker
        return data.get("status") == "complete" or legacy

    def _stored_identity(self) -> dict | None:
        for f in (self.parts / IDENTITY, self.out / "manifest.json"):
            if f.exists():
                try:
                    data = json.loads(f.read_text(encoding="utf-8"))
                except ValueError as e:
                    raise JmsimError(
                        f"{f}: corrupt ({e}); cannot tell which batch the parts belong to; "
                        "rerun with --force to start the batch again"
                    ) from None
                return data.get("identity", data) if f.name == "manifest.json" else data
        return None

    def finish(self) -> None:
        """Remove the parts once the merged outputs are written."""
        shutil.rmtree(self.parts, ignore_errors=True)

    # -- parts ------------------------------------------------------------------------------
    def part_path(self, index: int) -> Path:
        """Where run `index` is stored."""
        return self.parts / f"run-{index:06d}.parquet"

    def done(self) -> set[int]:
        """Indices of runs whose part is complete."""
        if not self.parts.exists():
            return set()
        return {int(m.group(1)) for f in self.parts.iterdir() if (m := _PART.match(f.name))}

    def check_parts(self, keeps_events=lambda k: False) -> list[str]:
        """Remove parts that cannot be read (truncated, corrupt); say which, by name.

        A run whose events should be kept (`keeps_events(k)`) also needs a
        readable events file, else it is re-run too.
        """
        from sim.batch.eventset import run_file

        bad = []
        for k in sorted(self.done()):
            p = self.part_path(k)
            try:
                if _ROW_KEY not in (pq.read_schema(p).metadata or {}):
                    raise ValueError("no run row in its metadata")
                if keeps_events(k):
                    p = run_file(self.events_dir, k)
                    pq.read_schema(p)
            except (OSError, ValueError, pa.ArrowException) as e:
                bad.append(f"{p}: corrupt part ({str(e).splitlines()[0]}); run {k} is re-run")
                self.part_path(k).unlink(missing_ok=True)
        for line in bad:
            print(f"warning: {line}", file=sys.stderr)
        return bad

    @property
    def events_dir(self) -> Path:
        """Where workers write the per-run event files while the batch runs."""
        return self.parts / "events"

    def write(self, summary: RunSummary) -> None:
        """Store one finished run's summary atomically (the run's commit point)."""
        table = summary_table(summary, _ROW_KEY)
        atomic_write(self.part_path(summary.index), lambda p: pq.write_table(table, p))

    def read(self, index: int) -> RunSummary:
        """Load one stored run summary."""
        p = self.part_path(index)
        try:
            # ParquetFile.read: ~3x less overhead per small file than read_table's dataset
            return summary_from_table(index, pq.ParquetFile(p).read(), _ROW_KEY)
        except (OSError, ValueError, KeyError, pa.ArrowException) as e:
            raise JmsimError(
                f"{p}: corrupt part ({str(e).splitlines()[0]}); rerun with --resume to re-run it"
            ) from None
