"""Exports: stream table-shaped views of the store as CSV, JSON or JSONL.

Each view is a function returning (columns, rows) with stable column names
(documented in docs/database.md); ``write`` streams them in a format.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO, Any

from policycorpus.atomicfile import atomic_write
from policycorpus.errors import OutputError
from policycorpus.safetext import clean, json_safe
from policycorpus.store.database import Store

Rows = tuple[list[str], Iterator[tuple[Any, ...]]]


def document_entities(store: Store) -> Rows:
    """One row per entity per document, with its role there and mention count.

    An official without a title in a document carries the title it has most
    often elsewhere in the corpus.
    """
    columns = ["document", "type", "name", "role", "org", "mentions", "entity_id"]
    sql = """
    with usual as (
        select entity_id, title, org from (
            select entity_id, title, org,
                   row_number() over (partition by entity_id order by count(*) desc, min(id)) as rank
            from roles group by entity_id, title, org)
        where rank = 1)
    select d.path, e.type, e.name,
           coalesce(r.title, case when e.type = 'official' then u.title end, '') as role,
           coalesce(r.org, case when e.type = 'official' then u.org end, '') as org,
           count(*) as mentions, e.id
    from mentions m
    join documents d on d.id = m.document_id
    join entities e on e.id = m.entity_id
    left join (select entity_id, document_id, min(title) as title, min(org) as org
               from roles group by entity_id, document_id) r
           on r.entity_id = e.id and r.document_id = d.id
    left join usual u on u.entity_id = e.id
    group by d.id, e.id
    order by d.path, e.type, e.name
    """
    return columns, iter(store.db.execute(sql))


def entities(store: Store) -> Rows:
    """One row per entity with its document and mention counts."""
    columns = ["entity_id", "type", "name", "level", "jurisdiction", "documents", "mentions",
               "law_key", "federal_register_slug", "officeholder_id"]
    sql = """
    select e.id, e.type, e.name, e.level, e.jurisdiction,
           count(distinct m.document_id), count(m.id), coalesce(e.law_key, ''),
           coalesce(e.federal_register_slug, ''), coalesce(e.officeholder_id, '')
    from entities e left join mentions m on m.entity_id = e.id
    group by e.id order by e.type, e.name
    """
    return columns, iter(store.db.execute(sql))


def mentions(store: Store) -> Rows:
    """One row per mention with its offsets and sentence."""
    columns = ["document", "entity_id", "type", "name", "start", "end", "text", "sentence",
               "source"]
    sql = """
    select d.path, e.id, e.type, e.name, m.start, m.end, m.text,
           trim(substr(d.text, m.sent_start + 1, m.sent_end - m.sent_start), ' ' || char(10) || char(13)), m.source
    from mentions m join documents d on d.id = m.document_id join entities e on e.id = m.entity_id
    order by d.path, m.start
    """
    return columns, iter(store.db.execute(sql))


def document_paths(store: Store) -> Rows:
    """Every path each document was found under (the same content under two paths
    is one document); ``document`` is the document's first path."""
    columns = ["document_id", "document", "path"]
    sql = """
    select d.id, d.path, p.path from document_paths p join documents d on d.id = p.document_id
    order by d.path, p.path != d.path, p.path
    """
    return columns, iter(store.db.execute(sql))


def documents(store: Store) -> Rows:
    """One row per document with its metadata (not its text) and counts."""
    columns = ["document_id", "document", "title", "outlet", "byline", "published", "words",
               "hash", "entities", "mentions", "url", "source_format", "dateline"]
    sql = """
    select d.id, d.path, d.title, d.outlet, d.byline, d.published, d.words, d.hash,
           (select count(distinct entity_id) from mentions where document_id = d.id),
           (select count(*) from mentions where document_id = d.id),
           coalesce(d.url, ''), coalesce(d.source_format, ''), coalesce(d.dateline, '')
    from documents d order by d.path
    """
    return columns, iter(store.db.execute(sql))


def aliases(store: Store) -> Rows:
    """One row per surface form of an entity, with its lookup key."""
    columns = ["entity_id", "type", "name", "alias", "key"]
    sql = """
    select e.id, e.type, e.name, a.alias, a.key
    from aliases a join entities e on e.id = a.entity_id order by e.type, e.name, a.alias
    """
    return columns, iter(store.db.execute(sql))


def roles(store: Store) -> Rows:
    """One row per official's title in a document."""
    columns = ["document", "entity_id", "name", "title", "org", "level", "jurisdiction"]
    sql = """
    select d.path, e.id, e.name, r.title, r.org, coalesce(r.level, ''),
           coalesce(r.jurisdiction, '')
    from roles r join entities e on e.id = r.entity_id join documents d on d.id = r.document_id
    order by d.path, e.name, r.title
    """
    return columns, iter(store.db.execute(sql))


def quotes(store: Store) -> Rows:
    """One row per quotation with its speaker, offsets and kind (direct or indirect)."""
    columns = ["document", "entity_id", "type", "speaker", "speaker_text", "kind", "cue",
               "start", "end", "text"]
    sql = """
    select d.path, e.id, e.type, e.name, q.speaker_text, q.kind, q.cue, q.start, q.end, q.text
    from quotes q join entities e on e.id = q.entity_id join documents d on d.id = q.document_id
    order by d.path, q.start
    """
    return columns, iter(store.db.execute(sql))


def cooccurrences(store: Store) -> Rows:
    """One row per pair of entities mentioned in the same document (each pair once).

    ``documents`` counts the documents they share, ``sentences`` the
    sentences that mention both.
    """
    columns = ["entity_id_a", "type_a", "name_a", "entity_id_b", "type_b", "name_b",
               "documents", "sentences"]
    sql = """
    with pairs as (
        select a.entity_id as ea, b.entity_id as eb, a.document_id as doc,
               max(a.sent_start = b.sent_start) as together,
               count(distinct case when a.sent_start = b.sent_start then a.sent_start end) as sents
        from mentions a join mentions b
          on b.document_id = a.document_id and b.entity_id > a.entity_id
        group by a.entity_id, b.entity_id, a.document_id)
    select ea.id, ea.type, ea.name, eb.id, eb.type, eb.name, count(*), sum(p.sents)
    from pairs p join entities ea on ea.id = p.ea join entities eb on eb.id = p.eb
    group by p.ea, p.eb
    order by count(*) desc, sum(p.sents) desc, ea.name, eb.name
    """
    return columns, iter(store.db.execute(sql))


VIEWS: dict[str, Callable[[Store], Rows]] = {
    "documents": documents,
    "entities": entities,
    "aliases": aliases,
    "mentions": mentions,
    "roles": roles,
    "quotes": quotes,
    "document-entities": document_entities,
    "cooccurrences": cooccurrences,
    "document-paths": document_paths,
    "relations": lambda store: _relations(store),
}


def _relations(store: Store) -> Rows:
    """One row per law action (see ``relations_query.export_rows``)."""
    from policycorpus.query.relations import export_rows

    return export_rows(store)
FORMATS = ("csv", "json", "jsonl")
#: Extensions of formats ``export`` does not write: refused rather than filled with CSV.
FOREIGN_FORMATS = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers", ".parquet", ".tsv", ".xml",
                   ".db", ".sqlite")
#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class WriteOptions:
    """How rows are written: ``formula_escape`` prefixes CSV cells a spreadsheet
    would run as formulas with a single quote (OWASP's advice); ``bom`` starts a
    CSV with a UTF-8 byte-order mark so that Excel reads it as UTF-8;
    ``terminal`` makes control characters visible (the output is a terminal)."""

    formula_escape: bool = True
    bom: bool = False
    terminal: bool = False


def escape_formula(value: Any) -> Any:
    """A CSV cell that cannot start a formula: ``=HYPERLINK(...)`` becomes
    ``'=HYPERLINK(...)``. Numbers are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write(rows: Rows, out: IO[str], fmt: str, options: WriteOptions = WriteOptions()) -> int:
    """Write ``rows`` to ``out`` as csv, json or jsonl; return the number of rows."""
    columns, data = rows
    count = 0
    if fmt == "csv":
        if options.bom:
            out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in data:
            cells = [escape_formula(v) for v in row] if options.formula_escape else row
            if options.terminal:
                cells = [clean(v) if isinstance(v, str) else v for v in cells]
            writer.writerow(cells)
            count += 1
    elif fmt == "jsonl":
        for row in data:
            out.write(json_safe(json.dumps(dict(zip(columns, row)), ensure_ascii=False)) + "\n")
            count += 1
    else:
        out.write("[")
        for row in data:
            out.write(("," if count else "") + "\n  " +
                      json_safe(json.dumps(dict(zip(columns, row)), ensure_ascii=False)))
            count += 1
        out.write("\n]\n" if count else "]\n")
    return count


def infer_format(filename: str, default: str = "csv") -> str:
    """The format a file name asks for by its extension (``.ndjson`` is jsonl).

    Raises OutputError for a format export does not write (``.xlsx``...)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in FOREIGN_FORMATS:
        raise OutputError(f"cannot write {filename}: export writes csv, json or jsonl, not "
                          f"{suffix[1:]}; name the file .csv (spreadsheets open it; add --bom "
                          "for Excel)")
    if suffix == ".ndjson":
        return "jsonl"
    for fmt in FORMATS:
        if suffix == "." + fmt:
            return fmt
    return default


def write_file(rows: Rows, path: str | Path, fmt: str,
               options: WriteOptions = WriteOptions()) -> int:
    """Write ``rows`` to the file ``path`` whole or not at all (``atomicfile``);
    the previous file stays as it was if anything fails. Returns the row count."""
    with atomic_write(path, newline="") as handle:
        return write(rows, handle, fmt, options)


def iter_rows(rows: Rows) -> Iterable[dict[str, Any]]:
    """Rows as dictionaries (for tests and scripts)."""
    columns, data = rows
    return (dict(zip(columns, row)) for row in data)
