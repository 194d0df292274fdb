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
def get_plugin(name: str) -> HazardPlugin:
    """The plug-in for hazard type `name` (loaded on first use), or KeyError."""
    if name == "scripted":
        from sim.hazards.scripted import PLUGIN

        return PLUGIN
    eps = {ep.name: ep for ep in entry_points(group="jmsim.hazards")}
    if name not in eps:
        raise KeyError(f"unknown hazard type {name!r}; installed: {sorted({'scripted', *eps})}")
    return eps[name].load()
