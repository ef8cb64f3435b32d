"""Only Söderhamn's administratör manages its users: everyone else is refused, and crafted POSTs change nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts.models import Role

REFUSED = ["sam", "siri", "greta", "lars", "olle", "otto"]

#: (url name, needs a member, POST data) for every page of users and roles.
PAGES = [
    ("members", False, {}),
    ("member_create", False, {"username": "smygare", "role": Role.ADMIN, "password": "ett-langt-losenord"}),
    ("member_detail", True, {}),
    ("member_roles", True, {"roles": [Role.ADMIN, Role.WRITER], "writer_units": ["BOU", "SVF"]}),
    ("member_password", True, {"password": "ett-langt-losenord"}),
    ("member_deactivate", True, {}),
    ("member_activate", True, {}),
]
GET_PAGES = {"members", "member_create", "member_detail"}
POST_PAGES = {name for name, _, _ in PAGES} - {"members", "member_detail"}


def _url(cast, name: str, needs_member: bool) -> str:
    args = [cast.organisation.pk, cast.sven.pk] if needs_member else [cast.organisation.pk]
    return reverse(f"accounts:{name}", args=args)


def _data(cast, data: dict) -> dict:
    if "writer_units" in data:
        return {**data, "writer_units": [cast.bou.pk, cast.svf.pk]}
    return data


def _client(cast, request, who: str) -> Client:
    client = Client()
    user = request.getfixturevalue("otto") if who == "otto" else getattr(cast, who)
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", REFUSED)
@pytest.mark.parametrize(("name", "needs_member", "data"), PAGES, ids=[p[0] for p in PAGES])
def test_a_non_admin_is_refused_every_users_page_and_changes_nothing(
    cast, request, db_state, who, name, needs_member, data
):
    cast.sven.is_active = name != "member_activate"  # so that activating would be a change
    cast.sven.save()
    client = _client(cast, request, who)
    before = db_state()
    url = _url(cast, name, needs_member)
    if name in GET_PAGES:
        assert client.get(url).status_code == 403
    if name in POST_PAGES:
        assert client.post(url, _data(cast, data)).status_code == 403
    assert db_state() == before


@pytest.mark.parametrize(("name", "needs_member", "data"), PAGES, ids=[p[0] for p in PAGES])
def test_an_anonymous_visitor_is_sent_to_the_login_page_and_changes_nothing(
    cast, db_state, name, needs_member, data
):
    client = Client()
    before = db_state()
    url = _url(cast, name, needs_member)
    for response in (client.get(url), client.post(url, _data(cast, data))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert db_state() == before


@pytest.mark.parametrize(("name", "needs_member", "data"), PAGES, ids=[p[0] for p in PAGES])
def test_an_admin_of_one_organisation_cannot_reach_into_another(
    cast, otto, db_state, name, needs_member, data
):
    """otto administers Bollnäs; Söderhamn's pages refuse him, and Söderhamn's members are not his to touch."""
    client = Client()
    client.force_login(otto)
    before = db_state()
    args = [cast.other_organisation.pk, cast.sven.pk] if needs_member else [cast.other_organisation.pk]
    url = reverse(f"accounts:{name}", args=args)
    if needs_member:  # sven is not a member of Bollnäs: his page does not exist there
        response = client.post(url, _data(cast, data)) if name in POST_PAGES else client.get(url)
        assert response.status_code == 404
    else:  # otto's own list and form work, and show none of Söderhamn's people
        response = client.get(url)
        assert response.status_code == 200
        assert ">sven<" not in response.content.decode()
    assert db_state() == before


def test_writes_are_post_only(cast):
    client = Client()
    client.force_login(cast.alva)
    for name in ("member_roles", "member_password", "member_deactivate", "member_activate"):
        assert client.get(_url(cast, name, True)).status_code == 405


def test_a_post_without_a_csrf_token_is_refused(cast, db_state):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.alva)
    before = db_state()
    assert client.post(_url(cast, "member_roles", True), {"roles": [Role.READER]}).status_code == 403
    assert db_state() == before


@pytest.mark.parametrize("who", ["siri", "greta", "lars", "olle", "otto"])
def test_the_audit_log_is_refused_to_everyone_but_admin_and_coordinator(cast, request, who):
    client = _client(cast, request, who)
    assert client.get(reverse("accounts:audit_log", args=[cast.organisation.pk])).status_code == 403


def test_the_audit_log_sends_anonymous_visitors_to_login(cast):
    response = Client().get(reverse("accounts:audit_log", args=[cast.organisation.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_audit_log_has_no_write_method(cast):
    client = Client()
    client.force_login(cast.alva)
    assert client.post(reverse("accounts:audit_log", args=[cast.organisation.pk])).status_code == 405
