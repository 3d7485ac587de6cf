"""Document paths: one stored document, every file path it was found under.

The same article saved twice (``inbox/a.txt`` and ``2019/a-copy.txt``) is
one document: its text, entities and mentions are stored once, and the
``document_paths`` table (migration 3) records both paths. ``documents.path``
stays the first path seen, so code that shows one path per document keeps
working.

Invariants the store keeps with these functions, inside its transactions:

- every path belongs to at most one document (``path`` is the primary key);
- every document has at least one path, and ``documents.path`` is one of them;
- a document whose last path is released is deleted by the caller.

The functions take a ``sqlite_utils.Database`` and never commit: ``Store``
calls them inside ``Store.atomic``.
"""

from __future__ import annotations

from collections.abc import Iterable

from policycorpus.store.sqlite import sqlite_utils


def paths_of(db: sqlite_utils.Database, document_id: int) -> list[str]:
    """The paths of a document, its first path (``documents.path``) first."""
    rows = db.execute(
        """select p.path from document_paths p join documents d on d.id = p.document_id
           where p.document_id = ? order by p.path != d.path, p.rowid""",
        [document_id],
    ).fetchall()
    return [r[0] for r in rows]


def document_of(db: sqlite_utils.Database, path: str) -> int | None:
    """The id of the document stored for ``path``, if any."""
    row = db.execute("select document_id from document_paths where path = ?", [path]).fetchone()
    return int(row[0]) if row else None


def documents_with_hash(db: sqlite_utils.Database, digest: str) -> list[int]:
    """Ids of the documents whose content has this hash (oldest first)."""
    return [int(r[0]) for r in db.execute(
        "select id from documents where hash = ? order by id", [digest])]


def document_with_content(db: sqlite_utils.Database, digest: str, version: str) -> int | None:
    """The document already holding this content, processed by this pipeline version."""
    row = db.execute(
        "select id from documents where hash = ? and pipeline_version = ? order by id limit 1",
        [digest, version],
    ).fetchone()
    return int(row[0]) if row else None


def attach(db: sqlite_utils.Database, document_id: int, paths: Iterable[str]) -> None:
    """Record ``paths`` as paths of the document (each path must be free)."""
    db["document_paths"].insert_all(
        ({"path": path, "document_id": document_id} for path in paths), pk="path"
    )


def release(db: sqlite_utils.Database, path: str) -> int | None:
    """Detach ``path`` from its document.

    Returns the document's id when that was its last path (the caller deletes
    the document), else None. If ``path`` was the document's ``documents.path``,
    the next remaining path takes its place.
    """
    document_id = document_of(db, path)
    if document_id is None:
        row = db.execute("select id from documents where path = ?", [path]).fetchone()
        return int(row[0]) if row else None
    db.execute("delete from document_paths where path = ?", [path])
    remaining = paths_of(db, document_id)
    if not remaining:
        return document_id
    row = db.execute("select path from documents where id = ?", [document_id]).fetchone()
    if row and row[0] == path:
        db.execute("update documents set path = ? where id = ?", [remaining[0], document_id])
    return None
