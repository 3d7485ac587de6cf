"""``reapply``: rebuild the corpus's entities from the stored extraction, the
corrections file and ``models/``, without the model.

What it recomputes: entities and their names, cross-document linking, the
entity of every mention (and which mentions are ignored), aliases, roles,
levels and jurisdictions, law keys, and ``documents.entity_ids``. What it
keeps: everything the pipeline read from the text (spans, sentences, the
per-document canonical name and type, titles), which only ``ingest`` changes.

Entity ids survive a reapply when an entity keeps its type and name, or,
when a correction renames it, the id most of its mentions had. Everything is
written in one transaction.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from functools import cache
from typing import TYPE_CHECKING

from policycorpus.corpus import canonical
from policycorpus.corpus.corrections import Corrections
from policycorpus.corpus.facts import DocEntity, Facts, document_facts
from policycorpus.records import ReapplySummary
from policycorpus.pipeline.gazetteer import federal_register_slug
from policycorpus.resources import data_hash
from policycorpus.store import relations as relations_store
from policycorpus.store.database import Store

if TYPE_CHECKING:
    from policycorpus.pipeline.gazetteer import Gazetteer


@cache
def _gazetteer() -> "Gazetteer":
    from policycorpus.pipeline.gazetteer import Gazetteer

    return Gazetteer.load()


def facts_for(type_: str, name: str, role: str, org: str) -> Facts:
    """Facts of an entity known only by name (after a correction); loads the
    gazetteer on first use."""
    return document_facts([DocEntity(type_, name, role, org)], "", _gazetteer())[0]


def remembered_facts_for(store: Store) -> canonical.FactsFor:
    """``facts_for`` that first reuses what the last reapply computed (the
    entities' and roles' stored facts), while ``models/`` is unchanged: a
    reapply with corrections then needs no gazetteer."""
    memo: dict[tuple[str, str, str, str], Facts] = {}
    if store.get_meta("facts_data_hash") == data_hash():
        for type_, name, level, jurisdiction, key in store.db.execute(
                "select type, name, level, jurisdiction, law_key from entities"
                " where type in ('agency', 'law')"):
            memo[(type_, name, "", "")] = Facts(level or "", jurisdiction or "", key or "")
        for title, org, level, jurisdiction in store.db.execute(
                "select distinct title, org, level, jurisdiction from roles"):
            memo[("official", "", title or "", org or "")] = Facts(level or "", jurisdiction or "")

    def lookup(type_: str, name: str, role: str, org: str) -> Facts:
        key = (type_, "" if type_ == "official" else name, role, org)
        if key not in memo:
            memo[key] = facts_for(type_, name, role, org)
        return memo[key]

    return lookup


def load_groups(store: Store) -> list[canonical.Group]:
    """The extracted per-document entities with their mentions; facts missing
    from rows stored before migration 5 are computed from the document."""
    db = store.db
    groups: dict[int, canonical.Group] = {}
    for row in db.execute(
        """select x.id, x.document_id, d.path, x.type, x.name, coalesce(x.role, ''),
                  coalesce(x.org, ''), x.level, x.jurisdiction, x.law_key,
                  coalesce(x.officeholder_id, '')
           from extracted_entities x join documents d on d.id = x.document_id
           order by x.id"""
    ):
        facts = None if row[9] is None else Facts(row[7] or "", row[8] or "", row[9] or "")
        groups[row[0]] = canonical.Group(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                                         facts, officeholder_id=row[10])
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for mid, gid, start, end, text in db.execute(
        "select id, extracted_entity_id, start, \"end\", text from extracted_mentions order by id"
    ):
        group = groups.get(gid)
        if group is not None:
            group.mentions.append(canonical.Mention(mid, text or ""))
            spans[gid].append((start, end, text or ""))
    stale = sorted({g.document_id for g in groups.values() if g.facts is None})
    for doc_id in stale:
        text = db.execute("select text from documents where id = ?", [doc_id]).fetchone()[0]
        members = [g for g in groups.values() if g.document_id == doc_id]
        computed = document_facts(
            [DocEntity(g.type, g.name, g.role, g.org, spans[g.id]) for g in members],
            text, _gazetteer())
        for g, facts in zip(members, computed):
            g.facts = facts
            db.execute("update extracted_entities set level = ?, jurisdiction = ?, law_key = ?"
                       " where id = ?", [facts.level, facts.jurisdiction, facts.law_key, g.id])
    return [g for g in groups.values() if g.mentions]


def compute(store: Store, corrections: Corrections) -> canonical.Result:
    """The corpus layer's decision for the stored extraction (nothing written)."""
    return canonical.build(load_groups(store), corrections, remembered_facts_for(store))


def reapply(store: Store, corrections: Corrections) -> ReapplySummary:
    """Recompute entities from the stored extraction and write them (one transaction)."""
    started = time.perf_counter()
    with store.atomic():
        result = compute(store, corrections)
        summary = write(store, result)
        result.warnings += relations_store.rebuild(store.db, corrections.relation_fixes)
        store.set_meta("corrections_digest", corrections.digest)
        store.set_meta("facts_data_hash", data_hash())
        store.set_meta("reapplied_at", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    summary.warnings = result.warnings
    summary.seconds = time.perf_counter() - started
    return summary


def write(store: Store, result: canonical.Result) -> ReapplySummary:
    """Make the derived tables say what ``result`` says, keeping ids where possible."""
    db = store.db
    summary = ReapplySummary(entities=len(result.entities), ignored=len(result.ignored))
    db.execute("PRAGMA defer_foreign_keys = ON")
    current = {mid: (eid, link or "", corr or "") for mid, eid, link, corr in db.execute(
        "select id, entity_id, link_rule, correction from mentions")}
    ids = _assign_ids(store, result, current)
    db.execute("delete from aliases")
    db.execute("delete from roles")
    keep = set(ids)
    stale = [(eid,) for (eid,) in db.execute("select id from entities") if eid not in keep]
    summary.removed = len(stale)
    db.conn.executemany("delete from entities where id = ?", stale)
    existing = {eid: (t, n) for eid, t, n in db.execute("select id, type, name from entities")}
    renamed = [i for i, eid in enumerate(ids) if eid is not None and
               existing.get(eid) != (result.entities[i].type, result.entities[i].name)]
    db.conn.executemany("update entities set name = ? where id = ?",
                        [(f"\x00renaming {ids[i]}", ids[i]) for i in renamed])
    for i, entity in enumerate(result.entities):
        slug = (federal_register_slug([entity.name, *sorted(entity.aliases)])
                if entity.type == "agency" else "")
        values = {"type": entity.type, "name": entity.name, "level": entity.level,
                  "jurisdiction": entity.jurisdiction, "law_key": entity.law_key,
                  "correction": "; ".join(entity.corrections), "federal_register_slug": slug}
        if ids[i] is None:
            ids[i] = int(db["entities"].insert(values).last_pk)
            summary.created += 1
        else:
            db.execute("update entities set type = ?, name = ?, level = ?, jurisdiction = ?,"
                       " law_key = ?, correction = ?, federal_register_slug = ? where id = ?",
                       [*values.values(), ids[i]])
    updates = []
    for mid, index in result.mention_entity.items():
        row = (ids[index], result.link_rule.get(mid, ""), result.mention_corrections.get(mid, ""))
        if current.get(mid) != row:
            updates.append((*row, mid))
    missing = [u[3] for u in updates if u[3] not in current]
    summary.moved = sum(1 for u in updates if u[3] in current and current[u[3]][0] != u[0])
    db.conn.executemany("update mentions set entity_id = ?, link_rule = ?, correction = ?"
                        " where id = ?", [u for u in updates if u[3] in current])
    if missing:
        _restore_mentions(store, missing, result, ids)
    gone = [(mid,) for mid in current if mid not in result.mention_entity]
    db.conn.executemany("delete from mentions where id = ?", gone)
    summary.mentions = len(result.mention_entity)
    _write_aliases(store, result, ids)
    db["roles"].insert_all(
        ({"entity_id": ids[r.entity], "document_id": r.document_id, "title": r.title,
          "org": r.org, "level": r.level, "jurisdiction": r.jurisdiction,
          "correction": r.correction} for r in result.roles), batch_size=500)
    _write_document_entity_ids(store)
    store.relink_quotes()
    return summary


def _assign_ids(store: Store, result: canonical.Result,
                current: dict[int, tuple[int, str, str]]) -> list[int | None]:
    """Keep the id of an entity with the same (type, name), else the id most of
    its mentions had, if no other entity keeps it."""
    by_identity = {(t, n): eid for eid, t, n in store.db.execute(
        "select id, type, name from entities")}
    ids: list[int | None] = [by_identity.get((e.type, e.name)) for e in result.entities]
    taken = {eid for eid in ids if eid is not None}
    previous: dict[int, Counter[int]] = defaultdict(Counter)
    for mid, index in result.mention_entity.items():
        if ids[index] is None and mid in current:
            previous[index][current[mid][0]] += 1
    for index, counts in previous.items():
        for eid, _ in counts.most_common():
            if eid not in taken:
                ids[index] = eid
                taken.add(eid)
                break
    return ids


def _restore_mentions(store: Store, mention_ids: list[int], result: canonical.Result,
                      ids: list[int | None]) -> None:
    """Put back mentions that were ignored before and are not any more."""
    marks = ",".join("?" * len(mention_ids))
    rows = store.db.execute(
        f"""select id, document_id, start, "end", text, sent_start, sent_end, label, source,
                   model_label, rule_id from extracted_mentions where id in ({marks})""",
        mention_ids).fetchall()
    store.db["mentions"].insert_all(
        ({"id": r[0], "document_id": r[1], "entity_id": ids[result.mention_entity[r[0]]],
          "start": r[2], "end": r[3], "text": r[4], "sent_start": r[5], "sent_end": r[6],
          "label": r[7], "source": r[8], "model_label": r[9], "rule_id": r[10],
          "link_rule": result.link_rule.get(r[0], ""),
          "correction": result.mention_corrections.get(r[0], "")} for r in rows),
        batch_size=500)


def _write_aliases(store: Store, result: canonical.Result, ids: list[int | None]) -> None:
    from policycorpus.names import alias_key

    rows = {}
    for index, entity in enumerate(result.entities):
        for surface in entity.aliases:
            surface = " ".join(surface.split())
            key = alias_key(surface)
            if key:
                rows[(ids[index], surface)] = {"entity_id": ids[index], "alias": surface,
                                               "key": key}
    store.db["aliases"].insert_all(rows.values(), batch_size=1000)


def _write_document_entity_ids(store: Store) -> None:
    """``documents.entity_ids``: the JSON array of the entities each document
    mentions, updated only where it changed (an update re-indexes full text)."""
    wanted: dict[int, list[int]] = defaultdict(list)
    for doc_id, entity_id in store.db.execute(
            "select distinct document_id, entity_id from mentions order by document_id, entity_id"):
        wanted[doc_id].append(entity_id)
    changes = []
    for doc_id, value in store.db.execute("select id, entity_ids from documents"):
        text = json.dumps(wanted.get(doc_id, []))
        if value != text:
            changes.append((text, doc_id))
    store.db.conn.executemany("update documents set entity_ids = ? where id = ?", changes)
