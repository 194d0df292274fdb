"""The dispatch machinery as an M/M/c queue agrees with the Erlang C formula."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from sim.calc.erlang import erlang_c_wait_probability, erlang_c_wq, erlang_check


def test_formula_reduces_to_mm1():
    # M/M/1: P(wait) = ρ and Wq = ρ/(μ−λ) (Kleinrock 1975, Queueing Systems I, §3.2)
    lam, mu = 2.0, 3.0
    rho = lam / mu
    assert erlang_c_wait_probability(lam, mu, 1) == pytest.approx(rho, rel=1e-12)
    assert erlang_c_wq(lam, mu, 1) == pytest.approx(rho / (mu - lam), rel=1e-12)


def test_formula_mm2_closed_form():
    # M/M/2: P(wait) = 2ρ²/(1+ρ) (Gross & Harris, Fundamentals of Queueing Theory, §2.3)
    lam, mu = 3.0, 2.0
    rho = lam / (2 * mu)
    assert erlang_c_wait_probability(lam, mu, 2) == pytest.approx(2 * rho**2 / (1 + rho), rel=1e-12)


def test_formula_textbook_curve_value():
    # 120 customers/h, 3 min each, 10 servers (a = 6 Erlangs): "from the Erlang C curve,
    # the probability of waiting is about 0.10" (textbook exercise quoted on
    # math.stackexchange, "probability of a customer joining a queue via Erlang C curve").
    assert erlang_c_wait_probability(120.0, 20.0, 10) == pytest.approx(0.10, abs=0.005)


def test_unstable_queue_is_rejected():
    with pytest.raises(ValueError, match="unstable"):
        erlang_c_wq(3.0, 1.0, 3)


def test_simulation_within_three_batch_standard_errors():
    # Statistical check on a medium run: |sim − Erlang C| < 3 SE (batch means).
    r = erlang_check(3.0, 2.0, 3, hours=3000, seed=5)
    assert r["incidents"] > 8000
    assert abs(r["sim_wq_h"] - r["erlang_wq_h"]) < 3 * r["sim_wq_se_h"]
    assert r["sim_p_wait"] == pytest.approx(r["erlang_p_wait"], abs=0.03)


def test_cli_prints_required_json():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim.cli",
            "calc",
            "erlang-check",
            "--arrivals-per-h",
            "2",
            "--service-per-h",
            "3",
            "--servers",
            "1",
            "--hours",
            "300",
            "--seed",
            "1",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    d = json.loads(out)
    assert d["erlang_wq_h"] == pytest.approx((2 / 3) / (3 - 2))
    assert math.isfinite(d["sim_wq_h"]) and d["sim_wq_h"] > 0


@pytest.mark.slow
@pytest.mark.parametrize(
    "lam,mu,c,hours",
    [(2.0, 3.0, 1, 60000), (4.0, 1.5, 4, 30000), (6.0, 1.0, 9, 40000)],
)
def test_long_runs_within_five_percent(lam, mu, c, hours):
    r = erlang_check(lam, mu, c, hours=hours, seed=1)
    assert abs(r["rel_error"]) < 0.05, r
