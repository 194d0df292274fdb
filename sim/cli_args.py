"""Argument types for the command line: numbers with a unit and a physical range.

argparse calls these on the raw text, so a bad value ends as one line naming
the flag (`argument --runs: got 0; expected an integer 1..100000 (runs)`), and
`--help` shows each option's unit and range from the same table.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from sim.rng import MAX_SEED


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage block), exit code 2."""

    def error(self, message: str):  # noqa: D102
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def number(
    kind: type,
    lo: float | None = None,
    hi: float | None = None,
    unit: str = "",
    *,
    lo_open: bool = False,
    fraction_hint: bool = False,
) -> Callable[[str], float | int]:
    """An argparse `type=` that parses `kind` and checks lo..hi (`lo_open`: lo excluded).

    `fraction_hint`: the value is a percentage, so a value below 1 is most likely a
    fraction typed by mistake and the error says so.
    """

    def parse(text: str):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"got {text!r}; expected {describe()}") from None
        if isinstance(v, float) and not math.isfinite(v):
            raise argparse.ArgumentTypeError(f"got {text}; expected a finite {describe()}")
        low_bad = lo is not None and (v <= lo if lo_open else v < lo)
        if low_bad or (hi is not None and v > hi):
            hint = ""
            if fraction_hint and 0 < v < 1:
                hint = f" ({text} looks like a fraction; give percent, e.g. {v * 100:g})"
            raise argparse.ArgumentTypeError(f"got {text}; expected {describe()}{hint}")
        return v

    def describe() -> str:
        what = "an integer" if kind is int else "a number"
        if lo is not None and hi is not None:
            rng = f" {'>' if lo_open else ''}{lo:g}..{hi:g}"
        elif lo is not None:
            rng = f" {'>' if lo_open else '>='} {lo:g}"
        else:
            rng = ""
        return f"{what}{rng}{f' {unit}' if unit else ''}"

    parse.__name__ = kind.__name__  # argparse names the type in some messages
    parse.describe = describe  # type: ignore[attr-defined]
    return parse


def help_for(text: str, typ: Callable) -> str:
    """Help text with the unit and range of a `number` type appended."""
    d = getattr(typ, "describe", None)
    return f"{text} [{d()}]" if d else text


SEED = number(int, 0, MAX_SEED)
RUNS = number(int, 1, 100_000, "runs")
WORKERS = number(int, 1, 512, "processes")
SAMPLES = number(int, 1, 100_000, "experiments")
