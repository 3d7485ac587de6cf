"""The README and the help text stay in step with the commands and exports."""

from __future__ import annotations

import pytest
from conftest import ROOT

from policycorpus.cli.main import cli
from policycorpus.export import tables as export

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name):
    command = cli.commands[name]
    assert command.help and "Example:" in command.help
    assert f"policycorpus {name}" in README or f"`{name}" in README


@pytest.mark.parametrize("view", sorted(export.VIEWS))
def test_every_export_documents_its_columns_in_the_readme(view, tmp_path):
    from policycorpus.store.database import Store

    columns, _rows = export.VIEWS[view](Store(tmp_path / "empty.db"))
    assert f"| `{view}` | `{', '.join(columns)}` |" in README
