"""On-disk sample columns give numpy's exact numbers (issue #15: flat batch memory).

A pooled batch keeps per-item sample values on disk and the scorecard reads
them in chunks; its sums, quantiles and means must be bit-identical to numpy
on the whole array, or a large batch's scorecard would drift from the
in-memory one. Small `CHUNK`/`LOAD` force the chunked recursion and the radix
selection on arrays of a few thousand values.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.indicators import columns as C


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(C, "CHUNK", 256)
    monkeypatch.setattr(C, "LOAD", 64)


def _col(v: np.ndarray) -> C.Column:
    sp = C.Spill(C.SpillDir(), "t")
    for part in np.array_split(v, 7):  # appended run after run
        sp.append(part)
    return sp.column()


def _arrays():
    rng = np.random.default_rng(7)
    for n in (1, 2, 9, 255, 256, 257, 1000, 4099, 20_011):
        yield rng.standard_normal(n) * 10.0 ** rng.integers(-3, 6, n)  # wide magnitudes
        yield np.round(rng.exponential(30, n))  # many ties, as lead minutes
        w = rng.exponential(2, n)
        w[rng.random(n) < 0.1] = np.inf  # never reached: +inf
        yield w


def test_total_is_numpys_pairwise_sum(small):
    for v in _arrays():
        f = np.where(np.isinf(v), 0.0, v)
        assert C.total(_col(f)) == f.sum(), f.size


def test_quantiles_and_median_equal_numpy(small):
    for v in _arrays():
        c = _col(v)
        for q in (0.0, 0.025, 0.1, 0.5, 0.9, 0.975, 1.0):
            for m in ("linear", "inverted_cdf"):
                got, want = C.quantile(c, q, m), np.quantile(v, q, method=m)
                assert got == want or (np.isnan(got) and np.isnan(want)), (v.size, q, m)
        assert C.median(c) == np.median(v) or np.isnan(np.median(v))


def test_order_statistics_with_negative_zero_and_infinities(small):
    v = np.array([3.0, -0.5, np.inf, -np.inf, 0.0, 7.25, -1e300, 1e-300] * 40)
    c = _col(v)
    s = np.sort(v)
    assert C.order_stats(c, list(range(v.size))) == s.tolist()


def test_nan_gives_nan_quantile_as_numpy(small):
    v = np.arange(500.0)
    v[17] = np.nan
    assert np.isnan(C.quantile(_col(v), 0.5)) and np.isnan(np.quantile(v, 0.5))


def test_select_count_and_nanmean(small):
    rng = np.random.default_rng(3)
    v = rng.standard_normal(3001)
    v[rng.random(v.size) < 0.2] = np.nan
    c = _col(v)
    mask = C.lift(lambda a: a > 0.1, c)
    assert C.count(mask) == int((v > 0.1).sum())
    assert C.count(mask, limit=100) == int((v[:100] > 0.1).sum())
    assert C.as_array(C.select(c, mask)).tolist() == v[v > 0.1].tolist()
    assert C.nanmean(c) == np.nanmean(v)
    assert C.nanmean(C.select(c, mask)) == np.nanmean(v[v > 0.1])


def test_spill_folder_goes_with_its_last_column():
    c = _col(np.arange(10.0))
    folder = c.home.path
    assert folder.is_dir()
    del c
    import gc

    gc.collect()
    assert not folder.exists()
