"""Plan comparison with common random numbers."""

from __future__ import annotations

import json

import pandas as pd

RUNS = 6


def _plans(tmp_path, drill_path, boats_a: int, boats_b: int):
    text = drill_path.read_text().replace("duration_h: 12", "duration_h: 4")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(text.replace("count: 2,", f"count: {boats_a},"))
    b.write_text(text.replace("count: 2,", f"count: {boats_b},"))
    return a, b


def _compare(a, b, out, capsys):
    from sim.cli import main

    code = main(["compare", str(a), str(b), "--runs", str(RUNS), "--seed", "21",
                 "--out", str(out), "--no-report", "--no-progress"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out, pd.read_csv(out / "compare.csv").set_index("id")


def test_identical_plans_differ_by_exactly_zero(tmp_path, drill_path, capsys):
    # Common random numbers: same seeds → same incidents and draws → every paired difference 0.
    a, b = _plans(tmp_path, drill_path, 2, 2)
    _, df = _compare(a, b, tmp_path / "out", capsys)
    paired = df[df["pairs"] > 0]
    assert len(paired) >= 3
    assert (paired["diff_mean"] == 0).all() and (paired["better"] == "same").all()
    ra = pd.read_parquet(tmp_path / "out" / "a" / "runs.parquet")
    rb = pd.read_parquet(tmp_path / "out" / "b" / "runs.parquet")
    assert ra["events_sha256"].tolist() == rb["events_sha256"].tolist()


def test_more_boats_is_better_at_sea_on_the_same_incidents(tmp_path, drill_path, capsys):
    a, b = _plans(tmp_path, drill_path, 1, 5)
    out = tmp_path / "out"
    stdout, df = _compare(a, b, out, capsys)
    r = df.loc["sea_arrival_time"]
    assert r["better"] == "B" and r["ci_high"] < 0
    assert "B better on: sea_arrival_time" in stdout
    # the hazard realisations are the same: identical incident reports in run k of A and B
    ea = pd.read_parquet(out / "a" / "events.parquet")
    eb = pd.read_parquet(out / "b" / "events.parquet")
    rep = ["run_id", "t_min", "x_m", "y_m", "payload"]
    pa = ea[ea["kind"] == "incident_reported"][rep].reset_index(drop=True)
    pb = eb[eb["kind"] == "incident_reported"][rep].reset_index(drop=True)
    assert len(pa) > 10 and pa.equals(pb)
    assert json.loads((out / "compare.json").read_text())[0]["id"] == df.index[0]
