"""The incremental corpus layer: after any sequence of added, replaced and
deleted documents and of correction changes, an incremental reapply leaves
every derived table exactly as a full rebuild does (ids included)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from policycorpus.corpus import incremental as layer
from policycorpus.corpus.corrections import Alias, Corrections, Ignore, Merge, Retype, Role
from policycorpus.corpus.reapply import reapply
from policycorpus.records import RelationFix
from policycorpus.store import relations as relations_store
from policycorpus.store.database import (
    DocumentRecord,
    EntityRecord,
    MentionRecord,
    QuoteRecord,
    RelationRecord,
    Store,
)

FIRST = ["Ana", "Tomas", "Greta", "Idris", "Noor"]
LAST = ["Okafor", "Lindqvist", "Barros", "Kaur"]
# facts (level, jurisdiction, law key) come from the names, the titles and the
# document's places, as the corpus layer reads them
AGENCIES = ["Harbor County Sheriff's Office", "Bureau of Prisons", "Tacoma Police Department",
            "Washington State Patrol"]
ORGS = ["Prairie Justice Network", "Coastal Tenants Union"]
LAWS = ["HB 1090", "Safe Streets Act", "SB 7", "Clean Slate Act"]
PLACES = ["Spokane", "Reno", "Oregon", "Tacoma"]
TITLES = [("Sheriff", "Harbor County"), ("Mayor", "Tacoma"), ("Sen.", ""), ("Rep.", ""),
          ("Attorney General", "Nevada")]


def _entity(rng: random.Random, offset: int) -> tuple[EntityRecord, int]:
    kind = rng.choice(["person", "person", "official", "agency", "org", "law", "place"])
    role = org = ""
    if kind in ("person", "official"):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = rng.choice([f"{first} {last}", f"{first} {last}", last])
        surfaces = [name, last]
        if kind == "official":
            role, org = rng.choice(TITLES)
    elif kind in ("agency", "law"):
        name = rng.choice(AGENCIES if kind == "agency" else LAWS)
        surfaces = [name]
    else:
        name = rng.choice(ORGS if kind == "org" else PLACES)
        surfaces = [name]
    mentions = []
    for _ in range(rng.randint(1, 3)):
        text = rng.choice(surfaces)
        mentions.append(MentionRecord(offset, offset + len(text), text, offset, offset + 40))
        offset += 50
    # now and then a person confirmed against one of two public records
    record = rng.choice(["ocd-person/r1", "ocd-person/r2"]) if (
        kind in ("person", "official") and rng.random() < 0.2) else ""
    return EntityRecord(kind, name, role=role, org=org, officeholder_id=record,
                        mentions=mentions), offset


def _document(rng: random.Random, path: str) -> DocumentRecord:
    entities, offset = [], 0
    seen: set[tuple[str, str]] = set()
    for _ in range(rng.randint(1, 5)):
        entity, offset = _entity(rng, offset)
        if (entity.type, entity.name) not in seen:
            seen.add((entity.type, entity.name))
            entities.append(entity)
    speakers = [e for e in entities if e.type in ("person", "official")]
    quotes = [QuoteRecord(offset + 1, offset + 20, "we will keep going", s.type, s.name,
                          s.mentions[0].start, s.mentions[0].end, s.mentions[0].text)
              for s in speakers[:1]]
    actors = [e for e in entities if e.type in ("person", "official", "agency", "org")]
    laws = [e for e in entities if e.type == "law"]
    relations = []
    for actor in actors[:2]:
        for law in laws[:1]:
            s, o = rng.choice(actor.mentions), rng.choice(law.mentions)
            relations.append(RelationRecord(
                rng.choice(["sponsor", "sign", "oppose"]), actor.type, actor.name, s.start, s.end,
                law.name, o.start, o.end, s.end + 1, s.end + 6, s.sent_start, s.sent_end,
                s.text, o.text, "signed", "test"))
    text = f"{path} " + " ".join(rng.choice(["budget", "jail", "bill"]) for _ in range(30))
    return DocumentRecord(path=path, hash=f"{rng.random()}", text=text, title=path,
                          entities=entities, quotes=quotes, relations=relations,
                          published=f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")


def _corrections(rng: random.Random, count: int) -> Corrections:
    names = ([f"{f} {l}" for f in FIRST for l in LAST] + LAST + AGENCIES
             + ORGS + LAWS + PLACES)
    fixes = Corrections(digest=f"{rng.random()}")
    for _ in range(count):
        kind = rng.choice(["merge", "alias", "ignore", "retype", "role"])
        name = rng.choice(names)
        if kind == "merge":
            fixes.merges.append(Merge(rng.choice([name, "Joint Task Force"]),
                                      (name, rng.choice(names))))
        elif kind == "alias":
            fixes.aliases.append(Alias(name, (rng.choice(names),)))
        elif kind == "ignore":
            fixes.ignores.append(Ignore(name, rng.choice(["", "place", "person"])))
        elif kind == "retype":
            fixes.retypes.append(Retype(name, rng.choice(["org", "agency", "official"])))
        else:
            fixes.roles.append(Role(name, "Commissioner", rng.choice(["", "Tacoma"])))
    if rng.random() < 0.5:  # law actions added to or dropped from documents
        people = [f"{f} {l}" for f in FIRST for l in LAST] + [a[0] for a in AGENCIES]
        fixes.relation_fixes.append(RelationFix(
            rng.choice(["add_relation", "drop_relation"]), rng.choice(people),
            rng.choice(["sponsor", "sign", "oppose"]), rng.choice(LAWS)[0],
            rng.choice(["", "doc1", f"/corpus/doc{rng.randint(0, 30)}-0.txt"])))
    return fixes


def _tables(store: Store) -> dict[str, list[tuple]]:
    queries = {
        "entities": "select id, type, name, level, jurisdiction, law_key, correction,"
                    " officeholder_id from entities order by id",
        "aliases": "select entity_id, alias, key from aliases order by 1, 2",
        "roles": "select entity_id, document_id, title, org, level, jurisdiction, correction"
                 " from roles order by 1, 2, 3, 4, 5, 6, 7",
        "mentions": "select id, document_id, entity_id, link_rule, correction from mentions"
                    " order by id",
        "document_entities": "select * from document_entities order by 1, 2",
        "documents": "select id, entity_ids from documents order by id",
        "quotes": "select id, document_id, entity_id from quotes order by id",
        # a relation's id is not kept by a full rebuild either: compare the rows
        "relations": "select document_id, subject_id, relation, object_id, date,"
                     " extracted_relation_id, start, \"end\", cue, sent_start, sent_end,"
                     " subject_text, object_text, rule_id, evidence, correction"
                     " from relations order by 1, 2, 3, 4, 6",
    }
    return {name: store.db.execute(sql).fetchall() for name, sql in queries.items()}


def _step(rng: random.Random, stores: list[Store], paths: list[str], number: int,
          fixes: Corrections) -> Corrections:
    action = rng.choice(["add", "add", "add", "replace", "delete", "correct"])
    if action == "correct" or (action in ("replace", "delete") and not paths):
        fixes = _corrections(rng, rng.randint(0, 4)) if rng.random() < 0.3 else \
            _corrections(random.Random(number // 5), 3)
    elif action == "add":
        batch = [f"/corpus/doc{number}-{i}.txt" for i in range(rng.randint(1, 3))]
        seed = rng.random()
        for store in stores:
            store.write_documents(_document(random.Random(f"{seed}{p}"), p) for p in batch)
        paths.extend(batch)
    elif action == "replace":
        path, seed = rng.choice(paths), rng.random()
        for store in stores:
            store.write_documents([_document(random.Random(seed), path)])
    else:
        path = paths.pop(rng.randrange(len(paths)))
        for store in stores:
            store.delete_documents([path])
    return fixes


@pytest.mark.parametrize("seed", [seed if seed < 3 else pytest.param(seed, marks=pytest.mark.slow)
                                  for seed in range(12)])  # 3 by default, all 12 in CI
def test_incremental_reapply_equals_a_full_rebuild(tmp_path: Path, seed: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    joined: list[int] = []
    write_joins = layer._write_joins
    monkeypatch.setattr(layer, "_write_joins",
                        lambda store, groups, joins: (joined.append(len(groups)),
                                                      write_joins(store, groups, joins)))
    left: list[int] = []
    write_leaves = layer._write_leaves
    monkeypatch.setattr(layer, "_write_leaves",
                        lambda store, leaves: (left.append(len(leaves)),
                                               write_leaves(store, leaves)))
    refreshed: list[int] = []
    refresh = relations_store.refresh
    monkeypatch.setattr(relations_store, "refresh",
                        lambda db, docs, fixes: (refreshed.append(len(set(docs))),
                                                 refresh(db, docs, fixes)))
    rng = random.Random(seed)
    incremental, full = Store(tmp_path / "inc.db"), Store(tmp_path / "full.db")
    paths: list[str] = []
    fixes = Corrections()
    partial = 0
    for number in range(40):
        fixes = _step(rng, [incremental, full], paths, number, fixes)
        done = reapply(incremental, fixes)
        partial += not done.full
        reapply(full, fixes, full=True)
        assert _tables(incremental) == _tables(full), f"step {number}"
    assert partial > 20  # the incremental path did run
    assert sum(joined) > 5  # and groups joined entities without rebuilding them
    assert sum(left) > 5  # and deleted groups left entities without rebuilding them
    assert len(refreshed) > 15  # law actions were derived again for some documents only
    relations = full.db.execute("select count(*), count(distinct correction) from relations")
    assert relations.fetchone()[0] > 0


def test_adding_a_document_rebuilds_only_what_it_touches(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    rng = random.Random(3)
    store.write_documents(_document(rng, f"/c/{i}.txt") for i in range(30))
    reapply(store, Corrections())
    lone = DocumentRecord(path="/c/new.txt", hash="new", text="a new story", entities=[
        EntityRecord("org", "Quiet Orchard Cooperative",
                     mentions=[MentionRecord(0, 25, "Quiet Orchard Cooperative", 0, 30)])])
    store.write_documents([lone])
    done = reapply(store, Corrections())
    assert not done.full
    assert done.groups == 1
    assert store.db.execute("select count(*) from entities where name = ?",
                            ["Quiet Orchard Cooperative"]).fetchone()[0] == 1


def test_corrections_that_name_one_entity_are_rebuilt_together(tmp_path: Path) -> None:
    # the second merge finds the entity the first one names, once it exists
    fixes = Corrections(merges=[Merge("Coastal Task Force", ("Idris Okafor",)),
                                Merge("Coastal Task Force", ("Noor Kaur",))], digest="two")

    def person(path: str, name: str) -> DocumentRecord:
        return DocumentRecord(path=path, hash=path, text=f"{name} spoke.", entities=[
            EntityRecord("person", name, mentions=[MentionRecord(0, len(name), name, 0, 20)])])

    incremental, full = Store(tmp_path / "inc.db"), Store(tmp_path / "full.db")
    for store in (incremental, full):
        store.write_documents([person("/c/a.txt", "Noor Kaur")])
    reapply(incremental, fixes)
    reapply(full, fixes, full=True)
    for store in (incremental, full):
        store.write_documents([person("/c/b.txt", "Idris Okafor")])
    assert not reapply(incremental, fixes).full
    reapply(full, fixes, full=True)
    assert _tables(incremental) == _tables(full)
    assert incremental.db.execute("select name from entities").fetchall() == [
        ("Coastal Task Force",)]


def test_a_law_or_agency_named_with_its_own_facts_joins_without_a_rebuild(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    joined: list[str] = []
    write_joins = layer._write_joins
    monkeypatch.setattr(layer, "_write_joins", lambda store, groups, joins: (
        joined.extend(g.name for g in groups), write_joins(store, groups, joins)))

    def story(number: int) -> DocumentRecord:
        text = ("Spokane police cited HB 1090. The Washington State Patrol and the"
                " Harbor County Sheriff's Office agreed.")
        found = [("place", "Spokane"), ("law", "HB 1090"), ("agency", "Washington State Patrol"),
                 ("agency", "Harbor County Sheriff's Office")]
        return DocumentRecord(path=f"/c/{number}.txt", hash=str(number), text=text, entities=[
            EntityRecord(kind, name, mentions=[MentionRecord(
                text.index(name), text.index(name) + len(name), name, 0, len(text))])
            for kind, name in found])

    store = Store(tmp_path / "c.db")
    store.write_documents(story(n) for n in range(3))
    reapply(store, Corrections())
    store.write_documents([story(3)])
    done = reapply(store, Corrections())

    assert sorted(joined) == sorted(["Spokane", "HB 1090", "Washington State Patrol",
                                     "Harbor County Sheriff's Office"])
    assert done.groups == 4
    assert store.db.execute("select law_key, level, jurisdiction from entities"
                            " where type = 'law'").fetchall() == [("US-WA HB 1090", "state",
                                                                   "Washington")]


def _person_story(path: str, name: str, *, record: str = "", other: str = "") -> DocumentRecord:
    text = f"{name} spoke at the county budget hearing on Tuesday."
    entities = [EntityRecord("person", name, officeholder_id=record, mentions=[
        MentionRecord(0, len(name), name, 0, len(text))])]
    if other:
        entities.append(EntityRecord("org", other, mentions=[
            MentionRecord(len(text) + 1, len(text) + 1 + len(other), other, len(text) + 1,
                          len(text) + 40)]))
    return DocumentRecord(path=path, hash=f"h-{path}", text=text, entities=entities)


def test_deleting_a_document_leaves_a_frequent_entity_without_rebuilding_it(
        tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    store.write_documents(_person_story(f"/wire/{i}.txt", "Odalys Brennan",
                                        other=f"Riverbend Club {i}") for i in range(40))
    reapply(store, Corrections())
    store.delete_documents(["/wire/7.txt"])
    done = reapply(store, Corrections())
    assert not done.full
    assert done.groups == 1  # the group that left; the other 39 were not rebuilt
    incremental = _tables(store)
    reapply(store, Corrections(), full=True)
    assert _tables(store) == incremental


def test_a_group_that_tied_two_names_to_one_public_record_rebuilds_its_entity(
        tmp_path: Path) -> None:
    # "Teodora Vance" is one public record's person only through the first story;
    # the entity is named "T. R. Vance" (more stories) either way, so only the
    # twin rule sees that the second "Teodora Vance" now stands alone
    store = Store(tmp_path / "c.db")
    stories = [_person_story("/a/1.txt", "Teodora Vance", record="ocd-person/x1"),
               _person_story("/a/2.txt", "Teodora Vance")]
    stories += [_person_story(f"/b/{i}.txt", "T. R. Vance", record="ocd-person/x1")
                for i in range(4)]
    store.write_documents(stories)
    reapply(store, Corrections())
    assert store.db.execute("select count(*) from entities").fetchone()[0] == 1
    store.delete_documents(["/a/1.txt"])
    reapply(store, Corrections())
    incremental = _tables(store)
    reapply(store, Corrections(), full=True)
    assert _tables(store) == incremental
    assert store.db.execute("select count(*) from entities").fetchone()[0] == 2


def test_an_official_placed_by_the_roles_of_its_stories_is_rebuilt_when_one_goes(
        tmp_path: Path) -> None:
    # without a jurisdiction, an official's level is the one its roles name most
    # often (here a tie, won by the earlier story): deleting a story with a role
    # changes that even though its groups' own counts do not
    def story(path: str, role: str) -> DocumentRecord:
        name = "Rosalind Achebe"
        text = f"{role or 'Then'} {name} answered questions about the jail contract."
        start = len(role or "Then") + 1
        return DocumentRecord(path=path, hash=f"h-{path}", text=text, entities=[
            EntityRecord("official", name, role=role, mentions=[
                MentionRecord(start, start + len(name), name, 0, len(text))])])

    store = Store(tmp_path / "c.db")
    # a sheriff's office is a county's, a governor's a state's
    store.write_documents([story("/r/1.txt", "Sheriff"), story("/r/2.txt", "Governor"),
                           story("/r/3.txt", "Sheriff")]
                          + [story(f"/r/{i}.txt", "") for i in range(4, 10)])
    reapply(store, Corrections())
    assert store.db.execute("select level from entities").fetchone()[0] == "county"
    store.delete_documents(["/r/1.txt"])
    reapply(store, Corrections())
    incremental = _tables(store)
    reapply(store, Corrections(), full=True)
    assert _tables(store) == incremental
    assert store.db.execute("select level from entities").fetchone()[0] == "state"


def test_an_entity_whose_name_loses_its_majority_is_renamed(tmp_path: Path) -> None:
    # two spellings under one public record: the one in more stories names the
    # entity, so deleting two of its stories hands the name to the other
    store = Store(tmp_path / "c.db")
    store.write_documents([_person_story(f"/k/{i}.txt", "Ana Kaur", record="ocd-person/k1")
                           for i in range(3)]
                          + [_person_story(f"/k/{i}.txt", "Anna Kaur", record="ocd-person/k1")
                             for i in range(3, 5)])
    reapply(store, Corrections())
    assert store.db.execute("select name from entities").fetchall() == [("Ana Kaur",)]
    store.delete_documents(["/k/0.txt", "/k/1.txt"])
    reapply(store, Corrections())
    assert store.db.execute("select name from entities").fetchall() == [("Anna Kaur",)]
    incremental = _tables(store)
    reapply(store, Corrections(), full=True)
    assert _tables(store) == incremental


def test_a_story_confirming_a_public_record_joins_every_entity_of_that_record(
        tmp_path: Path) -> None:
    # "Marisol Vega" is known without a record, "Marisol Vega-Ortiz" with one; a
    # new story confirms "Marisol Vega" against that record: all one person now
    incremental, full = Store(tmp_path / "inc.db"), Store(tmp_path / "full.db")
    first = [_person_story(f"/a/{i}.txt", "Marisol Vega") for i in range(3)]
    first += [_person_story(f"/b/{i}.txt", "Marisol Vega-Ortiz", record="ocd-person/mv")
              for i in range(2)]
    for store in (incremental, full):
        store.write_documents(first)
        reapply(store, Corrections(), full=store is full)
    assert incremental.db.execute("select name, officeholder_id from entities order by name"
                                  ).fetchall() == [("Marisol Vega", ""),
                                                   ("Marisol Vega-Ortiz", "ocd-person/mv")]
    for store in (incremental, full):
        store.write_documents([_person_story("/c/1.txt", "Marisol Vega",
                                             record="ocd-person/mv")])
    assert not reapply(incremental, Corrections()).full
    reapply(full, Corrections(), full=True)
    assert _tables(incremental) == _tables(full)
    assert incremental.db.execute("select officeholder_id from entities").fetchall() == [
        ("ocd-person/mv",)]


def test_the_migration_fills_each_entitys_public_record_from_the_extraction(
        tmp_path: Path) -> None:
    from policycorpus.store.migrations import m_entity_officeholder

    store = Store(tmp_path / "c.db")
    store.write_documents([_person_story("/a/1.txt", "Tomasz Reyes", record="ocd-person/tr"),
                           _person_story("/a/2.txt", "Tomasz Reyes"),
                           _person_story("/a/3.txt", "Ilse Marr")])
    reapply(store, Corrections())
    decided = store.db.execute("select name, officeholder_id from entities order by name"
                               ).fetchall()
    assert decided == [("Ilse Marr", ""), ("Tomasz Reyes", "ocd-person/tr")]
    store.db.execute("update entities set officeholder_id = null")
    m_entity_officeholder(store.db)
    assert store.db.execute("select name, officeholder_id from entities order by name"
                            ).fetchall() == decided
