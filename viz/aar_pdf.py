"""The after-action report as a PDF hand-out (matplotlib PdfPages: pure Python, no browser).

Each section of the HTML report is a table; here every table is laid out as
text pages (cells wrapped to their column width, long tables continued on the
next page), followed by the hazard-area maps. Chinese text uses the CJK font
found by `sim.fonts`.
"""

from __future__ import annotations

import io
import textwrap
import unicodedata
from pathlib import Path

#: A4 portrait in inches.
PAGE = (8.27, 11.69)
LINES_PER_PAGE = 62


def display_width(text: str) -> int:
    """Width in Latin character cells: Chinese (East Asian wide/full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells, so a wide cell never runs into the next column.

    Breaks at spaces, and inside runs without spaces (Chinese has none).
    """
    out = []
    for line in textwrap.wrap(text, width) or [""]:
        while display_width(line) > width:
            cut, w = 0, 0
            while cut < len(line) and w + display_width(line[cut]) <= width:
                w += display_width(line[cut])
                cut += 1
            cut = max(cut, 1)
            out.append(line[:cut])
            line = line[cut:].lstrip()
        out.append(line)
    return out


def _wrap_row(row: list, widths: list[int]) -> list[list[str]]:
    """A table row as printed lines, each a list of cell texts (wrapped to column widths)."""
    cells = [wrap(str(c), w) for c, w in zip(row, widths, strict=True)]
    n = max(len(c) for c in cells)
    return [[c[k] if k < len(c) else "" for c in cells] for k in range(n)]


def _widths(headers: list[str], rows: list[list], total: int = 130) -> list[int]:
    """Column widths in characters: each at least its longest word (up to 18), rest by length."""
    cols = list(zip(*([headers, *rows]), strict=True))
    want = [max(display_width(str(c)) for c in col) for col in cols]
    base = [
        min(18, max(max((display_width(w) for w in str(c).split()), default=1) for c in col))
        for col in cols
    ]
    budget = total - 2 * len(cols)
    if sum(want) <= budget:
        return want
    extra = max(0, budget - sum(base))
    grow = [w - b for w, b in zip(want, base, strict=True)]
    g = sum(grow) or 1
    return [b + int(extra * x / g) for b, x in zip(base, grow, strict=True)]


def write_pdf(
    path: str | Path,
    title: str,
    sections: list[tuple[str, list[str], list[list]]],
    images: list[tuple[str, bytes]],
    notes: list[str] = (),
) -> Path:
    """Sections (heading, headers, rows) as text pages, then one page per (title, PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.image as mpimg
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from sim.fonts import use_cjk_in_matplotlib

    use_cjk_in_matplotlib()
    lines: list[tuple[str, object, list[int]]] = [
        *(("title", t, []) for t in textwrap.wrap(title, 70)),
        *(("note", n, []) for n in notes),
        ("", "", []),
    ]
    for heading, headers, rows in sections:
        lines.append(("h", heading, []))
        w = _widths(headers, rows)
        lines += [("th", ln, w) for ln in _wrap_row(headers, w)]
        for r in rows:
            lines += [("td", ln, w) for ln in _wrap_row(r, w)]
        lines.append(("", "", []))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part")
    with PdfPages(tmp) as pdf:
        for start in range(0, len(lines), LINES_PER_PAGE):
            fig = plt.figure(figsize=PAGE)
            y = 0.97
            for kind, text, w in lines[start : start + LINES_PER_PAGE]:
                style = {
                    "title": {"fontsize": 13, "weight": "bold"},
                    "h": {"fontsize": 10.5, "weight": "bold"},
                    "th": {"fontsize": 6.2, "color": "0.35"},
                    "note": {"fontsize": 7.5, "color": "0.3"},
                }.get(kind, {"fontsize": 6.2})
                if isinstance(text, list):  # table line: each cell at its column
                    x, total = 0.04, sum(w) + 2 * len(w)
                    for cell, cw in zip(text, w, strict=True):
                        fig.text(x, y, cell, va="top", **style)
                        x += 0.92 * (cw + 2) / total
                else:
                    fig.text(0.04, y, text, va="top", **style)
                y -= 0.0152 if kind in ("td", "th", "") else 0.022
            pdf.savefig(fig)
            plt.close(fig)
        for caption, png in images:
            fig = plt.figure(figsize=PAGE)
            ax = fig.add_axes((0.05, 0.08, 0.9, 0.84))
            ax.imshow(mpimg.imread(io.BytesIO(png), format="png"))
            ax.axis("off")
            fig.text(0.05, 0.95, caption, fontsize=11, weight="bold")
            pdf.savefig(fig)
            plt.close(fig)
    tmp.replace(out)
    return out
