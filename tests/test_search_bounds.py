"""A search costs bounded work whatever the query and however long the documents (issue 13)."""

from __future__ import annotations

import pytest

from policycorpus.query import reports as q
from policycorpus.errors import QueryError
from policycorpus.store.database import DocumentRecord, Store

from conftest import run


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "search.db")
    filler = "The board of supervisors met on Tuesday about the county budget. " * 400
    store.write_documents([
        DocumentRecord(path="short.txt", hash="a", text="Deputies in Yakima County "
                       "stopped honoring detainers, the sheriff said."),
        DocumentRecord(path="long.txt", hash="b", text=filler + "Then the sheriff spoke "
                       "about detainers and the jail. " + filler),
    ])
    yield store
    store.close()


def test_a_query_of_thousands_of_words_is_refused_with_the_bounds(store):
    with pytest.raises(QueryError, match=f"at most {q.MAX_QUERY_WORDS} words"):
        q.search(store, " ".join(["sheriff"] * 20_000))
    with pytest.raises(QueryError, match="too long"):
        q.search(store, "x" * (q.MAX_QUERY_CHARS + 1), literal=True)


def test_the_cli_says_so_in_one_line(store, tmp_path):
    result = run("search", " ".join(["detainers"] * 2_000), "--db", tmp_path / "search.db")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "too long (2,000 words" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_query_within_the_bounds_still_answers(store):
    hits = q.search(store, " ".join(["detainers"] * q.MAX_QUERY_WORDS))
    assert {h.path for h in hits} == {"short.txt", "long.txt"}


def test_a_long_document_gets_a_snippet_around_its_first_match(store, monkeypatch):
    monkeypatch.setattr(q, "SNIPPET_MAX_CHARS", 1_000)
    calls = []
    real = q._first_match_snippet
    monkeypatch.setattr(q, "_first_match_snippet",
                        lambda text, query: calls.append(len(text)) or real(text, query))
    hits = {h.path: h for h in q.search(store, "detainers sheriff")}
    assert len(calls) == 1 and calls[0] > 1_000, "only the long document, once"
    long = hits["long.txt"]
    assert len(long.snippet) <= 2 * q.SNIPPET_CONTEXT + 40
    marked = {long.snippet[s:e] for s, e in long.spans}
    assert marked == {"sheriff", "detainers"}
    assert "sheriff" in hits["short.txt"].snippet


def test_snippets_are_made_only_for_the_documents_returned(store, monkeypatch):
    seen = []
    original = q._snippet_row
    monkeypatch.setattr(q, "_snippet_row",
                        lambda s, m, text, doc_id: seen.append(doc_id) or original(s, m, text, doc_id))
    assert len(q.search(store, "detainers", limit=1)) == 1
    assert len(seen) == 1
