"""Atomic file output: a reader never sees a half-written result.

Each writer renders to a temporary file in the target directory and then
renames it into place (`os.replace` is atomic on POSIX), so an interrupted run
leaves either the old file or the new one, never a fragment.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd


def atomic_write(path: Path, writer: Callable[[Path], None]) -> Path:
    """Call `writer(tmp_path)` and rename the result onto `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        writer(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; results are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """Write text atomically (UTF-8)."""
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def atomic_write_json(path: Path, obj: Any) -> Path:
    """Write JSON atomically with sorted keys, so equal objects give equal bytes."""
    text = json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False, default=str) + "\n"
    return atomic_write_text(path, text)


def atomic_write_parquet(df: pd.DataFrame, path: Path) -> Path:
    """Write a DataFrame to Parquet atomically, without the index."""
    return atomic_write(path, lambda p: df.to_parquet(p, index=False))


def atomic_write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write a DataFrame to CSV atomically, without the index."""
    return atomic_write(path, lambda p: df.to_csv(p, index=False, lineterminator="\n"))
