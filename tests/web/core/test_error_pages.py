"""403, 404 and 500 as the production server answers them (DEBUG off): Swedish pages, the site's menu on 403 and
404, the server's Swedish reason on 403, and a 500 page that needs neither the database nor the request."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from barnbokslut.web.core import views as core_views
from barnbokslut.web.editions.models import Edition

pytestmark = pytest.mark.usefixtures("cast")

MENU = 'aria-label="Huvudmeny"'


@override_settings(DEBUG=False)
def test_a_refusal_shows_the_servers_swedish_reason_with_the_menu(
    client: Client, cast, edition: Edition
) -> None:
    client.force_login(cast.greta)
    response = client.get(reverse("editions:structure", args=[edition.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "<title>Ingen behörighet – Barnbokslut</title>" in page
    assert "Bara samordnare och administratörer kan ändra rapportens struktur." in page
    assert MENU in page and "Mitt konto" in page
    assert "Forbidden" not in page


@override_settings(DEBUG=False)
def test_a_refusal_without_its_own_reason_says_the_general_one(
    client: Client, cast, edition: Edition
) -> None:
    client.force_login(cast.greta)
    response = client.get(reverse("publishing:publish", args=[edition.pk]))
    assert response.status_code == 403
    assert "Du har inte behörighet till detta." in response.content.decode()


@override_settings(DEBUG=False)
def test_a_missing_page_is_swedish_with_the_menu(client: Client, cast) -> None:
    client.force_login(cast.sam)
    response = client.get("/arsgang/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Sidan finns inte – Barnbokslut</title>" in page
    assert "Det finns ingen sida på den här adressen." in page
    assert MENU in page and "Logga ut sam" in page
    assert "Not Found" not in page and "matches the given query" not in page


@override_settings(DEBUG=False)
def test_a_server_error_is_a_swedish_page_of_its_own(cast, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the home page broke")

    monkeypatch.setattr(core_views, "render", broken)
    client = Client(raise_request_exception=False)
    client.force_login(cast.sam)
    response = client.get(reverse("core:home"))
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="sv">' in page and "<title>Något gick fel – Barnbokslut</title>" in page
    assert "Ett fel uppstod på servern och sidan kunde inte visas." in page
    assert "Server Error" not in page and "the home page broke" not in page
    assert MENU not in page  # nothing that needs the request or the database


@override_settings(DEBUG=False)
def test_a_form_refused_by_the_csrf_check_is_explained_in_swedish(cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.sam)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="sv">' in page
    assert "<title>Formuläret kunde inte skickas – Barnbokslut</title>" in page
    assert "ladda om sidan och skicka formuläret igen" in page
    assert "Forbidden" not in page and "CSRF" not in page


def test_the_logout_button_names_the_person_not_the_username(client: Client, cast) -> None:
    """Issue 13, item 10: names, not usernames, where people are shown; the username only when there is no name."""
    cast.sam.first_name, cast.sam.last_name = "Sam", "Samordnare"
    cast.sam.save()
    client.force_login(cast.sam)
    page = client.get("/").content.decode()
    assert "Logga ut Sam Samordnare" in page and "Logga ut sam<" not in page
