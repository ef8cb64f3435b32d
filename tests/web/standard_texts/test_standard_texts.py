"""The edition's standard texts (syfte, begrepp, grundprinciper): the samordnare and the administratör edit them
while the edition is open, the report shows the new texts, a bad article heading is refused and nothing saved;
last year's own texts are marked "från förra året" until saved changed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts.models import AuditAction, AuditEvent
from barnbokslut.web.editions.models import Edition
from barnbokslut.web.editions.services import default_standard_texts, start_edition
from barnbokslut.web.publishing.report_from_db import edition_report

PAGE = "editions:standard_texts"

BEGREPP = "## Barnrättsbaserat beslutsstöd\n\nEtt verktyg för att pröva barnets bästa i ett beslut.\n"
ARTIKLAR = (
    "## Artikel 2 – Lika värde\n\nAlla barn är lika mycket värda.\n\n"
    "## Artikel 3 – Barnets bästa\n\nBarnets bästa först.\n\n"
    "## Artikel 6 – Liv och utveckling\n\nVarje barn ska få växa.\n\n"
    "## Artikel 12 – Att bli hörd\n\nBarn ska få säga sin mening.\n"
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def texts(**changes: str) -> dict[str, str]:
    shipped = default_standard_texts()
    return {key: changes.get(key, shipped[key]) for key in ("syfte", "begrepp", "grundprinciper")}


def introduction(edition: Edition):
    edition = Edition.objects.get(pk=edition.pk)
    report = edition_report(edition, analysis=None).report
    return report.introduction


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.ORGANISATION_CHANGED))


def test_the_page_shows_the_shipped_texts_with_swedish_labels_and_help(cast, edition):
    response = client_for(cast.sam).get(reverse(PAGE, args=[edition.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for label in ("Syfte och bakgrund", "Viktiga begrepp", "De fyra grundläggande artiklarna"):
        assert label in text
    assert "## Barnperspektiv" in text and "## Artikel 2 – Icke-diskriminering" in text
    assert "## Artikel 2 – Titel" in text
    detail = client_for(cast.sam).get(reverse("editions:detail", args=[edition.pk])).content.decode()
    assert reverse(PAGE, args=[edition.pk]) in detail


def test_a_new_concept_and_new_article_titles_appear_in_the_report_and_the_change_is_audited(cast, edition):
    before = [c.term for c in introduction(edition).concepts]
    assert "Barnrättsbaserat beslutsstöd" not in before
    response = client_for(cast.sam).post(
        reverse(PAGE, args=[edition.pk]),
        texts(begrepp=BEGREPP, grundprinciper=ARTIKLAR.replace("\n", "\r\n"), syfte="Vårt eget syfte.\n"),
    )
    assert response.status_code == 302
    intro = introduction(edition)
    assert [c.term for c in intro.concepts] == ["Barnrättsbaserat beslutsstöd"]
    assert [(p.article, p.title) for p in intro.principles] == [
        (2, "Lika värde"),
        (3, "Barnets bästa"),
        (6, "Liv och utveckling"),
        (12, "Att bli hörd"),
    ]
    saved = Edition.objects.get(pk=edition.pk).standard_texts
    assert saved["grundprinciper"] == ARTIKLAR and "\r" not in saved["grundprinciper"]
    (event,) = events()
    assert event.user == cast.sam and event.organisation == cast.organisation
    assert "Ändrade standardtexter i Barnbokslut 2025" in event.description
    assert "viktiga begrepp" in event.description and "syfte och bakgrund" in event.description


def test_the_administrator_may_edit_them_too(cast, edition):
    response = client_for(cast.alva).post(reverse(PAGE, args=[edition.pk]), texts(begrepp=BEGREPP))
    assert response.status_code == 302
    assert Edition.objects.get(pk=edition.pk).standard_texts["begrepp"] == BEGREPP


def test_saving_unchanged_texts_records_nothing(cast, edition):
    client = client_for(cast.sam)
    response = client.post(reverse(PAGE, args=[edition.pk]), texts())
    assert response.status_code == 302
    assert Edition.objects.get(pk=edition.pk).standard_texts == {}
    assert events() == []
    # An empty field means the shipped text, so emptying one that is the shipped text changes nothing either.
    client.post(reverse(PAGE, args=[edition.pk]), texts(syfte=""))
    assert Edition.objects.get(pk=edition.pk).standard_texts == {} and events() == []


@pytest.mark.parametrize(
    ("grundprinciper", "message"),
    [
        (
            "## Artikel 2 – Lika värde\n\nText.\n\n## Artikel 5 – Fel\n\nText.\n",
            "Rad 5: rubriken ”Artikel 5 – Fel” ska vara Artikel 2, 3, 6 eller 12.",
        ),
        ("## Barnets bästa\n\nText.\n", "Rad 1: rubriken ”Barnets bästa” ska vara Artikel 2, 3, 6 eller 12."),
        ("Bara en text utan rubriker.", "Texten har inga artiklar."),
    ],
)
def test_a_bad_article_heading_is_refused_in_swedish_and_nothing_is_saved(
    cast, edition, grundprinciper, message
):
    response = client_for(cast.sam).post(
        reverse(PAGE, args=[edition.pk]), texts(begrepp=BEGREPP, grundprinciper=grundprinciper)
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert BEGREPP.split("\n")[0] in text  # what was typed is kept in the form
    assert Edition.objects.get(pk=edition.pk).standard_texts == {}
    assert events() == []


def test_concepts_without_headings_are_refused(cast, edition):
    response = client_for(cast.sam).post(reverse(PAGE, args=[edition.pk]), texts(begrepp="Bara text."))
    assert response.status_code == 400
    assert "Texten har inga begrepp." in response.content.decode()
    assert Edition.objects.get(pk=edition.pk).standard_texts == {}


def test_a_closed_edition_refuses_with_403_and_hides_the_link(cast, edition):
    edition.state = Edition.State.CLOSED
    edition.save()
    for user in (cast.sam, cast.alva):
        client = client_for(user)
        assert client.get(reverse(PAGE, args=[edition.pk])).status_code == 403
        assert client.post(reverse(PAGE, args=[edition.pk]), texts(begrepp=BEGREPP)).status_code == 403
    assert Edition.objects.get(pk=edition.pk).standard_texts == {}
    assert events() == []
    detail = client_for(cast.sam).get(reverse("editions:detail", args=[edition.pk])).content.decode()
    assert reverse(PAGE, args=[edition.pk]) not in detail


@pytest.mark.parametrize("who", ["siri", "sven", "greta", "lars", "olle"])
def test_writers_reviewers_readers_and_outsiders_get_403(cast, edition, who):
    client = client_for(getattr(cast, who))
    assert client.get(reverse(PAGE, args=[edition.pk])).status_code == 403
    assert client.post(reverse(PAGE, args=[edition.pk]), texts(begrepp=BEGREPP)).status_code == 403
    assert Edition.objects.get(pk=edition.pk).standard_texts == {}
    assert events() == []
    if who != "olle":
        detail = client.get(reverse("editions:detail", args=[edition.pk])).content.decode()
        assert reverse(PAGE, args=[edition.pk]) not in detail


def test_anonymous_visitors_are_sent_to_login(cast, edition):
    response = Client().post(reverse(PAGE, args=[edition.pk]), texts(begrepp=BEGREPP))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Edition.objects.get(pk=edition.pk).standard_texts == {}


OWN_PURPOSE = "Söderhamns eget syfte med barnbokslutet.\n"


@pytest.fixture
def carried(cast) -> Edition:
    """2025 started from a 2024 with its own Syfte and Begrepp: both marked "från förra året"."""
    Edition.objects.create(
        organisation=cast.organisation,
        year=2024,
        title="Barnbokslut",
        state=Edition.State.CLOSED,
        standard_texts={"syfte": OWN_PURPOSE, "begrepp": BEGREPP},
    )
    edition = start_edition(cast.organisation, 2025, cast.sam)
    assert edition.standard_texts_carried_over == ["syfte", "begrepp"]
    return edition


def marks(edition: Edition) -> list[str]:
    return Edition.objects.get(pk=edition.pk).standard_texts_carried_over


def test_saving_a_text_changed_clears_its_mark_and_keeps_the_others(cast, carried):
    client = client_for(cast.sam)
    url = reverse(PAGE, args=[carried.pk])
    # Saved as it is (Windows line endings from the browser): nothing changed, both marks stay.
    same = texts(syfte=OWN_PURPOSE.replace("\n", "\r\n"), begrepp=BEGREPP)
    assert client.post(url, same).status_code == 302
    assert marks(carried) == ["syfte", "begrepp"] and events() == []

    response = client.post(url, {**same, "begrepp": BEGREPP + "\n## Barnrättsperspektiv\n\nNy text.\n"})
    assert response.status_code == 302
    assert marks(carried) == ["syfte"]
    page = client.get(url).content.decode()
    assert "”Syfte och bakgrund” är förra årets text och har inte ändrats än. Se över den" in page
    assert "Viktiga begrepp” är förra årets" not in page

    # A refused save changes no mark.
    bad = client.post(url, {**same, "syfte": "Årets syfte.", "begrepp": "Bara text."})
    assert bad.status_code == 400
    assert marks(carried) == ["syfte"]

    assert client.post(url, {**same, "syfte": "Årets syfte."}).status_code == 302
    assert marks(carried) == []
    assert 'id="fran-forra-aret"' not in client.get(url).content.decode()
