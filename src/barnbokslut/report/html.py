"""The report as one self-contained, accessible HTML file (and the print variant WeasyPrint turns into PDF).

``render_html(report)`` returns the web page: ``<html lang="sv">``, a skip link, landmarks (header with the
cover, nav with the table of contents, main, footer), headings h1–h4 in order, tables with ``<caption>`` and
``<th scope>``, every signal in words besides its colour, and charts as ``<img src="data:image/svg+xml;base64,…">``
with alt text, a longer description and the data table in ``<details>``. CSS and charts are inline; the page
makes no request at all. ``render_html(report, for_print=True)`` is the same document for WeasyPrint: the print
stylesheet with ``@page`` rules (running footer "Barnbokslut 2025 3(14)", table of contents with page numbers),
and chart data shown openly instead of in ``<details>``, and ``<ol start="3">`` also given as the list counter
(WeasyPrint reads the ``start`` attribute only with presentational hints, which the PDF does not turn on).

Templates live in ``templates/`` (Jinja2, autoescaped; only sanitised ``Text.html`` is marked safe), CSS in
``static/``.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from barnbokslut.numbers import format_date_sv
from barnbokslut.report.charts import render_chart
from barnbokslut.report.model import Chart, Report, Text, Tone
from barnbokslut.report.sections import article_heading

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "TONE_CLASSES",
    "chart_data_uri",
    "environment",
    "logo_uri",
    "render_html",
    "stylesheet",
]

#: CSS class suffix per tone (ASCII, so selectors stay simple).
TONE_CLASSES = {
    Tone.GREEN: "gron",
    Tone.YELLOW: "gul",
    Tone.RED: "rod",
    Tone.NEUTRAL: "neutral",
    Tone.UNKNOWN: "okand",
}


_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
#: A numbered list not starting at 1, as the sanitiser writes it (``markdown.sanitise_html``).
_OL_START = re.compile(r'<ol start="(-?\d+)">')
#: A list item that is one paragraph (``<li><p>…</p></li>``: numbered actions, Markdown's loose lists).
_LI_PARAGRAPH = re.compile(r"<li>\s*<p>((?:(?!</?(?:p|li)\b).)*)</p>\s*</li>", re.S)


def _text(text: Text | None) -> Markup:
    # Text.html was sanitised by nh3 when the text was built (markdown.to_text): safe to insert as is.
    return Markup(text.html) if text else Markup("")


def logo_uri(path: Path) -> str:
    """The logo file as a data URI (SVG, PNG or JPEG), so the page needs no other file."""
    kind = _IMAGE_TYPES.get(path.suffix.lower(), "image/png")
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def chart_data_uri(chart: Chart) -> str:
    """The chart's SVG as a data URI (rendered once per content; see ``charts.render_chart``)."""
    return "data:image/svg+xml;base64," + base64.b64encode(render_chart(chart).svg).decode("ascii")


#: What a self-contained report page (the report, the barnversion) needs when a server sends it: its own inline
#: style, pictures as data: URIs, nothing fetched.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'"
)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The report's Jinja environment (templates of this package, autoescaped, strict); the barnversion uses it too."""
    env = Environment(
        loader=PackageLoader("barnbokslut.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["text"] = _text
    env.filters["tone"] = lambda tone: TONE_CLASSES[tone]
    env.filters["datum"] = format_date_sv
    env.globals["chart_uri"] = chart_data_uri
    env.globals["logo_uri"] = logo_uri
    env.globals["article_heading"] = article_heading
    return env


@lru_cache(maxsize=4)
def stylesheet(for_print: bool = False) -> str:
    """The CSS: the screen stylesheet (which has its own @media print part), plus @page rules for WeasyPrint."""
    static = resources.files("barnbokslut.report") / "static"
    css = (static / "report.css").read_text(encoding="utf-8")
    if for_print:
        css += "\n" + (static / "print.css").read_text(encoding="utf-8")
    return css


def render_html(report: Report, *, for_print: bool = False) -> str:
    """Render ``report`` as one self-contained HTML document."""
    template = environment().get_template("report.html.j2")
    markup = template.render(
        report=report,
        for_print=for_print,
        css=Markup(stylesheet(for_print)),
    )
    return _list_paragraphs_unwrapped(_list_starts_as_counters(markup)) if for_print else markup


def _list_paragraphs_unwrapped(markup: str) -> str:
    """``<li><p>text</p></li>`` as ``<li class="li-stycke">text</li>`` for WeasyPrint.

    WeasyPrint 70 tags such an item LI > Lbl + P, without the LBody that PDF/UA-1 requires around an item's
    content (page-validation: PDFUA1-LI-KIDS-001); an item of text gets its LBody. The class keeps the
    paragraph's spacing (print.css).
    """
    return _LI_PARAGRAPH.sub(r'<li class="li-stycke">\1</li>', markup)


def _list_starts_as_counters(markup: str) -> str:
    """Give every ``<ol start="n">`` the CSS counter that makes its first item "n." in WeasyPrint too.

    Browsers number from the ``start`` attribute, WeasyPrint only with ``presentational_hints`` (off: it would
    also apply width, align and border attributes). Without this a list written "3. …, 4. …" came out as
    "1., 2." in the PDF. Each ``<li>`` adds 1 to ``list-item``, so the list resets it to n - 1.
    """
    return _OL_START.sub(
        lambda m: f'<ol start="{m[1]}" style="counter-reset: list-item {int(m[1]) - 1}">', markup
    )
