"""The ``--since``/``--until`` options of the query commands, as one click decorator."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from policycorpus.dates import normalize_iso

F = TypeVar("F", bound=Callable[..., Any])


class IsoDate(click.ParamType):
    """A date the way the corpus stores it: YYYY, YYYY-MM or YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = normalize_iso(str(value))
        if not text:
            self.fail(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD", param, ctx)
        return text


def date_range_options(func: F) -> F:
    """Add ``--since DATE`` and ``--until DATE``; the command receives ``dates: DateRange``.

    Example::

        @cli.command()
        @date_range_options
        def documents(dates: DateRange) -> None: ...
    """

    @functools.wraps(func)
    def wrapper(*args: Any, since: str | None, until: str | None, **kwargs: Any) -> Any:
        from policycorpus.errors import QueryError
        from policycorpus.query.daterange import DateRange

        try:
            dates = DateRange(since or "", until or "")
        except QueryError as exc:
            raise click.BadParameter(str(exc), param_hint="'--since' / '--until'") from exc
        return func(*args, dates=dates, **kwargs)

    wrapper = click.option(
        "--until", type=IsoDate(), default=None,
        help="Only documents published up to DATE (YYYY, YYYY-MM or YYYY-MM-DD).")(wrapper)
    wrapper = click.option(
        "--since", type=IsoDate(), default=None,
        help="Only documents published from DATE on (YYYY, YYYY-MM or YYYY-MM-DD).")(wrapper)
    return wrapper  # type: ignore[return-value]
