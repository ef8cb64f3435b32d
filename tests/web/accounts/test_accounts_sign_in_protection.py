"""Issue 12, row 3 and 10: sign-in protection (django-axes), password rules and the idle session timeout.

Before: 30 wrong passwords in 12.6 s all answered 200 and the right one then logged in; ``y_lasare12`` (the
username and digits) and ``Sommar2025`` were accepted as passwords; a session lasted 14 days however idle.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts.middleware import LAST_SEEN
from barnbokslut.web.accounts.models import AuditAction, AuditEvent, Role

PASSWORD = "losenord-123"
LIMIT = settings.AXES_FAILURE_LIMIT


def _login(client: Client, username: str, password: str, address: str = "10.0.0.7"):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_account_is_locked_after_the_limit_and_the_right_password_no_longer_works(cast) -> None:
    client = Client()
    answers = [_login(client, "siri", f"fel-{n}").status_code for n in range(LIMIT)]
    assert answers[:-1] == [200] * (LIMIT - 1) and answers[-1] == 429

    refused = _login(
        Client(), "siri", PASSWORD, address="10.0.0.99"
    )  # another address: the account is locked
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "För många misslyckade inloggningar" in text and "Försök igen om 15 minuter" in text
    assert "_auth_user_id" not in client.session
    locked = AuditEvent.objects.filter(action=AuditAction.LOGIN_LOCKED)
    assert locked.count() == 2 and {e.username for e in locked} == {"siri"}
    assert locked.filter(user=cast.siri).count() == 2

    # Other accounts from other addresses are not affected.
    assert _login(Client(), "greta", PASSWORD, address="10.0.0.50").status_code == 302


def test_an_address_is_locked_after_the_limit_for_every_account(cast) -> None:
    for n in range(LIMIT):
        _login(Client(), f"gissning{n}", "x", address="192.0.2.9")
    assert _login(Client(), "greta", PASSWORD, address="192.0.2.9").status_code == 429
    assert _login(Client(), "greta", PASSWORD, address="192.0.2.10").status_code == 302


def test_a_successful_login_resets_the_count(cast) -> None:
    for _ in range(LIMIT - 1):
        _login(Client(), "siri", "fel")
    assert _login(Client(), "siri", PASSWORD).status_code == 302
    for _ in range(LIMIT - 1):
        _login(Client(), "siri", "fel")
    assert _login(Client(), "siri", PASSWORD).status_code == 302


def test_the_lockout_counts_the_address_the_trusted_proxy_names(cast, settings) -> None:
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    for n in range(LIMIT):  # everyone comes through the proxy on 127.0.0.1
        Client().post(
            reverse("login"),
            {"username": f"gissning{n}", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    ok = Client().post(
        reverse("login"),
        {"username": "greta", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert ok.status_code == 302


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("y_lasare", "y_lasare12", "för likt"),
        ("kim", "Sommar2025", "för vanligt"),
        ("kim", "Hejhej123!", "för vanligt"),
        ("kim", "Kalle.Anka1974", "för vanligt"),
        ("kim", "Lösenord2024", "för vanligt"),
        ("kim", "1234567890", "enbart numeriskt"),
    ],
)
def test_weak_passwords_are_refused_in_swedish(client: Client, cast, username, password, message) -> None:
    client.force_login(cast.alva)
    url = reverse("accounts:member_create", args=[cast.organisation.pk])
    response = client.post(url, {"username": username, "role": Role.READER, "password": password})
    assert response.status_code == 400 or response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username=username).exists()


@pytest.mark.parametrize("password", ["ett-langt-losenord", "gul-cykel-under-eken", "Vintersol i Ljusdal 7"])
def test_a_passphrase_passes(password: str) -> None:
    password_validation.validate_password(password, get_user_model()(username="kim"))


def test_the_swedish_rule_applies_to_a_changed_password_too(cast) -> None:
    with pytest.raises(ValidationError):
        password_validation.validate_password("Vinter2026!", cast.siri)


def test_a_session_idle_past_the_timeout_ends_with_a_swedish_message(client: Client, cast) -> None:
    client.force_login(cast.siri)
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()

    response = client.get(reverse("core:home"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "inte har gjort något på 30 minuter" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_in_use_stays(client: Client, cast) -> None:
    client.force_login(cast.siri)
    client.get(reverse("core:home"))
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 60
    session.save()
    assert client.get(reverse("core:home")).status_code == 200
    assert client.session[LAST_SEEN] >= int(time.time()) - 1


def test_the_idle_timeout_and_the_session_age_are_settings() -> None:
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
