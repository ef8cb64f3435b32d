"""The development areas' "Förslag från barn" mark in the web app (issue 15): the coordinator ticks it in the
development-area form, and the published HTML and DOCX mark the area and list it under Det här säger barnen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from django.test import Client
from django.urls import reverse
from publishing_helpers import run_worker

from barnbokslut.web.editions.models import DevelopmentArea, Edition
from barnbokslut.web.publishing.models import Publication


def _area_data(prefix: str, cast: Any, area: str, *, from_children: bool) -> dict[str, object]:
    data: dict[str, object] = {
        f"{prefix}-area": area,
        f"{prefix}-units": [str(cast.bou.pk)],
        f"{prefix}-measures": "Ungdomsrådet yttrar sig över fritidsärenden",
        f"{prefix}-expected_results": "Barns synpunkter syns i besluten",
    }
    if from_children:
        data[f"{prefix}-from_children"] = "on"
    return data


def _docx_cells(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def test_the_mark_set_in_the_form_is_published_in_html_and_docx(
    client: Client, cast: Any, written: Edition, media: Path
) -> None:
    client.force_login(cast.sam)
    add = reverse("editions:development_add", args=[written.pk])
    marked = client.post(add, _area_data("ny", cast, "Barns röster i besluten", from_children=True))
    plain = client.post(add, _area_data("ny", cast, "Frånvaro i grundskolan", from_children=False))
    assert marked.status_code == plain.status_code == 302
    rows = DevelopmentArea.objects.filter(edition=written).order_by("order")
    assert [(r.area, r.from_children) for r in rows] == [
        ("Barns röster i besluten", True),
        ("Frånvaro i grundskolan", False),
    ]
    page = client.get(reverse("editions:development", args=[written.pk])).content.decode()
    assert page.count("Förslag från barn") == 2  # the form's checkbox label, and the marked row

    client.post(reverse("publishing:publish", args=[written.pk]))
    run_worker()

    publication = Publication.objects.get()
    assert publication.state == Publication.State.PUBLISHED, publication.error
    html = (media / publication.html_path).read_text(encoding="utf-8")
    assert html.count('<span class="barnens-forslag">Förslag från barn</span>') == 1
    assert "Barns röster i besluten (BOU)</li>" in html  # listed under Det här säger barnen
    assert "Frånvaro i grundskolan (BOU)</li>" not in html
    cells = _docx_cells(media / publication.docx_path)
    assert "Barns röster i besluten (förslag från barn)" in cells
    assert "Frånvaro i grundskolan" in cells
    assert "Frånvaro i grundskolan (förslag från barn)" not in cells


def test_unticking_the_mark_in_the_row_form_takes_it_away(
    client: Client, cast: Any, written: Edition
) -> None:
    row = DevelopmentArea.objects.create(
        edition=written,
        area="Barns röster i besluten",
        measures="Ungdomsrådet yttrar sig",
        from_children=True,
    )
    client.force_login(cast.sam)
    url = reverse("editions:development_edit", args=[written.pk, row.pk])

    saved = client.post(
        url, _area_data(f"rad-{row.pk}", cast, row.area, from_children=False), headers={"HX-Request": "true"}
    )

    assert saved.status_code == 200
    row.refresh_from_db()
    assert row.from_children is False
    assert "Förslag från barn" not in saved.content.decode()
