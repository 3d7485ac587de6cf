"""``export`` and ``evaluate``: tables of the database written as files, and
scores against a gold file."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from policycorpus.cli.options import console as _console
from policycorpus.cli.options import db_option, emit_json, handle_errors, open_for_query
from policycorpus.errors import ExitCode

EXPORTS = ("documents", "entities", "aliases", "mentions", "roles", "quotes",
           "document-entities", "cooccurrences", "datasette-metadata", "document-paths",
           "relations")


@click.command()
@click.argument("what", type=click.Choice(EXPORTS), metavar="WHAT")
@click.option("-o", "--output", default="-", show_default=True,
              help="File to write, or - for standard output.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "jsonl"]), default=None,
              help="Output format (default: from the file extension, else csv).")
@click.option("--bom", is_flag=True,
              help="Start a CSV with a UTF-8 byte-order mark, so that Excel reads “curly” "
                   "quotes and accents right.")
@click.option("--no-formula-escape", is_flag=True,
              help="Write CSV cells starting with = + - @ as they are (by default they get a "
                   "leading ' so that spreadsheets do not run them as formulas).")
@db_option
@handle_errors
def export(what: str, output: str, fmt: str | None, bom: bool, no_formula_escape: bool,
           db_path: Path) -> None:
    """Write a table of the database as CSV, JSON or JSONL.

    \b
    WHAT (columns: docs/database.md):
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
      relations          one row per law action (document, subject, subject_type,
                         relation, object, date, sentence)

    A file is written whole or not at all: an interrupted or failed export
    leaves the previous file as it was. CSV cells that a spreadsheet would
    run as a formula (starting with = + - @) get a leading ' unless
    --no-formula-escape.

    \b
    Example:
      policycorpus export document-entities -o entities.csv
      policycorpus export documents -o documents.csv --bom
      policycorpus export mentions --format jsonl -o - | head
      policycorpus export datasette-metadata -o metadata.json
    """
    from policycorpus.atomicfile import check_writable
    from policycorpus.export import tables as ex

    if output != "-":
        check_writable(output)
    fmt = fmt or ex.infer_format(output)
    if bom and fmt != "csv":
        raise click.UsageError("--bom is for CSV; JSON is read as UTF-8 without one")
    store = open_for_query(db_path, check=True)
    if what == "datasette-metadata":
        _write_text(_datasette_metadata(store), output)
        return
    rows = ex.VIEWS[what](store)
    options = ex.WriteOptions(formula_escape=not no_formula_escape, bom=bom,
                              terminal=output == "-" and sys.stdout.isatty())
    if output == "-":
        with _stdout_closed_quietly():
            ex.write(rows, sys.stdout, fmt, options)
            sys.stdout.flush()
        return
    try:
        count = ex.write_file(rows, output, fmt, options)
    except KeyboardInterrupt:
        _console(stderr=True).print(f"Interrupted: {output} was not written (a previous "
                                    "file of that name is kept).", soft_wrap=True,
                                    markup=False)
        raise SystemExit(ExitCode.INTERRUPTED) from None
    _console(stderr=True).print(f"Wrote {count} rows to {output}", markup=False)


@contextlib.contextmanager
def _stdout_closed_quietly() -> Iterator[None]:
    """Stop without a traceback when the reader of standard output goes away (``| head``)."""
    try:
        yield
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's last flush goes nowhere
        raise SystemExit(ExitCode.OK) from None


@click.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option("--show-errors", is_flag=True,
              help="List every missed, extra and unmerged entity and wrong role, by type.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.option("--relations", "relations_gold", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Also score law actions against this relations gold file.")
@handle_errors
def evaluate(gold: Path, db_path: Path, show_errors: bool, as_json: bool,
             relations_gold: Path | None) -> None:
    """Score the ingested documents against a gold JSONL file.

    Prints the table of the shared score.py: precision, recall and F1 per
    type, for officials and persons together ("people") and overall, and
    the accuracy of officials' roles. Documents are matched by file name.

    \b
    Example:
      policycorpus ingest seeds/
      policycorpus evaluate gold/seeds.jsonl
      policycorpus evaluate gold/seeds.jsonl --show-errors
      policycorpus evaluate dev/gold.jsonl --relations dev/relations.jsonl
    """
    from policycorpus.export import tables as ex
    from policycorpus.query import evaluate as ev

    store = open_for_query(db_path)
    result = ev.score(ev.load_gold(gold), ex.iter_rows(ex.document_entities(store)))
    console = _console()
    scored = None
    if relations_gold is not None:
        from policycorpus.query import evaluate_relations as er
        from policycorpus.query.relations import export_rows

        scored = er.score(er.load_gold(relations_gold), ev.load_gold(gold),
                          ex.iter_rows(export_rows(store)))
    if as_json:
        table = result.table()
        if show_errors:
            table["errors"] = [{"type": t, "kind": k, "document": d, "name": n}
                               for t, k, d, n in ev.grouped_errors(result)]
        emit_json(table if scored is None else {**table, "relations": scored.table()})
        return
    console.print(ev.format_table(result), markup=False)
    if show_errors and result.errors:
        console.print(ev.format_errors(result), markup=False)
    if scored is not None:
        console.print("\nLaw actions", markup=False)
        console.print(er.format_table(scored), markup=False)
        if show_errors:
            for kind, doc, text in scored.errors:
                console.print(f"{kind:<8}{doc}: {text}", markup=False)


def _datasette_metadata(store: Any) -> str:
    from policycorpus.export.datasette import metadata_json

    return metadata_json(store)


def _write_text(text: str, output: str) -> None:
    from policycorpus.atomicfile import atomic_write

    if output == "-":
        sys.stdout.write(text)
        return
    with atomic_write(output) as handle:
        handle.write(text)
    _console(stderr=True).print(f"Wrote {output}", markup=False)
