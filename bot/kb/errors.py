"""Errors of the knowledge base. The library raises these; only the CLI turns them into messages."""

from __future__ import annotations

from pathlib import Path


def display_path(path: Path | str) -> str:
    """The path relative to the working directory when it lies below it, else as given."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class KnowledgeError(Exception):
    """A problem with the knowledge base, located in a file (and line) when it comes from one."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = display_path(self.path)
        if self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        """Order errors by file, then line, then message."""
        return (str(self.path or ""), self.line or 0, self.message)


class ValidationFailed(KnowledgeError):
    """The knowledge files have errors; `errors` lists every one of them."""

    def __init__(self, errors: list[KnowledgeError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the knowledge files")
        self.errors = sorted(errors, key=KnowledgeError.sort_key)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)
