"""The preview of the whole report for every role of the organisation, the report built from the database (same
model as the CLI's), and who may publish: only samordnare and administratör; another organisation sees nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from publishing_helpers import INTRODUCTION

from barnbokslut.indicators.catalogue import load_catalogue
from barnbokslut.indicators.job import run_indicator_job
from barnbokslut.report.html import render_html
from barnbokslut.web.accounts.models import Role
from barnbokslut.web.editions.models import EditionIndicator, Section, SectionKind
from barnbokslut.web.localdata.models import LocalTable
from barnbokslut.web.publishing import report_from_db
from barnbokslut.web.publishing.models import Publication
from barnbokslut.web.publishing.report_from_db import edition_report
from example_kolada import example_server


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_the_preview_with_each_sections_status(client, cast, written, role):
    client.force_login(cast.by_role(role))

    page = client.get(reverse("publishing:preview", args=[written.pk])).content.decode()
    document = client.get(reverse("publishing:preview_document", args=[written.pk]))

    # The frame loads the report document (its own strict CSP; the app's CSP forbids the report's inline styles).
    frame = f'src="{reverse("publishing:preview_document", args=[written.pk])}"'
    assert (
        '<iframe class="report-frame" title="Förhandsgranskning av Barnbokslut 2025' in page and frame in page
    )
    assert "Klar för granskning" in page and "Godkänd" in page
    assert document.status_code == 200
    assert INTRODUCTION in document.content.decode()
    assert document["X-Frame-Options"] == "SAMEORIGIN"


def test_the_report_has_the_units_stories_follow_up_and_current_analysis(written):
    report = edition_report(written, analysis=None).report

    assert [d.abbreviation for d in report.departments] == ["BOU"]
    assert report.departments[0].principles[0].article == 12
    assert "Elevråden träffar rektor" in report.departments[0].principles[0].text.plain
    (assessment,) = report.current_analysis.articles
    assert assessment.article == 3 and "Barnets bästa dokumenteras" in assessment.strengths.plain
    assert "Stadsområde, välfärd och fritid (SVF)" in assessment.strengths.plain
    assert [row.area for row in report.follow_up] == ["Delaktighet"]
    assert report.cover.title == "Barnbokslut 2025" and report.cover.organisation == "Söderhamns kommun"


def test_text_outside_an_article_heading_is_kept_under_the_unit(written):
    Section.objects.filter(edition=written, unit__abbreviation="SVF", kind=SectionKind.UTMANINGAR).update(
        body="Lokalerna är för små."
    )

    report = edition_report(written, analysis=None).report

    svf = next(d for d in report.departments if d.abbreviation == "SVF")
    assert "Lokalerna är för små." in svf.intro.plain


def test_no_script_written_in_a_section_reaches_the_preview(client, cast, written):
    Section.objects.filter(edition=written, kind=SectionKind.SLUTSATSER).update(
        body='Slutsats <script>alert("x")</script> [länk](javascript:alert(1))'
    )
    client.force_login(cast.lars)

    document = client.get(reverse("publishing:preview_document", args=[written.pk])).content.decode()

    assert "Slutsats" in document
    assert "<script" not in document
    assert 'href="javascript' not in document


def test_local_tables_are_in_the_report(client, cast, written):
    LocalTable.objects.create(
        edition=written, title="Behörighet per skola", unit="%", source_filename="behorighet.csv",
        sha256="0" * 64, columns=["Skola", "Andel"], rows=[["Norrskolan", 87.5], ["Söderskolan", None]],
    )  # fmt: skip
    client.force_login(cast.sam)

    document = client.get(reverse("publishing:preview_document", args=[written.pk])).content.decode()

    assert "Behörighet per skola" in document and "Norrskolan" in document
    assert "87,5" in document and "Egen uppgift, fil behorighet.csv" in document


@pytest.fixture(scope="module")
def example_analysis():
    with example_server() as server:
        job = run_indicator_job(
            load_catalogue(None), 2025, municipality="Söderhamn", base_url=server.url, cache=None
        )
    return job.analyses[0]


def test_the_indicators_and_the_coordinators_comments_are_in_the_report(
    client, cast, written, example_analysis, monkeypatch
):
    kpi = example_analysis.results[0].indicator.kpi
    EditionIndicator.objects.create(
        edition=written, kpi=kpi, comment="Kommentar från samordnaren om nyckeltalet."
    )
    monkeypatch.setattr(report_from_db, "load_analysis", lambda edition, notes: example_analysis)
    client.force_login(cast.greta)

    document = client.get(reverse("publishing:preview_document", args=[written.pk])).content.decode()

    report = edition_report(written, analysis=example_analysis).report
    assert report.figures is not None and report.summary is not None
    assert report.figures.title in document or "i siffror" in document
    assert kpi in document
    assert "Kommentar från samordnaren om nyckeltalet." in document
    assert "Kommentar från samordnaren om nyckeltalet." in render_html(report)


def test_without_the_analysis_the_report_is_built_with_a_note(written, monkeypatch):
    monkeypatch.undo()  # the real load_analysis, with the editions app's edition_analysis failing

    def failing(edition):
        raise RuntimeError("Kolada-cachen går inte att läsa")

    monkeypatch.setattr("barnbokslut.web.editions.analysis.edition_analysis", failing)
    built = report_from_db.edition_report(written)

    assert built.report.figures is None
    assert any(
        "Nyckeltalen är inte med" in note and "Kolada-cachen går inte att läsa" in note
        for note in built.notes
    )


def test_an_edition_without_chosen_indicators_gets_a_note_not_an_error(written, monkeypatch):
    monkeypatch.undo()

    built = report_from_db.edition_report(written)

    assert built.report.figures is None
    assert any("inga nyckeltal är valda" in note for note in built.notes)


@pytest.mark.parametrize("role", [Role.WRITER, Role.REVIEWER, Role.READER])
def test_writers_reviewers_and_readers_cannot_publish(client, cast, written, role):
    client.force_login(cast.by_role(role))

    page = client.get(reverse("publishing:publish", args=[written.pk]))
    posted = client.post(reverse("publishing:publish", args=[written.pk]))
    status = client.get(reverse("publishing:status", args=[written.pk]))

    assert page.status_code == posted.status_code == status.status_code == 403
    assert Publication.objects.count() == 0


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR])
def test_coordinators_and_administrators_may_publish(client, cast, written, role):
    client.force_login(cast.by_role(role))

    assert client.get(reverse("publishing:publish", args=[written.pk])).status_code == 200
    assert client.post(reverse("publishing:publish", args=[written.pk])).status_code == 302
    assert Publication.objects.get().created_by == cast.by_role(role)


def test_another_organisation_cannot_see_or_publish(client, cast, written):
    client.force_login(cast.olle)
    urls = [
        reverse("publishing:preview", args=[written.pk]),
        reverse("publishing:preview_document", args=[written.pk]),
        reverse("publishing:publish", args=[written.pk]),
        reverse("publishing:status", args=[written.pk]),
    ]

    assert [client.get(url).status_code for url in urls] == [403, 403, 403, 403]
    assert client.post(urls[2]).status_code == 403
    assert Publication.objects.count() == 0


def test_anonymous_visitors_are_sent_to_the_login_page(written):
    anonymous = Client()

    for name in ("preview", "preview_document", "publish", "status"):
        response = anonymous.get(reverse(f"publishing:{name}", args=[written.pk]))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert anonymous.post(reverse("publishing:publish", args=[written.pk])).status_code == 302
    assert Publication.objects.count() == 0
