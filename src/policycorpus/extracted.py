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

from typing import TYPE_CHECKING

import sqlite_utils

if TYPE_CHECKING:
    from policycorpus.store import DocumentRecord


def next_mention_id(db: sqlite_utils.Database) -> int:
    """The first free id shared by ``mentions`` and ``extracted_mentions``."""
    row = db.execute(
        "select max(coalesce((select max(id) from mentions), 0),"
        " coalesce((select max(id) from extracted_mentions), 0))"
    ).fetchone()
    return int(row[0]) + 1


def write_document(db: sqlite_utils.Database, doc_id: int, record: "DocumentRecord",
                   first_mention_id: int) -> None:
    """Store the extracted entities and mentions of one document.

    Mentions are numbered from ``first_mention_id`` in the order of
    ``record.entities`` and their mentions, the order ``Store`` numbers the
    rows of ``mentions``.
    """
    mention_id = first_mention_id
    rows = []
    for entity in record.entities:
        extracted_id = db["extracted_entities"].insert({
            "document_id": doc_id, "type": entity.type, "name": entity.name,
            "role": entity.role, "org": entity.org, "level": entity.level,
            "jurisdiction": entity.jurisdiction, "law_key": entity.law_key,
        }).last_pk
        for m in entity.mentions:
            rows.append({
                "id": mention_id, "document_id": doc_id, "extracted_entity_id": extracted_id,
                "start": m.start, "end": m.end, "text": m.text, "sent_start": m.sent_start,
                "sent_end": m.sent_end, "label": m.label, "source": m.source,
                "model_label": m.model_label, "rule_id": m.rule_id,
            })
            mention_id += 1
    db["extracted_mentions"].insert_all(rows, batch_size=500)


def delete_document(db: sqlite_utils.Database, doc_id: int) -> None:
    """Remove the extracted rows of one document."""
    db.execute("delete from extracted_mentions where document_id = ?", [doc_id])
    db.execute("delete from extracted_entities where document_id = ?", [doc_id])
