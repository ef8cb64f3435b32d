"""Fetching one logical Kolada query: rate limit, retries with backoff, a deadline, every page, checked JSON."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final
from urllib.parse import urljoin, urlsplit

import httpx

from barnbokslut import __version__
from barnbokslut.kolada._errors import (
    KoladaConnectionError,
    KoladaDeadlineError,
    KoladaDecodeError,
    KoladaError,
    KoladaHTTPError,
    KoladaIncompleteError,
    KoladaPagingError,
    KoladaShapeError,
    KoladaTimeoutError,
)
from barnbokslut.kolada._ratelimit import RateLimiter
from barnbokslut.kolada._types import JSONDict
from barnbokslut.kolada._urls import origin, page_identity, with_params
from barnbokslut.kolada._validate import check_count, check_rows, decode_page

__all__ = ["DEADLINE_ENV", "EXAMPLE_HEADER", "MAX_PAGES", "RATE_ENV", "Fetcher", "Progress", "RequestStats"]

logger = logging.getLogger("barnbokslut.kolada")

#: Our own server marks generated values with this header; such values are labelled "Exempeldata".
EXAMPLE_HEADER: Final = "X-Barnbokslut-Exempeldata"
# A server asking for a longer pause than this is down for maintenance, not briefly overloaded:
# give up and report it rather than hang.
_MAX_RETRY_AFTER: Final = 300.0
#: The most pages one query may have. A real query has at most a few dozen pages of 5000 rows;
#: more means a server that keeps sending new links.
MAX_PAGES: Final = 200
#: A page that is well-formed JSON but wrong (short, missing fields, NaN) is asked for again at most this
#: often: a proxy may have cut it once, but a server that sends it twice more will not mend.
_BAD_PAGE_RETRIES: Final = 2
#: The environment variable that sets the deadline for a whole fetch, in seconds.
DEADLINE_ENV: Final = "BARNBOKSLUT_KOLADA_DEADLINE"
#: The environment variable that sets the most requests per second a client sends.
RATE_ENV: Final = "BARNBOKSLUT_KOLADA_RATE"

#: Receives the progress lines meant for the user while the client waits and retries.
Progress = Callable[[str], None]


@dataclass
class RequestStats:
    """What a client has done so far.

    ``requests`` counts HTTP requests sent (every page and every retry), ``cache_hits`` the
    queries answered from the cache, ``retries`` the requests repeated after a failure, and
    ``stale`` is true once an answer older than wished for was served because Kolada failed.
    """

    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    stale: bool = False


class Fetcher:
    """Send GET requests to Kolada the way the client promises: paced, retried, checked and complete.

    ``fetch_all(url, kind=...)`` returns the ``values`` of every page of one query, or raises; it
    counts requests and retries in ``stats``. Every page is checked against the shape of a Kolada
    answer before it is accepted (``_validate``); ``next_url`` is followed only on the origin of
    ``base_url``, never to a page already read and for at most ``max_pages`` pages. ``deadline``
    (seconds, from the first request, ``None``: none) bounds all requests together: no attempt
    waits or runs past it. ``progress`` is told, in Swedish, when an attempt failed and the
    next one is waited for, and when an answer takes longer than ``slow_notice`` seconds.
    Safe to use from several threads.
    """

    def __init__(
        self,
        *,
        stats: RequestStats,
        base_url: str,
        timeout: float,
        max_requests_per_second: float | None,
        max_retries: int,
        backoff_base: float,
        backoff_cap: float,
        transport: httpx.BaseTransport | None,
        sleep: Callable[[float], None],
        deadline: float | None = None,
        max_pages: int = MAX_PAGES,
        progress: Progress | None = None,
        slow_notice: float | None = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries kan inte vara negativt: {max_retries}")
        if deadline is not None and not deadline > 0:
            raise ValueError(f"Tidsgränsen måste vara större än 0 sekunder, inte {deadline}")
        if max_pages < 1:
            raise ValueError(f"max_pages måste vara minst 1, inte {max_pages}")
        self._stats = stats
        self._origin = origin(base_url)
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.deadline = deadline
        self.max_pages = max_pages
        self._progress = progress
        self.slow_notice = slow_notice
        self._clock = clock
        self._started: float | None = None
        self._sleep = sleep
        self._random = random.Random()
        self._limiter = RateLimiter(max_requests_per_second)
        self._lock = threading.Lock()
        self._http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            headers={"Accept": "application/json", "User-Agent": f"barnbokslut/{__version__}"},
            # Every request, redirects included, stays on Kolada's origin.
            event_hooks={"request": [self._check_origin]},
        )

    def close(self) -> None:
        self._http.close()

    def fetch_all(self, url: str, *, kind: str = "data") -> tuple[list[JSONDict], bool]:
        """Return the values of every page of ``url`` and whether any page was example data.

        ``kind`` says what the rows are (``"data"``, ``"oudata"`` or a metadata entity such as
        ``"kpi"``) and so how they are checked. Raises on the first page that fails after its
        retries, on a page that leads elsewhere or back, and when the deadline passes: nothing
        partial escapes.
        """
        values: list[JSONDict] = []
        is_example = False
        seen = {page_identity(url)}
        current = url
        for _ in range(self.max_pages):
            payload, example, following = self._get_page(current, kind=kind, received=len(values))
            values += payload["values"]
            is_example = is_example or example
            if following is None:
                return values, is_example
            self._check_next(following, current, url)
            identity = page_identity(following)
            if identity in seen:
                raise KoladaPagingError(
                    f"Kolada skickade samma sida två gånger ({following}) för {url}; avbryter i stället för "
                    "att läsa den igen.",
                    url=url,
                )
            seen.add(identity)
            current = following
        raise KoladaPagingError(
            f"Kolada skickade fler än {self.max_pages} sidor för {url}; avbryter (nästa sida skulle bli "
            f"{current}).",
            url=url,
        )

    def _check_next(self, following: str, current: str, url: str) -> None:
        try:
            where = origin(following)
        except ValueError:
            where = None
        if where != self._origin:
            raise KoladaPagingError(
                f"Kolada pekade ut nästa sida på en annan adress ({following}) än {_origin_text(self._origin)} "
                f"på {current}; den följs inte och svaret på {url} används inte.",
                url=url,
            )

    def _check_origin(self, request: httpx.Request) -> None:
        where = origin(str(request.url))
        if where != self._origin:
            raise _ForeignRequest(str(request.url))

    def _remaining(self) -> float | None:
        """Return the seconds left before the deadline (starting its clock), or ``None`` without one."""
        if self.deadline is None:
            return None
        now = self._clock()
        with self._lock:
            if self._started is None:
                self._started = now
            return self._started + self.deadline - now

    def _get_page(self, url: str, *, kind: str, received: int) -> tuple[JSONDict, bool, str | None]:
        attempt = 0
        bad_pages = 0
        error: KoladaError | None = None
        while True:
            remaining = self._remaining()
            if remaining is not None and remaining <= 0:
                raise self._deadline_error(url, error, attempt)
            self._limiter.acquire()
            with self._lock:
                self._stats.requests += 1
            retry_after: float | None = None
            timeout = self.timeout if remaining is None else max(0.001, min(self.timeout, remaining))
            outcome = self._send(url, timeout=timeout, attempt=attempt)
            if isinstance(outcome, KoladaPagingError):
                raise outcome
            if isinstance(outcome, KoladaError):
                error = outcome
            elif outcome.is_success:
                try:
                    payload = decode_page(outcome.content, url)
                    following = _next_page(payload, url)
                    check_count(payload, url, received=received, has_next=following is not None)
                    check_rows(payload["values"], url, kind=kind, first_row=received + 1)
                    return payload, _is_example(outcome), following
                except KoladaDecodeError as exc:
                    error = exc
                    if isinstance(exc, KoladaShapeError | KoladaIncompleteError):
                        bad_pages += 1
            else:
                http_error = _http_error(outcome, url)
                if not http_error.is_retryable:
                    raise http_error
                error = http_error
                retry_after = _retry_after(outcome.headers.get("Retry-After"))
            remaining = self._remaining()
            if remaining is not None and remaining <= 0:
                raise self._deadline_error(url, error, attempt + 1)
            if attempt >= self.max_retries or bad_pages > _BAD_PAGE_RETRIES:
                raise _given_up(error, attempt + 1)
            if retry_after is not None and retry_after > _MAX_RETRY_AFTER:
                raise _given_up(error, attempt + 1, note=f"Kolada bad oss vänta {retry_after:.0f} s")
            delay = retry_after if retry_after is not None else self._backoff(attempt)
            if remaining is not None and delay >= remaining:
                raise self._deadline_error(url, error, attempt + 1)
            logger.info("Försök %d misslyckades (%s); väntar %.2f s", attempt + 1, error.message, delay)
            self._tell(
                f"Väntar på Kolada … försök {attempt + 2} av {self.max_retries + 1} om {_seconds(delay)} "
                f"({_short_reason(error)})"
            )
            with self._lock:
                self._stats.retries += 1
            self._sleep(delay)
            attempt += 1

    def _deadline_error(self, url: str, last: KoladaError | None, attempts: int) -> KoladaDeadlineError:
        limit = f"Tidsgränsen på {_seconds(self.deadline or 0)} för hela hämtningen från Kolada"
        if last is None:
            message = f"{limit} har passerats; {url} frågades inte."
        else:
            message = (
                f"{limit} nåddes efter {attempts} försök på {url}; senast: {last.message} "
                f"(tidsgränsen ändras med miljövariabeln {DEADLINE_ENV})"
            )
        error = KoladaDeadlineError(message, url=url, last_error=last)
        if last is not None:
            error.__cause__ = last
        return error

    def _tell(self, message: str) -> None:
        if self._progress is not None:
            self._progress(message)

    def _send(self, url: str, *, timeout: float, attempt: int) -> httpx.Response | KoladaError:
        """Send one GET and read its whole body; return the response, or the error to retry on."""
        notice: threading.Timer | None = None
        if self._progress is not None and self.slow_notice is not None and self.slow_notice < timeout:
            waited = self.slow_notice
            notice = threading.Timer(
                waited,
                self._tell,
                args=(
                    f"Väntar på Kolada … inget svar efter {_seconds(waited)} "
                    f"(försök {attempt + 1} av {self.max_retries + 1}, ger upp efter {_seconds(timeout)})",
                ),
            )
            notice.daemon = True
            notice.start()
        try:
            with self._http.stream("GET", url, timeout=timeout) as response:
                try:
                    response.read()
                except httpx.TimeoutException as exc:
                    return _timeout_error(url, timeout, exc)
                except (httpx.TransportError, httpx.DecodingError) as exc:
                    # The headers came but the body broke off: the answer is truncated.
                    message = f"Kolada skickade ett avbrutet svar på {url}: {_reason(exc)}"
                    return _with_cause(KoladaDecodeError(message, url=url), exc)
                return response
        except _ForeignRequest as exc:
            message = (
                f"Kolada skickade oss vidare till en annan adress ({exc.url}) än "
                f"{_origin_text(self._origin)} på {url}; den följs inte."
            )
            return KoladaPagingError(message, url=url)
        except httpx.TimeoutException as exc:
            return _timeout_error(url, timeout, exc)
        except httpx.RequestError as exc:
            message = f"Anslutningen till Kolada misslyckades på {url}: {_reason(exc)}"
            return _with_cause(KoladaConnectionError(message, url=url), exc)
        finally:
            if notice is not None:
                notice.cancel()

    def _backoff(self, attempt: int) -> float:
        # Full jitter (AWS "Exponential Backoff And Jitter"): clients that failed together do
        # not come back together.
        return self._random.uniform(0.0, min(self.backoff_cap, self.backoff_base * 2**attempt))


class _ForeignRequest(Exception):
    """Raised by the request hook for a request (a redirect) that would leave Kolada's origin."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def _origin_text(where: tuple[str, str, int | None]) -> str:
    scheme, host, port = where
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"


def _seconds(value: float) -> str:
    """Seconds the Swedish way: "0,4 s", "12 s"."""
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return text.replace(".", ",").removesuffix(",0") + " s"


def _short_reason(error: KoladaError) -> str:
    if isinstance(error, KoladaHTTPError):
        return f"Kolada svarade {error.status_code}"
    if isinstance(error, KoladaTimeoutError):
        return "inget svar i tid"
    if isinstance(error, KoladaConnectionError):
        return "anslutningen misslyckades"
    if isinstance(error, KoladaIncompleteError):
        return "sidan var ofullständig"
    if isinstance(error, KoladaShapeError):
        return "svaret hade fel form"
    return "svaret var avbrutet eller ogiltigt"


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _with_cause(error: KoladaError, cause: Exception) -> KoladaError:
    error.__cause__ = cause
    return error


def _timeout_error(url: str, timeout: float, cause: Exception) -> KoladaError:
    return _with_cause(
        KoladaTimeoutError(f"Kolada svarade inte inom {round(timeout, 2):g} s på {url}", url=url), cause
    )


def _next_page(payload: JSONDict, current: str) -> str | None:
    """Return the URL of the next page, as the server gave it (``next_url``, or the older ``next_page``)."""
    link = payload.get("next_url") or payload.get("next_page")
    if not link:
        return None
    if isinstance(link, str):
        # Absolute, as Kolada sends it: used untouched. Relative links are resolved, not rebuilt.
        return link if urlsplit(link).scheme else urljoin(current, link)
    if isinstance(link, int) and not isinstance(link, bool):
        return with_params(current, {"page": str(link)})
    message = f"Kolada skickade en ogiltig länk till nästa sida på {current}: {link!r}"
    raise KoladaDecodeError(message, url=current)


def _is_example(response: httpx.Response) -> bool:
    return response.headers.get(EXAMPLE_HEADER, "").strip().lower() in ("1", "true", "yes")


def _http_error(response: httpx.Response, url: str) -> KoladaHTTPError:
    detail = ""
    try:
        payload = json.loads(response.content)
    except ValueError:
        payload = None
    if isinstance(payload, dict) and payload.get("detail") is not None:
        raw = payload["detail"]
        detail = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
    if not detail:
        detail = response.text.strip()[:300] or response.reason_phrase
    return KoladaHTTPError(
        f"Kolada svarade {response.status_code} på {url}: {detail}",
        url=url,
        status_code=response.status_code,
        detail=detail,
    )


def _retry_after(value: str | None) -> float | None:
    """Return the wait asked for by a ``Retry-After`` header (seconds or an HTTP date), or ``None``."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _given_up(error: KoladaError, attempts: int, *, note: str = "") -> KoladaError:
    # Each attempt makes its own error object, so the last one can take the tally.
    suffix = f" ({note}; gav upp efter {attempts} försök)" if note else f" (gav upp efter {attempts} försök)"
    error.message += suffix
    error.args = (error.message,)
    return error
