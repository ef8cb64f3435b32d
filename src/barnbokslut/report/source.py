"""What a report is made of, before it is a report: one typed ``ReportSource`` for the folder and the web app.

The folder reader (``folder.load_source``) and the database reader (``web/publishing/report_from_db``) both fill
a ``ReportSource``; ``build_report(source, analysis)`` is the one function that turns it, with the indicator
analysis when there is one, into the ``Report`` every renderer reads. Here the structure (``structure.py``) is
resolved against the content: parts without content are left out, the Nulägesanalys gets its sub-parts by the
structure's grouping, headings get their numbers (1, 1.1, 2.2.1) when the report asks for them, and anchors are
made unique.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from barnbokslut.indicators.results import Analysis
from barnbokslut.localdata.suppression import DEFAULT_THRESHOLD
from barnbokslut.report import figures
from barnbokslut.report.bka import Register, bka_section
from barnbokslut.report.child_version import ChildVersion
from barnbokslut.report.localdata import CsvData, local_item
from barnbokslut.report.markdown import to_text
from barnbokslut.report.model import (
    AbbreviationEntry,
    ChartKind,
    Conclusions,
    Cover,
    CurrentAnalysis,
    Department,
    DevelopmentArea,
    FollowUpRow,
    Introduction,
    Proposal,
    Report,
    ReportPart,
    SourceEntry,
    SummarySection,
    Text,
)
from barnbokslut.report.registry import KINDS
from barnbokslut.report.sections import article_heading
from barnbokslut.report.structure import Part, Structure, preset
from barnbokslut.report.voices import QuoteEntry, Survey, voices_section

__all__ = ["LocalDataSpec", "ReportSource", "ReportSourceError", "build_report", "with_structure"]

NULAGE_HEADINGS = {"forutsattningar": "Förutsättningar", "styrkor": "Styrkor", "utmaningar": "Utmaningar"}


class ReportSourceError(ValueError):
    """The source has problems; ``problems`` lists each one (file, row, field), and ``str()`` joins them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Barnbokslutet kan inte byggas:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class LocalDataSpec:
    """One table of local figures, read and checked: what ``localdata.local_item`` turns into table and chart."""

    title: str
    file: str  # shown in the source line: "data/franvaro.csv" or the uploaded file's name
    data: CsvData
    chart: ChartKind | None
    unit: str
    decimals: int
    text: Text | None


@dataclass(frozen=True)
class ReportSource:
    """Everything a report is made of but the indicator analysis, read and checked.

    ``texts`` holds the text parts' Markdown by key: the kind (``inledning``, ``upplagg``, ``underlag``,
    ``sammanfattning``, ``siffror``, ``slutsatser``, ``rekommendationer``) or ``fil:<file>`` for a part of kind
    ``text``. ``kommun`` is "" when the report has no figures; ``is_example`` says the local figures are invented.
    """

    organisation: str
    kommun: str
    year: int
    title: str
    structure: Structure = field(default_factory=lambda: preset("kommun"))
    subtitle: str = ""
    logo: Path | None = None
    logo_alt: str = ""
    catalogue: Path | None = None
    #: The user's own comparison kommuner (names or ids); overrides the catalogue's "jämförelsekommuner".
    comparison_kommuner: tuple[str, ...] = ()
    is_example: bool = False
    texts: Mapping[str, Text] = field(default_factory=dict)
    introduction: Introduction = field(default_factory=lambda: Introduction(None, (), ()))
    departments: tuple[Department, ...] = ()
    follow_up: tuple[FollowUpRow, ...] = ()
    development_areas: tuple[DevelopmentArea, ...] = ()
    current_analysis: CurrentAnalysis | None = None
    comments: Mapping[str, Text] = field(default_factory=dict)
    local_data: tuple[LocalDataSpec, ...] = ()
    sources: tuple[SourceEntry, ...] = ()
    units: tuple[AbbreviationEntry, ...] = ()
    abbreviations_title: str = "Förkortningar"
    small_counts: int = DEFAULT_THRESHOLD  # counts below this are not shown in local tables
    child_version: ChildVersion | None = None  # the barnversion, its own page and poster
    bka: Register | None = None  # the register of barnkonsekvensanalyser, when there is one
    surveys: tuple[Survey, ...] = ()  # children's voices: LUPP, elevenkäten, own surveys
    quotes: tuple[QuoteEntry, ...] = ()  # with their consent flag; only consented ones reach the report
    proposals: tuple[Proposal, ...] = ()  # children's proposals and what came of them
    voices_label: str = "barnbokslut.toml"  # where the quotes and proposals were written, for the source line
    warnings: tuple[str, ...] = ()

    @property
    def wants_figures(self) -> bool:
        """Whether the report has a figures part and a municipality to fetch them for."""
        return bool(self.kommun) and any(
            p.enabled and KINDS[p.kind].needs_figures for p in self.structure.walk()
        )


def _lead(markdown: str, level: int) -> Text | None:
    text = to_text(markdown, heading_base=level + 2) if markdown.strip() else None
    return text or None


def _join(*texts: Text | None) -> Text | None:
    present = [t for t in texts if t]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return to_text("\n\n".join(t.markdown for t in present), heading_base=3)


class _Resolver:
    """Turns the structure's parts into the report's parts: content, leads, sub-parts, numbers, anchors."""

    def __init__(self, source: ReportSource, report: Report) -> None:
        self.source = source
        self.report = report
        self.anchors: set[str] = set()

    def anchor(self, wanted: str) -> str:
        candidate, n = wanted, 2
        while candidate in self.anchors:
            candidate, n = f"{wanted}-{n}", n + 1
        self.anchors.add(candidate)
        return candidate

    def text_of(self, part: Part) -> Text | None:
        texts = self.source.texts
        if part.kind == "text":
            return texts.get(f"fil:{part.file}")
        if part.kind == "inledning":
            return self.report.introduction.purpose if self.report.introduction else None
        if part.kind in ("upplagg", "underlag"):
            return texts.get(part.kind)
        return None

    def extra_lead(self, part: Part) -> Text | None:
        intro = self.report.introduction
        if intro is None:
            return None
        if part.kind == "begrepp":
            return intro.concepts_lead
        if part.kind == "grundprinciper":
            return intro.principles_lead
        return None

    def resolve(self, parts: tuple[Part, ...], level: int, prefix: str) -> tuple[ReportPart, ...]:
        out: list[ReportPart] = []
        for part in parts:
            made = self.one(part, level)
            if made is None:
                continue
            out.append(made)
        numbered = []
        for index, made in enumerate(out, start=1):
            number = f"{prefix}{index}" if self.source.structure.numbered and level <= 3 else ""
            numbered.append(self.number(made, number))
        return tuple(numbered)

    def number(self, part: ReportPart, number: str) -> ReportPart:
        children = tuple(
            self.number(child, f"{number}.{i}" if number and part.level < 3 else "")
            for i, child in enumerate(part.children, start=1)
        )
        return replace(part, number=number, children=children)

    def one(self, part: Part, level: int) -> ReportPart | None:
        kind = KINDS[part.kind]
        if not part.enabled:
            return None
        if kind.needs_figures and self.report.figures is None:
            return None
        title = part.title or kind.title
        if part.kind == "siffror" and not part.title and self.report.figures is not None:
            title = self.report.figures.title
        lead = _join(_lead(part.lead, level), self.extra_lead(part))
        draft = ReportPart(
            kind=part.kind, anchor="", title=title, level=level, lead=lead, text=self.text_of(part),
            abbreviations=part.abbreviations and bool(self.report.units),
        )  # fmt: skip
        nulage = part.kind == "nulage"
        children = self.nulage(part, level + 1) if nulage else self.resolve(part.children, level + 1, "")
        has_content = kind.present(self.report, draft)
        if not (has_content or children or (lead and part.kind in ("kapitel", "text"))):
            return None
        wanted = part.kind if not kind.repeatable else figures.slug(title)
        return replace(draft, anchor=self.anchor(wanted), children=children)

    def nulage(self, part: Part, level: int) -> tuple[ReportPart, ...]:
        analysis = self.report.current_analysis
        if analysis is None:
            return ()
        heading = {**NULAGE_HEADINGS, **part.headings}
        parts: list[ReportPart] = []
        if analysis.conditions:
            parts.append(self.sub(heading["forutsattningar"], level, text=analysis.conditions))
        if part.grouping == "omrade":
            for key, attr in (("styrkor", "strengths"), ("utmaningar", "challenges")):
                items = tuple(
                    (article_heading(a.article, a.title), getattr(a, attr))
                    for a in analysis.articles
                    if getattr(a, attr)
                )
                if items:
                    parts.append(self.sub(heading[key], level, items=items))
        else:
            for a in analysis.articles:
                items = tuple(
                    (heading[key], text)
                    for key, text in (("styrkor", a.strengths), ("utmaningar", a.challenges))
                    if text
                )
                if items:
                    parts.append(
                        self.sub(article_heading(a.article, a.title), level, items=items, boxed=True)
                    )
        return tuple(parts)

    def sub(
        self,
        title: str,
        level: int,
        *,
        text: Text | None = None,
        items: tuple[tuple[str, Text], ...] = (),
        boxed: bool = False,
    ) -> ReportPart:
        return ReportPart(
            kind="nulage-del", anchor=self.anchor("nulage-" + figures.slug(title)), title=title, level=level,
            text=text, items=items, boxed=boxed,
        )  # fmt: skip


def example_note(analysis: Analysis | None, local_example: bool) -> str:
    """What the cover says after "Exempeldata – ": which figures are invented, and how many are Kolada's real
    values (``analysis`` is the analysis when some of its values are generated)."""
    parts = []
    if analysis is not None:
        total, invented, real = len(analysis.results), analysis.example_count, analysis.real_count
        if real == 0:
            parts.append(f"alla {total} nyckeltal är påhittade exempelvärden")
        else:
            parts.append(
                f"{real} av {total} nyckeltal är Koladas verkliga värden (Källa: Kolada), "
                f"{invented} är påhittade exempelvärden och märkta Exempeldata"
            )
    if local_example:
        parts.append("de lokala siffrorna är påhittade")
    if not parts:
        return ""
    return "; ".join(parts) + ". Det påhittade får inte användas som underlag."


def build_report(source: ReportSource, analysis: Analysis | None, *, generated: date | None = None) -> Report:
    """Put the checked source and the analysis (None: no figures) together into one ``Report``."""
    texts = source.texts
    structure = source.structure
    if not source.wants_figures:
        analysis = None
    figures_generated = analysis is not None and analysis.is_example
    bka = None
    if source.bka is not None and structure.has("barnkonsekvensanalyser"):
        bka = bka_section(
            source.bka, unit_names={u.abbreviation: u.name for u in source.units}, threshold=source.small_counts,
            is_example=source.is_example or source.bka.is_example,
        )  # fmt: skip
    voices = None
    if structure.has("barnens-roster"):
        voices = voices_section(
            source.surveys, source.quotes, source.proposals, source.development_areas,
            threshold=source.small_counts, is_example=source.is_example, source_label=source.voices_label,
        )  # fmt: skip
    local_example = source.is_example and (
        (bool(source.local_data) and structure.has("lokala-data")) or bka is not None or voices is not None
    )
    if bka is not None and source.bka is not None and source.bka.is_example:
        local_example = True  # the web app's example register: invented decisions, labelled as such
    is_example = figures_generated or local_example
    local = tuple(
        local_item(
            title=spec.title, anchor=f"lokal-{figures.slug(spec.title)}", data=spec.data, file=spec.file,
            kind=spec.chart, unit=spec.unit, decimals=spec.decimals, text=spec.text, is_example=source.is_example,
            threshold=source.small_counts,
        )
        for spec in source.local_data
    )  # fmt: skip
    summary_text = texts.get("sammanfattning")
    if analysis is not None:
        summary: SummarySection | None = figures.summary_section(analysis, summary_text)
        figs = figures.figures_section(analysis, source.comments, texts.get("siffror"))
    else:
        summary = SummarySection((), None, summary_text) if summary_text else None
        figs = None
    sources = list(source.sources)
    if figs is not None and analysis is not None:
        fetched = f", hämtad {figures.format_date_sv(analysis.fetched_at)}" if analysis.fetched_at else ""
        kolada = "Kolada, Rådet för främjande av kommunala analyser (RKA)" + fetched
        if figures_generated:
            kolada += f"; {analysis.example_count} av {len(analysis.results)} nyckeltal är Exempeldata"
        sources.insert(0, SourceEntry(kolada, "https://www.kolada.se/"))
    if structure.has("lokala-data"):
        sources += [SourceEntry(item.source) for item in local]
    if bka is not None:
        sources.append(SourceEntry("E" + bka.source.removeprefix("Källa: e")))
    if voices is not None:
        sources += [SourceEntry(survey.source) for survey in voices.surveys]
        if voices.quotes or voices.proposals:
            sources.append(SourceEntry(voices.source))
    conclusions = None
    if texts.get("slutsatser") or texts.get("rekommendationer"):
        conclusions = Conclusions(texts.get("slutsatser"), texts.get("rekommendationer"))
    municipality = analysis.municipality.title if analysis is not None else source.kommun
    report = Report(
        title=f"{source.title} – {source.organisation}",
        language="sv",
        cover=Cover(
            organisation=source.organisation, year=source.year, title=source.title, subtitle=source.subtitle,
            municipality=municipality, logo=source.logo, logo_alt=source.logo_alt, is_example=is_example,
            example_note=example_note(analysis if figures_generated else None, local_example),
        ),
        parts=(),
        introduction=source.introduction,
        summary=summary,
        figures=figs,
        local_data=local,
        departments=source.departments,
        follow_up=source.follow_up,
        current_analysis=source.current_analysis,
        development_areas=source.development_areas,
        conclusions=conclusions,
        sources=tuple(sources),
        is_example=is_example,
        generated=generated or date.today(),
        units=source.units,
        abbreviations_title=source.abbreviations_title,
        numbered=structure.numbered,
        child_version=source.child_version,
        bka=bka,
        voices=voices,
    )  # fmt: skip
    return with_structure(report, source)


def with_structure(report: Report, source: ReportSource) -> Report:
    """``report`` with its parts resolved from ``source.structure`` (texts from ``source.texts``)."""
    return replace(report, parts=_Resolver(source, report).resolve(source.structure.parts, 1, ""))
