"""Ingest: find files, skip what is unchanged, run the pipeline, write batches.

``run_ingest`` is a generator of ``Event`` objects so the CLI can draw
progress; it prints nothing. It streams: however large the corpus, memory
holds only the documents in flight.

1. ``count_sources`` walks the inputs once for the progress total;
2. ``_pending`` walks them again and yields the files that need processing,
   checking each one's hash and pipeline version with an indexed lookup;
   what it skips or fails becomes an event on a queue;
3. ``_process`` feeds that generator to ``nlp.pipe`` (``n_process`` =
   workers) and writes the results in batches of ``batch_size`` documents,
   one transaction each.

spaCy is imported only when the first file that needs processing turns up,
so a re-run over an unchanged corpus never loads the model.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policycorpus.linking import link_corpus
from policycorpus.sources import SourceFile, content_hash, decode, iter_sources, read_text
from policycorpus.store import DocumentRecord, EntityRecord, MentionRecord, QuoteRecord, Store
from policycorpus.versions import pipeline_version

PIPE_BATCH = 16  # texts per nlp.pipe batch (and per message to a worker process)


@dataclass
class Event:
    """Something that happened during an ingest: for progress and warnings."""

    kind: str  # "found", "unchanged", "skipped", "ingested", "failed", "loading", "done"
    path: str = ""
    message: str = ""
    total: int = 0


@dataclass
class Summary:
    """Counts of an ingest run."""

    found: int = 0
    ingested: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    words: int = 0
    seconds: float = 0.0
    entities: dict[str, int] = field(default_factory=dict)


@dataclass
class _Pending:
    source: SourceFile
    hash: str
    text: str
    title: str
    byline: str
    published: str


def default_workers() -> int:
    """The number of processes to use by default: the machine's cores."""
    return max(1, os.cpu_count() or 1)


def count_sources(paths: list[Path]) -> int:
    """How many input files ``paths`` hold (a walk of names only, nothing is read)."""
    return sum(1 for _ in iter_sources(paths))


def run_ingest(
    store: Store,
    paths: list[Path],
    *,
    workers: int = 1,
    force: bool = False,
    batch_size: int = 64,
    summary: Summary | None = None,
) -> Iterator[Event]:
    """Ingest the files under ``paths`` into ``store``, yielding progress events."""
    summary = summary if summary is not None else Summary()
    started = time.perf_counter()
    version = pipeline_version()
    summary.found = count_sources(paths)
    yield Event("found", total=summary.found)
    events: deque[Event] = deque()
    pending = _pending(store, paths, version, force, summary, events)
    first = next(pending, None)
    yield from _drain(events)
    if first is not None:
        yield Event("loading", message="loading the spaCy pipeline")
        yield from _process(store, itertools.chain([first], pending), events, version,
                            workers=workers, batch_size=batch_size, summary=summary)
        link_corpus(store)
        store.set_meta("pipeline_version", version)
    yield from _drain(events)
    summary.entities = dict(
        store.db.execute("select type, count(*) from entities group by type").fetchall()
    )
    summary.seconds = time.perf_counter() - started
    yield Event("done")


def _drain(events: deque[Event]) -> Iterator[Event]:
    while events:
        yield events.popleft()


def _pending(store: Store, paths: list[Path], version: str, force: bool, summary: Summary,
             events: deque[Event]) -> Iterator[_Pending]:
    """The files that need processing, read and cleaned, one at a time.

    Unchanged, skipped and unreadable files are counted in ``summary`` and
    reported on ``events`` instead.
    """
    warnings: list[str] = []
    for source in iter_sources(paths, warnings):
        events.extend(Event("warning", message=message) for message in warnings)
        warnings.clear()
        try:
            data = source.read_bytes()
        except OSError as exc:
            summary.failed += 1
            events.append(Event("failed", source.name, f"cannot read {source.path}: {exc.strerror}"))
            continue
        digest = content_hash(data)
        if not force and store.document_state(source.name) == (digest, version):
            summary.unchanged += 1
            events.append(Event("unchanged", source.name))
            continue
        raw = decode(data)
        if raw is None:
            summary.skipped += 1
            events.append(Event("skipped", source.name, f"skipped {source.path}: not a text file"))
            continue
        cleaned = read_text(raw)
        if not cleaned.text.strip():
            summary.skipped += 1
            events.append(Event("skipped", source.name, f"skipped {source.path}: empty"))
            continue
        yield _Pending(source, digest, cleaned.text, cleaned.title, cleaned.byline,
                       cleaned.published)
    events.extend(Event("warning", message=message) for message in warnings)


def _process(store: Store, items: Iterator[_Pending], events: deque[Event], version: str, *,
             workers: int, batch_size: int, summary: Summary) -> Iterator[Event]:
    """Run the pipeline over ``items`` and write the results in batches.

    Only a small key travels with each text to the worker processes; the
    item waits in ``in_flight`` until its document comes back.
    """
    from policycorpus.pipeline import build, extract, extract_quotes

    nlp = build()
    in_flight: dict[int, _Pending] = {}

    def texts() -> Iterator[tuple[str, int]]:
        for key, item in enumerate(items):
            in_flight[key] = item
            yield item.text, key

    batch: list[DocumentRecord] = []
    for doc, key in nlp.pipe(texts(), as_tuples=True, n_process=max(1, workers),
                             batch_size=PIPE_BATCH):
        record = _record(in_flight.pop(key), extract(doc), version)
        record.quotes = [QuoteRecord(**q) for q in extract_quotes(doc)]
        batch.append(record)
        summary.words += record.words
        yield from _drain(events)
        if len(batch) >= batch_size:
            yield from _write(store, batch, summary)
            batch = []
    if batch:
        yield from _write(store, batch, summary)


def _write(store: Store, batch: list[DocumentRecord], summary: Summary) -> Iterator[Event]:
    store.write_documents(batch)
    for written in batch:
        summary.ingested += 1
        yield Event("ingested", written.path)


def _record(item: _Pending, entities: list[dict[str, Any]], version: str) -> DocumentRecord:
    return DocumentRecord(
        path=item.source.name,
        hash=item.hash,
        text=item.text,
        title=item.title,
        byline=item.byline,
        published=item.published,
        pipeline_version=version,
        entities=[
            EntityRecord(
                type=e["type"], name=e["name"], aliases=list(e["aliases"]), role=e["role"],
                org=e["org"], level=e.get("level", ""), jurisdiction=e.get("jurisdiction", ""),
                mentions=[MentionRecord(**m) for m in e["mentions"]],
            )
            for e in entities
        ],
    )
