"""The ``roles`` template library shows or hides buttons by the current user's role (the server checks again)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory

SOURCE = (
    "{% load roles %}"
    '{% can "manage_users" organisation as admin %}{% can "view" organisation as viewer %}'
    "{% role_in organisation as role %}{% membership_in organisation as m %}"
    "admin={{ admin }} viewer={{ viewer }} role={{ role }} "
    "units={% for u in m.units.all %}{{ u.abbreviation }}{% endfor %}"
)


def render(user, organisation, source: str = SOURCE) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template(source).render(Context({"request": request, "organisation": organisation}))


def test_an_admin_may_manage_users(cast):
    assert render(cast.alva, cast.organisation) == "admin=True viewer=True role=administrator units="


def test_a_writer_sees_her_role_and_units_but_not_admin_buttons(cast):
    assert render(cast.siri, cast.organisation) == "admin=False viewer=True role=skribent units=BOU"


def test_an_outsider_and_an_anonymous_visitor_may_do_nothing(cast):
    assert render(cast.olle, cast.organisation) == "admin=False viewer=False role= units="
    assert render(AnonymousUser(), cast.organisation) == "admin=False viewer=False role= units="


def test_can_write_answers_for_one_section(cast, edition):
    bou = edition.sections.filter(unit=cast.bou).first()
    svf = edition.sections.filter(unit=cast.svf).first()
    source = "{% load roles %}{% can_write section as ok %}{{ ok }}"
    request = RequestFactory().get("/")
    request.user = cast.siri
    for section, expected in ((bou, "True"), (svf, "False")):
        assert Template(source).render(Context({"request": request, "section": section})) == expected


def test_an_unknown_action_name_is_an_error_not_a_hidden_button(cast):
    with pytest.raises(TemplateSyntaxError, match="Okänd behörighet 'publish'"):
        render(cast.alva, cast.organisation, '{% load roles %}{% can "publish" organisation as x %}')
