"""Bar charts as Rich renderables (the CLI prints them; nothing is printed here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from policycorpus.render.reports import TYPE_STYLES

if TYPE_CHECKING:
    from policycorpus.query.timeline import Timeline

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: int, largest: int, width: int, *, plain: bool = False) -> str:
    """A horizontal bar of ``value`` scaled so ``largest`` fills ``width`` cells.

    Plain bars are ``#`` characters; others use block characters with
    eighth-cell steps. A non-zero value always shows at least a sliver.
    """
    if largest <= 0 or value <= 0 or width <= 0:
        return ""
    if plain:
        return "#" * max(1, round(value / largest * width))
    eighths = max(1, round(value / largest * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def timeline_chart(timeline: "Timeline", *, width: int = 80, plain: bool = False) -> RenderableType:
    """Mentions per period as a bar chart at most ``width`` columns wide.

    ``plain`` (for pipes and files) draws ``#`` bars without colour.
    """
    entity = timeline.entity
    header = Text()
    header.append(entity.name, style="" if plain else "bold")
    header.append(f"  {entity.type}", style="" if plain else TYPE_STYLES.get(entity.type, ""))
    header.append(f"  #{entity.id}", style="" if plain else "dim")
    header.append(f"  mentions per {timeline.by}")
    if timeline.dates:
        header.append(f", {timeline.dates.describe()}")
    parts: list[RenderableType] = [header]
    periods = timeline.periods
    if periods:
        largest = max(p.mentions for p in periods)
        count_width = len(str(largest))
        docs_width = max(len(_docs(p.documents)) for p in periods)
        label_width = max(len(p.period) for p in periods)
        bar_width = max(10, width - label_width - count_width - docs_width - 3)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True, width=bar_width)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(no_wrap=True, style="" if plain else "dim")
        for period in periods:
            grid.add_row(
                period.period,
                Text(bar(period.mentions, largest, bar_width, plain=plain),
                     style="" if plain else TYPE_STYLES.get(entity.type, "")),
                str(period.mentions),
                _docs(period.documents) if period.documents else "",
            )
        parts.append(grid)
        documents = sum(p.documents for p in periods)
        first, last = periods[0].period, periods[-1].period
        span = f"in {first}" if first == last else f"{first} to {last}"
        parts.append(Text(f"{timeline.mentions} mention{'' if timeline.mentions == 1 else 's'}"
                          f" in {documents} document{'' if documents == 1 else 's'}, {span}"))
    else:
        parts.append(Text(f"No dated mentions of {entity.name}"
                          f"{' ' + timeline.dates.describe() if timeline.dates else ''}."))
    if timeline.unplaced_mentions:
        docs = timeline.unplaced_documents
        parts.append(Text(
            f"Not shown: {timeline.unplaced_mentions} mention"
            f"{'' if timeline.unplaced_mentions == 1 else 's'} in {docs} document"
            f"{'' if docs == 1 else 's'} whose date is unknown"
            f"{' or has no month' if timeline.by == 'month' else ''}.",
            style="" if plain else "dim"))
    return Group(*parts)


def _docs(count: int) -> str:
    return f"{count} doc{'' if count == 1 else 's'}"
