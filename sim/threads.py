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


def single_blas_thread():
    """Limit BLAS to one thread; a context manager that restores the old limit on exit.

    Called without `with`, the limit stays for the rest of the process (worker set-up).
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")
