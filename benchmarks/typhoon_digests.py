"""Event-table digests of sampled typhoon runs, to compare two code trees (issue #15).

``python benchmarks/typhoon_digests.py SCENARIO.yaml FIRST_SEED N`` prints one JSON line:
the `events_sha256` of runs FIRST_SEED .. FIRST_SEED+N-1 on the batch-worker path
(`RunContext.execute`, inputs sampled per run as in `jmsim run --runs`). Run it with
``PYTHONPATH`` set to each tree and compare the lines.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def digests(scenario: str, first: int, n: int) -> list[str]:
    """`events_sha256` per sampled run."""
    from sim.batch.executor import BatchSpec, RunContext, RunJob

    f = Path(scenario)
    ctx = RunContext(BatchSpec(f.read_text(), f.name, str(f.parent.resolve())))
    return [ctx.execute(RunJob(i, first + i)).row["events_sha256"] for i in range(n)]


if __name__ == "__main__":
    print(json.dumps(digests(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
