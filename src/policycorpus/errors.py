"""Typed errors raised below the CLI, and the exit codes the CLI maps them to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of the ``policycorpus`` command."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    DATABASE = 3
    INPUT = 4
    OUTPUT = 5
    FAILED_DOCUMENTS = 6  # ingest: the run ended, but some documents failed (see warnings)
    INTERRUPTED = 130
    TERMINATED = 143


class PolicyCorpusError(Exception):
    """Base class of every error the CLI turns into a one-line message."""

    exit_code: ExitCode = ExitCode.USAGE


class DatabaseError(PolicyCorpusError):
    """The database is missing, unreadable, not SQLite, or of an unknown schema."""

    exit_code = ExitCode.DATABASE


class EmptyDatabaseError(DatabaseError):
    """The database holds no document yet."""

    exit_code = ExitCode.NOT_FOUND


class InputError(PolicyCorpusError):
    """An input path or file cannot be used."""

    exit_code = ExitCode.INPUT


class ClusterError(PolicyCorpusError):
    """A cluster engine cannot run: its library is not installed, or the scheduler
    cannot be reached."""

    exit_code = ExitCode.USAGE


class CorrectionError(PolicyCorpusError):
    """A correction that cannot be recorded (a merge into itself, a merge cycle, an
    entry that matches nothing)."""

    exit_code = ExitCode.USAGE


class OutputError(PolicyCorpusError):
    """An output file (an export, the corrections file) cannot be written."""

    exit_code = ExitCode.OUTPUT


class QueryError(PolicyCorpusError):
    """A query is malformed (for example bad full-text search syntax)."""

    exit_code = ExitCode.USAGE


class NotFoundError(PolicyCorpusError):
    """A name did not resolve to any entity; ``suggestions`` are the closest names."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


class AmbiguousError(PolicyCorpusError):
    """A name matched several entities; ``candidates`` lists (id, type, name)."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, message: str, candidates: list[tuple[int, str, str]],
                 hint: str = "Several entities match; add --id ID") -> None:
        super().__init__(message)
        self.candidates = candidates
        self.hint = hint
