"""`jmsim`: the command line of the drill engine.

Every user error ends as one clear line on stderr and exit code 2; no
traceback. Results are written to a staging directory and moved into place
only when complete, so an interrupted command leaves nothing half-written.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from sim.errors import JmsimError, ScenarioError


def _json_default(o):
    if isinstance(o, float) and (math.isnan(o) or math.isinf(o)):
        return None
    if hasattr(o, "item"):
        return o.item()
    return str(o)


def _print_json(d: dict) -> None:
    clean = {
        k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()
    }
    print(json.dumps(clean, indent=2, ensure_ascii=False, default=_json_default))


# -- run ---------------------------------------------------------------------------
def cmd_run(a: argparse.Namespace) -> int:
    """Run a scenario (N seeds), print the scorecard, optionally write results."""
    import pandas as pd

    from sim.indicators.scorecard import build_scorecard, format_scorecard
    from sim.run import load_world, run
    from sim.scenario import load_scenario

    scen = load_scenario(a.scenario)
    out = Path(a.out) if a.out else None
    if out is not None and out.exists() and any(out.iterdir()) and not a.force:
        raise JmsimError(
            f"{out}: output directory exists and is not empty; use --force to replace it"
        )
    world = load_world(scen)
    seed0 = scen.run.seed if a.seed is None else a.seed
    runs = a.runs or scen.run.runs
    t0 = time.perf_counter()
    # keep the first run's model when writing results, so its hazard can draw figures
    results = [
        run(scen, seed0 + k, world=world, keep_model=(k == 0 and out is not None))
        for k in range(runs)
    ]
    wall = time.perf_counter() - t0
    events = pd.concat([r.events() for r in results], ignore_index=True)
    card = build_scorecard(scen, events, world, a.year)
    print(
        f"# {scen.scenario.title}  [{scen.scenario.id}]  runs={runs} seeds={seed0}..{seed0 + runs - 1}"
    )
    notes = sorted({v for r in results for v in r.validity})
    for v in notes:
        print(f"! model limit: {v}")
    print(format_scorecard(card))
    print(f"# {len(events)} events in {wall:.2f} s")
    if out is not None:
        _write_results(out, a, scen, results, events, card)
        print(f"# results written to {out}/")
    return 0


def _write_results(out: Path, a, scen, results, events, card) -> None:
    from importlib.metadata import version

    from sim.output import atomic_write_csv, atomic_write_json, atomic_write_parquet

    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        atomic_write_csv(card, stage / "scorecard.csv")
        atomic_write_json(stage / "scorecard.json", json.loads(card.to_json(orient="records")))
        atomic_write_parquet(events, stage / "events.parquet")
        first = results[0].model
        if first is not None and hasattr(first.hazard, "write_figures"):
            first.hazard.write_figures(stage)  # optional hook, e.g. the typhoon swath map
            results[0].model = None
        text = Path(a.scenario).read_bytes()
        import hashlib

        atomic_write_json(
            stage / "manifest.json",
            {
                "scenario": str(a.scenario),
                "scenario_sha256": hashlib.sha256(text).hexdigest(),
                "seeds": [r.seed for r in results],
                "event_log_sha256": {r.run_id: r.log.digest() for r in results},
                "command": sys.argv,
                "versions": {p: version(p) for p in ("jmsim", "mesa", "simpy", "numpy", "pandas")},
            },
        )
        if out.exists():
            shutil.rmtree(out)
        os.replace(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


# -- validate ------------------------------------------------------------------------
def cmd_validate(a: argparse.Namespace) -> int:
    """Validate scenario files; report every problem of each."""
    from sim.scenario import load_scenario

    bad = 0
    for f in a.files:
        try:
            s = load_scenario(f)
            print(f"{f}: ok ({s.scenario.hazard}: {s.scenario.title})")
        except ScenarioError as e:
            bad += 1
            print(e.full_report(), file=sys.stderr)
    return 2 if bad else 0


# -- world ---------------------------------------------------------------------------
def cmd_world_show(a: argparse.Namespace) -> int:
    """Draw the embedded world's layers to a PNG."""
    from sim.world import load_jiangmen
    from sim.world.plot import draw_world

    out = Path(a.out)
    draw_world(load_jiangmen(), out)
    print(f"wrote {out}")
    return 0


# -- calculators -----------------------------------------------------------------------
def cmd_erlang(a: argparse.Namespace) -> int:
    """Simulate M/M/c through the dispatch machinery and compare with Erlang C."""
    from sim.calc.erlang import erlang_check

    res = erlang_check(a.arrivals_per_h, a.service_per_h, a.servers, a.hours, a.seed)
    if a.json:
        _print_json(res)
    else:
        print(
            f"simulated Wq = {res['sim_wq_h']:.4f} h, Erlang C Wq = {res['erlang_wq_h']:.4f} h, "
            f"relative error {res['rel_error']:+.2%} over {res['incidents']} incidents"
        )
    return 0


def _calc(fn_path: str, keys: Sequence[str]):
    def handler(a: argparse.Namespace) -> int:
        import importlib

        mod, name = fn_path.split(":")
        fn = getattr(importlib.import_module(mod), name)
        res = fn(**{k: getattr(a, k) for k in keys if getattr(a, k) is not None})
        if a.json:
            _print_json(res)
        else:
            for k, v in res.items():
                print(f"{k}: {v}")
        return 0

    return handler


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by tests and docs)."""
    p = argparse.ArgumentParser(prog="jmsim", description="Jiangmen emergency drill engine")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run a scenario and print its scorecard")
    r.add_argument("scenario")
    r.add_argument("--seed", type=int)
    r.add_argument("--runs", type=int)
    r.add_argument("--out")
    r.add_argument("--year", type=int, choices=(2023, 2025))
    r.add_argument("--force", action="store_true", help="replace an existing output directory")
    r.set_defaults(fn=cmd_run)

    v = sub.add_parser("validate", help="check scenario files")
    v.add_argument("files", nargs="+")
    v.set_defaults(fn=cmd_validate)

    w = sub.add_parser("world", help="the embedded Jiangmen world")
    wsub = w.add_subparsers(dest="world_cmd", required=True)
    ws = wsub.add_parser("show", help="draw the world's layers")
    ws.add_argument("--out", default="jiangmen_world.png")
    ws.set_defaults(fn=cmd_world_show)

    c = sub.add_parser("calc", help="stand-alone calculators")
    csub = c.add_subparsers(dest="calc_cmd", required=True)
    e = csub.add_parser("erlang-check", help="dispatch queue vs Erlang C")
    e.add_argument("--arrivals-per-h", type=float, required=True)
    e.add_argument("--service-per-h", type=float, required=True)
    e.add_argument("--servers", type=int, required=True)
    e.add_argument("--hours", type=float, default=2000.0)
    e.add_argument("--seed", type=int, default=0)
    e.add_argument("--json", action="store_true")
    e.set_defaults(fn=cmd_erlang)

    calcs = {
        "fire-ros": (
            "scenarios.forestfire.rothermel:calc_fire_ros",
            [
                ("fuel", str, True),
                ("m1h", float, True),
                ("m10h", float, True),
                ("m100h", float, True),
                ("m_live_herb", float, True),
                ("m_live_woody", float, True),
                ("midflame_wind_m_s", float, True),
                ("slope_pct", float, False),
                ("wind_dir_deg_from_upslope", float, False),
            ],
        ),
        "plume": (
            "scenarios.chemical.zones:calc_plume",
            [
                ("chemical", str, True),
                ("rate_kg_s", float, True),
                ("wind_m_s", float, True),
                ("stability", str, True),
                ("x_m", float, True),
                ("y_m", float, False),
                ("z_m", float, False),
                ("source_height_m", float, False),
                ("urban", "flag", False),
            ],
        ),
        "zones": (
            "scenarios.chemical.zones:calc_zones",
            [
                ("chemical", str, True),
                ("rate_kg_s", float, True),
                ("wind_m_s", float, True),
                ("stability", str, True),
                ("urban", "flag", False),
            ],
        ),
        "holland": (
            "scenarios.typhoon.windfield:calc_holland",
            [
                ("pc_hpa", float, True),
                ("penv_hpa", float, True),
                ("lat", float, True),
                ("rmax_km", float, True),
                ("b", float, True),
                ("r_km", float, True),
            ],
        ),
        "damage": (
            "scenarios.typhoon.damage:calc_damage",
            [("wind_m_s", float, True), ("v_half_m_s", float, False)],
        ),
    }
    for name, (path, args) in calcs.items():
        cp = csub.add_parser(name)
        for key, typ, req in args:
            flag = "--" + key.replace("_", "-")
            if typ == "flag":
                cp.add_argument(flag, dest=key, action="store_true", default=None)
            else:
                cp.add_argument(flag, dest=key, type=typ, required=req)
        cp.add_argument("--json", action="store_true")
        cp.set_defaults(fn=_calc(path, [k for k, _, _ in args]))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, dispatch, turn user errors into one line and exit 2."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(args) or 0)
    except ScenarioError as e:
        print(f"error: {e.full_report()}", file=sys.stderr)
        return e.exit_code
    except JmsimError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
