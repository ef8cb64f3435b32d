"""The example organisation's content for ``load_example``: units, users, texts, tables (all made up).

Söderhamns kommun (Kolada 2182) with a unit tree like the Göteborg seed, one user per role, and short texts
per section kind. The leading underscore keeps Django from listing this module as a command.
"""

from __future__ import annotations

from dataclasses import dataclass

from barnbokslut.web.accounts.models import Role

ORGANISATION = {"name": "Söderhamns kommun", "slug": "soderhamn", "kommun": "2182"}

#: (abbreviation, name, parent abbreviation or None), in display order.
UNITS: tuple[tuple[str, str, str | None], ...] = (
    ("SOC", "Socialförvaltningen", None),
    ("SVF", "Stöd, vård och familj", "SOC"),
    ("FIP", "Förebyggande insatser och prevention", "SOC"),
    ("FOR", "Försörjningsstöd", "SOC"),
    ("BOU", "Barn och unga", "SOC"),
    ("V", "Vuxna", "SOC"),
    ("F", "Funktionsstöd", "SOC"),
    ("BOL", "Barn och lärande", None),
    ("KOF", "Kultur och fritid", None),
)


@dataclass(frozen=True)
class ExampleUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    units: tuple[str, ...] = ()


USERS: tuple[ExampleUser, ...] = (
    ExampleUser("admin", "Alva", "Andersson", Role.ADMIN),
    ExampleUser("samordnare", "Sara", "Sundin", Role.COORDINATOR),
    ExampleUser("skribent", "Siri", "Sjöberg", Role.WRITER, ("BOU", "BOL")),
    ExampleUser("skribent2", "Sven", "Strand", Role.WRITER, ("SVF", "KOF")),
    ExampleUser("granskare", "Greta", "Gran", Role.REVIEWER),
    ExampleUser("lasare", "Lars", "Lind", Role.READER),
)

USERS_FILE = "exempel-anvandare.txt"

#: The register of barnkonsekvensanalyser: the example folder's file, its unit abbreviations mapped to ours.
BKA_FILE = "data/barnkonsekvensanalyser.csv"
BKA_UNITS = {"KFI": "KOF"}

FREE_TEXTS = {
    "inledning": (
        "Barnbokslutet visar hur barn och unga i Söderhamn har det och hur kommunen arbetar med "
        "barnets rättigheter enligt barnkonventionen."
    ),
    "upplagg": "Först kommer nuläget utifrån de fyra grundprinciperna, sedan varje verksamhets egen redovisning.",
    "underlag": "Underlaget är nyckeltal från Kolada, kommunens egna siffror och verksamheternas beskrivningar.",
    "sammanfattning": (
        "De flesta barn i Söderhamn mår bra och trivs i skolan, men frånvaron har ökat och skillnaderna "
        "mellan grupper är fortfarande stora."
    ),
    "slutsatser": "Kommunen behöver arbeta mer med **tidiga insatser** och med att låta barn komma till tals.",
}

#: The Nulägesanalys of the kommun as a whole (the sections without a unit), before the units' own.
OVERALL_TEXTS = {
    "forutsattningar": (
        "Kommunen har en samordnare för barnrättsfrågor och en gemensam rutin för barnkonsekvensanalyser."
    ),
    "styrkor": "## Artikel 12\n\nBarn och unga får komma till tals genom ungdomsrådet och elevråden.",
    "utmaningar": "## Artikel 2\n\nSkillnaderna mellan skolorna är fortfarande stora.",
}

UNIT_TEXTS = {
    "forutsattningar": "{name} har under {year} haft stabil bemanning och ny rutin för barnkonsekvensanalyser.",
    "styrkor": "En styrka i {name} är samarbetet med skolan och att barn får komma till tals i planeringen.",
    "utmaningar": "En utmaning för {name} är att nå de barn som inte själva söker stöd.",
}

#: Last year's development areas: (area, units, measures, expected results, articles, KPIs).
DEVELOPMENT_AREAS: tuple[tuple[str, tuple[str, ...], str, str, list[int], list[str]], ...] = (
    (
        "Skolan som arena",
        ("SVF", "BOL"),
        "Tydligare vuxennärvaro på eftermiddagarna och samarbete med fritidsgårdarna.",
        "Fler elever känner sig trygga i skolan.",
        [3, 6],
        ["N15428"],
    ),
    (
        "Barns delaktighet",
        ("SVF", "KOF"),
        "Utveckla delaktigheten i fritidsverksamheten och inför metoder för samtal med barn i utredningar.",
        "Barns synpunkter syns i besluten.",
        [12],
        [],
    ),
    (
        "Kompetens i barnrätt",
        ("BOL",),
        "Utbildning i barnkonsekvensanalys för alla chefer.",
        "Alla chefer har gått utbildningen.",
        [3],
        [],
    ),
)

#: This year's new development areas (the open edition).
NEW_DEVELOPMENT_AREAS = (
    (
        "Frånvaro i grundskolan",
        ("BOL", "SVF"),
        "Gemensam modell för tidiga insatser när frånvaron ökar.",
        "Färre elever med hög frånvaro i årskurs 7–9.",
        [6],
        ["N15428"],
    ),
)

INDICATOR_COMMENTS = {
    "U31803": "Andelen har legat på ungefär samma nivå i flera år. Arbetet med familjecentralen fortsätter.",
    "N15428": "Skolorna har under året infört gemensamma rutiner för tidig uppföljning av frånvaro.",
}

LOCAL_TABLE = {
    "file": "gymnasiebehorighet-skola.csv",
    "title": "Gymnasiebehörighet per skola, årskurs 9",
    "unit": "%",
    "description": "Andelen elever i årskurs 9 som är behöriga till ett yrkesprogram, per skola och år.",
}

RETURN_COMMENT = "Beskriv också hur barnen själva har fått säga sitt, och lägg till en siffra för året."
