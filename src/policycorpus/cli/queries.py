"""The query commands: reports on an entity, related entities, listings,
documents, full-text search, timelines and provenance (read-only, no spaCy)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from policycorpus.cli.options import console as _console
from policycorpus.cli.options import (
    corrections_option,
    db_option,
    emit_json,
    handle_errors,
    json_option,
    level_option,
    open_for_query,
    scope_options,
)
from policycorpus.entity_types import ENTITY_TYPES, TYPES_AND_PEOPLE, expand_types


def entity_command(name: str, types: tuple[str, ...], help_text: str) -> click.Command:
    """A report command for entities of ``types`` (person, law, agency, place, org)."""

    @click.command(name=name, help=help_text)
    @click.argument("query")
    @db_option
    @click.option("--id", "entity_id", type=int, default=None,
                  help="Pick one entity by id when several share the name.")
    @scope_options()
    @click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
                  help="How many documents and quotes to show.")
    @click.option("--sentences", type=click.IntRange(min=0), default=20, show_default=True,
                  help="How many evidence sentences to show.")
    @level_option("Only entities at this level of government (repeat for several).")
    @json_option
    @handle_errors
    def command(query: str, db_path: Path, entity_id: int | None, scope: Any, limit: int,
                sentences: int, levels: tuple[str, ...], as_json: bool) -> None:
        from policycorpus.query import reports as q
        from policycorpus.query.levels import resolve_at_level
        from policycorpus.render import reports as render

        store = open_for_query(db_path)
        if scope.document:
            q.find_document(store, scope.document)
        entity = resolve_at_level(store, query, types, levels, entity_id)
        report = q.entity_report(store, entity, scope=scope, sentences=sentences, limit=limit)
        from policycorpus.query.relations import actions_of

        report.actions = actions_of(store, entity, scope, limit=limit)
        if as_json:
            emit_json(report)
            return
        console = _console()
        if scope.since or scope.until:
            console.print(f"[dim]Documents published {scope.dates().describe()}; "
                          "undated ones left out.[/]")
        console.print(render.entity_report(report))

    return command


person = entity_command(
    "person", ("official", "person"),
    """Show an official or person: roles, quotes, documents, co-mentions, sentences.

    QUERY is any name form, case-insensitive ("wells", "Bill Wells").

    \b
    Example:
      policycorpus person wells
      policycorpus person "Bill Wells" --sentences 5
      policycorpus person wells --document 000_4212311d01db0eb0.txt --json
    """,
)
law = entity_command(
    "law", ("law",),
    """Show a law: documents, officials, agencies and places around it, sentences.

    QUERY is its title or any citation form ("SB 54", "SB-54",
    "senate bill 54", "California Values Act").

    \b
    Example:
      policycorpus law "SB 54"
      policycorpus law "senate bill 54" --since 2018
      policycorpus law "SB 4" --level state
    """,
)
agency = entity_command(
    "agency", ("agency",),
    """Show a government agency: documents, officials, other agencies, sentences.

    QUERY is its name or acronym ("ICE", "Immigration and Customs
    Enforcement", "LAPD").

    \b
    Example:
      policycorpus agency ICE
      policycorpus agency "El Cajon Police Department" --json
      policycorpus agency "sheriff's department" --level county
    """,
)
place = entity_command(
    "place", ("place",),
    """Show a place: the documents, officials, agencies and laws around it.

    \b
    Example:
      policycorpus place "El Cajon"
      policycorpus place california --limit 5
    """,
)
org = entity_command(
    "org", ("organization",),
    """Show a non-government organization (advocacy group, company, outlet).

    \b
    Example:
      policycorpus org ACLU
    """,
)



@click.command()
@click.argument("name")
@db_option
@click.option("--type", "-t", "types", type=click.Choice(ENTITY_TYPES), multiple=True,
              help="Only related entities of this type (repeatable).")
@click.option("--same-sentence", is_flag=True,
              help="Count only mentions in a sentence that also mentions NAME.")
@click.option("--id", "entity_id", type=int, default=None,
              help="Pick one entity by id when several share the name.")
@scope_options()
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many related entities to show.")
@json_option
@handle_errors
def related(name: str, db_path: Path, types: tuple[str, ...], same_sentence: bool,
            entity_id: int | None, scope: Any, limit: int, as_json: bool) -> None:
    """Entities mentioned with NAME, ranked by shared documents, with evidence.

    NAME is any entity (official, person, agency, organization, law or
    place). Each row shows the documents both appear in and one sentence
    showing them together when there is one.

    \b
    Example:
      policycorpus related ICE --type agency
      policycorpus related "SB 54" --type official --same-sentence
    """
    from policycorpus.query import reports as q
    from policycorpus.render import reports as render

    store = open_for_query(db_path)
    entity = q.resolve(store, name, ENTITY_TYPES, entity_id)
    items = q.related_entities(store, entity, types=types, same_sentence=same_sentence,
                               scope=scope, limit=limit)
    looked_at, total = q.window_of(store, entity, scope=scope)
    if as_json:
        emit_json({"entity": entity, "same_sentence": same_sentence, "related": items,
                    "documents_looked_at": looked_at, "documents": total})
    else:
        _console().print(render.related(entity, items, same_sentence, (looked_at, total)))



@click.command()
@db_option
@click.option("--type", "-t", "types", type=click.Choice(ENTITY_TYPES), multiple=True,
              help="Only entities of this type (repeatable).")
@level_option("Only entities at this level of government (repeatable).")
@click.option("--jurisdiction", default="", help="Only entities of this jurisdiction.")
@click.option("--with", "with_name", default=None, metavar="NAME",
              help="Only entities mentioned in the same documents as NAME.")
@scope_options()
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="How many entities to list.")
@json_option
@handle_errors
def entities(db_path: Path, types: tuple[str, ...], levels: tuple[str, ...], jurisdiction: str,
             with_name: str | None, scope: Any, limit: int, as_json: bool) -> None:
    """The most mentioned entities, with their level of government, jurisdiction,
    law key and document and mention counts.

    \b
    Example:
      policycorpus entities
      policycorpus entities --type official --limit 10
      policycorpus entities --type agency --level local --with ICE
      policycorpus entities --type official --jurisdiction "El Cajon"
      policycorpus entities --type agency --json | jq '.[].name'
    """
    from policycorpus.query import reports as q
    from policycorpus.render import reports as render

    store = open_for_query(db_path)
    with_entity = q.resolve(store, with_name, ENTITY_TYPES) if with_name else None
    matching = q.top_entities(store, types=types, scope=scope,
                              levels=levels, jurisdiction=jurisdiction, with_entity=with_entity,
                              limit=None)
    rows = matching[:limit]
    if as_json:
        emit_json(rows)
        return
    title = f"Entities ({render.showing(len(matching), len(rows))})" + (
        f" mentioned with {with_entity.name}" if with_entity else "")
    _console().print(render.entities(rows, title,
                                     shared_with=with_entity.name if with_entity else ""))



@click.command()
@db_option
@scope_options(document=False)
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True,
              help="How many documents to list.")
@json_option
@handle_errors
def documents(db_path: Path, scope: Any, limit: int, as_json: bool) -> None:
    """The documents: title, outlet, date, words and entity counts by type.

    \b
    Example:
      policycorpus documents
      policycorpus documents --since 2019-01 --json
    """
    from policycorpus.query import reports as q
    from policycorpus.render import reports as render

    store = open_for_query(db_path)
    rows = q.list_documents(store, scope=scope, limit=limit)
    total = q.count_documents(store, scope=scope)
    if as_json:
        emit_json({"total": total, "showing": len(rows), "documents": rows})
    else:
        _console().print(render.documents(rows, total))



@click.command()
@click.argument("document")
@db_option
@json_option
@handle_errors
def show(document: str, db_path: Path, as_json: bool) -> None:
    """Show a document with its entities highlighted, its roles and quotes.

    DOCUMENT is a path as listed by 'documents', an id, or a unique part
    of a path. In a terminal, mentions are coloured by type; in plain
    output (piped, or NO_COLOR) they are written [like this](type).

    \b
    Example:
      policycorpus show 000_4212311d01db0eb0.txt
      policycorpus show 004 --json | jq '.quotes'
    """
    from policycorpus.query import reports as q
    from policycorpus.render import reports as render

    view = q.document_view(open_for_query(db_path), document)
    if as_json:
        emit_json(view)
    else:
        console = _console()
        plain = console.no_color or not console.is_terminal
        console.print(render.document(view, marks=plain))



@click.command()
@click.argument("text")
@db_option
@click.option("--literal", is_flag=True,
              help="Treat TEXT as plain words: no FTS operators, punctuation ignored.")
@scope_options(document=False)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many documents to show.")
@json_option
@handle_errors
def search(text: str, db_path: Path, literal: bool, scope: Any, limit: int,
           as_json: bool) -> None:
    """Full-text search of titles and texts, best matches first, with snippets.

    TEXT uses SQLite FTS5 syntax: words (all must match; stemmed, so
    "deport" finds "deported"), "exact phrases", OR, NOT, prefix*,
    NEAR(a b, 10). --literal searches for the words as typed.

    \b
    Example:
      policycorpus search sanctuary
      policycorpus search '"license plate" OR ALPR'
      policycorpus search "287(g) sheriff" --literal
    """
    from policycorpus.query import reports as q
    from policycorpus.render import reports as render

    store = open_for_query(db_path)
    hits = q.search(store, text, literal=literal, scope=scope, limit=limit)
    total = q.search_total(store, text, literal=literal, scope=scope) if hits else 0
    if as_json:
        emit_json({"query": text, "total": total, "showing": len(hits), "hits": hits})
    else:
        _console().print(render.search(text, hits, total))



@click.command()
@click.argument("name")
@click.option("--type", "types", type=click.Choice(TYPES_AND_PEOPLE), multiple=True,
              help="Only entities of this type (repeatable; default: any type).")
@click.option("--id", "entity_id", type=int, default=None,
              help="Pick one entity by id when several share the name.")
@click.option("--by", type=click.Choice(["month", "year"]), default="month", show_default=True,
              help="Count mentions per month or per year.")
@scope_options(document=False)
@json_option
@db_option
@handle_errors
def timeline(name: str, types: tuple[str, ...], entity_id: int | None, by: str, scope: Any,
             as_json: bool, db_path: Path) -> None:
    """Chart the mentions of an entity per month (or year) of publication.

    NAME is any name form, as for person and law. Documents are placed by
    their published date; those without one are counted apart.

    \b
    Example:
      policycorpus timeline "Bill Wells"
      policycorpus timeline ICE --type agency --by year
      policycorpus timeline "SB 54" --since 2018 --until 2019-06 --json
    """
    from policycorpus.query import reports as q
    from policycorpus.query import timeline as tl
    from policycorpus.render import charts

    wanted = expand_types(types)
    store = open_for_query(db_path)
    entity = q.resolve(store, name, wanted, entity_id)
    result = tl.timeline(store, entity, by=by, dates=scope.dates())
    if as_json:
        emit_json(result.as_dict())
        return
    console = _console()
    console.print(charts.timeline_chart(result, width=min(console.width, 80),
                                        plain=not console.is_terminal))



@click.command()
@click.argument("name")
@click.option("--type", "types", multiple=True, type=click.Choice(ENTITY_TYPES),
              help="Only entities of this type (repeat for several).")
@click.option("--id", "entity_id", type=int, default=None,
              help="Pick one entity by id when several share the name.")
@db_option
@corrections_option
@json_option
@handle_errors
def why(name: str, types: tuple[str, ...], entity_id: int | None, db_path: Path,
        corrections_path: Path | None, as_json: bool) -> None:
    """Show why NAME is an entity: every mention with the step, model label,
    rule and corrections behind it, and the mentions the corrections ignore.

    \b
    Example:
      policycorpus why wells
      policycorpus why "SB 54" --type law
    """
    from policycorpus.corpus import corrections as fixes
    from policycorpus.query.provenance import why as explain
    from policycorpus.render import corrections as render_corrections

    store = open_for_query(db_path)
    report = explain(store, name, fixes.load(corrections_path or fixes.default_path(db_path)),
                     types=types, entity_id=entity_id)
    if as_json:
        emit_json(report)
        return
    _console().print(render_corrections.why_report(report))
