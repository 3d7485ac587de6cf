"""The SQLite store: schema, migrations and batched writes, through sqlite-utils.

``Store(path)`` opens (or creates) a database and migrates it to the current
schema, so old and new databases are handled alike. Every write of a batch of
documents happens in one transaction: a document is either fully stored, with
its entities, aliases, mentions and roles, or absent.

Tables (see README, "The database"):

- ``documents``: one row per ingested file, with its text and metadata;
- ``entities``: unique on (type, name);
- ``aliases``: every surface form of an entity and its lookup key;
- ``mentions``: the provenance of every answer (offsets and sentence);
- ``roles``: an official's title and organisation in one document;
- ``quotes``: quotations with their speaker entity and offsets;
- ``meta``: schema version, model and pipeline versions;
- ``documents_fts``: FTS5 over title and text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from policycorpus.errors import DatabaseError
from policycorpus.lightsqlite import sqlite_utils
from policycorpus.migrations import MIGRATIONS, SCHEMA_VERSION
from policycorpus.names import alias_key




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

    @property
    def words(self) -> int:
        return len(self.text.split())


class Store:
    """A policycorpus database: owns the schema, migrations and every write."""

    _batch: "_BatchRows | None" = None

    def __init__(self, path: str | Path, *, create: bool = True, readonly: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise DatabaseError(
                f"no database at {self.path}; run 'policycorpus ingest' first or pass --db"
            )
        if create and not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if readonly:
                conn = sqlite3.connect(
                    f"file:{self.path}?mode=ro", uri=True, timeout=30, factory=_Connection
                )
            else:
                conn = sqlite3.connect(str(self.path), timeout=30, factory=_Connection)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate(readonly)
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"{self.path} is not a usable policycorpus database ({exc})") from exc

    # -- schema ---------------------------------------------------------------

    def _migrate(self, readonly: bool) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{self.path} has schema version {version}, newer than this policycorpus "
                f"understands ({SCHEMA_VERSION}); upgrade policycorpus"
            )
        if version == SCHEMA_VERSION:
            return
        if readonly:
            raise DatabaseError(f"{self.path} needs a schema migration; open it writable once")
        for number, migration in MIGRATIONS:
            if number > version:
                migration(self.db)
                self.set_meta("schema_version", str(number))

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
        conn.execute("BEGIN IMMEDIATE")
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

    def document_states(self) -> dict[str, tuple[str, str]]:
        """Map each stored document path to its (content hash, pipeline version)."""
        return {
            path: (h, v)
            for path, h, v in self.db.execute(
                "select path, hash, pipeline_version from documents"
            ).fetchall()
        }

    def document_state(self, path: str) -> tuple[str, str] | None:
        """The (content hash, pipeline version) stored for ``path``, or None if absent.

        One indexed lookup, so an ingest checks files one by one without holding
        every path of a large database in memory.
        """
        row = self.db.execute(
            "select hash, pipeline_version from documents where path = ?", [path]
        ).fetchone()
        return (row[0], row[1]) if row else None

    # -- writes ---------------------------------------------------------------

    def write_documents(self, records: Iterable[DocumentRecord]) -> int:
        """Replace the rows of each document in one transaction; return how many.

        The batch is written with one ``executemany`` per table; only entities
        that lost mentions to a replaced document are checked for orphans.
        """
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        touched: set[int] = set()
        count = 0
        self._batch = _BatchRows()
        try:
            with self.atomic():
                for record in records:
                    touched |= self._delete_document(record.path)
                    self._insert_document(record, now)
                    count += 1
                self._batch.flush(self.db.conn)
                if touched:
                    self._delete_orphans(touched)
        finally:
            self._batch = None
        return count

    def delete_documents(self, paths: Iterable[str]) -> None:
        """Remove documents (and their mentions and roles) by path."""
        with self.atomic():
            touched: set[int] = set()
            for path in paths:
                touched |= self._delete_document(path)
            if touched:
                self._delete_orphans(touched)

    def _delete_document(self, path: str) -> set[int]:
        """Delete one document's rows; return the ids of the entities it mentioned."""
        row = self.db.execute("select id from documents where path = ?", [path]).fetchone()
        if row is None:
            return set()
        doc_id = row[0]
        touched = {r[0] for r in self.db.execute(
            "select entity_id from mentions where document_id = ?"
            " union select entity_id from roles where document_id = ?"
            " union select entity_id from quotes where document_id = ?",
            [doc_id, doc_id, doc_id])}
        self.db.execute("delete from mentions where document_id = ?", [doc_id])
        self.db.execute("delete from roles where document_id = ?", [doc_id])
        self.db.execute("delete from quotes where document_id = ?", [doc_id])
        self.db.execute("delete from documents where id = ?", [doc_id])
        return touched

    def _delete_orphans(self, candidates: Iterable[int] | None = None) -> None:
        """Delete entities without mentions, with their aliases, roles and quotes.

        With ``candidates`` only those entity ids are checked (an index lookup
        each); without, every entity is (a scan of ``mentions``).
        """
        if candidates is None:
            orphans = [r[0] for r in self.db.execute(
                "select id from entities where id not in (select distinct entity_id from mentions)")]
        else:
            orphans = []
            ids = sorted(candidates)
            for i in range(0, len(ids), _MAX_PARAMS):
                chunk = ids[i:i + _MAX_PARAMS]
                orphans += [r[0] for r in self.db.execute(
                    f"select id from entities where id in ({','.join('?' * len(chunk))})"
                    " and not exists (select 1 from mentions m where m.entity_id = entities.id)",
                    chunk)]
        for i in range(0, len(orphans), _MAX_PARAMS):
            chunk = orphans[i:i + _MAX_PARAMS]
            marks = ",".join("?" * len(chunk))
            for table in ("aliases", "roles", "quotes"):
                self.db.execute(f"delete from {table} where entity_id in ({marks})", chunk)
            self.db.execute(f"delete from entities where id in ({marks})", chunk)

    def _insert_document(self, record: DocumentRecord, now: str) -> None:
        """Insert one document; its other rows join the open batch (or are written now)."""
        rows = self._batch or _BatchRows()
        ids = rows.entity_ids
        doc_id = self.db.execute(
            "insert into documents (path, hash, title, outlet, byline, published, text, words,"
            " pipeline_version, ingested_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [record.path, record.hash, record.title, record.outlet, record.byline,
             record.published or None, record.text, record.words, record.pipeline_version, now],
        ).lastrowid
        for entity in record.entities:
            key = (entity.type, entity.name)
            entity_id = ids.get(key)
            if entity_id is None or entity.level or entity.jurisdiction:
                entity_id = ids[key] = self.entity_id(entity.type, entity.name, entity.level,
                                                      entity.jurisdiction)
            self.add_aliases(entity_id, [entity.name, *entity.aliases,
                                         *(m.text for m in entity.mentions)])
            rows.mentions.extend(
                (doc_id, entity_id, m.start, m.end, m.text, m.sent_start, m.sent_end, m.label,
                 m.source)
                for m in entity.mentions
            )
            if entity.role:
                rows.roles.append((entity_id, doc_id, entity.role, entity.org))
        rows.quotes.extend(
            (doc_id, ids[(q.speaker_type, q.speaker)], q.start, q.end, q.text, q.kind, q.cue,
             q.speaker_start, q.speaker_end, q.speaker_text)
            for q in record.quotes
            if (q.speaker_type, q.speaker) in ids
        )
        if rows is not self._batch:
            rows.flush(self.db.conn)

    def entity_id(self, type_: str, name: str, level: str = "", jurisdiction: str = "") -> int:
        """Return the id of the (type, name) entity, creating it if needed."""
        row = self.db.execute(
            "select id, level, jurisdiction from entities where type = ? and name = ?",
            [type_, name],
        ).fetchone()
        if row:
            if (level and not row[1]) or (jurisdiction and not row[2]):
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
        self.db.execute(
            "insert or ignore into aliases (entity_id, alias, key)"
            " select ?, alias, key from aliases where entity_id = ?",
            [keep_id, drop_id],
        )
        self.db.execute("delete from aliases where entity_id = ?", [drop_id])
        self.db.execute("delete from entities where id = ?", [drop_id])

    def vacuum_fts(self) -> None:
        """Optimise the full-text index after a large ingest."""
        self.db["documents"].optimize()

    def close(self) -> None:
        self.db.conn.close()


_MAX_PARAMS = 500  # ids per "in (...)" list, well under SQLite's parameter limit


@dataclass
class _BatchRows:
    """Rows of a batch of documents, written with one ``executemany`` per table.

    sqlite-utils' ``insert_all`` inspects and converts every value; these
    tables' columns are fixed by the migrations, so plain parameterised
    statements write them at a fraction of the cost.
    """

    entity_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    aliases: dict[tuple[int, str], str] = field(default_factory=dict)
    mentions: list[tuple[Any, ...]] = field(default_factory=list)
    roles: list[tuple[Any, ...]] = field(default_factory=list)
    quotes: list[tuple[Any, ...]] = field(default_factory=list)

    def alias(self, entity_id: int, surface: str) -> None:
        """Queue one surface form of an entity (blank or keyless forms are dropped)."""
        surface = " ".join(surface.split())
        if (entity_id, surface) not in self.aliases:
            key = alias_key(surface)
            if key:
                self.aliases[(entity_id, surface)] = key

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write and forget the queued rows."""
        if self.aliases:
            conn.executemany(
                "insert or ignore into aliases (entity_id, alias, key) values (?, ?, ?)",
                [(entity_id, alias, key) for (entity_id, alias), key in self.aliases.items()])
        if self.mentions:
            conn.executemany(
                "insert into mentions (document_id, entity_id, start, \"end\", text, sent_start,"
                " sent_end, label, source) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", self.mentions)
        if self.roles:
            conn.executemany(
                "insert into roles (entity_id, document_id, title, org) values (?, ?, ?, ?)",
                self.roles)
        if self.quotes:
            conn.executemany(
                "insert into quotes (document_id, entity_id, start, \"end\", text, kind, cue,"
                " speaker_start, speaker_end, speaker_text) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.quotes)
        self.aliases, self.mentions, self.roles, self.quotes = {}, [], [], []
