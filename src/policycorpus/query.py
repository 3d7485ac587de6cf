"""Read-only queries over the store, returning plain dataclasses.

Nothing here prints or imports spaCy: the query commands start as fast as
click, rich and sqlite-utils allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from policycorpus.daterange import DateRange, date_condition
from policycorpus.errors import AmbiguousError, NotFoundError
from policycorpus.names import alias_key
from policycorpus.store import Store

PEOPLE = ("official", "person")


@dataclass
class Entity:
    """An entity row."""

    id: int
    type: str
    name: str
    level: str = ""
    jurisdiction: str = ""


@dataclass
class Role:
    """An official's title in one document."""

    document: str
    title: str
    org: str


@dataclass
class DocumentHit:
    """A document that mentions an entity, with how often."""

    id: int
    path: str
    title: str
    mentions: int


@dataclass
class CoMention:
    """An entity mentioned in the same documents, with the count of shared documents."""

    id: int
    type: str
    name: str
    documents: int


@dataclass
class Sentence:
    """A sentence that mentions an entity; ``spans`` are offsets into ``text``."""

    document: str
    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class EntityReport:
    """Everything ``person``, ``law`` and friends show about one entity."""

    entity: Entity
    aliases: list[str]
    roles: list[Role]
    documents: list[DocumentHit]
    related: dict[str, list[CoMention]]
    sentences: list[Sentence]


def resolve(store: Store, name: str, types: tuple[str, ...], entity_id: int | None = None) -> Entity:
    """Find the entity a user means by ``name`` among ``types``.

    Exact alias match first (case, accents, punctuation and law citation
    spelling ignored), then the closest names as suggestions.
    """
    marks = ",".join("?" * len(types))
    if entity_id is not None:
        row = store.db.execute(
            f"select id, type, name, level, jurisdiction from entities where id = ? and type in ({marks})",
            [entity_id, *types],
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no {'/'.join(types)} entity with id {entity_id}")
        return Entity(*row)
    key = alias_key(name)
    rows = store.db.execute(
        f"""select e.id, e.type, e.name, e.level, e.jurisdiction,
                   (select count(*) from mentions m where m.entity_id = e.id) as n
            from entities e
            where e.type in ({marks}) and e.id in (select entity_id from aliases where key = ?)
            order by n desc""",
        [*types, key],
    ).fetchall()
    if len(rows) == 1:
        return Entity(*rows[0][:5])
    if len(rows) > 1:
        raise AmbiguousError(
            f"{name!r} matches {len(rows)} entities; pick one with --id",
            [(r[0], r[1], r[2]) for r in rows],
        )
    raise NotFoundError(f"no {'/'.join(types)} named {name!r}", suggest(store, name, types))


def suggest(store: Store, name: str, types: tuple[str, ...], limit: int = 5) -> list[str]:
    """The entity names closest to ``name`` (rapidfuzz over aliases)."""
    from rapidfuzz import fuzz, process

    marks = ",".join("?" * len(types))
    rows = store.db.execute(
        f"select a.key, e.name from aliases a join entities e on e.id = a.entity_id"
        f" where e.type in ({marks})",
        list(types),
    ).fetchall()
    names: dict[str, str] = {}
    for key, entity_name in rows:
        names.setdefault(key, entity_name)
    matches = process.extract(alias_key(name), list(names), scorer=fuzz.WRatio, limit=limit * 3,
                              score_cutoff=60)
    out: list[str] = []
    for key, _score, _index in matches:
        if names[key] not in out:
            out.append(names[key])
    return out[:limit]


def entity_report(store: Store, entity: Entity, *, sentences: int = 20, related: int = 10,
                  dates: DateRange | None = None) -> EntityReport:
    """Roles, documents, co-mentioned entities and evidence sentences of ``entity``.

    ``dates`` keeps only documents published in that period.
    """
    db = store.db
    when, when_params = date_condition(dates, "d.published")
    aliases = [r[0] for r in db.execute(
        "select alias from aliases where entity_id = ? order by length(alias) desc", [entity.id])]
    roles = [Role(*r) for r in db.execute(
        f"""select d.path, r.title, r.org from roles r join documents d on d.id = r.document_id
           where r.entity_id = ? and {when} order by d.path""", [entity.id, *when_params])]
    documents = [DocumentHit(*r) for r in db.execute(
        f"""select d.id, d.path, d.title, count(*) from mentions m
           join documents d on d.id = m.document_id
           where m.entity_id = ? and {when} group by d.id order by count(*) desc, d.path""",
        [entity.id, *when_params])]
    by_type: dict[str, list[CoMention]] = {}
    for row in db.execute(
        f"""select e.id, e.type, e.name, count(distinct m.document_id) as docs
           from mentions m join entities e on e.id = m.entity_id
           where m.document_id in (select m2.document_id from mentions m2
                                   join documents d on d.id = m2.document_id
                                   where m2.entity_id = ? and {when})
             and m.entity_id != ?
           group by e.id order by docs desc, count(*) desc, e.name""",
            [entity.id, *when_params, entity.id]):
        group = by_type.setdefault(row[1], [])
        if len(group) < related:
            group.append(CoMention(*row))
    evidence: dict[tuple[str, int, int], Sentence] = {}
    for path, text, sent_start, sent_end, start, end in db.execute(
        f"""select d.path, substr(d.text, m.sent_start + 1, m.sent_end - m.sent_start),
                  m.sent_start, m.sent_end, m.start, m.end
           from mentions m join documents d on d.id = m.document_id
           where m.entity_id = ? and {when} order by d.path, m.start""",
            [entity.id, *when_params]):
        key = (path, sent_start, sent_end)
        if key not in evidence:
            if len(evidence) >= sentences:
                continue
            evidence[key] = Sentence(path, text.strip("\n"), [])
        offset = len(text) - len(text.lstrip("\n"))
        evidence[key].spans.append((start - sent_start - offset, end - sent_start - offset))
    return EntityReport(entity, aliases, roles, documents, by_type, list(evidence.values()))
