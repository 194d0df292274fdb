"""Embedded Jiangmen world: grid layers, places, facilities and routing for drills.

Names load on first use (PEP 562), so `from sim.world.errors import WorldError`
in the CLI does not pull the world's numpy/scipy/matplotlib stack into a
calculator's start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.world.errors import WorldError
    from sim.world.grid import Grid
    from sim.world.pack_io import load_jiangmen
    from sim.world.routing import Route
    from sim.world.world import World

__all__ = ["World", "Grid", "Route", "load_jiangmen", "WorldError"]

_WHERE = {
    "WorldError": "sim.world.errors",
    "Grid": "sim.world.grid",
    "load_jiangmen": "sim.world.pack_io",
    "Route": "sim.world.routing",
    "World": "sim.world.world",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'sim.world' has no attribute {name!r}")
