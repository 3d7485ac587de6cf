"""The one vocabulary of entity types in the database (no heavy imports, so the
command line can offer it before opening anything)."""

from __future__ import annotations

from collections.abc import Container, Iterable

ENTITY_TYPES = ("official", "person", "agency", "organization", "law", "place")
#: Officials and other persons: one name can be either, and "people" means both.
PEOPLE = ("official", "person")
#: The type choices of commands that also accept "people".
TYPES_AND_PEOPLE = (*ENTITY_TYPES, "people")


def expand_types(choices: Iterable[str]) -> tuple[str, ...]:
    """The entity types that ``choices`` name ("people" is official and person);
    all types when there are none.

    >>> expand_types(["people", "law"])
    ('official', 'person', 'law')
    """
    wanted = [t for choice in choices for t in (PEOPLE if choice == "people" else (choice,))]
    return tuple(dict.fromkeys(wanted)) or ENTITY_TYPES


def in_document(type_: str, name: str, officials: Container[str]) -> str:
    """The type of a name within one document: a person named like an official
    of the same document is that official (``officials``: their names).

    >>> in_document("person", "Ana Diaz", {"Ana Diaz"})
    'official'
    """
    return "official" if type_ == "person" and name in officials else type_
