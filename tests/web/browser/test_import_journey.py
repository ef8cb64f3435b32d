"""Importing last year's barnbokslut in Debian Chromium (issue 14, point 4): sam uploads the Göteborg seed (OCR
text), reviews it (a part left out, a row edited), imports it, and finds the new edition; the upload page and
the review page (with its 1 000-odd OCR repairs) have no axe-core violation at 1280 and 390 px. A PDF goes through
the task worker: the page says "Läser filen …" and reloads itself until the review is ready.

On the review page every rule runs on every element but one: colour contrast, which costs axe about 3 ms a text
(for the repairs tables' rows, one per word repaired the same way, 554 for the seed: most of this test's time),
sees the whole page except the repeats in those tables: one row of each kind is checked (the same elements,
classes, attributes and state, and the same choice, "Avvisa" a repair or "Godta" a suggestion). The rows are one
template loop and differ only in their words, and a text's contrast is given by its colours, size and weight,
which the CSS sets by element and class, never by the words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from axecheck import axe_check
from barnbokslut.web.editions.models import Edition, SectionKind
from barnbokslut.web.publishing.models import ImportReview

pytestmark = pytest.mark.django_db(transaction=True)

GOTEBORG = Path("/work/shared/seeds/001_eba51dd164c3257f.txt")
NAMND = Path(__file__).resolve().parents[3] / "examples" / "barnbokslut-namnd"
VIEWPORTS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
#: The review page's tables of OCR repairs (the doubtful ones first, then the sure ones), one row per group.
REPAIR_TABLE = "section[aria-labelledby=rattelser-rubrik] > div.table-wrap:nth-of-type({n}) tbody tr"
#: Per table, the position (from 1) of the first row of each kind; and how many rows the tables have in all.
FIRST_OF_EACH_KIND = """(selectors) => {
  let total = 0;
  const kept = selectors.map((selector) => {
    const rows = [...document.querySelectorAll(selector)];
    total += rows.length;
    const first = new Map();
    rows.forEach((row, index) => {
      const shape = [...row.querySelectorAll("*")].map((element) => [
        element.tagName, element.className,
        element.getAttributeNames().filter((name) => name !== "name").sort().join(" "), element.checked === true,
      ].join("/"));
      const choice = row.querySelector("label").textContent.trim().split(" ")[0];  // Avvisa or Godta
      shape.push(row.cells[3].textContent.trim().endsWith("(förslag)"), choice);
      const kind = shape.join("|");
      if (!first.has(kind)) first.set(kind, index + 1);
    });
    return [...first.values()];
  });
  return [kept, total];
}"""


def _axe_at_both_widths(page: Page, what: str) -> None:
    for width, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        violations = axe_check(page)
        assert not violations, f"{what} at {width} px:\n" + "\n".join(str(v) for v in violations)


def _axe_review_page_at_both_widths(page: Page) -> None:
    """Every rule on the whole page; colour contrast without the repeats in the repairs table (docstring)."""
    tables = [REPAIR_TABLE.format(n=n) for n in (1, 2)]
    kept, rows = page.evaluate(FIRST_OF_EACH_KIND, tables)
    # The seed's 1 100-odd repairs in 550-odd groups, in both tables, with suggestions among the first.
    assert rows > 500 and all(kept) and len(kept[0]) >= 2, (rows, kept)
    repeats = [
        [table + "".join(f":not(:nth-child({n}))" for n in first)]
        for table, first in zip(tables, kept, strict=True)
    ]
    for width, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        violations = axe_check(page, skip=("color-contrast",))
        violations += axe_check(page, only=("color-contrast",), context={"exclude": repeats})
        assert not violations, f"review page at {width} px:\n" + "\n".join(str(v) for v in violations)


def test_the_coordinator_uploads_reviews_and_imports_last_years_report(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], cast: Any, tmp_path: Path
) -> None:
    upload = tmp_path / "Barnbokslut_Goteborgs_Stad_2024_OCR.txt"  # one long word: the heading must wrap
    upload.write_bytes(GOTEBORG.read_bytes())
    log_in(page, "sam")
    page.goto(f"{live_server.url}{reverse('core:home')}")
    page.get_by_role("link", name="Importera förra årets barnbokslut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera förra årets barnbokslut")
    _axe_at_both_widths(page, "upload page")

    page.get_by_label("Fil (DOCX, PDF eller text)").set_input_files(str(upload))
    page.get_by_role("button", name="Läs filen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Granska importen av Barnbokslut_Goteborgs_Stad_2024_OCR.txt"
    )
    expect(page.locator("#rad-0-omrade")).to_have_value("Nå önskade målgrupper")
    _axe_review_page_at_both_widths(page)
    # At 390 px (where the axe check ends) the page is no wider than the screen, and a repair's choice is in
    # view without scrolling sideways: the repairs tables' rows are cards there.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    choice = page.locator(REPAIR_TABLE.format(n=1)).first.get_by_role("checkbox")
    choice.scroll_into_view_if_needed()
    box = choice.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390, box

    # A reload shows the same review (kept on the server).
    page.reload()
    expect(page.locator("#rad-0-omrade")).to_have_value("Nå önskade målgrupper")
    page.get_by_label("Ta inte med inledning").check()
    page.locator("#rad-1-omrade").fill("Skolan som arena")
    page.get_by_role("button", name="Importera").click()

    expect(page.get_by_text("Förra årets barnbokslut är importerat som årgång 2025.")).to_be_visible()
    edition = Edition.objects.get(organisation=cast.organisation, year=2025)
    assert not edition.sections.filter(kind=SectionKind.INLEDNING).exists()  # left out: no section to write
    assert edition.sections.get(unit=None, kind=SectionKind.FORUTSATTNINGAR).carried_over
    assert list(edition.follow_ups.order_by("order").values_list("area", flat=True))[:2] == [
        "Nå önskade målgrupper",
        "Skolan som arena",
    ]
    assert not ImportReview.objects.exists()
    # The new follow-up rows, on a phone: the table scrolls inside its frame, the page is no wider than the
    # screen (the rows' visually hidden link texts used to widen it to 1 015 px).
    page.set_viewport_size(VIEWPORTS["390"])
    page.get_by_role("link", name="Uppföljning av förra årets utvecklingsområden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning av förra årets utvecklingsområden")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_pdf_waits_for_the_worker_on_a_page_that_reloads_itself_then_is_reviewed_and_imported(
    page: Page,
    live_server: Any,
    log_in: Callable[[Page, str], None],
    cast: Any,
    tmp_path: Path,
    settings: Any,
) -> None:
    from barnbokslut.report.build import write_report
    from barnbokslut.report.folder import report_from_folder

    settings.DATA_DIR = tmp_path / "data"
    upload = tmp_path / "namnd-2024.pdf"
    write_report(report_from_folder(NAMND, base_url="http://127.0.0.1:9", cache=None), "pdf", upload)
    log_in(page, "sam")
    page.goto(
        f"{live_server.url}{reverse('publishing:import_start', kwargs={'org_pk': cast.organisation.pk})}"
    )
    page.get_by_label("Fil (DOCX, PDF eller text)").set_input_files(str(upload))
    page.get_by_role("button", name="Läs filen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Läser filen namnd-2024.pdf …")
    expect(page.get_by_text("Väntar på bakgrundsprocessen")).to_be_visible()
    assert ImportReview.objects.get().status == ImportReview.Status.QUEUED

    # The job worker, for one batch, in this process: what `barnbokslut serve` runs beside gunicorn. The page,
    # which reloads itself every 2 s without JavaScript, then shows the review.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Granska importen av namnd-2024.pdf", timeout=15_000
    )
    expect(page.locator("#rad-1-omrade")).to_have_value("Skola som arena")
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_text("Förra årets barnbokslut är importerat som årgång 2025.")).to_be_visible()
    assert Edition.objects.get(organisation=cast.organisation, year=2025).follow_ups.count() == 10
