"""The indicator catalogue: the shipped pack loads, and every wrong entry is named with file, line and field."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from barnbokslut.indicators.catalogue import CatalogueError, Direction, load_catalogue
from barnbokslut.kolada import KPI

ENTRY = """
[[indikator]]
kpi = "{kpi}"
titel = "Barn i familjer med ekonomiskt bistånd, andel (%)"
kort_titel = "Ekonomiskt bistånd"
subjekt = "Andelen barn som ingår i familjer med ekonomiskt bistånd"
"område" = "Ekonomisk utsatthet"
riktning = "{direction}"
artiklar = [2, 6]
enhet = "%"
"kön" = {gender}
"""


def write(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "katalog.toml"
    path.write_text("# min katalog\n" + "".join(entries), encoding="utf-8")
    return path


def test_the_default_pack_loads_with_the_seed_and_skr_indicators() -> None:
    catalogue = load_catalogue()
    ids = set(catalogue.kpi_ids)
    # The Söderhamn 2022 report's indicators and SKR's "Nyckeltal för barn och unga" (shared/kolada/README.md).
    assert {
        "U31803",
        "N02903",
        "N11801",
        "N11811",
        "N15428",
        "N15508",
        "N17457",
        "N15613",
        "N09890",
        "N09811",
        "U09800",
    } <= ids
    assert {"N66077", "N02901", "N02902", "U00915", "N11800", "N15643", "N15901"} <= ids
    assert "N02904" not in ids  # retired in Kolada
    assert len(ids) <= 25  # one path segment per data request
    assert catalogue.areas == ["Ekonomisk utsatthet", "Förskola", "Skola", "Trygghet", "Fritid och kultur"]
    assert catalogue.by_kpi("U31803").direction is Direction.LOW
    assert catalogue.by_kpi("N15428").by_gender is True


def test_the_default_pack_agrees_with_koladas_metadata() -> None:
    # The shipped example snapshot holds Kolada's real, full KPI catalogue (data/README.md).
    snapshot = Path(__file__).resolve().parents[2] / "data" / "example" / "kolada" / "kpi.json.gz"
    raw = json.loads(gzip.decompress(snapshot.read_bytes()))
    known = {k["id"]: KPI.from_api(k) for k in raw["values"]}
    catalogue = load_catalogue(known_kpis=known)
    split = {i.kpi for i in catalogue if i.by_gender}
    # Every split the pack asks for exists in Kolada; N02902 is split in Kolada but SKR's set uses the total.
    assert split <= {kpi for kpi, meta in known.items() if meta.is_divided_by_gender}
    assert {i.kpi for i in catalogue if not i.by_gender and known[i.kpi].is_divided_by_gender} == {"N02902"}


def test_it_reports_a_bad_direction_with_file_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, ENTRY.format(kpi="U31803", direction="high", gender="false"))
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    message = str(caught.value)
    # Line 1 is the comment, line 2 blank, line 3 the header; riktning is the 7th line of the entry.
    assert "katalog.toml, rad 9, fält 'riktning'" in message
    assert "'high' är ogiltig" in message


def test_it_reports_an_unknown_kpi_id_against_koladas_catalogue(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        ENTRY.format(kpi="U31803", direction="låg", gender="false"),
        ENTRY.format(kpi="N99999", direction="låg", gender="false"),
    )
    known = {
        "U31803": KPI(id="U31803", title="Barn i befolkningen som ingår i familjer med ekonomiskt bistånd")
    }
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path, known_kpis=known)
    assert caught.value.problems == [
        "katalog.toml, rad 15, fält 'kpi': nyckeltalet N99999 finns inte i Kolada"
    ]


def test_it_reports_a_malformed_id_a_retired_kpi_and_a_wrong_gender_flag(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        ENTRY.format(kpi="15428", direction="hög", gender="false"),
        ENTRY.format(kpi="N02904", direction="låg", gender="true"),
    )
    known = {"N02904": KPI(id="N02904", title="Invånare 0-19 år i ekonomiskt utsatta hushåll (-2019)")}
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path, known_kpis=known)
    problems = caught.value.problems
    assert len(problems) == 3
    assert problems[0].startswith("katalog.toml, rad 4, fält 'kpi': '15428' är inget Kolada-id")
    assert (
        problems[1] == "katalog.toml, rad 15, fält 'kpi': nyckeltalet N02904 har upphört i Kolada "
        "(Invånare 0-19 år i ekonomiskt utsatta hushåll (-2019))"
    )
    assert (
        problems[2]
        == "katalog.toml, rad 23, fält 'kön': Kolada redovisar inte N02904 per kön; sätt kön = false"
    )


def test_it_reports_missing_and_unknown_fields_and_duplicates(tmp_path: Path) -> None:
    good = ENTRY.format(kpi="U31803", direction="låg", gender="false")
    missing = good.replace('enhet = "%"\n', "").replace("kpi = ", "kpi_id = ")
    path = write(tmp_path, good, good, missing)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    problems = caught.value.problems
    assert "katalog.toml, rad 14 (indikator nr 2): kpi 'U31803' finns redan på rad 3" in problems
    assert "katalog.toml, rad 25 (indikator nr 3): fältet 'kpi' saknas" in problems
    assert "katalog.toml, rad 25 (indikator nr 3): fältet 'enhet' saknas" in problems
    assert any(p.startswith("katalog.toml, rad 26, fält 'kpi_id': okänt fält") for p in problems)


def test_it_reports_broken_toml_and_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "trasig.toml"
    path.write_text('[[indikator]]\nkpi = "U31803\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="ogiltig TOML"):
        load_catalogue(path)
    with pytest.raises(CatalogueError, match="finns inte"):
        load_catalogue(tmp_path / "saknas.toml")


def test_it_refuses_a_non_boolean_every_other_year_a_bad_predecessor_and_an_unknown_peer_area(
    tmp_path: Path,
) -> None:
    good = ENTRY.format(kpi="U31803", direction="låg", gender="false")
    path = write(
        tmp_path,
        good + '"vartannat_år" = "ja"\n',
        good.replace("U31803", "N15428") + '"ersätter" = "gamla"\n',
        good.replace("U31803", "N09890") + '"ersätter" = "N09890"\n',
        good.replace("U31803", "N09811") + '"jämförelsegrupp" = "fotboll"\n',
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    problems = caught.value.problems
    # Each entry is 11 lines long (a blank line, the header, nine fields) plus the one extra field line; the first
    # starts on line 3 after the comment and a blank line, so the extra fields sit on lines 13, 25, 37 and 49.
    assert problems[0] == "katalog.toml, rad 13, fält 'vartannat_år': ska vara true eller false"
    assert (
        problems[1] == "katalog.toml, rad 25, fält 'ersätter': 'gamla' är inget Kolada-id (t.ex. \"N02904\")"
    )
    assert problems[2] == "katalog.toml, rad 37, fält 'ersätter': ett nyckeltal kan inte ersätta sig självt"
    assert problems[3].startswith("katalog.toml, rad 49, fält 'jämförelsegrupp': 'fotboll' är inget av RKA:s")
    assert len(problems) == 4
