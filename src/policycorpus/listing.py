"""Entity lists filtered by type, level of government, jurisdiction and
co-mention ("local agencies mentioned with ICE"); read-only, no spaCy."""

from __future__ import annotations

from dataclasses import dataclass

from policycorpus import query as q
from policycorpus.errors import AmbiguousError, NotFoundError, QueryError
from policycorpus.jurisdictions import LEVEL_GROUPS, LEVELS, expand_levels
from policycorpus.names import alias_key
from policycorpus.store import Store

LEVEL_CHOICES = (*LEVELS, *LEVEL_GROUPS)


@dataclass
class EntityRow:
    """An entity with its knowledge and counts (``shared``: documents shared
    with the ``with`` entity, if one was given)."""

    id: int
    type: str
    name: str
    level: str
    jurisdiction: str
    law_key: str
    documents: int
    mentions: int
    shared: int = 0


def list_entities(store: Store, *, types: tuple[str, ...] = (), levels: tuple[str, ...] = (),
                  jurisdiction: str = "", with_entity: q.Entity | None = None,
                  limit: int | None = None) -> list[EntityRow]:
    """Entities of ``types`` at ``levels`` ("local" = county and municipal) in
    ``jurisdiction``, most mentioned first; only those in documents that also
    mention ``with_entity`` when it is given, most shared documents first."""
    levels = expand_levels(levels)
    unknown = [level for level in levels if level not in LEVELS]
    if unknown:
        raise QueryError(f"unknown level {unknown[0]!r}; use one of {', '.join(LEVEL_CHOICES)}")
    where, params = ["1 = 1"], []
    if types:
        where.append(f"e.type in ({','.join('?' * len(types))})")
        params.extend(types)
    if levels:
        where.append(f"e.level in ({','.join('?' * len(levels))})")
        params.extend(levels)
    shared = "0"
    if with_entity is not None:
        shared = ("count(distinct case when m.document_id in (select document_id from mentions"
                  " where entity_id = ?) then m.document_id end)")
        where.append("e.id != ?")
        params.append(with_entity.id)
    rows = store.db.execute(
        f"""select e.id, e.type, e.name, coalesce(e.level, ''), coalesce(e.jurisdiction, ''),
                   coalesce(e.law_key, ''), count(distinct m.document_id), count(m.id), {shared}
            from entities e join mentions m on m.entity_id = e.id
            where {' and '.join(where)}
            group by e.id
            order by {'9 desc, ' if with_entity is not None else ''}8 desc, e.name""",
        ([with_entity.id] if with_entity is not None else []) + params,
    ).fetchall()
    out = [EntityRow(*row) for row in rows]
    if with_entity is not None:
        out = [row for row in out if row.shared]
    if jurisdiction:
        key = alias_key(jurisdiction)
        out = [row for row in out if alias_key(row.jurisdiction) == key]
    return out[:limit] if limit else out


def resolve_at_level(store: Store, name: str, types: tuple[str, ...], levels: tuple[str, ...],
                     entity_id: int | None = None) -> q.Entity:
    """``query.resolve`` restricted to entities at ``levels`` (all if empty):
    "SB 4" at state level, "Smith" among municipal officials."""
    if not levels:
        return q.resolve(store, name, types, entity_id)
    wanted = expand_levels(levels)
    try:
        candidates = [q.resolve(store, name, types, entity_id)]
    except AmbiguousError as exc:
        candidates = [q.resolve(store, name, types, id_) for id_, _type, _name in exc.candidates]
    keep = [e for e in candidates if e.level in wanted]
    if len(keep) == 1:
        return keep[0]
    if not keep:
        raise NotFoundError(f"no {'/'.join(types)} named {name!r} at level "
                            f"{', '.join(levels)}", [e.name for e in candidates])
    raise AmbiguousError(f"{name!r} matches {len(keep)} entities at level {', '.join(levels)};"
                         " pick one with --id", [(e.id, e.type, e.name) for e in keep])
