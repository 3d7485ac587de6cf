"""Store one long document piece by piece, holding one piece's rows at a time.

A document processed in pieces (``chunking.pipe_documents(stream=True)``)
would otherwise be merged whole before it is written: for a 30 MB text that
is hundreds of thousands of mention records, several copies of each. Here the
document row is inserted first (``Store.add_document``, as ``write_documents``
does) and each piece's extracted entities, mentions, quotations and law
actions are written as the piece arrives, through the same ``ExtractedRows``
as a whole document; only the ids, role and organisation of each distinct
entity are kept. ``finish`` applies the rules ``chunking.merge_entities``
applies to a merged document: a person named like an official of the same
document becomes that official (its mentions move over), and the first role
and organisation are kept. Entities, facts, aliases and roles are the corpus
layer's, as for any document.

Everything happens in one transaction (``Store.atomic``): if a piece fails,
or the run is stopped, the document is absent, as with ``write_documents``.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from policycorpus.entity_types import in_document
from policycorpus.extraction import ExtractedEntity, Quote, Relation
from policycorpus.store import docpaths, extracted
from policycorpus.store import relations as relations_store
from policycorpus.store.database import (
    DocumentRecord,
    EntityRecord,
    Store,
)
from policycorpus.store.extracted import ExtractedRows


@dataclass
class _Entity:
    """What the writer keeps of one entity of the document."""

    extracted_id: int
    role: str = ""
    org: str = ""


class PieceWriter:
    """Write one document whose entities arrive piece by piece.

    Example::

        with PieceWriter(store, record) as writer:  # record without entities
            for piece in pieces:
                writer.add(piece.entities, piece.quotes)
            writer.finish()

    Leaving the block without ``finish`` (an exception, a failed piece, a
    stopped run) rolls the document back.
    """

    def __init__(self, store: Store, record: DocumentRecord) -> None:
        self.store = store
        self.record = record
        self.pieces = 0
        self._stack = ExitStack()
        self._entities: dict[tuple[str, str], _Entity] = {}
        self._officials: set[str] = set()
        self._finished = False

    def __enter__(self) -> "PieceWriter":
        self._stack.enter_context(self.store.atomic())
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            self.doc_id = self.store.add_document(replace(self.record, entities=[], quotes=[],
                                                          relations=[]), now)
            self._rows = ExtractedRows.starting(self.store.db)
        except BaseException:
            self._stack.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: Any) -> bool:
        if exc[0] is None and not self._finished:
            exc = (RuntimeError, RuntimeError("document not finished"), None)
        return bool(self._stack.__exit__(*exc))

    def add(self, entities: list[ExtractedEntity], quotes: list[Quote],
            relations: list[Relation] | None = None) -> None:
        """Write one piece's entities (mentions in the document's frame), quotations
        and law actions."""
        rows = self._rows
        for found in entities:
            entity = self._entity(found.type, found.name)
            entity.role = entity.role or found.role
            entity.org = entity.org or found.org
            for mention in found.mentions:
                rows.mention(self.doc_id, entity.extracted_id, mention)
        for q in sorted(quotes, key=lambda q: (q.start, q.end)):
            if (self._type(q.speaker_type, q.speaker), q.speaker) in self._entities:
                rows.quote(self.doc_id, q.start, q.end, q.text, q.kind, q.cue,
                           q.speaker_start, q.speaker_end, q.speaker_text)
        if relations:
            relations_store.queue(rows.relations, self.doc_id, relations)
        rows.flush(self.store.db.conn)
        self.pieces += 1

    def finish(self) -> None:
        """Merge people into the officials of the same name, keep each entity's
        first role and organisation, and commit the document."""
        db = self.store.db
        for (type_, name), person in list(self._entities.items()):
            if type_ != "person" or name not in self._officials:
                continue
            official = self._entities[("official", name)]
            official.role = official.role or person.role
            official.org = official.org or person.org
            extracted.fold_entity(db, official.extracted_id, person.extracted_id, official.role,
                                  official.org)
            del self._entities[(type_, name)]
        for entity in self._entities.values():
            if entity.role or entity.org:
                extracted.set_role(db, entity.extracted_id, entity.role, entity.org)
        self._attach_copies()
        self._finished = True

    def _attach_copies(self) -> None:
        """Give the document the paths of copies found while it was being processed."""
        have = set(docpaths.paths_of(self.store.db, self.doc_id))
        late = [path for path in self.record.also if path not in have]
        for path in late:
            self.store.release_path(path)
        if late:
            docpaths.attach(self.store.db, self.doc_id, late, self.record.names)

    def _type(self, type_: str, name: str) -> str:
        return in_document(type_, name, self._officials)

    def _entity(self, type_: str, name: str) -> _Entity:
        """The record of (type, name) in this document, created (with its row) at first sight."""
        type_ = self._type(type_, name)
        if type_ == "official":
            self._officials.add(name)
        key = (type_, name)
        entity = self._entities.get(key)
        if entity is None:
            extracted_id = self._rows.entity(self.doc_id, EntityRecord(type_, name))
            entity = self._entities[key] = _Entity(extracted_id)
        return entity
