"""The admin pages in Debian Chromium: axe-core finds no WCAG 2.1 AA violation, and a role change by hand works."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from axecheck import axe_check
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction, Membership, Role
from barnbokslut.web.organisations.models import Unit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "losenord-123"


def log_in(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def test_the_admin_pages_pass_axe(page: Page, live_server, cast) -> None:
    Unit.objects.create(organisation=cast.organisation, parent=cast.bou, name="Förskola", abbreviation="FSK")
    record(AuditAction.STATUS_CHANGED, "Inledningen är klar", user=cast.sam, organisation=cast.organisation)
    org = cast.organisation.pk
    log_in(page, live_server, "alva")
    for url in (
        reverse("organisations:detail", args=[org]),
        reverse("organisations:update", args=[org]),
        reverse("organisations:unit_create", args=[org]),
        reverse("organisations:unit_edit", args=[org, cast.bou.pk]),
        reverse("organisations:unit_delete", args=[org, cast.svf.pk]),
        reverse("accounts:members", args=[org]),
        reverse("accounts:member_create", args=[org]),
        reverse("accounts:member_detail", args=[org, cast.siri.pk]),
        reverse("accounts:audit_log", args=[org]),
        reverse("accounts:account"),
    ):
        page.goto(f"{live_server.url}{url}")
        violations = axe_check(page)
        assert not violations, f"{url}:\n" + "\n".join(map(str, violations))


def test_the_admin_gives_a_reader_two_roles_each_with_a_unit(page: Page, live_server, cast) -> None:
    log_in(page, live_server, "alva")
    page.goto(f"{live_server.url}{reverse('accounts:members', args=[cast.organisation.pk])}")
    page.get_by_role("link", name="lars", exact=True).click()
    page.get_by_role("checkbox", name="Läsare", exact=True).uncheck()
    page.get_by_role("checkbox", name="Skribent", exact=True).check()
    page.get_by_role("group", name="Skribent: skriver för").get_by_label(
        "Stadsområde, välfärd och fritid (SVF)"
    ).check()
    page.get_by_role("checkbox", name="Granskare", exact=True).check()
    page.get_by_role("group", name="Granskare: granskar").get_by_label("Barn och unga (BOU)").check()
    page.get_by_role("button", name="Spara rollerna").click()
    expect(page.get_by_role("status")).to_contain_text("lars har nu rollerna Skribent (SVF), Granskare (BOU)")
    roles = {
        m.role: [u.abbreviation for u in m.units.all()]
        for m in Membership.objects.filter(user=cast.lars, organisation=cast.organisation)
    }
    assert roles == {Role.WRITER: ["SVF"], Role.REVIEWER: ["BOU"]}
