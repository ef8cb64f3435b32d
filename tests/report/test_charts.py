"""Charts: drawn once per chart per build, as SVG and PNG, Swedish numbers, deterministic."""

from __future__ import annotations

import re
from pathlib import Path

from barnbokslut.report import charts
from barnbokslut.report.html import render_html
from barnbokslut.report.model import Report


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
