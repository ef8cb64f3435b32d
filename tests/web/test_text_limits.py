"""Issue 12: every text a user writes has a size limit, refused in Swedish with the limit and the length.

The section body (100,000), comments, the structure page and the follow-up actions had limits already; the
table rows' texts, the standard texts and a local table's description had none.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from barnbokslut.web.editions.forms import MAX_ROW_TEXT
from barnbokslut.web.editions.models import DevelopmentArea, FollowUp
from barnbokslut.web.editions.views_standard_texts import MAX_STANDARD_TEXT
from barnbokslut.web.localdata.forms import TableDetailsForm


def _post(client: Client, user, url: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.post(url, data)


@pytest.mark.parametrize(
    ("field", "limit"), [("action", MAX_ROW_TEXT), ("comment", 5000)], ids=["åtgärd", "kommentar"]
)
def test_a_follow_up_row_text_over_its_limit_is_refused(client: Client, cast, edition, field, limit) -> None:
    data = {"ny-area": "Trygghet", "ny-action": "Fler vuxna", f"ny-{field}": "x" * (limit + 1)}
    response = _post(client, cast.sam, reverse("editions:follow_up_add", args=[edition.pk]), data)
    assert response.status_code == 400
    assert f"Högst {limit} tecken (nu {limit + 1})." in response.content.decode()
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("field", ["measures", "expected_results"])
def test_a_development_area_text_over_its_limit_is_refused(client: Client, cast, edition, field) -> None:
    data = {"ny-area": "Trygghet", "ny-measures": "Fler vuxna", f"ny-{field}": "x" * (MAX_ROW_TEXT + 1)}
    response = _post(client, cast.sam, reverse("editions:development_add", args=[edition.pk]), data)
    assert response.status_code == 400
    assert f"Högst {MAX_ROW_TEXT} tecken" in response.content.decode()
    assert not DevelopmentArea.objects.exists()


def test_a_standard_text_over_its_limit_is_refused(client: Client, cast, edition) -> None:
    data = {"syfte": "x" * (MAX_STANDARD_TEXT + 1), "begrepp": "", "grundprinciper": ""}
    response = _post(client, cast.sam, reverse("editions:standard_texts", args=[edition.pk]), data)
    assert response.status_code == 400
    assert f"Högst {MAX_STANDARD_TEXT} tecken (nu {MAX_STANDARD_TEXT + 1})." in response.content.decode()
    edition.refresh_from_db()
    assert not edition.standard_texts


def test_a_local_table_description_over_its_limit_is_refused() -> None:
    form = TableDetailsForm({"title": "Behörighet", "chart": "stapel", "description": "x" * 5001})
    assert not form.is_valid()
    assert form.errors["description"] == ["Högst 5000 tecken (nu 5001)."]
