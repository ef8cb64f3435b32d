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
    KoladaCacheError,
    KoladaDecodeError,
    KoladaError,
    KoladaHTTPError,
    KoladaOfflineError,
    KoladaTransportError,
)
from barnbokslut.kolada._fetch import DEADLINE_ENV, MAX_PAGES, RATE_ENV, Fetcher, Progress, RequestStats
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
from barnbokslut.kolada._validate import check_rows

__all__ = ["DEFAULT_DEADLINE", "DEFAULT_RATE", "UNSET", "KoladaClient", "default_deadline", "default_rate"]

logger = logging.getLogger("barnbokslut.kolada")

T = TypeVar("T")
#: Turns a (cached or fetched) answer into what a public method returns.
_Parse: TypeAlias = Callable[[CachedResponse], list[T]]

_MODES: Final = ("normal", "offline", "refresh")
#: Seconds a whole fetch may take, retries and waits included, unless told otherwise.
DEFAULT_DEADLINE: Final = 180.0
#: Requests per second a client sends at the most, pages and retries included, unless told otherwise.
DEFAULT_RATE: Final = 5.0


def default_deadline() -> float | None:
    """Return the deadline for a fetch: ``$BARNBOKSLUT_KOLADA_DEADLINE`` seconds if set, else 180.

    ``0`` means no deadline. Raises ``KoladaError`` when the variable is not a number of seconds.
    """
    raw = os.environ.get(DEADLINE_ENV, "").strip()
    if not raw:
        return DEFAULT_DEADLINE
    try:
        seconds = float(raw.replace(",", "."))
    except ValueError:
        seconds = -1.0
    if not (seconds >= 0 and seconds != float("inf")):
        raise KoladaError(
            f"Miljövariabeln {DEADLINE_ENV} ska vara ett antal sekunder, t.ex. 180 (0 = ingen tidsgräns), "
            f"inte {raw!r}."
        )
    return seconds or None


def default_rate() -> float:
    """Return the most requests per second: ``$BARNBOKSLUT_KOLADA_RATE`` if set, else 5.

    Raises ``KoladaError`` when the variable is not a number greater than 0 (there is no "no limit" to ask
    for: a client without one is made in code, for a server of one's own).
    """
    raw = os.environ.get(RATE_ENV, "").strip()
    if not raw:
        return DEFAULT_RATE
    try:
        rate = float(raw.replace(",", "."))
    except ValueError:
        rate = 0.0
    if not (rate > 0 and rate != float("inf")):
        raise KoladaError(
            f"Miljövariabeln {RATE_ENV} ska vara högsta antal frågor per sekund, ett tal större än 0, "
            f"t.ex. 5, inte {raw!r}."
        )
    return rate


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
    * ``timeout`` in seconds; ``max_requests_per_second`` (``None``: no limit; not given:
      ``default_rate()``, 5 or ``$BARNBOKSLUT_KOLADA_RATE``), shared by all threads using the client and
      counting every page and retry; ``max_retries`` for 429, 5xx,
      timeouts, broken connections and truncated or malformed bodies (a page that is valid JSON but
      short or wrongly shaped is asked for again at most twice). Before retry n (from 0)
      it waits a random time up to ``min(backoff_cap, backoff_base * 2**n)`` seconds ("full
      jitter"), or what the server's ``Retry-After`` asks for.
    * ``deadline``: seconds that all requests of this client may take together, counted from the
      first one, waits and retries included (``None``: no limit). Not given: ``default_deadline()``,
      180 s or ``$BARNBOKSLUT_KOLADA_DEADLINE``. When it passes, the query at hand fails with
      ``KoladaDeadlineError`` (or gets its older cached answer, as for any failure of Kolada's)
      and later queries are not sent. Make one client per fetch (a CLI run, a refresh).
    * ``max_pages``: the most pages one query may have (a server that keeps linking on).
    * ``progress``: called with a Swedish line such as "Väntar på Kolada … försök 3 av 7 om 2 s
      (Kolada svarade 503)" before each retry, and when an answer takes more than ``slow_notice``
      seconds (``None``: never); the CLI prints them on stderr.
    * ``transport``: an ``httpx.BaseTransport``, for tests; ``sleep``: the function that waits
      between retries, for tests.

    Every page is checked against the shape of a Kolada answer before it is used or cached (see
    ``_validate``): a short page, a missing field, ``NaN`` or ``true`` where a value belongs, a
    ``next_url`` to another host or back to a page already read all fail the query, and a query
    is cached only when all its pages are. A cache that cannot be opened or written is not a
    failure: the answers are used, and ``warnings`` says why they were not kept.
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        cache: ResponseCache | str | os.PathLike[str] | _Unset | None = UNSET,
        mode: Mode = "normal",
        max_age: timedelta | None = timedelta(hours=24),
        timeout: float = 30.0,
        max_requests_per_second: float | _Unset | None = UNSET,
        max_retries: int = 6,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        deadline: float | _Unset | None = UNSET,
        max_pages: int = MAX_PAGES,
        progress: Progress | None = None,
        slow_notice: float | None = 5.0,
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
        self._warnings: list[str] = []
        self._stale_errors: list[KoladaError] = []
        self._stale_oldest: datetime | None = None
        self._fetcher = Fetcher(
            stats=self._stats,
            base_url=self.base_url,
            deadline=default_deadline() if isinstance(deadline, _Unset) else deadline,
            max_pages=max_pages,
            progress=progress,
            slow_notice=slow_notice,
            timeout=timeout,
            max_requests_per_second=(
                default_rate() if isinstance(max_requests_per_second, _Unset) else max_requests_per_second
            ),
            max_retries=max_retries,
            backoff_base=backoff_base,
            backoff_cap=backoff_cap,
            transport=transport,
            sleep=sleep,
        )
        self._owns_cache = not isinstance(cache, ResponseCache)
        try:
            if cache is None or isinstance(cache, ResponseCache):
                self.cache: ResponseCache | None = cache
            else:
                self.cache = self._open_cache(None if isinstance(cache, _Unset) else cache)
        except BaseException:
            self._fetcher.close()
            raise

    def _open_cache(self, path: str | os.PathLike[str] | None) -> ResponseCache | None:
        try:
            return ResponseCache(path)
        except KoladaCacheError as exc:
            if exc.operation != "open":
                raise  # a damaged file: its message says what to do
            # A folder that cannot be made or written: fetch without a cache rather than not at all.
            self._warn(f"{exc.message} Hämtar utan cache; uppgifterna sparas inte till nästa gång.")
            return None

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
    def warnings(self) -> list[str]:
        """Return, in Swedish, what the user should know about this client's answers.

        A cache that could not be opened or written, and answers served from the cache because
        Kolada failed (why, for how many queries, and how old they are). Empty when all went well.
        """
        with self._lock:
            warnings = list(self._warnings)
            errors = list(self._stale_errors)
            oldest = self._stale_oldest
        if errors and oldest is not None:
            count = len(errors)
            queries = "en fråga" if count == 1 else f"{count} frågor"
            warnings.append(
                f"Kolada gav inget användbart svar: {errors[0].message} Använder sparade uppgifter för {queries}, "
                f"hämtade {_age_text(oldest)}."
            )
        return warnings

    @property
    def stale_errors(self) -> list[KoladaError]:
        """Return why answers were served from the cache instead of Kolada: one error per such query.

        Empty unless ``stats.stale``; ``warnings`` says the same in one sentence.
        """
        with self._lock:
            return list(self._stale_errors)

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
        return self._metadata(urls, KPI.from_api, kind="kpi")

    def kpi_groups(self, *, title: str | None = None) -> list[JSONDict]:
        """Return the KPI groups (``/kpi_groups``) as Kolada sends them, optionally searched by title."""
        urls = metadata_urls(self.base_url, "kpi_groups", params={"title": title} if title else None)
        return self._metadata(urls, dict, kind="kpi_groups")

    def municipalities(self, ids: IdArg | None = None, *, title: str | None = None) -> list[Municipality]:
        """Return municipalities and regions (``0000`` is Riket): the given ids, a title search, or all."""
        urls = metadata_urls(self.base_url, "municipality", ids, params={"title": title} if title else None)
        return self._metadata(urls, Municipality.from_api, kind="municipality")

    def municipality_groups(
        self, ids: IdArg | None = None, *, title: str | None = None
    ) -> list[MunicipalityGroup]:
        """Return municipality groups with their members: the given ids, a title search, or all."""
        params = {"title": title} if title else None
        urls = metadata_urls(self.base_url, "municipality_groups", ids, params=params)
        return self._metadata(urls, MunicipalityGroup.from_api, kind="municipality_groups")

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
        return self._metadata(urls, OrganisationalUnit.from_api, kind="ou")

    # -- data ----------------------------------------------------------------------------------

    def data(
        self, kpis: IdArg | None, municipalities: IdArg | None = None, years: YearArg | None = None
    ) -> list[DataPoint]:
        """Return the values of ``kpis`` for ``municipalities`` (ids or ``G…`` groups) in ``years``.

        Any two of the three may stand alone: ``None`` means all of that kind, so
        ``data(["N15428"], None, [2023])`` gives every municipality. An empty list gives no values.
        Missing values come back with ``value=None`` and Kolada's ``status``, never as 0.
        """
        return self._data(data_urls(self.base_url, kpis, municipalities, years), kind="data")

    def oudata(self, kpis: IdArg, ous: IdArg, years: YearArg) -> list[DataPoint]:
        """Return the values of ``kpis`` for organisational units ``ous`` in ``years``."""
        return self._data(oudata_urls(self.base_url, kpis, ous, years), kind="oudata")

    def _data(self, urls: list[str], *, kind: str) -> list[DataPoint]:
        points: list[DataPoint] = []
        for url in urls:
            points += self._query(url, incremental=True, parse=_parse_data, kind=kind)
        return points

    def _metadata(self, urls: list[str], build: Callable[[JSONDict], T], *, kind: str) -> list[T]:
        def parse(answer: CachedResponse) -> list[T]:
            return [build(row) for row in answer.values]

        items: list[T] = []
        for url in urls:
            items += self._query(url, incremental=False, parse=parse, kind=kind)
        return items

    # -- cache modes ---------------------------------------------------------------------------

    def _query(self, url: str, *, incremental: bool, parse: _Parse[T], kind: str) -> list[T]:
        key = cache_key(url)
        cached = self._cached(key, kind)
        if self.mode == "offline":
            if cached is None:
                where = f"cachen {self.cache.path}" if self.cache is not None else "någon cache (cache=None)"
                raise KoladaOfflineError(
                    f"Offlineläge: frågan {key} finns inte i {where}. Hämta den en gång med nätverk först.",
                    url=key,
                )
            return self._serve_cached(cached, parse)
        if cached is not None and self.mode == "refresh":
            if incremental:
                return self._refresh(url, cached, parse, kind)
            return self._serve_cached(cached, parse)
        if cached is not None and (self.max_age is None or cached.age() < self.max_age):
            return self._serve_cached(cached, parse)

        started = datetime.now(UTC)
        try:
            values, is_example = self._fetcher.fetch_all(url, kind=kind)
            answer = CachedResponse(key=key, values=values, fetched_at=started, is_example=is_example)
            result = _parse_answer(parse, answer, url)
        except KoladaError as exc:
            if cached is None or not _may_serve_stale(exc):
                raise
            logger.warning(
                "Kolada gav inget användbart svar; serverar sparat svar hämtat %s: %s",
                _age_text(cached.fetched_at),
                exc,
            )
            self._note_stale(exc, cached)
            return self._serve_cached(cached, parse)
        self._store(answer)
        return result

    def _refresh(self, url: str, cached: CachedResponse, parse: _Parse[T], kind: str) -> list[T]:
        since = cached.fetched_at.astimezone(UTC).date().isoformat()
        started = datetime.now(UTC)
        try:
            changes, is_example = self._fetcher.fetch_all(with_params(url, {"from_date": since}), kind=kind)
            answer = CachedResponse(
                key=cached.key,
                values=merge_changes(cached.values, changes),
                fetched_at=started,
                is_example=cached.is_example or is_example,
            )
            result = _parse_answer(parse, answer, url)
        except KoladaError as exc:
            # Refreshing is best effort: the last good answer is still an answer, and stays in the cache.
            logger.warning(
                "Kunde inte uppdatera %s; använder sparade uppgifter hämtade %s: %s",
                url,
                _age_text(cached.fetched_at),
                exc,
            )
            self._note_stale(exc, cached)
            return self._serve_cached(cached, parse)
        self._store(answer)
        return result

    def _cached(self, key: str, kind: str) -> CachedResponse | None:
        """Return the cached answer to ``key`` if there is one that is still shaped like a Kolada answer."""
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is None:
            return None
        try:
            check_rows(cached.values, key, kind=kind)
        except KoladaDecodeError as exc:
            # Written by an older version that did not check: a lost copy, not an answer.
            logger.warning("Sparat svar på %s används inte: %s", key, exc)
            return None
        return cached

    def _note_stale(self, error: KoladaError, cached: CachedResponse) -> None:
        with self._lock:
            self._stats.stale = True
            self._stale_errors.append(error)
            if self._stale_oldest is None or cached.fetched_at < self._stale_oldest:
                self._stale_oldest = cached.fetched_at

    def _warn(self, message: str) -> None:
        logger.warning("%s", message)
        with self._lock:
            if message not in self._warnings:
                self._warnings.append(message)

    def _serve_cached(self, cached: CachedResponse, parse: _Parse[T]) -> list[T]:
        with self._lock:
            self._stats.cache_hits += 1
            if self._oldest_fetch is None or cached.fetched_at < self._oldest_fetch:
                self._oldest_fetch = cached.fetched_at
        return _parse_answer(parse, cached, cached.key)

    def _store(self, answer: CachedResponse) -> None:
        if self.cache is None:
            return
        try:
            self.cache.put(
                answer.key, answer.values, fetched_at=answer.fetched_at, is_example=answer.is_example
            )
        except KoladaCacheError as exc:
            # The answer is good; only keeping a copy failed (a read-only folder, a full disk).
            self._warn(
                f"{exc.message} Uppgifterna från Kolada används ändå, men sparas inte till nästa gång."
            )


def _age_text(fetched_at: datetime, now: datetime | None = None) -> str:
    """Say when and how long ago: "2026-03-01 09:30 UTC, för 3 dagar sedan"."""
    age = (now or datetime.now(UTC)) - fetched_at
    when = fetched_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    minutes = max(0, int(age.total_seconds() // 60))
    if minutes < 60:
        ago = "nyss" if minutes < 1 else f"för {minutes} {'minut' if minutes == 1 else 'minuter'} sedan"
    elif minutes < 48 * 60:
        hours = minutes // 60
        ago = f"för {hours} {'timme' if hours == 1 else 'timmar'} sedan"
    else:
        days = minutes // (24 * 60)
        ago = f"för {days} dagar sedan"
    return f"{when}, {ago}"


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
