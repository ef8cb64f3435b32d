"""The audit log: newest first, 50 a page, filterable, readable by admin and coordinator, and append-only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction, AuditEvent, AuditEventImmutableError


def log_url(cast) -> str:
    return reverse("accounts:audit_log", args=[cast.organisation.pk])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def descriptions(response) -> list[str]:
    return [event.description for event in response.context["page"]]


@pytest.fixture
def history(cast, otto):
    """One organisation event in each organisation, and logins of a member, an outsider and a stranger."""
    record(AuditAction.STATUS_CHANGED, "Inledningen är klar", user=cast.siri, organisation=cast.organisation)
    record(
        AuditAction.STATUS_CHANGED,
        "Bollnäs inledning är klar",
        user=otto,
        organisation=cast.other_organisation,
    )
    record(AuditAction.LOGIN, "siri loggade in", user=cast.siri)
    record(AuditAction.LOGIN_FAILED, "Misslyckad inloggning som 'greta'", user=cast.greta, username="greta")
    record(AuditAction.LOGIN, "otto loggade in", user=otto)
    record(AuditAction.LOGIN_FAILED, "Misslyckad inloggning som 'okand'", username="okand")


def test_an_admin_sees_the_organisations_events_and_its_members_logins(cast, history):
    response = client_for(cast.alva).get(log_url(cast))
    assert response.status_code == 200
    shown = descriptions(response)
    assert "Inledningen är klar" in shown
    assert "siri loggade in" in shown
    assert "Misslyckad inloggning som 'greta'" in shown
    assert "Bollnäs inledning är klar" not in shown
    assert "otto loggade in" not in shown
    assert "Misslyckad inloggning som 'okand'" not in shown


def test_a_coordinator_sees_the_organisations_events_but_no_logins(cast, history):
    response = client_for(cast.sam).get(log_url(cast))
    assert response.status_code == 200
    assert descriptions(response) == ["Inledningen är klar"]


def test_a_superuser_also_sees_failed_logins_for_unknown_usernames(cast, history, root):
    shown = descriptions(client_for(root).get(log_url(cast)))
    assert "Misslyckad inloggning som 'okand'" in shown
    assert "otto loggade in" not in shown


def test_events_are_newest_first_and_paginated_fifty_a_page(cast):
    alva = client_for(cast.alva)
    for number in range(1, 121):
        record(
            AuditAction.STATUS_CHANGED, f"Händelse {number}", user=cast.sam, organisation=cast.organisation
        )
    first = alva.get(log_url(cast))
    shown = descriptions(first)
    assert len(shown) == 50
    assert shown[0] == "Händelse 120" and shown[-1] == "Händelse 71"
    assert "sida 1 av 3" in first.content.decode()
    last = descriptions(alva.get(log_url(cast), {"sida": 3}))
    # alva's own login (force_login) has no organisation, but she is a member: it is the oldest line.
    assert len(last) == 21
    assert last[-2:] == ["Händelse 1", "alva loggade in"]


def test_the_log_is_filtered_by_action_and_by_user(cast, history):
    record(
        AuditAction.ROLE_CHANGED,
        "alva ändrade rollen för lars",
        user=cast.alva,
        organisation=cast.organisation,
    )
    alva = client_for(cast.alva)
    by_action = descriptions(alva.get(log_url(cast), {"action": AuditAction.ROLE_CHANGED}))
    assert by_action == ["alva ändrade rollen för lars"]
    by_user = descriptions(alva.get(log_url(cast), {"user": cast.siri.pk}))
    assert by_user == ["siri loggade in", "Inledningen är klar"]
    both = descriptions(alva.get(log_url(cast), {"user": cast.siri.pk, "action": AuditAction.LOGIN}))
    assert both == ["siri loggade in"]


def test_a_page_link_keeps_the_filter(cast):
    for number in range(60):
        record(
            AuditAction.STATUS_CHANGED, f"Händelse {number}", user=cast.sam, organisation=cast.organisation
        )
    text = client_for(cast.alva).get(log_url(cast), {"action": AuditAction.STATUS_CHANGED}).content.decode()
    assert "?action=status_changed&amp;sida=2" in text


def test_an_audit_event_cannot_be_updated(cast):
    event = record(AuditAction.STATUS_CHANGED, "Original", user=cast.sam, organisation=cast.organisation)
    event.description = "Förfalskad"
    with pytest.raises(AuditEventImmutableError):
        event.save()
    with pytest.raises(AuditEventImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(description="Förfalskad")
    assert AuditEvent.objects.get(pk=event.pk).description == "Original"


def test_an_audit_event_cannot_be_deleted(cast):
    event = record(AuditAction.STATUS_CHANGED, "Original", user=cast.sam, organisation=cast.organisation)
    with pytest.raises(AuditEventImmutableError):
        event.delete()
    with pytest.raises(AuditEventImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_deactivated_users_events_keep_their_name(cast):
    record(AuditAction.STATUS_CHANGED, "Styrkor är klara", user=cast.sven, organisation=cast.organisation)
    cast.sven.is_active = False
    cast.sven.save()
    text = client_for(cast.alva).get(log_url(cast)).content.decode()
    assert "<td>sven</td>" in text and "Styrkor är klara" in text
