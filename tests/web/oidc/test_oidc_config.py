"""The OpenID Connect settings from the environment and the group map (issue 13), without a provider.

A bad value stops start-up with a Swedish message naming the variable; nothing set leaves everything as it was.
The group map's rules decide exactly the (organisation, role) pairs they name, on every sign-in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts import oidc
from barnbokslut.web.accounts.models import AuditAction, AuditEvent, Membership, OidcIdentity, Role
from barnbokslut.web.accounts.oidc import apply_group_map
from barnbokslut.web.accounts.oidc_config import (
    BACKEND,
    ROLE_NAMES,
    GroupRule,
    oidc_settings,
    parse_group_map,
)

BASE = {
    "BARNBOKSLUT_OIDC_ISSUER": "https://login.kommun.example/tenant/v2.0/",
    "BARNBOKSLUT_OIDC_CLIENT_ID": "barnbokslut",
    "BARNBOKSLUT_OIDC_CLIENT_SECRET": "hemligt",
}
CSP = {"DIRECTIVES": {"default-src": ["'self'"], "form-action": ["'self'"]}}


def configure(environ: dict[str, str]) -> dict[str, Any]:
    return oidc_settings(environ, backends=["local"], csp=CSP)


def test_the_map_format_with_comments_units_labels_and_both_separators() -> None:
    rules = parse_group_map(
        "# Söderhamn\n"
        "bb-admin = soderhamn:administrator; bb-skribent=soderhamn:skribent:BOU, SVF\n"
        "  3f2a-guid-1 = soderhamn:Läsare \n"
        "bb-granskare = bollnas:granskare:BOU\n\n"
    )
    assert rules == (
        GroupRule("bb-admin", "soderhamn", "administrator"),
        GroupRule("bb-skribent", "soderhamn", "skribent", ("BOU", "SVF")),
        GroupRule("3f2a-guid-1", "soderhamn", "lasare"),
        GroupRule("bb-granskare", "bollnas", "granskare", ("BOU",)),
    )
    assert parse_group_map("") == ()


def test_the_role_names_are_the_models_roles() -> None:
    assert set(ROLE_NAMES.values()) == {role.value for role in Role}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("bb-admin soderhamn:administrator", "saknar '='"),
        ("= soderhamn:samordnare", "saknar gruppens namn"),
        ("bb = soderhamn", "ska ha organisation och roll"),
        ("bb = soderhamn:skribent:BOU:SVF", "ska ha organisation och roll"),
        ("bb = :samordnare", "ska ha organisation och roll"),
        ("bb = söder hamn:samordnare", "inte är ett kortnamn"),
        ("bb = soderhamn:chef", "den okända rollen 'chef'"),
        ("bb = soderhamn:skribent:BOU,", "tom enhet"),
        ("bb = soderhamn:samordnare:BOU", "bara skribent och granskare har enheter"),
    ],
)
def test_a_bad_rule_names_the_variable_the_rule_and_the_format(text: str, reason: str) -> None:
    with pytest.raises(ImproperlyConfigured) as raised:
        parse_group_map("ok = soderhamn:lasare; " + text)
    message = str(raised.value)
    assert message.startswith(f"BARNBOKSLUT_OIDC_GROUP_MAP: regel 2 ({text.strip()!r})")
    assert reason in message
    assert "GRUPP = organisation:roll[:ENHET,ENHET]" in message


def test_a_bad_group_map_stops_the_configuration() -> None:
    with pytest.raises(ImproperlyConfigured, match="BARNBOKSLUT_OIDC_GROUP_MAP: regel 1"):
        configure({**BASE, "BARNBOKSLUT_OIDC_GROUP_MAP": "bb = soderhamn:chef"})


def test_nothing_set_changes_nothing() -> None:
    assert configure({"PATH": "/usr/bin"}) == {"OIDC_ENABLED": False}


def test_configured_from_the_issuer() -> None:
    values = configure({**BASE, "BARNBOKSLUT_OIDC_GROUP_MAP": "bb = soderhamn:samordnare"})
    assert values["OIDC_ENABLED"] is True
    assert values["OIDC_OP_ISSUER"] == "https://login.kommun.example/tenant/v2.0"
    assert "OIDC_OP_TOKEN_ENDPOINT" not in values  # discovered on first use
    assert values["OIDC_RP_SCOPES"] == "openid email profile"
    assert (values["OIDC_RP_SIGN_ALGO"], values["OIDC_USE_PKCE"], values["OIDC_GROUPS_CLAIM"]) == (
        "RS256",
        True,
        "groups",
    )
    assert values["OIDC_GROUP_MAP"] == (GroupRule("bb", "soderhamn", "samordnare"),)
    assert values["AUTHENTICATION_BACKENDS"] == ["local", BACKEND]
    # Signing out is a form post that the app redirects to the provider: the CSP must allow that target.
    assert values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"] == [
        "'self'",
        "https://login.kommun.example",
    ]
    assert CSP["DIRECTIVES"]["form-action"] == ["'self'"]


def test_configured_from_explicit_endpoints_and_a_secret_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("från-fil\n", encoding="utf-8")
    endpoints = {
        f"BARNBOKSLUT_OIDC_{name}_ENDPOINT": f"https://idp.example/{name.lower()}"
        for name in ("AUTHORIZATION", "TOKEN", "USERINFO", "JWKS")
    }
    values = configure(
        {
            "BARNBOKSLUT_OIDC_CLIENT_ID": "bb",
            "BARNBOKSLUT_OIDC_CLIENT_SECRET_FILE": str(secret),
            "BARNBOKSLUT_OIDC_SCOPES": "openid,email  groups",
            **endpoints,
        }
    )
    assert values["OIDC_RP_CLIENT_SECRET"] == "från-fil"
    assert values["OIDC_OP_USER_ENDPOINT"] == "https://idp.example/userinfo"
    assert values["OIDC_OP_ISSUER"] == ""
    assert values["OIDC_RP_SCOPES"] == "openid email groups"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"BARNBOKSLUT_OIDC_ISSUER": "https://x"}, "BARNBOKSLUT_OIDC_CLIENT_ID saknas"),
        ({**BASE, "BARNBOKSLUT_OIDC_CLIENT_SECRET": ""}, "BARNBOKSLUT_OIDC_CLIENT_SECRET"),
        ({**BASE, "BARNBOKSLUT_OIDC_ISSUER": ""}, "BARNBOKSLUT_OIDC_AUTHORIZATION_ENDPOINT"),
        (
            {**BASE, "BARNBOKSLUT_OIDC_ISSUER": "login.kommun.se"},
            "BARNBOKSLUT_OIDC_ISSUER ska vara en adress",
        ),
        ({**BASE, "BARNBOKSLUT_OIDC_SCOPES": "email"}, "BARNBOKSLUT_OIDC_SCOPES ska innehålla openid"),
        ({**BASE, "BARNBOKSLUT_OIDC_SIGN_ALGO": "HS256"}, "BARNBOKSLUT_OIDC_SIGN_ALGO"),
        ({**BASE, "BARNBOKSLUT_OIDC_TIMEOUT": "lång"}, "BARNBOKSLUT_OIDC_TIMEOUT"),
        ({**BASE, "BARNBOKSLUT_OIDC_GROUPMAP": "x"}, "Okänd inställning"),
    ],
)
def test_a_bad_configuration_is_refused_in_swedish(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        configure(environ)


def test_without_configuration_the_login_page_has_no_button_and_the_sign_in_urls_are_not_there(
    db: None,
) -> None:
    client = Client()
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "kommunens konto" not in page.content.decode()
    assert client.get(reverse("oidc_login")).status_code == 404
    assert client.get(reverse("oidc_callback"), {"code": "x", "state": "y"}).status_code == 404


def test_the_group_map_gives_and_takes_only_the_roles_it_names(cast: Any) -> None:
    rules = parse_group_map(
        "bb-skribent = soderhamn:skribent:BOU; bb-skribent-svf = soderhamn:skribent:SVF,OKAND;"
        "bb-granskare = soderhamn:granskare; bb-x = finnsinte:lasare"
    )
    user = cast.lars  # läsare, given by an administrator: the map names no läsare, so it stays
    apply_group_map(None, user, {"bb-skribent", "bb-skribent-svf", "bb-granskare"}, rules)
    held = {m.role: {u.abbreviation for u in m.units.all()} for m in Membership.objects.filter(user=user)}
    assert held == {Role.READER: set(), Role.WRITER: {"BOU", "SVF"}, Role.REVIEWER: set()}
    changes = AuditEvent.objects.filter(
        user=user, action=AuditAction.ROLE_CHANGED, organisation=cast.organisation
    )
    assert changes.count() == 2

    apply_group_map(None, user, {"bb-skribent"}, rules)
    held = {m.role: {u.abbreviation for u in m.units.all()} for m in Membership.objects.filter(user=user)}
    assert held == {Role.READER: set(), Role.WRITER: {"BOU"}}
    assert AuditEvent.objects.filter(user=user, action=AuditAction.UNITS_CHANGED).count() == 1

    before = AuditEvent.objects.count()
    apply_group_map(None, user, {"bb-skribent"}, rules)  # nothing changed: nothing logged
    assert AuditEvent.objects.count() == before
    apply_group_map(None, user, set(), ())  # no map: nothing is touched
    assert Membership.objects.filter(user=user).count() == 2


def test_the_group_map_never_takes_the_role_of_the_last_active_administrator(
    cast: Any, caplog: pytest.LogCaptureFixture
) -> None:
    rules = parse_group_map("bb-admin = soderhamn:administrator")
    alva = cast.alva  # the only administratör of Söderhamn, and not in the group

    with caplog.at_level("WARNING", logger="barnbokslut.web.accounts.oidc"):
        apply_group_map(None, alva, {"alla-anstallda"}, rules)

    assert Membership.objects.filter(user=alva, organisation=cast.organisation, role=Role.ADMIN).exists()
    kept = AuditEvent.objects.get(user=alva, action=AuditAction.ROLE_CHANGED)
    assert kept.description == (
        "alva behöll rollen Administratör trots grupperna i kommunens inloggning: "
        "hen är den enda aktiva administratören i Söderhamns kommun"
    )
    assert "last active administrator" in caplog.text

    # With a second active administratör the map takes alva's role as it says.
    Membership.objects.create(user=cast.sam, organisation=cast.organisation, role=Role.ADMIN)
    apply_group_map(None, alva, {"alla-anstallda"}, rules)
    assert not Membership.objects.filter(user=alva, role=Role.ADMIN).exists()
    # ... and then sam's, now the last one, is kept.
    apply_group_map(None, cast.sam, set(), rules)
    assert Membership.objects.filter(user=cast.sam, role=Role.ADMIN).exists()


def test_a_deactivated_administrator_does_not_count_as_the_other_one(cast: Any) -> None:
    rules = parse_group_map("bb-admin = soderhamn:administrator")
    Membership.objects.create(user=cast.sam, organisation=cast.organisation, role=Role.ADMIN)
    cast.sam.is_active = False
    cast.sam.save(update_fields=["is_active"])

    apply_group_map(None, cast.alva, set(), rules)

    assert Membership.objects.filter(user=cast.alva, role=Role.ADMIN).exists()


def _claims(**extra: Any) -> dict[str, Any]:
    return {"sub": "s-1", "email": "nora@kommun.example", "email_verified": True, **extra}


ISSUER = "https://login.kommun.example"


def test_a_first_sign_in_without_a_local_account_of_that_email_creates_a_user(
    cast: Any, settings: Any
) -> None:
    settings.OIDC_LINK_VERIFIED_EMAIL = True
    assert oidc.link_decision(_claims(), ISSUER) == (None, None)
    assert oidc.link_decision(_claims(email=""), ISSUER) == (None, None)


def test_linking_needs_the_setting_a_verified_address_and_exactly_one_ordinary_account(
    cast: Any, settings: Any
) -> None:
    from django.contrib.auth import get_user_model

    cast.lars.email = "NORA@kommun.example"
    cast.lars.save(update_fields=["email"])

    settings.OIDC_LINK_VERIFIED_EMAIL = False
    user, reason = oidc.link_decision(_claims(), ISSUER)
    assert (user, reason) == (
        None,
        "kontot lars har redan e-postadressen nora@kommun.example och koppling är inte påslagen",
    )

    settings.OIDC_LINK_VERIFIED_EMAIL = True
    assert oidc.link_decision(_claims(), ISSUER) == (cast.lars, None)
    assert oidc.link_decision(_claims(email_verified="true"), ISSUER) == (cast.lars, None)
    for unverified in (False, "false", None):
        user, reason = oidc.link_decision(_claims(email_verified=unverified), ISSUER)
        assert user is None and reason is not None and "inte har bekräftat" in reason

    OidcIdentity.objects.create(user=cast.lars, issuer=ISSUER, subject="someone-else")
    user, reason = oidc.link_decision(_claims(), ISSUER)
    assert (
        user is None and reason == "kontot lars är redan kopplat till en annan person i kommunens inloggning"
    )
    OidcIdentity.objects.all().delete()

    get_user_model().objects.filter(pk=cast.lars.pk).update(is_superuser=True)
    user, reason = oidc.link_decision(_claims(), ISSUER)
    assert user is None and reason is not None and "systemkonto" in reason
    get_user_model().objects.filter(pk=cast.lars.pk).update(is_superuser=False)

    cast.greta.email = "nora@kommun.example"
    cast.greta.save(update_fields=["email"])
    user, reason = oidc.link_decision(_claims(), ISSUER)
    assert user is None and reason == "flera konton har e-postadressen nora@kommun.example"


@pytest.mark.parametrize(("value", "expected"), [("ja", True), ("1", True), ("nej", False), ("", False)])
def test_the_link_setting_reads_ja_or_nej(value: str, expected: bool) -> None:
    assert (
        configure({**BASE, "BARNBOKSLUT_OIDC_LINK_VERIFIED_EMAIL": value})["OIDC_LINK_VERIFIED_EMAIL"]
        is expected
    )


def test_a_bad_link_setting_is_refused_in_swedish() -> None:
    with pytest.raises(
        ImproperlyConfigured, match="LINK_VERIFIED_EMAIL ska vara ja eller nej, inte 'kanske'"
    ):
        configure({**BASE, "BARNBOKSLUT_OIDC_LINK_VERIFIED_EMAIL": "kanske"})


@pytest.fixture
def provider_down(settings: Any) -> None:
    """Configured for a provider that does not answer (nothing listens on port 9 of loopback)."""
    values = oidc_settings(
        {**BASE, "BARNBOKSLUT_OIDC_ISSUER": "http://127.0.0.1:9"},
        backends=list(settings.AUTHENTICATION_BACKENDS),
        csp=settings.CONTENT_SECURITY_POLICY,
    )
    for name, value in values.items():
        setattr(settings, name, value)
    oidc.discovery.cache_clear()


def test_a_provider_that_does_not_answer_gives_a_swedish_message_and_local_login_still_works(
    cast: Any, provider_down: None
) -> None:
    client = Client()
    page = client.get(reverse("login"))
    assert "Logga in med kommunens konto" in page.content.decode()
    response = client.get(reverse("oidc_login"), follow=True)
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "Kommunens inloggning svarar inte just nu" in response.content.decode()
    response = client.post(reverse("login"), {"username": "sam", "password": "losenord-123"})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    # A local session signs out locally, without asking the provider.
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_the_provider_answering_with_an_error_leads_back_to_the_login_page(
    cast: Any, provider_down: None
) -> None:
    response = Client().get(reverse("oidc_callback"), {"error": "access_denied", "state": "x"}, follow=True)
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "Inloggningen med kommunens konto misslyckades" in response.content.decode()
