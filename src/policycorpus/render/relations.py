"""Rich renderables for law actions (``relations``). Nothing is printed here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from policycorpus.render.layout import keep_whole

if TYPE_CHECKING:
    from policycorpus.query.relations import Action

RELATION_STYLES = {
    "sponsor": "cyan", "sign": "bold green", "veto": "bold red", "vote_for": "green",
    "vote_against": "red", "pass": "bold green", "challenge": "bold yellow", "rule": "bold magenta",
    "enforce": "blue", "support": "green", "oppose": "red",
}


def _evidence(action: "Action") -> Text:
    from policycorpus.render.reports import highlighted

    out = Text(action.document, style="dim")
    if action.correction and not action.sentence:
        out.append(f"\n{action.correction}", style="italic")
    if action.sentence:
        out.append("\n")
        out.append_text(highlighted(action.sentence, action.spans))
    return out


def _relation(action: "Action") -> Text:
    return Text(action.relation, style=RELATION_STYLES.get(action.relation, ""))


def actions(items: list["Action"], *, of_law: bool) -> RenderableType:
    """The "Actions" of a law (who did what to it) or the "Laws acted on" by an actor."""
    title = f"Actions ({len(items)})" if of_law else f"Laws acted on ({len(items)})"
    table = Table(title=title, title_justify="left", show_edge=False, expand=True)
    table.add_column("date", no_wrap=True, style="dim")
    table.add_column("who" if of_law else "did", overflow="fold", max_width=24)
    table.add_column("did" if of_law else "law", overflow="fold", max_width=24)
    table.add_column("evidence", overflow="fold", ratio=1)
    for a in items:
        if of_law:
            who = Text(a.subject)
            who.append(f" {a.subject_type}", style="dim")
            table.add_row(a.date, who, _relation(a), _evidence(a))
        else:
            table.add_row(a.date, _relation(a), Text(a.object, style="bold green"), _evidence(a))
    return keep_whole(table, {3: [a.document for a in items]}, lead=3)


def relation_list(items: list["Action"], total: int) -> RenderableType:
    """The ``relations`` listing: one row per law action with its evidence."""
    shown = f", showing {len(items):,}" if total > len(items) else ""
    if not items:
        return Text("No law actions match.", style="dim")
    table = Table(title=f"Law actions ({total:,}{shown})", title_justify="left", show_edge=False,
                  show_lines=True, expand=True)
    table.add_column("date", no_wrap=True, style="dim")
    table.add_column("who", overflow="fold", max_width=22)
    table.add_column("did")
    table.add_column("law", overflow="fold", max_width=22, style="bold green")
    table.add_column("evidence", overflow="fold", ratio=1)
    for a in items:
        who = Text(a.subject)
        who.append(f" {a.subject_type}", style="dim")
        table.add_row(a.date, who, _relation(a), a.object, _evidence(a))
    return keep_whole(table, {4: [a.document for a in items]}, lead=4)


def why_relations(items: list["Action"]) -> RenderableType:
    """For ``why``: each law action of an entity with the rule that produced it."""
    table = Table(title=f"Law actions ({len(items)})", title_justify="left", show_edge=False,
                  expand=True)
    table.add_column("relation", overflow="fold", max_width=30)
    table.add_column("produced by", overflow="fold")
    table.add_column("evidence", overflow="fold", ratio=1)
    for a in items:
        what = Text(f"{a.subject} ")
        what.append_text(_relation(a))
        what.append(f" {a.object}")
        how = Text(f"rule: {a.rule_id or '-'}")
        if a.cue:
            how.append(f"\ncue: {a.cue}", style="dim")
        if a.subject_text and a.subject_text != a.subject:
            how.append(f"\nsubject as written: {a.subject_text}", style="dim")
        if a.object_text and a.object_text != a.object:
            how.append(f"\nlaw as written: {a.object_text}", style="dim")
        if a.evidence > 1:
            how.append(f"\nstated {a.evidence} times", style="dim")
        if a.correction:
            how.append(f"\ncorrection: {a.correction}", style="italic")
        table.add_row(what, how, _evidence(a))
    rules = [f"rule: {a.rule_id or '-'}" for a in items]
    return Group(keep_whole(table, {1: rules, 2: [a.document for a in items]}, lead=1))
