"""Interval estimates the way evaluators expect them.

Proportions get a Wilson score interval (Wilson 1927; recommended over the
Wald interval by Brown, Cai & DasGupta 2001 for small n or p near 0/1). Times
get mean, P50, P90 and a percentile-bootstrap interval for P90 (Efron &
Tibshirani 1993, ch. 13). Verdicts compare the interval with the target.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import binom, norm


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    Source: Wilson, E. B. (1927) JASA 22:209; formula as in Brown, Cai &
    DasGupta (2001) Statistical Science 16(2), eq. (4).
    """
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be in [0, n={n}], got {successes}")
    z = float(norm.ppf(0.5 + confidence / 2))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if successes == 0 else max(0.0, centre - half)
    hi = 1.0 if successes == n else min(1.0, centre + half)
    return lo, hi


def order_statistic_quantile_interval(
    values: np.ndarray, q: float = 0.9, confidence: float = 0.95
) -> tuple[float, float]:
    """Distribution-free interval of the `q` quantile from order statistics.

    The number of sample values below the true quantile is Binomial(n, q), so
    the order statistics at ranks from the binomial's α/2 and 1−α/2 points
    bracket it with at least the stated confidence. Source: Conover (1999)
    Practical Nonparametric Statistics, 3rd ed., §3.2 (confidence interval
    for a quantile).
    """
    v = np.sort(np.asarray(values, dtype=float))
    if v.size == 0:
        raise ValueError("no values for a quantile interval")
    lo, hi = order_statistic_ranks(v.size, q, confidence)
    return float(v[lo]), float(v[hi])


def order_statistic_ranks(n: int, q: float = 0.9, confidence: float = 0.95) -> tuple[int, int]:
    """0-based sorted positions of `order_statistic_quantile_interval`'s bounds among n values."""
    a = (1 - confidence) / 2
    lo_rank = int(binom.ppf(a, n, q))  # 0-based index of the lower order statistic
    hi_rank = int(binom.ppf(1 - a, n, q))
    return max(lo_rank - 1, 0), min(hi_rank, n - 1)


#: Resample cells drawn at once by `resample_blocks` (1 MB of indices; the block
#: size does not change the replicates).
BOOT_CELLS = 1 << 17


def bootstrap_replicates(v: np.ndarray, stat, n_boot: int, seed: int) -> np.ndarray:
    """`stat(resamples, axis=1)` for `n_boot` bootstrap resamples of `v`, drawn in row blocks.

    One seeded generator draws the resample indices block after block; numpy's
    bounded integers take one draw per value in order, so the replicates equal
    those of a single `(n_boot, n)` draw while memory stays bounded by
    `BOOT_CELLS` whatever n (many runs) is.
    """
    return np.concatenate([stat(v[pick], axis=1) for pick in resample_blocks(v.size, n_boot, seed)])


def resample_blocks(n: int, n_boot: int, seed: int):
    """Bootstrap resample indices of n items, `n_boot` rows in blocks of at most `BOOT_CELLS`.

    Concatenated, the blocks equal one `default_rng(seed).integers(0, n, (n_boot, n))`
    draw (numpy's bounded integers take one draw per value, in order), so a
    statistic computed block by block is the one of the single draw.
    """
    rng = np.random.default_rng(seed)
    rows = max(1, BOOT_CELLS // max(1, n))
    for i in range(0, n_boot, rows):
        yield rng.integers(0, n, size=(min(rows, n_boot - i), n))


#: Above this many values a quantile's interval is from order statistics, not the bootstrap.
BOOT_MAX_N = 5000


def bootstrap_quantile_interval(
    values: np.ndarray,
    q: float = 0.9,
    confidence: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
    max_n: int = BOOT_MAX_N,
) -> tuple[float, float]:
    """Percentile-bootstrap interval of the `q` quantile (seeded, vectorised).

    Source: Efron & Tibshirani (1993) An Introduction to the Bootstrap, §13.3.
    Censored values may be passed as +inf; they sort last, as they should.
    Above `max_n` values (e.g. every household of a 100-run batch) the
    bootstrap's n_boot × n resample matrix would not fit in memory, and the
    order-statistic interval (`order_statistic_quantile_interval`) is used;
    for such n the two agree closely.
    """
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        raise ValueError("no values to bootstrap")
    if v.size > max_n:
        return order_statistic_quantile_interval(v, q, confidence)
    qs = bootstrap_replicates(
        v, lambda x, axis: np.quantile(x, q, axis=axis, method="inverted_cdf"), n_boot, seed
    )
    a = (1 - confidence) / 2
    return float(np.quantile(qs, a, method="inverted_cdf")), float(
        np.quantile(qs, 1 - a, method="inverted_cdf")
    )


def verdict(lo: float, hi: float, target: float, direction: str) -> str:
    """'pass', 'fail' or 'cannot tell' from an interval against a target.

    `direction` is the plan's comparison for a good result: '>=', '>', '<=' or '<'.
    An interval that contains the target cannot decide.
    """
    if direction in (">=", ">"):
        good = lo >= target if direction == ">=" else lo > target
        bad = hi < target if direction == ">=" else hi <= target
    elif direction in ("<=", "<"):
        good = hi <= target if direction == "<=" else hi < target
        bad = lo > target if direction == "<=" else lo >= target
    else:
        raise ValueError(f"direction must be one of >=, >, <=, <; got {direction!r}")
    if good:
        return "pass"
    if bad:
        return "fail"
    return "cannot tell"
