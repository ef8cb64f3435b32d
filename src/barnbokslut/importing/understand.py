"""Find a barnbokslut's parts in a read document: the texts (inledning, begrepp, grundprinciper, upplägg,
nulägesanalys per förutsättningar and per article 2, 3, 6, 12 with styrkor and utmaningar, slutsatser,
rekommendationer), the follow-up table (område, units, numbered åtgärder, status per action, kommentar), the
development-area table (område with unit abbreviations, åtgärder, förväntade resultat) and the units from the
abbreviation key ("SVF = Stadsområde, välfärd och fritid").

Headings are matched with diacritics folded (å, ä → a, ö → o, é → e), so OCR-damaged headings ("Uppfoljning av
foregaende ars") are found as well. Tables come from the document's tables; for plain text, where there are no
cells, the rows are found line by line in the table's stretch of text by their unit parentheses — a best effort
whose cells are not exact (a note says so).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from barnbokslut.importing import interleaved
from barnbokslut.importing.model import Document, Heading, ListItem, Paragraph, Table
from barnbokslut.importing.ocr_repair import WordList, WordListMissing, load_word_list

ARTICLES = (2, 3, 6, 12)
STATUSES = ("Ej påbörjad", "Genomförd", "Påbörjad")
#: How every note on last year's follow-up table (read from OCR text) begins: the web review, which does not
#: import that table, shows them with it rather than with the notes on what is imported.
FOLLOWUP_NOTE = "Uppföljningstabellen"

#: The text parts, in report order, and the file each becomes in the folder.
TEXT_FILES = {
    "inledning": "texter/inledning.md",
    "begrepp": "texter/begrepp.md",
    "grundprinciper": "texter/grundprinciper.md",
    "upplagg": "texter/upplagg.md",
    "underlag": "texter/underlag.md",
    "nulage/forutsattningar": "texter/nulage/forutsattningar.md",
    **{f"nulage/artikel-{n}": f"texter/nulage/artikel-{n}.md" for n in ARTICLES},
    "slutsatser": "texter/slutsatser.md",
    "rekommendationer": "texter/rekommendationer.md",
}
#: Every part looked for, for "found / not found".
EXPECTED = (
    "inledning", "begrepp", "grundprinciper", "uppfoljning", "nulage/forutsattningar",
    *(f"nulage/artikel-{n}" for n in ARTICLES), "utvecklingsomraden", "slutsatser", "forkortningar",
)  # fmt: skip


def fold(text: str) -> str:
    """Lower case without diacritics and without a leading heading number: for matching headings."""
    text = re.sub(r"^\s*\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+", "", text)
    return re.sub(r"\s+", " ", interleaved.fold(text)).strip()


@dataclass
class Action:
    text: str
    status: str | None = None
    kommentar: str = ""


@dataclass
class FollowUpRow:
    omrade: str
    verksamheter: list[str]
    atgarder: list[Action]


@dataclass
class DevelopmentRow:
    omrade: str
    verksamheter: list[str]
    atgarder: str  # Markdown: one text or a list ("1. …", "- …")
    forvantade_resultat: str
    barnens_forslag: bool = False  # marked "Förslag från barn" (a development area proposed by children)

    def actions(self) -> list[str]:
        """The åtgärder one by one: the items of a list, else the one text."""
        lines = [line.strip() for line in self.atgarder.splitlines() if line.strip()]
        items = [re.sub(r"^(?:\d{1,2}\.|[-•])\s+", "", line) for line in lines]
        if len(lines) > 1 and all(re.match(r"^(?:\d{1,2}\.|[-•])\s+", line) for line in lines):
            return items
        return [" ".join(items)] if items else []


@dataclass
class Found:
    source: Path
    kind: str
    parts: dict[str, str] = field(default_factory=dict)  # part key → Markdown
    headings: dict[str, str] = field(default_factory=dict)  # part key → last year's heading
    followup: list[FollowUpRow] = field(default_factory=list)
    development: list[DevelopmentRow] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)  # abbreviation → name
    articles: dict[int, str] = field(default_factory=dict)  # article → its title
    skipped: list[str] = field(default_factory=list)  # headings of parts not imported (figures, sources, …)
    notes: list[str] = field(default_factory=list)
    repairs: list[dict[str, Any]] = field(default_factory=list)  # OCR repairs, for review (``ocr_repair``)
    organisation: str | None = None
    year: int | None = None
    numbered: bool = False  # last year's headings were numbered (1, 1.1, 2.2.1)
    nulage_grouping: str = "artikel"  # "omrade" when Styrkor and Utmaningar came before the articles
    #: Parts the reader found but someone chose to leave out (the web app's "ta inte med"): ``write_folder``
    #: leaves them out of the structure too, where it would otherwise keep Inledning and Slutsatser to be written.
    left_out: set[str] = field(default_factory=set)

    def present(self) -> list[str]:
        have = set(self.parts)
        if self.followup:
            have.add("uppfoljning")
        if self.development:
            have.add("utvecklingsomraden")
        if self.units:
            have.add("forkortningar")
        return [key for key in EXPECTED if key in have] + sorted(have - set(EXPECTED))

    def missing(self) -> list[str]:
        return [key for key in EXPECTED if key not in self.present()]

    def to_json(self) -> dict[str, Any]:
        return {
            "fil": str(self.source),
            "typ": self.kind,
            "organisation": self.organisation,
            "år": self.year,
            "delar_funna": self.present(),
            "delar_saknas": self.missing(),
            "texter": {
                key: {"rubrik": self.headings.get(key), "tecken": len(text)}
                for key, text in self.parts.items()
            },
            "tabeller": {
                "uppfoljning": {
                    "rader": len(self.followup),
                    "åtgärder": sum(len(r.atgarder) for r in self.followup),
                },
                "utvecklingsomraden": {"rader": len(self.development)},
            },
            "verksamheter": self.units,
            "artiklar": {str(k): v for k, v in self.articles.items()},
            "uppfoljning": [asdict(r) for r in self.followup],
            "utvecklingsomraden": [asdict(r) for r in self.development],
            "ej_importerat": self.skipped,
            "anteckningar": self.notes,
            "rättelser": self.repairs,
        }


# ---------------------------------------------------------------- headings → parts

_SKIP = ("kallor", "situationen for barn", "i siffror", "lokala uppgifter", "verksamhetsberattelse", "innehall",
         "sammanfattning", "barnversion")  # fmt: skip
_UNIT_KEY = re.compile(r"^([A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,5})\s*(?:=|\s–)\s*(\S.{1,120})$")
_UNIT_TERM = re.compile(
    r"^([A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,5})\s*=$"
)  # a definition list's term: "SVF =" then the name
_UNIT_PARENS = re.compile(
    r"\(\s*([A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5}(?:\s*(?:,|&|och|/)\s*[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5})*)\s*\)\s*$"
)
_ARTICLE = re.compile(r"^artikel\s+(\d{1,2})\b\s*(?:[-–—:]\s*(.*))?$")


def _classify(folded: str) -> str | None:
    if any(folded.startswith(s) or s in folded for s in _SKIP):
        return "skip"
    if folded.startswith("uppfoljning"):
        return "uppfoljning"
    if folded.startswith("forkortning"):
        return "forkortningar"
    if folded.startswith(("inledning", "bakgrund", "syfte")):
        return "inledning"
    if "begrepp" in folded:
        return "begrepp"
    if "grundprincip" in folded or "grundlaggande artiklar" in folded:
        return "grundprinciper"
    if folded.startswith("nulagesanalys") or folded == "nulage":
        return "nulage"
    if folded.startswith("forutsattningar"):
        return "nulage/forutsattningar"
    if folded.startswith("styrkor"):
        return "styrkor"
    if folded.startswith("utmaningar"):
        return "utmaningar"
    if "utvecklingsomrade" in folded:
        return "utvecklingsomraden"
    if folded.startswith("slutsats"):
        return "slutsatser"
    if folded.startswith("rekommendation"):
        return "rekommendationer"
    if folded in ("upplagg", "barnbokslut"):
        return "upplagg"
    if folded == "underlag":
        return "underlag"
    if any(folded.startswith(s) or s in folded for s in _SKIP):
        return "skip"
    return None


def _split_units(text: str) -> tuple[str, list[str]]:
    """ "Skola som arena (SVF)" → ("Skola som arena", ["SVF"]); no parenthesis of abbreviations: no units."""
    match = _UNIT_PARENS.search(text)
    if not match:
        return text.strip(), []
    units = [u.strip() for u in re.split(r"\s*(?:,|&|och|/)\s*", match.group(1)) if u.strip()]
    if not all(
        re.fullmatch(r"[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5}", u) and any(c.isupper() for c in u[1:] or u)
        for u in units
    ):
        return text.strip(), []
    return text[: match.start()].strip(), units


def _status(text: str) -> str | None:
    folded = fold(text)
    if "ej paborjad" in folded or "inte paborjad" in folded:
        return "Ej påbörjad"
    if "genomford" in folded:
        return "Genomförd"
    if "paborjad" in folded or "pagar" in folded:
        return "Påbörjad"
    return None


def _numbered(cell: str) -> dict[int, str]:
    """A cell's numbered lines ("1. …", "1.…"), continuation lines joined to the line before."""
    items: dict[int, str] = {}
    current: int | None = None
    for line in cell.splitlines():
        match = re.match(r"^(\d{1,2})\.\s*(.*)$", line.strip())
        if match:
            current = int(match.group(1))
            items[current] = match.group(2).strip()
        elif current is not None and line.strip():
            items[current] = f"{items[current]} {line.strip()}"
    return items


class _Columns:
    def __init__(self, header: tuple[str, ...]) -> None:
        folded = [fold(h) for h in header]

        def find(*words: str) -> int | None:
            for i, h in enumerate(folded):
                if any(w in h for w in words):
                    return i
            return None

        self.results = find("forvantade", "resultat")
        self.status = find("status")
        self.comment = find("kommentar")
        self.units = find("forvaltning", "verksamhet", "avdelning", "enhet")
        self.actions = find("atgard")
        self.area = find("omrade", "prioriterade")
        if self.area is None:
            self.area = 0

    def cell(self, row: tuple[str, ...], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""


#: The mark after a development area proposed by children: "(KFI) Förslag från barn" in HTML and PDF,
#: "(förslag från barn)" in Word.
_CHILD_MARK = re.compile(r"\s*\(?\s*förslag från barn\s*\)?\s*$", re.IGNORECASE)


def _area_units(columns: _Columns, row: tuple[str, ...]) -> tuple[str, list[str]]:
    area = _CHILD_MARK.sub("", re.sub(r"\s+", " ", columns.cell(row, columns.area)))
    if columns.units is not None:
        units = [u.strip() for u in re.split(r"\s*(?:,|&)\s*", columns.cell(row, columns.units)) if u.strip()]
        return area, units
    return _split_units(area)


def _followup_row(columns: _Columns, row: tuple[str, ...]) -> FollowUpRow | None:
    area, units = _area_units(columns, row)
    if not area:
        return None
    actions_cell = columns.cell(row, columns.actions)
    statuses = _numbered(columns.cell(row, columns.status))
    comments = _numbered(columns.cell(row, columns.comment))
    numbered = _numbered(actions_cell)
    if len(numbered) > 1 and (len(statuses) > 1 or len(comments) > 1):
        # Numbered åtgärder with numbered statuses or comments: one action each; a status written once is
        # every action's.
        status = _status(columns.cell(row, columns.status)) if len(statuses) <= 1 else None
        actions = [
            Action(text, _status(statuses.get(n, "")) if len(statuses) > 1 else status, comments.get(n, ""))
            for n, text in sorted(numbered.items())
        ]
    else:
        # One action (its text may itself be a list): the row's status and comment are the action's.
        text = "\n".join(line.strip() for line in actions_cell.splitlines() if line.strip())
        comment = " ".join(
            line.strip() for line in columns.cell(row, columns.comment).splitlines() if line.strip()
        )
        actions = [Action(text, _status(columns.cell(row, columns.status)), comment)]
    return FollowUpRow(area, units, actions)


def _development_row(columns: _Columns, row: tuple[str, ...]) -> DevelopmentRow | None:
    area, units = _area_units(columns, row)
    if not area:
        return None
    marked = bool(_CHILD_MARK.search(re.sub(r"\s+", " ", columns.cell(row, columns.area))))
    return DevelopmentRow(
        area, units, columns.cell(row, columns.actions), columns.cell(row, columns.results), marked
    )


class _Writer:
    """Gathers the Markdown of each text part while walking the blocks."""

    def __init__(self, found: Found) -> None:
        self.found = found
        self.lines: dict[str, list[str]] = {}

    def add(self, key: str | None, line: str) -> None:
        if key is None or key not in TEXT_FILES:
            return
        self.lines.setdefault(key, []).append(line)

    def finish(self) -> None:
        for key, lines in self.lines.items():
            text = "\n\n".join(lines).strip()
            text = re.sub(r"(^|\n\n)(- .*)\n\n(?=- )", r"\1\2\n", text)
            while re.search(r"\n(- .*)\n\n(?=- )", text):
                text = re.sub(r"\n(- .*)\n\n(?=- )", r"\n\1\n", text)
            if text:
                self.found.parts[key] = text + "\n"


def understand(document: Document) -> Found:
    found = Found(
        source=document.source, kind=document.kind, notes=list(document.notes), repairs=list(document.repairs)
    )
    writer = _Writer(found)
    current: str | None = None
    sub: str | None = None  # "styrkor" / "utmaningar" within nulage
    article: int | None = None
    pending_term: str | None = None
    sub_level = article_level = 0
    pending_unit: str | None = None
    for block in document.blocks:
        if isinstance(block, Heading):
            pending_term = None
            folded = fold(block.text)
            year = re.fullmatch(r"barnbokslut\s+(\d{4})", folded)
            if year:
                found.year = found.year or int(year.group(1))
                continue
            kind = _classify(folded)
            if re.match(r"^\s*\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+\D", block.text):
                found.numbered = True
            art = _ARTICLE.match(folded)
            if art and current and current.startswith("nulage"):
                article, article_level = int(art.group(1)), block.level
                if sub is not None and sub_level >= block.level:
                    sub = None  # grouped by article: Styrkor and Utmaningar come under each article

                _, title = _article_title(block.text)
                if title and article not in found.articles:
                    found.articles[article] = title
                current = f"nulage/artikel-{article}" if article in ARTICLES else None
                if sub is not None:  # grouped by area: the article under Styrkor (or Utmaningar)
                    writer.add(current, "## Styrkor" if sub == "styrkor" else "## Utmaningar")
                continue
            if art and current == "grundprinciper":
                number, title = _article_title(block.text)
                if title:
                    found.articles.setdefault(number, title)
                writer.add(current, f"## Artikel {number}")
                continue
            if kind in ("styrkor", "utmaningar") and (current or "").startswith("nulage"):
                sub, sub_level = kind, block.level
                if article is not None and article in ARTICLES and article_level < block.level:
                    current = f"nulage/artikel-{article}"
                    writer.add(current, "## Styrkor" if sub == "styrkor" else "## Utmaningar")
                else:
                    current = "nulage"
                    found.nulage_grouping = "omrade"
                continue
            if (
                kind == "nulage/forutsattningar"
                and not (current or "").startswith("nulage")
                and current != "nulage"
            ):
                kind = "nulage/forutsattningar"
            if kind is not None:
                if kind == "skip":
                    found.skipped.append(block.text)
                    current = None
                    continue
                if kind in ("nulage", "nulage/forutsattningar"):
                    article, sub = None, None
                current = kind
                if kind in TEXT_FILES or kind in ("uppfoljning", "utvecklingsomraden"):
                    found.headings.setdefault(
                        kind, re.sub(r"^\s*\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+", "", block.text)
                    )
                continue
            # An ordinary heading: a unit's name "(BOL)" or a subheading inside the current part.
            name, units = _split_units(block.text)
            if len(units) == 1 and name:
                found.units.setdefault(units[0], name)
            if current == "begrepp" or current in TEXT_FILES:
                writer.add(current, f"## {block.text}")
            continue
        if isinstance(block, Table):
            _read_table(found, block)
            continue
        text = block.text.strip()
        if pending_unit is not None:
            found.units.setdefault(pending_unit, text)
            pending_unit = None
            continue
        term = _UNIT_TERM.match(text)
        if term and current in ("forkortningar", "uppfoljning", "utvecklingsomraden", None):
            pending_unit = term.group(1)
            continue
        unit = _UNIT_KEY.match(text)
        if (
            unit
            and unit.group(1).isupper()
            and current in ("forkortningar", "uppfoljning", "utvecklingsomraden", None)
        ):
            found.units.setdefault(unit.group(1), unit.group(2).strip())
            continue
        if fold(text).startswith("forkortning") and len(text) < 80:
            current = "forkortningar"
            continue
        if _is_organisation(found, document, current, block):
            found.organisation = text
            continue
        if isinstance(block, ListItem):
            if current == "begrepp" and not block.numbered:
                # A definition list (how the PDF tags the terms): a short term, then its explanation.
                if pending_term is None and len(text) < 60 and not text.endswith("."):
                    pending_term = text
                    continue
                if pending_term is not None:
                    writer.add(current, f"## {pending_term}")
                    pending_term = None
                    writer.add(current, text)
                    continue
            writer.add(current if current != "nulage" else None, f"{'1.' if block.numbered else '-'} {text}")
        elif isinstance(block, Paragraph):
            if current in ("uppfoljning", "utvecklingsomraden"):
                continue  # the ingress above the table: kept in the structure, not as a text
            writer.add(current, text)
    writer.finish()
    if document.kind == "text" and document.raw_text:
        _text_tables(found, document.raw_text)
    if not found.parts and not found.followup and not found.development:
        found.notes.append(
            "Inget som liknar ett barnbokslut hittades: inga kända rubriker och inga tabeller."
        )
    return found


def _is_organisation(found: Found, document: Document, current: str | None, block: object) -> bool:
    """The cover's organisation line: a short paragraph before any part (not in plain text, where it is a guess)."""
    if found.organisation is not None or document.kind == "text" or current is not None or found.parts:
        return False
    if not isinstance(block, Paragraph):
        return False
    text = block.text.strip()
    return (
        len(text) < 70 and not text.endswith(".") and "–" not in text and not fold(text).startswith("skapad")
    )


def _article_title(text: str) -> tuple[int, str]:
    match = re.match(
        r"^\s*(?:\d+(?:\.\d+)*\s+)?artikel\s+(\d{1,2})\s*(?:[-–—:]\s*(.*))?$", text, re.IGNORECASE
    )
    if not match:
        return 0, ""
    return int(match.group(1)), (match.group(2) or "").strip()


def _read_table(found: Found, table: Table) -> None:
    if len(table.rows) < 2:
        return
    header = table.rows[0]
    columns = _Columns(header)
    if columns.status is not None and columns.actions is not None:
        rows = [_followup_row(columns, row) for row in table.rows[1:]]
        found.followup.extend(r for r in rows if r is not None)
    elif columns.results is not None and columns.actions is not None:
        dev = [_development_row(columns, row) for row in table.rows[1:]]
        found.development.extend(r for r in dev if r is not None)


# ---------------------------------------------------------------- plain text: rows by their unit parentheses


def _units_pattern(units: list[str]) -> re.Pattern[str]:
    """A parenthesis of known abbreviations, which OCR may break over lines and interleave with other columns."""
    unit = "|".join(sorted((re.escape(u) for u in units), key=len, reverse=True))
    gap = r"(?:\s*[,&]\s*(?:[^\n]*\n){0,2}?[^\S\n]*)"
    return re.compile(rf"\(\s*(?:{unit})(?:{gap}(?:{unit}))*\s*\)")


def _text_tables(found: Found, raw: str) -> None:
    if found.followup and found.development:
        return
    folded_lines = [fold(line) for line in raw.split("\n")]
    lines = raw.split("\n")

    def index(predicate: Any, start: int = 0) -> int | None:
        for i in range(start, len(lines)):
            if predicate(folded_lines[i]):
                return i
        return None

    key_start = index(lambda t: re.match(r"f\S{1,2}rkortning", t) is not None)
    if key_start is not None:
        # The key line by line: a paragraph of "SVF = …" lines is one block, so read it here.
        key_units: dict[str, str] = {}
        for line in lines[key_start + 1 : key_start + 40]:
            unit = _UNIT_KEY.match(line.strip())
            if unit and unit.group(1).isupper():
                key_units.setdefault(unit.group(1), unit.group(2).strip())
            elif line.strip() and key_units:
                break
        if key_units:
            found.units = key_units
    units = list(found.units)
    if not units:
        found.notes.append(
            "Ingen förkortningslista hittades, så tabellernas rader kunde inte hittas i texten."
        )
        return
    unit_names = re.compile(
        r"\b(?:" + "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True)) + r")\b"
    )
    pattern = _units_pattern(units)
    start = index(lambda t: t.startswith("uppfoljning av foregaende"))
    key = (
        index(lambda t: re.match(r"f\S{1,2}rkortning", t) is not None, start or 0)
        if start is not None
        else None
    )
    if start is not None and key is not None and not found.followup:
        _interleaved_followup(found, lines, start, key, units)
    dev_start = index(
        lambda t: t.startswith("prioriterade") or t.startswith("identifierade utvecklingsomraden")
    )
    dev_end = (
        index(lambda t: re.match(r"f\S{1,2}rkortning", t) is not None, dev_start or 0)
        if dev_start is not None
        else None
    )
    if dev_start is not None and dev_end is not None and not found.development:
        stretch = "\n".join(lines[dev_start:dev_end])
        # Paragraphs, and a numbered item starts a new one even without a blank line before it, as does a line
        # in lower case after a sentence's end (the rest of another cell after a page break).
        paragraphs = [
            p.strip()
            for block in re.split(r"\n\s*\n", stretch)
            for p in re.split(r"\n(?=\d{1,2}(?:\s*[-–]\s*\d{1,2})?\.\s)|(?<=\.)\n(?=[ \t]*[a-zåäö])", block)
            if p.strip()
        ]
        rows: list[tuple[str, list[str], list[str]]] = []
        for para in paragraphs:
            flat = re.sub(r"\s+", " ", para)
            parens = pattern.search(flat)
            if parens and parens.end() >= len(flat) - 1:
                names = unit_names.findall(parens.group(0))
                rows.append((flat[: parens.start()].strip(), list(dict.fromkeys(names)), []))
            elif rows:
                cells = rows[-1][2]
                unfinished = [i for i, cell in enumerate(cells) if not cell.endswith((".", "!", "?"))]
                if flat[:1].islower() and unfinished:
                    # A cell's rest after a page break ("… som tillhör personkrets" / "inom LSS …").
                    cells[unfinished[-1]] = f"{cells[unfinished[-1]]} {flat}"
                else:
                    cells.append(flat)
        for area, names, cells in rows:
            actions, results = _split_actions_results(cells)
            found.development.append(DevelopmentRow(area, names, "\n".join(actions), "\n".join(results)))
        found.notes.append(
            "Utvecklingsområdena i texten har lästs efter förkortningarna inom parentes; åtgärder och förväntade"
            " resultat är skilda åt efter numreringen och behöver granskas."
        )


def _interleaved_followup(found: Found, lines: list[str], start: int, end: int, units: list[str]) -> None:
    """The follow-up table of an OCR text, whose columns OCR read line by line (``interleaved``)."""
    region = lines[start + 1 : end]
    header = next((line for line in region if interleaved.is_header_line(line)), None)
    first = region[region.index(header) - 1].split() if header and region.index(header) > 0 else []
    outside = lines[: start + 1] + lines[end:]
    prose = sorted(len(line) for line in outside if len(line.strip()) > 40)
    page_width = prose[int(len(prose) * 0.9)] if prose else 80
    tokens = [fold(t) for t in re.findall(r"[^\W\d_]+", "\n".join(outside))]
    try:
        words: WordList | None = load_word_list()
    except WordListMissing:
        words = None
    rows = interleaved.read_rows(
        region,
        units,
        interleaved.Widths.of(first[0] if first else "", page_width),
        words,
        frozenset(itertools.pairwise(tokens)),
    )
    columns = _Columns(("Utvecklingsområden föregående år", "Åtgärder", "Status", "Ev. kommentar"))
    for number, read in enumerate(rows, start=1):
        row = _followup_row(columns, read.cells())
        if row is None:
            continue
        found.followup.append(row)
        if read.uncertain:
            found.notes.append(
                f"{FOLLOWUP_NOTE}, rad {number} ({row.omrade[:40]}): {read.uncertain}; kontrollera raden"
                " mot originalet."
            )
    found.notes.append(
        f"{FOLLOWUP_NOTE} i texten har OCR läst rad för rad tvärs över kolumnerna; område, åtgärder,"
        " status och kommentar har skilts åt efter statusorden, förkortningarna inom parentes, numreringen och"
        " kolumnernas bredd. Granska raderna."
    )


def _split_actions_results(cells: list[str]) -> tuple[list[str], list[str]]:
    """The paragraphs after an area: the åtgärder, then the förväntade resultat, where numbering restarts at 1."""
    actions: list[str] = []
    results: list[str] = []
    last = 0
    for cell in cells:
        match = re.match(r"^(\d{1,2})(?:\s*[-–]\s*\d{1,2})?\.\s", cell)
        number = int(match.group(1)) if match else None
        restarts = number is not None and number <= last and bool(actions)
        if results or restarts or (number is None and actions and last == 0):
            results.append(cell)
        else:
            actions.append(cell)
        if number is not None:
            last = number
    return actions, results
