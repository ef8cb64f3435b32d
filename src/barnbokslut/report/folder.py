"""Read a report folder into a ``ReportSource``: one TOML settings file, Markdown texts and local data files.

The folder (see ``examples/barnbokslut-exempel/``, ``examples/barnbokslut-namnd/`` and ``docs/rapportmapp.md``)::

    barnbokslut.toml                  settings: [rapport], [artiklar], [[verksamhet]], [[avsnitt]],
                                      [[uppfoljning]], [[utvecklingsomrade]], [kommentarer], [[lokala_data]], [[kalla]]
    texter/inledning.md               background and purpose (default: the shipped text)
    texter/begrepp.md                 a lead, then "## Barnperspektiv" … (default: shipped)
    texter/grundprinciper.md          a lead, then "## Artikel 2 – …" … (default: shipped)
    texter/upplagg.md, underlag.md, sammanfattning.md, siffror.md, slutsatser.md, rekommendationer.md
    texter/verksamheter/<förkortning>.md   intro, then "## Artikel 2" … "## Artikel 12"
    texter/nulage/forutsattningar.md
    texter/nulage/artikel-<n>.md      "## Styrkor" and "## Utmaningar"
    data/*.csv, data/*.xlsx           local figures named in [[lokala_data]]
    data/barnkonsekvensanalyser.csv   the register of barnkonsekvensanalyser (or .xlsx, or
                                      [barnkonsekvensanalyser] fil = "…"), see ``report.bka``
    data/<enkät>.csv, .xlsx           surveys named in [[enkat]]; [[citat]] and [[forslag]] in the settings,
                                      see ``report.voices``

``load_source(folder)`` reads and checks everything without fetching anything; every problem is collected and
raised together as ``ReportSourceError`` naming the file, the entry (row) and the field, in Swedish, so nothing
is built from bad input. ``report_from_folder`` also fetches the analysis from Kolada, but only when the report
has a figures part and a ``kommun``.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from barnbokslut.indicators.results import Analysis
from barnbokslut.localdata import decimals_for
from barnbokslut.numbers import format_number
from barnbokslut.report.bka import DEFAULT_FILES, BkaError, Register, read_register
from barnbokslut.report.child_version import (
    CHILD_FILE,
    DEFAULT_LIX_TARGET,
    ChildVersion,
    child_version,
    parse_child_markdown,
)
from barnbokslut.report.localdata import CsvData, LocalDataError, read_csv
from barnbokslut.report.markdown import to_text
from barnbokslut.report.model import AbbreviationEntry, ChartKind, Report, SourceEntry, Text
from barnbokslut.report.sections import (
    ARTICLES,
    SettingsReader,
    article_titles,
    current_analysis_from,
    department_from,
    development_rows,
    did_you_mean,
    follow_up_rows,
    introduction_from,
    read_markdown,
)
from barnbokslut.report.source import LocalDataSpec, ReportSource, ReportSourceError, build_report
from barnbokslut.report.structure import Structure, StructureLocator, parse_settings
from barnbokslut.report.voices import (
    SURVEY_KEYS,
    Survey,
    VoicesError,
    proposals_from,
    quotes_from,
    read_survey,
)

if TYPE_CHECKING:
    from barnbokslut.indicators.job import JobResult
    from barnbokslut.kolada import Progress

__all__ = [
    "SETTINGS_FILE", "FolderReport", "load_report", "load_source", "purpose_file", "report_from_folder",
    "standard_text",
]  # fmt: skip

SETTINGS_FILE = "barnbokslut.toml"
_STANDARD = resources.files("barnbokslut.report") / "standard"
_CHART_KINDS = {"stapel": ChartKind.BAR, "linje": ChartKind.LINE, "inget": None}
_TEXT_KEYS = ("upplagg", "underlag", "sammanfattning", "siffror", "slutsatser", "rekommendationer")
REPORT_KEYS = (
    "organisation", "kommun", "år", "titel", "undertitel", "logotyp", "logotyp_alt", "katalog", "exempeldata",
    "jämförelsekommuner", "mall", "numrerade_rubriker", "forkortning_skiljetecken", "forkortningar_rubrik",
    "sma_tal",
)  # fmt: skip
_KNOWN_SECTIONS = {
    "rapport", "artiklar", "verksamhet", "avsnitt", "uppfoljning", "utvecklingsomrade", "kommentarer",
    "lokala_data", "kalla", "barnversion", "barnkonsekvensanalyser", "enkat", "citat", "forslag",
}  # fmt: skip


def standard_text(name: str) -> str:
    """A shipped standard text: ``syfte.md``, ``begrepp.md`` or ``grundprinciper.md``."""
    return (_STANDARD / name).read_text(encoding="utf-8")


def purpose_file(structure: Structure) -> str:
    """The shipped purpose text: one that speaks of Kolada's figures, or one for a report without figures."""
    return "syfte.md" if structure.has("siffror") else "syfte-utan-siffror.md"


def _read_text(folder: Path, relative: str, problems: list[str], *, heading_base: int = 3) -> Text | None:
    path = folder / relative
    if not path.is_file():
        return None
    markdown = read_markdown(path, relative, problems)
    text = to_text(markdown, heading_base=heading_base) if markdown is not None else None
    return text if text else None


def _standard_or_own(folder: Path, name: str, problems: list[str]) -> str:
    own = folder / "texter" / name
    if own.is_file():
        return read_markdown(own, f"texter/{name}", problems) or ""
    return standard_text(name)


def load_source(folder: Path) -> ReportSource:
    """Read and check the folder; raise ``ReportSourceError`` listing every problem."""
    folder = Path(folder)
    settings_path = folder / SETTINGS_FILE
    if not settings_path.is_file():
        raise ReportSourceError([f"{settings_path}: filen saknas; mappen behöver en {SETTINGS_FILE}."])
    problems: list[str] = []
    raw = read_markdown(settings_path, SETTINGS_FILE, problems)
    if raw is None:
        raise ReportSourceError(problems)
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ReportSourceError([f"{SETTINGS_FILE}: fel i TOML-syntaxen: {exc}."]) from None
    reader = SettingsReader(SETTINGS_FILE, raw, problems)
    for key in data:
        if key not in _KNOWN_SECTIONS:
            problems.append(f"{SETTINGS_FILE}: okänd del [{key}]{did_you_mean(key, _KNOWN_SECTIONS)}")

    report = reader.table(data, "rapport")
    reader.check_keys(report, "[rapport]", REPORT_KEYS)
    organisation = reader.string(report, "[rapport]", "organisation", required=True)
    kommun = reader.string(report, "[rapport]", "kommun")
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
    is_example = report.get("exempeldata", False)
    if not isinstance(is_example, bool):
        reader.problem("[rapport]", "exempeldata", f"ska vara true eller false, inte {is_example!r}")
        is_example = False
    layout = parse_settings(
        {**report, "avsnitt": data.get("avsnitt"), "artiklar": reader.table(data, "artiklar")},
        file=SETTINGS_FILE, where="[rapport]", problems=problems, locator=StructureLocator(raw),
        default="kommun" if kommun else "namnd",
    )  # fmt: skip
    structure = layout.structure
    principles_md = _standard_or_own(folder, "grundprinciper.md", problems)
    titles = article_titles(principles_md, layout.article_titles)

    texts: dict[str, Text] = {}
    for name in _TEXT_KEYS:
        text = _read_text(folder, f"texter/{name}.md", problems)
        if text is not None:
            texts[name] = text
    for file in structure.text_files():
        text = _read_text(folder, file, problems)
        if not (folder / file).is_file():
            problems.append(f"{SETTINGS_FILE}, [[avsnitt]], fält ”fil”: filen {file} finns inte i mappen.")
        elif text is not None:
            texts[f"fil:{file}"] = text
    purpose = _read_text(folder, "texter/inledning.md", problems) or to_text(
        standard_text(purpose_file(structure))
    )

    warnings: list[str] = []
    units: list[AbbreviationEntry] = []
    departments = []
    for row, entry in reader.rows(data, "verksamhet"):
        where = f"[[verksamhet]] nr {row}"
        reader.check_keys(entry, where, ("namn", "förkortning"))
        name = reader.string(entry, where, "namn", required=True)
        abbreviation = reader.string(entry, where, "förkortning", required=True)
        if not (name and abbreviation):
            continue
        if any(u.abbreviation == abbreviation for u in units):
            reader.problem(where, "förkortning", f"förkortningen ”{abbreviation}” finns redan")
            continue
        units.append(AbbreviationEntry(abbreviation, name))
        relative = f"texter/verksamheter/{abbreviation.lower()}.md"
        path = folder / relative
        if not path.is_file():
            if structure.has("verksamheter"):
                warnings.append(
                    f"{relative} finns inte: {name} ({abbreviation}) får ingen verksamhetsberättelse."
                )
            continue
        markdown = read_markdown(path, relative, problems) or ""
        department = department_from(name, abbreviation, markdown, relative, problems, titles)
        if department is not None and (department.intro or department.principles):
            departments.append(department)
    known = {u.abbreviation for u in units}

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
        reader.check_keys(entry, where, ("titel", "fil", "diagram", "enhet", "decimaler", "text"))
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
            LocalDataSpec(
                title=item_title, file=file, data=csv_data, chart=_CHART_KINDS[kind_name],
                unit=reader.string(entry, where, "enhet"),
                decimals=_decimals(csv_data) if decimals is None else decimals,
                text=to_text(entry.get("text", "")) or None,
            )
        )  # fmt: skip

    follow_up = follow_up_rows(reader, data, known, layout.joiner)
    development = development_rows(reader, data, known, layout.joiner)
    current = current_analysis_from(
        _read_text(folder, "texter/nulage/forutsattningar.md", problems),
        {a: (folder / f"texter/nulage/artikel-{a}.md") for a in ARTICLES},
        problems,
        titles,
    )
    sources = tuple(
        SourceEntry(
            reader.string(e, f"[[kalla]] nr {r}", "text", required=True), reader.string(e, "", "url") or None
        )
        for r, e in reader.rows(data, "kalla")
    )
    for r, e in reader.rows(data, "kalla"):
        reader.check_keys(e, f"[[kalla]] nr {r}", ("text", "url"))
    concepts_md = _standard_or_own(folder, "begrepp.md", problems)
    introduction = introduction_from(purpose, concepts_md, principles_md, problems, titles)
    child = _child_version(folder, reader, data, organisation or "", year or 0, is_example, problems)
    bka = _bka_register(folder, reader, data, known, problems)
    surveys = _surveys(folder, reader, data, problems)
    quotes = quotes_from(reader, data)
    proposals = proposals_from(reader, data)
    if child is not None and (found := child.readability.value) > child.lix_target:
        warnings.append(
            f"{CHILD_FILE}: läsbarheten är LIX {format_number(found, decimals=0)}, över målet {child.lix_target}. "
            "Korta meningarna och välj kortare ord."
        )
    if problems:
        raise ReportSourceError(problems)
    assert year is not None
    return ReportSource(
        organisation=organisation, kommun=kommun, year=year, title=title, structure=structure,
        subtitle=reader.string(report, "[rapport]", "undertitel"), logo=logo,
        logo_alt=reader.string(report, "[rapport]", "logotyp_alt") or f"Logotyp för {organisation}",
        catalogue=catalogue, is_example=is_example, texts=texts, introduction=introduction,
        comparison_kommuner=reader.strings(report, "[rapport]", "jämförelsekommuner"),
        departments=tuple(departments), follow_up=follow_up, development_areas=development,
        current_analysis=current, comments=comments, local_data=tuple(local), sources=sources,
        units=tuple(units), abbreviations_title=layout.abbreviations_title, warnings=tuple(warnings),
        small_counts=layout.small_counts,
        child_version=child, bka=bka, surveys=surveys, quotes=quotes, proposals=proposals,
    )  # fmt: skip


def _child_version(
    folder: Path,
    reader: SettingsReader,
    data: dict[str, Any],
    organisation: str,
    year: int,
    is_example: bool,
    problems: list[str],
) -> ChildVersion | None:
    """``texter/barnversion.md`` with ``[barnversion] lix_mal`` (the readability target), or None without it."""
    settings = reader.table(data, "barnversion")
    reader.check_keys(settings, "[barnversion]", ("lix_mal",))
    target = reader.integer(settings, "[barnversion]", "lix_mal", low=10, high=80)
    path = folder / CHILD_FILE
    if not path.is_file():
        return None
    markdown = read_markdown(path, CHILD_FILE, problems)
    if markdown is None:
        return None
    lead, texts = parse_child_markdown(markdown, CHILD_FILE, problems)
    return child_version(
        organisation, year, texts, lead=lead, lix_target=target or DEFAULT_LIX_TARGET, is_example=is_example
    )


def _bka_register(
    folder: Path, reader: SettingsReader, data: dict[str, Any], units: set[str], problems: list[str]
) -> Register | None:
    """The register of barnkonsekvensanalyser: ``[barnkonsekvensanalyser] fil``, else the first of
    ``DEFAULT_FILES`` that exists, else None (the report has no such part)."""
    settings = reader.table(data, "barnkonsekvensanalyser")
    reader.check_keys(settings, "[barnkonsekvensanalyser]", ("fil",))
    file = reader.string(settings, "[barnkonsekvensanalyser]", "fil")
    if file and not (folder / file).is_file():
        reader.problem("[barnkonsekvensanalyser]", "fil", f"filen {file} finns inte i mappen")
        return None
    if not file:
        file = next((name for name in DEFAULT_FILES if (folder / name).is_file()), "")
    if not file:
        return None
    try:
        return read_register(folder / file, file, units)
    except BkaError as exc:
        problems.extend(exc.problems)
        return None


def _surveys(
    folder: Path, reader: SettingsReader, data: dict[str, Any], problems: list[str]
) -> tuple[Survey, ...]:
    """``[[enkat]]``: each survey's name, file and optional lead, the file read and checked."""
    surveys = []
    for row, entry in reader.rows(data, "enkat"):
        where = f"[[enkat]] nr {row}"
        reader.check_keys(entry, where, SURVEY_KEYS)
        name = reader.string(entry, where, "namn", required=True)
        file = reader.string(entry, where, "fil", required=True)
        if not (name and file):
            continue
        if not (folder / file).is_file():
            reader.problem(where, "fil", f"filen {file} finns inte i mappen")
            continue
        try:
            surveys.append(read_survey(folder / file, file, name, to_text(entry.get("text", "")) or None))
        except VoicesError as exc:
            problems.extend(exc.problems)
    return tuple(surveys)


def _decimals(data: CsvData) -> int:
    """The one decimals rule of local tables (as the web app's): as many as the numbers themselves show."""
    return decimals_for(value for column in data.values for value in column)


def _has_indicators(catalogue: Path | None) -> bool:
    """False for a catalogue file without any ``[[indikator]]`` (no figures wanted), True otherwise."""
    if catalogue is None:
        return True
    try:
        return bool(tomllib.loads(catalogue.read_text(encoding="utf-8")).get("indikator"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return True  # load_catalogue names the problem


@dataclass(frozen=True)
class FolderReport:
    """A folder's report with what the build should tell the user: the folder's warnings and the Kolada job
    (None when the report has no figures), whose warnings, staleness and data age ``bygg`` prints."""

    report: Report
    warnings: tuple[str, ...]
    job: JobResult | None


def load_report(
    folder: Path,
    *,
    analysis: Analysis | None = None,
    base_url: str | None = None,
    cache: Any = "default",
    mode: Any = "normal",
    max_retries: int | None = None,
    progress: Progress | None = None,
) -> FolderReport:
    """Read the folder, fetch and analyse its municipality when the report has figures, build the report.

    ``max_retries`` and ``progress`` go to the Kolada client (see ``run_indicator_job``): ``bygg`` prints the
    client's lines while it waits and retries, as ``indikatorer`` does.
    """
    source = load_source(folder)
    job = None
    if analysis is None and source.wants_figures and _has_indicators(source.catalogue):
        from barnbokslut.indicators.catalogue import CatalogueError, load_catalogue
        from barnbokslut.indicators.job import run_indicator_job
        from barnbokslut.kolada import default_base_url

        try:
            catalogue = load_catalogue(source.catalogue)
        except CatalogueError as exc:
            raise ReportSourceError([str(exc)]) from None
        if source.comparison_kommuner:  # the folder's own list wins over the catalogue's
            catalogue = dataclasses.replace(catalogue, comparison_kommuner=source.comparison_kommuner)
        job = run_indicator_job(
            catalogue, source.year, municipality=source.kommun,
            base_url=base_url or default_base_url(), cache=cache, mode=mode, max_retries=max_retries,
            progress=progress,
        )  # fmt: skip
        analysis = job.analyses[0]
    return FolderReport(build_report(source, analysis), source.warnings, job)


def report_from_folder(
    folder: Path,
    *,
    analysis: Analysis | None = None,
    base_url: str | None = None,
    cache: Any = "default",
    mode: Any = "normal",
) -> Report:
    """``load_report(...).report``: the report alone (tests, benchmarks)."""
    return load_report(folder, analysis=analysis, base_url=base_url, cache=cache, mode=mode).report
