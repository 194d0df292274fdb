"""Compiled minimum-travel-time search for the fire kernel (Dijkstra with implicit edges).

Why not ``scipy.sparse.csgraph.dijkstra``: scipy needs the whole graph first, and in
a wind-shift re-solve building it (every legal stencil edge among the candidate
cells, its travel time, a CSR matrix) costs several times the search, while the
search itself reaches only a fraction of the candidates (about 400 of 2,300 at
200² in the benchmark). Here the edges are read from the fire's static edge table
and their travel times worked out only when the search relaxes them, so the work
is per node reached, not per candidate.

The search is Dijkstra (1959) with a binary heap and lazy deletion, from a super
source whose edge to each start cell weighs that cell's start time: the same
relaxation (``d + tau``, kept when ``<= limit`` and strictly better) as scipy's, so
the same distances bit for bit. Ties (two paths of exactly the same float length)
are broken by the lower candidate index; scipy's Fibonacci heap may pick the other
predecessor, which only changes the arrival direction used for a cell's intensity.

Legal edges are one 32-bit word per cell: bit ``b`` is set when the edge of stencil
offset ``bit_offset[b]`` from the cell is legal (both ends and every crossed cell
free); its destination is the cell id plus ``bit_step[b]``. Bits are in destination
order. A 160 kB array for a 200² grid stays in cache where a CSR table does not.

Compiled with numba (no ``fastmath``: IEEE order of operations is kept, so each
edge time is the same float as the plain numpy expression the tests compare it with).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# log2 of a power of two below 2**32 by a de Bruijn sequence (Leiserson, Prokop & Randall 1998)
_DEBRUIJN = np.array(
    [0, 1, 28, 2, 29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4, 8,
     31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6, 11, 5, 10, 9],
    dtype=np.int64,
)  # fmt: skip


@njit(cache=True, nogil=True, inline="always", error_model="numpy")
def _low_bit(m: int) -> int:
    """Index of the lowest set bit of ``0 < m < 2**32``."""
    return _DEBRUIJN[(((m & -m) * 0x077CB531) & 0xFFFFFFFF) >> 27]


@njit(cache=True, nogil=True, inline="always", error_model="numpy")
def _edge_time(
    ec: np.ndarray, es: np.ndarray, base: np.ndarray, z: np.ndarray, i: int, j: int,
    ca: float, sa: float, h: float, eps: float,
) -> float:  # fmt: skip
    """Travel time of an edge from candidate ``i`` to ``j`` (direction ``ca``, ``sa``; length ``h``).

    Mean slowness of the two ends' ellipse rates times the surface length, plus ``eps``:
    the float operations of the plain numpy edge times, in their order (a zero rise uses the
    horizontal length, which ``sqrt(h*h)`` equals in IEEE arithmetic).
    """
    inv_s = (1.0 - (ec[i] * ca + es[i] * sa)) * base[i]
    inv_d = (1.0 - (ec[j] * ca + es[j] * sa)) * base[j]
    dz = z[j] - z[i]
    length = h if dz == 0.0 else math.sqrt(h * h + dz * dz)
    return 0.5 * length * (inv_s + inv_d) + eps


@njit(cache=True, nogil=True, error_model="numpy")
def _push(hk: np.ndarray, hv: np.ndarray, n: int, key: float, val: int) -> None:
    i = n
    while i > 0:
        p = (i - 1) >> 1
        pk = hk[p]
        if pk < key or (pk == key and hv[p] > val):
            break
        hk[i] = pk
        hv[i] = hv[p]
        i = p
    hk[i] = key
    hv[i] = val


@njit(cache=True, nogil=True, error_model="numpy")
def _pop(hk: np.ndarray, hv: np.ndarray, n: int) -> None:
    """Remove the root of a heap of ``n`` entries (the caller read it first)."""
    n -= 1
    key = hk[n]
    val = hv[n]
    i = 0
    while True:
        c = 2 * i + 1
        if c >= n:
            break
        if c + 1 < n and (hk[c + 1] < hk[c] or (hk[c + 1] == hk[c] and hv[c + 1] > hv[c])):
            c += 1
        if key < hk[c] or (key == hk[c] and val > hv[c]):
            break
        hk[i] = hk[c]
        hv[i] = hv[c]
        i = c
    hk[i] = key
    hv[i] = val


@njit(cache=True, nogil=True, error_model="numpy")
def min_travel_time(
    bits: np.ndarray,
    bit_offset: np.ndarray,
    bit_step: np.ndarray,
    cand_of_cell: np.ndarray,
    cand_cell: np.ndarray,
    ec: np.ndarray,
    es: np.ndarray,
    base: np.ndarray,
    z: np.ndarray,
    cos_az: np.ndarray,
    sin_az: np.ndarray,
    horiz: np.ndarray,
    starts: np.ndarray,
    start_w: np.ndarray,
    limit: float,
    eps: float,
    heap_cap: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shortest travel times from start cells over the candidate cells, up to ``limit``.

    ``bits``, ``bit_offset`` and ``bit_step`` are the legal edges (module docstring);
    ``cand_of_cell`` maps a grid cell to its candidate index (-1: not a node) and
    ``cand_cell`` back; ``ec``, ``es``, ``base`` and ``z`` are per candidate
    ``e cos th``, ``e sin th``, ``1/(R(1-e))`` and elevation; ``cos_az``, ``sin_az``
    and ``horiz`` per stencil offset its direction and horizontal length; ``starts``
    and ``start_w`` the start candidates and their start times (the super source's
    edges). Paths longer than ``limit`` are not followed; ``eps`` is added to every
    edge time (as in the numpy edge times); ``heap_cap`` is the first heap size (0: a
    size nearly always enough; tests force the retry with a small one).

    Returns:
        ``(reached, dist, pred_cell)``: reached candidates in the order they are settled,
        their travel times, and the grid cell each came from (-1: the super source).
    """
    n = cand_cell.size
    cap = heap_cap if heap_cap > 0 else 4 * n + starts.size + 16
    while True:  # the heap's size is not known ahead: retry with a larger one (rare)
        dist = np.full(n, np.inf)
        pred = np.full(n, -1, dtype=np.int64)
        hk = np.empty(cap)
        hv = np.empty(cap, dtype=np.int64)
        reached = np.empty(n, dtype=np.int64)
        args = (bits, bit_offset, bit_step, cand_of_cell, cand_cell, ec, es, base, z, cos_az, sin_az, horiz, starts, start_w, limit, eps)  # fmt: skip
        n_reached = _mtt_search(args, dist, pred, hk, hv, reached)
        if n_reached >= 0:
            out = reached[:n_reached]
            return out, dist[out], pred[out]
        cap *= 4


@njit(cache=True, nogil=True, error_model="numpy")
def _mtt_search(
    args: tuple,
    dist: np.ndarray,
    pred: np.ndarray,
    hk: np.ndarray,
    hv: np.ndarray,
    reached: np.ndarray,
) -> int:
    """The search of `min_travel_time` (``args``: its arguments) in given buffers; -1 if the heap overflows."""
    (bits, bit_offset, bit_step, cand_of_cell, cand_cell, ec, es, base, z, cos_az, sin_az, horiz, starts, start_w, limit, eps) = args  # fmt: skip
    n = cand_cell.size
    done = np.zeros(n, dtype=np.bool_)
    cap = hk.size
    hn = 0
    for s in range(starts.size):
        j = starts[s]
        w = 0.0 + start_w[s]
        if w <= limit and w < dist[j]:
            dist[j] = w
            pred[j] = -1
            _push(hk, hv, hn, w, j)
            hn += 1
    n_reached = 0
    while hn > 0:
        du = hk[0]
        u = hv[0]
        _pop(hk, hv, hn)
        hn -= 1
        if done[u]:
            continue
        done[u] = True
        reached[n_reached] = u
        n_reached += 1
        g = cand_cell[u]
        m = np.int64(bits[g])
        while m:
            b = _low_bit(m)
            m &= m - 1
            k = bit_offset[b]
            j = cand_of_cell[g + bit_step[b]]
            if j < 0 or done[j]:
                continue
            tau = _edge_time(ec, es, base, z, u, j, cos_az[k], sin_az[k], horiz[k], eps)
            if not math.isfinite(tau):
                continue
            nd = du + tau
            if nd <= limit and nd < dist[j]:
                dist[j] = nd
                pred[j] = g
                if hn == cap:
                    return -1
                _push(hk, hv, hn, nd, j)
                hn += 1
    return n_reached


@njit(cache=True, nogil=True, error_model="numpy")
def front_edges(
    bits: np.ndarray,
    bit_offset: np.ndarray,
    bit_step: np.ndarray,
    sources: np.ndarray,
    burned: np.ndarray,
    n_offsets: int,
    pending: np.ndarray,
    scratch_id: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Legal stencil edges from burning ``sources`` to unburned cells: the fire's front.

    Returns ``(offset, source, destination, spent, starts, start_of)``: the edges ordered
    offset by offset, each offset's by source (grid cells); per source whether it has
    none; the distinct start cells (``pending`` ignitions, then edge destinations, each
    once); and the start of each pending ignition, then of each edge. ``scratch_id``
    holds -1 per grid cell and is left so.
    """
    n_e = 0
    for s in range(sources.size):
        g = sources[s]
        m = np.int64(bits[g])
        while m:
            b = _low_bit(m)
            m &= m - 1
            if not burned[g + bit_step[b]]:
                n_e += 1
    ks = np.empty(n_e, dtype=np.int64)
    ss = np.empty(n_e, dtype=np.int64)
    ds = np.empty(n_e, dtype=np.int64)
    count = np.zeros(n_offsets + 1, dtype=np.int64)
    spent = np.ones(sources.size, dtype=np.bool_)
    i = 0
    for s in range(sources.size):
        g = sources[s]
        m = np.int64(bits[g])
        while m:
            b = _low_bit(m)
            m &= m - 1
            d = g + bit_step[b]
            if burned[d]:
                continue
            k = bit_offset[b]
            ks[i] = k
            ss[i] = g
            ds[i] = d
            count[k + 1] += 1
            spent[s] = False
            i += 1
    for k in range(n_offsets):  # stable counting sort by offset
        count[k + 1] += count[k]
    ko = np.empty(n_e, dtype=np.int64)
    so = np.empty(n_e, dtype=np.int64)
    do = np.empty(n_e, dtype=np.int64)
    for i in range(n_e):
        j = count[ks[i]]
        count[ks[i]] += 1
        ko[j] = ks[i]
        so[j] = ss[i]
        do[j] = ds[i]
    starts = np.empty(pending.size + n_e, dtype=np.int64)
    start_of = np.empty(pending.size + n_e, dtype=np.int64)
    n_s = 0
    for i in range(pending.size + n_e):
        g = pending[i] if i < pending.size else do[i - pending.size]
        if scratch_id[g] < 0:
            scratch_id[g] = n_s
            starts[n_s] = g
            n_s += 1
        start_of[i] = scratch_id[g]
    for i in range(n_s):
        scratch_id[starts[i]] = -1
    return ko, so, do, spent, starts[:n_s], start_of


@njit(cache=True, nogil=True, error_model="numpy")
def within_bound(
    bits: np.ndarray,
    bit_offset: np.ndarray,
    bit_step: np.ndarray,
    free: np.ndarray,
    burned: np.ndarray,
    inv_ub: np.ndarray,
    half_horiz: np.ndarray,
    min_edge: float,
    starts: np.ndarray,
    start_w: np.ndarray,
    limit: float,
    scratch: np.ndarray,
    queue_cap: int = 0,
) -> np.ndarray:
    """Grid cells a fire path can reach by ``limit`` at each cell's top rate (sorted ids).

    A lower bound of every edge time: half the horizontal length times the sum of the
    end cells' inverse rate bounds (``inv_ub``, from a per-cell upper bound of the head
    rate; an edge is never faster than its faster end's head rate, and slope only
    lengthens it), shrunk by 1e-9. Float addition is monotone, so a cell this search
    leaves beyond ``limit`` is beyond it in the exact search too, which then needs the
    fire behaviour only of the cells returned. A path may use the ``free`` cells not yet
    ``burned``;
    ``scratch`` is an all-inf array of one value per grid cell, left all-inf.
    ``queue_cap``: first queue size (0: nearly always enough; tests force the retry).

    Only the set is needed, so the search is label-correcting over buckets of width
    ``min_edge`` (a lower bound of every edge's bound, Dial 1969 / Dinitz): a cell's
    value is final once its bucket is reached, and a cell improved later (float
    rounding at a bucket edge) is simply scanned again, so every value is the minimum.
    """
    touched = np.empty(scratch.size, dtype=np.int64)  # every cell at most once: no overflow
    cap = queue_cap if queue_cap > 0 else 8 * starts.size + 1024
    while True:  # the number of queue entries is not known ahead: retry larger (rare)
        args = (bits, bit_offset, bit_step, free, burned, inv_ub, half_horiz, min_edge, starts, start_w, limit, scratch)  # fmt: skip
        nt = _bound_search(
            args,
            touched,
            np.empty(cap, dtype=np.int64),
            np.empty(cap),
            np.empty(cap, dtype=np.int64),
        )
        n_t = abs(nt)
        for i in range(n_t):
            scratch[touched[i]] = np.inf
        if nt >= 0:
            res = touched[:n_t].copy()
            res.sort()
            return res
        cap *= 4


@njit(cache=True, nogil=True, inline="always", error_model="numpy")
def _bucket_push(
    head: np.ndarray, e_node: np.ndarray, e_key: np.ndarray, e_next: np.ndarray,
    e: int, node: int, key: float, bucket: int,
) -> None:  # fmt: skip
    """Put entry ``e`` (``node`` at ``key``) at the front of ``bucket``'s list."""
    e_node[e] = node
    e_key[e] = key
    e_next[e] = head[bucket]
    head[bucket] = e


@njit(cache=True, nogil=True, error_model="numpy")
def _bound_search(
    args: tuple,
    touched: np.ndarray,
    e_node: np.ndarray,
    e_key: np.ndarray,
    e_next: np.ndarray,
) -> int:
    """The search of `within_bound` (``args``: its arguments) in given buffers: cells touched, negated on overflow."""
    (bits, bit_offset, bit_step, free, burned, inv_ub, half_horiz, min_edge, starts, start_w, limit, scratch) = args  # fmt: skip
    shrink = 1.0 - 1e-9
    n_b = 1 << 16
    width = limit / (n_b - 2)
    if min_edge > width:
        width = min_edge
        n_b = int(limit / width) + 2
    head = np.full(n_b, -1, dtype=np.int64)
    cap = e_node.size
    n_e = 0
    nt = 0
    for s in range(starts.size):
        g = starts[s]
        wgt = start_w[s]
        if wgt <= limit and wgt < scratch[g]:
            if scratch[g] == np.inf:
                touched[nt] = g
                nt += 1
            scratch[g] = wgt
            if n_e == cap:
                return -nt
            _bucket_push(head, e_node, e_key, e_next, n_e, g, wgt, int(wgt / width))
            n_e += 1
    for b in range(n_b):
        while head[b] >= 0:
            e = head[b]
            head[b] = e_next[e]
            u = e_node[e]
            du = e_key[e]
            if du != scratch[u]:  # improved since: a newer entry scans it
                continue
            iu = inv_ub[u]
            m = np.int64(bits[u])
            while m:
                b2 = _low_bit(m)
                m &= m - 1
                j = u + bit_step[b2]
                if burned[j] or not free[j]:
                    continue
                k = bit_offset[b2]
                nd = du + half_horiz[k] * (iu + inv_ub[j]) * shrink
                sj = scratch[j]
                if nd <= limit and nd < sj:
                    if sj == np.inf:
                        touched[nt] = j
                        nt += 1
                    scratch[j] = nd
                    if n_e == cap:
                        return -nt
                    _bucket_push(head, e_node, e_key, e_next, n_e, j, nd, max(int(nd / width), b))
                    n_e += 1
    return nt


@njit(cache=True, nogil=True, error_model="numpy")
def edge_angles(
    az: np.ndarray, k: np.ndarray, theta: np.ndarray, src: np.ndarray, dst: np.ndarray
) -> np.ndarray:
    """``az[k] - theta`` at each edge's source, then at its destination (one array, for np.cos)."""
    m = k.size
    out = np.empty(2 * m)
    for i in range(m):
        a = az[k[i]]
        out[i] = a - theta[src[i]]
        out[m + i] = a - theta[dst[i]]
    return out


@njit(cache=True, nogil=True, error_model="numpy")
def edge_times_from_cos(
    cos_d: np.ndarray,
    k: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    ros: np.ndarray,
    ecc: np.ndarray,
    horiz: np.ndarray,
    elevation: np.ndarray,
    eps: float,
) -> np.ndarray:
    """Edge travel times (min) from ``np.cos`` of `edge_angles`: mean slowness times length.

    The same operations, in the same order, as ``FireSpread._edge_tau``'s numpy form:
    ``rate = R (1 - e) / (1 - e cos)`` at both ends, ``0.5 (1/rate_s + 1/rate_d)``
    times the surface length, plus ``eps``.
    """
    m = k.size
    out = np.empty(m)
    for i in range(m):
        s = src[i]
        d = dst[i]
        es = ecc[s]
        ed = ecc[d]
        rs = ros[s] * (1.0 - es) / (1.0 - es * cos_d[i])
        rd = ros[d] * (1.0 - ed) / (1.0 - ed * cos_d[m + i])
        slow = 0.5 * (1.0 / rs + 1.0 / rd)
        h = horiz[k[i]]
        dz = elevation[d] - elevation[s]
        out[i] = math.sqrt(h * h + dz * dz) * slow + eps
    return out


@njit(cache=True, nogil=True, error_model="numpy")
def box_sources(
    arrival: np.ndarray,
    width: int,
    box: tuple[int, int, int, int],
    t_from: float,
    alive: np.ndarray,
    spent: np.ndarray,
    burned: np.ndarray,
) -> np.ndarray:
    """Burned cells at ``t_from`` and the sources of a re-solve, in one pass over the box.

    Inside the box ``(r0, r1, c0, c1)`` (every finite arrival time lies in it): marks
    ``burned`` (all False on entry) where ``arrival <= t_from``, resets every later
    arrival time to inf (it is solved again), and returns the burned cells that are
    alive and not spent (row-major): the cells the front can spread from.
    """
    r0, r1, c0, c1 = box
    out = np.empty((r1 - r0) * (c1 - c0), dtype=np.int64)
    n = 0
    for r in range(r0, r1):
        for c in range(c0, c1):
            i = r * width + c
            if arrival[i] <= t_from:
                burned[i] = True
                if alive[i] and not spent[i]:
                    out[n] = i
                    n += 1
            else:
                arrival[i] = np.inf
    return out[:n]


@njit(cache=True, nogil=True, error_model="numpy")
def _min_into(cand: np.ndarray, i: int, v: float) -> None:
    c = cand[i]
    if not (math.isnan(c) or c < v):  # np.minimum(c, v), NaN included
        cand[i] = v


@njit(cache=True, nogil=True, error_model="numpy")
def _restart(t_from: float, a_src: float, tau_old: float) -> float:
    """Part of a front edge still to burn (numpy's clip of ``1 - elapsed / tau_old``)."""
    if not math.isfinite(tau_old):
        return 1.0
    f = 1.0 - (t_from - a_src) / tau_old
    if not (math.isnan(f) or f > 0.0):  # np.clip(f, 0, 1): maximum, then minimum
        f = 0.0
    if not (math.isnan(f) or f < 1.0):
        f = 1.0
    return f


@njit(cache=True, nogil=True, error_model="numpy")
def start_times_bound(
    starts: np.ndarray,
    pend_of: np.ndarray,
    pend_t: np.ndarray,
    edge_of: np.ndarray,
    k: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    tau_old: np.ndarray,
    has_old: bool,
    arrival: np.ndarray,
    inv_ub: np.ndarray,
    half_horiz: np.ndarray,
    t_from: float,
    eps: float,
    limit: float,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Start cells that may start within ``limit``, a lower bound of their weights, any finite.

    The weights are ``start - t_from + eps`` for a lower bound of each start cell's start
    time (from its pending ignition or front edges); a start after the horizon still counts
    as finite.

    A front edge restarts at ``t_from`` plus the part still to burn of its new travel
    time; here the new time is its lower bound (`within_bound`). With the same weather
    the part still to burn is worked out from that bound too (``has_old`` False): the
    part ``max(0, tau - elapsed)`` only grows with ``tau``.
    """
    n_starts = starts.size
    cand = np.full(n_starts, np.inf)
    for i in range(pend_of.size):
        _min_into(cand, pend_of[i], pend_t[i])
    for e in range(k.size):
        s = src[e]
        lb = half_horiz[k[e]] * (inv_ub[s] + inv_ub[dst[e]]) * (1.0 - 1e-9)
        f = _restart(t_from, arrival[s], tau_old[e] if has_old else lb)
        _min_into(cand, edge_of[e], t_from + f * lb)
    pos, wts, finite = _within(cand, t_from, eps, limit)
    return starts[pos], wts, finite


@njit(cache=True, nogil=True, error_model="numpy")
def start_times_exact(
    n_starts: int,
    pend_of: np.ndarray,
    pend_t: np.ndarray,
    edge_of: np.ndarray,
    k: np.ndarray,
    src_term: np.ndarray,
    dst_term: np.ndarray,
    src: np.ndarray,
    tau_old: np.ndarray,
    has_old: bool,
    arrival: np.ndarray,
    ec: np.ndarray,
    es: np.ndarray,
    base: np.ndarray,
    z: np.ndarray,
    cos_az: np.ndarray,
    sin_az: np.ndarray,
    horiz: np.ndarray,
    t_from: float,
    eps: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Each start cell's start time, and each front edge's (inf: it ends beyond the horizon).

    ``src_term``/``dst_term`` index each edge's ends in the per-cell terms (``dst_term``
    -1: not a candidate, so the edge starts nothing before the horizon). The edge time
    is `min_travel_time`'s; the part still to burn uses the old weather's time
    (``tau_old``), or the new one when the weather is the same.
    """
    cand = np.full(n_starts, np.inf)
    for i in range(pend_of.size):
        _min_into(cand, pend_of[i], pend_t[i])
    c_t = np.full(k.size, np.inf)
    for e in range(k.size):
        j = dst_term[e]
        if j < 0:
            continue
        kk = k[e]
        tau = _edge_time(ec, es, base, z, src_term[e], j, cos_az[kk], sin_az[kk], horiz[kk], eps)
        f = _restart(t_from, arrival[src[e]], tau_old[e] if has_old else tau)
        c_t[e] = t_from + f * tau
        _min_into(cand, edge_of[e], c_t[e])
    return cand, c_t


@njit(cache=True, nogil=True, error_model="numpy")
def cut_edges(
    bits: np.ndarray, cells: np.ndarray, width: int, height: int, touch: np.ndarray
) -> None:
    """Clear the edge bits of every edge that starts at, ends at or crosses one of ``cells``.

    ``touch`` rows are ``(bit, dr, dc)``: a cell at offset ``(dr, dc)`` from an edge's
    source (the source itself, its destination or a crossed cell) is on that edge.
    """
    for i in range(cells.size):
        r, c = divmod(cells[i], width)
        for t in range(touch.shape[0]):
            sr = r - touch[t, 1]
            sc = c - touch[t, 2]
            if 0 <= sr < height and 0 <= sc < width:
                bits[sr * width + sc] &= np.uint32(~(1 << touch[t, 0]) & 0xFFFFFFFF)


@njit(cache=True, nogil=True, error_model="numpy")
def _within(
    cand: np.ndarray, t_from: float, eps: float, limit: float
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Positions and weights ``cand - t_from + eps`` of the starts within ``limit``; any finite."""
    pos = np.empty(cand.size, dtype=np.int64)
    wts = np.empty(cand.size)
    n = 0
    finite = False
    for i in range(cand.size):
        c = cand[i]
        if math.isfinite(c):
            finite = True
        wgt = c - t_from + eps
        if wgt <= limit:
            pos[n] = i
            wts[n] = wgt
            n += 1
    return pos[:n], wts[:n], finite


@njit(cache=True, nogil=True, error_model="numpy")
def start_weights(
    cand: np.ndarray,
    starts: np.ndarray,
    cand_of_cell: np.ndarray,
    t_from: float,
    eps: float,
    limit: float,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Start candidates and super-source weights ``cand - t_from + eps`` of the starts within ``limit``.

    Also whether any start time is finite (a start after the horizon still counts).
    """
    pos, wts, finite = _within(cand, t_from, eps, limit)
    ids = np.empty(pos.size, dtype=np.int64)
    for i in range(pos.size):
        ids[i] = cand_of_cell[starts[pos[i]]]
    return ids, wts, finite


@njit(cache=True, nogil=True, error_model="numpy")
def arrival_angles(
    reached: np.ndarray,
    dist: np.ndarray,
    pred_cell: np.ndarray,
    cells: np.ndarray,
    t_from: float,
    eps: float,
    arrival: np.ndarray,
    width: int,
    theta: np.ndarray,
    az_of_step: np.ndarray,
    c_t: np.ndarray,
    cand: np.ndarray,
    start_of_edge: np.ndarray,
    limit: float,
    f_k: np.ndarray,
    f_dst: np.ndarray,
    az_of_offset: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int, int, int]]:
    """Write the reached cells' arrival times; the angles whose cosines the intensities need.

    Returns the reached grid cells, ``az - theta`` for each cell reached along an edge
    (``az`` of its step from the predecessor, as ``np.arctan2`` gives it:
    ``az_of_step``, 7x7 steps), then for each winning front edge (its start time is its
    end's, within the horizon), the winning edges, and the reached cells' bounding box.
    """
    n = reached.size
    g = np.empty(n, dtype=np.int64)
    ang = np.empty(n + c_t.size)
    r0 = c0 = np.int64(1) << 62
    r1 = c1 = -1
    for i in range(n):
        cell = cells[reached[i]]
        g[i] = cell
        arrival[cell] = t_from + dist[i] - eps
        r, c = divmod(cell, width)
        r0 = min(r0, r)
        r1 = max(r1, r + 1)
        c0 = min(c0, c)
        c1 = max(c1, c + 1)
        p = pred_cell[i]
        if p >= 0:
            pr, pc = divmod(p, width)
            ang[i] = az_of_step[(r - pr + 3) * 7 + (c - pc + 3)] - theta[cell]
        else:
            ang[i] = 0.0
    won = np.empty(c_t.size, dtype=np.int64)
    n_won = 0
    for e in range(c_t.size):
        if c_t[e] <= cand[start_of_edge[e]] and c_t[e] - t_from + eps <= limit:
            won[n_won] = e
            d = f_dst[e]
            ang[n + n_won] = az_of_offset[f_k[e]] - theta[d]
            n_won += 1
    return g, ang[: n + n_won], won[:n_won], (r0, r1, c0, c1)


@njit(cache=True, nogil=True, error_model="numpy")
def arrival_intensity(
    g: np.ndarray,
    reached: np.ndarray,
    pred_cell: np.ndarray,
    cos_ang: np.ndarray,
    won: np.ndarray,
    f_dst: np.ndarray,
    cand_of_cell: np.ndarray,
    n_cand: int,
    ecc: np.ndarray,
    fli: np.ndarray,
    intensity: np.ndarray,
) -> None:
    """Byram intensity of each reached cell in the direction the fire arrived from.

    ``fli (1 - e) / (1 - e cos)``: along the edge from its predecessor, or, for a cell
    started from the front, along the winning front edge (in front-edge order, a later
    winner overwrites); 1 (the head) for a pending ignition.
    """
    n = g.size
    front_ratio = np.ones(n_cand)
    for j in range(won.size):
        d = f_dst[won[j]]
        e = ecc[d]
        front_ratio[cand_of_cell[d]] = (1.0 - e) / (1.0 - e * cos_ang[n + j])
    for i in range(n):
        cell = g[i]
        if pred_cell[i] >= 0:
            e = ecc[cell]
            ratio = (1.0 - e) / (1.0 - e * cos_ang[i])
        else:
            ratio = front_ratio[reached[i]]
        intensity[cell] = fli[cell] * ratio
