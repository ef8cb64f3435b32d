"""The analysis on Kolada's real values (data/example/kolada, from /work/shared/kolada/real), through the real
client and our Kolada server on loopback: hand-computed cases on real rows, Kolada's states in words, and the
labels KPI by KPI (a real series is Kolada's, a generated one Exempeldata, what we compute is our own
processing).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from barnbokslut.indicators.catalogue import CatalogueError, load_catalogue
from barnbokslut.indicators.dataset import UnknownMunicipalityError
from barnbokslut.indicators.export import analysis_to_dict
from barnbokslut.indicators.job import JobResult, run_indicator_job
from barnbokslut.indicators.results import Analysis, Scope
from barnbokslut.koladaserver import KoladaServer
from barnbokslut.report.folder import load_report
from example_kolada import example_server


@pytest.fixture(scope="module")
def server() -> Iterator[KoladaServer]:
    with example_server(port=0) as running:
        yield running


def analysis_of(server: KoladaServer, kommun: str, year: int) -> Analysis:
    job: JobResult = run_indicator_job(
        load_catalogue(), year, municipality=kommun, base_url=server.url, cache=None
    )
    return job.analyses[0]


@pytest.fixture(scope="module")
def soderhamn(server: KoladaServer) -> Analysis:
    return analysis_of(server, "2182", 2025)


def test_the_peer_group_mean_is_computed_from_the_real_members_and_called_own_processing(
    soderhamn: Analysis,
) -> None:
    result = soderhamn.by_kpi("N15428")
    assert result.latest is not None and (result.latest.period, round(result.latest.value, 6)) == (
        2024,
        74.113475,
    )
    # G176409's seven members in 2024 (the real rows): 81.111111 + 77.34375 + 81.355932 + 81.818181
    # + 75.141242 + 75.510204 + 78.014184 = 550.294604; / 7 = 78.613515.
    peer = result.peer
    assert (peer.area, peer.count, peer.computed) == ("G176409", 7, True)
    assert peer.value == pytest.approx(78.613515, abs=1e-6)
    assert peer.source_kind.value == "egen bearbetning"
    assert "Liknande kommuner år 2024: 78,6 (beräknat medelvärde av 7 kommuner)." in result.texts.peer
    # No Riket row in the real dump: the mean of all kommuner, said so.
    assert (result.national.scope, result.national.computed) == (Scope.ALL_KOMMUNER, True)
    assert "Kolada har ingen siffra för riket" in result.texts.national
    # Girls 79.527559 → 79,5, boys 69.677419 → 69,7: 9,8 percentage points.
    assert result.gender is not None and result.gender.gap == pytest.approx(9.8)


def test_a_real_series_is_koladas_and_what_we_computed_is_own_processing(soderhamn: Analysis) -> None:
    real = soderhamn.by_kpi("N15428")
    assert real.provenance.source == "Källa: Kolada" and not real.provenance.is_example
    assert real.texts.source.startswith("Källa: Kolada, nyckeltal N15428 ")
    assert real.texts.source.endswith(
        "Egen bearbetning av data från Kolada: förändringen, placeringen, medelvärdet för liknande kommuner, "
        "medelvärdet för alla kommuner och skillnaden mellan flickor och pojkar."
    )
    generated = soderhamn.by_kpi("U31803")
    assert generated.provenance.is_example
    assert generated.texts.source.startswith(
        "Exempeldata (genererade värden, inte Koladas), nyckeltal U31803"
    )
    assert "Kolada," not in generated.texts.source and "Egen bearbetning" not in generated.texts.source
    # The seed's figure: N15428 2022 = 76,7 for Söderhamn, in the history.
    point = next(p for p in real.history if p.period == 2022)
    assert point.value is not None and round(point.value, 1) == 76.7


def test_the_json_says_the_source_kind_of_every_figure(soderhamn: Analysis) -> None:
    document = analysis_to_dict(soderhamn)
    assert document["nyckeltal_med_exempeldata"] == 15
    by_kpi = {entry["kpi"]: entry for entry in document["nyckeltal"]}
    real = by_kpi["N15428"]
    assert (real["senaste"]["källtyp"], real["källa"]["källtyp"]) == ("kolada", "kolada")
    assert real["liknande_kommuner"]["källtyp"] == "egen bearbetning"
    assert real["nationellt"]["källtyp"] == "egen bearbetning"
    assert (real["placering"]["källtyp"], real["kön"]["källtyp"]) == ("egen bearbetning", "egen bearbetning")
    generated = by_kpi["U31803"]
    kinds = {
        generated["senaste"]["källtyp"],
        generated["placering"]["källtyp"],
        generated["källa"]["källtyp"],
    }
    assert kinds == {"exempeldata"}
    # Nothing generated is labelled Kolada's; nothing Kolada returned is labelled generated.
    for kpi, entry in by_kpi.items():
        assert entry["källa"]["exempeldata"] is (kpi not in {"N15428", "N09890", "N09811", "U09800"}), kpi


def test_a_protected_value_is_said_in_words_never_shown_as_zero(server: KoladaServer) -> None:
    # Österåker (0117), N09890: 2021 = 21.448339, 2022 Missing, 2023 Privacy (the real rows).
    result = analysis_of(server, "0117", 2023).by_kpi("N09890")
    assert result.latest is not None and (result.latest.period, round(result.latest.value, 1)) == (2021, 21.4)
    assert (result.missing_period, result.status) == (2023, "Privacy")
    assert result.reason == "uppgiften är skyddad av sekretesskäl"
    assert (
        "Siffran för Österåker saknas för 2023 (uppgiften är skyddad av sekretesskäl); den senaste siffran är från "
        "2021." in result.sentence
    )
    point = next(p for p in result.history if p.period == 2022)
    assert (point.value, point.reason) == (None, "uppgiften saknas i Kolada")


def test_a_missing_year_between_values_is_explained_in_the_history(server: KoladaServer) -> None:
    # Upplands Väsby (0114), N09890: 2021 = 15.523933, 2022 Missing, 2023 = 15.975422.
    result = analysis_of(server, "0114", 2023).by_kpi("N09890")
    assert result.latest is not None and result.latest.period == 2023 and result.missing_period is None
    assert result.previous is not None and result.previous.period == 2021  # the previous measurement
    assert [(p.period, p.value is None, p.reason) for p in result.history if p.period >= 2021] == [
        (2021, False, ""),
        (2022, True, "uppgiften saknas i Kolada"),
        (2023, False, ""),
    ]


def test_not_applicable_without_any_value_is_said_in_words(server: KoladaServer) -> None:
    # 1764 (Grums), N09890: Missing 2018–2020, Not applicable 2021–2022: no value up to 2022.
    analysis = analysis_of(server, "1764", 2022)
    result = analysis.by_kpi("N09890")
    name = analysis.municipality.title
    assert result.latest is None and result.status == "Not applicable"
    assert result.sentence.startswith(
        f"Det finns ingen siffra för {name} till och med 2022 (uppgiften är inte tillämplig)."
    )
    assert result.rank.position is None and all(p.value is None for p in result.history if p.period >= 2018)


def _catalogue_with(tmp_path: Path, top: str, extra: str) -> Path:
    """The default pack's N15428 entry alone, with ``extra`` lines added and ``top`` before the entries."""
    default = (Path(__file__).parents[2] / "src" / "barnbokslut" / "indicators" / "default.toml").read_text(
        "utf-8"
    )
    block = next(b for b in default.split("[[indikator]]") if 'kpi = "N15428"' in b)
    path = tmp_path / "katalog.toml"
    path.write_text(f"{top}\n[[indikator]]{block.rstrip()}\n{extra}\n", encoding="utf-8")
    return path


def test_an_area_group_and_an_own_comparison_list_are_used_and_named(
    server: KoladaServer, tmp_path: Path
) -> None:
    path = _catalogue_with(
        tmp_path, '"jämförelsekommuner" = ["Bollnäs", "2184"]', '"jämförelsegrupp" = "grundskola"'
    )
    job = run_indicator_job(load_catalogue(path), 2025, municipality="2182", base_url=server.url, cache=None)
    analysis = job.analyses[0]
    result = analysis.by_kpi("N15428")
    # "Liknande kommuner grundskola, Söderhamn, 2024" (G36079), found by title; its 2024 members (real rows):
    # 74.461538 + 84.911242 + 79.752066 + 83.829787 + 80.54054 + 79.801324 + 76.470588 = 559.767085; / 7.
    assert (result.peer.area, result.peer.count) == ("G36079", 7)
    assert result.peer.value == pytest.approx(559.767085 / 7, abs=1e-6)
    assert result.texts.peer.startswith(
        "Liknande kommuner (grundskola) år 2024: 80,0 (beräknat medelvärde av 7"
    )
    assert "lägre än i liknande kommuner (grundskola)." in result.sentence
    # Own list: Bollnäs 78.014184 and Hudiksvall 83.777239 → 80.8957115; Söderhamn 74,1 is lower: worse.
    own = result.own
    assert own is not None and own.value == pytest.approx(80.8957115, abs=1e-6) and own.count == 2
    assert own.source_kind.value == "egen bearbetning"
    assert result.texts.own == (
        "Jämförelsekommunerna (Bollnäs och Hudiksvall) år 2024: 80,9 (beräknat medelvärde av 2 kommuner). "
        "Siffran i Söderhamn är lägre, vilket är sämre."
    )
    summary = analysis.summary.text
    assert "som jämförs med liknande kommuner (RKA:s grupp för grundskola) har Söderhamn" in summary
    assert (
        "Jämfört med jämförelsekommunerna (Bollnäs och Hudiksvall) har Söderhamn ett bättre utfall i 0 av 1"
        in summary
    )
    document = analysis_to_dict(analysis)
    assert document["jämförelsekommuner"] == [
        {"id": "2183", "namn": "Bollnäs"},
        {"id": "2184", "namn": "Hudiksvall"},
    ]
    entry = document["nyckeltal"][0]
    assert (entry["jämförelsegrupp"], entry["jämförelsekommuner"]["värde"]) == ("grundskola", own.value)
    # KPI metadata, municipalities, the socioekonomi groups, the grundskola groups (the one request the area
    # adds), the history of the kommun, both groups' members and the own list in one query, and all kommuner at
    # the ranking period (one page for one KPI).
    assert job.requests == 6


def test_an_unknown_area_or_comparison_kommun_is_named_with_its_line(
    server: KoladaServer, tmp_path: Path
) -> None:
    path = _catalogue_with(tmp_path, "", '"jämförelsegrupp" = "skola"')
    with pytest.raises(
        CatalogueError, match=r"rad \d+, fält 'jämförelsegrupp': 'skola' är inget av RKA:s områden"
    ):
        load_catalogue(path)
    path = _catalogue_with(tmp_path, '"jämförelsekommuner" = ["Bolnäs"]', "")
    with pytest.raises(UnknownMunicipalityError, match=r"'Bolnäs' bland jämförelsekommunerna\. Menade du"):
        run_indicator_job(load_catalogue(path), 2025, municipality="2182", base_url=server.url, cache=None)


def test_a_report_folder_names_its_own_comparison_kommuner(server: KoladaServer, tmp_path: Path) -> None:
    folder = tmp_path / "mapp"
    shutil.copytree(Path(__file__).parents[2] / "examples" / "barnbokslut-exempel", folder)
    settings = folder / "barnbokslut.toml"
    text = settings.read_text("utf-8").replace(
        '"år" = 2025', '"år" = 2025\n"jämförelsekommuner" = ["Bollnäs", "Hudiksvall"]'
    )
    settings.write_text(text, encoding="utf-8")
    report = load_report(folder, base_url=server.url, cache=None).report
    assert report.figures is not None
    section = next(i for area in report.figures.areas for i in area.indicators if i.kpi == "N15428")
    # Bollnäs 78.014184 and Hudiksvall 83.777239 in 2024: 80,9 (see the test above).
    assert (
        "Jämförelsekommunerna (Bollnäs och Hudiksvall) år 2024: 80,9 (beräknat medelvärde av 2 kommuner)."
        in (" ".join(section.details))
    )
    settings.write_text(text.replace('"Hudiksvall"]', '"Hudiksval"]'), encoding="utf-8")
    with pytest.raises(UnknownMunicipalityError, match=r"'Hudiksval' bland jämförelsekommunerna"):
        load_report(folder, base_url=server.url, cache=None)
