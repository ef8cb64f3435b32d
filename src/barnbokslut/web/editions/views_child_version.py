"""The edition's barnversion: a short page for children, written by the coordinator with a live LIX figure.

Everyone in the organisation may read it and look at it as children will (``child_version_preview``, the same
page ``bygg`` and the publication write); samordnare and administratör write it while the edition is open. The
readability box under the texts is refreshed by htmx from ``child_version_lix`` as the writer types: the one LIX
count (``barnbokslut.readability``) on the server, never a second one in the browser. A save names the version
it started from; if someone else saved in between, nothing is overwritten and the writer's texts stay in the form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from barnbokslut.numbers import format_number
from barnbokslut.readability import lix, lix_level
from barnbokslut.report.child_version import PARTS, child_version, render_child_html
from barnbokslut.report.html import CONTENT_SECURITY_POLICY
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.accounts.permissions import Action, can, require, require_open
from barnbokslut.web.editions.models import ChildVersionText, Edition
from barnbokslut.web.editions.views_edition import edition_for, edition_links

NOT_MANAGER = "Bara samordnare och administratörer kan skriva barnversionen."
MAX_PART = 5_000
KEYS = ("lead", *(spec.key for spec in PARTS))
HELP = {
    "lead": "En eller två meningar om vad barnbokslutet är. Frivillig.",
    "gjort": "Det viktigaste ni har gjort under året, gärna som en lista (en rad per sak som börjar med -).",
    "battre": "Det som inte är bra nog ännu och vad ni ska göra åt det.",
    "sa_ni": "Vad barn och unga har sagt. Citat skrivs med > först på raden, med ålder men aldrig namn.",
    "tycker": "Hur ett barn kan säga vad hen tycker: till vem, var, hur. En e-postadress eller ett telefonnummer.",
}


class ChildVersionForm(forms.Form):
    lead = forms.CharField(label="Ingress", required=False, max_length=MAX_PART,
                           widget=forms.Textarea(attrs={"rows": 3}), help_text=HELP["lead"])  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    lix_target = forms.IntegerField(
        label="Mål för läsbarheten: LIX högst", min_value=10, max_value=80, initial=30,
        help_text="Under 30 är mycket lätt att läsa, 30–40 lätt. Barnombudsmannen rekommenderar lätt svenska.",
        error_messages={"min_value": "Välj ett mål mellan 10 och 80.", "max_value": "Välj ett mål mellan 10 och 80."},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for spec in PARTS:
            self.fields[spec.key] = forms.CharField(
                label=spec.heading, required=False, max_length=MAX_PART, help_text=HELP[spec.key],
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={"max_length": "Högst %(limit_value)d tecken (nu %(show_value)d)."},
            )  # fmt: skip
        self.order_fields(["lead", *(spec.key for spec in PARTS), "lix_target", "version"])


def _stored(edition: Edition) -> ChildVersionText:
    """The saved barnversion, or an empty unsaved one (reading never writes)."""
    return ChildVersionText.objects.filter(edition=edition).first() or ChildVersionText(edition=edition)


def _readability(texts: dict[str, str], target: int) -> dict[str, Any]:
    counted = lix("\n\n".join(texts.get(key, "") for key in KEYS))
    value = counted.value
    return {
        "words": counted.words,
        "sentences": counted.sentences,
        "long_words": counted.long_words,
        "value": format_number(value, decimals=0),
        "level": lix_level(value),
        "target": target,
        "met": value <= target,
        "empty": counted.words == 0,
    }


def _target(raw: object, default: int) -> int:
    try:
        value = int(str(raw))
    except ValueError:
        return default
    return value if 10 <= value <= 80 else default


@login_required
@require_http_methods(["GET", "POST"])
def child_version_page(request: HttpRequest, pk: int) -> HttpResponse:
    edition = edition_for(request, pk)
    organisation = edition.organisation
    may_write = can(request.user, Action.MANAGE, organisation) and edition.state == Edition.State.OPEN
    stored = _stored(edition)
    initial = {
        "lead": stored.lead,
        **stored.texts(),
        "lix_target": stored.lix_target,
        "version": stored.version,
    }
    status = 200
    if request.method == "POST":
        require(can(request.user, Action.MANAGE, organisation), NOT_MANAGER)
        require_open(edition)
        form = ChildVersionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            changes = {key: data[key].replace("\r\n", "\n").strip() for key in KEYS}
            changes["lix_target"] = data["lix_target"]
            with transaction.atomic():
                row, _created = ChildVersionText.objects.select_for_update().get_or_create(edition=edition)
                saved = ChildVersionText.objects.filter(pk=row.pk, version=data["version"]).update(
                    **changes, version=F("version") + 1, updated_by=request.user
                )
            if saved:
                record(
                    AuditAction.SECTION_SAVED,
                    f"Sparade barnversionen av {edition.title} {edition.year}",
                    request=request,
                    organisation=organisation,
                    obj=edition,
                )
                messages.success(request, "Barnversionen är sparad.")
                return redirect("editions:child_version", pk=edition.pk)
            stored = _stored(edition)
            status = 409
            form = ChildVersionForm(
                {**request.POST.dict(), "version": stored.version}
            )  # the writer's texts stay; saving again overwrites the other version knowingly
            form.is_valid()
            messages.error(
                request,
                "Någon annan sparade barnversionen medan du skrev. Dina texter finns kvar i rutorna; den sparade "
                "versionen står under formuläret. Spara igen om dina texter ska gälla.",
            )
        else:
            status = 400
    else:
        form = ChildVersionForm(initial=initial)
    texts = {key: str(form[key].value() or "") for key in KEYS}
    target = _target(form["lix_target"].value(), stored.lix_target)
    context = {
        "edition": edition,
        "links": edition_links(edition),
        "form": form,
        "may_write": may_write,
        "stored": stored,
        "conflict": status == 409,
        "readability": _readability(texts, target),
        "parts": PARTS,
    }
    return render(request, "editions/edition/child_version.html", context, status=status)


@login_required
@require_POST
def child_version_lix(request: HttpRequest, pk: int) -> HttpResponse:
    """The readability box for the texts being typed (htmx); computes only, saves nothing."""
    edition = edition_for(request, pk)
    require(can(request.user, Action.MANAGE, edition.organisation), NOT_MANAGER)
    texts = {key: str(request.POST.get(key, ""))[:MAX_PART] for key in KEYS}
    context = {"readability": _readability(texts, _target(request.POST.get("lix_target"), 30))}
    return render(request, "editions/edition/_readability.html", context)


@login_required
@require_GET
def child_version_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The barnversion as children will see it (the published page's HTML), from what is saved."""
    edition = edition_for(request, pk)
    stored = _stored(edition)
    version = child_version(
        edition.organisation.name,
        edition.year,
        stored.texts(),
        lead=stored.lead,
        lix_target=stored.lix_target,
    )
    if version is None:
        messages.info(request, "Barnversionen är tom än så länge.")
        return redirect("editions:child_version", pk=edition.pk)
    response = HttpResponse(render_child_html(version))
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response
