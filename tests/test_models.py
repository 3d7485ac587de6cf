"""Every domain data file under models/ loads, and patterns are valid."""

from __future__ import annotations

import re

import pytest

from policycorpus.pipeline.gazetteer import Gazetteer
from policycorpus.resources import load_jsonl, models_root

FILES = sorted(
    f"{d.name}/{f.name}" if d.is_dir() else d.name
    for d in models_root().iterdir()
    for f in (d.iterdir() if d.is_dir() else [d])
    if f.name.endswith(".jsonl")
)


@pytest.mark.parametrize("name", FILES)
def test_every_data_file_parses(name):
    rows = load_jsonl(name)
    assert rows, f"models/{name} is empty"
    assert all(isinstance(row, dict) for row in rows)


@pytest.mark.parametrize("name", ["law_patterns.jsonl", "chrome.jsonl"])
def test_every_pattern_compiles(name):
    for row in load_jsonl(name):
        if "pattern" in row:
            re.compile(row["pattern"])


def test_gazetteer_entries_have_names_and_unique_ids():
    for name in ("gazetteer/agencies.jsonl", "gazetteer/organizations.jsonl",
                 "gazetteer/laws.jsonl"):
        rows = load_jsonl(name)
        ids = [row["id"] for row in rows]
        assert len(ids) == len(set(ids)), name
        assert all(row["name"].strip() for row in rows)


def test_the_gazetteer_knows_places_and_titles():
    gaz = Gazetteer.load()
    assert gaz.place("L.A.").name == "Los Angeles"
    assert gaz.place("N.J.").name == "New Jersey"
    assert gaz.place("Escondido").name == "Escondido"
    assert gaz.state_of("Escondido") == "California"
    assert any(t.title == "Mayor" and t.governmental for t in gaz.titles)
