"""A large batch of mentions (written by a reapply) is counted in document_entities as the trigger
counts one mention at a time, and the trigger is there again afterwards."""

from __future__ import annotations

from pathlib import Path

from policycorpus.corpus.corrections import Corrections
from policycorpus.corpus.reapply import reapply
from policycorpus.store import derived
from policycorpus.store.database import DocumentRecord, EntityRecord, MentionRecord, Store


def _story(number: int) -> DocumentRecord:
    names = ["Harbor Transit Authority", "Ines Castellano", "Pueblo Verde"]
    text = " ".join(names * 10)
    entities = []
    for k, (type_, name) in enumerate(zip(("agency", "person", "place"), names)):
        mentions, at = [], 0
        for _ in range(10 + k * number % 7):
            at = text.find(name, at)
            if at < 0:
                break
            mentions.append(MentionRecord(at, at + len(name), name, 0, len(text)))
            at += len(name)
        entities.append(EntityRecord(type_, name, mentions=mentions))
    return DocumentRecord(path=f"/bulletins/{number}.txt", hash=f"b{number}", text=text,
                          entities=entities)


def _counts(store: Store) -> tuple[list[tuple], list[tuple]]:
    kept = store.db.execute("select entity_id, document_id, mentions from document_entities"
                            " order by 1, 2").fetchall()
    counted = store.db.execute("select entity_id, document_id, count(*) from mentions"
                               " group by 1, 2 order by 1, 2").fetchall()
    return kept, counted


def test_a_large_batch_counts_its_mentions_like_the_trigger(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    store.write_documents([_story(0)])  # a small batch: the trigger counts
    reapply(store, Corrections())  # the corpus layer writes the mentions
    batch = [_story(n) for n in range(1, 60)]
    assert sum(len(e.mentions) for d in batch for e in d.entities) >= derived.BULK
    store.write_documents(batch)
    reapply(store, Corrections())
    kept, counted = _counts(store)
    assert kept == counted and len(kept) == 3 * 60
    assert store.db.execute("select count(*) from sqlite_master where type = 'trigger'"
                            " and name = ?", [derived.TRIGGER]).fetchone()[0] == 1
    store.write_documents([_story(60)])  # and counts the next small batch
    store.delete_documents(["/bulletins/5.txt"])
    reapply(store, Corrections())
    kept, counted = _counts(store)
    assert kept == counted and len(kept) == 3 * 60
