"""Children's voices in the web app (issue 15): skribenter and samordnare write quotes and proposals for an
edition, a läsare only reads them, the form's rules are the folder's (age or age band; a reason when a proposal is
not carried out), and the report from the database shows the consented quotes only."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from barnbokslut.report.html import render_html
from barnbokslut.report.model import ProposalStatus
from barnbokslut.web.publishing.report_from_db import edition_report
from barnbokslut.web.voices.models import ChildProposal, ChildQuote

SECRET = "Jag vill inte att fröken vet att jag sa det här"


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_a_writer_adds_quotes_and_the_report_shows_only_the_consented_one(
    client: Client, cast: Any, edition: Any
) -> None:
    _login(client, cast.siri)  # skribent for BOU
    add = reverse("voices:add", args=[edition.pk, "citat"])
    data = {
        "text": "Vi vill ha fler bänkar på skolgården.",
        "age": "10-12",
        "context": "Barnrådet, mars 2025",
    }
    response = client.post(add, {**data, "consent": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("voices:page", args=[edition.pk])
    client.post(add, {"text": SECRET, "age": "9", "context": "Samtal i klassen"})  # no consent
    quotes = list(ChildQuote.objects.filter(edition=edition))
    assert [(q.age, q.consent, q.updated_by) for q in quotes] == [
        ("10–12 år", True, cast.siri), ("9 år", False, cast.siri),
    ]  # fmt: skip
    page = client.get(reverse("voices:page", args=[edition.pk])).content.decode()
    assert SECRET in page and "Nej – visas inte" in page  # the writer sees it, marked

    report = edition_report(edition, analysis=None).report
    assert report.voices is not None
    assert [q.text for q in report.voices.quotes] == ["Vi vill ha fler bänkar på skolgården."]
    html = render_html(report)
    assert "— Barn, 10–12 år, Barnrådet, mars 2025" in html
    assert SECRET not in html and "Samtal i klassen" not in html


def test_a_proposal_not_carried_out_needs_its_reason(client: Client, cast: Any, edition: Any) -> None:
    _login(client, cast.sam)
    add = reverse("voices:add", args=[edition.pk, "forslag"])
    data = {"text": "Gratis bussresor", "origin": "Ungdomsrådet", "proposed_on": "2025-04-02"}
    refused = client.post(add, {**data, "status": "inte genomfört", "feedback": " "})
    assert refused.status_code == 400
    assert "Skriv varför förslaget inte genomförs, så att barnen får veta" in refused.content.decode()
    assert not ChildProposal.objects.exists()
    bad_date = client.post(add, {**data, "proposed_on": "2 april", "status": "pågår"})
    assert "Skriv ett datum ÅÅÅÅ-MM-DD" in bad_date.content.decode()
    client.post(add, {**data, "status": "inte genomfört", "feedback": "Det finns inga pengar i år."})
    client.post(
        add, {"text": "Ljus vid busshållplatsen", "status": "genomfört", "feedback": "Klart i oktober."}
    )
    report = edition_report(edition, analysis=None).report
    assert report.voices is not None
    assert [(p.text, p.status, p.origin) for p in report.voices.proposals] == [
        ("Gratis bussresor", ProposalStatus.NOT_DONE, "Ungdomsrådet"),
        ("Ljus vid busshållplatsen", ProposalStatus.DONE, ""),
    ]
    assert report.voices.proposals_summary == (
        "Barnen lämnade 2 förslag: 1 är genomfört och 1 genomförs inte."
    )
    assert report.voices.source == (
        "Egen sammanställning av barnens citat och förslag, webbappen, Barnbokslut 2025"
    )


def test_a_bad_age_is_refused_in_swedish(client: Client, cast: Any, edition: Any) -> None:
    _login(client, cast.sven)
    response = client.post(
        reverse("voices:add", args=[edition.pk, "citat"]), {"text": "Hej", "age": "tolv", "consent": "on"}
    )
    assert response.status_code == 400
    assert "Skriv en ålder eller ett åldersspann, t.ex. 11 eller 13–15." in response.content.decode()
    assert not ChildQuote.objects.exists()


def test_a_reader_sees_the_page_but_cannot_write_and_a_closed_edition_is_read_only(
    client: Client, cast: Any, edition: Any
) -> None:
    quote = ChildQuote.objects.create(edition=edition, text="Bra med läxhjälp.", consent=True)
    _login(client, cast.lars)
    page = client.get(reverse("voices:page", args=[edition.pk]))
    assert page.status_code == 200 and "Bra med läxhjälp." in page.content.decode()
    assert "Lägg till ett citat" not in page.content.decode()
    edit = reverse("voices:edit", args=[edition.pk, "citat", quote.pk])
    assert client.post(edit, {"text": "Ändrat", "consent": "on"}).status_code == 403
    edition.state = type(edition).State.CLOSED
    edition.save()
    _login(client, cast.sam)
    assert client.post(edit, {"text": "Ändrat", "consent": "on"}).status_code == 403
    ChildQuote.objects.get(pk=quote.pk, text="Bra med läxhjälp.")
    assert client.get(reverse("voices:add", args=[edition.pk, "okant"])).status_code in (403, 404)


def test_an_item_of_another_edition_is_not_found(client: Client, cast: Any, edition: Any) -> None:
    from barnbokslut.web.editions.models import Edition

    other = Edition.objects.create(organisation=cast.organisation, year=2024, title="Barnbokslut")
    quote = ChildQuote.objects.create(edition=other, text="Från förra året.", consent=True)
    _login(client, cast.sam)
    response = client.post(reverse("voices:delete", args=[edition.pk, "citat", quote.pk]))
    assert response.status_code == 404
    assert ChildQuote.objects.filter(pk=quote.pk).exists()


def test_the_example_folder_brings_its_quotes_proposals_and_survey_into_the_edition(cast: Any) -> None:
    from pathlib import Path

    from barnbokslut.report.folder import load_source
    from barnbokslut.report.source import build_report
    from barnbokslut.web.publishing.import_folder import import_folder

    folder = Path(__file__).resolve().parents[3] / "examples" / "barnbokslut-exempel"
    edition = import_folder(folder, cast.organisation, 2025)
    # The example has three quotes, one without consent, and three proposals, one of each outcome.
    assert [q.consent for q in ChildQuote.objects.filter(edition=edition)] == [True, True, False]
    assert [p.status for p in ChildProposal.objects.filter(edition=edition)] == [
        "genomfört", "pågår", "inte genomfört",
    ]  # fmt: skip
    from_web = edition_report(edition, analysis=None).report.voices
    from_folder = build_report(load_source(folder), None).voices
    assert from_web is not None and from_folder is not None
    assert from_web.quotes == from_folder.quotes and len(from_web.quotes) == 2
    assert from_web.proposals == from_folder.proposals
    # One [[enkat]]: LUPP from data/lupp.csv (25 rows under the header), with the toml's text.
    from barnbokslut.web.voices.models import SurveyFile

    (survey,) = SurveyFile.objects.filter(edition=edition)
    assert (survey.name, survey.filename, len(survey.rows)) == ("LUPP", "data/lupp.csv", 25)
    assert survey.text.startswith("Lokal uppföljning av ungdomspolitiken (LUPP) besvaras vartannat år")
    # The same survey part (the folder's own source lines add "(Exempeldata)"; the web app's do not).
    assert [(s.name, s.text, len(s.questions)) for s in from_web.surveys] == [
        (s.name, s.text, len(s.questions)) for s in from_folder.surveys
    ]
    assert [s.source for s in from_web.surveys] == ["LUPP 2021, 2023 och 2025, fil data/lupp.csv"]
    assert (
        from_web.proposals_summary
        == "Barnen lämnade 3 förslag: 1 är genomfört, 1 pågår och 1 genomförs inte."
    )


SURVEY = (
    "fråga;svar;år;indelning;grupp;antal_svar;andel\n"
    "Trygg i skolan;Andel ja;2024;totalt;;58;52,5\n"
    "Trygg i skolan;Andel ja;2025;totalt;;60;50,0\n"
    "Trygg i skolan;Andel ja;2025;skola;A;3;33,3\n"
    "Trygg i skolan;Andel ja;2025;skola;B;20;40,0\n"
    "Trygg i skolan;Andel ja;2025;skola;C;37;56,8\n"
)


def test_a_coordinator_uploads_a_survey_and_the_report_suppresses_its_small_school(
    client: Client, cast: Any, edition: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from barnbokslut.web.voices.models import SurveyFile

    _login(client, cast.sam)
    upload = reverse("voices:survey_upload", args=[edition.pk])
    file = SimpleUploadedFile("elevenkat.csv", SURVEY.encode(), content_type="text/csv")
    description = "Eleverna i årskurs 5 svarade i mars."
    response = client.post(upload, {"name": "Elevenkäten", "file": file, "text": f" {description} "})
    assert response.status_code == 302
    (saved,) = SurveyFile.objects.filter(edition=edition)
    assert (saved.name, saved.filename, len(saved.rows)) == ("Elevenkäten", "elevenkat.csv", 5)
    assert saved.text == description
    report = edition_report(edition, analysis=None).report
    assert report.voices is not None
    assert report.voices.surveys[0].text is not None
    assert report.voices.surveys[0].text.plain == description
    (question,) = report.voices.surveys[0].questions
    p = "\u00a0%"
    # 52,5 → 50,0: 2,5 procentenheter mindre. A has 3 answers (< 5); alone it would be 60 − 20 − 37 = 3, so B
    # (the smaller of the others) is hidden too.
    assert question.sentence == (
        f"Elevenkäten 2025: 50,0{p} (60 svar). Det är 2,5 procentenheter mindre än 2024 (52,5{p})."
    )
    assert question.breakdown is not None
    assert [[c.text for c in row] for row in question.breakdown.rows] == [
        ["Skola: A", "–", "–"], ["Skola: B", "–", "–"], ["Skola: C", f"56,8{p}", "37"],
    ]  # fmt: skip
    assert question.trend.source == "Källa: Elevenkäten 2024 och 2025, fil elevenkat.csv"


def test_a_bad_survey_file_is_refused_whole_with_file_row_and_column(
    client: Client, cast: Any, edition: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from barnbokslut.web.voices.models import SurveyFile

    _login(client, cast.sam)
    bad = SURVEY.replace("2025;skola;B;20;40,0", "2025;klass;B;20;40,0").replace(";37;56,8", ";37;156")
    file = SimpleUploadedFile("elevenkat.csv", bad.encode(), content_type="text/csv")
    response = client.post(reverse("voices:survey_upload", args=[edition.pk]), {"name": "E", "file": file})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enkäten kunde inte läsas. Inget har sparats." in page
    assert "elevenkat.csv, rad 5, kolumn ”indelning”: okänt värde ”klass”" in page
    assert "elevenkat.csv, rad 6, kolumn ”andel”: 156 ligger inte mellan 0 och 100 procent." in page
    assert not SurveyFile.objects.exists()
