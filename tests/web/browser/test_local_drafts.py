"""Issue 12, row 5: texts the editor keeps in the browser (localStorage) belong to the user who typed them.

Before: a writer typed in a section and logged out; the coordinator logged in on the same browser, was shown
"Ett osparat utkast har återställts…" with the writer's text, and saving made it the coordinator's version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from barnbokslut.web.editions.models import Edition, Section, SectionKind

pytestmark = pytest.mark.django_db(transaction=True)

LogIn = Callable[[Page, str], None]
RESTORED = "Ett osparat utkast har återställts"


def _editor(live_server: Any, edition: Edition) -> str:
    section = Section.objects.get(edition=edition, unit__abbreviation="BOU", kind=SectionKind.FORUTSATTNINGAR)
    return f"{live_server.url}{reverse('editions:section_edit', args=[section.pk])}"


def _kept(page: Page) -> list[str]:
    return page.evaluate(
        "Object.keys(localStorage).filter(function (k) { return k.indexOf('barnbokslut:avsnitt:') === 0; })"
    )


def _type_and_leave(page: Page, url: str, text: str) -> None:
    page.goto(url)
    page.get_by_label("Text (Markdown)").fill(text)
    page.wait_for_function(
        "Object.keys(localStorage).some(function (k) { return k.indexOf('avsnitt') > 0; })"
    )


def test_logging_out_removes_the_kept_texts_and_the_next_user_gets_none(
    browser: Browser, live_server: Any, log_in: LogIn, cast: Any, this_year: Edition
) -> None:
    page = browser.new_page()
    try:
        log_in(page, "siri")
        url = _editor(live_server, this_year)
        _type_and_leave(page, url, "Siris osparade text.")
        assert len(_kept(page)) == 1
        page.get_by_role("button", name="Logga ut siri").click()
        page.wait_for_url(lambda u: "logga-in" in u)
        assert _kept(page) == []

        log_in(page, "sam")
        page.goto(url)
        expect(page.get_by_label("Text (Markdown)")).to_have_value("")
        expect(page.get_by_text(RESTORED)).to_be_hidden()
    finally:
        page.context.close()


def test_a_text_kept_by_another_user_is_never_restored_and_is_removed(
    browser: Browser, live_server: Any, log_in: LogIn, cast: Any, this_year: Edition
) -> None:
    page = browser.new_page()
    try:
        log_in(page, "siri")
        url = _editor(live_server, this_year)
        _type_and_leave(page, url, "Siris osparade text.")
        # The session ends without "Logga ut" (idle timeout, closed tab): the kept text is still there …
        log_in(page, "sam")
        page.goto(url)
        expect(page.get_by_label("Text (Markdown)")).to_have_value("")
        expect(page.get_by_text(RESTORED)).to_be_hidden()
        assert _kept(page) == []  # … until another user opens the editor
    finally:
        page.context.close()


def test_the_writer_gets_her_own_kept_text_back(
    browser: Browser, live_server: Any, log_in: LogIn, cast: Any, this_year: Edition
) -> None:
    page = browser.new_page()
    try:
        log_in(page, "siri")
        url = _editor(live_server, this_year)
        _type_and_leave(page, url, "Siris osparade text.")
        log_in(page, "siri")  # a new session, the same person
        page.goto(url)
        expect(page.get_by_text(RESTORED)).to_be_visible()
        expect(page.get_by_label("Text (Markdown)")).to_have_value("Siris osparade text.")
    finally:
        page.context.close()


def test_the_editor_and_htmx_work_under_the_content_security_policy(
    browser: Browser, live_server: Any, log_in: LogIn, cast: Any, this_year: Edition
) -> None:
    """Issue 12, row 8: every page has a CSP without inline script or style; htmx's live preview still works."""
    page = browser.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security" in message.text else None,
    )
    try:
        log_in(page, "siri")
        response = page.goto(_editor(live_server, this_year))
        assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
        page.get_by_label("Text (Markdown)").fill("Det här är **fetstil**.")
        page.get_by_label("Text (Markdown)").press("End")  # keyup: htmx posts the preview
        expect(page.locator("#forhandsvisning strong")).to_have_text("fetstil")
        page.goto(f"{live_server.url}{reverse('editions:follow_up', args=[this_year.pk])}")
        page.goto(f"{live_server.url}{reverse('publishing:preview', args=[this_year.pk])}")
        expect(page.frame_locator("iframe.report-frame").locator("body")).not_to_be_empty()
        assert not violations, violations
    finally:
        page.context.close()
