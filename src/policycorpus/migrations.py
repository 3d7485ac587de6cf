"""Numbered schema migrations, applied in order by ``Store`` when it opens a database.

Each migration takes a ``sqlite_utils.Database`` and moves it one version on.
Add new ones at the end; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

from policycorpus.lightsqlite import sqlite_utils


def m001_initial(db: sqlite_utils.Database) -> None:
    """Documents, entities, aliases, mentions, roles, meta and full-text search."""
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db["documents"].create(
        {
            "id": int,
            "path": str,
            "hash": str,
            "title": str,
            "outlet": str,
            "byline": str,
            "published": str,
            "text": str,
            "words": int,
            "pipeline_version": str,
            "ingested_at": str,
        },
        pk="id",
        not_null={"path", "hash", "text"},
        if_not_exists=True,
    )
    db["documents"].create_index(["path"], unique=True, if_not_exists=True)
    db["documents"].create_index(["hash"], if_not_exists=True)
    db["documents"].create_index(["published"], if_not_exists=True)
    db["entities"].create(
        {"id": int, "type": str, "name": str, "level": str, "jurisdiction": str},
        pk="id",
        not_null={"type", "name"},
        if_not_exists=True,
    )
    db["entities"].create_index(["type", "name"], unique=True, if_not_exists=True)
    db["entities"].create_index(["name"], if_not_exists=True)
    db["aliases"].create(
        {"id": int, "entity_id": int, "alias": str, "key": str},
        pk="id",
        foreign_keys=[("entity_id", "entities", "id")],
        not_null={"entity_id", "alias", "key"},
        if_not_exists=True,
    )
    db["aliases"].create_index(["entity_id", "alias"], unique=True, if_not_exists=True)
    db["aliases"].create_index(["key"], if_not_exists=True)
    db["mentions"].create(
        {
            "id": int,
            "document_id": int,
            "entity_id": int,
            "start": int,
            "end": int,
            "text": str,
            "sent_start": int,
            "sent_end": int,
            "label": str,
            "source": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id"), ("entity_id", "entities", "id")],
        not_null={"document_id", "entity_id", "start", "end"},
        if_not_exists=True,
    )
    db["mentions"].create_index(["document_id"], if_not_exists=True)
    db["mentions"].create_index(["entity_id", "document_id"], if_not_exists=True)
    db["roles"].create(
        {"id": int, "entity_id": int, "document_id": int, "title": str, "org": str},
        pk="id",
        foreign_keys=[("entity_id", "entities", "id"), ("document_id", "documents", "id")],
        not_null={"entity_id", "document_id", "title"},
        if_not_exists=True,
    )
    db["roles"].create_index(["entity_id"], if_not_exists=True)
    db["roles"].create_index(["document_id"], if_not_exists=True)
    if not db["documents"].detect_fts():
        db["documents"].enable_fts(["title", "text"], create_triggers=True, tokenize="porter")


def m002_quotes(db: sqlite_utils.Database) -> None:
    """Quotations attributed to a speaker, with offsets into the document; an index
    for finding the entities of one sentence."""
    db["quotes"].create(
        {
            "id": int,
            "document_id": int,
            "entity_id": int,
            "start": int,
            "end": int,
            "text": str,
            "kind": str,
            "cue": str,
            "speaker_start": int,
            "speaker_end": int,
            "speaker_text": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id"), ("entity_id", "entities", "id")],
        not_null={"document_id", "entity_id", "start", "end", "text"},
        if_not_exists=True,
    )
    db["quotes"].create_index(["document_id"], if_not_exists=True)
    db["quotes"].create_index(["entity_id"], if_not_exists=True)
    db["mentions"].create_index(["document_id", "sent_start"], if_not_exists=True)


def m006_document_entities(db: sqlite_utils.Database) -> None:
    """One row per entity per document with its mention count, kept by triggers.

    Queries about an entity mentioned in tens of thousands of documents
    (how many documents, which mention it most, what else they mention)
    read this table instead of grouping millions of mentions. Triggers on
    ``mentions`` keep it exact whatever code inserts, deletes or moves a
    mention; an existing database is filled from its mentions once.
    """
    created = "document_entities" not in db.table_names()
    db["document_entities"].create(
        {"entity_id": int, "document_id": int, "mentions": int},
        pk=("entity_id", "document_id"),
        foreign_keys=[("entity_id", "entities", "id"), ("document_id", "documents", "id")],
        not_null={"mentions"},
        if_not_exists=True,
    )
    db["document_entities"].create_index(["document_id", "entity_id"], if_not_exists=True)
    db.execute(
        "create index if not exists idx_document_entities_top"
        " on document_entities (entity_id, mentions desc, document_id)"
    )
    add = ("insert into document_entities (entity_id, document_id, mentions)"
           " values (new.entity_id, new.document_id, 1)"
           " on conflict (entity_id, document_id) do update set mentions = mentions + 1;")
    remove = ("update document_entities set mentions = mentions - 1"
              " where entity_id = old.entity_id and document_id = old.document_id;"
              " delete from document_entities where entity_id = old.entity_id"
              " and document_id = old.document_id and mentions <= 0;")
    db.execute(f"create trigger if not exists mentions_document_entities_insert"
               f" after insert on mentions begin {add} end")
    db.execute(f"create trigger if not exists mentions_document_entities_delete"
               f" after delete on mentions begin {remove} end")
    db.execute(f"create trigger if not exists mentions_document_entities_update"
               f" after update of entity_id, document_id on mentions begin {remove} {add} end")
    if created:
        db.execute(
            "insert into document_entities (entity_id, document_id, mentions)"
            " select entity_id, document_id, count(*) from mentions"
            " group by entity_id, document_id"
        )


MIGRATIONS: list[tuple[int, Callable[[sqlite_utils.Database], None]]] = [
    (1, m001_initial),
    (2, m002_quotes),
    # 3, 4 and 5 are reserved for issues 6, 7 and 8
    (6, m006_document_entities),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
