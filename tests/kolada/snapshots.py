"""Snapshot folders in Kolada's own JSON format, for the client tests to serve through our Kolada server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).parent / "samples"

KPIS = [
    {
        "id": "N15428",
        "title": "Elever i åk 9 som är behöriga till yrkesprogram, hemkommun, andel (%)",
        "is_divided_by_gender": True,
        "municipality_type": "K",
        "operating_area": "Grundskola",
        "publ_period": "2024",
        "has_ou_data": True,
    },
    {
        "id": "U31803",
        "title": "Barn i familjer med ekonomiskt bistånd, andel (%)",
        "is_divided_by_gender": False,
        "municipality_type": "K",
        "has_ou_data": False,
    },
    {
        "id": "N02904",
        "title": "Invånare 0-19 år i ekonomiskt utsatta hushåll, andel (%) (-2024)",
        "is_divided_by_gender": False,
        "municipality_type": "K",
        "has_ou_data": False,
    },
]

SODERHAMN_PEERS = {
    "id": "G176409",
    "title": "Liknande kommuner socioekonomi, Söderhamn, 2024",
    "members": [
        {"id": "0428", "title": "Vingåker"},
        {"id": "0763", "title": "Tingsryd"},
        {"id": "1461", "title": "Mellerud"},
        {"id": "1492", "title": "Åmål"},
        {"id": "1785", "title": "Säffle"},
        {"id": "1962", "title": "Norberg"},
        {"id": "2183", "title": "Bollnäs"},
    ],
}

OUS = [
    {"id": "V15E218200101", "title": "Stenbergaskolan", "municipality": "2182"},
    {"id": "V15E218200102", "title": "Källskolan", "municipality": "2182"},
    {"id": "V15E018000101", "title": "Engelbrektsskolan", "municipality": "0180"},
]

KPI_GROUPS = [
    {
        "id": "G2KPI1",
        "title": "Barn och unga",
        "members": [{"member_id": "N15428", "member_title": "Behöriga"}],
    },
    {"id": "G2KPI2", "title": "Äldreomsorg", "members": []},
]


def write_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def row(
    kpi: str,
    area: str,
    period: int | str,
    *,
    area_key: str = "municipality",
    isdeleted: bool = False,
    **genders: float | None,
) -> dict[str, Any]:
    """A data row in Kolada's shape; ``T=70.0, K=None`` gives a value for T and a missing one for K."""
    values = [
        {"count": 1, "gender": gender, "status": "" if value is not None else "Missing", "value": value}
        for gender, value in genders.items()
    ]
    result: dict[str, Any] = {"kpi": kpi, area_key: area, "period": period, "values": values}
    if isdeleted:
        result["isdeleted"] = True
    return result


def write_data(folder: Path, name: str, rows: list[dict[str, Any]], **extra: Any) -> Path:
    """Write a data file of the snapshot folder; ``extra`` may hold ``updated`` and ``exempeldata``."""
    return write_json(folder / name, {"count": len(rows), "values": rows, **extra})


def municipality_ids(kind: str = "K") -> list[str]:
    doc = json.loads((SAMPLES / "municipality.json").read_text(encoding="utf-8"))
    return [item["id"] for item in doc["values"] if item["type"] == kind]


def make_snapshot(folder: Path) -> Path:
    """A snapshot folder: the real municipality list, three KPIs, one peer group, units; no data yet."""
    folder.mkdir(parents=True)
    shutil.copy(SAMPLES / "municipality.json", folder / "municipality.json")
    write_json(folder / "kpi.json", {"count": len(KPIS), "values": KPIS})
    write_json(folder / "municipality_groups.json", {"count": 1, "values": [SODERHAMN_PEERS]})
    write_json(folder / "ou.json", {"count": len(OUS), "values": OUS})
    write_json(folder / "kpi_groups.json", {"count": len(KPI_GROUPS), "values": KPI_GROUPS})
    return folder
