"""Plain-text outputs of the analysis: the readable terminal table and the flat CSV.

The table uses rich (already installed with typer); colours repeat what the words say, never replace them.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from barnbokslut.indicators.export import analysis_to_rows
from barnbokslut.indicators.results import SOURCE_EXAMPLE, Analysis, Colour, IndicatorResult, Judgement, Trend
from barnbokslut.numbers import MISSING, format_date_sv, format_value

__all__ = ["render_csv", "render_table"]

_TREND_STYLE = {Trend.POSITIVE: "green", Trend.NEGATIVE: "red"}
_JUDGEMENT_STYLE = {Judgement.BETTER: "green", Judgement.WORSE: "red"}
_COLOUR_STYLE = {Colour.GREEN: "green", Colour.YELLOW: "yellow", Colour.RED: "red"}


def _styled(text: str, style: str | None) -> str:
    return f"[{style}]{text}[/{style}]" if style else text


def _comparison_cell(result: IndicatorResult, peer: bool) -> str:
    comparison = result.peer if peer else result.national
    if comparison.value is None:
        return MISSING
    value = format_value(comparison.value, result.indicator.unit)
    marker = "*" if comparison.computed else ""
    words = comparison.judgement.value if comparison.judgement.is_judged else comparison.relation.value
    return f"{value}{marker} ({_styled(words, _JUDGEMENT_STYLE.get(comparison.judgement))})"


def _rank_cell(result: IndicatorResult) -> str:
    rank = result.rank
    if rank.position is None:
        return MISSING
    return _styled(f"{rank.position} av {rank.of}", _COLOUR_STYLE.get(rank.colour)) + (
        f" ({rank.colour.value})" if rank.colour is not Colour.NONE else ""
    )


def render_table(analysis: Analysis, *, console: Console | None = None) -> None:
    """Print the analysis as a table (area, indicator, value, period, trend, comparisons) and the summary."""
    # Piped output (a log, `make run | tee`) gets a wide table instead of rich's 80-column default.
    console = console or Console(soft_wrap=False, width=None if sys.stdout.isatty() else 150)
    municipality = analysis.municipality.title
    title = f"Barnbokslut {analysis.year}: nyckeltal för {municipality}"
    if analysis.is_example:
        title += " (Exempeldata)"
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("Område")
    table.add_column("Nyckeltal")
    table.add_column("Värde", justify="right")
    table.add_column("År", justify="right")
    table.add_column("Trend")
    table.add_column("Liknande kommuner", justify="right")
    table.add_column("Riket", justify="right")
    table.add_column("Plats", justify="right")
    previous_area = None
    mixed = 0 < analysis.example_count < len(analysis.results)
    for result in analysis.results:
        area = result.indicator.area if result.indicator.area != previous_area else ""
        previous_area = result.indicator.area
        latest = result.latest
        table.add_row(
            area,
            f"{result.indicator.short_title} ({result.indicator.kpi})"
            + ("†" if mixed and result.provenance.is_example else ""),
            format_value(latest.value, result.indicator.unit) if latest else MISSING,
            str(latest.period) if latest else MISSING,
            _styled(result.trend.value, _TREND_STYLE.get(result.trend)),
            _comparison_cell(result, peer=True),
            _comparison_cell(result, peer=False),
            _rank_cell(result),
        )
    console.print(table)
    if analysis.peer_group is not None:
        console.print(f"Liknande kommuner: {analysis.peer_group.title} ({analysis.peer_group.id}).")
    if mixed:
        console.print(f"† {SOURCE_EXAMPLE}; övriga nyckeltal: Koladas verkliga värden.")
    if any(r.peer.computed or r.national.computed for r in analysis.results):
        console.print(
            "* beräknat av barnbokslut som ovägt medelvärde av kommunerna med värde "
            "(egen bearbetning av data från Kolada)."
        )
    console.print()
    console.print("[bold]Sammanfattning[/bold]")
    for sentence in analysis.summary.sentences:
        console.print(sentence)
    console.print()
    fetched = f", hämtad {format_date_sv(analysis.fetched_at)}" if analysis.fetched_at else ""
    console.print(
        f"{analysis.source}{fetched}. Placering och förändring: egen bearbetning av data från Kolada."
    )


def render_csv(analyses: Sequence[Analysis]) -> str:
    """Return one CSV row per municipality and indicator (semicolon-separated, as Swedish Excel expects)."""
    rows = [row for analysis in analyses for row in analysis_to_rows(analysis)]
    buffer = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
