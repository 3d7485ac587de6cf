"""Corrections: each verb writes the corrections file, and after ``reapply``
(no model) the answers of queries change; a dry run changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from conftest import SEEDS, copy_db, run, summary_count

from policycorpus.corpus import corrections as fixes
from policycorpus.errors import InputError
from conftest import rows


@pytest.fixture
def db(seeded_db, tmp_path) -> Path:
    """A writable copy of the seeded database (its corrections file beside it)."""
    return copy_db(seeded_db, tmp_path / "corpus.db")


def shown(db: Path, command: str, name: str) -> tuple[str, str]:
    """(type, name) of the entity a query command (``agency NAME``) shows."""
    result = run(command, name, "--db", db, "--json")
    assert result.exit_code == 0, result.output
    entity = json.loads(result.stdout)["entity"]
    return entity["type"], entity["name"]


def entries(db: Path, kind: str) -> list[dict]:
    with open(db.parent / "corpus.corrections.toml", "rb") as handle:
        return tomllib.load(handle).get(kind, [])


def entity_of(db: Path, surface: str) -> list[tuple[str, str]]:
    """(type, name) of the entities that have a mention with this exact text."""
    return sorted(set(rows(db, "select e.type, e.name from mentions m join entities e"
                               " on e.id = m.entity_id where m.text = ?", (surface,))))


# -- the file ------------------------------------------------------------------------------


def test_adding_an_entry_keeps_what_the_user_wrote(tmp_path):
    path = tmp_path / "corrections.toml"
    path.write_text('# reviewed by the desk\n[[ignore]]\nname = "Advertise Today"  # chrome\n')
    assert fixes.add_entry(path, "merge", {"into": "Bill Wells", "names": ["Wells"]})
    text = path.read_text()
    assert text.startswith('# reviewed by the desk\n[[ignore]]\nname = "Advertise Today"  # chrome\n')
    loaded = fixes.load(path)
    assert [i.name for i in loaded.ignores] == ["Advertise Today"]
    assert loaded.merges == [fixes.Merge("Bill Wells", ("Wells",))]
    assert not fixes.add_entry(path, "merge", {"into": "Bill Wells", "names": ["Wells"]})
    assert len(fixes.load(path).merges) == 1


@pytest.mark.parametrize("text, message", [
    ('[[rename]]\nname = "x"\n', "unknown section [[rename]]"),
    ('[[retype]]\nname = "KPBS"\n', "[[retype]] #1 lacks type"),
    ('[[retype]]\nname = "KPBS"\ntype = "company"\n', "type must be one of"),
    ('[[merge]]\ninto = "A"\nnames = "B"\n', "names must be a list of names"),
    ('[[ignore]]\nname = "x"\ncolour = "red"\n', "unknown keys: colour"),
    ("[[ignore]\n", "not a readable TOML corrections file"),
])
def test_a_bad_file_is_refused_with_the_entry_at_fault(tmp_path, text, message):
    path = tmp_path / "corrections.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        fixes.load(path)


def test_a_bad_file_is_a_one_line_error_on_the_command_line(db):
    (db.parent / "corpus.corrections.toml").write_text('[[retype]]\nname = "KPBS"\n')
    result = run("reapply", "--db", db)
    assert result.exit_code == 4
    assert "lacks type" in result.output
    assert "Traceback" not in result.output


# -- each verb round-trips through the file and changes answers after reapply ---------------


def test_merge(db):
    assert shown(db, "agency", "Border Patrol") == ("agency", "U.S. Border Patrol")
    result = run("merge", "U.S. Border Patrol", "U.S. Customs and Border Protection",
                 "--into", "U.S. Customs and Border Protection", "--no-apply", "--db", db)
    assert result.exit_code == 0, result.output
    assert "agency U.S. Border Patrol" in result.output  # the change it makes
    assert entries(db, "merge") == [{"into": "U.S. Customs and Border Protection",
                                     "names": ["U.S. Border Patrol"]}]
    assert entity_of(db, "Border Patrol") == [("agency", "U.S. Border Patrol")]
    assert run("reapply", "--db", db).exit_code == 0
    assert entity_of(db, "Border Patrol") == [("agency", "U.S. Customs and Border Protection")]
    assert shown(db, "agency", "Border Patrol") == ("agency", "U.S. Customs and Border Protection")
    assert rows(db, "select count(*) from entities where name = 'U.S. Border Patrol'") == [(0,)]
    corrections = rows(db, "select distinct correction from mentions where text = 'Border Patrol'")
    assert corrections == [("merge: U.S. Border Patrol -> U.S. Customs and Border Protection",)]


def test_merge_uses_the_fullest_name_by_default(db):
    result = run("merge", "Goble", "Steve Goble", "--no-apply", "--db", db)
    assert result.exit_code == 0, result.output
    assert entries(db, "merge") == [{"into": "Steve Goble", "names": ["Goble"]}]


def test_alias(db):
    assert run("agency", "la migra", "--db", db).exit_code == 1
    result = run("alias", "U.S. Immigration and Customs Enforcement", "la migra", "--no-apply",
                 "--db", db)
    assert result.exit_code == 0, result.output
    assert entries(db, "alias") == [{"name": "U.S. Immigration and Customs Enforcement",
                                     "aliases": ["la migra"]}]
    assert run("reapply", "--db", db).exit_code == 0
    assert shown(db, "agency", "la migra") == ("agency", "U.S. Immigration and Customs Enforcement")


def test_ignore_and_unignore(db):
    before = rows(db, "select id, entity_id from mentions where text = 'NBC 7' order by id")
    assert len(before) == 3
    result = run("ignore", "NBC 7", "--no-apply", "--db", db)
    assert result.exit_code == 0, result.output
    assert "organization NBC 7" in result.output and "(ignored)" in result.output
    assert entries(db, "ignore") == [{"name": "NBC 7"}]
    assert run("reapply", "--db", db).exit_code == 0
    assert rows(db, "select count(*) from mentions where text = 'NBC 7'") == [(0,)]
    assert rows(db, "select count(*) from entities where name = 'NBC 7'") == [(0,)]
    why = run("why", "NBC 7", "--db", db, "--json")
    assert why.exit_code == 0
    report = json.loads(why.stdout)
    assert report["ignored_by"] == ["ignore: NBC 7"]
    assert sorted(m["id"] for m in report["ignored"]) == [mid for mid, _ in before]
    # taking the entry out of the file brings the same mentions back
    (db.parent / "corpus.corrections.toml").write_text("")
    assert run("reapply", "--db", db).exit_code == 0
    after = rows(db, "select id from mentions where text = 'NBC 7' order by id")
    assert after == [(mid,) for mid, _ in before]
    assert entity_of(db, "NBC 7") == [("organization", "NBC 7")]


def test_retype(db):
    assert run("agency", "KPBS", "--db", db).exit_code == 1
    result = run("retype", "KPBS", "agency", "--from", "organization", "--no-apply", "--db", db)
    assert result.exit_code == 0, result.output
    assert entries(db, "retype") == [{"name": "KPBS", "type": "agency", "from": "organization"}]
    assert run("reapply", "--db", db).exit_code == 0
    assert run("agency", "KPBS", "--db", db).exit_code == 0
    assert entity_of(db, "KPBS") == [("agency", "KPBS")]


def test_role(db):
    [(larson_id, level, jurisdiction)] = rows(
        db, "select id, level, jurisdiction from entities where name = 'Jeremiah Larson'")
    assert (level, jurisdiction) == ("municipal", "")
    result = run("role", "Jeremiah Larson", "Police Chief", "--org", "El Cajon", "--no-apply",
                 "--db", db)
    assert result.exit_code == 0, result.output
    assert entries(db, "role") == [{"name": "Jeremiah Larson", "title": "Police Chief",
                                    "org": "El Cajon"}]
    assert run("reapply", "--db", db).exit_code == 0
    assert rows(db, "select title, org, level, jurisdiction from roles where entity_id = ?",
                (larson_id,)) == [("Police Chief", "El Cajon", "municipal", "El Cajon")]
    listed = run("entities", "--type", "official", "--jurisdiction", "El Cajon", "--db", db,
                 "--json")
    assert listed.exit_code == 0
    assert {"Jeremiah Larson", "Bill Wells"} <= {r["name"] for r in json.loads(listed.stdout)}


def test_a_dry_run_writes_nothing(db):
    before = rows(db, "select * from entities order by id")
    result = run("retype", "NBC 7", "agency", "--dry-run", "--db", db)
    assert result.exit_code == 0, result.output
    assert "organization NBC 7" in result.output and "agency NBC 7" in result.output
    assert not (db.parent / "corpus.corrections.toml").exists()
    assert rows(db, "select * from entities order by id") == before


def test_a_correction_that_matches_nothing_is_refused_unless_forced(db):
    result = run("retype", "Nobody Anywhere", "agency", "--db", db)
    assert result.exit_code == 2
    assert "no entity named 'Nobody Anywhere'" in result.output and "--force" in result.output
    assert not (db.parent / "corpus.corrections.toml").exists()
    result = run("retype", "Nobody Anywhere", "agency", "--force", "--db", db)
    assert result.exit_code == 0
    assert "no entity named 'Nobody Anywhere'" in result.output
    assert entries(db, "retype") == [{"name": "Nobody Anywhere", "type": "agency"}]


# -- reapply ---------------------------------------------------------------------------------


def test_reapply_without_corrections_changes_nothing(db):
    tables = ("entities", "aliases", "mentions", "roles")
    before = {t: rows(db, f"select * from {t} order by id") for t in tables}
    result = run("reapply", "--db", db)
    assert result.exit_code == 0
    assert summary_count(result.output, "mentions moved") == 0
    assert {t: rows(db, f"select * from {t} order by id") for t in tables} == before


def test_ingest_applies_a_changed_corrections_file_without_the_model(db, tmp_path):
    path = tmp_path / "review" / "fixes.toml"
    fixes.add_entry(path, "ignore", {"name": "NBC Universal, Inc."})
    result = run("ingest", SEEDS, "--db", db, "--corrections", path)
    assert result.exit_code == 0, result.output
    assert summary_count(result.output, "unchanged") == 5
    assert rows(db, "select count(*) from entities where name = 'NBC Universal, Inc.'") == [(0,)]


def test_reapply_runs_without_spacy(seeded_db, tmp_path):
    """Every verb and reapply in a fresh interpreter: spaCy is never imported."""
    db = copy_db(seeded_db, tmp_path / "corpus.db")
    script = textwrap.dedent(f"""
        import sys, json
        from click.testing import CliRunner
        from policycorpus.cli.main import cli
        db = {str(db)!r}
        out = []
        for args in (["merge", "Goble", "Steve Goble"], ["alias", "United States", "the States"],
                     ["ignore", "NBC Universal, Inc."], ["retype", "KPBS", "agency"],
                     ["role", "Jeremiah Larson", "Police Chief", "--org", "El Cajon"],
                     ["reapply"], ["agency", "KPBS"], ["why", "the States"]):
            result = CliRunner().invoke(cli, [*args, "--db", db])
            out.append((args[0], result.exit_code))
        print(json.dumps({{"codes": out, "spacy": "spacy" in sys.modules}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, env={"PATH": "", "COLUMNS": "200", "NO_COLOR": "1"})
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["spacy"] is False
    assert all(code == 0 for _verb, code in report["codes"]), report
    assert rows(db, "select type from entities where name = 'KPBS'") == [("agency",)]
