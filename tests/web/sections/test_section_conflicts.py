"""Two people edit the same text: the second save is refused with both texts shown, and nothing is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from section_helpers import approve, save, submit

from barnbokslut.web.editions import workflow
from barnbokslut.web.editions.models import Section, SectionStatus, SectionVersion


def test_the_second_save_from_the_same_version_gets_409_with_both_texts(cast, bou_section):
    Section.objects.filter(pk=bou_section.pk).update(writer=cast.siri)
    siri, sam = Client(), Client()
    siri.force_login(cast.siri)
    sam.force_login(cast.sam)
    # Both opened the section at version 0; siri saves first.
    assert save(siri, bou_section, "Siris text om förskolan.", 0).status_code == 302

    response = save(sam, bou_section, "Samordnarens text om skolan.", 0)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Någon annan har sparat avsnittet medan du skrev" in page
    assert "Siris text om förskolan." in page  # theirs, read-only
    assert "Samordnarens text om skolan." in page  # yours, still in the form
    assert '<textarea id="id_body" name="body"' in page
    assert 'name="version" id="id_version" value="1"' in page  # the next save goes against the new version
    assert "siri sparade version 1" in page
    assert "<del>" in page and "<ins>" in page
    section = Section.objects.get(pk=bou_section.pk)
    assert section.body == "Siris text om förskolan."
    assert section.version == 1
    assert SectionVersion.objects.filter(section=section).count() == 1


def test_after_merging_the_second_writer_saves_against_the_new_version(cast, bou_section):
    first, second = Client(), Client()
    first.force_login(cast.siri)
    second.force_login(cast.sam)
    save(first, bou_section, "Första.", 0)
    assert save(second, bou_section, "Andra.", 0).status_code == 409

    assert save(second, bou_section, "Första. Andra.", 1).status_code == 302

    section = Section.objects.get(pk=bou_section.pk)
    assert (section.body, section.version) == ("Första. Andra.", 2)


def test_a_submit_from_an_old_version_is_refused_the_same_way(cast, bou_section):
    first, second = Client(), Client()
    first.force_login(cast.siri)
    second.force_login(cast.sam)
    save(first, bou_section, "Första.", 0)
    response = submit(second, bou_section, "Min text.", 0)
    assert response.status_code == 409
    assert "Min text." in response.content.decode()
    assert Section.objects.get(pk=bou_section.pk).status == SectionStatus.DRAFT


def test_a_writer_whose_section_was_approved_meanwhile_keeps_her_text(cast, bou_section):
    writer, reviewer = Client(), Client()
    writer.force_login(cast.siri)
    reviewer.force_login(cast.greta)
    submit(writer, bou_section, "Klar text.", 0)
    approve(reviewer, bou_section, 1)

    response = save(writer, bou_section, "Sen ändring.", 1)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Sen ändring." in page and "Klar text." in page
    assert 'name="body"' not in page  # approved sections are locked: the text is shown read-only to copy
    assert Section.objects.get(pk=bou_section.pk).body == "Klar text."


def test_a_reviewer_cannot_approve_a_text_changed_after_she_read_it(cast, bou_section):
    writer, reviewer = Client(), Client()
    writer.force_login(cast.siri)
    reviewer.force_login(cast.greta)
    submit(writer, bou_section, "Version ett.", 0)
    save(writer, bou_section, "Version två, ändrad under granskningen.", 1)

    response = approve(reviewer, bou_section, 1)

    assert response.status_code == 409
    assert "Läs den nya versionen innan du godkänner" in response.content.decode()
    # the writer's change took it back to Utkast (issue 13, item 7); the stale approval changed nothing
    assert Section.objects.get(pk=bou_section.pk).status == SectionStatus.DRAFT


def test_two_workflow_saves_with_the_same_base_version_only_one_wins(cast, bou_section):
    stale = Section.objects.get(pk=bou_section.pk)  # a second request's copy, loaded at version 0
    workflow.save(bou_section, cast.siri, body="Vinnaren.", base_version=0)

    with pytest.raises(workflow.Conflict) as refused:
        workflow.save(stale, cast.sam, body="Förloraren.", base_version=0)

    assert refused.value.current.body == "Vinnaren."
    section = Section.objects.get(pk=bou_section.pk)
    assert (section.body, section.version) == ("Vinnaren.", 1)
    assert list(SectionVersion.objects.filter(section=section).values_list("body", flat=True)) == [
        "Vinnaren."
    ]


def test_the_conditional_update_refuses_a_save_whose_version_moved_after_it_was_read(
    cast, bou_section, monkeypatch
):
    """The race the read check cannot see: another save lands between our read and our UPDATE."""
    select_related = Section.objects.select_related

    class ReadThenLoseTheRace:
        def __init__(self, queryset):
            self.queryset = queryset

        def get(self, **lookup):
            read = self.queryset.get(**lookup)  # still version 0 here
            Section.objects.filter(pk=bou_section.pk).update(body="Den andra hann före.", version=1)
            return read

    monkeypatch.setattr(Section.objects, "select_related", lambda *f: ReadThenLoseTheRace(select_related(*f)))
    with pytest.raises(workflow.Conflict) as refused:
        workflow.save(bou_section, cast.siri, body="Min text.", base_version=0)
    monkeypatch.undo()

    assert refused.value.current.body == "Den andra hann före."
    assert refused.value.current.version == 1
    assert not SectionVersion.objects.filter(section=bou_section, body="Min text.").exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_in_two_threads_never_both_win(cast, edition):
    section = Section.objects.filter(edition=edition, unit=cast.bou).first()
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "threads need a database file or server; the in-memory SQLite test database is per connection"
        )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def write(user, body: str) -> None:
        try:
            barrier.wait()
            workflow.save(Section.objects.get(pk=section.pk), user, body=body, base_version=0)
            outcomes.append("saved")
        except workflow.Conflict:
            outcomes.append("conflict")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(u, f"Text av {u}")) for u in (cast.siri, cast.sam)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "saved"]
    section.refresh_from_db()
    assert section.version == 1
    assert SectionVersion.objects.filter(section=section).count() == 1
