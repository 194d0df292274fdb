"""User-facing errors: one clear line, no traceback.

`JmsimError` carries a message already phrased for the person at the keyboard;
the CLI prints it and exits non-zero. Anything else escaping is a bug.
"""

from __future__ import annotations


class JmsimError(Exception):
    """An error caused by user input (a file, a flag), with a readable message."""

    exit_code = 2


class ScenarioError(JmsimError):
    """A scenario file that cannot be read or does not validate."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems
        head = problems[0] if problems else "invalid scenario"
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{file}: {head}{more}")

    def __reduce__(self):
        """Pickle by constructor arguments (errors cross process boundaries in batches)."""
        return (type(self), (self.file, self.problems))

    def full_report(self) -> str:
        """All problems, one per line, each prefixed by the file name."""
        return "\n".join(f"{self.file}: {p}" for p in self.problems)
