"""Guidance for writers (issue 13, item 4): questions per basic principle beside the text box, and for an empty
Styrkor or Utmaningar text a skeleton with one heading per article; a heading left empty is left out."""

from __future__ import annotations

import html

from django.test import Client
from django.urls import reverse
from section_helpers import save

from barnbokslut.web.editions.models import Section
from barnbokslut.web.publishing.report_from_db import edition_report

SKELETON_LINK = "Lägg in en rubrik per artikel i textrutan"


def editor(client: Client, section: Section, query: str = "") -> str:
    return html.unescape(
        client.get(reverse("editions:section_edit", args=[section.pk]) + query).content.decode()
    )


def textarea(page: str) -> str:
    start = page.index('name="body"')
    return page[page.index(">", start) + 1 : page.index("</textarea>", start)]


def test_an_empty_strengths_text_gets_questions_per_article_and_the_skeleton(
    client, cast, svf_section
) -> None:
    client.force_login(cast.sven)

    page = editor(client, svf_section)

    assert "Stödfrågor för texten" in page
    assert "Artikel 12 – Rätt att uttrycka sin mening och bli hörd" in page
    assert "hur får de veta vad deras åsikter ledde till?" in page
    assert SKELETON_LINK in page and textarea(page).strip() == ""
    with_skeleton = textarea(editor(client, svf_section, "?mall=artiklar"))
    assert [line for line in with_skeleton.splitlines() if line.startswith("## ")] == [
        "## Artikel 2 – Icke-diskriminering",
        "## Artikel 3 – Barnets bästa",
        "## Artikel 6 – Rätt till liv och utveckling",
        "## Artikel 12 – Rätt att uttrycka sin mening och bli hörd",
    ]
    svf_section.refresh_from_db()
    assert svf_section.body == ""  # offered, not saved


def test_a_half_filled_skeleton_publishes_only_the_articles_written(
    client, cast, edition, svf_section
) -> None:
    client.force_login(cast.sven)
    body = textarea(editor(client, svf_section, "?mall=artiklar")).replace(
        "## Artikel 12 – Rätt att uttrycka sin mening och bli hörd\n",
        "## Artikel 12 – Rätt att uttrycka sin mening och bli hörd\n\nUngdomsrådet träffar nämnden.\n",
    )

    assert save(client, svf_section, body, svf_section.version).status_code == 302

    analysis = edition_report(edition, analysis=None).report.current_analysis
    assert [a.article for a in analysis.articles] == [12]
    assert "Ungdomsrådet träffar nämnden." in analysis.articles[0].strengths.plain
    assert SKELETON_LINK not in editor(client, svf_section)  # the text is no longer empty


def test_conditions_get_questions_but_no_article_skeleton(client, cast, bou_section) -> None:
    client.force_login(cast.siri)

    page = editor(client, bou_section)

    assert "Stödfrågor för texten" in page and "uppdrag, resurser, styrdokument" in page
    assert SKELETON_LINK not in page


def test_a_reader_sees_no_prompts(client, cast, svf_section) -> None:
    client.force_login(cast.lars)

    assert "Stödfrågor för texten" not in editor(client, svf_section)
