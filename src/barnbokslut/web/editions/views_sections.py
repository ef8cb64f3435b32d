"""Pages for writing and reviewing one section: editor, live preview, autosave, review actions and history.

Views only parse the request, call ``workflow`` (which checks permissions and does the work) and render. Writes are
POST-only; a refused write is 403, a save against an old version is 409 with the conflict view, in which the
submitted text is kept in the form so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from barnbokslut.web.accounts.permissions import require
from barnbokslut.web.editions import diffs, workflow
from barnbokslut.web.editions.models import Section, SectionKind, SectionStatus, SectionVersion
from barnbokslut.web.editions.prompts import prompt_for
from barnbokslut.web.editions.services import is_overall, section_label

EMPTY_PREVIEW = mark_safe('<p class="muted">Ingen text ännu.</p>')


def _load(request: HttpRequest, pk: int) -> Section:
    section = get_object_or_404(
        Section.objects.select_related("edition__organisation", "unit", "writer", "updated_by"), pk=pk
    )
    require(workflow.can_view(request.user, section))
    return section


def _posted_version(request: HttpRequest) -> int:
    raw = request.POST.get("version", "")
    if not raw.isdigit():
        raise BadRequest("Versionen saknas eller är felaktig.")
    return int(raw)


def _editor(
    request: HttpRequest,
    section: Section,
    *,
    body: str | None = None,
    version: int | None = None,
    conflict: dict[str, Any] | None = None,
    errors: list[str] | None = None,
    comment: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_edit = workflow.can_edit_text(user, section)
    server_draft = None
    if body is None and can_edit:
        server_draft = workflow.draft_for(section, user)
        if server_draft is not None:
            # The draft was typed against its base version: saving it there turns a lost race into a conflict view.
            body, version = server_draft.body, server_draft.base_version
    form_body = section.body if body is None else body
    prompt = prompt_for(section.kind)
    skeleton_offered = bool(can_edit and prompt and prompt.per_article and not form_body.strip())
    if skeleton_offered and prompt and request.GET.get("mall") == "artiklar":
        form_body, skeleton_offered = prompt.skeleton, False
    context = {
        "section": section,
        "edition": section.edition,
        "title": section_label(section),
        "overall": is_overall(section),
        "overall_conditions": is_overall(section) and section.kind == SectionKind.FORUTSATTNINGAR,
        "late": workflow.is_late(section),
        "can_edit": can_edit,
        "can_submit": can_edit and workflow.can_transition(user, section, "submit"),
        "can_approve": workflow.can_transition(user, section, "approve"),
        "can_return": workflow.can_transition(user, section, "send_back"),
        "form_body": form_body,
        "form_version": section.version if version is None else version,
        "preview_html": workflow.rendered(form_body) if form_body.strip() else EMPTY_PREVIEW,
        "saved_html": workflow.rendered(section.body),
        "server_draft": server_draft,
        "conflict": conflict,
        "errors": errors or [],
        "comment": comment,
        "returned": section.status == SectionStatus.RETURNED,
        "statuses": SectionStatus,
        "prompt": prompt,
        "skeleton_offered": skeleton_offered,
    }
    return render(request, "editions/sections/editor.html", context, status=status)


def _conflict(request: HttpRequest, current: Section, yours: str, *, comment: str = "") -> HttpResponse:
    yours = workflow.normalise(yours)
    conflict = {"theirs": current, "yours": yours, "diff": diffs.diff(current.body, yours)}
    return _editor(request, current, body=yours, conflict=conflict, comment=comment, status=409)


@login_required
@require_GET
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The section: editor for its writers, review actions for reviewers, the text for everyone else."""
    return _editor(request, _load(request, pk))


def _saved_redirect(section: Section) -> HttpResponse:
    # ``sparad`` tells editor.js that the browser's copy up to this version is saved and can be forgotten.
    return redirect(f"{reverse('editions:section_edit', args=[section.pk])}?sparad={section.version}")


@login_required
@require_POST
def section_save(request: HttpRequest, pk: int) -> HttpResponse:
    section = _load(request, pk)
    body, version = request.POST.get("body", ""), _posted_version(request)
    try:
        saved = workflow.save(section, request.user, body=body, base_version=version, request=request)
    except workflow.Conflict as exc:
        return _conflict(request, exc.current, body)
    except workflow.WorkflowError as exc:
        return _editor(request, section, body=body, version=version, errors=[exc.message], status=400)
    if saved.back_to_draft:
        messages.warning(
            request,
            f"Texten är sparad (version {saved.section.version}) och avsnittet gick tillbaka till Utkast. "
            "Skicka det till granskning igen när det är klart.",
        )
    elif saved.changed:
        messages.success(request, f"Texten är sparad (version {saved.section.version}).")
    else:
        messages.info(request, "Inga ändringar att spara.")
    return _saved_redirect(saved.section)


@login_required
@require_POST
def section_submit(request: HttpRequest, pk: int) -> HttpResponse:
    section = _load(request, pk)
    body, version = request.POST.get("body", ""), _posted_version(request)
    try:
        section = workflow.submit(section, request.user, body=body, base_version=version, request=request)
    except workflow.Conflict as exc:
        return _conflict(request, exc.current, body)
    except workflow.WorkflowError as exc:
        return _editor(request, section, body=body, version=version, errors=[exc.message], status=400)
    messages.success(request, "Avsnittet är sparat och skickat till granskning.")
    return _saved_redirect(section)


@login_required
@require_POST
def section_approve(request: HttpRequest, pk: int) -> HttpResponse:
    section = _load(request, pk)
    try:
        section = workflow.approve(
            section, request.user, base_version=_posted_version(request), request=request
        )
    except workflow.Conflict as exc:
        message = "Texten har ändrats sedan du läste den. Läs den nya versionen innan du godkänner."
        return _editor(request, exc.current, errors=[message], status=409)
    except workflow.WorkflowError as exc:
        return _editor(request, section, errors=[exc.message], status=400)
    messages.success(request, "Avsnittet är godkänt.")
    return redirect("editions:section_edit", pk=section.pk)


@login_required
@require_POST
def section_return(request: HttpRequest, pk: int) -> HttpResponse:
    section = _load(request, pk)
    comment = request.POST.get("comment", "")
    try:
        section = workflow.send_back(
            section, request.user, base_version=_posted_version(request), comment=comment, request=request
        )
    except workflow.Conflict as exc:
        message = (
            "Texten har ändrats sedan du läste den. Läs den nya versionen; din kommentar finns kvar nedan."
        )
        return _editor(request, exc.current, errors=[message], comment=comment, status=409)
    except workflow.WorkflowError as exc:
        return _editor(request, section, errors=[exc.message], comment=comment, status=400)
    messages.success(request, "Avsnittet är återremitterat till skribenten.")
    return redirect("editions:section_edit", pk=section.pk)


@login_required
@require_POST
def section_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The posted Markdown as sanitised HTML (htmx swaps it into the preview box)."""
    section = _load(request, pk)
    require(workflow.can_edit_text(request.user, section), "Du får inte skriva i det här avsnittet.")
    body = workflow.normalise(request.POST.get("body", ""))[: workflow.MAX_BODY_CHARS]
    return HttpResponse(workflow.rendered(body) if body.strip() else EMPTY_PREVIEW)


@login_required
@require_POST
def section_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave: keep what is typed as the user's server draft; answer with a short status line."""
    section = _load(request, pk)
    try:
        draft = workflow.save_draft(
            section, request.user, body=request.POST.get("body", ""), base_version=_posted_version(request)
        )
    except workflow.WorkflowError as exc:
        return HttpResponse(format_html('<span class="late">{}</span>', exc.message), status=400)
    when = formats.time_format(timezone.localtime(draft.saved_at), "H:i:s")
    if getattr(request, "htmx", False):
        return HttpResponse(format_html("Utkastet sparades på servern kl. {}.", when))
    messages.info(request, f"Utkastet sparades kl. {when}.")
    return redirect("editions:section_edit", pk=section.pk)


@login_required
@require_POST
def section_draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    section = _load(request, pk)
    workflow.discard_draft(section, request.user)
    messages.info(request, "Utkastet är kastat. Rutan visar den sparade texten.")
    return redirect("editions:section_edit", pk=section.pk)


@login_required
@require_GET
def section_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every saved version with who, when, status and what happened."""
    section = _load(request, pk)
    versions = list(section.versions.select_related("author").order_by("-number"))
    context = {"section": section, "edition": section.edition, "versions": versions}
    return render(request, "editions/sections/history.html", context)


@login_required
@require_GET
def section_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One version and what changed from the version before it."""
    section = _load(request, pk)
    entry = get_object_or_404(SectionVersion.objects.select_related("author"), section=section, number=number)
    previous = section.versions.filter(number__lt=number).order_by("-number").first()
    context = {  # not "version": the site context uses that name for the app's version (footer)
        "section": section,
        "edition": section.edition,
        "entry": entry,
        "previous": previous,
        "diff": diffs.diff(previous.body if previous else "", entry.body),
        "html": workflow.rendered(entry.body),
    }
    return render(request, "editions/sections/version.html", context)
