"""The corrections file: the user's fixes to entities, kept beside the corpus.

A TOML file (default ``NAME.corrections.toml`` beside the database
``NAME.db``, or ``--corrections PATH`` / ``POLICYCORPUS_CORRECTIONS``) with one array of
tables per kind of fix, so that it reads well in a review and diffs line by
line under version control::

    [[merge]]                 # these names are one entity, named "into"
    into = "Bill Wells"
    names = ["Wells", "Mayor Wells"]

    [[alias]]                 # more surface forms of an entity
    name = "United States"
    aliases = ["US", "the States"]

    [[ignore]]                # never an entity
    name = "Advertise Today"

    [[retype]]                # an organization that is really an agency
    name = "Sanctuary Caucus"
    type = "agency"
    from = "organization"     # optional: only entities of this type

    [[role]]                  # set or fix an official's title
    name = "Bill Wells"
    title = "Mayor"
    org = "El Cajon"          # optional
    document = "000_x.txt"    # optional: only in this document

    [[add_relation]]          # a law action the pipeline missed
    subject = "Ana Diaz"
    relation = "sign"
    law = "SB 5"
    document = "000_x.txt"    # required: where the text states it

    [[drop_relation]]         # a law action that is wrong
    subject = "Ana Diaz"
    relation = "veto"
    law = "SB 5"
    document = "000_x.txt"    # optional: only in this document

Every entry may carry ``type`` to pick among entities that share a name.
Reading uses the standard library's ``tomllib``; writing goes through
``tomlkit`` so that comments and layout the user wrote are kept, and the
file is replaced whole (``atomicfile``): a full disk never leaves half an
entry. Older versions kept one ``corrections.toml`` for every database of a
folder; it is still read until a correction verb copies it to the
database's own file (``legacy_path``).
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policycorpus.atomicfile import atomic_write
from policycorpus.entity_types import ENTITY_TYPES as TYPES
from policycorpus.errors import CorrectionError, InputError
from policycorpus.records import RelationFix
from policycorpus.relation_types import RELATIONS

ENV = "POLICYCORPUS_CORRECTIONS"
SUFFIX = ".corrections.toml"  # corpus.db -> corpus.corrections.toml
LEGACY_FILE_NAME = "corrections.toml"  # the folder-wide default of older versions
HEADER = """\
# policycorpus corrections: fixes to entities, applied by `policycorpus reapply`
# and at the end of every ingest, without running the model again.
# Kinds: [[merge]] into/names, [[alias]] name/aliases, [[ignore]] name,
# [[retype]] name/type/from, [[role]] name/title/org/document; any may add type.
# [[add_relation]] / [[drop_relation]] subject/relation/law/document: law actions.
"""


@dataclass(frozen=True)
class Merge:
    """``names`` are one entity, named ``into``."""

    into: str
    names: tuple[str, ...]
    type: str = ""


@dataclass(frozen=True)
class Alias:
    """``aliases`` are surface forms of the entity ``name``."""

    name: str
    aliases: tuple[str, ...]
    type: str = ""


@dataclass(frozen=True)
class Ignore:
    """``name`` is never an entity (of ``type``, if given)."""

    name: str
    type: str = ""


@dataclass(frozen=True)
class Retype:
    """The entity ``name`` (of type ``from_``, if given) is of type ``to``."""

    name: str
    to: str
    from_: str = ""


@dataclass(frozen=True)
class Role:
    """The official ``name`` holds ``title`` (of ``org``), everywhere or in ``document``."""

    name: str
    title: str
    org: str = ""
    document: str = ""
    type: str = ""


@dataclass
class Corrections:
    """All the entries of a corrections file, in file order per kind."""

    merges: list[Merge] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    ignores: list[Ignore] = field(default_factory=list)
    retypes: list[Retype] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    digest: str = ""
    relation_fixes: list[RelationFix] = field(default_factory=list)

    def __len__(self) -> int:
        return (len(self.merges) + len(self.aliases) + len(self.ignores) + len(self.retypes)
                + len(self.roles) + len(self.relation_fixes))


def own_path(db_path: str | Path) -> Path:
    """The database's own corrections file: ``corpus.corrections.toml`` for ``corpus.db``."""
    db_path = Path(db_path)
    return db_path.parent / (db_path.stem + SUFFIX)


def legacy_path(db_path: str | Path) -> Path | None:
    """The folder-wide ``corrections.toml`` of older versions, when it is what a
    database still uses: no $POLICYCORPUS_CORRECTIONS, no file of its own yet."""
    legacy = Path(db_path).parent / LEGACY_FILE_NAME
    if os.environ.get(ENV) or own_path(db_path).exists() or not legacy.is_file():
        return None
    return legacy


def default_path(db_path: str | Path) -> Path:
    """Where the corrections of a database live: $POLICYCORPUS_CORRECTIONS, else
    ``NAME.corrections.toml`` beside ``NAME.db`` (or, until a correction verb
    copies it there, the old shared ``corrections.toml`` of the folder)."""
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    return legacy_path(db_path) or own_path(db_path)


def load(path: str | Path) -> Corrections:
    """Read a corrections file (a missing file is no corrections)."""
    path = Path(path)
    if not path.exists():
        return Corrections()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: not a readable TOML corrections file ({exc})") from exc
    return loads(raw, str(path))


def loads(raw: bytes, where: str) -> Corrections:
    """Parse the bytes of a corrections file (``where`` names it in errors)."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{where}: not a readable TOML corrections file ({exc})") from exc
    corrections = parse(data, where)
    corrections.digest = hashlib.sha256(raw).hexdigest()[:16]
    return corrections


_FIELDS: dict[str, tuple[set[str], set[str]]] = {  # kind: (required, optional)
    "merge": ({"into", "names"}, {"type"}),
    "alias": ({"name", "aliases"}, {"type"}),
    "ignore": ({"name"}, {"type"}),
    "retype": ({"name", "type"}, {"from"}),
    "role": ({"name", "title"}, {"org", "document", "type"}),
    "add_relation": ({"subject", "relation", "law", "document"}, set()),
    "drop_relation": ({"subject", "relation", "law"}, {"document"}),
}


def parse(data: dict[str, Any], where: str = "corrections") -> Corrections:
    """Validate the parsed TOML of a corrections file into entries."""
    out = Corrections()
    for kind, entries in data.items():
        if kind not in _FIELDS:
            raise InputError(f"{where}: unknown section [[{kind}]] (expected one of "
                             f"{', '.join(_FIELDS)})")
        if not isinstance(entries, list):
            raise InputError(f"{where}: {kind} must be written [[{kind}]] (an array of tables)")
        required, optional = _FIELDS[kind]
        for number, entry in enumerate(entries, 1):
            label = f"{where}: [[{kind}]] #{number}"
            if not isinstance(entry, dict):
                raise InputError(f"{label} is not a table")
            missing = required - entry.keys()
            if missing:
                raise InputError(f"{label} lacks {', '.join(sorted(missing))}")
            unknown = entry.keys() - required - optional
            if unknown:
                raise InputError(f"{label} has unknown keys: {', '.join(sorted(unknown))}")
            for key, value in entry.items():
                if key in ("names", "aliases"):
                    if not (isinstance(value, list) and value
                            and all(isinstance(v, str) and v.strip() for v in value)):
                        raise InputError(f"{label}: {key} must be a list of names")
                elif not (isinstance(value, str) and value.strip()):
                    raise InputError(f"{label}: {key} must be a non-empty string")
            for key in ("type", "from"):
                if key in entry and entry[key] not in TYPES:
                    raise InputError(f"{label}: {key} must be one of {', '.join(TYPES)}")
            if "relation" in entry and entry["relation"] not in RELATIONS:
                raise InputError(f"{label}: relation must be one of {', '.join(RELATIONS)}")
            _append(out, kind, entry)
    return out


def _append(out: Corrections, kind: str, e: dict[str, Any]) -> None:
    if kind == "merge":
        out.merges.append(Merge(e["into"], tuple(e["names"]), e.get("type", "")))
    elif kind == "alias":
        out.aliases.append(Alias(e["name"], tuple(e["aliases"]), e.get("type", "")))
    elif kind == "ignore":
        out.ignores.append(Ignore(e["name"], e.get("type", "")))
    elif kind == "retype":
        out.retypes.append(Retype(e["name"], e["type"], e.get("from", "")))
    elif kind in ("add_relation", "drop_relation"):
        out.relation_fixes.append(RelationFix(kind, e["subject"], e["relation"], e["law"],
                                              e.get("document", "")))
    else:
        out.roles.append(Role(e["name"], e["title"], e.get("org", ""), e.get("document", ""),
                              e.get("type", "")))


def with_entry(corrections: Corrections, kind: str, entry: dict[str, Any]) -> Corrections:
    """A copy of ``corrections`` with one more entry (for dry runs)."""
    parsed = parse({kind: [entry]}, "new entry")
    copy = Corrections(list(corrections.merges), list(corrections.aliases),
                       list(corrections.ignores), list(corrections.retypes),
                       list(corrections.roles), corrections.digest,
                       list(corrections.relation_fixes))
    for name in ("merges", "aliases", "ignores", "retypes", "roles", "relation_fixes"):
        getattr(copy, name).extend(getattr(parsed, name))
    return copy


def text_with_entry(path: str | Path, kind: str, entry: dict[str, Any]) -> str | None:
    """The text of the file with the entry appended (created with a header if
    missing), what is there kept byte for byte; None if an identical entry exists."""
    import tomlkit

    path = Path(path)
    parse({kind: [entry]}, "new entry")
    if path.exists():
        load(path)  # refuse to edit a file that does not validate
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    else:
        document = tomlkit.parse(HEADER)
    existing = document.get(kind)
    if existing is not None and any(dict(item) == entry for item in existing):
        return None
    table = tomlkit.table()
    for key, value in entry.items():
        table.add(key, list(value) if isinstance(value, (list, tuple)) else value)
    if existing is None:
        document.append(kind, tomlkit.aot())
        existing = document[kind]
    existing.append(table)
    return tomlkit.dumps(document)


def write_text(path: str | Path, text: str) -> None:
    """Replace the corrections file with ``text``, whole or not at all."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        handle.write(text)


def add_entry(path: str | Path, kind: str, entry: dict[str, Any]) -> bool:
    """Append an entry to the file (see ``text_with_entry``), written atomically;
    return False if an identical entry exists."""
    text = text_with_entry(path, kind, entry)
    if text is None:
        return False
    write_text(path, text)
    return True


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def check_merge(corrections: Corrections, into: str, names: list[str], where: str) -> None:
    """Raise CorrectionError for a merge of a name into itself, or one that
    closes a cycle with the merges already in the file (A into B, then B into A)."""
    target = _name_key(into)
    new_names = {_name_key(n) for n in names} - {target}
    if not new_names:
        raise CorrectionError(f"nothing to merge: {into!r} would be merged into itself")
    parent: dict[str, tuple[str, int]] = {}  # name key -> (the name it is merged into, entry #)
    for number, merge in enumerate(corrections.merges, 1):
        for name in merge.names:
            if _name_key(name) != _name_key(merge.into):
                parent.setdefault(_name_key(name), (merge.into, number))
    key, entries, seen = target, [], {target}
    while key in parent:
        name, number = parent[key]
        entries.append(f"#{number}")
        key = _name_key(name)
        if key in new_names:
            raise CorrectionError(
                f"merge cycle: {into!r} is already merged into {name!r} by [[merge]] "
                f"{', '.join(entries)} of {where}; merging {name!r} into {into!r} would undo "
                "it. Edit or remove that entry instead")
        if key in seen:
            return
        seen.add(key)
