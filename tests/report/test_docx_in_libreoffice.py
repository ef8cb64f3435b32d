"""The Word files opened by a word processor: LibreOffice Writer converts the example reports' DOCX (the kommun
example, and the committee example when its folder is there) to PDF, and the converted text holds every
heading, the follow-up and development areas and every table cell. A truncated file and one with broken XML
are refused, so the check can fail."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document

from barnbokslut.report.build import file_stem
from barnbokslut.report.docx import write_docx
from barnbokslut.report.folder import report_from_folder
from barnbokslut.report.model import Report
from docxcheck import SOFFICE, NotOpened, libreoffice_text, missing_from

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice saknas (libreoffice-writer-nogui)")

ROOT = Path(__file__).resolve().parents[2]
COMMITTEE = ROOT / "examples" / "barnbokslut-namnd"
NOWHERE = "http://127.0.0.1:9"  # nothing listens: a build that asked Kolada would fail


@dataclass(frozen=True)
class Converted:
    report: Report
    docx: Path
    text: str


@pytest.fixture(scope="session")
def libreoffice_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One LibreOffice profile for this session's conversions (they run one after the other)."""
    return tmp_path_factory.mktemp("lo-profil")


@pytest.fixture(scope="module", params=["kommun", "namnd"])
def converted(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, libreoffice_profile: Path
) -> Converted:
    if request.param == "kommun":
        report = request.getfixturevalue("example_report")
    else:
        if not (COMMITTEE / "barnbokslut.toml").is_file():
            pytest.skip(f"{COMMITTEE.name}/barnbokslut.toml finns inte ännu")
        report = report_from_folder(COMMITTEE, base_url=NOWHERE, cache=None)
    folder = tmp_path_factory.mktemp(f"lo-{request.param}")
    docx = write_docx(report, folder / f"{file_stem(report)}.docx")
    return Converted(report, docx, libreoffice_text(docx, folder / "pdf", profile=libreoffice_profile))


def _table_cells(docx: Path) -> list[str]:
    """Every non-empty paragraph of every table cell, as python-docx reads the file."""
    cells = []
    for table in Document(str(docx)).tables:
        for row in table.rows:
            for cell in row.cells:
                cells += [p.text for p in cell.paragraphs if p.text.strip()]
    return list(dict.fromkeys(cells))


def test_libreoffice_opens_the_word_file_with_every_heading(converted: Converted) -> None:
    headings = [part.heading for part in converted.report.all_parts()]
    assert len(headings) > 5
    assert missing_from(converted.text, headings) == []
    assert missing_from(converted.text, [converted.report.cover.organisation]) == []


def test_the_converted_text_has_the_follow_up_and_development_areas(converted: Converted) -> None:
    areas = [row.area for row in converted.report.follow_up]
    areas += [area.area for area in converted.report.development_areas]
    assert areas
    assert missing_from(converted.text, areas) == []


def test_the_converted_text_has_every_table_cell(converted: Converted) -> None:
    cells = _table_cells(converted.docx)
    assert len(cells) > 10
    assert missing_from(converted.text, cells) == []


def _kommun_docx(example_report: Report, folder: Path) -> Path:
    return write_docx(example_report, folder / "barnbokslut.docx")


def test_a_truncated_word_file_is_refused(
    example_report: Report, tmp_path: Path, libreoffice_profile: Path
) -> None:
    whole = _kommun_docx(example_report, tmp_path)
    broken = tmp_path / "trunkerad.docx"
    broken.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(NotOpened, match=r"kunde inte öppna trunkerad\.docx"):
        libreoffice_text(broken, tmp_path / "pdf", profile=libreoffice_profile)


def test_a_word_file_with_broken_xml_is_refused(
    example_report: Report, tmp_path: Path, libreoffice_profile: Path
) -> None:
    whole = _kommun_docx(example_report, tmp_path)
    broken = tmp_path / "ogiltig-xml.docx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"<w:p></w:body>", 1)  # an element never closed
                assert b"<w:p></w:body>" in data
            target.writestr(item, data)
    with pytest.raises(NotOpened, match=r"kunde inte öppna ogiltig-xml\.docx"):
        libreoffice_text(broken, tmp_path / "pdf", profile=libreoffice_profile)
