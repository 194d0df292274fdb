"""Shared fixtures: the synthetic drill scenario and a cached synthetic world."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def synthetic_world():
    from sim.world import World

    return World.synthetic()


@pytest.fixture(scope="session")
def drill_path() -> Path:
    return FIXTURES / "synthetic_drill.yaml"


@pytest.fixture(scope="session")
def drill(drill_path):
    from sim.scenario import load_scenario

    return load_scenario(drill_path)
