"""A batch directory that survives being killed: one atomic part file per finished run.

Each finished run is written as `DIR/.parts/run-NNNNNN.parquet` (its events,
with its table row in the Parquet metadata) through a temporary file and an
atomic rename, so after a SIGKILL a part either exists complete or not at all.
`--resume` re-runs exactly the runs without a part; the merge reads the parts
in run order, so a resumed batch equals an uninterrupted one byte for byte.
The batch identity (scenario hash, seed, runs, varied fields) is stored first
and checked on resume, so parts of a different batch are never mixed in.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.batch.executor import RunOutput
from sim.errors import JmsimError
from sim.output import atomic_write, atomic_write_json

PARTS = ".parts"
IDENTITY = "batch.json"
_PART = re.compile(r"^run-(\d{6,})\.parquet$")
_ROW_KEY = b"jmsim.row"


def write_table(df: pd.DataFrame, path: Path) -> Path:
    """Parquet written the same way every time (no index, fixed writer options)."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    return atomic_write(path, lambda p: pq.write_table(table, p, compression="snappy"))


class BatchStore:
    """The on-disk state of one batch in `out`."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.parts = self.out / PARTS

    # -- lifecycle ------------------------------------------------------------------------
    def open(self, identity: dict[str, Any], *, resume: bool, force: bool) -> str:
        """Prepare `out` for the batch; return 'new', 'resumed' or 'complete'.

        Raises `JmsimError` when `out` holds something else and neither
        `--force` (replace it) nor a matching `--resume` applies.
        """
        ident = json.loads(json.dumps(identity, sort_keys=True, default=str))
        exists = self.out.exists() and any(self.out.iterdir())
        if exists and force:
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
            if not self.parts.exists():
                return "complete"
            for tmp in self.parts.glob(".*.tmp"):  # fragments of writes a kill interrupted
                tmp.unlink(missing_ok=True)
            return "resumed"
        self.parts.mkdir(parents=True, exist_ok=True)
        atomic_write_json(self.parts / IDENTITY, ident)
        return "new"

    def _stored_identity(self) -> dict | None:
        for f in (self.parts / IDENTITY, self.out / "manifest.json"):
            if f.exists():
                data = json.loads(f.read_text(encoding="utf-8"))
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

    def write(self, out: RunOutput) -> None:
        """Store one finished run atomically."""
        table = pa.Table.from_pandas(out.events, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[_ROW_KEY] = json.dumps(
            {"row": out.row, "validity": out.validity}, allow_nan=True
        ).encode()
        table = table.replace_schema_metadata(meta)
        atomic_write(self.part_path(out.index), lambda p: pq.write_table(table, p))

    def read(self, index: int) -> RunOutput:
        """Load one stored run."""
        table = pq.read_table(self.part_path(index))
        extra = json.loads(table.schema.metadata[_ROW_KEY])
        return RunOutput(index, extra["row"], table.to_pandas(), extra["validity"])
