"""The barnversion: a short page of the barnbokslut written for children, as a web page and an A4 poster.

Four parts, always in this order, each with an icon that has a text alternative:

    Det här har vi gjort · Det här ska bli bättre · Det här sa ni · Så kan du säga vad du tycker

In a report folder it is ``texter/barnversion.md`` with the four headings as ``## `` headings (text before the
first heading is a lead), and ``lix_mal`` under ``[barnversion]`` in ``barnbokslut.toml`` (default 30); in the web
app the coordinator writes it per edition. ``render_child_html`` gives a self-contained accessible page,
``write_child_pdf`` the poster (PDF/UA-1, A4). Its readability is LIX (``barnbokslut.readability``), shown against
the target while writing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from markupsafe import Markup

from barnbokslut.readability import Lix, lix
from barnbokslut.report.markdown import to_text
from barnbokslut.report.model import Text
from barnbokslut.report.sections import split_headings

__all__ = [
    "CHILD_FILE",
    "DEFAULT_LIX_TARGET",
    "PARTS",
    "ChildPart",
    "ChildVersion",
    "PartSpec",
    "child_version",
    "parse_child_markdown",
    "render_child_html",
    "write_child_pdf",
]

DEFAULT_LIX_TARGET = 30
#: The file in a report folder.
CHILD_FILE = "texter/barnversion.md"


@dataclass(frozen=True)
class PartSpec:
    key: str
    heading: str
    icon: str  # an inline SVG drawing, decorative shapes only
    alt: str  # what the icon shows, for those who don't see it


_ICON = (
    '<svg viewBox="0 0 64 64" width="64" height="64" role="img" aria-label="{alt}">'
    "<title>{alt}</title>{shape}</svg>"
)

PARTS: tuple[PartSpec, ...] = (
    PartSpec(
        "gjort", "Det här har vi gjort",
        '<circle cx="32" cy="32" r="30" fill="#1b4f72"/><path d="M18 33l9 9 19-20" fill="none" stroke="#fff" '
        'stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/>',
        "En bock i en cirkel",
    ),
    PartSpec(
        "battre", "Det här ska bli bättre",
        '<circle cx="32" cy="32" r="30" fill="#a04000"/><path d="M32 48V18M19 30l13-13 13 13" fill="none" '
        'stroke="#fff" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/>',
        "En pil som pekar uppåt",
    ),
    PartSpec(
        "sa_ni", "Det här sa ni",
        '<path d="M8 12h48a4 4 0 0 1 4 4v26a4 4 0 0 1-4 4H26l-12 10v-10H8a4 4 0 0 1-4-4V16a4 4 0 0 1 4-4z" '
        'fill="#5b2c6f"/><circle cx="20" cy="29" r="4" fill="#fff"/><circle cx="32" cy="29" r="4" fill="#fff"/>'
        '<circle cx="44" cy="29" r="4" fill="#fff"/>',
        "En pratbubbla",
    ),
    PartSpec(
        "tycker", "Så kan du säga vad du tycker",
        '<circle cx="32" cy="32" r="30" fill="#4d4d4d"/><path d="M32 14v24M32 46v2" fill="none" stroke="#fff" '
        'stroke-width="7" stroke-linecap="round"/>',
        "Ett utropstecken i en cirkel",
    ),
)  # fmt: skip
_BY_HEADING = {spec.heading.casefold(): spec for spec in PARTS}


@dataclass(frozen=True)
class ChildPart:
    spec: PartSpec
    text: Text

    @property
    def icon(self) -> Markup:
        return Markup(_ICON.format(alt=self.spec.alt, shape=self.spec.icon))


@dataclass(frozen=True)
class ChildVersion:
    """The barnversion of one report: who, which year, a lead, the four parts (empty ones left out)."""

    organisation: str
    year: int
    lead: Text | None
    parts: tuple[ChildPart, ...]
    lix_target: int = DEFAULT_LIX_TARGET
    is_example: bool = False

    @property
    def title(self) -> str:
        return f"Barnbokslut {self.year} för barn och unga"

    @property
    def readability(self) -> Lix:
        lead = self.lead.markdown if self.lead else ""
        return lix("\n\n".join([lead, *(part.text.markdown for part in self.parts)]))


def child_version(
    organisation: str,
    year: int,
    texts: Mapping[str, str],
    *,
    lead: str = "",
    lix_target: int = DEFAULT_LIX_TARGET,
    is_example: bool = False,
) -> ChildVersion | None:
    """The barnversion from its texts by part key (``gjort``, ``battre``, ``sa_ni``, ``tycker``); None when
    every part is empty (there is no barnversion then)."""
    parts = tuple(
        ChildPart(spec, to_text(texts[spec.key].strip(), heading_base=3))
        for spec in PARTS
        if texts.get(spec.key, "").strip()
    )
    if not parts:
        return None
    lead_text = to_text(lead.strip(), heading_base=3) if lead.strip() else None
    return ChildVersion(organisation, year, lead_text, parts, lix_target, is_example)


def parse_child_markdown(markdown: str, file: str, problems: list[str]) -> tuple[str, dict[str, str]]:
    """The lead and the texts by part key of a barnversion file; an unknown heading is a problem naming the file,
    the line and the four headings there are."""
    lead, found = split_headings(markdown)
    texts: dict[str, str] = {}
    for heading, body, line in found:
        spec = _BY_HEADING.get(heading.strip().rstrip(":").casefold())
        if spec is None:
            known = ", ".join(f"”{s.heading}”" for s in PARTS)
            problems.append(
                f"{file}, rad {line}: rubriken ”{heading}” finns inte i barnversionen; använd {known}."
            )
            continue
        if spec.key in texts:
            problems.append(f"{file}, rad {line}: rubriken ”{spec.heading}” finns redan längre upp.")
            continue
        texts[spec.key] = body
    return lead, texts


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    return (resources.files("barnbokslut.report") / "static" / "child.css").read_text(encoding="utf-8")


def render_child_html(version: ChildVersion, *, for_print: bool = False, report_url: str = "") -> str:
    """The barnversion as one self-contained HTML page (``for_print``: the A4 poster's layout)."""
    from barnbokslut.report.html import environment

    template = environment().get_template("child_version.html.j2")
    return template.render(
        version=version, for_print=for_print, css=Markup(_stylesheet()), report_url=report_url
    )


def write_child_pdf(version: ChildVersion, path: Path | str) -> Path:
    """The barnversion as an A4 poster, tagged PDF/UA-1 (one page when the texts are as short as they should be)."""
    from barnbokslut.report.pdf import write_markup_pdf

    return write_markup_pdf(
        render_child_html(version, for_print=True),
        path,
        stylesheets=[],
        title=version.title,
        language="sv",
        author=version.organisation,
        description=f"{version.title}, {version.organisation}",
        archival=False,
    ).path
