"""Round trips: both example folders built as DOCX and PDF by our own builder (and the DOCX exported to an untagged
PDF by LibreOffice), imported back, and compared with
the source folder's own files — barnbokslut.toml's [[uppfoljning]], [[utvecklingsomrade]] and [[verksamhet]]
and the Markdown in texter/ — not with anything the program wrote."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from import_examples import EXAMPLES, ROOT

from barnbokslut.importing import read_document, understand, write_folder
from barnbokslut.importing.understand import TEXT_FILES, Found

# "pdf-lo": the DOCX exported by LibreOffice, a PDF without tags.
CASES = [(name, kind) for name in EXAMPLES for kind in ("docx", "pdf", "pdf-lo")]


def plain(markdown: str) -> str:
    """Markdown as the words a reader sees: no heading marks, list marks, emphasis, escapes or links."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown).replace("\\", "")
    text = re.sub(r"(?m)^\s*(?:>\s*)+", "", text)
    text = re.sub(r"(?m)^\s*(?:#{1,6}\s+|[-*]\s+|\d{1,2}\.\s+)", "", text)
    text = text.replace("**", "")
    text = re.sub(r"(?<!\w)[*_](\S[^*_]*?)[*_](?!\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def lines(markdown: str) -> list[str]:
    """A cell's Markdown as its items: one per list item or paragraph."""
    return [plain(line) for line in re.split(r"\n+", markdown.strip()) if plain(line)]


def source(name: str) -> dict[str, Any]:
    with (EXAMPLES[name] / "barnbokslut.toml").open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="module")
def imported(built: dict[tuple[str, str], Path]) -> dict[tuple[str, str], Found]:
    return {key: understand(read_document(path)) for key, path in built.items()}


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_the_follow_up_table_comes_back_row_by_row_and_cell_by_cell(
    imported: dict[tuple[str, str], Found], name: str, kind: str
) -> None:
    found = imported[(name, kind)]
    rows = source(name)["uppfoljning"]
    assert len(found.followup) == len(rows)
    for got, want in zip(found.followup, rows, strict=True):
        assert got.omrade == want["område"]
        assert got.verksamheter == want["verksamheter"]
        actions = want.get("åtgärder") or [
            {"text": want["åtgärd"], "status": want.get("status"), "kommentar": want.get("kommentar", "")}
        ]
        assert len(got.atgarder) == len(actions), got.omrade
        for action, expected in zip(got.atgarder, actions, strict=True):
            assert lines(action.text) == lines(expected["text"])
            assert action.status == expected["status"]
            assert plain(action.kommentar) == plain(expected.get("kommentar", ""))


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_the_development_areas_come_back_row_by_row_and_cell_by_cell(
    imported: dict[tuple[str, str], Found], name: str, kind: str
) -> None:
    found = imported[(name, kind)]
    rows = source(name)["utvecklingsomrade"]
    assert len(found.development) == len(rows)
    for got, want in zip(found.development, rows, strict=True):
        assert got.omrade == want["område"]
        assert got.verksamheter == want["verksamheter"]
        assert lines(got.atgarder) == lines(want["åtgärder"])
        assert lines(got.forvantade_resultat) == lines(want["förväntade_resultat"])


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_the_units_and_the_texts_come_back(
    imported: dict[tuple[str, str], Found], name: str, kind: str
) -> None:
    found = imported[(name, kind)]
    settings = source(name)
    assert found.units == {u["förkortning"]: u["namn"] for u in settings["verksamhet"]}
    expected_parts = {key for key, relative in TEXT_FILES.items() if (EXAMPLES[name] / relative).is_file()}
    assert expected_parts, name
    for key in sorted(expected_parts):
        want = (EXAMPLES[name] / TEXT_FILES[key]).read_text(encoding="utf-8")
        assert key in found.parts, f"{key} saknas"
        assert plain(found.parts[key]) == plain(want), key
    for key in ("uppfoljning", "utvecklingsomraden", "forkortningar"):
        assert key in found.present()
    if "artiklar" in settings:
        assert found.articles == {int(k): v for k, v in settings["artiklar"].items()}


@pytest.mark.parametrize(("name", "kind"), [("namnd", "docx"), ("exempel", "pdf")])
def test_the_imported_folder_builds_and_carries_last_years_areas_over(
    built: dict[tuple[str, str], Path], tmp_path: Path, name: str, kind: str
) -> None:
    target = tmp_path / "importerad"
    result = subprocess.run(
        [sys.executable, "-m", "barnbokslut", "importera", str(built[(name, kind)]), "--ut", str(target)],
        capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    settings = tomllib.loads((target / "barnbokslut.toml").read_text(encoding="utf-8"))
    development = source(name)["utvecklingsomrade"]
    assert [row["område"] for row in settings["uppfoljning"]] == [row["område"] for row in development]
    for row, area in zip(settings["uppfoljning"], development, strict=True):
        assert [plain(a["text"]) for a in row["åtgärder"]] == lines(area["åtgärder"]) or len(
            row["åtgärder"]
        ) == 1
        assert {a["status"] for a in row["åtgärder"]} == {"Ej påbörjad"}
        # Last year's expected results stay on the row, for this year's follow-up.
        assert plain(row.get("förväntade_resultat", "")) == plain(area["förväntade_resultat"])
    assert "från förra året" in (target / "barnbokslut.toml").read_text(encoding="utf-8").splitlines()[1]
    out = tmp_path / "ut"
    build = subprocess.run(
        [sys.executable, "-m", "barnbokslut", "bygg", str(target), "--format", "html", "--ut", str(out)],
        capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert development[0]["område"] in html


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def test_json_names_the_parts_the_tables_and_the_units(built: dict[tuple[str, str], Path]) -> None:
    import json

    result = subprocess.run(
        [sys.executable, "-m", "barnbokslut", "importera", str(built[("namnd", "pdf")]), "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["tabeller"]["uppfoljning"]["rader"] == 12
    assert data["tabeller"]["utvecklingsomraden"]["rader"] == 10
    assert set(data["verksamheter"]) == {"SVF", "FIP", "FOR", "BOU", "V", "F"}
    assert "nulage/artikel-12" in data["delar_funna"]


def test_a_non_empty_folder_is_refused_and_left_alone(
    built: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    target = tmp_path / "full"
    target.mkdir()
    (target / "min-fil.txt").write_text("min", encoding="utf-8")
    found = understand(read_document(built[("namnd", "docx")]))
    with pytest.raises(Exception, match="finns redan och är inte tom"):
        write_folder(found, target)
    assert [p.name for p in tmp_path.iterdir()] == ["full"]  # no temporary folder left behind
    assert [p.name for p in target.iterdir()] == ["min-fil.txt"]
