"""One error type for every file problem, with a message a user can act on."""

from __future__ import annotations

from pathlib import Path


class GisIOError(Exception):
    """A file could not be read or written; ``str()`` names the file and the problem."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path.name}: {problem}")
