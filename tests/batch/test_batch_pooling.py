"""Pooled per-run samples must score exactly as the events of all runs measured at once.

Workers reduce each run to its indicator samples (values, trace head and the
measures' extras: people weights, response phases, open times, clock rules);
the parent pools them. A scorecard built from the pool must equal the one
built from every event, row for row, or the streaming path silently changes
the verdicts an evaluator signs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.batch.aggregate import merge_extras
from sim.batch.montecarlo import run_batch
from sim.batch.uncertainty import UncertainScenario
from sim.indicators.scorecard import build_scorecard
from sim.run import load_world


def test_merge_extras_concatenates_arrays_and_adds_counts():
    a = {"people": np.array([1.0, 2.0]), "phases": {"travel": np.array([3.0])}, "unreached": 1,
         "weighted": True, "clock": ["gale_end"]}  # fmt: skip
    b = {"people": np.array([4.0]), "phases": {"travel": np.array([5.0, 6.0])}, "unreached": 2,
         "weighted": False, "clock": ["landfall", "gale_end"]}  # fmt: skip
    m = merge_extras([a, b])
    assert m["people"].tolist() == [1.0, 2.0, 4.0]
    assert m["phases"]["travel"].tolist() == [3.0, 5.0, 6.0]
    assert m["unreached"] == 3 and m["weighted"] is True
    assert m["clock"] == ["gale_end", "landfall"]


def test_batch_scorecard_equals_scorecard_of_all_events(tmp_path, make_drill):
    src = tmp_path / "drill.yaml"
    src.write_text(make_drill(hours=4))
    us = UncertainScenario.load(src)
    res = run_batch(us, runs=12, seed=3, out=tmp_path / "out", workers=1, report=False,
                    events="all")  # fmt: skip
    ev = pd.read_parquet(tmp_path / "out" / "events.parquet")
    nominal = us.nominal()
    direct = build_scorecard(nominal, ev, load_world(nominal), res.year)
    cols = ["id", "status", "estimate", "ci_low", "ci_high", "n", "verdict", "detail"]
    pooled = res.scorecard[cols].set_index("id")
    direct = direct[cols].set_index("id")
    measured = pooled.index[pooled["status"] == "measured"]
    assert len(measured) >= 3  # arrival times, warning coverage, ... are measured here
    pd.testing.assert_frame_equal(pooled.loc[measured], direct.loc[measured])


def test_failures_beyond_the_kept_trace_keys_are_still_counted():
    """A pooled batch keeps only the first trace keys: failures after them must still count."""
    from sim.indicators.catalog import CATALOG
    from sim.indicators.measures import Samples
    from sim.indicators.scorecard import score_samples

    x = np.array([1.0] * 10 + [0.0] * 3)  # the 3 failures come after the 5 kept keys
    s = Samples(x, [f"r{i}:s{i}" for i in range(5)], extra={"n_trace": 13})
    row = score_samples(CATALOG["scene_comms_assurance"], s, 2025)
    assert row["verdict"] == "fail"
    assert row["cause"] == "3 of 13 items failed"
    assert "3 failed" in row["detail"]


def _in_memory(summaries, ind: str):
    """One indicator's samples of all runs as arrays with every trace key (no pooling)."""
    from sim.indicators.measures import Samples

    parts = [s.samples[ind] for s in summaries]
    return Samples(np.concatenate([p.values for p in parts]), [t for p in parts for t in p.trace],
                   sum(p.censored for p in parts), merge_extras([p.extra for p in parts]))  # fmt: skip


def test_pooled_columns_score_exactly_as_arrays_in_memory(monkeypatch, typhoon_like_runs):
    """Samples spilled to disk and read in chunks give the very same scorecard rows.

    Small chunks force the chunked pairwise sums, the on-disk selection and the
    radix order statistics (above 5,000 values the P90 interval is two of them).
    """
    from sim.batch.aggregate import Pool
    from sim.indicators import columns
    from sim.indicators.catalog import CATALOG
    from sim.indicators.scorecard import score_samples

    monkeypatch.setattr(columns, "CHUNK", 512)
    monkeypatch.setattr(columns, "LOAD", 100)
    ids = ["warning_public_coverage", "warning_lead_time", "sea_arrival_time",
           "affected_per_100k"]  # fmt: skip
    for runs, items in ((12, 40), (45, 260)):
        summaries = list(typhoon_like_runs(runs, items))
        pool = Pool([CATALOG[i] for i in ids])
        for s in summaries:
            pool.add(s)
        pooled = pool.samples()
        assert isinstance(pooled["warning_public_coverage"].values, columns.Column)
        for i in ids:
            got = score_samples(CATALOG[i], pooled[i], 2025)
            want = score_samples(CATALOG[i], _in_memory(summaries, i), 2025)
            assert got == want, (i, runs)
        row = score_samples(CATALOG["warning_public_coverage"], pooled[ids[0]], 2025)
        assert f"bootstrap over {runs} runs" in row["statistic"]
        if runs == 45:
            assert pooled["sea_arrival_time"].n > 5000  # the order-statistic interval
