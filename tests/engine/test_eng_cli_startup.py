"""`jmsim calc ...` starts without the heavy stack (issue #15: lazy imports).

A calculator is a table-top tool: it must not pay for pygame, dask, matplotlib,
Mesa or the world. Each case runs the real CLI in a fresh interpreter and lists
which of those modules got imported.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ["mesa", "pandas", "pygame", "dask", "distributed", "matplotlib", "scipy",
         "networkx", "pyproj", "sim.model", "sim.world"]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["fire-ros", "--fuel", "GR2", "--m1h", "6", "--m10h", "7", "--m100h", "8",
          "--m-live-herb", "60", "--m-live-woody", "90", "--midflame-wind-m-s", "3"], set()),
        (["plume", "--chemical", "chlorine", "--rate-kg-s", "1", "--wind-m-s", "3",
          "--stability", "D", "--x-m", "500"], set()),
        (["zones", "--chemical", "chlorine", "--rate-kg-s", "1", "--wind-m-s", "3",
          "--stability", "D"], {"scipy"}),  # root finding (brentq) is the job
        (["holland", "--pc-hpa", "950", "--penv-hpa", "1010", "--lat", "22", "--rmax-km", "30",
          "--b", "1.5", "--r-km", "50"], set()),
        (["damage", "--wind-m-s", "40"], set()),
    ],
)  # fmt: skip
def test_calculators_do_not_load_the_heavy_stack(args, allowed):
    code = (
        "import contextlib, io, json, sys\n"
        "from sim.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    rc = main(['calc', *{args!r}, '--json'])\n"
        f"print(json.dumps({{'rc': rc, 'loaded': [m for m in {HEAVY!r} if m in sys.modules],"
        " 'out': json.loads(out.getvalue())}))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    d = json.loads(res.stdout)
    assert d["rc"] == 0 and d["out"]  # the calculator answered
    assert set(d["loaded"]) <= allowed, d["loaded"]
