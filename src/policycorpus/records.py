"""Plain records that cross stages: what an ingest reports as it goes and at
its end, and what a reapply changed. No imports beyond the standard library,
so the render layer can draw them without reaching into ingest or corpus."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum


class EventKind(StrEnum):
    """The kinds of ``Event`` an ingest yields (strings, so they compare and print as such)."""

    FOUND = "found"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    DUPLICATE = "duplicate"
    INGESTED = "ingested"
    FAILED = "failed"
    WARNING = "warning"
    LOADING = "loading"
    PIECE = "piece"  # one piece of a long document written; ``total``: its pieces
    DONE = "done"


@dataclass
class Event:
    """Something that happened during an ingest: for progress and warnings."""

    kind: EventKind
    path: str = ""
    message: str = ""
    total: int = 0


@dataclass
class ReapplySummary:
    """What a reapply changed, and how long it took."""

    entities: int = 0
    mentions: int = 0
    ignored: int = 0
    moved: int = 0
    created: int = 0
    removed: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    full: bool = True  # False: only the groups a change reached were rebuilt
    groups: int = 0  # groups (per-document entities) rebuilt by an incremental reapply


@dataclass
class Summary:
    """Counts of an ingest run."""

    found: int = 0
    ingested: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    duplicates: int = 0
    words: int = 0
    seconds: float = 0.0
    entities: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter, repr=False)
    reapply: ReapplySummary | None = None


@dataclass(frozen=True)
class RelationFix:
    """Add (``kind`` "add_relation") or drop ("drop_relation") the law action
    ``subject`` ``relation`` ``law``, in ``document`` (or, to drop, everywhere)."""

    kind: str
    subject: str
    relation: str
    law: str
    document: str = ""
