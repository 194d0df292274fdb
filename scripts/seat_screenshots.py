"""Screenshots of a served drill: the trainer console and a trainee seat (SDL dummy driver).

Usage: .venv/bin/python scripts/seat_screenshots.py docs/img
Plays the scripted chlorine wind-shift drill to T+00:40 with one seat command,
then saves docs/img/drill_trainer_console.png and docs/img/drill_trainee_seat.png.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios/chemical/chlorine_zhuxi_windshift.yaml"


def main(out_dir: str) -> None:
    """Serve the drill, join two seats, give one command, save both views."""
    import tempfile

    from viz.app import DrillApp
    from viz.seats.client import SeatClient
    from viz.seats.server import SeatServer
    from viz.seats.window import SeatWindow

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    app = DrillApp(SCEN, record_path=tmp / "served.drill.json", display=False)
    app.server = SeatServer(app.session.scenario)
    host, port = app.server.start()
    ops = SeatClient(host, port, app.server.token, "operations")
    pub = SeatClient(host, port, app.server.token, "public_info")
    try:
        app.session.advance_to(31)
        fut = pub.command_async("order_shelter_in_place", {"zone": "aegl2"})
        while not fut.done():
            app.frame(0.0)
        app.session.advance_to(40)
        lat, lon = 22.42, 113.09
        app.view.center_on(*app.geom.ll_to_base(lat, lon), 4.0)
        app.server.push_every_s = 0.0
        app.server.residents_every_s = 0.0
        import time

        for _ in range(200):  # until the seat has the hazard field and the order zone
            app.frame(0.0)
            if (
                pub.hazards_seen
                and pub.residents_seen
                and pub.state.get("zones")
                and pub.state.get("t_min") == 40
            ):
                break
            time.sleep(0.01)
        app.screenshot(out / "drill_trainer_console.png")
        win = SeatWindow(pub, size=(1280, 800), display=False)
        win.view.center_on(*win.geom.ll_to_base(lat, lon), 3.5)
        win.message = fut.result()["text"]
        win.frame()
        import pygame

        pygame.image.save(win.canvas, str(out / "drill_trainee_seat.png"))
    finally:
        ops.close()
        pub.close()
        app.server.stop()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/img")
