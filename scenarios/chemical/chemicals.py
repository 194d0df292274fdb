"""Chemical property and AEGL table for the Jiangmen chemical-park scenarios.

Think of this module as the substance card an ALOHA operator picks from a list:
molecular weight, normal boiling point, and the US EPA Acute Exposure Guideline
Levels (AEGL-1/2/3) for 10, 30 and 60 minute exposures.

The data live in ``data/chemicals.csv`` in long form (one value per row) so that
every number carries its own ``source`` and ``status`` column. ``status`` says
whether the number was confirmed against a stored copy of the cited source
while building the table, or recalled and still to be re-checked.

Validity limits:
    * ppm <-> mg/m3 uses the 25 degC, 1 atm molar volume 24.45 L/mol (EPA
      convention), ideal gas.
    * Gas density is ideal-gas at the given temperature and pressure; it ignores
      aerosol, humidity and non-ideal behaviour, which matter for flashing
      liquefied gases such as ammonia and chlorine.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

_DATA = Path(__file__).with_name("data") / "chemicals.csv"

#: Molar volume of an ideal gas at 25 degC and 1 atm, L/mol (EPA ppm conversion).
MOLAR_VOLUME_25C_L = 24.45
#: Molar mass of dry air, g/mol (GasDispersion.jl DRYAIR: 0.028960 kg/mol).
MW_AIR_G_MOL = 28.96
#: Universal gas constant, J/(mol K).
R_GAS = 8.31446261815324
#: AEGL exposure durations tabulated here, minutes.
AEGL_DURATIONS_MIN: tuple[int, ...] = (10, 30, 60)


@dataclass(frozen=True)
class Chemical:
    """One substance: physical properties and AEGLs.

    Attributes:
        name: Lower-case key, e.g. ``"chlorine"``.
        formula: Chemical formula.
        cas: CAS registry number.
        mw_g_mol: Molecular weight, g/mol.
        boiling_point_k: Normal boiling point, K.
        aegl_ppm: Mapping ``(tier, minutes) -> ppm`` for tiers 1-3 and
            durations 10/30/60 min; missing entries mean "not recommended".
        sources: Mapping ``property -> source text`` for every value.
        status: Mapping ``property -> verification status``.
    """

    name: str
    formula: str
    cas: str
    mw_g_mol: float
    boiling_point_k: float
    aegl_ppm: Mapping[tuple[int, int], float] = field(repr=False)
    sources: Mapping[str, str] = field(repr=False)
    status: Mapping[str, str] = field(repr=False)

    @property
    def relative_density(self) -> float:
        """Gas density relative to air at equal T and P (ideal gas: MW ratio)."""
        return self.mw_g_mol / MW_AIR_G_MOL

    def gas_density_kg_m3(
        self, temperature_k: float = 298.15, pressure_pa: float = 101325.0
    ) -> float:
        """Ideal-gas density of the pure vapour, kg/m3 (rho = P M / R T)."""
        if temperature_k <= 0 or pressure_pa <= 0:
            raise ValueError(
                f"temperature_k={temperature_k}, pressure_pa={pressure_pa}: both must be > 0"
            )
        return pressure_pa * self.mw_g_mol * 1e-3 / (R_GAS * temperature_k)

    def ppm_to_mg_m3(self, ppm: float):
        """Convert ppm (by volume) to mg/m3 at 25 degC: mg/m3 = ppm * MW / 24.45."""
        return ppm * self.mw_g_mol / MOLAR_VOLUME_25C_L

    def mg_m3_to_ppm(self, mg_m3: float):
        """Convert mg/m3 to ppm at 25 degC: ppm = mg/m3 * 24.45 / MW."""
        return mg_m3 * MOLAR_VOLUME_25C_L / self.mw_g_mol

    def aegl(self, tier: int, minutes: int = 60) -> float | None:
        """AEGL in ppm for ``tier`` (1-3) and duration (10, 30 or 60 min).

        Returns None when the EPA list gives no value (NR).
        """
        if tier not in (1, 2, 3):
            raise ValueError(f"tier={tier!r}: expected 1, 2 or 3")
        if minutes not in AEGL_DURATIONS_MIN:
            raise ValueError(f"minutes={minutes!r}: expected one of {AEGL_DURATIONS_MIN}")
        return self.aegl_ppm.get((tier, minutes))

    def aegl_mg_m3(self, tier: int, minutes: int = 60) -> float | None:
        """AEGL in mg/m3 (25 degC conversion), or None if not available."""
        ppm = self.aegl(tier, minutes)
        return None if ppm is None else self.ppm_to_mg_m3(ppm)


@cache
def _load() -> Mapping[str, Chemical]:
    raw: dict[str, dict[str, tuple[str, str, str]]] = {}
    with _DATA.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            raw.setdefault(row["chemical"], {})[row["property"]] = (
                row["value"],
                row["source"],
                row["status"],
            )
    table: dict[str, Chemical] = {}
    for name, props in raw.items():
        aegl: dict[tuple[int, int], float] = {}
        for key, (val, _, _) in props.items():
            if key.startswith("aegl") and val not in ("", "NR"):
                tier = int(key[4])
                minutes = int(key.split("_")[1].removesuffix("min"))
                aegl[(tier, minutes)] = float(val)
        table[name] = Chemical(
            name=name,
            formula=props["formula"][0],
            cas=props["cas"][0],
            mw_g_mol=float(props["mw_g_mol"][0]),
            boiling_point_k=float(props["boiling_point_k"][0]),
            aegl_ppm=MappingProxyType(aegl),
            sources=MappingProxyType({k: v[1] for k, v in props.items()}),
            status=MappingProxyType({k: v[2] for k, v in props.items()}),
        )
    return MappingProxyType(table)


def known_chemicals() -> list[str]:
    """Sorted names accepted by :func:`get_chemical`."""
    return sorted(_load())


def get_chemical(name: str | Chemical) -> Chemical:
    """Look up a chemical by name (case-insensitive; spaces/hyphens -> '_').

    Raises:
        ValueError: if the name is unknown; the message lists known names.
    """
    if isinstance(name, Chemical):
        return name
    key = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    table = _load()
    if key not in table:
        raise ValueError(f"chemical={name!r} is not known; expected one of {known_chemicals()}")
    return table[key]
