"""Restrict queries to documents published in a period (``--since``/``--until``).

A ``DateRange`` holds ISO bounds of year, month or day precision;
``date_condition`` turns it into a parameterised SQL condition on
``documents.published``. Dates of different precision are compared at the
coarser one, so a document dated "2024-03" is inside ``--since 2024-03-15``
and ``--until 2024-03-01`` alike (its month overlaps both), and
``--until 2024`` takes in all of 2024. Documents without a date are left
out whenever a bound is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from policycorpus.dates import normalize_iso
from policycorpus.errors import QueryError


@dataclass(frozen=True)
class DateRange:
    """Inclusive ISO bounds ("" for open): ``DateRange("2017", "2018-06")``."""

    since: str = ""
    until: str = ""

    def __post_init__(self) -> None:
        for bound in (self.since, self.until):
            if bound and not normalize_iso(bound):
                raise QueryError(f"{bound!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        if self.since and self.until:
            size = min(len(self.since), len(self.until))
            if self.since[:size] > self.until[:size]:
                raise QueryError(f"--since {self.since} is after --until {self.until}")

    def __bool__(self) -> bool:
        return bool(self.since or self.until)

    def describe(self) -> str:
        """"2017-01 to 2017-06", "since 2017", "until 2018-06" or "" when open."""
        if self.since and self.until:
            return f"{self.since} to {self.until}"
        if self.since:
            return f"since {self.since}"
        return f"until {self.until}" if self.until else ""


def date_condition(dates: DateRange | None,
                   column: str = "d.published") -> tuple[str, list[object]]:
    """A SQL condition on ``column`` (a trusted column name) and its parameters.

    With no bounds the condition is ``1`` (always true), so callers can
    always write ``... and {condition}``.
    """
    if not dates:
        return "1", []
    parts = [f"coalesce({column}, '') != ''"]
    params: list[object] = []
    for bound, operator in ((dates.since, ">="), (dates.until, "<=")):
        if bound:
            size = f"min(length({column}), ?)"
            parts.append(f"substr({column}, 1, {size}) {operator} substr(?, 1, {size})")
            params.extend([len(bound), bound, len(bound)])
    return "(" + " and ".join(parts) + ")", params
