"""Charts: drawn once per chart per build, as SVG and PNG, Swedish numbers, deterministic."""

from __future__ import annotations

import io
import re
from pathlib import Path

from matplotlib.text import Text
from PIL import Image

from barnbokslut.report import charts
from barnbokslut.report.html import render_html
from barnbokslut.report.model import Chart, ChartKind, Report, Series, Table


def test_each_chart_is_drawn_once_per_build_for_every_format(example_report: Report) -> None:
    charts.clear_cache()
    charts.set_disk_cache(None)
    charts.STATS.reset()
    unique = {c.key for c in example_report.charts()}
    render_html(example_report)
    render_html(example_report, for_print=True)
    pngs = [charts.render_chart(c).png for c in example_report.charts()]  # what the DOCX writer does
    assert charts.STATS.renders == len(unique)
    assert all(png.startswith(b"\x89PNG") for png in pngs)


def test_a_chart_is_svg_and_png_from_the_same_drawing(example_report: Report) -> None:
    rendered = charts.render_chart(example_report.charts()[0])
    assert rendered.svg.lstrip().startswith(b"<?xml") and b"<svg" in rendered.svg
    assert rendered.png.startswith(b"\x89PNG")
    assert rendered.width_px > 0 and rendered.height_px > 0


def test_axes_use_the_decimal_comma(example_report: Report) -> None:
    texts = []
    for chart in example_report.charts():
        svg = charts.render_chart(chart).svg.decode()
        texts += re.findall(r">([^<>]*)</text>", svg)
    numbers = [t for t in texts if re.fullmatch(r"[\d\s\u00a0\u202f,.\u2212-]+", t.strip())]
    assert numbers
    assert not [n for n in numbers if re.search(r"\d\.\d", n)]


def test_drawing_is_deterministic(example_report: Report) -> None:
    chart = example_report.charts()[0]
    first = charts.render_chart(chart).svg
    charts.clear_cache()
    assert charts.render_chart(chart).svg == first


def test_the_disk_cache_saves_rendering_in_the_next_build(example_report: Report, tmp_path: Path) -> None:
    chart = example_report.charts()[0]
    charts.set_disk_cache(tmp_path)
    try:
        charts.clear_cache()
        charts.render_chart(chart)
        charts.clear_cache()
        charts.STATS.reset()
        charts.render_chart(chart)
        assert charts.STATS.renders == 0 and charts.STATS.disk_hits == 1
    finally:
        charts.set_disk_cache(None)


def test_every_series_is_labelled_directly_in_line_charts(example_report: Report) -> None:
    chart = example_report.figures.areas[0].indicators[0].chart
    svg = charts.render_chart(chart).svg.decode()
    for series in chart.series:
        assert series.label in svg


def _texts_outside(chart: Chart) -> list[str]:
    """Every visible text of the drawn chart that reaches past the picture's edge (it would be cut off)."""
    fig = charts.draw_figure(chart)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    bounds = fig.bbox
    # Tick labels of ticks beyond the axis' limits exist but are not drawn.
    undrawn = set()
    for ax in fig.axes:
        for labels, limits, coordinate in (
            (ax.get_xticklabels(), ax.get_xlim(), 0), (ax.get_yticklabels(), ax.get_ylim(), 1)
        ):  # fmt: skip
            low, high = sorted(limits)
            undrawn |= {
                id(t) for t in labels if not low - 1e-9 <= t.get_position()[coordinate] <= high + 1e-9
            }
    outside = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip() or id(text) in undrawn:
            continue
        box = text.get_window_extent(renderer)
        if (
            box.x0 < bounds.x0 - 1
            or box.x1 > bounds.x1 + 1
            or box.y0 < bounds.y0 - 1
            or box.y1 > bounds.y1 + 1
        ):
            outside.append(f"{text.get_text()!r} at x {box.x0:.0f}–{box.x1:.0f}, y {box.y0:.0f}–{box.y1:.0f}")
    # And in the picture itself: nothing is drawn on its outermost pixels (a cut-off label would be).
    image = Image.open(io.BytesIO(charts.render_chart(chart).png)).convert("RGB")
    w, h = image.size
    edge = [(x, y) for x in range(w) for y in (0, h - 1)] + [(x, y) for y in range(h) for x in (0, w - 1)]
    if any(image.getpixel(p) != (255, 255, 255) for p in edge):
        outside.append("something is drawn on the picture's edge")
    return outside


def _chart(kind: ChartKind, categories: tuple[str, ...], labels: tuple[str, ...]) -> Chart:
    series = tuple(
        Series(label, tuple(50.0 + 10 * i + j for j in range(len(categories))))
        for i, label in enumerate(labels)
    )
    return Chart(
        id="c", title="Test", kind=kind, categories=categories, series=series, unit="%", alt="", description="",
        table=Table(caption="", columns=("",), rows=()), source="",
    )  # fmt: skip


def test_long_labels_stay_inside_the_picture() -> None:
    """Issue 13: a legend entry "Annat modersmål" was cut off. Long series and category names, in line and bar
    charts, are wrapped or given room, never drawn past the edge."""
    labels = ("Svenska som modersmål", "Annat modersmål", "Annat modersmål än svenska, nyanlända elever")
    cases = {
        "line, long end labels": _chart(ChartKind.LINE, ("2021", "2022", "2023", "2024"), labels),
        "bar, long legend": _chart(ChartKind.BAR, ("Flickor", "Pojkar"), labels),
        "bar, long categories": _chart(
            ChartKind.BAR,
            ("Svenska", "Annat modersmål, elever som kommit till Sverige under de senaste fyra åren"),
            ("Andel behöriga", "Annat modersmål"),
        ),
        "bar, four series": _chart(
            ChartKind.BAR,
            ("Bergvik", "Centralskolan"),
            ("Flickor", "Pojkar", "Annat modersmål", "Uppgift saknas"),
        ),
    }
    problems = {name: found for name, chart in cases.items() if (found := _texts_outside(chart))}
    assert not problems, problems


def test_every_chart_of_the_examples_stays_inside_the_picture(example_report: Report) -> None:
    problems = {c.title: found for c in example_report.charts() if (found := _texts_outside(c))}
    assert not problems, problems
