"""report.html and the after-action report give the same verdict and value for the same row.

Issue 12: an `inf` value (an incident never reached) read differently in the two.
Both now print the scorecard row's own `verdict` and `fmt_value`; this pins it
on a hand-built card with an ∞ P90, a failed 100 % target and an unmeasured row.
"""

from __future__ import annotations

import math
from html.parser import HTMLParser

import pandas as pd

from sim.batch.report import scorecard_html_rows
from sim.events import EventLog
from sim.indicators.catalog import CATALOG
from sim.indicators.measures import MEASURES
from sim.indicators.scorecard import COLUMNS, _row, overall_verdict, score_samples
from viz.aar import _overall_line, indicator_table, strengths_and_areas


class _Cells(HTMLParser):
    """Rows of cell texts of the first table in an HTML snippet."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _table(html_text: str) -> dict[str, dict[str, str]]:
    p = _Cells()
    p.feed(html_text)
    head = [h.lower() for h in p.rows[0]]
    return {r[head.index("indicator")]: dict(zip(head, r, strict=True)) for r in p.rows[1:]}


def _events(*rows) -> pd.DataFrame:
    log = EventLog()
    for t, kind, kw in rows:
        log.emit(t, kind, **kw)
    df = log.to_frame()
    df.insert(0, "run_id", "r1")
    return df


def _card() -> pd.DataFrame:
    never = _events(  # five sea calls, none reached in 10 h: P90 = ∞
        *[(float(k), "incident_reported", {"incident_id": f"I{k}", "domain": "sea"})
          for k in range(5)],
        (600.0, "run_finished", {}),
    )  # fmt: skip
    sea = score_samples(CATALOG["sea_arrival_time"], MEASURES["sea_arrival_time"](never), 2025)
    late = _events(
        (0.0, "run_started", {"report_deadline_min": 180.0}),
        (0.0, "incident_reported", {"incident_id": "A"}),
        (600.0, "run_finished", {}),
    )
    rep = score_samples(
        CATALOG["incident_report_timeliness"],
        MEASURES["incident_report_timeliness"](late),
        2025,
    )
    nm = _row(CATALOG["scene_comms_assurance"], 2025, status="not_modelled", verdict="n/a",
              reason="no comms-failure model")  # fmt: skip
    return pd.DataFrame([sea, rep, nm], columns=COLUMNS)


def test_inf_row_reads_the_same_in_report_and_aar():
    card = _card()
    sea = card.set_index("id").loc["sea_arrival_time"]
    assert math.isinf(sea["estimate"]) and sea["verdict"] == "fail"
    report = _table(scorecard_html_rows(card))
    aar = _table(indicator_table(card))
    assert set(report) == set(aar) == set(card["id"])
    for i in card["id"]:
        assert report[i]["verdict"] == aar[i]["verdict"], i
        assert report[i]["estimate"] == aar[i]["estimate"], i
        assert report[i]["status"] == aar[i]["status"], i
        assert report[i]["dominant cause"] == aar[i]["dominant cause"], i
    assert aar["sea_arrival_time"]["estimate"] == "∞"
    assert aar["sea_arrival_time"]["verdict"] == "fail"
    assert report["incident_report_timeliness"]["verdict"] == "fail"


def test_overall_line_and_areas_for_improvement_agree_with_the_report():
    card = _card()
    assert _overall_line(card) == overall_verdict(card)["line"]
    good, bad = strengths_and_areas(card, [])
    assert not good
    assert any("sea_arrival_time" in b and "missed its target" in b and "∞" in b for b in bad)
