"""Same scenario + seed + injects → byte-identical event log; another seed differs."""

from __future__ import annotations

from sim.events import EventLog
from sim.run import run
from sim.scenario.schema import Inject


def test_same_seed_identical_log(drill, synthetic_world, tmp_path):
    a = run(drill, 11, world=synthetic_world)
    b = run(drill, 11, world=synthetic_world)
    assert len(a.log) > 200
    assert a.log.to_jsonl() == b.log.to_jsonl()
    pa, pb = tmp_path / "a.parquet", tmp_path / "b.parquet"
    a.log.write_parquet(pa)
    b.log.write_parquet(pb)
    assert pa.read_bytes() == pb.read_bytes()


def test_different_seed_differs(drill, synthetic_world):
    assert (
        run(drill, 11, world=synthetic_world).log.digest()
        != run(drill, 12, world=synthetic_world).log.digest()
    )


def test_injects_are_part_of_identity(drill, synthetic_world):
    inj = [
        Inject(
            id="X1",
            at_min=30,
            kind="incident",
            params={"lat": 22.40, "lon": 112.90, "work_min": 20},
        )
    ]
    a = run(drill, 11, world=synthetic_world, injects=inj)
    b = run(drill, 11, world=synthetic_world, injects=inj)
    c = run(drill, 11, world=synthetic_world)
    assert a.log.digest() == b.log.digest() != c.log.digest()
    assert any(e.kind == "inject_applied" and e.subject_id == "X1" for e in a.log)


def test_parquet_round_trip(drill, synthetic_world, tmp_path):
    import pandas as pd

    a = run(drill, 3, world=synthetic_world)
    p = tmp_path / "ev.parquet"
    a.log.write_parquet(p)
    back = EventLog.from_frame(pd.read_parquet(p))
    assert back.to_jsonl() == a.log.to_jsonl()


def _rounded_loop(values, ndigits):
    """The per-value rule: Python's `round` of each value, NaN as `math.nan`."""
    import math

    import numpy as np

    return np.array([math.nan if v != v else round(float(v), ndigits) for v in values], dtype=float)


def test_rounding_of_times_and_positions_equals_the_per_value_rule():
    """`_rounded`: the bits equal a per-value loop of Python's `round`,
    including signed zeros, NaN of either sign, infinities, ints and numpy floats."""
    import math

    import numpy as np

    from sim.events import _rounded

    rng = np.random.default_rng(3)
    x = rng.normal(0, 1e5, 4000)
    x[::7] = x[::7].round(2)  # repeats and ties at the rounding digit
    values = [*x.tolist(), *x[:500].tolist(), 0.0, -0.0, -1e-9, 1e-9, 2.5e-7, -2.5e-7,
              math.nan, -math.nan, float("inf"), float("-inf"), 7, np.float32(0.1),
              np.float64(1.0000005), 1234567.0000005]  # fmt: skip
    for nd in (3, 6):
        got = _rounded(tuple(values), nd)
        want = _rounded_loop(values, nd)
        assert got.view("u8").tolist() == want.view("u8").tolist()
    for only in ((-math.nan, 1.0), (-0.0, 0.0, 5e-7), (0.0, -0.0, -5e-7)):
        got, want = _rounded(only, 6), _rounded_loop(only, 6)
        assert got.view("u8").tolist() == want.view("u8").tolist(), only
    assert _rounded((), 6).size == 0


def test_vectorised_rounding_equals_python_round_at_ties_and_extremes():
    """`_rounded` takes numpy's v * 10**n then rint for values clear of a tie; the
    values near a decimal tie (x.xxx5 written in decimal), exact binary ties, tiny
    and huge magnitudes must still equal Python's correctly rounded `round`."""
    import numpy as np

    from sim.events import _rounded

    rng = np.random.default_rng(15)
    for nd in (3, 6):
        groups = [
            (rng.integers(-(10**9), 10**9, 20_000) + 0.5) / 10**nd,  # decimal ties
            (rng.integers(-(10**12), 10**12, 20_000) + 0.5) / 10**nd,
            np.ldexp(rng.integers(1, 2**20, 20_000).astype(float), -rng.integers(0, 30, 20_000)),
            rng.uniform(-1e-5, 1e-5, 20_000),  # rounds to (signed) zero or one unit
            rng.uniform(4e15, 1e17, 2_000) / 10**nd,  # |v * 10**n| beyond 2**52
            rng.normal(0, 1e5, 20_000),
        ]
        for values in groups:
            got = _rounded(tuple(values.tolist()), nd)
            want = _rounded_loop(values.tolist(), nd)
            assert got.view("u8").tolist() == want.view("u8").tolist(), nd
    some = rng.normal(0, 1e5, 2_000).tolist()
    for nd in (-2, 0, 15, 22, 23):  # outside 0..22, 10**nd is inexact and the loop is used
        got, want = _rounded(tuple(some), nd), _rounded_loop(some, nd)
        assert got.view("u8").tolist() == want.view("u8").tolist(), nd


def test_frame_from_columns_equals_events_as_rows(drill, synthetic_world):
    res = run(drill, 5, world=synthetic_world)
    df = res.log.to_frame(res.log.columns())
    assert df.equals(res.log.to_frame())

    def plain(row):  # NaN positions as None, so rows compare with ==
        return tuple(None if isinstance(v, float) and v != v else v for v in row)

    rows = [plain(r) for r in df.itertuples(index=False)]
    assert rows == [plain(e.as_row()) for e in res.log]


def _without_agents_same_log(scen, seed, world):
    from sim.agents.residents import Resident

    a = run(scen, seed, world=world, keep_model=True)
    b = run(scen, seed, world=world, keep_model=True, resident_agents=False)
    assert a.log.to_jsonl() == b.log.to_jsonl()
    n = a.model.residents.n
    assert len(a.model.residents.agents) == n > 0
    assert len(a.model.agents_by_type.get(Resident, ())) == n
    assert b.model.residents.agents == [] and Resident not in b.model.agents_by_type
    # the units keep their relative identity order (dispatch breaks ties by it)
    ids = lambda m: [t.unique_id for t in m.teams]  # noqa: E731
    assert ids(a.model) == sorted(ids(a.model)) and ids(b.model) == sorted(ids(b.model))


def test_runs_without_resident_agents_log_the_same(drill, synthetic_world):
    """A batch worker skips the per-group Mesa agents: nothing in a run reads them."""
    for seed in (1, 2):
        _without_agents_same_log(drill, seed, synthetic_world)


def test_sampled_mangkhut_run_without_resident_agents_logs_the_same():
    from pathlib import Path

    from sim.batch.executor import BatchSpec, RunContext
    from sim.batch.montecarlo import design

    f = Path(__file__).resolve().parents[2] / "scenarios/typhoon/mangkhut_2018.yaml"
    ctx = RunContext(BatchSpec(f.read_text(), f.name, str(f.parent.resolve())))
    job = design(ctx.us, 3, 5)[2]
    _without_agents_same_log(ctx.us.realise(job.values), job.seed, ctx.world)
