"""Every version is kept, and each can be compared with the one before it as an accessible diff."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from section_helpers import save, submit

from barnbokslut.web.editions.diffs import diff


def test_the_history_lists_every_version_with_who_when_status_and_note(cast, bou_section):
    siri = Client()
    siri.force_login(cast.siri)
    save(siri, bou_section, "Första.", 0)
    submit(siri, bou_section, "Första, klar.", 1)

    page = siri.get(reverse("editions:section_history", args=[bou_section.pk])).content.decode()

    assert page.index("Skickad till granskning") < page.index(">Sparad<")  # newest first
    assert page.count("<td>siri</td>") == 2
    assert '<span class="status status-klar">Klar för granskning</span>' in page
    assert f'href="/avsnitt/{bou_section.pk}/historik/1/"' in page


def test_a_version_shows_what_was_added_and_removed(cast, bou_section):
    siri = Client()
    siri.force_login(cast.siri)
    save(siri, bou_section, "Barnen har en bra skola.", 0)
    save(siri, bou_section, "Barnen har en trygg skola.", 1)

    page = siri.get(reverse("editions:section_version", args=[bou_section.pk, 2])).content.decode()

    assert "Ändringar från version 1" in page
    assert '<del><span class="visually-hidden">borttaget: </span>bra</del>' in page
    assert '<ins><span class="visually-hidden">tillagt: </span>trygg</ins>' in page
    assert "1 ord tillagda, 1 ord borttagna" in page
    assert "SectionVersion object" not in page  # the site's own "version" in the footer is left alone


def test_the_first_version_is_compared_with_an_empty_text(cast, bou_section):
    siri = Client()
    siri.force_login(cast.siri)
    save(siri, bou_section, "Allt är nytt.", 0)
    page = siri.get(reverse("editions:section_version", args=[bou_section.pk, 1])).content.decode()
    assert "Ändringar från tom text" in page
    assert "3 ord tillagda, 0 ord borttagna" in page


def test_a_missing_version_is_404(cast, bou_section):
    siri = Client()
    siri.force_login(cast.siri)
    assert siri.get(reverse("editions:section_version", args=[bou_section.pk, 9])).status_code == 404


def test_the_diff_escapes_markup_and_keeps_whitespace():
    result = diff("a <b>\n\nc", "a <b>\n\nd <script>")
    assert "&lt;script&gt;" in result.html
    assert "<script>" not in result.html
    assert result.html.startswith("a &lt;b&gt;\n\n<del>")
    assert (result.added, result.removed) == (2, 1)


def test_identical_texts_have_no_changes():
    assert diff("samma text", "samma text").unchanged
