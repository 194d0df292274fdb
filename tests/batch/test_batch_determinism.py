"""Same --seed → byte-identical runs.parquet and scorecard with 1 worker, 2 workers, Dask."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.batch.montecarlo import run_batch
from sim.batch.uncertainty import UncertainScenario

RUNS, SEED = 8, 11


@pytest.fixture(scope="module")
def reference(tmp_path_factory, make_drill):
    d = tmp_path_factory.mktemp("ref")
    src = d / "drill.yaml"
    src.write_text(make_drill())
    out = d / "w1"
    run_batch(UncertainScenario.load(src), runs=RUNS, seed=SEED, out=out, workers=1, report=False)
    return src, out


def _same(a: Path, b: Path, output_bytes) -> None:
    for f in ("runs.parquet", "scorecard.csv", "scorecard.json", "events.parquet"):
        assert output_bytes(a / f) == output_bytes(b / f), f


def test_reference_has_one_row_per_run_with_inputs_and_outcomes(reference):
    _, out = reference
    runs = pd.read_parquet(out / "runs.parquet")
    assert list(runs["run"]) == list(range(RUNS))
    assert list(runs["seed"]) == [SEED + k for k in range(RUNS)]
    assert runs["run_id"].is_unique
    assert {"plan.units[boat].count", "out.sea_arrival_time", "n.sea_arrival_time"} <= set(runs)
    assert runs["plan.units[boat].count"].nunique() > 1  # inputs really vary
    ev = pd.read_parquet(out / "events.parquet")
    assert sorted(ev["run_id"].unique()) == sorted(runs["run_id"])
    assert not (out / ".parts").exists()


def test_two_local_workers_identical(reference, tmp_path, output_bytes):
    src, ref = reference
    out = tmp_path / "w2"
    run_batch(UncertainScenario.load(src), runs=RUNS, seed=SEED, out=out, workers=2, report=False)
    _same(ref, out, output_bytes)


@pytest.mark.slow
def test_cli_matches_api_and_other_seed_differs(reference, tmp_path, output_bytes):
    src, ref = reference
    out = tmp_path / "cli"
    cmd = [sys.executable, "-m", "sim.cli", "run", str(src), "--runs", str(RUNS), "--no-report"]
    subprocess.run([*cmd, "--seed", str(SEED), "--out", str(out)], check=True, capture_output=True)
    _same(ref, out, output_bytes)
    other = run_batch(UncertainScenario.load(src), runs=RUNS, seed=SEED + 1, report=False)
    assert list(other.runs["seed"]) == [SEED + 1 + k for k in range(RUNS)]
    assert not other.runs["events_sha256"].equals(
        pd.read_parquet(ref / "runs.parquet")["events_sha256"]
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_dask_cluster_identical(reference, tmp_path, output_bytes):
    pytest.importorskip("distributed")
    from distributed import Client

    src, ref = reference
    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "dask"]
    procs = [
        subprocess.Popen(
            [*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        time.sleep(1.0)
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        *dask,
                        "worker",
                        addr,
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--memory-limit",
                        "0",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        with Client(addr, timeout="30s") as c:
            c.wait_for_workers(2, timeout=60)
            assert len(c.scheduler_info()["workers"]) == 2
        out = tmp_path / "dask"
        us = UncertainScenario.load(src)
        run_batch(us, runs=RUNS, seed=SEED, out=out, scheduler=addr, report=False)
        _same(ref, out, output_bytes)
        with Client(addr, timeout="30s") as c:
            # both workers ran jobs, and each kept its loaded world (plugin registered once)
            plugins = c.run(lambda dask_worker: sorted(dask_worker.plugins))
            assert all(any(p.startswith("jmsim-world-") for p in v) for v in plugins.values())
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def test_per_run_outcomes_equal_measures_on_each_run_alone(reference):
    """Outcomes are split from pooled measures by trace key; same as measuring each run alone."""
    import math

    from sim.batch.outcomes import dynamic_indicators, run_outcomes

    src, out = reference
    runs = pd.read_parquet(out / "runs.parquet")
    ev = pd.read_parquet(out / "events.parquet")
    inds = dynamic_indicators(UncertainScenario.load(src).nominal())
    for row in runs.itertuples(index=False):
        alone = run_outcomes(ev[ev["run_id"] == row.run_id], inds)
        for k, v in alone.items():
            got = runs.loc[runs["run_id"] == row.run_id, k].item()
            assert (math.isnan(v) and math.isnan(got)) or got == v, (row.run_id, k, got, v)
