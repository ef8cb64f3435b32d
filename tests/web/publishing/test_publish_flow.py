"""Publishing end to end: the coordinator publishes, the worker builds HTML, PDF and DOCX once, and the public
URLs and the archive serve exactly those files, read-only and checksummed; a correction is a new version."""

from __future__ import annotations

import hashlib
import stat
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from publishing_helpers import INTRODUCTION, run_worker

from barnbokslut.web.accounts.models import AuditAction, AuditEvent
from barnbokslut.web.publishing.models import Publication, PublicationError
from pdfcheck import pdf_check


def publish(client: Client, user, edition):
    client.force_login(user)
    return client.post(reverse("publishing:publish", args=[edition.pk]))


def files(publication: Publication, media: Path) -> list[Path]:
    return [media / p for p in (publication.html_path, publication.pdf_path, publication.docx_path)]


def test_publishing_builds_three_read_only_files_with_a_matching_checksum(client, cast, written, media):
    response = publish(client, cast.sam, written)

    assert response.status_code == 302
    publication = Publication.objects.get()
    assert (publication.version, publication.state) == (1, Publication.State.BUILDING)
    assert AuditEvent.objects.filter(action=AuditAction.PUBLISHED, organisation=cast.organisation).exists()

    run_worker()

    publication.refresh_from_db()
    assert publication.state == Publication.State.PUBLISHED, publication.error
    assert publication.published_at is not None
    paths = files(publication, media)
    assert [p.name for p in paths] == [
        f"barnbokslut-soderhamn-2025-v1.{ext}" for ext in ("html", "pdf", "docx")
    ]
    assert all(p.parent == media / "publicerat" / "soderhamn" / "2025" / "v1" for p in paths)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o444 for p in paths)
    assert publication.sha256 == hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()
    pdf_text = subprocess.run(
        ["pdftotext", str(paths[1]), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "komma till tals" in pdf_text and "Elevråden träffar rektor" in pdf_text
    # One PDF for readers and the archive: PDF/UA-1 and PDF/A-2a, checked by page-validation.
    assert pdf_check(paths[1]) == []


def test_the_public_urls_serve_the_published_files_without_login(client, cast, written, media):
    publish(client, cast.sam, written)
    run_worker()
    publication = Publication.objects.get()
    anonymous = Client()

    html = anonymous.get(reverse("publishing:public_html", args=[publication.public_id]))
    pdf = anonymous.get(reverse("publishing:public_pdf", args=[publication.public_id]))
    docx = anonymous.get(reverse("publishing:public_docx", args=[publication.public_id]))

    assert html.status_code == pdf.status_code == docx.status_code == 200
    assert INTRODUCTION in b"".join(html.streaming_content).decode()
    assert b"".join(pdf.streaming_content) == files(publication, media)[1].read_bytes()
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="barnbokslut-soderhamn-2025-v1.pdf"'
    assert docx["Content-Disposition"] == 'attachment; filename="barnbokslut-soderhamn-2025-v1.docx"'
    assert b"".join(docx.streaming_content) == files(publication, media)[2].read_bytes()
    assert html["X-Barnbokslut-SHA256"] == publication.sha256
    assert "default-src 'none'" in html["Content-Security-Policy"]


def test_the_archive_lists_every_published_version_with_its_checksum(client, cast, written):
    publish(client, cast.sam, written)
    run_worker()
    publication = Publication.objects.get()

    page = Client().get(reverse("publishing:archive", args=["soderhamn"])).content.decode()

    assert "Barnbokslut 2025" in page and "Version 1" in page
    assert publication.sha256 in page
    assert reverse("publishing:public_pdf", args=[publication.public_id]) in page
    assert (
        "Inga barnbokslut är publicerade"
        in Client().get(reverse("publishing:archive", args=["bollnas"])).content.decode()
    )
    assert Client().get(reverse("publishing:archive", args=["finns-inte"])).status_code == 404


def test_a_published_version_cannot_be_saved_or_deleted(client, cast, written):
    publish(client, cast.sam, written)
    run_worker()
    publication = Publication.objects.get()

    publication.note = "ändrad i efterhand"
    with pytest.raises(PublicationError):
        publication.save()
    with pytest.raises(PublicationError):
        publication.delete()
    publication.refresh_from_db()
    assert publication.note == ""


def test_a_correction_is_version_2_and_version_1_stays_as_it_was(client, cast, written, media):
    publish(client, cast.sam, written)
    run_worker()
    first = Publication.objects.get()
    first_bytes = [p.read_bytes() for p in files(first, media)]
    written.sections.filter(kind="inledning").update(body="En rättad inledning.")

    publish(client, cast.alva, written)
    run_worker()

    second = Publication.objects.get(version=2)
    again = Publication.objects.get(version=1)
    assert second.state == Publication.State.PUBLISHED and second.public_id != first.public_id
    assert again.sha256 == first.sha256 and again.published_at == first.published_at
    assert [p.read_bytes() for p in files(again, media)] == first_bytes
    assert second.sha256 != first.sha256
    assert "En rättad inledning." in files(second, media)[0].read_text(encoding="utf-8")


def test_only_published_versions_are_served(client, cast, written):
    publish(client, cast.sam, written)
    building = Publication.objects.get()  # not built yet
    failed = Publication.objects.create(edition=written, version=9, state=Publication.State.FAILED)
    anonymous = Client()

    for publication in (building, failed):
        for name in ("public_html", "public_pdf", "public_docx"):
            assert (
                anonymous.get(reverse(f"publishing:{name}", args=[publication.public_id])).status_code == 404
            )
    assert (
        "Inga barnbokslut"
        in anonymous.get(reverse("publishing:archive", args=["soderhamn"])).content.decode()
    )


def test_a_failed_build_is_marked_failed_with_the_error_and_leaves_no_files(
    client, cast, written, media, monkeypatch
):
    def broken_pdf(report, path):
        raise RuntimeError("WeasyPrint saknar typsnitt")

    monkeypatch.setattr("barnbokslut.report.pdf.write_pdf", broken_pdf)
    publish(client, cast.sam, written)
    run_worker()

    publication = Publication.objects.get()
    assert publication.state == Publication.State.FAILED
    assert "WeasyPrint saknar typsnitt" in publication.error
    assert not (media / "publicerat" / "soderhamn" / "2025" / "v1").exists()
    assert list((media / "publicerat" / "soderhamn" / "2025").iterdir()) == []


def test_a_second_publish_is_refused_while_one_is_building(client, cast, written):
    publish(client, cast.sam, written)

    response = client.post(reverse("publishing:publish", args=[written.pk]), follow=True)

    assert Publication.objects.count() == 1
    assert "En publicering av årgången byggs redan" in response.content.decode()


def test_the_publish_page_polls_while_building_and_stops_when_published(client, cast, written):
    publish(client, cast.sam, written)
    status_url = reverse("publishing:status", args=[written.pk])

    building = client.get(status_url).content.decode()
    run_worker()
    done = client.get(status_url).content.decode()

    assert 'hx-trigger="every 1s"' in building and "Byggs" in building
    assert 'hx-trigger="every 1s"' not in done and "Publicerad" in done
    assert Publication.objects.get().sha256 in done


def test_the_publish_page_names_the_writer_by_name_as_the_board_does(client, cast, written):
    cast.sven.first_name, cast.sven.last_name = "Sven", "Svensson"
    cast.sven.save()
    written.sections.filter(unit=cast.svf).update(writer=cast.sven)
    client.force_login(cast.sam)

    page = client.get(reverse("publishing:publish", args=[written.pk])).content.decode()

    assert "<td>Sven Svensson</td>" in page
    assert "<td>sven</td>" not in page


def test_the_publish_page_warns_about_sections_not_approved(client, cast, written):
    client.force_login(cast.sam)

    page = client.get(reverse("publishing:publish", args=[written.pk])).content.decode()

    assert "avsnitt är inte godkända" in page
    assert "Styrkor – Stadsområde, välfärd och fritid (SVF)" in page
    assert "Klar för granskning" in page
    assert "1 uppföljningsrad saknar status" in page
    assert "Publicera version 1</button>" in page


def test_approved_only_leaves_out_the_sections_not_approved_and_says_so(client, cast, written, media):
    client.force_login(cast.sam)
    page = client.get(reverse("publishing:publish", args=[written.pk])).content.decode()
    assert "Bara godkända avsnitt (de andra lämnas ute)" in page

    client.post(reverse("publishing:publish", args=[written.pk]), {"innehall": "godkanda"})
    run_worker()

    publication = Publication.objects.get()
    assert publication.state == Publication.State.PUBLISHED, publication.error
    assert publication.approved_only
    html = (media / publication.html_path).read_text(encoding="utf-8")
    assert "Elevråden träffar rektor" in html  # BOU's approved text
    assert "Barnets bästa dokumenteras i alla utredningar" not in html  # SVF's, Klar för granskning
    about = client.get(reverse("publishing:public_about", args=[publication.public_id])).content.decode()
    assert "Bara avsnitt som var godkända när versionen publicerades" in about


def test_by_default_every_section_is_published_as_before(client, cast, written, media):
    publish(client, cast.sam, written)
    run_worker()

    publication = Publication.objects.get()
    assert not publication.approved_only
    html = (media / publication.html_path).read_text(encoding="utf-8")
    assert "Barnets bästa dokumenteras i alla utredningar" in html
