"""Fire containment: Fried & Fried (1995) as in Behave's Contain module, plus a simple criterion.

``contain_fried_fried`` is a faithful Python port of Behave's Contain module
(``firelab/behave``: ``Contain.cpp``, ``ContainSim.cpp``, ``ContainForce.cpp``,
``ContainAdapter.cpp``; originally C. D. Bevins' 2006 implementation of
Fried, J.S. and Fried, B.D. 1995, *Simulating wildfire containment with
realistic tactics*, Forest Science 42(3), adapted from J. S. Fried's FCAT Pascal
program, with M. A. Finney's 2010 time-step changes).  It integrates, with
4th-order Runge-Kutta in the free-burning head position, the angle ``u`` of the
point of line construction around an elliptical fire (one flank, mirrored),
for head or rear attack, with resources arriving over time.  Behave's units are
kept: chains, chains/hour, acres, minutes since *report*.  Behave's quirks are
reproduced on purpose (e.g. the RK stage time offsets, the ``distStep`` halving
until at least 250 steps, Behave's containment-interpolation formula, the
uncontained-area term, the effective wind ``4 (LW - 1)`` mph used to size the
fire at initial attack) so that the Behave test ``testContainModule`` (models.md
case F6) is reproduced.

``simple_containment_time`` implements the planning criterion "cumulative line
``L (t - t_a)`` >= fire perimeter ``P(t)``" (models.md §1 Suppression); for a
linearly growing perimeter ``P = P0 + k t`` it has the closed form
``t_c = (L t_a + P0)/(L - k)`` and no containment when ``L <= k``.

Validity limits: uniform fuel, weather and terrain (steady elliptical fire at the
reported spread rate and LW), production rates are *holdable* line rates,
resources split evenly on both flanks, no spotting or line breaches.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from .ellipse import FireEllipse

__all__ = [
    "ContainStatus",
    "ContainTactic",
    "ContainResource",
    "ContainResult",
    "contain_fried_fried",
    "simple_containment_time",
    "simple_containment_time_linear",
    "CHAIN_M",
    "ACRE_M2",
]

CHAIN_M = 20.1168  #: metres per chain (66 ft)
ACRE_M2 = 4046.8564224  #: square metres per acre


class ContainStatus(IntEnum):
    """Behave ContainStatus codes."""

    UNREPORTED = 0
    REPORTED = 1
    ATTACKED = 2
    CONTAINED = 3
    OVERRUN = 4
    EXHAUSTED = 5
    OVERFLOW = 6
    SIZE_LIMIT_EXCEEDED = 7
    TIME_LIMIT_EXCEEDED = 8


class ContainTactic(IntEnum):
    """Attack tactic: start at the head (HEAD) or at the rear (REAR)."""

    HEAD = 0
    REAR = 1


@dataclass(frozen=True, slots=True)
class ContainResource:
    """One suppression resource (Behave ``ContainResource``, both-flank production).

    Attributes:
        arrival_min: Arrival time, minutes since the fire was *reported*.
        duration_min: Time the resource keeps producing line (minutes).
        production_ch_h: Holdable fireline production rate for both flanks (ch/h);
            half of it is applied to the simulated flank, as in Behave.
        description: Free text.
        base_cost: Fixed cost if deployed.
        hour_cost: Cost per hour deployed.
    """

    arrival_min: float
    duration_min: float
    production_ch_h: float
    description: str = ""
    base_cost: float = 0.0
    hour_cost: float = 0.0

    @classmethod
    def from_si(
        cls,
        arrival_min: float,
        duration_min: float,
        production_m_h: float,
        description: str = "",
    ) -> ContainResource:
        """Build from a line production rate in m/h."""
        return cls(arrival_min, duration_min, production_m_h / CHAIN_M, description)


@dataclass(frozen=True, slots=True)
class ContainResult:
    """Outcome of a Fried & Fried containment run (Behave units, SI helpers).

    Attributes:
        status: Final :class:`ContainStatus`.
        final_fire_line_ch: Line built on both flanks (ch).
        perimeter_at_containment_ch: Perimeter at containment (ch), 0 if not contained.
        final_fire_size_ac: Fire size at containment or escape (ac).
        final_containment_area_ac: Area enclosed by the line (ac), 0 if not contained.
        final_time_since_report_min: Time of containment/escape since report (min).
        fire_size_at_initial_attack_ac: Free-burning size at first arrival (ac).
        perimeter_at_initial_attack_ch: Free-burning perimeter at first arrival (ch).
        resources_used: Number of resources that arrived before the end.
        final_cost: Cost of the used resources.
        passes: Number of simulation passes (step refinements / retries).
        steps: Number of integration steps in the final pass.
        line_x_ch: x coordinates of the constructed line (ch, head along +x).
        line_y_ch: y coordinates of the constructed line (ch).
    """

    status: ContainStatus
    final_fire_line_ch: float
    perimeter_at_containment_ch: float
    final_fire_size_ac: float
    final_containment_area_ac: float
    final_time_since_report_min: float
    fire_size_at_initial_attack_ac: float
    perimeter_at_initial_attack_ch: float
    resources_used: int
    final_cost: float
    passes: int
    steps: int
    line_x_ch: list[float] = field(default_factory=list, repr=False)
    line_y_ch: list[float] = field(default_factory=list, repr=False)

    @property
    def contained(self) -> bool:
        """True if the fire was contained."""
        return self.status == ContainStatus.CONTAINED

    @property
    def final_fire_line_m(self) -> float:
        """Line built (m)."""
        return self.final_fire_line_ch * CHAIN_M

    @property
    def final_fire_size_ha(self) -> float:
        """Final fire size (ha)."""
        return self.final_fire_size_ac * ACRE_M2 / 1e4


class _Force:
    """ContainForce restricted to the left flank (Behave's adapter only uses it)."""

    def __init__(self, resources: Sequence[ContainResource]):
        self.res = list(resources)

    def production_rate(self, minutes: float) -> float:
        fpm = 0.0
        for r in self.res:
            if r.arrival_min <= minutes + 0.001 and r.arrival_min + r.duration_min >= minutes:
                fpm += 0.5 * r.production_ch_h
        return fpm

    def exhausted(self) -> float:
        at = 0.0
        for r in self.res:
            at = max(at, r.arrival_min + r.duration_min)
        return at

    def first_arrival(self) -> float:
        return min((r.arrival_min for r in self.res), default=99999999.0)

    def next_arrival(self, after: float, until: float) -> float:
        prod = self.production_rate(after)
        after = float(int(after)) + 1.0
        while after < until:
            if abs(self.production_rate(after) - prod) > 0.001:
                return after
            after += 1.0
        return 0.0

    def cost(self, idx: int, final_time: float) -> float:
        r = self.res[idx]
        if final_time <= r.arrival_min:
            return 0.0
        minutes = min(final_time - r.arrival_min, r.duration_min)
        return r.base_cost + r.hour_cost * minutes / 60.0


class _Contain:
    """Port of ``Sem::Contain`` (left flank)."""

    def __init__(
        self,
        report_size: float,
        report_rate: float,
        diurnal: Sequence[float],
        lw: float,
        dist_step: float,
        force: _Force,
        attack_time: float,
        tactic: ContainTactic,
        attack_dist: float,
    ):
        self.report_size = report_size
        self.report_rate = report_rate
        self.dist_step = dist_step
        self.lw = max(lw, 1.0)
        self.diurnal = list(diurnal)
        self.force = force
        self.attack_time = attack_time
        self.tactic = tactic
        self.attack_dist = attack_dist
        self.exhausted = force.exhausted()
        self.start_time = 0.0
        self.reset()

    # -- helpers ----------------------------------------------------------
    def diurnal_rate(self, minutes: float) -> float:
        cur = minutes + self.start_time
        while cur >= 1440.0:
            cur -= 1440.0
        hour = min(int(cur / 60.0), 23)
        return self.diurnal[hour]

    def head_position(self, minutes: float) -> float:
        dist = self.report_head
        rem_hr = 60.0 - (self.start_time - 60 * int(self.start_time / 60.0))
        if minutes < rem_hr:
            rem_hr = minutes
        dist += self.diurnal_rate(0) * rem_hr / 60.0
        minutes -= rem_hr
        cum = rem_hr
        n_hours = int(minutes / 60.0) + 1
        remainder = minutes - (n_hours - 1) * 60.0
        for i in range(n_hours):
            inc = 60.0 if i < n_hours - 1 else remainder
            dist += self.diurnal_rate(cum) * inc / 60.0
            cum += inc
        return dist

    def production_ratio(self, _head_pos: float) -> float:
        minutes = self.current_time_at_head + self.attack_time + self.time_increment
        prod = self.force.production_rate(minutes)
        fire = max(self.diurnal_rate(minutes), 0.0001)
        self.time_increment = self.dist_step / fire * 60.0
        return prod / fire

    def reset(self) -> None:
        self.current_time_at_head = 0.0
        self.time_increment = 0.0
        self.current_time = self.attack_time
        r = 1.0 / self.lw
        self.eps2 = 1.0 - r * r
        self.eps = math.sqrt(self.eps2) if self.eps2 > 0.00001 else 0.0
        self.a = math.sqrt((1.0 - self.eps) / (1.0 + self.eps))
        ch2 = 10.0 * self.report_size
        self.report_head = (1.0 + self.eps) * math.sqrt(
            ch2 / (math.pi * math.sqrt(1.0 - self.eps2))
        )
        self.report_time = (
            60.0 * self.report_head / self.report_rate if self.report_rate > 1e-4 else 0.0
        )
        self.report_back = self.report_head * (1.0 - self.eps) / (1.0 + self.eps)
        self.attack_head = self.head_position(self.attack_time)
        self.attack_back = self.attack_head * (1.0 - self.eps) / (1.0 + self.eps)
        if self.tactic == ContainTactic.REAR:
            self.u = self.u0 = math.pi
            self.x = -self.attack_back - self.attack_dist
        else:
            self.u = self.u0 = 0.0
            self.x = self.attack_head + self.attack_dist
        self.h = self.h0 = self.attack_head
        self.y = 0.0
        self.step_no = 0
        self.rkpr = [0.0, 0.0, 0.0]
        self.status = ContainStatus.REPORTED

    def _uh(self, p: float, h: float, u: float) -> float:
        cos_u, sin_u = math.cos(u), math.sin(u)
        x = 1.0 - self.eps * cos_u
        rad = p * p * x / (1.0 + self.eps * cos_u) - self.a * self.a
        if rad <= 1.0e-10:
            rad = 0.0
        dh = x * h
        if self.attack_dist > 0.001:
            dh = x * (
                h
                + (1.0 - self.eps)
                * (
                    self.attack_dist
                    * math.sqrt(1.0 - self.eps2)
                    / math.exp(1.5 * math.log(1.0 - self.eps2 * cos_u * cos_u))
                )
            )
        if self.tactic == ContainTactic.REAR:
            du = self.eps * sin_u - (1.0 + self.eps) * math.sqrt(rad)
        else:
            du = self.eps * sin_u + (1.0 + self.eps) * math.sqrt(rad)
        return du / dh

    def _calc_u(self) -> None:
        self.u0, self.h0 = self.u, self.h
        self.status = ContainStatus.ATTACKED
        old_step = self.dist_step
        while True:
            self.time_increment = 0.0
            self.rkpr[0] = self.rkpr[2] if self.step_no else self.production_ratio(self.attack_head)
            self.time_increment /= 2.0
            self.rkpr[1] = self.production_ratio(self.h0 + 0.5 * self.dist_step)
            self.rkpr[2] = self.production_ratio(self.h0 + self.dist_step)
            if self.time_increment > 1.0:
                self.dist_step /= 2.0
                continue
            break
        ds = self.dist_step
        rk0 = ds * self._uh(self.rkpr[0], self.h0, self.u0)
        rk1 = ds * self._uh(self.rkpr[1], self.h0 + 0.5 * ds, self.u0 + 0.5 * rk0)
        rk2 = ds * self._uh(self.rkpr[1], self.h0 + 0.5 * ds, self.u0 + 0.5 * rk1)
        rk3 = ds * self._uh(self.rkpr[2], self.h0 + ds, self.u0 + rk2)
        self.u = self.u0 + (rk0 + rk3 + 2.0 * (rk1 + rk2)) / 6.0
        if self.step_no == 0:
            self.h = self.attack_head
        self.h += self.dist_step
        self.dist_step = old_step

    def _psi(self, u: float) -> float:
        ro = u - math.pi / 2.0
        if abs(ro) < 0.00001:
            u = math.pi / 2.0 + (0.00001 if ro > 0 else -0.00001)
        psi = math.atan((math.sin(u) / math.cos(u)) / math.sqrt(1.0 - self.eps2))
        return psi + math.pi if psi < 0.0 else psi

    def _coords(self) -> None:
        self.y = math.sin(self.u) * self.h * self.a
        self.x = (math.cos(self.u) + self.eps) * self.h / (1.0 + self.eps)
        if self.attack_dist > 0.001:
            psi = self._psi(self.u)
            self.y += self.attack_dist * math.sin(psi)
            self.x += self.attack_dist * math.cos(psi)

    def step(self) -> ContainStatus:
        self._calc_u()
        self.step_no += 1
        if self.status == ContainStatus.OVERRUN:
            return self.status
        if self.tactic == ContainTactic.HEAD and self.u >= math.pi:
            self.status = ContainStatus.CONTAINED
            self.h = self.h0 - self.dist_step * self.u0 / (self.u0 + abs(self.u))
            self.u = math.pi
        elif self.tactic == ContainTactic.REAR and self.u <= 0.0:
            self.status = ContainStatus.CONTAINED
            self.h = self.h0 + self.dist_step * self.u0 / (self.u0 + abs(self.u))
            self.u = 0.0
        self._coords()
        self.current_time_at_head += self.time_increment
        self.current_time = self.current_time_at_head + self.attack_time
        return self.status


def _uncontained_area(head: float, lw: float, x: float, y: float, tactic: ContainTactic) -> float:
    """Area (ch^2) of the uncontained part of the ellipse (ContainSim::UncontainedArea)."""
    if lw < 1.0:
        lw = 1.00000001
    ecc = math.sqrt(1.0 - 1.0 / (lw * lw))
    a = head / (1.0 + ecc)
    b = a / lw
    xc = x - a * ecc
    if xc < -a:
        xc, y = -a, 0.0
    if xc > a:
        xc, y = a, 0.0
    r = math.sqrt(xc * xc + y * y)
    if r == 0.0:
        theta = math.pi / 2.0
    elif xc >= 0:
        theta = math.acos(xc / r)
    else:
        theta = 3.141592654 - math.acos(-xc / r)
    s2, c2 = math.sin(2 * theta), math.cos(2 * theta)
    arg = ((b - a) * s2) / ((a + b) + (b - a) * c2)
    sector = (a * b / 2.0) * (theta - math.atan(arg))
    area = sector - xc * y / 2.0
    if tactic == ContainTactic.HEAD:
        area = 3.141592654 * a * b / 2.0 - area
    return max(area, 0.0)


def contain_fried_fried(
    report_size_ac: float,
    report_rate_ch_h: float,
    lw_ratio: float,
    resources: Sequence[ContainResource],
    tactic: ContainTactic | str = ContainTactic.HEAD,
    attack_distance_ch: float = 0.0,
    *,
    retry: bool = True,
    min_steps: int = 250,
    max_steps: int = 1000,
    max_fire_size_ac: float = 1000.0,
    max_fire_time_min: float = 1080.0,
    diurnal_ros_ch_h: Sequence[float] | None = None,
) -> ContainResult:
    """Run Behave's Fried & Fried containment simulation.

    Defaults are those of Behave's ``ContainAdapter`` (retry on, 250..1000 steps,
    1000 ac and 1080 min escape limits).

    Args:
        report_size_ac: Fire size when reported (ac).
        report_rate_ch_h: Head spread rate when reported (ch/h).
        lw_ratio: Fire length-to-width ratio.
        resources: Resources (arrival/duration in minutes since report).
        tactic: ``ContainTactic.HEAD``/``"head"`` or ``REAR``/``"rear"``.
        attack_distance_ch: Parallel-attack offset from the fire edge (ch).
        retry: If overrun, retry with a later initial attack.
        min_steps: Minimum integration steps (step size halved until reached).
        max_steps: Maximum integration steps.
        max_fire_size_ac: Escape size limit (ac).
        max_fire_time_min: Escape time limit (min since report).
        diurnal_ros_ch_h: Optional 24 hourly head rates (ch/h); default constant.

    Returns:
        A :class:`ContainResult`.
    """
    if isinstance(tactic, str):
        tactic = ContainTactic.REAR if tactic.lower().startswith("r") else ContainTactic.HEAD
    report_rate = max(float(report_rate_ch_h), 0.00001)
    diurnal = list(diurnal_ros_ch_h) if diurnal_ros_ch_h is not None else [report_rate] * 24
    force = _Force(resources)
    if not force.res or report_size_ac == 0:
        raise ValueError("need at least one resource and a non-zero report size")
    max_steps = max(int(max_steps), 10)
    attack_time = force.first_arrival()
    if attack_time < 0:
        raise ValueError("resource arrival times must be >= 0")
    c = _Contain(
        report_size_ac, report_rate, diurnal, lw_ratio, report_rate / 60.0, force,
        attack_time, tactic, attack_distance_ch,
    )  # fmt: skip

    rerun = True
    maxsteps_exceeded = False
    passes = 0
    xs: list[float] = []
    ys: list[float] = []
    final_line = 0.0
    final_sweep = 0.0
    guard = 0
    while rerun:
        guard += 1
        if guard > 200:  # Behave's "case 7" could loop forever; we stop.
            c.status = ContainStatus.OVERFLOW
            break
        xs, ys, hs = [c.x], [c.y], [c.h]
        final_line = 0.0
        total_area = 0.0
        sum_dt = 0.0
        i_left = 0
        while (
            c.status not in (ContainStatus.OVERRUN, ContainStatus.CONTAINED)
            and c.step_no < max_steps
            and total_area < max_fire_size_ac
            and c.current_time < max_fire_time_min
            and c.current_time < c.exhausted
        ):
            c.step()
            i_left += 1
            xs.append(c.x)
            ys.append(c.y)
            hs.append(c.h)
            dx, dy = xs[-2] - xs[-1], ys[-2] - ys[-1]
            final_line += 2.0 * math.hypot(dx, dy)
            sum_dt += (xs[-1] - xs[-2]) * (ys[-1] + ys[-2])
            area = abs(sum_dt) * 0.5 + _uncontained_area(hs[-1], c.lw, xs[-1], ys[-1], c.tactic)
            total_area = 0.2 * area
        if c.status == ContainStatus.CONTAINED and c.tactic == ContainTactic.HEAD:
            xs[c.step_no] -= 2.0 * c.attack_dist
        sdt = 0.0
        for i in range(1, c.step_no + 1):
            sdt += (xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1])
        area = abs(sdt) * 0.5 + _uncontained_area(
            hs[c.step_no], c.lw, xs[c.step_no], ys[c.step_no], c.tactic
        )
        final_sweep = 0.2 * area

        if c.status == ContainStatus.OVERRUN:
            at = force.next_arrival(c.attack_time, c.exhausted) if retry else 0.0
            if retry and at > 0.01:
                passes += 1
                c.attack_time = at
                c.reset()
                rerun = True
            else:
                rerun = False
                if retry:
                    c.status = ContainStatus.EXHAUSTED
        elif c.current_time >= c.exhausted:
            rerun = False
            c.status = ContainStatus.EXHAUSTED
        elif i_left >= max_steps:
            c.dist_step *= 2.0
            passes += 1
            if not maxsteps_exceeded:
                c.reset()
                rerun = True
            else:
                rerun = False
            maxsteps_exceeded = True
        elif c.status == ContainStatus.CONTAINED:
            if i_left < min_steps and not maxsteps_exceeded:
                c.dist_step *= 0.5
                passes += 1
                c.reset()
                rerun = True
            else:
                rerun = False
        elif total_area >= max_fire_size_ac:
            rerun = False
            c.status = ContainStatus.SIZE_LIMIT_EXCEEDED
        elif c.current_time > max_fire_time_min - 1:
            c.current_time = max_fire_time_min
            c.status = ContainStatus.TIME_LIMIT_EXCEEDED
            rerun = False
        else:
            rerun = True
    if c.current_time > max_fire_time_min - 1:
        c.current_time = max_fire_time_min
        c.status = ContainStatus.TIME_LIMIT_EXCEEDED

    final_time = c.current_time
    final_perim = final_line
    final_size = final_sweep
    if c.status != ContainStatus.CONTAINED:
        final_perim = 0.0
        final_sweep = 0.0
    used = 0
    cost = 0.0
    for i, r in enumerate(force.res):
        if r.arrival_min < final_time:
            used += 1
            cost += force.cost(i, final_time)

    # Size at initial attack: Behave sizes a free-burning ellipse with effective
    # wind 4 (LW - 1) mph (inverse of the old LW = 1 + U/4 relation).
    ell = FireEllipse.from_effective_wind(report_rate / 60.0, 4.0 * (lw_ratio - 1.0))  # ch/min
    a1, b1 = ell.a(1.0), ell.b(1.0)
    size_ia = perim_ia = 0.0
    den = math.pi * a1 * b1
    if den > 1e-7:
        t0 = math.sqrt(report_size_ac * 10.0 / den)
        t_ia = t0 + max(attack_time, 0.0)
        size_ia = ell.area(t_ia) / 10.0
        perim_ia = ell.perimeter(t_ia)
    return ContainResult(
        status=ContainStatus(c.status),
        final_fire_line_ch=final_line,
        perimeter_at_containment_ch=final_perim,
        final_fire_size_ac=final_size,
        final_containment_area_ac=final_sweep,
        final_time_since_report_min=final_time,
        fire_size_at_initial_attack_ac=size_ia,
        perimeter_at_initial_attack_ch=perim_ia,
        resources_used=used,
        final_cost=cost,
        passes=passes,
        steps=c.step_no,
        line_x_ch=xs[: c.step_no + 1],
        line_y_ch=ys[: c.step_no + 1],
    )


def simple_containment_time_linear(
    line_rate: float,
    attack_time: float,
    perimeter_growth_rate: float,
    perimeter_at_zero: float = 0.0,
) -> float | None:
    """Containment time under ``L (t - t_a) >= P0 + k t`` (models.md §1).

    Args:
        line_rate: Line construction rate L (length per time).
        attack_time: Time line construction starts, t_a.
        perimeter_growth_rate: Perimeter growth rate k (same units as L).
        perimeter_at_zero: Perimeter at t = 0, P0.

    Returns:
        ``t_c = (L t_a + P0)/(L - k)`` or ``None`` when ``L <= k`` (never contained).
    """
    if line_rate <= perimeter_growth_rate:
        return None
    return (line_rate * attack_time + perimeter_at_zero) / (line_rate - perimeter_growth_rate)


def simple_containment_time(
    line_rate: float | Callable[[float], float],
    attack_time: float,
    perimeter: Callable[[float], float],
    t_max: float,
    dt: float = 1.0,
) -> float | None:
    """First time ``t >= attack_time`` at which cumulative line >= perimeter.

    Works with any perimeter function, e.g. ``FireEllipse.perimeter`` or
    ``FireSpread.perimeter_m``.  The crossing is located by scanning with ``dt``
    and refined by bisection.

    Args:
        line_rate: Constant line rate (length/time) or a function of time giving
            the instantaneous rate (integrated with the trapezoid rule on ``dt``).
        attack_time: Start of line construction.
        perimeter: Function of time returning the fire perimeter.
        t_max: Give up after this time.
        dt: Scan step.

    Returns:
        Containment time, or ``None`` if not reached by ``t_max``.
    """
    if callable(line_rate):
        rate_fn = line_rate

        def line(t: float) -> float:
            n = max(1, int(math.ceil((t - attack_time) / dt)))
            h = (t - attack_time) / n
            s = 0.5 * (rate_fn(attack_time) + rate_fn(t))
            s += sum(rate_fn(attack_time + k * h) for k in range(1, n))
            return s * h
    else:
        rate = float(line_rate)

        def line(t: float) -> float:
            return rate * (t - attack_time)

    def gap(t: float) -> float:
        return line(t) - perimeter(t)

    t_prev = attack_time
    if gap(t_prev) >= 0:
        return t_prev
    t = attack_time
    while t < t_max:
        t = min(t + dt, t_max)
        if gap(t) >= 0:
            lo, hi = t_prev, t
            for _ in range(60):
                mid = 0.5 * (lo + hi)
                if gap(mid) >= 0:
                    hi = mid
                else:
                    lo = mid
            return hi
        t_prev = t
    return None
