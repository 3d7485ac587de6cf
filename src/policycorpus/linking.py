"""Cross-document entity linking, run on the store after each ingest.

Within a document the pipeline already joins "Wells" to "Bill Wells". Across
documents, an entity is one row per (type, name); two more rules join what
one document alone cannot:

- a person named the same as an official is that official ("Donald Trump"
  without a title in one article, "President Donald Trump" in another);
- a one-word name ("Trump") that is the surname of exactly one full name of a
  person or official in the corpus is that person.
"""

from __future__ import annotations

from collections import defaultdict

from policycorpus.names import alias_key
from policycorpus.store import Store



def link_corpus(store: Store) -> int:
    """Merge entities that name the same person across documents; return merges."""
    merges = 0
    with store.atomic():
        rows = store.db.execute(
            "select id, type, name from entities where type in ('official', 'person')"
        ).fetchall()
        officials = {alias_key(name): id_ for id_, type_, name in rows if type_ == "official"}
        for id_, type_, name in rows:
            target = officials.get(alias_key(name))
            if type_ == "person" and target is not None:
                store.merge_entities(target, id_)
                merges += 1
        rows = store.db.execute(
            "select id, type, name from entities where type in ('official', 'person')"
        ).fetchall()
        by_surname: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for id_, type_, name in rows:
            words = name.split()
            if len(words) >= 2:
                by_surname[alias_key(words[-1])].append((id_, type_))
        for id_, type_, name in rows:
            if len(name.split()) != 1:
                continue
            targets = by_surname.get(alias_key(name), [])
            if len(targets) == 1:
                target_id, target_type = targets[0]
                if type_ == "official" and target_type == "person":
                    store.db.execute("update entities set type = 'official' where id = ?",
                                     [target_id])
                store.merge_entities(target_id, id_)
                merges += 1
    return merges
