"""The web page: one self-contained, accessible HTML file in Swedish."""

from __future__ import annotations

import itertools
import re

from htmlcheck import parse
from small_report import LIST_FROM_THREE, small_report

from barnbokslut.report.html import render_html
from barnbokslut.report.model import Report


def test_the_page_is_swedish_with_one_h1_and_headings_in_order(example_html: str) -> None:
    page = parse(example_html)
    assert page.all("html")[0].attrs["lang"] == "sv"
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (before, after)
    assert all(text for _, text in page.headings)


def test_the_page_has_landmarks_and_a_working_skip_link(example_html: str) -> None:
    page = parse(example_html)
    for tag in ("header", "nav", "main", "footer"):
        assert len(page.all(tag)) == 1, tag
    skip = page.all("a")[0]
    assert skip.attrs["href"] == "#innehall"
    assert page.all("main")[0].attrs["id"] == "innehall"


def test_every_image_has_alt_text_and_is_inline(example_html: str) -> None:
    images = parse(example_html).all("img")
    assert len(images) >= 20
    for img in images:
        assert img.attrs.get("alt", "").strip()
        assert img.attrs["src"].startswith("data:image/svg+xml;base64,")


def test_the_page_makes_no_external_request(example_html: str) -> None:
    page = parse(example_html)
    for element in page.elements:
        for name in ("src", "srcset", "data", "poster"):
            value = element.attrs.get(name, "")
            assert not value or value.startswith("data:"), (element.tag, value[:80])
        if element.tag == "link":
            raise AssertionError("no <link> elements: the CSS is inline")
        href = element.attrs.get("href", "")
        if href and element.tag != "a":
            raise AssertionError(f"{element.tag} href={href}")
    assert "@import" not in example_html and "url(http" not in example_html


def test_every_internal_link_has_a_target(example_html: str) -> None:
    page = parse(example_html)
    ids = {e.attrs["id"] for e in page.elements if "id" in e.attrs}
    targets = [a.attrs["href"][1:] for a in page.all("a") if a.attrs.get("href", "").startswith("#")]
    assert targets and all(t in ids for t in targets)
    assert len(ids) == len([e for e in page.elements if "id" in e.attrs]), "ids are unique"


def test_every_table_has_a_caption_and_header_scopes(example_html: str) -> None:
    page = parse(example_html)
    assert len(page.all("caption")) == len(page.all("table")) > 0
    assert all(th.attrs.get("scope") in ("col", "row", "rowgroup") for th in page.all("th"))


def test_scrollable_tables_are_focusable_labelled_regions(example_html: str) -> None:
    regions = [e for e in parse(example_html).elements if "tabell" in e.attrs.get("class", "").split()]
    assert regions
    for region in regions:
        assert (
            region.attrs["role"] == "region"
            and region.attrs["aria-label"]
            and region.attrs["tabindex"] == "0"
        )


def test_numbers_are_written_the_swedish_way(example_html: str) -> None:
    text = parse(example_html).text
    assert not re.findall(r"(?<![\d.])\d+\.\d+(?![\d.])", text)
    assert re.search(r"\d+,\d", text)


def test_missing_values_are_shown_as_two_dots_never_zero(example_report: Report, example_html: str) -> None:
    school = next(item for item in example_report.local_data if "per skola" in item.title)
    hallbo = next(row for row in school.table.rows if row[0].text == "Hällbo skola")
    assert hallbo[-1].text == ".."
    page = parse(example_html)
    assert re.search(r"Hällbo skola\s+88,0\s*%\s+90,1\s*%\s+\.\.", page.text)


def test_example_data_is_said_on_the_cover_and_in_every_source_line(example_html: str) -> None:
    cover = example_html.split('<header class="omslag">', 1)[1].split("</header>", 1)[0]
    assert "Exempeldata" in cover
    sources = re.findall(r'<p class="kalla">(.*?)</p>', example_html, re.S)
    assert len(sources) > 20
    # The overview names both; every other source line says which it is: generated or Kolada's real values.
    assert (
        sources[0]
        == "Källa: Kolada för 4 av 19 nyckeltal; övriga: Exempeldata (genererade värden, inte Koladas)"
    )
    assert all(("Exempeldata" in s) != ("Källa: Kolada" in s) for s in sources[1:]), sources
    assert "4 av 19 nyckeltal är Koladas verkliga värden (Källa: Kolada), 15 är påhittade" in cover


def test_every_signal_is_also_in_words(example_html: str) -> None:
    signals = re.findall(r'<span class="signal__label">(.*?)</span>', example_html)
    assert signals and all(s.strip() for s in signals)
    assert "Påbörjad" in example_html and "Genomförd" in example_html and "Ej påbörjad" in example_html


def test_chart_data_tables_are_in_details_on_screen_and_open_in_print(example_report: Report) -> None:
    screen = render_html(example_report)
    printed = render_html(example_report, for_print=True)
    assert screen.count("<details>") >= 19
    assert "<details" not in printed
    assert "@page" in printed and "@page" not in screen.split("<style>")[1].split("</style>")[0].replace(
        "@media print", ""
    )


def test_a_numbered_list_starting_at_three_keeps_its_numbers_on_screen_and_in_print() -> None:
    report = small_report()
    screen = render_html(report)
    printed = render_html(report, for_print=True)
    assert f'<ol start="3">\n<li>{LIST_FROM_THREE[0]}</li>' in screen
    # WeasyPrint ignores the start attribute (no presentational hints): the print HTML sets the counter too.
    assert f'<ol start="3" style="counter-reset: list-item 2">\n<li>{LIST_FROM_THREE[0]}</li>' in printed
    assert "counter-reset: list-item" not in screen
