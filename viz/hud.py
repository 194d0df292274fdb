"""The heads-up display: clock and speed, indicators, MSEL, event feed, timeline.

Text rendering is the expensive part of a HUD, so rendered strings are cached
by (text, size, colour); a panel whose text did not change costs only blits.
"""

from __future__ import annotations

import math
from datetime import timedelta

import pygame

from sim.fonts import cjk_font_path
from viz.agents import STATE_RGB, UNIT_RGB, state_label
from viz.text import ui_font

VERDICT_RGB = {
    "pass": (0, 140, 0),
    "fail": (210, 0, 0),
    "cannot tell": (200, 140, 0),
}
PANEL_BG = (245, 245, 240)
INK = (25, 25, 25)
MUTED = (110, 110, 110)
STATUS_RGB = {
    "on time": (0, 140, 0),
    "late": (200, 110, 0),
    "overdue": (210, 0, 0),
    "pending": (60, 60, 160),
    "not fired": MUTED,
}


def renderable(text: str) -> str:
    """Text as the window can draw it.

    CJK is kept when a CJK font is available (see `viz.text`), otherwise dropped
    instead of being shown as boxes.
    """
    if cjk_font_path() is not None:
        return text
    out = "".join(ch for ch in text if ord(ch) < 0x2E80)
    return " ".join(out.replace("()", "").replace("（）", "").split())


class TextCache:
    """Rendered text surfaces, keyed by (text, size, colour)."""

    def __init__(self) -> None:
        self._fonts: dict[int, pygame.font.Font] = {}
        self._cache: dict[tuple, pygame.Surface] = {}
        self._sizes: dict[tuple, tuple[int, int]] = {}

    def font(self, size: int) -> pygame.font.Font:
        """Default font at `size`."""
        if size not in self._fonts:
            self._fonts[size] = ui_font(size)
        return self._fonts[size]

    def size(self, text: str, size: int) -> tuple[int, int]:
        """Cached (width, height) of `text` at `size` (map labels ask every frame)."""
        key = (text, size)
        wh = self._sizes.get(key)
        if wh is None:
            if len(self._sizes) > 4000:
                self._sizes.clear()
            wh = self._sizes[key] = self.font(size).size(renderable(text))
        return wh

    def render(self, text: str, size: int = 18, color=INK) -> pygame.Surface:
        """Cached rendered text."""
        key = (text, size, color)
        img = self._cache.get(key)
        if img is None:
            if len(self._cache) > 4000:
                self._cache.clear()
            img = self.font(size).render(renderable(text), True, color)
            self._cache[key] = img
        return img


def fmt_clock(t_min: float, start) -> str:
    """'T+05:32  09-07 13:32' from scenario minutes and the scenario start time."""
    h, m = divmod(int(t_min), 60)
    wall = start + timedelta(minutes=t_min)
    return f"T+{h:02d}:{m:02d}  {wall:%m-%d %H:%M}"


def fmt_value(v: float, unit: str) -> str:
    """Compact indicator value."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if isinstance(v, float) and math.isinf(v):
        return "inf"
    return f"{v:.0%}" if unit == "share" else f"{v:.3g}"


def wrap_lines(font: pygame.font.Font, text: str, max_w: int, max_lines: int = 3) -> list[str]:
    """`text` broken at spaces into lines no wider than `max_w` pixels (never cut mid-word)."""
    line, lines = "", []
    for w in text.split(" "):
        cand = f"{line} {w}".strip() if line.strip() else w
        if font.size(renderable(cand))[0] <= max_w or not line:
            line = cand
        else:
            lines.append(line)
            line = "  " + w
    lines.append(line)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1] + " …"]
    return lines


class Hud:
    """Draws the side panel and the timeline for a `DrillApp`."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.text = TextCache()

    def _line(self, canvas, x, y, text, size=18, color=INK) -> int:
        img = self.text.render(text, size, color)
        canvas.blit(img, (x, y))
        return y + img.get_height() + 2

    def _wrapped(self, canvas, x, y, text, size=16, color=INK, max_lines: int = 3) -> int:
        """Draw `text` wrapped to the panel width (never cut mid-word); returns the next y."""
        for ln in wrap_lines(self.text.font(size), text, self.width - 20, max_lines):
            y = self._line(canvas, x, y, ln, size, color)
        return y

    def draw_panel(self, canvas: pygame.Surface, app) -> None:
        """Right-hand panel: header, clock, people, indicators, MSEL, feed, message."""
        W, H = canvas.get_size()
        x0 = W - self.width
        pygame.draw.rect(canvas, PANEL_BG, (x0, 0, self.width, H))
        pygame.draw.line(canvas, (180, 180, 180), (x0, 0), (x0, H))
        x = x0 + 10
        s = app.session
        sc = s.scenario.scenario
        y = self._wrapped(canvas, x, 8, sc.title, 20, INK, 2)
        y = self._line(
            canvas, x, y, f"{sc.hazard}  seed {s.seed}  mode {app.mode.upper()}", 17, MUTED
        )
        y = self._line(canvas, x, y + 4, fmt_clock(s.now, sc.start_time), 30)
        speed = "PAUSED" if app.paused else f"{app.speed}x"
        auto = "auto-dispatch ON" if s.model.dispatch.auto else "auto-dispatch OFF"
        y = self._line(
            canvas,
            x,
            y,
            f"speed {speed}   {auto}   {app.fps:4.0f} fps",
            18,
            (200, 0, 0) if app.paused else INK,
        )
        wind = app.wind_text()
        if wind:
            y = self._line(canvas, x, y, wind, 17)
        # people by state
        res = s.model.residents
        if res is not None:
            counts = res.counts()
            xx = x
            for st, col in STATE_RGB.items():
                n = counts.get(st.name.lower(), 0)
                img = self.text.render(f"{state_label(st)} {n:,}", 15)
                if xx > x and xx + 11 + img.get_width() > W - 8:
                    xx, y = x, y + 15
                pygame.draw.rect(canvas, col, (xx, y + 3, 9, 9))
                canvas.blit(img, (xx + 11, y + 1))
                xx += 11 + img.get_width() + 6
            y += 18
        units = s.model.teams
        xx = x
        for st, col in UNIT_RGB.items():
            n = sum(1 for u in units if u.status is st)
            img = self.text.render(f"{st.value.replace('_', ' ')} {n}", 15)
            if xx + 11 + img.get_width() > W - 8:
                xx, y = x, y + 15
            canvas.blit(img, (xx + 11, y + 1))
            pygame.draw.rect(canvas, col, (xx, y + 3, 9, 9))
            xx += 11 + img.get_width() + 6
        y += 20
        # indicators
        y = self._line(
            canvas,
            x,
            y,
            "Indicators (live) vs targets" + ("   | parent" if app.parent_card is not None else ""),
            19,
        )
        card = app.card
        if card is not None:
            parent = (
                {} if app.parent_card is None else {r.id: r for r in app.parent_card.itertuples()}
            )
            for r in card.itertuples():
                # the live panel shows the rows this drill measures (32 plan rows would not fit)
                if getattr(r, "status", "measured") not in ("measured", "event_contribution"):
                    continue
                col = VERDICT_RGB.get(r.verdict, MUTED)
                val = f"{fmt_value(r.estimate, r.unit)} {r.direction}{fmt_value(r.target, r.unit)}"
                vimg = self.text.render(val, 16, col)
                name = r.id
                font = self.text.font(15)
                room = self.width - 30 - vimg.get_width() - (60 if parent else 0)
                while font.size(name)[0] > room and len(name) > 8:  # shorten words, keep the end
                    name = name.replace("_", "", 1) if "_" in name else name[1:]
                canvas.blit(self.text.render(name, 15, col), (x, y))
                canvas.blit(vimg, (x + room + 8, y))
                p = parent.get(r.id)
                if p is not None:
                    canvas.blit(
                        self.text.render(
                            fmt_value(p.estimate, p.unit), 16, VERDICT_RGB.get(p.verdict, MUTED)
                        ),
                        (W - 60, y),
                    )
                y += 16
        y += 6
        # MSEL
        y = self._line(canvas, x, y, "MSEL: next injects", 19)
        for inj in app.next_injects(4):
            h, m = divmod(int(inj.at_min), 60)
            y = self._wrapped(
                canvas,
                x,
                y,
                f"T+{h:02d}:{m:02d} {inj.id} {inj.kind}: {inj.description}",
                16,
                INK,
                2,
            )
        y = self._line(canvas, x, y + 2, "Expected player actions", 19)
        for row in app.expected()[-6:]:
            dl = row.deadline
            when = "" if not math.isfinite(dl) else f"by T+{int(dl) // 60:02d}:{int(dl) % 60:02d}"
            y = self._wrapped(
                canvas,
                x,
                y,
                f"{row.inject_id}: {row.action} {when}  [{row.status}]",
                16,
                STATUS_RGB.get(row.status, INK),
                2,
            )
        y += 4
        # feed
        y = self._line(canvas, x, y, "Event feed", 19)
        bottom = H - 110
        for line in reversed(app.feed[-40:]):
            if y > bottom:
                break
            y = self._wrapped(canvas, x, y, line, 15, INK, 2)
        if app.message:
            msg_col = (200, 0, 0) if app.message.startswith("!") else (0, 90, 0)
            self._wrapped(canvas, x, H - 92, app.message, 15, msg_col, 3)
        self._line(
            canvas, x, H - 38, "SPACE pause 1-4 speed  click unit, click target  F1 help", 15, MUTED
        )
        self._line(
            canvas,
            x,
            H - 22,
            f"[{app.selected or 'no unit selected'}]  pointer {app.pointer_text()}",
            15,
            MUTED,
        )

    def draw_timeline(self, canvas: pygame.Surface, app) -> None:
        """Bottom bar: scenario time, MSEL injects (orange), recorded actions (blue), now (red)."""
        x0, y0, w, h = app.timeline_rect
        pygame.draw.rect(canvas, (235, 235, 235), (x0, y0, w, h))
        end = app.session.end

        def px(t: float) -> int:
            return int(x0 + w * min(max(t / end, 0.0), 1.0))

        for inj in app.session.scenario.msel:
            pygame.draw.line(
                canvas, (240, 140, 0), (px(inj.at_min), y0 + 2), (px(inj.at_min), y0 + h - 2), 3
            )
        for a in [*app.session.applied, *app.session.pending]:
            pygame.draw.line(
                canvas, (40, 80, 220), (px(a.at_min), y0 + 4), (px(a.at_min), y0 + h - 4), 2
            )
        if app.branch is not None:
            bx = px(app.branch["at_min"])
            pygame.draw.line(canvas, (150, 0, 150), (bx, y0), (bx, y0 + h), 2)
        pygame.draw.rect(canvas, (200, 0, 0), (px(app.session.now) - 2, y0, 4, h))
        hours = int(end // 60)
        step = max(1, hours // 12)
        for hh in range(0, hours + 1, step):
            canvas.blit(self.text.render(f"{hh}h", 14, MUTED), (px(hh * 60) + 2, y0 + h - 13))

    def draw_help(self, canvas: pygame.Surface, view_rect) -> None:
        """Key reference overlay (F1)."""
        lines = [
            "Clock: SPACE pause/resume, 1=1x 2=10x 3=60x 4=600x, [ / ] jump -/+1 h, click timeline to jump",
            "Map: wheel or +/- zoom, right-drag or arrows pan, HOME fit, Z zoom to the hazard, L hazard layers",
            "Panels: TAB unit roster (cycles filter: all, busy, available, out of service), F2 legend",
            "Trainer injects at the pointer: F spot fire, R block road, U reopen road, W wind shift +45 deg,",
            "   S sea incident, I land incident, X break down selected unit (Y restore), N note",
            "Trainees: click a unit, then click an incident (dispatch) or a point (preposition);",
            "   E evacuate / P shelter-in-place / G warn 3 km around the pointer, O open nearest shelter,",
            "   M request mutual aid (2 units like the selected one), A toggle auto-dispatch",
            "Record: CTRL+S save, K branch here (asks; later actions kept in the parent file), Q quit (asks, saves)",
        ]
        x, y, w, _ = view_rect
        box = pygame.Surface((w - 20, 20 * len(lines) + 16), pygame.SRCALPHA)
        box.fill((255, 255, 255, 225))
        canvas.blit(box, (x + 10, y + 10))
        for k, t in enumerate(lines):
            canvas.blit(self.text.render(t, 18), (x + 20, y + 18 + 20 * k))
