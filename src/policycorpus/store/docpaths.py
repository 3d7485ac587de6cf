"""Document paths: one stored document, every file path it was found under.

The same article saved twice (``inbox/a.txt`` and ``2019/a-copy.txt``) is
one document: its text, entities and mentions are stored once, and the
``document_paths`` table (migration 3) records both paths. ``documents.path``
stays the name of the first path seen, so code that shows one path per
document keeps working.

A path's ``path`` column is its identity, the key: the file's resolved
absolute path (plus ``#ID`` for a record), so equal names in two folders
never collide. Its ``name`` (migration 7) is what users see: the path
relative to the folder given to ``ingest``. Databases from before migration
7 hold relative keys; ``adopt`` turns one into the absolute key the next
ingest of that file gives.

Invariants the store keeps with these functions, inside its transactions:

- every key belongs to at most one document (``path`` is the primary key);
- every document has at least one path, and ``documents.path`` is the name
  of one of them;
- a document whose last path is released is deleted by the caller.

The functions take a ``sqlite_utils.Database`` and never commit: ``Store``
calls them inside ``Store.atomic``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from policycorpus.store.sqlite import sqlite_utils


def paths_of(db: sqlite_utils.Database, document_id: int) -> list[str]:
    """The keys of a document's paths, its first path (``documents.path``) first."""
    return list(names_of(db, document_id))


def names_of(db: sqlite_utils.Database, document_id: int) -> dict[str, str]:
    """Key -> name of each path of a document, its first path (``documents.path``) first."""
    rows = db.execute(
        """select p.path, coalesce(p.name, p.path) from document_paths p
           join documents d on d.id = p.document_id
           where p.document_id = ? order by coalesce(p.name, p.path) != d.path, p.rowid""",
        [document_id],
    ).fetchall()
    return {key: name for key, name in rows}


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


def attach(db: sqlite_utils.Database, document_id: int, paths: Iterable[str],
           names: Mapping[str, str] | None = None) -> None:
    """Record ``paths`` (keys) as paths of the document (each key must be free), shown
    by their ``names`` (the key itself when it has none)."""
    names = names or {}
    db.conn.executemany(
        "insert into document_paths (path, document_id, name) values (?, ?, ?)",
        [(path, document_id, names.get(path, path)) for path in paths])


def adopt(db: sqlite_utils.Database, name: str, key: str) -> bool:
    """Give the path stored under the relative key ``name`` (a database from before
    migration 7) its absolute ``key``; True if there was one to adopt."""
    if name == key or document_of(db, key) is not None or document_of(db, name) is None:
        return False
    db.execute("update document_paths set path = ?, name = ? where path = ?", [key, name, name])
    return True


def release(db: sqlite_utils.Database, path: str) -> int | None:
    """Detach ``path`` from its document.

    Returns the document's id when that was its last path (the caller deletes
    the document), else None. If ``path`` was the document's ``documents.path``,
    the next remaining path's name takes its place.
    """
    document_id = document_of(db, path)
    if document_id is None:
        return None
    db.execute("delete from document_paths where path = ?", [path])
    remaining = names_of(db, document_id)
    if not remaining:
        return document_id
    row = db.execute("select path from documents where id = ?", [document_id]).fetchone()
    if row and row[0] not in remaining.values():
        db.execute("update documents set path = ? where id = ?",
                   [next(iter(remaining.values())), document_id])
    return None
