"""The example report's web page in Debian Chromium (Playwright): axe-core, no requests, 400 % zoom, keyboard,
charts and print.

The page is the full example report (``example_html`` from conftest), written to a file and opened as
``file://``, as a reader opens the published file. ``BARNBOKSLUT_WRITE_DOCS=1`` also writes the first screen to
``docs/rapport-webb.png`` for the README; normal runs leave the tree alone.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, ViewportSize

from axecheck import axe_check

ROOT = Path(__file__).resolve().parents[2]
DOCS_SCREENSHOT = ROOT / "docs" / "rapport-webb.png"

#: 1280 CSS px at 400 % zoom is 320 CSS px (WCAG 1.4.10 Reflow); 1024 px high becomes 256.
ZOOM_400: ViewportSize = {"width": 320, "height": 256}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}

# Elements wider than the viewport: only allowed inside a labelled, focusable scroll region (the tables).
_OVERFLOWING_OUTSIDE_REGIONS = """
() => {
  const limit = document.documentElement.clientWidth + 1;
  const outside = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    const clipped = ['hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    const right = clipped ? rect.right : Math.max(rect.right, rect.left + el.scrollWidth);
    if (rect.width === 0 || right <= limit) continue;
    const region = el.closest('[role="region"][aria-label][tabindex="0"]');
    if (region && region !== el && getComputedStyle(region).overflowX === 'auto') continue;
    if (region === el && region.getBoundingClientRect().right <= limit) continue;
    outside.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                 (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') +
                 ' right=' + Math.round(right));
  }
  return outside;
}
"""


@pytest.fixture(scope="module")
def report_url(example_html: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("webb") / "barnbokslut.html"
    path.write_text(example_html, encoding="utf-8")
    return path.as_uri()


def _open(page: Page, url: str, viewport: ViewportSize = DESKTOP) -> Page:
    page.set_viewport_size(viewport)
    page.goto(url, wait_until="load")
    return page


def test_axe_core_finds_no_wcag_21_a_or_aa_violations(page: Page, report_url: str) -> None:
    violations = axe_check(_open(page, report_url))
    assert not violations, "\n".join(str(v) for v in violations)


def test_axe_core_finds_no_violations_at_400_percent_zoom_with_every_chart_table_open(
    page: Page, report_url: str
) -> None:
    _open(page, report_url, ZOOM_400)
    opened = page.evaluate(
        "() => { const d = [...document.querySelectorAll('details')];"
        " d.forEach(e => e.open = true); return d.length; }"
    )
    assert opened >= 19
    violations = axe_check(page)
    assert not violations, "\n".join(str(v) for v in violations)


def test_the_page_requests_nothing_but_its_own_file(page: Page, report_url: str) -> None:
    requests: list[str] = []

    def record(request: Request) -> None:
        requests.append(request.url)

    page.on("request", record)
    _open(page, report_url)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for_load_state("networkidle")
    assert requests[0] == report_url
    assert [url[:80] for url in requests[1:] if not url.startswith("data:")] == []


def test_at_400_percent_zoom_nothing_scrolls_sideways_except_labelled_table_regions(
    page: Page, report_url: str
) -> None:
    _open(page, report_url, ZOOM_400)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] + 1, widths
    assert page.evaluate(_OVERFLOWING_OUTSIDE_REGIONS) == []
    # Every table's caption is readable without scrolling its table sideways.
    cut = page.evaluate(
        "() => [...document.querySelectorAll('caption')].filter(c => c.getBoundingClientRect().right >"
        " document.documentElement.clientWidth + 1).map(c => c.textContent.trim())"
    )
    assert cut == []
    # The text tables turn into one card per row: no sideways scrolling needed to read them.
    for region in page.locator(".tabell--text").all():
        assert region.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), region.get_attribute(
            "aria-label"
        )


def test_the_skip_link_is_the_first_tab_stop_shows_itself_and_moves_focus_to_main(
    page: Page, report_url: str
) -> None:
    _open(page, report_url)
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#innehall"
    assert skip.inner_text() == "Hoppa till innehållet"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0, box
    page.keyboard.press("Enter")
    assert (
        page.evaluate("() => document.activeElement.tagName + '#' + document.activeElement.id")
        == "MAIN#innehall"
    )
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


def test_every_chart_is_drawn_has_alt_text_and_a_data_table(page: Page, report_url: str) -> None:
    _open(page, report_url)
    charts = page.evaluate(
        """() => [...document.querySelectorAll('figure.diagram')].map(figure => {
             const img = figure.querySelector('img');
             const next = figure.nextElementSibling;
             const table = figure.querySelector('table') ||
                           (next && next.matches('.tabell') ? next.querySelector('table') : null);
             return {id: figure.id, alt: img.alt.trim(), drawn: img.complete && img.naturalWidth > 0,
                     rows: table ? table.tBodies[0].rows.length : 0,
                     caption: table && table.caption ? table.caption.textContent.trim() : ''};
           })"""
    )
    assert len(charts) >= 20
    for chart in charts:
        assert chart["alt"] and chart["drawn"], chart
        assert chart["rows"] > 0 and chart["caption"], chart


def test_in_print_every_heading_chart_and_table_outside_details_stays_visible(
    page: Page, report_url: str
) -> None:
    _open(page, report_url)
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => [...document.querySelectorAll(
               'h1, h2, h3, h4, main p, figure.diagram img, table, .signal, .omslag, .sidfot')]
             .filter(el => !el.closest('details') && !el.closest('.visuellt-dold'))
             .filter(el => !el.checkVisibility() || el.getBoundingClientRect().height === 0)
             .map(el => el.tagName + ' ' + el.textContent.trim().slice(0, 60))"""
    )
    assert hidden == []
    assert not page.locator(".hoppa").is_visible()


def test_the_first_screen_at_1280_px_shows_the_cover_and_the_contents(
    page: Page, report_url: str, tmp_path: Path
) -> None:
    _open(page, report_url)
    title = page.locator("h1").bounding_box()
    toc = page.locator("nav.toc h2").bounding_box()
    assert title is not None and toc is not None
    assert 0 < title["y"] < DESKTOP["height"] and 0 < toc["y"] < DESKTOP["height"]
    target = DOCS_SCREENSHOT if os.environ.get("BARNBOKSLUT_WRITE_DOCS") == "1" else tmp_path / "webb.png"
    png = page.screenshot(path=target)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) < 300_000
