"""Fonts with Chinese glyphs for figures and the drill window.

Plan wording, district and facility names are Chinese. Figures and the pygame
window need a font that has those glyphs; without one they would show boxes.
This module finds one — the font shipped by the optional `mplfonts` package
(`pip install jmsim[cjk]`), else a system font with both Latin and CJK glyphs
(through matplotlib's font list) — and callers fall back to Latin labels when
there is none.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

#: Font family names (substrings) known to carry simplified-Chinese glyphs.
CJK_FAMILIES = (
    "Noto Sans CJK",
    "Noto Serif CJK",
    "Source Han Sans",
    "WenQuanYi",
    "SimHei",
    "Microsoft YaHei",
    "PingFang",
    "Droid Sans Fallback",
)


def _covers_latin_and_cjk(path: str) -> bool:
    """True if the font has both Latin and Chinese glyphs.

    Fallback fonts such as Droid Sans Fallback carry CJK only: labels mixing
    both scripts would show boxes for every Latin letter and digit.
    """
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError):
        return False
    return all(ord(c) in charmap for c in "A0江")


@cache
def cjk_font_path() -> str | None:
    """Path of a font file with Latin and CJK glyphs, or None.

    The font shipped by the `cjk` extra comes first, so every machine with the
    extra draws the same glyphs; a system font is the fallback.
    """
    try:
        import mplfonts
    except ImportError:
        pass
    else:
        p = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
        if p.exists():
            return str(p)
    from matplotlib import font_manager

    for f in font_manager.fontManager.ttflist:
        if any(k in f.name for k in CJK_FAMILIES) and _covers_latin_and_cjk(f.fname):
            return f.fname
    return None


@cache
def matplotlib_cjk_family() -> str | None:
    """Register the CJK font with matplotlib and return its family name, or None."""
    path = cjk_font_path()
    if path is None:
        return None
    import logging

    from matplotlib import font_manager

    # CJK fonts ship one weight; matplotlib would log a fallback note for every bold label.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def use_cjk_in_matplotlib() -> bool:
    """Put the CJK font first in matplotlib's sans-serif list; True if one was found."""
    import matplotlib.pyplot as plt

    fam = matplotlib_cjk_family()
    if fam is None:
        return False
    rest = [f for f in plt.rcParams["font.sans-serif"] if f != fam]
    plt.rcParams["font.sans-serif"] = [fam, *rest]
    return True
