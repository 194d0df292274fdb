"""`jmsim screenshot`: a PNG of a scenario (or a recorded drill) at a given time.

Renders off-screen with the same code as the drill window, so the README
images are exactly what trainers see.
"""

from __future__ import annotations

from pathlib import Path

from viz.record import DrillRecord


def screenshot(
    scenario_path: str | Path | None,
    at_min: float,
    out: str | Path,
    *,
    seed: int | None = None,
    drill: str | Path | None = None,
    size: tuple[int, int] = (1440, 900),
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
    layers: str = "default",
    world=None,
    roster: str | None = None,
    legend: bool = False,
):
    """Run to `at_min` and save the frame; returns the app (tests inspect it)."""
    from viz.app import DrillApp, headless

    headless()
    rec = DrillRecord.load(drill) if drill is not None else None
    if rec is not None:
        scenario_path = rec.scenario_path(drill)
    if scenario_path is None:
        raise ValueError("screenshot: give a scenario file or --drill FILE")
    app = DrillApp(scenario_path, seed, record=rec, world=world, display=False, size=size)
    if not 0 <= at_min <= app.session.end:
        raise ValueError(
            f"--at-min={at_min}; expected 0..{app.session.end:g} (the scenario duration)"
        )
    app.session.advance_to(at_min)
    app.overlay.mode = layers
    app.overlay.refresh(app.session.model.hazard, app.world, app.session.now, force=True)
    if center is not None or zoom is not None:
        lat, lon = (
            center
            if center is not None
            else app.geom.base_to_ll(app.geom.width / 2, app.geom.height / 2)
        )
        app.view.center_on(*app.geom.ll_to_base(lat, lon), zoom or app.view.zoom)
    app.paused = True
    app.roster_filter = roster
    app.show_legend = legend
    app.frame(0.0)
    app.screenshot(out)
    return app
