"""The edition's page "Barnens röster": quotes and proposals, listed for everyone in the organisation and added,
changed and removed by skribenter, samordnare and administratörer while the edition is open. Every view asks
``accounts.permissions`` on the server first; a write is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.accounts.permissions import Action, can
from barnbokslut.web.editions.models import Edition
from barnbokslut.web.editions.views_edition import edition_for, edition_links
from barnbokslut.web.voices.forms import ProposalForm, QuoteForm
from barnbokslut.web.voices.models import ChildProposal, ChildQuote

#: kind in the URL → (model, form, what it is called, in the audit log and the messages)
KINDS: dict[str, tuple[type[Model], type[ModelForm], str]] = {  # type: ignore[type-arg]
    "citat": (ChildQuote, QuoteForm, "citatet"),
    "forslag": (ChildProposal, ProposalForm, "förslaget"),
}


def _may_write(request: HttpRequest, edition: Edition) -> bool:
    return can(request.user, Action.WRITE, edition.organisation) and edition.state == Edition.State.OPEN


def _context(edition: Edition, **extra: Any) -> dict[str, Any]:
    return {"edition": edition, "links": edition_links(edition), **extra}


@login_required
@require_GET
def voices_page(request: HttpRequest, pk: int) -> HttpResponse:
    edition = edition_for(request, pk)
    context = _context(
        edition,
        quotes=list(ChildQuote.objects.filter(edition=edition)),
        proposals=list(ChildProposal.objects.filter(edition=edition)),
        may_write=_may_write(request, edition),
    )
    return render(request, "voices/page.html", context)


def _kind(kind: str) -> tuple[type[Model], type[ModelForm], str]:  # type: ignore[type-arg]
    if kind not in KINDS:
        raise Http404("Okänd sort.")
    return KINDS[kind]


@login_required
@require_http_methods(["GET", "POST"])
def voice_form(request: HttpRequest, pk: int, kind: str, item_pk: int | None = None) -> HttpResponse:
    edition = edition_for(request, pk, Action.WRITE, write=True)
    model, form_class, name = _kind(kind)
    item = get_object_or_404(model, pk=item_pk, edition=edition) if item_pk is not None else None
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.edition = edition  # type: ignore[attr-defined]
        saved.updated_by = request.user  # type: ignore[attr-defined]
        if item is None:
            saved.order = model.objects.filter(edition=edition).count()  # type: ignore[attr-defined]
        saved.save()
        verb = "Lade till" if item is None else "Ändrade"
        record(
            AuditAction.TABLE_CHANGED,
            f"{verb} {name} ”{str(saved)[:60]}” under Barnens röster ({edition.year}).",
            request=request, organisation=edition.organisation, obj=saved,
        )  # fmt: skip
        messages.success(request, f"{name[0].upper()}{name[1:]} är sparat.")
        return redirect("voices:page", edition.pk)
    status = 400 if request.method == "POST" else 200
    context = _context(edition, form=form, kind=kind, item=item, name=name)
    return render(request, "voices/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def voice_delete(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    edition = edition_for(request, pk, Action.WRITE, write=True)
    model, _, name = _kind(kind)
    item = get_object_or_404(model, pk=item_pk, edition=edition)
    if request.method == "POST":
        description = str(item)[:60]
        item.delete()
        record(
            AuditAction.TABLE_CHANGED,
            f"Tog bort {name} ”{description}” under Barnens röster ({edition.year}).",
            request=request, organisation=edition.organisation,
        )  # fmt: skip
        messages.success(request, f"{name[0].upper()}{name[1:]} är borttaget.")
        return redirect("voices:page", edition.pk)
    return render(request, "voices/delete.html", _context(edition, item=item, kind=kind, name=name))
