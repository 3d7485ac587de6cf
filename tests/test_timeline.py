"""The timeline command and the --since/--until filters, on the corpus of every format
(dated by HTML meta tags, PDF and Word text, JSONL and CSV fields) and on the seeds."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

import pytest
from conftest import run
from format_fixtures import MIXED
from rich.console import Console

from policycorpus.query.daterange import DateRange
from policycorpus.query.reports import Entity, resolve
from policycorpus.query.timeline import Period, Timeline, timeline
from policycorpus.render.charts import bar, timeline_chart
from policycorpus.store.database import Store

ICE = "U.S. Immigration and Customs Enforcement"


def ice_mentions_per_document(db: str) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute(
            "select d.path, count(*) from mentions m join documents d on d.id = m.document_id"
            " join entities e on e.id = m.entity_id where e.name = ? group by d.path", [ICE]))
    finally:
        conn.close()


def expected_months(db: str) -> dict[str, tuple[int, int]]:
    """month -> (mentions, documents) of ICE, from the fixture's dates and the stored mentions."""
    per_doc = ice_mentions_per_document(db)
    mentions: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    for path, (_fmt, _published, month) in MIXED.items():
        if month:
            mentions[month] += per_doc[path]
            documents[month] += 1
    return {m: (mentions[m], documents[m]) for m in mentions}


def as_json(*args: str) -> dict:
    """Run a query command with ``--json`` and parse its standard output."""
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def periods(data: dict) -> dict[str, tuple[int, int]]:
    """period -> (mentions, documents) of a timeline's JSON, in its order."""
    return {p["period"]: (p["mentions"], p["documents"]) for p in data["periods"]}


# -- the command -----------------------------------------------------------------------


def test_timeline_counts_mentions_per_month_across_every_format(formats_db):
    db, _corpus, _result = formats_db

    data = as_json("timeline", "ice", "--db", db)

    assert data["entity"]["name"] == ICE
    rows = periods(data)
    assert list(rows) == ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11"]
    assert rows["2025-08"] == (0, 0)  # an empty month between two dated ones still shows
    assert {m: v for m, v in rows.items() if v != (0, 0)} == expected_months(db)
    per_doc = ice_mentions_per_document(db)
    unplaced = per_doc["notes.txt"] + per_doc["wire.jsonl#w3"]
    assert data["unplaced"] == {"mentions": unplaced, "documents": 2}


def test_the_chart_names_the_entity_and_what_it_leaves_out(formats_db):
    db, _corpus, _result = formats_db
    result = run("timeline", "ice", "--db", db)
    assert result.exit_code == 0, result.output
    assert ICE in result.output.splitlines()[0]
    unplaced = as_json("timeline", "ice", "--db", db)["unplaced"]
    assert (f"Not shown: {unplaced['mentions']} mentions in 2 documents whose date is unknown"
            f" or has no month.") in result.output
    for period, (mentions, documents) in periods(as_json("timeline", "ice", "--db", db)).items():
        if mentions:  # a bar, then the counts, on the period's line
            line = next(line for line in result.output.splitlines() if line.startswith(period))
            assert line.split()[-3:] == [str(mentions), str(documents),
                                         "doc" if documents == 1 else "docs"]


def test_timeline_by_year_places_a_record_dated_only_by_year(formats_db):
    db, _corpus, _result = formats_db
    per_doc = ice_mentions_per_document(db)

    result = run("timeline", ICE, "--by", "year", "--db", db)

    assert result.exit_code == 0, result.output
    dated = sum(n for path, n in per_doc.items() if path != "notes.txt")
    data = as_json("timeline", ICE, "--by", "year", "--db", db)
    assert periods(data) == {"2025": (dated, len(MIXED) - 1)}
    assert data["unplaced"]["documents"] == 1
    assert f"{dated} mentions in {len(MIXED) - 1} documents, in 2025" in result.output
    assert "1 document whose date is unknown." in result.output


def test_since_and_until_narrow_the_timeline(formats_db):
    db, _corpus, _result = formats_db

    args = ("timeline", "ICE", "--since", "2025-09", "--until", "2025-10-31", "--db", db)

    expected = expected_months(db)
    assert periods(as_json(*args)) == {m: expected[m] for m in ("2025-09", "2025-10")}
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "mentions per month, 2025-09 to 2025-10-31" in result.output


def test_timeline_json_for_scripts(formats_db):
    db, _corpus, _result = formats_db

    result = run("timeline", "ICE", "--type", "agency", "--json", "--db", db)

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["entity"]["name"] == ICE and data["entity"]["type"] == "agency"
    assert (data["by"], data["since"], data["until"]) == ("month", None, None)
    periods = {p["period"]: (p["mentions"], p["documents"])
               for p in data["periods"] if p["mentions"]}
    assert periods == expected_months(db)
    assert data["unplaced"]["documents"] == 2


def test_piped_timeline_is_plain_and_fits_80_columns(formats_db):
    db, _corpus, _result = formats_db
    result = run("timeline", "ICE", "--db", db)  # COLUMNS=200, not a terminal
    assert "\x1b[" not in result.output and "█" not in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_timeline_of_an_unknown_name_suggests_close_ones(formats_db):
    db, _corpus, _result = formats_db
    result = run("timeline", "Jery Dyer", "--db", db)
    assert result.exit_code == 1
    assert ("Error: no official/person/agency/organization/law/place named 'Jery Dyer'"
            in result.output)
    assert "Did you mean: Jerry Dyer" in result.output
    data = as_json("timeline", "dyer", "--type", "people", "--db", db)
    assert [(period, docs) for period, (_n, docs) in periods(data).items()] == \
        [("2025-11", 2)]  # fresno.html and archive.csv#2
    result = run("timeline", "Jerry Dyer", "--type", "law", "--db", db)
    assert result.exit_code == 1
    assert "no law named 'Jerry Dyer'" in result.output


def test_timeline_rejects_a_bad_date(formats_db):
    db, _corpus, _result = formats_db
    result = run("timeline", "ICE", "--since", "Sept 2025", "--db", db)
    assert result.exit_code == 2
    assert "'Sept 2025' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD" in result.output
    result = run("timeline", "ICE", "--since", "2025-10", "--until", "2025-09", "--db", db)
    assert result.exit_code == 2
    assert "--since 2025-10 is after --until 2025-09" in result.output


# -- the query and the chart -----------------------------------------------------------


def test_timeline_query_for_officials_and_persons(formats_db):
    db, _corpus, _result = formats_db
    store = Store(db, readonly=True)
    try:
        dyer = resolve(store, "dyer", ("official", "person"))
        result = timeline(store, dyer, dates=DateRange(since="2025-11"))
    finally:
        store.close()
    assert [(p.period, p.documents) for p in result.periods] == [("2025-11", 2)]
    assert result.unplaced_mentions == 0
    assert result.as_dict()["since"] == "2025-11"


def test_the_chart_draws_block_bars_in_a_terminal_and_fits_the_width():
    entity = Entity(7, "agency", ICE)
    result = Timeline(entity, "month", DateRange(),
                      [Period("2025-09", 12, 3), Period("2025-10", 0, 0), Period("2025-11", 3, 1)],
                      unplaced_mentions=1, unplaced_documents=1)
    console = Console(width=120, record=True, force_terminal=True, color_system="truecolor")
    console.print(timeline_chart(result, width=80))
    text = console.export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    september = next(line for line in lines if line.startswith("2025-09"))
    november = next(line for line in lines if line.startswith("2025-11"))
    assert september.count("█") > 3 * november.count("█") > 0
    assert "15 mentions in 4 documents, 2025-09 to 2025-11" in text
    assert "Not shown: 1 mention in 1 document" in text


@pytest.mark.parametrize("value, largest, width, plain, drawn", [
    (10, 10, 20, True, "#" * 20),
    (5, 10, 20, True, "#" * 10),
    (1, 1000, 20, True, "#"),          # a small value still shows
    (0, 10, 20, True, ""),
    (10, 10, 4, False, "████"),
    (1, 16, 4, False, "▎"),           # two eighths of a cell
])
def test_bar_lengths(value, largest, width, plain, drawn):
    assert bar(value, largest, width, plain=plain) == drawn


# -- --since / --until on person and law (the seeds: only one letter is dated) ---------


def test_law_since_leaves_out_earlier_and_undated_documents(seeded_db):
    result = run("law", "287(g)", "--since", "2018", "--db", seeded_db)
    assert result.exit_code == 0, result.output
    assert "Documents published since 2018; undated ones left out." in result.output
    report = as_json("law", "287(g)", "--since", "2018", "--db", seeded_db)
    assert (report["document_count"], report["documents"]) == (0, [])

    report = as_json("law", "287(g)", "--until", "2017-02", "--db", seeded_db)
    assert [d["path"] for d in report["documents"]] == ["003_c85576414f7e80aa.txt"]


def test_person_with_a_range_shows_only_dated_documents(seeded_db):
    everything = as_json("person", "wells", "--db", seeded_db)
    assert len(everything["documents"]) == 2 and everything["sentences"]
    dated = as_json("person", "wells", "--since", "2000", "--db", seeded_db)
    assert (dated["documents"], dated["sentences"]) == ([], [])


def test_query_commands_load_neither_spacy_nor_the_format_libraries(formats_db):
    import subprocess
    import sys

    db, _corpus, _result = formats_db
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from policycorpus.cli.main import cli\n"
        "for args in (['timeline', 'ICE', '--since', '2025'],"
        " ['person', 'dyer', '--until', '2025'], ['law', 'SB 54', '--since', '2025-10']):\n"
        "    result = CliRunner().invoke(cli, [*args, '--db', sys.argv[1]])\n"
        "    assert result.exit_code == 0, result.output\n"
        "print([m for m in ('spacy', 'trafilatura', 'pypdf', 'docx') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code, db], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
