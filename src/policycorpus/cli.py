"""The ``policycorpus`` command line: parses options, calls the library, prints
with Rich. Errors from below become one-line messages with a named exit code."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from policycorpus import __version__
from policycorpus.date_options import date_range_options
from policycorpus.errors import AmbiguousError, ExitCode, NotFoundError, PolicyCorpusError
from policycorpus.record_options import record_field_options

DEFAULT_DB = "data/corpus.db"
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
        except KeyboardInterrupt:
            err.print("[bold red]Interrupted.[/] Documents written so far are kept; "
                      "run the command again to continue.")
            sys.exit(ExitCode.INTERRUPTED)

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
    from policycorpus.store import Store

    console = _console()
    err = _console(stderr=True)
    store = Store(db_path)
    summary = Summary()
    targets = list(paths) or [Path("seeds")]
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True) as progress:
        task = progress.add_task("Scanning", total=None)
        for event in run_ingest(store, targets, workers=workers or default_workers(),
                                force=force, batch_size=batch_size, summary=summary,
                                fields=fields):
            if event.kind == "found":
                progress.update(task, total=event.total, description="Ingesting")
            elif event.kind in ("unchanged", "skipped", "ingested", "failed"):
                progress.advance(task)
            if event.kind == "loading":
                progress.update(task, description="Loading model")
            elif event.kind == "ingested":
                progress.update(task, description="Ingesting")
            if event.message and event.kind in ("warning", "skipped", "failed"):
                progress.console.print(f"[yellow]Warning:[/] {escape(event.message)}")
    console.print(render.ingest_summary(summary, str(db_path)))
    store.close()


def _entity_command(name: str, types: tuple[str, ...], help_text: str) -> None:
    @cli.command(name=name, help=help_text)
    @click.argument("query")
    @db_option
    @click.option("--id", "entity_id", type=int, default=None,
                  help="Pick one entity by id when several share the name.")
    @click.option("--sentences", type=click.IntRange(min=0), default=20, show_default=True,
                  help="How many evidence sentences to show.")
    @date_range_options
    @handle_errors
    def command(query: str, db_path: Path, entity_id: int | None, sentences: int,
                dates: Any) -> None:
        from policycorpus import query as q
        from policycorpus import render
        from policycorpus.store import Store

        store = Store(db_path, create=False)
        entity = q.resolve(store, query, types, entity_id)
        report = q.entity_report(store, entity, sentences=sentences, dates=dates)
        console = _console()
        if dates:
            console.print(f"[dim]Documents published {dates.describe()}; undated ones left out.[/]")
        console.print(render.entity_report(report))


_entity_command(
    "person", ("official", "person"),
    """Show an official or person: roles, documents, co-mentions, sentences.

    QUERY is any name form, case-insensitive ("wells", "Bill Wells").

    \b
    Example:
      policycorpus person wells
      policycorpus person "Bill Wells" --sentences 5
      policycorpus person wells --since 2025-01 --until 2025-06
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


@cli.command()
@click.argument("what", type=click.Choice(["document-entities", "entities", "mentions"]))
@click.option("-o", "--output", default="-", show_default=True,
              help="File to write, or - for standard output.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "jsonl"]), default=None,
              help="Output format (default: from the file extension, else csv).")
@db_option
@handle_errors
def export(what: str, output: str, fmt: str | None, db_path: Path) -> None:
    """Write a table of the database as CSV, JSON or JSONL.

    \b
    WHAT:
      document-entities  one row per entity per document (document, type,
                         name, role, org, mentions, entity_id)
      entities           one row per entity with document and mention counts
      mentions           one row per mention with offsets and sentence

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
    import json as json_

    from policycorpus import evaluate as ev
    from policycorpus import export as ex
    from policycorpus.store import Store

    store = Store(db_path, create=False)
    result = ev.score(ev.load_gold(gold), ex.iter_rows(ex.document_entities(store)))
    console = _console()
    if as_json:
        click.echo(json_.dumps(result.table()))
        return
    console.print(ev.format_table(result), markup=False)
    if show_errors:
        for label, kind, doc, name in result.errors:
            console.print(f"{label:<14}{kind:<8}{doc}: {name}", markup=False)


#: ``--type`` choices of ``timeline``: the entity types of ``store.ENTITY_TYPES`` and
#: "people" for officials and persons together.
TIMELINE_TYPES = ("official", "person", "agency", "organization", "law", "place", "people")


@cli.command()
@click.argument("name")
@click.option("--type", "types", type=click.Choice(TIMELINE_TYPES), multiple=True,
              help="Only entities of this type (repeatable; default: any type).")
@click.option("--id", "entity_id", type=int, default=None,
              help="Pick one entity by id when several share the name.")
@click.option("--by", type=click.Choice(["month", "year"]), default="month", show_default=True,
              help="Count mentions per month or per year.")
@date_range_options
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON object.")
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
    import json as json_

    from policycorpus import charts
    from policycorpus import query as q
    from policycorpus import timeline as tl
    from policycorpus.store import ENTITY_TYPES, Store

    wanted = tuple(dict.fromkeys(
        t for choice in types for t in (q.PEOPLE if choice == "people" else (choice,))
    )) or ENTITY_TYPES
    store = Store(db_path, create=False)
    entity = q.resolve(store, name, wanted, entity_id)
    result = tl.timeline(store, entity, by=by, dates=dates)
    if as_json:
        click.echo(json_.dumps(result.as_dict()))
        return
    console = _console()
    console.print(charts.timeline_chart(result, width=min(console.width, 80),
                                        plain=not console.is_terminal))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="policycorpus")
