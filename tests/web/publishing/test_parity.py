"""One report, two readers: an example folder read by ``report.folder.load_source`` and the same folder imported
into the database (``publishing.import_folder``) and read by ``report_from_db`` give the same report, part by
part: the same kinds in the same order, headings and numbers, texts, follow-up rows and statuses, departments,
development areas, local tables, the register of barnkonsekvensanalyser and abbreviation key.

Where the two differ on purpose, ``Normalised`` leaves it out and says why:

- Nothing of the register of barnkonsekvensanalyser: ``import_folder`` puts ``data/barnkonsekvensanalyser.csv``
  into the organisation's register (marked as example data, as the folder is), and its tables, comparison,
  suggestions and source line must be the same.
- Källor: the folder's ``[[kalla]]`` lines have no place in the web app (the Kolada line and the local tables'
  lines are in both).
- ``exempeldata``: the folder marks its invented local figures "(Exempeldata)"; the web app's uploaded tables are
  real, so their source lines and the cover lack the mark.
- ``texter/siffror.md``: the web app has no text of its own for the figures; the import puts it in the figures
  part's lead, so it is compared as lead + the figures' introduction.
- A follow-up row's or development area's units: the folder keeps the order they are written in, the web app
  lists them in the organisation's order, so they are compared as sets.
- Line charts of local tables: the web app's tables have bar charts or none.
- Children's voices: the surveys (``[[enkat]]``), quotes, proposals and the development areas' ``barnens_forslag``
  mark are in both; the quotes' and proposals' source line names where they were written (``barnbokslut.toml`` or
  the web app's edition), so the folder's report is built with the web app's, and the surveys' source lines lack
  the folder's "(Exempeldata)" as the local tables' do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from barnbokslut.indicators.catalogue import load_catalogue
from barnbokslut.indicators.job import run_indicator_job
from barnbokslut.report.folder import load_source
from barnbokslut.report.model import Report, ReportPart, Text
from barnbokslut.report.source import build_report
from barnbokslut.web.organisations.models import Organisation
from barnbokslut.web.publishing.import_folder import import_folder
from barnbokslut.web.publishing.report_from_db import edition_report
from example_kolada import example_server

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "barnbokslut-exempel"
COMMITTEE = ROOT / "examples" / "barnbokslut-namnd"
EXAMPLE_MARK = " (Exempeldata)"


@pytest.fixture(scope="module")
def example_analysis():  # type: ignore[no-untyped-def]
    with example_server() as server:
        job = run_indicator_job(
            load_catalogue(None), 2025, municipality="Söderhamn", base_url=server.url, cache=None
        )
    return job.analyses[0]


def plain(text: Text | None) -> str:
    return text.plain if text else ""


def _part(part: ReportPart, report: Report) -> tuple[Any, ...]:
    lead = plain(part.lead)
    if part.kind == "siffror" and report.figures is not None:  # siffror.md: the lead in the web app
        lead = "\n\n".join(t for t in (lead, plain(report.figures.intro)) if t)
    return (
        part.kind,
        part.heading,
        part.level,
        part.anchor,
        lead,
        plain(part.text),
        tuple((title, plain(text)) for title, text in part.items),
        part.boxed,
        part.abbreviations,
    )


@dataclass(frozen=True)
class Normalised:
    """What both readers must agree on, with the differences the module docstring names left out."""

    parts: tuple[tuple[Any, ...], ...]
    introduction: tuple[Any, ...]
    departments: tuple[Any, ...]
    follow_up: tuple[Any, ...]
    development: tuple[Any, ...]
    nulage: tuple[Any, ...]
    local_data: tuple[Any, ...]
    bka: tuple[Any, ...]
    voices: str
    figures: tuple[Any, ...]
    summary: tuple[Any, ...]
    conclusions: tuple[str, str]
    units: tuple[Any, ...]
    sources: tuple[str, ...]
    cover: tuple[Any, ...]
    numbered: bool


def _table(table: Any) -> tuple[Any, ...]:
    return (
        table.caption,
        table.columns,
        tuple(tuple(c.text for c in row) for row in table.rows),
        table.source,
    )


def normalised(report: Report, *, folder_sources: tuple[str, ...] = ()) -> Normalised:
    intro = report.introduction
    analysis = report.current_analysis
    figures = report.figures
    return Normalised(
        parts=tuple(_part(p, report) for p in report.all_parts()),
        introduction=(
            plain(intro.purpose),
            tuple((c.term, plain(c.text)) for c in intro.concepts),
            tuple((p.article, p.title, plain(p.text)) for p in intro.principles),
            plain(intro.concepts_lead),
            plain(intro.principles_lead),
        ),
        departments=tuple(
            (
                d.name,
                d.abbreviation,
                d.anchor,
                plain(d.intro),
                tuple((p.article, p.title, plain(p.text)) for p in d.principles),
            )
            for d in report.departments
        ),
        follow_up=tuple(
            (
                r.area,
                frozenset(r.departments),
                tuple((plain(a.text), a.status, plain(a.comment)) for a in r.actions),
                r.status,
                plain(r.comment),
                r.joiner,
                r.numbered,
                r.per_action_status,
                plain(r.expected_results),
            )
            for r in report.follow_up
        ),
        development=tuple(
            (a.area, frozenset(a.departments), plain(a.actions), plain(a.expected), a.joiner, a.from_children)
            for a in report.development_areas
        ),
        nulage=(
            ()
            if analysis is None
            else (
                plain(analysis.conditions),
                tuple(
                    (a.article, a.title, plain(a.strengths), plain(a.challenges)) for a in analysis.articles
                ),
            )
        ),
        local_data=tuple(
            (
                item.title,
                item.anchor,
                plain(item.text),
                item.table.caption,
                item.table.columns,
                tuple(tuple(c.text for c in row) for row in item.table.rows),
                item.source.replace(EXAMPLE_MARK, ""),
                item.chart is not None,
            )
            for item in report.local_data
        ),
        bka=()
        if report.bka is None
        else (
            report.bka.years,
            tuple(_table(t) for t in report.bka.tables),
            None if report.bka.comparison is None else _table(report.bka.comparison),
            report.bka.suggestions,
            report.bka.source,
            report.bka.note,
            report.bka.file,
        ),
        voices=repr(report.voices).replace(EXAMPLE_MARK, ""),
        figures=(
            ()
            if figures is None
            else (
                figures.title,
                tuple((r.kpi, r.value, r.period, r.trend.label) for r in figures.overview),
                tuple(
                    (i.kpi, i.sentence, i.details, plain(i.comment), i.source)
                    for a in figures.areas
                    for i in a.indicators
                ),
            )
        ),
        summary=()
        if report.summary is None
        else (report.summary.sentences, plain(report.summary.text), report.summary.counts is not None),
        conclusions=(
            plain(report.conclusions.text) if report.conclusions else "",
            plain(report.conclusions.recommendations) if report.conclusions else "",
        ),
        units=(tuple((u.abbreviation, u.name) for u in report.units), report.abbreviations_title),
        sources=tuple(
            s.text.replace(EXAMPLE_MARK, "") for s in report.sources if s.text not in folder_sources
        ),
        cover=(
            report.title,
            report.cover.organisation,
            report.cover.year,
            report.cover.title,
            report.cover.municipality,
        ),
        numbered=report.numbered,
    )


def compare(
    folder: Path, organisation: Organisation, year: int, analysis: Any
) -> tuple[Normalised, Normalised]:
    source = load_source(folder)
    from_folder = build_report(source, analysis)
    edition = import_folder(folder, organisation, year)
    built = edition_report(edition, analysis=analysis)
    assert not [n for n in built.notes if "Nyckeltalen" not in n], built.notes
    kalla = tuple(s.text for s in source.sources)
    from_folder = build_report(_with_web_voices_label(source), analysis)
    return normalised(from_folder, folder_sources=kalla), normalised(built.report)


def assert_same(folder_report: Normalised, web_report: Normalised) -> None:
    # Part by part first, so a failure names the first part that differs.
    for ours, theirs in zip(folder_report.parts, web_report.parts, strict=False):
        assert theirs == ours, f"part {ours[0]} differs"
    assert [p[0] for p in web_report.parts] == [p[0] for p in folder_report.parts]
    for name in Normalised.__dataclass_fields__:
        assert getattr(web_report, name) == getattr(folder_report, name), name


def test_the_kommun_example_gives_the_same_report_from_the_folder_and_the_database(
    db, example_analysis
) -> None:
    organisation = Organisation.objects.create(name="Söderhamns kommun", slug="soderhamn", kommun="2182")

    from_folder, from_web = compare(EXAMPLE, organisation, 2025, example_analysis)

    assert_same(from_folder, from_web)
    kinds = [p[0] for p in from_web.parts]
    assert {"siffror", "lokala-data", "verksamheter", "uppfoljning", "nulage", "utvecklingsomraden"} <= set(
        kinds
    )
    assert from_web.conclusions[1]  # rekommendationer.md, under ## Rekommendationer in Slutsatser
    assert "kallor" in kinds  # the Kolada and local table lines; the folder's [[kalla]] lines are left out
    assert "barnkonsekvensanalyser" in kinds
    assert from_web.bka[0] == (2024, 2025) and from_web.bka[3]  # two years, and a share fell
    assert from_web.bka[4].endswith("data/barnkonsekvensanalyser.csv (Exempeldata)")
    # The toml's second development area has barnens_forslag = true, the first none.
    assert [a[5] for a in from_web.development] == [False, True]
    # One [[enkat]] (LUPP, with its text) and the area proposed by children, "Barns röster i besluten" (KFI).
    assert (
        "SurveySection(name='LUPP'" in from_web.voices
        and "Lokal uppföljning av ungdomspolitiken" in from_web.voices
    )
    assert "child_areas=('Barns röster i besluten (KFI)',)" in from_web.voices


@pytest.mark.skipif(
    not (COMMITTEE / "barnbokslut.toml").is_file(), reason="the committee example is not there"
)
def test_the_committee_example_gives_the_same_report_from_the_folder_and_the_database(db) -> None:
    organisation = Organisation.objects.create(
        name="Socialförvaltningen Nordost", slug="nordost", kind=Organisation.Kind.FORVALTNING, kommun=""
    )

    from_folder, from_web = compare(COMMITTEE, organisation, 2024, None)

    assert_same(from_folder, from_web)
    assert from_web.numbered and from_web.parts[0][1] == "1 Inledning"
    assert any(row[7] for row in from_web.follow_up)  # statuses per action
    # The third row's förväntade_resultat, through FollowUp.expected_results.
    assert [row[8] for row in from_web.follow_up][:3] == [
        "",
        "",
        "Fler barn är med och bestämmer över fritidsverksamheternas innehåll.",
    ]
    assert from_web.units[1] == "Förkortning av avdelningar"


def _with_web_voices_label(source: Any) -> Any:
    """The folder's source with the web app's source line for its quotes and proposals."""
    from dataclasses import replace

    return replace(source, voices_label=f"webbappen, {source.title}")
