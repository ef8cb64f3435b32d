"""No script gets through: the live preview and the stored text are rendered by report.markdown, sanitised."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from section_helpers import save

from barnbokslut.web.editions.models import Section

NASTY = (
    'Hej <script>alert("x")</script>\n\n'
    '<img src=x onerror="alert(1)">\n\n'
    "[klicka](javascript:alert(1)) och [Kolada](https://www.kolada.se)\n\n"
    '<a href="javascript:alert(2)">rå länk</a>'
)


class _Elements(HTMLParser):
    """Every element and attribute the browser would build from ``html`` (escaped text is just text)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def _assert_harmless(html: str) -> None:
    found = _Elements(html)
    assert "script" not in found.tags
    assert "img" not in found.tags
    assert not [name for name, _ in found.attributes if name.startswith("on")]
    assert not [
        v for n, v in found.attributes if n in ("href", "src") and v.strip().lower().startswith("javascript")
    ]


@pytest.fixture
def siri(cast) -> Client:
    client = Client()
    client.force_login(cast.siri)
    return client


def test_the_preview_renders_markdown_and_drops_scripts(siri, bou_section):
    response = siri.post(reverse("editions:section_preview", args=[bou_section.pk]), {"body": NASTY})
    html = response.content.decode()
    assert response.status_code == 200
    _assert_harmless(html)
    assert '<a href="https://www.kolada.se" rel="noopener noreferrer">Kolada</a>' in html
    assert "&lt;script&gt;" in html  # shown as the text that was typed


def test_the_preview_of_markdown_has_headings_below_the_page_heading(siri, bou_section):
    html = siri.post(
        reverse("editions:section_preview", args=[bou_section.pk]), {"body": "# Rubrik\n\n**fet**"}
    )
    assert "<h3>Rubrik</h3>" in html.content.decode()
    assert "<strong>fet</strong>" in html.content.decode()


def test_an_empty_preview_says_so(siri, bou_section):
    html = siri.post(
        reverse("editions:section_preview", args=[bou_section.pk]), {"body": "  "}
    ).content.decode()
    assert "Ingen text ännu." in html


def test_stored_text_is_rendered_sanitised_for_every_reader(cast, siri, bou_section):
    save(siri, bou_section, NASTY, 0)
    assert Section.objects.get(pk=bou_section.pk).body == NASTY  # stored as typed; sanitised on the way out
    for user in (cast.siri, cast.lars, cast.greta):
        client = Client()
        client.force_login(user)
        page = client.get(reverse("editions:section_edit", args=[bou_section.pk])).content.decode()
        main = page[page.index('id="innehall"') : page.index("</main>")]
        _assert_harmless(main)
        assert '<a href="https://www.kolada.se" rel="noopener noreferrer">Kolada</a>' in main


def test_the_history_shows_unsafe_text_escaped(siri, bou_section):
    save(siri, bou_section, NASTY, 0)
    page = siri.get(reverse("editions:section_version", args=[bou_section.pk, 1])).content.decode()
    main = page[page.index('id="innehall"') : page.index("</main>")]
    _assert_harmless(main)
    assert "&lt;script&gt;" in main
