"""Law actions in the store: the pipeline's relations and the corpus's.

``extracted_relations`` keeps every relation the pipeline found in a
document as it found it: the relation, the offsets and text of its subject
and object mentions, its trigger word, sentence and rule. It changes only
when the document is ingested again.

``relations`` is derived from it, like ``entities`` from the extracted
entities: each extracted relation takes the entities of the mentions at its
subject's and object's offsets (so it follows every merge, alias, retype or
ignore of ``reapply``), one row per (document, subject, relation, law) with
its first evidence and how many times the document states it, the date of
the document, and the user's corrections (``[[add_relation]]``,
``[[drop_relation]]``) applied. ``Store`` writes the extracted rows in its
batches; ``derive`` fills ``relations`` for the written documents. At the
end of ``reapply``, ``refresh`` recomputes those of the documents whose
entities it rewrote (``rebuild`` all of them, when the corrections changed or
name other entities or documents than before).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policycorpus.extraction import Relation as RelationRecord
from policycorpus.names import alias_key
from policycorpus.relation_types import RELATIONS  # noqa: F401  (re-exported)
from policycorpus.store.sqlite import sqlite_utils

if TYPE_CHECKING:
    from policycorpus.records import RelationFix

ACTOR_TYPES = ("official", "person", "agency", "organization")


_COLUMNS = ("document_id", "relation", "subject_type", "subject", "subject_start", "subject_end",
            "subject_text", "object", "object_start", "object_end", "object_text", "start",
            "end", "cue", "sent_start", "sent_end", "rule_id")


def migrate(db: sqlite_utils.Database) -> None:
    """Create ``extracted_relations`` and ``relations`` (the "relations" migration)."""
    db["extracted_relations"].create(
        {"id": int, "document_id": int, "relation": str, "subject_type": str, "subject": str,
         "subject_start": int, "subject_end": int, "subject_text": str, "object": str,
         "object_start": int, "object_end": int, "object_text": str, "start": int, "end": int,
         "cue": str, "sent_start": int, "sent_end": int, "rule_id": str},
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
        not_null={"document_id", "relation"},
        if_not_exists=True,
    )
    db["extracted_relations"].create_index(["document_id"], if_not_exists=True)
    db["relations"].create(
        {"id": int, "document_id": int, "subject_id": int, "relation": str, "object_id": int,
         "date": str, "extracted_relation_id": int, "start": int, "end": int, "cue": str,
         "sent_start": int, "sent_end": int, "subject_text": str, "object_text": str,
         "rule_id": str, "evidence": int, "correction": str},
        pk="id",
        foreign_keys=[("document_id", "documents", "id"), ("subject_id", "entities", "id"),
                      ("object_id", "entities", "id")],
        not_null={"document_id", "subject_id", "relation", "object_id"},
        if_not_exists=True,
    )
    for columns in (["subject_id", "relation"], ["object_id", "relation"], ["document_id"],
                    ["relation", "date"]):
        db["relations"].create_index(columns, if_not_exists=True)


def queue(rows: list[tuple[Any, ...]], document_id: int, records: Iterable[RelationRecord]
          ) -> None:
    """Append a document's relations to a batch (tuples in ``_COLUMNS`` order)."""
    rows.extend((document_id, r.relation, r.subject_type, r.subject, r.subject_start,
                 r.subject_end, r.subject_text, r.object, r.object_start, r.object_end,
                 r.object_text, r.start, r.end, r.cue, r.sent_start, r.sent_end, r.rule_id)
                for r in records)


def write_extracted(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Insert queued extracted relations and derive the corpus rows of their documents."""
    if not rows:
        return
    columns = ", ".join(f'"{c}"' for c in _COLUMNS)
    conn.executemany(f"insert into extracted_relations ({columns}) values"
                     f" ({', '.join('?' * len(_COLUMNS))})", rows)
    derive(conn, sorted({r[0] for r in rows}))


_DERIVE = """
insert into relations (document_id, subject_id, relation, object_id, date, extracted_relation_id,
                       start, "end", cue, sent_start, sent_end, subject_text, object_text,
                       rule_id, evidence, correction)
select x.document_id, ms.entity_id, x.relation, mo.entity_id, d.published, min(x.id),
       x.start, x."end", x.cue, x.sent_start, x.sent_end, x.subject_text, x.object_text,
       x.rule_id, count(*), ''
from extracted_relations x
cross join documents d on d.id = x.document_id
cross join mentions ms on ms.document_id = x.document_id and ms.start = x.subject_start
                       and ms."end" = x.subject_end
cross join mentions mo on mo.document_id = x.document_id and mo.start = x.object_start
                       and mo."end" = x.object_end
cross join entities es on es.id = ms.entity_id
cross join entities eo on eo.id = mo.entity_id
where es.type in ('official', 'person', 'agency', 'organization') and eo.type = 'law'
  and ms.entity_id != mo.entity_id {only}
group by x.document_id, ms.entity_id, x.relation, mo.entity_id
"""
# ``cross join`` keeps SQLite's join order: from a document's extracted relations
# to its mentions, never from every law's mentions (without ANALYZE statistics
# the planner started there, a scan that grew with the corpus)


def derive(conn: sqlite3.Connection | sqlite_utils.Database,
           document_ids: list[int] | None = None) -> None:
    """(Re)compute ``relations`` of some documents (all when None) from their
    extracted relations and the entities of the mentions they point at."""
    if document_ids is None:
        conn.execute("delete from relations")
        conn.execute(_DERIVE.format(only=""))
        return
    ids = json.dumps(document_ids)
    conn.execute("delete from relations where document_id in (select value from json_each(?))",
                 [ids])
    conn.execute(_DERIVE.format(only="and x.document_id in (select value from json_each(?))"),
                 [ids])


def delete_document(db: sqlite_utils.Database, doc_id: int) -> None:
    """Remove a document's relations, extracted and derived."""
    db.execute("delete from relations where document_id = ?", [doc_id])
    db.execute("delete from extracted_relations where document_id = ?", [doc_id])


@dataclass
class ResolvedFix:
    """A relation correction and what its names point at now: the subject and
    law entities, and its documents (None: every document)."""

    fix: "RelationFix"
    subjects: list[int]
    laws: list[int]
    documents: list[int] | None

    @property
    def label(self) -> str:
        """How warnings and the ``correction`` column name the entry."""
        f = self.fix
        return f"{f.kind}: {f.subject} {f.relation} {f.law}"

    @property
    def missing(self) -> str:
        """What the entry names but the corpus lacks ("" when nothing)."""
        return ("subject" if not self.subjects else "law" if not self.laws
                else "document" if self.documents == [] else "")


def resolve(db: sqlite_utils.Database, fixes: "Iterable[RelationFix]") -> list[ResolvedFix]:
    """Find the entities and documents each relation correction names."""
    out = []
    for fix in fixes:
        out.append(ResolvedFix(fix, _entity_ids(db, fix.subject, ACTOR_TYPES),
                               _entity_ids(db, fix.law, ("law",)),
                               _document_ids(db, fix.document) if fix.document else None))
    return out


def resolution_json(resolved: list[ResolvedFix]) -> str:
    """The corrections and their resolution, to tell whether either changed."""
    return json.dumps([[r.fix.kind, r.fix.subject, r.fix.relation, r.fix.law, r.fix.document,
                        sorted(r.subjects), sorted(r.laws),
                        None if r.documents is None else sorted(r.documents)]
                       for r in resolved])


def rebuild(db: sqlite_utils.Database, resolved: list[ResolvedFix]) -> list[str]:
    """Recompute every relation, then apply the relation corrections; return
    warnings for entries that match nothing."""
    derive(db)
    return _apply(db, resolved, None)


def refresh(db: sqlite_utils.Database, document_ids: Iterable[int],
            resolved: list[ResolvedFix]) -> None:
    """Recompute the relations of some documents and apply the corrections to
    them, as ``rebuild`` leaves them, when the corrections resolve as they did
    at the last rebuild (every correction acts on one document at a time)."""
    ids = sorted(set(document_ids))
    for start in range(0, len(ids), 20_000):
        chunk = ids[start:start + 20_000]
        derive(db, chunk)
        _apply(db, resolved, chunk)


def _apply(db: sqlite_utils.Database, resolved: list[ResolvedFix],
           only: list[int] | None) -> list[str]:
    """Apply the corrections in order (to the documents ``only``, or all);
    return warnings for entries that match nothing."""
    warnings: list[str] = []
    within = set(only) if only is not None else None
    for entry in resolved:
        fix, label = entry.fix, entry.label
        if entry.missing:
            warnings.append(f"{label}: no such {entry.missing}")
            continue
        documents = entry.documents
        if fix.kind != "drop_relation" and documents is None:
            continue  # an addition needs its documents
        if within is not None:
            documents = sorted(within if documents is None else within.intersection(documents))
            if not documents:
                continue
        pairs = [(s, o) for s in entry.subjects for o in entry.laws]
        if fix.kind == "drop_relation":
            dropped = 0
            for s, o in pairs:
                sql = "delete from relations where subject_id = ? and relation = ? and object_id = ?"
                params: list[Any] = [s, fix.relation, o]
                if documents is not None:
                    sql += " and document_id in (select value from json_each(?))"
                    params.append(json.dumps(documents))
                dropped += db.execute(sql, params).rowcount
            if not dropped:
                warnings.append(f"{label}: no such relation to drop")
            continue
        s, o = pairs[0]
        for doc_id in documents or []:
            exists = db.execute(
                "select id from relations where document_id = ? and subject_id = ?"
                " and relation = ? and object_id = ?", [doc_id, s, fix.relation, o]).fetchone()
            if exists:
                db.execute("update relations set correction = ? where id = ?",
                           [label, exists[0]])
                continue
            db.execute(
                "insert into relations (document_id, subject_id, relation, object_id, date,"
                " rule_id, evidence, correction) select id, ?, ?, ?, published, 'correction', 0, ?"
                " from documents where id = ?", [s, fix.relation, o, label, doc_id])
    return warnings


def _entity_ids(db: sqlite_utils.Database, name: str, types: tuple[str, ...]) -> list[int]:
    """Entities of ``types`` named ``name`` (by canonical name first, else any alias)."""
    marks = ",".join("?" * len(types))
    key = alias_key(name)
    exact = [r[0] for r in db.execute(
        f"select id from entities where type in ({marks}) and name = ?", [*types, name])]
    if exact:
        return exact
    return [r[0] for r in db.execute(
        f"select distinct e.id from aliases a join entities e on e.id = a.entity_id"
        f" where a.key = ? and e.type in ({marks})", [key, *types])]


def _document_ids(db: sqlite_utils.Database, ref: str) -> list[int]:
    """Documents a correction names: by path, or by a unique part of the path."""
    rows = [r[0] for r in db.execute("select document_id from document_paths where path = ?",
                                     [ref])]
    if rows:
        return rows
    rows = [r[0] for r in db.execute(
        "select distinct document_id from document_paths where instr(path, ?) > 0", [ref])]
    return rows if len(rows) == 1 else []
