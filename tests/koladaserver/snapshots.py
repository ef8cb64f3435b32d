"""Builders for small snapshot folders in Kolada's JSON format, shared by the koladaserver tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).parent / "samples"

# The Arboga peer group ("Liknande kommuner socioekonomi, Arboga, 2024") as Kolada lists it.
ARBOGA_PEERS = {
    "id": "G176199",
    "title": "Liknande kommuner socioekonomi, Arboga, 2024",
    "members": [
        {"id": "0319", "title": "Älvkarleby"},
        {"id": "0562", "title": "Finspång"},
        {"id": "0687", "title": "Tranås"},
        {"id": "1082", "title": "Karlshamn"},
        {"id": "1083", "title": "Sölvesborg"},
        {"id": "1885", "title": "Lindesberg"},
        {"id": "2084", "title": "Avesta"},
    ],
}

KPIS = [
    {
        "id": "N15428",
        "title": "Elever i åk 9 som är behöriga till yrkesprogram, hemkommun, andel (%)",
        "is_divided_by_gender": True,
        "municipality_type": "K",
        "has_ou_data": True,
    },
    {
        "id": "N17457",
        "title": "Gymnasieelever med examen eller studiebevis inom 4 år, hemkommun, andel (%)",
        "is_divided_by_gender": True,
        "municipality_type": "K",
        "has_ou_data": False,
    },
    {
        "id": "U31803",
        "title": "Barn i familjer med ekonomiskt bistånd, andel (%)",
        "is_divided_by_gender": False,
        "municipality_type": "K",
        "has_ou_data": False,
    },
]

GROUPS = [
    {
        "id": "G1",
        "title": "Liknande kommuner socioekonomi, Söderhamn, 2024",
        "members": [
            {"id": "0428", "title": "Vingåker"},
            {"id": "0763", "title": "Tingsryd"},
            {"id": "1461", "title": "Mellerud"},
        ],
    },
    {
        "id": "G2",
        "title": "Testgrupp med egen rad (ovägt medel)",
        "members": [{"id": "0428", "title": "Vingåker"}, {"id": "0763", "title": "Tingsryd"}],
    },
    ARBOGA_PEERS,
]


def write_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def listing(values: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A document shaped like a Kolada response: {"count", "values"} plus any extra top-level keys."""
    return {"count": len(values), "values": values, **extra}


def row(
    kpi: str, area: str, period: int | str, *, area_key: str = "municipality", **genders: float | None
) -> dict[str, Any]:
    """A data row; `T=70.0, K=None` gives a value for T and a missing (null, "Missing") value for K."""
    values = [
        {"count": 1, "gender": gender, "status": "" if value is not None else "Missing", "value": value}
        for gender, value in genders.items()
    ]
    return {"kpi": kpi, area_key: area, "period": period, "values": values}


def write_data(folder: Path, name: str, rows: list[dict[str, Any]], **extra: Any) -> Path:
    return write_json(folder / name, listing(rows, **extra))
