"""What a correction would change: the difference between two decisions of
the corpus layer, in the terms a user checks (which mentions move from which
entity to which, which are ignored, which roles and aliases change)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from policycorpus.corpus import canonical
from policycorpus.corpus.corrections import Corrections
from policycorpus.corpus.reapply import load_groups, remembered_facts_for
from policycorpus.store.database import Store


@dataclass
class Move:
    """Mentions that go from one entity to another (``after`` "" when ignored)."""

    before: str
    after: str
    mentions: int
    documents: set[str] = field(default_factory=set)


@dataclass
class Diff:
    """Every change a new set of corrections makes."""

    moves: list[Move] = field(default_factory=list)
    entities: list[tuple[str, str]] = field(default_factory=list)  # (before, after) attributes
    roles: list[tuple[str, str, str, str]] = field(default_factory=list)  # entity, doc, before, after
    aliases: list[tuple[str, str]] = field(default_factory=list)  # entity, alias added
    warnings: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.moves or self.entities or self.roles or self.aliases)


def label(entity: canonical.EntityOut) -> str:
    """"official Bill Wells"."""
    return f"{entity.type} {entity.name}"


def _attributes(entity: canonical.EntityOut) -> str:
    parts = [label(entity)]
    if entity.level or entity.jurisdiction:
        parts.append(f"[{', '.join(p for p in (entity.level, entity.jurisdiction) if p)}]")
    if entity.law_key:
        parts.append(f"key {entity.law_key}")
    return " ".join(parts)


def diff(store: Store, before: Corrections, after: Corrections) -> Diff:
    """The changes from applying ``before`` to applying ``after`` (nothing written)."""
    from policycorpus.corpus.incremental import groups_between

    groups = load_groups(store, groups_between(store, before, after))
    facts_for = remembered_facts_for(store)
    old = canonical.build(groups, before, facts_for)
    new = canonical.build(groups, after, facts_for)
    paths = {m.id: g.document for g in groups for m in g.mentions}
    out = Diff(warnings=[w for w in new.warnings if w not in old.warnings])
    moves: dict[tuple[str, str], Move] = {}
    pairs: dict[int, int] = {}
    for mid in set(old.mention_entity) | set(new.mention_entity) | set(new.ignored):
        a = old.mention_entity.get(mid)
        b = new.mention_entity.get(mid)
        before_label = label(old.entities[a]) if a is not None else "(ignored)"
        after_label = label(new.entities[b]) if b is not None else "(ignored)"
        if a is not None and b is not None:
            pairs.setdefault(b, a)
        if before_label == after_label:
            continue
        move = moves.setdefault((before_label, after_label), Move(before_label, after_label, 0))
        move.mentions += 1
        move.documents.add(paths.get(mid, ""))
    out.moves = sorted(moves.values(), key=lambda m: (-m.mentions, m.before))
    for b, a in sorted(pairs.items()):
        was, now = old.entities[a], new.entities[b]
        if label(was) == label(now) and _attributes(was) != _attributes(now):
            out.entities.append((_attributes(was), _attributes(now)))
        for alias in sorted(now.aliases - was.aliases):
            if label(was) == label(now):
                out.aliases.append((label(now), alias))
    out.roles = _role_changes(old, new, groups)
    return out


def _role_changes(old: canonical.Result, new: canonical.Result,
                  groups: list[canonical.DocumentGroup]) -> list[tuple[str, str, str, str]]:
    paths = {g.document_id: g.document for g in groups}

    def table(result: canonical.Result) -> dict[tuple[str, str], str]:
        rows: dict[tuple[str, str], list[str]] = defaultdict(list)
        for role in result.roles:
            text = role.title + (f" ({role.org})" if role.org else "")
            rows[(result.entities[role.entity].name, paths.get(role.document_id, ""))].append(text)
        return {k: "; ".join(sorted(v)) for k, v in rows.items()}

    before, after = table(old), table(new)
    return [(name, doc, before.get((name, doc), ""), after.get((name, doc), ""))
            for name, doc in sorted(set(before) | set(after))
            if before.get((name, doc), "") != after.get((name, doc), "")]
