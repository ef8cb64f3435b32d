"""An uploaded PDF of last year's barnbokslut is read by the task worker, not in the request (issue 14).

The committee example (examples/barnbokslut-namnd) is built as PDF by our own builder, as ``barnbokslut bygg``
does, and uploaded: the request stores it and queues ``tasks.read_import`` (nothing read, nothing in any edition),
the page says "Läser filen …" and reloads itself, the worker (``db_worker --batch``, the real worker code) reads
it, and the page is then the review, imported as from a DOCX. A worker that never comes, or a task that dies,
does not leave the user waiting: after ``READ_MINUTES`` the page says so in Swedish and nothing is kept.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from publishing_helpers import run_worker

from barnbokslut.web.editions.models import Edition
from barnbokslut.web.publishing import import_reading
from barnbokslut.web.publishing.models import ImportReview

ROOT = Path(__file__).resolve().parents[3]
NAMND = ROOT / "examples" / "barnbokslut-namnd"
NOWHERE = "http://127.0.0.1:9"  # the committee example never asks Kolada
Status = ImportReview.Status


@pytest.fixture(scope="module")
def namnd_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from barnbokslut.report.build import write_report
    from barnbokslut.report.folder import report_from_folder

    path = tmp_path_factory.mktemp("namnd") / "barnbokslut-2024.pdf"
    write_report(report_from_folder(NAMND, base_url=NOWHERE, cache=None), "pdf", path)
    return path.read_bytes()


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def _stored(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob("*") if p.is_file()]


def _upload(client: Client, org_pk: int, name: str, data: bytes) -> Any:
    return client.post(
        reverse("publishing:import_start", kwargs={"org_pk": org_pk}), {"fil": SimpleUploadedFile(name, data)}
    )


def test_a_pdf_is_read_by_the_worker_and_then_reviewed_and_imported(
    client: Client, cast: Any, data_dir: Path, namnd_pdf: bytes
) -> None:
    client.force_login(cast.sam)
    response = _upload(client, cast.organisation.pk, "namnd-2024.pdf", namnd_pdf)
    assert response.status_code == 302
    review = ImportReview.objects.get()
    assert response["Location"] == reverse(
        "publishing:import_review", kwargs={"org_pk": cast.organisation.pk, "pk": review.pk}
    )
    # Nothing read in the request: the file is stored, a task queued, the review empty.
    assert (review.status, review.state, review.kind) == (Status.QUEUED, {}, "pdf")
    assert [p.name for p in _stored(data_dir)] == ["namnd-2024.pdf"]
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert Edition.objects.count() == 0

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Läser filen namnd-2024.pdf …</h1>" in html
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "Väntar på bakgrundsprocessen" in html
    waited = r"Filen är uppladdad och har väntat i \d+ sekund(er)? på bakgrundsprocessen som läser den\."
    assert re.search(waited, html), html

    run_worker()
    review.refresh_from_db()
    assert review.status == Status.READY
    assert not _stored(data_dir)  # the stored upload is gone once read
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Granska importen av namnd-2024.pdf" in html
    assert "http-equiv" not in html
    # examples/barnbokslut-namnd: år = 2024, ten [[utvecklingsomrade]], the first "Nå fler målgrupper"'s
    # neighbour "Skola som arena" second.
    rows = review.state["current"]["rows"]
    assert len(rows) == 10
    assert rows[1]["area"] == "Skola som arena"
    assert review.state["current"]["year"] == 2025

    form: dict[str, str] = {"year": "2025", "gor": "importera"}
    for i, part in enumerate(review.state["current"]["parts"]):
        form[f"del-{i}-rubrik"], form[f"del-{i}-text"] = part["heading"], part["text"]
    response = client.post(response["Location"], form)
    assert response.status_code == 302, response.content.decode()[:2000]
    edition = Edition.objects.get(organisation=cast.organisation)
    assert edition.year == 2025
    assert edition.follow_ups.count() == 10
    assert not ImportReview.objects.exists()


def test_the_page_says_when_the_worker_is_reading(client: Client, cast: Any, data_dir: Path) -> None:
    client.force_login(cast.sam)
    response = _upload(client, cast.organisation.pk, "rapport.pdf", b"%PDF-1.4 not really")
    review = ImportReview.objects.get()
    # The worker has taken it (as read_upload's first step does) 7 seconds ago.
    ImportReview.objects.filter(pk=review.pk).update(
        status=Status.READING, started_at=timezone.now() - timedelta(seconds=7)
    )
    html = client.get(response["Location"]).content.decode()
    assert "Läser filen." in html
    assert "Bakgrundsprocessen har läst filen i 7 sekunder." in html


def test_without_a_worker_the_page_gives_up_after_the_bound_and_keeps_nothing(
    client: Client, cast: Any, data_dir: Path, namnd_pdf: bytes
) -> None:
    client.force_login(cast.sam)
    response = _upload(client, cast.organisation.pk, "namnd-2024.pdf", namnd_pdf)
    review = ImportReview.objects.get()
    # No worker runs. Just inside the bound the page still waits …
    early = timezone.now() - timedelta(minutes=import_reading.READ_MINUTES) + timedelta(seconds=30)
    ImportReview.objects.filter(pk=review.pk).update(created_at=early)
    assert "Läser filen" in client.get(response["Location"]).content.decode()
    # … past it, it says so and throws the upload away.
    late = timezone.now() - timedelta(minutes=import_reading.READ_MINUTES, seconds=1)
    ImportReview.objects.filter(pk=review.pk).update(created_at=late)
    page = client.get(response["Location"], follow=True)
    html = page.content.decode()
    assert page.redirect_chain[-1][0] == reverse(
        "publishing:import_start", kwargs={"org_pk": cast.organisation.pk}
    )
    assert "Kan inte importera namnd-2024.pdf: filen har inte blivit läst på 10 minuter." in html
    assert "Inget har sparats." in html
    assert not ImportReview.objects.exists()
    assert not _stored(data_dir)
    # A worker that comes later finds nothing to do and saves nothing.
    run_worker()
    assert not ImportReview.objects.exists() and Edition.objects.count() == 0


def test_a_task_that_dies_reading_says_so_and_keeps_nothing(
    client: Client, cast: Any, data_dir: Path, namnd_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path) -> Any:
        raise MemoryError("pdfminer ran out of memory")

    monkeypatch.setattr(import_reading, "read_file", broken)
    client.force_login(cast.sam)
    response = _upload(client, cast.organisation.pk, "namnd-2024.pdf", namnd_pdf)
    run_worker()
    assert DBTaskResult.objects.get().status == "FAILED"  # the worker logged the error
    assert ImportReview.objects.get().status == Status.FAILED
    assert not _stored(data_dir)
    page = client.get(response["Location"], follow=True)
    html = page.content.decode()
    assert "Kan inte importera namnd-2024.pdf: ett oväntat fel inträffade när filen lästes." in html
    assert "Inget har sparats." in html
    assert not ImportReview.objects.exists()


def test_cancelling_while_the_worker_has_not_read_removes_the_stored_file(
    client: Client, cast: Any, data_dir: Path, namnd_pdf: bytes
) -> None:
    client.force_login(cast.sam)
    _upload(client, cast.organisation.pk, "namnd-2024.pdf", namnd_pdf)
    review = ImportReview.objects.get()
    assert _stored(data_dir)
    cancel = reverse("publishing:import_cancel", kwargs={"org_pk": cast.organisation.pk, "pk": review.pk})
    assert client.post(cancel).status_code == 302
    assert not ImportReview.objects.exists() and not _stored(data_dir)
    run_worker()  # the queued task finds its review gone
    assert not ImportReview.objects.exists() and Edition.objects.count() == 0


def test_a_new_upload_replaces_a_queued_one_and_its_file(
    client: Client, cast: Any, data_dir: Path, namnd_pdf: bytes
) -> None:
    client.force_login(cast.sam)
    _upload(client, cast.organisation.pk, "forsta.pdf", namnd_pdf)
    _upload(client, cast.organisation.pk, "andra.pdf", namnd_pdf)
    assert list(ImportReview.objects.values_list("filename", flat=True)) == ["andra.pdf"]
    assert [p.name for p in _stored(data_dir)] == ["andra.pdf"]


def test_another_manager_may_not_watch_or_cancel_a_pdf_being_read(
    client: Client, cast: Any, data_dir: Path, namnd_pdf: bytes
) -> None:
    client.force_login(cast.sam)
    response = _upload(client, cast.organisation.pk, "namnd-2024.pdf", namnd_pdf)
    review = ImportReview.objects.get()
    client.force_login(cast.alva)
    assert client.get(response["Location"]).status_code == 403
    cancel = reverse("publishing:import_cancel", kwargs={"org_pk": cast.organisation.pk, "pk": review.pk})
    assert client.post(cancel).status_code == 403
    assert ImportReview.objects.get().status == Status.QUEUED and _stored(data_dir)
