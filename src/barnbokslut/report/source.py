"""Build the report model from a folder: one TOML settings file, Markdown texts and CSV files.

The folder (see ``examples/barnbokslut-exempel/`` and docs)::

    barnbokslut.toml                  settings: [rapport], [[verksamhet]], [[uppfoljning]], [[utvecklingsomrade]],
                                      [kommentarer], [[lokala_data]], [[kalla]]
    texter/inledning.md               purpose (default: the shipped text)
    texter/begrepp.md                 "## Barnperspektiv" … (default: shipped)
    texter/grundprinciper.md          "## Artikel 2 – …" … (default: shipped)
    texter/upplagg.md, underlag.md, sammanfattning.md, siffror.md
    texter/verksamheter/<förkortning>.md   intro, then "## Artikel 2" … "## Artikel 12"
    texter/nulage/forutsattningar.md
    texter/nulage/artikel-<n>.md      "## Styrkor" and "## Utmaningar"
    texter/slutsatser.md, rekommendationer.md
    data/*.csv                        local figures named in [[lokala_data]]

``load_source(folder)`` reads and checks everything without fetching anything; every problem is collected and
raised together as ``ReportSourceError`` naming the file, the entry (row) and the field, in Swedish, so nothing
is built from bad input. ``build_report(source, analysis)`` then makes the ``Report``; ``report_from_folder``
does both and gets the analysis from Kolada through ``run_indicator_job``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from barnbokslut.indicators.results import Analysis
from barnbokslut.report import figures
from barnbokslut.report.localdata import LocalDataError, local_item, read_csv
from barnbokslut.report.markdown import to_text
from barnbokslut.report.model import (
    ChartKind,
    Conclusions,
    Cover,
    Report,
    SourceEntry,
    Text,
)
from barnbokslut.report.sections import (
    ARTICLES,
    SettingsReader,
    concepts_from,
    current_analysis_from,
    department_from,
    development_rows,
    follow_up_rows,
    principles_from,
)

__all__ = [
    "SETTINGS_FILE",
    "ReportSource",
    "ReportSourceError",
    "build_report",
    "load_source",
    "report_from_folder",
]

SETTINGS_FILE = "barnbokslut.toml"
_STANDARD = resources.files("barnbokslut.report") / "standard"
_CHART_KINDS = {"stapel": ChartKind.BAR, "linje": ChartKind.LINE, "inget": None}


class ReportSourceError(ValueError):
    """The folder has problems; ``problems`` lists each one (file, row, field), and ``str()`` joins them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Barnbokslutet kan inte byggas:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class ReportSource:
    """Everything read from the folder, checked, before the Kolada analysis is added."""

    folder: Path
    organisation: str
    kommun: str
    year: int
    title: str
    subtitle: str
    logo: Path | None
    logo_alt: str
    catalogue: Path | None
    is_example: bool
    texts: dict[str, Text | None]
    concepts: tuple[Any, ...]
    principles: tuple[Any, ...]
    departments: tuple[Any, ...]
    follow_up: tuple[Any, ...]
    development_areas: tuple[Any, ...]
    current_analysis: Any
    comments: dict[str, Text]
    local_data: tuple[Any, ...]
    sources: tuple[SourceEntry, ...]
    warnings: list[str] = field(default_factory=list)


def _read_text(folder: Path, relative: str, problems: list[str], *, heading_base: int = 3) -> Text | None:
    path = folder / relative
    if not path.is_file():
        return None
    try:
        text = to_text(path.read_text(encoding="utf-8"), heading_base=heading_base)
    except UnicodeDecodeError:
        problems.append(f"{relative}: filen är inte sparad som UTF-8.")
        return None
    return text if text else None


def _standard_or_own(folder: Path, name: str) -> str:
    own = folder / "texter" / name
    if own.is_file():
        return own.read_text(encoding="utf-8")
    return (_STANDARD / name).read_text(encoding="utf-8")


def load_source(folder: Path) -> ReportSource:
    """Read and check the folder; raise ``ReportSourceError`` listing every problem."""
    folder = Path(folder)
    settings_path = folder / SETTINGS_FILE
    if not settings_path.is_file():
        raise ReportSourceError([f"{settings_path}: filen saknas; mappen behöver en {SETTINGS_FILE}."])
    raw = settings_path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ReportSourceError([f"{SETTINGS_FILE}: fel i TOML-syntaxen: {exc}."]) from None
    problems: list[str] = []
    reader = SettingsReader(SETTINGS_FILE, raw, problems)

    report = reader.table(data, "rapport")
    organisation = reader.string(report, "[rapport]", "organisation", required=True)
    kommun = reader.string(report, "[rapport]", "kommun", required=True)
    year = reader.integer(report, "[rapport]", "år", required=True, low=1990, high=2100)
    title = reader.string(report, "[rapport]", "titel") or f"Barnbokslut {year}"
    logo_name = reader.string(report, "[rapport]", "logotyp")
    logo = folder / logo_name if logo_name else None
    if logo is not None and not logo.is_file():
        problems.append(f"{SETTINGS_FILE}, [rapport], fält ”logotyp”: filen {logo_name} finns inte i mappen.")
    catalogue_name = reader.string(report, "[rapport]", "katalog")
    catalogue = folder / catalogue_name if catalogue_name else None
    if catalogue is not None and not catalogue.is_file():
        problems.append(
            f"{SETTINGS_FILE}, [rapport], fält ”katalog”: filen {catalogue_name} finns inte i mappen."
        )
    is_example = bool(report.get("exempeldata", False))

    texts = {
        name: _read_text(folder, f"texter/{name}.md", problems)
        for name in ("upplagg", "underlag", "sammanfattning", "siffror", "slutsatser", "rekommendationer")
    }
    texts["inledning"] = _read_text(folder, "texter/inledning.md", problems) or to_text(
        (_STANDARD / "syfte.md").read_text(encoding="utf-8")
    )

    departments = []
    for row, entry in reader.rows(data, "verksamhet"):
        name = reader.string(entry, f"[[verksamhet]] nr {row}", "namn", required=True)
        abbreviation = reader.string(entry, f"[[verksamhet]] nr {row}", "förkortning", required=True)
        if not (name and abbreviation):
            continue
        relative = f"texter/verksamheter/{abbreviation.lower()}.md"
        path = folder / relative
        markdown = path.read_text(encoding="utf-8") if path.is_file() else ""
        department = department_from(name, abbreviation, markdown, relative, problems)
        if department is not None:
            departments.append(department)
    known = {d.abbreviation for d in departments}

    comments: dict[str, Text] = {}
    for kpi, value in reader.table(data, "kommentarer").items():
        if not re.fullmatch(r"[NU]\d{5}", kpi):
            problems.append(f"{SETTINGS_FILE}, [kommentarer], fält ”{kpi}”: inget Kolada-id (t.ex. U31803).")
        elif not isinstance(value, str):
            problems.append(f"{SETTINGS_FILE}, [kommentarer], fält ”{kpi}”: ska vara en text.")
        elif value.strip():
            comments[kpi] = to_text(value, heading_base=4)

    local = []
    for row, entry in reader.rows(data, "lokala_data"):
        where = f"[[lokala_data]] nr {row}"
        item_title = reader.string(entry, where, "titel", required=True)
        file = reader.string(entry, where, "fil", required=True)
        kind_name = reader.string(entry, where, "diagram") or "stapel"
        if kind_name not in _CHART_KINDS:
            reader.problem(where, "diagram", f"okänt värde ”{kind_name}”; välj stapel, linje eller inget")
            continue
        decimals = reader.integer(entry, where, "decimaler", low=0, high=3)
        if not (item_title and file):
            continue
        try:
            csv_data = read_csv(folder / file, file)
        except LocalDataError as exc:
            problems.append(str(exc))
            continue
        local.append(
            (
                item_title,
                file,
                csv_data,
                _CHART_KINDS[kind_name],
                reader.string(entry, where, "enhet"),
                1 if decimals is None else decimals,
                to_text(entry.get("text", "")) or None,
            )
        )

    follow_up = follow_up_rows(reader, data, known)
    development = development_rows(reader, data, known)
    current = current_analysis_from(
        _read_text(folder, "texter/nulage/forutsattningar.md", problems),
        {a: (folder / f"texter/nulage/artikel-{a}.md") for a in ARTICLES},
        problems,
    )
    sources = tuple(
        SourceEntry(
            reader.string(e, f"[[kalla]] nr {r}", "text", required=True), reader.string(e, "", "url") or None
        )
        for r, e in reader.rows(data, "kalla")
    )
    concepts = concepts_from(_standard_or_own(folder, "begrepp.md"), "texter/begrepp.md", problems)
    principles = principles_from(
        _standard_or_own(folder, "grundprinciper.md"), "texter/grundprinciper.md", problems
    )
    if problems:
        raise ReportSourceError(problems)
    assert year is not None
    return ReportSource(
        folder=folder, organisation=organisation, kommun=kommun, year=year, title=title,
        subtitle=reader.string(report, "[rapport]", "undertitel"), logo=logo,
        logo_alt=reader.string(report, "[rapport]", "logotyp_alt") or f"Logotyp för {organisation}",
        catalogue=catalogue, is_example=is_example, texts=texts, concepts=concepts, principles=principles,
        departments=tuple(departments), follow_up=follow_up, development_areas=development,
        current_analysis=current, comments=comments, local_data=tuple(local), sources=sources,
    )  # fmt: skip


def build_report(source: ReportSource, analysis: Analysis | None, *, generated: date | None = None) -> Report:
    """Put the checked folder and the analysis together into one ``Report``."""
    from barnbokslut.report.model import Introduction, SummarySection

    is_example = source.is_example or (analysis is not None and analysis.is_example)
    texts = source.texts
    local = tuple(
        local_item(title=t, anchor=f"lokal-{figures.slug(t)}", data=d, file=f, kind=k, unit=u, decimals=dec,
                   text=txt, is_example=is_example)
        for (t, f, d, k, u, dec, txt) in source.local_data
    )  # fmt: skip
    if analysis is not None:
        summary = figures.summary_section(analysis, texts["sammanfattning"])
        figs = figures.figures_section(analysis, source.comments, texts["siffror"])
    else:
        text = texts["sammanfattning"]
        summary = SummarySection((), None, text) if text else None
        figs = None
    sources = list(source.sources)
    if analysis is not None:
        fetched = f", hämtad {figures.format_date_sv(analysis.fetched_at)}" if analysis.fetched_at else ""
        kolada = "Kolada, Rådet för främjande av kommunala analyser (RKA)" + fetched
        sources.insert(
            0, SourceEntry(kolada + (" (Exempeldata)" if is_example else ""), "https://www.kolada.se/")
        )
    sources += [SourceEntry(item.source) for item in local]
    conclusions = None
    if texts["slutsatser"] or texts["rekommendationer"]:
        conclusions = Conclusions(texts["slutsatser"], texts["rekommendationer"])
    municipality = analysis.municipality.title if analysis is not None else source.kommun
    return Report(
        title=f"{source.title} – {source.organisation}",
        language="sv",
        cover=Cover(
            organisation=source.organisation, year=source.year, title=source.title, subtitle=source.subtitle,
            municipality=municipality, logo=source.logo, logo_alt=source.logo_alt, is_example=is_example,
        ),
        introduction=Introduction(texts["inledning"], source.concepts, source.principles),
        layout=texts["upplagg"],
        basis=texts["underlag"],
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
    )  # fmt: skip


def report_from_folder(
    folder: Path,
    *,
    analysis: Analysis | None = None,
    base_url: str | None = None,
    cache: Any = "default",
    mode: Any = "normal",
) -> Report:
    """Read the folder, fetch and analyse its municipality (unless ``analysis`` is given), build the report."""
    source = load_source(folder)
    if analysis is None:
        from barnbokslut.indicators.catalogue import load_catalogue
        from barnbokslut.indicators.job import run_indicator_job
        from barnbokslut.kolada import default_base_url

        job = run_indicator_job(
            load_catalogue(source.catalogue), source.year, municipality=source.kommun,
            base_url=base_url or default_base_url(), cache=cache, mode=mode,
        )  # fmt: skip
        analysis = job.analyses[0]
    return build_report(source, analysis)
