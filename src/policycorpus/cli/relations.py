"""The law-action commands: ``relations`` (list and filter) and ``relate``
(add or drop one through the corrections file, like the other correction
verbs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from policycorpus.cli.correcting import correction_verb
from policycorpus.cli.options import console as _console
from policycorpus.cli.options import (
    db_option,
    emit_json,
    handle_errors,
    json_option,
    open_for_query,
    scope_options,
)
from policycorpus.relation_types import RELATIONS


@click.command()
@click.option("--relation", "-r", "relations", multiple=True, type=click.Choice(RELATIONS),
              metavar="RELATION", help="Only this relation (repeatable): "
              + ", ".join(RELATIONS) + ".")
@click.option("--subject", "-s", default=None,
              help="Only actions by this official, person, agency or organization.")
@click.option("--law", "-l", default=None, help="Only actions on this law.")
@scope_options()
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="How many actions to show.")
@db_option
@json_option
@handle_errors
def relations(relations: tuple[str, ...], subject: str | None, law: str | None,
              scope: Any, limit: int,
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
    from policycorpus.query import relations as rq
    from policycorpus.query import reports as q
    from policycorpus.render import relations as render_relations

    store = open_for_query(db_path)
    if scope.document:
        q.find_document(store, scope.document)
    subjects = (q.resolve(store, subject, ("official", "person", "agency", "organization")).id,) \
        if subject else ()
    laws = (q.resolve(store, law, ("law",)).id,) if law else ()
    filters = rq.RelationFilter(relations, subjects, laws, limit)
    items = rq.list_relations(store, filters, scope)
    total = rq.count_relations(store, filters, scope)
    if as_json:
        emit_json({"total": total, "shown": len(items), "relations": items})
        return
    _console().print(render_relations.relation_list(items, total))


@correction_verb("relate")
@click.argument("subject")
@click.argument("relation", type=click.Choice(RELATIONS))
@click.argument("law")
@click.option("--document", "-d", default="",
              help="The document that states it (its path; required to add).")
@click.option("--drop", is_flag=True, help="Drop the relation instead of adding it.")
def relate(subject: str, relation: str, law: str, document: str,
           drop: bool) -> tuple[str, dict[str, Any]]:
    """Record that SUBJECT did RELATION to LAW (or, with --drop, did not).

    Writes an [[add_relation]] or [[drop_relation]] entry to the corrections
    file and reapplies it. Adding needs --document; dropping without it
    drops the relation in every document.

    \b
    Example:
      policycorpus relate "Ana Diaz" sign "SB 5" --document 2024/diaz-signs.txt
      policycorpus relate "Ana Diaz" veto "SB 5" --drop
    """
    if not drop and not document:
        raise click.UsageError("adding a relation needs --document (the document that states it)")
    entry: dict[str, Any] = {"subject": subject, "relation": relation, "law": law}
    if document:
        entry["document"] = document
    return ("drop_relation" if drop else "add_relation"), entry
