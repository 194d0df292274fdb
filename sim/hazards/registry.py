"""Hazard plug-ins: how `sim` finds hazards it knows nothing about.

A hazard package registers itself under the `jmsim.hazards` entry-point group
(see pyproject.toml) with an object exposing `params_model` (a pydantic model
of its YAML block) and `build(scenario, world, streams)` returning a `Hazard`.
The engine only sees the `Hazard` protocol, like a socket that takes any plug.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from typing import Any, Protocol

from pydantic import BaseModel


class HazardPlugin(Protocol):
    """What a hazard package provides to the engine."""

    name: str
    params_model: type[BaseModel]

    def build(self, scenario: Any, world: Any, streams: Any) -> Any:
        """Create the run-time hazard object for one run."""
        ...


@cache
def plugins() -> dict[str, HazardPlugin]:
    """All installed hazard plug-ins by name (built-in `scripted` included)."""
    from sim.hazards.scripted import PLUGIN as scripted

    found: dict[str, HazardPlugin] = {"scripted": scripted}
    for ep in entry_points(group="jmsim.hazards"):
        found[ep.name] = ep.load()
    return found


def get_plugin(name: str) -> HazardPlugin:
    """The plug-in for hazard type `name`, or KeyError listing what exists."""
    table = plugins()
    if name not in table:
        raise KeyError(f"unknown hazard type {name!r}; installed: {sorted(table)}")
    return table[name]
