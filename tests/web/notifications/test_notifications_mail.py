"""E-mail notifications end to end (issue 13): the real views, the real task worker, a real SMTP server.

Each test makes the request a person makes (django test Client), runs the commit callbacks (the message is
handed over after the commit), runs the worker as ``db_worker`` does, and reads what aiosmtpd received.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from smtp_helpers import BASE_URL, free_port, text
from taskworker import run_worker

from barnbokslut.web.accounts.models import Preferences
from barnbokslut.web.editions.models import Edition, Section, SectionKind, SectionStatus
from barnbokslut.web.notifications.models import ReminderKind, SentReminder
from barnbokslut.web.notifications.tasks import send_deadline_reminders

BOU_PREMISES = "Förutsättningar – Barn och unga (BOU)"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bou(edition: Edition, cast: Any, kind: SectionKind = SectionKind.FORUTSATTNINGAR) -> Section:
    return Section.objects.get(edition=edition, unit=cast.bou, kind=kind)


def test_assigning_a_writer_mails_them_a_link_to_the_section(
    smtp, addresses, edition, django_capture_on_commit_callbacks
):
    section = bou(edition, addresses)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(addresses.sam).post(
            reverse("editions:section_assign", args=[section.pk]),
            {"writer": addresses.siri.pk, "deadline": "2025-04-30"},
        )
    assert response.status_code == 302
    assert smtp.messages == []  # handed to the worker, not sent in the request
    run_worker()
    assert smtp.recipients() == ["siri@soderhamn.example"]
    message = smtp.messages[0]
    assert message["Subject"] == f"Barnbokslut: Du har fått avsnittet {BOU_PREMISES} att skriva"
    assert message["From"] == "Barnbokslut <barnbokslut@soderhamn.example>"
    body = text(message)
    assert f"{BASE_URL}/avsnitt/{section.pk}/" in body
    assert "sam har gett dig avsnitt att skriva i Barnbokslut 2025" in body
    assert "senast klart 30 april 2025" in body
    assert f"{BASE_URL}/konto/" in body  # where to turn them off


def test_keeping_the_same_writer_sends_nothing(smtp, addresses, edition, django_capture_on_commit_callbacks):
    section = bou(edition, addresses)
    Section.objects.filter(pk=section.pk).update(writer=addresses.siri)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(addresses.sam).post(
            reverse("editions:section_assign", args=[section.pk]),
            {"writer": addresses.siri.pk, "deadline": "2025-05-15"},
        )
    run_worker()
    assert smtp.messages == []


def test_a_bulk_assignment_on_the_board_is_one_message_listing_every_section(
    smtp, addresses, edition, django_capture_on_commit_callbacks
):
    sections = list(Section.objects.filter(edition=edition, unit=addresses.bou).order_by("pk"))
    assert len(sections) == 3
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(addresses.sam).post(
            reverse("editions:board_assign", args=[edition.pk]),
            {"avsnitt": [s.pk for s in sections], "skribent": addresses.siri.pk, "senast_klar": ""},
        )
    assert response.status_code == 302
    assert Section.objects.filter(edition=edition, writer=addresses.siri).count() == 3
    run_worker()
    assert smtp.recipients() == ["siri@soderhamn.example"]
    message = smtp.messages[0]
    assert message["Subject"] == "Barnbokslut: Du har fått 3 avsnitt att skriva i Barnbokslut 2025"
    body = text(message)
    for section in sections:
        assert f"{BASE_URL}/avsnitt/{section.pk}/" in body
    assert "Styrkor – Barn och unga (BOU)" in body


def test_a_submission_mails_everyone_who_may_review_that_section_but_not_the_writer(
    smtp, addresses, edition, django_capture_on_commit_callbacks
):
    section = bou(edition, addresses)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(addresses.siri).post(
            reverse("editions:section_submit", args=[section.pk]),
            {"body": "Barn och unga ansvarar för förskola och skola.", "version": section.version},
        )
    assert response.status_code == 302
    assert Section.objects.get(pk=section.pk).status == SectionStatus.READY
    run_worker()
    # administratör, samordnare and the granskare without units; not siri herself, not the läsare or sven
    assert smtp.recipients() == [
        "alva@soderhamn.example",
        "greta@soderhamn.example",
        "sam@soderhamn.example",
    ]
    message = smtp.to("greta@soderhamn.example")[0]
    assert message["Subject"] == f"Barnbokslut: Avsnittet {BOU_PREMISES} väntar på granskning"
    body = text(message)
    assert "siri har skickat avsnittet" in body
    assert f"{BASE_URL}/avsnitt/{section.pk}/" in body


def test_a_section_sent_back_mails_the_writer_the_reviewers_comment(
    smtp, addresses, edition, django_capture_on_commit_callbacks
):
    section = bou(edition, addresses)
    # siri writes it without being assigned (her unit): the return goes to whoever sent it for review
    client_for(addresses.siri).post(
        reverse("editions:section_submit", args=[section.pk]), {"body": "Första utkastet.", "version": 0}
    )
    section.refresh_from_db()
    comment = "Skriv mer om hur barnen själva har fått säga sitt, t.ex. elevråden."
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(addresses.greta).post(
            reverse("editions:section_return", args=[section.pk]),
            {"version": section.version, "comment": comment},
        )
    assert response.status_code == 302
    assert Section.objects.get(pk=section.pk).status == SectionStatus.RETURNED
    run_worker()
    assert smtp.recipients() == ["siri@soderhamn.example"]
    message = smtp.messages[0]
    assert message["Subject"] == f"Barnbokslut: Avsnittet {BOU_PREMISES} har återremitterats"
    body = text(message)
    assert comment in body
    assert "greta har skickat tillbaka avsnittet" in body
    assert f"{BASE_URL}/avsnitt/{section.pk}/" in body


def test_a_user_who_turned_notifications_off_gets_nothing(
    smtp, addresses, edition, django_capture_on_commit_callbacks
):
    siri = client_for(addresses.siri)
    page = siri.get(reverse("accounts:account")).content.decode()
    assert 'name="email_notifications" id="id_email_notifications" checked' in page
    response = siri.post(reverse("accounts:notifications"), {})  # the box not ticked
    assert response.status_code == 302
    assert Preferences.objects.get(user=addresses.siri).email_notifications is False
    page = siri.get(reverse("accounts:account")).content.decode()
    assert 'id="id_email_notifications" aria-describedby' in page  # no longer checked
    assert "Du får inga aviseringar per e-post." in page

    section = bou(edition, addresses)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(addresses.sam).post(
            reverse("editions:section_assign", args=[section.pk]),
            {"writer": addresses.siri.pk, "deadline": ""},
        )
    run_worker()
    assert smtp.messages == []

    # Ticked again: the next assignment reaches her.
    siri.post(reverse("accounts:notifications"), {"email_notifications": "on"})
    other = bou(edition, addresses, SectionKind.STYRKOR)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(addresses.sam).post(
            reverse("editions:section_assign", args=[other.pk]), {"writer": addresses.siri.pk, "deadline": ""}
        )
    run_worker()
    assert smtp.recipients() == ["siri@soderhamn.example"]


def test_a_refused_action_sends_nothing(smtp, addresses, edition, django_capture_on_commit_callbacks):
    section = bou(edition, addresses)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(addresses.greta).post(
            reverse("editions:section_assign", args=[section.pk]), {"writer": addresses.siri.pk}
        )
    assert response.status_code == 403
    run_worker()
    assert smtp.messages == []


def test_deadline_reminders_go_out_once_however_often_the_job_runs(smtp, addresses, edition):
    today = timezone.localdate()
    soon = bou(edition, addresses, SectionKind.FORUTSATTNINGAR)
    late = bou(edition, addresses, SectionKind.STYRKOR)
    far = bou(edition, addresses, SectionKind.UTMANINGAR)
    done = Section.objects.get(edition=edition, unit=addresses.svf, kind=SectionKind.STYRKOR)
    Section.objects.filter(pk=soon.pk).update(
        writer=addresses.siri, deadline=today + datetime.timedelta(days=2)
    )
    Section.objects.filter(pk=late.pk).update(deadline=today - datetime.timedelta(days=1))  # no writer: BOU's
    Section.objects.filter(pk=far.pk).update(
        writer=addresses.siri, deadline=today + datetime.timedelta(days=4)
    )
    Section.objects.filter(pk=done.pk).update(
        writer=addresses.sven, deadline=today + datetime.timedelta(days=1), status=SectionStatus.READY
    )

    send_deadline_reminders.enqueue()
    run_worker()
    assert smtp.recipients() == ["siri@soderhamn.example", "siri@soderhamn.example"]
    subjects = {m["Subject"]: text(m) for m in smtp.messages}
    deadline = soon_date = today + datetime.timedelta(days=2)
    before = [s for s in subjects if s.startswith("Barnbokslut: Påminnelse: ")]
    assert len(before) == 1
    assert BOU_PREMISES in before[0]
    assert f"{BASE_URL}/avsnitt/{soon.pk}/" in subjects[before[0]]
    assert "(om 2 dagar)" in subjects[before[0]]
    assert str(soon_date.year) in before[0]
    passed = "Barnbokslut: Sista dag har passerat för Styrkor – Barn och unga (BOU)"
    assert passed in subjects
    assert f"{BASE_URL}/avsnitt/{late.pk}/" in subjects[passed]
    assert set(SentReminder.objects.values_list("section_id", "kind", "deadline")) == {
        (soon.pk, ReminderKind.BEFORE, deadline),
        (late.pk, ReminderKind.PASSED, today - datetime.timedelta(days=1)),
    }
    # the job queued its own next run, an hour on
    waiting = DBTaskResult.objects.filter(
        task_path=send_deadline_reminders.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 1
    assert waiting.get().run_after > timezone.now() + datetime.timedelta(minutes=50)

    send_deadline_reminders.enqueue()
    run_worker()
    assert len(smtp.messages) == 2  # nothing new
    assert waiting.count() == 1  # still one future run, not two

    # A moved deadline is a new deadline: its reminder goes out once more.
    Section.objects.filter(pk=soon.pk).update(deadline=today + datetime.timedelta(days=1))
    send_deadline_reminders.enqueue()
    run_worker()
    assert len(smtp.messages) == 3
    assert "(i morgon)" in text(smtp.messages[-1])


def test_a_broken_mail_server_never_breaks_the_action(
    smtp, settings, addresses, edition, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    section = bou(edition, addresses)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(addresses.sam).post(
            reverse("editions:section_assign", args=[section.pk]),
            {"writer": addresses.siri.pk, "deadline": "2025-04-30"},
        )
    assert response.status_code == 302
    assert Section.objects.get(pk=section.pk).writer == addresses.siri
    with caplog.at_level(logging.ERROR, logger="barnbokslut.web.notifications"):
        run_worker()
    assert "Kunde inte ansluta till e-postservern" in caplog.text
    assert smtp.messages == []
    result = DBTaskResult.objects.get(task_path="barnbokslut.web.notifications.tasks.send_messages")
    assert result.status == TaskResultStatus.SUCCESSFUL


@pytest.fixture
def published_setup(settings, tmp_path, monkeypatch, edition):
    from barnbokslut.web.publishing import report_from_db

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(report_from_db, "load_analysis", lambda edition, notes: None)
    Section.objects.filter(edition=edition, unit=None, kind=SectionKind.INLEDNING).update(
        body="Söderhamn vill att alla barn ska få komma till tals.", status=SectionStatus.APPROVED
    )
    return edition


def test_a_finished_publication_mails_the_coordinators(
    smtp, addresses, published_setup, django_capture_on_commit_callbacks
):
    edition = published_setup
    response = client_for(addresses.sam).post(reverse("publishing:publish", args=[edition.pk]))
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()  # builds the files; the message is handed over when that commits
    assert smtp.messages == []
    run_worker()
    publication = edition.publications.get()
    assert publication.state == "publicerad"
    assert smtp.recipients() == ["sam@soderhamn.example"]  # the samordnare; not the administratör
    message = smtp.messages[0]
    assert message["Subject"] == "Barnbokslut: Version 1 av Barnbokslut 2025 är publicerad"
    body = text(message)
    assert f"{BASE_URL}/publicerat/{publication.public_id}/om/" in body
    assert "publicerad av sam" in body


def test_an_approval_mails_the_writer_unless_they_turned_notifications_off(
    smtp, addresses, edition, django_capture_on_commit_callbacks
):
    section = bou(edition, addresses)
    section.writer = addresses.siri
    section.save(update_fields=["writer"])
    client_for(addresses.siri).post(
        reverse("editions:section_submit", args=[section.pk]), {"body": "Första utkastet.", "version": 0}
    )
    section.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(addresses.greta).post(
            reverse("editions:section_approve", args=[section.pk]), {"version": section.version}
        )
    assert response.status_code == 302
    assert Section.objects.get(pk=section.pk).status == SectionStatus.APPROVED
    run_worker()
    assert smtp.recipients() == ["siri@soderhamn.example"]  # not greta, who approved it
    message = smtp.messages[0]
    assert message["Subject"] == f"Barnbokslut: Avsnittet {BOU_PREMISES} är godkänt"
    body = text(message)
    assert "greta har godkänt avsnittet" in body
    assert f"{BASE_URL}/avsnitt/{section.pk}/" in body

    # Turned off: the next approval (of another section she wrote) sends nothing.
    Preferences.objects.update_or_create(user=addresses.siri, defaults={"email_notifications": False})
    other = bou(edition, addresses, SectionKind.STYRKOR)
    client_for(addresses.siri).post(
        reverse("editions:section_submit", args=[other.pk]), {"body": "Styrkorna.", "version": 0}
    )
    other.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(addresses.greta).post(
            reverse("editions:section_approve", args=[other.pk]), {"version": other.version}
        )
    assert Section.objects.get(pk=other.pk).status == SectionStatus.APPROVED
    smtp.messages.clear()
    run_worker()
    assert smtp.messages == []
