"""Several roles per person (issue 13): kim writes for BOU and reviews SVF, and may do exactly that.

Checked through the real views (Django's test Client) and through the workflow functions; a granskare whose
membership lists units reviews only those units' sections, one without units every section, as before.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from section_helpers import approve, save, send_back, submit

from barnbokslut.web.accounts.models import Membership, Role
from barnbokslut.web.accounts.permissions import (
    Action,
    can,
    can_review_section,
    can_write_section,
    reviewers_for,
)
from barnbokslut.web.editions import workflow
from barnbokslut.web.editions.models import Section, SectionStatus


def _member(username: str, organisation, roles: dict[Role, list]) -> object:
    user = get_user_model().objects.create_user(username=username, password="losenord-123")
    for role, units in roles.items():
        Membership.objects.create(user=user, organisation=organisation, role=role).units.set(units)
    return user


@pytest.fixture
def kim(cast):
    """Skribent for BOU and granskare for SVF in Söderhamn."""
    return _member("kim", cast.organisation, {Role.WRITER: [cast.bou], Role.REVIEWER: [cast.svf]})


@pytest.fixture
def vera(cast):
    """Granskare for SVF only."""
    return _member("vera", cast.organisation, {Role.REVIEWER: [cast.svf]})


def _fresh(section: Section) -> Section:
    return Section.objects.select_related("edition__organisation").get(pk=section.pk)


def _ready(section: Section, writer) -> Section:
    """``section`` submitted for review by ``writer`` (Klar för granskning)."""
    section = _fresh(section)
    return workflow.submit(section, writer, body="Klar text.", base_version=section.version)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_permission_functions_give_each_role_its_own_units(cast, kim, bou_section, svf_section):
    bou, svf = _fresh(bou_section), _fresh(svf_section)
    assert can(kim, Action.WRITE, cast.organisation) and can(kim, Action.REVIEW, cast.organisation)
    assert can_write_section(kim, bou) and not can_review_section(kim, bou)
    assert can_review_section(kim, svf) and not can_write_section(kim, svf)
    assert not can(kim, Action.MANAGE, cast.organisation)


def test_through_the_workflow_kim_writes_bou_but_cannot_approve_it(cast, kim, bou_section):
    ready = _ready(bou_section, kim)
    assert ready.status == SectionStatus.READY
    assert not workflow.can_transition(kim, ready, "approve")
    with pytest.raises(PermissionDenied):
        workflow.approve(ready, kim, base_version=ready.version)
    with pytest.raises(PermissionDenied):
        workflow.send_back(ready, kim, base_version=ready.version, comment="Mer siffror.")
    assert _fresh(bou_section).status == SectionStatus.READY


def test_through_the_workflow_kim_approves_svf_but_cannot_write_it(cast, kim, svf_section):
    svf = _fresh(svf_section)
    with pytest.raises(PermissionDenied):
        workflow.save(svf, kim, body="Kims text.", base_version=svf.version)
    ready = _ready(svf_section, cast.sven)
    assert workflow.can_transition(kim, ready, "approve")
    approved = workflow.approve(ready, kim, base_version=ready.version)
    assert approved.status == SectionStatus.APPROVED


def test_through_the_views_kim_writes_bou_and_is_refused_approving_it(cast, kim, bou_section):
    client = _client(kim)
    assert save(client, bou_section, "Kims text om BOU.", 0).status_code == 302
    assert submit(client, bou_section, "Kims text om BOU, klar.", 1).status_code == 302
    assert _fresh(bou_section).status == SectionStatus.READY
    page = client.get(reverse("editions:section_edit", args=[bou_section.pk])).content.decode()
    assert ">Godkänn<" not in page and ">Återremittera<" not in page
    assert approve(client, bou_section, 2).status_code == 403
    assert send_back(client, bou_section, 2, "Mer siffror.").status_code == 403
    assert _fresh(bou_section).status == SectionStatus.READY


def test_through_the_views_kim_approves_svf_and_is_refused_writing_it(cast, kim, svf_section):
    client = _client(kim)
    assert save(client, svf_section, "Kims text om SVF.", 0).status_code == 403
    assert _fresh(svf_section).body == ""
    ready = _ready(svf_section, cast.sven)
    page = client.get(reverse("editions:section_edit", args=[svf_section.pk])).content.decode()
    assert ">Godkänn<" in page and 'name="body"' not in page
    assert approve(client, svf_section, ready.version).status_code == 302
    assert _fresh(svf_section).status == SectionStatus.APPROVED


def test_a_reviewer_limited_to_svf_gets_403_approving_a_bou_section(cast, vera, bou_section, svf_section):
    ready = _ready(bou_section, cast.siri)
    client = _client(vera)
    assert approve(client, bou_section, ready.version).status_code == 403
    assert _fresh(bou_section).status == SectionStatus.READY
    svf = _ready(svf_section, cast.sven)
    assert approve(client, svf_section, svf.version).status_code == 302


def test_a_reviewer_limited_to_units_does_not_review_the_free_sections(cast, vera, free_section):
    ready = _ready(free_section, cast.sam)
    assert not can_review_section(vera, ready)
    assert approve(_client(vera), free_section, ready.version).status_code == 403
    # greta has no units: she reviews every section, as before units could be given to a granskare.
    assert can_review_section(cast.greta, ready)


def test_the_board_shows_kim_the_sections_she_writes_or_reviews(cast, kim, vera, edition):
    response = _client(kim).get(reverse("editions:board", args=[edition.pk]))
    assert response.status_code == 200
    shown = {row.section.pk for group in response.context["groups"] for row in group.rows}
    expected = set(edition.sections.filter(unit__in=[cast.bou, cast.svf]).values_list("pk", flat=True))
    assert shown == expected
    vera_board = _client(vera)
    vera_shown = {
        row.section.pk
        for group in vera_board.get(reverse("editions:board", args=[edition.pk])).context["groups"]
        for row in group.rows
    }
    assert vera_shown == set(edition.sections.filter(unit=cast.svf).values_list("pk", flat=True))


def test_reviewers_for_lists_the_active_users_who_may_review_the_section(
    cast, kim, vera, bou_section, svf_section, free_section
):
    bou, svf, free = _fresh(bou_section), _fresh(svf_section), _fresh(free_section)
    # alva (admin), sam (coordinator) and greta (granskare without units) review everything.
    assert [u.username for u in reviewers_for(bou)] == ["alva", "greta", "sam"]
    assert [u.username for u in reviewers_for(svf)] == ["alva", "greta", "kim", "sam", "vera"]
    assert [u.username for u in reviewers_for(free)] == ["alva", "greta", "sam"]
    vera.is_active = False
    vera.save()
    assert "vera" not in {u.username for u in reviewers_for(svf)}
    # The rule is the same as can_review_section's, person by person.
    for section in (bou, svf, free):
        listed = {u.pk for u in reviewers_for(section)}
        for user in get_user_model().objects.filter(is_active=True):
            assert (user.pk in listed) == can_review_section(user, section), (user, section)
