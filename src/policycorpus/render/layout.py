"""Tables whose file names, paths and rule ids stay whole in narrow terminals.

When a table is too wide, Rich narrows its widest wrappable column first, and
a column of file names is often the widest: ``000_4212311d01db0eb0.txt`` came
out as ``000_4212311d01db`` over ``0eb0.txt``. ``keep_whole`` decides at
render time, when the width is known: the columns that hold such tokens get
a fixed width, their longest token, and the other columns wrap in what is
left. When that does not fit, the rows are drawn stacked in one column (the
leading cells on one line, then each other cell on lines of its own), where
a token is folded only if it is wider than the console.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text


def keep_whole(table: Table, tokens: Mapping[int, Iterable[str]], *, lead: int = 1,
               narrow: RenderableType | None = None) -> RenderableType:
    """``table`` with the columns in ``tokens`` (column index -> the file names,
    paths or rule ids shown in it) as wide as their longest token.

    When the table does not fit so, ``narrow`` is drawn instead, by default
    the same rows stacked in one column with the first ``lead`` cells of each
    row on one line (a right-aligned cell, a count, followed by its header).
    """
    widths = {index: max((cell_len(t) for t in values if t), default=0)
              for index, values in tokens.items()}
    return _KeepWhole(table, {i: w for i, w in widths.items() if w}, lead, narrow)


def stacked(table: Table, lead: int = 1) -> Table:
    """The rows of ``table`` in one column: the first ``lead`` cells of a row on
    one line, each other cell below it; rows are separated by rules."""
    out = Table(title=table.title, title_justify=table.title_justify, caption=table.caption,
                caption_justify=table.caption_justify, show_edge=False, show_header=False,
                show_lines=True, expand=table.expand)
    out.add_column(overflow="fold")
    columns = table.columns
    for cells in zip(*(list(column.cells) for column in columns)):
        head = [_cell(column, cell, label=True) for column, cell in zip(columns[:lead], cells)]
        rest = [_cell(column, cell) for column, cell in zip(columns[lead:], cells[lead:])]
        lines = [Text("  ").join(t for t in head if t.plain)] + [t for t in rest if t.plain]
        out.add_row(Text("\n").join(line for line in lines if line.plain))
    return out


def _cell(column: Column, cell: RenderableType, label: bool = False) -> Text:
    """A cell as Text in its column's style; a count labelled with its header."""
    text = Text(style=column.style or "")
    text.append_text(cell if isinstance(cell, Text) else Text(str(cell)))
    if label and column.justify == "right" and text.plain and isinstance(column.header, str):
        text.append(f" {column.header}", style="dim")
    return text


class _KeepWhole:
    def __init__(self, table: Table, widths: dict[int, int], lead: int,
                 narrow: RenderableType | None) -> None:
        self.table = table
        self.widths = widths
        self.original = {index: table.columns[index].width for index in widths}
        self.lead = lead
        self.narrow = narrow

    def _fits(self, console: Console, options: ConsoleOptions) -> bool:
        """Whether the table, with the whole widths set, fits ``options``' width."""
        for index, width in self.widths.items():
            self.table.columns[index].width = width
        return self.table.__rich_measure__(console, options).minimum <= options.max_width

    def _choice(self, console: Console, options: ConsoleOptions) -> RenderableType:
        if self._fits(console, options):
            return self.table
        for index in self.widths:  # the stacked rows need no fixed widths
            self.table.columns[index].width = self.original[index]
        return self.narrow if self.narrow is not None else stacked(self.table, self.lead)

    def __rich_console__(self, console: Console, options: ConsoleOptions
                         ) -> Iterator[RenderableType]:
        yield self._choice(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self._choice(console, options))
