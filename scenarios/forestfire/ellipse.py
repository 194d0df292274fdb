"""Elliptical fire growth (Anderson 1983) as in Behave ``fireSize.cpp``.

A point-ignited fire under uniform conditions is an ellipse whose rear focus is
the ignition point.  Given the head rate of spread R and the effective wind
speed U (mph), Behave computes:

* length-to-width ratio ``LW = min(8, 0.936 e^{0.1147 U} + 0.461 e^{-0.0692 U} - 0.397)``
  (Anderson 1983, INT-305, with Finney's -0.397 normalisation; LW = 1 at U = 0);
* eccentricity ``e = sqrt(LW^2 - 1)/LW``;
* backing rate ``R_b = R (1-e)/(1+e)``;
* flanking rate ``R_f = (R + R_b)/(2 LW)`` (half the ellipse width per unit time);
* semi-axes per unit time ``b = (R + R_b)/2`` (major), ``a = b/LW`` (minor),
  focus offset ``c = b - R_b``;
* heading-to-backing ratio (Alexander 1985) ``(LW + sqrt(LW^2-1))/(LW - sqrt(LW^2-1))``;
* rate from the ignition point at angle psi from the head ``R (1-e)/(1 - e cos psi)``
  (polar form of the ellipse about its focus);
* rate normal to the perimeter at angle psi (Catchpole et al. 1982, Behave
  ``FromPerimeter``): ``g cos psi + sqrt(f^2 cos^2 psi + h^2 sin^2 psi)`` with
  ``f = (R+R_b)/2, g = R - f, h = R_f``;
* area ``pi a b t^2``; perimeter (Ramanujan-type series as in Behave)
  ``pi (a+b)(1 + h/4 + h^2/64)``, ``h = ((a-b)/(a+b))^2``.

All functions are unit-agnostic: rates in any length unit per minute give
lengths in that unit and areas in its square; time is in minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .rothermel import length_to_width_ratio

__all__ = [
    "FireEllipse",
    "length_to_width_ratio",
    "eccentricity",
    "backing_ros",
    "flanking_ros",
    "heading_to_backing_ratio",
    "ros_at_angle",
    "ros_normal_to_perimeter",
]


def eccentricity(lw: Any) -> Any:
    """Ellipse eccentricity from the length-to-width ratio (0 for LW <= 1)."""
    lw_a = np.asarray(lw, dtype=float)
    e = np.sqrt(np.maximum(lw_a * lw_a - 1.0, 0.0)) / np.maximum(lw_a, 1e-12)
    return float(e) if e.ndim == 0 else e


def backing_ros(head_ros: Any, ecc: Any) -> Any:
    """Backing rate ``R (1-e)/(1+e)``."""
    return np.asarray(head_ros) * (1.0 - np.asarray(ecc)) / (1.0 + np.asarray(ecc))


def flanking_ros(head_ros: Any, lw: Any) -> Any:
    """Flanking rate ``(R + R_b)/(2 LW)`` (Behave ``calculateFlankingSpreadRate``)."""
    e = eccentricity(lw)
    return (np.asarray(head_ros) + backing_ros(head_ros, e)) / (2.0 * np.asarray(lw))


def heading_to_backing_ratio(lw: float) -> float:
    """Alexander (1985) heading-to-backing ratio."""
    part = math.sqrt(max(lw * lw - 1.0, 0.0))
    return (lw + part) / (lw - part)


def ros_at_angle(head_ros: Any, ecc: Any, psi_deg: Any) -> Any:
    """Spread rate from the ignition point at ``psi`` degrees off the head direction.

    This is the polar equation of the ellipse about its rear focus, so that the
    locus ``r(psi) = t * ros_at_angle(psi)`` is exactly the Behave fire ellipse.
    """
    e = np.asarray(ecc, dtype=float)
    return np.asarray(head_ros) * (1.0 - e) / (1.0 - e * np.cos(np.deg2rad(psi_deg)))


def ros_normal_to_perimeter(head_ros: float, lw: float, psi_deg: float) -> float:
    """Rate normal to the perimeter (Catchpole et al. 1982; Behave FromPerimeter mode)."""
    e = eccentricity(lw)
    back = head_ros * (1 - e) / (1 + e)
    flank = (head_ros + back) / (2 * lw)
    f = (head_ros + back) / 2.0
    g = head_ros - f
    r = math.radians(psi_deg)
    return g * math.cos(r) + math.sqrt(f * f * math.cos(r) ** 2 + flank * flank * math.sin(r) ** 2)


@dataclass(frozen=True, slots=True)
class FireEllipse:
    """A free-burning elliptical fire (Behave ``FireSize``).

    Attributes:
        head_ros: Head rate of spread (length unit per minute).
        lw: Length-to-width ratio.
    """

    head_ros: float
    lw: float

    @classmethod
    def from_effective_wind(cls, head_ros: float, effective_wind_mph: float) -> FireEllipse:
        """Build from head ROS and effective wind speed (mph), as Behave does."""
        return cls(float(head_ros), float(length_to_width_ratio(effective_wind_mph)))

    @property
    def eccentricity(self) -> float:
        """Eccentricity."""
        return float(eccentricity(self.lw))

    @property
    def backing_ros(self) -> float:
        """Backing rate."""
        e = self.eccentricity
        return self.head_ros * (1.0 - e) / (1.0 + e)

    @property
    def flanking_ros(self) -> float:
        """Flanking rate (half-width growth rate)."""
        return (self.head_ros + self.backing_ros) / (2.0 * self.lw)

    @property
    def heading_to_backing_ratio(self) -> float:
        """Alexander (1985) heading-to-backing ratio."""
        return heading_to_backing_ratio(self.lw)

    def a(self, t_min: float) -> float:
        """Semi-minor axis after ``t_min`` minutes."""
        return (self.head_ros + self.backing_ros) / 2.0 / self.lw * t_min

    def b(self, t_min: float) -> float:
        """Semi-major axis after ``t_min`` minutes."""
        return (self.head_ros + self.backing_ros) / 2.0 * t_min

    def c(self, t_min: float) -> float:
        """Centre-to-focus (ignition point) distance after ``t_min`` minutes."""
        return ((self.head_ros + self.backing_ros) / 2.0 - self.backing_ros) * t_min

    def length(self, t_min: float) -> float:
        """Fire length (head to back) after ``t_min``."""
        return 2.0 * self.b(t_min)

    def width(self, t_min: float) -> float:
        """Maximum fire width after ``t_min``."""
        return 2.0 * self.a(t_min)

    def area(self, t_min: float) -> float:
        """Area ``pi a b`` after ``t_min`` minutes (length unit squared)."""
        return math.pi * self.a(t_min) * self.b(t_min)

    def perimeter(self, t_min: float) -> float:
        """Perimeter after ``t_min`` minutes (Behave's series)."""
        a, b = self.a(t_min), self.b(t_min)
        if a + b <= 1e-7:
            return 0.0
        h = ((a - b) / (a + b)) ** 2
        return math.pi * (a + b) * (1.0 + h / 4.0 + h * h / 64.0)

    def ros_at_angle(self, psi_deg: Any) -> Any:
        """Rate from the ignition point at ``psi`` degrees from the head."""
        return ros_at_angle(self.head_ros, self.eccentricity, psi_deg)

    def contains(self, x: Any, y: Any, t_min: float) -> Any:
        """Whether points (x along the head direction, y across) are inside at ``t_min``.

        The ignition point is the origin; the head is towards +x.
        """
        a, b, c = self.a(t_min), self.b(t_min), self.c(t_min)
        if a <= 0 or b <= 0:
            return np.zeros(np.broadcast(np.asarray(x), np.asarray(y)).shape, dtype=bool)
        xc = np.asarray(x, dtype=float) - c
        return (xc / b) ** 2 + (np.asarray(y, dtype=float) / a) ** 2 <= 1.0
