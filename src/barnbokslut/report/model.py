"""The document model of one barnbokslut: every section, text, table and chart, independent of any format.

One ``Report`` is built from a folder or from the web app's database (both fill one ``ReportSource``, see
``source.py``), and every
renderer reads the same object: ``html.render_html`` (web page, and the print variant WeasyPrint turns into
PDF/UA), ``pdf.write_pdf`` and ``docx.write_docx``. Nothing here knows about HTML, Word or Django.

Conventions every renderer relies on:

- ``Report.parts`` is the structure (``structure.py``) with only the parts that have content, numbered when the
  report asks for it; each part's kind (``registry.py``) renders its content from the fields of ``Report``.
  Renderers walk ``parts`` and never decide on their own which sections exist.
- A ``Text`` is written in Markdown and carries three forms: the Markdown, a sanitised HTML fragment (no script
  can get through, see ``markdown.py``) and ``blocks`` (paragraphs, lists, quotes with attribution, headings
  made of plain ``Run``s) for DOCX.
- Every figure is traceable: ``Chart.source`` / ``Table.source`` name the KPI id, period and fetch date, or the
  CSV file; with example data they say "Exempeldata".
- Every signal (trend, position, gender gap, follow-up status) has words (``label``/``words``) besides its
  colour and symbol, so no renderer relies on colour alone.
- Missing values are shown as ".." (``numbers.MISSING``), never as 0: chart series hold ``None``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from barnbokslut.report.child_version import ChildVersion

__all__ = [
    "AbbreviationEntry",
    "AreaSection",
    "ArticleAssessment",
    "BkaSection",
    "Block",
    "BlockKind",
    "Cell",
    "Chart",
    "ChartKind",
    "Concept",
    "Conclusions",
    "Cover",
    "CurrentAnalysis",
    "Department",
    "DevelopmentArea",
    "FiguresSection",
    "FollowUpAction",
    "FollowUpRow",
    "IndicatorSection",
    "Introduction",
    "LocalDataItem",
    "OverviewRow",
    "Principle",
    "PrincipleText",
    "Proposal",
    "ProposalStatus",
    "Quote",
    "Report",
    "ReportPart",
    "Run",
    "Series",
    "SeriesRole",
    "Signal",
    "SignalKind",
    "SourceEntry",
    "Status",
    "SummarySection",
    "SurveyQuestion",
    "SurveySection",
    "Table",
    "Text",
    "TocEntry",
    "Tone",
    "UnitFigures",
    "VoicesSection",
    "derived_status",
]

# ----------------------------------------------------------------------------------------------------
# Texts


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    BULLET_LIST = "bullet_list"
    ORDERED_LIST = "ordered_list"
    QUOTE = "quote"


@dataclass(frozen=True)
class Run:
    """A piece of inline text with its emphasis; ``href`` for a link (http, https or mailto only)."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Block:
    """One block of a ``Text`` for DOCX.

    PARAGRAPH and HEADING use ``runs`` (HEADING ``level`` 1 = the first level inside the section).
    BULLET_LIST / ORDERED_LIST use ``items`` (one run tuple per item); ORDERED_LIST ``start`` is the number
    of its first item ("3. …" in the Markdown gives 3). QUOTE uses ``items`` (one run tuple per paragraph of
    the quote) and ``attribution`` ("Elev i årskurs 8", without the dash; may be "").
    """

    kind: BlockKind
    runs: tuple[Run, ...] = ()
    items: tuple[tuple[Run, ...], ...] = ()
    level: int = 0
    attribution: str = ""
    start: int = 1

    @property
    def plain(self) -> str:
        if self.runs:
            return "".join(r.text for r in self.runs)
        return "\n".join("".join(r.text for r in item) for item in self.items)


@dataclass(frozen=True)
class Text:
    """A text written in Markdown: the Markdown, a sanitised HTML fragment and blocks for DOCX."""

    markdown: str
    html: str
    blocks: tuple[Block, ...]

    @property
    def plain(self) -> str:
        return "\n\n".join(b.plain for b in self.blocks)

    def __bool__(self) -> bool:
        return bool(self.markdown.strip())


# ----------------------------------------------------------------------------------------------------
# Tables, signals and charts


class SignalKind(StrEnum):
    TREND = "trend"
    POSITION = "placering"
    GENDER = "kön"
    STATUS = "status"


class Tone(StrEnum):
    """How a signal is coloured (always together with a symbol and words)."""

    GREEN = "grön"
    YELLOW = "gul"
    RED = "röd"
    NEUTRAL = "neutral"
    UNKNOWN = "okänd"


@dataclass(frozen=True)
class Signal:
    """A judgement shown as colour + symbol + words: "▲ Positiv trend" with the full sentence in ``words``."""

    kind: SignalKind
    tone: Tone
    symbol: str
    label: str
    words: str


@dataclass(frozen=True)
class Cell:
    """A table cell; ``numeric`` cells are right-aligned, ``signal`` cells show colour, symbol and label."""

    text: str
    numeric: bool = False
    signal: Signal | None = None


@dataclass(frozen=True)
class Table:
    """A data table. The first cell of each row is its row header when ``row_headers``."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_headers: bool = True
    source: str = ""


class ChartKind(StrEnum):
    LINE = "line"  # periods on the x axis, one line per series
    BAR = "bar"  # horizontal bars: one group per category, one bar per series


class SeriesRole(StrEnum):
    """What a series stands for; decides its colour, marker and dash (same everywhere)."""

    MUNICIPALITY = "kommun"
    PEER = "liknande"
    NATIONAL = "riket"
    PREDECESSOR = "tidigare mått"  # the retired KPI an indicator replaced
    OTHER = "annan"


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]
    role: SeriesRole = SeriesRole.OTHER


@dataclass(frozen=True)
class Chart:
    """A chart as data; ``charts.render_chart`` turns it into SVG and PNG (once per content, cached).

    ``alt`` is the short text alternative (img alt / DOCX descr), ``description`` the longer one, and ``table``
    the same data as a table. ``categories`` are the x values (periods) of a LINE chart or the bar labels of a
    BAR chart; every series has one value per category (``None`` = missing).
    """

    id: str
    title: str
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str
    alt: str
    description: str
    table: Table
    source: str
    decimals: int = 1
    y_max: float | None = None
    #: The category where a series break is marked (a retired KPI replaced by another), else ``None``.
    break_at: str | None = None

    @property
    def key(self) -> str:
        """A content hash of everything that changes the picture (not the texts around it)."""
        drawn = {
            "title": self.title,
            "kind": self.kind.value,
            "categories": self.categories,
            "series": [asdict(s) for s in self.series],
            "unit": self.unit,
            "decimals": self.decimals,
            "y_max": self.y_max,
            "break_at": self.break_at,
        }
        return hashlib.sha256(json.dumps(drawn, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:24]


# ----------------------------------------------------------------------------------------------------
# Sections


@dataclass(frozen=True)
class Cover:
    organisation: str  # "Söderhamns kommun" or "Socialförvaltningen Nordost"
    year: int
    title: str  # "Barnbokslut 2025"
    subtitle: str = ""
    municipality: str = ""  # the Kolada municipality the figures are for
    logo: Path | None = None
    logo_alt: str = ""
    is_example: bool = False
    #: What of the report is generated, after "Exempeldata – " (how many of the figures are real, KPI by KPI).
    example_note: str = ""


@dataclass(frozen=True)
class Concept:
    term: str  # "Barnperspektiv"
    text: Text


@dataclass(frozen=True)
class Principle:
    """One of the four basic principles: article 2, 3, 6 or 12."""

    article: int
    title: str  # "Icke-diskriminering"
    text: Text


@dataclass(frozen=True)
class Introduction:
    """The standard texts: the purpose (the Inledning part's text), the concepts and the four principles."""

    purpose: Text | None
    concepts: tuple[Concept, ...]
    principles: tuple[Principle, ...]
    concepts_lead: Text | None = None  # the text before the first "## Term" of begrepp.md
    principles_lead: Text | None = None  # the text before the first "## Artikel" of grundprinciper.md


@dataclass(frozen=True)
class SummarySection:
    """The analysis's counts and sentences, then the writer's own text."""

    sentences: tuple[str, ...]
    counts: Table | None
    text: Text | None


@dataclass(frozen=True)
class OverviewRow:
    kpi: str
    title: str
    area: str
    value: str  # "14,7 %" or ".."
    period: str  # "2024" or ".."
    trend: Signal
    position: Signal
    gender: Signal
    anchor: str  # id of the indicator's subsection


@dataclass(frozen=True)
class UnitFigures:
    """An indicator per school or preschool (Kolada's ``/oudata``): the spread in words, a table and a bar chart.

    ``source`` names the KPI, the period, "enheter (oudata)" and the fetch date, or "Exempeldata" when generated.
    """

    title: str  # "Trygga i skolan, åk 8 per skola 2025"
    sentence: str
    table: Table
    chart: Chart | None
    source: str
    is_example: bool


@dataclass(frozen=True)
class IndicatorSection:
    kpi: str
    title: str
    area: str
    anchor: str
    sentence: str
    details: tuple[str, ...]  # change, liknande kommuner, riket, placering, kön (those that exist)
    chart: Chart | None
    comment: Text | None
    source: str  # "U31803, 2024, Källa: Kolada, hämtad 3 mars 2026" (+ " (Exempeldata)")
    period: int | None
    fetched_at: date | None
    is_example: bool
    units: UnitFigures | None = None  # per school or preschool, where Kolada has unit data


@dataclass(frozen=True)
class AreaSection:
    title: str
    anchor: str
    indicators: tuple[IndicatorSection, ...]


@dataclass(frozen=True)
class FiguresSection:
    title: str  # "Situationen för barn och unga i Söderhamn – i siffror"
    intro: Text | None
    overview: tuple[OverviewRow, ...]
    areas: tuple[AreaSection, ...]


@dataclass(frozen=True)
class LocalDataItem:
    """Local figures from a CSV file: a table and, optionally, a chart in the same style."""

    title: str
    anchor: str
    text: Text | None
    table: Table
    chart: Chart | None
    source: str  # "Egen uppgift, fil data/gymnasiebehorighet.csv"
    file: str


@dataclass(frozen=True)
class BkaSection:
    """The register of barnkonsekvensanalyser counted (``report.bka``): a table per year, the comparison over
    the years (None with one year), and the development-area suggestions where a share fell."""

    years: tuple[int, ...]
    tables: tuple[Table, ...]
    comparison: Table | None
    suggestions: tuple[str, ...]
    source: str  # "Källa: egen sammanställning av data/barnkonsekvensanalyser.csv"
    note: str  # what the shares are shares of
    file: str


@dataclass(frozen=True)
class SurveyQuestion:
    """One survey question shown like an indicator: the sentence with the latest value and the change, the
    trend over the years (all answers) and the breakdown by kön, skola, årskurs and område."""

    question: str
    measure: str  # what the share is: "Andel som svarat stämmer helt eller ganska bra" ("" when not given)
    anchor: str
    sentence: str
    trend: Table
    breakdown: Table | None
    chart: Chart | None = None  # the share over the years (two years or more), hidden years as gaps


@dataclass(frozen=True)
class SurveySection:
    """One survey (LUPP, elevenkäten, the municipality's own) from one file (``report.voices``)."""

    name: str
    anchor: str
    text: Text | None
    questions: tuple[SurveyQuestion, ...]
    file: str
    source: str  # "LUPP 2023 och 2025, fil data/lupp.csv" (+ " (Exempeldata)")


@dataclass(frozen=True)
class Quote:
    """Something a child said, shown with age band and context, never a name. Only quotes whose consent flag
    is set ever become a ``Quote``; the others stay in the source and are never rendered."""

    text: str
    age: str  # "11 år", "13–15 år" or ""
    context: str  # "Barnrådet, mars 2025"

    @property
    def attribution(self) -> str:
        """ "Barn, 11 år, Barnrådet, mars 2025": who said it, without a name."""
        return ", ".join(p for p in ("Barn" if not self.age else f"Barn, {self.age}", self.context) if p)


class ProposalStatus(StrEnum):
    """What came of a child's proposal: the feedback children are owed."""

    DONE = "genomfört"
    ONGOING = "pågår"
    NOT_DONE = "inte genomfört"

    @property
    def label(self) -> str:
        return self.value[0].upper() + self.value[1:]

    @property
    def symbol(self) -> str:
        return {ProposalStatus.DONE: "✔", ProposalStatus.ONGOING: "◐", ProposalStatus.NOT_DONE: "✖"}[self]

    @property
    def tone(self) -> Tone:
        return {
            ProposalStatus.DONE: Tone.GREEN, ProposalStatus.ONGOING: Tone.YELLOW, ProposalStatus.NOT_DONE: Tone.RED,
        }[self]  # fmt: skip


@dataclass(frozen=True)
class Proposal:
    """A proposal from children: what, from whom (a group or place, never a name), when, and what happened."""

    text: str
    origin: str  # "Elevrådet på Bergvik skola"
    day: date | None
    status: ProposalStatus
    feedback: str  # what happened, and why not when it is not carried out (then required)


@dataclass(frozen=True)
class VoicesSection:
    """The part "Det här säger barnen" (``report.voices``): surveys, quotes with consent, proposals and what
    came of them, and the development areas children proposed."""

    surveys: tuple[SurveySection, ...]
    quotes: tuple[Quote, ...]
    proposals: tuple[Proposal, ...]
    proposals_table: Table | None
    proposals_summary: str  # "Barnen lämnade 4 förslag: 1 är genomfört, 2 pågår och 1 genomförs inte."
    child_areas: tuple[str, ...]  # development areas marked as proposed by children, "Område (KFI)"
    source: str  # the proposals' and quotes' source line


@dataclass(frozen=True)
class PrincipleText:
    article: int
    title: str
    text: Text


@dataclass(frozen=True)
class Department:
    name: str  # "Barn och lärande"
    abbreviation: str  # "SVF"
    anchor: str
    intro: Text | None
    principles: tuple[PrincipleText, ...]


class Status(StrEnum):
    STARTED = "Påbörjad"
    DONE = "Genomförd"
    NOT_STARTED = "Ej påbörjad"

    @property
    def tone(self) -> Tone:
        return {Status.DONE: Tone.GREEN, Status.STARTED: Tone.YELLOW, Status.NOT_STARTED: Tone.RED}[self]

    @property
    def symbol(self) -> str:
        return {Status.DONE: "✔", Status.STARTED: "◐", Status.NOT_STARTED: "○"}[self]


def derived_status(statuses: tuple[Status, ...]) -> Status:
    """A follow-up row's status from its actions': all done → Genomförd, none started → Ej påbörjad, else Påbörjad."""
    if statuses and all(s is Status.DONE for s in statuses):
        return Status.DONE
    if all(s is Status.NOT_STARTED for s in statuses):
        return Status.NOT_STARTED
    return Status.STARTED


@dataclass(frozen=True)
class FollowUpAction:
    """One numbered action of a follow-up row with its own status (``None``: the row's) and comment."""

    text: Text
    status: Status | None = None
    comment: Text | None = None


@dataclass(frozen=True)
class FollowUpRow:
    """Last year's development area followed up: its actions, each with a status, and the row's status.

    ``status`` is the row's own when set, else derived from the actions' (``derived_status``). A row with one
    action shows it without a number; with several, actions, statuses and comments are numbered 1, 2, 3.
    """

    area: str
    departments: tuple[str, ...]  # abbreviations: ("SVF", "FIP")
    actions: tuple[FollowUpAction, ...]
    status: Status
    comment: Text | None = None  # the row's comment (besides the actions' own)
    joiner: str = ", "  # between the abbreviations: "(SVF, FIP)" or "(F & V)"
    #: What last year's development area expected (``förväntade_resultat``), carried for following it up.
    expected_results: Text | None = None

    @property
    def numbered(self) -> bool:
        return len(self.actions) > 1

    @property
    def per_action_status(self) -> bool:
        return any(a.status is not None for a in self.actions) and self.numbered

    @property
    def department_label(self) -> str:
        return self.joiner.join(self.departments)

    def action_status(self, action: FollowUpAction) -> Status:
        return action.status or self.status


@dataclass(frozen=True)
class ArticleAssessment:
    article: int
    title: str
    strengths: Text | None
    challenges: Text | None


@dataclass(frozen=True)
class CurrentAnalysis:
    conditions: Text | None  # förutsättningar
    articles: tuple[ArticleAssessment, ...]


@dataclass(frozen=True)
class DevelopmentArea:
    area: str
    departments: tuple[str, ...]
    actions: Text
    expected: Text
    joiner: str = ", "
    from_children: bool = False  # proposed by children (shown as "Förslag från barn")

    @property
    def department_label(self) -> str:
        return self.joiner.join(self.departments)


@dataclass(frozen=True)
class AbbreviationEntry:
    """One line of the abbreviation key: "SVF = Stadsområde, välfärd och fritid"."""

    abbreviation: str
    name: str


@dataclass(frozen=True)
class Conclusions:
    text: Text | None  # quotes are QUOTE blocks / <figure class="citat">
    recommendations: Text | None


@dataclass(frozen=True)
class SourceEntry:
    text: str
    url: str | None = None


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str
    level: int  # 1 = section (h2), 2 = subsection (h3)


@dataclass(frozen=True)
class ReportPart:
    """One part of the report as the structure placed it: its heading, number, level, lead and children.

    ``level`` 1 is a main part (h2, Word "Heading 1"), 2 a part under it, 3 one more down. ``kind`` names the
    registry entry that renders the part's content from the ``Report``; text kinds carry their ``text``, and the
    Nulägesanalys' sub-parts their ``items`` (headed texts: "Artikel 2 – …", or "Styrkor"/"Utmaningar").
    """

    kind: str
    anchor: str
    title: str
    level: int = 1
    number: str = ""  # "2.2.1" when the report numbers its headings
    lead: Text | None = None
    text: Text | None = None
    items: tuple[tuple[str, Text], ...] = ()
    boxed: bool = False  # items as side-by-side boxes (Styrkor | Utmaningar)
    children: tuple[ReportPart, ...] = ()
    abbreviations: bool = False  # the abbreviation key right after this part's table

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def walk(self) -> list[ReportPart]:
        return [self, *(p for c in self.children for p in c.walk())]


@dataclass(frozen=True)
class Report:
    """A whole barnbokslut. ``title`` is the document title ("Barnbokslut 2025 – Söderhamns kommun").

    ``parts`` is the report's structure with the parts that have content, in order; the other fields hold the
    content the parts' kinds render (see ``registry.py``).
    """

    title: str
    language: str
    cover: Cover
    parts: tuple[ReportPart, ...]
    introduction: Introduction | None
    summary: SummarySection | None
    figures: FiguresSection | None
    local_data: tuple[LocalDataItem, ...]
    departments: tuple[Department, ...]
    follow_up: tuple[FollowUpRow, ...]
    current_analysis: CurrentAnalysis | None
    development_areas: tuple[DevelopmentArea, ...]
    conclusions: Conclusions | None
    sources: tuple[SourceEntry, ...]
    is_example: bool
    generated: date
    units: tuple[AbbreviationEntry, ...] = ()
    abbreviations_title: str = "Förkortningar"
    numbered: bool = False
    #: The short version for children (its own page and poster), when the report has one.
    child_version: ChildVersion | None = None
    #: The register of barnkonsekvensanalyser counted, when the report has one.
    bka: BkaSection | None = None
    #: Children's voices: surveys, quotes (with consent only) and proposals, when the report has any.
    voices: VoicesSection | None = None

    @property
    def footer_label(self) -> str:
        """The running footer's text before the page numbers: "Barnbokslut 2025"."""
        return self.cover.title

    def charts(self) -> tuple[Chart, ...]:
        """Every chart of the report, in order (for pre-rendering and counting)."""
        found: list[Chart] = []
        if self.figures is not None:
            for area in self.figures.areas:
                for indicator in area.indicators:
                    if indicator.chart is not None:
                        found.append(indicator.chart)
                    if indicator.units is not None and indicator.units.chart is not None:
                        found.append(indicator.units.chart)
        found += [item.chart for item in self.local_data if item.chart is not None]
        if self.voices is not None:
            found += [q.chart for s in self.voices.surveys for q in s.questions if q.chart is not None]
        return tuple(found)

    def all_parts(self) -> list[ReportPart]:
        return [p for part in self.parts for p in part.walk()]

    def kinds(self) -> tuple[str, ...]:
        """The kinds of the parts present, in report order (children after their parent)."""
        return tuple(p.kind for p in self.all_parts())

    def part(self, kind: str) -> ReportPart | None:
        return next((p for p in self.all_parts() if p.kind == kind), None)

    def toc(self) -> tuple[TocEntry, ...]:
        """The table of contents: parts (level 1, 2, …) and the main subsections of figures and departments."""
        entries: list[TocEntry] = []
        for part in self.all_parts():
            entries.append(TocEntry(part.anchor, part.heading, part.level))
            if part.kind == "siffror" and self.figures is not None:
                entries += [TocEntry(a.anchor, a.title, part.level + 1) for a in self.figures.areas]
            elif part.kind == "verksamheter":
                entries += [
                    TocEntry(d.anchor, f"{d.name} ({d.abbreviation})", part.level + 1)
                    for d in self.departments
                ]
        return tuple(entries)
