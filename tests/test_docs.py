"""The README, docs/ and the help text stay in step with the commands and exports."""

from __future__ import annotations

import pytest
from conftest import ROOT

from policycorpus.cli.main import cli
from policycorpus.export import tables as export

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example_a_line_in_the_readme_and_a_reference(name):
    command = cli.commands[name]
    assert command.help and "Example:" in command.help
    assert f"`{name}" in README.split("## Commands")[1].split("\n## ")[0]
    assert f"\n## {name}\n" in (DOCS / "commands.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("view", sorted(export.VIEWS))
def test_every_export_documents_its_columns_in_the_docs(view, tmp_path):
    from policycorpus.store.database import Store

    columns, _rows = export.VIEWS[view](Store(tmp_path / "empty.db"))
    database = (DOCS / "database.md").read_text(encoding="utf-8")
    assert f"| `{view}` | `{', '.join(columns)}` |" in database


def test_the_command_reference_is_generated_from_the_current_help():
    """docs/commands.md is cog output of every --help; `make docs` refreshes it."""
    from cogapp import Cog

    status = Cog().main(["cog", "--check", str(DOCS / "commands.md")])
    assert status == 0, "docs/commands.md is stale: run `make docs`"


def test_help_text_fits_80_columns():
    reference = (DOCS / "commands.md").read_text(encoding="utf-8")
    generated = reference.split("<!-- [[[end]]] -->")[0].split("]]] -->")[1]
    assert [line for line in generated.splitlines() if len(line) > 80] == []


def test_the_readme_stays_short_and_links_every_docs_page():
    assert len(README.splitlines()) < 250
    for page in sorted(DOCS.glob("*.md")):
        assert f"(docs/{page.name})" in README, page.name
