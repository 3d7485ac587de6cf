"""The incremental corpus layer: rebuild only what a change reaches.

``canonical.build`` decides about two groups (per-document entities) together
only through shared keys (``canonical.link_keys``: name, law key, law title,
surname) or a correction entry that names both. So the groups a change can
affect are a closure: start from the groups of the documents added, the keys
of the groups deleted and the names in the correction entries that changed;
add every group sharing a linking key, every group of a correction entry that
names a group already in (and of the entries that share a name with such an
entry: one may name the entity another makes), and every group of an entity a
group belonged to;
repeat until nothing is added. ``build`` over that closure decides its
groups exactly as over the whole corpus, and the write replaces only the
closure's entities, aliases, roles, mentions and documents.

The closure is computed with indexed SQL (``store/derived``); memory grows
with the closure, not the corpus. A reapply is full instead when the keys are
not recorded yet, ``models/`` changed, or corrections were reordered.
"""

from __future__ import annotations

import json
from dataclasses import asdict, astuple, dataclass
from typing import Any

from policycorpus.corpus import canonical
from policycorpus.corpus.corrections import Corrections
from policycorpus.entity_types import PEOPLE
from policycorpus.records import ReapplySummary
from policycorpus.resources import data_hash
from policycorpus.store import derived
from policycorpus.store.database import Store

KINDS = ("merge", "alias", "ignore", "retype", "role")


def _entries(corrections: Corrections) -> list[tuple[str, Any]]:
    return [(kind, entry) for kind, items in zip(KINDS, (
        corrections.merges, corrections.aliases, corrections.ignores, corrections.retypes,
        corrections.roles)) for entry in items]


def _entry_json(kind: str, entry: Any) -> str:
    return json.dumps([kind, asdict(entry)], sort_keys=True)


def entries_json(corrections: Corrections) -> str:
    """The corrections' entries, in order, as stored after a reapply."""
    return json.dumps([_entry_json(kind, e) for kind, e in _entries(corrections)])


def _changed(previous: list[str], corrections: Corrections) -> list[tuple[str, Any]] | None:
    """The entries added or removed since ``previous``; None when entries kept
    their content but not their order (order matters to ``build``)."""
    now = _entries(corrections)
    now_json = [_entry_json(k, e) for k, e in now]
    before, after = set(previous), set(now_json)
    if [e for e in previous if e in after] != [e for e in now_json if e in before]:
        return None
    changed = [(k, e) for (k, e), j in zip(now, now_json) if j not in before]
    for text in previous:
        if text not in after:
            kind, fields = json.loads(text)
            changed.append((kind, _Entry(fields)))
    return changed


class _Entry:
    """A removed entry, rebuilt from its stored fields (enough for its names and tag)."""

    def __init__(self, fields: dict[str, Any]) -> None:
        for key, value in fields.items():
            setattr(self, key, tuple(value) if isinstance(value, list) else value)


def _name_keys(entry: Any) -> set[str]:
    return {canonical._key(n) for n in canonical.entry_names(entry)}


def closure(store: Store, seed_groups: set[int], seed_keys: set[str], reached_keys: set[str],
            seed_entities: set[int], corrections: Corrections) -> tuple[set[int], set[int]]:
    """The groups a change reaches, and the entities they belonged to: from
    ``seed_groups``, the groups with any of ``seed_keys``, the keys of deleted
    groups (``reached_keys``, followed as a group's own keys are) and
    ``seed_entities``."""
    db = store.db
    hubs: dict[str, list[int]] = {}
    hub_keys: list[set[str]] = []
    for kind, entry in _entries(corrections):
        if kind == "ignore":
            continue  # an ignore decides each group alone
        keys = _name_keys(entry)
        hub_keys.append({p + k for k in keys for p in ("n:", "s:")})
        for key in hub_keys[-1]:
            hubs.setdefault(key, []).append(len(hub_keys) - 1)
    active: set[int] = set()
    groups: set[int] = set()
    entities: set[int] = set()
    seen_keys: set[str] = set()
    new_groups, new_keys, new_entities = set(seed_groups), set(seed_keys), set(seed_entities)

    def reach(keys: set[str]) -> None:
        stack = list(keys)
        while stack:
            key = stack.pop()
            if key.startswith(canonical.LINKING) and key not in seen_keys:
                new_keys.add(key)
            for hub in hubs.get(key, ()):
                if hub not in active:  # and the entries sharing a name with it
                    active.add(hub)
                    new_keys.update(hub_keys[hub] - seen_keys)
                    stack.extend(hub_keys[hub])

    reach(reached_keys | seed_keys)
    while new_groups or new_keys or new_entities:
        keys, new_keys = new_keys - seen_keys, set()
        seen_keys |= keys
        new_groups |= derived.groups_with_keys(db, keys) if keys else set()
        found_entities, new_entities = new_entities - entities, set()
        entities |= found_entities
        if found_entities:
            new_groups |= derived.groups_of_entities(db, found_entities)
        added, new_groups = new_groups - groups, set()
        if not added:
            continue
        groups |= added
        reach({key for _, key in derived.keys_of_groups(db, added)})
        new_entities |= derived.entities_of_groups(db, added) - entities
    return groups, entities


def reapply(store: Store, corrections: Corrections,
            touched: set[int] | None = None) -> ReapplySummary | None:
    """Rebuild what changed since the last reapply; None when only a full
    rebuild can (nothing written then). ``touched`` receives the documents
    stored since, and those whose mentions' entities were rebuilt: the rows
    derived from those entities (law actions) follow them there alone."""
    touched = set() if touched is None else touched
    from policycorpus.corpus.reapply import (
        Scope,
        load_groups,
        remembered_facts_for,
        write,
    )

    db = store.db
    previous = store.get_meta("corrections_entries")
    if (store.get_meta("corpus_keys") != "complete" or not previous
            or store.get_meta("facts_data_hash") != data_hash()):
        return None
    changed = _changed(json.loads(previous), corrections)
    if changed is None:
        return None
    pending = derived.pending_documents(db)
    touched.update(pending)
    added = load_groups(store, derived.groups_of_documents(db, pending))  # facts computed
    if derived.groups_without_facts(db):  # rows older than migration 5
        return None
    derived.write_keys(db, ((g.id, key) for g in added for key in sorted(canonical.link_keys(g))))
    dirty = derived.dirty_keys(db)
    reached = {k for k in dirty if k[:2] not in ("e:", "x:")}
    # x:ID, written by ingests of earlier versions: an entity to rebuild
    seed_entities = {int(k[2:]) for k in dirty if k[:2] in ("e:", "x:")}
    seed_keys = {p + k for _kind, entry in changed for k in _name_keys(entry)
                 for p in ("n:", "s:")}
    left = [_Left(*row) for row in derived.left_groups(db)]
    derived.clear_changes(db)
    summary = ReapplySummary(full=False, entities=derived.count_entities(db))
    if not (added or seed_keys or reached or seed_entities):
        return summary
    leaves: dict[int, set[str]] = {}
    if not changed and seed_entities <= {g.entity_id for g in left}:
        unsettled = {int(k[2:]) for k in dirty if k.startswith("x:")}
        leaves = _leaves(store, left, corrections, unsettled)
        # what stays reached: the keys and entities of the other groups left
        # (and keys no recorded group had, from deletions before corpus_left)
        recorded = {key for g in left for key in g.keys}
        others = [g for g in left if g.entity_id not in leaves]
        reached = ({k for k in reached if k not in recorded}
                   | {key for g in others for key in g.keys})
        seed_entities -= set(leaves) - {g.entity_id for g in others}
    joins = {} if changed else _joins(store, added, corrections, seed_entities)
    groups, entities = closure(store, {g.id for g in added if g.id not in joins}, seed_keys,
                               reached, seed_entities, corrections)
    joins = {gid: join for gid, join in joins.items() if gid not in groups}
    written = summary
    if groups or entities:
        loaded = load_groups(store, groups)
        result = canonical.build(loaded, corrections, remembered_facts_for(store))
        scope = Scope(groups, entities, derived.documents_of_groups(db, groups))
        touched.update(scope.documents)
        written = write(store, result, scope)  # type: ignore[assignment]
        if written is None:
            return None
        tags = tuple(canonical.entry_tag(k, e) + ":" for k, e in changed)
        written.warnings = [w for w in result.warnings if w.startswith(tags)] if tags else []
    _write_joins(store, [g for g in added if g.id in joins], joins)
    _write_leaves(store, {eid: aliases for eid, aliases in leaves.items()
                          if eid not in entities})
    written.full = False
    written.groups = len(groups) + len(joins) + sum(
        1 for g in left if g.entity_id in leaves and g.entity_id not in entities)
    written.entities = derived.count_entities(db)
    return written


def _joins(store: Store, added: list[canonical.DocumentGroup], corrections: Corrections,
           unsettled: set[int]) -> dict[int, tuple[int, str, str]]:
    """The new groups that join the entity of their type and name without
    changing any of its decisions (its type, name, level, jurisdiction, law key,
    link rules): group id -> (entity id, level, jurisdiction) of that entity.

    Such a group is rebuilt alone with SQL instead of with every group of a
    frequent entity. The entity must have existed at the last reapply and be
    untouched since (not in ``unsettled``); no correction may name the group;
    the group has the entity's type and name (a person's full name), no
    public record or the entity's own, and facts that are empty or the
    entity's own (a law: its own, and no other law by its title in its
    jurisdiction).
    """
    db = store.db
    watermark = int(store.get_meta("entities_watermark") or 0)
    blocked = {p + k for _kind, entry in _entries(corrections) for k in _name_keys(entry)
               for p in ("n:", "s:")}
    titled: dict[str, set[str]] = {}  # t: key -> the law keys of its groups
    found = derived.entities_by_identity(db, ((g.type, g.name) for g in added))
    rows = derived.entity_rows(db, set(found.values()))
    out: dict[int, tuple[int, str, str]] = {}
    for g in added:
        eid = found.get((g.type, g.name))
        if eid is None or eid > watermark or eid in unsettled or eid not in rows:
            continue
        type_, name, level, jurisdiction, law_key, correction, record = rows[eid]
        facts = g.facts
        if (correction or facts is None or g.type != type_ or " ".join(g.name.split()) != name
                # a public record links every group confirmed against it: the
                # entity must be that record's already
                or (g.officeholder_id and g.officeholder_id != record)
                or (type_ in PEOPLE and len(name.split()) < 2)
                or (type_ == "law" and ((facts.level, facts.jurisdiction, facts.law_key)
                                        != (level, jurisdiction, law_key)
                                        or not _one_law_titled(store, g, law_key, titled)))
                or (type_ in ("agency", "official") and (facts.level or facts.jurisdiction)
                    and (facts.level, facts.jurisdiction) != (level, jurisdiction))
                or any(k in blocked for k in canonical.link_keys(g))):
            continue
        out[g.id] = (eid, level, jurisdiction)
    return out


def _one_law_titled(store: Store, g: canonical.DocumentGroup, law_key: str,
                    titled: dict[str, set[str]]) -> bool:
    """Whether every group with ``g``'s law title in its jurisdiction (its ``t:``
    key, ``g`` included) has ``law_key`` or none: then ``g`` cannot tie that
    title to another law, nor be tied to one (``canonical._cluster_by_name``).
    Adding a fact the entity already has to the most frequent one keeps every
    decision about it."""
    title = next(k for k in canonical.link_keys(g) if k.startswith("t:"))
    if title not in titled:
        titled[title] = derived.law_keys_of(store.db, title)
    return titled[title] <= {law_key, ""}


def _write_joins(store: Store, joined: list[canonical.DocumentGroup],
                 joins: dict[int, tuple[int, str, str]]) -> None:
    """Write what a full rebuild would for groups that join an entity unchanged:
    their mentions (link rule "name"), the aliases they add, their roles, their
    documents' entity ids and quotes."""
    from policycorpus.corpus.reapply import alias_rows

    if not joined:
        return
    index: dict[int, int] = {}  # entity id -> its index in the plan
    plan = derived.EntityPlan(documents={g.document_id for g in joined})
    roles: dict[tuple[int, int], dict[tuple[str, str], tuple[object, ...]]] = {}
    for g in joined:
        eid = joins[g.id][0]
        if eid not in index:
            index[eid] = len(plan.entities)
            plan.entities.append((eid, None))
        i = index[eid]
        plan.added.extend((i, "name", "", m.id) for m in g.mentions)
        plan.aliases.extend(alias_rows(i, [g.name, *(m.text for m in g.mentions)]))
        rows = roles.setdefault((eid, g.document_id), {})
        if g.type == "official" and g.role and g.facts is not None:
            rows.setdefault((g.role, g.org), (i, g.document_id, g.role, g.org, g.facts.level,
                                              g.facts.jurisdiction, ""))
    plan.roles = [row for rows in roles.values() for row in rows.values()]
    derived.write_entities(store.db, plan)


@dataclass
class _Left:
    """A group deleted since the last reapply, as ``derived.left_groups`` gives it."""

    id: int
    entity_id: int | None
    type: str
    name: str
    level: str
    jurisdiction: str
    law_key: str
    officeholder_id: str
    role: str
    keys: list[str]
    surfaces: list[str]

    def count(self) -> canonical.GroupCount:
        return canonical.GroupCount(self.id, self.type, " ".join(self.name.split()), self.level,
                                    self.jurisdiction, self.law_key)


def _leaves(store: Store, left: list[_Left], corrections: Corrections,
            unsettled: set[int]) -> dict[int, set[str]]:
    """The entities that the deleted groups (``left``) leave without changing any
    of their decisions, the mirror of ``_joins``: entity id -> the aliases only
    those groups carried (to delete).

    Then the groups are taken out with SQL (their documents' rows are gone
    already) instead of rebuilding every group of a frequent entity. The
    entity must have existed at the last reapply and be untouched since, and
    no correction may name it, its mentions or the groups. Each group leaves
    a twin in the entity (same type, name, facts and public record: the same
    link keys, so no other entity can tell it went), does not tie a law's
    title to a number, is no person with a role (whose place would be looked up)
    nor, for an official placed by its roles, a role with a place; the entity's
    type, name, level, jurisdiction and law key counted without the groups
    are those counted with them; an agency keeps every alias (they choose its
    Federal Register slug).
    """
    db = store.db
    watermark = int(store.get_meta("entities_watermark") or 0)
    blocked = {p + k for _kind, entry in _entries(corrections) for k in _name_keys(entry)
               for p in ("n:", "s:")}
    by_entity: dict[int, list[_Left]] = {}
    for g in left:
        if g.entity_id is not None:
            by_entity.setdefault(g.entity_id, []).append(g)
    rows = derived.entity_rows(db, set(by_entity))
    out: dict[int, set[str]] = {}
    for eid, gone in by_entity.items():
        if eid > watermark or eid in unsettled or eid not in rows or rows[eid][5]:
            continue
        type_, name = rows[eid][0], rows[eid][1]
        if any(k in blocked for g in gone for k in g.keys) or any(
                canonical.maps_title(g.type, g.name, g.law_key)
                or (g.role and g.type != "official") for g in gone):
            continue
        if not (corrections.merges or corrections.aliases) and not any(
                g.level or g.jurisdiction or g.law_key for g in gone):
            if _leaves_plainly(db, eid, type_, name, gone):
                out[eid] = set()
                continue
        profile = derived.entity_profile(db, eid)
        if any(r[9] for r in profile):  # a correction moved some of its mentions
            continue
        now = [canonical.GroupCount(r[0], r[1], " ".join(r[2].split()), *r[3:6], count=r[8])
               for r in profile]
        twins = {(c.type, c.name, c.level, c.jurisdiction, c.law_key, r[6])
                 for c, r in zip(now, profile)}
        if any((g.type, *astuple(g.count())[2:6], g.officeholder_id) not in twins
               for g in gone):
            continue
        after = canonical.counted_decisions(now)
        before = canonical.counted_decisions(now + [g.count() for g in gone])
        if after is None or after != before or after[1] != name or after[0] != type_:
            continue
        if type_ == "official" and not after[3] and any(
                g.role and (g.level or g.jurisdiction) for g in gone):
            continue  # its place comes from its roles' places, some of which went
        carried = {name, *(c.name for c in now)}
        carried |= {" ".join(t.split()) for t in derived.entity_surfaces(db, eid)}
        surfaces = {" ".join(t.split()) for g in gone for t in (g.name, *g.surfaces)}
        unsupported = surfaces - carried
        if type_ == "agency" and unsupported:
            continue
        out[eid] = unsupported
    return out


def _leaves_plainly(db: Any, eid: int, type_: str, name: str, gone: list[_Left]) -> bool:
    """Whether groups without facts leave an entity unchanged, decided without
    counting its groups (``_leaves`` counts them all: a frequent entity has
    hundreds of thousands): its name wins whatever the counts (the groups do
    not carry it, or it is a person's only fullest name or a law's only
    title among the entity's aliases, which hold every group's name), each
    group has an exact twin (found through the name's link key), and every
    surface the groups carried is carried by a remaining mention."""
    if any(" ".join(g.name.split()) == name for g in gone):
        others = derived.entity_aliases(db, eid) - {name}
        if type_ in PEOPLE:
            if any(len(a.split()) >= len(name.split()) for a in others):
                return False
        elif type_ == "law":
            if canonical.is_citation(name) or any(not canonical.is_citation(a) for a in others):
                return False
        elif others:
            return False
    for g in gone:
        if not derived.has_twin(db, eid, "n:" + canonical._key(g.name), g.type, g.name,
                                g.officeholder_id):
            return False
    raw = {t for g in gone for t in g.surfaces}
    return all(derived.entity_has_text(db, eid, t) for t in sorted(raw))


def _write_leaves(store: Store, leaves: dict[int, set[str]]) -> None:
    """Write what a full rebuild would for entities that groups left unchanged:
    only the aliases no remaining mention carries go (the groups' documents,
    mentions and roles went with their document)."""
    for eid, aliases in leaves.items():
        derived.delete_aliases(store.db, eid, sorted(aliases))


def groups_between(store: Store, before: Corrections, after: Corrections) -> set[int] | None:
    """The groups whose decisions can differ between two sets of corrections
    (for a preview of a correction), or None when the keys are not recorded or
    documents await a reapply (then every group)."""
    db = store.db
    if (store.get_meta("corpus_keys") != "complete" or derived.pending_documents(db)
            or derived.dirty_keys(db)):
        return None
    old = {_entry_json(k, e) for k, e in _entries(before)}
    new = {_entry_json(k, e) for k, e in _entries(after)}
    changed = [e for k, e in _entries(before) if _entry_json(k, e) not in new]
    changed += [e for k, e in _entries(after) if _entry_json(k, e) not in old]
    keys = {p + k for entry in changed for k in _name_keys(entry) for p in ("n:", "s:")}
    both = Corrections(*(list(getattr(before, a)) + list(getattr(after, a)) for a in (
        "merges", "aliases", "ignores", "retypes", "roles")))
    return closure(store, set(), keys, set(), set(), both)[0]
