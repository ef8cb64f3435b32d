"""Who may see and change local data: every role of the organisation sees it; only samordnare and administratör
preview, import and delete; another organisation and anonymous visitors see nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from localdata_helpers import import_previewed, preview

from barnbokslut.web.accounts.models import Role
from barnbokslut.web.localdata.models import LocalTable

GOOD_CSV = b"Skola;Andel (%)\nNorrskolan;87,5\n"


@pytest.fixture
def table(edition):
    return LocalTable.objects.create(
        edition=edition, title="Behörighet", source_filename="b.csv", sha256="0" * 64,
        columns=["Skola", "Andel"], rows=[["Norrskolan", 87.5]],
    )  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
def test_every_role_of_the_organisation_sees_the_tables(client, cast, edition, table, role):
    client.force_login(cast.by_role(role))

    listing = client.get(reverse("localdata:list", args=[edition.pk]))
    detail = client.get(reverse("localdata:detail", args=[edition.pk, table.pk]))

    assert listing.status_code == detail.status_code == 200
    assert "Behörighet" in listing.content.decode()
    assert "87,5" in detail.content.decode()
    shows_upload = "Förhandsgranska</button>" in listing.content.decode()
    assert shows_upload == (role in (Role.ADMIN, Role.COORDINATOR))


@pytest.mark.parametrize("role", [Role.WRITER, Role.REVIEWER, Role.READER])
def test_writers_reviewers_and_readers_cannot_preview_import_or_delete(client, cast, edition, table, role):
    client.force_login(cast.by_role(role))

    previewed = preview(client, edition, "b.csv", GOOD_CSV)
    imported = import_previewed(client, edition, GOOD_CSV)
    deleted = client.post(reverse("localdata:delete", args=[edition.pk, table.pk]))

    assert previewed.status_code == imported.status_code == deleted.status_code == 403
    assert list(LocalTable.objects.values_list("title", flat=True)) == ["Behörighet"]


def test_another_organisation_sees_nothing_and_changes_nothing(client, cast, edition, table):
    client.force_login(cast.olle)  # samordnare, but in Bollnäs

    responses = [
        client.get(reverse("localdata:list", args=[edition.pk])),
        client.get(reverse("localdata:detail", args=[edition.pk, table.pk])),
        preview(client, edition, "b.csv", GOOD_CSV),
        client.post(reverse("localdata:delete", args=[edition.pk, table.pk])),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert LocalTable.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client, edition, table):
    response = client.get(reverse("localdata:list", args=[edition.pk]))
    posted = preview(client, edition, "b.csv", GOOD_CSV)

    assert response.status_code == posted.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_table_of_another_edition_is_not_found_under_this_one(client, cast, edition, table):
    from barnbokslut.web.editions.models import Edition

    other = Edition.objects.create(organisation=cast.organisation, year=2024, title="Barnbokslut")
    client.force_login(cast.sam)

    response = client.post(reverse("localdata:delete", args=[other.pk, table.pk]))

    assert response.status_code == 404
    assert LocalTable.objects.count() == 1


def test_the_pages_refuse_the_wrong_method(client, cast, edition, table):
    client.force_login(cast.sam)

    assert client.get(reverse("localdata:preview", args=[edition.pk])).status_code == 405
    assert client.get(reverse("localdata:import", args=[edition.pk])).status_code == 405
    assert client.get(reverse("localdata:delete", args=[edition.pk, table.pk])).status_code == 405
