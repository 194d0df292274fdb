"""Fixtures for batch tests: a shorter synthetic drill (fast runs) with uncertain inputs."""

from __future__ import annotations

from pathlib import Path

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
