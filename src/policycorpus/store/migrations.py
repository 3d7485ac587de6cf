"""Numbered schema migrations, applied in order by ``Store`` when it opens a database.

Each migration takes a ``sqlite_utils.Database`` and moves it one version on.
Add new ones at the end; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

from policycorpus.store.sqlite import sqlite_utils


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
    for finding the entities of one sentence. ``entity_id`` is the entity of the
    mention at the speaker's offsets (null while a correction ignores it)."""
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
        not_null={"document_id", "start", "end", "text"},
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


def _add_missing_columns(db: sqlite_utils.Database, table: str, columns: dict[str, type]) -> None:
    """Add the columns a table lacks (so a migration runs whatever ran before it)."""
    present = db[table].columns_dict
    for name, type_ in columns.items():
        if name not in present:
            db[table].add_column(name, type_)


def m005_provenance(db: sqlite_utils.Database) -> None:
    """What the pipeline extracted per document, kept apart from the corpus-level
    entities so that ``reapply`` can recompute them without the model; provenance
    of mentions; entity knowledge (law keys, jurisdictions of roles); the JSON
    array of entity ids on documents.

    Databases written before this migration get their extracted rows from their
    mentions and roles, so ``reapply`` works on them at once (a null ``law_key``
    marks rows whose facts ``reapply`` must still compute from the text).
    """
    db["extracted_entities"].create(
        {"id": int, "document_id": int, "type": str, "name": str, "role": str, "org": str,
         "level": str, "jurisdiction": str, "law_key": str},
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
        not_null={"document_id", "type", "name"},
        if_not_exists=True,
    )
    db["extracted_entities"].create_index(["document_id"], if_not_exists=True)
    db["extracted_mentions"].create(
        {"id": int, "document_id": int, "extracted_entity_id": int, "start": int, "end": int,
         "text": str, "sent_start": int, "sent_end": int, "label": str, "source": str,
         "model_label": str, "rule_id": str},
        pk="id",
        foreign_keys=[("document_id", "documents", "id"),
                      ("extracted_entity_id", "extracted_entities", "id")],
        not_null={"document_id", "extracted_entity_id", "start", "end"},
        if_not_exists=True,
    )
    db["extracted_mentions"].create_index(["document_id"], if_not_exists=True)
    db["extracted_mentions"].create_index(["extracted_entity_id"], if_not_exists=True)
    _add_missing_columns(db, "mentions", {"model_label": str, "rule_id": str, "link_rule": str,
                                  "correction": str})
    _add_missing_columns(db, "roles", {"level": str, "jurisdiction": str, "correction": str})
    _add_missing_columns(db, "entities", {"law_key": str, "correction": str})
    _add_missing_columns(db, "documents", {"entity_ids": str})
    db["entities"].create_index(["law_key"], if_not_exists=True)
    db["entities"].create_index(["level"], if_not_exists=True)
    if db.execute("select count(*) from extracted_entities").fetchone()[0] == 0:
        db.execute(
            """insert into extracted_entities (document_id, type, name, role, org, level,
                                               jurisdiction, law_key)
               select m.document_id, e.type, e.name,
                      coalesce((select min(r.title) from roles r where r.entity_id = e.id
                                and r.document_id = m.document_id), ''),
                      coalesce((select min(r.org) from roles r where r.entity_id = e.id
                                and r.document_id = m.document_id), ''),
                      coalesce(e.level, ''), coalesce(e.jurisdiction, ''), null
               from (select distinct document_id, entity_id from mentions) m
               join entities e on e.id = m.entity_id"""
        )
        db.execute(
            """insert into extracted_mentions (id, document_id, extracted_entity_id, start, "end",
                   text, sent_start, sent_end, label, source, model_label, rule_id)
               select m.id, m.document_id, x.id, m.start, m."end", m.text, m.sent_start,
                      m.sent_end, m.label, m.source, '', ''
               from mentions m join entities e on e.id = m.entity_id
               join extracted_entities x on x.document_id = m.document_id
                    and x.type = e.type and x.name = e.name"""
        )


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


def m007_document_identity(db: sqlite_utils.Database) -> None:
    """Document identity apart from the name shown (issue 13): ``document_paths.path``
    becomes a key (the resolved absolute path, ``#ID`` for a record) and the new
    ``name`` column holds the path as shown, relative to the folder ingested.
    ``documents.path`` (the first path's name) is no longer unique: two folders
    may each hold ``index.html``.

    Existing rows keep their relative path as key and name; the next ingest of
    their file adopts them under the absolute key (``docpaths.adopt``).
    """
    if "document_paths" in db.table_names():
        _add_missing_columns(db, "document_paths", {"name": str})
        db.execute("update document_paths set name = path where name is null")
    unique = [i for i in db["documents"].indexes if i.columns == ["path"] and i.unique]
    for index in unique:
        db.execute(f"drop index if exists [{index.name}]")
    db["documents"].create_index(["path"], index_name="idx_documents_path_shown",
                                 if_not_exists=True)


def m_relations(db: sqlite_utils.Database) -> None:
    """Law actions: the pipeline's ``extracted_relations`` and the corpus's
    ``relations`` (see ``relations_store``). Named, not numbered, so that it
    merges with numbered migrations written on other branches."""
    from policycorpus.store import relations as relations_store

    relations_store.migrate(db)


def m_federal_register_slug(db: sqlite_utils.Database) -> None:
    """``entities.federal_register_slug``: the Federal Register agency an agency
    entity was matched to (``models/federal_agencies.jsonl``), "" otherwise;
    filled by reapply."""
    _add_missing_columns(db, "entities", {"federal_register_slug": str})


def m_officeholder_id(db: sqlite_utils.Database) -> None:
    """The id of the public record (Open States person id, ``bioguide:`` id) an
    extracted official was confirmed against (issue 15); empty when none."""
    _add_missing_columns(db, "extracted_entities", {"officeholder_id": str})
    db["extracted_entities"].create_index(["officeholder_id"], if_not_exists=True)


def m_corpus_keys(db: sqlite_utils.Database) -> None:
    """Change tracking for the incremental corpus layer (``store/derived``): the
    link keys of every extracted entity, the documents stored and the keys of
    the groups deleted since the last reapply. Empty at first: the next
    reapply is a full one, which fills the keys."""
    db.execute("create table if not exists corpus_keys (group_id integer not null,"
               " key text not null, primary key (group_id, key)) without rowid")
    db.execute("create index if not exists idx_corpus_keys_key on corpus_keys (key, group_id)")
    db.execute("create table if not exists corpus_pending (document_id integer primary key)")
    db.execute("create table if not exists corpus_dirty (key text primary key) without rowid")
    db.execute("delete from meta where key = 'corpus_keys'")


def m_corpus_left(db: sqlite_utils.Database) -> None:
    """``corpus_left``: each extracted entity (group) deleted since the last
    reapply, with the entity its mentions belonged to and what the corpus
    layer counts of it (type, name, facts, surfaces, link keys), so that the
    next reapply can take it out of that entity without rebuilding it
    (``corpus/incremental``)."""
    db.execute("create table if not exists corpus_left (group_id integer primary key,"
               " entity_id integer, type text not null, name text not null,"
               " level text not null, jurisdiction text not null, law_key text not null,"
               " officeholder_id text not null, role text not null, keys text not null,"
               " surfaces text not null)")


def m_groups_without_facts(db: sqlite_utils.Database) -> None:
    """A partial index of the extracted entities still without their facts (a
    null ``law_key``: rows older than migration 5), so that every reapply
    checks for them without reading the whole table."""
    db.execute("create index if not exists idx_extracted_entities_without_facts"
               " on extracted_entities (id) where law_key is null")


def m_entity_officeholder(db: sqlite_utils.Database) -> None:
    """``entities.officeholder_id``: the public record an entity's people were
    confirmed against (the greatest of its per-document entities' ids), decided
    by reapply; filled here from the stored extraction, starting from the few
    extracted entities that have one (indexed)."""
    _add_missing_columns(db, "entities", {"officeholder_id": str})
    from policycorpus.store.derived import fill_officeholder_ids

    fill_officeholder_ids(db)


def m_roles_by_entity_document(db: sqlite_utils.Database) -> None:
    """An index of roles by entity and document: a report reads an official's
    roles in its most recent documents, which is one seek per document instead
    of every role of a name found in hundreds of thousands of them."""
    db.execute("create index if not exists idx_roles_entity_document"
               " on roles (entity_id, document_id)")


# A migration is numbered (the schema version) or uniquely named; either way
# ``meta`` marks it applied as ``migration_<number or name>``.
MIGRATIONS: list[tuple[int | str, Callable[[sqlite_utils.Database], None]]] = [
    (1, m001_initial),
    (2, m002_quotes),
    (3, m003_document_paths),
    (4, m004_document_sources),
    (5, m005_provenance),
    (6, m006_document_entities),
    (7, m007_document_identity),
    ("relations", m_relations),
    ("federal_register_slug", m_federal_register_slug),
    ("officeholder_id", m_officeholder_id),
    ("corpus_keys", m_corpus_keys),
    ("corpus_left", m_corpus_left),
    ("groups_without_facts", m_groups_without_facts),
    ("entity_officeholder", m_entity_officeholder),
    ("roles_by_entity_document", m_roles_by_entity_document),
]
SCHEMA_VERSION = max(n for n, _ in MIGRATIONS if isinstance(n, int))
