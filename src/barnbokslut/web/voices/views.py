"""The edition's page "Barnens röster": quotes and proposals, listed for everyone in the organisation and added,
changed and removed by skribenter, samordnare and administratörer while the edition is open; survey files
(LUPP, elevenkäten) uploaded and removed by samordnare and administratörer, as the local tables are. Every view asks
``accounts.permissions`` on the server first; a write is audited."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from barnbokslut.numbers import format_count
from barnbokslut.report.voices import VoicesError, parse_survey
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.accounts.permissions import Action, can
from barnbokslut.web.editions.models import Edition
from barnbokslut.web.editions.views_edition import edition_for, edition_links
from barnbokslut.web.voices.forms import ProposalForm, QuoteForm, SurveyForm
from barnbokslut.web.voices.models import ChildProposal, ChildQuote, SurveyFile

#: kind in the URL → (model, form, what it is called, in the audit log and the messages)
KINDS: dict[str, tuple[type[Model], type[ModelForm], str]] = {  # type: ignore[type-arg]
    "citat": (ChildQuote, QuoteForm, "citatet"),
    "forslag": (ChildProposal, ProposalForm, "förslaget"),
}
#: Survey problems shown on the page (the count of all is said too).
SHOWN_PROBLEMS = 10


def _may_write(request: HttpRequest, edition: Edition) -> bool:
    return can(request.user, Action.WRITE, edition.organisation) and edition.state == Edition.State.OPEN


def _context(edition: Edition, **extra: Any) -> dict[str, Any]:
    return {"edition": edition, "links": edition_links(edition), **extra}


def _page(request: HttpRequest, edition: Edition, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = _context(
        edition,
        quotes=list(ChildQuote.objects.filter(edition=edition)),
        proposals=list(ChildProposal.objects.filter(edition=edition)),
        surveys=list(SurveyFile.objects.filter(edition=edition)),
        may_write=_may_write(request, edition),
        may_upload=can(request.user, Action.MANAGE, edition.organisation)
        and edition.state == Edition.State.OPEN,
        survey_form=extra.pop("survey_form", None) or SurveyForm(),
        **extra,
    )
    return render(request, "voices/page.html", context, status=status)


@login_required
@require_GET
def voices_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, edition_for(request, pk))


@login_required
@require_POST
def survey_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A survey file checked by the one reader and ``report.voices``; any problem: nothing is saved."""
    edition = edition_for(request, pk, Action.MANAGE, write=True)
    form = SurveyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, edition, status=400, survey_form=form)
    upload = form.cleaned_data["file"]
    if upload.size > settings.MAX_UPLOAD_BYTES:
        return _page(request, edition, status=413, survey_form=form, problems=[_too_large()])
    data = upload.read()
    try:
        survey = parse_survey(upload.name, data, upload.name, form.cleaned_data["name"])
    except VoicesError as exc:
        problems = exc.problems[:SHOWN_PROBLEMS]
        if len(exc.problems) > SHOWN_PROBLEMS:
            problems.append(f"… och {len(exc.problems) - SHOWN_PROBLEMS} fel till.")
        return _page(request, edition, status=400, survey_form=form, problems=problems)
    saved = SurveyFile.objects.create(
        edition=edition, name=survey.name, filename=upload.name, text=form.cleaned_data["text"].strip(),
        sha256=hashlib.sha256(data).hexdigest(),
        rows=[dataclasses.asdict(row) for row in survey.rows], uploaded_by=request.user,
        order=SurveyFile.objects.filter(edition=edition).count(),
    )  # fmt: skip
    record(
        AuditAction.TABLE_CHANGED,
        f"Laddade upp enkäten {saved} med {len(survey.rows)} rader under Barnens röster ({edition.year}).",
        request=request, organisation=edition.organisation, obj=saved,
    )  # fmt: skip
    messages.success(
        request, f"Enkäten {survey.name} är sparad: {format_count(len(survey.rows), 'rad', 'rader')}."
    )
    return redirect("voices:page", edition.pk)


@login_required
@require_POST
def survey_delete(request: HttpRequest, pk: int, survey_pk: int) -> HttpResponse:
    edition = edition_for(request, pk, Action.MANAGE, write=True)
    survey = get_object_or_404(SurveyFile, pk=survey_pk, edition=edition)
    description = str(survey)
    survey.delete()
    record(
        AuditAction.TABLE_CHANGED, f"Tog bort enkäten {description} under Barnens röster ({edition.year}).",
        request=request, organisation=edition.organisation,
    )  # fmt: skip
    messages.success(request, f"Enkäten {description} är borttagen.")
    return redirect("voices:page", edition.pk)


def _too_large() -> str:
    limit = settings.MAX_UPLOAD_BYTES
    shown = f"{limit / (1024 * 1024):.1f} MB".replace(".", ",") if limit >= 1024 * 1024 else f"{limit} byte"
    return f"Filen är för stor: största tillåtna storlek är {shown}. Inget har sparats."


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
