"""The corpus-level layer: from what the pipeline extracted per document to the
corpus's entities, as a pure function of those rows, ``models/`` and the
corrections file. No database, no spaCy: ``reapply`` feeds it and writes its
result.

Steps, in order:

1. ``ignore``: drop mentions whose surface is ignored, and whole per-document
   entities whose name is;
2. one entity per (type, name), names compared by their lookup key; laws by
   their key (``US-CA SB 54``), a title joining the number the gazetteer or
   another document ties it to;
3. cross-document linking of people: a person named like an official is that
   official; a one-word name that is the surname of exactly one full name in
   the corpus is that person;
4. corrections: ``merge``, ``alias``, ``retype``, ``role``, each naming
   entities by their name, else by any surface form;
5. knowledge: level and jurisdiction of agencies and officials, law keys,
   taken from the per-document facts (computed when missing).

Every mention keeps why it belongs to its entity: ``link_rule`` (name,
official-name, surname, law-key, correction) and the corrections that moved
it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from policycorpus.corpus.corrections import Corrections
from policycorpus.corpus.facts import Facts
from policycorpus.corpus.lawkeys import citation
from policycorpus.entity_types import PEOPLE
from policycorpus.names import alias_key

_key = lru_cache(maxsize=200_000)(alias_key)  # surfaces repeat across a corpus


@dataclass
class Mention:
    """An extracted mention (the fields the corpus layer needs)."""

    id: int
    text: str


@dataclass
class DocumentGroup:
    """An entity as the pipeline saw it in one document, with its mentions."""

    id: int
    document_id: int
    document: str
    type: str
    name: str
    role: str = ""
    org: str = ""
    facts: Facts | None = None  # None: not computed (rows older than the facts)
    mentions: list[Mention] = field(default_factory=list)
    officeholder_id: str = ""  # the public record the pipeline confirmed (issue 15)


@dataclass
class EntityOut:
    """An entity of the corpus as the layer decides it."""

    type: str
    name: str
    level: str = ""
    jurisdiction: str = ""
    law_key: str = ""
    officeholder_id: str = ""  # the public record its people were confirmed against
    aliases: set[str] = field(default_factory=set)
    corrections: list[str] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)


@dataclass
class RoleOut:
    """An official's title in one document."""

    entity: int
    document_id: int
    title: str
    org: str
    level: str = ""
    jurisdiction: str = ""
    correction: str = ""


@dataclass
class Result:
    """Entities, the entity of each mention, roles, and what was ignored."""

    entities: list[EntityOut] = field(default_factory=list)
    mention_entity: dict[int, int] = field(default_factory=dict)
    link_rule: dict[int, str] = field(default_factory=dict)
    mention_corrections: dict[int, str] = field(default_factory=dict)
    ignored: dict[int, str] = field(default_factory=dict)
    roles: list[RoleOut] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# Knowledge the layer asks for when a per-document fact is missing or a
# correction changed a name or type: (type, name, role, org) -> Facts.
FactsFor = Callable[[str, str, str, str], Facts]


class _Clusters:
    """Union-find over groups, with per-cluster overrides from corrections."""

    def __init__(self, groups: list[DocumentGroup]) -> None:
        self.parent = {g.id: g.id for g in groups}
        self.type: dict[int, str] = {}
        self.name: dict[int, str] = {}
        self.role: dict[int, list[tuple[str, str, str, str]]] = {}
        self.tags: dict[int, list[str]] = {}   # cluster-wide correction tags
        self.aliases: dict[int, set[str]] = {}

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, keep: int, other: int) -> int:
        a, b = self.find(keep), self.find(other)
        if a == b:
            return a
        self.parent[b] = a
        for attr in (self.type, self.name):
            if b in attr:
                attr.setdefault(a, attr.pop(b))
        for attr in (self.role, self.tags):
            if b in attr:
                attr.setdefault(a, []).extend(attr.pop(b))
        if b in self.aliases:
            self.aliases.setdefault(a, set()).update(self.aliases.pop(b))
        return a


def is_citation(name: str) -> bool:
    """Is a law's name a bill number or code citation ("SB 54") rather than a title?"""
    return bool(citation(name)[0])


_is_citation = is_citation


def _is_citation_key(law_key: str) -> bool:
    """Is a law key made from a number ("US-CA SB 54") rather than a title?"""
    words = law_key.split()
    return any(_is_citation(" ".join(words[-n:])) for n in (2, 3, 4) if len(words) > n)


def build(groups: list[DocumentGroup], corrections: Corrections, facts_for: FactsFor) -> Result:
    """Decide the corpus's entities from the extracted ``groups``."""
    result = Result()
    groups = _apply_ignores(groups, corrections, result)
    clusters = _Clusters(groups)
    group_tags: dict[int, list[str]] = defaultdict(list)
    _cluster_by_name(groups, clusters)
    _link_people(groups, clusters)
    _apply_corrections(groups, clusters, corrections, group_tags, result)
    members: dict[int, list[DocumentGroup]] = defaultdict(list)
    for g in groups:
        members[clusters.find(g.id)].append(g)
    _merge_same_identity(members, clusters, group_tags)
    members = defaultdict(list)
    for g in groups:
        members[clusters.find(g.id)].append(g)
    law_names = _law_display_names(members, clusters)
    for root, items in sorted(members.items(), key=lambda kv: min(g.id for g in kv[1])):
        entity = _entity(root, items, clusters, facts_for, law_names)
        index = len(result.entities)
        result.entities.append(entity)
        for g in items:
            rule = _link_rule(g, entity, group_tags[g.id])
            tags = "; ".join(dict.fromkeys([*clusters.tags.get(root, []), *group_tags[g.id]]))
            for m in g.mentions:
                result.mention_entity[m.id] = index
                result.link_rule[m.id] = rule
                if tags:
                    result.mention_corrections[m.id] = tags
        result.roles.extend(_roles(index, entity, items, clusters.role.get(root, []), facts_for))
    return result


# -- 1. ignore ---------------------------------------------------------------------


def _apply_ignores(groups: list[DocumentGroup], corrections: Corrections,
                   result: Result) -> list[DocumentGroup]:
    ignores = [(_key(i.name), i.type, f"ignore: {i.name}") for i in corrections.ignores]
    if not ignores:
        return groups
    kept = []
    used: set[str] = set()
    for g in groups:
        whole = next((tag for key, type_, tag in ignores
                      if key == _key(g.name) and _type_matches(g.type, type_)), None)
        mentions = []
        for m in g.mentions:
            tag = whole or next((tag for key, type_, tag in ignores
                                 if key == _key(m.text) and _type_matches(g.type, type_)),
                                None)
            if tag:
                result.ignored[m.id] = tag
                used.add(tag)
            else:
                mentions.append(m)
        if mentions:
            kept.append(replace(g, mentions=mentions) if len(mentions) < len(g.mentions) else g)
    for _ignored_key, _ignored_type, tag in ignores:
        if tag not in used:
            result.warnings.append(f"{tag}: no mention has this name")
    return kept


def _type_matches(actual: str, wanted: str) -> bool:
    if not wanted:
        return True
    if wanted in PEOPLE:
        return actual in PEOPLE
    return actual == wanted


# -- 2, 3. names, law keys, people -----------------------------------------------------


def _identity(g: DocumentGroup) -> tuple[str, str]:
    if g.type == "law" and g.facts is not None and g.facts.law_key:
        return ("law", g.facts.law_key)
    return ("people" if g.type in PEOPLE else g.type, _key(g.name))


def _cluster_by_name(groups: list[DocumentGroup], clusters: _Clusters) -> None:
    # a law's title joins the number it is tied to elsewhere (same jurisdiction)
    title_keys: dict[tuple[str, str], str] = {}
    for g in groups:
        if g.type == "law" and g.facts is not None and g.facts.law_key and \
                not _is_citation(g.name) and _is_citation_key(g.facts.law_key):
            title_keys[(g.facts.jurisdiction, _key(g.name))] = g.facts.law_key
    first: dict[tuple[str, str], int] = {}
    for g in groups:
        identity = _identity(g)
        if g.type == "law" and g.facts is not None:
            mapped = title_keys.get((g.facts.jurisdiction, _key(g.name)))
            if mapped:
                identity = ("law", mapped)
        if identity in first:
            clusters.union(first[identity], g.id)
        else:
            first[identity] = g.id


def _link_people(groups: list[DocumentGroup], clusters: _Clusters) -> None:
    people = [g for g in groups if g.type in PEOPLE]
    by_record: dict[str, int] = {}
    for g in people:  # one public record, one person: "Gov. Diaz" and "Ana B. Diaz"
        if g.officeholder_id:
            if g.officeholder_id in by_record:
                clusters.union(by_record[g.officeholder_id], g.id)
            else:
                by_record[g.officeholder_id] = g.id
    roots_by_surname: dict[str, set[int]] = defaultdict(set)
    for g in people:
        words = g.name.split()
        if len(words) >= 2:
            roots_by_surname[_key(words[-1])].add(clusters.find(g.id))
    for g in people:
        if len(g.name.split()) != 1:
            continue
        roots = {clusters.find(r) for r in roots_by_surname.get(_key(g.name), set())}
        if len(roots) == 1:
            clusters.union(roots.pop(), g.id)


# -- 4. corrections -----------------------------------------------------------------------


class _Index:
    """Find clusters by a name: the names of per-document entities (and names
    given by corrections) first, then any surface form or alias."""

    def __init__(self, groups: list[DocumentGroup], clusters: _Clusters) -> None:
        self.groups = {g.id: g for g in groups}
        self.clusters = clusters
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_surface: dict[str, list[int]] = defaultdict(list)
        for g in groups:
            self.by_name[_key(g.name)].append(g.id)
            for surface in {_key(m.text) for m in g.mentions}:
                self.by_surface[surface].append(g.id)

    def find(self, name: str, type_: str = "") -> set[int]:
        key = _key(name)
        named = {self.clusters.find(i) for i in self.by_name.get(key, [])}
        named |= {self.clusters.find(r) for r, n in list(self.clusters.name.items())
                  if _key(n) == key}
        found = {r for r in named if _type_matches(self.type_of(r), type_)}
        if found:
            return found
        surfaced = {self.clusters.find(i) for i in self.by_surface.get(key, [])}
        surfaced |= {self.clusters.find(r) for r, aliases in list(self.clusters.aliases.items())
                     if key in {_key(a) for a in aliases}}
        return {r for r in surfaced if _type_matches(self.type_of(r), type_)}

    def type_of(self, root: int) -> str:
        root = self.clusters.find(root)
        if root in self.clusters.type:
            return self.clusters.type[root]
        return self.groups[root].type


def _apply_corrections(groups: list[DocumentGroup], clusters: _Clusters, corrections: Corrections,
                       group_tags: dict[int, list[str]], result: Result) -> None:
    index = _Index(groups, clusters)
    for merge in corrections.merges:
        tag = f"merge: {' + '.join(merge.names)} -> {merge.into}"
        roots = set(index.find(merge.into, merge.type))
        for name in merge.names:
            found = index.find(name, merge.type)
            if not found:
                result.warnings.append(f"{tag}: no entity named {name!r}")
            roots |= found
        if not roots:
            continue
        ordered = sorted(roots)
        keep = ordered[0]
        for other in ordered[1:]:
            keep = clusters.union(keep, other)
        keep = clusters.find(keep)
        clusters.name[keep] = merge.into
        if merge.type:
            clusters.type[keep] = merge.type
        for name in merge.names:
            for gid in [*index.by_name.get(_key(name), []), *index.by_surface.get(_key(name), [])]:
                if clusters.find(gid) == keep and tag not in group_tags[gid]:
                    group_tags[gid].append(tag)
    for alias in corrections.aliases:
        tag = f"alias: {', '.join(alias.aliases)} -> {alias.name}"
        roots = index.find(alias.name, alias.type)
        if not roots:
            result.warnings.append(f"{tag}: no entity named {alias.name!r}")
            continue
        target = clusters.find(min(roots))
        clusters.aliases.setdefault(target, set()).update(alias.aliases)
        target_type = index.type_of(target)
        keys = {_key(a) for a in alias.aliases}
        for key in keys:
            for gid in index.by_name.get(key, []):
                if clusters.find(gid) != clusters.find(target) and \
                        _type_matches(index.type_of(gid), target_type):
                    target = clusters.union(target, gid)
                    group_tags[gid].append(tag)
            for gid in index.by_surface.get(key, []):
                if clusters.find(gid) == clusters.find(target) and tag not in group_tags[gid]:
                    group_tags[gid].append(tag)
    for retype in corrections.retypes:
        tag = f"retype: {retype.name} -> {retype.to}"
        roots = index.find(retype.name, retype.from_)
        if not roots:
            result.warnings.append(f"{tag}: no entity named {retype.name!r}")
        for root in roots:
            root = clusters.find(root)
            clusters.type[root] = retype.to
            clusters.tags.setdefault(root, []).append(tag)
    for role in corrections.roles:
        tag = f"role: {role.name} is {role.title}" + (f" of {role.org}" if role.org else "")
        roots = index.find(role.name, role.type or "official")
        if not roots:
            result.warnings.append(f"{tag}: no official or person named {role.name!r}")
        for root in roots:
            root = clusters.find(root)
            clusters.type[root] = "official"
            clusters.role.setdefault(root, []).append((role.title, role.org, role.document, tag))
            clusters.tags.setdefault(root, []).append(tag)


def _merge_same_identity(members: dict[int, list[DocumentGroup]], clusters: _Clusters,
                         group_tags: dict[int, list[str]]) -> None:
    """After corrections, clusters that became the same (type, name) are one
    entity (laws: the same key)."""
    seen: dict[tuple[str, str], int] = {}
    for root, items in sorted(members.items()):
        type_ = _cluster_type(root, items, clusters)
        if type_ == "law":
            keys = [g.facts.law_key for g in items if g.facts is not None and g.facts.law_key]
            identity = ("law", Counter(keys).most_common(1)[0][0] if keys
                        else _key(_cluster_name(root, items, clusters, type_)))
        else:
            identity = (type_, _key(_cluster_name(root, items, clusters, type_)))
        if identity in seen:
            clusters.union(seen[identity], root)
        else:
            seen[identity] = root


# -- 5. the entity -------------------------------------------------------------------------


def choose_type(types: Counter[str]) -> str:
    """A cluster's type from its groups' types (counted in group order)."""
    if "official" in types:
        return "official"
    return types.most_common(1)[0][0]


def choose_name(type_: str, names: Counter[str]) -> str:
    """A cluster's name from its groups' names (counted in group order): a
    person's fullest, else the most frequent (a law's title before its number)."""
    if type_ in PEOPLE:
        return max(names, key=lambda n: (len(n.split()), names[n], len(n)))
    if type_ == "law":
        titled = Counter({n: c for n, c in names.items() if not _is_citation(n)})
        names = titled or names
    return max(names, key=lambda n: (names[n], len(n), n))


def choose_place(known: Counter[tuple[str, str]]) -> tuple[str, str]:
    """(level, jurisdiction) named most often; a named jurisdiction over a bare level."""
    return max(known, key=lambda k: (bool(k[1]), known[k]))


def _cluster_type(root: int, items: list[DocumentGroup], clusters: _Clusters) -> str:
    if root in clusters.type:
        return clusters.type[root]
    return choose_type(Counter(g.type for g in items))


def _cluster_name(root: int, items: list[DocumentGroup], clusters: _Clusters, type_: str) -> str:
    if root in clusters.name:
        return clusters.name[root]
    return choose_name(type_, Counter(" ".join(g.name.split()) for g in items))


def _law_display_names(members: dict[int, list[DocumentGroup]],
                       clusters: _Clusters) -> dict[int, str]:
    """Law names, with the jurisdiction added where two laws would share one
    ("SB 4 (Texas)", "SB 4 (Georgia)")."""
    names: dict[int, str] = {}
    by_name: dict[str, list[int]] = defaultdict(list)
    for root, items in members.items():
        if _cluster_type(root, items, clusters) == "law":
            names[root] = _cluster_name(root, items, clusters, "law")
            by_name[_key(names[root])].append(root)
    for roots in by_name.values():
        if len(roots) < 2:
            continue
        for root in roots:
            jurisdictions = Counter(g.facts.jurisdiction for g in members[root]
                                    if g.facts is not None and g.facts.jurisdiction)
            if jurisdictions:
                names[root] = f"{names[root]} ({jurisdictions.most_common(1)[0][0]})"
    return names


def _entity(root: int, items: list[DocumentGroup], clusters: _Clusters, facts_for: FactsFor,
            law_names: dict[int, str]) -> EntityOut:
    type_ = _cluster_type(root, items, clusters)
    name = law_names.get(root) or _cluster_name(root, items, clusters, type_)
    entity = EntityOut(type_, name, groups=[g.id for g in items],
                       officeholder_id=max((g.officeholder_id for g in items), default=""))
    same_type = [g.facts for g in items if g.facts is not None and
                 (g.type == type_ or (type_ in PEOPLE and g.type in PEOPLE))]
    if type_ in ("agency", "official", "law"):
        known = Counter((f.level, f.jurisdiction) for f in same_type if f.level or f.jurisdiction)
        if type_ == "agency" and (root in clusters.name or not same_type):
            facts = facts_for("agency", name, "", "")
            known = Counter({(facts.level, facts.jurisdiction): 1}) if facts.level else known
        if type_ == "law" and not same_type:
            facts = facts_for("law", name, "", "")
            entity.law_key = facts.law_key
            known = Counter({(facts.level, facts.jurisdiction): 1})
        if known:
            (entity.level, entity.jurisdiction) = choose_place(known)
        if type_ == "law" and not entity.law_key:
            keys = Counter(f.law_key for f in same_type if f.law_key)
            entity.law_key = keys.most_common(1)[0][0] if keys else ""
    entity.aliases = {name, *clusters.aliases.get(root, set())}
    for g in items:
        entity.aliases.add(" ".join(g.name.split()))
        entity.aliases.update(" ".join(m.text.split()) for m in g.mentions)
    entity.corrections = list(dict.fromkeys(clusters.tags.get(root, [])))
    return entity


def _link_rule(g: DocumentGroup, entity: EntityOut, tags: list[str]) -> str:
    if tags:
        return "correction"
    if _key(g.name) == _key(entity.name):
        return "official-name" if g.type == "person" and entity.type == "official" else "name"
    if entity.type == "law":
        return "law-key"
    if g.officeholder_id and entity.type in PEOPLE:
        return "officeholder"
    if entity.type in PEOPLE and len(g.name.split()) == 1:
        return "surname"
    return "name"


def _roles(index: int, entity: EntityOut, items: list[DocumentGroup],
           overrides: list[tuple[str, str, str, str]], facts_for: FactsFor) -> list[RoleOut]:
    if entity.type != "official":
        return []
    rows: dict[int, list[RoleOut]] = defaultdict(list)
    for g in items:
        if g.role:
            facts = g.facts if g.facts is not None and g.type == "official" else \
                facts_for("official", entity.name, g.role, g.org)
            row = RoleOut(index, g.document_id, g.role, g.org, facts.level, facts.jurisdiction)
            if all((r.title, r.org) != (row.title, row.org) for r in rows[g.document_id]):
                rows[g.document_id].append(row)
    documents = {g.document_id: g.document for g in items}
    for title, org, document, tag in overrides:
        facts = facts_for("official", entity.name, title, org)
        if facts.level or facts.jurisdiction:
            entity.level, entity.jurisdiction = facts.level, facts.jurisdiction
        for doc_id, path in documents.items():
            if document and path != document:
                continue
            rows[doc_id] = [RoleOut(index, doc_id, title, org, facts.level, facts.jurisdiction,
                                    tag)]
    out = [row for doc_rows in rows.values() for row in doc_rows]
    if out and not entity.jurisdiction:
        known = Counter((r.level, r.jurisdiction) for r in out if r.level or r.jurisdiction)
        if known:
            entity.level, entity.jurisdiction = choose_place(known)
    return out


# -- decisions from counts (the incremental corpus layer) ------------------------------


@dataclass(frozen=True)
class GroupCount:
    """Groups of one cluster alike in what ``build`` counts: type, name (spaces
    collapsed), facts; ``first`` is the id of the first of them, ``count`` how many."""

    first: int
    type: str
    name: str
    level: str
    jurisdiction: str
    law_key: str
    count: int = 1


def counted_decisions(rows: list[GroupCount]) -> tuple[str, ...] | None:
    """What ``build`` decides from the counts of a cluster of groups that no
    correction touches: (type, name, level, jurisdiction, law key, the law's
    jurisdiction named most often). None when it would ask for knowledge
    beyond the groups (no group of the cluster's type). The level and
    jurisdiction of an official without one from its groups come from its
    roles, which these counts do not include."""
    rows = sorted(rows, key=lambda r: r.first)  # Counters keep the order of first sight
    types: Counter[str] = Counter()
    names: Counter[str] = Counter()
    for r in rows:
        types[r.type] += r.count
        names[r.name] += r.count
    type_ = choose_type(types)
    same = [r for r in rows if r.type == type_ or (type_ in PEOPLE and r.type in PEOPLE)]
    if not same:
        return None
    known: Counter[tuple[str, str]] = Counter()
    law_keys: Counter[str] = Counter()
    for r in same:
        if r.level or r.jurisdiction:
            known[(r.level, r.jurisdiction)] += r.count
        if r.law_key:
            law_keys[r.law_key] += r.count
    level, jurisdiction = choose_place(known) if known and type_ in (
        "agency", "official", "law") else ("", "")
    law_key = law_keys.most_common(1)[0][0] if type_ == "law" and law_keys else ""
    places: Counter[str] = Counter()
    for r in rows:
        if type_ == "law" and r.jurisdiction:
            places[r.jurisdiction] += r.count
    shown = places.most_common(1)[0][0] if places else ""
    return (type_, choose_name(type_, names), level, jurisdiction, law_key, shown)


def maps_title(type_: str, name: str, law_key: str) -> bool:
    """Whether a group ties a law's title to a number (``build`` lets other
    groups with that title in that jurisdiction join the number)."""
    return type_ == "law" and bool(law_key) and not _is_citation(name) \
        and _is_citation_key(law_key)


# -- what links groups (the incremental corpus layer) ----------------------------------

#: Key prefixes through which two groups' decisions interact: the name key (any
#: type), a law key, a law title in its jurisdiction, a surname. ``s:`` (a
#: mention's surface key) links a group only to corrections that name it.
LINKING = ("n:", "l:", "t:", "p:", "o:")


def link_keys(g: DocumentGroup) -> set[str]:
    """The keys through which ``build``'s decisions about ``g`` can depend on other
    groups or on a correction: groups that share no key (directly or through a
    chain of groups or corrections) are decided independently."""
    keys = {"n:" + _key(g.name)}
    keys.update("s:" + _key(m.text) for m in g.mentions)
    if g.type == "law" and g.facts is not None:
        if g.facts.law_key:
            keys.add("l:" + g.facts.law_key)
        keys.add(f"t:{g.facts.jurisdiction}|{_key(g.name)}")
    if g.type in PEOPLE:
        words = g.name.split()
        if words:
            keys.add("p:" + _key(words[-1]))
    if g.officeholder_id:  # people confirmed against one public record are one entity
        keys.add("o:" + g.officeholder_id)
    return keys


def entry_names(entry: object) -> list[str]:
    """Every name a correction entry finds entities by."""
    names = [getattr(entry, a) for a in ("into", "name") if hasattr(entry, a)]
    for attr in ("names", "aliases"):
        names.extend(getattr(entry, attr, ()))
    return names


def entry_tag(kind: str, entry: object) -> str:
    """The tag ``build`` gives a correction entry (its warnings start with it)."""
    e: object = entry
    if kind == "merge":
        return f"merge: {' + '.join(e.names)} -> {e.into}"  # type: ignore[attr-defined]
    if kind == "alias":
        return f"alias: {', '.join(e.aliases)} -> {e.name}"  # type: ignore[attr-defined]
    if kind == "ignore":
        return f"ignore: {e.name}"  # type: ignore[attr-defined]
    if kind == "retype":
        return f"retype: {e.name} -> {e.to}"  # type: ignore[attr-defined]
    return (f"role: {e.name} is {e.title}"  # type: ignore[attr-defined]
            + (f" of {e.org}" if e.org else ""))  # type: ignore[attr-defined]
