"""The garbage-collector setting used while a simulation runs.

Its own module so that lean paths (the M/M/c check) use the same setting as
`DrillModel` without importing Mesa.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["freeze_loaded", "paused_gc", "relaxed_gc", "unfreeze_loaded"]


@contextmanager
def relaxed_gc(gen0: int = 50_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often while a simulation runs.

    A run allocates millions of short-lived objects and keeps a growing log;
    with CPython's default gen-0 threshold (700) the collector keeps re-scanning
    it, which measured ~30 % of dispatch throughput (benchmarks/bench_dispatch.py).
    Raising the threshold defers, not disables, collection; the old thresholds
    are restored afterwards. The setting is process-wide (runs in threads share it).
    """
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], gen0), old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a run that makes no reference cycles.

    Only for runs where that is checked: the M/M/c queue check leaves nothing for
    the collector (`gc.collect()` after a run finds 0 objects; tested), so every
    collection would only re-scan its growing log (~10 % of its run time).
    Reference counting still frees everything else at once.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def freeze_loaded() -> None:
    """Hide everything alive now from the cyclic collector: a batch worker's loaded world.

    A worker keeps its world (~200 k tracked objects: road and river graphs, tables)
    for all its runs; every full collection re-scanned it, ~3 % of a Mangkhut run.
    Collect first so no garbage is frozen; `unfreeze_loaded` before the world is
    dropped so its cycles can be collected. Reference counting is unaffected.
    """
    gc.collect()
    gc.freeze()


def unfreeze_loaded() -> None:
    """Undo `freeze_loaded` (the frozen objects are collectable again)."""
    gc.unfreeze()
