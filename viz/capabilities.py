"""HSEEP core-capability ratings of a drill, from the MSEL's expected actions.

HSEEP (2020) rates each capability exercised on four levels; here the rating
follows from the expected actions of the injects that name the capability:

* **P** performed without challenges: every expected action met on time;
* **S** performed with some challenges: all met, some late;
* **M** performed with major challenges: some met, some not;
* **U** unable to be performed: none met.

Evaluators may overrule a rating; the evidence behind each is listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from viz.msel import ExpectedRow

RATING_TEXT = {
    "P": "P - performed without challenges",
    "S": "S - performed with some challenges",
    "M": "M - performed with major challenges",
    "U": "U - unable to be performed",
}


@dataclass(frozen=True)
class CapabilityRating:
    """One capability's rating and the expected actions behind it."""

    capability: str
    rating: str  # P, S, M or U
    evidence: list[str]


def _evidence(r: ExpectedRow, hhmm) -> str:
    if r.status in ("on time", "late"):
        return (
            f"{r.inject_id} {r.action}: met {r.status} at {hhmm(r.done_t)} "
            f"(+{r.delay_min:.0f} of {r.within_min:.0f} min) via {r.how}"
        )
    return f"{r.inject_id} {r.action}: not met within {r.within_min:.0f} min"


def rate_capabilities(rows: list[ExpectedRow], hhmm=str) -> list[CapabilityRating]:
    """Ratings of the capabilities whose injects fired and whose deadlines have passed or were met."""
    by: dict[str, list[ExpectedRow]] = {}
    for r in rows:
        if r.status in ("not fired", "pending", "no incident"):
            continue
        by.setdefault(r.capability or "(no capability named)", []).append(r)
    out = []
    for cap, rs in by.items():
        met = [r for r in rs if r.status in ("on time", "late")]
        if len(met) == len(rs):
            rating = "P" if all(r.status == "on time" for r in rs) else "S"
        else:
            rating = "M" if met else "U"
        out.append(CapabilityRating(cap, rating, [_evidence(r, hhmm) for r in rs]))
    return sorted(out, key=lambda c: c.capability)
