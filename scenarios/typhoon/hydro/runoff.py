"""Rainfall excess by the SCS curve number method (USDA NRCS TR-55, 1986, chapter 2).

    S = 1000 / CN - 10  (in)      Ia = lambda S (lambda = 0.2)
    Q = (P - Ia)^2 / (P - Ia + S) for P > Ia, else 0                 (TR-55 eqs. 2-1 to 2-4)

The drill applies it to storm-cumulative rain on every cell and takes the increment per
tick, so excess starts once the initial abstraction is filled. Curve numbers per world
land-cover class come from TR-55 Table 2-2 (rows named in :data:`CN_TABLE_ROWS`); the world
has no soil map, so one hydrologic soil group (scenario setting, default C for the clayey
lateritic red soils of South China) applies everywhere (*approximate*).
"""

from __future__ import annotations

import numpy as np

MM_PER_IN = 25.4
SOIL_GROUPS = ("A", "B", "C", "D")
#: TR-55 Table 2-2a/2-2c curve numbers (AMC II) for soil groups A-D per world land-cover code.
CN_TABLE: dict[int, tuple[int, int, int, int]] = {
    0: (100, 100, 100, 100),  # water: all rain is excess
    1: (89, 92, 94, 95),  # urban: commercial and business, 85 % impervious
    2: (67, 78, 85, 89),  # farmland: row crops, straight row, good condition
    3: (39, 61, 74, 80),  # grass: pasture/grassland, good condition
    4: (30, 48, 65, 73),  # shrub: brush, good condition
    5: (30, 55, 70, 77),  # broadleaf forest: woods, good condition
    6: (30, 55, 70, 77),  # masson pine forest: woods, good
    7: (36, 60, 73, 79),  # eucalyptus plantation: woods, fair (sparser understorey)
    8: (30, 55, 70, 77),  # mixed forest: woods, good
}
CN_TABLE_ROWS = {
    0: "open water (runoff = rain)",
    1: "urban districts: commercial and business",
    2: "row crops, straight row, good",
    3: "pasture, grassland, or range, good",
    4: "brush, good",
    5: "woods, good",
    6: "woods, good",
    7: "woods, fair",
    8: "woods, good",
}


def potential_retention_in(cn: np.ndarray | float) -> np.ndarray:
    """S (inches) = 1000/CN - 10 (TR-55 eq. 2-4)."""
    return 1000.0 / np.asarray(cn, float) - 10.0


def scs_runoff_in(p_in: np.ndarray | float, cn: np.ndarray | float, lam: float = 0.2) -> np.ndarray:
    """Direct runoff Q (inches) from rain P (inches), TR-55 eq. 2-3 with Ia = lam S."""
    s = potential_retention_in(cn)
    p = np.asarray(p_in, float)
    pe = np.fmax(p - lam * s, 0.0)
    return np.where(pe > 0, pe * pe / np.where(pe + s > 0, pe + s, 1.0), 0.0)


def scs_runoff_mm(p_mm: np.ndarray | float, cn: np.ndarray | float, lam: float = 0.2) -> np.ndarray:
    """Same as :func:`scs_runoff_in` in millimetres."""
    return scs_runoff_in(np.asarray(p_mm, float) / MM_PER_IN, cn, lam) * MM_PER_IN


def weighted_cn(cns: list[float], fractions: list[float]) -> float:
    """Area-weighted composite CN (TR-55 worksheet 2 procedure)."""
    f = np.asarray(fractions, float)
    return float(np.dot(cns, f) / f.sum())


def curve_numbers(landcover: np.ndarray, soil_group: str = "C") -> np.ndarray:
    """CN grid for a land-cover grid (codes of ``sim.world.LANDCOVER_CLASSES``)."""
    if soil_group not in SOIL_GROUPS:
        raise ValueError(f"soil_group={soil_group!r}: expected one of {SOIL_GROUPS}")
    k = SOIL_GROUPS.index(soil_group)
    lut = np.full(256, 75.0)
    for code, row in CN_TABLE.items():
        lut[code] = row[k]
    return lut[np.asarray(landcover, np.uint8)]


class RunoffGrid:
    """Storm-cumulative rain → cumulative excess per cell; ``step`` returns this tick's excess."""

    def __init__(self, cn: np.ndarray, lam: float = 0.2) -> None:
        self.cn = np.clip(np.asarray(cn, float), 1.0, 100.0)
        self.lam = lam
        self.p_cum = np.zeros(self.cn.shape)
        self.q_cum = np.zeros(self.cn.shape)

    def step(self, rain_mm: np.ndarray) -> np.ndarray:
        """Excess (mm) produced by ``rain_mm`` fallen this tick."""
        self.p_cum += rain_mm
        q = np.where(self.cn >= 100.0, self.p_cum, scs_runoff_mm(self.p_cum, self.cn, self.lam))
        dq = np.fmax(q - self.q_cum, 0.0)
        self.q_cum = q
        return dq
