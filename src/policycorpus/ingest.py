"""Ingest: find files, skip what is unchanged, run the pipeline, write batches.

``run_ingest`` is a generator of ``Event`` objects so the CLI can draw
progress; it prints nothing. spaCy is imported only when at least one file
needs processing, so a re-run over an unchanged corpus never loads the model.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policycorpus import corrections as corrections_file
from policycorpus.chunking import pipe_documents
from policycorpus.errors import InputError
from policycorpus.facts import extraction_facts
from policycorpus.readers import RecordFields, SourceDocument, iter_documents, stale_records
from policycorpus.reapply import ReapplySummary, reapply
from policycorpus.sources import SourceFile, SourceText, iter_sources
from policycorpus.store import DocumentRecord, EntityRecord, MentionRecord, QuoteRecord, Store
from policycorpus.versions import pipeline_version


@dataclass
class Event:
    """Something that happened during an ingest: for progress and warnings."""

    kind: str  # "found", "unchanged", "skipped", "duplicate", "ingested", "failed", "loading", "done"
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


def default_workers() -> int:
    """The number of processes to use by default: the machine's cores."""
    return max(1, os.cpu_count() or 1)


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
    warnings: list[str] = []
    sources = list(iter_sources(paths, warnings))
    for message in warnings:
        yield Event("warning", message=message)
    summary.found = len(sources)
    yield Event("found", total=len(sources))
    states = store.document_states()
    pending: list[_Pending] = []
    by_hash: dict[str, _Pending] = {}
    for source in sources:
        try:
            data = source.read_bytes()
        except OSError as exc:
            summary.failed += 1
            yield Event("failed", source.name, f"cannot read {source.path}: {exc.strerror}")
            continue
        yield from _read_documents(source, data, states, version, force, fields, summary,
                                   pending, store, by_hash)
    if pending:
        store.set_meta(REAPPLY, "pending")  # until reapply has seen the new documents
        yield Event("loading", message="loading the spaCy pipeline")
        from policycorpus.pipeline import build, extract, extract_quotes

        nlp = build()
        batch: list[DocumentRecord] = []
        texts = ((p.text, p) for p in pending)  # contexts stay in this process
        for done in pipe_documents(nlp, texts, extract, quotes=extract_quotes,
                                   n_process=max(1, workers), batch_size=16):
            item = done.context
            if done.entities is None:
                summary.failed += 1
                yield Event("failed", item.document.name,
                            f"failed {item.document.name}: {done.error}")
                continue
            record = _record(item, done.entities, version)
            record.quotes = [QuoteRecord(**q) for q in done.quotes]
            batch.append(record)
            if len(batch) >= batch_size:
                store.write_documents(batch)
                for written in batch:
                    summary.ingested += 1
                    summary.words += written.words
                    yield Event("ingested", written.path)
                batch = []
        if batch:
            store.write_documents(batch)
            for written in batch:
                summary.ingested += 1
                summary.words += written.words
                yield Event("ingested", written.path)
        store.set_meta("pipeline_version", version)
    fixes = corrections_file.load(corrections or corrections_file.default_path(store.path))
    # REAPPLY is "pending" from the first write until reapply has run: an interrupted
    # run that stored documents leaves it so, and the next run completes it.
    if (pending or store.get_meta(REAPPLY) == "pending"
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


def _read_documents(source: SourceFile, data: bytes, states: dict[str, tuple[str, str]],
                    version: str, force: bool, fields: RecordFields | None, summary: Summary,
                    pending: list[_Pending], store: Store, by_hash: dict[str, _Pending]
                    ) -> Iterator[Event]:
    """Where a file becomes documents: skip the unchanged ones, read the rest into ``pending``.

    A record file that adds records raises the ``found`` total; records
    gone from it are deleted from the store. A document with the content of
    one already pending or stored is recorded as another path of it.
    """
    names: list[str] = []
    for document in iter_documents(source, data, fields):
        names.append(document.name)
        if len(names) > 1:
            summary.found += 1
            yield Event("found", total=summary.found)
        if not force and states.get(document.name) == (document.hash, version):
            summary.unchanged += 1
            yield Event("unchanged", document.name)
            continue
        try:
            text = document.load()
        except InputError as exc:
            summary.skipped += 1
            yield Event("skipped", document.name, f"skipped {_label(source, document)}: {exc}")
            continue
        if not text.text.strip():
            summary.skipped += 1
            yield Event("skipped", document.name, f"skipped {_label(source, document)}: empty "
                        "(no text, or only whitespace or page chrome)")
            continue
        twin = by_hash.get(document.hash)
        stored = None if force or twin else store.document_with_content(document.hash, version)
        if twin is not None or stored is not None:
            if twin is not None:
                twin.also.append(document.name)
            else:
                store.add_path(document.name, stored)
            summary.duplicates += 1
            yield Event("duplicate", document.name, f"{_label(source, document)}: same content "
                        "as a document already seen; stored once under both paths")
            continue
        item = _Pending(document, text)
        by_hash[document.hash] = item
        pending.append(item)
    stale = stale_records(source.name, names, states)
    if stale:
        store.delete_documents(stale)
        yield Event("warning", source.name,
                    f"removed {len(stale)} record(s) no longer in {source.path}")


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
        also=list(item.also),
        entities=[
            EntityRecord(
                type=e["type"], name=e["name"], aliases=list(e["aliases"]), role=e["role"],
                org=e["org"], level=f.level, jurisdiction=f.jurisdiction, law_key=f.law_key,
                mentions=[MentionRecord(**m) for m in e["mentions"]],
            )
            for e, f in zip(entities, facts)
        ],
    )
