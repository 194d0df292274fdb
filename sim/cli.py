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

from sim.cli_args import RUNS, SEED, OneLineParser, help_for, number
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
    if out.is_dir():
        raise JmsimError(f"--out {out}: is a directory; expected a PNG file name")
    if not out.parent.is_dir():
        raise JmsimError(
            f"--out {out}: folder {out.parent} does not exist; create it first or choose another"
        )
    draw_world(load_jiangmen(), out)
    print(f"wrote {out}")
    return 0


# -- calculators -----------------------------------------------------------------------
def cmd_erlang(a: argparse.Namespace) -> int:
    """Simulate M/M/c through the dispatch machinery and compare with Erlang C."""
    import gc

    from sim.calc.erlang import erlang_check

    # A one-shot process around a run that makes no reference cycles (tested in
    # tests/engine/test_eng_queue_model.py): the cyclic collector has nothing to find.
    # Left on, its first pass after the run re-scans the whole log (~0.13 s at 10,000 h),
    # and its final pass at exit again (~0.1 s of a 0.5 s check): off, then frozen.
    gc.disable()
    res = erlang_check(a.arrivals_per_h, a.service_per_h, a.servers, a.hours, a.seed)
    gc.freeze()
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
            raise JmsimError(
                f"{f}: no golden yet; create one with `jmsim golden {f} --seed S --update`"
            )
        if a.update:
            print(f"wrote {golden.write(f, seed)}")
            continue
        if not golden.golden_path(f, seed).is_file():
            raise JmsimError(
                f"{f}: no golden for seed {seed} yet; create it with "
                f"`jmsim golden {f} --seed {seed} --update`"
            )
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
    p = OneLineParser(prog="jmsim", description="Jiangmen emergency drill engine")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run a scenario and print its scorecard")
    r.add_argument("scenario", help="scenario YAML file")
    r.add_argument("--seed", type=SEED, help=help_for("first engine seed; run k uses seed+k", SEED))
    r.add_argument("--runs", type=RUNS, help=help_for("number of runs (default: the file's)", RUNS))
    r.add_argument("--out", help="output directory (created by jmsim)")
    r.add_argument("--year", type=int, choices=(2023, 2025), help="indicator target year")
    r.add_argument("--force", action="store_true", help="replace an existing output directory")
    from sim.batch.commands import add_run_options, add_subcommands

    add_run_options(r)
    r.set_defaults(fn=cmd_run)
    add_subcommands(sub)
    from sim.batch.commands import add_advise

    add_advise(sub)

    v = sub.add_parser("validate", help="check scenario files")
    v.add_argument("files", nargs="+", help="scenario YAML files")
    v.set_defaults(fn=cmd_validate)

    g = sub.add_parser("golden", help="check or rewrite golden seeded scorecards")
    g.add_argument("files", nargs="*", help="scenario files (default: every committed golden)")
    g.add_argument("--seed", type=SEED, help=help_for("seed of the golden run", SEED))
    g.add_argument("--update", action="store_true", help="rewrite after an intended change")
    g.set_defaults(fn=cmd_golden)

    w = sub.add_parser("world", help="the embedded Jiangmen world")
    wsub = w.add_subparsers(dest="world_cmd", required=True)
    ws = wsub.add_parser("show", help="draw the world's layers")
    ws.add_argument("--out", default="jiangmen_world.png", help="PNG file to write")
    ws.set_defaults(fn=cmd_world_show)

    c = sub.add_parser("calc", help="stand-alone calculators")
    csub = c.add_subparsers(dest="calc_cmd", required=True)
    e = csub.add_parser("erlang-check", help="dispatch queue vs Erlang C")
    erlang = {
        "--arrivals-per-h": (number(float, 0, 10_000, "calls/h", lo_open=True), "arrival rate λ"),
        "--service-per-h": (number(float, 0, 10_000, "jobs/h", lo_open=True), "service rate μ"),
        "--servers": (number(int, 1, 1_000, "units"), "servers c"),
    }
    for flag, (typ, text) in erlang.items():
        e.add_argument(flag, type=typ, required=True, help=help_for(text, typ))
    hours = number(float, 0, 1e6, "h", lo_open=True)
    release = [  # the source and weather every chemical calculator needs
        ("chemical", str, True, "chemical name from the chemicals table", None),
        ("rate_kg_s", float, True, "release rate", number(float, 0, 10_000, "kg/s", lo_open=True)),
        ("wind_m_s", float, True, "10 m wind speed", number(float, 0, 50, "m/s", lo_open=True)),
        ("stability", str, True, "Pasquill-Gifford class A-F", None),
    ]
    e.add_argument("--hours", type=hours, default=2000.0, help=help_for("simulated time", hours))
    e.add_argument("--seed", type=SEED, default=0, help=help_for("engine seed", SEED))
    e.add_argument("--json", action="store_true", help="print JSON")
    e.set_defaults(fn=cmd_erlang)

    pct = "%"
    calcs = {
        "fire-ros": (
            "scenarios.forestfire.rothermel:calc_fire_ros",
            "Rothermel (1972) surface fire spread (Behave)",
            [
                ("fuel", str, True, "fuel model code (e.g. FM4, TU2) or Behave number", None),
                ("m1h", float, True, "1-h dead fuel moisture, percent",
                 number(float, 1, 60, pct, fraction_hint=True)),
                ("m10h", float, True, "10-h dead fuel moisture, percent",
                 number(float, 1, 60, pct, fraction_hint=True)),
                ("m100h", float, True, "100-h dead fuel moisture, percent",
                 number(float, 1, 60, pct, fraction_hint=True)),
                ("m_live_herb", float, True, "live herbaceous moisture, percent",
                 number(float, 30, 300, pct, fraction_hint=True)),
                ("m_live_woody", float, True, "live woody moisture, percent",
                 number(float, 30, 300, pct, fraction_hint=True)),
                ("midflame_wind_m_s", float, True, "midflame wind speed",
                 number(float, 0, 50, "m/s")),
                ("slope_pct", float, False, "slope, percent (rise/run x 100)",
                 number(float, 0, 200, pct)),
                ("wind_dir_deg_from_upslope", float, False,
                 "wind heading, degrees clockwise from upslope", number(float, 0, 360, "deg")),
            ],
        ),
        "plume": (
            "scenarios.chemical.zones:calc_plume",
            "Gaussian plume concentration at one receptor",
            [
                *release,
                ("x_m", float, True, "downwind distance",
                 number(float, 0, 100_000, "m", lo_open=True)),
                ("y_m", float, False, "crosswind offset", number(float, -100_000, 100_000, "m")),
                ("z_m", float, False, "receptor height", number(float, 0, 10_000, "m")),
                ("source_height_m", float, False, "source height", number(float, 0, 1_000, "m")),
                ("urban", "flag", False, "urban (Briggs urban) dispersion", None),
            ],
        ),
        "zones": (
            "scenarios.chemical.zones:calc_zones",
            "ALOHA-style AEGL threat-zone lengths",
            [
                *release,
                ("urban", "flag", False, "urban (Briggs urban) dispersion", None),
            ],
        ),
        "holland": (
            "scenarios.typhoon.windfield:calc_holland",
            "Holland (1980) gradient wind at one radius",
            [
                ("pc_hpa", float, True, "central pressure", number(float, 850, 1050, "hPa")),
                ("penv_hpa", float, True, "environmental pressure (> pc)",
                 number(float, 850, 1050, "hPa")),
                ("lat", float, True, "latitude", number(float, -90, 90, "deg")),
                ("rmax_km", float, True, "radius of maximum wind",
                 number(float, 0, 500, "km", lo_open=True)),
                ("b", float, True, "Holland B shape parameter", number(float, 0.5, 3.0)),
                ("r_km", float, True, "distance from the centre",
                 number(float, 0, 5_000, "km", lo_open=True)),
            ],
        ),
        "damage": (
            "scenarios.typhoon.damage:calc_damage",
            "Emanuel (2011) mean damage ratio",
            [
                ("wind_m_s", float, True, "1-min sustained wind", number(float, 0, 150, "m/s")),
                ("v_half_m_s", float, False, "wind of half damage (China: 112.8)",
                 number(float, 25.7, 500, "m/s", lo_open=True)),
            ],
        ),
    }  # fmt: skip
    for name, (path, about, args) in calcs.items():
        cp = csub.add_parser(name, help=about)
        for key, typ, req, text, checked in args:
            flag = "--" + key.replace("_", "-")
            if typ == "flag":
                cp.add_argument(flag, dest=key, action="store_true", default=None, help=text)
            else:
                t = checked or typ
                cp.add_argument(flag, dest=key, type=t, required=req, help=help_for(text, t))
        cp.add_argument("--json", action="store_true", help="print JSON")
        cp.set_defaults(fn=_calc(path, [k for k, *_ in args]))
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
    except JmsimError as e:  # incl. WorldError: a user GIS file (e.g. `world show`)
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
