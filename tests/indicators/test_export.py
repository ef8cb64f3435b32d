"""The documented JSON shape (docs/json-format.md) and the flat CSV rows: every key for every indicator, a
lossless round trip through json.dumps, and missing values as null/"..", never 0."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from analysis_cast import COUNT, HIGH, LOW, NEUTRAL, PEER_GROUP, SODERHAMN, catalogue_of, make_dataset

from barnbokslut.indicators.analysis import analyse
from barnbokslut.indicators.export import ROW_FIELDS, analysis_to_dict, analysis_to_rows, result_to_dict
from barnbokslut.indicators.results import Analysis
from example_kolada import example_server

SOD = SODERHAMN.id
GROUP = PEER_GROUP.id

TOP_KEYS = {
    "format",
    "version",
    "kommun",
    "år",
    "liknande_kommuner",
    "jämförelsekommuner",
    "exempeldata",
    "nyckeltal_med_exempeldata",
    "källa",
    "hämtad",
    "nyckeltal",
    "sammanfattning",
}
INDICATOR_KEYS = {
    "kpi",
    "titel",
    "kort_titel",
    "kolada_titel",
    "subjekt",
    "område",
    "artiklar",
    "riktning",
    "enhet",
    "senaste",
    "föregående",
    "status",
    "orsak",
    "saknas_för",
    "förändring",
    "förändring_text",
    "rörelse",
    "trend",
    "jämförelsegrupp",
    "liknande_kommuner",
    "jämförelsekommuner",
    "nationellt",
    "placering",
    "kön",
    "historik",
    "enheter",
    "mening",
    "källa",
}
MEASUREMENT_KEYS = {"period", "värde", "text", "exempeldata", "källtyp"}
COMPARISON_KEYS = {
    "omfattning",
    "id",
    "namn",
    "period",
    "värde",
    "text",
    "beräknat",
    "källtyp",
    "antal_kommuner",
    "jämförelse",
    "bedömning",
    "beskrivning",
}
RANK_KEYS = {"period", "plats", "av", "delad", "färg", "ord", "beskrivning", "källtyp"}
GENDER_KEYS = {
    "period",
    "flickor",
    "pojkar",
    "flickor_text",
    "pojkar_text",
    "skillnad",
    "jämförelse",
    "beskrivning",
    "källtyp",
    "orsak",
}
HISTORY_KEYS = {
    "period",
    "värde",
    "liknande_kommuner",
    "liknande_kommuner_beräknat",
    "nationellt",
    "nationellt_beräknat",
    "nationellt_antal_kommuner",
    "orsak",
}
SOURCE_KEYS = {
    "text", "källa", "kpi", "kolada_titel", "period", "hämtad", "exempeldata", "källtyp", "egen_bearbetning",
}  # fmt: skip
SUMMARY_KEYS = {"år", "aktuellt", "tidigare", "meningar", "text"}
COUNT_KEYS = {
    "år",
    "bedömda_trender",
    "positiva",
    "negativa",
    "oförändrade",
    "ej_bedömda",
    "okända",
    "jämförda_med_liknande",
    "bättre",
    "sämre",
    "lika",
}


def small_analysis(*, example: bool = False) -> Analysis:
    values = {
        # LOW: 15.1 → 14.7, Kolada's group row 12.0, Riket 13.0.
        LOW.kpi: {SOD: {2021: 15.1, 2022: 14.7}, GROUP: {2022: 12.0}, "0000": {2022: 13.0}},
        # HIGH: no group row, members 70.0 and 80.0 → computed 75.0 of 2; girls and boys.
        HIGH.kpi: {
            SOD: {2021: 78.0, 2022: 76.7},
            "2183": {2022: 70.0},
            "2184": {2022: 80.0},
            (SOD, "K"): {2022: 80.1},
            (SOD, "M"): {2022: 75.9},
        },
        # NEUTRAL: nothing but a missing row.
        NEUTRAL.kpi: {SOD: {2022: None}},
        # COUNT: no data at all.
    }
    dataset = make_dataset(values, example=example)
    return analyse(dataset, catalogue_of(LOW, HIGH, NEUTRAL, COUNT), SODERHAMN, 2022)


def check_shape(document: dict[str, Any]) -> None:
    assert set(document) == TOP_KEYS
    for entry in document["nyckeltal"]:
        assert set(entry) == INDICATOR_KEYS, entry["kpi"]
        for key in ("senaste", "föregående"):
            assert entry[key] is None or set(entry[key]) == MEASUREMENT_KEYS
        assert set(entry["liknande_kommuner"]) == COMPARISON_KEYS
        assert set(entry["nationellt"]) == COMPARISON_KEYS
        assert set(entry["placering"]) == RANK_KEYS
        assert entry["kön"] is None or set(entry["kön"]) == GENDER_KEYS
        assert all(set(point) == HISTORY_KEYS for point in entry["historik"])
        assert set(entry["källa"]) == SOURCE_KEYS
        assert isinstance(entry["mening"], str) and entry["mening"]
    summary = document["sammanfattning"]
    assert set(summary) == SUMMARY_KEYS
    assert set(summary["aktuellt"]) == COUNT_KEYS
    for earlier in summary["tidigare"]:
        assert set(earlier) == COUNT_KEYS | {"trend_jämfört", "liknande_jämfört"}


def test_the_json_round_trips_and_has_every_key_for_every_indicator() -> None:
    document = analysis_to_dict(small_analysis())
    text = json.dumps(document, ensure_ascii=False)
    assert json.loads(text) == document
    check_shape(document)
    assert [entry["kpi"] for entry in document["nyckeltal"]] == ["U31803", "N15428", "N15901", "U09800"]


def test_the_json_values_of_one_indicator() -> None:
    document = analysis_to_dict(small_analysis())
    low, high, neutral, count = document["nyckeltal"]
    assert low["senaste"] == {
        "period": 2022, "värde": 14.7, "text": "14,7\u00a0%", "exempeldata": False, "källtyp": "kolada",
    }  # fmt: skip
    assert (low["förändring"], low["rörelse"], low["trend"]) == (-0.4, "minskat", "positiv")  # 14.7 − 15.1
    assert low["liknande_kommuner"] == {
        "omfattning": "liknande kommuner",
        "id": GROUP,
        "namn": PEER_GROUP.title,
        "period": 2022,
        "värde": 12.0,
        "text": "12,0\u00a0%",
        "beräknat": False,
        "källtyp": "kolada",  # Kolada's own group row
        "antal_kommuner": None,
        "jämförelse": "högre",
        "bedömning": "sämre",
        "beskrivning": "Liknande kommuner år 2022: 12,0. Siffran i Söderhamn är högre, vilket är sämre.",
    }
    assert (low["nationellt"]["omfattning"], low["nationellt"]["värde"]) == ("riket", 13.0)
    assert low["kön"] is None
    assert (low["källa"]["källa"], low["källa"]["källtyp"]) == ("Kolada", "kolada")
    # Kolada's terms: what we computed is our own processing, never "Källa: Kolada".
    assert low["källa"]["egen_bearbetning"] == ["förändringen", "placeringen"]
    assert low["placering"]["källtyp"] == "egen bearbetning"
    # (70.0 + 80.0) / 2 = 75.0, computed from 2 members; 80.1 − 75.9 = 4.2 for girls.
    peer = high["liknande_kommuner"]
    assert (peer["värde"], peer["beräknat"], peer["antal_kommuner"]) == (75.0, True, 2)
    assert peer["källtyp"] == "egen bearbetning"
    assert (high["kön"]["skillnad"], high["kön"]["jämförelse"]) == (4.2, "högre")
    assert high["kön"]["källtyp"] == "egen bearbetning"
    assert "medelvärdet för liknande kommuner" in high["källa"]["egen_bearbetning"]
    # Missing is null, never 0.
    assert neutral["senaste"] is None and neutral["status"] == "Missing"
    assert neutral["orsak"] == "uppgiften saknas i Kolada"
    assert count["senaste"] is None and count["placering"]["plats"] is None
    assert document["kommun"] == {"id": SOD, "namn": "Söderhamn"}
    assert document["liknande_kommuner"]["medlemmar"][0] == {"id": "2183", "namn": "Bollnäs"}


def test_example_data_is_marked_in_the_json() -> None:
    document = analysis_to_dict(small_analysis(example=True))
    generated = "Exempeldata (genererade värden, inte Koladas)"
    assert (document["exempeldata"], document["källa"]) == (True, generated)
    assert document["nyckeltal"][0]["källa"]["källa"] == generated
    assert document["nyckeltal"][0]["källa"]["källtyp"] == "exempeldata"
    assert document["nyckeltal"][0]["placering"]["källtyp"] == "exempeldata"
    assert document["nyckeltal"][0]["källa"]["egen_bearbetning"] == []


def test_result_to_dict_is_the_entry_in_the_analysis() -> None:
    analysis = small_analysis()
    assert result_to_dict(analysis.results[1]) == analysis_to_dict(analysis)["nyckeltal"][1]


def test_the_csv_rows_have_the_documented_columns_and_swedish_cells() -> None:
    rows = analysis_to_rows(small_analysis())
    assert [list(row) for row in rows] == [list(ROW_FIELDS)] * 4
    low, high, neutral, _ = rows
    assert (low["värde"], low["förändring"], low["liknande_kommuner"]) == ("14,7", "-0,4", "12,0")
    assert (high["liknande_kommuner_beräknat"], high["liknande_kommuner_antal"]) == ("ja", 2)
    assert (neutral["värde"], neutral["plats"]) == ("..", "..")  # missing, never 0
    raw = analysis_to_rows(small_analysis(), formatted=False)
    assert (raw[0]["värde"], raw[2]["värde"], raw[1]["liknande_kommuner_beräknat"]) == (14.7, None, True)


EXAMPLE_SNAPSHOT = Path(__file__).resolve().parents[2] / "data" / "example" / "kolada"


@pytest.mark.skipif(not EXAMPLE_SNAPSHOT.is_dir(), reason="the example snapshot is not there")
def test_the_default_catalogue_on_the_example_snapshot_gives_the_documented_json() -> None:
    from barnbokslut.indicators.catalogue import load_catalogue
    from barnbokslut.indicators.dataset import fetch_dataset
    from barnbokslut.kolada import KoladaClient

    catalogue = load_catalogue()
    with (
        example_server(port=0) as server,
        KoladaClient(base_url=server.url, cache=None) as client,
    ):
        dataset, municipality = fetch_dataset(client, catalogue, 2025, municipality="Söderhamn")
    assert municipality is not None
    document = analysis_to_dict(analyse(dataset, catalogue, municipality, 2025))
    assert json.loads(json.dumps(document, ensure_ascii=False)) == document
    check_shape(document)
    assert len(document["nyckeltal"]) == len(catalogue)
    assert document["exempeldata"] is True
    for entry in document["nyckeltal"]:
        assert not re.search(r"\d\.\d", entry["mening"])  # Swedish decimal commas only
