"""Ingest: find files, skip what is unchanged, run the pipeline, write batches.

``run_ingest`` is a generator of ``Event`` objects so the CLI can draw
progress; it prints nothing. It streams: however large the corpus, memory
holds only the documents in flight.

1. ``count_sources`` walks the inputs once for the progress total;
2. ``_pending`` walks them again and yields the documents that need
   processing, checking each one's hash and pipeline version with an indexed
   lookup; what it skips, finds unchanged or fails on becomes an event on a
   queue;
3. ``_process`` feeds that generator to the pipeline (``n_process`` =
   workers, long texts in pieces) and writes the results in batches of
   ``batch_size`` documents, one transaction each; a long document is
   written piece by piece as its pieces are processed, in a transaction of
   its own, with a "piece" event for each.

spaCy is imported only when the first document that needs processing turns
up, so a re-run over an unchanged corpus never loads the model.
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

from policycorpus import corrections as corrections_file
from policycorpus.chunking import Piece, pipe_documents
from policycorpus.errors import InputError
from policycorpus.facts import extraction_facts
from policycorpus.readers import RecordFields, SourceDocument, iter_documents, stale_records
from policycorpus.piecewriter import PieceWriter
from policycorpus.reapply import ReapplySummary, reapply
from policycorpus.sources import SourceFile, SourceText, iter_sources
from policycorpus.store import DocumentRecord, EntityRecord, MentionRecord, QuoteRecord, Store
from policycorpus.versions import pipeline_version


@dataclass
class Event:
    """Something that happened during an ingest: for progress and warnings."""

    kind: str  # "found", "unchanged", "skipped", "duplicate", "ingested", "failed", "loading",
    # "piece" (one piece of a long document written; ``total``: its pieces), "done"
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
    duplicates: int = 0
    words: int = 0
    seconds: float = 0.0
    entities: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter, repr=False)
    reapply: ReapplySummary | None = None


@dataclass
class _Pending:
    document: SourceDocument
    source: SourceText
    also: list[str] = field(default_factory=list)  # names of copies with the same content

    @property
    def text(self) -> str:
        return self.source.text


REAPPLY = "reapply"  # meta key: "pending" while stored documents await reapply
PIPE_BATCH = 16  # texts per nlp.pipe batch (and per message to a worker process)


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
    fields: RecordFields | None = None,
    corrections: Path | None = None,
) -> Iterator[Event]:
    """Ingest the files under ``paths`` into ``store``, yielding progress events.

    A file holds one document, or one per record for JSONL/JSON/CSV exports
    (``fields`` names their text and metadata fields); ``found`` counts
    documents. At the end, the corrections file (``corrections``, default:
    beside the database) and the domain rules are applied to the whole corpus
    (``reapply``) when documents changed or the corrections did.
    """
    summary = summary if summary is not None else Summary()
    version = pipeline_version()
    summary.found = count_sources(paths)
    yield Event("found", total=summary.found)
    events: deque[Event] = deque()
    in_flight: dict[str, _Pending] = {}  # content hash -> document read, not yet written
    pending = _pending(store, paths, version, force, fields, summary, events, in_flight)
    first = next(pending, None)
    yield from _drain(events)
    if first is not None:
        store.set_meta(REAPPLY, "pending")  # until reapply has seen the new documents
        yield Event("loading", message="loading the spaCy pipeline")
        yield from _process(store, itertools.chain([first], pending), events, in_flight,
                            version, workers=workers, batch_size=batch_size, summary=summary)
        store.set_meta("pipeline_version", version)
    yield from _drain(events)
    fixes = corrections_file.load(corrections or corrections_file.default_path(store.path))
    # REAPPLY is "pending" from the first write until reapply has run: an interrupted
    # run that stored documents leaves it so, and the next run completes it.
    if (first is not None or store.get_meta(REAPPLY) == "pending"
            or store.get_meta("corrections_digest") != fixes.digest):
        summary.reapply = reapply(store, fixes)
        store.set_meta(REAPPLY, "done")
        for message in summary.reapply.warnings:
            yield Event("warning", message=f"corrections: {message}")
    finish_summary(store, summary)
    yield Event("done")


def finish_summary(store: Store, summary: Summary) -> Summary:
    """Fill in the entity counts and the time of ``summary`` (also after an interruption)."""
    summary.entities = dict(
        store.db.execute("select type, count(*) from entities group by type").fetchall()
    )
    summary.seconds = time.perf_counter() - summary.started
    return summary


def _drain(events: deque[Event]) -> Iterator[Event]:
    while events:
        yield events.popleft()


def _pending(store: Store, paths: list[Path], version: str, force: bool,
             fields: RecordFields | None, summary: Summary, events: deque[Event],
             in_flight: dict[str, _Pending]) -> Iterator[_Pending]:
    """The documents that need processing, read and cleaned, one at a time.

    Unchanged, skipped, duplicate and unreadable documents are counted in
    ``summary`` and reported on ``events`` instead. A record file that adds
    records raises the ``found`` total; records gone from it are deleted
    from the store. A document with the content of one in flight or stored
    is recorded as another path of it.
    """
    warnings: list[str] = []
    for source in iter_sources(paths, warnings):
        events.extend(Event("warning", message=message) for message in warnings)
        warnings.clear()
        try:
            data = source.read_bytes()
        except OSError as exc:
            summary.failed += 1
            events.append(Event("failed", source.name,
                                f"cannot read {source.path}: {exc.strerror}"))
            continue
        names: list[str] = []
        for document in iter_documents(source, data, fields):
            names.append(document.name)
            if len(names) > 1:
                summary.found += 1
                events.append(Event("found", total=summary.found))
            item = _read(store, source, document, version, force, summary, events, in_flight)
            if item is not None:
                yield item
        stale = stale_records(source.name, names, store.record_paths(source.name))
        if stale:
            store.delete_documents(stale)
            events.append(Event("warning", source.name,
                                f"removed {len(stale)} record(s) no longer in {source.path}"))
    events.extend(Event("warning", message=message) for message in warnings)


def _read(store: Store, source: SourceFile, document: SourceDocument, version: str,
          force: bool, summary: Summary, events: deque[Event],
          in_flight: dict[str, _Pending]) -> _Pending | None:
    """One document read for processing, or None when it is unchanged, unusable or a copy."""
    if not force and store.document_state(document.name) == (document.hash, version):
        summary.unchanged += 1
        events.append(Event("unchanged", document.name))
        return None
    try:
        text = document.load()
    except InputError as exc:
        summary.skipped += 1
        events.append(Event("skipped", document.name,
                            f"skipped {_label(source, document)}: {exc}"))
        return None
    if not text.text.strip():
        summary.skipped += 1
        events.append(Event("skipped", document.name, f"skipped {_label(source, document)}: "
                            "empty (no text, or only whitespace or page chrome)"))
        return None
    twin = in_flight.get(document.hash)
    stored = None if force or twin else store.document_with_content(document.hash, version)
    if twin is not None or stored is not None:
        if twin is not None:
            twin.also.append(document.name)  # the record shares this list until written
        else:
            store.add_path(document.name, stored)
        summary.duplicates += 1
        events.append(Event("duplicate", document.name, f"{_label(source, document)}: same "
                            "content as a document already seen; stored once under both paths"))
        return None
    item = _Pending(document, text)
    in_flight[document.hash] = item
    return item


def _process(store: Store, items: Iterator[_Pending], events: deque[Event],
             in_flight: dict[str, _Pending], version: str, *, workers: int, batch_size: int,
             summary: Summary) -> Iterator[Event]:
    """Run the pipeline over ``items`` and write the results in batches.

    Only small keys travel with the texts to worker processes
    (``pipe_documents``); each item stays in ``in_flight`` until written. A
    document processed in pieces is written piece by piece as they arrive
    (``PieceWriter``), with a "piece" event for each, so that memory holds
    one piece's entities and the progress bar moves within a long file.
    """
    from policycorpus.pipeline import build, extract, extract_quotes

    nlp = build()
    batch: list[DocumentRecord] = []
    writer: PieceWriter | None = None
    texts = ((item.text, item) for item in items)
    try:
        for done in pipe_documents(nlp, texts, extract, quotes=extract_quotes,
                                   n_process=max(1, workers), batch_size=PIPE_BATCH, stream=True):
            item = done.context
            yield from _drain(events)
            if isinstance(done, Piece):
                if writer is None:
                    if batch:  # the long document gets a transaction of its own
                        yield from _write(store, batch, summary, in_flight)
                        batch = []
                    writer = PieceWriter(store, _record(item, [], version)).__enter__()
                writer.add(done.entities, done.quotes)
                yield Event("piece", item.document.name,
                            f"piece {done.number} of {done.count}", total=done.count)
                continue
            if done.entities is None:
                if writer is not None:
                    writer, open_writer = None, writer
                    open_writer.__exit__(RuntimeError, RuntimeError(done.error), None)
                in_flight.pop(item.document.hash, None)
                summary.failed += 1
                yield Event("failed", item.document.name,
                            f"failed {item.document.name}: {done.error}")
                continue
            if done.in_pieces:
                assert writer is not None
                writer.finish()
                writer, open_writer = None, writer
                open_writer.__exit__(None, None, None)
                yield from _written(open_writer.record, summary, in_flight)
                continue
            record = _record(item, done.entities, version)
            record.quotes = [QuoteRecord(**q) for q in done.quotes]
            batch.append(record)
            if len(batch) >= batch_size:
                yield from _write(store, batch, summary, in_flight)
                batch = []
    except BaseException as exc:
        if writer is not None:  # stopped in the middle of a long document: roll it back
            writer.__exit__(type(exc), exc, exc.__traceback__)
        raise
    if batch:
        yield from _write(store, batch, summary, in_flight)


def _write(store: Store, batch: list[DocumentRecord], summary: Summary,
           in_flight: dict[str, _Pending]) -> Iterator[Event]:
    store.write_documents(batch)
    for written in batch:
        yield from _written(written, summary, in_flight)


def _written(record: DocumentRecord, summary: Summary,
             in_flight: dict[str, _Pending]) -> Iterator[Event]:
    in_flight.pop(record.hash, None)
    summary.ingested += 1
    summary.words += record.words
    yield Event("ingested", record.path)


def _label(source: SourceFile, document: SourceDocument) -> str:
    """The path of a file, with the record part of a record's name (``data.jsonl#17``)."""
    return f"{source.path}{document.name[len(source.name):]}"


def _record(item: _Pending, entities: list[dict[str, Any]], version: str) -> DocumentRecord:
    from policycorpus.gazetteer import Gazetteer

    found = item.source
    facts = extraction_facts(entities, found.text, Gazetteer.load())
    return DocumentRecord(
        path=item.document.name,
        hash=item.document.hash,
        text=found.text,
        title=found.title,
        outlet=found.outlet,
        byline=found.byline,
        published=found.published,
        url=found.url,
        dateline=found.dateline,
        source_format=item.document.format,
        pipeline_version=version,
        also=item.also,  # shared: copies found while in flight join it
        entities=[
            EntityRecord(
                type=e["type"], name=e["name"], aliases=list(e["aliases"]), role=e["role"],
                org=e["org"], level=f.level, jurisdiction=f.jurisdiction, law_key=f.law_key,
                mentions=[MentionRecord(**m) for m in e["mentions"]],
            )
            for e, f in zip(entities, facts)
        ],
    )
