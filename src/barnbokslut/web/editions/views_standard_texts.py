"""The edition's standard texts: Syfte och bakgrund, Viktiga begrepp and De fyra grundläggande artiklarna.

``Edition.standard_texts`` holds them as Markdown under the keys ``syfte``, ``begrepp`` and ``grundprinciper``;
a missing or empty text means the shipped one (``barnbokslut/report/standard/*.md``), as the report reads them
(``publishing.report_from_db``). The samordnare and the administratör edit them while the edition is open; a
closed edition, and every other role, gets 403. The articles text is checked the way the report reads it
(``report.sections.principles_from``): a heading that is not Artikel 2, 3, 6 or 12 is refused and nothing is
saved. A save that changes nothing is not saved and not logged.

A text that is last year's own, unchanged since the edition started (``Edition.standard_texts_carried_over``,
set by a new year or an import), is named "från förra året" on the page, as the section editor marks a section;
saving that text changed removes its mark, the others keep theirs.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from barnbokslut.indicators.sentences import join_words
from barnbokslut.report.sections import principles_from, split_headings
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.accounts.permissions import Action, can, require, require_open
from barnbokslut.web.editions.models import Edition
from barnbokslut.web.editions.services import (
    STANDARD_TEXTS,
    carried_over_standard_texts,
    default_standard_texts,
)
from barnbokslut.web.editions.views_edition import edition_for, edition_links

__all__ = ["KEYS", "StandardTextsForm", "current_texts", "standard_texts"]

#: The keys of ``Edition.standard_texts`` in the order of the report, with their Swedish labels.
KEYS: dict[str, str] = STANDARD_TEXTS
NOT_MANAGER = "Bara samordnare och administratörer kan ändra standardtexterna."

HELP = {
    "syfte": "Inledningens text om varför barnbokslutet görs. Vanlig text i Markdown, utan rubriker.",
    "begrepp": (
        "Varje begrepp under en egen rubrik som börjar med två brädgårdar, t.ex. ”## Barnperspektiv”, "
        "och förklaringen på raderna under."
    ),
    "grundprinciper": (
        "Varje artikel under en egen rubrik: ”## Artikel 2 – Icke-diskriminering”, ”## Artikel 3 – Barnets "
        "bästa”, ”## Artikel 6 – …” och ”## Artikel 12 – …”. Bara artiklarna 2, 3, 6 och 12 är tillåtna; "
        "titeln efter tankstrecket får du formulera själv."
    ),
}
EMPTY_HINT = " Lämnar du fältet tomt används standardtexten som följer med programmet."


def _normalise(text: str) -> str:
    """Line endings as ``\\n``, no leading or trailing blank lines, and one final newline (or "" if empty)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return f"{text}\n" if text else ""


def edition_defaults(edition: Edition) -> dict[str, str]:
    """The shipped texts as this edition's report uses them: the purpose text that fits its structure (one that
    speaks of Kolada's figures, or one for a report without figures)."""
    from barnbokslut.report.folder import purpose_file
    from barnbokslut.web.editions.structure_settings import edition_settings

    defaults = default_standard_texts()
    stem = purpose_file(edition_settings(edition, []).structure).removesuffix(".md")
    defaults["syfte"] = defaults.get(stem, defaults.get("syfte", ""))
    return defaults


def current_texts(edition: Edition) -> dict[str, str]:
    """The three texts as the report uses them now: the edition's own, or the shipped default (a shipped
    purpose text copied into the edition counts as the default, so it follows the structure)."""
    defaults = edition_defaults(edition)
    shipped = {_normalise(v) for v in default_standard_texts().values()}
    own = edition.standard_texts if isinstance(edition.standard_texts, dict) else {}
    texts = {}
    for key in KEYS:
        value = own.get(key)
        is_own = (
            isinstance(value, str) and value.strip() and not (key == "syfte" and _normalise(value) in shipped)
        )
        texts[key] = value if is_own else defaults.get(key, "")
    return texts


def _effective(texts: dict[str, str], defaults: dict[str, str]) -> dict[str, str]:
    return {key: _normalise(texts.get(key) or "") or _normalise(defaults.get(key, "")) for key in KEYS}


#: The longest standard text (as a part's own text on the structure page).
MAX_STANDARD_TEXT = 50_000
LENGTH_ERROR = "Högst %(limit_value)d tecken (nu %(show_value)d)."


class StandardTextsForm(forms.Form):
    syfte = forms.CharField(
        label=KEYS["syfte"],
        required=False,
        max_length=MAX_STANDARD_TEXT,
        error_messages={"max_length": LENGTH_ERROR},
        help_text=HELP["syfte"] + EMPTY_HINT,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    begrepp = forms.CharField(
        label=KEYS["begrepp"],
        required=False,
        max_length=MAX_STANDARD_TEXT,
        error_messages={"max_length": LENGTH_ERROR},
        help_text=HELP["begrepp"] + EMPTY_HINT,
        widget=forms.Textarea(attrs={"rows": 16}),
    )
    grundprinciper = forms.CharField(
        label=KEYS["grundprinciper"],
        required=False,
        max_length=MAX_STANDARD_TEXT,
        error_messages={"max_length": LENGTH_ERROR},
        help_text=HELP["grundprinciper"] + EMPTY_HINT,
        widget=forms.Textarea(attrs={"rows": 16}),
    )

    def clean_begrepp(self) -> str:
        text = _normalise(self.cleaned_data.get("begrepp") or "")
        if text and not split_headings(text)[1]:
            raise forms.ValidationError(
                "Texten har inga begrepp. Skriv varje begrepp under en egen rubrik, t.ex. ”## Barnperspektiv”."
            )
        return text

    def clean_grundprinciper(self) -> str:
        text = _normalise(self.cleaned_data.get("grundprinciper") or "")
        if not text:
            return text
        problems: list[str] = []
        found = principles_from(text, "grundprinciper", problems)
        if problems:
            raise forms.ValidationError([_sentence(problem) for problem in problems])
        if not found:
            raise forms.ValidationError(
                "Texten har inga artiklar. Skriv varje artikel under en egen rubrik, "
                "t.ex. ”## Artikel 2 – Icke-diskriminering”."
            )
        return text

    def clean_syfte(self) -> str:
        return _normalise(self.cleaned_data.get("syfte") or "")


def _sentence(problem: str) -> str:
    """ "grundprinciper rad 3: rubriken …" → "Rad 3: rubriken …" (the field's label already names the text)."""
    text = problem.removeprefix("grundprinciper ").strip()
    return text[:1].upper() + text[1:]


def _editable(request: HttpRequest, pk: int) -> Edition:
    """The edition, if the user manages its organisation and it is still open (404 unknown, else 403)."""
    edition = edition_for(request, pk)
    require(can(request.user, Action.MANAGE, edition.organisation), NOT_MANAGER)
    require_open(edition)
    return edition


@login_required
@require_http_methods(["GET", "POST"])
def standard_texts(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the three standard texts of an open edition (samordnare, administratör)."""
    edition = _editable(request, pk)
    before = current_texts(edition)
    form = StandardTextsForm(request.POST if request.method == "POST" else None, initial=before)
    if request.method == "POST" and form.is_valid():
        defaults = edition_defaults(edition)
        after = {key: form.cleaned_data[key] for key in KEYS}
        old, new = _effective(before, defaults), _effective(after, defaults)
        changed = [key for key in KEYS if old[key] != new[key]]
        if not changed:
            messages.info(request, "Inget ändrades i standardtexterna.")
            return redirect("editions:detail", pk=edition.pk)
        _save(request, edition, new, changed)
        names = ", ".join(KEYS[key].lower() for key in changed)
        messages.success(request, f"Standardtexterna är sparade ({names}).")
        return redirect("editions:detail", pk=edition.pk)
    carried = carried_over_standard_texts(edition)
    context: dict[str, Any] = {
        "edition": edition,
        "links": edition_links(edition),
        "form": form,
        "carried_over": carried,
        "carried_over_names": join_words([f"”{label}”" for label in carried]) if carried else "",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "editions/edition/standard_texts.html", context, status=status)


def _save(request: HttpRequest, edition: Edition, texts: dict[str, str], changed: list[str]) -> None:
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        own = dict(locked.standard_texts) if isinstance(locked.standard_texts, dict) else {}
        own.update({key: texts[key] for key in changed})
        locked.standard_texts = own
        marked = (
            locked.standard_texts_carried_over if isinstance(locked.standard_texts_carried_over, list) else []
        )
        locked.standard_texts_carried_over = [key for key in marked if key not in changed]
        locked.save(update_fields=["standard_texts", "standard_texts_carried_over"])
        record(
            AuditAction.ORGANISATION_CHANGED,
            f"Ändrade standardtexter i {edition.title} {edition.year}: "
            + ", ".join(KEYS[key].lower() for key in changed),
            request=request,
            organisation=edition.organisation,
            obj=edition,
        )
