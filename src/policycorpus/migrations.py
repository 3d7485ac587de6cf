"""Numbered schema migrations, applied in order by ``Store`` when it opens a database.

Each migration takes a ``sqlite_utils.Database`` and moves it one version on.
Add new ones at the end; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


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
def m004_document_sources(db: sqlite_utils.Database) -> None:
    """Documents: the URL, dateline and input format their reader found (issue 7).

    Only adds what is missing, so it works whichever other migrations ran before it.
    """
    documents = db["documents"]
    for column in ("url", "dateline", "source_format"):
        if column not in documents.columns_dict:
            documents.add_column(column, str)


def m003_document_paths(db: sqlite_utils.Database) -> None:
    """Every path a document was found under: the same content under two paths is
    stored once. ``documents.path`` stays the first path seen."""
    # Raw DDL for ON DELETE CASCADE, which sqlite-utils' create() cannot declare:
    # deleting a document anywhere also forgets its paths.
    db.execute(
        "create table if not exists document_paths ("
        " path text primary key,"
        " document_id integer not null references documents(id) on delete cascade)"
    )
    db["document_paths"].create_index(["document_id"], if_not_exists=True)
    db.execute(
        "insert or ignore into document_paths (path, document_id) select path, id from documents"
    )


MIGRATIONS: list[tuple[int, Callable[[sqlite_utils.Database], None]]] = [
    (1, m001_initial),
    (2, m002_quotes),
    (3, m003_document_paths),
    (4, m004_document_sources),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
