"""The barnversion in the web app: the coordinator writes it with a live LIX figure, two saves from the same
version never overwrite each other, and a publication carries its page and A4 poster with their checksums."""

from __future__ import annotations

import hashlib
import stat

from django.test import Client
from django.urls import reverse
from publishing_helpers import run_worker

from barnbokslut.web.accounts.models import AuditAction, AuditEvent
from barnbokslut.web.editions.models import ChildVersionText, Edition
from barnbokslut.web.publishing.models import Publication
from pdfcheck import PDF_UA, pdf_check

#: Counted by hand: 2 + 2 + 4 + 7 = 15 words; 4 sentences (two list items, two in the paragraph); 2 long words
#: (lekplats, lyssnade: more than six letters). LIX = 15/4 + 100·2/15 = 3,75 + 13,3 = 17.
EASY = "- Ny lekplats\n- Fler vuxna\n\nVi lyssnade på er.\nNi ville ha mer frukt i skolan."


def _page(client: Client, user, edition: Edition):
    client.force_login(user)
    return client.get(reverse("editions:child_version", args=[edition.pk]))


def _save(client: Client, edition: Edition, version: int, **texts: str):
    data = {"version": str(version), "lix_target": "30", **texts}
    return client.post(reverse("editions:child_version", args=[edition.pk]), data)


def test_the_coordinator_writes_the_barnversion_and_sees_its_lix(
    client: Client, cast, edition: Edition
) -> None:
    assert _page(client, cast.sam, edition).status_code == 200
    assert not ChildVersionText.objects.exists()  # reading writes nothing
    response = _save(
        client, edition, 0, lead="Det här är vår barnversion.", gjort=EASY, tycker="Skriv till oss."
    )
    assert response.status_code == 302
    stored = ChildVersionText.objects.get(edition=edition)
    assert (stored.gjort, stored.tycker, stored.version) == (EASY, "Skriv till oss.", 1)
    assert AuditEvent.objects.filter(action=AuditAction.SECTION_SAVED, description__contains="barnversionen")

    # The live figure: the texts being typed, counted on the server.
    box = client.post(
        reverse("editions:child_version_lix", args=[edition.pk]), {"gjort": EASY, "lix_target": "30"}
    ).content.decode()
    assert "LIX 17" in box and "mycket lätt" in box and "Målet (högst 30) är uppfyllt." in box
    assert "15 ord, 4 meningar, 2 långa ord" in box
    box = client.post(
        reverse("editions:child_version_lix", args=[edition.pk]), {"gjort": EASY, "lix_target": "10"}
    ).content.decode()
    assert "Över målet (högst 10)" in box

    preview = client.get(reverse("editions:child_version_preview", args=[edition.pk]))
    page = preview.content.decode()
    assert "Det här har vi gjort" in page and "Så kan du säga vad du tycker" in page
    assert "Det här sa ni" not in page  # an empty part is left out
    assert "default-src 'none'" in preview["Content-Security-Policy"]


def test_a_second_save_from_the_same_version_keeps_both_texts(client: Client, cast, edition: Edition) -> None:
    client.force_login(cast.sam)
    assert _save(client, edition, 0, gjort="Först.").status_code == 302
    response = _save(client, edition, 0, gjort="Min egen text som inte får försvinna.")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Någon annan sparade barnversionen medan du skrev." in page
    assert "Min egen text som inte får försvinna." in page  # still in the form
    assert "Först." in page  # the saved version shown below
    assert ChildVersionText.objects.get().gjort == "Först."


def test_only_coordinators_write_it_others_read_it(client: Client, cast, edition: Edition) -> None:
    client.force_login(cast.siri)
    assert _save(client, edition, 0, gjort="Kapat.").status_code == 403
    page = _page(client, cast.lars, edition).content.decode()
    assert 'name="gjort"' not in page and "Samordnaren skriver barnversionen." in page
    assert not ChildVersionText.objects.exists()


def test_a_publication_carries_the_barnversion_page_and_poster(
    client: Client, cast, edition: Edition, media
) -> None:
    ChildVersionText.objects.create(edition=edition, gjort=EASY, sa_ni="> Fler bänkar! (flicka, 12 år)")
    client.force_login(cast.sam)
    client.post(reverse("publishing:publish", args=[edition.pk]))
    run_worker()
    publication = Publication.objects.get()
    assert publication.state == Publication.State.PUBLISHED, publication.error
    page, poster = media / publication.child_html_path, media / publication.child_pdf_path
    assert (page.name, poster.name) == (
        "barnbokslut-soderhamn-2025-v1-barnversion.html",
        "barnbokslut-soderhamn-2025-v1-barnversion.pdf",
    )
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o444 for p in (page, poster))
    assert publication.child_pdf_sha256 == hashlib.sha256(poster.read_bytes()).hexdigest()
    assert not pdf_check(poster, profiles=(PDF_UA,))
    sums = (page.parent / "SHA256SUMS").read_text(encoding="utf-8")
    assert f"{publication.child_html_sha256}  {page.name}" in sums

    anonymous = Client()
    served = anonymous.get(reverse("publishing:public_child_html", args=[publication.public_id]))
    body = b"".join(served.streaming_content).decode()
    assert "Fler bänkar!" in body and 'href="../"' in body
    about = anonymous.get(reverse("publishing:public_about", args=[publication.public_id])).content.decode()
    assert "Barnversion (affisch, PDF)" in about and publication.child_pdf_sha256 in about
    pdf = anonymous.get(reverse("publishing:public_child_pdf", args=[publication.public_id]))
    # reading a file response to its end closes it (the test client's wrapper); calling close() would send
    # request_finished, which closes the PostgreSQL connection in the middle of the test
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content) == poster.read_bytes()


def test_a_publication_without_barnversion_has_no_such_files(
    client: Client, cast, edition: Edition, media
) -> None:
    client.force_login(cast.sam)
    client.post(reverse("publishing:publish", args=[edition.pk]))
    run_worker()
    publication = Publication.objects.get()
    assert publication.state == Publication.State.PUBLISHED, publication.error
    assert not publication.has_child_version
    response = Client().get(reverse("publishing:public_child_html", args=[publication.public_id]))
    assert response.status_code == 404
    about = Client().get(reverse("publishing:public_about", args=[publication.public_id])).content.decode()
    assert "Barnversion" not in about
