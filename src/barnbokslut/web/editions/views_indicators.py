"""The indicators page: the edition's Kolada analysis per area, charts, comments, the choice of indicators,
and "Uppdatera från Kolada", which only enqueues ``tasks.refresh_kolada`` and shows its progress.

Page views never wait on Kolada: ``analysis.edition_analysis`` reads the shared cache in offline mode.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from barnbokslut.indicators.results import Analysis, Comparison, IndicatorResult, Judgement, Relation
from barnbokslut.numbers import MISSING, format_date_sv, format_value
from barnbokslut.report.charts import render_chart
from barnbokslut.report.figures import history_chart, position_signal, source_line, trend_signal
from barnbokslut.report.markdown import to_text
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.accounts.permissions import Action, can
from barnbokslut.web.editions.analysis import edition_analysis, full_catalogue
from barnbokslut.web.editions.forms import IndicatorCommentForm, IndicatorSelectionForm
from barnbokslut.web.editions.models import Edition, EditionIndicator, KoladaRefresh
from barnbokslut.web.editions.services import set_indicator_selection
from barnbokslut.web.editions.tasks import refresh_kolada
from barnbokslut.web.editions.views_edition import edition_for, edition_links

__all__ = [
    "indicator_chart",
    "indicator_comment",
    "indicator_selection",
    "indicators",
    "kolada_refresh",
    "kolada_refresh_status",
]

#: A queued or running refresh younger than this is reused instead of starting another.
ACTIVE_FOR = timedelta(minutes=15)


def _comparison_words(comparison: Comparison, unit: str) -> str:
    if comparison.value is None:
        return "Uppgift saknas"
    value = format_value(comparison.value, unit)
    if comparison.judgement in (Judgement.BETTER, Judgement.WORSE, Judgement.EQUAL):
        return f"{comparison.judgement.value.capitalize()} ({value})"
    words = {Relation.HIGHER: "Högre", Relation.LOWER: "Lägre", Relation.EQUAL: "Lika"}
    return f"{words.get(comparison.relation, 'Ej jämförd')} ({value})"


def _chart_url(edition: Edition, result: IndicatorResult) -> str:
    """The chart's address, with the fetch time in it so a browser never shows a cached older chart."""
    url = reverse("editions:indicator_chart", args=[edition.pk, result.kpi])
    fetched = result.provenance.fetched_at
    return f"{url}?v={int(fetched.timestamp())}" if fetched is not None else url


def _row(edition: Edition, result: IndicatorResult, comment: str) -> dict[str, Any]:
    unit = result.indicator.unit
    chart = history_chart(result, source_line(result))
    return {
        "kpi": result.kpi,
        "title": result.indicator.title,
        "short_title": result.indicator.short_title,
        "value": format_value(result.latest.value if result.latest else None, unit),
        "period": str(result.latest.period) if result.latest else MISSING,
        "trend": trend_signal(result).label,
        "change": result.texts.change,
        "peer": _comparison_words(result.peer, unit),
        "national": _comparison_words(result.national, unit),
        "placement": position_signal(result).label,
        "sentence": result.texts.sentence,
        "details": [
            t for t in (result.texts.peer, result.texts.national, result.texts.rank, result.texts.gender) if t
        ],
        "source": source_line(result),
        "chart_alt": chart.alt if chart else "",
        "chart_description": chart.description if chart else "",
        "chart_url": _chart_url(edition, result) if chart else "",
        "comment": comment,
        "comment_html": to_text(comment, heading_base=4).html if comment.strip() else "",
    }


def _areas(edition: Edition, analysis: Analysis, comments: dict[str, str]) -> list[dict[str, Any]]:
    areas: dict[str, list[dict[str, Any]]] = {}
    for result in analysis.results:
        areas.setdefault(result.indicator.area, []).append(
            _row(edition, result, comments.get(result.kpi, ""))
        )
    return [
        {"title": title, "rows": rows, "index": n} for n, (title, rows) in enumerate(areas.items(), start=1)
    ]


def _active_refresh(edition: Edition) -> KoladaRefresh | None:
    return (
        edition.refreshes.filter(
            state__in=[KoladaRefresh.State.QUEUED, KoladaRefresh.State.RUNNING],
            created_at__gte=timezone.now() - ACTIVE_FOR,
        )
        .order_by("-created_at")
        .first()
    )


@login_required
@require_GET
def indicators(request: HttpRequest, pk: int) -> HttpResponse:
    edition = edition_for(request, pk)
    analysis = edition_analysis(edition)
    comments = dict(edition.indicators.values_list("kpi", "comment"))
    known = {indicator.kpi for indicator in full_catalogue()}
    context = {
        "edition": edition,
        "links": edition_links(edition),
        "analysis": analysis,
        "areas": _areas(edition, analysis, comments) if analysis is not None else [],
        "fetched": format_date_sv(analysis.fetched_at) if analysis and analysis.fetched_at else None,
        "selected_count": len(comments),
        "unknown_kpis": sorted(set(comments) - known),
        "refresh": edition.refreshes.order_by("-created_at").first(),
        "can_manage": can(request.user, Action.MANAGE, edition.organisation)
        and edition.state == Edition.State.OPEN,
    }
    return render(request, "editions/indicators/page.html", context)


def _selected_indicator(edition: Edition, kpi: str) -> EditionIndicator:
    return get_object_or_404(EditionIndicator, edition=edition, kpi=kpi)


@login_required
@require_GET
def indicator_chart(request: HttpRequest, pk: int, kpi: str) -> HttpResponse:
    """The indicator's history chart as SVG (for ``<img>``), drawn once per content and kept in memory."""
    edition = edition_for(request, pk)
    analysis = edition_analysis(edition)
    if analysis is None:
        raise Http404("Inga nyckeltal hämtade ännu")
    try:
        result = analysis.by_kpi(kpi)
    except KeyError:
        raise Http404("Nyckeltalet finns inte i årgången") from None
    chart = history_chart(result, source_line(result))
    if chart is None:
        raise Http404("Inget diagram för nyckeltalet")
    response = HttpResponse(render_chart(chart).svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def indicator_comment(request: HttpRequest, pk: int, kpi: str) -> HttpResponse:
    """Show (htmx fragment or page) and save the coordinator's comment on one indicator."""
    edition = edition_for(request, pk, Action.MANAGE, write=True)
    selected = _selected_indicator(edition, kpi)
    indicator = next((i for i in full_catalogue() if i.kpi == kpi), None)
    form = IndicatorCommentForm(
        request.POST if request.method == "POST" else None,
        initial={"comment": selected.comment},
        prefix=f"k-{kpi}",
    )
    htmx = bool(request.htmx)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "edition": edition,
        "links": edition_links(edition),
        "kpi": kpi,
        "title": indicator.title if indicator else kpi,
        "form": form,
        "can_manage": True,
    }
    if request.method == "POST" and form.is_valid():
        selected.comment = form.cleaned_data["comment"].strip()
        selected.save(update_fields=["comment"])
        record(
            AuditAction.INDICATORS_CHANGED,
            f"Ändrade kommentaren till nyckeltalet {kpi} i {edition.title} {edition.year}"
            + ("" if selected.comment else " (tom)"),
            request=request,
            organisation=edition.organisation,
            obj=edition,
        )
        if htmx:
            context["comment"] = selected.comment
            context["comment_html"] = (
                to_text(selected.comment, heading_base=4).html if selected.comment else ""
            )
            return render(request, "editions/indicators/comment.html", context)
        messages.success(request, "Kommentaren är sparad.")
        return redirect(f"{reverse('editions:indicators', args=[edition.pk])}#nyckeltal-{kpi.lower()}")
    if request.method == "GET" and request.GET.get("visa") and htmx:
        context["comment"] = selected.comment
        context["comment_html"] = to_text(selected.comment, heading_base=4).html if selected.comment else ""
        return render(request, "editions/indicators/comment.html", context)
    template = "comment_form.html" if htmx else "comment_page.html"
    status = 400 if request.method == "POST" and not htmx else 200
    return render(request, f"editions/indicators/{template}", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_selection(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose which catalogue indicators the edition shows (coordinator, administrator)."""
    edition = edition_for(request, pk, Action.MANAGE, write=True)
    catalogue = full_catalogue()
    chosen = list(edition.indicators.values_list("kpi", flat=True))
    form = IndicatorSelectionForm(
        request.POST if request.method == "POST" else None, initial={"kpis": chosen}, catalogue=catalogue
    )
    if request.method == "POST" and form.is_valid():
        set_indicator_selection(edition, form.ordered())
        record(
            AuditAction.INDICATORS_CHANGED,
            f"Ändrade urvalet av nyckeltal i {edition.title} {edition.year}: {len(chosen)} → "
            f"{len(form.ordered())} ({', '.join(form.ordered())})",
            request=request,
            organisation=edition.organisation,
            obj=edition,
        )
        messages.success(request, f"Urvalet är sparat: {len(form.ordered())} nyckeltal.")
        return redirect("editions:indicators", pk=edition.pk)
    groups: dict[str, list[Any]] = {}
    by_value = {str(option.data["value"]): option for option in form["kpis"]}
    for indicator in catalogue:
        groups.setdefault(indicator.area, []).append(by_value[indicator.kpi])
    context = {
        "edition": edition,
        "links": edition_links(edition),
        "form": form,
        "groups": groups,
        "can_manage": True,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "editions/indicators/selection.html", context, status=status)


def _status(request: HttpRequest, edition: Edition, refresh: KoladaRefresh | None) -> HttpResponse:
    return render(
        request, "editions/indicators/refresh_status.html", {"edition": edition, "refresh": refresh}
    )


@login_required
@require_POST
def kolada_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """Start "Uppdatera från Kolada" in the background and return at once (a running one is reused)."""
    edition = edition_for(request, pk, Action.MANAGE, write=True)
    refresh = _active_refresh(edition)
    if refresh is None:
        refresh = KoladaRefresh.objects.create(
            edition=edition, requested_by=request.user, message="I kö. Uppdateringen startar strax."
        )
        refresh_kolada.enqueue(refresh.pk)
        record(
            AuditAction.KOLADA_REFRESHED,
            f"Startade uppdatering från Kolada för {edition.title} {edition.year}",
            request=request,
            organisation=edition.organisation,
            obj=edition,
        )
    if request.htmx:  # type: ignore[attr-defined]
        return _status(request, edition, refresh)
    messages.info(request, "Uppdateringen från Kolada har startat. Sidan visar hur det går.")
    return redirect("editions:indicators", pk=edition.pk)


@login_required
@require_GET
def kolada_refresh_status(request: HttpRequest, pk: int, refresh_pk: int) -> HttpResponse:
    """The progress fragment the page polls every second while the refresh is queued or running."""
    edition = edition_for(request, pk)
    refresh = get_object_or_404(KoladaRefresh, pk=refresh_pk, edition=edition)
    return _status(request, edition, refresh)
