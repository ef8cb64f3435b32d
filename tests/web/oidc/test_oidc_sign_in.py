"""Sign-in with the municipality's account in Debian Chromium, against the real provider on loopback (issue 13).

The provider (tests/oidc/provider.mjs) has nyanstalld (only the group alla-anstallda, which the map ignores),
karin (barnbokslut-samordnare → samordnare in Söderhamn) and bengt (barnbokslut-skribent-bou → skribent for BOU).
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from axecheck import axe_check
from barnbokslut.web.accounts.models import AuditAction, AuditEvent, Membership, OidcIdentity, Role

pytestmark = pytest.mark.django_db(transaction=True)

LOCAL_PASSWORD = "losenord-123"
PROVIDER_PASSWORD = "kommun-losen-1"  # every test account's at the provider (tests/oidc/provider.mjs)
Provider = Any


def sign_in_at_provider(page: Page, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    expect(page.get_by_role("heading", name="Sign in to the municipality")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def sign_out(page: Page, live_server: Any) -> None:
    page.get_by_role("button", name=re.compile("^Logga ut")).click()
    # The provider asks whether to end its session too, then sends the browser back to our login page.
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}{reverse('login')}")


def test_first_sign_in_creates_a_user_without_any_role_and_sign_out_ends_both_sessions(
    page: Page, live_server: Any, cast: Any, oidc_on: Provider
) -> None:
    sign_in_at_provider(page, live_server, "nyanstalld")

    expect(page.get_by_text("Du är inte med i någon organisation ännu")).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut Nora Nyanställd")).to_be_visible()
    user = get_user_model().objects.get(oidc_identities__subject="a1f0c3e2-0001")
    assert (user.username, user.email, user.has_usable_password()) == (
        "nyanstalld",
        "nora@kommun.example",
        False,
    )
    assert not Membership.objects.filter(user=user).exists()
    assert OidcIdentity.objects.get(user=user).issuer == oidc_on.issuer
    events = list(AuditEvent.objects.filter(user=user).order_by("pk").values_list("action", "description"))
    assert events == [
        (
            AuditAction.USER_CREATED,
            "nyanstalld skapades vid första inloggningen med kommunens konto, utan roll",
        ),
        (AuditAction.LOGIN, "nyanstalld loggade in med kommunens konto"),
    ]
    # Without a role the organisation's pages stay closed.
    page.goto(f"{live_server.url}{reverse('accounts:members', args=[cast.organisation.pk])}")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Användare")
    assert AuditEvent.objects.filter(user=user, action=AuditAction.DENIED).exists()

    # No password of their own here: the account page says where it is changed instead of offering a form.
    page.goto(f"{live_server.url}{reverse('accounts:account')}")
    expect(page.get_by_text("Du loggar in med kommunens konto")).to_be_visible()
    expect(page.get_by_role("button", name="Byt lösenord")).to_have_count(0)

    sign_out(page, live_server)
    assert AuditEvent.objects.filter(user=user, action=AuditAction.LOGOUT).exists()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(re.escape(reverse("login"))))
    # The provider's session ended too: the button leads to its login form again, not straight back in.
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    expect(page.get_by_label("Username")).to_be_visible()

    # A second sign-in finds the same user by the provider's subject.
    page.get_by_label("Username").fill("nyanstalld")
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert get_user_model().objects.filter(oidc_identities__isnull=False).count() == 1


def test_the_group_map_gives_the_role_and_the_organisation_shows(
    page: Page, live_server: Any, cast: Any, oidc_on: Provider
) -> None:
    # A local account with the same username is not taken over: the provider's karin is a new user.
    local = get_user_model().objects.create_user(
        "karin", email="karin.lokal@soderhamn.example", password=LOCAL_PASSWORD
    )
    sign_in_at_provider(page, live_server, "karin")

    organisation = page.get_by_role("region", name="Söderhamns kommun")
    expect(organisation).to_contain_text("Din roll: Samordnare")
    karin = get_user_model().objects.get(oidc_identities__subject="a1f0c3e2-0002")
    assert karin.username == "karin-2"
    assert not Membership.objects.filter(user=local).exists()
    assert not OidcIdentity.objects.filter(user=local).exists()
    assert [(m.organisation.slug, m.role) for m in Membership.objects.filter(user=karin)] == [
        ("soderhamn", Role.COORDINATOR)
    ]
    assert AuditEvent.objects.filter(
        user=karin, organisation=cast.organisation, action=AuditAction.ROLE_CHANGED
    ).exists()
    sign_out(page, live_server)

    sign_in_at_provider(page, live_server, "bengt")
    expect(page.get_by_role("region", name="Söderhamns kommun")).to_contain_text("Din roll: Skribent (BOU)")


def test_local_accounts_keep_working_beside_it_and_the_login_page_passes_axe(
    page: Page, live_server: Any, cast: Any, oidc_on: Provider
) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    expect(page.get_by_role("link", name="Logga in med kommunens konto")).to_be_visible()
    axe_check(page)
    page.get_by_label("Användarnamn").fill("sam")
    page.get_by_label("Lösenord").fill(LOCAL_PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_role("region", name="Söderhamns kommun")).to_contain_text("Din roll: Samordnare")
    # A local session signs out locally only: straight back to the login page.
    page.get_by_role("button", name=re.compile("^Logga ut")).click()
    page.wait_for_url(f"{live_server.url}{reverse('login')}")


def test_a_deactivated_user_is_refused_with_a_swedish_message(
    page: Page, live_server: Any, cast: Any, oidc_on: Provider
) -> None:
    sign_in_at_provider(page, live_server, "nyanstalld")
    sign_out(page, live_server)
    get_user_model().objects.filter(username="nyanstalld").update(is_active=False)

    page.get_by_role("link", name="Logga in med kommunens konto").click()
    page.get_by_label("Username").fill("nyanstalld")
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(reverse("login"))))
    expect(page.get_by_role("status")).to_contain_text("Ditt konto är inaktiverat")


def test_a_code_the_provider_refuses_is_a_failed_sign_in_in_swedish_and_in_the_audit_log(
    live_server: Any, oidc_on: Provider
) -> None:
    client = Client()
    session = client.session
    session["oidc_states"] = {"tillstand": {"nonce": "n", "code_verifier": "v" * 64, "added_on": time.time()}}
    session.save()
    response = client.get(reverse("oidc_callback"), {"code": "forfalskad", "state": "tillstand"}, follow=True)
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "Inloggningen med kommunens konto misslyckades" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (event.description, event.user) == ("Misslyckad inloggning med kommunens konto", None)


def sign_in_refused(page: Page, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(reverse("login"))))


def test_a_local_account_with_the_same_email_is_neither_duplicated_nor_taken_over(
    page: Page, live_server: Any, cast: Any, oidc_on: Provider
) -> None:
    local = get_user_model().objects.create_user("nora", email="Nora@kommun.example", password=LOCAL_PASSWORD)
    users = get_user_model().objects.count()

    sign_in_refused(page, live_server, "nyanstalld")

    expect(page.get_by_role("status")).to_contain_text(
        "Det finns redan ett konto här med e-postadressen nora@kommun.example."
    )
    assert get_user_model().objects.count() == users  # no second user
    assert not OidcIdentity.objects.exists()  # and the local account is not linked
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("pk").first()
    assert event is not None
    assert event.description == (
        "Inloggning med kommunens konto nekad: kontot nora har redan e-postadressen nora@kommun.example och "
        "koppling är inte påslagen"
    )
    # The local account still signs in with its password.
    page.get_by_label("Användarnamn").fill("nora")
    page.get_by_label("Lösenord").fill(LOCAL_PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_role("button", name="Logga ut nora")).to_be_visible()
    assert local.pk == get_user_model().objects.get(username="nora").pk


def test_with_linking_allowed_a_verified_email_links_the_local_account_and_keeps_its_roles(
    page: Page, live_server: Any, cast: Any, oidc_on: Provider, settings: Any
) -> None:
    from barnbokslut.web.accounts.oidc_config import oidc_settings

    environ = {**oidc_on.environ, "BARNBOKSLUT_OIDC_LINK_VERIFIED_EMAIL": "ja"}
    configured = oidc_settings(
        environ, backends=["django.contrib.auth.backends.ModelBackend"], csp={"DIRECTIVES": {}}
    )
    assert configured["OIDC_LINK_VERIFIED_EMAIL"] is True
    settings.OIDC_LINK_VERIFIED_EMAIL = True
    local = get_user_model().objects.create_user("nora", email="nora@kommun.example", password=LOCAL_PASSWORD)
    Membership.objects.create(user=local, organisation=cast.organisation, role=Role.READER)
    users = get_user_model().objects.count()

    sign_in_at_provider(page, live_server, "nyanstalld")  # the provider says email_verified: true

    expect(page.get_by_role("region", name="Söderhamns kommun")).to_contain_text("Din roll: Läsare")
    expect(page.get_by_role("button", name="Logga ut Nora Nyanställd")).to_be_visible()
    assert get_user_model().objects.count() == users
    identity = OidcIdentity.objects.get()
    assert (identity.user_id, identity.subject, identity.issuer) == (
        local.pk,
        "a1f0c3e2-0001",
        oidc_on.issuer,
    )
    linked = AuditEvent.objects.get(user=local, action=AuditAction.USER_CHANGED)
    assert linked.description == (
        "nora kopplades till kommunens konto vid inloggningen (e-postadressen nora@kommun.example, "
        "bekräftad av kommunens inloggning)"
    )
    sign_out(page, live_server)

    # The next sign-in finds the account by the provider's subject, even after the e-mail changed here.
    get_user_model().objects.filter(pk=local.pk).update(email="nora.ny@soderhamn.example")
    sign_in_at_provider(page, live_server, "nyanstalld")
    expect(page.get_by_role("region", name="Söderhamns kommun")).to_contain_text("Din roll: Läsare")
    assert get_user_model().objects.count() == users
