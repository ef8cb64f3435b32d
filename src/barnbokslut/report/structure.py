"""The report's structure as data: an ordered tree of parts, each of a kind from the registry.

A barnbokslut comes in many shapes: a kommun's report with figures (Söderhamn's), a committee's without any
(socialförvaltning Nordost's), and every shape between. The structure says which parts the report has, in which
order, under which heading, with which lead text and which children, and whether headings are numbered
(1, 1.1, 2.2.1). The folder writes it as ``[[avsnitt]]`` entries in ``barnbokslut.toml``; the web app stores the
same entries as JSON on the edition. Both go through ``parse_structure``, so one set of rules and one set of
Swedish messages applies to both::

    [[avsnitt]]
    typ = "kapitel"
    rubrik = "Inledning"
      [[avsnitt.delar]]
      typ = "begrepp"

Without entries the report takes a preset: ``kommun`` (today's Söderhamn shape, with figures) or ``namnd``
(nämnd eller förvaltning: the Nordost shape, no figures). ``to_entries`` writes a structure back as entries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from barnbokslut.localdata.suppression import DEFAULT_THRESHOLD
from barnbokslut.report.registry import KINDS, kind_names
from barnbokslut.report.sections import ARTICLES, did_you_mean

__all__ = [
    "GROUPINGS",
    "MAX_DEPTH",
    "MAX_HEADING",
    "PRESETS",
    "Part",
    "Structure",
    "StructureLocator",
    "StructureSettings",
    "parse_settings",
    "parse_structure",
    "preset",
    "to_entries",
]

#: At most this many characters in a heading.
MAX_HEADING = 120
#: Parts nest at most this deep (chapter › part › sub-part), as the seeds' 2.2.1.
MAX_DEPTH = 3
#: How the Nulägesanalys is grouped: per article (Styrkor and Utmaningar under each), or per area
#: (Förutsättningar, then all Styrkor per article, then all Utmaningar per article).
GROUPINGS = {"artikel": "per artikel", "omrade": "per område (förutsättningar, styrkor, utmaningar)"}
_NULAGE_HEADINGS = ("forutsattningar", "styrkor", "utmaningar")
_KNOWN_FIELDS = {
    "typ",
    "rubrik",
    "visa",
    "ingress",
    "delar",
    "fil",
    "gruppering",
    "forkortningar",
    "rubriker",
}


@dataclass(frozen=True)
class Part:
    """One part of the structure. ``title`` is "" for the kind's default heading."""

    kind: str
    title: str = ""
    enabled: bool = True
    lead: str = ""  # Markdown shown under the heading, before the part's content
    children: tuple[Part, ...] = ()
    file: str = ""  # kind "text": the Markdown file (folder) or key (web app)
    grouping: str = "artikel"  # kind "nulage"
    abbreviations: bool = False  # table kinds: the abbreviation key right after the table
    headings: Mapping[str, str] = field(default_factory=dict)  # kind "nulage": own sub-headings

    @property
    def heading(self) -> str:
        return self.title or KINDS[self.kind].title

    def walk(self) -> list[Part]:
        return [self, *(p for c in self.children for p in c.walk())]


@dataclass(frozen=True)
class Structure:
    parts: tuple[Part, ...]
    numbered: bool = False
    preset: str = ""  # the preset it was made from, "" when written by hand

    def walk(self) -> list[Part]:
        return [p for part in self.parts for p in part.walk()]

    def has(self, kind: str) -> bool:
        return any(p.kind == kind and p.enabled for p in self.walk())

    def text_files(self) -> tuple[str, ...]:
        return tuple(p.file for p in self.walk() if p.kind == "text" and p.file)


def _p(kind: str, title: str = "", *children: Part, **options: Any) -> Part:
    return Part(kind, title, children=children, **options)


PRESETS: dict[str, Structure] = {
    "kommun": Structure(
        (
            _p("inledning", "", _p("begrepp"), _p("grundprinciper")),
            _p("upplagg"),
            _p("underlag"),
            _p("sammanfattning"),
            _p("siffror"),
            _p("lokala-data"),
            _p("verksamheter"),
            _p("barnkonsekvensanalyser"),
            _p("barnens-roster"),
            _p("uppfoljning"),
            _p("nulage"),
            _p("utvecklingsomraden"),
            _p("slutsatser"),
            _p("kallor"),
        ),
        numbered=False,
        preset="kommun",
    ),
    "namnd": Structure(
        (
            _p(
                "kapitel",
                "Inledning",
                _p("inledning", "Bakgrund och syfte"),
                _p("begrepp"),
                _p("grundprinciper", "Fyra grundläggande artiklar"),
            ),
            _p(
                "upplagg",
                "Barnbokslut",
                _p(
                    "uppfoljning",
                    "Uppföljning av föregående års utvecklingsområden och åtgärder",
                    abbreviations=True,
                ),
                _p("nulage", "Nulägesanalys av barnrättsarbetet", grouping="omrade"),
                _p("barnkonsekvensanalyser"),
                _p("barnens-roster"),
            ),
            _p("utvecklingsomraden", "Utvecklingsområden och åtgärder", abbreviations=True),
            _p("slutsatser"),
        ),
        numbered=True,
        preset="namnd",
    ),
}
PRESET_NAMES = {
    "kommun": "Kommun (med nyckeltal från Kolada)",
    "namnd": "Nämnd eller förvaltning (utan nyckeltal)",
}


def preset(name: str) -> Structure:
    return PRESETS[name]


class StructureLocator:
    """Finds the line of each ``[[avsnitt]]`` / ``[[avsnitt.delar]]`` header in the TOML text, in order.

    TOML keeps the order of array-of-tables entries, so the n-th ``[[avsnitt.delar]]`` after the m-th
    ``[[avsnitt]]`` is that entry's n-th child.
    """

    _HEADER = re.compile(r"^\s*\[\[\s*avsnitt((?:\s*\.\s*delar)*)\s*\]\]")

    def __init__(self, raw: str) -> None:
        self.raw_lines = raw.splitlines()
        self.lines: dict[tuple[int, ...], int] = {}
        path: list[int] = []
        for number, line in enumerate(raw.splitlines(), start=1):
            match = self._HEADER.match(line)
            if match is None:
                continue
            depth = match.group(1).count("delar")
            path = path[: depth + 1]
            while len(path) < depth + 1:
                path.append(0)
            path[depth] += 1
            self.lines[tuple(path)] = number

    def line(self, path: tuple[int, ...], key: str = "") -> int | None:
        """The line of ``key`` in the entry at ``path``, else the entry's header line (None when not found)."""
        start = self.lines.get(path)
        if start is None or not key:
            return start
        pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
        for number in range(start, len(self.raw_lines)):
            line = self.raw_lines[number]
            if line.lstrip().startswith("["):
                break
            if pattern.match(line):
                return number + 1
        return start


def _where(path: tuple[int, ...]) -> str:
    text = f"[[avsnitt]] nr {path[0]}"
    for n in path[1:]:
        text += f" › delar nr {n}"
    return text


def parse_structure(
    entries: object,
    *,
    file: str,
    problems: list[str],
    numbered: bool = False,
    locator: StructureLocator | None = None,
    default: str = "kommun",
) -> Structure:
    """Check ``entries`` (the ``[[avsnitt]]`` list, or the web app's JSON) and make a ``Structure``.

    Every problem (unknown kind, duplicate part, child under a part that takes none, heading too long, a
    wrong value) is appended to ``problems`` naming the file, the entry with its line and the field.
    An empty or missing list gives the ``default`` preset (with ``numbered`` as given when set).
    """
    if entries is None or entries == []:
        base = preset(default)
        return replace(base, numbered=numbered or base.numbered)
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(f"{file}: avsnitt ska skrivas som [[avsnitt]]-poster.")
        return preset(default)
    seen: dict[str, str] = {}

    def say(path: tuple[int, ...], key: str, message: str) -> None:
        line = None
        if locator is not None:
            # for "delar", the line of the first child's [[avsnitt.delar]] header
            line = (locator.line((*path, 1)) if key == "delar" else None) or locator.line(path, key)
        at = f" (rad {line})" if line else ""
        end = "" if message.endswith(("?", ".")) else "."
        problems.append(f"{file}, {_where(path)}{at}, fält ”{key}”: {message}{end}")

    def one(entry: dict[str, Any], path: tuple[int, ...]) -> Part | None:
        kind = entry.get("typ")
        if not isinstance(kind, str) or not kind.strip():
            say(path, "typ", "saknas; välj bland " + kind_names())
            return None
        kind = kind.strip().lower()
        spec = KINDS.get(kind)
        if spec is None or spec.internal:
            say(path, "typ", f"okänd typ ”{kind}”; välj bland {kind_names()}")
            return None
        for key in entry:
            if key not in _KNOWN_FIELDS:
                say(path, key, "okänt fält" + did_you_mean(key, _KNOWN_FIELDS))
        if not spec.repeatable:
            if kind in seen:
                say(path, "typ", f"”{kind}” finns redan ({seen[kind]}); en sådan del kan bara finnas en gång")
            seen.setdefault(kind, _where(path))
        title = entry.get("rubrik", "")
        if not isinstance(title, str):
            say(path, "rubrik", "ska vara en text")
            title = ""
        title = " ".join(title.split())
        if len(title) > MAX_HEADING:
            say(path, "rubrik", f"rubriken är {len(title)} tecken; högst {MAX_HEADING} går")
        if kind == "kapitel" and not title:
            say(path, "rubrik", "ett kapitel behöver en rubrik")
        enabled = entry.get("visa", True)
        if not isinstance(enabled, bool):
            say(path, "visa", "ska vara true eller false")
            enabled = True
        lead = entry.get("ingress", "")
        if not isinstance(lead, str):
            say(path, "ingress", "ska vara en text (Markdown)")
            lead = ""
        file_name = entry.get("fil", "")
        if kind == "text":
            if not isinstance(file_name, str) or not file_name.strip():
                say(path, "fil", 'en textdel behöver en fil, t.ex. fil = "texter/bakgrund.md"')
                file_name = ""
        elif file_name:
            say(path, "fil", f"bara delar av typen ”text” har en fil; ”{kind}” har sin egen text")
            file_name = ""
        grouping = entry.get("gruppering", "artikel")
        if "gruppering" in entry and kind != "nulage":
            say(path, "gruppering", 'gäller bara nulägesanalysen (typ = "nulage")')
        if grouping not in GROUPINGS:
            say(path, "gruppering", f"okänt värde ”{grouping}”; välj artikel eller omrade")
            grouping = "artikel"
        abbreviations = entry.get("forkortningar", False)
        if "forkortningar" in entry and not spec.table:
            say(
                path,
                "forkortningar",
                "förkortningar efter tabellen gäller bara uppfoljning och utvecklingsomraden",
            )
        if not isinstance(abbreviations, bool):
            say(path, "forkortningar", "ska vara true eller false")
            abbreviations = False
        headings = entry.get("rubriker", {})
        if "rubriker" in entry and kind != "nulage":
            say(path, "rubriker", 'gäller bara nulägesanalysen (typ = "nulage")')
            headings = {}
        if not isinstance(headings, dict) or not all(
            k in _NULAGE_HEADINGS and isinstance(v, str) and 0 < len(v.strip()) <= MAX_HEADING
            for k, v in headings.items()
        ):
            say(path, "rubriker", 'ska vara t.ex. { forutsattningar = "…", styrkor = "…", utmaningar = "…" }')
            headings = {}
        children_raw = entry.get("delar", [])
        children: list[Part] = []
        if children_raw:
            if not spec.children:
                say(path, "delar", f"en del av typen ”{kind}” kan inte ha delar under sig")
            elif len(path) >= MAX_DEPTH:
                say(path, "delar", f"delar kan ligga högst {MAX_DEPTH} nivåer djupt")
            elif not isinstance(children_raw, list) or not all(isinstance(c, dict) for c in children_raw):
                say(path, "delar", "ska skrivas som [[avsnitt.delar]]-poster")
            else:
                for n, child in enumerate(children_raw, start=1):
                    made = one(child, (*path, n))
                    if made is not None:
                        children.append(made)
        return Part(
            kind, title, enabled, lead.strip(), tuple(children), file_name.strip(), grouping, abbreviations,
            {k: v.strip() for k, v in headings.items()},
        )  # fmt: skip

    parts = [one(entry, (n,)) for n, entry in enumerate(entries, start=1)]
    return Structure(tuple(p for p in parts if p is not None), numbered=numbered)


def to_entries(structure: Structure | Sequence[Part]) -> list[dict[str, Any]]:
    """The structure as ``[[avsnitt]]`` entries (the web app's JSON), readable by ``parse_structure``."""
    parts = structure.parts if isinstance(structure, Structure) else structure
    out = []
    for part in parts:
        entry: dict[str, Any] = {"typ": part.kind}
        if part.title:
            entry["rubrik"] = part.title
        if not part.enabled:
            entry["visa"] = False
        if part.lead:
            entry["ingress"] = part.lead
        if part.file:
            entry["fil"] = part.file
        if part.kind == "nulage" and part.grouping != "artikel":
            entry["gruppering"] = part.grouping
        if part.abbreviations:
            entry["forkortningar"] = True
        if part.headings:
            entry["rubriker"] = dict(part.headings)
        if part.children:
            entry["delar"] = to_entries(part.children)
        out.append(entry)
    return out


@dataclass(frozen=True)
class StructureSettings:
    """The structure and the settings that go with it: article titles and how abbreviations are written."""

    structure: Structure
    article_titles: dict[int, str] = field(default_factory=dict)
    joiner: str = ", "  # between abbreviations: "(SVF, FIP)" or "(F & V)"
    abbreviations_title: str = "Förkortningar"
    small_counts: int = DEFAULT_THRESHOLD  # a count below this is not shown in local tables (``sma_tal``)


#: The highest threshold for small counts a report may set (``sma_tal``).
MAX_SMALL_COUNTS = 100


def parse_settings(
    settings: Mapping[str, Any],
    *,
    file: str,
    where: str,
    problems: list[str],
    locator: StructureLocator | None = None,
    default: str = "kommun",
) -> StructureSettings:
    """Read ``mall``, ``numrerade_rubriker``, ``avsnitt``, ``artiklar``, ``forkortning_skiljetecken``,
    ``forkortningar_rubrik`` and ``sma_tal`` (the folder's ``[rapport]``/``[[avsnitt]]``/``[artiklar]``, or the
    edition's JSON)."""

    def say(key: str, message: str) -> None:
        problems.append(f"{file}, {where}, fält ”{key}”: {message}.")

    template = settings.get("mall") or default
    if template not in PRESETS:
        say("mall", f"okänd mall ”{template}”; välj {' eller '.join(PRESETS)}")
        template = default
    numbered = settings.get("numrerade_rubriker")
    if numbered is not None and not isinstance(numbered, bool):
        say("numrerade_rubriker", "ska vara true eller false")
        numbered = None
    structure = parse_structure(
        settings.get("avsnitt"), file=file, problems=problems, locator=locator, default=template
    )
    if numbered is not None:
        structure = replace(structure, numbered=numbered)
    titles: dict[int, str] = {}
    articles = settings.get("artiklar") or {}
    if not isinstance(articles, Mapping):
        say("artiklar", 'ska vara en tabell, t.ex. [artiklar] med 2 = "…"')
        articles = {}
    for key, value in articles.items():
        if not str(key).isdigit() or int(key) not in ARTICLES:
            problems.append(f"{file}, [artiklar], fält ”{key}”: ska vara artikel 2, 3, 6 eller 12.")
        elif not isinstance(value, str) or not value.strip() or len(value) > MAX_HEADING:
            problems.append(
                f"{file}, [artiklar], fält ”{key}”: ska vara en rubrik på högst {MAX_HEADING} tecken."
            )
        else:
            titles[int(key)] = " ".join(value.split())
    joiner = settings.get("forkortning_skiljetecken", ", ")
    if not isinstance(joiner, str) or not joiner.strip() or len(joiner) > 5:
        say("forkortning_skiljetecken", 'ska vara en kort text, t.ex. ", " eller " & "')
        joiner = ", "
    title = settings.get("forkortningar_rubrik") or "Förkortningar"
    if not isinstance(title, str) or len(title) > MAX_HEADING:
        say("forkortningar_rubrik", f"ska vara en rubrik på högst {MAX_HEADING} tecken")
        title = "Förkortningar"
    small = settings.get("sma_tal", DEFAULT_THRESHOLD)
    if isinstance(small, bool) or not isinstance(small, int) or not 1 <= small <= MAX_SMALL_COUNTS:
        say(
            "sma_tal",
            f"ska vara ett heltal från 1 till {MAX_SMALL_COUNTS} (antal svar eller barn), inte {small!r}",
        )
        small = DEFAULT_THRESHOLD
    return StructureSettings(structure, titles, joiner, title.strip(), small)
