"""Scenario files: schema and loader."""

from sim.scenario.loader import load_scenario, parse_scenario, validate_scenario_dict
from sim.scenario.schema import Scenario

__all__ = ["Scenario", "load_scenario", "parse_scenario", "validate_scenario_dict"]
