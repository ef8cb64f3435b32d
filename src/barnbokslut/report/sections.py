"""Reading the folder's sections: typed access to the TOML settings with Swedish errors, and Markdown files
split by their ``##`` headings (departments by article, Nulägesanalys by strengths and challenges).

Every problem is appended to a shared list naming the file, the entry ("[[uppfoljning]] nr 3", with its line)
and the field; ``source.load_source`` raises them all at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from barnbokslut.report.markdown import to_text
from barnbokslut.report.model import (
    ArticleAssessment,
    Concept,
    CurrentAnalysis,
    Department,
    DevelopmentArea,
    FollowUpRow,
    Principle,
    PrincipleText,
    Status,
    Text,
)

__all__ = [
    "ARTICLES",
    "ARTICLE_TITLES",
    "SettingsReader",
    "concepts_from",
    "current_analysis_from",
    "department_from",
    "development_rows",
    "follow_up_rows",
    "principles_from",
    "split_headings",
]

ARTICLES = (2, 3, 6, 12)
ARTICLE_TITLES = {
    2: "Icke-diskriminering",
    3: "Barnets bästa",
    6: "Rätt till liv och utveckling",
    12: "Rätt att uttrycka sin mening och bli hörd",
}
_ARTICLE_HEADING = re.compile(r"^Artikel\s+(\d+)\b\s*(?:[–—:-]\s*(.*))?$", re.I)
_STATUSES = ", ".join(s.value for s in Status)


class SettingsReader:
    """Typed reads from the parsed TOML; each wrong value becomes a Swedish problem with its line."""

    def __init__(self, file: str, raw: str, problems: list[str]) -> None:
        self.file = file
        self.lines = raw.splitlines()
        self.problems = problems

    def _line(self, where: str, key: str) -> str:
        """ " (rad N)": the field's line in the entry, else the entry's header line; "" when not found."""
        entry = re.fullmatch(r"\[\[(\w+)\]\] nr (\d+)", where)
        table = re.fullmatch(r"\[(\w+)\]", where)
        if entry is not None:
            header = re.compile(rf"^\s*\[\[\s*{entry.group(1)}\s*\]\]")
            index = int(entry.group(2)) - 1
        elif table is not None:
            header = re.compile(rf"^\s*\[\s*{table.group(1)}\s*\]")
            index = 0
        else:
            return ""
        starts = [n for n, line in enumerate(self.lines) if header.match(line)]
        if index >= len(starts):
            return ""
        start = starts[index]
        field_line = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
        for n in range(start + 1, len(self.lines)):
            if self.lines[n].lstrip().startswith("["):
                break
            if field_line.match(self.lines[n]):
                return f" (rad {n + 1})"
        return f" (rad {start + 1})"

    def problem(self, where: str, key: str, message: str) -> None:
        self.problems.append(f"{self.file}, {where}{self._line(where, key)}, fält ”{key}”: {message}.")

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.problems.append(f"{self.file}: [{key}] ska vara en tabell.")
            return {}
        return value

    def rows(self, data: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problems.append(f"{self.file}: {key} ska skrivas som [[{key}]]-poster.")
            return []
        return list(enumerate(value, start=1))

    def string(self, entry: dict[str, Any], where: str, key: str, *, required: bool = False) -> str:
        value = entry.get(key)
        if value is None:
            if required:
                self.problem(where, key, "saknas")
            return ""
        if not isinstance(value, str):
            self.problem(where, key, "ska vara en text inom citattecken")
            return ""
        if required and not value.strip():
            self.problem(where, key, "är tomt")
        return value.strip()

    def integer(
        self, entry: dict[str, Any], where: str, key: str, *, required: bool = False, low: int, high: int
    ) -> int | None:
        value = entry.get(key)
        if value is None:
            if required:
                self.problem(where, key, "saknas")
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.problem(where, key, f"ska vara ett heltal mellan {low} och {high}, inte {value!r}")
            return None
        return value

    def strings(self, entry: dict[str, Any], where: str, key: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(where, key, 'ska vara en lista med texter, t.ex. ["SVF", "FIP"]')
            return ()
        return tuple(v.strip() for v in value if v.strip())


def split_headings(markdown: str) -> tuple[str, list[tuple[str, str, int]]]:
    """Split at ``## `` headings: the text before the first, then (heading, body, line) for each."""
    intro: list[str] = []
    parts: list[tuple[str, list[str], int]] = []
    fenced = False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            parts.append((line[3:].strip(), [], number))
        elif parts:
            parts[-1][1].append(line)
        else:
            intro.append(line)
    return "\n".join(intro).strip(), [(h, "\n".join(body).strip(), n) for h, body, n in parts]


def _article(heading: str) -> tuple[int | None, str]:
    match = _ARTICLE_HEADING.match(heading)
    if match is None:
        return None, ""
    return int(match.group(1)), (match.group(2) or "").strip()


def concepts_from(markdown: str, file: str, problems: list[str]) -> tuple[Concept, ...]:
    _intro, parts = split_headings(markdown)
    return tuple(Concept(heading, to_text(body, heading_base=5)) for heading, body, _ in parts if body)


def principles_from(markdown: str, file: str, problems: list[str]) -> tuple[Principle, ...]:
    found = []
    for heading, body, line in split_headings(markdown)[1]:
        article, title = _article(heading)
        if article not in ARTICLES:
            problems.append(f"{file} rad {line}: rubriken ”{heading}” ska vara Artikel 2, 3, 6 eller 12.")
            continue
        assert article is not None
        found.append(Principle(article, title or ARTICLE_TITLES[article], to_text(body, heading_base=5)))
    return tuple(found)


def department_from(
    name: str, abbreviation: str, markdown: str, file: str, problems: list[str]
) -> Department | None:
    """A department with its intro and one text per basic principle (``## Artikel 2`` …)."""
    intro, parts = split_headings(markdown)
    texts = []
    for heading, body, line in parts:
        article, _title = _article(heading)
        if article not in ARTICLES:
            problems.append(
                f"{file} rad {line}: rubriken ”{heading}” känns inte igen; använd ## Artikel 2, 3, 6 eller 12."
            )
            continue
        assert article is not None
        if body:
            texts.append(PrincipleText(article, ARTICLE_TITLES[article], to_text(body, heading_base=5)))
    intro_text = to_text(intro, heading_base=4) if intro else None
    from barnbokslut.report.figures import slug

    return Department(name, abbreviation, f"verksamhet-{slug(abbreviation)}", intro_text, tuple(texts))


def _markdown(
    reader: SettingsReader, entry: dict[str, Any], where: str, key: str, *, required: bool
) -> Text | None:
    value = reader.string(entry, where, key, required=required)
    return to_text(value, heading_base=5) if value else None


def follow_up_rows(reader: SettingsReader, data: dict[str, Any], known: set[str]) -> tuple[FollowUpRow, ...]:
    rows = []
    for row, entry in reader.rows(data, "uppfoljning"):
        where = f"[[uppfoljning]] nr {row}"
        area = reader.string(entry, where, "område", required=True)
        action = _markdown(reader, entry, where, "åtgärd", required=True)
        status_text = reader.string(entry, where, "status", required=True)
        status = next((s for s in Status if s.value.lower() == status_text.lower()), None)
        if status_text and status is None:
            reader.problem(where, "status", f"okänd status ”{status_text}”; välj {_STATUSES}")
        comment = _markdown(reader, entry, where, "kommentar", required=False)
        departments = reader.strings(entry, where, "verksamheter")
        if area and action is not None and status is not None:
            rows.append(FollowUpRow(area, departments, action, status, comment))
    return tuple(rows)


def development_rows(
    reader: SettingsReader, data: dict[str, Any], known: set[str]
) -> tuple[DevelopmentArea, ...]:
    rows = []
    for row, entry in reader.rows(data, "utvecklingsomrade"):
        where = f"[[utvecklingsomrade]] nr {row}"
        area = reader.string(entry, where, "område", required=True)
        actions = _markdown(reader, entry, where, "åtgärder", required=True)
        expected = _markdown(reader, entry, where, "förväntade_resultat", required=True)
        departments = reader.strings(entry, where, "verksamheter")
        if area and actions is not None and expected is not None:
            rows.append(DevelopmentArea(area, departments, actions, expected))
    return tuple(rows)


def current_analysis_from(
    conditions: Text | None, files: dict[int, Path], problems: list[str]
) -> CurrentAnalysis | None:
    """Nulägesanalys: förutsättningar, then Styrkor and Utmaningar per article (files that exist)."""
    articles = []
    for article, path in files.items():
        if not path.is_file():
            continue
        label = f"texter/nulage/{path.name}"
        _intro, parts = split_headings(path.read_text(encoding="utf-8"))
        found: dict[str, Text | None] = {"styrkor": None, "utmaningar": None}
        for heading, body, line in parts:
            key = heading.strip().lower()
            if key not in found:
                problems.append(
                    f"{label} rad {line}: rubriken ”{heading}” ska vara ## Styrkor eller ## Utmaningar."
                )
            elif body:
                found[key] = to_text(body, heading_base=5)
        if found["styrkor"] or found["utmaningar"]:
            articles.append(
                ArticleAssessment(article, ARTICLE_TITLES[article], found["styrkor"], found["utmaningar"])
            )
    if conditions is None and not articles:
        return None
    return CurrentAnalysis(conditions, tuple(articles))
