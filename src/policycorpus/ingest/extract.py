"""``extract``: one input file -> one shard of extracted rows, on any machine.

This is the half of an ingest that needs the model and no database: read
the file, split it into its documents, extract each selected one's text,
run the pipeline (long texts in pieces, ``chunking.pipe_documents``) and
write what comes out to the file's shard (``shards``), which ``merge``
stores. A cluster engine runs ``extract_file`` as a task; it imports no
engine. The pipeline is built once per process (``worker_pipeline``) and
never travels: a task carries only the file's path and names, which of its
documents to process, and where its shard goes.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from policycorpus.errors import InputError
from policycorpus.ingest.run import PIPE_BATCH, Pending, build_record, load_text
from policycorpus.ingest.shards import ShardWriter
from policycorpus.pipeline.chunking import Piece, pipe_documents
from policycorpus.records import Event, Summary
from policycorpus.sources.files import SourceFile, SourceText, printable_path
from policycorpus.sources.readers import RecordFields, SourceDocument, iter_documents
from policycorpus.versions import pipeline_version

_lock = threading.Lock()
_pipeline: Any = None
LOADS = 0  # how many times this process built the pipeline (once, unless it failed)


@dataclass(frozen=True)
class ExtractTask:
    """One input file to extract: which of its documents (by key) and where the shard goes.

    ``keys`` are the documents to process, or with ``exclude`` the ones to
    leave out (whichever list is shorter travels); ``version`` is the
    client's pipeline version, which the worker's must equal.
    """

    source: SourceFile
    shard: Path
    version: str
    keys: frozenset[str] = frozenset()
    exclude: bool = True
    fields: RecordFields | None = None

    def wants(self, key: str) -> bool:
        """Whether the document stored under ``key`` is to be processed."""
        return (key in self.keys) != self.exclude


@dataclass
class ShardInfo:
    """What a task reports back: its shard, and which process made it."""

    shard: Path
    documents: int = 0
    pid: int = 0
    loads: int = 0
    seconds: float = 0.0


def pipeline_loads() -> int:
    """How many times this process built the pipeline (for tests and diagnostics)."""
    return LOADS


def worker_pipeline() -> Any:
    """The pipeline of this process, built on first use and kept (thread-safe)."""
    global _pipeline, LOADS
    with _lock:
        if _pipeline is None:
            from policycorpus.pipeline.build import build

            _pipeline = build()
            LOADS += 1
        return _pipeline


def extract_file(task: ExtractTask) -> ShardInfo:
    """Extract the selected documents of ``task.source`` into its shard; return where.

    A document that cannot be used, or whose processing fails, is written to
    the shard as an ``outcome`` with its reason; only an error of the whole
    file (it cannot be read here, or this process runs another pipeline
    version) raises, as ``InputError``.
    """
    started = time.perf_counter()
    version = pipeline_version()
    if version != task.version:
        raise InputError(f"this worker runs pipeline {version}, the client {task.version}: "
                         "install the same policycorpus, model and models/ data everywhere")
    source = task.source
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(f"worker {os.uname().nodename} cannot read "
                         f"{printable_path(source.path)}: {exc.strerror} (the workers need "
                         "the inputs at the same path: a shared file system)") from None
    from policycorpus.pipeline.build import extract, extract_quotes, extract_relations

    nlp = worker_pipeline()
    count = 0
    with ShardWriter(task.shard, key=source.key, pipeline_version=version) as shard:
        outcomes: deque[tuple[str, Event]] = deque()
        items = _texts(task, data, outcomes)
        piecewise = ""  # the key of the document whose pieces are being written
        for done in pipe_documents(nlp, items, extract, quotes=extract_quotes,
                                   relations=extract_relations, n_process=1,
                                   batch_size=PIPE_BATCH, stream=True):
            _write_outcomes(shard, outcomes)
            item: Pending = done.context
            key = item.document.key
            if isinstance(done, Piece):
                if piecewise != key:
                    piecewise = key
                    shard.write("begin", record=build_record(item, [], [], [], version))
                shard.write("piece", key=key, piece=_piece_fields(done))
                continue
            count += 1
            if done.entities is None:
                piecewise = ""
                shard.write("outcome", key=key, event="failed", stage="pipeline",
                            name=item.document.name,
                            message=f"failed {item.document.name}: {done.error}")
            elif done.in_pieces:
                piecewise = ""
                shard.write("end", key=key)
            else:
                shard.write("document", record=build_record(
                    item, done.entities, done.quotes, done.relations, version))
        _write_outcomes(shard, outcomes)
        shard.commit()
    return ShardInfo(task.shard, count, os.getpid(), LOADS, time.perf_counter() - started)


def _texts(task: ExtractTask, data: bytes, outcomes: deque[tuple[str, Event]]
           ) -> Iterator[tuple[str, Pending]]:
    """The (text, document) pairs to process; documents that cannot be used become
    ``outcomes``. An error splitting the file ends it quietly: the client, which
    split it too, has counted it."""
    scratch = Summary()
    events: deque[Event] = deque()
    documents = iter_documents(task.source, data, task.fields)
    while True:
        try:
            document: SourceDocument | None = next(documents, None)
        except Exception:
            return
        if document is None:
            return
        if not task.wants(document.key):
            continue
        text: SourceText | None = load_text(task.source, document, scratch, events)
        while events:
            outcomes.append((document.key, events.popleft()))
        if text is not None:
            yield text.text, Pending(document, text)


def _write_outcomes(shard: ShardWriter, outcomes: deque[tuple[str, Event]]) -> None:
    while outcomes:
        key, event = outcomes.popleft()
        shard.write("outcome", key=key, event=str(event.kind), stage="read", name=event.path,
                    message=event.message)


def _piece_fields(piece: Piece[Any]) -> dict[str, Any]:
    """A piece's fields without its context (which is this process's own)."""
    return {f.name: getattr(piece, f.name) for f in fields(piece) if f.name != "context"}

