"""The edition's indicator analysis, read from the shared Kolada cache without ever asking Kolada.

A page view (and the publishing engineer's report build) calls ``edition_analysis(edition)``: it reads the
dataset for the organisation's kommun and the edition's year from ``settings.KOLADA_CACHE`` in *offline* mode
(so a page never waits on Kolada) and analyses the edition's chosen indicators with ``barnbokslut.indicators``.
``None`` means nothing is cached yet: the coordinator clicks "Uppdatera från Kolada" (``tasks.refresh_kolada``).

The dataset is always fetched for the whole catalogue, so choosing another indicator needs no new fetch; the
analysis covers only the chosen ones, in the chosen order.

Speed: reading the cache and analysing takes about a quarter of a second, so the result is kept per
(edition, chosen indicators, cache stamp) in memory and as a pickle next to the Kolada cache (written only by
this module, in the app's own data folder), which the worker fills after a refresh. The cache stamp is the
newest fetch time and row count of the Kolada cache file, one cheap query, so any refresh makes a new key.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import pickle
import sqlite3
import threading
from collections import OrderedDict
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from barnbokslut.indicators.analysis import analyse
from barnbokslut.indicators.catalogue import Catalogue, load_catalogue
from barnbokslut.indicators.dataset import Dataset, UnknownMunicipalityError, fetch_dataset
from barnbokslut.indicators.results import Analysis
from barnbokslut.kolada import KoladaClient, KoladaError, Municipality
from barnbokslut.web.editions.models import Edition

__all__ = [
    "analyse_dataset",
    "cache_stamp",
    "clear_memory",
    "edition_analysis",
    "edition_catalogue",
    "fetch_edition_dataset",
    "full_catalogue",
    "kolada_fetched_at",
    "selected_kpis",
]

logger = logging.getLogger(__name__)

#: Bump when the pickled Analysis changes shape, so old files are not read.
_FORMAT = "3"  # 2: per-row source kinds, reasons, own comparisons; 3: per-unit figures
_MEMORY_SIZE = 64
_memory: OrderedDict[tuple[object, ...], Analysis] = OrderedDict()
_lock = threading.Lock()


@lru_cache(maxsize=1)
def full_catalogue() -> Catalogue:
    """The indicator catalogue every edition chooses from (the shipped default pack)."""
    return load_catalogue()


def selected_kpis(edition: Edition) -> list[str]:
    """The edition's chosen KPI ids, in their order."""
    return list(edition.indicators.order_by("order", "id").values_list("kpi", flat=True))


def edition_catalogue(edition: Edition, kpis: list[str] | None = None) -> Catalogue:
    """The catalogue narrowed to the edition's chosen indicators, in the edition's order.

    A chosen KPI that the catalogue no longer has is left out (the indicators page names it).
    """
    catalogue = full_catalogue()
    by_kpi = {indicator.kpi: indicator for indicator in catalogue}
    chosen = kpis if kpis is not None else selected_kpis(edition)
    return Catalogue(path=catalogue.path, indicators=tuple(by_kpi[k] for k in chosen if k in by_kpi))


def cache_stamp(path: Path | str | None = None) -> str | None:
    """The newest fetch time and row count of the Kolada cache file, or ``None`` when nothing is cached."""
    file = Path(path if path is not None else settings.KOLADA_CACHE)
    if not file.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{file.as_uri()}?mode=ro", uri=True, timeout=5.0)
        try:
            newest, count = connection.execute("SELECT MAX(fetched_at), COUNT(*) FROM responses").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return f"{newest}/{count}" if count else None


def fetch_edition_dataset(edition: Edition, client: KoladaClient) -> tuple[Dataset, Municipality]:
    """Fetch (or read from the cache, by ``client``'s mode) what the edition's analysis needs."""
    catalogue = dataclasses.replace(
        full_catalogue(), comparison_kommuner=tuple(edition.organisation.comparison_kommuner)
    )
    dataset, municipality = fetch_dataset(
        client, catalogue, edition.year, municipality=edition.organisation.kommun
    )
    assert municipality is not None  # a municipality was asked for
    return dataset, municipality


def _key(edition: Edition, kpis: list[str], stamp: str) -> tuple[object, ...]:
    return (
        _FORMAT,
        edition.pk,
        edition.organisation.kommun,
        tuple(edition.organisation.comparison_kommuner),
        edition.year,
        tuple(kpis),
        stamp,
        str(settings.KOLADA_URL),
        str(settings.KOLADA_CACHE),
    )


def _disk_folder() -> Path:
    return Path(settings.KOLADA_CACHE).parent / "analyser"


def _disk_path(edition: Edition, key: tuple[object, ...]) -> Path:
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    return _disk_folder() / f"arsgang-{edition.pk}-{digest}.pickle"


def _remember(edition: Edition, key: tuple[object, ...], analysis: Analysis) -> None:
    with _lock:
        _memory[key] = analysis
        _memory.move_to_end(key)
        while len(_memory) > _MEMORY_SIZE:
            _memory.popitem(last=False)
    path = _disk_path(edition, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"arsgang-{edition.pk}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)
    except OSError as exc:  # a cache that cannot be written only costs time
        logger.warning("Kunde inte spara analysen i %s: %s", path, exc)


def _recall(edition: Edition, key: tuple[object, ...]) -> Analysis | None:
    with _lock:
        found = _memory.get(key)
        if found is not None:
            _memory.move_to_end(key)
            return found
    path = _disk_path(edition, key)
    try:
        found = pickle.loads(path.read_bytes())  # our own file, in the app's data folder
    except FileNotFoundError:
        return None
    except Exception as exc:  # a damaged file is only a lost copy
        logger.warning("Kunde inte läsa analysen %s: %s", path, exc)
        return None
    if not isinstance(found, Analysis):
        return None
    with _lock:
        _memory[key] = found
    return found


def clear_memory() -> None:
    """Forget the analyses kept in memory (tests; the files stay)."""
    with _lock:
        _memory.clear()


def analyse_dataset(edition: Edition, dataset: Dataset, municipality: Municipality) -> Analysis | None:
    """Analyse the edition's chosen indicators on ``dataset`` and keep the result for page views.

    The worker calls this after a refresh, so the first page view after it is fast in every process.
    """
    kpis = selected_kpis(edition)
    if not kpis:
        return None
    analysis = analyse(dataset, edition_catalogue(edition, kpis), municipality, edition.year)
    stamp = cache_stamp()
    if stamp is not None:
        _remember(edition, _key(edition, kpis, stamp), analysis)
    return analysis


def edition_analysis(edition: Edition) -> Analysis | None:
    """The analysis of the edition's kommun and year for its chosen indicators, from the Kolada cache only.

    Never sends a request to Kolada. Returns ``None`` when nothing is cached for this kommun and year yet,
    when no indicator is chosen, or when the kommun id is unknown to Kolada. ``Analysis.fetched_at`` is when
    the oldest value was fetched (see also ``kolada_fetched_at``).
    """
    stamp = cache_stamp()
    if stamp is None:
        return None
    kpis = selected_kpis(edition)
    if not kpis:
        return None
    key = _key(edition, kpis, stamp)
    found = _recall(edition, key)
    if found is not None:
        return found
    try:
        with KoladaClient(
            base_url=settings.KOLADA_URL, cache=settings.KOLADA_CACHE, mode="offline"
        ) as client:
            dataset, municipality = fetch_edition_dataset(edition, client)
    except (KoladaError, UnknownMunicipalityError) as exc:
        logger.info("Ingen analys för årgång %s ännu: %s", edition.pk, exc)
        return None
    analysis = analyse(dataset, edition_catalogue(edition, kpis), municipality, edition.year)
    _remember(edition, key, analysis)
    return analysis


def kolada_fetched_at(edition: Edition) -> datetime | None:
    """When the edition's Kolada figures were fetched (the oldest value shown), or ``None`` if none are."""
    analysis = edition_analysis(edition)
    return analysis.fetched_at if analysis is not None else None
