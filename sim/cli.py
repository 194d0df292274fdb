"""`jmsim`: the command line of the drill engine.

Every user error ends as one clear line on stderr and exit code 2; no
traceback. Results are written to a staging directory and moved into place
only when complete, so an interrupted command leaves nothing half-written.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
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
    """Run a scenario (N runs, uncertain inputs sampled), print the scorecard, write results."""
    from sim.batch.commands import cmd_run as batch_run

    return batch_run(a)


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


def cmd_golden(a: argparse.Namespace) -> int:
    """Check (or with --update rewrite) the golden seeded scorecards."""
    from sim import golden

    root = Path(__file__).resolve().parents[1]
    if a.files:
        targets = []
        for f in a.files:
            f = Path(f)
            have = sorted((f.parent / "golden").glob(f"{f.stem}.seed*.csv"))
            seeds = [golden.scenario_of(g)[1] for g in have] or [a.seed]
            targets += [(f, s) for s in ([a.seed] if a.seed is not None else seeds)]
    else:
        targets = [golden.scenario_of(g) for g in golden.golden_files(root)]
    bad = 0
    for f, seed in targets:
        if seed is None:
            raise JmsimError(f"{f}: no golden yet; give --seed to create one")
        if a.update:
            print(f"wrote {golden.write(f, seed)}")
            continue
        diffs = golden.differences(
            golden.read(golden.golden_path(f, seed)), golden.compute(f, seed)
        )
        bad += bool(diffs)
        print(f"{f} seed {seed}: {'ok' if not diffs else 'DIFFERS'}")
        for d in diffs:
            print(f"    {d}")
    return 1 if bad else 0


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
    from sim.batch.commands import add_run_options, add_subcommands

    add_run_options(r)
    r.set_defaults(fn=cmd_run)
    add_subcommands(sub)
    from sim.batch.advise import add_advise

    add_advise(sub)

    v = sub.add_parser("validate", help="check scenario files")
    v.add_argument("files", nargs="+")
    v.set_defaults(fn=cmd_validate)

    g = sub.add_parser("golden", help="check or rewrite golden seeded scorecards")
    g.add_argument("files", nargs="*", help="scenario files (default: every committed golden)")
    g.add_argument("--seed", type=int)
    g.add_argument("--update", action="store_true", help="rewrite after an intended change")
    g.set_defaults(fn=cmd_golden)

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
    from viz.cli import add_viz_commands  # drill, replay, aar, rerun-decisions, screenshot

    add_viz_commands(sub)
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
    except BrokenPipeError:  # output piped into `head` etc.: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
