"""The pipeline's output per document, stored as it was produced.

``extracted_entities`` holds each entity as one document's pipeline saw it
(type, canonical name in that document, role, the level, jurisdiction and law
key read from that document) and ``extracted_mentions`` each of its mentions
with offsets, sentence and provenance (step, the base model's own label, the
rule of ``models/`` that produced it). These rows change only when a document
is ingested again; ``reapply`` derives ``entities``, ``aliases``, ``roles``
and the entity of every mention from them, the corrections file and
``models/``, without the model.

A mention's id in ``mentions`` is the id of its row here, so the two tables
join on ``id``.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from policycorpus.store.sqlite import sqlite_utils


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


def write_rows(conn: sqlite3.Connection, entities: list[tuple[Any, ...]],
               mentions: list[tuple[Any, ...]]) -> None:
    """Insert extracted entities and mentions, as tuples in column order:

    entities: (id, document_id, type, name, role, org, level, jurisdiction, law_key,
    officeholder_id);
    mentions: (id, document_id, extracted_entity_id, start, end, text, sent_start,
    sent_end, label, source, model_label, rule_id).
    """
    if entities:
        conn.executemany(
            "insert into extracted_entities (id, document_id, type, name, role, org, level,"
            " jurisdiction, law_key, officeholder_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            entities)
    if mentions:
        conn.executemany(
            "insert into extracted_mentions (id, document_id, extracted_entity_id, start,"
            ' "end", text, sent_start, sent_end, label, source, model_label, rule_id)'
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", mentions)


def delete_document(db: sqlite_utils.Database, doc_id: int) -> None:
    """Remove the extracted rows of one document."""
    db.execute("delete from extracted_mentions where document_id = ?", [doc_id])
    db.execute("delete from extracted_entities where document_id = ?", [doc_id])
