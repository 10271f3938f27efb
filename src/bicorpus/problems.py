"""How every stage reports what is wrong: a file, a line, a field and a message."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional


@dataclass(frozen=True)
class Problem:
    file: str
    line: Optional[int]
    field: Optional[str]
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"


class CorpusError(Exception):
    """Raised by a stage that cannot go on; carries the problems that stopped it."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def error_text(err: BaseException, last_line: bool = False) -> str:
    """An exception as one line for a message: its type and the first line of its text (and
    the last one, with `last_line`, for libraries that put the reason at the end)."""
    lines = str(err).strip().splitlines() or [""]
    said = f"{lines[0]} ... {lines[-1]}" if last_line and len(lines) > 1 else lines[0]
    return f"{type(err).__name__}: {said}"


def display_path(path: Path | str) -> str:
    """A path relative to the working directory when it lies below it, for messages."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
