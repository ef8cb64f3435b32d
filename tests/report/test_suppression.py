"""Small-cell suppression (issue 15, part 2), with expected cells worked out by hand.

Besides the hand-computed cases, every table here is attacked: all non-negative integer fillings of the hidden
cells that agree with the shown cells and the shown totals are enumerated, and each hidden cell must have more
than one possible value, or it could be worked out from the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from barnbokslut.localdata.suppression import Reason, Suppressed, suppress
from barnbokslut.report.folder import load_source
from barnbokslut.report.localdata import CsvData, local_item
from barnbokslut.report.model import ChartKind
from barnbokslut.report.source import ReportSourceError, build_report


def possible_values(result: Suppressed, limit: int = 100) -> dict[tuple[int, int], set[int]]:
    """Each hidden cell's values that agree with everything the table shows: every filling of the hidden cells
    with integers 0 … ``limit`` that gives the shown totals (backtracking, bounded by what each total leaves)."""
    cells = sorted(result.hidden)
    rows, width = len(result.counts), len(result.counts[0])
    row_left = {
        r: t - sum(result.shown(r, c) or 0 for c in range(width))
        for r in range(rows)
        if (t := result.row_total(r)) is not None
    }
    column_left = {
        c: t - sum(result.shown(r, c) or 0 for r in range(rows))
        for c in range(width)
        if (t := result.column_total(c)) is not None
    }
    found: dict[tuple[int, int], set[int]] = {cell: set() for cell in cells}
    guess: list[int] = []

    def fill(n: int) -> None:
        if n == len(cells):
            if all(v == 0 for v in row_left.values()) and all(v == 0 for v in column_left.values()):
                for cell, value in zip(cells, guess, strict=True):
                    found[cell].add(value)
            return
        r, c = cells[n]
        top = min(row_left.get(r, limit), column_left.get(c, limit))
        for value in range(top + 1):
            guess.append(value)
            step(r, c, -value)
            fill(n + 1)
            step(r, c, value)
            guess.pop()

    def step(r: int, c: int, change: int) -> None:
        if r in row_left:
            row_left[r] += change
        if c in column_left:
            column_left[c] += change

    fill(0)
    return found


def test_without_totals_only_the_small_cells_are_hidden_and_zero_is_shown() -> None:
    result = suppress([[12, 3], [0, 7]], threshold=5)
    assert result.hidden == {(0, 1): Reason.PRIMARY}
    assert result.shown(0, 1) is None and result.shown(1, 0) == 0 and result.shown(1, 1) == 7
    assert result.reason(0, 1) == "bygger på färre än 5 svar eller barn" and result.reason(0, 0) == ""


def test_a_naive_suppression_would_be_undone_from_the_totals() -> None:
    """Skola A: 12 pojkar, 3 flickor (15); Skola B: 9 pojkar, 10 flickor (19); columns 21 and 13.

    Hiding only the 3 leaves row A's total 15 minus the shown 12: the 3 is back. By hand: row A must hide one
    more (the 12, its only other cell), then column pojkar has one hidden (12) and must hide the 9, and column
    flickor has one (3) and must hide the 10; row B then has two. All four are hidden, all totals shown.
    """
    naive = Suppressed(((12, 3), (9, 10)), 5, {(0, 1): Reason.PRIMARY})
    assert possible_values(naive)[(0, 1)] == {3}  # the attack works on the naive table

    result = suppress([[12, 3], [9, 10]], threshold=5, totals=True)
    assert result.hidden == {
        (0, 1): Reason.PRIMARY,
        (0, 0): Reason.SECONDARY,
        (1, 0): Reason.SECONDARY,
        (1, 1): Reason.SECONDARY,
    }
    assert [result.row_total(0), result.row_total(1), result.column_total(0), result.column_total(1)] == [
        15,
        19,
        21,
        13,
    ]
    assert all(len(values) > 1 for values in possible_values(result).values())


def test_secondary_suppression_takes_the_smallest_cell_of_the_line() -> None:
    """Rows: (20, 2, 30, 6) and (25, 8, 40, 7). The 2 is primary. Row 0 then hides its smallest other cell, 6;
    column 1 hides 8 and column 3 hides 7 (each the only other cell of its column), and row 1 has two (8, 7)."""
    result = suppress([[20, 2, 30, 6], [25, 8, 40, 7]], threshold=5, totals=True)
    assert set(result.hidden) == {(0, 1), (0, 3), (1, 1), (1, 3)}
    assert result.shown(0, 0) == 20 and result.shown(1, 2) == 40
    assert all(len(values) > 1 for values in possible_values(result).values())


def test_a_small_total_is_hidden_with_its_cells() -> None:
    """Row 1 is (1, 2): both primary, and its total 3 is below 5, so it is not shown either."""
    result = suppress([[10, 12], [1, 2]], threshold=5, totals=True)
    assert result.row_total(1) is None and result.row_total(0) == 22
    assert {(1, 0), (1, 1)} <= set(result.hidden)
    assert all(len(values) > 1 for values in possible_values(result).values())


@pytest.mark.parametrize(
    "counts",
    [
        [[7, 1, 9], [6, 8, 10], [11, 12, 4]],
        [[30, 2, 3], [40, 50, 60]],
        [[5, 5, 4], [5, 5, 5], [5, 5, 5]],
        [[1, 20], [20, 20], [20, 1]],
    ],
)
def test_no_hidden_cell_can_be_worked_out_from_the_totals(counts: list[list[int]]) -> None:
    result = suppress(counts, threshold=5, totals=True)
    assert all(len(values) > 1 for values in possible_values(result, limit=25).values()), result.hidden
    assert all(result.hidden.get((r, c)) == Reason.PRIMARY for r, c in result.hidden if 0 < counts[r][c] < 5)


def test_the_threshold_is_configurable_and_missing_values_stay_missing() -> None:
    result = suppress([[3, None], [8, 9]], threshold=3, totals=True)
    assert result.hidden == {} and result.shown(0, 1) is None and result.reason(0, 1) == ""
    assert suppress([[3, 8]], threshold=4).hidden == {(0, 0): Reason.PRIMARY}


def test_bad_tables_are_refused_in_swedish() -> None:
    with pytest.raises(ValueError, match="lika många celler"):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError, match="minst 1"):
        suppress([[1]], threshold=0)


def test_a_bridge_between_two_groups_of_hidden_cells_is_not_left_derivable() -> None:
    """Two 2 × 2 blocks of small cells (rows 0–1 × columns 0–1, rows 2–3 × columns 2–3) joined by one more, the 3
    in row 0, column 2: every line has two hidden cells or none, yet that 3 is row 0 and 1's totals minus their
    shown cells minus column 0 and 1's hidden sum, so it is known. By hand, without the bridge rule the attack
    finds it; with it, one more cell of row 0 is hidden (its smallest shown one, a 20) and nothing is known."""
    counts = [
        [1, 2, 3, 20, 20],
        [2, 1, 20, 20, 20],
        [20, 20, 1, 2, 20],
        [20, 20, 2, 1, 20],
    ]
    primary = {(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3)}
    two_per_line = Suppressed(tuple(map(tuple, counts)), 5, dict.fromkeys(primary, Reason.PRIMARY))
    assert possible_values(two_per_line)[(0, 2)] == {3}  # the bridge gives itself away

    result = suppress(counts, threshold=5, totals=True)
    assert set(result.hidden) - primary == {(0, 3)} and result.hidden[(0, 3)] == Reason.SECONDARY
    assert all(len(values) > 1 for values in possible_values(result).values()), result.hidden


def test_a_table_of_one_row_hides_the_column_totals_that_would_be_the_cells() -> None:
    result = suppress([[12, 3, 20]], threshold=5, totals=True)
    assert result.shown(0, 2) == 20 and result.shown(0, 1) is None and result.row_total(0) == 35
    assert result.column_total(1) is None and all(len(v) > 1 for v in possible_values(result).values())


def _texts(item) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[cell.text for cell in row] for row in item.table.rows]


def test_a_local_table_hides_the_shares_of_a_school_with_few_answers() -> None:
    data = CsvData(
        ("Skola", "Antal svar", "Andel trygga (%)"),
        ("Norrskolan", "Ljusne skola", "Söderskolan"),
        ((40.0, 3.0, 25.0), (80.0, 66.7, 72.0)),
    )
    item = local_item(title="Trygghet", anchor="t", data=data, file="t.csv", kind=ChartKind.BAR, unit="%",
                      decimals=1, text=None, is_example=False)  # fmt: skip
    assert _texts(item)[1] == ["Ljusne skola", "–", "–"]
    assert _texts(item)[0][0] == "Norrskolan" and "–" not in _texts(item)[0] and "–" not in _texts(item)[2]
    assert "färre än 5 svar eller barn" in item.table.source
    assert item.chart is not None and item.chart.series[1].values[1] is None  # the chart shows no 66,7 either
    assert "66,7" not in (item.chart.description or "")


def test_a_local_table_of_counts_with_a_total_row_cannot_be_undone() -> None:
    """The naive table above (12 and 3 pojkar/flickor in A, 9 and 10 in B) with its Totalt row 21, 13."""
    data = CsvData(
        ("Skola", "Antal pojkar", "Antal flickor"),
        ("A", "B", "Totalt"),
        ((12.0, 9.0, 21.0), (3.0, 10.0, 13.0)),
    )
    item = local_item(title="Elever", anchor="e", data=data, file="e.csv", kind=None, unit="",
                      decimals=0, text=None, is_example=False)  # fmt: skip
    assert _texts(item) == [["A", "–", "–"], ["B", "–", "–"], ["Totalt", "21", "13"]]
    assert local_item(title="Elever", anchor="e", data=data, file="e.csv", kind=None, unit="", decimals=0,
                      text=None, is_example=False, threshold=3).table.rows[0][1].text == "12"  # fmt: skip


def _folder_with_counts(tmp_path, small_counts: str | None):  # type: ignore[no-untyped-def]
    import shutil

    folder = tmp_path / "rapport"
    shutil.copytree(Path(__file__).parents[2] / "examples" / "barnbokslut-exempel", folder)
    (folder / "data" / "elever.csv").write_text("Skola;Antal elever\nA;7\nB;12\nC;15\n", encoding="utf-8")
    settings = (folder / "barnbokslut.toml").read_text(encoding="utf-8")
    if small_counts is not None:
        settings = settings.replace("exempeldata = true", f"exempeldata = true\nsma_tal = {small_counts}", 1)
    settings += '\n[[lokala_data]]\ntitel = "Elever per skola"\nfil = "data/elever.csv"\ndiagram = "inget"\n'
    (folder / "barnbokslut.toml").write_text(settings, encoding="utf-8")
    return folder


def _elever(folder) -> list[list[str]]:  # type: ignore[no-untyped-def]
    report = build_report(load_source(folder), None)
    (item,) = [i for i in report.local_data if i.table.caption == "Elever per skola"]
    return _texts(item)


def test_the_report_folder_sets_the_threshold_for_small_counts(tmp_path) -> None:
    assert _elever(_folder_with_counts(tmp_path / "standard", None))[0] == ["A", "7"]
    assert _elever(_folder_with_counts(tmp_path / "tio", "10"))[0] == ["A", "–"]


@pytest.mark.parametrize("bad", ["0", "101", '"fem"', "true"])
def test_a_wrong_threshold_is_named_with_file_and_field(tmp_path, bad) -> None:
    with pytest.raises(ReportSourceError) as error:
        load_source(_folder_with_counts(tmp_path, bad))
    assert any("barnbokslut.toml, [rapport], fält ”sma_tal”: ska vara ett heltal från 1 till 100" in p
               for p in error.value.problems)  # fmt: skip
