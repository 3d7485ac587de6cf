"""Read-only queries over law actions (``relations``), returning plain records.

Used by ``law`` (its "Actions"), ``person`` / ``agency`` / ``org`` ("Laws
acted on"), the ``relations`` command, ``export relations`` and ``why``.
Nothing here prints or imports spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policycorpus.errors import QueryError
from policycorpus.relation_types import RELATIONS

if TYPE_CHECKING:
    from policycorpus.query.reports import Entity, Scope
    from policycorpus.store.database import Store


@dataclass
class Action:
    """One law action: who did what to which law, where and when, with its evidence.

    ``spans`` mark the subject, the trigger word and the law in ``sentence``
    (character offsets into it) when they fall inside it.
    """

    document: str
    date: str
    subject_id: int
    subject_type: str
    subject: str
    relation: str
    object_id: int
    object: str
    sentence: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    cue: str = ""
    rule_id: str = ""
    evidence: int = 1
    correction: str = ""
    subject_text: str = ""
    object_text: str = ""


@dataclass
class RelationFilter:
    """Which relations a listing shows."""

    relations: tuple[str, ...] = ()
    subject_ids: tuple[int, ...] = ()
    law_ids: tuple[int, ...] = ()
    limit: int | None = 50

    def __post_init__(self) -> None:
        unknown = [r for r in self.relations if r not in RELATIONS]
        if unknown:
            raise QueryError(f"unknown relation {unknown[0]!r}; use one of {', '.join(RELATIONS)}")


_SELECT = """
select d.path, coalesce(r.date, ''), es.id, es.type, es.name, r.relation, eo.id, eo.name,
       coalesce(substr(d.text, r.sent_start + 1, r.sent_end - r.sent_start), ''),
       r.sent_start, r.start, r."end", ms.start, ms."end", mo.start, mo."end",
       coalesce(r.cue, ''), coalesce(r.rule_id, ''), coalesce(r.evidence, 0),
       coalesce(r.correction, ''), coalesce(r.subject_text, ''), coalesce(r.object_text, '')
from relations r
join documents d on d.id = r.document_id
join entities es on es.id = r.subject_id
join entities eo on eo.id = r.object_id
left join extracted_relations x on x.id = r.extracted_relation_id
left join mentions ms on ms.document_id = r.document_id and ms.start = x.subject_start
     and ms."end" = x.subject_end
left join mentions mo on mo.document_id = r.document_id and mo.start = x.object_start
     and mo."end" = x.object_end
where {where}
order by r.date is null or r.date = '', r.date, d.path, r.start, r.relation
"""


def _action(row: tuple[Any, ...]) -> Action:
    (path, date, sid, stype, sname, relation, oid, oname, text, sent_start, start, end,
     s_start, s_end, o_start, o_end, cue, rule, evidence, correction, s_text, o_text) = row
    spans: list[tuple[int, int]] = []
    lead = len(text) - len(text.lstrip())
    sentence = text.strip()
    if sent_start is not None:
        for a, b in ((s_start, s_end), (start, end), (o_start, o_end)):
            if a is None or b is None:
                continue
            a, b = a - sent_start - lead, b - sent_start - lead
            if 0 <= a < b <= len(sentence):
                spans.append((a, b))
    return Action(path, date, sid, stype, sname, relation, oid, oname, sentence, sorted(spans),
                  cue, rule, evidence, correction, s_text, o_text)


def list_relations(store: "Store", filters: RelationFilter | None = None,
                   scope: "Scope | None" = None) -> list[Action]:
    """Law actions matching ``filters`` in ``scope`` (documents, dates), by date then document."""
    from policycorpus.query.reports import Scope

    filters = filters or RelationFilter()
    where, params = (scope or Scope()).sql("d")
    parts, values = [where], list(params)
    for column, wanted in (("r.relation", filters.relations), ("r.subject_id", filters.subject_ids),
                           ("r.object_id", filters.law_ids)):
        if wanted:
            parts.append(f"{column} in ({','.join('?' * len(wanted))})")
            values += list(wanted)
    sql = _SELECT.format(where=" and ".join(parts))
    if filters.limit:
        sql += " limit ?"
        values.append(filters.limit)
    return [_action(row) for row in store.db.execute(sql, values)]


def count_relations(store: "Store", filters: RelationFilter | None = None,
                    scope: "Scope | None" = None) -> int:
    """How many law actions ``list_relations`` would list without its limit."""
    from policycorpus.query.reports import Scope

    filters = filters or RelationFilter()
    where, params = (scope or Scope()).sql("d")
    parts, values = [where], list(params)
    for column, wanted in (("r.relation", filters.relations), ("r.subject_id", filters.subject_ids),
                           ("r.object_id", filters.law_ids)):
        if wanted:
            parts.append(f"{column} in ({','.join('?' * len(wanted))})")
            values += list(wanted)
    return int(store.db.execute(
        f"select count(*) from relations r join documents d on d.id = r.document_id"
        f" where {' and '.join(parts)}", values).fetchone()[0])


def actions_of(store: "Store", entity: "Entity", scope: "Scope | None" = None,
               limit: int | None = 50) -> list[Action]:
    """The actions on a law (``entity`` is a law), or the laws an actor acted on."""
    if entity.type == "law":
        filters = RelationFilter(law_ids=(entity.id,), limit=limit)
    else:
        filters = RelationFilter(subject_ids=(entity.id,), limit=limit)
    return list_relations(store, filters, scope)


def export_rows(store: "Store") -> tuple[list[str], Any]:
    """``export relations``: one row per law action with its document, date and sentence."""
    columns = ["document", "subject", "subject_type", "relation", "object", "date", "sentence",
               "subject_id", "object_id", "rule_id"]
    sql = """
    select d.path, es.name, es.type, r.relation, eo.name, coalesce(r.date, ''),
           trim(coalesce(substr(d.text, r.sent_start + 1, r.sent_end - r.sent_start), ''),
                ' ' || char(10) || char(13)),
           es.id, eo.id, coalesce(r.rule_id, '')
    from relations r
    join documents d on d.id = r.document_id
    join entities es on es.id = r.subject_id
    join entities eo on eo.id = r.object_id
    order by d.path, r.start, r.relation, es.name, eo.name
    """
    return columns, iter(store.db.execute(sql))
