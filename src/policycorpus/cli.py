"""The ``policycorpus`` command line: parses options, calls the library, prints
with Rich. Errors from below become one-line messages with a named exit code."""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from policycorpus import __version__
from policycorpus.errors import AmbiguousError, ExitCode, NotFoundError, PolicyCorpusError

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

            err.print(f"[bold red]Error:[/] {exc}", soft_wrap=True)
            err.print(render.candidates(exc.candidates))
            sys.exit(exc.exit_code)
        except NotFoundError as exc:
            from policycorpus import render

            err.print(f"[bold red]Error:[/] {exc}", soft_wrap=True)
            err.print(render.suggestions(exc.suggestions))
            sys.exit(exc.exit_code)
        except PolicyCorpusError as exc:
            err.print(f"[bold red]Error:[/] {exc}", soft_wrap=True)
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
@handle_errors
def ingest(paths: tuple[Path, ...], db_path: Path, workers: int | None, force: bool,
           batch_size: int) -> None:
    """Extract entities from text files into the database.

    PATHS are files or folders (default: seeds/). Files whose content and
    pipeline version are unchanged are skipped without loading the model.

    \b
    Example:
      policycorpus ingest seeds/
      policycorpus ingest ~/articles --db research.db --workers 2
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
                                force=force, batch_size=batch_size, summary=summary):
            if event.kind == "found":
                progress.update(task, total=event.total, description="Ingesting")
            elif event.kind in ("unchanged", "skipped", "duplicate", "ingested", "failed"):
                progress.advance(task)
            if event.kind == "loading":
                progress.update(task, description="Loading model")
            elif event.kind == "ingested":
                progress.update(task, description="Ingesting")
            if event.message and event.kind in ("warning", "skipped", "failed"):
                progress.console.print(f"[yellow]Warning:[/] {event.message}", soft_wrap=True)
            elif event.message and event.kind == "duplicate":
                progress.console.print(f"[dim]Note:[/] {event.message}", soft_wrap=True)
    console.print(render.ingest_summary(summary, str(db_path)))
    store.close()


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
    @click.option("--sentences", type=click.IntRange(min=0), default=20, show_default=True,
                  help="How many evidence sentences to show.")
    @handle_errors
    def command(query: str, db_path: Path, entity_id: int | None, sentences: int) -> None:
        from policycorpus import query as q
        from policycorpus import render
        from policycorpus.store import Store

        store = Store(db_path, create=False)
        entity = q.resolve(store, query, types, entity_id)
        report = q.entity_report(store, entity, sentences=sentences)
        _console().print(render.entity_report(report))


_entity_command(
    "person", ("official", "person"),
    """Show an official or person: roles, documents, co-mentions, sentences.

    QUERY is any name form, case-insensitive ("wells", "Bill Wells").

    \b
    Example:
      policycorpus person wells
      policycorpus person "Bill Wells" --sentences 5
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
      policycorpus law "senate bill 54"
    """,
)


@cli.command()
@click.argument("what", type=click.Choice(["document-entities", "entities", "mentions",
                                           "document-paths"]))
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


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="policycorpus")
