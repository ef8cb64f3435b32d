"""Logins, failed logins and logouts go to the audit log, through the real login view."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts.models import AuditAction, AuditEvent

PASSWORD = "losenord-123"


def test_a_login_through_the_login_page_is_audited(cast):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "siri", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.user == cast.siri
    assert event.username == "siri"
    assert event.organisation is None
    assert event.ip == "10.0.0.7"
    assert "siri loggade in" in event.description


def test_a_wrong_password_is_audited_as_a_failed_login_naming_the_account(cast):
    client = Client()
    response = client.post(reverse("login"), {"username": "siri", "password": "fel-losenord"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.user == cast.siri
    assert event.username == "siri"
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()


def test_a_failed_login_for_an_unknown_username_belongs_to_nobody(cast):
    Client().post(reverse("login"), {"username": "inkraktare", "password": "x"})
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.user is None
    assert event.username == "inkraktare"


def test_a_deactivated_user_cannot_log_in_and_the_attempt_is_audited(cast):
    cast.lars.is_active = False
    cast.lars.save()
    client = Client()
    client.post(reverse("login"), {"username": "lars", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, user=cast.lars).exists()


def test_a_logout_is_audited(cast):
    client = Client()
    client.post(reverse("login"), {"username": "greta", "password": PASSWORD})
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, user=cast.greta).count() == 1
