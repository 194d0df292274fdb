"""Embedded Jiangmen world: grid layers, places, facilities and routing for drills."""

from sim.world.errors import WorldError
from sim.world.grid import Grid
from sim.world.pack_io import load_jiangmen
from sim.world.routing import Route
from sim.world.world import World

__all__ = ["World", "Grid", "Route", "load_jiangmen", "WorldError"]
