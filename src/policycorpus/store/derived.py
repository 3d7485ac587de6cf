"""Writes and change tracking of the corpus layer's derived tables.

The corpus layer (``corpus/reapply``) decides entities, aliases, roles and the
entity of every mention; this module is where those decisions reach the
database, for the whole corpus or for the part a change touched. Ingest
writes none of these tables: ``write_entities`` is the one write of
``entities``, ``aliases``, ``roles`` and ``mentions`` (and of what follows
them: documents' entity ids, quotes' speakers), given an ``EntityPlan``.

Change tracking (migration ``corpus_keys``):

- ``corpus_keys``: the link keys of every extracted entity (a *group*): the
  keys through which the corpus layer's decisions about two groups can
  interact (``canonical.link_keys``); indexed both ways;
- ``corpus_pending``: documents stored since the last reapply (their groups
  have no keys, facts or entities yet);
- ``corpus_dirty``: the keys of groups deleted since the last reapply, and
  ``e:ID`` for the entities their documents mentioned.

Rows that reference entities and must follow them when a reapply moves
mentions (quotes' speakers today) are updated by ``_follow_entities``: add a
table there (relations between entities, for example).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from policycorpus.store.sqlite import sqlite_utils

#: How many ids one statement passes through ``json_each``.
CHUNK = 20_000


def _chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[str]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield json.dumps(batch)
            batch = []
    if batch:
        yield json.dumps(batch)


def _column(db: sqlite_utils.Database, sql: str, values: Iterable[Any]) -> set[Any]:
    """The first column of ``sql`` (one ``?``: a JSON array) over ``values``, in chunks."""
    out: set[Any] = set()
    for chunk in _chunks(values):
        out.update(row[0] for row in db.execute(sql, [chunk]))
    return out


# -- change tracking -----------------------------------------------------------------


def mark_added(db: sqlite_utils.Database, doc_id: int) -> None:
    """A document was stored: its groups await their keys and a reapply."""
    db.execute("insert or ignore into corpus_pending (document_id) values (?)", [doc_id])


def mark_deleted(db: sqlite_utils.Database, doc_id: int, entity_ids: Iterable[int]) -> None:
    """A document is being deleted (call before its extracted rows go): keep its
    groups' keys and the entities it mentioned as the seeds of the next reapply,
    and each group as it left its entity (``corpus_left``)."""
    db.execute(
        """insert or replace into corpus_left (group_id, entity_id, type, name, level,
               jurisdiction, law_key, officeholder_id, role, keys, surfaces)
           select x.id,
                  (select case when count(distinct m.entity_id) = 1 then min(m.entity_id) end
                   from extracted_mentions xm join mentions m on m.id = xm.id
                   where xm.extracted_entity_id = x.id),
                  x.type, x.name, coalesce(x.level, ''), coalesce(x.jurisdiction, ''),
                  coalesce(x.law_key, ''), coalesce(x.officeholder_id, ''),
                  coalesce(x.role, ''),
                  (select json_group_array(k.key) from corpus_keys k where k.group_id = x.id),
                  (select json_group_array(xm.text) from extracted_mentions xm
                   where xm.extracted_entity_id = x.id)
           from extracted_entities x where x.document_id = ?""", [doc_id])
    db.execute(
        "insert or ignore into corpus_dirty (key) select k.key from corpus_keys k"
        " join extracted_entities x on x.id = k.group_id where x.document_id = ?", [doc_id])
    db.conn.executemany("insert or ignore into corpus_dirty (key) values (?)",
                        [(f"e:{eid}",) for eid in entity_ids])
    db.execute("delete from corpus_keys where group_id in"
               " (select id from extracted_entities where document_id = ?)", [doc_id])
    db.execute("delete from corpus_pending where document_id = ?", [doc_id])


def has_changes(db: sqlite_utils.Database) -> bool:
    """Whether documents were stored or deleted since the last reapply."""
    return (db.execute("select 1 from corpus_pending limit 1").fetchone() is not None
            or db.execute("select 1 from corpus_dirty limit 1").fetchone() is not None)


def delete_document(db: sqlite_utils.Database, doc_id: int) -> None:
    """Remove a deleted document's derived rows: its mentions and roles (the
    entities they named are left to the next reapply, seeded by ``mark_deleted``)."""
    db.execute("delete from mentions where document_id = ?", [doc_id])
    db.execute("delete from roles where document_id = ?", [doc_id])


def pending_documents(db: sqlite_utils.Database) -> list[int]:
    """Documents stored since the last reapply."""
    return [r[0] for r in db.execute("select document_id from corpus_pending order by 1")]


def dirty_keys(db: sqlite_utils.Database) -> list[str]:
    """Keys of deleted groups (and ``e:ID`` of their entities) since the last reapply."""
    return [r[0] for r in db.execute("select key from corpus_dirty order by 1")]


def groups_of_documents(db: sqlite_utils.Database, doc_ids: Iterable[int]) -> set[int]:
    """The extracted entities (groups) of documents."""
    return _column(db, "select id from extracted_entities where document_id in"
                       " (select value from json_each(?))", doc_ids)


def write_keys(db: sqlite_utils.Database, keys: Iterable[tuple[int, str]]) -> None:
    """Record (group id, key) rows, in the order of the key index (new groups
    append to the table anyway; in key order each index page is visited once,
    five times faster for a batch of 5,000 documents)."""
    db.conn.executemany("insert or ignore into corpus_keys (group_id, key) values (?, ?)",
                        sorted(keys, key=lambda row: (row[1], row[0])))


def clear_changes(db: sqlite_utils.Database) -> None:
    """Forget pending documents, dirty keys and groups left (a reapply has seen them)."""
    db.execute("delete from corpus_pending")
    db.execute("delete from corpus_dirty")
    db.execute("delete from corpus_left")


def clear_keys(db: sqlite_utils.Database) -> None:
    """Forget every group's keys (a full reapply writes them again)."""
    db.execute("delete from corpus_keys")


# -- the closure of a change -----------------------------------------------------------


def groups_with_keys(db: sqlite_utils.Database, keys: Iterable[str]) -> set[int]:
    """Groups that have any of ``keys``."""
    return _column(db, "select group_id from corpus_keys where key in"
                       " (select value from json_each(?))", keys)


def keys_of_groups(db: sqlite_utils.Database, group_ids: Iterable[int]) -> set[tuple[int, str]]:
    """(group id, key) of groups."""
    out: set[tuple[int, str]] = set()
    for chunk in _chunks(group_ids):
        out.update(db.execute("select group_id, key from corpus_keys where group_id in"
                              " (select value from json_each(?))", [chunk]))
    return out


def entities_of_groups(db: sqlite_utils.Database, group_ids: Iterable[int]) -> set[int]:
    """The entities the mentions of groups belong to now."""
    return _column(db, "select distinct m.entity_id from extracted_mentions x"
                       " join mentions m on m.id = x.id"
                       " where x.extracted_entity_id in (select value from json_each(?))",
                   group_ids)


def groups_of_entities(db: sqlite_utils.Database, entity_ids: Iterable[int]) -> set[int]:
    """The groups whose mentions belong to entities now."""
    return _column(db, "select distinct x.extracted_entity_id from mentions m"
                       " join extracted_mentions x on x.id = m.id"
                       " where m.entity_id in (select value from json_each(?))", entity_ids)


def group_rows(db: sqlite_utils.Database, group_ids: Iterable[int] | None
               ) -> Iterator[tuple[Any, ...]]:
    """(id, document id, document path, type, name, role, org, level, jurisdiction,
    law key, officeholder id) of groups (every group when ``group_ids`` is None), by id."""
    sql = ("select x.id, x.document_id, d.path, x.type, x.name, coalesce(x.role, ''),"
           " coalesce(x.org, ''), x.level, x.jurisdiction, x.law_key,"
           " coalesce(x.officeholder_id, '')"
           " from extracted_entities x join documents d on d.id = x.document_id")
    if group_ids is None:
        yield from db.execute(sql + " order by x.id")
        return
    for chunk in _chunks(sorted(group_ids)):
        yield from db.execute(sql + " where x.id in (select value from json_each(?))"
                              " order by x.id", [chunk])


def mention_rows(db: sqlite_utils.Database, group_ids: Iterable[int] | None
                 ) -> Iterator[tuple[Any, ...]]:
    """(id, group id, start, end, text) of the extracted mentions of groups, by id."""
    sql = 'select id, extracted_entity_id, start, "end", text from extracted_mentions'
    if group_ids is None:
        yield from db.execute(sql + " order by id")
        return
    rows: list[tuple[Any, ...]] = []
    for chunk in _chunks(sorted(group_ids)):
        rows.extend(db.execute(sql + " where extracted_entity_id in"
                                     " (select value from json_each(?))", [chunk]))
    yield from sorted(rows)


def set_group_facts(db: sqlite_utils.Database,
                    rows: Iterable[tuple[str, str, str, int]]) -> None:
    """Store the facts computed for groups: (level, jurisdiction, law key, group id)."""
    db.conn.executemany("update extracted_entities set level = ?, jurisdiction = ?, law_key = ?"
                        " where id = ?", rows)


def groups_without_facts(db: sqlite_utils.Database) -> bool:
    """Whether any group still lacks its facts (stored since the last reapply, or
    rows older than migration 5)."""
    return db.execute("select 1 from extracted_entities where law_key is null limit 1"
                      ).fetchone() is not None


def document_texts(db: sqlite_utils.Database, doc_ids: Iterable[int]
                   ) -> Iterator[tuple[int, str]]:
    """(id, text) of documents, one at a time."""
    for doc_id in doc_ids:
        yield doc_id, str(db.execute("select text from documents where id = ?",
                                     [doc_id]).fetchone()[0])


# -- reads for a decision ---------------------------------------------------------------


def current_mentions(db: sqlite_utils.Database, group_ids: Iterable[int] | None
                     ) -> dict[int, tuple[int, str, str]]:
    """mention id -> (entity id, link rule, correction) of the stored mentions of
    groups (of all when None)."""
    sql = "select id, entity_id, coalesce(link_rule, ''), coalesce(correction, '') from mentions"
    if group_ids is None:
        return {r[0]: (r[1], r[2], r[3]) for r in db.execute(sql)}
    out: dict[int, tuple[int, str, str]] = {}
    for chunk in _chunks(sorted(group_ids)):
        for r in db.execute(sql + " where id in (select id from extracted_mentions where"
                                  " extracted_entity_id in (select value from json_each(?)))",
                            [chunk]):
            out[r[0]] = (r[1], r[2], r[3])
    return out


def entity_by_identity(db: sqlite_utils.Database, type_: str, name: str) -> int | None:
    """The id of the entity (type, name), if any."""
    row = db.execute("select id from entities where type = ? and name = ?",
                     [type_, name]).fetchone()
    return int(row[0]) if row else None


def entity_identities(db: sqlite_utils.Database, entity_ids: Iterable[int] | None
                      ) -> dict[int, tuple[str, str]]:
    """id -> (type, name) of entities (all when None)."""
    if entity_ids is None:
        return {r[0]: (r[1], r[2]) for r in db.execute("select id, type, name from entities")}
    out: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(sorted(entity_ids)):
        for r in db.execute("select id, type, name from entities where id in"
                            " (select value from json_each(?))", [chunk]):
            out[r[0]] = (r[1], r[2])
    return out


def documents_of_groups(db: sqlite_utils.Database, group_ids: Iterable[int]) -> set[int]:
    """The documents of groups."""
    return _column(db, "select distinct document_id from extracted_entities where id in"
                       " (select value from json_each(?))", group_ids)


def count_entities(db: sqlite_utils.Database) -> int:
    """How many entities the corpus has."""
    return int(db.execute("select count(*) from entities").fetchone()[0])


# -- the one write of a decision ----------------------------------------------------------


@dataclass
class EntityPlan:
    """What the corpus layer decided for the corpus or a part of it, as rows.

    Entities are named by their index in ``entities``, a (id, values) pair:
    an id None is a new entity, values None keep the stored row (``values``
    holds type, name, level, jurisdiction, law_key, correction and
    federal_register_slug). ``replaced`` are the stored entities the plan
    decides whole (None: every entity): their aliases and roles are written
    again, and those the plan does not keep are deleted. A mention row is
    (entity index, link rule, correction, mention id).
    """

    entities: list[tuple[int | None, dict[str, Any] | None]] = field(default_factory=list)
    replaced: set[int] | None = field(default_factory=set)
    moved: list[tuple[int, str, str, int]] = field(default_factory=list)  # stored mentions
    added: list[tuple[int, str, str, int]] = field(default_factory=list)  # from extracted rows
    dropped: list[int] = field(default_factory=list)  # mention ids (ignored by a correction)
    aliases: list[tuple[int, str, str]] = field(default_factory=list)  # (index, alias, key)
    roles: list[tuple[Any, ...]] = field(default_factory=list)
    # (index, document id, title, org, level, jurisdiction, correction)
    documents: set[int] | None = field(default_factory=set)  # whose entity ids and quotes follow


@dataclass
class Written:
    """What ``write_entities`` did: the id of each entity of the plan, and how many
    entities it created and removed."""

    ids: list[int]
    created: int = 0
    removed: int = 0


def write_entities(db: sqlite_utils.Database, plan: EntityPlan) -> Written:
    """Make ``entities``, ``aliases``, ``roles`` and ``mentions`` say what ``plan``
    says, then the entity ids of its documents and their quotes' speakers.
    Call inside one transaction (``Store.atomic``)."""
    db.execute("PRAGMA defer_foreign_keys = ON")
    if plan.replaced is None or plan.replaced:
        _clear_entity_rows(db, plan.replaced)
    existing = entity_identities(db, plan.replaced) if plan.replaced != set() else {}
    keep = {eid for eid, _ in plan.entities if eid is not None}
    written = Written([])
    stale = [eid for eid in existing if eid not in keep]
    written.removed = len(stale)
    db.conn.executemany("delete from entities where id = ?", [(e,) for e in stale])
    # a temporary unique name first, so that renames cannot collide
    db.conn.executemany("update entities set name = ? where id = ?", [
        (f"\x00renaming {eid}", eid) for eid, values in plan.entities
        if eid is not None and values is not None
        and existing.get(eid) != (values["type"], values["name"])])
    for eid, values in plan.entities:
        if eid is None:
            assert values is not None
            eid = int(db["entities"].insert(values).last_pk)
            written.created += 1
        elif values is not None:
            db.execute("update entities set type = ?, name = ?, level = ?, jurisdiction = ?,"
                       " law_key = ?, correction = ?, federal_register_slug = ?,"
                       " officeholder_id = ? where id = ?",
                       [values["type"], values["name"], values["level"],
                        values["jurisdiction"], values["law_key"], values["correction"],
                        values.get("federal_register_slug", ""),
                        values.get("officeholder_id", ""), eid])
        written.ids.append(eid)
    ids = written.ids
    db.conn.executemany("update mentions set entity_id = ?, link_rule = ?, correction = ?"
                        " where id = ?", [(ids[i], rule, fix, mid)
                                          for i, rule, fix, mid in plan.moved])
    insert_mentions(
        db.conn, [(ids[i], rule, fix, mid) for i, rule, fix, mid in sorted(plan.added,
                                                                           key=lambda r: r[3])],
        """insert into mentions (id, document_id, entity_id, start, "end", text, sent_start,
                                 sent_end, label, source, model_label, rule_id, link_rule,
                                 correction)
           select id, document_id, ?, start, "end", text, sent_start, sent_end, label, source,
                  model_label, rule_id, ?, ? from extracted_mentions where id = ?""", id_at=3)
    db.conn.executemany("delete from mentions where id = ?", [(m,) for m in plan.dropped])
    db.conn.executemany("insert or ignore into aliases (entity_id, alias, key) values (?, ?, ?)",
                        [(ids[i], alias, key) for i, alias, key in plan.aliases])
    db.conn.executemany("insert into roles (entity_id, document_id, title, org, level,"
                        " jurisdiction, correction) values (?, ?, ?, ?, ?, ?, ?)",
                        [(ids[row[0]], *row[1:]) for row in plan.roles])
    _write_document_entity_ids(db, plan.documents)
    _follow_entities(db, plan.documents)
    return written


def _clear_entity_rows(db: sqlite_utils.Database, entity_ids: Iterable[int] | None) -> None:
    """Delete the aliases and roles of entities (of all when None), which are
    written again whole."""
    if entity_ids is None:
        db.execute("delete from aliases")
        db.execute("delete from roles")
        return
    for chunk in _chunks(sorted(entity_ids)):
        db.execute("delete from aliases where entity_id in (select value from json_each(?))",
                   [chunk])
        db.execute("delete from roles where entity_id in (select value from json_each(?))",
                   [chunk])


def _write_document_entity_ids(db: sqlite_utils.Database, doc_ids: Iterable[int] | None
                               ) -> None:
    """``documents.entity_ids``: the JSON array of the entities each document
    mentions (of ``doc_ids``, or all), updated only where it changed (an update
    re-indexes full text)."""
    sql = ("select d.id, d.entity_ids, (select json_group_array(entity_id) from"
           " (select distinct entity_id from document_entities e where e.document_id = d.id"
           " order by entity_id)) from documents d")
    changes = []
    if doc_ids is None:
        rows: Iterable[tuple[Any, ...]] = db.execute(sql)
        for doc_id, value, wanted in rows:
            text = json.dumps(json.loads(wanted))
            if value != text:
                changes.append((text, doc_id))
    else:
        for chunk in _chunks(sorted(doc_ids)):
            for doc_id, value, wanted in db.execute(
                    sql + " where d.id in (select value from json_each(?))", [chunk]):
                text = json.dumps(json.loads(wanted))
                if value != text:
                    changes.append((text, doc_id))
    db.conn.executemany("update documents set entity_ids = ? where id = ?", changes)


def _follow_entities(db: sqlite_utils.Database, doc_ids: Iterable[int] | None) -> None:
    """Make the rows that reference entities through a mention follow it, in
    ``doc_ids`` (all when None): each quote's speaker is the entity of the
    mention at the speaker's offsets.

    Hook: a new table whose rows name entities found at mentions is updated
    here, in the same way, so that incremental and full reapplies keep it
    alike.
    """
    quotes = """update quotes set entity_id = (
                   select m.entity_id from mentions m
                   where m.document_id = quotes.document_id and m.start = quotes.speaker_start
                     and m."end" = quotes.speaker_end limit 1)"""
    if doc_ids is None:
        db.execute(quotes)
        return
    for chunk in _chunks(sorted(doc_ids)):
        db.execute(quotes + " where document_id in (select value from json_each(?))", [chunk])


# -- the fast path: a new group joins an entity it cannot change ----------------------------


def max_entity_id(db: sqlite_utils.Database) -> int:
    """The largest entity id (0 without entities)."""
    return int(db.execute("select coalesce(max(id), 0) from entities").fetchone()[0])


def entities_by_identity(db: sqlite_utils.Database, identities: Iterable[tuple[str, str]]
                         ) -> dict[tuple[str, str], int]:
    """(type, name) -> id of the entities among ``identities`` that exist."""
    out: dict[tuple[str, str], int] = {}
    for chunk in _chunks(sorted(set(identities))):
        for type_, name, eid in db.execute(
                "select e.type, e.name, e.id from json_each(?) j"
                " join entities e on e.type = json_extract(j.value, '$[0]')"
                " and e.name = json_extract(j.value, '$[1]')",
                [chunk]):
            out[(type_, name)] = eid
    return out


def law_keys_of(db: sqlite_utils.Database, key: str) -> set[str]:
    """The distinct law keys ("" for none) of the groups that have ``key``."""
    return {r[0] for r in db.execute(
        "select distinct coalesce(x.law_key, '') from corpus_keys k"
        " join extracted_entities x on x.id = k.group_id where k.key = ?", [key])}


def entity_rows(db: sqlite_utils.Database, entity_ids: Iterable[int]
                ) -> dict[int, tuple[str, str, str, str, str, str, str]]:
    """id -> (type, name, level, jurisdiction, law key, correction, public
    record id) of entities."""
    out: dict[int, tuple[str, str, str, str, str, str, str]] = {}
    for chunk in _chunks(sorted(entity_ids)):
        for r in db.execute(
                "select id, type, name, coalesce(level, ''), coalesce(jurisdiction, ''),"
                " coalesce(law_key, ''), coalesce(correction, ''),"
                " coalesce(officeholder_id, '') from entities"
                " where id in (select value from json_each(?))", [chunk]):
            out[r[0]] = r[1:]
    return out


def fill_officeholder_ids(db: sqlite_utils.Database) -> None:
    """Set each entity's public record id from the stored extraction (the
    greatest of its per-document entities' ids, "" when none), starting from
    the few extracted entities that have one (indexed)."""
    db.execute("update entities set officeholder_id = '' where officeholder_id is null")
    db.execute(
        """with records as (
               select m.entity_id as id, max(x.officeholder_id) as record
               from extracted_entities x
               join extracted_mentions xm on xm.extracted_entity_id = x.id
               join mentions m on m.id = xm.id
               where x.officeholder_id > '' group by m.entity_id)
           update entities set officeholder_id = records.record
           from records where records.id = entities.id""")


def stored_entity_facts(db: sqlite_utils.Database) -> Iterator[tuple[Any, ...]]:
    """(type, name, level, jurisdiction, law key) of agencies and laws, as the
    last reapply decided them."""
    yield from db.execute("select type, name, level, jurisdiction, law_key from entities"
                          " where type in ('agency', 'law')")


def stored_role_facts(db: sqlite_utils.Database) -> Iterator[tuple[Any, ...]]:
    """Distinct (title, org, level, jurisdiction) of roles."""
    yield from db.execute("select distinct title, org, level, jurisdiction from roles")


# -- the fast path: a deleted group leaves an entity it cannot change ------------------------


def left_groups(db: sqlite_utils.Database) -> list[tuple[Any, ...]]:
    """(group id, entity id or None, type, name, level, jurisdiction, law key,
    officeholder id, role, keys, surfaces) of the groups deleted since the last
    reapply (keys and surfaces as lists)."""
    return [(*r[:9], json.loads(r[9]), json.loads(r[10])) for r in db.execute(
        "select group_id, entity_id, type, name, level, jurisdiction, law_key,"
        " officeholder_id, role, keys, surfaces from corpus_left order by group_id")]


def entity_profile(db: sqlite_utils.Database, entity_id: int) -> list[tuple[Any, ...]]:
    """The groups whose mentions belong to an entity now, counted by what the
    corpus layer counts: (first group id, type, name, level, jurisdiction, law
    key, officeholder id, groups with a role, groups, mentions with a correction)."""
    return db.execute(
        """select min(x.id), x.type, x.name, coalesce(x.level, ''),
                  coalesce(x.jurisdiction, ''), coalesce(x.law_key, ''),
                  coalesce(x.officeholder_id, ''),
                  count(distinct case when coalesce(x.role, '') != '' then x.id end),
                  count(distinct x.id), sum(coalesce(m.correction, '') != '')
           from mentions m join extracted_mentions xm on xm.id = m.id
           join extracted_entities x on x.id = xm.extracted_entity_id
           where m.entity_id = ?
           group by 2, 3, 4, 5, 6, 7""", [entity_id]).fetchall()


def entity_surfaces(db: sqlite_utils.Database, entity_id: int) -> set[str]:
    """The distinct texts of an entity's mentions."""
    return {r[0] for r in db.execute("select distinct text from mentions where entity_id = ?",
                                     [entity_id])}


def delete_aliases(db: sqlite_utils.Database, entity_id: int, aliases: Iterable[str]) -> None:
    """Remove aliases of an entity that no mention of it carries any more."""
    db.conn.executemany("delete from aliases where entity_id = ? and alias = ?",
                        [(entity_id, a) for a in aliases])

def entity_aliases(db: sqlite_utils.Database, entity_id: int) -> set[str]:
    """An entity's aliases."""
    return {r[0] for r in db.execute("select alias from aliases where entity_id = ?",
                                     [entity_id])}


def has_twin(db: sqlite_utils.Database, entity_id: int, key: str, type_: str, name: str,
             officeholder_id: str) -> bool:
    """Whether a group of the entity has this type, name and public record and no
    facts (found among the groups with the link ``key``, until the first)."""
    return db.execute(
        """select 1 from corpus_keys k join extracted_entities x on x.id = k.group_id
           where k.key = ? and x.type = ? and x.name = ? and coalesce(x.level, '') = ''
             and coalesce(x.jurisdiction, '') = '' and coalesce(x.law_key, '') = ''
             and coalesce(x.officeholder_id, '') = ?
             and exists (select 1 from extracted_mentions xm join mentions m on m.id = xm.id
                         where xm.extracted_entity_id = x.id and m.entity_id = ?)
           limit 1""", [key, type_, name, officeholder_id, entity_id]).fetchone() is not None


def entity_has_text(db: sqlite_utils.Database, entity_id: int, text: str) -> bool:
    """Whether a mention of the entity has exactly this text."""
    return db.execute("select 1 from mentions where entity_id = ? and text = ? limit 1",
                      [entity_id, text]).fetchone() is not None


# -- large batches of mentions ------------------------------------------------------
#
# Large batches of mentions, inserted without a trigger firing per row.
#
# ``document_entities`` (migration 6) is kept exact by triggers on
# ``mentions``: each inserted mention adds one to its (entity, document) row.
# For a batch of thousands of documents that upsert is most of the cost of
# writing the mentions (about three quarters, measured at 10,000 documents),
# so a large batch inside a transaction drops the insert trigger, inserts the
# rows, adds their counts with one grouped statement and creates the trigger
# again, all in the same transaction: other connections never see the
# trigger missing, and a failure rolls the whole batch back with it.

TRIGGER = "mentions_document_entities_insert"
#: Batches smaller than this are inserted row by row, trigger and all.
BULK = 1_000
_INSERT = ("insert into mentions (id, document_id, entity_id, start, \"end\", text,"
           " sent_start, sent_end, label, source, model_label, rule_id)"
           " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def insert_mentions(conn: sqlite3.Connection, rows: list[tuple[Any, ...]],
                    statement: str = _INSERT, id_at: int = 0) -> None:
    """Insert mention rows with ``statement`` (by default rows of id, document
    id, entity id, start, end, text, sentence start and end, label, source,
    model label, rule id; ``id_at`` is where a row holds the mention's id) and
    count them in ``document_entities``."""
    if not rows:
        return
    if len(rows) < BULK or not conn.in_transaction:
        conn.executemany(statement, rows)
        return
    low, high = min(r[id_at] for r in rows), max(r[id_at] for r in rows)
    trigger = conn.execute("select sql from sqlite_master where type = 'trigger' and name = ?",
                           [TRIGGER]).fetchone()
    taken = conn.execute("select 1 from mentions where id between ? and ? limit 1",
                         [low, high]).fetchone()
    if trigger is None or taken is not None:  # counts by id range would be wrong
        conn.executemany(statement, rows)
        return
    conn.execute(f"drop trigger {TRIGGER}")
    conn.executemany(statement, rows)
    conn.execute(
        "insert into document_entities (entity_id, document_id, mentions)"
        " select entity_id, document_id, count(*) from mentions where id between ? and ?"
        " group by entity_id, document_id"
        " on conflict (entity_id, document_id) do update set mentions = mentions + excluded.mentions",
        [low, high])
    conn.execute(trigger[0])
