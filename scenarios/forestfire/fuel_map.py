"""Land cover to fuel model for South China, and fireline production by fuel model.

**This mapping is an assumption**, not a survey: the standard Behave fuel
models describe North American fuel beds, and no published crosswalk from
Guangdong vegetation to Scott & Burgan (2005) models was found. The choices
follow the structure of the local vegetation as described in Chinese forestry
practice (Masson pine 马尾松 and eucalyptus 桉树 plantations rated highly
flammable, with a Dicranopteris fern 芒萁 / shrub understory; evergreen
broadleaf 常绿阔叶林, e.g. 木荷 Schima, planted as green firebreaks 生物防火林带
because it burns poorly) and the S&B40 descriptions of each model:

==========  ===================  =====  ===========================================
code        world class          model  why (Scott & Burgan 2005, RMRS-GTR-153)
==========  ===================  =====  ===========================================
0           water                NB8    open water
1           urban                NB1    urban / developed
2           farmland             NB3    agricultural (irrigated paddy; stubble ignored)
3           grass                GR5    low-load *humid-climate* grass (hill grass, Mx 40 %)
4           shrub                SH8    high-load humid-climate shrub (岗松/桃金娘 + fern)
5           broadleaf            TL6    moderate-load broadleaf litter (evergreen broadleaf)
6           masson pine          TU2    moderate-load humid-climate timber-shrub (pine + fern)
7           eucalyptus           TL9    very-high-load broadleaf litter (bark strips, leaves)
8           mixed forest         TL8    long-needle litter (pine-broadleaf mix)
==========  ===================  =====  ===========================================

Line production (sustained, 20-person crew, chains/hour, Type I / Type II) is the
NWCG IRPG table quoted in ``shared/reference/models.md`` (yumpu p.90). The table
is keyed by Anderson (1982) models; Scott & Burgan models are assigned to the
Anderson model with the closest fuel-bed structure (the crosswalk below is our
assumption, following Scott & Burgan 2005 Table 7 "original 13 analogue").
"""

from __future__ import annotations

import numpy as np

from .fuel_models import get_fuel_model

#: world.landcover code -> fuel model code (assumption; see module docstring).
LANDCOVER_FUEL: dict[int, str] = {
    0: "NB8",
    1: "NB1",
    2: "NB3",
    3: "GR5",
    4: "SH8",
    5: "TL6",
    6: "TU2",
    7: "TL9",
    8: "TL8",
}

#: Sustained line production of a 20-person crew, chains/hour (Type I, Type II).
#: NWCG IRPG (models.md §1 "Suppression"). FM9 has separate conifer/hardwood rows.
NWCG_LINE_CH_H: dict[str, tuple[float, float]] = {
    "FM1": (30, 18),
    "FM2": (24, 16),
    "FM3": (5, 3),
    "FM4": (5, 3),
    "FM5": (6, 4),
    "FM7": (4, 2),
    "FM8": (7, 5),
    "FM9c": (28, 16),
    "FM9h": (40, 24),
    "FM10": (6, 4),
    "FM11": (15, 9),
    "FM12": (7, 4),
    "FM13": (5, 3),
}

#: Fuel model -> row of the NWCG table (S&B crosswalk is an assumption).
_LINE_ROW: dict[str, str] = {
    **{f"FM{i}": f"FM{i}" for i in (1, 2, 3, 4, 5, 7, 8, 10, 11, 12, 13)},
    "FM6": "FM5",
    "FM9": "FM9c",
    "GR1": "FM1",
    "GR2": "FM1",
    "GR3": "FM1",
    "GR4": "FM3",
    "GR5": "FM3",
    "GR6": "FM3",
    "GR7": "FM3",
    "GR8": "FM3",
    "GR9": "FM3",
    **{f"GS{i}": "FM2" for i in range(1, 5)},
    **{f"SH{i}": "FM5" for i in (1, 2, 3, 4, 6)},
    **{f"SH{i}": "FM4" for i in (5, 7, 8, 9)},
    **{f"TU{i}": "FM10" for i in range(1, 6)},
    **{f"TL{i}": "FM8" for i in (1, 3, 4, 5, 7)},
    "TL2": "FM9h",
    "TL6": "FM9h",
    "TL9": "FM9h",
    "TL8": "FM9c",
    "SB1": "FM11",
    "SB2": "FM12",
    "SB3": "FM13",
    "SB4": "FM13",
}

CHAIN_M = 20.1168


def fuel_numbers_from_landcover(
    landcover: np.ndarray, mapping: dict[int, str] | None = None
) -> np.ndarray:
    """Behave fuel-model numbers for an array of world land-cover codes (vectorised lookup).

    Raises:
        ValueError: a code in ``mapping`` is not a known fuel model, or the grid
            holds a land-cover code the mapping does not cover.
    """
    table = np.zeros(256, dtype=np.int16)
    known = np.zeros(256, dtype=bool)
    for code, fuel in {**LANDCOVER_FUEL, **(mapping or {})}.items():
        try:
            table[int(code)] = get_fuel_model(fuel).number
        except (KeyError, ValueError) as e:
            raise ValueError(f"hazard.fuel_map[{code}]: {e}") from None
        known[int(code)] = True
    lc = np.asarray(landcover).astype(np.intp)
    bad = np.unique(lc[~known[lc]])
    if bad.size:
        raise ValueError(f"land-cover codes {bad.tolist()} have no fuel model in hazard.fuel_map")
    return table[lc]


def line_rate_m_min(fuel: str | int, crew: int, crew_type: int = 2) -> float:
    """Sustained fireline production (m/min) of a crew of ``crew`` people in ``fuel``.

    Scales the NWCG 20-person-crew rate linearly with crew size (an assumption:
    the table gives crew totals only). ``crew_type`` 1 = Type I (professional),
    2 = Type II (semi-professional, village). Non-burnable fuels return 0.
    """
    fm = get_fuel_model(fuel)
    if not fm.burnable:
        return 0.0
    row = _LINE_ROW.get(fm.code)
    if row is None:  # pragma: no cover - every S&B/Anderson code is mapped
        raise ValueError(f"no NWCG line-rate row for fuel model {fm.code}")
    ch_h = NWCG_LINE_CH_H[row][0 if crew_type == 1 else 1]
    return ch_h * CHAIN_M / 60.0 * crew / 20.0
