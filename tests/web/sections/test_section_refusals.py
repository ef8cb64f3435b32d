"""Who may not write, review or even see a section: refused on the server, database unchanged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from section_helpers import approve, save, send_back, submit

from barnbokslut.web.editions.models import Edition, Section, SectionStatus, SectionVersion


def _unchanged(section: Section) -> bool:
    fresh = Section.objects.get(pk=section.pk)
    return (fresh.body, fresh.version, fresh.status) == ("", 0, SectionStatus.DRAFT) and not (
        SectionVersion.objects.filter(section=section).exists()
    )


def test_a_bou_writer_posting_to_an_svf_section_is_refused(cast, svf_section):
    siri = Client()
    siri.force_login(cast.siri)
    assert save(siri, svf_section, "Inte min enhet.", 0).status_code == 403
    assert submit(siri, svf_section, "Inte min enhet.", 0).status_code == 403
    for name in ("section_draft", "section_preview"):
        url = reverse(f"editions:{name}", args=[svf_section.pk])
        assert siri.post(url, {"body": "x", "version": 0}).status_code == 403
    assert _unchanged(svf_section)


def test_a_bou_writer_sees_the_svf_section_without_a_form(cast, svf_section):
    siri = Client()
    siri.force_login(cast.siri)
    response = siri.get(reverse("editions:section_edit", args=[svf_section.pk]))
    assert response.status_code == 200
    assert 'name="body"' not in response.content.decode()


def test_a_writer_may_not_write_a_free_section_she_is_not_assigned(cast, free_section):
    siri = Client()
    siri.force_login(cast.siri)
    assert save(siri, free_section, "Inledning.", 0).status_code == 403
    assert _unchanged(free_section)


def test_a_writer_may_not_review(cast, bou_section):
    siri = Client()
    siri.force_login(cast.siri)
    submit(siri, bou_section, "Text.", 0)
    assert approve(siri, bou_section, 1).status_code == 403
    assert send_back(siri, bou_section, 1, "Själv").status_code == 403
    assert Section.objects.get(pk=bou_section.pk).status == SectionStatus.READY


def test_a_reviewer_posting_text_is_refused(cast, bou_section):
    greta = Client()
    greta.force_login(cast.greta)
    assert save(greta, bou_section, "Granskarens text.", 0).status_code == 403
    assert submit(greta, bou_section, "Granskarens text.", 0).status_code == 403
    assert _unchanged(bou_section)


@pytest.mark.parametrize("who", ["lars", "olle"], ids=["reader", "other-organisation"])
def test_a_reader_or_an_outsider_can_neither_write_nor_review(cast, bou_section, who):
    client = Client()
    client.force_login(getattr(cast, who))
    assert save(client, bou_section, "Text.", 0).status_code == 403
    assert submit(client, bou_section, "Text.", 0).status_code == 403
    assert approve(client, bou_section, 0).status_code == 403
    assert send_back(client, bou_section, 0, "Nej").status_code == 403
    assert (
        client.post(
            reverse("editions:section_draft", args=[bou_section.pk]), {"body": "x", "version": 0}
        ).status_code
        == 403
    )
    assert _unchanged(bou_section)


def test_a_user_of_another_organisation_cannot_even_read(cast, edition, bou_section):
    olle = Client()
    olle.force_login(cast.olle)
    for url in (
        reverse("editions:section_edit", args=[bou_section.pk]),
        reverse("editions:section_history", args=[bou_section.pk]),
        reverse("editions:board", args=[edition.pk]),
    ):
        assert olle.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login_page(client, edition, bou_section):
    for url in (
        reverse("editions:section_edit", args=[bou_section.pk]),
        reverse("editions:section_history", args=[bou_section.pk]),
        reverse("editions:board", args=[edition.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    response = save(client, bou_section, "Anonym.", 0)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert _unchanged(bou_section)


def test_writes_are_post_only(cast, bou_section):
    siri = Client()
    siri.force_login(cast.siri)
    assert siri.get(reverse("editions:section_save", args=[bou_section.pk])).status_code == 405


def test_a_closed_edition_cannot_be_changed(cast, edition, bou_section):
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.CLOSED)
    sam = Client()
    sam.force_login(cast.sam)
    assert save(sam, bou_section, "För sent.", 0).status_code == 403
    assert _unchanged(bou_section)


def test_a_save_without_the_csrf_token_is_refused(cast, bou_section):
    siri = Client(enforce_csrf_checks=True)
    siri.force_login(cast.siri)
    assert save(siri, bou_section, "Utan token.", 0).status_code == 403
    assert _unchanged(bou_section)
