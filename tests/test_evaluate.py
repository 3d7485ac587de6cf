"""``policycorpus evaluate`` prints the same figures as the shared score.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "gold" / "seeds.jsonl"
SCORE = SHARED / "score.py"

needs_shared = pytest.mark.skipif(not SCORE.exists(), reason="../shared/score.py not present")


@needs_shared
def test_evaluate_prints_the_table_of_score_py(seeded_db, tmp_path):
    export = tmp_path / "e.csv"
    assert run("export", "document-entities", "-o", str(export), "--db", seeded_db).exit_code == 0
    expected = subprocess.run([sys.executable, str(SCORE), str(GOLD), str(export)],
                              capture_output=True, text=True, check=True).stdout
    result = run("evaluate", str(GOLD), "--db", seeded_db)
    assert result.exit_code == 0
    assert result.output.strip() == expected.strip()


@needs_shared
def test_evaluate_json_matches_score_py_json(seeded_db, tmp_path):
    export = tmp_path / "e.csv"
    run("export", "document-entities", "-o", str(export), "--db", seeded_db)
    expected = json.loads(subprocess.run(
        [sys.executable, str(SCORE), str(GOLD), str(export), "--json"],
        capture_output=True, text=True, check=True).stdout)
    result = run("evaluate", str(GOLD), "--json", "--db", seeded_db)
    assert json.loads(result.output) == expected


@needs_shared
def test_the_seeds_meet_the_quality_targets(seeded_db):
    scores = json.loads(run("evaluate", str(GOLD), "--json", "--db", seeded_db).output)
    assert scores["all"]["f1"] >= 0.95
    assert scores["official_role_accuracy"] >= 0.95


def test_a_gold_file_that_is_not_jsonl_is_a_clear_error(seeded_db, tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text("not json\n")
    result = run("evaluate", str(bad), "--db", seeded_db)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "not a gold record" in result.output


def test_a_small_gold_scores_by_the_annotation_rules(tmp_path):
    from policycorpus.query.evaluate import role_ok, score

    gold = {"a.txt": [
        {"type": "official", "name": "Bill Wells", "aliases": ["Wells"], "role": "Mayor"},
        {"type": "place", "name": "United States", "aliases": ["U.S."]},
        {"type": "place", "name": "San Diego", "optional": True},
    ]}
    predicted = [
        {"document": "dir/a.txt", "type": "official", "name": "Bill Wells", "role": "El Cajon Mayor"},
        {"document": "a.txt", "type": "official", "name": "Wells", "role": "Mayor"},
        {"document": "a.txt", "type": "place", "name": "U.S.", "role": ""},
    ]
    table = score(gold, predicted).table()
    assert table["official"]["tp"] == 1 and table["official"]["fp"] == 1  # unmerged
    assert table["place"]["f1"] == 1.0
    assert table["official_role_accuracy"] == 1.0
    assert role_ok("Gov.", "Governor") and role_ok("spokesman", "Sgt.; spokeswoman")


def test_errors_are_grouped_by_type_and_kind_with_wrong_roles(tmp_path):
    from policycorpus.query.evaluate import format_errors, grouped_errors, score

    gold = {"b.txt": [
        {"type": "official", "name": "Ana Diaz", "aliases": ["Diaz"], "role": "Sheriff"},
        {"type": "official", "name": "Tom Lee", "role": "Mayor"},
        {"type": "person", "name": "Dee Park"},
    ]}
    predicted = [
        {"document": "b.txt", "type": "official", "name": "Ana Diaz", "role": "Treasurer"},
        {"document": "b.txt", "type": "official", "name": "Diaz", "role": "Sheriff"},
        {"document": "b.txt", "type": "person", "name": "Budget Vote", "role": ""},
    ]
    result = score(gold, predicted)
    kinds = [(t, k) for t, k, _, _ in grouped_errors(result)]
    assert kinds == [("official", "missed"), ("official", "unmerged"), ("official", "role"),
                     ("person", "missed"), ("person", "extra")]
    text = format_errors(result)
    assert "official wrong role (1)" in text and "gold 'Sheriff', predicted 'Treasurer'" in text


def test_evaluate_show_errors_json_lists_the_errors(seeded_db, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"document": "nowhere.txt", "entities": [
        {"type": "person", "name": "Nobody Here"}]}) + "\n", encoding="utf-8")
    result = run("evaluate", gold, "--db", seeded_db, "--show-errors", "--json")
    assert result.exit_code == 0, result.output
    errors = json.loads(result.stdout)["errors"]
    assert {"type": "person", "kind": "missed", "document": "nowhere.txt",
            "name": "Nobody Here"} in errors
