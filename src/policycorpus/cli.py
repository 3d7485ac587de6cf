"""The ``policycorpus`` command line: parses options, calls the library, prints
with Rich. Errors from below become one-line messages with a named exit code."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from policycorpus import __version__
from policycorpus.date_options import date_range_options
from policycorpus.entity_types import ENTITY_TYPES
from policycorpus.errors import AmbiguousError, ExitCode, NotFoundError, PolicyCorpusError
from policycorpus.record_options import record_field_options

DEFAULT_DB = "data/corpus.db"
EXPORTS = ("documents", "entities", "aliases", "mentions", "roles", "quotes",
           "document-entities", "cooccurrences", "document-paths")
F = TypeVar("F", bound=Callable[..., Any])


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False)


def db_option(func: F) -> F:
    """The ``--db PATH`` option every command takes."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=lambda: os.environ.get("POLICYCORPUS_DB", DEFAULT_DB),
        show_default=DEFAULT_DB,
        help="The database file (env POLICYCORPUS_DB).",
    )(func)


def handle_errors(func: F) -> F:
    """Turn library errors and Ctrl-C into a one-line message and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        err = _console(stderr=True)
        try:
            return func(*args, **kwargs)
        except AmbiguousError as exc:
            from policycorpus import render

            err.print(f"[bold red]Error:[/] {escape(str(exc))}", soft_wrap=True)
            err.print(render.candidates(exc.candidates))
            sys.exit(exc.exit_code)
        except NotFoundError as exc:
            from policycorpus import render

            err.print(f"[bold red]Error:[/] {escape(str(exc))}", soft_wrap=True)
            err.print(render.suggestions(exc.suggestions))
            sys.exit(exc.exit_code)
        except PolicyCorpusError as exc:
            err.print(f"[bold red]Error:[/] {escape(str(exc))}", soft_wrap=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt as exc:
            err.print("[bold red]Interrupted.[/] Documents written so far are kept; "
                      "run the command again to continue.", soft_wrap=True)
            sys.exit(getattr(exc, "exit_code", ExitCode.INTERRUPTED))
        except sqlite3.Error as exc:  # a database problem no library call anticipated
            message = (f"the database is locked by another process ({exc}); try again when it "
                       "has finished" if "locked" in str(exc) else f"database error: {exc}")
            err.print(f"[bold red]Error:[/] {message}", soft_wrap=True)
            sys.exit(ExitCode.DATABASE)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 88})
@click.version_option(__version__, prog_name="policycorpus")
def cli() -> None:
    """Turn a folder of policy news into a queryable map of officials, people,
    agencies, organizations, laws and places.

    \b
    Example:
      policycorpus ingest seeds/
      policycorpus person wells
      policycorpus law "SB 54"
      policycorpus export document-entities -o entities.csv
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("--workers", "-w", type=click.IntRange(min=1), default=None,
              help="Processes for spaCy (default: the number of cores).")
@click.option("--force", is_flag=True, help="Re-process files even if unchanged.")
@click.option("--batch-size", type=click.IntRange(min=1), default=64, show_default=True,
              help="Documents written per transaction.")
@record_field_options
@handle_errors
def ingest(paths: tuple[Path, ...], db_path: Path, workers: int | None, force: bool,
           batch_size: int, fields: Any) -> None:
    """Extract entities from text, HTML, PDF, Word and JSONL/JSON/CSV files into the database.

    PATHS are files or folders (default: seeds/). Each record of a JSONL,
    JSON or CSV file is one document, named FILE#ID. Documents whose content
    and pipeline version are unchanged are skipped without loading the model.
    HTML, PDF and Word need the extras html, pdf and docx.

    \b
    Example:
      policycorpus ingest seeds/
      policycorpus ingest ~/articles --db research.db --workers 2
      policycorpus ingest archive.csv --text-field story --id-field guid
    """
    from policycorpus import render
    from policycorpus.ingest import Summary, default_workers, run_ingest
    from policycorpus.interrupts import interruptible
    from policycorpus.store import Store

    console = _console()
    err = _console(stderr=True)
    store = Store(db_path)
    summary = Summary()
    targets = list(paths) or [Path("seeds")]
    with interruptible(), _summary_on_interrupt(console, store, summary, str(db_path)), \
            Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                     MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                     transient=True) as progress:
        task = progress.add_task("Scanning", total=None)
        for event in run_ingest(store, targets, workers=workers or default_workers(),
                                force=force, batch_size=batch_size, summary=summary,
                                fields=fields):
            if event.kind == "found":
                progress.update(task, total=event.total, description="Ingesting")
            elif event.kind in ("unchanged", "skipped", "duplicate", "ingested", "failed"):
                progress.advance(task)
            if event.kind == "loading":
                progress.update(task, description="Loading model")
            elif event.kind == "ingested":
                progress.update(task, description="Ingesting")
            if event.message and event.kind in ("warning", "skipped", "failed"):
                progress.console.print(f"[yellow]Warning:[/] {escape(event.message)}",
                                       soft_wrap=True)
            elif event.message and event.kind == "duplicate":
                progress.console.print(f"[dim]Note:[/] {escape(event.message)}", soft_wrap=True)
    console.print(render.ingest_summary(summary, str(db_path)))
    store.close()


def scope_options(func: F) -> F:
    """``--document``, ``--since`` and ``--until``: which documents a query reads."""
    from policycorpus.date_options import IsoDate

    func = click.option("--until", type=IsoDate(), default=None,
                        help="Only documents published up to DATE (YYYY, YYYY-MM or "
                             "YYYY-MM-DD).")(func)
    func = click.option("--since", type=IsoDate(), default=None,
                        help="Only documents published from DATE on.")(func)
    return click.option("--document", "-d", metavar="DOC",
                        help="Only this document (its path or id).")(func)


def json_option(func: F) -> F:
    """``--json``: print one JSON document instead of tables."""
    return click.option("--json", "as_json", is_flag=True,
                        help="Print one JSON document (stable keys, no markup) for scripts.")(func)


def _emit_json(data: Any) -> None:
    """Print ``data`` (dataclasses, lists, dicts) as one JSON document on stdout."""
    import dataclasses
    import json

    def default(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return dataclasses.asdict(obj)
        raise TypeError(f"cannot serialise {type(obj).__name__}")

    _console().out(json.dumps(data, default=default, ensure_ascii=False, indent=2),
                   highlight=False)


def _scope(document: str | None, since: str | None, until: str | None) -> Any:
    """The documents a query reads; a --since after --until is a usage error."""
    from policycorpus.errors import QueryError
    from policycorpus.query import Scope

    scope = Scope(document=document, since=since or None, until=until or None)
    try:
        scope.dates()
    except QueryError as exc:
        raise click.BadParameter(str(exc), param_hint="'--since' / '--until'") from exc
    return scope


def _open(db_path: Path) -> Any:
    from policycorpus.store import Store

    return Store(db_path, create=False)


@contextlib.contextmanager
def _summary_on_interrupt(console: Console, store: Any, summary: Any, db: str) -> Iterator[None]:
    """On Ctrl-C or SIGTERM, print the summary of what was stored, then go on stopping."""
    try:
        yield
    except KeyboardInterrupt:
        from policycorpus import render
        from policycorpus.ingest import finish_summary

        finish_summary(store, summary)
        console.print(render.ingest_summary(summary, db))
        store.close()
        raise


def _entity_command(name: str, types: tuple[str, ...], help_text: str) -> None:
    @cli.command(name=name, help=help_text)
    @click.argument("query")
    @db_option
    @click.option("--id", "entity_id", type=int, default=None,
                  help="Pick one entity by id when several share the name.")
    @scope_options
    @click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
                  help="How many documents and quotes to show.")
    @click.option("--sentences", type=click.IntRange(min=0), default=20, show_default=True,
                  help="How many evidence sentences to show.")
    @json_option
    @handle_errors
    def command(query: str, db_path: Path, entity_id: int | None, document: str | None,
                since: str | None, until: str | None, limit: int, sentences: int,
                as_json: bool) -> None:
        from policycorpus import query as q
        from policycorpus import render

        store = _open(db_path)
        scope = _scope(document, since, until)
        if document:
            q.find_document(store, document)
        entity = q.resolve(store, query, types, entity_id)
        report = q.entity_report(store, entity, scope=scope, sentences=sentences, limit=limit)
        if as_json:
            _emit_json(report)
            return
        console = _console()
        if since or until:
            console.print(f"[dim]Documents published {scope.dates().describe()}; "
                          "undated ones left out.[/]")
        console.print(render.entity_report(report))


_entity_command(
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
_entity_command(
    "law", ("law",),
    """Show a law: documents, officials, agencies and places around it, sentences.

    QUERY is its title or any citation form ("SB 54", "SB-54",
    "senate bill 54", "California Values Act").

    \b
    Example:
      policycorpus law "SB 54"
      policycorpus law "senate bill 54" --since 2018
    """,
)
_entity_command(
    "agency", ("agency",),
    """Show a government agency: documents, officials, other agencies, sentences.

    QUERY is its name or acronym ("ICE", "Immigration and Customs
    Enforcement", "LAPD").

    \b
    Example:
      policycorpus agency ICE
      policycorpus agency "El Cajon Police Department" --json
    """,
)
_entity_command(
    "place", ("place",),
    """Show a place: the documents, officials, agencies and laws around it.

    \b
    Example:
      policycorpus place "El Cajon"
      policycorpus place california --limit 5
    """,
)
_entity_command(
    "org", ("organization",),
    """Show a non-government organization (advocacy group, company, outlet).

    \b
    Example:
      policycorpus org ACLU
    """,
)


@cli.command()
@click.argument("name")
@db_option
@click.option("--type", "-t", "types", type=click.Choice(ENTITY_TYPES), multiple=True,
              help="Only related entities of this type (repeatable).")
@click.option("--same-sentence", is_flag=True,
              help="Count only mentions in a sentence that also mentions NAME.")
@click.option("--id", "entity_id", type=int, default=None,
              help="Pick one entity by id when several share the name.")
@scope_options
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many related entities to show.")
@json_option
@handle_errors
def related(name: str, db_path: Path, types: tuple[str, ...], same_sentence: bool,
            entity_id: int | None, document: str | None, since: str | None, until: str | None,
            limit: int, as_json: bool) -> None:
    """Entities mentioned with NAME, ranked by shared documents, with evidence.

    NAME is any entity (official, person, agency, organization, law or
    place). Each row shows the documents both appear in and one sentence
    showing them together when there is one.

    \b
    Example:
      policycorpus related ICE --type agency
      policycorpus related "SB 54" --type official --same-sentence
    """
    from policycorpus import query as q
    from policycorpus import render

    store = _open(db_path)
    entity = q.resolve(store, name, ENTITY_TYPES, entity_id)
    items = q.related_entities(store, entity, types=types, same_sentence=same_sentence,
                               scope=_scope(document, since, until), limit=limit)
    if as_json:
        _emit_json({"entity": entity, "same_sentence": same_sentence, "related": items})
    else:
        _console().print(render.related(entity, items, same_sentence))


@cli.command()
@db_option
@click.option("--type", "-t", "types", type=click.Choice(ENTITY_TYPES), multiple=True,
              help="Only entities of this type (repeatable).")
@scope_options
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="How many entities to list.")
@json_option
@handle_errors
def entities(db_path: Path, types: tuple[str, ...], document: str | None, since: str | None,
             until: str | None, limit: int, as_json: bool) -> None:
    """The most mentioned entities, with document and mention counts.

    \b
    Example:
      policycorpus entities
      policycorpus entities --type official --limit 10
      policycorpus entities --type agency --json | jq '.[].name'
    """
    from policycorpus import query as q
    from policycorpus import render

    store = _open(db_path)
    rows = q.top_entities(store, types=types, scope=_scope(document, since, until), limit=limit)
    if as_json:
        _emit_json(rows)
    else:
        _console().print(render.entities(rows))


@cli.command()
@db_option
@date_range_options
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True,
              help="How many documents to list.")
@json_option
@handle_errors
def documents(db_path: Path, dates: Any, limit: int, as_json: bool) -> None:
    """The documents: title, outlet, date, words and entity counts by type.

    \b
    Example:
      policycorpus documents
      policycorpus documents --since 2019-01 --json
    """
    from policycorpus import query as q
    from policycorpus import render

    store = _open(db_path)
    rows = q.list_documents(store, scope=_scope(None, dates.since, dates.until), limit=limit)
    if as_json:
        _emit_json(rows)
    else:
        _console().print(render.documents(rows))


@cli.command()
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
    from policycorpus import query as q
    from policycorpus import render

    view = q.document_view(_open(db_path), document)
    if as_json:
        _emit_json(view)
    else:
        console = _console()
        plain = console.no_color or not console.is_terminal
        console.print(render.document(view, marks=plain))


@cli.command()
@click.argument("text")
@db_option
@click.option("--literal", is_flag=True,
              help="Treat TEXT as plain words: no FTS operators, punctuation ignored.")
@date_range_options
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many documents to show.")
@json_option
@handle_errors
def search(text: str, db_path: Path, literal: bool, dates: Any, limit: int,
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
    from policycorpus import query as q
    from policycorpus import render

    hits = q.search(_open(db_path), text, literal=literal,
                    scope=_scope(None, dates.since, dates.until), limit=limit)
    if as_json:
        _emit_json({"query": text, "hits": hits})
    else:
        _console().print(render.search(text, hits))


@cli.command()
@click.argument("what", type=click.Choice(EXPORTS))
@click.option("-o", "--output", default="-", show_default=True,
              help="File to write, or - for standard output.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "jsonl"]), default=None,
              help="Output format (default: from the file extension, else csv).")
@db_option
@handle_errors
def export(what: str, output: str, fmt: str | None, db_path: Path) -> None:
    """Write a table of the database as CSV, JSON or JSONL.

    \b
    WHAT (columns are listed in the README):
      documents          one row per document: metadata and counts
      entities           one row per entity with document and mention counts
      aliases            one row per surface form of an entity
      mentions           one row per mention with offsets and sentence
      roles              one row per official's title in a document
      quotes             one row per quotation with its speaker
      document-entities  one row per entity per document (document, type,
                         name, role, org, mentions, entity_id)
      cooccurrences      one row per pair of entities sharing documents
      document-paths     every path of each document (copies are stored once)

    \b
    Example:
      policycorpus export document-entities -o entities.csv
      policycorpus export mentions --format jsonl -o - | head
    """
    from policycorpus import export as ex
    from policycorpus.store import Store

    store = Store(db_path, create=False)
    fmt = fmt or ex.infer_format(output)
    rows = ex.VIEWS[what](store)
    if output == "-":
        count = ex.write(rows, sys.stdout, fmt)
    else:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        with open(output, "w", encoding="utf-8", newline="") as handle:
            count = ex.write(rows, handle, fmt)
        _console(stderr=True).print(f"Wrote {count} rows to {output}")


@cli.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option("--show-errors", is_flag=True, help="List every extra, missed and unmerged entity.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@handle_errors
def evaluate(gold: Path, db_path: Path, show_errors: bool, as_json: bool) -> None:
    """Score the ingested documents against a gold JSONL file.

    Prints the table of the shared score.py: precision, recall and F1 per
    type, for officials and persons together ("people") and overall, and
    the accuracy of officials' roles. Documents are matched by file name.

    \b
    Example:
      policycorpus ingest seeds/
      policycorpus evaluate gold/seeds.jsonl
      policycorpus evaluate gold/seeds.jsonl --show-errors
    """
    from policycorpus import evaluate as ev
    from policycorpus import export as ex
    from policycorpus.store import Store

    store = Store(db_path, create=False)
    result = ev.score(ev.load_gold(gold), ex.iter_rows(ex.document_entities(store)))
    console = _console()
    if as_json:
        _emit_json(result.table())
        return
    console.print(ev.format_table(result), markup=False)
    if show_errors:
        for label, kind, doc, name in result.errors:
            console.print(f"{label:<14}{kind:<8}{doc}: {name}", markup=False)


#: ``--type`` choices of ``timeline``: the entity types and "people" for officials and
#: persons together.
TIMELINE_TYPES = (*ENTITY_TYPES, "people")


@cli.command()
@click.argument("name")
@click.option("--type", "types", type=click.Choice(TIMELINE_TYPES), multiple=True,
              help="Only entities of this type (repeatable; default: any type).")
@click.option("--id", "entity_id", type=int, default=None,
              help="Pick one entity by id when several share the name.")
@click.option("--by", type=click.Choice(["month", "year"]), default="month", show_default=True,
              help="Count mentions per month or per year.")
@date_range_options
@json_option
@db_option
@handle_errors
def timeline(name: str, types: tuple[str, ...], entity_id: int | None, by: str, dates: Any,
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
    from policycorpus import charts
    from policycorpus import query as q
    from policycorpus import timeline as tl

    wanted = tuple(dict.fromkeys(
        t for choice in types for t in (q.PEOPLE if choice == "people" else (choice,))
    )) or ENTITY_TYPES
    store = _open(db_path)
    entity = q.resolve(store, name, wanted, entity_id)
    result = tl.timeline(store, entity, by=by, dates=dates)
    if as_json:
        _emit_json(result.as_dict())
        return
    console = _console()
    console.print(charts.timeline_chart(result, width=min(console.width, 80),
                                        plain=not console.is_terminal))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="policycorpus")
