"""A small HTML reader for the structure tests (stdlib html.parser): tags with attributes, headings, text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]


@dataclass
class Page(HTMLParser):
    elements: list[Element] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    _heading: int | None = None
    _heading_text: list[str] = field(default_factory=list)
    _skip: int = 0

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}))
        if tag in ("style", "script"):
            self._skip += 1
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self._heading = int(tag[1])
            self._heading_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        if self._heading is not None and tag == f"h{self._heading}":
            self.headings.append((self._heading, "".join(self._heading_text).strip()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.texts.append(data)
        if self._heading is not None:
            self._heading_text.append(data)

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    @property
    def text(self) -> str:
        return " ".join(self.texts)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page
