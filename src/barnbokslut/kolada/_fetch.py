"""Fetching one logical Kolada query: rate limit, retries with backoff, every page, decoded JSON."""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Final
from urllib.parse import urljoin, urlsplit

import httpx

from barnbokslut import __version__
from barnbokslut.kolada._errors import (
    KoladaConnectionError,
    KoladaDecodeError,
    KoladaError,
    KoladaHTTPError,
    KoladaTimeoutError,
)
from barnbokslut.kolada._ratelimit import RateLimiter
from barnbokslut.kolada._types import JSONDict
from barnbokslut.kolada._urls import with_params

__all__ = ["EXAMPLE_HEADER", "Fetcher", "RequestStats"]

logger = logging.getLogger("barnbokslut.kolada")

#: Our own server marks generated values with this header; such values are labelled "Exempeldata".
EXAMPLE_HEADER: Final = "X-Barnbokslut-Exempeldata"
# A server asking for a longer pause than this is down for maintenance, not briefly overloaded:
# give up and report it rather than hang.
_MAX_RETRY_AFTER: Final = 300.0


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
    """Send GET requests to Kolada the way the client promises: paced, retried and complete.

    ``fetch_all(url)`` returns the ``values`` of every page of one query, or raises; it counts
    requests and retries in ``stats``. Safe to use from several threads.
    """

    def __init__(
        self,
        *,
        stats: RequestStats,
        timeout: float,
        max_requests_per_second: float | None,
        max_retries: int,
        backoff_base: float,
        backoff_cap: float,
        transport: httpx.BaseTransport | None,
        sleep: Callable[[float], None],
    ) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries kan inte vara negativt: {max_retries}")
        self._stats = stats
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._sleep = sleep
        self._random = random.Random()
        self._limiter = RateLimiter(max_requests_per_second)
        self._lock = threading.Lock()
        self._http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            headers={"Accept": "application/json", "User-Agent": f"barnbokslut/{__version__}"},
        )

    def close(self) -> None:
        self._http.close()

    def fetch_all(self, url: str) -> tuple[list[JSONDict], bool]:
        """Return the values of every page of ``url`` and whether any page was example data.

        Raises on the first page that fails after its retries, so nothing partial escapes.
        """
        values: list[JSONDict] = []
        is_example = False
        seen = {url}
        next_url: str | None = url
        while next_url is not None:
            payload, example = self._get_page(next_url)
            values += payload["values"]
            is_example = is_example or example
            following = _next_page(payload, next_url)
            if following is not None and following in seen:
                raise KoladaDecodeError(
                    f"Kolada skickade samma sida två gånger ({following}) för {url}; avbryter.", url=url
                )
            if following is not None:
                seen.add(following)
            next_url = following
        return values, is_example

    def _get_page(self, url: str) -> tuple[JSONDict, bool]:
        attempt = 0
        while True:
            self._limiter.acquire()
            with self._lock:
                self._stats.requests += 1
            retry_after: float | None = None
            outcome = self._send(url)
            if isinstance(outcome, KoladaError):
                error = outcome
            elif outcome.is_success:
                try:
                    return _decode(outcome, url), _is_example(outcome)
                except KoladaDecodeError as exc:
                    error = exc
            else:
                http_error = _http_error(outcome, url)
                if not http_error.is_retryable:
                    raise http_error
                error = http_error
                retry_after = _retry_after(outcome.headers.get("Retry-After"))
            if attempt >= self.max_retries:
                raise _given_up(error, attempt + 1)
            if retry_after is not None and retry_after > _MAX_RETRY_AFTER:
                raise _given_up(error, attempt + 1, note=f"Kolada bad oss vänta {retry_after:.0f} s")
            delay = retry_after if retry_after is not None else self._backoff(attempt)
            logger.info("Försök %d misslyckades (%s); väntar %.2f s", attempt + 1, error.message, delay)
            with self._lock:
                self._stats.retries += 1
            self._sleep(delay)
            attempt += 1

    def _send(self, url: str) -> httpx.Response | KoladaError:
        """Send one GET and read its whole body; return the response, or the error to retry on."""
        try:
            with self._http.stream("GET", url) as response:
                try:
                    response.read()
                except httpx.TimeoutException as exc:
                    return _timeout_error(url, self.timeout, exc)
                except (httpx.TransportError, httpx.DecodingError) as exc:
                    # The headers came but the body broke off: the answer is truncated.
                    message = f"Kolada skickade ett avbrutet svar på {url}: {_reason(exc)}"
                    return _with_cause(KoladaDecodeError(message, url=url), exc)
                return response
        except httpx.TimeoutException as exc:
            return _timeout_error(url, self.timeout, exc)
        except httpx.RequestError as exc:
            message = f"Anslutningen till Kolada misslyckades på {url}: {_reason(exc)}"
            return _with_cause(KoladaConnectionError(message, url=url), exc)

    def _backoff(self, attempt: int) -> float:
        # Full jitter (AWS "Exponential Backoff And Jitter"): clients that failed together do
        # not come back together.
        return self._random.uniform(0.0, min(self.backoff_cap, self.backoff_base * 2**attempt))


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _with_cause(error: KoladaError, cause: Exception) -> KoladaError:
    error.__cause__ = cause
    return error


def _timeout_error(url: str, timeout: float, cause: Exception) -> KoladaError:
    return _with_cause(KoladaTimeoutError(f"Kolada svarade inte inom {timeout:g} s på {url}", url=url), cause)


def _decode(response: httpx.Response, url: str) -> JSONDict:
    try:
        payload: Any = json.loads(response.content)
    except ValueError as exc:
        raise KoladaDecodeError(
            f"Kolada skickade ett avbrutet eller ogiltigt JSON-svar på {url}: {exc}", url=url
        ) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("values"), list):
        raise KoladaDecodeError(
            f'Kolada skickade ett svar utan listan "values" på {url}: {response.text[:200]!r}', url=url
        )
    return payload


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
