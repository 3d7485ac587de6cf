"""Rich renderables for query results and ingest summaries. Nothing is printed
here: each function returns an object the CLI prints on its console."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from policycorpus.ingest import Summary
    from policycorpus.query import EntityReport

TYPE_STYLES = {
    "official": "bold magenta",
    "person": "magenta",
    "agency": "bold blue",
    "organization": "blue",
    "law": "bold green",
    "place": "yellow",
}
RELATED_ORDER = ("official", "person", "agency", "organization", "law", "place")


def entity_report(report: "EntityReport") -> RenderableType:
    """The full view of one entity: header, roles, documents, related, sentences."""
    entity = report.entity
    header = Text()
    header.append(entity.name, style="bold")
    header.append(f"  {entity.type}", style=TYPE_STYLES.get(entity.type, ""))
    header.append(f"  #{entity.id}", style="dim")
    details = Text()
    others = [a for a in report.aliases if a != entity.name]
    if others:
        details.append("also: ", style="dim")
        details.append(", ".join(others[:8]))
    parts: list[RenderableType] = [header]
    if details:
        parts.append(details)
    if report.roles:
        roles = Table(title="Roles", title_justify="left", show_edge=False, expand=False)
        roles.add_column("title")
        roles.add_column("organization / jurisdiction")
        roles.add_column("document", style="dim", overflow="fold")
        for role in report.roles:
            roles.add_row(role.title, role.org, role.document)
        parts.append(roles)
    docs = Table(title=f"Documents ({len(report.documents)})", title_justify="left",
                 show_edge=False)
    docs.add_column("document", overflow="fold")
    docs.add_column("title", overflow="fold")
    docs.add_column("mentions", justify="right")
    for hit in report.documents:
        docs.add_row(hit.path, hit.title, str(hit.mentions))
    parts.append(docs)
    if report.related:
        related = Table(title="Mentioned with it", title_justify="left", show_edge=False)
        related.add_column("type")
        related.add_column("entities (shared documents)", overflow="fold")
        for type_ in RELATED_ORDER:
            items = report.related.get(type_)
            if not items:
                continue
            cell = Text()
            for i, item in enumerate(items):
                if i:
                    cell.append(", ")
                cell.append(item.name, style=TYPE_STYLES.get(type_, ""))
                cell.append(f" ({item.documents})", style="dim")
            related.add_row(Text(type_, style=TYPE_STYLES.get(type_, "")), cell)
        parts.append(related)
    if report.sentences:
        sentences = Table(title="Sentences", title_justify="left", show_edge=False,
                          show_header=False)
        sentences.add_column("document", style="dim", overflow="fold", max_width=16)
        sentences.add_column("sentence", overflow="fold")
        for sentence in report.sentences:
            text = Text(" ".join(sentence.text.split("\n")))
            for start, end in sentence.spans:
                if 0 <= start < end <= len(text):
                    text.stylize("bold reverse", start, end)
            sentences.add_row(sentence.document, text)
        parts.append(sentences)
    return Panel(Group(*parts), expand=True)


def suggestions(names: list[str]) -> RenderableType:
    """A "did you mean" list."""
    text = Text("Did you mean: ", style="dim")
    text.append(", ".join(names) if names else "(no close names)")
    return text


def candidates(rows: list[tuple[int, str, str]]) -> RenderableType:
    """Entities that share a name, with the ids to pick one by."""
    table = Table(title="Several entities match; add --id ID", title_justify="left")
    table.add_column("id", justify="right")
    table.add_column("type")
    table.add_column("name")
    for id_, type_, name in rows:
        table.add_row(str(id_), type_, name)
    return table


def ingest_summary(summary: "Summary", db_path: str) -> RenderableType:
    """The table shown at the end of an ingest."""
    table = Table(title=f"Ingest into {db_path}", title_justify="left")
    table.add_column("files", justify="left")
    table.add_column("", justify="right")
    for label, value in (("found", summary.found), ("ingested", summary.ingested),
                         ("unchanged", summary.unchanged), ("skipped", summary.skipped),
                         ("failed", summary.failed), ("duplicates", summary.duplicates)):
        table.add_row(label, str(value))
    table.add_section()
    for type_ in RELATED_ORDER:
        table.add_row(Text(f"{type_} entities", style=TYPE_STYLES[type_]),
                      str(summary.entities.get(type_, 0)))
    table.add_section()
    rate = summary.words / summary.seconds if summary.seconds else 0
    table.add_row("words processed", f"{summary.words:,}")
    table.add_row("time", f"{summary.seconds:.1f} s ({rate:,.0f} words/s)")
    return table
