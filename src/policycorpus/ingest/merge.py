"""``merge``: shards of extracted rows -> the database, with the embedded ingest's accounting.

The client of a cluster ingest reads its inputs as the embedded ingest does
(``run.input_documents``: unchanged, duplicate and unreadable documents are
counted there) and sends the rest, a file at a time, to ``extract``. What
it sent is a ``Dispatched`` file with one ``Sent`` entry per document,
which also collects the paths of copies found while the document is in
flight. ``Merger.merge`` then reads the file's shard and stores it through
the same functions as the embedded ingest (``write_batch`` in batches of
``batch_size``, ``PieceWriter`` for a document in pieces), so that every
document sent ends counted once: ingested, skipped or failed. A copy of a
document that turns out unusable is counted as that document is (skipped
or failed), as the embedded ingest, which reads the copy too, would.

Shards are deleted once their documents are committed; a shard left by a
stopped run is simply made again by the next one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policycorpus.errors import InputError
from policycorpus.ingest.extract import ExtractTask
from policycorpus.ingest.run import write_batch, written
from policycorpus.ingest.shards import read_shard, shard_path
from policycorpus.pipeline.chunking import Piece
from policycorpus.plain import from_plain
from policycorpus.records import Event, EventKind, Summary
from policycorpus.sources.files import SourceFile
from policycorpus.sources.readers import RecordFields, SourceDocument
from policycorpus.store.database import DocumentRecord, Store
from policycorpus.store.piecewriter import PieceWriter


@dataclass
class Sent:
    """A document sent to extract, and the paths of copies found since (``Copies``)."""

    key: str
    name: str
    hash: str
    also: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.names.setdefault(self.key, self.name)


@dataclass
class Dispatched:
    """One input file as the client read it: the documents it sends and those it
    leaves out (unchanged or copies), by key."""

    source: SourceFile
    sent: list[Sent] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    def add(self, document: SourceDocument) -> Sent:
        """Send ``document``; return its entry (to register its content as in flight)."""
        entry = Sent(document.key, document.name, document.hash)
        self.sent.append(entry)
        return entry

    def leave_out(self, document: SourceDocument) -> None:
        """Do not send ``document`` (it is stored, or a copy of one sent)."""
        self.left_out.append(document.key)

    def task(self, folder: Path, version: str, fields: RecordFields | None) -> ExtractTask:
        """The task that extracts this file's sent documents into its shard in ``folder``."""
        sent = frozenset(entry.key for entry in self.sent)
        left_out = frozenset(self.left_out) - sent
        exclude = len(left_out) <= len(sent)
        return ExtractTask(self.source, shard_path(folder, self.source.key), version,
                           left_out if exclude else sent, exclude, fields)


class Merger:
    """Store the shards of dispatched files one after another, in batches.

    Example::

        merger = Merger(store, summary, in_flight, batch_size=64)
        for dispatched, shard, error in finished_tasks:
            yield from merger.merge(dispatched, shard, error)
        yield from merger.flush()
    """

    def __init__(self, store: Store, summary: Summary, in_flight: MutableMapping[str, Any],
                 *, batch_size: int = 64) -> None:
        self.store = store
        self.summary = summary
        self.in_flight = in_flight
        self.batch_size = batch_size
        self._batch: list[DocumentRecord] = []
        self._read: list[Path] = []  # shards whose documents are all stored or in the batch

    def merge(self, dispatched: Dispatched, shard: Path | None, error: str = ""
              ) -> Iterator[Event]:
        """Store the shard of ``dispatched`` (or, with ``error``, count its documents failed)."""
        entries = {entry.key: entry for entry in dispatched.sent}
        waiting = Counter(entry.key for entry in dispatched.sent)
        writer: PieceWriter | None = None
        try:
            if shard is not None and not error:
                for line in read_shard(shard):
                    kind = line["kind"]
                    if kind == "document":
                        record = from_plain(DocumentRecord, line["record"])
                        if self._take(waiting, record.path):
                            self._batch.append(self._with_copies(record, entries))
                            if len(self._batch) >= self.batch_size:
                                yield from self.flush()
                    elif kind == "begin":
                        record = self._with_copies(from_plain(DocumentRecord, line["record"]),
                                                   entries)
                        yield from self._write_batch()  # a transaction of its own
                        writer = PieceWriter(self.store, record).__enter__()
                    elif kind == "piece" and writer is not None:
                        piece = from_plain(Piece, line["piece"], context=None)
                        writer.add(piece.entities, piece.quotes, piece.relations)
                        yield Event(EventKind.PIECE, writer.record.names.get(
                                        writer.record.path, writer.record.path),
                                    f"piece {piece.number} of {piece.count}", total=piece.count)
                    elif kind == "end" and writer is not None:
                        writer.finish()
                        writer, finished = None, writer
                        finished.__exit__(None, None, None)
                        self._take(waiting, line["key"])
                        yield from written(finished.record, self.summary, self.in_flight)
                    elif kind == "outcome":
                        if writer is not None:  # a piece failed: the document is rolled back
                            writer, failed = None, writer
                            failed.__exit__(RuntimeError, RuntimeError(line["message"]), None)
                        if self._take(waiting, line["key"]):
                            yield from self._outcome(line, entries.get(line["key"]))
            if shard is not None and not error:
                self._read.append(shard)
        except InputError as exc:
            error = str(exc)
        except BaseException as exc:
            if writer is not None:  # stopped in the middle of a long document: roll it back
                writer.__exit__(type(exc), exc, exc.__traceback__)
            raise
        if writer is not None:
            writer.__exit__(RuntimeError, RuntimeError(error or "shard ended"), None)
        for key, count in waiting.items():
            entry = entries[key]
            for _ in range(count):
                reason = error or "not in its shard (the file changed while it was ingested?)"
                yield from self._outcome({"event": EventKind.FAILED, "stage": "read",
                                          "name": entry.name,
                                          "message": f"failed {entry.name}: {reason}"}, entry)

    def flush(self) -> Iterator[Event]:
        """Write the documents waiting in the batch; delete the shards fully stored."""
        yield from self._write_batch()
        for path in self._read:
            path.unlink(missing_ok=True)
        self._read.clear()

    def _write_batch(self) -> Iterator[Event]:
        if self._batch:
            batch, self._batch = self._batch, []
            yield from write_batch(self.store, batch, self.summary, self.in_flight)

    @staticmethod
    def _take(waiting: Counter[str], key: str) -> bool:
        """Count one document of ``key`` as arrived; False if none was waiting."""
        if waiting[key] <= 0:
            return False
        waiting[key] -= 1
        if not waiting[key]:
            del waiting[key]
        return True

    def _with_copies(self, record: DocumentRecord, entries: dict[str, Sent]) -> DocumentRecord:
        """``record`` with the paths of the copies found while it was in flight."""
        entry = entries.get(record.path)
        if entry is not None:
            if entry.hash != record.hash:  # the file changed after the client read it
                self.in_flight.pop(entry.hash, None)
            record.also = entry.also  # shared: copies found until it is written join it
            entry.names.update(record.names)
            record.names = entry.names
        return record

    def _outcome(self, line: dict[str, Any], entry: Sent | None) -> Iterator[Event]:
        """Count a document skipped or failed, and its copies as the same when the
        document itself could not be read (they could not either)."""
        kind = EventKind(line["event"])
        self._count(kind)
        yield Event(kind, line["name"], line["message"])
        if entry is None:
            return
        self.in_flight.pop(entry.hash, None)
        if line.get("stage") != "read":
            return  # the copies were read; the pipeline failed on this one
        for key in entry.also:
            name = entry.names.get(key, key)
            self.summary.duplicates -= 1  # as which it was counted when it was found
            self._count(kind)
            yield Event(kind, name, line["message"].replace(line["name"], name, 1))

    def _count(self, kind: EventKind) -> None:
        if kind == EventKind.SKIPPED:
            self.summary.skipped += 1
        else:
            self.summary.failed += 1
