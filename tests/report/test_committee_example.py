"""The committee-shaped example (examples/barnbokslut-namnd, after socialförvaltning Nordost's 2024 report):
built in three formats without Kolada, with the seed's headings and numbering, a status per action, the
abbreviation key after each table, no figures, Sammanfattning, Källor or Exempeldata, about the seed's length,
and no axe-core violations in Chromium."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page

from axecheck import axe_check
from barnbokslut.report.build import write_all
from barnbokslut.report.folder import report_from_folder
from barnbokslut.report.model import Report, Status
from pdfcheck import pdf_check

ROOT = Path(__file__).resolve().parents[2]
COMMITTEE = ROOT / "examples" / "barnbokslut-namnd"
NOWHERE = "http://127.0.0.1:9"  # nothing listens: a build that asked Kolada would fail

#: The seed's own headings, numbered as it numbers them ("2.2.1 Förutsättningar för barnrättsarbetet").
SEED_HEADINGS = [
    ("1", "Inledning"),
    ("1.1", "Bakgrund och syfte"),
    ("1.2", "Viktiga begrepp"),
    ("1.3", "Fyra grundläggande artiklar"),
    ("2", "Barnbokslut"),
    ("2.1", "Uppföljning av föregående års utvecklingsområden och åtgärder"),
    ("2.2", None),
    ("2.2.1", None),
    ("2.2.2", None),
    ("2.2.3", None),
    ("3", "Utvecklingsområden och åtgärder"),
]


@pytest.fixture(scope="module")
def committee() -> Report:
    if not (COMMITTEE / "barnbokslut.toml").is_file():
        pytest.fail(f"{COMMITTEE}/barnbokslut.toml saknas")
    return report_from_folder(COMMITTEE, base_url=NOWHERE, cache=None)


@pytest.fixture(scope="module")
def built(committee: Report, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("namnd")
    return {path.suffix[1:]: path for path, _ in write_all(committee, ["html", "pdf", "docx"], out)}


def test_the_structure_has_the_seeds_numbered_headings(committee: Report) -> None:
    numbered = [(p.number, p.title) for p in committee.all_parts() if p.number]
    assert [n for n, _ in numbered] == [n for n, _ in SEED_HEADINGS]
    for (number, title), (seed_number, seed_title) in zip(numbered, SEED_HEADINGS, strict=True):
        assert number == seed_number
        if seed_title is not None:
            assert title == seed_title
    nulage = committee.part("nulage")
    assert nulage is not None
    assert [c.title.split()[0] for c in nulage.children] == ["Förutsättningar", "Styrkor", "Utmaningar"]
    assert next(t for t, _ in nulage.children[1].items).startswith("Artikel 2 – ")


def test_no_figures_summary_sources_or_example_label(committee: Report, built: dict[str, Path]) -> None:
    assert committee.figures is None and committee.summary is None and not committee.is_example
    assert not {"siffror", "sammanfattning", "kallor", "lokala-data"} & set(committee.kinds())
    html = built["html"].read_text(encoding="utf-8")
    assert "Exempeldata" not in html and "Sammanfattning" not in html and "Källor" not in html


def test_follow_up_rows_have_a_status_per_action(committee: Report) -> None:
    per_action = [r for r in committee.follow_up if r.per_action_status]
    assert len(committee.follow_up) >= 10 and per_action
    mixed = [r for r in per_action if len({r.action_status(a) for a in r.actions}) > 1]
    assert mixed, (
        "at least one row mixes statuses, as the seed's Kompetensutveckling (1–2 Påbörjad, 3 Ej påbörjad)"
    )
    for row in per_action:
        statuses = [row.action_status(a) for a in row.actions]
        if all(s is Status.DONE for s in statuses):
            assert row.status is Status.DONE


def test_every_abbreviation_is_a_declared_unit_and_the_key_follows_both_tables(
    committee: Report, built: dict[str, Path]
) -> None:
    declared = {u.abbreviation for u in committee.units}
    used = {d for r in committee.follow_up for d in r.departments} | {
        d for r in committee.development_areas for d in r.departments
    }
    assert used <= declared and len(declared) >= 5
    html = built["html"].read_text(encoding="utf-8")
    tables = [m.end() for m in re.finditer("</table>", html)]
    keys = [m.start() for m in re.finditer('<div class="forkortningar">', html)]
    assert len(tables) == 2 and len(keys) == 2
    assert tables[0] < keys[0] < tables[1] < keys[1]


def test_the_pdf_is_about_the_seeds_length_with_numbered_headings(built: dict[str, Path]) -> None:
    info = subprocess.run(["pdfinfo", str(built["pdf"])], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 10 <= pages <= 18, pages  # the seed has 14
    text = subprocess.run(
        ["pdftotext", "-layout", str(built["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"2\.2\.1\s+Förutsättningar", text)
    assert re.search(rf"Barnbokslut 2024\s+3\({pages}\)", text)  # the seed's footer "Barnbokslut 2024 3(14)"


def test_the_pdf_validates_as_pdf_ua_1_and_pdf_a_2a(built: dict[str, Path]) -> None:
    assert pdf_check(built["pdf"]) == []


def test_the_word_file_has_numbered_headings_and_both_tables(built: dict[str, Path]) -> None:
    document = Document(str(built["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["1 Inledning", "2 Barnbokslut", "3 Utvecklingsområden och åtgärder"]
    assert len(document.tables) == 2
    status_cells = [row.cells[3].text for row in document.tables[0].rows[1:]]
    assert any(re.search(r"1\. .*\n2\. ", text) for text in status_cells)


def test_the_web_page_has_no_axe_violations(page: Page, built: dict[str, Path]) -> None:
    page.goto(built["html"].as_uri(), wait_until="load")
    assert axe_check(page) == []
