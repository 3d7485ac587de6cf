"""Rich renderables for corrections, reapply and ``why``.
Nothing is printed here: each function returns an object the CLI prints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table

from policycorpus.render.layout import keep_whole
from policycorpus.render.reports import TYPE_STYLES, Text, evidence

if TYPE_CHECKING:
    from policycorpus.corpus.changes import Diff
    from policycorpus.query.provenance import WhyReport
    from policycorpus.records import ReapplySummary


def changes(diff: "Diff", title: str) -> RenderableType:
    """The changes a correction makes: mentions moved or ignored, entities,
    roles and aliases changed."""
    parts: list[RenderableType] = [Text(title, style="bold")]
    if not diff:
        parts.append(Text("No entity, mention, role or alias changes.", style="dim"))
    if diff.moves:
        table = Table(title="Mentions", title_justify="left", show_edge=False)
        table.add_column("from")
        table.add_column("to")
        table.add_column("mentions", justify="right")
        table.add_column("documents", justify="right")
        for move in diff.moves:
            table.add_row(Text(move.before), Text(move.after), str(move.mentions),
                          str(len(move.documents)))
        parts.append(table)
    if diff.entities:
        table = Table(title="Entities", title_justify="left", show_edge=False)
        table.add_column("before")
        table.add_column("after")
        for before, after in diff.entities:
            table.add_row(Text(before), Text(after))
        parts.append(table)
    if diff.roles:
        table = Table(title="Roles", title_justify="left", show_edge=False)
        for column in ("official", "before → after", "document"):
            table.add_column(column, overflow="fold")
        for official, document, before, after in diff.roles:
            table.add_row(Text(official), Text(f"{before or '-'} → {after or '-'}"),
                          Text(document, style="dim"))
        parts.append(keep_whole(table, {2: [row[1] for row in diff.roles]}, lead=2))
    if diff.aliases:
        table = Table(title="Aliases added", title_justify="left", show_edge=False)
        table.add_column("entity")
        table.add_column("alias")
        for entity, alias in diff.aliases:
            table.add_row(Text(entity), Text(alias))
        parts.append(table)
    for warning in diff.warnings:
        parts.append(Text(f"Warning: {warning}", style="yellow"))
    return Group(*parts)


def reapply_summary(summary: "ReapplySummary", db_path: str) -> RenderableType:
    """The table shown after ``reapply``."""
    table = Table()
    table.add_column("", justify="left")
    table.add_column("", justify="right")
    rows = (("entities", summary.entities), ("mentions", summary.mentions)) if summary.full \
        else (("entities", summary.entities), ("groups rebuilt", summary.groups),
              ("mentions", summary.mentions))
    for label, value in (*rows,
                         ("mentions moved", summary.moved), ("mentions ignored", summary.ignored),
                         ("entities created", summary.created),
                         ("entities removed", summary.removed)):
        table.add_row(label, f"{value:,}")
    table.add_section()
    table.add_row("time", f"{summary.seconds:.2f} s")
    # The title above the table: in it, it would wrap at the table's width.
    return Group(Text(f"Reapplied to {db_path}", style="italic"), table,
                 *(Text(f"Warning: {w}", style="yellow") for w in summary.warnings))


def why_report(report: "WhyReport") -> RenderableType:
    """Each mention of an entity with the step, model label, rule and corrections
    behind it."""
    parts: list[RenderableType] = []
    entity = report.entity
    if entity is not None:
        header = Text()
        header.append(entity.name, style="bold")
        header.append(f"  {entity.type}", style=TYPE_STYLES.get(entity.type, ""))
        header.append(f"  #{entity.id}", style="dim")
        parts.append(header)
        facts = [f"level: {entity.level}" if entity.level else "",
                 f"jurisdiction: {entity.jurisdiction}" if entity.jurisdiction else "",
                 f"law key: {report.law_key}" if report.law_key else "",
                 f"public record: {report.entity.officeholder_id}"
                 if report.entity is not None and report.entity.officeholder_id else ""]
        if any(facts):
            parts.append(Text("  ".join(f for f in facts if f)))
        for correction in report.corrections:
            parts.append(Text(f"correction: {correction}", style="cyan"))
        if report.roles:
            roles = Table(title="Roles", title_justify="left", show_edge=False)
            for column in ("title", "organization", "level / jurisdiction", "document"):
                roles.add_column(column, overflow="fold")
            for r in report.roles:
                title = Text(r.title)
                if r.correction:
                    title.append(" (corrected)", style="cyan")
                where = " · ".join(x for x in (r.level, r.jurisdiction) if x)
                roles.add_row(title, Text(r.org), Text(where), Text(r.document, style="dim"))
            parts.append(keep_whole(roles, {3: [r.document for r in report.roles]}, lead=3))
        parts.append(_evidence_table(f"Mentions ({len(report.mentions)})", report.mentions,
                                     linked=True))
        if report.relations:
            from policycorpus.render.relations import why_relations

            parts.append(why_relations(report.relations))
    else:
        parts.append(Text(f"{report.name!r} is not an entity", style="bold"))
    if report.ignored or report.ignored_by:
        for rule in report.ignored_by:
            parts.append(Text(f"ignored by the corrections file: {rule}", style="cyan"))
        if report.ignored:
            parts.append(_evidence_table(f"Ignored mentions ({len(report.ignored)})",
                                         report.ignored, linked=False))
    return Panel(Group(*parts), expand=True)


def _evidence_table(title: str, rows: list, *, linked: bool) -> RenderableType:
    table = Table(title=title, title_justify="left", show_edge=False, expand=True)
    table.add_column("mention", overflow="fold", max_width=24)
    table.add_column("produced by", overflow="fold")
    table.add_column("document / sentence", overflow="fold", ratio=1)
    rules = []
    for e in rows:
        mention = Text(e.text, style="bold")
        lines = [f"model label: {e.model_label or '-'}", f"rule: {e.rule_id or '-'}",
                 f"in the document: {e.document_entity}"]
        if linked:
            lines.append(f"linked by: {e.link_rule or '-'}")
        rules += lines[1:2] + lines[3:]
        produced = Text(f"{e.source}")
        produced.append("".join(f"\n{line}" for line in lines))
        if linked and e.correction:
            produced.append(f"\ncorrection: {e.correction}", style="cyan")
        table.add_row(mention, produced, evidence(e.document, Text(" ".join(e.sentence.split()))))
    return keep_whole(table, {1: rules, 2: [e.document for e in rows]}, lead=1)
