"""One BLAS thread per process for engine runs.

The chemical puff field is a small matrix product per hazard step (121 x 121
grid against a few hundred puffs). OpenBLAS splits such a product over all
cores by default; the threads' hand-off costs more than the product, and on a
busy machine it made one chlorine run 5-8x slower (0.8 s with one BLAS thread
against 5-7 s with two, same event log; docs/benchmarks.md). Parallel runs use
processes, so each process keeps to one BLAS thread. Results do not depend on
the thread count (tested: identical event digests).
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

#: Variables OpenBLAS reads for its thread count, in its order of precedence.
BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")


def one_blas_thread_by_default(environ: MutableMapping[str, str] = os.environ) -> bool:
    """Ask OpenBLAS for one thread before numpy loads, unless the user chose a count.

    `single_blas_thread` limits the pool after numpy has loaded, but by then OpenBLAS
    has started a thread per core, and starting them cost ~50-100 ms of CPU per
    process here (`import numpy`: 0.15-0.21 s CPU with the default pool, 0.12-0.13 s
    with one thread; 2 cores, 2026-12-02), a fifth of a short `jmsim calc
    erlang-check`. Called by the `jmsim` console script before anything imports
    numpy; spawned batch workers inherit the setting. Returns whether it set it.
    """
    if any(environ.get(v) for v in BLAS_THREAD_VARS):
        return False
    environ["OPENBLAS_NUM_THREADS"] = "1"
    return True


def single_blas_thread():
    """Limit BLAS to one thread; a context manager that restores the old limit on exit.

    Called without `with`, the limit stays for the rest of the process (worker set-up).
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")
