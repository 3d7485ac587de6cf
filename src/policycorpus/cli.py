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
           "document-entities", "cooccurrences", "datasette-metadata", "document-paths")
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
            from policycorpus.interrupts import exit_after_interrupt

            exit_after_interrupt(getattr(exc, "exit_code", ExitCode.INTERRUPTED))
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
@click.option("--corrections", "corrections_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Corrections file (default: corrections.toml beside the "
              "database; env POLICYCORPUS_CORRECTIONS).")
@handle_errors
def ingest(paths: tuple[Path, ...], db_path: Path, workers: int | None, force: bool,
           batch_size: int, fields: Any, corrections_path: Path | None) -> None:
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
        partial = 0.0  # of the file being written piece by piece
        for event in run_ingest(store, targets, workers=workers or default_workers(),
                                force=force, batch_size=batch_size, summary=summary,
                                fields=fields, corrections=corrections_path):
            if event.kind == "found":
                progress.update(task, total=event.total, description="Ingesting")
            elif event.kind == "piece":  # the bar moves within a long file
                progress.advance(task, 1 / event.total)
                partial += 1 / event.total
                progress.update(task, description=f"Ingesting ({event.message})")
            elif event.kind in ("unchanged", "skipped", "duplicate", "ingested", "failed"):
                progress.advance(task, 1 - partial)
                partial = 0.0
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
def level_option(help_text: str) -> Callable[[F], F]:
    """``--level`` (repeatable): federal, state, county, municipal, tribal, or local."""
    from policycorpus.jurisdictions import LEVEL_GROUPS, LEVELS

    return click.option("--level", "levels", multiple=True,
                        type=click.Choice([*LEVELS, *LEVEL_GROUPS], case_sensitive=False),
                        help=help_text + " local = county and municipal.")


def corrections_option(func: F) -> F:
    """The ``--corrections PATH`` option of the commands that read or write corrections."""
    return click.option(
        "--corrections", "corrections_path", type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Corrections file (default: corrections.toml beside the database; "
             "env POLICYCORPUS_CORRECTIONS).",
    )(func)


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
    @level_option("Only entities at this level of government (repeat for several).")
    @json_option
    @handle_errors
    def command(query: str, db_path: Path, entity_id: int | None, document: str | None,
                since: str | None, until: str | None, limit: int, sentences: int,
                levels: tuple[str, ...], as_json: bool) -> None:
        from policycorpus import query as q
        from policycorpus import render
        from policycorpus.listing import resolve_at_level

        store = _open(db_path)
        scope = _scope(document, since, until)
        if document:
            q.find_document(store, document)
        entity = resolve_at_level(store, query, types, levels, entity_id)
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
      policycorpus law "SB 4" --level state
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
      policycorpus agency "sheriff's department" --level county
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
    scope = _scope(document, since, until)
    items = q.related_entities(store, entity, types=types, same_sentence=same_sentence,
                               scope=scope, limit=limit)
    looked_at, total = q.window_of(store, entity, scope=scope)
    if as_json:
        _emit_json({"entity": entity, "same_sentence": same_sentence, "related": items,
                    "documents_looked_at": looked_at, "documents": total})
    else:
        _console().print(render.related(entity, items, same_sentence, (looked_at, total)))


@cli.command()
@db_option
@click.option("--type", "-t", "types", type=click.Choice(ENTITY_TYPES), multiple=True,
              help="Only entities of this type (repeatable).")
@level_option("Only entities at this level of government (repeatable).")
@click.option("--jurisdiction", default="", help="Only entities of this jurisdiction.")
@click.option("--with", "with_name", default=None, metavar="NAME",
              help="Only entities mentioned in the same documents as NAME.")
@scope_options
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="How many entities to list.")
@json_option
@handle_errors
def entities(db_path: Path, types: tuple[str, ...], levels: tuple[str, ...], jurisdiction: str,
             with_name: str | None, document: str | None, since: str | None, until: str | None,
             limit: int, as_json: bool) -> None:
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
    from policycorpus import query as q
    from policycorpus import render

    store = _open(db_path)
    with_entity = q.resolve(store, with_name, ENTITY_TYPES) if with_name else None
    rows = q.top_entities(store, types=types, scope=_scope(document, since, until),
                          levels=levels, jurisdiction=jurisdiction, with_entity=with_entity,
                          limit=limit)
    if as_json:
        _emit_json(rows)
        return
    title = f"Entities ({len(rows)})" + (f" mentioned with {with_entity.name}"
                                         if with_entity else "")
    _console().print(render.entities(rows, title,
                                     shared_with=with_entity.name if with_entity else ""))


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
      datasette-metadata a Datasette metadata.json describing every table
      document-paths     every path of each document (copies are stored once)

    \b
    Example:
      policycorpus export document-entities -o entities.csv
      policycorpus export mentions --format jsonl -o - | head
      policycorpus export datasette-metadata -o metadata.json
    """
    from policycorpus import export as ex
    from policycorpus.store import Store

    store = Store(db_path, create=False)
    if what == "datasette-metadata":
        _write_text(_datasette_metadata(store), output)
        return
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
# -- corrections, reapply, provenance, entity knowledge (issue 8) -------------------------


def _datasette_metadata(store: Any) -> str:
    from policycorpus.datasette import metadata_json

    return metadata_json(store)


def _write_text(text: str, output: str) -> None:
    if output == "-":
        sys.stdout.write(text)
        return
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(text, encoding="utf-8")
    _console(stderr=True).print(f"Wrote {output}")


def dry_run_options(func: F) -> F:
    """``--dry-run`` and ``--no-apply`` of the correction verbs."""
    func = click.option("--no-apply", is_flag=True,
                        help="Write the corrections file only; apply later with reapply.")(func)
    return click.option("--dry-run", is_flag=True,
                        help="Show what would change; write nothing.")(func)


def _correct(kind: str, entry: dict[str, Any], db_path: Path, corrections_path: Path | None,
             dry_run: bool, no_apply: bool) -> None:
    """Show what a new corrections entry changes, then write it and reapply."""
    from policycorpus import changes
    from policycorpus import corrections as fixes
    from policycorpus import render_corrections
    from policycorpus.reapply import reapply
    from policycorpus.store import Store

    console = _console()
    store = Store(db_path, create=False)
    path = corrections_path or fixes.default_path(db_path)
    current = fixes.load(path)
    proposed = fixes.with_entry(current, kind, entry)
    diff = changes.diff(store, current, proposed)
    if dry_run:
        console.print(render_corrections.changes(diff, f"Dry run: [[{kind}]] would change"))
        console.print(f"Nothing written (the corrections file is {path}).", soft_wrap=True)
        return
    added = fixes.add_entry(path, kind, entry)
    console.print(render_corrections.changes(diff, f"[[{kind}]] changes"))
    console.print(f"Added [[{kind}]] to {path}" if added
                  else f"The same [[{kind}]] is already in {path}", soft_wrap=True, markup=False)
    if no_apply:
        console.print("Not applied: run policycorpus reapply.")
        return
    summary = reapply(store, fixes.load(path))
    console.print(f"Reapplied in {summary.seconds:.2f} s: {summary.entities} entities, "
                  f"{summary.mentions} mentions.")


@cli.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--into", default=None, help="The canonical name (default: the longest name).")
@click.option("--type", "type_", type=click.Choice(ENTITY_TYPES), default=None,
              help="The type of the merged entity (and of the entities to match).")
@db_option
@corrections_option
@dry_run_options
@handle_errors
def merge(names: tuple[str, ...], into: str | None, type_: str | None, db_path: Path,
          corrections_path: Path | None, dry_run: bool, no_apply: bool) -> None:
    """Record that NAMES are one entity, named by the longest of them or --into.

    Writes a [[merge]] entry to the corrections file and reapplies it.

    \b
    Example:
      policycorpus merge "Wells" "Bill Wells"
      policycorpus merge "US" "U.S." "United States" --type place --dry-run
    """
    canonical = into or max(names, key=lambda n: (len(n.split()), len(n)))
    others = [n for n in names if n != canonical]
    if not others:
        raise click.UsageError("give at least two names, or one name and --into")
    entry: dict[str, Any] = {"into": canonical, "names": others}
    if type_:
        entry["type"] = type_
    _correct("merge", entry, db_path, corrections_path, dry_run, no_apply)


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


@cli.command()
@click.argument("name")
@click.argument("aliases", nargs=-1, required=True)
@click.option("--type", "type_", type=click.Choice(ENTITY_TYPES), default=None,
              help="Only the entity of this type.")
@db_option
@corrections_option
@dry_run_options
@handle_errors
def alias(name: str, aliases: tuple[str, ...], type_: str | None, db_path: Path,
          corrections_path: Path | None, dry_run: bool, no_apply: bool) -> None:
    """Record more surface forms (ALIASES) of the entity NAME.

    Entities named by an alias join NAME; the aliases also find it in queries.

    \b
    Example:
      policycorpus alias "United States" US "the States"
      policycorpus alias "U.S. Immigration and Customs Enforcement" "la migra"
    """
    entry: dict[str, Any] = {"name": name, "aliases": list(aliases)}
    if type_:
        entry["type"] = type_
    _correct("alias", entry, db_path, corrections_path, dry_run, no_apply)


@cli.command()
@click.argument("name")
@click.option("--type", "type_", type=click.Choice(ENTITY_TYPES), default=None,
              help="Only when extracted as this type.")
@db_option
@corrections_option
@dry_run_options
@handle_errors
def ignore(name: str, type_: str | None, db_path: Path, corrections_path: Path | None,
           dry_run: bool, no_apply: bool) -> None:
    """Record that NAME is never an entity (its mentions are dropped).

    \b
    Example:
      policycorpus ignore "Advertise Today"
      policycorpus ignore "he" --type person --dry-run
    """
    entry: dict[str, Any] = {"name": name}
    if type_:
        entry["type"] = type_
    _correct("ignore", entry, db_path, corrections_path, dry_run, no_apply)


@cli.command()
@click.argument("name")
@click.argument("type_", metavar="TYPE", type=click.Choice(ENTITY_TYPES))
@click.option("--from", "from_", type=click.Choice(ENTITY_TYPES), default=None,
              help="Only entities now of this type.")
@db_option
@corrections_option
@dry_run_options
@handle_errors
def retype(name: str, type_: str, from_: str | None, db_path: Path,
           corrections_path: Path | None, dry_run: bool, no_apply: bool) -> None:
    """Record that the entity NAME is of TYPE (an agency, not an organization).

    \b
    Example:
      policycorpus retype "Sanctuary Caucus" agency
      policycorpus retype "Washington" person --from place --dry-run
    """
    entry: dict[str, Any] = {"name": name, "type": type_}
    if from_:
        entry["from"] = from_
    _correct("retype", entry, db_path, corrections_path, dry_run, no_apply)


@cli.command()
@click.argument("name")
@click.argument("title")
@click.option("--org", default="", help="The body or place of the office (El Cajon).")
@click.option("--document", default="", help="Only in this document (its path).")
@db_option
@corrections_option
@dry_run_options
@handle_errors
def role(name: str, title: str, org: str, document: str, db_path: Path,
         corrections_path: Path | None, dry_run: bool, no_apply: bool) -> None:
    """Record that NAME holds the office TITLE: sets or fixes an official's title.

    Without --document the title replaces the stated one in every document
    that mentions NAME. A person with a role becomes an official.

    \b
    Example:
      policycorpus role "Bill Wells" Mayor --org "El Cajon"
      policycorpus role "Jeremiah Larson" "Police Chief" --org "El Cajon" --dry-run
    """
    entry: dict[str, Any] = {"name": name, "title": title}
    if org:
        entry["org"] = org
    if document:
        entry["document"] = document
    _correct("role", entry, db_path, corrections_path, dry_run, no_apply)


@cli.command()
@db_option
@corrections_option
@handle_errors
def reapply(db_path: Path, corrections_path: Path | None) -> None:
    """Rebuild entities from the stored extraction, the corrections file and
    models/, without running the spaCy model.

    Recomputes linking across documents, corrections, levels, jurisdictions,
    law keys, aliases, roles and documents.entity_ids in one transaction.

    \b
    Example:
      policycorpus reapply
      policycorpus reapply --db research.db --corrections research/corrections.toml
    """
    from policycorpus import corrections as fixes
    from policycorpus import render_corrections
    from policycorpus.reapply import reapply as run_reapply
    from policycorpus.store import Store

    store = Store(db_path, create=False)
    summary = run_reapply(store, fixes.load(corrections_path or fixes.default_path(db_path)))
    _console().print(render_corrections.reapply_summary(summary, str(db_path)))


@cli.command()
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
    from policycorpus import corrections as fixes
    from policycorpus import render_corrections
    from policycorpus.provenance import why as explain
    from policycorpus.store import Store

    store = Store(db_path, create=False)
    report = explain(store, name, fixes.load(corrections_path or fixes.default_path(db_path)),
                     types=types, entity_id=entity_id)
    if as_json:
        _emit_json(report)
        return
    _console().print(render_corrections.why_report(report))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="policycorpus")
