"""The pipeline's output per document, stored as it was produced.

``extracted_entities`` holds each entity as one document's pipeline saw it
(type, canonical name in that document, role, organisation, public record)
and ``extracted_mentions`` each of its mentions with offsets, sentence and
provenance (step, the base model's own label, the rule of ``models/`` that
produced it). These rows, the document's ``quotes`` (speaker by offsets) and
``extracted_relations`` are what ingest writes, through ``ExtractedRows``;
they change only when a document is ingested again. The corpus layer derives
``entities``, ``aliases``, ``roles``, ``mentions`` and the speaker entity of
every quote from them, the corrections file and ``models/``, without the
model; it also fills in each extracted entity's facts (level, jurisdiction,
law key: null until then).

A mention's id in ``mentions`` is the id of its row here, so the two tables
join on ``id``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policycorpus.store import relations as relations_store
from policycorpus.store.sqlite import sqlite_utils

if TYPE_CHECKING:
    from policycorpus.store.database import DocumentRecord, EntityRecord, MentionRecord


def next_mention_id(db: sqlite_utils.Database) -> int:
    """The first free id shared by ``mentions`` and ``extracted_mentions``."""
    row = db.execute(
        "select max(coalesce((select max(id) from mentions), 0),"
        " coalesce((select max(id) from extracted_mentions), 0))"
    ).fetchone()
    return int(row[0]) + 1


def next_entity_id(db: sqlite_utils.Database) -> int:
    """The first free id of ``extracted_entities``."""
    row = db.execute("select coalesce(max(id), 0) from extracted_entities").fetchone()
    return int(row[0]) + 1


@dataclass
class ExtractedRows:
    """The pipeline's rows of documents, written with one ``executemany`` per table.

    sqlite-utils' ``insert_all`` inspects and converts every value; these
    tables' columns are fixed by the migrations, so plain parameterised
    statements write them at a fraction of the cost. Ids of extracted
    entities and mentions are handed out here (a mention keeps its id in
    ``mentions``). ``write_documents`` writes a batch of whole documents
    with it, the piece writer a long document one piece at a time.
    """

    next_mention_id: int = 1
    next_extracted_id: int = 1
    entities: list[tuple[Any, ...]] = field(default_factory=list)
    mentions: list[tuple[Any, ...]] = field(default_factory=list)
    quotes: list[tuple[Any, ...]] = field(default_factory=list)
    relations: list[tuple[Any, ...]] = field(default_factory=list)

    @classmethod
    def starting(cls, db: sqlite_utils.Database) -> "ExtractedRows":
        """An empty batch whose ids follow the rows already in ``db``."""
        return cls(next_mention_id=next_mention_id(db), next_extracted_id=next_entity_id(db))

    def document(self, doc_id: int, record: "DocumentRecord") -> None:
        """Queue a whole document's entities, mentions, quotations (of its own
        entities) and law actions."""
        for entity in record.entities:
            extracted_id = self.entity(doc_id, entity)
            for m in entity.mentions:
                self.mention(doc_id, extracted_id, m)
        speakers = {(e.type, e.name) for e in record.entities}
        for q in record.quotes:
            if (q.speaker_type, q.speaker) in speakers:
                self.quote(doc_id, q.start, q.end, q.text, q.kind, q.cue, q.speaker_start,
                           q.speaker_end, q.speaker_text)
        relations_store.queue(self.relations, doc_id, record.relations)

    def entity(self, doc_id: int, entity: "EntityRecord") -> int:
        """Queue the pipeline's row for ``entity`` in one document (its facts are
        the corpus layer's: null here); return its id."""
        extracted_id = self.next_extracted_id
        self.next_extracted_id += 1
        self.entities.append((extracted_id, doc_id, entity.type, entity.name, entity.role,
                              entity.org, entity.officeholder_id))
        return extracted_id

    def mention(self, doc_id: int, extracted_id: int, m: "MentionRecord") -> None:
        """Queue one mention of an extracted entity."""
        mention_id = self.next_mention_id
        self.next_mention_id += 1
        self.mentions.append((mention_id, doc_id, extracted_id, m.start, m.end, m.text,
                              m.sent_start, m.sent_end, m.label, m.source, m.model_label,
                              m.rule_id))

    def quote(self, doc_id: int, start: int, end: int, text: str, kind: str, cue: str,
              speaker_start: int, speaker_end: int, speaker_text: str) -> None:
        """Queue one quotation; its speaker entity is set by the corpus layer."""
        self.quotes.append((doc_id, start, end, text, kind, cue, speaker_start, speaker_end,
                            speaker_text))

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write and forget the queued rows."""
        if self.entities:
            conn.executemany(
                "insert into extracted_entities (id, document_id, type, name, role, org,"
                " officeholder_id) values (?, ?, ?, ?, ?, ?, ?)", self.entities)
        if self.mentions:
            conn.executemany(
                "insert into extracted_mentions (id, document_id, extracted_entity_id, start,"
                ' "end", text, sent_start, sent_end, label, source, model_label, rule_id)'
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.mentions)
        if self.quotes:
            conn.executemany(
                "insert into quotes (document_id, start, \"end\", text, kind, cue,"
                " speaker_start, speaker_end, speaker_text) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.quotes)
        relations_store.write_extracted(conn, self.relations)
        self.entities, self.mentions, self.quotes, self.relations = [], [], [], []


def fold_entity(db: sqlite_utils.Database, keep_id: int, drop_id: int, role: str,
                org: str) -> None:
    """Move the mentions of extracted entity ``drop_id`` to ``keep_id`` (of the
    same document), delete it, and set ``keep_id``'s role and organisation."""
    db.execute("update extracted_mentions set extracted_entity_id = ?"
               " where extracted_entity_id = ?", [keep_id, drop_id])
    db.execute("delete from extracted_entities where id = ?", [drop_id])
    set_role(db, keep_id, role, org)


def set_role(db: sqlite_utils.Database, extracted_id: int, role: str, org: str) -> None:
    """Set an extracted entity's role and organisation."""
    db.execute("update extracted_entities set role = ?, org = ? where id = ?",
               [role, org, extracted_id])


def delete_document(db: sqlite_utils.Database, doc_id: int) -> None:
    """Remove the extracted rows of one document (its quotations too)."""
    db.execute("delete from quotes where document_id = ?", [doc_id])
    db.execute("delete from extracted_mentions where document_id = ?", [doc_id])
    db.execute("delete from extracted_entities where document_id = ?", [doc_id])
