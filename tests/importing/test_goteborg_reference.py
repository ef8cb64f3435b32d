"""Shape of the hand-made reference of the Göteborg seed's two tables (tests/importing/data/goteborg_tables.json)."""

from __future__ import annotations

import json
from pathlib import Path

REFERENCE = Path(__file__).parent / "data" / "goteborg_tables.json"
UNITS = {"SVF", "FIP", "FOR", "BOU", "V", "F"}
STATUSES = {"Påbörjad", "Genomförd", "Pågår"}


def test_reference_has_both_tables_complete() -> None:
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert ref["source"] == "001_eba51dd164c3257f.txt"
    follow_up, areas = ref["uppfoljning"], ref["utvecklingsomraden"]
    assert (len(follow_up), len(areas)) == (12, 10)
    for row in follow_up + areas:
        assert row["omrade"].strip() and row["atgarder"].strip(), row
        assert row["verksamheter"] and set(row["verksamheter"]) <= UNITS, row
    for row in follow_up:
        assert row["status"] in STATUSES and row["kommentar"].strip(), row
        assert row["sakert"] is ("osakert" not in row), row
    for row in areas:
        assert row["forvantade_resultat"].strip(), row
