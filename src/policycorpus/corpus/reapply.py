"""``reapply``: rebuild the corpus's entities from the stored extraction, the
corrections file and ``models/``, without the model.

What it recomputes: entities and their names, cross-document linking, the
entity of every mention (and which mentions are ignored), aliases, roles,
levels and jurisdictions, law keys, and ``documents.entity_ids``. What it
keeps: everything the pipeline read from the text (spans, sentences, the
per-document canonical name and type, titles), which only ``ingest`` changes.
The first reapply after a document is stored also computes its entities'
facts (level, jurisdiction, law key: ``facts.document_facts``), once, and
stores them with its extracted rows.

This module is the only producer of entities, aliases, roles and mentions:
ingest stores none. ``write`` turns a decision into a ``derived.EntityPlan``
and ``derived.write_entities`` writes it (the incremental fast path writes
its plans the same way). Entity ids survive a reapply when an entity keeps
its type and name, or, when a correction renames it, the id most of its
mentions had. Everything is written in one transaction.

A reapply is incremental when it can be (``corpus/incremental``): it rebuilds
only the groups a change reaches through their link keys, and writes the
same tables a full rebuild would. ``reapply(..., full=True)`` rebuilds all.
"""

from __future__ import annotations

import gc
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from policycorpus.corpus import canonical
from policycorpus.corpus.corrections import Corrections
from policycorpus.corpus.facts import DocEntity, Facts, document_facts
from policycorpus.names import alias_key
from policycorpus.pipeline.gazetteer import federal_register_slug
from policycorpus.records import ReapplySummary
from policycorpus.resources import data_hash
from policycorpus.store import derived
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
    reapply with corrections then needs no gazetteer. The stored facts are
    read on the first question (most reapplies ask none)."""
    memo: dict[tuple[str, str, str, str], Facts] = {}
    loaded: list[bool] = []

    def load() -> None:
        loaded.append(True)
        if store.get_meta("facts_data_hash") != data_hash():
            return
        for type_, name, level, jurisdiction, key in derived.stored_entity_facts(store.db):
            memo[(type_, name, "", "")] = Facts(level or "", jurisdiction or "", key or "")
        for title, org, level, jurisdiction in derived.stored_role_facts(store.db):
            memo[("official", "", title or "", org or "")] = Facts(level or "",
                                                                  jurisdiction or "")

    def lookup(type_: str, name: str, role: str, org: str) -> Facts:
        if not loaded:
            load()
        key = (type_, "" if type_ == "official" else name, role, org)
        if key not in memo:
            memo[key] = facts_for(type_, name, role, org)
        return memo[key]

    return lookup


def load_groups(store: Store, group_ids: Iterable[int] | None = None
                ) -> list[canonical.DocumentGroup]:
    """The extracted per-document entities with their mentions (those of
    ``group_ids``, or all); the facts of groups stored since the last reapply
    (or before migration 5) are computed from their document and stored."""
    db = store.db
    groups: dict[int, canonical.DocumentGroup] = {}
    ids = None if group_ids is None else sorted(group_ids)
    for row in derived.group_rows(db, ids):
        facts = None if row[9] is None else Facts(row[7] or "", row[8] or "", row[9] or "")
        groups[row[0]] = canonical.DocumentGroup(row[0], row[1], row[2], row[3], row[4],
                                                 row[5], row[6], facts,
                                                 officeholder_id=row[10])
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    # offsets are needed only in the documents whose facts are computed here
    stale = {g.document_id for g in groups.values() if g.facts is None}
    for mid, gid, start, end, text in derived.mention_rows(db, ids):
        group = groups.get(gid)
        if group is not None:
            group.mentions.append(canonical.Mention(mid, text or ""))
            if group.document_id in stale:
                spans[gid].append((start, end, text or ""))
    _compute_facts(list(groups.values()), spans, store)
    return [g for g in groups.values() if g.mentions]


def _compute_facts(groups: list[canonical.DocumentGroup],
                   spans: dict[int, list[tuple[int, int, str]]],
                   store: Store) -> None:
    """The facts of the groups that lack them (level, jurisdiction, law key),
    read from their document's text and loaded groups (``document_facts``:
    load a document's groups together) and stored with them. The one place
    facts come from: ingest stores none."""
    by_document: dict[int, list[canonical.DocumentGroup]] = defaultdict(list)
    for g in groups:
        by_document[g.document_id].append(g)
    stale = sorted(doc_id for doc_id, members in by_document.items()
                   if any(g.facts is None for g in members))
    rows = []
    for doc_id, text in derived.document_texts(store.db, stale):
        members = by_document[doc_id]
        computed = document_facts([DocEntity(g.type, g.name, g.role, g.org, spans[g.id])
                                   for g in members], text, _gazetteer())
        for g, facts in zip(members, computed):
            if g.facts is None:
                g.facts = facts
                rows.append((facts.level, facts.jurisdiction, facts.law_key, g.id))
    derived.set_group_facts(store.db, rows)


def compute(store: Store, corrections: Corrections) -> canonical.Result:
    """The corpus layer's decision for the stored extraction (nothing written)."""
    return canonical.build(load_groups(store), corrections, remembered_facts_for(store))


def reapply(store: Store, corrections: Corrections, *, full: bool = False) -> ReapplySummary:
    """Recompute entities from the stored extraction and write them (one
    transaction): only what changed since the last reapply, unless ``full``
    or the change cannot be bounded (``corpus/incremental``)."""
    from policycorpus.corpus import incremental

    started = time.perf_counter()
    with store.atomic(), _collector_paused():
        touched: set[int] | None = set()
        summary = None if full else incremental.reapply(store, corrections, touched)
        if summary is None:
            summary = _full(store, corrections)
            touched = None
        summary.warnings += _law_actions(store, corrections, touched)
        store.set_meta("corrections_digest", corrections.digest)
        store.set_meta("corrections_entries", incremental.entries_json(corrections))
        store.set_meta("facts_data_hash", data_hash())
        store.set_meta("entities_watermark", str(derived.max_entity_id(store.db)))
        store.set_meta("reapplied_at", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    summary.seconds = time.perf_counter() - started
    return summary


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: a reapply makes hundreds of
    thousands of small objects that form no cycles (groups, mentions, rows), and
    each pass of the collector would walk all of them again (a third of the
    CPU time of reapplying 5,000 new documents). Objects are still freed as
    their last reference goes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _law_actions(store: Store, corrections: Corrections,
                 documents: set[int] | None) -> list[str]:
    """Make law actions follow the entities (``store/relations``): those of
    ``documents`` (all when None) are derived again from their extracted rows
    with SQL; all of them when the relation corrections, or what their names
    resolve to, changed since the last reapply. Returns the corrections'
    warnings (none when they were not applied again)."""
    resolved = relations_store.resolve(store.db, corrections.relation_fixes)
    state = relations_store.resolution_json(resolved)
    warnings: list[str] = []
    if documents is None or store.get_meta("relation_fixes") != state:
        warnings = relations_store.rebuild(store.db, resolved)
    else:
        relations_store.refresh(store.db, documents, resolved)
    store.set_meta("relation_fixes", state)
    return warnings


def _full(store: Store, corrections: Corrections) -> ReapplySummary:
    """Rebuild every entity; record every group's link keys."""
    groups = load_groups(store)
    derived.clear_keys(store.db)
    derived.write_keys(store.db, ((g.id, key) for g in groups
                                  for key in sorted(canonical.link_keys(g))))
    derived.clear_changes(store.db)
    store.set_meta("corpus_keys", "complete")
    result = canonical.build(groups, corrections,
                             remembered_facts_for(store))
    del groups
    summary = write(store, result)
    assert summary is not None
    summary.warnings = result.warnings
    return summary


@dataclass
class Scope:
    """The part of the corpus a write replaces: groups, the entities their
    mentions belonged to, and their documents."""

    groups: set[int]
    entities: set[int]
    documents: set[int]


def write(store: Store, result: canonical.Result,
          scope: Scope | None = None) -> ReapplySummary | None:
    """Make the derived tables say what ``result`` says, keeping ids where
    possible: for the whole corpus, or for ``scope`` (``result`` decides its
    groups). None (nothing written) if a scoped result would take the name of
    an entity outside the scope."""
    db = store.db
    summary = ReapplySummary(entities=len(result.entities), ignored=len(result.ignored))
    current = derived.current_mentions(db, scope.groups if scope else None)
    ids = _assign_ids(store, result, current, scope)
    if ids is None:
        return None
    plan = derived.EntityPlan(replaced=scope.entities if scope else None,
                              documents=scope.documents if scope else None)
    for i, entity in enumerate(result.entities):
        slug = (federal_register_slug([entity.name, *sorted(entity.aliases)])
                if entity.type == "agency" else "")
        plan.entities.append((ids[i], {
            "type": entity.type, "name": entity.name, "level": entity.level,
            "jurisdiction": entity.jurisdiction, "law_key": entity.law_key,
            "correction": "; ".join(entity.corrections), "federal_register_slug": slug,
            "officeholder_id": entity.officeholder_id}))
    for mid, index in result.mention_entity.items():
        row = (index, result.link_rule.get(mid, ""), result.mention_corrections.get(mid, ""))
        if mid not in current:
            plan.added.append((*row, mid))
        elif current[mid] != (ids[index], row[1], row[2]):
            plan.moved.append((*row, mid))
            summary.moved += current[mid][0] != ids[index]
    plan.dropped = [mid for mid in current if mid not in result.mention_entity]
    plan.aliases = _aliases(result)
    plan.roles = [(r.entity, r.document_id, r.title, r.org, r.level, r.jurisdiction,
                   r.correction) for r in result.roles]
    written = derived.write_entities(db, plan)
    summary.created, summary.removed = written.created, written.removed
    summary.mentions = len(result.mention_entity)
    return summary


def _assign_ids(store: Store, result: canonical.Result, current: dict[int, tuple[int, str, str]],
                scope: Scope | None) -> list[int | None] | None:
    """Keep the id of an entity with the same (type, name), else the id most of
    its mentions had, if no other entity keeps it."""
    if scope is None:
        by_identity = {ident: eid for eid, ident in derived.entity_identities(store.db, None)
                       .items()}
        ids: list[int | None] = [by_identity.get((e.type, e.name)) for e in result.entities]
    else:
        ids = [derived.entity_by_identity(store.db, e.type, e.name) for e in result.entities]
        if any(eid is not None and eid not in scope.entities for eid in ids):
            return None
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


def _aliases(result: canonical.Result) -> list[tuple[int, str, str]]:
    """(entity index, alias, key) of every surface form of the result's entities."""
    return [row for index, entity in enumerate(result.entities)
            for row in alias_rows(index, entity.aliases)]


def alias_rows(index: int, surfaces: Iterable[str]) -> list[tuple[int, str, str]]:
    """(index, alias, key) of an entity's surface forms, spaces normalised, once
    each; a form without a lookup key is left out."""
    rows = []
    for surface in dict.fromkeys(" ".join(s.split()) for s in surfaces):
        key = alias_key(surface)
        if key:
            rows.append((index, surface, key))
    return rows
