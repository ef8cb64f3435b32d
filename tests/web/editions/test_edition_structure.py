"""Rapportens struktur: the coordinator chooses the preset, headings, leads, order and parts of the edition's
report; what the page stores is what the report is built from, bad input saves nothing, and the structure is
carried over to next year's edition."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts.models import AuditAction, AuditEvent
from barnbokslut.web.editions.models import Edition, Section, SectionKind
from barnbokslut.web.editions.services import start_edition
from barnbokslut.web.publishing.report_from_db import edition_report


@pytest.fixture
def sam(client: Client, cast) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(cast.sam)
    return client


@pytest.fixture
def url(edition: Edition) -> str:
    return reverse("editions:structure", args=[edition.pk])


def form(client: Client, url: str) -> dict[str, Any]:
    """The page's form as the browser would post it unchanged."""
    context = client.get(url).context
    data: dict[str, Any] = {"antal": str(context["count"]), "forkortning_skiljetecken": context["joiner"]}
    if context["numbered"]:
        data["numrerade_rubriker"] = "1"
    data["forkortningar_rubrik"] = context["abbreviations_title"]
    data["sma_tal"] = str(context["small_counts"])
    for number, _default, value in context["articles"]:
        data[f"artikel-{number}"] = value
    for part in context["parts"]:
        n = part["n"]
        data.update(
            {
                f"d-{n}-typ": part["kind"],
                f"d-{n}-niva": str(part["depth"]),
                f"d-{n}-rubrik": part["title"],
                f"d-{n}-ingress": part["lead"],
            }
        )
        if part["enabled"]:
            data[f"d-{n}-visa"] = "1"
        if part["kind"] == "text":
            data[f"d-{n}-fil"] = part["file"]
            data[f"d-{n}-text"] = part["text"]
        if part["kind"] == "nulage":
            data[f"d-{n}-gruppering"] = part["grouping"]
        if part["abbreviations"]:
            data[f"d-{n}-forkortningar"] = "1"
    return data


def index_of(data: dict[str, Any], kind: str) -> int:
    return next(int(k.split("-")[1]) for k, v in data.items() if k.endswith("-typ") and v == kind)


def kinds(edition: Edition) -> tuple[str, ...]:
    edition.refresh_from_db()
    return edition_report(edition, analysis=None).report.kinds()


def write(edition: Edition, kind: SectionKind, body: str) -> None:
    Section.objects.filter(edition=edition, unit=None, kind=kind).update(body=body)


def test_the_page_shows_the_kommun_preset_and_is_linked_from_the_edition(sam: Client, edition, url) -> None:
    detail = sam.get(reverse("editions:detail", args=[edition.pk])).content.decode()
    page = sam.get(url)

    assert url in detail
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rapportens struktur" in text and "Kommun (med nyckeltal från Kolada)" in text
    assert [p["kind"] for p in page.context["parts"]][:3] == ["inledning", "begrepp", "grundprinciper"]
    assert [p["depth"] for p in page.context["parts"]][:3] == [1, 2, 2]


@pytest.mark.parametrize("who", ["siri", "greta", "lars", "olle"])
def test_only_coordinators_and_administrators_may_change_the_structure(
    client: Client, cast, edition, url, who
):
    client.force_login(getattr(cast, who))

    assert client.get(url).status_code == 403
    assert client.post(url, {"gor": "bekrafta-mall", "mall": "namnd"}).status_code == 403
    edition.refresh_from_db()
    assert edition.structure == {}


def test_a_closed_edition_keeps_its_structure(sam: Client, edition, url) -> None:
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.CLOSED)

    assert sam.get(url).status_code == 403
    assert sam.post(url, {"gor": "bekrafta-mall", "mall": "namnd"}).status_code == 403


def test_headings_leads_switches_and_settings_are_saved_and_used_by_the_report(
    sam: Client, cast, edition, url
):
    write(edition, SectionKind.UPPLAGG, "Så här är rapporten upplagd.")
    write(edition, SectionKind.UNDERLAG, "Rapporten bygger på enkäter.")
    data = form(sam, url)
    upplagg, underlag = index_of(data, "upplagg"), index_of(data, "underlag")
    data[f"d-{upplagg}-rubrik"] = "Så läser du rapporten"
    data[f"d-{upplagg}-ingress"] = "En *kort* ingress."
    del data[f"d-{underlag}-visa"]
    data["numrerade_rubriker"] = "1"
    data["artikel-12"] = "Barnets rätt att bli hörd"
    data["forkortning_skiljetecken"] = " & "

    response = sam.post(url, data)

    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.structure["numrerade_rubriker"] is True
    assert edition.structure["artiklar"] == {"12": "Barnets rätt att bli hörd"}
    assert edition.structure["forkortning_skiljetecken"] == " & "
    report = edition_report(edition, analysis=None).report
    part = report.part("upplagg")
    assert part is not None and part.title == "Så läser du rapporten" and part.number == "2"
    assert part.lead is not None and part.lead.plain == "En kort ingress."
    assert report.part("underlag") is None
    assert report.introduction.principles[-1].title == "Barnets rätt att bli hörd"
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_CHANGED)
    assert "rapportens struktur" in event.description and event.user == cast.sam


def test_a_heading_too_long_is_refused_in_swedish_and_nothing_is_saved(sam: Client, edition, url) -> None:
    data = form(sam, url)
    data[f"d-{index_of(data, 'upplagg')}-rubrik"] = "x" * 121

    response = sam.post(url, data)

    assert response.status_code == 400
    text = response.content.decode()
    assert "Strukturen kunde inte sparas" in text
    assert "rubriken är 121 tecken; högst 120 går" in text
    assert "Del 2 (" in text  # named by its place, not as [[avsnitt]] nr 2
    edition.refresh_from_db()
    assert edition.structure == {}
    assert not AuditEvent.objects.filter(action=AuditAction.ORGANISATION_CHANGED).exists()


def test_a_chapter_needs_a_heading(sam: Client, edition, url) -> None:
    data = form(sam, url)
    sam.post(url, {**data, "gor": "lagg-till", "ny_typ": "kapitel"})
    data = form(sam, url)
    data[f"d-{index_of(data, 'kapitel')}-rubrik"] = " "

    response = sam.post(url, data)

    assert response.status_code == 400
    assert "ett kapitel behöver en rubrik" in response.content.decode()


def test_moving_a_part_up_and_down(sam: Client, edition, url) -> None:
    data = form(sam, url)
    sam.post(url, {**data, "gor": f"upp:{index_of(data, 'underlag')}"})
    edition.refresh_from_db()
    top = [entry["typ"] for entry in edition.structure["avsnitt"]]
    assert top[1:3] == ["underlag", "upplagg"]

    data = form(sam, url)
    sam.post(url, {**data, "gor": f"ned:{index_of(data, 'underlag')}"})
    edition.refresh_from_db()
    assert [entry["typ"] for entry in edition.structure["avsnitt"]][1:3] == ["upplagg", "underlag"]


def test_a_new_chapter_takes_parts_under_it_and_they_can_leave_it(sam: Client, edition, url) -> None:
    write(edition, SectionKind.SLUTSATSER, "Barnen vill bli lyssnade på.")
    data = form(sam, url)
    sam.post(url, {**data, "gor": "lagg-till", "ny_typ": "kapitel"})
    data = form(sam, url)
    chapter = index_of(data, "kapitel")
    data[f"d-{chapter}-rubrik"] = "Avslutning"
    data[f"d-{chapter}-ingress"] = "Det sista kapitlet."
    sam.post(url, data)
    # Slutsatser is moved below the chapter, then into it.
    data = form(sam, url)
    sam.post(url, {**data, "gor": f"ned:{index_of(data, 'slutsatser')}"})
    data = form(sam, url)
    sam.post(url, {**data, "gor": f"ned:{index_of(data, 'slutsatser')}"})
    data = form(sam, url)
    response = sam.post(url, {**data, "gor": f"in:{index_of(data, 'slutsatser')}"})

    assert response.status_code == 302
    edition.refresh_from_db()
    last = edition.structure["avsnitt"][-1]
    assert last["typ"] == "kapitel" and last["rubrik"] == "Avslutning"
    assert [child["typ"] for child in last["delar"]] == ["slutsatser"]
    report = edition_report(edition, analysis=None).report
    chapter_part = report.parts[-1]
    assert chapter_part.title == "Avslutning" and [c.kind for c in chapter_part.children] == ["slutsatser"]

    data = form(sam, url)
    sam.post(url, {**data, "gor": f"ut:{index_of(data, 'slutsatser')}"})
    edition.refresh_from_db()
    assert [e["typ"] for e in edition.structure["avsnitt"][-2:]] == ["kapitel", "slutsatser"]


def test_a_removed_part_can_be_added_again(sam: Client, edition, url) -> None:
    write(edition, SectionKind.UPPLAGG, "Upplägget.")
    data = form(sam, url)
    sam.post(url, {**data, "gor": f"bort:{index_of(data, 'upplagg')}"})
    assert "upplagg" not in kinds(edition)
    page = sam.get(url)
    assert "upplagg" in dict(page.context["addable"])

    data = form(sam, url)
    sam.post(url, {**data, "gor": "lagg-till", "ny_typ": "upplagg"})

    assert kinds(edition)[-1] == "upplagg"
    assert "upplagg" not in dict(sam.get(url).context["addable"])


def test_removing_a_part_keeps_the_parts_under_it(sam: Client, edition, url) -> None:
    data = form(sam, url)
    sam.post(url, {**data, "gor": f"bort:{index_of(data, 'inledning')}"})

    edition.refresh_from_db()
    assert [e["typ"] for e in edition.structure["avsnitt"]][:2] == ["begrepp", "grundprinciper"]


def test_an_own_text_part_is_written_on_the_page(sam: Client, edition, url) -> None:
    data = form(sam, url)
    sam.post(url, {**data, "gor": "lagg-till", "ny_typ": "text"})
    data = form(sam, url)
    n = index_of(data, "text")
    data[f"d-{n}-rubrik"] = "Barnens egna ord"
    data[f"d-{n}-text"] = "Vi frågade 300 barn."

    assert sam.post(url, data).status_code == 302

    edition.refresh_from_db()
    part = edition_report(edition, analysis=None).report.part("text")
    assert part is not None and part.title == "Barnens egna ord" and part.text.plain == "Vi frågade 300 barn."


def test_the_nulage_grouping_is_chosen_per_area(sam: Client, edition, url) -> None:
    data = form(sam, url)
    data[f"d-{index_of(data, 'nulage')}-gruppering"] = "omrade"
    sam.post(url, data)

    edition.refresh_from_db()
    nulage = next(e for e in edition.structure["avsnitt"] if e["typ"] == "nulage")
    assert nulage["gruppering"] == "omrade"


def test_saving_an_unchanged_form_changes_nothing(sam: Client, edition, url) -> None:
    sam.post(url, form(sam, url))
    first = AuditEvent.objects.filter(action=AuditAction.ORGANISATION_CHANGED).count()
    response = sam.post(url, form(sam, url), follow=True)

    assert "Inget ändrades" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.ORGANISATION_CHANGED).count() == first


def test_changing_the_preset_asks_first_then_replaces_the_parts(sam: Client, edition, url) -> None:
    confirm = sam.post(url, {"gor": "byt-mall", "mall": "namnd"})

    assert confirm.status_code == 200
    assert "Byta till mallen Nämnd eller förvaltning" in confirm.content.decode()
    edition.refresh_from_db()
    assert edition.structure == {}

    sam.post(url, {"gor": "bekrafta-mall", "mall": "namnd"})

    edition.refresh_from_db()
    assert edition.structure["mall"] == "namnd" and edition.structure["numrerade_rubriker"] is True
    assert edition.structure["avsnitt"][0]["typ"] == "kapitel"
    report = edition_report(edition, analysis=None).report
    assert report.parts[0].title == "Inledning" and report.parts[0].number == "1"
    assert "siffror" not in report.kinds()


def test_an_unknown_preset_is_refused(sam: Client, edition, url) -> None:
    response = sam.post(url, {"gor": "bekrafta-mall", "mall": "okand"}, follow=True)

    assert "Välj en av mallarna." in response.content.decode()
    edition.refresh_from_db()
    assert edition.structure == {}


def test_a_crafted_depth_or_kind_is_refused(sam: Client, edition, url) -> None:
    data = form(sam, url)
    data["d-0-niva"] = "3"
    data["d-1-typ"] = "nulage-del"

    response = sam.post(url, data)

    assert response.status_code == 400
    text = response.content.decode()
    assert "fel nivå" in text and "okänd typ" in text
    edition.refresh_from_db()
    assert edition.structure == {}


@pytest.mark.parametrize(
    ("forged", "message"),
    [
        ({"d-1-niva": ""}, "Delen ligger på fel nivå"),  # was an IndexError in _numbers: a 500
        ({"d-1-niva": "0"}, "Delen ligger på fel nivå"),
        ({"d-1-niva": "²"}, "Delen ligger på fel nivå"),  # isdigit() but not int(): a ValueError
        ({"d-1-niva": "9" * 5000}, "Delen ligger på fel nivå"),  # more digits than int() reads
        ({"d-1-niva": "-1"}, "Delen ligger på fel nivå"),
        ({"antal": "²"}, "Formuläret är ofullständigt"),
        ({"antal": "9" * 5000}, "Formuläret är ofullständigt"),
        ({"antal": "60"}, "Delen ligger på fel nivå"),  # more parts announced than posted
        ({"gor": "ut:0"}, "Delen kan inte flyttas dit."),
        ({"gor": "upp:²"}, "Delen kan inte flyttas dit."),
        ({"gor": "in:99999999999999999999"}, "Delen kan inte flyttas dit."),
        ({"gor": "in:1", "d-1-niva": ""}, "Delen ligger på fel nivå"),
        ({"gor": "radera-allt"}, "Formuläret bad om något sidan inte kan göra."),
    ],
)
def test_a_forged_post_is_answered_400_in_swedish_and_changes_nothing(
    sam: Client, edition, url, forged, message
) -> None:
    data = {**form(sam, url), **forged}

    response = sam.post(url, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    edition.refresh_from_db()
    assert edition.structure == {}
    assert not AuditEvent.objects.filter(action=AuditAction.ORGANISATION_CHANGED).exists()


def test_the_structure_is_carried_over_to_next_years_edition(sam: Client, cast, edition, url) -> None:
    sam.post(url, {"gor": "bekrafta-mall", "mall": "namnd"})
    edition.refresh_from_db()

    following = start_edition(cast.organisation, 2026, cast.sam)

    assert following.structure == edition.structure
    assert following.structure is not edition.structure


def test_a_first_edition_starts_from_the_chosen_preset(client: Client, cast) -> None:
    client.force_login(cast.sam)
    new = reverse("editions:new", args=[cast.organisation.pk])
    page = client.get(new)
    assert page.context["form"]["mall"].value() == "kommun"  # the organisation has a Kolada kommun

    client.post(new, {"year": "2025", "mall": "namnd"})

    edition = Edition.objects.get(organisation=cast.organisation, year=2025)
    assert edition.structure == {"mall": "namnd"}
    assert "siffror" not in edition_report(edition).report.kinds()


def test_without_a_kolada_kommun_the_first_edition_proposes_the_committee_preset(
    client: Client, cast
) -> None:
    cast.organisation.kommun = ""
    cast.organisation.save()
    client.force_login(cast.sam)

    page = client.get(reverse("editions:new", args=[cast.organisation.pk]))

    assert page.context["form"]["mall"].value() == "namnd"


def test_a_later_edition_is_not_asked_for_a_preset(client: Client, cast, edition) -> None:
    client.force_login(cast.sam)

    page = client.get(reverse("editions:new", args=[cast.organisation.pk]))

    assert "mall" not in page.context["form"].fields


def test_an_imported_text_part_keeps_its_file_name_as_key(sam: Client, edition, url) -> None:
    Edition.objects.filter(pk=edition.pk).update(
        structure={
            "mall": "namnd",
            "avsnitt": [{"typ": "text", "rubrik": "Bakgrund", "fil": "texter/bakgrund.md"}],
            "texter": {"texter/bakgrund.md": "Så började det."},
        }
    )
    data = form(sam, url)
    assert data["d-0-text"] == "Så började det."
    data["d-0-text"] = "Så började det, och så fortsatte det."

    assert sam.post(url, data).status_code == 302

    edition.refresh_from_db()
    assert edition.structure["texter"] == {"texter/bakgrund.md": "Så började det, och så fortsatte det."}


def _local_counts(edition: Edition) -> list[str]:
    from barnbokslut.web.localdata.models import LocalTable

    if not edition.local_tables.exists():
        LocalTable.objects.create(
            edition=edition, title="Elever per skola", source_filename="elever.csv", sha256="0" * 64,
            columns=["Skola", "Antal elever"], rows=[["A", 7], ["B", 12], ["C", 15]], chart="ingen",
        )  # fmt: skip
    edition.refresh_from_db()
    (item,) = edition_report(edition, analysis=None).report.local_data
    return [row[1].text for row in item.table.rows]


def test_the_threshold_for_small_counts_is_set_on_the_page_and_used_by_the_report(
    sam: Client, edition, url
) -> None:
    assert _local_counts(edition) == ["7", "12", "15"]
    data = form(sam, url)
    assert data["sma_tal"] == "5"

    assert sam.post(url, {**data, "sma_tal": "10"}).status_code == 302

    edition.refresh_from_db()
    assert edition.structure["sma_tal"] == 10
    assert _local_counts(edition) == ["–", "12", "15"]
    assert form(sam, url)["sma_tal"] == "10"


@pytest.mark.parametrize("bad", ["0", "fem", "1000"])
def test_a_wrong_threshold_for_small_counts_is_refused_and_nothing_is_saved(
    sam: Client, edition, url, bad
) -> None:
    response = sam.post(url, {**form(sam, url), "sma_tal": bad})

    assert response.status_code == 400
    assert "ska vara ett heltal från 1 till 100" in response.content.decode()
    edition.refresh_from_db()
    assert edition.structure == {}
