"""Options and helpers shared by the commands: the database, the scope of a
query (``--document``, ``--since``, ``--until``), ``--json``, ``--level``,
``--corrections``, the consoles and the error handler."""

from __future__ import annotations

import functools
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from policycorpus.dates import normalize_iso
from policycorpus.errors import (
    AmbiguousError,
    ExitCode,
    NotFoundError,
    PolicyCorpusError,
)

DEFAULT_DB = "data/corpus.db"
F = TypeVar("F", bound=Callable[..., Any])


def console(stderr: bool = False) -> Console:
    """A console whose output never carries control characters from the corpus."""
    from policycorpus.render.reports import safe_console

    return safe_console(stderr=stderr, highlight=False)


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


def corrections_option(func: F) -> F:
    """The ``--corrections PATH`` option of the commands that read or write corrections."""
    return click.option(
        "--corrections", "corrections_path", type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Corrections file (default: NAME.corrections.toml beside NAME.db; "
             "env POLICYCORPUS_CORRECTIONS).",
    )(func)


def json_option(func: F) -> F:
    """``--json``: print one JSON document instead of tables."""
    return click.option("--json", "as_json", is_flag=True,
                        help="Print one JSON document (stable keys, no markup) for scripts.")(func)


def level_option(help_text: str) -> Callable[[F], F]:
    """``--level`` (repeatable): federal, state, county, municipal, tribal, or local."""
    from policycorpus.pipeline.jurisdictions import LEVEL_GROUPS, LEVELS

    return click.option("--level", "levels", multiple=True,
                        type=click.Choice([*LEVELS, *LEVEL_GROUPS], case_sensitive=False),
                        help=help_text + " local = county and municipal.")


class IsoDate(click.ParamType):
    """A date the way the corpus stores it: YYYY, YYYY-MM or YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = normalize_iso(str(value))
        if not text:
            self.fail(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD", param, ctx)
        return text


def scope_options(document: bool = True) -> Callable[[F], F]:
    """``--since`` and ``--until`` (and ``--document`` unless ``document=False``):
    the command receives one ``scope: Scope``; --since after --until is a usage error.

    Example::

        @click.command()
        @scope_options(document=False)
        def documents(scope: Scope) -> None: ...
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, since: str | None, until: str | None,
                    document: str | None = None, **kwargs: Any) -> Any:
            from policycorpus.errors import QueryError
            from policycorpus.query.reports import Scope

            scope = Scope(document=document, since=since or None, until=until or None)
            try:
                scope.dates()
            except QueryError as exc:
                raise click.BadParameter(str(exc), param_hint="'--since' / '--until'") from exc
            return func(*args, scope=scope, **kwargs)

        wrapped: Any = click.option(
            "--until", type=IsoDate(), default=None,
            help="Only documents published up to DATE (YYYY, YYYY-MM or YYYY-MM-DD).")(wrapper)
        wrapped = click.option("--since", type=IsoDate(), default=None,
                               help="Only documents published from DATE on.")(wrapped)
        if document:
            wrapped = click.option("--document", "-d", metavar="DOC",
                                   help="Only this document (its path or id).")(wrapped)
        return wrapped  # type: ignore[no-any-return]

    return decorate


def emit_json(data: Any) -> None:
    """Print ``data`` (dataclasses, lists, dicts) as one JSON document on stdout."""
    import dataclasses
    import json

    from policycorpus.safetext import json_safe

    def default(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return dataclasses.asdict(obj)
        raise TypeError(f"cannot serialise {type(obj).__name__}")

    console().out(json_safe(json.dumps(data, default=default, ensure_ascii=False, indent=2)),
                  highlight=False)


def open_for_query(db_path: Path, check: bool = False) -> Any:
    """The database for a query: opened read-only, checked, and not empty."""
    from policycorpus.store.database import open_for_reading

    return open_for_reading(db_path, check=check)


def open_for_writing(db_path: Path) -> Any:
    """An existing database a command changes (reapply, corrections): checked first."""
    from policycorpus.store.database import Store

    store = Store(db_path, create=False)
    store.check_integrity()
    return store


def handle_errors(func: F) -> F:
    """Turn library errors and Ctrl-C into a one-line message and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        err = console(stderr=True)
        try:
            return func(*args, **kwargs)
        except AmbiguousError as exc:
            from policycorpus.render import reports as render

            err.print(f"[bold red]Error:[/] {escape(str(exc))}", soft_wrap=True)
            err.print(render.candidates(exc.candidates, exc.hint))
            sys.exit(exc.exit_code)
        except NotFoundError as exc:
            from policycorpus.render import reports as render

            err.print(f"[bold red]Error:[/] {escape(str(exc))}", soft_wrap=True)
            err.print(render.suggestions(exc.suggestions))
            sys.exit(exc.exit_code)
        except PolicyCorpusError as exc:
            err.print(f"[bold red]Error:[/] {escape(str(exc))}", soft_wrap=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt as exc:
            err.print("[bold red]Interrupted.[/] Documents written so far are kept; "
                      "run the command again to continue.", soft_wrap=True)
            from policycorpus.cli.interrupts import exit_after_interrupt

            exit_after_interrupt(getattr(exc, "exit_code", ExitCode.INTERRUPTED))
        except sqlite3.Error as exc:  # a database problem no library call anticipated
            message = (f"the database is locked by another process ({exc}); try again when it "
                       "has finished" if "locked" in str(exc) else
                       f"the database is damaged ({exc}); restore it from a backup, or ingest "
                       "the documents again into a new database"
                       if "malformed" in str(exc) or "corrupt" in str(exc)
                       else f"database error: {exc}")
            err.print(f"[bold red]Error:[/] {message}", soft_wrap=True)
            sys.exit(ExitCode.DATABASE)

    return wrapper  # type: ignore[return-value]
