"""The persistent cache of Kolada answers: one SQLite row per logical query, all pages merged."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

import platformdirs

from barnbokslut.kolada._errors import KoladaCacheError
from barnbokslut.kolada._types import JSONDict

__all__ = ["CachedResponse", "ResponseCache", "default_cache_path", "merge_changes", "row_key"]

# Bump when the table changes; an older file is then emptied, since it only holds copies.
_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    fetched_at TEXT NOT NULL,
    is_example INTEGER NOT NULL,
    "values" TEXT NOT NULL
)
"""

_UPSERT = 'INSERT OR REPLACE INTO responses (key, fetched_at, is_example, "values") VALUES (?, ?, ?, ?)'


def default_cache_path() -> Path:
    """Return where the cache lives unless told otherwise: ``<user data dir>/kolada-cache.sqlite3``."""
    return Path(platformdirs.user_data_dir("barnbokslut")) / "kolada-cache.sqlite3"


@dataclass(frozen=True)
class CachedResponse:
    """One cached answer: the ``values`` of all its pages, when they were fetched, and the example flag."""

    key: str
    values: list[JSONDict]
    fetched_at: datetime
    is_example: bool = False

    def age(self, now: datetime | None = None) -> timedelta:
        """Return how long ago the answer was fetched."""
        return (now or datetime.now(UTC)) - self.fetched_at


def row_key(row: JSONDict) -> tuple[str, str, str]:
    """Return what identifies a data row: (kpi, municipality or unit, period), the period as text."""
    area = row.get("municipality") or row.get("ou") or row.get("municipality_id") or ""
    period = row.get("period")
    try:
        period_text = str(int(str(period)))
    except ValueError:
        period_text = str(period)
    return (str(row.get("kpi") or ""), str(area), period_text)


def merge_changes(values: list[JSONDict], changes: list[JSONDict]) -> list[JSONDict]:
    """Return ``values`` with the rows of an incremental answer (``from_date``) merged in.

    A changed row replaces the row with the same ``row_key``, a new one is added at the end and a
    row marked ``isdeleted`` removes its key.
    """
    merged = {row_key(row): row for row in values}
    for row in changes:
        if row.get("isdeleted"):
            merged.pop(row_key(row), None)
        else:
            merged[row_key(row)] = row
    return list(merged.values())


class ResponseCache:
    """A SQLite file of Kolada answers, keyed by the logical query (the URL without paging parameters).

    ``ResponseCache("kolada.sqlite3")``   # creates the file and its folder if needed.
    ``ResponseCache()``                   # the default path, ``default_cache_path()``.

    Safe to share between threads of one process; several processes may use the same file
    (SQLite locks it). Close it, or use it as a context manager.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise self._error("kan inte öppnas", exc) from exc
        try:
            self._migrate()
        except sqlite3.Error as exc:
            self._connection.close()
            raise self._error("kan inte läsas", exc) from exc

    def _error(self, what: str, exc: Exception) -> KoladaCacheError:
        operation = {"kan inte öppnas": "open", "kan inte läsas": "read", "kan inte skrivas": "write"}[what]
        if operation == "read":
            advice = "Ta bort filen så hämtas uppgifterna från Kolada på nytt."
        else:
            # Not the file's fault: a read-only folder, a full disk, a path that is not a folder.
            advice = (
                f"Kontrollera att mappen {self.path.parent} finns, är skrivbar och att disken inte är full."
            )
        return KoladaCacheError(
            f"Cachefilen {self.path} {what}: {exc}. {advice}",
            path=str(self.path),
            operation=operation,
            reason=str(exc) or type(exc).__name__,
        )

    def _migrate(self) -> None:
        with self._connection:
            (version,) = self._connection.execute("PRAGMA user_version").fetchone()
            if version != _SCHEMA_VERSION:
                self._connection.execute("DROP TABLE IF EXISTS responses")
                self._connection.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
            self._connection.execute(_SCHEMA)

    def get(self, key: str) -> CachedResponse | None:
        """Return the cached answer to the query ``key``, or ``None`` if there is none."""
        try:
            with self._lock:
                row = self._connection.execute(
                    'SELECT fetched_at, is_example, "values" FROM responses WHERE key = ?', (key,)
                ).fetchone()
        except sqlite3.Error as exc:
            raise self._error("kan inte läsas", exc) from exc
        if row is None:
            return None
        fetched_at, is_example, values = row
        try:
            return CachedResponse(
                key=key,
                values=json.loads(values),
                fetched_at=datetime.fromisoformat(fetched_at),
                is_example=bool(is_example),
            )
        except (TypeError, ValueError):
            # A damaged row is only a lost copy: treat the query as not cached, so it is fetched again.
            return None

    def put(
        self, key: str, values: list[JSONDict], *, fetched_at: datetime, is_example: bool = False
    ) -> CachedResponse:
        """Store (or replace) the answer to the query ``key`` and return it.

        ``fetched_at`` must be timezone-aware; it is stored in UTC.
        """
        if fetched_at.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")
        fetched_at = fetched_at.astimezone(UTC)
        body = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
        try:
            with self._lock, self._connection:
                self._connection.execute(_UPSERT, (key, fetched_at.isoformat(), int(is_example), body))
        except sqlite3.Error as exc:
            raise self._error("kan inte skrivas", exc) from exc
        return CachedResponse(key=key, values=values, fetched_at=fetched_at, is_example=is_example)

    def delete(self, key: str) -> bool:
        """Forget the query ``key``; return whether it was cached."""
        with self._lock, self._connection:
            cursor = self._connection.execute("DELETE FROM responses WHERE key = ?", (key,))
        return cursor.rowcount > 0

    def clear(self) -> None:
        """Forget every cached answer."""
        with self._lock, self._connection:
            self._connection.execute("DELETE FROM responses")

    def keys(self) -> list[str]:
        """Return the keys of all cached queries, sorted."""
        with self._lock:
            return [key for (key,) in self._connection.execute("SELECT key FROM responses ORDER BY key")]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        with self._lock:
            (count,) = self._connection.execute("SELECT COUNT(*) FROM responses").fetchone()
        return int(count)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def close(self) -> None:
        """Close the SQLite connection; the file stays."""
        with self._lock:
            self._connection.close()

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ResponseCache({str(self.path)!r})"
