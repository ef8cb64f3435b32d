"""Exceptions raised by the Kolada client, all with a Swedish message that names the URL.

Our exception hierarchy:

* KoladaError
  + KoladaTransportError - the request got no usable answer, after all retries.
    · KoladaTimeoutError - Kolada did not answer within the timeout.
      - KoladaDeadlineError - the deadline for the whole fetch passed (``deadline``).
    · KoladaConnectionError - the connection failed or broke off.
  + KoladaHTTPError - Kolada answered with an error status (4xx, or 429/5xx after all retries).
  + KoladaDecodeError - the body was truncated, not JSON, or not shaped like a Kolada answer.
    · KoladaShapeError - valid JSON, but a field is missing or of the wrong type, or a number is not
      finite (``true``, ``NaN``, ``Infinity`` where a value belongs).
    · KoladaIncompleteError - a page holds fewer (or more) rows than its ``count`` says.
    · KoladaPagingError - ``next_url`` leads to another host, back to a page already read, or on
      for more pages than a query may have.
  + KoladaOfflineError - offline mode, and the query is not in the cache.
  + KoladaCacheError - the cache file cannot be opened, read or written.

``KoladaError`` is also raised for a bad base URL (``default_base_url()``). Catch ``KoladaError``
to report any of them: ``message`` is ready to show to a user.
"""

from __future__ import annotations

__all__ = [
    "KoladaCacheError",
    "KoladaConnectionError",
    "KoladaDeadlineError",
    "KoladaDecodeError",
    "KoladaError",
    "KoladaHTTPError",
    "KoladaIncompleteError",
    "KoladaOfflineError",
    "KoladaPagingError",
    "KoladaShapeError",
    "KoladaTimeoutError",
    "KoladaTransportError",
]


class KoladaError(Exception):
    """Base class: something went wrong getting figures from Kolada.

    ``url`` is the URL concerned, or ``None`` when the error is not about one request.
    """

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class KoladaTransportError(KoladaError):
    """The request got no answer at all (timeout or broken connection), after all retries."""


class KoladaTimeoutError(KoladaTransportError):
    """Kolada did not answer within the timeout."""


class KoladaDeadlineError(KoladaTimeoutError):
    """The deadline for the whole fetch passed before Kolada gave a complete answer.

    ``last_error`` is the failure of the last attempt, if one was made.
    """

    def __init__(
        self, message: str, *, url: str | None = None, last_error: KoladaError | None = None
    ) -> None:
        super().__init__(message, url=url)
        self.last_error = last_error


class KoladaConnectionError(KoladaTransportError):
    """The connection to Kolada could not be opened or broke off before the answer was complete."""


class KoladaHTTPError(KoladaError):
    """Kolada answered with an error status.

    ``status_code`` is the HTTP status and ``detail`` the server's explanation (the JSON ``detail``
    when there is one, else the start of the body).
    """

    def __init__(self, message: str, *, url: str, status_code: int, detail: str = "") -> None:
        super().__init__(message, url=url)
        self.status_code = status_code
        self.detail = detail

    @property
    def is_retryable(self) -> bool:
        """Return whether a later attempt may succeed: 429 (too fast) and 5xx (server trouble)."""
        return self.status_code == 429 or self.status_code >= 500


class KoladaDecodeError(KoladaError):
    """The answer was truncated, not JSON, or not shaped like a Kolada answer."""


class KoladaShapeError(KoladaDecodeError):
    """The page is valid JSON but not shaped like a Kolada answer: a required field is missing or of the
    wrong type, or a number is not finite (``true``, ``NaN`` or ``Infinity`` where a value belongs)."""


class KoladaIncompleteError(KoladaDecodeError):
    """A page holds fewer (or more) rows than its ``count`` says: cut short on the way, or inconsistent."""


class KoladaPagingError(KoladaDecodeError):
    """Following ``next_url`` went wrong: another host, a page read before, or too many pages."""


class KoladaOfflineError(KoladaError):
    """Offline mode was asked for and the query is not in the cache; ``url`` names the query."""


class KoladaCacheError(KoladaError):
    """The cache file cannot be opened, read or written; ``path`` names it.

    ``operation`` is ``"open"``, ``"read"`` or ``"write"``; ``reason`` the underlying error's text
    (``"database or disk is full"``, ``"attempt to write a readonly database"``, …).
    """

    def __init__(self, message: str, *, path: str, operation: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.operation = operation
        self.reason = reason
