"""The home page's work lists: Att skriva for writers, Att granska for reviewers, Försenat for coordinators,
each over open editions only and with the same permission rules as the board."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from barnbokslut.web.editions.models import Edition, Section, SectionKind, SectionStatus
from barnbokslut.web.editions.worklists import LIST_LIMIT

pytestmark = pytest.mark.usefixtures("cast")


def _list(client: Client, user, name: str) -> str | None:
    """The text of one work list on ``user``'s home page, or None when the page has no such list."""
    client.force_login(user)
    page = client.get(reverse("core:home")).content.decode()
    found = re.search(
        rf'<section class="work-list" aria-labelledby="{name}-soderhamn">(.*?)</section>', page, re.S
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))) if found else None


def _section(edition: Edition, unit, kind: str) -> Section:
    return Section.objects.get(edition=edition, unit=unit, kind=kind)


def test_a_writer_sees_what_waits_for_their_text_returned_first_and_nothing_of_other_units(
    client: Client, cast, edition: Edition
) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Section.objects.filter(edition=edition).update(status=SectionStatus.APPROVED)
    prerequisites = _section(edition, cast.bou, SectionKind.FORUTSATTNINGAR)
    Section.objects.filter(pk=prerequisites.pk).update(
        status=SectionStatus.DRAFT, writer=cast.siri, deadline=yesterday
    )
    challenges = _section(edition, cast.bou, SectionKind.UTMANINGAR)
    Section.objects.filter(pk=challenges.pk).update(status=SectionStatus.RETURNED)
    strengths = _section(edition, cast.bou, SectionKind.STYRKOR)
    Section.objects.filter(pk=strengths.pk).update(status=SectionStatus.DRAFT, writer=cast.sven)
    Section.objects.filter(edition=edition, unit=cast.svf).update(status=SectionStatus.DRAFT)

    listed = _list(client, cast.siri, "att-skriva")
    assert listed is not None
    assert "(2)" in listed
    # The returned text comes first, then the late one with its deadline, marked Försenad.
    assert listed.index(str(challenges)) < listed.index(str(prerequisites))
    assert "Återremitterad" in listed and "Försenad" in listed
    assert str(strengths) not in listed  # assigned to someone else
    assert "Stadsområde" not in listed  # not siri's unit
    assert _list(client, cast.siri, "att-granska") is None
    assert _list(client, cast.siri, "forsenat") is None


def test_a_reviewer_sees_the_submitted_texts_and_a_coordinator_the_late_ones_with_their_writer(
    client: Client, cast, edition: Edition
) -> None:
    cast.siri.first_name, cast.siri.last_name = "Siri", "Berg"
    cast.siri.save()
    submitted = _section(edition, cast.svf, SectionKind.STYRKOR)
    Section.objects.filter(pk=submitted.pk).update(status=SectionStatus.READY)
    late = _section(edition, cast.bou, SectionKind.FORUTSATTNINGAR)
    Section.objects.filter(pk=late.pk).update(
        writer=cast.siri, deadline=timezone.localdate() - datetime.timedelta(days=3)
    )

    to_review = _list(client, cast.greta, "att-granska")
    assert to_review is not None and "(1)" in to_review and str(submitted) in to_review
    assert _list(client, cast.greta, "forsenat") is None

    overdue = _list(client, cast.sam, "forsenat")
    assert overdue is not None and "(1)" in overdue
    assert str(late) in overdue and "Siri Berg" in overdue
    assert _list(client, cast.lars, "att-granska") is None and _list(client, cast.lars, "att-skriva") is None


def test_closed_editions_are_not_in_the_lists_and_long_lists_point_to_the_board(
    client: Client, cast, edition: Edition
) -> None:
    Section.objects.filter(edition=edition).update(status=SectionStatus.READY)
    ready = Section.objects.filter(edition=edition).count()
    assert ready > LIST_LIMIT
    to_review = _list(client, cast.greta, "att-granska")
    assert to_review is not None and f"({ready})" in to_review
    assert f"{ready - LIST_LIMIT} avsnitt till på tavlan" in to_review
    client.force_login(cast.greta)
    page = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("editions:board", args=[edition.pk])}?status=klar"' in page

    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.CLOSED)
    to_review = _list(client, cast.greta, "att-granska")
    assert to_review is not None and "(0)" in to_review and "Inget väntar på granskning." in to_review
