"""Mentions of an entity over time: counts per month or year of publication.

Read-only, like ``query``: returns a ``Timeline`` the CLI renders as a bar
chart (``charts.timeline_chart``) or prints as JSON. Periods come from
``documents.published``; every period between the first and the last is
listed, empty ones with zero, so gaps show. Mentions in documents without
a date, or whose date is coarser than the period (a bare year when counting
by month), cannot be placed and are counted apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from policycorpus.errors import QueryError
from policycorpus.query.daterange import DateRange, date_condition
from policycorpus.query.reports import Entity
from policycorpus.store.database import Store

PERIOD_LENGTH = {"month": 7, "year": 4}


@dataclass
class Period:
    """One bar: the period ("2025-11" or "2025"), its mentions and the documents they are in."""

    period: str
    mentions: int
    documents: int


@dataclass
class Timeline:
    """The mentions of one entity per period, and what could not be placed in one."""

    entity: Entity
    by: str
    dates: DateRange
    periods: list[Period] = field(default_factory=list)
    unplaced_mentions: int = 0
    unplaced_documents: int = 0

    @property
    def mentions(self) -> int:
        """Mentions placed in a period."""
        return sum(p.mentions for p in self.periods)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (``timeline --json``)."""
        return {
            "entity": asdict(self.entity),
            "by": self.by,
            "since": self.dates.since or None,
            "until": self.dates.until or None,
            "periods": [asdict(p) for p in self.periods],
            "unplaced": {"mentions": self.unplaced_mentions,
                         "documents": self.unplaced_documents},
        }


def timeline(store: Store, entity: Entity, *, by: str = "month",
             dates: DateRange | None = None) -> Timeline:
    """Count the mentions of ``entity`` per ``by`` ("month" or "year") within ``dates``."""
    if by not in PERIOD_LENGTH:
        raise QueryError(f"cannot count by {by!r}: use month or year")
    dates = dates or DateRange()
    size = PERIOD_LENGTH[by]
    when, params = date_condition(dates, "d.published")
    rows = store.db.execute(
        f"""select substr(d.published, 1, ?) as period, count(*), count(distinct d.id)
            from mentions m join documents d on d.id = m.document_id
            where m.entity_id = ? and length(coalesce(d.published, '')) >= ? and {when}
            group by period order by period""",
        [size, entity.id, size, *params],
    ).fetchall()
    counted = {period: Period(period, mentions, docs) for period, mentions, docs in rows}
    unplaced = store.db.execute(
        f"""select count(*), count(distinct d.id)
            from mentions m join documents d on d.id = m.document_id
            where m.entity_id = ? and length(coalesce(d.published, '')) < ?
              and (coalesce(d.published, '') = '' or {when})""",
        [entity.id, size, *params],
    ).fetchone()
    periods = [counted.get(p) or Period(p, 0, 0) for p in _span(list(counted), by)]
    return Timeline(entity, by, dates, periods, unplaced[0], unplaced[1])


def _span(periods: list[str], by: str) -> list[str]:
    """Every period from the first to the last of ``periods`` (sorted ISO strings)."""
    if not periods:
        return []
    if by == "year":
        return [str(y) for y in range(int(periods[0]), int(periods[-1]) + 1)]
    year, month = map(int, periods[0].split("-"))
    last = tuple(map(int, periods[-1].split("-")))
    out = []
    while (year, month) <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
