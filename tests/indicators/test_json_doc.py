"""docs/json-format.md names every key the JSON export writes (issue 9).

A real export of the example analysis (the default catalogue on the bundled snapshot, through our Kolada
server), as the CLI writes it (``JobResult.to_json``: one kommun, and the ``--alla`` shape), is walked key by
key; every key must appear in the doc's prose or tables (not only in its example) as `` `key` `` or ``"key"``.
So a key added to ``indicators/export.py`` without a line in the doc fails here, and so does a CSV column of
``ROW_FIELDS``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from barnbokslut.example import EXAMPLE_SNAPSHOT
from barnbokslut.indicators.catalogue import load_catalogue
from barnbokslut.indicators.export import ROW_FIELDS
from barnbokslut.indicators.job import JobResult, run_indicator_job
from example_kolada import example_server

DOC = Path(__file__).resolve().parents[2] / "docs" / "json-format.md"

pytestmark = pytest.mark.skipif(not EXAMPLE_SNAPSHOT.is_dir(), reason="the example snapshot is not there")


@pytest.fixture(scope="module")
def job() -> JobResult:
    with example_server(port=0) as server:
        return run_indicator_job(
            load_catalogue(None), 2025, municipality="Söderhamn", base_url=server.url, cache=None
        )


def keys(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (key, where) in a JSON value, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            yield key, where
            yield from keys(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from keys(item, f"{path}[{index}]")


def documented() -> set[str]:
    """The names the doc's prose and tables give; the example JSON at its end does not count (a key only shown
    there is not explained)."""
    text = re.sub(r"```.*?```", "", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    return set(re.findall(r"`([^`\s]+)`", text)) | set(re.findall(r'"([^"\s]+)"', text))


def undocumented(document: dict[str, Any]) -> dict[str, str]:
    names = documented()
    missing: dict[str, str] = {}
    for key, where in keys(document):
        if key not in names:
            missing.setdefault(key, where)
    return missing


def test_every_key_of_the_export_is_in_the_doc(job: JobResult) -> None:
    document = job.to_json()
    assert len(list(keys(document))) > 500  # a real export: 19 indicators with their history
    assert undocumented(document) == {}


def test_every_key_of_the_all_kommuner_shape_is_in_the_doc(job: JobResult) -> None:
    many = dataclasses.replace(job, analyses=[job.analyses[0], job.analyses[0]])
    document = many.to_json()
    assert "kommuner" in document
    assert undocumented(document) == {}


def test_every_csv_column_is_in_the_doc() -> None:
    names = documented()
    assert [field for field in ROW_FIELDS if field not in names] == []


def test_an_undocumented_key_is_found(job: JobResult) -> None:
    document = job.to_json()
    document["nyckeltal"][0]["källa"]["ny_nyckel"] = 1
    assert undocumented(document) == {"ny_nyckel": "nyckeltal[0].källa.ny_nyckel"}
