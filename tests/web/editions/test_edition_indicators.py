"""The indicators page and "Uppdatera från Kolada", end to end against our Kolada server (example snapshot).

The refresh runs the way production runs it: the POST only enqueues a django-tasks task, and the database
worker (``db_worker --batch``) runs it. Page views read the shared cache offline and never ask Kolada.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from barnbokslut.web.editions import analysis
from barnbokslut.web.editions.analysis import edition_analysis, kolada_fetched_at
from barnbokslut.web.editions.models import EditionIndicator, KoladaRefresh

# The worker and the page share one database; the worker commits its own transactions.
pytestmark = pytest.mark.django_db(transaction=True)


def login(client: Client, user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


@pytest.fixture
def chosen(edition) -> list[str]:  # type: ignore[no-untyped-def]
    kpis = ["U31803", "N15613", "N02903"]
    for order, kpi in enumerate(kpis):
        EditionIndicator.objects.create(edition=edition, kpi=kpi, order=order)
    return kpis


def page(client: Client, edition) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("editions:indicators", args=[edition.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_before_any_refresh_the_page_says_nothing_is_fetched(
    client: Client, cast, edition, chosen, kolada
) -> None:
    text = page(login(client, cast.lars), edition)

    assert "Inga nyckeltal hämtade ännu — klicka Uppdatera från Kolada" in text
    assert kolada.requests == []
    assert edition_analysis(edition) is None


def test_the_refresh_runs_in_the_background_and_the_page_then_shows_soderhamn(
    client: Client, cast, edition, chosen, kolada, run_worker
) -> None:
    login(client, cast.sam)
    started = client.post(
        reverse("editions:kolada_refresh", args=[edition.pk]), headers={"HX-Request": "true"}
    )

    # The POST only queued the work: nothing was asked of Kolada yet, and the fragment polls for progress.
    refresh = KoladaRefresh.objects.get(edition=edition)
    assert started.status_code == 200
    assert kolada.requests == []
    assert refresh.state == KoladaRefresh.State.QUEUED
    assert 'hx-trigger="every 1s"' in started.content.decode()
    assert DBTaskResult.objects.count() == 1

    run_worker()

    refresh.refresh_from_db()
    assert refresh.state == KoladaRefresh.State.DONE
    assert (refresh.progress, refresh.requests) == (100, len(kolada.requests))
    assert refresh.requests > 0
    status = client.get(reverse("editions:kolada_refresh_status", args=[edition.pk, refresh.pk]))
    assert "every 1s" not in status.content.decode()
    assert "klar" in status.content.decode()

    asked = len(kolada.requests)
    text = page(client, edition)
    assert "Nyckeltal för Söderhamn 2025" in text
    assert "Andelen barn som ingår i familjer med ekonomiskt bistånd" in text
    assert "Ekonomisk utsatthet" in text
    assert "Exempeldata" in text
    assert f'src="/arsgang/{edition.pk}/nyckeltal/U31803/diagram.svg?v=' in text

    analysis.clear_memory()  # a fresh process: read from the cache file again
    assert "Andelen barn som ingår i familjer med ekonomiskt bistånd" in page(client, edition)
    assert len(kolada.requests) == asked  # page views never ask Kolada


def test_the_analysis_covers_the_chosen_indicators_in_order(
    cast, edition, chosen, kolada, run_worker
) -> None:
    KoladaRefresh.objects.create(edition=edition)
    from barnbokslut.web.editions.tasks import refresh_kolada

    refresh_kolada.enqueue(KoladaRefresh.objects.get().pk)
    run_worker()

    found = edition_analysis(edition)
    assert found is not None
    assert [r.kpi for r in found.results] == chosen
    assert found.municipality.title == "Söderhamn"
    assert kolada_fetched_at(edition) == found.fetched_at is not None

    # Choosing another catalogue indicator needs no new fetch: the cache holds the whole catalogue.
    EditionIndicator.objects.create(edition=edition, kpi="N15428", order=9)
    again = edition_analysis(edition)
    assert again is not None and [r.kpi for r in again.results] == [*chosen, "N15428"]


def test_a_failed_refresh_says_so_and_the_last_data_stays(
    client: Client, cast, edition, chosen, kolada, run_worker
) -> None:
    login(client, cast.alva)
    client.post(reverse("editions:kolada_refresh", args=[edition.pk]))
    run_worker()
    kolada.stop()

    client.post(reverse("editions:kolada_refresh", args=[edition.pk]))
    run_worker()

    failed = KoladaRefresh.objects.order_by("-created_at").first()
    assert failed.state == KoladaRefresh.State.FAILED
    assert "Kolada svarade inte" in failed.message
    text = page(client, edition)
    assert "Uppdateringen från Kolada misslyckades" in text
    assert "Andelen barn som ingår i familjer med ekonomiskt bistånd" in text


def test_a_refresh_with_nothing_cached_and_kolada_down_fails_with_a_message(
    client: Client, cast, edition, chosen, kolada, run_worker
) -> None:
    kolada.stop()
    login(client, cast.sam).post(reverse("editions:kolada_refresh", args=[edition.pk]))

    run_worker()

    failed = KoladaRefresh.objects.get()
    assert failed.state == KoladaRefresh.State.FAILED
    assert failed.message.startswith("Kolada svarade inte: Anslutningen till Kolada misslyckades")
    assert failed.message.endswith("Inga nyckeltal har hämtats ännu. Försök igen om en stund.")
    assert "Inga nyckeltal hämtade ännu" in page(client, edition)


def test_a_second_click_while_a_refresh_is_queued_reuses_it(
    client: Client, cast, edition, chosen, kolada
) -> None:
    login(client, cast.sam)
    client.post(reverse("editions:kolada_refresh", args=[edition.pk]))
    client.post(reverse("editions:kolada_refresh", args=[edition.pk]))

    assert KoladaRefresh.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


@pytest.mark.parametrize("who", ["siri", "greta", "lars", "olle"])
def test_only_coordinators_and_administrators_refresh(
    client: Client, cast, edition, chosen, kolada, who
) -> None:
    response = login(client, getattr(cast, who)).post(reverse("editions:kolada_refresh", args=[edition.pk]))

    assert response.status_code == 403
    assert not KoladaRefresh.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_another_organisation_cannot_see_the_indicators(client: Client, cast, edition, chosen) -> None:
    login(client, cast.olle)

    assert client.get(reverse("editions:indicators", args=[edition.pk])).status_code == 403
    assert client.get(reverse("editions:indicator_chart", args=[edition.pk, "U31803"])).status_code == 403


def test_the_chart_is_an_svg_with_alt_text_on_the_page(
    client: Client, cast, edition, chosen, kolada, run_worker
) -> None:
    login(client, cast.sam).post(reverse("editions:kolada_refresh", args=[edition.pk]))
    run_worker()

    chart = client.get(reverse("editions:indicator_chart", args=[edition.pk, "N15613"]))
    text = page(client, edition)

    assert chart.status_code == 200
    assert chart["Content-Type"] == "image/svg+xml"
    assert chart.content.lstrip().startswith(b"<?xml")
    assert 'alt="Linjediagram: ' in text
    missing = client.get(reverse("editions:indicator_chart", args=[edition.pk, "N99999"]))
    assert missing.status_code == 404


def test_the_coordinator_comments_on_an_indicator(client: Client, cast, edition, chosen) -> None:
    url = reverse("editions:indicator_comment", args=[edition.pk, "N15613"])
    login(client, cast.sam)
    form = client.get(url, headers={"HX-Request": "true"})
    assert "<textarea" in form.content.decode()

    saved = client.post(
        url,
        {"k-N15613-comment": "Vi har **fler vuxna** ute.<script>alert(1)</script>"},
        headers={"HX-Request": "true"},
    )

    assert saved.status_code == 200
    assert "<strong>fler vuxna</strong>" in saved.content.decode()
    assert "<script>" not in saved.content.decode()
    assert EditionIndicator.objects.get(edition=edition, kpi="N15613").comment.startswith("Vi har **fler")


@pytest.mark.parametrize("who", ["siri", "greta", "lars"])
def test_only_coordinators_and_administrators_comment_or_choose(
    client: Client, cast, edition, chosen, who
) -> None:
    login(client, getattr(cast, who))

    comment = client.post(
        reverse("editions:indicator_comment", args=[edition.pk, "N15613"]), {"k-N15613-comment": "Nej"}
    )
    choose = client.post(reverse("editions:indicator_selection", args=[edition.pk]), {"kpis": ["N15428"]})

    assert (comment.status_code, choose.status_code) == (403, 403)
    assert list(EditionIndicator.objects.values_list("kpi", "comment")) == [(k, "") for k in chosen]


def test_the_coordinator_chooses_indicators_and_kept_comments_stay(
    client: Client, cast, edition, chosen
) -> None:
    EditionIndicator.objects.filter(kpi="N15613").update(comment="Behåll mig")

    response = login(client, cast.sam).post(
        reverse("editions:indicator_selection", args=[edition.pk]), {"kpis": ["N15613", "N15428"]}
    )

    assert response.status_code == 302
    rows = list(edition.indicators.order_by("order").values_list("kpi", "comment"))
    assert sorted(rows) == [("N15428", ""), ("N15613", "Behåll mig")]


def test_choosing_no_indicator_or_an_unknown_one_is_refused(client: Client, cast, edition, chosen) -> None:
    url = reverse("editions:indicator_selection", args=[edition.pk])
    login(client, cast.sam)

    empty = client.post(url, {})
    unknown = client.post(url, {"kpis": ["X12345"]})

    assert (empty.status_code, unknown.status_code) == (400, 400)
    assert "Välj minst ett nyckeltal." in empty.content.decode()
    assert "X12345 finns inte i nyckeltalskatalogen." in unknown.content.decode()
    assert list(edition.indicators.values_list("kpi", flat=True)) == chosen


def test_the_refresh_reports_its_progress_step_by_step(cast, edition, chosen, kolada) -> None:
    from django.db.models.signals import post_save

    from barnbokslut.web.editions.tasks import run_refresh

    seen: list[tuple[str, int]] = []

    def note(sender, instance, **kwargs) -> None:  # type: ignore[no-untyped-def]
        seen.append((instance.state, instance.progress))

    refresh = KoladaRefresh.objects.create(edition=edition)
    post_save.connect(note, sender=KoladaRefresh)
    try:
        run_refresh(refresh)
    finally:
        post_save.disconnect(note, sender=KoladaRefresh)

    assert [progress for _, progress in seen] == [5, 20, 50, 90, 100]
    assert seen[0][0] == KoladaRefresh.State.RUNNING
    assert seen[-1][0] == KoladaRefresh.State.DONE


def test_a_second_refresh_asks_kolada_only_for_changes(
    client: Client, cast, edition, chosen, kolada, run_worker
) -> None:
    login(client, cast.sam)
    client.post(reverse("editions:kolada_refresh", args=[edition.pk]))
    run_worker()
    first = len(kolada.requests)

    client.post(reverse("editions:kolada_refresh", args=[edition.pk]))
    run_worker()

    second = KoladaRefresh.objects.order_by("-created_at").first()
    assert second.state == KoladaRefresh.State.DONE
    incremental = kolada.requests[first:]
    assert second.requests == len(incremental) > 0
    assert all("from_date=" in path for path in incremental)


def test_the_selection_and_comment_pages_work_without_javascript(
    client: Client, cast, edition, chosen
) -> None:
    login(client, cast.alva)

    selection = client.get(reverse("editions:indicator_selection", args=[edition.pk])).content.decode()
    comment = client.get(reverse("editions:indicator_comment", args=[edition.pk, "U31803"]))
    saved = client.post(
        reverse("editions:indicator_comment", args=[edition.pk, "U31803"]), {"k-U31803-comment": "Ok"}
    )

    assert "<legend>Ekonomisk utsatthet</legend>" in selection
    assert 'value="U31803" id="id_kpis_0" checked>' in selection
    assert 'value="N66077" id="id_kpis_1">' in selection
    assert comment.status_code == 200 and "<h1>Kommentar till" in comment.content.decode()
    assert saved.status_code == 302
    assert EditionIndicator.objects.get(edition=edition, kpi="U31803").comment == "Ok"
    assert client.get(reverse("editions:indicator_comment", args=[edition.pk, "N99999"])).status_code == 404


def test_the_organisations_own_comparison_kommuner_reach_the_analysis(
    client: Client, cast, edition, chosen, kolada, run_worker
) -> None:
    login(client, cast.alva)
    saved = client.post(
        reverse("organisations:update", args=[edition.organisation.pk]),
        {
            "name": edition.organisation.name,
            "kind": "kommun",
            "kommun": "2182",
            "comparison": "Bollnäs, 2184",
        },
    )
    assert saved.status_code == 302
    KoladaRefresh.objects.create(edition=edition)
    from barnbokslut.web.editions.tasks import refresh_kolada

    refresh_kolada.enqueue(KoladaRefresh.objects.get().pk)
    run_worker()
    assert KoladaRefresh.objects.get().state == KoladaRefresh.State.DONE

    edition.organisation.refresh_from_db()
    found = edition_analysis(edition)
    assert found is not None and [m.title for m in found.comparison] == ["Bollnäs", "Hudiksvall"]
    result = found.by_kpi("N15613")
    assert result.own is not None and result.own.title == "Bollnäs och Hudiksvall" and result.own.count == 2
    assert "Jämförelsekommunerna (Bollnäs och Hudiksvall) år" in result.texts.own
    assert "Jämfört med jämförelsekommunerna (Bollnäs och Hudiksvall)" in found.summary.text
