"""Run `jmsim validate` and `jmsim run --runs 1` on corpus files, each in a forked child.

A child is forked from an already-imported parent (fast: no interpreter start),
gets an address-space cap (a bomb cannot take the machine down), and is killed
after a time limit. The parent reads its exit code, stderr, wall time and peak
memory (`os.wait4`), and checks that a failed run left no output directory.

`python tests/fuzz/harness.py OUT_DIR [--big]` prints counts by class (used for
the before/after table of issue #11).
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

TIME_LIMIT_S = 10.0
#: Peak memory a call may add over its (already warm) parent: a fresh `jmsim`
#: holds ~200 MB after imports and the world, so the total stays under 500 MB.
GROWTH_LIMIT_MB = 300.0
#: A file meant to be accepted runs a whole shipped scenario (7-35 s on a loaded 2-core box).
ACCEPT_TIME_LIMIT_S = 180.0
#: Extra address space a child may map beyond the parent's (guards the machine only).
AS_HEADROOM = 1_500 * 2**20


@dataclass
class Outcome:
    """What one CLI call did."""

    rc: int | None  # None: killed (time limit) or died by a signal
    stderr: str
    wall_s: float
    maxrss_mb: float
    timed_out: bool
    left_output: bool = False
    base_mb: float = 0.0  # the parent's resident memory at fork (inherited by the child)

    @property
    def growth_mb(self) -> float:
        """Peak resident memory the call added over its parent."""
        return max(0.0, self.maxrss_mb - self.base_mb)

    @property
    def traceback(self) -> bool:
        """Whether a Python traceback escaped."""
        return "Traceback (most recent call last)" in self.stderr

    def clean_error(self, file: str) -> bool:
        """Exit 2 and every stderr line is a one-line message naming the file."""
        lines = [ln for ln in self.stderr.splitlines() if ln.strip()]
        return (
            self.rc == 2
            and bool(lines)
            and not self.traceback
            and all(file in ln for ln in lines)
            and len(lines) <= 20
        )


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _vm_bytes() -> int:
    return _status_kb("VmSize") * 1024


def warm_up() -> None:
    """Import the CLI, every hazard plug-in and the batch runner, and load the world once.

    Children forked afterwards start warm, as a long-lived process would; the world
    (~0.4 MB pack, cached) then counts in every child's peak memory.
    """
    import sim.batch.montecarlo  # noqa: F401
    import sim.batch.report  # noqa: F401
    import sim.cli  # noqa: F401
    import sim.indicators.scorecard  # noqa: F401
    from sim.hazards.registry import get_plugin
    from sim.world import load_jiangmen

    for h in ("chemical", "forestfire", "typhoon", "scripted"):
        get_plugin(h)
    load_jiangmen()


def call(argv: list[str], out_dir: Path | None = None, limit_s: float = TIME_LIMIT_S) -> Outcome:
    """`jmsim ARGV` in a forked child with time and memory limits."""

    err = tempfile.TemporaryFile(mode="w+b")
    cap = _vm_bytes() + AS_HEADROOM
    base_mb = _status_kb("VmRSS") / 1024
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child
        rc = 1
        try:
            os.setpgid(0, 0)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(err.fileno(), 2)
            sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
            from sim.cli import main

            try:
                rc = int(main(argv) or 0)
            except SystemExit as e:
                rc = e.code if isinstance(e.code, int) else 2
            except BaseException:
                traceback.print_exc()
                rc = 1
            sys.stderr.flush()
            sys.stdout.flush()
        finally:
            os._exit(rc)
    timed_out = False
    while True:
        wpid, status, usage = os.wait4(pid, os.WNOHANG)
        if wpid:
            break
        if time.perf_counter() - t0 > limit_s:
            timed_out = True
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                os.kill(pid, signal.SIGKILL)
            wpid, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    err.seek(0)
    text = err.read().decode("utf-8", "replace")
    err.close()
    rc = os.waitstatus_to_exitcode(status) if not timed_out else None
    if rc is not None and rc < 0:
        rc = None
    left = bool(out_dir is not None and out_dir.exists() and rc != 0)
    return Outcome(rc, text, wall, usage.ru_maxrss / 1024, timed_out, left, base_mb)


@dataclass
class Verdict:
    """One case's two calls and how they compare with what was intended."""

    case: object
    validate: Outcome
    run: Outcome

    @property
    def problems(self) -> list[str]:
        """Failure labels; empty when the case behaved as intended."""
        f = str(self.case.path)
        out = []
        for what, o in (("validate", self.validate), ("run", self.run)):
            if o.timed_out:
                out.append(f"{what}: killed at the time limit")
            if o.traceback:
                out.append(f"{what}: traceback")
            if o.growth_mb > GROWTH_LIMIT_MB:
                out.append(f"{what}: +{o.growth_mb:.0f} MB")
            if o.left_output:
                out.append(f"{what}: left a partial output directory")
        v, r = self.validate, self.run
        if self.case.expect == "reject":
            if v.rc == 0 and r.rc == 0:
                out.append("accepted (validate and run)")
            elif v.rc == 0:
                out.append("validate ok, run failed")
            elif not v.clean_error(f):
                out.append("validate: not a clean one-line error")
            if r.rc != 0 and not r.clean_error(f) and "run: traceback" not in out:
                out.append("run: not a clean one-line error")
        else:
            if v.rc != 0:
                out.append("validate rejected an intended-accept file")
            if r.rc != 0:
                out.append("run failed on an intended-accept file")
        return out


def check(case, work: Path) -> Verdict:
    """Validate and run one case."""
    f = str(case.path)
    v = call(["validate", f])
    out = work / f"out_{case.name}"
    limit = TIME_LIMIT_S if case.expect == "reject" else ACCEPT_TIME_LIMIT_S
    r = call(["run", f, "--runs", "1", "--out", str(out), "--no-report"], out_dir=out,
             limit_s=limit)  # fmt: skip
    return Verdict(case, v, r)


def summary(verdicts: list[Verdict]) -> str:
    """Counts by class: cases, as intended, and failure labels."""
    from corpus import CLASSES

    rows = ["| class | cases | as intended | failures |", "|---|---|---|---|"]
    for cls in CLASSES:
        vs = [v for v in verdicts if v.case.cls == cls]
        if not vs:
            continue
        good = sum(not v.problems for v in vs)
        fails = Counter(p.split(": ", 1)[-1] if p.startswith("run: ") else p
                        for v in vs for p in v.problems)  # fmt: skip
        detail = "; ".join(f"{k} ×{n}" for k, n in fails.most_common())
        rows.append(f"| {cls} | {len(vs)} | {good} | {detail} |")
    total = sum(not v.problems for v in verdicts)
    rows.append(f"| **all** | {len(verdicts)} | {total} | |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    from corpus import generate

    work = Path(sys.argv[1])
    warm_up()
    cases = generate(work / "corpus", big="--big" in sys.argv)
    only = [a for a in sys.argv[2:] if not a.startswith("--")]
    if only:
        cases = [c for c in cases if any(o in c.name for o in only)]
    if "--reverse" in sys.argv:  # a second process can work from the other end
        cases = cases[::-1]
    verdicts = []
    for c in cases:
        vd = check(c, work)
        verdicts.append(vd)
        print(
            f"{c.cls:28s} {c.name:70s} v={vd.validate.rc} r={vd.run.rc} "
            f"{vd.run.wall_s:5.1f}s {max(vd.validate.maxrss_mb, vd.run.maxrss_mb):5.0f}MB "
            f"(+{max(vd.validate.growth_mb, vd.run.growth_mb):.0f}) "
            f"{'OK' if not vd.problems else vd.problems}",
            flush=True,
        )
    print(summary(verdicts))
