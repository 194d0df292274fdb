"""People trapped by flood water or buried by landslides, in proportion to their area.

A household group (e.g. 1,500 people) stands for homes spread around its home point,
so a flooded or slid cell traps only the part of the group that lives there, not
the whole group. The rule, per group that is at home and not evacuated or sheltered:

* **Footprint:** the land cells of the (2k+1) x (2k+1) block centred on the group's home
  cell (``footprint_cells`` = k; k = 1 gives 3 x 3 cells of 30" ~ 2.7 x 2.8 km, about the
  area 1,500 people occupy at Jiangmen's mean density of ~500 per km²; *illustrative*).
* **Flood:** trapped share = share of footprint cells whose water depth exceeds the trap
  depth (river overbank or waterlogging). The depth is a stated threshold: 1 m of still
  water is a hazard rating HR = d (v + 0.5) + DF = 1.5 (DF = 1) on the DEFRA/Environment
  Agency scale (*Flood Risks to People*, FD2321, 2006; HR formula as in DEFRA 2008), within
  its "danger for most" class (1.25-2.0): most people can no longer wade out. Trapped
  people = floor(people x the highest share so far): water rising into more cells traps
  more people, receding water frees none (they still wait for a boat).
* **At mortal risk:** being trapped is not a death sentence: most people sit it out on an
  upper floor. Of the flood-trapped, the share at mortal risk is Jonkman's remaining-zone
  mortality F_D(h) (``mortality.py``; Jonkman et al. 2008) of the group's deep footprint
  cells, raised while the water keeps rising before a boat arrives (chain.py). Only those
  at risk can die, by time to rescue (``cut_off`` curve); everyone trapped still needs
  rescue or evacuation and counts as trapped and affected.
* **Landslide:** buried people = floor(people x ``bury_share`` x share of footprint cells
  slid); ``bury_share`` is the share of a slid cell's residents whose homes are hit
  (*illustrative*).
* A trapping is reported once at least ``min_people`` more people are trapped than
  already counted for the group, so rounding noise never makes an incident.

Who is counted: only groups not sheltered and still at their home position (an
evacuating group is on the road, an evacuated one in a shelter), so an earlier
evacuation order can only lower the count.
"""

from __future__ import annotations

import numpy as np


def footprint_index(
    home_r: np.ndarray, home_c: np.ndarray, land: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """(flat cell indices (n, m), valid (n, m)) of each group's footprint of land cells."""
    ny, nx = land.shape
    dr, dc = np.meshgrid(np.arange(-k, k + 1), np.arange(-k, k + 1), indexing="ij")
    rr = np.asarray(home_r)[:, None] + dr.ravel()[None, :]
    cc = np.asarray(home_c)[:, None] + dc.ravel()[None, :]
    inside = (rr >= 0) & (rr < ny) & (cc >= 0) & (cc < nx)
    flat = np.clip(rr, 0, ny - 1) * nx + np.clip(cc, 0, nx - 1)
    valid = inside & land.ravel()[flat]
    home_flat = np.asarray(home_r) * nx + np.asarray(home_c)
    mid = (2 * k + 1) ** 2 // 2
    valid[:, mid] = True  # the home cell always counts
    flat[:, mid] = home_flat
    return flat, valid


def share_of(mask: np.ndarray, flat: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Share of each group's footprint cells where ``mask`` holds."""
    hit = mask.ravel()[flat] & valid
    return hit.sum(axis=1) / np.maximum(valid.sum(axis=1), 1)


class Trapping:
    """Counts trapped and buried people per group; returns the new ones each tick."""

    def __init__(self, people: np.ndarray, flat: np.ndarray, valid: np.ndarray, p) -> None:
        self.people = np.asarray(people, np.int64)
        self.flat = flat
        self.valid = valid
        self.p = p
        self.flood_share = np.zeros(self.people.size)
        self.trapped = np.zeros(self.people.size, np.int64)
        self.buried = np.zeros(self.people.size, np.int64)

    def flooded(self, deep: np.ndarray, home: np.ndarray) -> list[tuple[int, int, float]]:
        """(group, newly trapped people, footprint share) for groups at home in deep water."""
        share = share_of(deep, self.flat, self.valid)
        share = np.where(home, np.fmax(share, self.flood_share), self.flood_share)
        self.flood_share = share
        want = np.floor(self.people * share).astype(np.int64)
        new = want - self.trapped
        go = home & (new >= self.p.min_people)
        self.trapped[go] = want[go]
        return [(int(i), int(new[i]), float(share[i])) for i in np.flatnonzero(go)]

    def slid(
        self, slid: np.ndarray, home: np.ndarray, bury_share: float
    ) -> list[tuple[int, int, float]]:
        """(group, newly buried people, footprint share slid) for groups at home."""
        share = share_of(slid, self.flat, self.valid)
        want = np.floor(self.people * bury_share * share).astype(np.int64)
        new = want - self.buried
        go = home & (new >= max(1, self.p.min_people_buried))
        self.buried[go] = want[go]
        return [(int(i), int(new[i]), float(share[i])) for i in np.flatnonzero(go)]
