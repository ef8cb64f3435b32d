"""A small hand-built ``Report`` for the PDF and DOCX tests: every section, a handful of indicators, few pages."""

from __future__ import annotations

from datetime import date

from barnbokslut.report.markdown import to_text
from barnbokslut.report.model import (
    AreaSection,
    ArticleAssessment,
    Cell,
    Chart,
    ChartKind,
    Concept,
    Conclusions,
    Cover,
    CurrentAnalysis,
    Department,
    DevelopmentArea,
    FiguresSection,
    FollowUpAction,
    FollowUpRow,
    IndicatorSection,
    Introduction,
    LocalDataItem,
    OverviewRow,
    Principle,
    PrincipleText,
    Report,
    Series,
    SeriesRole,
    Signal,
    SignalKind,
    SourceEntry,
    Status,
    SummarySection,
    Table,
    Tone,
)
from barnbokslut.report.source import ReportSource, with_structure

SENTENCE = "Andelen elever med behörighet till gymnasiet är högre än i liknande kommuner. Trenden är positiv."
FOLLOW_UP_ACTION = "Införa läxhjälp på alla skolor"
#: A numbered list starting at 3 ("Underlag"), after the list 1–3 of "Upplägg": each keeps its own numbers.
LIST_FROM_THREE = ("Samråd med elevråden", "Uppföljning i nämnden")
#: A numbered list in a table cell (the development area's expected result).
LIST_IN_CELL = ("Färre barn med psykisk ohälsa.", "Fler barn som får hjälp i tid.")
YEARS = ("2020", "2021", "2022", "2023", "2024")

INDICATORS = (
    ("N15428", "Elever i åk 9 behöriga till gymnasiet", "Utbildning", (81.2, 80.4, None, 83.0, 84.1)),
    ("N15419", "Elever i åk 6 med lägst betyget E i matematik", "Utbildning", (88.0, 87.5, 86.0, 89.1, 90.2)),
    ("U33400", "Barn i ekonomiskt utsatta hushåll", "Trygghet och hälsa", (12.1, 11.4, 10.9, 11.2, None)),
    ("N33012", "Invånare 0–17 år med ekonomiskt bistånd", "Trygghet och hälsa", (5.2, 4.9, 4.4, 4.7, 4.5)),
)


def _signal(kind: SignalKind, tone: Tone, symbol: str, label: str) -> Signal:
    return Signal(kind, tone, symbol, label, f"{label} för nyckeltalet.")


def _chart(kpi: str, title: str, values: tuple[float | None, ...]) -> Chart:
    peer = tuple(None if v is None else round(v - 1.3, 1) for v in values)
    nation = tuple(None if v is None else round(v + 0.8, 1) for v in values)
    series = (
        Series("Exempelby", values, SeriesRole.MUNICIPALITY),
        Series("Liknande kommuner", peer, SeriesRole.PEER),
        Series("Riket", nation, SeriesRole.NATIONAL),
    )
    rows = tuple(
        (
            Cell(year),
            *(
                Cell(".." if s.values[i] is None else str(s.values[i]).replace(".", ","), numeric=True)
                for s in series
            ),
        )
        for i, year in enumerate(YEARS)
    )
    table = Table(title, ("År", *(s.label for s in series)), rows)
    return Chart(
        id=f"diagram-{kpi}",
        title=title,
        kind=ChartKind.LINE,
        categories=YEARS,
        series=series,
        unit="%",
        alt=f"Linjediagram: {title} i Exempelby, liknande kommuner och riket 2020–2024.",
        description="Exempelby ligger över liknande kommuner alla år.",
        table=table,
        source=f"{kpi}, Källa: Kolada (Exempeldata)",
    )


def _indicator(kpi: str, title: str, area: str, values: tuple[float | None, ...]) -> IndicatorSection:
    return IndicatorSection(
        kpi=kpi,
        title=title,
        area=area,
        anchor=f"kpi-{kpi.lower()}",
        sentence=SENTENCE
        if kpi == "N15428"
        else f"{title} är lägre än i liknande kommuner. Trenden är negativ.",
        details=("Förändring sedan föregående mätning: +1,1 procentenheter.",),
        chart=_chart(kpi, title, values),
        comment=to_text("Skolan har arbetat med **läsfrämjande** insatser.") if kpi == "N15428" else None,
        source=f"{kpi}, 2024, Källa: Kolada, hämtad 3 mars 2026 (Exempeldata)",
        period=2024,
        fetched_at=date(2026, 3, 3),
        is_example=True,
    )


def small_report() -> Report:
    """Every section present, four indicators in two areas, one local table: a few A4 pages."""
    indicators = [_indicator(*row) for row in INDICATORS]
    areas = tuple(
        AreaSection(area, f"omrade-{n}", tuple(i for i in indicators if i.area == area))
        for n, area in enumerate(("Utbildning", "Trygghet och hälsa"))
    )
    overview = tuple(
        OverviewRow(
            kpi=i.kpi,
            title=i.title,
            area=i.area,
            value="..",
            period="2024",
            trend=_signal(SignalKind.TREND, Tone.GREEN, "▲", "Positiv trend"),
            position=_signal(SignalKind.POSITION, Tone.YELLOW, "●", "Mittenhalvan"),
            gender=_signal(SignalKind.GENDER, Tone.UNKNOWN, "–", "Uppgift saknas"),
            anchor=i.anchor,
        )
        for i in indicators
    )
    local_table = Table(
        "Behörighet till gymnasiet per skola",
        ("Skola", "Andel behöriga"),
        ((Cell("Norrskolan"), Cell("84,0 %", numeric=True)), (Cell("Söderskolan"), Cell("..", numeric=True))),
        source="Egen uppgift, fil data/behorighet.csv",
    )
    principles = (
        Principle(2, "Icke-diskriminering", to_text("Alla barn har lika värde.")),
        Principle(3, "Barnets bästa", to_text("Barnets bästa ska komma i främsta rummet.")),
    )
    texts = {
        "upplagg": to_text("1. Sammanfattning\n2. Nyckeltal\n3. Verksamhetsberättelser"),
        "underlag": to_text(
            "Underlaget är årsredovisningar och *Kolada*.\n\n"
            f"3. {LIST_FROM_THREE[0]}\n4. {LIST_FROM_THREE[1]}"
        ),
    }
    report = Report(
        title="Barnbokslut 2025 – Exempelby kommun",
        language="sv",
        cover=Cover(
            "Exempelby kommun",
            2025,
            "Barnbokslut 2025",
            "Barn- och utbildningsnämnden",
            "Exempelby",
            is_example=True,
        ),
        introduction=Introduction(
            to_text("Barnbokslutet ska ge en bild av hur barnen i kommunen har det."),
            (Concept("Barnperspektiv", to_text("Vuxnas syn på vad som är bäst för barnet.")),),
            principles,
        ),
        parts=(),
        summary=SummarySection(
            ("3 av 4 nyckeltal har en positiv trend.",),
            Table("Antal nyckeltal", ("Signal", "2024"), ((Cell("Positiv trend"), Cell("3", numeric=True)),)),
            to_text("Det går **åt rätt håll** men mycket återstår.\n\n- Skolresultaten\n- Tryggheten"),
        ),
        figures=FiguresSection(
            "Situationen för barn och unga i Exempelby – i siffror",
            to_text("Nedan redovisas nyckeltalen."),
            overview,
            areas,
        ),
        local_data=(
            LocalDataItem(
                "Behörighet per skola",
                "lokal-behorighet",
                None,
                local_table,
                None,
                "Egen uppgift",
                "data/behorighet.csv",
            ),
        ),
        departments=(
            Department(
                "Barn och lärande",
                "BoL",
                "verksamhet-bol",
                None,
                (PrincipleText(12, "Rätt att bli hörd", to_text("Elevråd på alla skolor.")),),
            ),
        ),
        follow_up=(
            FollowUpRow(
                "Skola",
                ("BoL",),
                (FollowUpAction(to_text(FOLLOW_UP_ACTION), None, to_text("Pågår **hösten**.")),),
                Status.STARTED,
            ),
            FollowUpRow("Fritid", ("KoF",), (FollowUpAction(to_text("Fler fritidsgårdar")),), Status.DONE),
        ),
        current_analysis=CurrentAnalysis(
            to_text("Kommunen har goda förutsättningar."),
            (
                ArticleAssessment(
                    6, "Liv och utveckling", to_text("Bra förskola."), to_text("Psykisk ohälsa.")
                ),
            ),
        ),
        development_areas=(
            DevelopmentArea(
                "Psykisk hälsa",
                ("BoL", "SOC"),
                to_text("- Samverkan\n- Tidiga insatser"),
                to_text(f"1. {LIST_IN_CELL[0]}\n2. {LIST_IN_CELL[1]}"),
            ),
        ),
        conclusions=Conclusions(
            to_text("Barnen har det bättre.\n\n> Jag vill bli lyssnad på.\n>\n> — Elev i årskurs 8"),
            to_text("- Fortsätt med läxhjälpen"),
        ),
        sources=(SourceEntry("Kolada", "https://www.kolada.se"), SourceEntry("Årsredovisning 2024")),
        is_example=True,
        generated=date(2026, 3, 3),
    )
    source = ReportSource("Exempelby kommun", "Exempelby", 2025, "Barnbokslut 2025", texts=texts)
    return with_structure(report, source)
