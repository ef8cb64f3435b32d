"""Markdown texts: sanitised HTML (no script ever gets through), quotes with attribution, blocks for DOCX."""

from __future__ import annotations

import pytest
from htmlcheck import parse

from barnbokslut.report.markdown import to_text
from barnbokslut.report.model import BlockKind
from pathology import time_ratio

ATTACKS = [
    pytest.param("<script>alert(1)</script>", id="script-tag"),
    pytest.param('<img src="x" onerror="alert(1)">', id="onerror"),
    pytest.param("[klicka](javascript:alert(1))", id="javascript-link"),
    pytest.param('<a href="javascript:alert(1)">x</a>', id="raw-javascript-link"),
    pytest.param("<iframe src='https://evil.example'></iframe>", id="iframe"),
    pytest.param("![bild](https://evil.example/x.png)", id="external-image"),
    pytest.param('<svg onload="alert(1)"></svg>', id="svg-onload"),
]


@pytest.mark.parametrize("markdown", ATTACKS)
def test_no_script_or_event_handler_reaches_the_html(markdown: str) -> None:
    html = to_text(f"Text före.\n\n{markdown}\n\nText efter.").html
    page = parse(html)
    assert not page.all("script") and not page.all("iframe") and not page.all("img") and not page.all("svg")
    for element in page.elements:
        assert not any(name.startswith("on") for name in element.attrs), element
        assert not element.attrs.get("href", "").lower().startswith("javascript")


def test_links_to_the_web_are_kept() -> None:
    page = parse(to_text("Se [Kolada](https://www.kolada.se/).").html)
    assert [a.attrs["href"] for a in page.all("a")] == ["https://www.kolada.se/"]


def test_a_quote_with_a_dash_line_gets_its_attribution() -> None:
    text = to_text("> Vi vill bli lyssnade på.\n>\n> — Elev i årskurs 8")
    assert '<figure class="citat"><blockquote>' in text.html
    assert "<figcaption>— Elev i årskurs 8</figcaption>" in text.html
    (block,) = text.blocks
    assert block.kind is BlockKind.QUOTE
    assert block.attribution == "Elev i årskurs 8"
    assert block.plain == "Vi vill bli lyssnade på."


def test_headings_are_demoted_to_fit_under_the_section() -> None:
    text = to_text("# Rubrik\n\n## Underrubrik", heading_base=3)
    assert "<h3>Rubrik</h3>" in text.html and "<h4>Underrubrik</h4>" in text.html
    assert [b.level for b in text.blocks] == [1, 2]


def test_blocks_keep_emphasis_links_and_lists_for_docx() -> None:
    text = to_text("Det är **viktigt** och *bra*, se [här](https://x.se).\n\n1. ett\n2. två")
    paragraph, numbered = text.blocks
    assert [(r.text, r.bold, r.italic, r.href) for r in paragraph.runs][1:4] == [
        ("viktigt", True, False, None),
        (" och ", False, False, None),
        ("bra", False, True, None),
    ]
    assert paragraph.runs[-2].href == "https://x.se"
    assert numbered.kind is BlockKind.ORDERED_LIST and len(numbered.items) == 2


def test_an_empty_text_is_false() -> None:
    assert not to_text("  \n")


def test_a_numbered_list_keeps_its_first_number() -> None:
    text = to_text("3. Ej påbörjad\n4. Något\n\nMellan.\n\n1. Första")
    assert '<ol start="3">\n<li>Ej påbörjad</li>' in text.html
    assert "<ol>\n<li>Första</li>" in text.html
    from_three, _, from_one = text.blocks
    assert from_three.kind is BlockKind.ORDERED_LIST and from_three.start == 3
    assert from_one.kind is BlockKind.ORDERED_LIST and from_one.start == 1


def _dash_lines(count: int) -> str:
    """Issue 12, row 1: one quote of ``count`` dash paragraphs and a list (the regex over the HTML was quadratic)."""
    return "> " + "\n>\n> ".join(["— x"] * count) + "\n>\n> - item\n"


def test_a_quote_of_many_dash_lines_renders_in_linear_time() -> None:
    # 16 times the text takes about 16 times as long (the old regex: about 250 times).
    ratio = time_ratio(lambda: to_text(_dash_lines(16 * 256)), lambda: to_text(_dash_lines(256)))
    assert ratio < 45, ratio


def test_only_a_last_dash_paragraph_is_an_attribution() -> None:
    middle = to_text("> a\n>\n> — b\n>\n> c")
    assert "<figure" not in middle.html and "<p>— b</p>" in middle.html
    alone = to_text("> — bara ett streck")
    assert "<figure" not in alone.html and alone.blocks[0].attribution == ""
    nested = to_text("> > inre\n>\n> — Elev")
    assert nested.html.startswith('<figure class="citat"><blockquote>\n<blockquote>')
    assert nested.html.endswith("</blockquote>\n<figcaption>— Elev</figcaption></figure>")


def test_opening_brackets_cost_what_closing_ones_do() -> None:
    # 20k of "[" took 7 times as long as 20k of "]" (22 times an ordinary text at the 100k limit): every "["
    # searched the rest of the paragraph for its "]".
    size = 20_000
    ratio = time_ratio(lambda: to_text("[" * size), lambda: to_text("]" * size))
    assert ratio < 3, ratio


def test_links_and_brackets_around_them_are_kept_when_brackets_do_not_close() -> None:
    text = to_text("[a](https://x.se) och [[b]](https://y.se) [c] \\[d] [ [ öppen")
    page = parse(text.html)
    assert [a.attrs["href"] for a in page.all("a")] == ["https://x.se", "https://y.se"]
    assert "[b]</a>" in text.html
    assert text.html.endswith("[c] [d] [ [ öppen</p>")


def test_a_writers_top_heading_is_the_first_level_whatever_the_number_of_hashes() -> None:
    text = to_text("### Artikel 2\n\nAlla barn.\n\n#### Exempel\n\nFritids.", heading_base=5)

    assert "<h5>Artikel 2</h5>" in text.html and "<h6>Exempel</h6>" in text.html
    assert [b.level for b in text.blocks if b.kind == BlockKind.HEADING] == [1, 2]
