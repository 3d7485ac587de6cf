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

from policycorpus.chunking import pipe_documents
from policycorpus.decoding import decode_bytes
from policycorpus.linking import link_corpus
from policycorpus.sources import SourceFile, content_hash, iter_sources, read_text
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


@dataclass
class _Pending:
    source: SourceFile
    hash: str
    text: str
    title: str
    byline: str
    published: str
    also: list[str] = field(default_factory=list)


LINKING = "cross_document_linking"  # meta key: "pending" while new documents await linking


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
) -> Iterator[Event]:
    """Ingest the files under ``paths`` into ``store``, yielding progress events."""
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
        digest = content_hash(data)
        if not force and states.get(source.name) == (digest, version):
            summary.unchanged += 1
            yield Event("unchanged", source.name)
            continue
        decoded = decode_bytes(data)
        if decoded.text is None:
            summary.skipped += 1
            yield Event("skipped", source.name, f"skipped {source.path}: {decoded.problem}")
            continue
        cleaned = read_text(decoded.text)
        if not cleaned.text.strip():
            summary.skipped += 1
            yield Event("skipped", source.name, f"skipped {source.path}: "
                        + ("empty or only whitespace" if not decoded.text.strip()
                           else "nothing left after removing page chrome"))
            continue
        twin = by_hash.get(digest)
        stored = None if force or twin else store.document_with_content(digest, version)
        if twin is not None or stored is not None:
            if twin is not None:
                twin.also.append(source.name)
            else:
                store.add_path(source.name, stored)
            summary.duplicates += 1
            yield Event("duplicate", source.name, f"{source.path}: same content as a document "
                        "already seen; stored once under both paths")
            continue
        item = _Pending(source, digest, cleaned.text, cleaned.title, cleaned.byline,
                        cleaned.published)
        by_hash[digest] = item
        pending.append(item)
    if pending:
        store.set_meta(LINKING, "pending")  # until link_corpus has seen the new documents
        yield Event("loading", message="loading the spaCy pipeline")
        from policycorpus.pipeline import build, extract, extract_quotes

        nlp = build()
        batch: list[DocumentRecord] = []
        texts = ((p.text, p) for p in pending)
        for done in pipe_documents(nlp, texts, extract, quotes=extract_quotes,
                                   n_process=max(1, workers), batch_size=16):
            item = done.context
            if done.entities is None:
                summary.failed += 1
                yield Event("failed", item.source.name, f"failed {item.source.path}: {done.error}")
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
    if store.get_meta(LINKING) == "pending":  # also when an interrupted run stored the last file
        link_corpus(store)
        store.set_meta(LINKING, "done")
        store.set_meta("pipeline_version", version)
    finish_summary(store, summary)
    yield Event("done")


def finish_summary(store: Store, summary: Summary) -> Summary:
    """Fill in the entity counts and the time of ``summary`` (also after an interruption)."""
    summary.entities = dict(
        store.db.execute("select type, count(*) from entities group by type").fetchall()
    )
    summary.seconds = time.perf_counter() - summary.started
    return summary


def _record(item: _Pending, entities: list[dict[str, Any]], version: str) -> DocumentRecord:
    return DocumentRecord(
        path=item.source.name,
        hash=item.hash,
        text=item.text,
        title=item.title,
        byline=item.byline,
        published=item.published,
        pipeline_version=version,
        also=list(item.also),
        entities=[
            EntityRecord(
                type=e["type"], name=e["name"], aliases=list(e["aliases"]), role=e["role"],
                org=e["org"], level=e.get("level", ""), jurisdiction=e.get("jurisdiction", ""),
                mentions=[MentionRecord(**m) for m in e["mentions"]],
            )
            for e in entities
        ],
    )
