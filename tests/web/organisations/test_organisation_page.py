"""The organisation page: the administratör edits name, Kolada id and logo; the samordnare may only look."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from barnbokslut.web.accounts.models import AuditAction, AuditEvent
from barnbokslut.web.organisations.forms import LOGO_MAX_BYTES
from barnbokslut.web.organisations.models import Organisation, Unit


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def png(size: tuple[int, int] = (40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 83, 148)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def tree(cast):
    """BOU gets a child (Förskola) and a grandchild (Förskola Norr)."""
    forskola = Unit.objects.create(
        organisation=cast.organisation, parent=cast.bou, name="Förskola", abbreviation="FSK"
    )
    norr = Unit.objects.create(
        organisation=cast.organisation, parent=forskola, name="Förskola Norr", abbreviation="FN"
    )
    return forskola, norr


def test_the_admin_sees_the_details_and_the_unit_tree_with_edit_links(cast, tree):
    response = client_for(cast.alva).get(reverse("organisations:detail", args=[cast.organisation.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Söderhamns kommun" in text and "2182" in text
    assert f'<h3 id="enhet-{cast.bou.pk}">Barn och unga' in text
    assert (
        text.index("Barn och unga")
        < text.index("Förskola")
        < text.index("Förskola Norr")
        < text.index("Stadsområde")
    )
    assert text.count('<ul class="unit-tree">') == 3  # root list, BOU's children, Förskola's children
    assert reverse("organisations:unit_create", args=[cast.organisation.pk]) in text
    assert reverse("organisations:update", args=[cast.organisation.pk]) in text


def test_the_coordinator_sees_the_page_without_edit_links(cast, tree):
    response = client_for(cast.sam).get(reverse("organisations:detail", args=[cast.organisation.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Förskola Norr" in text
    assert reverse("organisations:unit_create", args=[cast.organisation.pk]) not in text
    assert reverse("organisations:update", args=[cast.organisation.pk]) not in text
    assert reverse("accounts:members", args=[cast.organisation.pk]) not in text
    assert reverse("accounts:audit_log", args=[cast.organisation.pk]) in text


def test_the_admin_changes_name_and_kolada_id_and_it_is_audited(cast):
    response = client_for(cast.alva).post(
        reverse("organisations:update", args=[cast.organisation.pk]), {"name": "Söderhamn", "kommun": "2180"}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=cast.organisation.pk)
    assert (organisation.name, organisation.kommun) == ("Söderhamn", "2180")
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_CHANGED)
    assert "namn" in event.description and "kommun i kolada" in event.description


def test_a_kolada_id_that_is_not_four_digits_is_refused(cast):
    response = client_for(cast.alva).post(
        reverse("organisations:update", args=[cast.organisation.pk]), {"name": "Söderhamn", "kommun": "21x"}
    )
    assert response.status_code == 400
    assert "fyra siffror" in response.content.decode()
    assert Organisation.objects.get(pk=cast.organisation.pk).kommun == "2182"


def test_a_logo_is_uploaded_and_served_to_members(cast):
    alva = client_for(cast.alva)
    upload = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    response = alva.post(
        reverse("organisations:update", args=[cast.organisation.pk]),
        {"name": cast.organisation.name, "kommun": "2182", "logo": upload},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=cast.organisation.pk)
    assert organisation.logo.name.startswith("logotyper/")
    served = client_for(cast.lars).get(reverse("organisations:logo", args=[cast.organisation.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png()
    assert (
        client_for(cast.olle).get(reverse("organisations:logo", args=[cast.organisation.pk])).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "ingen bild",
        ),
        ("logo.png", b"not an image at all", "ingen bild"),
        ("logo.gif", png(), "måste vara en bild i formatet"),  # a PNG dressed as a GIF
        ("logo.png", b"\x89PNG" + b"0" * (LOGO_MAX_BYTES + 1), "för stor"),
    ],
    ids=["svg-with-script", "not-an-image", "wrong-extension", "too-big"],
)
def test_a_logo_that_is_not_a_small_raster_image_is_refused(cast, name, content, message):
    response = client_for(cast.alva).post(
        reverse("organisations:update", args=[cast.organisation.pk]),
        {"name": cast.organisation.name, "kommun": "2182", "logo": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Organisation.objects.get(pk=cast.organisation.pk).logo


def test_the_logo_is_removed_with_the_checkbox(cast):
    alva = client_for(cast.alva)
    update = reverse("organisations:update", args=[cast.organisation.pk])
    logo = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    alva.post(update, {"name": cast.organisation.name, "kommun": "2182", "logo": logo})
    assert "Ta bort nuvarande logotyp" in alva.get(update).content.decode()
    alva.post(update, {"name": cast.organisation.name, "kommun": "2182", "remove_logo": "on"})
    assert not Organisation.objects.get(pk=cast.organisation.pk).logo
    assert alva.get(reverse("organisations:logo", args=[cast.organisation.pk])).status_code == 404
