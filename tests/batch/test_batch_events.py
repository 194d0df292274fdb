"""`--events all|sample|none`: events stream to one Parquet file per run, written by workers.

The scorecard and runs table never depend on which events were kept (they
come from the per-run reductions); the report re-runs a run whose events
were not kept, and gets exactly the events the run had.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.batch.montecarlo import run_batch
from sim.batch.uncertainty import UncertainScenario

RUNS = 6


@pytest.fixture(scope="module")
def batches(tmp_path_factory, make_drill):
    d = tmp_path_factory.mktemp("ev")
    src = d / "drill.yaml"
    src.write_text(make_drill(hours=2))
    us = UncertainScenario.load(src)
    out = {}
    with pytest.MonkeyPatch.context() as m:
        m.setattr("sim.batch.eventset.SAMPLE_RUNS", 3)  # 6 runs → every 2nd run kept
        for mode in ("all", "sample", "none"):
            res = run_batch(us, runs=RUNS, seed=2, out=d / mode, workers=2,
                            report=mode == "none", events=mode)  # fmt: skip
            out[mode] = (d / mode, res)
    return out


def test_all_writes_one_file_per_run_readable_as_one_dataset(batches):
    out, res = batches["all"]
    files = sorted(p.name for p in (out / "events.parquet").iterdir())
    assert files == [f"run-{k:06d}.parquet" for k in range(RUNS)]
    ev = pd.read_parquet(out / "events.parquet")
    assert list(ev["run_id"].unique()) == list(res.runs["run_id"])
    assert ev.groupby("run_id").size().tolist() == res.runs["events"].tolist()


def test_sample_keeps_evenly_spaced_runs(batches):
    out, res = batches["sample"]
    files = sorted(p.name for p in (out / "events.parquet").iterdir())
    assert files == [f"run-{k:06d}.parquet" for k in (0, 2, 4)]


def test_none_keeps_no_events_and_scores_the_same(batches, output_bytes):
    out, _ = batches["none"]
    assert not (out / "events.parquet").exists()
    ref, _ = batches["all"]
    for f in ("runs.parquet", "scorecard.csv", "scorecard.json"):
        assert output_bytes(out / f) == output_bytes(ref / f), f
    html = (out / "report.html").read_text()
    assert 'alt="typical run timeline"' in html and 'alt="worst run timeline"' in html


def test_a_run_not_kept_is_rerun_to_the_same_events(batches):
    _, res = batches["none"]
    ref, _ = batches["all"]
    for k in (1, 4):
        again = res.events.run(k)
        stored = pd.read_parquet(ref / "events.parquet" / f"run-{k:06d}.parquet")
        pd.testing.assert_frame_equal(again.reset_index(drop=True), stored)


def test_unknown_events_mode_is_one_line_error(tmp_path, make_drill, capsys):
    from sim.cli import main

    src = tmp_path / "d.yaml"
    src.write_text(make_drill(hours=2))
    with pytest.raises(SystemExit) as e:
        main(["run", str(src), "--events", "some"])
    assert e.value.code == 2 and "--events" in capsys.readouterr().err


def test_complete_batch_rescored_for_another_year_from_its_event_files(batches):
    """`--resume --year Y` on a complete batch re-scores from the per-run files, no re-run."""
    out, res = batches["all"]
    us = res.us
    again = run_batch(us, runs=RUNS, seed=2, out=out, resume=True, year=2023, report=False)
    assert again.status == "complete"
    fresh = run_batch(us, runs=RUNS, seed=2, year=2023, report=False)
    pd.testing.assert_frame_equal(again.scorecard, fresh.scorecard)
    assert (again.scorecard["year"] == 2023).all()
