"""Build the report model from an edition in the database: the same ``ReportSource`` → ``build_report`` path the
CLI takes from a folder, so the web preview, the published files and ``barnbokslut bygg`` look the same.

Where each part comes from:

- Cover: the organisation's name, logo and Kolada municipality; the edition's title and year.
- Inledning (purpose), Upplägg, Underlag, Sammanfattning, Slutsatser: the edition's free sections. Without an
  Inledning text the purpose is the edition's standard text ``syfte`` (or the shipped one); the concepts and the
  four basic principles come from the standard texts ``begrepp`` and ``grundprinciper`` (or the shipped ones).
- Verksamhetsberättelser: one department per unit with text, from the unit's *Förutsättningar* section, written
  like the CLI's ``texter/verksamheter/<förkortning>.md``: an introduction, then ``## Artikel 2`` … ``## Artikel 12``.
- Nulägesanalys: per article, the *Styrkor* and *Utmaningar* every unit wrote under ``## Artikel N``, each led by
  the unit's name. Text in Styrkor/Utmaningar outside an article heading is kept under the unit's department,
  so nothing written is left out.
- Uppföljning and Utvecklingsområden: the edition's follow-up rows (rows without a status are left out, with a
  note) and development areas; departments are the units' abbreviations.
- Lokala uppgifter: the edition's imported local tables; Situationen i siffror: the indicator analysis from
  ``barnbokslut.web.editions.analysis.edition_analysis(edition)`` with the coordinator's comments. When the
  analysis cannot be had the report is built without it, and ``notes`` say why.

All sections are included whatever their status; ``EditionReport.sections`` lists each with its status so the
preview can mark them and the publish page can warn about those not approved (Godkänd).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from barnbokslut.report.localdata import CsvData
from barnbokslut.report.markdown import to_text
from barnbokslut.report.model import ChartKind, DevelopmentArea, FollowUpRow, Report, Status, Text
from barnbokslut.report.sections import (
    ARTICLE_TITLES,
    ARTICLES,
    concepts_from,
    department_from,
    principles_from,
    split_headings,
)
from barnbokslut.report.source import ReportSource, build_report
from barnbokslut.web.editions.models import (
    Edition,
    FollowUpStatus,
    Section,
    SectionKind,
    SectionStatus,
)

if TYPE_CHECKING:
    from barnbokslut.indicators.results import Analysis
    from barnbokslut.web.organisations.models import Unit

__all__ = ["EditionReport", "SectionState", "edition_report", "load_analysis", "report_source"]

logger = logging.getLogger(__name__)

_STANDARD = resources.files("barnbokslut.report") / "standard"
_STATUS = {
    FollowUpStatus.STARTED: Status.STARTED,
    FollowUpStatus.DONE: Status.DONE,
    FollowUpStatus.NOT_STARTED: Status.NOT_STARTED,
}
_CHARTS = {"stapel": ChartKind.BAR, "linje": ChartKind.LINE}
_UNSET: Any = object()
_ARTICLE = re.compile(r"^Artikel\s+(\d+)\b", re.I)


@dataclass(frozen=True)
class SectionState:
    """One section of the edition as the preview and the publish page list it."""

    title: str
    status: str
    status_label: str
    writer: str
    empty: bool

    @property
    def approved(self) -> bool:
        return self.status == SectionStatus.APPROVED


@dataclass(frozen=True)
class EditionReport:
    report: Report
    sections: tuple[SectionState, ...]
    notes: tuple[str, ...]

    @property
    def not_approved(self) -> tuple[SectionState, ...]:
        return tuple(s for s in self.sections if not s.approved)


def _standard(edition: Edition, key: str, filename: str) -> str:
    own = (edition.standard_texts or {}).get(key)
    if isinstance(own, str) and own.strip():
        return own
    return (_STANDARD / filename).read_text(encoding="utf-8")


def _text(markdown: str, *, heading_base: int = 3) -> Text | None:
    text = to_text(markdown, heading_base=heading_base)
    return text if text else None


def _label(unit: Unit) -> str:
    return f"{unit.name} ({unit.abbreviation})"


def _article_parts(markdown: str) -> tuple[str, dict[int, str]]:
    """Split at ``## Artikel N``: the rest (intro and any other subsection) and the text per article."""
    intro, parts = split_headings(markdown)
    rest = [intro] if intro else []
    found: dict[int, str] = {}
    for heading, body, _line in parts:
        match = _ARTICLE.match(heading)
        article = int(match.group(1)) if match else None
        if article in ARTICLES and body:
            assert article is not None
            found[article] = (found[article] + "\n\n" + body) if article in found else body
        elif body:
            rest.append(f"# {heading}\n\n{body}")
    return "\n\n".join(rest), found


def _departments_and_analysis(sections: list[Section], notes: list[str]) -> tuple[tuple[Any, ...], Any]:
    from barnbokslut.report.model import ArticleAssessment, CurrentAnalysis

    by_unit: dict[int, dict[str, str]] = {}
    units: dict[int, Unit] = {}
    for section in sections:
        if section.unit_id is not None and section.body.strip():
            assert section.unit is not None
            units[section.unit_id] = section.unit
            by_unit.setdefault(section.unit_id, {})[section.kind] = section.body
    strengths: dict[int, list[str]] = {a: [] for a in ARTICLES}
    challenges: dict[int, list[str]] = {a: [] for a in ARTICLES}
    departments = []
    for unit_id, unit in sorted(units.items(), key=lambda item: (item[1].order, item[1].name)):
        texts = by_unit[unit_id]
        intro, story = _article_parts(texts.get(SectionKind.FORUTSATTNINGAR, ""))
        intro_parts = [intro] if intro else []
        for kind, target, heading in (
            (SectionKind.STYRKOR, strengths, "Styrkor"),
            (SectionKind.UTMANINGAR, challenges, "Utmaningar"),
        ):
            rest, per_article = _article_parts(texts.get(kind, ""))
            if rest:
                intro_parts.append(f"# {heading}\n\n{rest}")
            for article, body in per_article.items():
                target[article].append(f"**{_label(unit)}**\n\n{body}")
        markdown = "\n\n".join(
            intro_parts + [f"## Artikel {article}\n\n{body}" for article, body in sorted(story.items())]
        )
        problems: list[str] = []
        department = department_from(unit.name, unit.abbreviation, markdown, "", problems)
        notes += [f"{_label(unit)}: {p.split(': ', 1)[-1]}" for p in problems]
        if department is not None and (department.intro or department.principles):
            departments.append(department)
    assessments = tuple(
        ArticleAssessment(
            article,
            ARTICLE_TITLES[article],
            _text("\n\n".join(strengths[article]), heading_base=5),
            _text("\n\n".join(challenges[article]), heading_base=5),
        )
        for article in ARTICLES
        if strengths[article] or challenges[article]
    )
    current = CurrentAnalysis(None, assessments) if assessments else None
    return tuple(departments), current


def _local_data(edition: Edition) -> tuple[Any, ...]:
    from barnbokslut.web.localdata.templatetags.localdata_tags import table_decimals

    items = []
    for table in edition.local_tables.all():
        columns = tuple(table.columns)
        rows = table.rows
        values = tuple(tuple(row[i] for row in rows) for i in range(1, len(columns)))
        data = CsvData(columns, tuple(str(row[0]) for row in rows), values)
        text = _text(table.description) if table.description else None
        kind = _CHARTS.get(table.chart)
        items.append((table.title, table.source_filename, data, kind, table.unit, table_decimals(rows), text))
    return tuple(items)


def report_source(edition: Edition, notes: list[str]) -> ReportSource:
    """Everything of ``edition`` but the indicator analysis, as the CLI reads it from a folder."""
    organisation = edition.organisation
    sections = list(edition.sections.select_related("unit"))
    free = {s.kind: s.body for s in sections if s.unit_id is None}
    texts: dict[str, Text | None] = {
        "upplagg": _text(free.get(SectionKind.UPPLAGG, "")),
        "underlag": _text(free.get(SectionKind.UNDERLAG, "")),
        "sammanfattning": _text(free.get(SectionKind.SAMMANFATTNING, "")),
        "siffror": None,
        "slutsatser": _text(free.get(SectionKind.SLUTSATSER, "")),
        "rekommendationer": None,
        "inledning": _text(free.get(SectionKind.INLEDNING, ""))
        or to_text(_standard(edition, "syfte", "syfte.md")),
    }
    problems: list[str] = []
    concepts = concepts_from(_standard(edition, "begrepp", "begrepp.md"), "begrepp", problems)
    principles = principles_from(
        _standard(edition, "grundprinciper", "grundprinciper.md"), "grundprinciper", problems
    )
    notes += [f"Standardtext: {p}" for p in problems]
    departments, current = _departments_and_analysis(sections, notes)

    follow_up = []
    skipped = 0
    for row in edition.follow_ups.prefetch_related("units"):
        if row.status not in _STATUS:
            skipped += 1
            continue
        follow_up.append(
            FollowUpRow(
                row.area,
                tuple(u.abbreviation for u in row.units.all()),
                to_text(row.action, heading_base=5),
                _STATUS[FollowUpStatus(row.status)],
                _text(row.comment, heading_base=5) if row.comment.strip() else None,
            )
        )
    if skipped:
        notes.append(f"{skipped} uppföljningsrader saknar status och kommer inte med i rapporten.")
    development = tuple(
        DevelopmentArea(
            area.area,
            tuple(u.abbreviation for u in area.units.all()),
            to_text(area.measures, heading_base=5),
            to_text(area.expected_results, heading_base=5),
        )
        for area in edition.development_areas.prefetch_related("units")
    )
    comments = {
        i.kpi: to_text(i.comment, heading_base=4) for i in edition.indicators.all() if i.comment.strip()
    }
    logo = None
    if organisation.logo:
        try:
            candidate = Path(organisation.logo.path)
            logo = candidate if candidate.is_file() else None
        except (ValueError, NotImplementedError):
            logo = None
    title = edition.title if str(edition.year) in edition.title else f"{edition.title} {edition.year}"
    return ReportSource(
        folder=Path("."), organisation=organisation.name, kommun=organisation.kommun, year=edition.year,
        title=title, subtitle="", logo=logo, logo_alt=f"Logotyp för {organisation.name}", catalogue=None,
        is_example=False, texts=texts, concepts=concepts, principles=principles, departments=departments,
        follow_up=tuple(follow_up), development_areas=development, current_analysis=current, comments=comments,
        local_data=_local_data(edition), sources=(),
    )  # fmt: skip


def load_analysis(edition: Edition, notes: list[str]) -> Analysis | None:
    """The edition's indicator analysis, or None with a note saying why it is missing."""
    try:
        from barnbokslut.web.editions.analysis import edition_analysis
    except ImportError:
        notes.append("Nyckeltalen är inte med: analysen av årgångens nyckeltal finns inte än i webbappen.")
        return None
    try:
        analysis = edition_analysis(edition)
    except Exception as exc:  # a Kolada or cache problem must not stop the preview
        logger.exception("Nyckeltalsanalysen för %s misslyckades", edition)
        notes.append(f"Nyckeltalen är inte med: de kunde inte läsas ({exc}).")
        return None
    if analysis is None:
        notes.append(
            "Nyckeltalen är inte med: inga nyckeltal är valda, eller inga värden är hämtade från Kolada för "
            "årgången än (välj Uppdatera från Kolada under Nyckeltal)."
        )
    return analysis


def section_states(edition: Edition) -> tuple[SectionState, ...]:
    return tuple(
        SectionState(
            title=str(s),
            status=s.status,
            status_label=s.get_status_display(),
            writer=s.writer.get_username() if s.writer else "",
            empty=not s.body.strip(),
        )
        for s in edition.sections.select_related("unit", "writer")
    )


def edition_report(
    edition: Edition, *, analysis: Analysis | None = _UNSET, generated: date | None = None
) -> EditionReport:
    """The whole report of ``edition`` now; ``analysis`` given skips ``edition_analysis`` (tests, workers)."""
    notes: list[str] = []
    source = report_source(edition, notes)
    if analysis is _UNSET:
        analysis = load_analysis(edition, notes)
    report = build_report(source, analysis, generated=generated)
    return EditionReport(report, section_states(edition), tuple(notes))
