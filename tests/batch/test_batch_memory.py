"""The batch process's memory does not grow with the number of runs (issue #15).

Workers reduce each run to its row and indicator samples and write its events
to disk; the parent pools summaries. The fast test measures, with tracemalloc,
the parent's whole pooling path (read every run's part, pool, score, build the
runs table) over 50 and over 500 stored runs (real run summaries of the
synthetic drill, copied under new run numbers, so no 500 simulations are
needed), and over 50 and 500 typhoon-sized runs (~1,000 items each). Holding
events in the parent, as before, made it grow ~10x; holding every run's sample
values (8 bytes each), as session 4 did, ~4.5 kB per drill run and ~30 kB per
typhoon-sized run: both fail here. Per-item samples now spill to disk, so
what stays per run is its table row (~0.5 kB). The slow test runs 50 and 500
real runs on 2 workers and compares the parent's peak RSS.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pyarrow.parquet as pq
import pytest

DRILL = Path(__file__).parents[1] / "fixtures" / "synthetic_drill.yaml"
REAL = 8


@pytest.fixture(scope="module")
def real_batch(tmp_path_factory):
    """REAL finished runs of the synthetic drill, with their run parts kept."""
    from sim.batch import store as store_mod
    from sim.batch.montecarlo import run_batch
    from sim.batch.uncertainty import UncertainScenario

    d = tmp_path_factory.mktemp("mem")
    us = UncertainScenario.load(DRILL)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(store_mod.BatchStore, "finish", lambda self: None)  # keep .parts
        res = run_batch(us, runs=REAL, seed=1, out=d / "real", report=False, events="none")
    return us, res, d / "real" / ".parts"


def _stored_batch(real: Path, parts_dir: Path, runs: int, tmp: Path) -> Path:
    """`runs` parts made of the real summaries, cycled, each with its own run number and id."""
    from sim.batch.store import _ROW_KEY, BatchStore

    out = tmp / f"b{runs}"
    store = BatchStore(out)
    store.parts.mkdir(parents=True)
    for k in range(runs):
        table = pq.read_table(parts_dir / f"run-{k % REAL:06d}.parquet")
        meta = json.loads(table.schema.metadata[_ROW_KEY])
        meta["row"].update(run=k, run_id=f"synthetic_drill#copy{k}")
        table = table.replace_schema_metadata({_ROW_KEY: json.dumps(meta).encode()})
        pq.write_table(table, store.part_path(k))
    return out


def _parent_peak(us, world, out: Path, runs: int) -> int:
    from sim.batch.aggregate import Pool
    from sim.batch.montecarlo import pool_stored, pooled_result
    from sim.batch.outcomes import dynamic_indicators
    from sim.batch.store import BatchStore

    nominal = us.nominal()
    tracemalloc.start()
    pool = pool_stored(BatchStore(out), runs, Pool(dynamic_indicators(nominal)))
    res = pooled_result(us, nominal, world, pool, nominal.indicators.year)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(res.runs) == runs and res.runs["run"].tolist() == list(range(runs))
    return peak


def test_parent_memory_is_flat_from_50_to_500_runs(real_batch, tmp_path):
    us, res, parts = real_batch
    small = _parent_peak(us, res.world, _stored_batch(tmp_path, parts, 50, tmp_path), 50)
    large = _parent_peak(us, res.world, _stored_batch(tmp_path, parts, 500, tmp_path), 500)
    events_per_run = int(res.runs["events"].mean())
    print(f"parent peak: 50 runs {small / 1e6:.2f} MB, 500 runs {large / 1e6:.2f} MB "
          f"({events_per_run} events per run stay on disk)")  # fmt: skip
    per_run = (large - small) / 450
    # what stays per run: its table row (~0.5 kB); its events (~150 B each in a
    # DataFrame) and its sample values (on disk) never stay in the parent
    assert per_run < 1_500, f"{per_run:.0f} B per extra run"
    assert per_run < 0.01 * events_per_run * 150
    assert large <= 1.10 * small, (small, large)


def _typhoon_like_peak(summaries, runs: int) -> int:
    from sim.batch.aggregate import Pool
    from sim.indicators.catalog import CATALOG
    from sim.indicators.scorecard import score_samples

    ids = ["warning_public_coverage", "warning_lead_time", "sea_arrival_time",
           "affected_per_100k"]  # fmt: skip
    tracemalloc.start()
    pool = Pool([CATALOG[i] for i in ids])
    for s in summaries(runs, 250):
        pool.add(s)
    samples = pool.samples()
    rows = [score_samples(CATALOG[i], samples[i], 2025) for i in ids]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert rows[0]["n"] > 200 * runs
    return peak


def test_parent_memory_is_flat_with_typhoon_sized_runs(typhoon_like_runs, monkeypatch):
    """~1,000 sample values per run (people weights, lead times, phases) stay on disk.

    The chunk, load, buffer and bootstrap-block sizes are scaled down so that 50
    runs already fill them, as a few hundred real runs do at their shipped sizes
    (a few MB each, whatever the number of runs).
    """
    from sim.indicators import columns, stats

    monkeypatch.setattr(stats, "BOOT_CELLS", 20_000)
    monkeypatch.setattr(columns, "CHUNK", 1024)
    monkeypatch.setattr(columns, "LOAD", 1024)
    monkeypatch.setattr(columns, "FLUSH", 256)
    small = _typhoon_like_peak(typhoon_like_runs, 50)
    large = _typhoon_like_peak(typhoon_like_runs, 500)
    per_run = (large - small) / 450
    print(f"parent peak, typhoon-sized runs: 50 runs {small / 1e6:.2f} MB, "
          f"500 runs {large / 1e6:.2f} MB ({per_run:.0f} B per extra run)")  # fmt: skip
    # holding the sample values alone would be ~16 kB per run (~2,000 float64 per run)
    assert per_run < 1_000, f"{per_run:.0f} B per extra run"


@pytest.mark.slow
def test_parent_rss_is_flat_with_real_runs(tmp_path):
    """Real batches of 50 and 500 runs on 2 workers: the parent's peak RSS within 20 %."""
    code = (
        "import resource, sys\n"
        "from sim.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "print('RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    peaks = {}
    for runs in (50, 500):
        out = tmp_path / f"o{runs}"
        cmd = [sys.executable, "-c", code, "run", str(DRILL), "--runs", str(runs), "--seed", "1",
               "--workers", "2", "--out", str(out), "--no-report", "--no-progress"]  # fmt: skip
        p = subprocess.run(cmd, capture_output=True, text=True, check=True)
        peaks[runs] = int(p.stderr.rsplit("RSS_KB", 1)[1].split()[0])
    assert peaks[500] <= 1.2 * peaks[50], peaks


def test_blocked_bootstrap_equals_one_big_draw(monkeypatch):
    """The bounded-memory bootstrap gives exactly the replicates of one (n_boot, n) draw."""
    import numpy as np

    from sim.indicators import stats

    monkeypatch.setattr(stats, "BOOT_CELLS", 1000)  # many small blocks
    for n in (1, 7, 999, 4001):
        v = np.random.default_rng(n).exponential(size=n)
        whole = v[np.random.default_rng(0).integers(0, n, size=(300, n))].mean(axis=1)
        assert np.array_equal(stats.bootstrap_replicates(v, np.mean, 300, 0), whole)


def test_cluster_bootstrap_in_blocks_equals_one_draw(monkeypatch):
    """The people-weighted share's bootstrap over runs, in blocks, as one (2000, runs) draw."""
    import numpy as np

    from sim.indicators import stats

    monkeypatch.setattr(stats, "BOOT_CELLS", 777)
    rng = np.random.default_rng(4)
    for runs in (10, 333):
        num, den = rng.integers(0, 50, runs).astype(float), rng.integers(50, 99, runs) * 1.0
        pick = np.random.default_rng(0).integers(0, runs, (2000, runs))
        whole = num[pick].sum(axis=1) / den[pick].sum(axis=1)
        blocks = np.concatenate([num[p].sum(axis=1) / den[p].sum(axis=1)
                                 for p in stats.resample_blocks(runs, 2000, 0)])  # fmt: skip
        assert np.array_equal(blocks, whole)
