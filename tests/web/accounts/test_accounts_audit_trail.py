"""Issue 12, row 7: the audit trail records every write and every refusal, with the client's address from the
trusted proxy header, and administrators export it as CSV.

Before: no event for table rows added, edited or deleted, writer/deadline assignment, indicator selection or
comment, Kolada refresh, publication finished or failed, or refusals (``DENIED`` existed, never written);
deleting a local table was logged as "Importerade data"; the address was REMOTE_ADDR only (127.0.0.1 behind
the documented reverse proxy).
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction, AuditEvent
from barnbokslut.web.editions.models import DevelopmentArea, EditionIndicator, FollowUp, Section, SectionKind
from barnbokslut.web.localdata.models import LocalTable
from barnbokslut.web.publishing import services as publishing
from barnbokslut.web.publishing.models import Publication


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


@pytest.fixture
def rows(cast, edition):  # type: ignore[no-untyped-def]
    follow_up = FollowUp.objects.create(edition=edition, area="Trygghet", action="Fler vuxna", order=0)
    FollowUp.objects.create(edition=edition, area="Delaktighet", action="Elevråd", order=1)
    area = DevelopmentArea.objects.create(
        edition=edition, area="Psykisk hälsa", measures="Elevhälsa", order=0
    )
    return follow_up, area


def test_every_table_write_is_an_event(cast, edition, rows) -> None:
    follow_up, area = rows
    sam = _client(cast.sam)
    sam.post(reverse("editions:follow_up_add", args=[edition.pk]), {"ny-area": "Ny rad", "ny-action": "Gör"})
    sam.post(
        reverse("editions:follow_up_edit", args=[edition.pk, follow_up.pk]),
        {f"rad-{follow_up.pk}-area": "Trygghet i skolan", f"rad-{follow_up.pk}-action": "Fler vuxna"},
    )
    sam.post(reverse("editions:follow_up_move", args=[edition.pk, follow_up.pk]), {"riktning": "down"})
    sam.post(
        reverse("editions:follow_up_actions", args=[edition.pk, follow_up.pk]),
        {
            f"atgarder-{follow_up.pk}-antal": "1",
            f"atgarder-{follow_up.pk}-status": "",
            f"atgarder-{follow_up.pk}-1-text": "Rastvakter",
            f"atgarder-{follow_up.pk}-1-status": "genomford",
        },
    )
    sam.post(reverse("editions:development_delete", args=[edition.pk, area.pk]))
    descriptions = [e.description for e in _events(AuditAction.TABLE_CHANGED)]
    assert len(descriptions) == 5, descriptions
    assert "lade till raden ”Ny rad”" in descriptions[0]
    assert "ändrade raden ”Trygghet i skolan”" in descriptions[1]
    assert "flyttade raden ”Trygghet i skolan” ned" in descriptions[2]
    assert "ändrade åtgärderna" in descriptions[3]
    assert "tog bort raden ”Psykisk hälsa”" in descriptions[4]
    assert {e.organisation for e in _events(AuditAction.TABLE_CHANGED)} == {cast.organisation}
    assert {e.user for e in _events(AuditAction.TABLE_CHANGED)} == {cast.sam}


def test_assignment_indicators_kolada_and_section_saves_are_events(cast, edition) -> None:
    sam = _client(cast.sam)
    section = Section.objects.get(edition=edition, unit=cast.bou, kind=SectionKind.FORUTSATTNINGAR)
    deadline = datetime.date.today() + datetime.timedelta(days=7)
    sam.post(
        reverse("editions:section_assign", args=[section.pk]),
        {"writer": cast.siri.pk, "deadline": deadline.isoformat()},
    )
    EditionIndicator.objects.create(edition=edition, kpi="U31803", order=0)
    sam.post(reverse("editions:indicator_selection", args=[edition.pk]), {"kpis": ["U31803", "N15428"]})
    sam.post(reverse("editions:indicator_comment", args=[edition.pk, "U31803"]), {"k-U31803-comment": "Bra."})
    sam.post(reverse("editions:kolada_refresh", args=[edition.pk]))
    _client(cast.siri).post(
        reverse("editions:section_save", args=[section.pk]), {"body": "Ny text.", "version": 0}
    )

    (assigned,) = _events(AuditAction.ASSIGNED)
    # The date the Swedish way, as in every other message ("10 december 2026"), not ISO.
    assert (
        f"senast klar {deadline.day} " in assigned.description and str(deadline.year) in assigned.description
    )
    assert deadline.isoformat() not in assigned.description
    selection, comment = _events(AuditAction.INDICATORS_CHANGED)
    assert "urvalet av nyckeltal" in selection.description and "1 → 2" in selection.description
    assert "kommentaren till nyckeltalet U31803" in comment.description
    assert len(_events(AuditAction.KOLADA_REFRESHED)) == 1
    (saved,) = _events(AuditAction.SECTION_SAVED)
    assert saved.user == cast.siri and "version 1" in saved.description


def test_deleting_a_local_table_is_logged_as_a_deletion(cast, edition) -> None:
    table = LocalTable.objects.create(
        edition=edition, title="Behörighet", source_filename="b.csv", sha256="0" * 64,
        columns=["Skola", "2025"], rows=[["Bergvik", 83.5]], uploaded_by=cast.sam,
    )  # fmt: skip
    _client(cast.sam).post(reverse("localdata:delete", args=[edition.pk, table.pk]))
    (deleted,) = _events(AuditAction.DATA_DELETED)
    assert "Tog bort den lokala tabellen ”Behörighet”" in deleted.description
    assert not _events(AuditAction.IMPORTED)


def test_a_publication_finished_or_failed_is_an_event(cast, edition, monkeypatch, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    failed = Publication.objects.create(edition=edition, version=1, created_by=cast.sam)

    def broken(publication, final):  # type: ignore[no-untyped-def]
        raise RuntimeError("ingen disk")

    monkeypatch.setattr(publishing, "_write_files", broken)
    publishing.build_publication_files(failed.pk)
    (event,) = _events(AuditAction.PUBLICATION_FAILED)
    assert "Version 1" in event.description and "RuntimeError" in event.description
    assert event.user == cast.sam and event.organisation == cast.organisation

    done = Publication.objects.create(edition=edition, version=2, created_by=cast.sam)
    files = [tmp_path / name for name in ("r.html", "r.pdf", "r.docx")]
    monkeypatch.setattr(publishing, "_write_files", lambda publication, final: files)
    monkeypatch.setattr(publishing, "checksum", lambda paths: "0" * 64)
    publishing.build_publication_files(done.pk)
    (finished,) = _events(AuditAction.PUBLICATION_FINISHED)
    assert "Version 2" in finished.description and "är publicerad" in finished.description


def test_a_refusal_is_an_event_with_the_path_and_the_reason(cast, edition) -> None:
    response = _client(cast.lars).post(reverse("editions:follow_up_add", args=[edition.pk]), {"ny-area": "X"})
    assert response.status_code == 403
    (denied,) = _events(AuditAction.DENIED)
    assert denied.user == cast.lars
    assert f"POST /arsgang/{edition.pk}/uppfoljning/ny/" in denied.description


def test_a_write_to_a_closed_edition_is_refused_and_logged(cast, edition) -> None:
    edition.state = edition.State.CLOSED
    edition.save()
    response = _client(cast.sam).post(
        reverse("editions:indicator_selection", args=[edition.pk]), {"kpis": ["U31803"]}
    )
    assert response.status_code == 403
    (denied,) = _events(AuditAction.DENIED)
    assert "Årgången är avslutad" in denied.description


@pytest.mark.parametrize(
    ("header", "forwarded", "expected"),
    [
        ("", "203.0.113.5", "127.0.0.1"),  # no proxy configured: the header is not trusted
        ("X-Forwarded-For", "203.0.113.5", "203.0.113.5"),
        ("X-Forwarded-For", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # what the client sent itself is ignored
        ("X-Forwarded-For", "inte-en-adress", "127.0.0.1"),
    ],
)
def test_the_address_comes_from_the_trusted_proxy_header(cast, settings, header, forwarded, expected) -> None:
    settings.CLIENT_IP_HEADER = header
    client = Client()
    client.post(
        reverse("login"),
        {"username": "siri", "password": "losenord-123"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert AuditEvent.objects.get(action=AuditAction.LOGIN).ip == expected


def test_administrators_export_the_log_as_csv(cast, edition) -> None:
    FollowUp.objects.create(edition=edition, area="=HYPERLINK(1)", action="x", order=0)
    record(AuditAction.TABLE_CHANGED, '=HYPERLINK("evil")', organisation=cast.organisation)
    alva = _client(cast.alva)
    response = alva.get(reverse("accounts:audit_log_csv", args=[cast.organisation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffTid;Användare;Händelse;Beskrivning")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert any(row[2] == "Ändrad tabell" and row[3] == '\'=HYPERLINK("evil")' for row in rows)
    (exported,) = _events(AuditAction.AUDIT_EXPORTED)
    assert exported.user == cast.alva

    filtered = alva.get(reverse("accounts:audit_log_csv", args=[cast.organisation.pk]), {"action": "denied"})
    assert (
        len(list(csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode())))) == 1
    )  # the header

    assert (
        "Exportera som CSV"
        in alva.get(reverse("accounts:audit_log", args=[cast.organisation.pk])).content.decode()
    )
    sam = _client(cast.sam)
    assert sam.get(reverse("accounts:audit_log_csv", args=[cast.organisation.pk])).status_code == 403
    assert (
        "Exportera som CSV"
        not in sam.get(reverse("accounts:audit_log", args=[cast.organisation.pk])).content.decode()
    )
