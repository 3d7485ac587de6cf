"""The correction verbs: ``merge``, ``alias``, ``ignore``, ``retype`` and
``role``. Each builds one corrections-file entry from its arguments; one
factory gives them their shared options and records the entry
(``corpus.correcting.record``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from policycorpus.cli.options import console as _console
from policycorpus.cli.options import (
    corrections_option,
    db_option,
    handle_errors,
    open_for_writing,
)
from policycorpus.entity_types import ENTITY_TYPES

EntryBuilder = Callable[..., "dict[str, Any] | tuple[str, dict[str, Any]]"]


def correction_verb(name: str) -> Callable[[EntryBuilder], click.Command]:
    """Turn a function from a verb's arguments to its entry into the command
    ``name`` that records it, with ``--db``, ``--corrections``, ``--dry-run``,
    ``--no-apply`` and ``--force``. The entry is of kind ``[[name]]`` unless
    the function returns ``(kind, entry)``.

    Example::

        @correction_verb("ignore")
        @click.argument("name")
        def ignore(name: str) -> dict[str, Any]:
            return {"name": name}
    """

    def decorate(build: EntryBuilder) -> click.Command:
        own = list(getattr(build, "__click_params__", []))

        @functools.wraps(build)
        def command(*, db_path: Path, corrections_path: Path | None, dry_run: bool,
                    no_apply: bool, force: bool, **arguments: Any) -> None:
            built = build(**arguments)
            kind, entry = built if isinstance(built, tuple) else (name, built)
            _record(kind, entry, db_path, corrections_path, dry_run, no_apply, force)

        wrapped: Any = handle_errors(command)
        wrapped = click.option("--force", is_flag=True,
                               help="Record the entry even if a name in it matches nothing "
                                    "(for documents not ingested yet).")(wrapped)
        wrapped = click.option("--no-apply", is_flag=True,
                               help="Write the corrections file only; apply later with "
                                    "reapply.")(wrapped)
        wrapped = click.option("--dry-run", is_flag=True,
                               help="Show what would change; write nothing.")(wrapped)
        wrapped = corrections_option(db_option(wrapped))
        shared = [p for p in wrapped.__click_params__ if p not in own]
        wrapped.__click_params__ = shared + own  # the verb's own arguments listed first
        return click.command(name=name)(wrapped)

    return decorate


def _record(kind: str, entry: dict[str, Any], db_path: Path, corrections_path: Path | None,
            dry_run: bool, no_apply: bool, force: bool) -> None:
    from policycorpus.corpus.correcting import record
    from policycorpus.render import corrections as render_corrections

    console = _console()
    done = record(open_for_writing(db_path), db_path, corrections_path, kind, entry,
                  dry_run=dry_run, no_apply=no_apply, force=force)
    if done.dry_run:
        console.print(render_corrections.changes(done.diff, f"Dry run: [[{kind}]] would change"))
        console.print(f"Nothing written (the corrections file is {done.path}).", soft_wrap=True,
                      markup=False)
        return
    if done.already:
        console.print(f"The same [[{kind}]] is already in {done.path}", soft_wrap=True,
                      markup=False)
        return
    if done.copied_from is not None:
        console.print(f"Copied {done.copied_from} to {done.path}: corrections now belong to "
                      f"one database ({done.copied_from} is left for the others).",
                      soft_wrap=True, markup=False)
    console.print(render_corrections.changes(done.diff, f"[[{kind}]] changes"))
    console.print(f"Added [[{kind}]] to {done.path}", soft_wrap=True, markup=False)
    if done.applied is None:
        console.print("Not applied: run policycorpus reapply.")
    else:
        console.print(f"Reapplied in {done.applied.seconds:.2f} s: {done.applied.entities} "
                      f"entities, {done.applied.mentions} mentions.")


def _typed(entry: dict[str, Any], key: str, value: str | None) -> dict[str, Any]:
    if value:
        entry[key] = value
    return entry


@correction_verb("merge")
@click.argument("names", nargs=-1, required=True)
@click.option("--into", default=None, help="The canonical name (default: the longest name).")
@click.option("--type", "type_", type=click.Choice(ENTITY_TYPES), default=None,
              help="The type of the merged entity (and of the entities to match).")
def merge(names: tuple[str, ...], into: str | None, type_: str | None) -> dict[str, Any]:
    """Record that NAMES are one entity, named by the longest of them or --into.

    Writes a [[merge]] entry to the corrections file and reapplies it.

    \b
    Example:
      policycorpus merge "Wells" "Bill Wells"
      policycorpus merge "US" "U.S." "United States" --type place --dry-run
    """
    from policycorpus.corpus.correcting import merge_entry

    return merge_entry(list(names), into, type_)


@correction_verb("alias")
@click.argument("name")
@click.argument("aliases", nargs=-1, required=True)
@click.option("--type", "type_", type=click.Choice(ENTITY_TYPES), default=None,
              help="Only the entity of this type.")
def alias(name: str, aliases: tuple[str, ...], type_: str | None) -> dict[str, Any]:
    """Record more surface forms (ALIASES) of the entity NAME.

    Entities named by an alias join NAME; the aliases also find it in queries.

    \b
    Example:
      policycorpus alias "United States" US "the States"
      policycorpus alias "U.S. Immigration and Customs Enforcement" "la migra"
    """
    return _typed({"name": name, "aliases": list(aliases)}, "type", type_)


@correction_verb("ignore")
@click.argument("name")
@click.option("--type", "type_", type=click.Choice(ENTITY_TYPES), default=None,
              help="Only when extracted as this type.")
def ignore(name: str, type_: str | None) -> dict[str, Any]:
    """Record that NAME is never an entity (its mentions are dropped).

    \b
    Example:
      policycorpus ignore "Advertise Today"
      policycorpus ignore "he" --type person --dry-run
    """
    return _typed({"name": name}, "type", type_)


@correction_verb("retype")
@click.argument("name")
@click.argument("type_", metavar="TYPE", type=click.Choice(ENTITY_TYPES))
@click.option("--from", "from_", type=click.Choice(ENTITY_TYPES), default=None,
              help="Only entities now of this type.")
def retype(name: str, type_: str, from_: str | None) -> dict[str, Any]:
    """Record that the entity NAME is of TYPE (an agency, not an organization).

    \b
    Example:
      policycorpus retype "Sanctuary Caucus" agency
      policycorpus retype "Washington" person --from place --dry-run
    """
    return _typed({"name": name, "type": type_}, "from", from_)


@correction_verb("role")
@click.argument("name")
@click.argument("title")
@click.option("--org", default="", help="The body or place of the office (El Cajon).")
@click.option("--document", default="", help="Only in this document (its path).")
def role(name: str, title: str, org: str, document: str) -> dict[str, Any]:
    """Record that NAME holds the office TITLE: sets or fixes an official's title.

    Without --document the title replaces the stated one in every document
    that mentions NAME. A person with a role becomes an official.

    \b
    Example:
      policycorpus role "Bill Wells" Mayor --org "El Cajon"
      policycorpus role "Ana Diaz" "Police Chief" --org Salem --dry-run
    """
    return _typed(_typed({"name": name, "title": title}, "org", org), "document", document)


VERBS = (merge, alias, ignore, retype, role)
