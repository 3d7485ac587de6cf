"""Read-only queries over the store, returning plain dataclasses.

Nothing here prints or imports spaCy: the query commands start as fast as
click, rich and sqlite-utils allow.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from policycorpus.entity_types import ENTITY_TYPES
from policycorpus.errors import AmbiguousError, NotFoundError, QueryError
from policycorpus.names import alias_key
from policycorpus.query.daterange import DateRange, date_condition
from policycorpus.store.database import Store


@dataclass
class Entity:
    """An entity row."""

    id: int
    type: str
    name: str
    level: str = ""
    jurisdiction: str = ""
    federal_register_slug: str = ""
    officeholder_id: str = ""  # the public record an official was confirmed against


def officeholder_id(store: Store, entity_id: int) -> str:
    """The Open States (or ``bioguide:``) id an entity's official was confirmed
    against in any of its documents ("" if none), as reapply decided it."""
    row = store.db.execute("select officeholder_id from entities where id = ?",
                           [entity_id]).fetchone()
    return str(row[0] or "") if row else ""


@dataclass
class Role:
    """An official's title: the first document that gives it, and in how many it appears."""

    document: str
    title: str
    org: str
    documents: int = 1


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
class Quote:
    """A quotation attributed to an entity in one document."""

    document: str
    speaker: str
    text: str
    kind: str
    cue: str
    start: int
    end: int


@dataclass
class EntityReport:
    """Everything ``person``, ``law`` and friends show about one entity."""

    entity: Entity
    aliases: list[str]
    roles: list[Role]
    documents: list[DocumentHit]
    related: dict[str, list[CoMention]]
    sentences: list[Sentence]
    quotes: list[Quote] = field(default_factory=list)
    document_count: int = 0
    window: int = 0
    actions: list[Any] = field(default_factory=list)  # law actions (relations_query.Action)


@dataclass
class Scope:
    """Which documents a query looks at: one document, a date range, or all."""

    document: str | None = None
    since: str | None = None
    until: str | None = None

    def sql(self, alias: str = "d") -> tuple[str, list[Any]]:
        """A SQL condition on the documents table ``alias`` and its parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.document:
            parts.append(f"({alias}.path = ? or {alias}.id = ?)")
            params += [self.document, int(self.document) if self.document.isdigit() else -1]
        if self.since or self.until:
            # compared at the coarser precision of the two dates; undated documents out
            dates, dates_params = date_condition(self.dates(), f"{alias}.published")
            parts.append(dates)
            params += dates_params
        return (" and ".join(parts) or "1"), params

    def dates(self) -> DateRange:
        """The date bounds (raises QueryError when --since is after --until)."""
        return DateRange(self.since or "", self.until or "")

    @property
    def active(self) -> bool:
        return bool(self.document or self.since or self.until)


def resolve(store: Store, name: str, types: tuple[str, ...], entity_id: int | None = None) -> Entity:
    """Find the entity a user means by ``name`` among ``types``.

    Exact alias match first (case, accents, punctuation and law citation
    spelling ignored), then the closest names as suggestions.
    """
    marks = ",".join("?" * len(types))
    if entity_id is not None:
        row = store.db.execute(
            f"select id, type, name, level, jurisdiction, coalesce(federal_register_slug, '')"
            f" from entities where id = ? and type in ({marks})",
            [entity_id, *types],
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no {'/'.join(types)} entity with id {entity_id}")
        return Entity(*row, officeholder_id=officeholder_id(store, row[0]))
    key = alias_key(name)
    rows = store.db.execute(
        f"""select distinct e.id, e.type, e.name, e.level, e.jurisdiction,
                   coalesce(e.federal_register_slug, '')
            from aliases a join entities e on e.id = a.entity_id
            where a.key = ? and e.type in ({marks}) order by e.id""",
        [key, *types],
    ).fetchall()
    if len(rows) > 1:  # the most mentioned first; counted only when there is a choice
        rows.sort(key=lambda r: -store.db.execute(
            "select coalesce(sum(mentions), 0) from document_entities where entity_id = ?",
            [r[0]]).fetchone()[0])
    if len(rows) == 1:
        return Entity(*rows[0][:6], officeholder_id=officeholder_id(store, rows[0][0]))
    if len(rows) > 1:
        raise AmbiguousError(
            f"{name!r} matches {len(rows)} entities; pick one with --id",
            [(r[0], r[1], r[2]) for r in rows],
        )
    raise NotFoundError(f"no {'/'.join(types)} named {name!r}", suggest(store, name, types))


def suggest(store: Store, name: str, types: tuple[str, ...], limit: int = 5) -> list[str]:
    """The entity names closest to ``name``: names it abbreviates, then rapidfuzz over aliases."""
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
    out: list[str] = []
    wanted = alias_key(name).replace(" ", "")
    if 2 <= len(wanted) <= 8 and wanted.isalpha():
        out += sorted({n for n in names.values() if initials(n) == wanted})
    matches = process.extract(alias_key(name), list(names), scorer=fuzz.WRatio, limit=limit * 3,
                              score_cutoff=60)
    for key, _score, _index in matches:
        if names[key] not in out:
            out.append(names[key])
    return out[:limit]


_MINOR_WORDS = {"of", "and", "the", "for", "on", "in", "to", "at", "&"}


def initials(name: str) -> str:
    """The acronym a name makes: "American Civil Liberties Union" gives "aclu"."""
    words = [w for w in re.findall(r"[\w&]+", name) if w.lower() not in _MINOR_WORDS]
    return "".join(w[0] for w in words).lower()


RECENT_DOCUMENTS = 500
"""Co-mentions and roles of an entity are counted over at most this many of its
most recent documents, so a name in tens of thousands of documents answers as
fast as a rare one; reports say when the window was smaller than the total."""


def entity_report(store: Store, entity: Entity, *, scope: Scope | None = None,
                  sentences: int = 20, limit: int = 20, related: int = 10,
                  window: int = RECENT_DOCUMENTS) -> EntityReport:
    """Roles, documents, co-mentioned entities, quotes and evidence sentences of ``entity``.

    ``scope`` narrows every list to one document or a date range; ``limit``
    caps the documents and quotes shown, ``sentences`` the evidence. Roles
    and co-mentions come from the entity's ``window`` most recent documents
    (all of them when it has fewer); ``document_count`` is always the total.
    """
    scope = scope or Scope()
    where, params = scope.sql("d")
    db = store.db
    aliases = [r[0] for r in db.execute(
        "select alias from aliases where entity_id = ? order by length(alias) desc", [entity.id])]
    recent = _recent(entity.id, where, params, window)
    total = _document_count(store, entity, scope)
    roles = [Role(*r) for r in db.execute(
        f"""select d.path, r.title, r.org, r.documents from (
                select title, org, min(document_id) as first, count(distinct document_id) as documents
                from roles where entity_id = ? and document_id in ({recent[0]})
                group by title, org) r
            join documents d on d.id = r.first
            order by r.documents desc, d.path limit ?""", [entity.id, *recent[1], limit])]
    documents = [DocumentHit(*r) for r in db.execute(
        f"""select d.id, d.path, d.title, de.mentions from document_entities de
            join documents d on d.id = de.document_id
            where de.entity_id = ? and {where}
            order by de.mentions desc, d.path limit ?""",
        [entity.id, *params, limit])] if scope.active or total <= window else [
        DocumentHit(*r) for r in db.execute(
            """select d.id, d.path, d.title, de.mentions from document_entities de
               join documents d on d.id = de.document_id
               where de.entity_id = ? order by de.mentions desc, de.document_id limit ?""",
            [entity.id, limit])]
    by_type: dict[str, list[CoMention]] = {}
    for row in db.execute(
        f"""select e.id, e.type, e.name, count(*) as docs, sum(de.mentions)
            from document_entities de join entities e on e.id = de.entity_id
            where de.document_id in ({recent[0]}) and de.entity_id != ?
            group by de.entity_id order by docs desc, sum(de.mentions) desc, e.name""",
            [*recent[1], entity.id]):
        group = by_type.setdefault(row[1], [])
        if len(group) < related:
            group.append(CoMention(*row[:4]))
    evidence: dict[tuple[str, int, int], Sentence] = {}
    for path, text, sent_start, sent_end, start, end in db.execute(
        f"""select d.path, substr(d.text, m.sent_start + 1, m.sent_end - m.sent_start),
                   m.sent_start, m.sent_end, m.start, m.end
            from mentions m join documents d on d.id = m.document_id
            where m.entity_id = ? and {where} order by m.document_id, m.start""",
            [entity.id, *params]):
        key = (path, sent_start, sent_end)
        if key not in evidence:
            if len(evidence) >= sentences:
                break
            evidence[key] = Sentence(path, text.strip("\n"), [])
        offset = len(text) - len(text.lstrip("\n"))
        evidence[key].spans.append((start - sent_start - offset, end - sent_start - offset))
    return EntityReport(entity, aliases, roles, documents, by_type, list(evidence.values()),
                        quotes_of(store, entity, scope=scope, limit=limit),
                        document_count=total, window=min(window, total))


def quotes_of(store: Store, entity: Entity, *, scope: Scope | None = None,
              limit: int = 20) -> list[Quote]:
    """The quotations attributed to ``entity``, direct ones first, in document order."""
    where, params = (scope or Scope()).sql("d")
    return [Quote(*r) for r in store.db.execute(
        f"""select d.path, coalesce(nullif(q.speaker_text, ''), e.name), q.text, q.kind, q.cue,
                   q.start, q.end
            from quotes q join documents d on d.id = q.document_id
            join entities e on e.id = q.entity_id
            where q.entity_id = ? and {where}
            order by q.kind = 'indirect', d.path, q.start limit ?""",
        [entity.id, *params, limit])]


# -- co-mentions ----------------------------------------------------------------------


@dataclass
class SharedSentence:
    """A sentence of one document where two entities appear (or the second one alone)."""

    document: str
    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Related:
    """An entity co-mentioned with another: shared documents and sentences, and evidence."""

    id: int
    type: str
    name: str
    documents: int
    sentences: int
    mentions: int
    document_paths: list[str] = field(default_factory=list)
    evidence: SharedSentence | None = None


def _recent(entity_id: int, where: str, params: list[Any], window: int
            ) -> tuple[str, list[Any]]:
    """SQL for the ids of the ``window`` most recent documents of an entity in scope."""
    return (f"""select de.document_id from document_entities de
                join documents d on d.id = de.document_id
                where de.entity_id = ? and {where} order by de.document_id desc limit ?""",
            [entity_id, *params, window])


def related_entities(store: Store, entity: Entity, *, types: tuple[str, ...] = (),
                     same_sentence: bool = False, scope: Scope | None = None,
                     limit: int = 20, evidence: bool = True,
                     window: int = RECENT_DOCUMENTS) -> list[Related]:
    """Entities mentioned with ``entity``, ranked by shared documents, then sentences.

    With ``same_sentence`` only mentions in a sentence that also mentions
    ``entity`` count. With ``evidence`` each carries the shared documents
    and one sentence showing both (together when they ever are). Only the
    entity's ``window`` most recent documents in scope are looked at
    (``window_of`` tells how many that is of how many).

    Two grouped reads do the counting: the mentions in the entity's sentences
    (an index seek per sentence) and ``document_entities`` of its documents;
    one statement relating every mention of those documents to the entity's
    sentences takes minutes for a name found in thousands of them.
    """
    where, params = (scope or Scope()).sql("d")
    recent, recent_params = _recent(entity.id, where, params, window)
    doc_ids = json.dumps([r[0] for r in store.db.execute(recent, recent_params)])
    own = Counter(dict(((doc, sent), n) for doc, sent, n in store.db.execute(
        "select document_id, sent_start, count(*) from mentions where entity_id = ?"
        " and document_id in (select value from json_each(?)) group by document_id, sent_start",
        [entity.id, doc_ids])))
    if not own:
        return []
    # others in the entity's sentences (an index seek per sentence), each with
    # its best sentence: where the entity is named most, in the latest document.
    # Each sentence travels as one integer, (times named, document, start) in
    # mixed radix, which SQLite takes apart faster than JSON arrays.
    sent_base = max(sent for _, sent in own) + 1
    doc_base = max(doc for doc, _ in own) + 1
    keys = json.dumps([(n * doc_base + doc) * sent_base + sent for (doc, sent), n in own.items()])
    met = {}
    for who, together, docs, best in store.db.execute(
            """select m.entity_id, count(*), count(distinct m.document_id), max(o.value)
               from json_each(?) o join mentions m
                 on m.document_id = (o.value / ?) % ? and m.sent_start = o.value % ?
               where m.entity_id != ? group by m.entity_id""",
            [keys, sent_base, doc_base, sent_base, entity.id]):
        met[who] = (together, docs, (best // sent_base) % doc_base, best % sent_base)
    # documents and mentions of others in the entity's documents
    counts = {} if same_sentence else {
        who: (docs, mentions) for who, docs, mentions in store.db.execute(
            "select entity_id, count(*), sum(mentions) from document_entities"
            " where document_id in (select value from json_each(?)) and entity_id != ?"
            " group by entity_id", [doc_ids, entity.id])}
    candidates = {}
    for who in (met if same_sentence else counts):
        together, sent_docs, *best = met.get(who, (0, 0, None, None))
        docs, mentions = (sent_docs, together) if same_sentence else counts[who]
        candidates[who] = (docs, together, mentions, best)
    names = _entity_names(store, list(candidates), types)
    ranked = sorted((i for i in candidates if i in names),
                    key=lambda i: (-candidates[i][0], -candidates[i][1], -candidates[i][2],
                                   names[i][1]))[:limit]
    paths = _shared_paths(store, ranked, doc_ids, own if same_sentence else None) \
        if evidence else {}
    out = []
    for id_ in ranked:
        docs, together, mentions, best = candidates[id_]
        item = Related(id_, names[id_][0], names[id_][1], docs, together, mentions)
        if evidence:
            item.document_paths = paths.get(id_, [])
            item.evidence = _shared_evidence(store, entity.id, id_, item.document_paths, best)
        out.append(item)
    return out


def _shared_paths(store: Store, ids: list[int], doc_ids: str,
                  sentences: Counter[tuple[int, int]] | None) -> dict[int, list[str]]:
    """The ten latest of ``doc_ids`` (JSON) each of ``ids`` appears in (in one of
    ``sentences``, when given), as paths."""
    if not ids:
        return {}
    if sentences is not None:
        rows = store.db.execute(
            """select distinct m.entity_id, m.document_id from json_each(?) o join mentions m
                 on m.document_id = json_extract(o.value, '$[0]')
                and m.sent_start = json_extract(o.value, '$[1]')
               where m.entity_id in (select value from json_each(?))""",
            [json.dumps(list(sentences)), json.dumps(ids)]).fetchall()
    else:
        rows = store.db.execute(
            """select x.entity_id, x.document_id from json_each(?) w
               join document_entities x on x.document_id = w.value
               where x.entity_id in (select value from json_each(?))""",
            [doc_ids, json.dumps(ids)]).fetchall()
    latest: dict[int, list[int]] = {}
    for who, doc in sorted(rows, key=lambda r: -r[1]):
        if len(latest.setdefault(who, [])) < 10:
            latest[who].append(doc)
    wanted = sorted({doc for docs in latest.values() for doc in docs})
    path_of = dict(store.db.execute(
        "select id, path from documents where id in (select value from json_each(?))",
        [json.dumps(wanted)]).fetchall())
    return {who: [path_of[doc] for doc in docs] for who, docs in latest.items()}


def window_of(store: Store, entity: Entity, *, scope: Scope | None = None,
              window: int = RECENT_DOCUMENTS) -> tuple[int, int]:
    """(documents ``related_entities`` looks at, documents of ``entity`` in scope)."""
    total = _document_count(store, entity, scope or Scope())
    return min(window, total), total


def _document_count(store: Store, entity: Entity, scope: Scope) -> int:
    """How many documents in ``scope`` mention ``entity``."""
    if not scope.active:
        return store.db.execute("select count(*) from document_entities where entity_id = ?",
                                [entity.id]).fetchone()[0]
    where, params = scope.sql("d")
    return store.db.execute(
        f"""select count(*) from document_entities de join documents d on d.id = de.document_id
            where de.entity_id = ? and {where}""", [entity.id, *params]).fetchone()[0]


def _entity_names(store: Store, ids: list[int], types: tuple[str, ...]
                  ) -> dict[int, tuple[str, str]]:
    """Type and name of each of ``ids`` (only those of ``types``, when given)."""
    type_filter = f"and type in ({','.join('?' * len(types))})" if types else ""
    return {id_: (type_, name) for id_, type_, name in store.db.execute(
        f"select id, type, name from entities where id in (select value from json_each(?))"
        f" {type_filter}", [json.dumps(ids), *types])}


def _shared_evidence(store: Store, a: int, b: int, paths: list[str],
                     best: list[int | None]) -> SharedSentence | None:
    """One sentence showing two entities: ``best`` (document, sentence) where
    they meet, else the second entity's first sentence in the first of ``paths``."""
    doc, sent_start = best
    if doc is None:
        row = store.db.execute(
            "select m.document_id, m.sent_start from documents d join mentions m"
            " on m.document_id = d.id and m.entity_id = ? where d.path = ?"
            " order by m.start limit 1", [b, paths[0]]).fetchone() if paths else None
        if row is None:
            return None
        doc, sent_start = row
    row = store.db.execute(
        """select d.path, substr(d.text, m.sent_start + 1, m.sent_end - m.sent_start)
           from mentions m join documents d on d.id = m.document_id
           where m.document_id = ? and m.sent_start = ? limit 1""", [doc, sent_start]).fetchone()
    if row is None:
        return None
    path, text = row
    spans = sorted({
        (start - sent_start, end - sent_start)
        for start, end in store.db.execute(
            """select start, "end" from mentions where document_id = ? and sent_start = ?
               and entity_id in (?, ?)""", [doc, sent_start, a, b])
    })
    return _trimmed(SharedSentence(path, text, spans))


def _trimmed(evidence: SharedSentence) -> SharedSentence:
    """Strip a sentence's surrounding whitespace, keeping its spans aligned."""
    lead = len(evidence.text) - len(evidence.text.lstrip())
    evidence.text = evidence.text.strip()
    evidence.spans = [(s - lead, e - lead) for s, e in evidence.spans
                      if 0 <= s - lead < e - lead <= len(evidence.text)]
    return evidence


# -- listings -------------------------------------------------------------------------


@dataclass
class EntityCount:
    """An entity with what is known of it and the documents and mentions it has;
    ``shared`` counts the documents it shares with a ``with_entity``."""

    id: int
    type: str
    name: str
    documents: int
    mentions: int
    level: str = ""
    jurisdiction: str = ""
    law_key: str = ""
    shared: int = 0
    officeholder_id: str = ""


def top_entities(store: Store, *, types: tuple[str, ...] = (), scope: Scope | None = None,
                 levels: tuple[str, ...] = (), jurisdiction: str = "",
                 with_entity: Entity | None = None, limit: int | None = 50) -> list[EntityCount]:
    """The entities mentioned in the most documents (then mentions).

    Filters: ``types``; ``levels`` of government ("local" is county and
    municipal); ``jurisdiction``; ``with_entity``, keeping only entities in
    documents that also mention it, those sharing the most documents first
    ("local agencies mentioned with ICE").
    """
    from policycorpus.pipeline.jurisdictions import LEVEL_GROUPS, LEVELS, expand_levels

    levels = tuple(expand_levels(levels))
    unknown = [level for level in levels if level not in LEVELS]
    if unknown:
        raise QueryError(f"unknown level {unknown[0]!r}; use one of "
                         f"{', '.join((*LEVELS, *LEVEL_GROUPS))}")
    where, params = (scope or Scope()).sql("d")
    conditions, values = [where], list(params)
    if types:
        conditions.append(f"e.type in ({','.join('?' * len(types))})")
        values += types
    if levels:
        conditions.append(f"e.level in ({','.join('?' * len(levels))})")
        values += levels
    shared, shared_params, order = "0", [], "4 desc, 5 desc, e.name"
    if with_entity is not None:
        shared = ("count(distinct case when m.document_id in (select document_id from mentions"
                  " where entity_id = ?) then m.document_id end)")
        shared_params = [with_entity.id]
        conditions.append("e.id != ?")
        values.append(with_entity.id)
        order = "9 desc, 4 desc, 5 desc, e.name"
    rows = store.db.execute(
        f"""select e.id, e.type, e.name, count(distinct m.document_id), count(*),
                   coalesce(e.level, ''), coalesce(e.jurisdiction, ''), coalesce(e.law_key, ''),
                   {shared}
            from mentions m join entities e on e.id = m.entity_id
            join documents d on d.id = m.document_id
            where {' and '.join(conditions)}
            group by e.id order by {order}""",
        [*shared_params, *values]).fetchall()
    out = [EntityCount(*row) for row in rows]
    for row in out[:limit] if limit else out:
        if row.type == "official":
            row.officeholder_id = officeholder_id(store, row.id)
    if with_entity is not None:
        out = [row for row in out if row.shared]
    if jurisdiction:
        key = alias_key(jurisdiction)
        out = [row for row in out if alias_key(row.jurisdiction) == key]
    return out[:limit] if limit else out


@dataclass
class DocumentSummary:
    """A document with its metadata and entity counts by type."""

    id: int
    path: str
    title: str
    outlet: str
    published: str
    words: int
    mentions: int
    entities: dict[str, int] = field(default_factory=dict)


def count_documents(store: Store, *, scope: Scope | None = None) -> int:
    """How many documents ``scope`` takes in."""
    where, params = (scope or Scope()).sql("d")
    return int(store.db.execute(f"select count(*) from documents d where {where}",
                                params).fetchone()[0])


def list_documents(store: Store, *, scope: Scope | None = None, limit: int = 100
                   ) -> list[DocumentSummary]:
    """Documents by date (undated last), then path, with entity counts by type."""
    where, params = (scope or Scope()).sql("d")
    counts = ", ".join("count(distinct case when e.type = ? then e.id end)" for _ in ENTITY_TYPES)
    out = []
    for row in store.db.execute(
        f"""select d.id, d.path, coalesce(d.title, ''), coalesce(d.outlet, ''),
                   coalesce(d.published, ''), coalesce(d.words, 0),
                   (select count(*) from mentions where document_id = d.id), {counts}
            from documents d
            left join mentions m on m.document_id = d.id
            left join entities e on e.id = m.entity_id
            where {where}
            group by d.id
            order by d.published is null, d.published desc, d.path limit ?""",
            [*ENTITY_TYPES, *params, limit]):
        item = DocumentSummary(*row[:7])
        item.entities = dict(zip(ENTITY_TYPES, row[7:]))
        out.append(item)
    return out


# -- one document ---------------------------------------------------------------------


@dataclass
class DocumentMention:
    """An entity mention in a document's text."""

    start: int
    end: int
    type: str
    name: str
    entity_id: int


@dataclass
class DocumentRole:
    """An official's title in this document."""

    name: str
    title: str
    org: str


@dataclass
class DocumentView:
    """A document with its text, mentions, roles and quotes, for ``show``."""

    id: int
    path: str
    title: str
    outlet: str
    byline: str
    published: str
    words: int
    text: str
    mentions: list[DocumentMention]
    roles: list[DocumentRole]
    quotes: list[Quote]
    entities: list[EntityCount]


def find_document(store: Store, ref: str) -> tuple[int, str]:
    """The (id, path) of the document ``ref`` names: its path, id, or a unique part of its path."""
    row = store.db.execute("select id, path from documents where path = ?", [ref]).fetchone()
    if row is None and ref.isdigit():
        row = store.db.execute("select id, path from documents where id = ?", [int(ref)]).fetchone()
    if row is None:
        rows = store.db.execute(
            "select id, path from documents where instr(path, ?) > 0 order by path limit 11",
            [ref]).fetchall()
        if len(rows) == 1:
            row = rows[0]
        elif len(rows) > 1:
            more = "more than 10" if len(rows) > 10 else str(len(rows))
            raise AmbiguousError(f"{ref!r} matches {more} documents; give more of the path, "
                                 "or the document's id",
                                 [(r[0], "document", r[1]) for r in rows[:10]],
                                 hint="Several documents match; show takes a path or an id")
    if row is None:
        if ref.isdigit():  # an id: a path that merely looks alike is no suggestion
            raise NotFoundError(f"no document with id {ref} or a path containing {ref!r}")
        from rapidfuzz import fuzz, process

        paths = [r[0] for r in store.db.execute("select path from documents")]
        close = [m[0] for m in process.extract(ref, paths, scorer=fuzz.ratio, limit=5,
                                               score_cutoff=70)]
        raise NotFoundError(f"no document {ref!r}", close)
    return int(row[0]), str(row[1])


def document_view(store: Store, ref: str) -> DocumentView:
    """Everything ``show`` prints about the document ``ref``."""
    doc_id, path = find_document(store, ref)
    db = store.db
    row = db.execute(
        """select coalesce(title, ''), coalesce(outlet, ''), coalesce(byline, ''),
                  coalesce(published, ''), coalesce(words, 0), text
           from documents where id = ?""", [doc_id]).fetchone()
    mentions = [DocumentMention(*r) for r in db.execute(
        """select m.start, m.end, e.type, e.name, e.id from mentions m
           join entities e on e.id = m.entity_id where m.document_id = ? order by m.start""",
        [doc_id])]
    roles = [DocumentRole(*r) for r in db.execute(
        """select e.name, r.title, coalesce(r.org, '') from roles r
           join entities e on e.id = r.entity_id where r.document_id = ? order by e.name""",
        [doc_id])]
    quotes = [Quote(*r) for r in db.execute(
        """select ?, e.name, q.text, q.kind, q.cue, q.start, q.end from quotes q
           join entities e on e.id = q.entity_id where q.document_id = ? order by q.start""",
        [path, doc_id])]
    entities = top_entities(store, scope=Scope(document=path), limit=1000)
    return DocumentView(doc_id, path, *row[:5], row[5], mentions, roles, quotes, entities)


# -- full-text search -----------------------------------------------------------------

_MARK_START, _MARK_END = "\x02", "\x03"


@dataclass
class SearchHit:
    """A document matching a full-text query, with a snippet; ``spans`` mark the matches."""

    id: int
    path: str
    title: str
    published: str
    snippet: str
    spans: list[tuple[int, int]] = field(default_factory=list)


SEARCH_WINDOW = 5000
MAX_QUERY_WORDS = 64  # an FTS5 snippet's work grows with the square of the query's terms
MAX_QUERY_CHARS = 1000
SNIPPET_MAX_CHARS = 200_000  # longer documents get a snippet around their first matching word
SNIPPET_CONTEXT = 100  # characters each side of that word


def check_query(query: str) -> None:
    """Refuse a search text too long to answer quickly (a ``QueryError`` saying the bounds)."""
    words = len(re.findall(r"\w+", query))
    if words > MAX_QUERY_WORDS or len(query) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the search text is too long ({words:,} words, {len(query):,} characters); "
            f"search for at most {MAX_QUERY_WORDS} words and {MAX_QUERY_CHARS:,} characters")


def search(store: Store, query: str, *, literal: bool = False, scope: Scope | None = None,
           limit: int = 20, window: int = SEARCH_WINDOW) -> list[SearchHit]:
    """Documents matching an FTS5 query, best first, with highlighted snippets.

    ``literal`` treats the query as plain words (every word must appear),
    so FTS operators and punctuation in it mean nothing. Without a scope,
    only the ``window`` most recently ingested matches are ranked, so a word
    found in most of a large archive answers in milliseconds. The query is
    bounded (``check_query``), and snippets are made only for the ``limit``
    documents returned; a document longer than ``SNIPPET_MAX_CHARS`` gets
    one around its first matching word instead of FTS5's ``snippet()``,
    whose work grows with the square of the matches in a document.
    """
    check_query(query)
    match = _literal_fts(query) if literal else query
    if not match.strip():
        raise QueryError("the search text is empty")
    scope = scope or Scope()
    where, params = scope.sql("d")
    sql = f"""select d.id from documents_fts join documents d on d.rowid = documents_fts.rowid
              where documents_fts match ? and documents_fts.rowid >= ? and {where}
              order by bm25(documents_fts) limit ?"""
    try:
        floor = 0
        if not scope.active and window:  # rank only the ``window`` latest matches
            row = store.db.execute(
                "select rowid from documents_fts where documents_fts match ?"
                " order by rowid desc limit 1 offset ?", [match, window - 1]).fetchone()
            floor = row[0] if row else 0
        ids = [row[0] for row in store.db.execute(sql, [match, floor, *params, limit])]
        return [_hit(*_snippet_row(store, match, query, doc_id)) for doc_id in ids]
    except sqlite3.OperationalError as exc:
        raise QueryError(
            f"cannot search for {query!r}: {exc} (quote phrases with \"...\", or use --literal)"
        ) from exc


def _snippet_row(store: Store, match: str, query: str, doc_id: int) -> tuple[Any, ...]:
    """(id, path, title, published, marked snippet) of one document found by ``match``."""
    row = store.db.execute(
        "select id, path, coalesce(title, ''), coalesce(published, ''), length(text)"
        " from documents where id = ?", [doc_id]).fetchone()
    if row[4] <= SNIPPET_MAX_CHARS:
        (marked,) = store.db.execute(
            f"select snippet(documents_fts, 1, '{_MARK_START}', '{_MARK_END}', '…', 24)"
            " from documents_fts where documents_fts match ? and rowid = ?",
            [match, doc_id]).fetchone()
        return (*row[:4], marked)
    (text,) = store.db.execute("select text from documents where id = ?", [doc_id]).fetchone()
    return (*row[:4], _first_match_snippet(text, query))


def _first_match_snippet(text: str, query: str) -> str:
    """Marked text around the first whole word of ``query`` in ``text`` (work linear in
    the text), or the text's start if FTS matched only a stem of it."""
    words = sorted({w.lower() for w in re.findall(r"\w+", query)} - {"and", "or", "not", "near"},
                   key=len, reverse=True)
    if not words:
        return text[:2 * SNIPPET_CONTEXT]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
    first = pattern.search(text)
    if first is None:
        return text[:2 * SNIPPET_CONTEXT] + "…"
    start = max(0, first.start() - SNIPPET_CONTEXT)
    end = min(len(text), first.end() + SNIPPET_CONTEXT)
    piece = pattern.sub(lambda m: f"{_MARK_START}{m.group(0)}{_MARK_END}", text[start:end])
    return ("…" if start else "") + piece + ("…" if end < len(text) else "")


def search_total(store: Store, query: str, *, literal: bool = False,
                 scope: Scope | None = None) -> int:
    """How many documents match a full-text query in ``scope`` (all of them, not
    only those ``search`` ranks or returns)."""
    match = _literal_fts(query) if literal else query
    scope = scope or Scope()
    where, params = scope.sql("d")
    sql = ("select count(*) from documents_fts where documents_fts match ?" if not scope.active
           else f"""select count(*) from documents_fts
                    join documents d on d.rowid = documents_fts.rowid
                    where documents_fts match ? and {where}""")
    try:
        row = store.db.execute(sql, [match, *params]).fetchone()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot search for {query!r}: {exc}") from exc
    return int(row[0])


def _literal_fts(query: str) -> str:
    words = re.findall(r"\w+", query)
    return " ".join('"' + w + '"' for w in words)


def _hit(id_: int, path: str, title: str, published: str, marked: str) -> SearchHit:
    text, spans, position, opened = [], [], 0, 0
    for char in " ".join(marked.split()):
        if char == _MARK_START:
            opened = position
        elif char == _MARK_END:
            spans.append((opened, position))
        else:
            text.append(char)
            position += 1
    return SearchHit(id_, path, title, published, "".join(text), spans)
