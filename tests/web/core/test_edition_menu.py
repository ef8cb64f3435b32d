"""One edition menu: every signed-in page of an edition shows the same items, names and order in "Huvudmeny".

The pages are found from the URL configuration (every GET address under /arsgang/<pk>/ and /avsnitt/<pk>/
with no other argument), so a new edition page with its own menu, or none, fails here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from barnbokslut.web.editions.models import Edition, Section


class _MainMenu(HTMLParser):
    """The link texts of the items in <nav aria-label="Huvudmeny">, as (text, href); buttons as (text, None)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str | None]] = []
        self._in_nav = False
        self._href: str | None = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and found.get("aria-label") == "Huvudmeny":
            self._in_nav = True
        elif self._in_nav and tag in ("a", "button"):
            self._href = found.get("href")
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav = False
        elif self._text is not None and tag in ("a", "button"):
            self.items.append((" ".join("".join(self._text).split()), self._href))
            self._text = None


def main_menu(html: str) -> list[tuple[str, str | None]]:
    parser = _MainMenu()
    parser.feed(html)
    return parser.items


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _patterns(entry, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((prefix + str(entry.pattern), namespace + entry.name))
    return found


def edition_pages() -> list[tuple[str, str]]:
    """(route, name) of every edition or section address whose only argument is the edition or section."""
    pages = []
    for route, name in _patterns(get_resolver()):
        arguments = re.findall(r"<[^>]+>", route)
        if arguments in (["<int:pk>"], ["<int:edition_pk>"]) and route.startswith(("arsgang/", "avsnitt/")):
            pages.append((route, name))
    return sorted(pages)


def expected(edition: Edition, *, publisher: bool, user: str) -> list[tuple[str, str | None]]:
    pk = edition.pk
    menu: list[tuple[str, str | None]] = [
        ("Start", "/"),
        ("Barnbokslut 2025", f"/arsgang/{pk}/"),
        ("Tavla", f"/arsgang/{pk}/tavla/"),
        ("Nyckeltal", f"/arsgang/{pk}/nyckeltal/"),
        ("Lokala uppgifter", f"/arsgang/{pk}/lokala-data/"),
        ("Förhandsgranska", f"/arsgang/{pk}/forhandsgranska/"),
    ]
    if publisher:
        menu.append(("Publicera", f"/arsgang/{pk}/publicera/"))
    menu += [("Arkiv", "/arkiv/soderhamn/"), ("Mitt konto", "/konto/"), (f"Logga ut {user}", None)]
    return menu


#: Edition addresses that answer with the report itself (shown in a frame), not a page of the app.
REPORT_DOCUMENTS = {"publishing:preview_document", "editions:child_version_preview"}


def _full_pages(client: Client, edition: Edition, section: Section) -> list[tuple[str, Any]]:
    """(address, response) of each edition page that answers a GET with a whole HTML page."""
    pages = []
    for route, name in edition_pages():
        if name in REPORT_DOCUMENTS:
            continue
        pk = section.pk if route.startswith("avsnitt/") else edition.pk
        address = "/" + re.sub(r"<[^>]+>", str(pk), route)
        response = client.get(address)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        if "<html" in html:
            pages.append((address, html))
    return pages


def test_the_edition_pages_are_found_from_the_url_configuration() -> None:
    names = {name for _route, name in edition_pages()}

    assert {
        "editions:detail",
        "editions:board",
        "editions:section_edit",
        "editions:indicators",
        "localdata:list",
        "publishing:preview",
        "publishing:publish",
    } <= names


@pytest.mark.parametrize("who", ["alva", "siri"])
def test_every_edition_page_shows_the_one_edition_menu(
    client: Client, cast: Any, edition: Edition, who: str
) -> None:
    user = getattr(cast, who)
    section = edition.sections.get(unit=cast.bou, kind="utmaningar")
    client.force_login(user)

    pages = _full_pages(client, edition, section)

    assert len(pages) >= (12 if who == "alva" else 8)  # the writer may not open the admin pages
    menu = expected(edition, publisher=who == "alva", user=who)
    wrong = {address: main_menu(html) for address, html in pages if main_menu(html) != menu}
    assert wrong == {}
    board = dict(pages)[f"/arsgang/{edition.pk}/tavla/"]
    assert f"/avsnitt/{section.pk}/" in board  # the board is among them, and is the real board
