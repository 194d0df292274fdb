"""Per-item sample arrays too long to hold: on disk, read in chunks, with exact statistics.

A batch pools every run's indicator samples (one value per household group,
incident, ...): 10,000 typhoon runs are ~30 M values, so the batch process
keeps them in raw files (`Spill`) and the scorecard computes its statistics
from `Column`s in chunks of `CHUNK` values. Every statistic here returns
exactly what numpy returns on the whole array, so a pooled scorecard equals the
in-memory one bit for bit:

- `total` follows numpy's pairwise summation (`pairwise_sum` in numpy's
  `loops_utils.h`: halves rounded down to a multiple of 8, leaves of at most
  128 summed by 8 accumulators): the recursion splits the column the same way
  and hands numpy whole leaves of at most `CHUNK` values;
- `quantile` finds the needed order statistics by radix selection on the
  values' sortable bit patterns (16 bits per pass, then the few values of the
  final bucket) and combines them with numpy's index and interpolation rules
  (Hyndman & Fan 1996 definitions as numpy implements `linear` and
  `inverted_cdf`).

Functions take a numpy array or a `Column`; on arrays they call numpy directly.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
import weakref
from collections.abc import Callable
from pathlib import Path

import numpy as np

#: Values read at once (512 kB of float64).
CHUNK = 1 << 16
#: Columns up to this many values are simply loaded (2 MB of float64).
LOAD = 1 << 18
#: Values a `Spill` buffers before it appends them to its file (64 kB of float64).
FLUSH = 1 << 13
_DT = np.dtype(np.float64)


class SpillDir:
    """A folder of spilled columns, removed when the last column using it is gone."""

    def __init__(self, parent: Path | None = None) -> None:
        if parent is not None:
            Path(parent).mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=".pool-", dir=parent))
        self._done = weakref.finalize(self, shutil.rmtree, str(self.path), True)

    def new(self, stem: str = "col") -> Path:
        """A fresh file name in the folder."""
        return self.path / f"{stem}-{uuid.uuid4().hex[:12]}.f8"


class Column:
    """A long 1-D float64 array read in chunks (`read(offset, count)`)."""

    size: int
    home: SpillDir

    def read(self, off: int, n: int) -> np.ndarray:
        """Values `off` .. `off + n - 1`."""
        raise NotImplementedError

    def chunks(self, limit: int | None = None):
        """(offset, values) chunk by chunk, over the first `limit` values if given."""
        end = self.size if limit is None else min(limit, self.size)
        for off in range(0, end, CHUNK):
            yield off, self.read(off, min(CHUNK, end - off))

    def load(self) -> np.ndarray:
        """The whole column in memory (for columns known to be short)."""
        return self.read(0, self.size)


class FileColumn(Column):
    """Raw float64 values in a file."""

    def __init__(self, path: Path, size: int, home: SpillDir) -> None:
        self.path, self.size, self.home = Path(path), int(size), home

    def read(self, off: int, n: int) -> np.ndarray:
        """Values `off` .. `off + n - 1`, read from the file."""
        if n <= 0:
            return np.zeros(0)
        with open(self.path, "rb") as f:
            f.seek(off * _DT.itemsize)
            return np.fromfile(f, dtype=_DT, count=n)


class Derived(Column):
    """An element-wise function of columns of equal size, computed per chunk when read."""

    def __init__(self, fn: Callable[..., np.ndarray], *cols: Column) -> None:
        self.fn, self.cols = fn, cols
        self.size, self.home = cols[0].size, cols[0].home

    def read(self, off: int, n: int) -> np.ndarray:
        """`fn` of the sources' values `off` .. `off + n - 1`."""
        return self.fn(*(c.read(off, n) for c in self.cols))


class Spill:
    """Appends arrays (run after run) to a column file through a fixed `FLUSH`-value buffer."""

    def __init__(self, home: SpillDir, stem: str) -> None:
        self.home, self.path = home, home.new(stem)
        self.size, self._buf, self._nbuf = 0, np.empty(FLUSH, dtype=_DT), 0

    def append(self, values) -> None:
        """Add values at the end (as float64); copied, so the caller's arrays can go."""
        a = np.asarray(values, dtype=_DT).ravel()
        self.size += a.size
        while a.size:
            take = min(a.size, self._buf.size - self._nbuf)
            self._buf[self._nbuf : self._nbuf + take] = a[:take]
            self._nbuf, a = self._nbuf + take, a[take:]
            if self._nbuf == self._buf.size:
                self.flush()

    def flush(self) -> None:
        """Write the buffered values to the file."""
        if self._nbuf:
            with open(self.path, "ab") as f:
                self._buf[: self._nbuf].tofile(f)
        self._nbuf = 0

    def column(self) -> FileColumn:
        """The values appended so far."""
        self.flush()
        self.path.touch()
        return FileColumn(self.path, self.size, self.home)


def lazy(*xs) -> bool:
    """Whether any argument is a `Column` (else all are in memory)."""
    return any(isinstance(x, Column) for x in xs)


def lift(fn: Callable[..., np.ndarray], *xs):
    """`fn` element-wise: at once on arrays, per chunk on columns."""
    return Derived(fn, *xs) if lazy(*xs) else fn(*(np.asarray(x) for x in xs))


def _pairwise(c: Column, off: int, n: int) -> float:
    if n <= CHUNK:
        return np.add.reduce(c.read(off, n))
    half = n // 2
    half -= half % 8
    return _pairwise(c, off, half) + _pairwise(c, off + half, n - half)


def total(x):
    """`x.sum()` (numpy's pairwise summation, the same bits on a column)."""
    if not lazy(x):
        return np.asarray(x).sum()
    return np.float64(_pairwise(x, 0, x.size)) if x.size else np.float64(0.0)


def count(mask, limit: int | None = None) -> int:
    """Number of true values of a boolean array or column (in its first `limit` values)."""
    if not lazy(mask):
        m = np.asarray(mask)
        return int(m[:limit].sum() if limit is not None else m.sum())
    return int(sum(int(np.count_nonzero(ch)) for _, ch in mask.chunks(limit)))


def select(x, mask):
    """`x[mask]`: a new column on disk for columns."""
    if not lazy(x, mask):
        return np.asarray(x)[np.asarray(mask)]
    out = Spill(x.home, "sel")
    for off, m in mask.chunks():
        out.append(x.read(off, m.size)[m.astype(bool)])
    return out.column()


def head(x, n: int) -> np.ndarray:
    """The first `n` values, in memory."""
    return x.read(0, min(n, x.size)) if lazy(x) else np.asarray(x)[:n]


def as_array(x) -> np.ndarray:
    """An array in memory (load a column)."""
    return x.load() if lazy(x) else np.asarray(x)


# -- order statistics ------------------------------------------------------------------------
_SIGN = np.uint64(1 << 63)


def _keys(v: np.ndarray) -> np.ndarray:
    """Unsigned keys that sort as the float64 values do (negative: flip all bits)."""
    b = np.ascontiguousarray(v, dtype=_DT).view(np.uint64)
    return np.where(b & _SIGN, ~b, b | _SIGN)


def _select_rank(c: Column, k: int) -> float:
    """The k-th smallest value (0-based) of a NaN-free column, by radix selection."""
    prefix, bits, below = np.uint64(0), 0, 0  # values whose top `bits` key bits equal prefix
    while True:
        shift = np.uint64(64 - bits - 16)
        hist = np.zeros(1 << 16, dtype=np.int64)
        for _, ch in c.chunks():
            key = _keys(ch)
            if bits:
                key = key[(key >> np.uint64(64 - bits)) == prefix]
            hist += np.bincount(((key >> shift) & np.uint64(0xFFFF)).astype(np.intp),
                                minlength=1 << 16)  # fmt: skip
        np.cumsum(hist, out=hist)  # in place: one 512 kB histogram alive at a time
        b = int(np.searchsorted(hist, k - below, side="right"))
        n_in = int(hist[b]) - (int(hist[b - 1]) if b else 0)
        below += int(hist[b - 1]) if b else 0
        del hist
        prefix, bits = (prefix << np.uint64(16)) | np.uint64(b), bits + 16
        if bits == 64:  # one key: one value
            key = prefix
            raw = np.array([key ^ _SIGN if key & _SIGN else ~key], dtype=np.uint64)
            return float(raw.view(_DT)[0])
        if n_in <= LOAD:
            keep = []
            for _, ch in c.chunks():
                keep.append(ch[(_keys(ch) >> np.uint64(64 - bits)) == prefix])
            v = np.concatenate(keep)
            return float(np.partition(v, k - below)[k - below])


def order_stats(x, ranks: list[int]) -> list[float]:
    """The values at 0-based sorted positions `ranks` (NaN-free input)."""
    if not lazy(x) or x.size <= LOAD:
        v = np.sort(as_array(x))
        return [float(v[r]) for r in ranks]
    return [_select_rank(x, int(r)) for r in ranks]


def _has_nan(x) -> bool:
    return count(lift(np.isnan, x)) > 0


def quantile(x, q: float, method: str = "linear") -> float:
    """`np.quantile(x, q, method=method)` for `linear` and `inverted_cdf`."""
    if not lazy(x):
        return np.quantile(np.asarray(x), q, method=method)
    n = x.size
    if n == 0:
        raise IndexError("quantile of an empty column")
    if _has_nan(x):
        return np.float64(np.nan)
    qa = np.float64(q)
    if method == "inverted_cdf":
        index = n * qa - 1
        prev = np.floor(index)
        r = prev if index - prev == 0 else prev + 1
        return np.float64(order_stats(x, [max(int(r), 0)])[0])
    if method != "linear":
        raise ValueError(f"quantile method {method!r} not supported on columns")
    virtual = (n - 1) * qa
    prev = np.floor(virtual)
    if virtual >= n - 1:
        lo_i = hi_i = n - 1
    elif virtual < 0:
        lo_i = hi_i = 0
    else:
        lo_i, hi_i = int(prev), int(prev) + 1
    a, b = (np.float64(v) for v in order_stats(x, [lo_i, hi_i]))
    t = virtual - prev
    diff = b - a
    return b - diff * (1 - t) if t >= 0.5 else a + diff * t


def median(x) -> float:
    """`np.median(x)`."""
    if not lazy(x):
        return np.median(np.asarray(x))
    n = x.size
    if _has_nan(x):
        return np.float64(np.nan)
    if n % 2:
        return np.float64(order_stats(x, [(n - 1) // 2])[0])
    a, b = order_stats(x, [n // 2 - 1, n // 2])
    return np.add.reduce(np.array([a, b])) / 2


def nanmean(x) -> float:
    """`np.nanmean(x)` (for columns with at least one non-NaN value)."""
    if not lazy(x):
        return np.nanmean(np.asarray(x))
    tot = total(lift(lambda v: np.where(np.isnan(v), 0.0, v), x))
    return tot / count(lift(lambda v: ~np.isnan(v), x))


def any_true(mask) -> bool:
    """Whether any value of a boolean array or column is true."""
    return count(mask) > 0
