"""Name linking across documents: one person, one entity, whatever the article."""

from __future__ import annotations

from conftest import run

from policycorpus.export.tables import document_entities, iter_rows
from policycorpus.store.database import Store


def test_a_surname_in_one_article_is_the_full_name_of_another(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Governor signs order\n\nPresident Joe Biden signed the order in Washington on Monday.\n")
    (corpus / "b.txt").write_text(
        "Reaction in Arizona\n\nArizona officials said Biden had gone too far with the order.\n")
    db = tmp_path / "c.db"
    assert run("ingest", str(corpus), "--db", str(db), "--workers", "1").exit_code == 0
    rows = [r for r in iter_rows(document_entities(Store(db)))
            if r["type"] in ("official", "person")]
    assert {(r["document"], r["name"], r["type"]) for r in rows} == {
        ("a.txt", "Joe Biden", "official"), ("b.txt", "Joe Biden", "official")}
    assert all("President" in r["role"] for r in rows)


def test_us_prefixes_and_possessives_do_not_split_an_agency(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Detainers rise\n\nU.S. Immigration and Customs Enforcement's detainers rose. "
        "Immigration and Customs Enforcement said ICE would continue.\n")
    db = tmp_path / "c.db"
    assert run("ingest", str(corpus), "--db", str(db), "--workers", "1").exit_code == 0
    agencies = [r["name"] for r in iter_rows(document_entities(Store(db))) if r["type"] == "agency"]
    assert agencies == ["U.S. Immigration and Customs Enforcement"]
