"""Mitt konto: a user's own roles and a password change that is audited."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts.models import AuditAction, AuditEvent, Membership, Role

PASSWORD = "losenord-123"


def logged_in(username: str) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_the_account_page_lists_the_users_own_roles_and_units(cast):
    Membership.objects.create(user=cast.siri, organisation=cast.other_organisation, role=Role.READER)
    response = logged_in("siri").get(reverse("accounts:account"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Söderhamns kommun" in text and "Skribent" in text and "Barn och unga (BOU)" in text
    assert "Bollnäs kommun" in text and "Läsare" in text


def test_a_user_changes_her_password_stays_logged_in_and_it_is_audited(cast):
    client = logged_in("greta")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "ett-nytt-langt-losenord",
            "new_password2": "ett-nytt-langt-losenord",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=cast.greta.pk).check_password("ett-nytt-langt-losenord")
    assert client.get(reverse("accounts:account")).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert event.user == cast.greta and event.organisation is None


def test_a_wrong_old_password_changes_nothing(cast):
    client = logged_in("greta")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "fel",
            "new_password1": "ett-nytt-langt-losenord",
            "new_password2": "ett-nytt-langt-losenord",
        },
    )
    assert response.status_code == 400
    assert "felaktigt" in response.content.decode().lower()
    assert get_user_model().objects.get(pk=cast.greta.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()


def test_the_account_page_needs_a_login(db):
    for url in (reverse("accounts:account"), reverse("accounts:password_change")):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
