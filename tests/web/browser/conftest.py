"""Browser journeys in Debian Chromium (pytest-playwright) against Django's live server.

The live server runs in a thread of the test process and shares the test database with the test, so every test
here uses ``@pytest.mark.django_db(transaction=True)``; Playwright's sync API runs an event loop in this thread,
hence DJANGO_ALLOW_ASYNC_UNSAFE (docs: /work/shared/notes/stack.md, traps 1 and 2). The browser launch itself is
configured once for the whole suite in tests/conftest.py.

Fixtures: ``last_year`` (Söderhamn's finished 2024 edition with two development areas), ``this_year`` (2025,
started from it with ``start_edition``), ``stina`` (a second skribent for BOU), ``kolada_cache`` (the example
snapshot fetched once, so the indicator pages have data), ``log_in(page, username)``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page

from barnbokslut.web.accounts.models import Membership, Role
from barnbokslut.web.editions.models import DevelopmentArea, Edition, EditionIndicator
from barnbokslut.web.editions.services import start_edition
from example_kolada import example_server

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "losenord-123"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> None:
    """Published files of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def kolada_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The example snapshot for Söderhamn 2025 fetched once into a cache file (Kolada URL, cache path)."""
    from barnbokslut.indicators.dataset import fetch_dataset
    from barnbokslut.kolada import KoladaClient
    from barnbokslut.web.editions.analysis import full_catalogue

    cache = tmp_path_factory.mktemp("kolada") / "kolada-cache.sqlite3"
    with example_server(port=0) as server:
        with KoladaClient(base_url=server.url, cache=cache, max_requests_per_second=1000.0) as client:
            fetch_dataset(client, full_catalogue(), 2025, municipality="2182")
        yield server.url, cache


@pytest.fixture
def last_year(cast: Any) -> Edition:
    """Söderhamn's 2024 edition, finished: two development areas that become 2025's follow-up rows."""
    edition = start_edition(cast.organisation, 2024, cast.sam)
    safe = DevelopmentArea.objects.create(
        edition=edition, area="Trygghet i skolan", measures="Fler vuxna på rasterna", order=0, articles=[3]
    )
    safe.units.set([cast.bou])
    DevelopmentArea.objects.create(
        edition=edition, area="Barns delaktighet", measures="Elevråd i alla skolor", order=1
    )
    EditionIndicator.objects.filter(edition=edition).exclude(kpi__in=["U31803", "N15428"]).delete()
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.CLOSED)
    return edition


@pytest.fixture
def this_year(cast: Any, last_year: Edition) -> Edition:
    return start_edition(cast.organisation, 2025, cast.sam)


@pytest.fixture
def stina(cast: Any) -> Any:
    """A second skribent for BOU, so two writers can edit the same section."""
    user = get_user_model().objects.create_user(username="stina", password=PASSWORD, first_name="Stina")
    Membership.objects.create(user=user, organisation=cast.organisation, role=Role.WRITER).units.set(
        [cast.bou]
    )
    return user


@pytest.fixture
def log_in(live_server: Any) -> Callable[[Page, str], None]:
    def log_in(page: Page, username: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}{reverse('login')}")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(lambda url: "logga-in" not in url)

    return log_in
