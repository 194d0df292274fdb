"""Chemical-scenario fixtures: the Jiangmen world (loaded once) and scenario builders."""

from pathlib import Path

import pytest
import yaml

SCEN = Path(__file__).resolve().parents[2] / "scenarios" / "chemical"


@pytest.fixture(scope="session")
def jm_world():
    from sim.world import load_jiangmen

    return load_jiangmen()


@pytest.fixture(scope="session")
def chem_scenario():
    """Build a validated chemical scenario from a shipped file with dotted-path overrides."""
    from sim.scenario.loader import validate_scenario_dict

    def build(name: str, **over):
        d = yaml.safe_load((SCEN / f"{name}.yaml").read_text(encoding="utf-8"))
        for path, value in over.items():
            cur = d
            keys = path.split("__")
            for k in keys[:-1]:
                cur = cur[k]
            cur[keys[-1]] = value
        # A run cut short cannot hold the MSEL's later injects (validation refuses an
        # inject after the end): keep only those inside the shortened exercise.
        end_min = float(d["scenario"]["duration_h"]) * 60.0
        d["msel"] = [i for i in d.get("msel") or [] if float(i["at_min"]) <= end_min]
        return validate_scenario_dict(d, name)

    return build
