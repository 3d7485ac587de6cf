"""A generated policycorpus database for the query benchmark: no NLP, written
through ``Store.write_documents`` then ``reapply`` exactly as an ingest writes.

The population is generated, not taken from any corpus: made-up names of
people (some of them officials with a title and a body), agencies with
acronyms, organizations, laws with a bill number and a title, and places.
Each is drawn with Zipf-like frequencies, so a few names appear in tens of
thousands of documents and most in a handful, as in a news archive. Each
document is a dozen sentences built from templates around the entities it
draws; every mention carries its offsets and its sentence, officials carry
their role, later mentions of a person use the surname (an alias), and the
full-text index is filled by the store's triggers.

``ensure_database`` caches the file under bench/out/, keyed by the
parameters, the generator version and the schema version.

Example:
  python bench/synthetic.py --documents 1000 --out /tmp/small.db
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from policycorpus.corpus.corrections import Corrections
from policycorpus.corpus.reapply import reapply
from policycorpus.store.database import (
    DocumentRecord,
    EntityRecord,
    MentionRecord,
    Store,
)
from policycorpus.store.migrations import SCHEMA_VERSION

GENERATOR_VERSION = 2  # 2: aliases are the mentions' surfaces, as the pipeline's
_CONSONANTS = "bcdfghjklmnprstvwz"
_VOWELS = "aeiou"
_TITLES = [("Mayor", "city"), ("Sheriff", "county"), ("Police Chief", "city"),
           ("Sen.", "state"), ("Rep.", "state"), ("Gov.", "state"), ("Director", "agency"),
           ("Attorney General", "state"), ("Council Member", "city")]
_ORG_HEADS = ["Coalition", "Alliance", "Institute", "Network", "Times", "Herald", "Project",
              "Foundation", "Center", "Union"]
_AGENCY_FORMS = ["{} Police Department", "{} County Sheriff's Office", "{} City Council",
                 "{} Department of Corrections", "{} Board of Supervisors"]
_FEDERAL_HEADS = ["Administration", "Service", "Bureau", "Agency", "Office"]
_TOPICS = ["immigration", "policing", "detention", "surveillance", "sanctuary", "bail",
           "body camera", "detainer", "border", "asylum", "juvenile justice", "housing",
           "budget", "use of force", "gang database", "deportation", "court backlog",
           "license plate reader", "overtime", "jail health", "school safety", "protest",
           "public records", "translation"]
_VERBS = ["said", "argued", "warned", "told reporters", "wrote", "announced", "testified"]
_ADJECTIVES = ["unlawful", "overdue", "necessary", "dangerous", "costly", "popular",
               "unworkable", "historic"]


@dataclass(frozen=True)
class Params:
    """What the generated database contains."""

    documents: int = 100_000
    mentions: int = 3_000_000
    people: int = 40_000
    agencies: int = 3_000
    organizations: int = 4_000
    laws: int = 1_500
    places: int = 3_000
    zipf: float = 1.05
    seed: int = 5

    @property
    def key(self) -> str:
        """The cache key: every parameter, the generator and the schema version."""
        fields = "-".join(f"{v}" for v in asdict(self).values())
        return f"synthetic-g{GENERATOR_VERSION}-s{SCHEMA_VERSION}-{fields}"


@dataclass
class _Entity:
    type: str
    name: str
    short: str = ""
    role: str = ""
    org: str = ""


class _Zipf:
    """Draw items with probability proportional to 1 / rank ** s."""

    def __init__(self, items: list[_Entity], s: float, rng: random.Random) -> None:
        self.items = items
        self.cum = list(itertools.accumulate(1 / (rank ** s) for rank in range(1, len(items) + 1)))
        self.rng = rng

    def draw(self, k: int) -> list[_Entity]:
        """``k`` distinct items (fewer if the population is smaller)."""
        chosen: dict[int, _Entity] = {}
        total = self.cum[-1]
        tries = 0
        while len(chosen) < min(k, len(self.items)) and tries < 20 * k:
            index = bisect.bisect_left(self.cum, self.rng.random() * total)
            chosen.setdefault(index, self.items[index])
            tries += 1
        return list(chosen.values())


class _Names:
    """Pronounceable made-up words, never the same twice."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def word(self, syllables: int, *, unique: bool = True) -> str:
        """A capitalised word of ``syllables`` syllables (``unique``: not returned before)."""
        while True:
            word = "".join(self.rng.choice(_CONSONANTS) + self.rng.choice(_VOWELS)
                           for _ in range(syllables))
            word = (word + self.rng.choice(["", "n", "r", "s", "l", "t"])).capitalize()
            if not unique:
                return word
            if word not in self.seen:
                self.seen.add(word)
                return word


def population(params: Params, rng: random.Random) -> dict[str, list[_Entity]]:
    """The generated entities of each type, most frequent first."""
    names = _Names(rng)
    places = [_Entity("place", names.word(3) + rng.choice(
        ["", "", " City", " Springs", "ville", " Heights", " County"]))
        for _ in range(params.places)]
    agencies: list[_Entity] = []
    for i in range(params.agencies):
        if i % 4 == 0:
            words = [names.word(3), names.word(3)]
            name = f"{words[0]} {words[1]} {rng.choice(_FEDERAL_HEADS)}"
            acronym = "".join(w[0] for w in name.split()).upper()
            agencies.append(_Entity("agency", name, short=acronym))
        else:
            place = rng.choice(places).name.replace(" County", "")
            agencies.append(_Entity("agency", rng.choice(_AGENCY_FORMS).format(place)))
    organizations = [_Entity("organization",
                             f"{names.word(3)} {names.word(2, unique=False)} "
                             f"{rng.choice(_ORG_HEADS)}")
                     for _ in range(params.organizations)]
    laws = []
    numbers = iter(rng.sample(range(1, 3000), params.laws))
    for i in range(params.laws):
        number = 54 if i == 0 else next(numbers)
        if number == 54 and i:
            number = next(numbers)
        chamber = rng.choice(["SB", "AB", "HB"]) if i else "SB"
        title = f"{rng.choice(places).name.replace(' County', '')} {names.word(3)} Act"
        laws.append(_Entity("law", title, short=f"{chamber} {number}"))
    first_names = [names.word(2, unique=False) for _ in range(3000)]
    people = []
    for i in range(params.people):
        first, last = rng.choice(first_names), names.word(3)
        if rng.random() < 0.35:
            title, level = rng.choice(_TITLES)
            body = rng.choice(agencies).name if level == "agency" else rng.choice(places).name
            people.append(_Entity("official", f"{first} {last}", short=last, role=title, org=body))
        else:
            people.append(_Entity("person", f"{first} {last}", short=last))
    return {"people": people, "agency": agencies, "organization": organizations, "law": laws,
            "place": places}


class _Writer:
    """Builds one document's text sentence by sentence, recording mentions."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.mentions: dict[int, list[MentionRecord]] = {}
        self.sentence: list[tuple[int, int, str, _Entity]] = []
        self.sent_start = 0
        self.seen: set[int] = set()

    def text(self, piece: str) -> None:
        """Append plain text."""
        self.parts.append(piece)
        self.length += len(piece)

    def entity(self, entity: _Entity) -> None:
        """Write a mention of ``entity``: its full form first, its short form after."""
        first = id(entity) not in self.seen
        self.seen.add(id(entity))
        if entity.type in ("official", "person"):
            if first and entity.type == "official":
                self.text(entity.role + " ")
            surface = entity.name if first or not entity.short else entity.short
        elif entity.short and not first and entity.type in ("agency", "law"):
            surface = entity.short
        elif entity.type == "law" and first:  # "SB 54, the X Act,": two mentions
            start = self.length
            self.text(entity.short)
            self.sentence.append((start, self.length, entity.short, entity))
            self.text(", the ")
            start = self.length
            self.text(entity.name)
            self.sentence.append((start, self.length, entity.name, entity))
            self.text(",")
            return
        else:
            surface = entity.name
        start = self.length
        self.text(surface)
        self.sentence.append((start, self.length, surface, entity))

    def end_sentence(self) -> None:
        """Close the sentence: its mentions get its offsets."""
        end = self.length
        for start, stop, surface, entity in self.sentence:
            self.mentions.setdefault(id(entity), []).append(
                MentionRecord(start, stop, surface, self.sent_start, end, entity.type.upper(),
                              "synthetic"))
        self.sentence = []
        self.text(" ")
        self.sent_start = self.length


def _sentence(w: _Writer, rng: random.Random, people: list[_Entity], agencies: list[_Entity],
              orgs: list[_Entity], laws: list[_Entity], places: list[_Entity]) -> None:
    """One templated sentence about some of the document's entities."""
    person = rng.choice(people)
    form = rng.randrange(5)
    topic = rng.choice(_TOPICS)
    if form == 0 and agencies and laws:
        w.entity(person)
        w.text(f" {rng.choice(_VERBS)} the ")
        w.entity(rng.choice(agencies))
        w.text(" would not enforce ")
        w.entity(rng.choice(laws))
        w.text(" in ")
        w.entity(rng.choice(places))
        w.text(".")
    elif form == 1 and orgs:
        w.entity(person)
        w.text(", who works with the ")
        w.entity(rng.choice(orgs))
        w.text(f", called the {topic} policy {rng.choice(_ADJECTIVES)}.")
    elif form == 2:
        w.text("Officials in ")
        w.entity(rng.choice(places))
        w.text(" met with ")
        w.entity(person)
        w.text(f" about the {topic} debate and the {rng.choice(_TOPICS)} rules.")
    elif form == 3 and agencies:
        w.text("The ")
        w.entity(rng.choice(agencies))
        w.text(f" released {rng.randrange(2, 400)} records on {topic}, ")
        w.entity(person)
        w.text(f" {rng.choice(_VERBS)}.")
    else:
        w.text(f"In {rng.randrange(2009, 2025)}, ")
        w.entity(person)
        w.text(" and ")
        w.entity(rng.choice([p for p in people if p is not person] or people))
        w.text(f" disagreed about {topic} in ")
        w.entity(rng.choice(places))
        w.text(".")
    w.end_sentence()


def documents(params: Params, start: int = 0, state: Any = None,
              rng: random.Random | None = None) -> Iterator[DocumentRecord]:
    """The generated documents, one at a time, from number ``start`` on.

    Every document draws from one random stream, so document ``start`` needs
    the stream's ``state`` where the one before it ended (``rng.getstate()``
    of the ``rng`` passed to the run that made it: the stream pauses right
    after each document); without it the documents before ``start`` are
    generated and dropped. The state does not depend on ``params.documents``.
    """
    rng = rng or random.Random()
    rng.seed(params.seed)
    pop = population(params, rng)
    draw = {kind: _Zipf(items, params.zipf, rng) for kind, items in pop.items()}
    stream = _documents(params, rng, pop, draw, start if state is not None else 0)
    if state is not None:
        rng.setstate(state)
        return stream
    return itertools.islice(stream, start, None)


def _documents(params: Params, rng: random.Random, pop: dict[str, list[_Entity]],
               draw: dict[str, _Zipf], start: int) -> Iterator[DocumentRecord]:
    sentences = max(4, round(params.mentions / params.documents / 2.6) + 1)
    for number in range(start, params.documents):
        people = draw["people"].draw(rng.randint(3, 6))
        agencies = draw["agency"].draw(rng.randint(1, 3))
        orgs = draw["organization"].draw(rng.randint(0, 2))
        laws = draw["law"].draw(rng.choice((0, 1, 1, 2)))
        places = draw["place"].draw(rng.randint(1, 3))
        w = _Writer()
        title = f"{people[0].name} and the {rng.choice(_TOPICS)} fight in {places[0].name}"
        w.text(title)
        w.end_sentence()
        w.mentions.clear()
        w.seen.clear()
        w.text("\n\n")
        w.sent_start = w.length
        for _ in range(sentences):
            _sentence(w, rng, people, agencies, orgs, laws, places)
        text = "".join(w.parts)
        entities = []
        for entity in [*people, *agencies, *orgs, *laws, *places]:
            found = w.mentions.get(id(entity))
            if found:
                entities.append(EntityRecord(
                    type=entity.type, name=entity.name,
                    role=entity.role, org=entity.org, mentions=found))
        year = 2012 + number * 12 // params.documents
        yield DocumentRecord(
            path=f"synthetic/{number:06d}.txt", hash=f"synthetic-{number}", text=text,
            title=title, outlet=rng.choice(pop["organization"][:40]).name,
            published=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            pipeline_version="synthetic", entities=entities)


def generate(path: Path, params: Params, *, batch: int = 2000,
             progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Write a new database of ``params`` at ``path``; return its row counts."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = Store(path)
    pending: list[DocumentRecord] = []
    written = 0
    for record in documents(params):
        pending.append(record)
        if len(pending) >= batch:
            written += store.write_documents(pending)
            pending = []
            if progress:
                progress(written)
    if pending:
        written += store.write_documents(pending)
    reapply(store, Corrections())  # the corpus layer makes the entities, as after an ingest
    store.set_meta("synthetic", params.key)
    counts = {table: store.db[table].count
              for table in ("documents", "entities", "aliases", "mentions", "roles")}
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return counts


def ensure_database(folder: Path, params: Params,
                    progress: Callable[[int], None] | None = None) -> tuple[Path, float]:
    """The cached database for ``params`` (generated if missing); returns
    (path, seconds spent generating, 0 when reused)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{params.key}.db"
    done = Path(str(path) + ".complete")
    if path.exists() and done.exists():
        return path, 0.0
    started = time.perf_counter()
    generate(path, params, progress=progress)
    done.write_text("ok")
    return path, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=Params.documents)
    parser.add_argument("--mentions", type=int, default=None,
                        help="mentions to aim for (default: 30 per document)")
    parser.add_argument("--out", type=Path, required=True, help="the database file to write")
    args = parser.parse_args()
    params = Params(documents=args.documents,
                    mentions=args.mentions or 30 * args.documents)
    started = time.perf_counter()
    counts = generate(args.out, params)
    print({**counts, "seconds": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()
