"""Survival of people trapped by floods or buried by slides: a placeholder behind one function.

Issue #10/#13 provides the project's survival functions; until then this module gives one
*illustrative* exponential survival S(t) = exp(-t / mean_h) so callers depend only on
:func:`trapped_survival` and can switch implementation without changes elsewhere.
The means are placeholders, not calibrated values.
"""

from __future__ import annotations

import numpy as np

#: Illustrative mean survival times (h) by entrapment kind.
MEAN_SURVIVAL_H = {"flood": 24.0, "landslide": 6.0}


def trapped_survival(hours: np.ndarray | float, kind: str) -> np.ndarray:
    """Probability a person trapped for ``hours`` is still alive (placeholder)."""
    if kind not in MEAN_SURVIVAL_H:
        raise ValueError(f"kind={kind!r}: expected one of {sorted(MEAN_SURVIVAL_H)}")
    return np.exp(-np.fmax(np.asarray(hours, float), 0.0) / MEAN_SURVIVAL_H[kind])
