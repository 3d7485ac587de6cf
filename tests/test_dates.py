"""Dates: metadata values parsed to ISO with the precision given, and the
--since/--until condition compared at the coarser precision."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest

from policycorpus.dates import normalize_iso, parse_date
from policycorpus.errors import QueryError
from policycorpus.query.daterange import DateRange, date_condition


@pytest.mark.parametrize("value, iso", [
    ("2025-11-03", "2025-11-03"),
    ("2025-11-03T23:30:00-08:00", "2025-11-03"),       # the date as written, not UTC
    ("Mon, 03 Nov 2025 10:00:00 GMT", "2025-11-03"),   # RSS
    ("Nov. 3, 2025", "2025-11-03"),
    ("Sept. 3, 2025", "2025-09-03"),
    ("3 November 2025", "2025-11-03"),
    ("11/3/2025", "2025-11-03"),                       # US order
    ("March 2024", "2024-03"),
    ("2024-03", "2024-03"),
    ("2024", "2024"),
    (datetime(2025, 11, 3, 8, tzinfo=timezone(timedelta(hours=-8))), "2025-11-03"),
    (date(2017, 2, 9), "2017-02-09"),
    (1762128000, "2025-11-03"),                        # Unix seconds
    (1762128000000, "2025-11-03"),                     # milliseconds
])
def test_parse_date_keeps_the_precision_given(value, iso):
    assert parse_date(value) == iso


@pytest.mark.parametrize("value", ["", None, "Tuesday", "11/03", "February 30, 2017", "2024-13",
                                   "not a date", "0099-01-01", True])
def test_parse_date_gives_nothing_for_non_dates(value):
    assert parse_date(value) == ""


@pytest.mark.parametrize("text, ok", [("2025", True), ("2025-02", True), ("2025-02-28", True),
                                      ("2025-02-30", False), ("2025-2-3", False), ("25", False),
                                      ("March 2024", False)])
def test_normalize_iso_accepts_only_iso_dates(text, ok):
    assert (normalize_iso(text) == text) is ok


PUBLISHED = {"a": "2024-02-29", "b": "2024-03", "c": "2024-03-15", "d": "2024", "e": "2025-01-02",
             "f": None, "g": ""}


@pytest.fixture
def documents():
    conn = sqlite3.connect(":memory:")
    conn.execute("create table documents (path text, published text)")
    conn.executemany("insert into documents values (?, ?)", PUBLISHED.items())
    yield conn
    conn.close()


def select(conn: sqlite3.Connection, dates: DateRange | None) -> list[str]:
    condition, params = date_condition(dates, "d.published")
    return [r[0] for r in conn.execute(
        f"select path from documents d where {condition} order by path", params)]


@pytest.mark.parametrize("since, until, paths", [
    ("", "", ["a", "b", "c", "d", "e", "f", "g"]),
    ("2024-03", "", ["b", "c", "d", "e"]),           # "2024" overlaps March 2024
    ("2024-03-15", "", ["b", "c", "d", "e"]),        # so does the month "2024-03"
    ("2024-03-16", "", ["b", "d", "e"]),
    ("", "2024-03-01", ["a", "b", "d"]),
    ("", "2024", ["a", "b", "c", "d"]),              # through the end of 2024
    ("2024-03", "2024-03", ["b", "c", "d"]),
    ("2025", "2025", ["e"]),
])
def test_date_condition_compares_at_the_coarser_precision(documents, since, until, paths):
    assert select(documents, DateRange(since, until)) == paths


def test_no_range_means_no_condition(documents):
    assert date_condition(None) == ("1", [])
    assert not DateRange()
    assert select(documents, None) == list("abcdefg")


@pytest.mark.parametrize("since, until, message", [
    ("2024-02-30", "", "not a date"),
    ("March", "", "not a date"),
    ("2025", "2024-12", "after --until"),
])
def test_bad_ranges_are_refused(since, until, message):
    with pytest.raises(QueryError, match=message):
        DateRange(since, until)


def test_a_range_describes_itself():
    assert DateRange("2024-03", "2024-06").describe() == "2024-03 to 2024-06"
    assert DateRange(since="2024").describe() == "since 2024"
    assert DateRange(until="2024-06").describe() == "until 2024-06"
