"""Workers keep freed grid arrays in their heap (`tune_malloc`), under Dask's nanny settings too."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_PROBE = """
import resource, sys
import numpy as np
if sys.argv[1] == "tuned":
    from sim.batch.executor import tune_malloc
    assert tune_malloc()
a = np.ones(40_000)
for _ in range(3):
    b = a * 2.0
    del b
f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(300):
    b = a * 2.0  # 320 kB, the size of a typhoon grid array of a run
    c = b + 1.0
    del b, c
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
"""


def _page_faults(mode: str) -> int:
    # the environment a Dask nanny gives its worker (distributed.nanny.pre-spawn-environ)
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}
    out = subprocess.run([sys.executable, "-c", _PROBE, mode], env=env, capture_output=True,
                         text=True, check=True)  # fmt: skip
    return int(out.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc mallopt")
def test_tuned_worker_reuses_heap_instead_of_faulting_in_fresh_pages():
    """600 allocations of 320 kB: untuned, each maps fresh pages (~80 faults each);
    tuned, the freed blocks are reused (measured 78 faults in all, against 47,400)."""
    plain, tuned = _page_faults("plain"), _page_faults("tuned")
    assert plain > 10_000, plain  # the probe does see the problem
    assert tuned < plain / 20, (tuned, plain)
