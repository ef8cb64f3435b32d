"""Reading the report's texts and tables: typed access to the TOML settings with Swedish errors, and Markdown
files split by their ``##`` headings (concepts, principles, departments by article, Nulägesanalys by strengths
and challenges), follow-up rows action by action, and the one rule for article headings (``article_heading``).
Used by the folder reader and the web app's database reader alike.

Every problem is appended to a shared list naming the file, the entry ("[[uppfoljning]] nr 3", with its line)
and the field; ``source.load_source`` raises them all at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from barnbokslut.report.markdown import to_text
from barnbokslut.report.model import (
    ArticleAssessment,
    Concept,
    CurrentAnalysis,
    Department,
    DevelopmentArea,
    FollowUpAction,
    FollowUpRow,
    Introduction,
    Principle,
    PrincipleText,
    Status,
    Text,
    derived_status,
)

__all__ = [
    "ARTICLES",
    "ARTICLE_TITLES",
    "SettingsReader",
    "article_heading",
    "article_titles",
    "check_abbreviations",
    "concepts_from",
    "current_analysis_from",
    "department_from",
    "development_rows",
    "did_you_mean",
    "follow_up_rows",
    "introduction_from",
    "lead_of",
    "principles_from",
    "read_markdown",
    "split_headings",
]

ARTICLES = (2, 3, 6, 12)
ARTICLE_TITLES = {
    2: "Icke-diskriminering",
    3: "Barnets bästa",
    6: "Rätt till liv och utveckling",
    12: "Rätt att uttrycka sin mening och bli hörd",
}


def article_heading(article: int, title: str) -> str:
    """The one heading of an article everywhere in the report: "Artikel 2 – Icke-diskriminering"."""
    return f"Artikel {article} – {title}" if title else f"Artikel {article}"


_ARTICLE_HEADING = re.compile(r"^Artikel\s+(\d+)\b\s*(?:[–—:-]\s*(.*))?$", re.I)
_STATUSES = ", ".join(s.value for s in Status)
FOLLOW_UP_KEYS = (
    "område", "verksamheter", "åtgärd", "status", "kommentar", "åtgärder", "skiljetecken", "förväntade_resultat",
)  # fmt: skip
ACTION_KEYS = ("text", "status", "kommentar")
DEVELOPMENT_KEYS = (
    "område", "verksamheter", "åtgärder", "förväntade_resultat", "skiljetecken", "barnens_forslag",
)  # fmt: skip


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

    def check_keys(self, entry: dict[str, Any], where: str, allowed: Collection[str]) -> None:
        """An unknown key is a problem naming the nearest known one: "menade du ”undertitel”?"."""
        for key in entry:
            if key not in allowed:
                self.problem(where, key, "okänt fält" + did_you_mean(key, allowed))

    def problem(self, where: str, key: str, message: str) -> None:
        end = "" if message.endswith(("?", ".")) else "."
        self.problems.append(f"{self.file}, {where}{self._line(where, key)}, fält ”{key}”: {message}{end}")

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

    def boolean(
        self, entry: dict[str, Any], where: str, key: str, *, required: bool = False, default: bool = False
    ) -> bool:
        value = entry.get(key)
        if value is None:
            if required:
                self.problem(where, key, "saknas; skriv true eller false")
            return default
        if not isinstance(value, bool):
            self.problem(where, key, f"ska vara true eller false, inte {value!r}")
            return default
        return value

    def strings(self, entry: dict[str, Any], where: str, key: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(where, key, 'ska vara en lista med texter, t.ex. ["SVF", "FIP"]')
            return ()
        return tuple(v.strip() for v in value if v.strip())


def did_you_mean(name: str, known: Collection[str]) -> str:
    """ "; menade du ”kommentarer”?" for the nearest known name, else the list of known names."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if close:
        return f"; menade du ”{close[0]}”?"
    return "; de som finns är " + ", ".join(sorted(known))


def read_markdown(path: Path, label: str, problems: list[str]) -> str | None:
    """The text of a Markdown (or TOML) file: UTF-8 with or without BOM, or Windows-1252 as Windows editors
    save it (the same encodings the local-data reader accepts). None, with a problem, when it can't be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(f"{label}: filen kan inte läsas ({exc.strerror or exc}).")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            problems.append(f"{label}: filen är varken UTF-8 eller Windows-1252; spara den som UTF-8.")
            return None
    return text.replace("\r\n", "\n")


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


def lead_of(markdown: str) -> Text | None:
    """The text before the first ``##`` heading (the lead of begrepp.md or grundprinciper.md), or None."""
    intro = split_headings(markdown)[0]
    return to_text(intro, heading_base=5) if intro else None


def article_titles(principles_md: str, own: dict[int, str] | None = None) -> dict[int, str]:
    """The one title of each article for the whole report: the structure's own (``[artiklar]``), else the one
    in the heading of grundprinciper.md ("## Artikel 6 – Liv och utveckling"), else the default."""
    titles = dict(ARTICLE_TITLES)
    for heading, _body, _line in split_headings(principles_md)[1]:
        article, title = _article(heading)
        if article in ARTICLES and title:
            titles[article] = title
    return {**titles, **(own or {})}


def introduction_from(
    purpose: Text | None,
    concepts_md: str,
    principles_md: str,
    problems: list[str],
    titles: dict[int, str] | None = None,
    *,
    files: tuple[str, str] = ("texter/begrepp.md", "texter/grundprinciper.md"),
) -> Introduction:
    """The standard texts as the report's ``Introduction``, the same for a folder and an edition: the purpose,
    the concepts and the four principles, each with the lead text before its first ``##``."""
    return Introduction(
        purpose=purpose,
        concepts=concepts_from(concepts_md, files[0], problems),
        principles=principles_from(principles_md, files[1], problems, titles),
        concepts_lead=lead_of(concepts_md),
        principles_lead=lead_of(principles_md),
    )


def concepts_from(markdown: str, file: str, problems: list[str]) -> tuple[Concept, ...]:
    concepts = []
    for heading, body, line in split_headings(markdown)[1]:
        if not body:
            problems.append(f"{file} rad {line}: begreppet ”{heading}” har ingen text.")
            continue
        concepts.append(Concept(heading, to_text(body, heading_base=5)))
    return tuple(concepts)


def principles_from(
    markdown: str, file: str, problems: list[str], titles: dict[int, str] | None = None
) -> tuple[Principle, ...]:
    """The four principles of ``## Artikel N – Titel`` headings; a title in ``titles`` wins over the heading's."""
    titles = titles or {}
    found = []
    for heading, body, line in split_headings(markdown)[1]:
        article, title = _article(heading)
        if article not in ARTICLES:
            problems.append(f"{file} rad {line}: rubriken ”{heading}” ska vara Artikel 2, 3, 6 eller 12.")
            continue
        assert article is not None
        if not body:
            problems.append(f"{file} rad {line}: ”{heading}” har ingen text.")
            continue
        name = titles.get(article) or title or ARTICLE_TITLES[article]
        found.append(Principle(article, name, to_text(body, heading_base=5)))
    return tuple(found)


def department_from(
    name: str,
    abbreviation: str,
    markdown: str,
    file: str,
    problems: list[str],
    titles: dict[int, str] | None = None,
) -> Department | None:
    """A department with its intro and one text per basic principle (``## Artikel 2`` …)."""
    titles = {**ARTICLE_TITLES, **(titles or {})}
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
            texts.append(PrincipleText(article, titles[article], to_text(body, heading_base=5)))
    intro_text = to_text(intro, heading_base=4) if intro else None
    from barnbokslut.report.figures import slug

    return Department(name, abbreviation, f"verksamhet-{slug(abbreviation)}", intro_text, tuple(texts))


def _markdown(
    reader: SettingsReader, entry: dict[str, Any], where: str, key: str, *, required: bool
) -> Text | None:
    value = reader.string(entry, where, key, required=required)
    return to_text(value, heading_base=5) if value else None


def _status(reader: SettingsReader, entry: dict[str, Any], where: str, *, required: bool) -> Status | None:
    text = reader.string(entry, where, "status", required=required)
    status = next((s for s in Status if s.value.lower() == text.lower()), None)
    if text and status is None:
        reader.problem(where, "status", f"okänd status ”{text}”; välj {_STATUSES}")
    return status


def check_abbreviations(
    reader: SettingsReader, where: str, abbreviations: tuple[str, ...], known: set[str]
) -> tuple[str, ...]:
    """Every abbreviation must be one of the units' (``[[verksamhet]]``); an unknown one is a problem."""
    for value in abbreviations:
        if value not in known:
            declared = ", ".join(sorted(known)) or "inga (lägg till [[verksamhet]]-poster)"
            reader.problem(where, "verksamheter", f"okänd förkortning ”{value}”; de som finns är {declared}")
    return abbreviations


def _joiner(reader: SettingsReader, entry: dict[str, Any], where: str, default: str) -> str:
    value = entry.get("skiljetecken")
    if value is None:
        return default
    if not isinstance(value, str) or not value.strip() or len(value) > 5:
        reader.problem(where, "skiljetecken", 'ska vara en kort text, t.ex. ", " eller " & "')
        return default
    return value


def follow_up_rows(
    reader: SettingsReader, data: dict[str, Any], known: set[str], joiner: str = ", "
) -> tuple[FollowUpRow, ...]:
    """``[[uppfoljning]]``: one action (``åtgärd``, ``status``, ``kommentar``) or several
    (``[[uppfoljning."åtgärder"]]``, each with ``text``, ``status`` and ``kommentar``); the row's status is derived
    from the actions' unless set. ``förväntade_resultat`` (optional) is last year's expected results."""
    rows = []
    for row, entry in reader.rows(data, "uppfoljning"):
        where = f"[[uppfoljning]] nr {row}"
        reader.check_keys(entry, where, FOLLOW_UP_KEYS)
        area = reader.string(entry, where, "område", required=True)
        departments = check_abbreviations(reader, where, reader.strings(entry, where, "verksamheter"), known)
        many = entry.get("åtgärder")
        actions: list[FollowUpAction] = []
        if many is not None:
            if "åtgärd" in entry:
                reader.problem(
                    where, "åtgärd", "skriv antingen åtgärd (en) eller [[uppfoljning.åtgärder]] (flera)"
                )
            if not isinstance(many, list) or not many or not all(isinstance(a, dict) for a in many):
                reader.problem(
                    where, "åtgärder", 'skriv varje åtgärd som [[uppfoljning."åtgärder"]] med text och status'
                )
                many = []
            for number, item in enumerate(many, start=1):
                item_where = f"{where}, åtgärd {number}"
                reader.check_keys(item, item_where, ACTION_KEYS)
                text = reader.string(item, item_where, "text", required=True)
                status = _status(reader, item, item_where, required=True)
                action_comment = reader.string(item, item_where, "kommentar")
                if text and status is not None:
                    actions.append(
                        FollowUpAction(
                            to_text(text, heading_base=5), status,
                            to_text(action_comment, heading_base=5) if action_comment else None,
                        )
                    )  # fmt: skip
            row_status = _status(reader, entry, where, required=False)
            if actions and row_status is None:
                row_status = derived_status(tuple(a.status for a in actions if a.status is not None))
            comment = _markdown(reader, entry, where, "kommentar", required=False)
        else:
            action = _markdown(reader, entry, where, "åtgärd", required=True)
            row_status = _status(reader, entry, where, required=True)
            comment = None
            if action is not None:
                actions.append(
                    FollowUpAction(action, None, _markdown(reader, entry, where, "kommentar", required=False))
                )
        row_joiner = _joiner(reader, entry, where, joiner)
        expected = _markdown(reader, entry, where, "förväntade_resultat", required=False)
        if area and actions and row_status is not None:
            rows.append(
                FollowUpRow(area, departments, tuple(actions), row_status, comment, row_joiner, expected)
            )
    return tuple(rows)


def development_rows(
    reader: SettingsReader, data: dict[str, Any], known: set[str], joiner: str = ", "
) -> tuple[DevelopmentArea, ...]:
    rows = []
    for row, entry in reader.rows(data, "utvecklingsomrade"):
        where = f"[[utvecklingsomrade]] nr {row}"
        reader.check_keys(entry, where, DEVELOPMENT_KEYS)
        area = reader.string(entry, where, "område", required=True)
        actions = _markdown(reader, entry, where, "åtgärder", required=True)
        expected = _markdown(reader, entry, where, "förväntade_resultat", required=True)
        departments = check_abbreviations(reader, where, reader.strings(entry, where, "verksamheter"), known)
        row_joiner = _joiner(reader, entry, where, joiner)
        from_children = reader.boolean(entry, where, "barnens_forslag")
        if area and actions is not None and expected is not None:
            rows.append(DevelopmentArea(area, departments, actions, expected, row_joiner, from_children))
    return tuple(rows)


def current_analysis_from(
    conditions: Text | None, files: dict[int, Path], problems: list[str], titles: dict[int, str] | None = None
) -> CurrentAnalysis | None:
    """Nulägesanalys: förutsättningar, then Styrkor and Utmaningar per article (files that exist)."""
    titles = {**ARTICLE_TITLES, **(titles or {})}
    articles = []
    for article, path in files.items():
        if not path.is_file():
            continue
        label = f"texter/nulage/{path.name}"
        markdown = read_markdown(path, label, problems)
        if markdown is None:
            continue
        intro, parts = split_headings(markdown)
        if intro:
            problems.append(
                f"{label} rad 1: text före första rubriken kommer inte med; lägg den under ## Styrkor eller "
                "## Utmaningar."
            )
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
                ArticleAssessment(article, titles[article], found["styrkor"], found["utmaningar"])
            )
    if conditions is None and not articles:
        return None
    return CurrentAnalysis(conditions, tuple(articles))
