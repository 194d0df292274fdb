"""report.html: self-contained, all plots present; opens in headless Chromium (slow)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from sim.batch.montecarlo import run_batch
from sim.batch.uncertainty import UncertainScenario

PLOTS = 6  # distributions, response-time CDFs, response phases, footprint map, typical and worst timelines


@pytest.fixture(scope="module")
def report(tmp_path_factory, make_drill):
    d = tmp_path_factory.mktemp("rep")
    src = d / "drill.yaml"
    src.write_text(make_drill())
    out = d / "out"
    res = run_batch(UncertainScenario.load(src), runs=4, seed=2, out=out, workers=1)
    return out / "report.html", res


def test_report_is_self_contained_with_all_plots(report):
    path, res = report
    text = path.read_text(encoding="utf-8")
    assert text.count('<img class="plot"') == PLOTS
    assert len(re.findall(r'src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', text)) == PLOTS
    assert not re.search(r'(src|href)="(https?:)?//', text)  # nothing fetched from the network
    for ind in res.scorecard["id"]:
        assert ind in text
    for alt in ("distributions", "response-time CDFs", "hazard footprint map",
                "typical run timeline", "worst run timeline"):  # fmt: skip
        assert f'alt="{alt}"' in text


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
def test_report_opens_in_headless_chromium_and_screenshot_shows_plots(report, tmp_path):
    exe = _chromium()
    if exe is None:
        pytest.skip("chromium not installed (Debian: apt-get install -y chromium)")
    path, _ = report
    flags = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--enable-logging=stderr", "--v=0"]  # fmt: skip
    dom = subprocess.run(
        [*flags, "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    # the report's own script counts decoded figures after load
    assert f'data-plots-ok="{PLOTS}/{PLOTS}"' in dom.stdout
    console = [ln for ln in dom.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln]
    assert not console, console
    shot = tmp_path / "report.png"
    subprocess.run(
        [*flags, "--window-size=1300,4200", f"--screenshot={shot}", path.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    import matplotlib.image as mpimg

    img = mpimg.imread(shot)[..., :3]
    assert img.shape[0] == 4200 and img.shape[1] == 1300
    # plots are there: many strongly blue pixels (histograms, CDF, incidents) and red ones
    # (target lines), which the text-only page would not have
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    blue = ((b > r + 0.2) & (b > 0.45)).sum()
    red = ((r > g + 0.3) & (r > b + 0.3)).sum()
    assert blue > 5000, blue
    assert red > 500, red
