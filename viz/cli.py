"""The visualiser's `jmsim` subcommands: drill, replay, aar, rerun-decisions, branch-compare, screenshot.

Registered on the main parser by `add_viz_commands` (one line in
`sim/cli.py`); each handler imports pygame only when it needs it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli_args import RUNS, SEED, help_for, number
from sim.errors import JmsimError

#: A scenario minute (the schema caps scenarios at 10 years).
MINUTE = number(float, 0, 10 * 366 * 24 * 60, "min")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--size={text!r}; expected WIDTHxHEIGHT, e.g. 1440x900"
        ) from None
    if not (640 <= w <= 8000 and 480 <= h <= 8000):
        raise argparse.ArgumentTypeError(f"--size={text!r}; expected 640..8000 x 480..8000 pixels")
    return w, h


def _latlon(text: str) -> tuple[float, float]:
    try:
        lat, lon = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--center={text!r}; expected LAT,LON e.g. 22.58,113.08"
        ) from None
    return lat, lon


def require_display(command: str) -> None:
    """Fail fast when no window can open (else pygame runs invisibly until killed).

    A display is an X11 or Wayland session, or SDL's headless drivers chosen on
    purpose (`SDL_VIDEODRIVER=dummy` or `offscreen`, e.g. for tests and recordings).
    """
    import os

    if os.environ.get("SDL_VIDEODRIVER", "").lower() in ("dummy", "offscreen"):
        return
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        raise JmsimError(
            f"{command}: no display (DISPLAY and WAYLAND_DISPLAY are unset); run it in a "
            "desktop session, or set SDL_VIDEODRIVER=dummy to run without a window"
        )


def cmd_drill(a: argparse.Namespace) -> int:
    """Open the drill window (live)."""
    require_display("drill")
    from viz.app import DrillApp

    app = DrillApp(a.scenario, a.seed, record_path=a.record, size=a.size)
    out = app.run()
    print(f"drill saved to {out}")
    return 0


def cmd_replay(a: argparse.Namespace) -> int:
    """Verify (headless) or open a recorded drill, optionally at a time or as a branch."""
    from viz.record import DrillRecord

    rec = DrillRecord.load(a.file)
    scen_path = rec.scenario_path(a.file)
    if a.verify:
        from sim.run import load_world
        from sim.scenario import load_scenario
        from sim.session import replay

        scen = load_scenario(scen_path)
        sess = replay(scen, rec.seed, rec.actions, load_world(scen), until=rec.ended_at_min)
        got = sess.model.log.digest()
        same = got == rec.event_log_sha256
        print(
            f"replayed {len(rec.actions)} actions to T+{rec.ended_at_min:g} min: {len(sess.model.log)} events, "
            f"sha256 {got[:16]}… {'IDENTICAL to' if same else 'DIFFERS from'} the recorded log"
        )
        return 0 if same else 1
    require_display("replay")
    from viz.app import DrillApp

    app = DrillApp(scen_path, record=rec, record_path=a.record or a.file, size=a.size)
    if a.at is not None:
        app.jump_to(a.at)
    if a.branch_at is not None:
        app.jump_to(a.branch_at)
        app.branch_here()
    out = app.run()
    print(f"drill saved to {out}")
    return 0


def cmd_aar(a: argparse.Namespace) -> int:
    """Write the after-action report draft."""
    from viz.aar import build_aar

    out = build_aar(a.file, a.out, snapshots=a.snapshots)
    print(f"wrote {out}")
    return 0


def cmd_rerun(a: argparse.Namespace) -> int:
    """Replay the recorded decisions over other hazard realisations."""
    from tqdm import tqdm

    from sim.batch.executor import show_progress
    from viz.rerun import format_rerun, rerun_decisions

    bar = tqdm(total=None, unit="run", disable=not show_progress(a.progress))

    def progress(k: int, n: int) -> None:
        bar.total = n
        bar.update(k - bar.n)

    try:
        table, info = rerun_decisions(a.file, a.runs, baseline=a.baseline, progress=progress)
    finally:
        bar.close()
    print(format_rerun(table, info))
    if a.out:
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(a.out, index=False)
        print(f"# table written to {a.out}")
    return 0


def cmd_compare(a: argparse.Namespace) -> int:
    """Side-by-side indicators of drill files (branches)."""
    from viz.compare import compare_drills, format_compare

    print(format_compare(compare_drills(a.files, until=a.until)))
    return 0


def cmd_screenshot(a: argparse.Namespace) -> int:
    """PNG of a scenario or drill at a time."""
    from viz.screenshot import screenshot

    if a.scenario is None and a.drill is None:
        raise JmsimError("screenshot: give a scenario file or --drill FILE")
    screenshot(
        a.scenario,
        a.at_min,
        a.out,
        seed=a.seed,
        drill=a.drill,
        size=a.size,
        center=a.center,
        zoom=a.zoom,
        layers=a.layers,
    )
    print(f"wrote {a.out}")
    return 0


SIZE_HELP = "window size WIDTHxHEIGHT in pixels"


def add_viz_commands(sub) -> None:
    """Register the visualiser subcommands on `jmsim`'s subparsers."""
    d = sub.add_parser("drill", help="open the drill window (pygame)")
    d.add_argument("scenario", help="scenario YAML file")
    d.add_argument("--seed", type=SEED, help=help_for("engine seed (default: the file's)", SEED))
    d.add_argument("--record", help="drill file to save (default SCENARIO_ID.seedS.drill.json)")
    d.add_argument("--size", type=_size, default=(1440, 900), help=SIZE_HELP)
    d.set_defaults(fn=cmd_drill)

    r = sub.add_parser("replay", help="replay a recorded drill (window, or --verify headless)")
    r.add_argument("file")
    r.add_argument(
        "--verify", action="store_true", help="check the replayed event log is identical; no window"
    )
    r.add_argument("--at", type=MINUTE, help=help_for("open at this scenario minute", MINUTE))
    r.add_argument(
        "--branch-at",
        type=MINUTE,
        help=help_for("branch at this minute: later recorded actions dropped", MINUTE),
    )
    r.add_argument(
        "--record", help="where to save (default: the file; branches get a .branchT name)"
    )
    r.add_argument("--size", type=_size, default=(1440, 900), help=SIZE_HELP)
    r.set_defaults(fn=cmd_replay)

    a = sub.add_parser("aar", help="after-action report draft (HTML) of a recorded drill")
    a.add_argument("file")
    a.add_argument("--out", default="aar.html", help="HTML file to write")
    snaps = number(int, 0, 50, "snapshots")
    a.add_argument("--snapshots", type=snaps, default=3, help=help_for("map snapshots", snaps))
    a.set_defaults(fn=cmd_aar)

    rr = sub.add_parser(
        "rerun-decisions", help="the drill's decisions over other hazard realisations"
    )
    rr.add_argument("file")
    rr.add_argument("--runs", type=RUNS, default=100, help=help_for("hazard realisations", RUNS))
    rr.add_argument(
        "--baseline", action="store_true", help="also run the seeds without the trainee commands"
    )
    rr.add_argument("--out", help="CSV of the table")
    rr.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar (default: only on a terminal)",
    )
    rr.set_defaults(fn=cmd_rerun)

    c = sub.add_parser("branch-compare", help="side-by-side indicators of drill branches")
    c.add_argument("files", nargs="+")
    c.add_argument(
        "--until",
        type=MINUTE,
        help=help_for("scenario minute to compare at (default: end)", MINUTE),
    )
    c.set_defaults(fn=cmd_compare)

    s = sub.add_parser("screenshot", help="PNG of a scenario or recorded drill at a time")
    s.add_argument("scenario", nargs="?")
    s.add_argument("--drill", help="a recorded drill file instead of a scenario")
    s.add_argument("--at-min", type=MINUTE, default=0.0, help=help_for("scenario minute", MINUTE))
    s.add_argument("--out", required=True, help="PNG file to write")
    s.add_argument("--seed", type=SEED, help=help_for("engine seed (default: the file's)", SEED))
    s.add_argument("--size", type=_size, default=(1440, 900), help=SIZE_HELP)
    s.add_argument("--center", type=_latlon, help="LAT,LON to centre on")
    zoom = number(float, 0, 64, "px/px", lo_open=True)
    s.add_argument("--zoom", type=zoom, help=help_for("screen pixels per base-map pixel", zoom))
    s.add_argument(
        "--layers", default="default", help="hazard layers: default, all, none or a layer name"
    )
    s.set_defaults(fn=cmd_screenshot)
