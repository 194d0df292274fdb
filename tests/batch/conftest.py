"""Fixtures for batch tests: a shorter synthetic drill (fast runs) with uncertain inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

DRILL = Path(__file__).parents[1] / "fixtures" / "synthetic_drill.yaml"


def short_drill(text: str | None = None, hours: int = 4) -> str:
    """The synthetic drill cut to `hours` (runs take ~0.08 s) with three uncertain fields."""
    text = text or DRILL.read_text()
    text = text.replace("duration_h: 12", f"duration_h: {hours}")
    text = text.replace(
        "id: boat, type: rescue_boat, count: 2,",
        "id: boat, type: rescue_boat, count: {dist: uniform, low: 1, high: 3},",
    )
    text = text.replace(
        "rate_per_h: 1.0, max_offshore_nm: 12",
        "rate_per_h: {dist: triangular, low: 0.5, mode: 1.0, high: 2.0}, max_offshore_nm: 12",
    )
    text = text.replace(
        "reach: 0.85, delay_min: 5,",
        "reach: 0.85, delay_min: {dist: normal, mean: 10, sd: 3, low: 0},",
    )
    assert text.count("dist:") == 3
    return text


@pytest.fixture()
def uncertain_path(tmp_path) -> Path:
    p = tmp_path / "uncertain_drill.yaml"
    p.write_text(short_drill())
    return p


@pytest.fixture(scope="session")
def make_drill():
    """The `short_drill(text=None, hours=4)` helper."""
    return short_drill


def _output_bytes(p: Path) -> bytes:
    """The bytes of a file; for a folder (e.g. events.parquet/), each file's name and bytes."""
    p = Path(p)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file())
        assert files, f"{p} is empty"
        return b"".join(
            f.relative_to(p).as_posix().encode() + b"\0" + f.read_bytes() for f in files
        )
    return p.read_bytes()


@pytest.fixture(scope="session")
def output_bytes():
    """`output_bytes(path)`: a file's bytes, or a dataset folder's files (name and bytes)."""
    return _output_bytes


def typhoon_like(runs: int, items: int, seed: int = 5):
    """Run summaries like a typhoon batch's (weighted shares, lead times, arrivals, a rate).

    Made one run at a time, as a batch's parent receives them.
    """
    from sim.batch.aggregate import RunSamples, RunSummary

    rng = np.random.default_rng(seed)
    for r in range(runs):
        m = int(rng.integers(0, items)) if r % 7 == 3 else items  # some runs have few or none
        keys = [f"r{r:04d}:g{i}" for i in range(m)]
        cover = (rng.random(m) < 0.97).astype(float)
        lead = (rng.random(m) < 0.9).astype(float)
        hours = rng.exponential(0.8, m)
        unreached = rng.random(m) < 0.08
        hours[unreached] = np.inf
        open_h = np.where(unreached, rng.uniform(0, 3, m), np.nan)
        phases = {p: np.where(rng.random(m) < 0.1, np.nan, rng.exponential(20, m))
                  for p in ("call_handling_min", "queue_wait_min", "turnout_min",
                            "weather_hold_min", "travel_min")}  # fmt: skip
        samples = {
            "warning_public_coverage": RunSamples(
                cover,
                keys,
                extra={"people": rng.integers(1, 60, m).astype(float), "weighted": True},
            ),  # fmt: skip
            "warning_lead_time": RunSamples(
                lead, keys, extra={"lead_min": np.round(rng.exponential(90, m))}
            ),
            "sea_arrival_time": RunSamples(
                hours,
                keys,
                int(unreached.sum()),
                {"phases": phases, "unreached": int(unreached.sum()), "open_h": open_h},
            ),  # fmt: skip
            "affected_per_100k": RunSamples(np.array([rng.exponential(50)]), [f"r{r:04d}"]),
        }
        yield RunSummary(r, {"run": r}, [], samples)


@pytest.fixture(scope="session")
def typhoon_like_runs():
    """`typhoon_like_runs(runs, items, seed=5)`: synthetic run summaries, one at a time."""
    return typhoon_like
