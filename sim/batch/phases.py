"""Where the response time went: mean phase per arrival indicator, as stacked bars.

Reads the phase fields the dispatcher logs on `unit_arrived` (issue 13) for the
first unit at each incident, grouped by the incident's domain (sea, river,
land, air). A bar that is mostly weather hold says more units at the same base
cannot help; mostly travel says pre-positioning can; queue wait says more units.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from sim.indicators.measures import ALL_PHASES as PHASES

#: Bar colours per phase (colour-blind safe, Okabe-Ito).
PHASE_COLOUR = {
    "call_handling": "#999999",
    "queue_wait": "#E69F00",
    "turnout": "#56B4E9",
    "weather_hold": "#0072B2",
    "travel": "#009E73",
}


def phase_means(events: pd.DataFrame) -> pd.DataFrame:
    """Mean hours of each phase of first arrivals, one row per incident domain."""
    rep = events[events["kind"] == "incident_reported"]
    arr = events[events["kind"] == "unit_arrived"]
    if rep.empty or arr.empty:
        return pd.DataFrame(columns=["domain", *[p.removesuffix("_min") for p in PHASES]])
    dom = {
        (r, i): (json.loads(p) if p else {}).get("domain", "land")
        for r, i, p in zip(rep["run_id"], rep["incident_id"], rep["payload"], strict=True)
    }
    first = arr.sort_values("seq").drop_duplicates(["run_id", "incident_id"])
    rows = []
    for r, i, p in zip(first["run_id"], first["incident_id"], first["payload"], strict=True):
        d = json.loads(p) if p else {}
        if not set(PHASES) <= set(d):
            continue
        rows.append({"domain": dom.get((r, i), "land"), **{k: d[k] / 60.0 for k in PHASES}})
    if not rows:
        return pd.DataFrame(columns=["domain", *[p.removesuffix("_min") for p in PHASES]])
    df = pd.DataFrame(rows).groupby("domain", sort=True).mean().reset_index()
    return df.rename(columns={k: k.removesuffix("_min") for k in PHASES})


def fig_phases(plans: dict[str, pd.DataFrame]) -> str | None:
    """Stacked horizontal bars (base64 PNG): a group per domain, a bar per plan; None if empty.

    Latin font first: the labels are English, and a CJK-only fallback font put
    first by the report would draw them as boxes.
    """
    import matplotlib.pyplot as plt

    fam = ["DejaVu Sans", *[f for f in plt.rcParams["font.sans-serif"] if f != "DejaVu Sans"]]
    with plt.rc_context({"font.sans-serif": fam, "font.family": "sans-serif"}):
        return _draw(plans)


def _draw(plans: dict[str, pd.DataFrame]) -> str | None:
    import matplotlib.pyplot as plt

    from sim.batch.report import _png

    tables = {k: phase_means(ev) for k, ev in plans.items()}
    domains = sorted({d for t in tables.values() for d in t["domain"]})
    if not domains:
        return None
    labels, data = [], []
    for dom in domains:
        for name, t in tables.items():
            row = t[t["domain"] == dom]
            labels.append(f"{dom} · {name}" if len(tables) > 1 else dom)
            data.append(row.iloc[0, 1:].to_numpy(float) if not row.empty else np.zeros(len(PHASES)))
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(labels) + 1.4))
    y = np.arange(len(labels))[::-1]
    left = np.zeros(len(labels))
    for j, ph in enumerate(p.removesuffix("_min") for p in PHASES):
        w = np.array([d[j] for d in data])
        ax.barh(y, w, left=left, color=PHASE_COLOUR[ph], label=ph.replace("_", " "))
        left += w
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("mean hours from report to first unit on scene, by phase")
    ax.legend(
        fontsize=7,
        ncol=5,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.25 if len(labels) < 4 else -0.12),
    )
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Where the response time went (first unit per incident)", fontsize=9)
    fig.tight_layout()
    return _png(fig)


def fig_tracks(events: pd.DataFrame) -> str | None:
    """Spaghetti plot of the storm tracks of all runs (base64 PNG); None without tracks.

    Shows the hazard spread the batch sampled (forecast-error uncertainty), so the
    intervals can be read against how different the storms were.
    """
    import matplotlib.pyplot as plt

    from sim.batch.report import _png

    tr = events[events["kind"] == "typhoon_track"]
    tracks = []
    for p in tr["payload"]:
        d = json.loads(p) if p else {}
        if "track_lon" in d:
            tracks.append((np.asarray(d["track_lon"]), np.asarray(d["track_lat"])))
    if not tracks:
        return None
    fam = ["DejaVu Sans", *[f for f in plt.rcParams["font.sans-serif"] if f != "DejaVu Sans"]]
    with plt.rc_context({"font.sans-serif": fam, "font.family": "sans-serif"}):
        fig, ax = plt.subplots(figsize=(6.5, 5.0))
        for lon, lat in tracks:
            ax.plot(lon, lat, color="#0072B2", alpha=max(0.08, min(0.8, 3.0 / len(tracks))), lw=1)
        ax.set_xlim(110.0, 115.5)
        ax.set_ylim(18.0, 24.5)
        ax.plot([112.0, 113.3, 113.3, 112.0, 112.0], [21.45, 21.45, 22.85, 22.85, 21.45],
                color="#c0392b", lw=1, ls="--", label="Jiangmen (approx. box)")  # fmt: skip
        ax.set_xlabel("longitude (deg E)")
        ax.set_ylabel("latitude (deg N)")
        ax.set_aspect("equal")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper right")
        ax.set_title(f"Storm tracks of the {len(tracks)} runs (sampled forecast error)", fontsize=9)
        fig.tight_layout()
        return _png(fig)
