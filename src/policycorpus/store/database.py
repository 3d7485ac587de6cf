"""The SQLite store: schema, migrations and batched writes, through sqlite-utils.

``Store(path)`` opens (or creates) a database and migrates it to the current
schema, so old and new databases are handled alike. Every write of a batch of
documents happens in one transaction: a document is either fully stored, with
its entities, aliases, mentions and roles, or absent.

Tables (see docs/database.md):

- ``documents``: one row per ingested file, with its text and metadata;
- ``entities``: unique on (type, name);
- ``aliases``: every surface form of an entity and its lookup key;
- ``mentions``: the provenance of every answer (offsets and sentence);
- ``roles``: an official's title and organisation in one document;
- ``document_paths``: every path a document was found under (``docpaths``);
- ``quotes``: quotations with their speaker entity and offsets;
- ``extracted_relations`` / ``relations``: law actions (``relations_store``);
- ``meta``: schema version, model and pipeline versions;
- ``documents_fts``: FTS5 over title and text.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from policycorpus.entity_types import ENTITY_TYPES  # noqa: F401  (re-exported)
from policycorpus.errors import DatabaseError, EmptyDatabaseError
from policycorpus.names import alias_key
from policycorpus.store import bulk, derived, docpaths, extracted
from policycorpus.store import relations as relations_store
from policycorpus.store.migrations import MIGRATIONS, SCHEMA_VERSION
from policycorpus.store.relations import RelationRecord  # noqa: F401  (re-exported)
from policycorpus.store.sqlite import sqlite_utils

_WORD = re.compile(r"\S+")
BUSY_TIMEOUT_S = 30.0  # how long to wait for another process's write (env POLICYCORPUS_BUSY_TIMEOUT)


def _is_lock_error(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def busy_timeout() -> float:
    """Seconds to wait for another process's write before giving up."""
    value = os.environ.get("POLICYCORPUS_BUSY_TIMEOUT", "")
    try:
        return max(0.0, float(value)) if value else BUSY_TIMEOUT_S
    except ValueError:
        raise DatabaseError(
            f"POLICYCORPUS_BUSY_TIMEOUT must be a number of seconds, not {value!r}") from None


def _locked_message(path: Path) -> str:
    return (f"{path} is locked by another process (waited {busy_timeout():g} s); "
            "try again when it has finished")


@contextmanager
def _scripts_in_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """Run ``db.executescript`` as single statements, which (unlike sqlite3's
    ``executescript``) do not commit the open transaction first."""

    def executescript(sql: str) -> None:
        statement = ""
        for part in sql.split(";"):
            statement += part + ";"
            if sqlite3.complete_statement(statement):
                if statement.strip(" \n\t;"):
                    db.execute(statement)
                statement = ""
        if statement.strip(" \n\t;"):
            db.execute(statement)

    db.executescript = executescript  # type: ignore[method-assign]
    try:
        yield
    finally:
        del db.executescript


class _Connection(sqlite3.Connection):
    """A connection whose ``with conn:`` blocks defer to an enclosing ``Store.atomic``.

    sqlite-utils wraps each write in ``with conn:``, which would commit the
    batch transaction half-way; inside ``atomic`` those blocks are no-ops.
    """

    atomic_depth = 0

    def __enter__(self) -> "_Connection":
        return self if self.atomic_depth else super().__enter__()

    def __exit__(self, *exc: object) -> Any:
        return False if self.atomic_depth else super().__exit__(*exc)


@dataclass
class MentionRecord:
    """One occurrence of an entity in a document."""

    start: int
    end: int
    text: str
    sent_start: int
    sent_end: int
    label: str = ""
    source: str = ""
    model_label: str = ""
    rule_id: str = ""


@dataclass
class EntityRecord:
    """An entity as found in one document, with its mentions there."""

    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    role: str = ""
    org: str = ""
    level: str = ""
    jurisdiction: str = ""
    law_key: str = ""
    officeholder_id: str = ""
    mentions: list[MentionRecord] = field(default_factory=list)


@dataclass
class QuoteRecord:
    """A quotation in a document and the entity (type, canonical name) who said it."""

    start: int
    end: int
    text: str
    speaker_type: str
    speaker: str
    speaker_start: int
    speaker_end: int
    speaker_text: str = ""
    cue: str = ""
    kind: str = "direct"


@dataclass
class DocumentRecord:
    """A processed document ready to be written."""

    path: str
    hash: str
    text: str
    title: str = ""
    outlet: str = ""
    byline: str = ""
    published: str = ""
    pipeline_version: str = ""
    entities: list[EntityRecord] = field(default_factory=list)
    quotes: list[QuoteRecord] = field(default_factory=list)
    url: str = ""
    dateline: str = ""
    source_format: str = ""
    also: list[str] = field(default_factory=list)  # other paths (keys) with the same content
    names: dict[str, str] = field(default_factory=dict)  # key -> name shown, if not the key
    also: list[str] = field(default_factory=list)  # other paths with the same content
    relations: list[RelationRecord] = field(default_factory=list)  # law actions

    @property
    def words(self) -> int:
        """Words of the text, counted without splitting it (a 30 MB text would
        make millions of strings at once)."""
        return sum(1 for _ in _WORD.finditer(self.text))


class MigrationNeeded(DatabaseError):
    """A database opened read-only is of an older schema version."""


#: Query commands check databases up to this size for damage before answering
#: (``PRAGMA quick_check`` reads them whole: about 25 ms for 32 MB).
QUICK_CHECK_BYTES = 32 * 1024 * 1024


def damaged_message(path: str | Path, detail: str) -> str:
    """The one-line message for a database SQLite reports as damaged."""
    return (f"{path} is damaged ({detail}); restore it from a backup, or ingest the "
            "documents again into a new database")


def open_for_reading(path: str | Path, *, check: bool = False) -> "Store":
    """Open a database for a query: read-only, so a query never writes to it (a
    zero-byte file stays zero bytes). Only a database of an older schema version
    is written: migrated once, in place. The file is checked for damage when
    ``check`` is set or it is at most QUICK_CHECK_BYTES; an empty database is a
    DatabaseError saying so."""
    path = Path(path)
    if path.exists() and path.is_file() and path.stat().st_size == 0:
        raise EmptyDatabaseError(f"{path} is empty: nothing ingested yet: run policycorpus "
                                 "ingest")
    try:
        store = Store(path, create=False, readonly=True)
    except MigrationNeeded:
        store = Store(path, create=False)
    if check or path.stat().st_size <= QUICK_CHECK_BYTES:
        store.check_integrity()
    if store.is_empty():
        raise EmptyDatabaseError(f"{path}: nothing ingested yet: run policycorpus ingest")
    return store


class Store:
    """A policycorpus database: owns the schema, migrations and every write."""

    _batch: "_BatchRows | None" = None
    _relative_keys: bool | None = None  # whether paths from before migration 7 remain

    def __init__(self, path: str | Path, *, create: bool = True, readonly: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise DatabaseError(
                f"no database at {self.path}; run 'policycorpus ingest' first or pass --db"
            )
        if not readonly:
            readonly = self._check_writable(create)
        self.readonly = readonly
        try:
            if readonly:
                uri = f"file:{quote(str(self.path.absolute()))}?mode=ro"
                conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout(), factory=_Connection)
            else:
                conn = sqlite3.connect(str(self.path), timeout=busy_timeout(), factory=_Connection)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout() * 1000)}")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate(readonly)
        except sqlite3.DatabaseError as exc:
            if _is_lock_error(exc):
                raise DatabaseError(_locked_message(self.path)) from exc
            raise DatabaseError(f"{self.path} is not a usable policycorpus database ({exc})") from exc

    def _check_writable(self, create: bool) -> bool:
        """Make sure an ingest can write; return True when a query must open read-only."""
        folder = self.path.parent
        if create:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"cannot create {folder}: {exc.strerror}") from exc
        writable = os.access(folder, os.W_OK) and (
            not self.path.exists() or os.access(self.path, os.W_OK))
        if writable:
            return False
        if create:
            what = self.path if self.path.exists() else folder
            raise DatabaseError(f"{what} is read-only; ingest needs to write the database "
                                "(and its -wal/-shm files beside it)")
        return True  # a query reads a read-only database as it is

    # -- schema ---------------------------------------------------------------

    def _migrate(self, readonly: bool) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{self.path} has schema version {version}, newer than this policycorpus "
                f"understands ({SCHEMA_VERSION}); upgrade policycorpus"
            )
        if version == SCHEMA_VERSION and not self._unapplied_migrations():
            return
        if readonly and version == 0:
            raise EmptyDatabaseError(f"{self.path} is empty: nothing ingested yet: run "
                                     "policycorpus ingest")
        if readonly:
            raise MigrationNeeded(f"{self.path} needs a schema migration; open it writable once")
        # One transaction, so that a second process opening the database meanwhile
        # waits, then finds it migrated; SQL scripts run inside it statement by statement.
        with self.atomic(), _scripts_in_transaction(self.db):
            for number, migration in self._unapplied_migrations():
                migration(self.db)
                self.set_meta(f"migration_{number}", "applied")
            self.set_meta("schema_version", str(SCHEMA_VERSION))

    def _unapplied_migrations(self) -> list[tuple[int | str, Any]]:
        """Migrations without their ``migration_N`` mark in ``meta``, in order.

        Marks, not only the version number, decide: migrations written on
        parallel branches may be merged in any order, so a database can be at
        version 4 without migration 3. A database from before the marks gets
        every migration once more; each only adds what is missing.
        """
        if "meta" not in self.db.table_names():
            return list(MIGRATIONS)
        marked = {key for (key,) in self.db.execute(
            "select key from meta where key like 'migration_%'")}
        return [(n, m) for n, m in MIGRATIONS if f"migration_{n}" not in marked]

    def schema_version(self) -> int:
        """The schema version recorded in ``meta`` (0 for an empty database)."""
        if "meta" not in self.db.table_names():
            if self.db.table_names():
                raise DatabaseError(f"{self.path} is a SQLite database but not a policycorpus one")
            return 0
        row = self.db.execute("select value from meta where key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def get_meta(self, key: str, default: str = "") -> str:
        row = self.db.execute("select value from meta where key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db["meta"].upsert({"key": key, "value": value}, pk="key")

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """A transaction: everything inside is committed together or not at all."""
        conn = self.db.conn
        assert isinstance(conn, _Connection)
        if conn.atomic_depth:
            conn.atomic_depth += 1
            try:
                yield
            finally:
                conn.atomic_depth -= 1
            return
        if conn.in_transaction:
            conn.commit()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_lock_error(exc):
                raise DatabaseError(_locked_message(self.path)) from exc
            raise
        conn.atomic_depth = 1
        try:
            yield
        except BaseException:
            conn.atomic_depth = 0
            conn.rollback()
            raise
        conn.atomic_depth = 0
        conn.commit()

    # -- reads used by ingest -------------------------------------------------

    def document_state(self, path: str) -> tuple[str, str] | None:
        """The (content hash, pipeline version) stored for ``path``, or None if absent.

        One indexed lookup, so an ingest checks files one by one without holding
        every path of a large database in memory.
        """
        row = self.db.execute(
            "select d.hash, d.pipeline_version from document_paths p"
            " join documents d on d.id = p.document_id where p.path = ?", [path]
        ).fetchone()
        return (row[0], row[1]) if row else None

    def record_paths(self, file_key: str) -> list[str]:
        """The stored keys of the records of a record file (``FILE_KEY#...``), by index range."""
        return [path for (path,) in self.db.execute(
            "select path from document_paths where path >= ? and path < ?",
            [f"{file_key}#", f"{file_key}$"])]

    def adopt_path(self, name: str, key: str) -> bool:
        """Re-key a path stored under its relative ``name`` by a database from before
        migration 7 to its absolute ``key``; True if there was one (``docpaths.adopt``).

        A database without relative keys (checked once) costs nothing more.
        """
        if self._relative_keys is None:
            self._relative_keys = self.db.execute(
                "select 1 from document_paths where substr(path, 1, 1) != '/' limit 1"
            ).fetchone() is not None
        if not self._relative_keys or docpaths.document_of(self.db, name) is None:
            return False
        with self.atomic():
            return docpaths.adopt(self.db, name, key)

    def paths_of(self, document_id: int) -> list[str]:
        """The keys of a document's paths, its first path first."""
        return docpaths.paths_of(self.db, document_id)

    def document_with_content(self, digest: str, version: str) -> int | None:
        """The id of a stored document with these bytes, from this pipeline version."""
        return docpaths.document_with_content(self.db, digest, version)

    # -- writes ---------------------------------------------------------------

    def write_documents(self, records: Iterable[DocumentRecord]) -> int:
        """Replace the rows of each document in one transaction; return how many.

        The batch is written with one ``executemany`` per table; only entities
        that lost mentions to a replaced document are checked for orphans.
        """
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        touched: set[int] = set()
        count = 0
        with self.atomic():
            self._batch = _BatchRows.starting(self.db)
            try:
                for record in records:
                    _doc_id, lost = self.add_document(record, now)
                    touched |= lost
                    count += 1
                self._batch.flush(self.db.conn)
            finally:
                self._batch = None
            self._delete_orphans(touched)
        return count

    def add_document(self, record: DocumentRecord, now: str) -> tuple[int, set[int]]:
        """Insert one document in the open transaction (``atomic``), taking its paths
        from the documents that held them; return its id and the ids of the
        entities those documents mentioned (candidates for ``delete_orphans``)."""
        names, lost = self._release_paths(record)
        first = next(iter(names))
        doc_id = self._insert_document(
            replace(record, path=first, names={first: names[first]}), now)
        docpaths.attach(self.db, doc_id, names, names)
        return doc_id, lost

    def add_path(self, path: str, document_id: int, name: str = "") -> None:
        """Record ``path`` (a key, shown as ``name``) as one more path of a stored
        document (same content)."""
        with self.atomic():
            if docpaths.document_of(self.db, path) == document_id:
                return
            touched = self._delete_document(path)
            docpaths.attach(self.db, document_id, [path], {path: name or path})
            self._delete_orphans(touched)

    def _release_paths(self, record: DocumentRecord) -> tuple[dict[str, str], set[int]]:
        """Free the paths a new version of ``record`` will take; return them (key ->
        name shown), first first, and the entities the documents that held them
        mentioned.

        Documents with the same bytes are replaced by this one, which takes
        over their paths (the oldest first path stays first); a path that
        held other content leaves that document, which survives if it has
        other paths.
        """
        names: dict[str, str] = {}
        for doc_id in docpaths.documents_with_hash(self.db, record.hash):
            for key, name in docpaths.names_of(self.db, doc_id).items():
                names.setdefault(key, name)
        for key in (record.path, *record.also):
            names.setdefault(key, record.names.get(key, key))
        touched: set[int] = set()
        for key in names:
            touched |= self._delete_document(key)
        return names, touched

    def delete_documents(self, paths: Iterable[str]) -> None:
        """Forget paths; a document (with its mentions and roles) goes with its last path."""
        with self.atomic():
            touched: set[int] = set()
            for path in paths:
                touched |= self._delete_document(path)
            self._delete_orphans(touched)

    def _delete_document(self, path: str) -> set[int]:
        """Release ``path``; delete its document's rows if no other path keeps it.

        Returns the ids of the entities a deleted document mentioned.
        """
        doc_id = docpaths.release(self.db, path)
        if doc_id is None:
            return set()
        touched = {r[0] for r in self.db.execute(
            "select entity_id from document_entities where document_id = ?"
            " union select entity_id from roles where document_id = ?"
            " union select entity_id from quotes where document_id = ?",
            [doc_id, doc_id, doc_id])}
        relations_store.delete_document(self.db, doc_id)
        derived.mark_deleted(self.db, doc_id, touched)
        extracted.delete_document(self.db, doc_id)
        self.db.execute("delete from mentions where document_id = ?", [doc_id])
        self.db.execute("delete from roles where document_id = ?", [doc_id])
        self.db.execute("delete from quotes where document_id = ?", [doc_id])
        self.db.execute("delete from documents where id = ?", [doc_id])
        return touched

    def _delete_orphans(self, candidates: set[int]) -> None:
        """Delete those of ``candidates`` (entity ids) left without mentions, with
        their aliases, roles, quotes and law actions."""
        if not candidates:
            return
        orphans = json.dumps([r[0] for r in self.db.execute(
            "select value from json_each(?) where not exists"
            " (select 1 from document_entities d where d.entity_id = value)",
            [json.dumps(sorted(candidates))])])
        for table, column in (("aliases", "entity_id"), ("roles", "entity_id"),
                              ("quotes", "entity_id"), ("relations", "subject_id"),
                              ("relations", "object_id"), ("entities", "id")):
            self.db.execute(
                f"delete from {table} where {column} in (select value from json_each(?))",
                [orphans])

    def _insert_document(self, record: DocumentRecord, now: str) -> int:
        """Insert one document and return its id; its other rows join the open
        batch (or are written now)."""
        rows = self._batch or _BatchRows.starting(self.db)
        ids = rows.entity_ids
        here: dict[tuple[str, str], int] = {}
        for entity in record.entities:
            key = (entity.type, entity.name)
            entity_id = ids.get(key)
            if entity_id is None or entity.level or entity.jurisdiction:
                entity_id = ids[key] = self.entity_id(entity.type, entity.name, entity.level,
                                                      entity.jurisdiction)
            here[key] = entity_id
        # entity_ids as reapply will most often leave it (an update re-indexes full text)
        entity_ids = json.dumps(sorted({here[(e.type, e.name)] for e in record.entities
                                        if e.mentions}))
        doc_id = self.db.execute(
            "insert into documents (path, hash, title, outlet, byline, published, text, words,"
            " pipeline_version, ingested_at, url, dateline, source_format, entity_ids)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [record.names.get(record.path, record.path), record.hash, record.title, record.outlet, record.byline,
             record.published or None, record.text, record.words, record.pipeline_version, now,
             record.url or None, record.dateline or None, record.source_format or None,
             entity_ids],
        ).lastrowid
        assert doc_id is not None
        derived.mark_added(self.db, doc_id)
        for entity in record.entities:
            entity_id = here[(entity.type, entity.name)]
            if set(entity.aliases) - {entity.name, *(m.text for m in entity.mentions)}:
                derived.mark_unsettled(self.db, entity_id)  # aliases no mention justifies
            self.add_aliases(entity_id, [entity.name, *entity.aliases,
                                         *(m.text for m in entity.mentions)])
            extracted_id = rows.extracted_entity(doc_id, entity)
            for m in entity.mentions:
                rows.mention(doc_id, entity_id, extracted_id, m)
            if entity.role:
                rows.roles.append((entity_id, doc_id, entity.role, entity.org))
        rows.quotes.extend(
            (doc_id, here[(q.speaker_type, q.speaker)], q.start, q.end, q.text, q.kind, q.cue,
             q.speaker_start, q.speaker_end, q.speaker_text)
            for q in record.quotes
            if (q.speaker_type, q.speaker) in here
        )
        relations_store.queue(rows.relations, doc_id, record.relations)
        if rows is not self._batch:
            rows.flush(self.db.conn)
        return doc_id

    def relink_quotes(self) -> None:
        """Point every quote at the entity of the mention at its speaker's offsets
        (after reapply moved mentions between entities)."""
        self.db.execute(
            """update quotes set entity_id = (
                   select m.entity_id from mentions m
                   where m.document_id = quotes.document_id and m.start = quotes.speaker_start
                     and m."end" = quotes.speaker_end limit 1)""")

    def entity_id(self, type_: str, name: str, level: str = "", jurisdiction: str = "") -> int:
        """Return the id of the (type, name) entity, creating it if needed."""
        row = self.db.execute(
            "select id, level, jurisdiction from entities where type = ? and name = ?",
            [type_, name],
        ).fetchone()
        if row:
            if (level and not row[1]) or (jurisdiction and not row[2]):
                derived.mark_unsettled(self.db, int(row[0]))
                self.db.execute(
                    "update entities set level = coalesce(nullif(level, ''), ?),"
                    " jurisdiction = coalesce(nullif(jurisdiction, ''), ?) where id = ?",
                    [level, jurisdiction, row[0]],
                )
            return int(row[0])
        return int(
            self.db["entities"]
            .insert({"type": type_, "name": name, "level": level, "jurisdiction": jurisdiction})
            .last_pk
        )

    def add_aliases(self, entity_id: int, surfaces: Iterable[str]) -> None:
        """Record surface forms of an entity (duplicates are ignored); inside
        ``write_documents`` they join its batch."""
        rows = self._batch or _BatchRows()
        for surface in surfaces:
            rows.alias(entity_id, surface)
        if rows is not self._batch:
            rows.flush(self.db.conn)

    def merge_entities(self, keep_id: int, drop_id: int) -> None:
        """Fold entity ``drop_id`` into ``keep_id``: mentions, roles and aliases move."""
        if keep_id == drop_id:
            return
        self.db.execute("update mentions set entity_id = ? where entity_id = ?", [keep_id, drop_id])
        self.db.execute("update roles set entity_id = ? where entity_id = ?", [keep_id, drop_id])
        self.db.execute("update quotes set entity_id = ? where entity_id = ?", [keep_id, drop_id])
        for column in ("subject_id", "object_id"):
            self.db.execute(f"update relations set {column} = ? where {column} = ?",
                            [keep_id, drop_id])
        self.db.execute(
            "insert or ignore into aliases (entity_id, alias, key)"
            " select ?, alias, key from aliases where entity_id = ?",
            [keep_id, drop_id],
        )
        self.db.execute("delete from aliases where entity_id = ?", [drop_id])
        self.db.execute("delete from entities where id = ?", [drop_id])

    def check_integrity(self) -> None:
        """Raise DatabaseError if SQLite finds the file damaged (``PRAGMA quick_check``:
        every page is read, so this takes about a second per GB)."""
        try:
            rows = self.db.execute("PRAGMA quick_check(1)").fetchall()
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(damaged_message(self.path, str(exc))) from exc
        if rows != [("ok",)]:
            detail = " ".join(str(rows[0][0]).replace("*** in database main ***", "").split()) \
                if rows else "no answer"
            raise DatabaseError(damaged_message(self.path, detail))

    def is_empty(self) -> bool:
        """True when no document has been stored yet."""
        return self.db.execute("select 1 from documents limit 1").fetchone() is None

    def vacuum_fts(self) -> None:
        """Optimise the full-text index after a large ingest."""
        self.db["documents"].optimize()

    def close(self) -> None:
        self.db.conn.close()


@dataclass
class _BatchRows:
    """Rows of a batch of documents, written with one ``executemany`` per table.

    sqlite-utils' ``insert_all`` inspects and converts every value; these
    tables' columns are fixed by the migrations, so plain parameterised
    statements write them at a fraction of the cost. A mention's id is
    shared by ``mentions`` and ``extracted_mentions`` (see ``extracted``), so
    ids of both extracted tables are handed out here.
    """

    next_mention_id: int = 1
    next_extracted_id: int = 1
    entity_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    aliases: dict[tuple[int, str], str] = field(default_factory=dict)
    mentions: list[tuple[Any, ...]] = field(default_factory=list)
    extracted_mentions: list[tuple[Any, ...]] = field(default_factory=list)
    roles: list[tuple[Any, ...]] = field(default_factory=list)
    quotes: list[tuple[Any, ...]] = field(default_factory=list)
    extracted_entities: list[tuple[Any, ...]] = field(default_factory=list)
    relations: list[tuple[Any, ...]] = field(default_factory=list)

    @classmethod
    def starting(cls, db: sqlite_utils.Database) -> "_BatchRows":
        """An empty batch whose ids follow the rows already in ``db``."""
        return cls(next_mention_id=extracted.next_mention_id(db),
                   next_extracted_id=extracted.next_entity_id(db))

    def alias(self, entity_id: int, surface: str) -> None:
        """Queue one surface form of an entity (blank or keyless forms are dropped)."""
        surface = " ".join(surface.split())
        if (entity_id, surface) not in self.aliases:
            key = alias_key(surface)
            if key:
                self.aliases[(entity_id, surface)] = key

    def extracted_entity(self, doc_id: int, entity: EntityRecord) -> int:
        """Queue the pipeline's own row for ``entity`` in one document; return its id."""
        extracted_id = self.next_extracted_id
        self.next_extracted_id += 1
        self.extracted_entities.append((extracted_id, doc_id, entity.type, entity.name,
                                        entity.role, entity.org, entity.level,
                                        entity.jurisdiction, entity.law_key,
                                        entity.officeholder_id))
        return extracted_id

    def mention(self, doc_id: int, entity_id: int, extracted_id: int, m: MentionRecord) -> None:
        """Queue one mention, in ``mentions`` and in ``extracted_mentions``, under one id."""
        mention_id = self.next_mention_id
        self.next_mention_id += 1
        self.mentions.append((mention_id, doc_id, entity_id, m.start, m.end, m.text,
                              m.sent_start, m.sent_end, m.label, m.source, m.model_label,
                              m.rule_id))
        self.extracted_mentions.append((mention_id, doc_id, extracted_id, m.start, m.end, m.text,
                                        m.sent_start, m.sent_end, m.label, m.source,
                                        m.model_label, m.rule_id))

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write and forget the queued rows."""
        if self.aliases:
            conn.executemany(
                "insert or ignore into aliases (entity_id, alias, key) values (?, ?, ?)",
                [(entity_id, alias, key) for (entity_id, alias), key in self.aliases.items()])
        extracted.write_rows(conn, self.extracted_entities, self.extracted_mentions)
        bulk.insert_mentions(conn, self.mentions)
        if self.roles:
            conn.executemany(
                "insert into roles (entity_id, document_id, title, org) values (?, ?, ?, ?)",
                self.roles)
        if self.quotes:
            conn.executemany(
                "insert into quotes (document_id, entity_id, start, \"end\", text, kind, cue,"
                " speaker_start, speaker_end, speaker_text) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.quotes)
        relations_store.write_extracted(conn, self.relations)
        self.aliases, self.mentions, self.roles, self.quotes = {}, [], [], []
        self.relations = []
        self.extracted_mentions, self.extracted_entities = [], []
