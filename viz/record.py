"""Drill files: everything needed to reproduce a drill exactly.

A drill file (JSON) holds the scenario path and its SHA-256, the seed, the
engine version and engine fingerprint, and the ordered list of actions
(trainer injects and trainee commands with their times). Because a run is a
pure function of these *and of the engine*, the file *is* the drill:
`jmsim replay --verify` rebuilds the event log and checks it against the
digest stored here. When the engine changed since the recording (the package
version stays 0.1.0 while the code moves, hence the fingerprint: a SHA-256 of
the engine's code and data), a different log is expected and `replay_verdict`
says so in one line; `jmsim replay FILE --rerecord` saves the same actions
as a new recording with this engine's log, keeping the old file. A branch file
also names its parent and branch time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
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


#: Files that make up the engine: code and data of `sim` and of the hazard plug-ins in
#: `scenarios` (scenario YAML files are hashed on their own; the viewer `viz` is not engine).
ENGINE_SUFFIXES = frozenset({".py", ".csv", ".json", ".geojson", ".npz"})


@lru_cache(maxsize=1)
def engine_sha256() -> str:
    """SHA-256 over the engine's code and data files (relative path and bytes, sorted).

    Two installs with the same fingerprint produce the same event log for the same
    scenario, seed and actions; a different fingerprint explains a different log.
    """
    import scenarios
    import sim

    h = hashlib.sha256()
    for pkg in (sim, scenarios):
        root = Path(pkg.__file__).resolve().parent
        files = sorted(
            p for p in root.rglob("*")
            if p.suffix in ENGINE_SUFFIXES and "__pycache__" not in p.parts and p.is_file()
        )  # fmt: skip
        for p in files:
            h.update(f"{pkg.__name__}/{p.relative_to(root).as_posix()}\0".encode())
            h.update(p.read_bytes())
    return h.hexdigest()


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
    engine_sha256: str = ""  # "" in recordings made before the fingerprint existed
    rerecorded_from: dict[str, Any] | None = None

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
            engine_sha256=engine_sha256(),
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
            engine_sha256=engine_sha256(),
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
            "engine_sha256": self.engine_sha256,
            "created": self.created,
            "rerecorded_from": self.rerecorded_from,
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
            engine_sha256=str(d.get("engine_sha256") or ""),
            rerecorded_from=d.get("rerecorded_from"),
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


def replay_verdict(rec: DrillRecord, got_sha256: str) -> tuple[bool, str]:
    """Whether a replay's log digest matches the recording, and why not, in one line.

    A trainer needs to know whether a difference is a defect or the expected
    consequence of a newer engine: the fingerprints tell them apart.
    """
    if got_sha256 == rec.event_log_sha256:
        return True, "IDENTICAL to the recorded log"
    now = engine_sha256()
    redo = (
        "re-record it with `jmsim replay FILE --rerecord` to make this engine's log the reference"
    )
    if not rec.event_log_sha256:
        return False, "not checked: the recording has no event-log digest"
    if not rec.engine_sha256:
        return False, (
            f"DIFFERS from the recorded log: the recording predates engine fingerprints (jmsim "
            f"{rec.engine_version or '?'}, recorded {rec.created or 'at an unknown time'}), so the "
            f"engine has most likely changed since (engine {now[:12]} now); expected, {redo}"
        )
    if rec.engine_sha256 != now:
        return False, (
            f"DIFFERS from the recorded log because the engine changed since the recording "
            f"(engine {rec.engine_sha256[:12]} then, {now[:12]} now); expected, {redo}"
        )
    return False, (
        f"DIFFERS from the recorded log with the same engine ({now[:12]}) and scenario: "
        "not expected, please report it with the drill file (determinism bug)"
    )
