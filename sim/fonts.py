"""Fonts with Chinese glyphs for figures and the drill window.

Plan wording, district and facility names are Chinese. Figures and the pygame
window need a font that has those glyphs; without one they would show boxes.
This module finds one — a CJK font the system already has (through
matplotlib's font list), else the one shipped by the optional `mplfonts`
package (`pip install jmsim[cjk]`) — and callers fall back to Latin labels
when there is none.
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


def _covers(path: str, text: str = "A0a中") -> bool:
    """Whether a font file has glyphs for every character of `text`.

    Some system CJK fonts (e.g. DroidSansFallbackFull) hold no Latin letters or
    digits, so the window would show boxes for every number.
    """
    try:
        from fontTools.ttLib import TTCollection, TTFont

        if path.lower().endswith((".ttc", ".otc")):
            font = TTCollection(path, lazy=True).fonts[0]
        else:
            font = TTFont(path, lazy=True, fontNumber=0)
        cmap = font.getBestCmap() or {}
    except Exception:  # unreadable font: not a candidate
        return False
    return all(ord(c) in cmap for c in text)


@cache
def cjk_font_path() -> str | None:
    """Path of a font file with CJK *and* Latin glyphs, or None."""
    from matplotlib import font_manager

    for f in font_manager.fontManager.ttflist:
        if any(k in f.name for k in CJK_FAMILIES) and _covers(f.fname):
            return f.fname
    try:
        import mplfonts
    except ImportError:
        return None
    p = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return str(p) if p.exists() else None


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
