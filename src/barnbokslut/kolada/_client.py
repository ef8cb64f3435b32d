"""The Kolada API v3 client: batched, paged, retried, rate-limited and cached requests over httpx."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Final, TypeAlias, TypeVar

import httpx

from barnbokslut.kolada._cache import CachedResponse, ResponseCache, merge_changes
from barnbokslut.kolada._errors import (
    KoladaDecodeError,
    KoladaError,
    KoladaHTTPError,
    KoladaOfflineError,
    KoladaTransportError,
)
from barnbokslut.kolada._fetch import Fetcher, RequestStats
from barnbokslut.kolada._models import (
    KPI,
    DataPoint,
    Municipality,
    MunicipalityGroup,
    OrganisationalUnit,
    parse_data_values,
)
from barnbokslut.kolada._types import IdArg, JSONDict, Mode, YearArg
from barnbokslut.kolada._urls import (
    DEFAULT_BASE_URL,
    cache_key,
    chunked,
    data_urls,
    metadata_urls,
    normalize_base_url,
    normalize_ids,
    oudata_urls,
    with_params,
)

__all__ = ["UNSET", "KoladaClient"]

logger = logging.getLogger("barnbokslut.kolada")

T = TypeVar("T")
#: Turns a (cached or fetched) answer into what a public method returns.
_Parse: TypeAlias = Callable[[CachedResponse], list[T]]

_MODES: Final = ("normal", "offline", "refresh")


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


#: Tells "cache not given" (use the default file) apart from ``cache=None`` (no cache).
UNSET: Final = _Unset()


class KoladaClient:
    """A client for the Kolada API v3 that asks as little as possible and never returns partial data.

    ``with KoladaClient() as client:``
    ``    client.data(["N15428"], ["2182", "G176409"], range(2015, 2025))``

    Options (all keyword-only):

    * ``base_url``: the API root; see also ``default_base_url()``, which reads
      ``$BARNBOKSLUT_KOLADA_URL``.
    * ``cache``: a ``ResponseCache``, a path to one, or ``None`` for no cache. Not given: the
      default file ``default_cache_path()``. A cache made here is closed by ``close()``; one passed
      in is left open for its owner.
    * ``mode``: ``"normal"`` serves cached answers younger than ``max_age`` (``None``: any age)
      and fetches the rest, falling back to an older cached answer if Kolada fails (then
      ``stats.stale`` is true). ``"refresh"`` asks Kolada only for the data rows changed since a
      cached answer was fetched and merges them in; metadata comes from the cache when there.
      ``"offline"`` sends nothing and raises ``KoladaOfflineError`` for a query not cached.
    * ``timeout`` in seconds; ``max_requests_per_second`` (``None``: no limit), shared by all
      threads using the client and counting every page and retry; ``max_retries`` for 429, 5xx,
      timeouts, broken connections and truncated or malformed bodies. Before retry n (from 0)
      it waits a random time up to ``min(backoff_cap, backoff_base * 2**n)`` seconds ("full
      jitter"), or what the server's ``Retry-After`` asks for.
    * ``transport``: an ``httpx.BaseTransport``, for tests; ``sleep``: the function that waits
      between retries, for tests.
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        cache: ResponseCache | str | os.PathLike[str] | _Unset | None = UNSET,
        mode: Mode = "normal",
        max_age: timedelta | None = timedelta(hours=24),
        timeout: float = 30.0,
        max_requests_per_second: float | None = 5.0,
        max_retries: int = 6,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if mode not in _MODES:
            raise ValueError(f"Okänt läge {mode!r}; välj ett av {', '.join(_MODES)}")
        self.base_url = normalize_base_url(base_url)
        self.mode: Mode = mode
        self.max_age = max_age
        self._lock = threading.Lock()
        self._stats = RequestStats()
        self._oldest_fetch: datetime | None = None
        self._fetcher = Fetcher(
            stats=self._stats,
            timeout=timeout,
            max_requests_per_second=max_requests_per_second,
            max_retries=max_retries,
            backoff_base=backoff_base,
            backoff_cap=backoff_cap,
            transport=transport,
            sleep=sleep,
        )
        self._owns_cache = not isinstance(cache, ResponseCache)
        try:
            if isinstance(cache, _Unset):
                self.cache: ResponseCache | None = ResponseCache()
            elif cache is None or isinstance(cache, ResponseCache):
                self.cache = cache
            else:
                self.cache = ResponseCache(cache)
        except BaseException:
            self._fetcher.close()
            raise

    # -- lifecycle -----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connections, and the cache if this client opened it."""
        self._fetcher.close()
        if self.cache is not None and self._owns_cache:
            self.cache.close()

    def __enter__(self) -> KoladaClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"KoladaClient(base_url={self.base_url!r}, mode={self.mode!r}, cache={self.cache!r})"

    @property
    def stats(self) -> RequestStats:
        """Return the counters of what this client has sent and served (see ``RequestStats``)."""
        return self._stats

    @property
    def oldest_fetch(self) -> datetime | None:
        """Return when the oldest answer served from the cache was fetched (UTC), or ``None``.

        Answers fetched during this client's life do not count: ``None`` means all is fresh.
        """
        return self._oldest_fetch

    # -- metadata ------------------------------------------------------------------------------

    def kpis(self, ids: IdArg | None = None, *, title: str | None = None) -> list[KPI]:
        """Return KPI metadata: the given ids, those whose title matches ``title``, or all."""
        urls = metadata_urls(self.base_url, "kpi", ids, params={"title": title} if title else None)
        return self._metadata(urls, KPI.from_api)

    def kpi_groups(self, *, title: str | None = None) -> list[JSONDict]:
        """Return the KPI groups (``/kpi_groups``) as Kolada sends them, optionally searched by title."""
        urls = metadata_urls(self.base_url, "kpi_groups", params={"title": title} if title else None)
        return self._metadata(urls, dict)

    def municipalities(self, ids: IdArg | None = None, *, title: str | None = None) -> list[Municipality]:
        """Return municipalities and regions (``0000`` is Riket): the given ids, a title search, or all."""
        urls = metadata_urls(self.base_url, "municipality", ids, params={"title": title} if title else None)
        return self._metadata(urls, Municipality.from_api)

    def municipality_groups(
        self, ids: IdArg | None = None, *, title: str | None = None
    ) -> list[MunicipalityGroup]:
        """Return municipality groups with their members: the given ids, a title search, or all."""
        params = {"title": title} if title else None
        urls = metadata_urls(self.base_url, "municipality_groups", ids, params=params)
        return self._metadata(urls, MunicipalityGroup.from_api)

    def ous(
        self, ids: IdArg | None = None, *, municipality: IdArg | None = None, title: str | None = None
    ) -> list[OrganisationalUnit]:
        """Return organisational units (schools, preschools): by id, in ``municipality``, by title, or all."""
        params = {"title": title} if title else {}
        if municipality is None:
            urls = metadata_urls(self.base_url, "ou", ids, params=params)
        else:
            urls = []
            for chunk in _chunks_of(normalize_ids(municipality, what="kommun-id")):
                urls += metadata_urls(self.base_url, "ou", ids, params={**params, "municipality": chunk})
        return self._metadata(urls, OrganisationalUnit.from_api)

    # -- data ----------------------------------------------------------------------------------

    def data(
        self, kpis: IdArg | None, municipalities: IdArg | None = None, years: YearArg | None = None
    ) -> list[DataPoint]:
        """Return the values of ``kpis`` for ``municipalities`` (ids or ``G…`` groups) in ``years``.

        Any two of the three may stand alone: ``None`` means all of that kind, so
        ``data(["N15428"], None, [2023])`` gives every municipality. An empty list gives no values.
        Missing values come back with ``value=None`` and Kolada's ``status``, never as 0.
        """
        return self._data(data_urls(self.base_url, kpis, municipalities, years))

    def oudata(self, kpis: IdArg, ous: IdArg, years: YearArg) -> list[DataPoint]:
        """Return the values of ``kpis`` for organisational units ``ous`` in ``years``."""
        return self._data(oudata_urls(self.base_url, kpis, ous, years))

    def _data(self, urls: list[str]) -> list[DataPoint]:
        points: list[DataPoint] = []
        for url in urls:
            points += self._query(url, incremental=True, parse=_parse_data)
        return points

    def _metadata(self, urls: list[str], build: Callable[[JSONDict], T]) -> list[T]:
        def parse(answer: CachedResponse) -> list[T]:
            return [build(row) for row in answer.values]

        items: list[T] = []
        for url in urls:
            items += self._query(url, incremental=False, parse=parse)
        return items

    # -- cache modes ---------------------------------------------------------------------------

    def _query(self, url: str, *, incremental: bool, parse: _Parse[T]) -> list[T]:
        key = cache_key(url)
        cached = self.cache.get(key) if self.cache is not None else None
        if self.mode == "offline":
            if cached is None:
                where = f"cachen {self.cache.path}" if self.cache is not None else "någon cache (cache=None)"
                raise KoladaOfflineError(
                    f"Offlineläge: frågan {key} finns inte i {where}. Hämta den en gång med nätverk först.",
                    url=key,
                )
            return self._serve_cached(cached, parse)
        if cached is not None and self.mode == "refresh":
            return self._refresh(url, cached, parse) if incremental else self._serve_cached(cached, parse)
        if cached is not None and (self.max_age is None or cached.age() < self.max_age):
            return self._serve_cached(cached, parse)

        started = datetime.now(UTC)
        try:
            values, is_example = self._fetcher.fetch_all(url)
            answer = CachedResponse(key=key, values=values, fetched_at=started, is_example=is_example)
            result = _parse_answer(parse, answer, url)
        except KoladaError as exc:
            if cached is None or not _may_serve_stale(exc):
                raise
            logger.warning("Kolada svarar inte; serverar sparat svar från %s: %s", cached.fetched_at, exc)
            with self._lock:
                self._stats.stale = True
            return self._serve_cached(cached, parse)
        self._store(answer)
        return result

    def _refresh(self, url: str, cached: CachedResponse, parse: _Parse[T]) -> list[T]:
        since = cached.fetched_at.astimezone(UTC).date().isoformat()
        started = datetime.now(UTC)
        try:
            changes, is_example = self._fetcher.fetch_all(with_params(url, {"from_date": since}))
            answer = CachedResponse(
                key=cached.key,
                values=merge_changes(cached.values, changes),
                fetched_at=started,
                is_example=cached.is_example or is_example,
            )
            result = _parse_answer(parse, answer, url)
        except KoladaError as exc:
            # Refreshing is best effort: the last good answer is still an answer.
            logger.warning("Kunde inte uppdatera %s; använder sparade uppgifter från %s: %s", url, since, exc)
            with self._lock:
                self._stats.stale = True
            return self._serve_cached(cached, parse)
        self._store(answer)
        return result

    def _serve_cached(self, cached: CachedResponse, parse: _Parse[T]) -> list[T]:
        with self._lock:
            self._stats.cache_hits += 1
            if self._oldest_fetch is None or cached.fetched_at < self._oldest_fetch:
                self._oldest_fetch = cached.fetched_at
        return _parse_answer(parse, cached, cached.key)

    def _store(self, answer: CachedResponse) -> None:
        if self.cache is not None:
            self.cache.put(
                answer.key, answer.values, fetched_at=answer.fetched_at, is_example=answer.is_example
            )


def _chunks_of(ids: list[str]) -> list[str]:
    return [",".join(chunk) for chunk in chunked(ids)]


def _parse_data(answer: CachedResponse) -> list[DataPoint]:
    return parse_data_values(answer.values, fetched_at=answer.fetched_at, is_example=answer.is_example)


def _parse_answer(parse: _Parse[T], answer: CachedResponse, url: str) -> list[T]:
    try:
        return parse(answer)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        message = f"Kolada skickade rader som inte går att tolka på {url}: {exc}"
        raise KoladaDecodeError(message, url=url) from exc


def _may_serve_stale(error: KoladaError) -> bool:
    """Return whether Kolada, rather than our query, failed: then an older answer beats none."""
    if isinstance(error, KoladaHTTPError):
        return error.is_retryable
    return isinstance(error, KoladaTransportError | KoladaDecodeError)
