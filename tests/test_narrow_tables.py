"""Tables never split a file name, a path or a rule id: every report, rendered
at 80 and at 60 columns on a corpus whose files have long names, shows each
name and rule its ``--json`` lists in one piece."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from policycorpus.render.layout import keep_whole

ARTICLES = {
    "2025-09-14_valley-ledger_council-rent-vote.txt": """\
Riverton council approves rental ordinance

September 14, 2025

Mayor Denise Okafor said the Riverton City Council voted 5-2 to approve Ordinance 2025-41 \
on Tuesday. Council member Victor Hale voted against the ordinance.

"This ordinance protects tenants in every neighborhood of Riverton," Okafor said.

The Oregon Department of Housing will review the ordinance, according to the Tenant Justice \
League.
""",
    "capitol-bureau/2025-10-02_statehouse-wire_water.txt": """\
Governor signs water bill

October 2, 2025

Gov. Marcus Bellweather signed Senate Bill 318 into law on Thursday in Salem. The bill was \
sponsored by Sen. Priya Natarajan.

"Every farm in Oregon depends on this water," Bellweather said at the signing.

The Oregon Water Resources Department will enforce Senate Bill 318, and the Klamath Farmers \
Alliance filed a lawsuit challenging SB 318 on Friday.
""",
    "2025-10-20_coastal-tribune-opinion_housing.md": """\
# Housing and water in Oregon

October 20, 2025

Mayor Denise Okafor met Gov. Marcus Bellweather in Salem to talk about Ordinance 2025-41 and \
Senate Bill 318.

Sen. Priya Natarajan said the Oregon Department of Housing should fund new homes in Riverton.
""",
}

REPORTS = [
    ["person", "Denise Okafor"], ["person", "Marcus Bellweather"], ["law", "SB 318"],
    ["agency", "Oregon Department of Housing"], ["place", "Riverton"],
    ["org", "Klamath Farmers Alliance"], ["search", "water"], ["why", "Marcus Bellweather"],
    ["why", "SB 318"], ["documents"], ["show", "2025-10-20_coastal"], ["relations"],
    ["related", "SB 318"], ["timeline", "SB 318"], ["entities"],
]


@pytest.fixture(scope="module")
def long_names_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The articles above ingested once, under their long file names."""
    root = tmp_path_factory.mktemp("long-names")
    for name, text in ARTICLES.items():
        path = root / "corpus" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    db = root / "corpus.db"
    result = run("ingest", root / "corpus", "--db", db, "--workers", "1")
    assert result.exit_code == 0, result.output
    return db


def named_in(data: object) -> tuple[set[str], set[str]]:
    """The file names and the rule ids anywhere in a command's JSON."""
    names: set[str] = set()
    rules: set[str] = set()

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            if value in ARTICLES:
                names.add(value)
            elif key == "rule_id" and value:
                rules.add(value)

    walk(data)
    return names, rules


def test_the_corpus_has_names_longer_than_a_narrow_column(long_names_db):
    listed = json.loads(run("documents", "--json", "--db", long_names_db).stdout)
    assert {d["path"] for d in listed["documents"]} == set(ARTICLES)
    assert min(len(name) for name in ARTICLES) > 40


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("args", REPORTS, ids=lambda a: "-".join(a))
def test_every_file_name_and_rule_id_is_shown_whole(long_names_db, monkeypatch, args, width):
    data = json.loads(run(*args, "--json", "--db", long_names_db).stdout)
    names, rules = named_in(data)
    monkeypatch.setenv("COLUMNS", str(width))
    result = run(*args, "--db", long_names_db)
    assert result.exit_code == 0, result.output
    assert max(cell_len(line) for line in result.output.splitlines()) <= width
    shown = names | (rules if args[0] == "why" else set())  # only why shows the rules
    for token in sorted(shown):
        assert token in result.output, f"{token!r} is split or missing:\n{result.output}"
    if args[0] not in ("entities", "timeline"):
        assert names, "the report names no document: the test would prove nothing"
    if args[0] == "why":
        assert rules


# -- keep_whole on its own ------------------------------------------------------------


def rendered(renderable, width: int) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def roles_table() -> Table:
    table = Table(show_edge=False)
    table.add_column("title")
    table.add_column("organization")
    table.add_column("document")
    table.add_row("Commissioner", "Lane County Board of Commissioners",
                  "2025-08-30_eugene-weekly_budget-hearing.txt")
    return table


def test_a_table_that_fits_keeps_its_columns_and_the_name_on_one_line():
    text = rendered(keep_whole(roles_table(), {2: ["2025-08-30_eugene-weekly_budget-hearing.txt"]}),
                    width=100)
    row = next(line for line in text.splitlines() if "Commissioner" in line)
    assert "2025-08-30_eugene-weekly_budget-hearing.txt" in row  # still a table row
    assert "┃" in text  # with its header


def test_a_table_too_narrow_for_the_name_is_stacked_with_the_name_on_its_own_line():
    plain = rendered(roles_table(), width=60)
    assert "2025-08-30_eugene-weekly_budget-hearing.txt" not in plain  # what Rich does alone
    text = rendered(keep_whole(roles_table(), {2: ["2025-08-30_eugene-weekly_budget-hearing.txt"]},
                               lead=2), width=60)
    lines = [line.strip() for line in text.splitlines()]
    assert "2025-08-30_eugene-weekly_budget-hearing.txt" in lines
    assert lines[0] == "Commissioner  Lane County Board of Commissioners"
    assert max(cell_len(line) for line in text.splitlines()) <= 60


@pytest.mark.parametrize("width", [80, 60])
def test_a_correction_lists_the_documents_it_changes_whole(long_names_db, monkeypatch, width):
    report = json.loads(run("person", "Denise Okafor", "--json", "--db", long_names_db).stdout)
    names = {role["document"] for role in report["roles"]}
    assert names
    monkeypatch.setenv("COLUMNS", str(width))
    result = run("role", "Denise Okafor", "City Manager", "--org", "Riverton", "--dry-run",
                 "--db", long_names_db)
    assert result.exit_code == 0, result.output
    assert "Roles" in result.output
    for name in names:
        assert name in result.output, f"{name!r} is split or missing:\n{result.output}"
