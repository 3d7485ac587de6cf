"""Name resolution restricted to levels of government ("SB 4" at state level);
read-only, no spaCy. Entity lists by level are ``query.top_entities``."""

from __future__ import annotations

from policycorpus.pipeline.jurisdictions import expand_levels
from policycorpus.errors import AmbiguousError, NotFoundError
from policycorpus.query import reports as q
from policycorpus.store.database import Store


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
