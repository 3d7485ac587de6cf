"""Read-only queries over the store, returning plain dataclasses.

Nothing here prints or imports spaCy: the query commands start as fast as
click, rich and sqlite-utils allow.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from policycorpus.daterange import DateRange, date_condition
from policycorpus.errors import AmbiguousError, NotFoundError, QueryError
from policycorpus.names import alias_key
from policycorpus.entity_types import ENTITY_TYPES
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
            f"select id, type, name, level, jurisdiction from entities where id = ? and type in ({marks})",
            [entity_id, *types],
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no {'/'.join(types)} entity with id {entity_id}")
        return Entity(*row)
    key = alias_key(name)
    rows = store.db.execute(
        f"""select e.id, e.type, e.name, e.level, e.jurisdiction from entities e
            where e.type in ({marks}) and e.id in (select entity_id from aliases where key = ?)""",
        [*types, key],
    ).fetchall()
    if len(rows) > 1:  # the most mentioned first; counted only when there is a choice
        rows.sort(key=lambda r: -store.db.execute(
            "select coalesce(sum(mentions), 0) from document_entities where entity_id = ?",
            [r[0]]).fetchone()[0])
    if len(rows) == 1:
        return Entity(*rows[0][:5])
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


RECENT_DOCUMENTS = 1000
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
    total = db.execute(
        f"""select count(*) from document_entities de join documents d on d.id = de.document_id
            where de.entity_id = ? and {where}""" if scope.active else
        "select count(*) from document_entities where entity_id = ?",
        [entity.id, *params] if scope.active else [entity.id]).fetchone()[0]
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
class Evidence:
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
    evidence: Evidence | None = None


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
    entity's ``window`` most recent documents in scope are looked at.
    """
    where, params = (scope or Scope()).sql("d")
    recent, recent_params = _recent(entity.id, where, params, window)
    type_filter = f"and e.type in ({','.join('?' * len(types))})" if types else ""
    rows = store.db.execute(
        f"""with target as (
                select m.document_id, m.sent_start from mentions m
                where m.entity_id = ? and m.document_id in ({recent})),
            target_docs as (select distinct document_id from target),
            target_sents as (select distinct document_id, sent_start from target),
            co as (
                select m.entity_id, m.document_id,
                       exists (select 1 from target_sents t where t.document_id = m.document_id
                               and t.sent_start = m.sent_start) as same
                from mentions m
                where m.document_id in (select document_id from target_docs)
                  and m.entity_id != ?)
            select e.id, e.type, e.name,
                   count(distinct case when co.same or not ? then co.document_id end) as docs,
                   count(distinct case when co.same then co.document_id end) as sent_docs,
                   sum(co.same), count(*)
            from co join entities e on e.id = co.entity_id
            where 1 {type_filter}
            group by e.id
            having docs > 0
            order by docs desc, sum(co.same) desc, count(*) desc, e.name
            limit ?""",
        [entity.id, *recent_params, entity.id, int(same_sentence), *types, limit],
    ).fetchall()
    out = []
    for id_, type_, name, docs, _sent_docs, same, count in rows:
        item = Related(id_, type_, name, docs, int(same or 0), count)
        if evidence:
            item.document_paths, item.evidence = _shared_evidence(
                store, entity.id, id_, where, params, same_sentence, (recent, recent_params))
        out.append(item)
    return out


def _shared_evidence(store: Store, a: int, b: int, where: str, params: list[Any],
                     same_sentence: bool, recent: tuple[str, list[Any]]
                     ) -> tuple[list[str], Evidence | None]:
    """The documents two entities share, and one sentence showing them (together if
    any), among ``recent`` documents of ``a``."""
    paths = [r[0] for r in store.db.execute(
        f"""select distinct d.path from mentions ma join mentions mb
              on mb.document_id = ma.document_id and mb.entity_id = ?
              {"and mb.sent_start = ma.sent_start" if same_sentence else ""}
            join documents d on d.id = ma.document_id
            where ma.entity_id = ? and ma.document_id in ({recent[0]})
            order by d.path limit 10""", [b, a, *recent[1]])]
    row = store.db.execute(
        f"""select d.path, mb.sent_start, mb.sent_end,
                   substr(d.text, mb.sent_start + 1, mb.sent_end - mb.sent_start),
                   (select count(*) from mentions ma where ma.entity_id = ?
                      and ma.document_id = mb.document_id and ma.sent_start = mb.sent_start) as together
            from mentions mb join documents d on d.id = mb.document_id
            where mb.entity_id = ? and mb.document_id in ({recent[0]})
            order by together desc, d.path, mb.start limit 1""", [a, b, *recent[1]]).fetchone()
    if row is None:
        return paths, None
    path, sent_start, sent_end, text = row[:4]
    spans = sorted({
        (start - sent_start, end - sent_start)
        for start, end in store.db.execute(
            """select m.start, m.end from mentions m join documents d on d.id = m.document_id
               where d.path = ? and m.entity_id in (?, ?) and m.sent_start = ?
               order by m.start""", [path, a, b, sent_start])
    })
    return paths, _trimmed(Evidence(path, text, spans))


def _trimmed(evidence: Evidence) -> Evidence:
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


def top_entities(store: Store, *, types: tuple[str, ...] = (), scope: Scope | None = None,
                 levels: tuple[str, ...] = (), jurisdiction: str = "",
                 with_entity: Entity | None = None, limit: int | None = 50) -> list[EntityCount]:
    """The entities mentioned in the most documents (then mentions).

    Filters: ``types``; ``levels`` of government ("local" is county and
    municipal); ``jurisdiction``; ``with_entity``, keeping only entities in
    documents that also mention it, those sharing the most documents first
    ("local agencies mentioned with ICE").
    """
    from policycorpus.jurisdictions import LEVEL_GROUPS, LEVELS, expand_levels

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
            raise AmbiguousError(f"{ref!r} matches {len(rows)} documents; give more of the path",
                                 [(r[0], "document", r[1]) for r in rows[:10]])
    if row is None:
        from rapidfuzz import process

        paths = [r[0] for r in store.db.execute("select path from documents")]
        close = [m[0] for m in process.extract(ref, paths, limit=5, score_cutoff=50)]
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


def search(store: Store, query: str, *, literal: bool = False, scope: Scope | None = None,
           limit: int = 20, window: int = SEARCH_WINDOW) -> list[SearchHit]:
    """Documents matching an FTS5 query, best first, with highlighted snippets.

    ``literal`` treats the query as plain words (every word must appear),
    so FTS operators and punctuation in it mean nothing. Without a scope,
    only the ``window`` most recently ingested matches are ranked, so a word
    found in most of a large archive answers in milliseconds.
    """
    match = _literal_fts(query) if literal else query
    if not match.strip():
        raise QueryError("the search text is empty")
    scope = scope or Scope()
    where, params = scope.sql("d")
    sql = f"""select d.id, d.path, coalesce(d.title, ''), coalesce(d.published, ''),
                     snippet(documents_fts, 1, '{_MARK_START}', '{_MARK_END}', '…', 24)
              from documents_fts join documents d on d.rowid = documents_fts.rowid
              where documents_fts match ? and documents_fts.rowid >= ? and {where}
              order by bm25(documents_fts) limit ?"""
    try:
        floor = 0
        if not scope.active and window:  # rank only the ``window`` latest matches
            row = store.db.execute(
                "select rowid from documents_fts where documents_fts match ?"
                " order by rowid desc limit 1 offset ?", [match, window - 1]).fetchone()
            floor = row[0] if row else 0
        rows = store.db.execute(sql, [match, floor, *params, limit]).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(
            f"cannot search for {query!r}: {exc} (quote phrases with \"...\", or use --literal)"
        ) from exc
    return [_hit(*row) for row in rows]


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
