"""The CJK font must also draw Latin text (labels mix both scripts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import fonts

DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


def test_chosen_font_has_latin_and_chinese_glyphs() -> None:
    path = fonts.cjk_font_path()
    if path is None:
        pytest.skip("no CJK font on this machine and no cjk extra")
    assert fonts._covers_latin_and_cjk(path)


@pytest.mark.skipif(not DROID.exists(), reason="Droid Sans Fallback not installed")
def test_cjk_only_fallback_font_is_refused() -> None:
    # Droid Sans Fallback has CJK glyphs but no Latin: every digit would be a box.
    assert not fonts._covers_latin_and_cjk(str(DROID))
