"""Seeded random streams: one seed per run, split into independent streams.

Giving the hazard, the people and the response their own `numpy.random.Generator`
(spawned from one `SeedSequence`) means that adding a fire engine to a plan does
not reshuffle where the fire goes: common random numbers for plan comparison.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Largest engine seed: run k uses seed + k, and seeds must stay signed 64-bit
#: integers (numpy, Parquet) with room for the largest batch.
MAX_SEED = 2**62

STREAMS = ("hazard", "people", "response", "incidents", "warnings", "plan")


@dataclass(frozen=True)
class SeedStreams:
    """Named, independent generators derived from one integer seed."""

    seed: int
    hazard: np.random.Generator
    people: np.random.Generator
    response: np.random.Generator
    incidents: np.random.Generator
    warnings: np.random.Generator
    plan: np.random.Generator

    @classmethod
    def from_seed(cls, seed: int) -> SeedStreams:
        """Spawn one child `SeedSequence` per stream, in a fixed order."""
        if int(seed) < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed}")
        children = np.random.SeedSequence(int(seed)).spawn(len(STREAMS))
        gens = {name: np.random.default_rng(ss) for name, ss in zip(STREAMS, children, strict=True)}
        return cls(seed=int(seed), **gens)
