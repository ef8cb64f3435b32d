"""Build the report model from an edition in the database: the same ``ReportSource`` → ``build_report`` path the
CLI takes from a folder (``report.folder.load_source``), so the web preview, the published files and
``barnbokslut bygg`` look the same.

Where each part comes from:

- Structure: ``Edition.structure`` read by ``report.structure.parse_settings`` (preset, parts, numbered headings,
  article titles, how abbreviations are joined); the structure page (``editions.views_structure``) saves only
  what ``parse_settings`` accepts. Texts of parts of kind ``text`` are kept in ``Edition.structure["texter"]``
  under the part's key (``fil``).
- Cover: the organisation's name, logo and Kolada municipality; the edition's title and year.
- Inledning (purpose), Upplägg, Underlag, Sammanfattning, Slutsatser: the edition's free sections. The
  Slutsatser text may end with a ``## Rekommendationer`` heading: what follows it is the recommendations
  (``texter/rekommendationer.md`` in a folder). Without an Inledning text the purpose is the edition's standard
  text ``syfte`` (or the shipped one: with or without figures, as the structure has them); the concepts and the
  four basic principles, with their leads, come from the standard texts ``begrepp`` and ``grundprinciper``.
- Verksamhetsberättelser: one department per unit with text, from the unit's *Förutsättningar* section, written
  like the CLI's ``texter/verksamheter/<förkortning>.md``: an introduction, then ``## Artikel 2`` … ``## Artikel 12``.
- Nulägesanalys: first the organisation as a whole (the sections *Förutsättningar*, *Styrkor* and *Utmaningar*
  without a unit: Förutsättningar as it is, Styrkor and Utmaningar under ``## Artikel N``), then per article the
  *Styrkor* and *Utmaningar* every unit wrote under ``## Artikel N``, each led by the unit's name. Text in
  Styrkor/Utmaningar outside an article heading is kept: a unit's under its department, the organisation's
  after its Förutsättningar, so nothing written is left out.
- Uppföljning: the edition's follow-up rows, action by action (``FollowUp.actions``) or as one action; a row
  whose status is neither set nor derivable from its actions' is left out, with a note. Utvecklingsområden: the
  development areas. Departments are the units' abbreviations; the abbreviation key lists the units.
- Barnkonsekvensanalyser: the organisation's register (``bka.services.register_for``), its decisions up to the
  edition's year.
- Lokala uppgifter: the edition's imported local tables; Situationen i siffror: the indicator analysis from
  ``barnbokslut.web.editions.analysis.edition_analysis(edition)`` with the coordinator's comments, only when the
  organisation has a Kolada kommun and the structure has the figures part. When the analysis cannot be had the
  report is built without it, and ``notes`` say why.
- Det här säger barnen: the edition's uploaded surveys, quotes (each with its consent flag; the report leaves
  out those without) and children's proposals from ``barnbokslut.web.voices``; the development areas marked
  ``from_children`` are listed there as proposed by children (and marked "Förslag från barn" in their table).

All sections are included whatever their status, unless ``approved_only`` (the publish page's "Bara godkända
avsnitt"): then a section not approved (Godkänd) is left out as if empty, with a note. ``EditionReport.sections``
lists each with its status so the preview can mark them and the publish page can warn about those not approved.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from barnbokslut.numbers import format_count
from barnbokslut.report.child_version import ChildVersion, child_version
from barnbokslut.report.folder import purpose_file, standard_text
from barnbokslut.report.localdata import CsvData
from barnbokslut.report.markdown import to_text
from barnbokslut.report.model import (
    AbbreviationEntry,
    ArticleAssessment,
    ChartKind,
    CurrentAnalysis,
    Department,
    DevelopmentArea,
    FollowUpAction,
    FollowUpRow,
    Proposal,
    ProposalStatus,
    Report,
    Text,
)
from barnbokslut.report.sections import (
    ARTICLE_TITLES,
    ARTICLES,
    article_heading,
    article_titles,
    department_from,
    introduction_from,
    split_headings,
)
from barnbokslut.report.source import LocalDataSpec, ReportSource, build_report
from barnbokslut.report.structure import StructureSettings
from barnbokslut.web.bka.services import register_for
from barnbokslut.web.editions.followup import REPORT_STATUS, action_items, effective_status, report_status
from barnbokslut.web.editions.models import (
    UNIT_KINDS,
    ChildVersionText,
    Edition,
    FollowUp,
    Section,
    SectionKind,
    SectionStatus,
)
from barnbokslut.web.editions.services import section_label
from barnbokslut.web.editions.structure_settings import edition_settings
from barnbokslut.web.voices.models import ChildProposal, ChildQuote

if TYPE_CHECKING:
    from barnbokslut.indicators.results import Analysis
    from barnbokslut.web.organisations.models import Unit

__all__ = [
    "EditionReport",
    "SectionState",
    "edition_report",
    "edition_settings",
    "load_analysis",
    "report_source",
    "split_recommendations",
]

logger = logging.getLogger(__name__)

_CHARTS = {"stapel": ChartKind.BAR, "linje": ChartKind.LINE}
_UNSET: Any = object()
_ARTICLE = re.compile(r"^Artikel\s+(\d+)\b", re.I)
#: A writer's article heading at any level ("### Artikel 2 – …"): split at it as at ``## Artikel 2``.
_ANY_LEVEL_ARTICLE = re.compile(r"^#{1,6}[ \t]+(Artikel[ \t]+\d+\b.*)$", re.I | re.M)
_RECOMMENDATIONS = re.compile(r"^rekommendationer\s*$", re.I)
#: The shipped purpose texts: an edition whose ``syfte`` is one of them has not written its own.
_PURPOSE_FILES = ("syfte.md", "syfte-utan-siffror.md")
#: Where the structure's problems are said to be (the structure page shows the same messages).


@dataclass(frozen=True)
class SectionState:
    """One section of the edition as the preview and the publish page list it."""

    title: str
    status: str
    status_label: str
    writer: str
    empty: bool
    carried_over: bool = False  # last year's text, unchanged since the new year began

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

    @property
    def carried_over_not_approved(self) -> tuple[SectionState, ...]:
        """Last year's texts, unchanged and not approved: published as they are with "Alla avsnitt"."""
        return tuple(s for s in self.not_approved if s.carried_over and not s.empty)


def _own_standard(edition: Edition, key: str) -> str:
    own = (edition.standard_texts or {}).get(key)
    return own if isinstance(own, str) and own.strip() else ""


def _standard(edition: Edition, key: str, filename: str) -> str:
    return _own_standard(edition, key) or standard_text(filename)


def _purpose(edition: Edition, settings: StructureSettings) -> str:
    """The edition's ``syfte``, unless it is one of the shipped texts: then the one that fits the structure."""
    own = _own_standard(edition, "syfte")
    shipped = {standard_text(name).strip() for name in _PURPOSE_FILES}
    if own and own.strip() not in shipped:
        return own
    return standard_text(purpose_file(settings.structure))


def _text(markdown: str, *, heading_base: int = 3) -> Text | None:
    if not markdown.strip():
        return None
    text = to_text(markdown, heading_base=heading_base)
    return text if text else None


def _label(unit: Unit) -> str:
    return f"{unit.name} ({unit.abbreviation})"


def split_recommendations(markdown: str) -> tuple[str, str]:
    """The Slutsatser text split at a ``## Rekommendationer`` heading: (conclusions, recommendations)."""
    lines = markdown.splitlines()
    fenced = False
    for number, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## ") and _RECOMMENDATIONS.match(line[3:].strip()):
            return "\n".join(lines[:number]).strip(), "\n".join(lines[number + 1 :]).strip()
    return markdown.strip(), ""


def _article_parts(markdown: str) -> tuple[str, dict[int, str]]:
    """Split at ``## Artikel N`` (written with any number of ``#``): the rest (intro and any other subsection)
    and the text per article."""
    intro, parts = split_headings(_ANY_LEVEL_ARTICLE.sub(r"## \1", markdown))
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


def _departments_and_analysis(
    sections: list[Section], titles: dict[int, str], notes: list[str], *, with_departments: bool = True
) -> tuple[tuple[Department, ...], CurrentAnalysis | None]:
    """Departments (Verksamhetsberättelser) and the Nulägesanalys from the sections.

    Without a Verksamhetsberättelser part in the structure (``with_departments`` false, as in the nämnd preset)
    what a unit wrote outside the ``## Artikel N`` headings goes into the Nulägesanalys' Förutsättningar, led by
    the unit's name, so no text is left out of the report.
    """
    titles = {**ARTICLE_TITLES, **titles}
    overall = {s.kind: s.body for s in sections if s.unit_id is None and s.kind in UNIT_KINDS}
    strengths: dict[int, list[str]] = {a: [] for a in ARTICLES}
    challenges: dict[int, list[str]] = {a: [] for a in ARTICLES}
    conditions = [overall.get(SectionKind.FORUTSATTNINGAR, "").strip()]
    for kind, target, heading in (
        (SectionKind.STYRKOR, strengths, "Styrkor"),
        (SectionKind.UTMANINGAR, challenges, "Utmaningar"),
    ):
        rest, per_article = _article_parts(overall.get(kind, ""))
        if rest:
            conditions.append(f"# {heading}\n\n{rest}")
        for article, body in per_article.items():
            target[article].append(body)

    by_unit: dict[int, dict[str, str]] = {}
    units: dict[int, Unit] = {}
    for section in sections:
        if section.unit_id is not None and section.body.strip():
            assert section.unit is not None
            units[section.unit_id] = section.unit
            by_unit.setdefault(section.unit_id, {})[section.kind] = section.body
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
        story_parts = [f"## Artikel {article}\n\n{body}" for article, body in sorted(story.items())]
        if not with_departments:
            if intro_parts or story_parts:
                told = "\n\n".join(
                    intro_parts
                    + [f"**{article_heading(a, titles[a])}**\n\n{b}" for a, b in sorted(story.items())]
                )
                conditions.append(f"**{_label(unit)}**\n\n{told}")
            continue
        markdown = "\n\n".join(intro_parts + story_parts)
        problems: list[str] = []
        department = department_from(unit.name, unit.abbreviation, markdown, "", problems, titles)
        notes += [f"{_label(unit)}: {p.split(': ', 1)[-1]}" for p in problems]
        if department is not None and (department.intro or department.principles):
            departments.append(department)
    assessments = tuple(
        ArticleAssessment(
            article,
            titles[article],
            _text("\n\n".join(strengths[article]), heading_base=5),
            _text("\n\n".join(challenges[article]), heading_base=5),
        )
        for article in ARTICLES
        if strengths[article] or challenges[article]
    )
    condition_text = _text("\n\n".join(c for c in conditions if c))
    current = CurrentAnalysis(condition_text, assessments) if condition_text or assessments else None
    return tuple(departments), current


def follow_up_row(row: FollowUp, joiner: str) -> FollowUpRow | None:
    """One follow-up row for the report; None while it has no status (``followup.effective_status``: neither
    set for the row nor derivable from its actions')."""
    status = effective_status(row)
    if status is None:
        return None
    departments = tuple(u.abbreviation for u in row.units.all())
    expected = _text(row.expected_results, heading_base=5)
    items = [item for item in action_items(row) if item["text"].strip()]
    if items:
        actions = tuple(
            FollowUpAction(
                to_text(item["text"], heading_base=5),
                report_status(item["status"]),
                _text(item["comment"], heading_base=5),
            )
            for item in items
        )
        comment = _text(row.comment, heading_base=5)
        return FollowUpRow(row.area, departments, actions, REPORT_STATUS[status], comment, joiner, expected)
    if not row.action.strip():
        return None
    action = FollowUpAction(to_text(row.action, heading_base=5), None, _text(row.comment, heading_base=5))
    return FollowUpRow(row.area, departments, (action,), REPORT_STATUS[status], None, joiner, expected)


def _local_data(edition: Edition) -> tuple[LocalDataSpec, ...]:
    from barnbokslut.web.localdata.templatetags.localdata_tags import table_decimals

    items = []
    for table in edition.local_tables.all():
        columns = tuple(str(c) for c in table.columns)
        rows = table.rows
        values = tuple(tuple(row[i] for row in rows) for i in range(1, len(columns)))
        data = CsvData(columns, tuple(str(row[0]) for row in rows), values)
        items.append(
            LocalDataSpec(
                title=table.title, file=table.source_filename, data=data, chart=_CHARTS.get(table.chart),
                unit=table.unit, decimals=table_decimals(rows), text=_text(table.description),
            )
        )  # fmt: skip
    return tuple(items)


def _part_texts(edition: Edition) -> dict[str, Text]:
    """The texts of the structure's parts of kind ``text``: ``Edition.structure["texter"]`` by key."""
    stored = edition.structure.get("texter") if isinstance(edition.structure, Mapping) else None
    texts = {}
    for key, markdown in (stored or {}).items() if isinstance(stored, Mapping) else ():
        if isinstance(markdown, str) and (text := _text(markdown)) is not None:
            texts[f"fil:{key}"] = text
    return texts


def report_source(edition: Edition, notes: list[str], *, approved_only: bool = False) -> ReportSource:
    """Everything of ``edition`` but the indicator analysis, as the CLI reads it from a folder; with
    ``approved_only`` only the sections that are Godkänd."""
    organisation = edition.organisation
    problems: list[str] = []
    settings = edition_settings(edition, problems)
    notes += problems
    titles = article_titles(
        _standard(edition, "grundprinciper", "grundprinciper.md"), settings.article_titles
    )
    sections = list(edition.sections.select_related("unit"))
    if approved_only:
        left_out = [s for s in sections if s.status != SectionStatus.APPROVED and s.body.strip()]
        sections = [s for s in sections if s.status == SectionStatus.APPROVED]
        if left_out:
            count = format_count(len(left_out), "avsnitt som inte är godkänt", "avsnitt som inte är godkända")
            notes.append(f"{count} kommer inte med (bara godkända avsnitt publiceras).")
    free = {s.kind: s.body for s in sections if s.unit_id is None}
    conclusions, recommendations = split_recommendations(free.get(SectionKind.SLUTSATSER, ""))
    texts: dict[str, Text] = {}
    for key, markdown in (
        ("upplagg", free.get(SectionKind.UPPLAGG, "")),
        ("underlag", free.get(SectionKind.UNDERLAG, "")),
        ("sammanfattning", free.get(SectionKind.SAMMANFATTNING, "")),
        ("slutsatser", conclusions),
        ("rekommendationer", recommendations),
    ):
        if (text := _text(markdown)) is not None:
            texts[key] = text
    texts.update(_part_texts(edition))
    purpose = _text(free.get(SectionKind.INLEDNING, "")) or to_text(_purpose(edition, settings))
    standard_problems: list[str] = []
    concepts_md = _standard(edition, "begrepp", "begrepp.md")
    principles_md = _standard(edition, "grundprinciper", "grundprinciper.md")
    introduction = introduction_from(
        purpose, concepts_md, principles_md, standard_problems, titles, files=("begrepp", "grundprinciper")
    )
    notes += [f"Standardtext: {p}" for p in standard_problems]
    departments, current = _departments_and_analysis(
        sections, titles, notes, with_departments=settings.structure.has("verksamheter")
    )
    if not (settings.structure.has("verksamheter") or settings.structure.has("nulage")) and any(
        s.body.strip() for s in sections if s.kind in UNIT_KINDS
    ):
        notes.append(
            "Texterna om förutsättningar, styrkor och utmaningar kommer inte med: rapportens struktur har varken "
            "Verksamhetsberättelser eller Nulägesanalys (lägg till en av dem under Rapportens struktur)."
        )

    follow_up = []
    skipped = 0
    for row in edition.follow_ups.prefetch_related("units"):
        made = follow_up_row(row, settings.joiner)
        if made is None:
            skipped += 1
        else:
            follow_up.append(made)
    if skipped:
        rows = format_count(skipped, "uppföljningsrad saknar", "uppföljningsrader saknar")
        notes.append(f"{rows} status och kommer inte med i rapporten.")
    development = tuple(
        DevelopmentArea(
            area.area,
            tuple(u.abbreviation for u in area.units.all()),
            to_text(area.measures, heading_base=5),
            to_text(area.expected_results, heading_base=5),
            settings.joiner,
            area.from_children,
        )
        for area in edition.development_areas.prefetch_related("units")
    )
    comments = {
        i.kpi: to_text(i.comment, heading_base=4) for i in edition.indicators.all() if i.comment.strip()
    }
    units = tuple(
        AbbreviationEntry(u.abbreviation, u.name) for u in organisation.units.order_by("order", "name")
    )
    logo = None
    if organisation.logo:
        try:
            candidate = Path(organisation.logo.path)
            logo = candidate if candidate.is_file() else None
        except (ValueError, NotImplementedError):
            logo = None
    title = edition.title if str(edition.year) in edition.title else f"{edition.title} {edition.year}"
    source = ReportSource(
        organisation=organisation.name, kommun=organisation.kommun, year=edition.year, title=title,
        structure=settings.structure, logo=logo, logo_alt=f"Logotyp för {organisation.name}",
        texts=texts, introduction=introduction, departments=departments, follow_up=tuple(follow_up),
        development_areas=development, current_analysis=current, comments=comments,
        local_data=_local_data(edition), units=units, abbreviations_title=settings.abbreviations_title,
        small_counts=settings.small_counts, child_version=_child_version(edition),
        bka=register_for(edition),
    )  # fmt: skip

    return _with_voices(source, edition)


def _with_voices(source: ReportSource, edition: Edition) -> ReportSource:
    """The edition's surveys, quotes (all, with their consent flag: the report drops those without) and
    proposals."""
    from barnbokslut.report.voices import QuoteEntry, Survey, SurveyRow
    from barnbokslut.web.voices.models import SurveyFile

    quotes = tuple(
        QuoteEntry(q.text, q.age, q.context, q.consent) for q in ChildQuote.objects.filter(edition=edition)
    )
    proposals = tuple(
        Proposal(p.text, p.origin, p.proposed_on, ProposalStatus(p.status), p.feedback)
        for p in ChildProposal.objects.filter(edition=edition)
    )
    label = (
        f"webbappen, {edition.title} {edition.year}"
        if str(edition.year) not in edition.title
        else (f"webbappen, {edition.title}")
    )
    surveys = tuple(
        Survey(f.name, f.filename, to_text(f.text) or None, tuple(SurveyRow(**row) for row in f.rows))
        for f in SurveyFile.objects.filter(edition=edition)
    )
    return dataclasses.replace(
        source, surveys=surveys, quotes=quotes, proposals=proposals, voices_label=label
    )


def _child_version(edition: Edition) -> ChildVersion | None:
    """The edition's barnversion, or None when it has none or it is empty."""
    stored = ChildVersionText.objects.filter(edition=edition).first()
    if stored is None:
        return None
    return child_version(
        edition.organisation.name,
        edition.year,
        stored.texts(),
        lead=stored.lead,
        lix_target=stored.lix_target,
    )


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
            title=section_label(s),
            status=s.status,
            status_label=s.get_status_display(),
            writer=(s.writer.get_full_name() or s.writer.get_username()) if s.writer else "",
            empty=not s.body.strip(),
            carried_over=s.carried_over,
        )
        for s in edition.sections.select_related("unit", "writer")
    )


def edition_report(
    edition: Edition,
    *,
    analysis: Analysis | None = _UNSET,
    generated: date | None = None,
    approved_only: bool = False,
) -> EditionReport:
    """The whole report of ``edition`` now; ``analysis`` given skips ``edition_analysis`` (tests, workers);
    ``approved_only`` leaves out the sections that are not Godkänd.

    Without a Kolada kommun, or with a structure without the figures part, the report has no figures and
    the analysis is neither loaded nor missed."""
    notes: list[str] = []
    source = report_source(edition, notes, approved_only=approved_only)
    if not source.wants_figures:
        analysis = None
    elif analysis is _UNSET:
        analysis = load_analysis(edition, notes)
    report = build_report(source, analysis, generated=generated)
    return EditionReport(report, section_states(edition), tuple(notes))
