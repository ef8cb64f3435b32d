"""A published version's page (publicerat/<uuid>/om/): its files with their own checksums, who published it and
when, the way to the archive; the published HTML links back to it, and the archive links to it."""

from __future__ import annotations

import hashlib
import importlib
import re
import uuid

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from publishing_helpers import run_worker

from barnbokslut.numbers import format_date_sv
from barnbokslut.web.publishing.models import Publication

CONTENT_TYPES = {
    "Webbsida": "text/html; charset=utf-8",
    "PDF": "application/pdf",
    "Word": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def published(client: Client, cast, edition) -> Publication:
    cast.sam.first_name, cast.sam.last_name = "Sam", "Samordnare"
    cast.sam.save()
    client.force_login(cast.sam)
    client.post(reverse("publishing:publish", args=[edition.pk]))
    run_worker()
    publication = Publication.objects.get()
    assert publication.state == Publication.State.PUBLISHED, publication.error
    return publication


def test_the_version_page_links_each_file_with_its_own_checksum(client, cast, written):
    publication = published(client, cast, written)
    anonymous = Client()
    url = reverse("publishing:public_about", args=[publication.public_id])

    page = anonymous.get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert f'{written} <span class="muted">{cast.organisation.name}</span>' in text
    assert "Version 1" in text
    assert format_date_sv(timezone.localtime(publication.published_at)) in text  # "2 december 2026", not ISO
    assert "Sam Samordnare" in text
    archive_url = reverse("publishing:archive", args=[cast.organisation.slug])
    assert f'href="{archive_url}"' in text
    rows = re.findall(r'<a href="([^"]+)">(Webbsida|PDF|Word)</a>.*?<code>([0-9a-f]{64})</code>', text, re.S)
    assert [label for _, label, _ in rows] == ["Webbsida", "PDF", "Word"]
    for href, label, shown in rows:
        response = anonymous.get(href)
        assert response.status_code == 200, label
        assert response["Content-Type"] == CONTENT_TYPES[label]
        assert shown == hashlib.sha256(b"".join(response.streaming_content)).hexdigest(), label
    assert "gäller de tre filerna tillsammans" not in text


def test_the_published_html_links_back_to_its_version_page(client, cast, written):
    publication = published(client, cast, written)
    html_url = reverse("publishing:public_html", args=[publication.public_id])

    html = b"".join(Client().get(html_url).streaming_content).decode()

    href = re.search(r'<a href="([^"]+)">Om den här versionen', html)[1]
    assert html_url + href == reverse("publishing:public_about", args=[publication.public_id])
    assert Client().get(html_url + href).status_code == 200


def test_the_archive_lists_the_version_and_links_to_its_page(client, cast, written):
    publication = published(client, cast, written)
    about = reverse("publishing:public_about", args=[publication.public_id])

    archive = Client().get(reverse("publishing:archive", args=[cast.organisation.slug]))

    assert archive.status_code == 200
    assert f'<a href="{about}">Version 1</a>' in archive.content.decode()


def test_a_version_published_before_per_file_checksums_shows_the_combined_one_with_a_note(
    client, cast, written
):
    publication = published(client, cast, written)
    Publication.objects.filter(pk=publication.pk).update(html_sha256="", pdf_sha256="", docx_sha256="")

    text = Client().get(reverse("publishing:public_about", args=[publication.public_id])).content.decode()

    assert f"<code>{publication.sha256}</code> gäller de tre filerna tillsammans" in text


def test_an_unknown_or_unpublished_version_has_no_page(client, cast, written):
    assert Client().get(reverse("publishing:public_about", args=[uuid.uuid4()])).status_code == 404
    failed = Publication.objects.create(edition=written, version=1, state=Publication.State.FAILED)
    assert Client().get(reverse("publishing:public_about", args=[failed.public_id])).status_code == 404


def test_the_migration_fills_in_per_file_checksums_of_earlier_versions_from_their_files(
    client, cast, written, media
):
    from django.apps import apps

    migration = importlib.import_module("barnbokslut.web.publishing.migrations.0002_per_file_checksums")
    publication = published(client, cast, written)
    blank = {"html_sha256": "", "pdf_sha256": "", "docx_sha256": ""}
    Publication.objects.filter(pk=publication.pk).update(**blank)

    migration.per_file_checksums(apps, None)

    publication.refresh_from_db()
    pdf_bytes = (media / publication.pdf_path).read_bytes()
    assert publication.pdf_sha256 == hashlib.sha256(pdf_bytes).hexdigest()
    assert publication.html_sha256 and publication.docx_sha256

    # Files that no longer give the stored combined checksum get no per-file checksums.
    Publication.objects.filter(pk=publication.pk).update(sha256="0" * 64, **blank)
    migration.per_file_checksums(apps, None)
    publication.refresh_from_db()
    assert (publication.html_sha256, publication.pdf_sha256, publication.docx_sha256) == ("", "", "")
