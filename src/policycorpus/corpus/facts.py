"""What one document tells about its entities beyond their names: the level
of government and jurisdiction of agencies and of officials' offices, and the
keys of laws.

``document_facts`` runs in the corpus layer (``reapply``), once per stored
document, on its extracted entities with the document's text and the
gazetteer, and the facts are stored with the extracted rows; it needs no
spaCy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from policycorpus.corpus.lawkeys import law_key
from policycorpus.pipeline.gazetteer import Gazetteer
from policycorpus.pipeline.jurisdictions import (
    agency_jurisdiction,
    official_jurisdiction,
)

CONTEXT_CHARS = 60


@dataclass
class DocEntity:
    """An entity as one document shows it: type, name, role and mention spans."""

    type: str
    name: str
    role: str = ""
    org: str = ""
    mentions: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, text


@dataclass(frozen=True)
class Facts:
    """Level, jurisdiction and (for laws) key of an entity in one document."""

    level: str = ""
    jurisdiction: str = ""
    law_key: str = ""


def document_places(entities: Sequence[DocEntity], gaz: Gazetteer) -> tuple[str, str]:
    """The US state and the city a document is mostly about, from its places
    (a state counts twice its own mentions, a city or county once for its state)."""
    states: Counter[str] = Counter()
    cities: Counter[str] = Counter()
    for entity in entities:
        if entity.type != "place":
            continue
        count = max(1, len(entity.mentions))
        state = gaz.state_of(entity.name)
        if state:
            states[state] += count * (2 if state == entity.name else 1)
        place = gaz.place(entity.name)
        if place is not None and place.kind == "city":
            cities[place.name] += count
    state = states.most_common(1)[0][0] if states else ""
    city = next((c for c, _ in cities.most_common() if not state or gaz.state_of(c) == state), "")
    return state, city


#: Facts that depend on a name or a title alone, per gazetteer (which is
#: kept so that its id stays its own): (type, name or title, org) -> Facts.
_BY_NAME: dict[int, tuple[Gazetteer, dict[tuple[str, str, str], Facts]]] = {}


def _by_name(gaz: Gazetteer) -> dict[tuple[str, str, str], Facts]:
    entry = _BY_NAME.get(id(gaz))
    if entry is None or entry[0] is not gaz:
        entry = _BY_NAME[id(gaz)] = (gaz, {})
    return entry[1]


def document_facts(entities: Sequence[DocEntity], text: str, gaz: Gazetteer) -> list[Facts]:
    """Facts of each entity of one document, in order. Those of agencies (by
    name) and of offices (by title and organisation) are remembered: a corpus
    names the same ones in thousands of documents."""
    state, city = document_places(entities, gaz)
    known = _by_name(gaz)
    out = []
    for entity in entities:
        if entity.type in ("agency", "official"):
            key = (entity.type, entity.name if entity.type == "agency" else entity.role,
                   "" if entity.type == "agency" else entity.org)
            if key not in known:
                j = (agency_jurisdiction(entity.name, gaz) if entity.type == "agency"
                     else official_jurisdiction(entity.role, entity.org, gaz))
                known[key] = Facts(j.level, j.name)
            out.append(known[key])
        elif entity.type == "law":
            surfaces = [m[2] for m in entity.mentions]
            contexts = [text[max(0, m[0] - CONTEXT_CHARS):m[0]] for m in entity.mentions]
            key = law_key(entity.name, surfaces, contexts, state, city, gaz)
            out.append(Facts(key.level, key.jurisdiction, key.key))
        else:
            out.append(Facts())
    return out
