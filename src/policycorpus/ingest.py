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
from policycorpus.facts import extraction_facts
from policycorpus.reapply import ReapplySummary, reapply
from policycorpus.sources import SourceFile, content_hash, decode, iter_sources, read_text
from policycorpus.store import DocumentRecord, EntityRecord, MentionRecord, Store
from policycorpus.versions import pipeline_version


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
    reapply: ReapplySummary | None = None


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


def run_ingest(
    store: Store,
    paths: list[Path],
    *,
    workers: int = 1,
    force: bool = False,
    batch_size: int = 64,
    summary: Summary | None = None,
    corrections: Path | None = None,
) -> Iterator[Event]:
    """Ingest the files under ``paths`` into ``store``, yielding progress events.

    At the end, the corrections file (``corrections``, default: beside the
    database) and the domain rules are applied to the whole corpus
    (``reapply``) when documents changed or the corrections did.
    """
    summary = summary if summary is not None else Summary()
    started = time.perf_counter()
    version = pipeline_version()
    warnings: list[str] = []
    sources = list(iter_sources(paths, warnings))
    for message in warnings:
        yield Event("warning", message=message)
    summary.found = len(sources)
    yield Event("found", total=len(sources))
    states = store.document_states()
    pending: list[_Pending] = []
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
        raw = decode(data)
        if raw is None:
            summary.skipped += 1
            yield Event("skipped", source.name, f"skipped {source.path}: not a text file")
            continue
        cleaned = read_text(raw)
        if not cleaned.text.strip():
            summary.skipped += 1
            yield Event("skipped", source.name, f"skipped {source.path}: empty")
            continue
        pending.append(_Pending(source, digest, cleaned.text, cleaned.title, cleaned.byline,
                                cleaned.published))
    if pending:
        yield Event("loading", message="loading the spaCy pipeline")
        from policycorpus.pipeline import build, extract

        nlp = build()
        batch: list[DocumentRecord] = []
        texts = ((p.text, p) for p in pending)
        for doc, item in nlp.pipe(texts, as_tuples=True, n_process=max(1, workers),
                                  batch_size=16):
            record = _record(item, extract(doc), version)
            batch.append(record)
            summary.words += record.words
            if len(batch) >= batch_size:
                store.write_documents(batch)
                for written in batch:
                    summary.ingested += 1
                    yield Event("ingested", written.path)
                batch = []
        if batch:
            store.write_documents(batch)
            for written in batch:
                summary.ingested += 1
                yield Event("ingested", written.path)
        store.set_meta("pipeline_version", version)
    fixes = corrections_file.load(corrections or corrections_file.default_path(store.path))
    if pending or store.get_meta("corrections_digest") != fixes.digest:
        summary.reapply = reapply(store, fixes)
        for message in summary.reapply.warnings:
            yield Event("warning", message=f"corrections: {message}")
    summary.entities = dict(
        store.db.execute("select type, count(*) from entities group by type").fetchall()
    )
    summary.seconds = time.perf_counter() - started
    yield Event("done")


def _record(item: _Pending, entities: list[dict[str, Any]], version: str) -> DocumentRecord:
    from policycorpus.gazetteer import Gazetteer

    facts = extraction_facts(entities, item.text, Gazetteer.load())
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
                org=e["org"], level=f.level, jurisdiction=f.jurisdiction, law_key=f.law_key,
                mentions=[MentionRecord(**m) for m in e["mentions"]],
            )
            for e, f in zip(entities, facts)
        ],
    )
