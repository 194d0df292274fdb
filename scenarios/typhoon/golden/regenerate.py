"""Regenerate the golden scorecards: ``python scenarios/typhoon/golden/regenerate.py``.

Each file is the scorecard of ``jmsim run <scenario> --seed 1``, floats rounded to 6
significant digits; `tests/typhoon/test_ty_golden.py` recomputes and compares them.
Regenerate only after an intended change in the engine or the typhoon model.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
SCENARIOS = ("mangkhut_2018", "hato_2017", "higos_2020", "mangkhut_stress_west30")
SEED = 1
COLUMNS = ["id", "year", "target", "estimate", "ci_low", "ci_high", "n", "verdict"]


def scorecard(stem: str, seed: int = SEED):
    """Scorecard of one shipped scenario at `seed`, as `jmsim run` computes it."""
    from sim.indicators.scorecard import build_scorecard
    from sim.run import load_world, run
    from sim.scenario import load_scenario

    scen = load_scenario(HERE.parent / f"{stem}.yaml")
    world = load_world(scen)
    res = run(scen, seed, world=world)
    return scen, build_scorecard(scen, res.events(), world)


def rounded(card):
    """The golden columns with floats rounded to 6 significant digits."""
    g = card[COLUMNS].copy()
    for c in ("estimate", "ci_low", "ci_high"):
        g[c] = g[c].map(lambda v: float(f"{v:.6g}") if v == v else v)
    return g


def main() -> None:
    """Write one golden CSV per shipped scenario."""
    for stem in SCENARIOS:
        scen, card = scorecard(stem)
        path = HERE / f"{scen.scenario.id}.seed{SEED}.csv"
        rounded(card).to_csv(path, index=False)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
