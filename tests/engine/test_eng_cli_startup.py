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


def _blas_threads_after_cli(env: dict[str, str]) -> list[int]:
    """BLAS pool sizes in a fresh interpreter that ran the console script's `main`."""
    code = (
        "import contextlib, io, json\n"
        "from sim.console import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['calc', 'damage', '--wind-m-s', '40', '--json'])\n"
        "from threadpoolctl import threadpool_info\n"
        "print(json.dumps([i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas']))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return json.loads(res.stdout)


def test_console_script_starts_numpy_with_one_blas_thread():
    """Starting a pool thread per core cost ~50-100 ms CPU per `jmsim` here (sim/threads.py)."""
    import os

    from sim.threads import BLAS_THREAD_VARS

    env = {k: v for k, v in os.environ.items() if k not in BLAS_THREAD_VARS}
    assert _blas_threads_after_cli(env) == [1]
    # a count the user chose is kept
    assert _blas_threads_after_cli({**env, "OMP_NUM_THREADS": "2"}) == [2]


def test_one_blas_thread_by_default_only_when_unset():
    from sim.threads import one_blas_thread_by_default

    env: dict[str, str] = {}
    assert one_blas_thread_by_default(env) and env == {"OPENBLAS_NUM_THREADS": "1"}
    env = {"OMP_NUM_THREADS": "4"}
    assert not one_blas_thread_by_default(env) and env == {"OMP_NUM_THREADS": "4"}


def test_jmsim_console_script_is_the_set_up_entry():
    from importlib.metadata import entry_points

    (ep,) = entry_points(group="console_scripts", name="jmsim")
    assert ep.value == "sim.console:main"
    code = "import sys, sim.console; print('numpy' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "False"  # nothing has loaded numpy before `main` sets it up
