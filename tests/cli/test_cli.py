"""The command line, end to end: the real client against our Kolada server with the example snapshot."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barnbokslut.cli import app
from barnbokslut.indicators.catalogue import load_catalogue
from barnbokslut.koladaserver import KoladaServer
from example_kolada import example_server, unused_kolada_url

runner = CliRunner()


@pytest.fixture(scope="module")
def server() -> Iterator[KoladaServer]:
    with example_server(port=0) as running:
        yield running


def invoke(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=env)


def test_it_prints_the_table_and_the_summary_for_the_example(tmp_path: Path) -> None:
    result = invoke(
        "indikatorer", "--exempeldata", "--kommun", "Söderhamn", "--år", "2025", "--ut", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Barnbokslut 2025: nyckeltal för Söderhamn (Exempeldata)" in out
    assert "Liknande kommuner socioekonomi, Söderhamn, 2024 (G176409)" in out
    assert "nyckeltal har en positiv trend" in out
    # The example mixes Kolada's real values (4 KPIs) with generated ones, and says which is which.
    assert "Källa: Kolada för 4 av 19 nyckeltal; övriga: Exempeldata (genererade värden, inte Koladas)" in out
    assert "Behöriga till yrkesprogram (N15428) " in out and "Ekonomiskt bistånd (U31803)† " in out
    assert (
        "† Exempeldata (genererade värden, inte Koladas); övriga nyckeltal: Koladas verkliga värden." in out
    )
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["indikatorer-2182-soderhamn-2025.csv", "indikatorer-2182-soderhamn-2025.json"]


def test_the_json_output_has_one_object_per_indicator_and_the_summary(
    server: KoladaServer, tmp_path: Path
) -> None:
    result = invoke(
        "indikatorer", "--kommun", "2182", "--år", "2025", "--format", "json",
        "--kolada-url", server.url, "--cache", str(tmp_path / "cache.sqlite3"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    catalogue = load_catalogue()
    assert [i["kpi"] for i in data["nyckeltal"]] == catalogue.kpi_ids
    assert data["kommun"]["id"] == "2182"
    sentence = next(i for i in data["nyckeltal"] if i["kpi"] == "U31803")["mening"]
    assert sentence.startswith("Andelen barn som ingår i familjer med ekonomiskt bistånd är ")
    assert "sammanfattning" in data
    assert data["hämtning"]["källa"] == "Kolada"


def test_municipality_names_are_matched_forgivingly(server: KoladaServer, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache.sqlite3")
    ids = set()
    for name in ("Söderhamn", "söderhamn", "Soderhamns kommun", "2182"):
        result = invoke(
            "indikatorer", "--kommun", name, "--år", "2025", "--format", "json", "--kolada-url", server.url,
            "--cache", cache,
        )  # fmt: skip
        assert result.exit_code == 0, (name, result.output)
        ids.add(json.loads(result.stdout)["kommun"]["id"])
    assert ids == {"2182"}


def test_an_unknown_name_lists_close_matches(server: KoladaServer, tmp_path: Path) -> None:
    result = invoke(
        "indikatorer", "--kommun", "Söderhamm", "--år", "2025", "--kolada-url", server.url,
        "--cache", str(tmp_path / "c.sqlite3"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "Hittar ingen kommun som heter 'Söderhamm'" in result.stderr
    assert "Söderhamn (2182)" in result.stderr


def test_the_kolada_url_comes_from_the_environment(server: KoladaServer, tmp_path: Path) -> None:
    before = len(server.requests)
    result = invoke(
        "indikatorer", "--kommun", "Arboga", "--år", "2025", "--format", "csv",
        "--cache", str(tmp_path / "c.sqlite3"),
        env={"BARNBOKSLUT_KOLADA_URL": server.url},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(server.requests) > before
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter=";"))
    assert {r["kommun"] for r in rows} == {"Arboga"}
    assert len(rows) == len(load_catalogue())


def test_offline_serves_the_cache_and_says_how_old_it_is(server: KoladaServer, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache.sqlite3")
    first = invoke(
        "indikatorer", "--kommun", "2182", "--år", "2025", "--kolada-url", server.url, "--cache", cache
    )
    assert first.exit_code == 0, first.output
    before = len(server.requests)
    offline = invoke(
        "indikatorer", "--kommun", "2182", "--år", "2025", "--kolada-url", server.url, "--cache", cache,
        "--offline", "--format", "json",
    )  # fmt: skip
    assert offline.exit_code == 0, offline.output
    assert len(server.requests) == before  # nothing sent
    assert "Data hämtad " in offline.stderr and "(i dag)" in offline.stderr
    assert "Frågor till Kolada: 0." in offline.stderr
    assert json.loads(offline.stdout)["kommun"]["namn"] == "Söderhamn"


def test_offline_without_a_cache_fails_clearly(tmp_path: Path) -> None:
    result = invoke(
        "indikatorer", "--kommun", "2182", "--år", "2025", "--offline", "--cache", str(tmp_path / "tom.sqlite3"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Kunde inte hämta data från Kolada" in result.stderr


def test_an_unreachable_kolada_fails_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    url = unused_kolada_url()
    result = invoke(
        "indikatorer", "--kommun", "2182", "--år", "2025", "--kolada-url", url, "--cache", str(tmp_path / "c.sqlite3"),
        env={"BARNBOKSLUT_KOLADA_RETRIES": "0"},
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Kunde inte hämta data från Kolada" in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_catalogue_is_reported_with_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "katalog.toml"
    bad.write_text(
        '[[indikator]]\nkpi = "U31803"\ntitel = "T"\nkort_titel = "K"\nsubjekt = "Andelen"\n"område" = "A"\n'
        'riktning = "upp"\nartiklar = [2]\nenhet = "%"\n"kön" = false\n',
        encoding="utf-8",
    )
    result = invoke("katalog", str(bad))
    assert result.exit_code == 2
    assert "katalog.toml, rad 7, fält 'riktning'" in result.stderr


def test_the_catalogue_command_lists_the_default_pack() -> None:
    result = invoke("katalog", "--exempeldata")  # the check against Kolada: the bundled snapshot, no network
    assert result.exit_code == 0
    assert "U31803  Ekonomiskt bistånd (låg är bra)" in result.stdout
    assert f"{len(load_catalogue())} nyckeltal" in result.stdout
    assert f"Alla {len(load_catalogue())} nyckeltal finns i Kolada." in result.stderr


def test_a_kpi_that_kolada_no_longer_has_is_reported_not_dropped_silently(
    server: KoladaServer, tmp_path: Path
) -> None:
    catalogue = tmp_path / "katalog.toml"
    entry = (
        '[[indikator]]\nkpi = "{kpi}"\ntitel = "T"\nkort_titel = "{short}"\nsubjekt = "Andelen barn"\n'
        '"område" = "A"\nriktning = "låg"\nartiklar = [2]\nenhet = "%"\n"kön" = false\n\n'
    )
    catalogue.write_text(
        entry.format(kpi="U31803", short="Bistånd") + entry.format(kpi="N99999", short="Borta"),
        encoding="utf-8",
    )
    result = invoke(
        "indikatorer", "--kommun", "2182", "--år", "2025", "--katalog", str(catalogue), "--format", "json",
        "--kolada-url", server.url, "--cache", str(tmp_path / "c.sqlite3"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Varning: Nyckeltalet N99999 (Borta, katalogen rad 12) finns inte längre i Kolada" in result.stderr
    data = json.loads(result.stdout)
    assert data["hämtning"]["varningar"] == [
        "Nyckeltalet N99999 (Borta, katalogen rad 12) finns inte längre i Kolada; byt id i katalogen."
    ]
    missing = next(i for i in data["nyckeltal"] if i["kpi"] == "N99999")
    assert missing["senaste"] is None
