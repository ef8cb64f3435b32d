"""The login page's title names the site, not the host it was reached on (issue 13, item 10)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_the_login_page_has_a_swedish_title_not_the_host(db: None) -> None:
    page = Client().get(reverse("login")).content.decode()  # the test client's host is "testserver"
    assert "<title>Logga in – Barnbokslut</title>" in page
    assert "testserver" not in page
