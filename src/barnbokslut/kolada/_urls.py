"""Build Kolada v3 URLs: metadata and data paths, id lists split into segments, cache keys.

Kolada takes a comma-separated list in each path segment, at most 25 ids long. A longer list
is split into the fewest chunks of nearly equal size, and a data query becomes the cartesian
product of the chunks of its segments: 60 municipalities and 2 KPIs make 3 requests.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
from collections.abc import Iterable, Sequence
from typing import TypeAlias
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from barnbokslut.kolada._errors import KoladaError
from barnbokslut.kolada._types import IdArg, YearArg

__all__ = [
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "MAX_IDS_PER_SEGMENT",
    "PAGING_PARAMS",
    "PER_PAGE",
    "cache_key",
    "chunked",
    "data_urls",
    "default_base_url",
    "metadata_urls",
    "normalize_base_url",
    "normalize_ids",
    "normalize_years",
    "origin",
    "oudata_urls",
    "page_identity",
    "with_params",
]

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
BASE_URL_ENV = "BARNBOKSLUT_KOLADA_URL"
MAX_IDS_PER_SEGMENT = 25
PER_PAGE = 5000
#: A path segment: its name, the ids asked for (None: leave it out) and what to call an id in errors.
_Segment: TypeAlias = tuple[str, IdArg | None, str]
#: Query parameters that do not change what a query means, only how it is delivered.
PAGING_PARAMS = frozenset({"page", "per_page", "from_date"})


def default_base_url() -> str:
    """Return the Kolada base URL: ``$BARNBOKSLUT_KOLADA_URL`` if set, else ``DEFAULT_BASE_URL``.

    Raises ``KoladaError`` when the variable is set but is not an http(s) URL.
    """
    value = os.environ.get(BASE_URL_ENV, "").strip()
    if not value:
        return DEFAULT_BASE_URL
    try:
        return normalize_base_url(value)
    except KoladaError as exc:
        raise KoladaError(f"Miljövariabeln {BASE_URL_ENV} är ogiltig: {exc.message}") from exc


def normalize_base_url(url: str) -> str:
    """Return ``url`` without a trailing slash, query or fragment; raise ``KoladaError`` if not http(s)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise KoladaError(f"{url!r} är ingen http- eller https-adress, t.ex. {DEFAULT_BASE_URL}", url=url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


def normalize_ids(ids: IdArg, *, what: str = "id") -> list[str]:
    """Return the ids as a sorted list of unique, stripped strings.

    A single string is one id. Sorting makes the same set of ids give the same URLs, and so the
    same cache entries, whatever order the caller used.
    """
    items = [ids] if isinstance(ids, str) else list(ids)
    result: set[str] = set()
    for item in items:
        text = str(item).strip()
        if not text or "," in text or "/" in text:
            raise ValueError(f"Ogiltigt {what} för Kolada: {item!r}")
        result.add(text)
    return sorted(result)


def normalize_years(years: YearArg) -> list[str]:
    """Return the years as sorted unique strings; raise ``ValueError`` for one that is not a year."""
    items = [years] if isinstance(years, int | str) else list(years)
    result: set[int] = set()
    for item in items:
        try:
            result.add(int(str(item).strip()))
        except ValueError:
            raise ValueError(f"Ogiltigt år för Kolada: {item!r}") from None
    return [str(year) for year in sorted(result)]


def chunked(ids: Sequence[str], size: int = MAX_IDS_PER_SEGMENT) -> list[list[str]]:
    """Split ``ids`` into the fewest chunks of at most ``size``, as even in length as possible.

    ``chunked([str(i) for i in range(60)])`` gives three chunks of 20.
    """
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    if not ids:
        return []
    count = math.ceil(len(ids) / size)
    base, extra = divmod(len(ids), count)
    chunks: list[list[str]] = []
    start = 0
    for index in range(count):
        end = start + base + (1 if index < extra else 0)
        chunks.append(list(ids[start:end]))
        start = end
    return chunks


def _segment(values: Iterable[str]) -> str:
    return ",".join(quote(value, safe="") for value in values)


def with_params(url: str, params: dict[str, str]) -> str:
    """Return ``url`` with ``params`` set in its query (replacing any of the same name)."""
    if not params:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query.extend(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def cache_key(url: str) -> str:
    """Return the logical query behind ``url``: without paging parameters, the query sorted.

    Every page of one query, and its incremental refreshes, share this key.
    """
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = sorted((k, v) for k, v in pairs if k not in PAGING_PARAMS)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, urlencode(query), ""))


_DEFAULT_PORTS = {"http": 80, "https": 443}
#: Parameters whose value is a number: ``page=02`` and ``page=2`` are the same page.
_NUMERIC_PARAMS = frozenset({"page", "per_page"})


def origin(url: str) -> tuple[str, str, int | None]:
    """Return ``(scheme, host, port)`` of ``url``, the port filled in for http and https; lower case.

    Raises ``ValueError`` for a port that is not a number.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port
    return scheme, (parts.hostname or "").lower(), port if port is not None else _DEFAULT_PORTS.get(scheme)


def page_identity(url: str) -> tuple[object, ...]:
    """Return what a page URL asks for, however it is spelled.

    Case, percent-encoding, doubled slashes, the order of parameters and of the ids in a
    comma-separated list, leading zeros in ``page`` and a left-out ``page=1`` make no difference:
    two URLs with the same identity ask for the same page.
    """
    parts = urlsplit(url)
    segments = tuple(_sorted_list(unquote(segment)) for segment in parts.path.split("/") if segment)
    query: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        name = key.strip().casefold()
        if name in _NUMERIC_PARAMS:
            with contextlib.suppress(ValueError):
                value = str(int(value))
        query[name] = _sorted_list(value)
    query.setdefault("page", "1")
    try:
        where: tuple[object, ...] = origin(url)
    except ValueError:
        where = (parts.scheme.lower(), parts.netloc.lower())
    return (*where, segments, tuple(sorted(query.items())))


def _sorted_list(text: str) -> str:
    return ",".join(sorted(item.strip() for item in text.casefold().split(",")))


def metadata_urls(
    base_url: str,
    entity: str,
    ids: IdArg | None = None,
    *,
    params: dict[str, str] | None = None,
) -> list[str]:
    """Return the URLs for a metadata query: ``/kpi``, ``/kpi/N1,N2?title=…``, ``/ou?municipality=…``.

    ``ids=None`` asks for everything (filtered by ``params``); an empty list asks for nothing
    and gives no URL. The URLs carry ``per_page`` so that most answers fit in one page.
    """
    query = {k: v for k, v in (params or {}).items() if v is not None}
    query["per_page"] = str(PER_PAGE)
    root = f"{base_url}/{entity}"
    if ids is None:
        return [with_params(root, query)]
    return [with_params(f"{root}/{_segment(chunk)}", query) for chunk in chunked(normalize_ids(ids))]


def data_urls(
    base_url: str,
    kpis: IdArg | None,
    municipalities: IdArg | None,
    years: YearArg | None,
) -> list[str]:
    """Return the URLs of ``/data/kpi/<K>/municipality/<M>/year/<Y>``, any two segments or all three.

    ``None`` leaves a segment out (all of them); an empty list makes the query empty, so there
    are no URLs. Raises ``ValueError`` when fewer than two segments are given.
    """
    segments: list[_Segment] = [("kpi", kpis, "KPI"), ("municipality", municipalities, "kommun-id")]
    return _product_urls(f"{base_url}/data", segments, years, required=2)


def oudata_urls(base_url: str, kpis: IdArg, ous: IdArg, years: YearArg) -> list[str]:
    """Return the URLs of ``/oudata/kpi/<K>/ou/<OU>/year/<Y>`` (all three segments are required)."""
    segments: list[_Segment] = [("kpi", kpis, "KPI"), ("ou", ous, "enhets-id")]
    return _product_urls(f"{base_url}/oudata", segments, years, required=3)


def _product_urls(
    root: str, id_segments: list[_Segment], years: YearArg | None, *, required: int
) -> list[str]:
    segments: list[tuple[str, list[list[str]]]] = []
    for name, ids, what in id_segments:
        if ids is not None:
            segments.append((name, chunked(normalize_ids(ids, what=what))))
    if years is not None:
        segments.append(("year", chunked(normalize_years(years))))
    if len(segments) < required:
        names = "/".join(name for name, _, _ in id_segments) + "/year"
        raise ValueError(f"Kolada behöver minst {required} av segmenten {names}; bara {len(segments)} angavs")
    urls: list[str] = []
    for combination in itertools.product(*(chunks for _, chunks in segments)):
        pairs = zip(segments, combination, strict=True)
        path = "/".join(f"{name}/{_segment(chunk)}" for (name, _), chunk in pairs)
        urls.append(with_params(f"{root}/{path}", {"per_page": str(PER_PAGE)}))
    return urls
