"""Background work of the editions app, run by the django-tasks database worker (``python -m django db_worker``).

Why django-tasks with its database backend (``django_tasks_db``): it is the reference implementation of
Django's own task API (``django.tasks`` from Django 6.0), needs nothing but the database we already have (no
Redis, no broker), and the web process only inserts a row, so "Uppdatera från Kolada" returns at once.

``refresh_kolada(refresh_id)`` fetches the edition's Kolada data into the shared cache, reporting progress on
its ``KoladaRefresh`` row (metadata 20 %, history 50 %, ranking 90 %, analysis 100 %), which the page polls.
A refresh that gets no usable answer from Kolada (down, hanging past the deadline, or a wrong answer: a short
page, a missing field, ``NaN``, a ``next_url`` elsewhere) ends FAILED with the reason in Swedish, and the cache
keeps the last good data: the client caches a query only when all its pages are complete.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from barnbokslut.indicators.dataset import UnknownMunicipalityError
from barnbokslut.kolada import (
    KoladaClient,
    KoladaDecodeError,
    KoladaError,
    KoladaHTTPError,
    KoladaTransportError,
)
from barnbokslut.numbers import format_count, format_date_sv
from barnbokslut.web.editions import analysis
from barnbokslut.web.editions.models import KoladaRefresh

__all__ = ["refresh_kolada", "run_refresh"]

logger = logging.getLogger(__name__)


def _update(refresh: KoladaRefresh, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(refresh, name, value)
    refresh.save(update_fields=list(fields))


class _ProgressClient:
    """The Kolada client, reporting each finished step of ``fetch_dataset`` on the refresh row."""

    def __init__(self, client: KoladaClient, refresh: KoladaRefresh) -> None:
        self._client = client
        self._refresh = refresh
        self._data_calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def _report(self, progress: int, message: str) -> None:
        _update(self._refresh, progress=progress, message=message, requests=self._client.stats.requests)

    def municipality_groups(self, *args: Any, **kwargs: Any) -> Any:
        found = self._client.municipality_groups(*args, **kwargs)
        self._report(20, "Metadata hämtad. Hämtar tio års historik …")
        return found

    def data(self, *args: Any, **kwargs: Any) -> Any:
        found = self._client.data(*args, **kwargs)
        self._data_calls += 1
        if self._data_calls == 1:
            self._report(50, "Historiken hämtad. Hämtar alla kommuners värden för placeringen …")
        else:
            self._report(90, "Placeringen hämtad. Analyserar …")
        return found


def _max_retries() -> int | None:
    value = getattr(settings, "KOLADA_MAX_RETRIES", None)
    return int(value) if value is not None else None


def _why(error: KoladaError) -> str:
    """Say in Swedish why Kolada gave nothing new: no answer, an answer that was wrong, or trouble on our side."""
    if isinstance(error, KoladaTransportError):  # no answer in time, or no connection
        return f"Kolada svarade inte: {error.message}"
    if isinstance(error, KoladaDecodeError | KoladaHTTPError):  # an answer, but not a usable one
        return f"Kolada svarade inte som väntat: {error.message}"
    return f"Kunde inte hämta från Kolada: {error.message}"  # our cache, our settings


def run_refresh(refresh: KoladaRefresh) -> KoladaRefresh:
    """Run one refresh now, in this process: fetch, analyse, and leave the row DONE or FAILED.

    Uses Kolada's incremental ``refresh`` mode when the cache already holds data, else ``normal``. When
    Kolada cannot be reached the last good data stays in the cache and the row says so (FAILED).
    """
    edition = refresh.edition
    mode = "refresh" if analysis.cache_stamp() is not None else "normal"
    _update(refresh, state=KoladaRefresh.State.RUNNING, progress=5, message="Hämtar metadata från Kolada …")
    options: dict[str, Any] = {"base_url": settings.KOLADA_URL, "cache": settings.KOLADA_CACHE, "mode": mode}
    if (retries := _max_retries()) is not None:
        options["max_retries"] = retries
    try:
        with KoladaClient(**options) as client:
            progress = _ProgressClient(client, refresh)
            dataset, municipality = analysis.fetch_edition_dataset(edition, cast(KoladaClient, progress))
            stats = client.stats
            stale_errors = client.stale_errors
    except (KoladaError, UnknownMunicipalityError) as exc:
        logger.warning("Uppdatering %s från Kolada misslyckades: %s", refresh.pk, exc)
        why = _why(exc) if isinstance(exc, KoladaError) else f"Kunde inte hämta från Kolada: {exc}"
        kept = (
            "De senast hämtade uppgifterna visas tills vidare."
            if mode == "refresh"
            else "Inga nyckeltal har hämtats ännu."
        )
        _update(
            refresh,
            state=KoladaRefresh.State.FAILED,
            message=f"{why} {kept} Försök igen om en stund.",
            finished_at=timezone.now(),
        )
        return refresh
    analysis.analyse_dataset(edition, dataset, municipality)
    if stats.stale:
        fetched = f" från {format_date_sv(dataset.fetched_at)}" if dataset.fetched_at else ""
        why = _why(stale_errors[0]) if stale_errors else "Kolada svarade inte."
        _update(
            refresh,
            state=KoladaRefresh.State.FAILED,
            progress=100,
            requests=stats.requests,
            message=(
                f"{why} Inget nytt kunde hämtas; de senast hämtade uppgifterna{fetched} visas. "
                "Försök igen om en stund."
            ),
            finished_at=timezone.now(),
        )
        return refresh
    _update(
        refresh,
        state=KoladaRefresh.State.DONE,
        progress=100,
        requests=stats.requests,
        message=(
            f"Klart. {format_count(stats.requests, 'fråga', 'frågor')} till Kolada, "
            f"{stats.cache_hits} svar ur cachen."
        ),
        finished_at=timezone.now(),
    )
    return refresh


@task()
def refresh_kolada(refresh_id: int) -> str:
    """Run the ``KoladaRefresh`` with id ``refresh_id`` (enqueued by the indicators page)."""
    refresh = KoladaRefresh.objects.select_related("edition__organisation").get(pk=refresh_id)
    try:
        run_refresh(refresh)
    except Exception:
        _update(
            refresh,
            state=KoladaRefresh.State.FAILED,
            message="Ett oväntat fel inträffade vid uppdateringen. Försök igen eller kontakta administratören.",
            finished_at=timezone.now(),
        )
        raise
    return refresh.state
