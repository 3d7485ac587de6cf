"""``ingest`` and ``reapply``: the commands that write the corpus."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from policycorpus.cli.options import (
    console as _console,
)
from policycorpus.cli.options import (
    corrections_option,
    db_option,
    handle_errors,
    open_for_writing,
)
from policycorpus.cli.record_options import record_field_options
from policycorpus.errors import ExitCode


class WarningLine(logging.Handler):
    """Library warnings (``logging``, already naming their file) as ``Warning:`` lines."""

    def emit(self, record: logging.LogRecord) -> None:
        _console(stderr=True).print(f"[yellow]Warning:[/] {escape(record.getMessage())}",
                                    soft_wrap=True)


def show_library_warnings() -> None:
    """Print the library's logged warnings (a PDF library's notes, ...) as they come."""
    logger = logging.getLogger("policycorpus")
    if not any(isinstance(h, WarningLine) for h in logger.handlers):
        logger.addHandler(WarningLine(logging.WARNING))
        logger.propagate = False


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("--workers", "-w", type=click.IntRange(min=1), default=None,
              help="Processes for spaCy (default: the number of cores).")
@click.option("--force", is_flag=True, help="Re-process files even if unchanged.")
@click.option("--batch-size", type=click.IntRange(min=1), default=64, show_default=True,
              help="Documents written per transaction.")
@click.option("--engine", type=click.Choice(["embedded", "dask"]), default="embedded",
              show_default=True,
              help="Where the pipeline runs: in this machine's processes, or on a Dask "
                   "cluster (needs the dask extra).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="With --engine dask: the scheduler to use (tcp://HOST:8786); default: "
                   "a local cluster of --workers processes.")
@click.option("--shards", "shards", type=click.Path(file_okay=False, path_type=Path),
              default=None,
              help="With --engine dask: the folder for shards, shared with the workers "
                   "(default: DB.shards beside the database).")
@record_field_options
@corrections_option
@handle_errors
def ingest(paths: tuple[Path, ...], db_path: Path, workers: int | None, force: bool,
           batch_size: int, engine: str, scheduler: str | None, shards: Path | None,
           fields: Any, corrections_path: Path | None) -> None:
    """Extract entities from text, HTML, PDF, Word and JSONL/JSON/CSV files into the database.

    PATHS are files or folders (default: seeds/). Each record of a JSONL,
    JSON or CSV file is one document, named FILE#ID. Documents whose content
    and pipeline version are unchanged are skipped without loading the model.
    HTML, PDF and Word need the extras html, pdf and docx. A document that
    cannot be read or processed is counted failed and the run goes on; the
    exit code is then 6.

    \b
    Example:
      policycorpus ingest seeds/
      policycorpus ingest ~/articles --db research.db --workers 2
      policycorpus ingest archive.csv --text-field story --id-field guid
      policycorpus ingest /shared/news --engine dask --scheduler tcp://head:8786
    """
    if engine == "embedded" and (scheduler or shards):
        raise click.UsageError("--scheduler and --shards need --engine dask")
    from policycorpus.cli.interrupts import interruptible
    from policycorpus.ingest.run import Summary, default_workers, run_ingest
    from policycorpus.render import reports as render
    from policycorpus.store.database import Store

    console = _console()
    err = _console(stderr=True)
    targets = list(paths) or [Path("seeds")]
    _check_inputs(targets)  # before the database is created: a typo leaves no empty database
    existed = db_path.is_file() and db_path.stat().st_size > 0
    store = Store(db_path)
    if existed:
        store.check_integrity()
    summary = Summary()
    with interruptible(), _summary_on_interrupt(console, store, summary, str(db_path)), \
            Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                     MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                     transient=True) as progress:
        task = progress.add_task("Scanning", total=None)
        partial = 0.0  # of the file being written piece by piece
        if engine == "dask":
            from policycorpus.ingest.cluster import run_cluster_ingest

            events = run_cluster_ingest(store, targets, scheduler=scheduler,
                                        workers=workers or default_workers(), shards=shards,
                                        force=force, batch_size=batch_size, summary=summary,
                                        fields=fields, corrections=corrections_path)
        else:
            events = run_ingest(store, targets, workers=workers or default_workers(),
                                force=force, batch_size=batch_size, summary=summary,
                                fields=fields, corrections=corrections_path)
        # a cluster's work is cancelled as soon as the run stops
        with contextlib.closing(events) if engine == "dask" else contextlib.nullcontext():
            for event in events:
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
    if summary.failed:
        err.print(f"[bold red]Error:[/] {summary.failed} document(s) failed (see the warnings "
                  "above); every other document is stored", soft_wrap=True)
        sys.exit(ExitCode.FAILED_DOCUMENTS)


def _check_inputs(targets: list[Path]) -> None:
    """Raise InputError for a path on the command line that does not exist."""
    from policycorpus.errors import InputError

    for target in targets:
        try:
            target.stat()
        except OSError as exc:
            raise InputError(f"{(exc.strerror or 'cannot open').lower()}: {target}") from None


@contextlib.contextmanager
def _summary_on_interrupt(console: Console, store: Any, summary: Any, db: str) -> Iterator[None]:
    """On Ctrl-C or SIGTERM, print the summary of what was stored, then go on stopping."""
    try:
        yield
    except KeyboardInterrupt:
        from policycorpus.ingest.run import finish_summary
        from policycorpus.render import reports as render

        finish_summary(store, summary)
        console.print(render.ingest_summary(summary, db))
        store.close()
        raise



@click.command()
@db_option
@corrections_option
@click.option("--full", is_flag=True,
              help="Rebuild every entity, not only what changed since the last reapply.")
@handle_errors
def reapply(db_path: Path, corrections_path: Path | None, full: bool) -> None:
    """Rebuild entities from the stored extraction, the corrections file and
    models/, without running the spaCy model.

    Recomputes linking across documents, corrections, levels, jurisdictions,
    law keys, aliases, roles and documents.entity_ids in one transaction.

    \b
    Example:
      policycorpus reapply
      policycorpus reapply --db study.db --corrections study/fixes.toml
      policycorpus reapply --full
    """
    from policycorpus.corpus import corrections as fixes
    from policycorpus.corpus.reapply import reapply as run_reapply
    from policycorpus.render import corrections as render_corrections

    store = open_for_writing(db_path)
    if store.readonly:
        from policycorpus.errors import DatabaseError

        raise DatabaseError(f"{db_path} is read-only; reapply needs to write it")
    summary = run_reapply(store, fixes.load(corrections_path or fixes.default_path(db_path)),
                          full=full)
    _console().print(render_corrections.reapply_summary(summary, str(db_path)))
