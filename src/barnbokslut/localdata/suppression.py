"""Small-cell suppression for tables of counts about children: who may not be told apart, is not shown.

A cell based on fewer than ``threshold`` answers or children (``threshold``, default 5) is shown as
"–" with the reason (*primary* suppression). When a table also shows its row and column totals, a single hidden
cell in a row or column can be worked out as the total minus the shown cells, so more cells are hidden until
every row and every column with a hidden cell has at least two (*secondary* suppression; the smallest shown
cell of that line goes first, so the least information is lost). Two per line is not always enough: a hidden cell
that joins two groups of hidden cells (a bridge, see ``_derivable``) equals a sum of totals, so more cells are
hidden until none is such a bridge. A cell of 0 is shown: nobody is described.

Plain Python, one rule for every kind of local figures::

    result = suppress([[12, 3, 20], [8, 9, 14]], threshold=5, totals=True)
    result.hidden        # {(0, 1): PRIMARY, (0, 0): SECONDARY, (1, 0): SECONDARY, (1, 1): SECONDARY}
    result.shown(0, 1)   # None: show "–" and result.reason(0, 1)

Totals are taken as published when ``totals`` is true (the row and column sums are shown beside the table); a
total that is itself below the threshold is hidden too (``hidden_row_totals`` / ``hidden_column_totals``), and
its line's cells with it. ``row_totals=False`` says only the column totals are published (a survey's groups per
year, with each year's total but no sum over the years): every row then counts as a line with a hidden total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

__all__ = ["DEFAULT_THRESHOLD", "HIDDEN_NOTE", "Reason", "Suppressed", "suppress"]

#: Fewer answers or children than this in a cell: the cell is not shown.
DEFAULT_THRESHOLD = 5


class Reason(Enum):
    """Why a cell is not shown; the value is the Swedish text shown with "–"."""

    PRIMARY = "bygger på färre än {threshold} svar eller barn"
    SECONDARY = "skulle avslöja en uppgift som bygger på färre än {threshold} svar eller barn"

    def text(self, threshold: int) -> str:
        return self.value.format(threshold=threshold)


#: What a "–" in a table means: the two reasons in one sentence, for a table's source line.
HIDDEN_NOTE = f"– visas där uppgiften {Reason.PRIMARY.value} eller {Reason.SECONDARY.value}"


@dataclass(frozen=True)
class Suppressed:
    """A table of counts after suppression: what is hidden and why."""

    counts: tuple[tuple[int | None, ...], ...]
    threshold: int
    hidden: dict[tuple[int, int], Reason] = field(default_factory=dict)
    hidden_row_totals: frozenset[int] = frozenset()
    hidden_column_totals: frozenset[int] = frozenset()

    def shown(self, row: int, column: int) -> int | None:
        """The count to show, or None where "–" is shown (hidden) or the value is missing."""
        return None if (row, column) in self.hidden else self.counts[row][column]

    def reason(self, row: int, column: int) -> str:
        """The Swedish reason a hidden cell is not shown ("" for a shown one)."""
        reason = self.hidden.get((row, column))
        return reason.text(self.threshold) if reason is not None else ""

    def row_total(self, row: int) -> int | None:
        if row in self.hidden_row_totals:
            return None
        return _row_sum(self.counts, row)

    def column_total(self, column: int) -> int | None:
        if column in self.hidden_column_totals:
            return None
        return _column_sum(self.counts, column)


def _row_sum(table: Sequence[Sequence[int | None]], row: int) -> int:
    return sum(value or 0 for value in table[row])


def _column_sum(table: Sequence[Sequence[int | None]], column: int) -> int:
    return sum(values[column] or 0 for values in table)


def _small(value: int | None, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


def suppress(
    counts: Sequence[Sequence[int | None]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    totals: bool = False,
    row_totals: bool = True,
) -> Suppressed:
    """Hide the cells of ``counts`` below ``threshold`` and, when ``totals`` are shown, enough others that none
    can be worked out (see the module docstring). ``None`` is a missing value: never hidden, never derived.
    ``row_totals=False`` (with ``totals``): only the column totals are shown."""
    if threshold < 1:
        raise ValueError("Gränsen för små tal måste vara minst 1.")
    table = tuple(tuple(row) for row in counts)
    width = max((len(row) for row in table), default=0)
    if any(len(row) != width for row in table):
        raise ValueError("Alla rader i tabellen måste ha lika många celler.")
    hidden: dict[tuple[int, int], Reason] = {
        (r, c): Reason.PRIMARY
        for r, row in enumerate(table)
        for c, value in enumerate(row)
        if _small(value, threshold)
    }
    hidden_rows: set[int] = set()
    hidden_columns: set[int] = set()
    if totals:
        hidden_rows.update(
            r for r in range(len(table)) if not row_totals or _small(_row_sum(table, r), threshold)
        )
        hidden_columns.update(c for c in range(width) if _small(_column_sum(table, c), threshold))
        _secondary(table, hidden, hidden_rows, hidden_columns)
        while (bridge := _derivable(hidden, hidden_rows, hidden_columns)) is not None:
            if not _hide_beside(table, hidden, bridge):
                hidden_rows.add(bridge[0])  # nothing left to hide: the bridge's row total goes instead
            _secondary(table, hidden, hidden_rows, hidden_columns)
    return Suppressed(table, threshold, hidden, frozenset(hidden_rows), frozenset(hidden_columns))


def _secondary(
    table: tuple[tuple[int | None, ...], ...],
    hidden: dict[tuple[int, int], Reason],
    hidden_rows: set[int],
    hidden_columns: set[int],
) -> None:
    """Hide more cells until no row or column with a shown total has exactly one hidden cell."""
    width = len(table[0]) if table else 0
    changed = True
    while changed:  # each pass hides at least one more cell or total, so it ends
        changed = False
        lines = [
            ("row", r, [(r, c) for c in range(width)]) for r in range(len(table)) if r not in hidden_rows
        ]
        lines += [
            ("column", c, [(r, c) for r in range(len(table))])
            for c in range(width)
            if c not in hidden_columns
        ]
        for kind, index, line in lines:
            inside = [cell for cell in line if cell in hidden]
            if len(inside) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden and table[cell[0]][cell[1]] is not None]
            if not candidates:
                # The line's other cells are missing: its total would be the hidden cell itself, so it goes too.
                (hidden_rows if kind == "row" else hidden_columns).add(index)
                changed = True
                break
            # Prefer a cell whose other line already hides one (it closes two lines at once), then the smallest.
            best = min(
                candidates, key=lambda cell: (not _pairs(cell, hidden, kind), table[cell[0]][cell[1]] or 0)
            )
            hidden[best] = Reason.SECONDARY
            changed = True


def _pairs(cell: tuple[int, int], hidden: dict[tuple[int, int], Reason], kind: str) -> bool:
    """Whether hiding ``cell`` of a ``kind`` line ("row" or "column") also gives its crossing line a second
    hidden cell."""
    r, c = cell
    crossing = [h for h in hidden if (h[1] == c if kind == "row" else h[0] == r)]
    return len(crossing) == 1


def _vertex(kind: str, index: int, hidden_lines: set[int]) -> tuple[str, int]:
    """A row or column as a vertex of the hidden cells' graph; every line whose total is hidden is one vertex."""
    return ("free", 0) if index in hidden_lines else (kind, index)


def _derivable(
    hidden: dict[tuple[int, int], Reason], hidden_rows: set[int], hidden_columns: set[int]
) -> tuple[int, int] | None:
    """A hidden cell that can still be worked out although every line has two hidden cells, or None.

    The hidden cells are the edges of a graph whose vertices are the rows and columns (a line with a hidden total
    is unconstrained: they are one vertex). A cell on a cycle can be changed up and down around it without
    changing a total; a cell that is a bridge of that graph equals the totals of one side of it, so it is known.
    """
    edges = {
        cell: (_vertex("row", cell[0], hidden_rows), _vertex("column", cell[1], hidden_columns))
        for cell in hidden
    }
    for cell, (start, goal) in sorted(edges.items()):
        if start == goal:
            continue  # both lines unconstrained
        neighbours: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for other, (a, b) in edges.items():
            if other != cell:
                neighbours.setdefault(a, []).append(b)
                neighbours.setdefault(b, []).append(a)
        seen, todo = {start}, [start]
        while todo:
            for vertex in neighbours.get(todo.pop(), []):
                if vertex not in seen:
                    seen.add(vertex)
                    todo.append(vertex)
        if goal not in seen:
            return cell
    return None


def _hide_beside(
    table: tuple[tuple[int | None, ...], ...], hidden: dict[tuple[int, int], Reason], cell: tuple[int, int]
) -> bool:
    """Hide the smallest shown cell in the row of ``cell``, else its column, else the table (a new path around the
    bridge); False when every cell is hidden already."""
    r, c = cell
    shown = [
        (i, k)
        for i, row in enumerate(table)
        for k, value in enumerate(row)
        if (i, k) not in hidden and value is not None
    ]
    candidates = [x for x in shown if x[0] == r] or [x for x in shown if x[1] == c] or shown
    if not candidates:
        return False
    best = min(candidates, key=lambda other: table[other[0]][other[1]] or 0)
    hidden[best] = Reason.SECONDARY
    return True
