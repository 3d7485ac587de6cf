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

The steps are functions the cluster engine (``cluster``: ``extract`` on
Dask workers, ``merge`` here) calls too: ``input_documents``,
``is_unchanged``, ``load_text``, ``is_duplicate``, ``build_record``,
``write_batch`` and ``finish_ingest``.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import deque
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from policycorpus.corpus import corrections as corrections_file
from policycorpus.corpus.reapply import reapply
from policycorpus.errors import InputError
from policycorpus.extraction import ExtractedEntity, Quote, Relation
from policycorpus.pipeline.chunking import Piece, pipe_documents
from policycorpus.records import Event, EventKind, Summary
from policycorpus.sources.files import (
    SourceFile,
    SourceText,
    iter_sources,
    printable_path,
)
from policycorpus.sources.readers import (
    RecordFields,
    SourceDocument,
    iter_documents,
    stale_records,
)
from policycorpus.store.database import DocumentRecord, EntityRecord, Store
from policycorpus.store.piecewriter import PieceWriter
from policycorpus.versions import pipeline_version


@dataclass
class Pending:
    """A document read for processing: its text, and the other paths found with its
    content while it is in flight (``also``, ``names``: shared with its record)."""

    document: SourceDocument
    source: SourceText
    also: list[str] = field(default_factory=list)  # keys of copies with the same content
    names: dict[str, str] = field(default_factory=dict)  # key -> name shown, of every path

    def __post_init__(self) -> None:
        self.names.setdefault(self.document.key, self.document.name)

    @property
    def text(self) -> str:
        return self.source.text


REAPPLY = "reapply"  # meta key: "pending" while stored documents await reapply
PIPE_BATCH = 16  # texts per nlp.pipe batch (and per message to a worker process)
MAX_REASON = 300  # characters of an error message kept in a failed file's warning


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
    yield Event(EventKind.FOUND, total=summary.found)
    events: deque[Event] = deque()
    in_flight: dict[str, Pending] = {}  # content hash -> document read, not yet written
    stopped: list[Exception] = []  # an error that is not one file's, raised after the pipeline
    pending = _guarded(_pending(store, paths, version, force, fields, summary, events,
                                in_flight), stopped)
    first = next(pending, None)
    yield from _drain(events)
    if first is not None:
        store.set_meta(REAPPLY, "pending")  # until reapply has seen the new documents
        yield Event(EventKind.LOADING, message="loading the spaCy pipeline")
        yield from _process(store, itertools.chain([first], pending), events, in_flight,
                            version, workers=workers, batch_size=batch_size, summary=summary)
        store.set_meta("pipeline_version", version)
    yield from _drain(events)
    if stopped:
        raise stopped[0]
    yield from finish_ingest(store, summary, corrections, changed=first is not None)


def finish_ingest(store: Store, summary: Summary, corrections: Path | None, *,
                  changed: bool) -> Iterator[Event]:
    """Apply the corrections file (default: beside the database) and the domain rules
    to the corpus (``reapply``) when documents ``changed``, an earlier run left
    that pending, or the corrections did; then complete ``summary``."""
    fixes = corrections_file.load(corrections or corrections_file.default_path(store.path))
    # REAPPLY is "pending" from the first write until reapply has run: an interrupted
    # run that stored documents leaves it so, and the next run completes it. Stored
    # documents have entities, aliases and roles only once reapply has run; a run
    # that only removed documents (records gone from their file) needs it too.
    if (changed or store.get_meta(REAPPLY) == "pending"
            or store.awaiting_reapply()
            or store.get_meta("corrections_digest") != fixes.digest):
        summary.reapply = reapply(store, fixes)
        store.set_meta(REAPPLY, "done")
        for message in summary.reapply.warnings:
            yield Event(EventKind.WARNING, message=f"corrections: {message}")
    finish_summary(store, summary)
    yield Event(EventKind.DONE)


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


def _guarded(items: Iterator[Pending], stopped: list[Exception]) -> Iterator[Pending]:
    """``items``, ending quietly on an error and keeping it in ``stopped``.

    This generator feeds ``nlp.pipe``, which would take an exception raised
    inside it for a failure of the pipeline and go on with an exhausted
    stream: the documents after it would be lost without a word. Errors of
    one file never get here (``_pending`` counts them failed); what does (a
    database error) is raised again once the pipeline has finished.
    """
    try:
        yield from items
    except Exception as exc:
        stopped.append(exc)


def _pending(store: Store, paths: list[Path], version: str, force: bool,
             fields: RecordFields | None, summary: Summary, events: deque[Event],
             in_flight: dict[str, Pending]) -> Iterator[Pending]:
    """The documents that need processing, read and cleaned, one at a time.

    Unchanged, skipped, duplicate and unreadable documents are counted in
    ``summary`` and reported on ``events`` instead (``input_documents``,
    ``is_unchanged``, ``load_text``, ``is_duplicate``). A document with the
    content of one in flight or stored is recorded as another path of it.
    """
    for source, document in input_documents(store, paths, fields, summary, events):
        if is_unchanged(store, document, version, force, summary, events):
            continue
        text = load_text(source, document, summary, events)
        if text is None or is_duplicate(store, source, document, version, force, summary,
                                        events, in_flight):
            continue
        item = Pending(document, text)
        in_flight[document.hash] = item
        yield item


def input_documents(store: Store, paths: list[Path], fields: RecordFields | None,
                    summary: Summary, events: deque[Event]
                    ) -> Iterator[tuple[SourceFile, SourceDocument]]:
    """Every document of the files under ``paths``, with its file, hashed but not loaded.

    Files that cannot be read, or split into their documents, are counted
    failed in ``summary`` and reported on ``events``; a record file that adds
    records raises the ``found`` total; records gone from it are deleted
    from the store once the file has been read (after the caller has seen
    each of its documents). Whatever a reader raises (a ``RecursionError`` on
    deep nesting, a ``ValueError`` on a huge number, a broken zip or XML)
    fails that file or record alone, with its reason. Both engines read their
    inputs through this (the cluster engine on its client).
    """
    warnings: list[str] = []
    for source in iter_sources(paths, warnings):
        events.extend(Event(EventKind.WARNING, message=message) for message in warnings)
        warnings.clear()
        try:
            data = source.read_bytes()
        except OSError as exc:
            _failed(summary, events, source.name,
                    f"cannot read {printable_path(source.path)}: {exc.strerror}")
            continue
        keys: list[str] = []
        failed = False
        documents = iter_documents(source, data, fields)
        while True:
            try:
                document = next(documents, None)
            except Exception as exc:  # the file could not be split into its documents
                if keys:  # the rest of the file counts as one more document, failed
                    summary.found += 1
                    events.append(Event(EventKind.FOUND, total=summary.found))
                _failed(summary, events, source.name,
                        f"failed {printable_path(source.path)}: {_reason(exc)}")
                keys, failed = [], True  # read only in part: retire none of its records
                break
            if document is None:
                break
            keys.append(document.key)
            if len(keys) > 1:
                summary.found += 1
                events.append(Event(EventKind.FOUND, total=summary.found))
            yield source, document
        if not keys and not failed:  # a record file without records: counted, not lost
            summary.skipped += 1
            events.append(Event(EventKind.SKIPPED, source.name,
                                f"skipped {printable_path(source.path)}: no records"))
        stale = stale_records(source.key, keys, store.record_paths(source.key))
        if stale:
            store.delete_documents(stale)
            events.append(Event(EventKind.WARNING, source.name,
                                f"removed {len(stale)} record(s) no longer in "
                                f"{printable_path(source.path)}"))
    events.extend(Event(EventKind.WARNING, message=message) for message in warnings)


def _failed(summary: Summary, events: deque[Event], name: str, message: str) -> None:
    summary.failed += 1
    events.append(Event(EventKind.FAILED, name, message))


def _reason(exc: BaseException) -> str:
    """Why reading failed, in one line of bounded length."""
    text = " ".join(str(exc).split())
    if len(text) > MAX_REASON:
        text = text[:MAX_REASON - 1] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def is_unchanged(store: Store, document: SourceDocument, version: str, force: bool,
                 summary: Summary, events: deque[Event]) -> bool:
    """Whether ``document`` is stored with this content and pipeline version (counted
    unchanged; never with ``force``).

    A path stored by a database from before keys were absolute is adopted
    under the document's key first (``Store.adopt_path``).
    """
    if not os.path.isabs(document.name):
        store.adopt_path(document.name, document.key)
    if not force and store.document_state(document.key) == (document.hash, version):
        summary.unchanged += 1
        events.append(Event(EventKind.UNCHANGED, document.name))
        return True
    return False


def load_text(source: SourceFile, document: SourceDocument, summary: Summary,
              events: deque[Event]) -> SourceText | None:
    """The text and metadata of ``document``, or None when it is unusable, empty or
    its reader fails (counted skipped or failed, with the reason)."""
    try:
        text = document.load()
    except InputError as exc:
        summary.skipped += 1
        events.append(Event(EventKind.SKIPPED, document.name,
                            f"skipped {_label(source, document)}: {exc}"))
        return None
    except Exception as exc:  # a reader's own error: this document fails, the run goes on
        _failed(summary, events, document.name,
                f"failed {_label(source, document)}: {_reason(exc)}")
        return None
    if not text.text.strip():
        summary.skipped += 1
        events.append(Event(EventKind.SKIPPED, document.name, f"skipped {_label(source, document)}: "
                            "empty (no text, or only whitespace or page chrome)"))
        return None
    return text


class Copies(Protocol):
    """A document in flight as far as its copies go: the keys and names of the
    other paths found with its content."""

    also: list[str]
    names: dict[str, str]


def is_duplicate(store: Store, source: SourceFile, document: SourceDocument, version: str,
                 force: bool, summary: Summary, events: deque[Event],
                 in_flight: Mapping[str, Copies]) -> bool:
    """Whether ``document`` has the content of a document in flight (by content hash)
    or stored; it is then recorded as another path of that one and counted a
    duplicate. A stored document whose other paths are gone follows its file
    (a moved folder, a renamed file)."""
    twin = in_flight.get(document.hash)
    stored = None if force or twin else store.document_with_content(document.hash, version)
    if twin is None and stored is None:
        return False
    message = "same content as a document already seen; stored once under both paths"
    if twin is not None:
        twin.also.append(document.key)  # the record shares this list until written
        twin.names[document.key] = document.name
    else:
        assert stored is not None
        store.add_path(document.key, stored, document.name)
        gone = [key for key in store.paths_of(stored)
                if key != document.key and _vanished(key)]
        if gone:  # a moved folder, or a renamed file: the document follows its file
            store.delete_documents(gone)
            message = f"moved here from {gone[0]}" + (
                f" (and {len(gone) - 1} more)" if len(gone) > 1 else "")
    summary.duplicates += 1
    events.append(Event(EventKind.DUPLICATE, document.name,
                        f"{_label(source, document)}: {message}"))
    return True


def _process(store: Store, items: Iterator[Pending], events: deque[Event],
             in_flight: dict[str, Pending], version: str, *, workers: int, batch_size: int,
             summary: Summary) -> Iterator[Event]:
    """Run the pipeline over ``items`` and write the results in batches.

    Only small keys travel with the texts to worker processes
    (``pipe_documents``); each item stays in ``in_flight`` until written. A
    document processed in pieces is written piece by piece as they arrive
    (``PieceWriter``), with a "piece" event for each, so that memory holds
    one piece's entities and the progress bar moves within a long file.
    """
    from policycorpus.pipeline.build import (
        build,
        extract,
        extract_quotes,
        extract_relations,
    )

    nlp = build()
    batch: list[DocumentRecord] = []
    writer: PieceWriter | None = None
    texts = ((item.text, item) for item in items)
    try:
        for done in pipe_documents(nlp, texts, extract, quotes=extract_quotes,
                                   relations=extract_relations, n_process=max(1, workers),
                                   batch_size=PIPE_BATCH, stream=True):
            item = done.context
            yield from _drain(events)
            if isinstance(done, Piece):
                if writer is None:
                    if batch:  # the long document gets a transaction of its own
                        yield from write_batch(store, batch, summary, in_flight)
                        batch = []
                    writer = PieceWriter(store, _record(item, [], version)).__enter__()
                writer.add(done.entities, done.quotes, done.relations)
                yield Event(EventKind.PIECE, item.document.name,
                            f"piece {done.number} of {done.count}", total=done.count)
                continue
            if done.entities is None:
                if writer is not None:
                    writer, open_writer = None, writer
                    open_writer.__exit__(RuntimeError, RuntimeError(done.error), None)
                in_flight.pop(item.document.hash, None)
                summary.failed += 1
                yield Event(EventKind.FAILED, item.document.name,
                            f"failed {item.document.name}: {done.error}")
                continue
            if done.in_pieces:
                assert writer is not None
                writer.finish()
                writer, open_writer = None, writer
                open_writer.__exit__(None, None, None)
                yield from written(open_writer.record, summary, in_flight)
                continue
            batch.append(build_record(item, done.entities, done.quotes, done.relations,
                                      version))
            if len(batch) >= batch_size:
                yield from write_batch(store, batch, summary, in_flight)
                batch = []
    except BaseException as exc:
        if writer is not None:  # stopped in the middle of a long document: roll it back
            writer.__exit__(type(exc), exc, exc.__traceback__)
        raise
    if batch:
        yield from write_batch(store, batch, summary, in_flight)


def write_batch(store: Store, batch: list[DocumentRecord], summary: Summary,
                in_flight: MutableMapping[str, Any]) -> Iterator[Event]:
    """Write ``batch`` in one transaction; count and report each document ingested."""
    store.write_documents(batch)
    for record in batch:
        yield from written(record, summary, in_flight)


def written(record: DocumentRecord, summary: Summary,
            in_flight: MutableMapping[str, Any]) -> Iterator[Event]:
    """Count ``record`` ingested (it is no longer in flight) and report it."""
    in_flight.pop(record.hash, None)
    summary.ingested += 1
    summary.words += record.words
    yield Event(EventKind.INGESTED, record.path)


def _label(source: SourceFile, document: SourceDocument) -> str:
    """The path of a file, with the record part of a record's name (``data.jsonl#17``)."""
    return f"{printable_path(source.path)}{document.name[len(source.name):]}"


def _vanished(key: str) -> bool:
    """Whether the file of a stored key (``/abs/a.txt``, ``/abs/export.csv#17``) is gone.

    A relative key (from before migration 7) says nothing: never gone.
    """
    if not os.path.isabs(key):
        return False
    ends = [len(key)] + [i for i, ch in enumerate(key) if ch == "#"]
    return not any(os.path.lexists(key[:end]) for end in ends)


def build_record(item: Pending, entities: list[ExtractedEntity], quotes: list[Quote],
                 relations: list[Relation], version: str) -> DocumentRecord:
    """The record of a processed document: its text and metadata, the entities the
    pipeline found with their mentions, quotations and law actions (facts, aliases
    and corpus entities are the corpus layer's)."""
    record = _record(item, entities, version)
    record.quotes = list(quotes)
    record.relations = list(relations)
    return record


def _record(item: Pending, entities: list[ExtractedEntity], version: str) -> DocumentRecord:
    found = item.source
    holder_ids = [e.officeholder_id for e in entities]
    if found.published and any(holder_ids):
        from policycorpus.pipeline.officeholders import OfficeHolders

        holders = OfficeHolders.load()
        # a record confirmed for a date outside every term is not it
        holder_ids = [i if i and holders.in_office(i, found.published) else ""
                      for i in holder_ids]
    return DocumentRecord(
        path=item.document.key,
        names=item.names,  # shared, like ``also``
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
                type=e.type, name=e.name, role=e.role, org=e.org,
                officeholder_id=holder_id, mentions=list(e.mentions),
            )
            for e, holder_id in zip(entities, holder_ids)
        ],
    )
