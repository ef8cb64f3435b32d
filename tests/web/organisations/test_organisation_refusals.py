"""Only the administratör changes the organisation; the samordnare may look; everyone else is refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse


def client_for(cast, request, who: str) -> Client:
    client = Client()
    client.force_login(request.getfixturevalue("otto") if who == "otto" else getattr(cast, who))
    return client


def pages(cast) -> list[tuple[str, dict]]:
    org, unit = cast.organisation.pk, cast.svf.pk
    return [
        (reverse("organisations:update", args=[org]), {"name": "Kapad", "kommun": "0000"}),
        (
            reverse("organisations:unit_create", args=[org]),
            {"name": "Kapad", "abbreviation": "KAP", "order": 0},
        ),
        (
            reverse("organisations:unit_edit", args=[org, unit]),
            {"name": "Kapad", "abbreviation": "KAP", "order": 0},
        ),
        (reverse("organisations:unit_delete", args=[org, unit]), {}),
    ]


@pytest.mark.parametrize("who", ["sam", "siri", "greta", "lars", "olle", "otto"])
def test_every_edit_page_refuses_everyone_but_the_admin_and_changes_nothing(cast, request, db_state, who):
    client = client_for(cast, request, who)
    before = db_state()
    for url, data in pages(cast):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert db_state() == before


@pytest.mark.parametrize("who", ["siri", "greta", "lars", "olle", "otto"])
def test_the_organisation_page_is_refused_to_writers_reviewers_readers_and_outsiders(cast, request, who):
    response = client_for(cast, request, who).get(
        reverse("organisations:detail", args=[cast.organisation.pk])
    )
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_login_and_change_nothing(cast, db_state):
    client = Client()
    before = db_state()
    urls = [(reverse("organisations:detail", args=[cast.organisation.pk]), {}), *pages(cast)]
    for url, data in urls:
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert db_state() == before


def test_the_organisation_page_itself_is_read_only(cast):
    client = Client()
    client.force_login(cast.alva)
    assert client.post(reverse("organisations:detail", args=[cast.organisation.pk])).status_code == 405
