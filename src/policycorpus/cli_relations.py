"""The law-action commands of the command line: ``relations`` (list and filter)
and ``relate`` (add or drop one through the corrections file). Registered on
``policycorpus.cli.cli`` when that module is imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from policycorpus.cli import (
    _console,
    _emit_json,
    _open,
    _scope,
    cli,
    corrections_option,
    db_option,
    dry_run_options,
    handle_errors,
    json_option,
    scope_options,
)
from policycorpus.relation_types import RELATIONS


@cli.command()
@click.option("--relation", "-r", "relations", multiple=True, type=click.Choice(RELATIONS),
              help="Only this relation (repeatable).")
@click.option("--subject", "-s", default=None,
              help="Only actions by this official, person, agency or organization.")
@click.option("--law", "-l", default=None, help="Only actions on this law.")
@scope_options
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="How many actions to show.")
@db_option
@json_option
@handle_errors
def relations(relations: tuple[str, ...], subject: str | None, law: str | None,
              document: str | None, since: str | None, until: str | None, limit: int,
              db_path: Path, as_json: bool) -> None:
    """List law actions: who sponsored, signed, vetoed, voted on, passed,
    challenged, ruled on, enforced, supported or opposed which law, with the
    date of the document and the sentence that says so.

    \b
    Example:
      policycorpus relations
      policycorpus relations --relation sign --since 2019
      policycorpus relations --subject "Ana Diaz" --json
      policycorpus relations --law "SB 54" --relation challenge --relation rule
    """
    from policycorpus import query as q
    from policycorpus import relations_query as rq
    from policycorpus import render_relations

    store = _open(db_path)
    scope = _scope(document, since, until)
    if document:
        q.find_document(store, document)
    subjects = (q.resolve(store, subject, ("official", "person", "agency", "organization")).id,) \
        if subject else ()
    laws = (q.resolve(store, law, ("law",)).id,) if law else ()
    filters = rq.RelationFilter(relations, subjects, laws, limit)
    items = rq.list_relations(store, filters, scope)
    total = rq.count_relations(store, filters, scope)
    if as_json:
        _emit_json({"total": total, "shown": len(items), "relations": items})
        return
    _console().print(render_relations.relation_list(items, total))


@cli.command()
@click.argument("subject")
@click.argument("relation", type=click.Choice(RELATIONS))
@click.argument("law")
@click.option("--document", "-d", default="",
              help="The document that states it (its path; required to add).")
@click.option("--drop", is_flag=True, help="Drop the relation instead of adding it.")
@db_option
@corrections_option
@dry_run_options
@handle_errors
def relate(subject: str, relation: str, law: str, document: str, drop: bool, db_path: Path,
           corrections_path: Path | None, dry_run: bool, no_apply: bool) -> None:
    """Record that SUBJECT did RELATION to LAW (or, with --drop, did not).

    Writes an [[add_relation]] or [[drop_relation]] entry to the corrections
    file and reapplies it. Adding needs --document; dropping without it
    drops the relation in every document.

    \b
    Example:
      policycorpus relate "Ana Diaz" sign "SB 5" --document 2024/diaz-signs.txt
      policycorpus relate "Ana Diaz" veto "SB 5" --drop
    """
    from policycorpus import corrections as fixes
    from policycorpus.reapply import reapply
    from policycorpus.store import Store

    if not drop and not document:
        raise click.UsageError("adding a relation needs --document (the document that states it)")
    kind = "drop_relation" if drop else "add_relation"
    entry: dict[str, Any] = {"subject": subject, "relation": relation, "law": law}
    if document:
        entry["document"] = document
    console = _console()
    path = corrections_path or fixes.default_path(db_path)
    line = f"{subject} {relation} {law}" + (f" in {document}" if document else "")
    if dry_run:
        fixes.with_entry(fixes.load(path), kind, entry)  # validates the entry
        console.print(f"Dry run: [[{kind}]] {line}; nothing written (the corrections file is "
                      f"{path}).", soft_wrap=True, markup=False)
        return
    store = Store(db_path, create=False)
    added = fixes.add_entry(path, kind, entry)
    console.print(f"Added [[{kind}]] {line} to {path}" if added
                  else f"The same [[{kind}]] is already in {path}", soft_wrap=True, markup=False)
    if no_apply:
        console.print("Not applied: run policycorpus reapply.")
        return
    summary = reapply(store, fixes.load(path))
    for warning in summary.warnings:
        console.print(f"Warning: {warning}", soft_wrap=True, markup=False)
    count = store.db.execute("select count(*) from relations").fetchone()[0]
    console.print(f"Reapplied in {summary.seconds:.2f} s: {count} law actions.")
