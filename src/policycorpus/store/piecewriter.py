"""Store one long document piece by piece, holding one piece's rows at a time.

A document processed in pieces (``chunking.pipe_documents(stream=True)``)
would otherwise be merged whole before it is written: for a 30 MB text that
is hundreds of thousands of mention records, several copies of each. Here the
document row is inserted first, each piece's mentions and quotations are
written as the piece arrives, and only a small record per distinct entity is
kept (its ids, role, organisation, surface forms, mention count and the
first mentions of laws and places, which the facts need). ``finish`` applies
the rules ``chunking.merge_entities`` applies to a merged document: a person
named like an official of the same document becomes that official (its
mentions and quotations move over), the first role and organisation are
kept, and the facts (level, jurisdiction, law key) are read once for the
whole document.

Everything happens in one transaction (``Store.atomic``): if a piece fails,
or the run is stopped, the document is absent, as with ``write_documents``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from policycorpus.entity_types import in_document
from policycorpus.extraction import ExtractedEntity, Quote, Relation
from policycorpus.store import docpaths
from policycorpus.store import relations as relations_store
from policycorpus.store.database import (
    DocumentRecord,
    EntityRecord,
    Store,
    _BatchRows,
)

SAMPLE_MENTIONS = 200  # mentions of a law or place kept for the facts of the document


@dataclass
class PieceEntity:
    """One entity of a document written piece by piece, as its facts need it:
    type, name, role, organisation, its first mentions and how many it has."""

    type: str
    name: str
    role: str
    org: str
    sample: list[Any]
    count: int


#: Computes the facts (level, jurisdiction, law key) of a document's entities
#: from them and its text; given by the caller, so the store knows no rules.
FactsOf = Callable[[list[PieceEntity], str], list[Any]]


@dataclass
class _Entity:
    """What the writer keeps of one entity of the document."""

    type: str
    name: str
    entity_id: int
    extracted_id: int
    role: str = ""
    org: str = ""
    surfaces: set[str] = field(default_factory=set)
    count: int = 0
    sample: list[tuple[int, int, str]] = field(default_factory=list)

    def absorb(self, other: "_Entity") -> None:
        """Take over the attributes of the same name under another type."""
        self.role = self.role or other.role
        self.org = self.org or other.org
        self.surfaces |= other.surfaces
        self.count += other.count
        self.sample = sorted(self.sample + other.sample)[:SAMPLE_MENTIONS]


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

    def __init__(self, store: Store, record: DocumentRecord, facts: FactsOf) -> None:
        self.store = store
        self.record = record
        self.facts = facts
        self.pieces = 0
        self._stack = ExitStack()
        self._entities: dict[tuple[str, str], _Entity] = {}
        self._officials: set[str] = set()
        self._paths: list[str] = []
        self._finished = False

    def __enter__(self) -> "PieceWriter":
        self._stack.enter_context(self.store.atomic())
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            self.doc_id, self._touched = self.store.add_document(
                _without_rows(self.record), now)
            self._rows = _BatchRows.starting(self.store.db)
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
            entity.surfaces.update(found.aliases)
            for mention in found.mentions:
                entity.surfaces.add(mention.text)
                entity.count += 1
                if entity.type in ("law", "place") and len(entity.sample) < SAMPLE_MENTIONS:
                    entity.sample.append((mention.start, mention.end, mention.text))
                rows.mention(self.doc_id, entity.entity_id, entity.extracted_id, mention)
        for q in sorted(quotes, key=lambda q: (q.start, q.end)):
            speaker = self._entities.get((self._type(q.speaker_type, q.speaker), q.speaker))
            if speaker is not None:
                rows.quotes.append((self.doc_id, speaker.entity_id, q.start, q.end, q.text,
                                    q.kind, q.cue, q.speaker_start, q.speaker_end,
                                    q.speaker_text))
        if relations:
            relations_store.queue(rows.relations, self.doc_id, relations)
        rows.flush(self.store.db.conn)
        self.pieces += 1

    def finish(self) -> None:
        """Merge people into the officials of the same name, write each entity's
        row, role, aliases and facts, and commit the document."""
        db = self.store.db
        for (type_, name), person in list(self._entities.items()):
            if type_ != "person" or name not in self._officials:
                continue
            official = self._entities[("official", name)]
            for sql in ("update mentions set entity_id = ? where document_id = ? and entity_id = ?",
                        "update quotes set entity_id = ? where document_id = ? and entity_id = ?"):
                db.execute(sql, [official.entity_id, self.doc_id, person.entity_id])
            db.execute("update extracted_mentions set extracted_entity_id = ?"
                       " where extracted_entity_id = ?", [official.extracted_id, person.extracted_id])
            db.execute("delete from extracted_entities where id = ?", [person.extracted_id])
            official.absorb(person)
            self._touched.add(person.entity_id)
            del self._entities[(type_, name)]
        entities = list(self._entities.values())
        facts = self.facts([PieceEntity(e.type, e.name, e.role, e.org, e.sample, e.count)
                            for e in entities], self.record.text)
        rows = self._rows
        for entity, fact in zip(entities, facts):
            if fact.level or fact.jurisdiction:
                self.store.entity_id(entity.type, entity.name, fact.level, fact.jurisdiction)
            db.execute("update extracted_entities set role = ?, org = ?, level = ?,"
                       " jurisdiction = ?, law_key = ? where id = ?",
                       [entity.role, entity.org, fact.level, fact.jurisdiction, fact.law_key,
                        entity.extracted_id])
            for surface in (entity.name, *sorted(entity.surfaces)):
                rows.alias(entity.entity_id, surface)
            if entity.role:
                rows.roles.append((entity.entity_id, self.doc_id, entity.role, entity.org))
        rows.flush(db.conn)
        self._attach_copies()
        self.store._delete_orphans(self._touched)
        self._finished = True

    def _attach_copies(self) -> None:
        """Give the document the paths of copies found while it was being processed."""
        have = set(docpaths.paths_of(self.store.db, self.doc_id))
        late = [path for path in self.record.also if path not in have]
        for path in late:
            self._touched |= self.store._delete_document(path)
        if late:
            docpaths.attach(self.store.db, self.doc_id, late, self.record.names)

    def _type(self, type_: str, name: str) -> str:
        return in_document(type_, name, self._officials)

    def _entity(self, type_: str, name: str) -> _Entity:
        """The record of (type, name) in this document, created (with its rows) at first sight."""
        type_ = self._type(type_, name)
        if type_ == "official":
            self._officials.add(name)
        key = (type_, name)
        entity = self._entities.get(key)
        if entity is None:
            entity_id = self.store.entity_id(type_, name)
            extracted_id = self._rows.extracted_entity(self.doc_id, EntityRecord(type_, name))
            entity = self._entities[key] = _Entity(type_, name, entity_id, extracted_id)
        return entity


def _without_rows(record: DocumentRecord) -> DocumentRecord:
    from dataclasses import replace

    return replace(record, entities=[], quotes=[])

