"""Standard surface fuel models: Anderson (1982) 13 and Scott & Burgan (2005) 40.

Values are transcribed from the US Forest Service Behave library
(``firelab/behave``, ``src/behave/fuelModels.cpp``, ``FuelModels::populateFuelModels``),
which in turn follows:

* Anderson, H.E. 1982. *Aids to determining fuel models for estimating fire
  behavior.* USDA For. Serv. Gen. Tech. Rep. INT-122 (models 1-13).
* Scott, J.H. and Burgan, R.E. 2005. *Standard fire behavior fuel models: a
  comprehensive set for use with Rothermel's surface fire spread model.*
  USDA For. Serv. Gen. Tech. Rep. RMRS-GTR-153 (models 101-204).

Units follow Behave's internal (imperial) base units:

* loads in lb/ft^2 (S&B40 loads are given in t/ac in GTR-153 and converted by
  Behave with the factor 2000/43560; the same factor is applied here),
* fuel-bed depth in ft,
* dead-fuel moisture of extinction as a fraction,
* heat content in Btu/lb,
* surface-area-to-volume ratios (SAVR) in ft^-1 (10-h = 109, 100-h = 30 are
  fixed in the Rothermel model, see :mod:`scenarios.forestfire.rothermel`).

Codes are those Behave users type: ``"FM1"`` ... ``"FM13"`` for Anderson's models
and ``"GR1"``, ``"GS4"``, ``"SH5"``, ``"TU1"``, ``"TL8"``, ``"SB1"`` ... for
Scott & Burgan's.  Bare numbers (``4``, ``"4"``, ``124``) are accepted as the
Behave fuel-model numbers.  Non-burnable models NB1, NB2, NB3, NB8, NB9
(numbers 91-93, 98, 99) are included with zero load.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "FuelModel",
    "FUEL_MODELS",
    "FUEL_MODEL_NUMBERS",
    "get_fuel_model",
    "valid_codes",
    "TONS_PER_ACRE_TO_LB_PER_FT2",
]

#: Behave's conversion of S&B40 loads from t/ac to lb/ft^2.
TONS_PER_ACRE_TO_LB_PER_FT2 = 2000.0 / 43560.0


@dataclass(frozen=True, slots=True)
class FuelModel:
    """One standard fire-behaviour fuel model (Behave base units).

    Attributes:
        number: Behave fuel-model number (1-13, 91-99, 101-204).
        code: Behave code, e.g. ``"FM4"`` or ``"GS4"``.
        name: Descriptive name as in Behave.
        depth_ft: Fuel-bed depth (ft).
        mx_dead: Dead-fuel moisture of extinction (fraction).
        heat_dead: Heat content of dead fuel (Btu/lb).
        heat_live: Heat content of live fuel (Btu/lb).
        load_1h: 1-h dead load (lb/ft^2).
        load_10h: 10-h dead load (lb/ft^2).
        load_100h: 100-h dead load (lb/ft^2).
        load_live_herb: Live herbaceous load (lb/ft^2).
        load_live_woody: Live woody load (lb/ft^2).
        savr_1h: 1-h SAVR (1/ft).
        savr_live_herb: Live herbaceous SAVR (1/ft).
        savr_live_woody: Live woody SAVR (1/ft).
        dynamic: True for S&B40 dynamic models (herb curing transfers load to dead).
    """

    number: int
    code: str
    name: str
    depth_ft: float
    mx_dead: float
    heat_dead: float
    heat_live: float
    load_1h: float
    load_10h: float
    load_100h: float
    load_live_herb: float
    load_live_woody: float
    savr_1h: float
    savr_live_herb: float
    savr_live_woody: float
    dynamic: bool

    @property
    def total_load(self) -> float:
        """Total fuel load (lb/ft^2)."""
        return (
            self.load_1h
            + self.load_10h
            + self.load_100h
            + self.load_live_herb
            + self.load_live_woody
        )

    @property
    def burnable(self) -> bool:
        """Whether the model carries fire (non-zero load)."""
        return self.total_load > 0.0

    @property
    def family(self) -> str:
        """Fuel-type family: FM (Anderson), NB, GR, GS, SH, TU, TL or SB."""
        return "".join(ch for ch in self.code if ch.isalpha())


_F = TONS_PER_ACRE_TO_LB_PER_FT2

# (number, code, name, depth, mx, hd, hl, w1, w10, w100, wherb, wwoody, s1, sherb, swoody, dynamic)
# Anderson-13 loads are in lb/ft^2 already; S&B40 loads in t/ac and scaled by _F.
_ANDERSON = [
    (1, "FM1", "Short grass [1]", 1.0, 0.12, 0.034, 0, 0, 0, 0, 3500),
    (2, "FM2", "Timber grass and understory [2]", 1.0, 0.15, 0.092, 0.046, 0.023, 0.023, 0, 3000),
    (3, "FM3", "Tall grass [3]", 2.5, 0.25, 0.138, 0, 0, 0, 0, 1500),
    (4, "FM4", "Chaparral [4]", 6.0, 0.20, 0.230, 0.184, 0.092, 0, 0.230, 2000),
    (5, "FM5", "Brush [5]", 2.0, 0.20, 0.046, 0.023, 0, 0, 0.092, 2000),
    (6, "FM6", "Dormant brush, hardwood slash [6]", 2.5, 0.25, 0.069, 0.115, 0.092, 0, 0, 1750),
    (7, "FM7", "Southern rough [7]", 2.5, 0.40, 0.052, 0.086, 0.069, 0, 0.017, 1750),
    (8, "FM8", "Short needle litter [8]", 0.2, 0.30, 0.069, 0.046, 0.115, 0, 0, 2000),
    (9, "FM9", "Long needle or hardwood litter [9]", 0.2, 0.25, 0.134, 0.019, 0.007, 0, 0, 2500),
    (10, "FM10", "Timber litter & understory [10]", 1.0, 0.25, 0.138, 0.092, 0.230, 0, 0.092, 2000),
    (11, "FM11", "Light logging slash [11]", 1.0, 0.15, 0.069, 0.207, 0.253, 0, 0, 1500),
    (12, "FM12", "Medium logging slash [12]", 2.3, 0.20, 0.184, 0.644, 0.759, 0, 0, 1500),
    (13, "FM13", "Heavy logging slash [13]", 3.0, 0.25, 0.322, 1.058, 1.288, 0, 0, 1500),
]

_NONBURNABLE = [
    (91, "NB1", "Urban, developed [91]"),
    (92, "NB2", "Snow, ice [92]"),
    (93, "NB3", "Agricultural [93]"),
    (98, "NB8", "Open water [98]"),
    (99, "NB9", "Bare ground [99]"),
]

# S&B40: (number, code, name, depth, mx, heat, w1, w10, w100, wherb, wwoody, s1, sherb, swoody)
# loads in t/ac.  GR6 is the only model with heat content 9000 Btu/lb.
# fmt: off
_SCOTT_BURGAN = [
    (101, "GR1", "Short, sparse, dry climate grass (D)", 0.4, 0.15, 8000, 0.1, 0, 0, 0.3, 0, 2200, 2000, 1500),
    (102, "GR2", "Low load, dry climate grass (D)", 1.0, 0.15, 8000, 0.1, 0, 0, 1.0, 0, 2000, 1800, 1500),
    (103, "GR3", "Low load, very coarse, humid climate grass (D)", 2.0, 0.3, 8000, 0.1, 0.4, 0, 1.5, 0, 1500, 1300, 1500),
    (104, "GR4", "Moderate load, dry climate grass (D)", 2.0, 0.15, 8000, 0.25, 0, 0, 1.9, 0, 2000, 1800, 1500),
    (105, "GR5", "Low load, humid climate grass (D)", 1.5, 0.4, 8000, 0.4, 0, 0, 2.5, 0, 1800, 1600, 1500),
    (106, "GR6", "Moderate load, humid climate grass (D)", 1.5, 0.4, 9000, 0.1, 0, 0, 3.4, 0, 2200, 2000, 1500),
    (107, "GR7", "High load, dry climate grass (D)", 3.0, 0.15, 8000, 1.0, 0, 0, 5.4, 0, 2000, 1800, 1500),
    (108, "GR8", "High load, very coarse, humid climate grass (D)", 4.0, 0.3, 8000, 0.5, 1.0, 0, 7.3, 0, 1500, 1300, 1500),
    (109, "GR9", "Very high load, humid climate grass (D)", 5.0, 0.4, 8000, 1.0, 1.0, 0, 9.0, 0, 1800, 1600, 1500),
    (121, "GS1", "Low load, dry climate grass-shrub (D)", 0.9, 0.15, 8000, 0.2, 0, 0, 0.5, 0.65, 2000, 1800, 1800),
    (122, "GS2", "Moderate load, dry climate grass-shrub (D)", 1.5, 0.15, 8000, 0.5, 0.5, 0, 0.6, 1.0, 2000, 1800, 1800),
    (123, "GS3", "Moderate load, humid climate grass-shrub (D)", 1.8, 0.4, 8000, 0.3, 0.25, 0, 1.45, 1.25, 1800, 1600, 1600),
    (124, "GS4", "High load, humid climate grass-shrub (D)", 2.1, 0.4, 8000, 1.9, 0.3, 0.1, 3.4, 7.1, 1800, 1600, 1600),
    (141, "SH1", "Low load, dry climate shrub (D)", 1.0, 0.15, 8000, 0.25, 0.25, 0, 0.15, 1.3, 2000, 1800, 1600),
    (142, "SH2", "Moderate load, dry climate shrub (S)", 1.0, 0.15, 8000, 1.35, 2.4, 0.75, 0, 3.85, 2000, 1800, 1600),
    (143, "SH3", "Moderate load, humid climate shrub (S)", 2.4, 0.4, 8000, 0.45, 3.0, 0, 0, 6.2, 1600, 1800, 1400),
    (144, "SH4", "Low load, humid climate timber-shrub (S)", 3.0, 0.3, 8000, 0.85, 1.15, 0.2, 0, 2.55, 2000, 1800, 1600),
    (145, "SH5", "High load, dry climate shrub (S)", 6.0, 0.15, 8000, 3.6, 2.1, 0, 0, 2.9, 750, 1800, 1600),
    (146, "SH6", "Low load, humid climate shrub (S)", 2.0, 0.3, 8000, 2.9, 1.45, 0, 0, 1.4, 750, 1800, 1600),
    (147, "SH7", "Very high load, dry climate shrub (S)", 6.0, 0.15, 8000, 3.5, 5.3, 2.2, 0, 3.4, 750, 1800, 1600),
    (148, "SH8", "High load, humid climate shrub (S)", 3.0, 0.4, 8000, 2.05, 3.4, 0.85, 0, 4.35, 750, 1800, 1600),
    (149, "SH9", "Very high load, humid climate shrub (D)", 4.4, 0.4, 8000, 4.5, 2.45, 0, 1.55, 7.0, 750, 1800, 1500),
    (161, "TU1", "Light load, dry climate timber-grass-shrub (D)", 0.6, 0.2, 8000, 0.2, 0.9, 1.5, 0.2, 0.9, 2000, 1800, 1600),
    (162, "TU2", "Moderate load, humid climate timber-shrub (S)", 1.0, 0.3, 8000, 0.95, 1.8, 1.25, 0, 0.2, 2000, 1800, 1600),
    (163, "TU3", "Moderate load, humid climate timber-grass-shrub (D)", 1.3, 0.3, 8000, 1.1, 0.15, 0.25, 0.65, 1.1, 1800, 1600, 1400),
    (164, "TU4", "Dwarf conifer understory (S)", 0.5, 0.12, 8000, 4.5, 0, 0, 0, 2.0, 2300, 1800, 2000),
    (165, "TU5", "Very high load, dry climate timber-shrub (S)", 1.0, 0.25, 8000, 4.0, 4.0, 3.0, 0, 3.0, 1500, 1800, 750),
    (181, "TL1", "Low load, compact conifer litter (S)", 0.2, 0.3, 8000, 1.0, 2.2, 3.6, 0, 0, 2000, 1800, 1600),
    (182, "TL2", "Low load broadleaf litter (S)", 0.2, 0.25, 8000, 1.4, 2.3, 2.2, 0, 0, 2000, 1800, 1600),
    (183, "TL3", "Moderate load conifer litter (S)", 0.3, 0.2, 8000, 0.5, 2.2, 2.8, 0, 0, 2000, 1800, 1600),
    (184, "TL4", "Small downed logs (S)", 0.4, 0.25, 8000, 0.5, 1.5, 4.2, 0, 0, 2000, 1800, 1600),
    # TL5 live-woody SAVR is 160 in Behave's table (no live load, so it has no effect).
    (185, "TL5", "High load conifer litter (S)", 0.6, 0.25, 8000, 1.15, 2.5, 4.4, 0, 0, 2000, 1800, 160),
    (186, "TL6", "High load broadleaf litter (S)", 0.3, 0.25, 8000, 2.4, 1.2, 1.2, 0, 0, 2000, 1800, 1600),
    (187, "TL7", "Large downed logs (S)", 0.4, 0.25, 8000, 0.3, 1.4, 8.1, 0, 0, 2000, 1800, 1600),
    (188, "TL8", "Long-needle litter (S)", 0.3, 0.35, 8000, 5.8, 1.4, 1.1, 0, 0, 1800, 1800, 1600),
    (189, "TL9", "Very high load broadleaf litter (S)", 0.6, 0.35, 8000, 6.65, 3.3, 4.15, 0, 0, 1800, 1800, 1600),
    (201, "SB1", "Low load activity fuel (S)", 1.0, 0.25, 8000, 1.5, 3.0, 11.0, 0, 0, 2000, 1800, 1600),
    (202, "SB2", "Moderate load activity or low load blowdown (S)", 1.0, 0.25, 8000, 4.5, 4.25, 4.0, 0, 0, 2000, 1800, 1600),
    (203, "SB3", "High load activity fuel or moderate load blowdown (S)", 1.2, 0.25, 8000, 5.5, 2.75, 3.0, 0, 0, 2000, 1800, 1600),
    (204, "SB4", "High load blowdown (S)", 2.7, 0.25, 8000, 5.25, 3.5, 5.25, 0, 0, 2000, 1800, 1600),
]
# fmt: on


def _build() -> dict[int, FuelModel]:
    models: dict[int, FuelModel] = {}
    for num, code, name, depth, mx, w1, w10, w100, wh, ww, s1 in _ANDERSON:
        models[num] = FuelModel(
            num, code, name, float(depth), float(mx), 8000.0, 8000.0,
            float(w1), float(w10), float(w100), float(wh), float(ww),
            float(s1), 1500.0, 1500.0, False,
        )  # fmt: skip
    for num, code, name in _NONBURNABLE:
        models[num] = FuelModel(
            num, code, name, 1.0, 0.10, 8000.0, 8000.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            1500.0, 1500.0, 1500.0, False,
        )  # fmt: skip
    for num, code, name, depth, mx, heat, w1, w10, w100, wh, ww, s1, sh, sw in _SCOTT_BURGAN:
        models[num] = FuelModel(
            num, code, name, float(depth), float(mx), float(heat), float(heat),
            w1 * _F, w10 * _F, w100 * _F, wh * _F, ww * _F,
            float(s1), float(sh), float(sw), True,
        )  # fmt: skip
    return models


#: All models keyed by Behave fuel-model number.
FUEL_MODEL_NUMBERS: dict[int, FuelModel] = _build()
#: All models keyed by upper-case code ("FM4", "GS4", "NB8", ...).
FUEL_MODELS: dict[str, FuelModel] = {m.code: m for m in FUEL_MODEL_NUMBERS.values()}


def valid_codes() -> list[str]:
    """Return all valid fuel-model codes, ordered by Behave number."""
    return [FUEL_MODEL_NUMBERS[n].code for n in sorted(FUEL_MODEL_NUMBERS)]


def get_fuel_model(code: str | int | FuelModel) -> FuelModel:
    """Look up a fuel model by Behave code or number.

    Args:
        code: ``"FM4"``, ``"fm4"``, ``"GS4"``, ``4``, ``"124"``, or a
            :class:`FuelModel` (returned unchanged).  A bare number is the Behave
            fuel-model number (1-13 Anderson, 101-204 Scott & Burgan,
            91-99 non-burnable).  ``"4"`` and ``"FM04"`` are accepted too.

    Returns:
        The matching :class:`FuelModel`.

    Raises:
        ValueError: If the code is unknown; the message lists the valid codes.
    """
    if isinstance(code, FuelModel):
        return code
    key: str | int = code
    if isinstance(code, bool):  # bool is an int subclass; refuse it explicitly
        key = str(code)
    elif isinstance(code, int):
        if code in FUEL_MODEL_NUMBERS:
            return FUEL_MODEL_NUMBERS[code]
    elif isinstance(code, str):
        s = code.strip().upper().replace(" ", "")
        if s.isdigit() and int(s) in FUEL_MODEL_NUMBERS:
            return FUEL_MODEL_NUMBERS[int(s)]
        if s in FUEL_MODELS:
            return FUEL_MODELS[s]
        # tolerate zero padding / separators: "FM04", "GS-4", "gr_1"
        alpha = "".join(ch for ch in s if ch.isalpha())
        digits = "".join(ch for ch in s if ch.isdigit())
        if alpha and digits:
            cand = f"{alpha}{int(digits)}"
            if cand in FUEL_MODELS:
                return FUEL_MODELS[cand]
    raise ValueError(
        f"unknown fuel model {key!r}; valid codes are: {', '.join(valid_codes())} "
        f"(or Behave numbers {', '.join(str(n) for n in sorted(FUEL_MODEL_NUMBERS))})"
    )
