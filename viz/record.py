"""Drill files: everything needed to reproduce a drill exactly.

A drill file (JSON) holds the scenario path and its SHA-256, the seed, the
engine version, and the ordered list of actions (trainer injects and trainee
commands with their times). Because a run is a pure function of these, the
file *is* the drill: `jmsim replay` rebuilds the identical event log and
checks it against the digest stored here. A branch file also names its parent
and branch time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.commands import Command
from sim.errors import JmsimError
from sim.scenario.schema import Inject
from sim.session import Action, DrillSession, action_type

FORMAT = "jmsim-drill/1"


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def free_path(path: str | Path) -> Path:
    """`path`, or `NAME-2.drill.json`, `-3`, ... if taken: a new drill never overwrites another."""
    p = Path(path)
    if not p.exists():
        return p
    stem = p.name.removesuffix(".drill.json")
    suffix = p.name[len(stem) :]
    k = 2
    while (q := p.with_name(f"{stem}-{k}{suffix}")).exists():
        k += 1
    return q


def engine_version() -> str:
    """Installed jmsim version."""
    try:
        return version("jmsim")
    except PackageNotFoundError:  # pragma: no cover - source checkout without install
        return "unknown"


@dataclass
class DrillRecord:
    """A recorded drill: scenario, seed, actions, and the digest of its event log."""

    scenario: str
    scenario_sha256: str
    seed: int
    actions: list[Action] = field(default_factory=list)
    ended_at_min: float = 0.0
    event_log_sha256: str = ""
    events: int = 0
    engine_version: str = ""
    created: str = ""
    branch: dict[str, Any] | None = None
    title: str = ""

    # -- building -------------------------------------------------------------------
    @classmethod
    def from_session(
        cls, session: DrillSession, scenario_path: str | Path, branch: dict | None = None
    ) -> DrillRecord:
        """Record a session as it stands (actions so far, digest of its log so far)."""
        return cls(
            scenario=str(scenario_path),
            scenario_sha256=file_sha256(scenario_path),
            seed=session.seed,
            actions=list(session.applied),
            ended_at_min=session.now,
            event_log_sha256=session.model.log.digest(),
            events=len(session.model.log),
            engine_version=engine_version(),
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            branch=branch,
            title=session.scenario.scenario.title,
        )

    def branched(self, at_min: float, new_actions: list[Action] = ()) -> DrillRecord:
        """A branch at `at_min`: actions before it kept, `new_actions` (at or after it) added."""
        if not 0 <= at_min:
            raise ValueError(f"branch at_min={at_min}; expected >= 0")
        for a in new_actions:
            if a.at_min < at_min:
                raise ValueError(
                    f"branch action {a.id!r} at {a.at_min} is before the branch time {at_min}"
                )
        kept = [a for a in self.actions if a.at_min < at_min]
        return DrillRecord(
            scenario=self.scenario,
            scenario_sha256=self.scenario_sha256,
            seed=self.seed,
            actions=[*kept, *new_actions],
            engine_version=engine_version(),
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            branch={"at_min": float(at_min), "parent_sha256": self.event_log_sha256},
            title=self.title,
        )

    # -- files ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "format": FORMAT,
            "title": self.title,
            "scenario": self.scenario,
            "scenario_sha256": self.scenario_sha256,
            "seed": self.seed,
            "engine_version": self.engine_version,
            "created": self.created,
            "branch": self.branch,
            "ended_at_min": self.ended_at_min,
            "events": self.events,
            "event_log_sha256": self.event_log_sha256,
            "actions": [
                {"type": action_type(a), **a.model_dump(mode="json")} for a in self.actions
            ],
        }

    def save(self, path: str | Path) -> Path:
        """Write atomically (temp file + rename)."""
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.to_dict(), f, indent=1, ensure_ascii=False)
        os.replace(tmp, out)
        return out

    @classmethod
    def load(cls, path: str | Path) -> DrillRecord:
        """Read a drill file; every problem is a JmsimError naming the file and field."""
        p = Path(path)
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise JmsimError(f"{p}: drill file not found") from None
        except json.JSONDecodeError as e:
            raise JmsimError(f"{p}: not a JSON drill file ({e})") from None
        if d.get("format") != FORMAT:
            raise JmsimError(f"{p}: format={d.get('format')!r}; expected {FORMAT!r}")
        for key in ("scenario", "scenario_sha256", "seed", "actions"):
            if key not in d:
                raise JmsimError(f"{p}: field {key!r} is missing")
        acts: list[Action] = []
        for k, a in enumerate(d["actions"]):
            a = dict(a)
            typ = a.pop("type", None)
            try:
                if typ == "command":
                    acts.append(Command(**a))
                elif typ == "inject":
                    acts.append(Inject(**a))
                else:
                    raise JmsimError(
                        f"{p}: actions[{k}].type={typ!r}; expected 'command' or 'inject'"
                    )
            except ValidationError as e:
                raise JmsimError(f"{p}: actions[{k}]: {e.errors()[0]['msg']}") from None
        return cls(
            scenario=str(d["scenario"]),
            scenario_sha256=str(d["scenario_sha256"]),
            seed=int(d["seed"]),
            actions=acts,
            ended_at_min=float(d.get("ended_at_min", 0.0)),
            event_log_sha256=str(d.get("event_log_sha256", "")),
            events=int(d.get("events", 0)),
            engine_version=str(d.get("engine_version", "")),
            created=str(d.get("created", "")),
            branch=d.get("branch"),
            title=str(d.get("title", "")),
        )

    def scenario_path(self, drill_file: str | Path | None = None) -> Path:
        """The scenario file: as recorded, else next to the drill file; hash-checked."""
        cands = [Path(self.scenario)]
        if drill_file is not None:
            cands.append(Path(drill_file).parent / Path(self.scenario).name)
        for c in cands:
            if c.is_file():
                got = file_sha256(c)
                if got != self.scenario_sha256:
                    raise JmsimError(
                        f"scenario {c}: SHA-256 {got[:12]}… differs from the recorded "
                        f"{self.scenario_sha256[:12]}…; the scenario changed since the drill"
                    )
                return c
        raise JmsimError(f"scenario {self.scenario!r} of the drill file not found")
