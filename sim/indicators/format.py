"""One way to print an indicator value, shared by console, report.html and the AAR.

Shares print as percentages with as many decimals as it takes not to round a
non-100 % share up to "100.0 %" (40,662 of 40,672 is 99.975 %, not 100.0 %).
Every other unit prints with the unit attached, so a row reads the same everywhere.
"""

from __future__ import annotations

import math


def _bad(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _share(v: float) -> str:
    for d in range(1, 6):
        txt = f"{v * 100:.{d}f}"
        if (v < 1 and float(txt) < 100) and (v > 0 and float(txt) > 0) or v in (0.0, 1.0):
            return f"{txt} %"
    return f"{v * 100:.6f} %"


def fmt_value(v, unit: str, _hint=None) -> str:
    """`v` in `unit`, e.g. '99.975 %', '16.17 h', '0.421 ‰', '1,608 per 100k'."""
    if _bad(v):
        return "—"
    v = float(v)
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if unit == "share":
        return _share(v)
    if unit == "h":
        return f"{v:.2f} h"
    if unit in ("%", "‰"):
        return f"{v:.3g} {unit}"
    if abs(v) >= 1000:
        return f"{v:,.0f} {unit}"
    return f"{v:.3g} {unit}"


def fmt_ci(lo, hi, unit: str) -> str:
    """'[lo, hi]' in the row's unit."""
    return f"[{fmt_value(lo, unit)}, {fmt_value(hi, unit)}]"
