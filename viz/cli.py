"""The visualiser's `jmsim` subcommands: drill, replay, aar, rerun-decisions, branch-compare, screenshot.

Registered on the main parser by `add_viz_commands` (one line in
`sim/cli.py`); each handler imports pygame only when it needs it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli_args import RUNS, SEED, WORKERS, help_for, number
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


def _refuse_foreign(out: Path) -> None:
    """Never overwrite a file jmsim did not write."""
    if out.exists():
        from viz.record import DrillRecord

        try:
            DrillRecord.load(out)
        except JmsimError:
            raise JmsimError(
                f"--out {out}: exists and is not a jmsim drill file; not overwritten"
            ) from None


def cmd_drill_headless(a: argparse.Namespace) -> int:
    """Play a scripted drill with no window and save its recording."""
    from viz.record import DrillRecord
    from viz.script import load_actions, run_script

    actions = load_actions(a.commands) if a.commands else []
    out = Path(a.out or f"{Path(a.scenario).stem}.drill.json")
    _refuse_foreign(out)
    s = run_script(a.scenario, actions, a.seed, commands_file=a.commands or "<none>", until=a.until)
    rec = DrillRecord.from_session(s, a.scenario).save(out)
    n_cmd = sum(1 for x in s.applied if type(x).__name__ == "Command")
    print(
        f"scripted drill: {len(s.applied)} actions ({n_cmd} commands) to T+{s.now:g} min, "
        f"{len(s.model.log)} events; saved to {rec}"
    )
    return 0


def cmd_drill(a: argparse.Namespace) -> int:
    """Open the drill window (live), or play a scripted drill headless."""
    if a.headless:
        if a.scenario is None:
            raise JmsimError("drill --headless: give a scenario file")
        return cmd_drill_headless(a)
    if a.commands or a.out:
        raise JmsimError("drill: --commands and --out need --headless")
    require_display("drill")
    if a.join is not None:
        return cmd_join(a)
    if a.scenario is None:
        raise JmsimError("drill: give a scenario file (or --join HOST:PORT to take a seat)")
    from viz.app import DrillApp

    app = DrillApp(a.scenario, a.seed, record_path=a.record, size=a.size)
    if a.serve is not None:
        from viz.seats.server import SeatServer, parse_address

        host, port = parse_address(a.serve or None)
        app.server = SeatServer(app.session.scenario, host, port)
        host, port = app.server.start()
        print(f"serving trainee seats on {host}:{port}, token {app.server.token}")
        for role in app.server.roles:
            print(f"  jmsim drill --join {host}:{port} --token {app.server.token} --role {role}")
    try:
        out = app.run()
    finally:
        if app.server is not None:
            app.server.stop()
    print(f"drill saved to {out}")
    return 0


def cmd_join(a: argparse.Namespace) -> int:
    """Take a trainee seat in a served drill (own pygame window)."""
    from viz.seats.client import SeatClient
    from viz.seats.server import parse_address
    from viz.seats.window import SeatWindow

    if not a.token or not a.role:
        raise JmsimError("drill --join: give --token T and --role ROLE (printed by the trainer)")
    host, port = parse_address(a.join)
    client = SeatClient(host, port, a.token, a.role)
    SeatWindow(client, size=a.size).run()
    return 0


def _verify_or_rerecord(a: argparse.Namespace, rec, scen_path: Path) -> int:
    """Replay headless; say whether the log is the recorded one (and why not), or re-record."""
    from sim.run import load_world
    from sim.scenario import load_scenario
    from sim.session import replay
    from viz.record import DrillRecord, free_path, replay_verdict

    print(
        f"{a.file}: recorded {rec.created or '(date unknown)'} with jmsim "
        f"{rec.engine_version or '?'}, engine "
        f"{rec.engine_sha256[:12] or '(no fingerprint: older recording)'}, scenario "
        f"{Path(rec.scenario).name} sha256 {rec.scenario_sha256[:12]} (unchanged), seed {rec.seed}"
    )
    scen = load_scenario(scen_path)
    sess = replay(scen, rec.seed, rec.actions, load_world(scen), until=rec.ended_at_min)
    got = sess.model.log.digest()
    same, why = replay_verdict(rec, got)
    print(
        f"replayed {len(rec.actions)} actions to T+{rec.ended_at_min:g} min: "
        f"{len(sess.model.log)} events, sha256 {got[:16]}… {why}"
    )
    if a.rerecord is None:
        return 0 if same else 1
    src = Path(a.file)
    out = Path(a.rerecord) if a.rerecord else free_path(src.with_name(
        src.name.removesuffix(".drill.json") + ".rerecorded.drill.json"))  # fmt: skip
    if out.resolve() == src.resolve():
        raise JmsimError(f"--rerecord {out}: is the recording itself; give a new file name")
    _refuse_foreign(out)
    new = DrillRecord.from_session(sess, scen_path)
    new.scenario, new.branch, new.title = rec.scenario, rec.branch, rec.title
    new.rerecorded_from = {
        "file": str(src),
        "event_log_sha256": rec.event_log_sha256,
        "engine_sha256": rec.engine_sha256,
        "engine_version": rec.engine_version,
        "created": rec.created,
    }
    new.save(out)
    print(f"re-recorded with this engine ({new.engine_sha256[:12]}) to {out}; {src} kept")
    return 0


def cmd_replay(a: argparse.Namespace) -> int:
    """Verify (headless) or open a recorded drill, optionally at a time or as a branch."""
    from viz.record import DrillRecord

    rec = DrillRecord.load(a.file)
    scen_path = rec.scenario_path(a.file)
    if a.verify or a.rerecord is not None:
        return _verify_or_rerecord(a, rec, scen_path)
    from sim.scenario import load_scenario

    end = load_scenario(scen_path).duration_min
    for flag, t in (("--at", a.at), ("--branch-at", a.branch_at)):
        if t is not None and not 0 <= t <= end:
            raise JmsimError(
                f"{a.file}: {flag}={t:g}; expected 0..{end:g} (scenario minutes of the drill)"
            )
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

    out = build_aar(a.file, a.out, snapshots=a.snapshots, pdf=a.pdf)
    print(f"wrote {out}" + (f" and {a.pdf}" if a.pdf else ""))
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
        table, info = rerun_decisions(
            a.file,
            a.runs,
            baseline=not a.no_baseline,
            workers=a.workers,
            scheduler=a.scheduler,
            progress=progress,
        )
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
    from viz.compare import compare_drills, differing_decisions, format_compare

    print(format_compare(compare_drills(a.files, until=a.until)))
    diff = differing_decisions(a.files)
    print("\n# decisions that differ between the branches" + ("" if diff else ": none"))
    for line in diff:
        print(f"- {line}")
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
        roster=a.roster,
        legend=a.legend,
    )
    print(f"wrote {a.out}")
    return 0


SIZE_HELP = "window size WIDTHxHEIGHT in pixels"


def add_viz_commands(sub) -> None:
    """Register the visualiser subcommands on `jmsim`'s subparsers."""
    d = sub.add_parser("drill", help="open the drill window (pygame)")
    d.add_argument("scenario", nargs="?", help="scenario YAML file")
    d.add_argument("--seed", type=SEED, help=help_for("engine seed (default: the file's)", SEED))
    d.add_argument(
        "--serve",
        nargs="?",
        const="",
        metavar="[HOST:]PORT",
        help="serve trainee seats (default 127.0.0.1:8765; loopback unless a host is given)",
    )
    d.add_argument("--join", metavar="HOST:PORT", help="take a trainee seat in a served drill")
    d.add_argument("--token", help="join token printed by the trainer (--join)")
    d.add_argument("--role", help="seat role (--join), e.g. operations or public_info")
    d.add_argument("--record", help="drill file to save (default SCENARIO_ID.seedS.drill.json)")
    d.add_argument("--size", type=_size, default=(1440, 900), help=SIZE_HELP)
    d.add_argument(
        "--headless", action="store_true", help="no window: play --commands and save --out"
    )
    d.add_argument(
        "--commands", help="YAML of timed commands/injects (the records a recording stores)"
    )
    d.add_argument("--out", help="drill recording to write (headless)")
    d.add_argument(
        "--until",
        type=MINUTE,
        help="headless: stop at this scenario minute (default: end)",
    )
    d.set_defaults(fn=cmd_drill)

    r = sub.add_parser("replay", help="replay a recorded drill (window, or --verify headless)")
    r.add_argument("file")
    r.add_argument(
        "--verify", action="store_true", help="check the replayed event log is identical; no window"
    )
    r.add_argument(
        "--rerecord",
        nargs="?",
        const="",
        metavar="OUT",
        help="save the same actions as a new recording with this engine's log "
        "(default NAME.rerecorded.drill.json; the original is kept)",
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
    a.add_argument("--pdf", help="also write the report as a PDF hand-out")
    a.set_defaults(fn=cmd_aar)

    rr = sub.add_parser(
        "rerun-decisions", help="the drill's decisions over other hazard realisations"
    )
    rr.add_argument("file")
    rr.add_argument("--runs", type=RUNS, default=100, help=help_for("hazard realisations", RUNS))
    rr.add_argument(
        "--baseline",
        action="store_true",
        help="(default) also run the seeds without the trainee commands: paired differences",
    )
    rr.add_argument(
        "--no-baseline", action="store_true", help="skip the runs without the trainee commands"
    )
    rr.add_argument(
        "--workers", type=WORKERS, default=1, help=help_for("local worker processes", WORKERS)
    )
    rr.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
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
    s.add_argument(
        "--roster",
        choices=["all", "busy", "available", "out of service"],
        help="show the unit roster with this filter",
    )
    s.add_argument("--legend", action="store_true", help="show the map legend")
    s.set_defaults(fn=cmd_screenshot)
