"""Rich renderables for query results and ingest summaries. Nothing is printed
here: each function returns an object the CLI prints on its console."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderHook
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text as RichText

from policycorpus.entity_types import ENTITY_TYPES
from policycorpus.render.layout import keep_whole
from policycorpus.safetext import clean

if TYPE_CHECKING:
    from policycorpus.query.reports import (
        DocumentSummary,
        DocumentView,
        Entity,
        EntityCount,
        EntityReport,
        Quote,
        Related,
        SearchHit,
    )
    from policycorpus.records import Summary

def Text(text: str = "", style: str = "", **kwargs: object) -> RichText:  # noqa: N802
    """A Rich ``Text`` of corpus text, control characters made visible (``safetext``).

    Every string from the corpus reaches the terminal through this: as a
    ``Text`` it is never read as Rich markup either.
    """
    return RichText(clean(text), style=style, **kwargs)  # type: ignore[arg-type]


class _Sanitized:
    """A renderable whose text segments are cleaned and stripped of hyperlinks."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions
                         ) -> Iterator[Segment]:
        for segment in Segment.strip_links(console.render(self.renderable, options)):
            yield segment if segment.control else Segment(clean(segment.text), segment.style)


class SafeOutput(RenderHook):
    """A render hook for the CLI's consoles: whatever is printed, its text goes
    through ``safetext.clean`` (a safety net behind the render functions)."""

    def process_renderables(self, renderables: list[RenderableType]
                            ) -> list[RenderableType]:
        return [_Sanitized(r) for r in renderables]


def safe_console(**kwargs: object) -> Console:
    """A Rich console that never writes control characters from the corpus."""
    console = Console(**kwargs)  # type: ignore[arg-type]
    console.push_render_hook(SafeOutput())
    return console


def cells(*values: str) -> list[RichText]:
    """Table cells of corpus strings (see ``Text``)."""
    return [Text(v or "") for v in values]


TYPE_STYLES = {
    "official": "bold magenta",
    "person": "magenta",
    "agency": "bold blue",
    "organization": "blue",
    "law": "bold green",
    "place": "yellow",
}


def entity_report(report: "EntityReport") -> RenderableType:
    """The full view of one entity: header, roles, documents, related, sentences."""
    entity = report.entity
    header = Text()
    header.append(clean(entity.name), style="bold")
    header.append(f"  {entity.type}", style=TYPE_STYLES.get(entity.type, ""))
    header.append(f"  #{entity.id}", style="dim")
    if entity.federal_register_slug:
        header.append(f"  Federal Register: {entity.federal_register_slug}", style="dim")
    details = Text()
    others = [a for a in report.aliases if a != entity.name]
    if others:
        details.append("also: ", style="dim")
        details.append(clean(", ".join(others[:8])))
    parts: list[RenderableType] = [header]
    if details:
        parts.append(details)
    if report.roles:
        roles = Table(title="Roles", title_justify="left", show_edge=False, expand=False)
        roles.add_column("title")
        roles.add_column("organization / jurisdiction")
        roles.add_column("document", style="dim", overflow="fold")
        for role in report.roles:
            document = Text(role.document)
            if role.documents > 1:
                document.append(f"\nand {role.documents - 1:,} more")
            roles.add_row(*cells(role.title, role.org), document)
        parts.append(keep_whole(roles, {2: [r.document for r in report.roles]}, lead=2))
    if report.actions:
        from policycorpus.render.relations import actions

        parts.append(actions(report.actions, of_law=entity.type == "law"))
    if report.quotes:
        parts.append(quotes(report.quotes, show_speaker=False))
    count = max(report.document_count, len(report.documents))
    shown = f", the {len(report.documents)} with most mentions" \
        if count > len(report.documents) else ""
    docs = Table(title=f"Documents ({count:,}{shown})", title_justify="left", show_edge=False,
                 expand=True)
    docs.add_column("document / title", overflow="fold", ratio=1)
    docs.add_column("mentions", justify="right")
    for hit in report.documents:
        docs.add_row(document_title(hit.path, hit.title), str(hit.mentions))
    parts.append(keep_whole(docs, {0: [hit.path for hit in report.documents]}, lead=2))
    if report.related:
        within = f" (in the {report.window:,} most recent of its documents)" \
            if report.window < report.document_count else ""
        related = Table(title=f"Mentioned with it{within}", title_justify="left",
                        show_edge=False)
        related.add_column("type")
        related.add_column("entities (shared documents)", overflow="fold")
        for type_ in ENTITY_TYPES:
            items = report.related.get(type_)
            if not items:
                continue
            cell = Text()
            for i, item in enumerate(items):
                if i:
                    cell.append(", ")
                cell.append(clean(item.name), style=TYPE_STYLES.get(type_, ""))
                cell.append(f" ({item.documents})", style="dim")
            related.add_row(Text(type_, style=TYPE_STYLES.get(type_, "")), cell)
        parts.append(related)
    if report.sentences:
        sentences = Table(title="Sentences", title_justify="left", show_edge=False,
                          show_header=False)
        sentences.add_column("document / sentence", overflow="fold")
        for sentence in report.sentences:
            sentences.add_row(evidence(sentence.document,
                                       highlighted(sentence.text, sentence.spans)))
        parts.append(sentences)
    return Panel(Group(*parts), expand=True)


def document_title(path: str, title: str | None) -> Text:
    """A document's path and, on the next line, its title: the path never
    shares a line, so it is folded only when it is wider than the terminal."""
    cell = Text(path, style="bold")
    if title:
        cell.append(clean("\n" + title))
    return cell


def evidence(document: str, text: Text) -> Text:
    """A file name (dim) on a line of its own above ``text`` (a sentence, a quote)."""
    cell = Text(document, style="dim")
    cell.append("\n")
    cell.append_text(text)
    return cell


def highlighted(text: str, spans: list[tuple[int, int]], style: str = "bold reverse") -> Text:
    """``text`` on one line with ``spans`` (character offsets) styled."""
    out = Text(" ".join(text.split("\n")))
    for start, end in spans:
        if 0 <= start < end <= len(out):
            out.stylize(style, start, end)
    return out


def _type_text(type_: str) -> Text:
    return Text(type_, style=TYPE_STYLES.get(type_, ""))


def quotes(items: list["Quote"], show_speaker: bool = True) -> RenderableType:
    """Quotations: direct ones in quote marks, indirect ones marked as reported speech."""
    table = Table(title=f"Quotes ({len(items)})", title_justify="left", show_edge=False,
                  show_header=False)
    if show_speaker:
        table.add_column("speaker", style="bold", overflow="fold", max_width=18)
    table.add_column("quote" if show_speaker else "document / quote", overflow="fold")
    for quote in items:
        body = " ".join(quote.text.split())
        cell = Text(f"“{body}”") if quote.kind == "direct" else Text(body, style="italic")
        if quote.kind != "direct":
            cell.append(f"  ({quote.cue}, reported)", style="dim")
        if show_speaker:
            table.add_row(Text(quote.speaker), cell)
        else:
            table.add_row(evidence(quote.document, cell))
    return table


def related(entity: "Entity", items: list["Related"], same_sentence: bool,
            window: tuple[int, int] = (0, 0)) -> RenderableType:
    """Entities co-mentioned with ``entity``, with counts, documents and a sentence;
    ``window`` is (documents looked at, documents of the entity)."""
    header = Text()
    header.append(clean(entity.name), style="bold")
    header.append(f"  {entity.type}", style=TYPE_STYLES.get(entity.type, ""))
    header.append(f"  #{entity.id}", style="dim")
    if not items:
        return Group(header, Text("No entities are mentioned with it"
                                  + (" in the same sentence." if same_sentence else "."),
                                  style="dim"))
    table = Table(show_edge=False, show_lines=True, expand=True)
    table.add_column("entity", overflow="fold", ratio=1)
    table.add_column("docs", justify="right")
    table.add_column("sents", justify="right")
    table.add_column("evidence", overflow="fold", ratio=3)
    for item in items:
        name = Text(item.name, style=TYPE_STYLES.get(item.type, ""))
        name.append(f"\n{item.type}", style="dim")
        shown = Text()
        if item.evidence is not None:
            shown = evidence(item.evidence.document,
                             highlighted(item.evidence.text, item.evidence.spans))
        table.add_row(name, str(item.documents), str(item.sentences), shown)
    title = "Mentioned in the same sentences" if same_sentence else "Mentioned in the same documents"
    looked_at, total = window
    if looked_at < total:
        title += f" (in the {looked_at:,} most recent of its {total:,} documents)"
    documents = [item.evidence.document for item in items if item.evidence is not None]
    return Group(header, Text(title, style="bold"), keep_whole(table, {3: documents}, lead=3))


def entities(rows: list["EntityCount"], title: str = "", *, shared_with: str = ""
             ) -> RenderableType:
    """The entity listing of ``entities``: each name with its level of
    government, jurisdiction and law key beneath it when known, and counts
    (documents shared with ``shared_with`` when given)."""
    table = Table(title=Text(title or f"Entities ({len(rows)})"), title_justify="left",
                  show_edge=False)
    table.add_column("id", justify="right", style="dim")
    table.add_column("type")
    table.add_column("name · level · jurisdiction · law key", overflow="fold", ratio=1)
    table.add_column("shared" if shared_with else "docs", justify="right")
    table.add_column("mentions", justify="right")
    for r in rows:
        name = Text(r.name)
        known = " · ".join(x for x in (r.level, r.jurisdiction, r.law_key, r.officeholder_id)
                           if x)
        if known:
            name.append("\n" + known, style="dim")
        table.add_row(str(r.id), _type_text(r.type), name,
                      str(r.shared if shared_with else r.documents), str(r.mentions))
    return table


_SHORT = {"official": "off", "person": "per", "agency": "agy", "organization": "org",
          "law": "law", "place": "plc"}


def documents(rows: list["DocumentSummary"], total: int | None = None) -> RenderableType:
    """The document listing of ``documents``: metadata and entity counts by type;
    ``total`` is the number of documents in scope (``rows`` may be fewer).

    A column per type when the paths fit beside them, else one column: each
    document's path, title, outlet and date, and its counts on one line."""
    total = len(rows) if total is None else total

    def listing(wide: bool) -> Table:
        table = Table(title=f"Documents ({showing(total, len(rows))})", title_justify="left",
                      show_edge=False, show_header=wide, show_lines=not wide, expand=True,
                      caption=" ".join(f"{v}={k}" for k, v in _SHORT.items()),
                      caption_justify="left")
        table.add_column("document / title", overflow="fold", ratio=1)
        if wide:
            table.add_column("date", no_wrap=True)
            for type_ in ENTITY_TYPES:
                table.add_column(_type_text(_SHORT[type_]), justify="right")
        for row in rows:
            name = document_title(row.path, row.title)
            more = [row.outlet] if wide else [row.outlet, row.published]
            if any(more):
                name.append(clean("\n" + " · ".join(x for x in more if x)), style="dim")
            if wide:
                table.add_row(name, Text(row.published or ""),
                              *(str(row.entities.get(t, 0)) for t in ENTITY_TYPES))
                continue
            counts = [(row.entities[t], t) for t in ENTITY_TYPES if row.entities.get(t)]
            for i, (count, type_) in enumerate(counts):
                name.append("\n" if i == 0 else " · ")
                name.append(f"{count:,} ")
                name.append(_SHORT[type_], style=TYPE_STYLES[type_])
            table.add_row(name)
        return table

    return keep_whole(listing(wide=True), {0: [row.path for row in rows]},
                      narrow=listing(wide=False))


def document(view: "DocumentView", marks: bool = False) -> RenderableType:
    """A document's text with entity mentions coloured by type, then roles and quotes.

    With ``marks`` (for plain output, where colour is lost) each mention is
    also written inline as ``[text](type)``.
    """
    header = Text()
    header.append(clean(view.title or view.path), style="bold")
    meta = [x for x in (view.outlet, view.byline and f"by {view.byline}", view.published,
                        f"{view.words:,} words", view.path) if x]
    header.append(clean("\n" + " · ".join(meta)), style="dim")
    legend = Text("Entities: ")
    for i, type_ in enumerate(ENTITY_TYPES):
        legend.append(("  " if i else "") + type_, style=TYPE_STYLES[type_])
    text = clean(view.text.strip("\n"))
    lead = len(view.text) - len(view.text.lstrip("\n"))
    body = Text()
    position = 0
    for mention in sorted(view.mentions, key=lambda m: (m.start, -m.end)):
        start, end = mention.start - lead, mention.end - lead
        if not 0 <= position <= start < end <= len(text):
            continue
        body.append(text[position:start])
        style = TYPE_STYLES.get(mention.type, "") + " underline"
        body.append(f"[{text[start:end]}]({mention.type})" if marks else text[start:end], style)
        position = end
    body.append(text[position:])
    parts: list[RenderableType] = [header, legend, Panel(body, expand=True)]
    if view.roles:
        roles = Table(title="Roles", title_justify="left", show_edge=False)
        roles.add_column("official", overflow="fold")
        roles.add_column("title", overflow="fold")
        roles.add_column("organization / jurisdiction", overflow="fold")
        for role in view.roles:
            roles.add_row(*cells(role.name, role.title, role.org))
        parts.append(roles)
    if view.quotes:
        parts.append(quotes(view.quotes))
    parts.append(entities(view.entities))
    return Group(*parts)


def showing(total: int, shown: int) -> str:
    """``5`` or ``5, showing 2``: a total and, when a limit cut it, how many are listed."""
    return f"{total:,}" + (f", showing {shown:,}" if shown < total else "")


def search(query: str, hits: list["SearchHit"], total: int | None = None) -> RenderableType:
    """Search results: document, title and a snippet with the matches highlighted;
    ``total`` is the number of matching documents (``hits`` may be fewer)."""
    if not hits:
        return Text(f"No documents match {query!r}.", style="dim")
    total = len(hits) if total is None else total
    noun = "document matches" if total == 1 else "documents match"
    title = f"{total:,} {noun} {query!r}" + (f", showing {len(hits):,}"
                                              if total > len(hits) else "")
    table = Table(title=Text(title), title_justify="left",
                  show_edge=False, show_header=False, show_lines=True)
    table.add_column("hit", overflow="fold")
    for hit in hits:
        cell = Text(hit.path, style="bold")
        if hit.published:
            cell.append(f"  {hit.published}", style="dim")
        if hit.title:
            cell.append(clean("\n" + hit.title))
        cell.append("\n")
        cell.append_text(highlighted(hit.snippet, hit.spans))
        table.add_row(cell)
    return table


def suggestions(names: list[str]) -> RenderableType:
    """A "did you mean" list."""
    text = Text("Did you mean: ", style="dim")
    text.append(clean(", ".join(names)) if names else "(no close names)")
    return text


def candidates(rows: list[tuple[int, str, str]],
               hint: str = "Several entities match; add --id ID") -> RenderableType:
    """Entities (or documents) that share a name, with the ids to pick one by."""
    table = Table(title=Text(hint), title_justify="left")
    table.add_column("id", justify="right")
    table.add_column("type")
    table.add_column("name")
    for id_, type_, name in rows:
        table.add_row(str(id_), *cells(type_, name))
    return table


def ingest_summary(summary: "Summary", db_path: str) -> RenderableType:
    """The table shown at the end of an ingest, under the database's path."""
    table = Table()
    table.add_column("files", justify="left")
    table.add_column("", justify="right")
    for label, value in (("found", summary.found), ("ingested", summary.ingested),
                         ("unchanged", summary.unchanged), ("skipped", summary.skipped),
                         ("failed", summary.failed), ("duplicates", summary.duplicates)):
        table.add_row(label, str(value))
    table.add_section()
    for type_ in ENTITY_TYPES:
        table.add_row(Text(f"{type_} entities", style=TYPE_STYLES[type_]),
                      str(summary.entities.get(type_, 0)))
    table.add_section()
    rate = summary.words / summary.seconds if summary.seconds else 0
    table.add_row("words processed", f"{summary.words:,}")
    table.add_row("time", f"{summary.seconds:.1f} s ({rate:,.0f} words/s)")
    # The title above the table, not in it: a table's title wraps at the table's
    # width, which would split the database path.
    return Group(Text(f"Ingest into {db_path}", style="italic"), table)
