"""jmsim drill visualiser (pygame): map, hazard overlays, HUD, record/replay, AAR."""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
