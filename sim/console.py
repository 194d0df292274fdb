"""The `jmsim` console script (pyproject ``[project.scripts]``).

Its own module because the process must be set up before numpy loads, and
`sim.cli` imports numpy (the seed streams) as it is imported.
"""

from __future__ import annotations

from collections.abc import Sequence

from sim.threads import one_blas_thread_by_default


def main(argv: Sequence[str] | None = None) -> int:
    """One BLAS thread unless the user chose a count (`sim.threads`), then `sim.cli.main`."""
    one_blas_thread_by_default()
    from sim.cli import main as cli_main

    return cli_main(argv)
