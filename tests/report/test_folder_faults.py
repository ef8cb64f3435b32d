"""A report folder with typos or the wrong encoding: a Swedish message naming file, row and field (with the
nearest known name), never a traceback, never silently missing content; output replaced all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from barnbokslut.cli import app
from barnbokslut.report import build
from barnbokslut.report.build import OutputError, write_all
from barnbokslut.report.folder import load_source
from barnbokslut.report.source import ReportSourceError, build_report

NOWHERE = "http://127.0.0.1:9"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("[kommentarer]", "[kommentar]", ["okänd del [kommentar]", "menade du ”kommentarer”?"]),
        (
            "undertitel =",
            "undertitle =",
            ["[rapport]", ("line", "undertitle ="), "”undertitle”", "menade du ”undertitel”?"],
        ),
        ("decimaler = 0", "decimal = 0", ["[[lokala_data]] nr 3", "”decimal”", "menade du ”decimaler”?"]),
        (
            "exempeldata = true",
            'exempeldata = "nej"',
            ["[rapport]", "exempeldata", "true eller false", "'nej'"],
        ),
    ],
    ids=["unknown-table", "unknown-report-key", "unknown-local-data-key", "exempeldata-not-a-bool"],
)
def test_unknown_keys_and_wrong_types_name_the_nearest_known_name(
    folder: Path, old: str, new: str, expected: list[str]
) -> None:
    _edit(folder / "barnbokslut.toml", old, new)
    with pytest.raises(ReportSourceError) as caught:
        load_source(folder)
    lines = (folder / "barnbokslut.toml").read_text(encoding="utf-8").splitlines()
    for part in expected:
        if isinstance(part, tuple):  # the line the broken field is on
            part = f"rad {next(n for n, line in enumerate(lines, start=1) if part[1] in line)}"
        assert part in str(caught.value), (part, str(caught.value))


def test_a_markdown_file_with_a_bom_keeps_its_first_heading(folder: Path) -> None:
    path = folder / "texter" / "verksamheter" / "svf.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    before = path.read_text(encoding="utf-8-sig")
    report = build_report(load_source(folder), None)
    department = next(d for d in report.departments if d.abbreviation == "SVF")
    assert [p.article for p in department.principles] == [
        int(line.split()[2]) for line in before.splitlines() if line.startswith("## Artikel")
    ]


def test_settings_and_texts_saved_as_windows_1252_are_read(folder: Path) -> None:
    for path in (folder / "barnbokslut.toml", folder / "texter" / "slutsatser.md"):
        path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    source = load_source(folder)
    assert source.organisation == "Söderhamns kommun"
    assert "å" in source.texts["slutsatser"].markdown or "ä" in source.texts["slutsatser"].markdown


def test_a_declared_unit_without_a_text_file_is_a_warning(folder: Path) -> None:
    (folder / "texter" / "verksamheter" / "kfi.md").unlink()
    source = load_source(folder)
    assert any("texter/verksamheter/kfi.md finns inte" in w for w in source.warnings)


def test_output_is_replaced_all_or_nothing(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = build_report(load_source(folder), None)
    out = tmp_path / "ut"
    first = write_all(report, ["html", "docx"], out)
    before = {p.name: p.read_bytes() for p, _ in first}

    def failing(report, fmt, path):  # the Word file is open in Word
        if fmt == "docx":
            raise OutputError(path, PermissionError(13, "Åtkomst nekad"))
        path.write_text("ny", encoding="utf-8")

    monkeypatch.setattr(build, "write_report", failing)
    with pytest.raises(OutputError):
        write_all(report, ["html", "docx"], out)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert [p for p in out.iterdir() if p.name.startswith(".barnbokslut-")] == []


def test_bygg_of_a_folder_without_figures_says_kolada_was_not_asked(tmp_path: Path) -> None:
    folder = tmp_path / "utan"
    folder.mkdir()
    (folder / "barnbokslut.toml").write_text(
        '[rapport]\norganisation = "Nämnden"\n"år" = 2024\n', encoding="utf-8"
    )
    result = CliRunner().invoke(
        app, ["bygg", str(folder), "--format", "html", "--out", str(tmp_path / "ut"), "--kolada-url", NOWHERE]
    )
    assert result.exit_code == 0, result.output
    assert "Kolada har inte frågats" in result.output
    assert list((tmp_path / "ut").glob("*.html"))


def test_bygg_with_a_bad_folder_prints_the_problems_and_no_traceback(folder: Path, tmp_path: Path) -> None:
    _edit(folder / "barnbokslut.toml", "[kommentarer]", "[kommentar]")
    result = CliRunner().invoke(
        app, ["bygg", str(folder), "--out", str(tmp_path / "ut"), "--kolada-url", NOWHERE]
    )
    assert result.exit_code == 2
    assert "menade du ”kommentarer”?" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "ut").exists()
