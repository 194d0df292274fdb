"""The M/M/c queue of `jmsim calc erlang-check` in ciw (run by bench_erlang_vs_ciw.py).

Runs in a separate venv that has ciw (``python -m venv .ciwvenv && .ciwvenv/bin/pip install
ciw``), so nothing here imports jmsim. Same measurement as the engine's check: mean queue
wait of customers arriving after a 5 % warm-up, printed as one JSON line.
"""

from __future__ import annotations

import argparse
import json
import math

import ciw


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--arrivals-per-h", type=float, required=True)
    ap.add_argument("--service-per-h", type=float, required=True)
    ap.add_argument("--servers", type=int, required=True)
    ap.add_argument("--hours", type=float, default=2000.0)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    net = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=a.arrivals_per_h)],
        service_distributions=[ciw.dists.Exponential(rate=a.service_per_h)],
        number_of_servers=[a.servers],
    )
    ciw.seed(a.seed)
    sim = ciw.Simulation(net)
    sim.simulate_until_max_time(a.hours)
    warm = 0.05 * a.hours
    waits = [r.waiting_time for r in sim.get_all_records() if r.arrival_date >= warm]
    print(
        json.dumps(
            {
                "incidents": len(waits),
                "sim_wq_h": sum(waits) / len(waits) if waits else math.nan,
                "ciw": ciw.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
