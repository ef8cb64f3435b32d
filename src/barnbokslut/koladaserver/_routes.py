"""Answers Kolada API v3 URLs (metadata, /data, /oudata) from a loaded snapshot, in Kolada's paging envelope.

Errors are JSON `{"detail": "..."}`: 400 for bad parameters (more than 25 ids in a list, a non-integer year,
a bad page, per_page or from_date, fewer than two of the three data dimensions), 404 for an unknown path,
405 for a method other than GET.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from ._data import DataQuery, DataSelector
from ._snapshot import MetaItem, Snapshot, StoredRow, encode_json

MAX_IDS = 25
MAX_PER_PAGE = 5000
EXAMPLE_HEADER = "X-Barnbokslut-Exempeldata"
JSON_TYPE = "application/json; charset=utf-8"
_T = TypeVar("_T")

_META_ROUTES = ("kpi", "kpi_groups", "municipality", "municipality_groups", "ou")
_DATA_DIMENSIONS = {
    "data": {"kpi": "kpi_id", "municipality": "municipality_id", "year": "year"},
    "oudata": {"kpi": "kpi_id", "ou": "ou_id", "year": "year"},
}


@dataclass(slots=True)
class Response:
    """A complete HTTP response: status, body and extra headers (Content-Type/-Length are added later)."""

    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = JSON_TYPE


class ApiError(Exception):
    """A request the API refuses; becomes `{"detail": message}` with `status`."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def error_response(status: int, detail: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, encode_json({"detail": detail}), headers or [])


class Api:
    """Maps a GET request (raw path with query, Host header) to a `Response`."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._data = DataSelector(
            snapshot.data, area_key="municipality", group_members=snapshot.group_members
        )
        self._oudata = DataSelector(snapshot.oudata, area_key="ou")
        self._meta: dict[str, list[MetaItem]] = {
            "kpi": snapshot.kpis,
            "kpi_groups": snapshot.kpi_groups,
            "municipality": snapshot.municipalities,
            "municipality_groups": snapshot.municipality_groups,
            "ou": snapshot.ous,
        }

    def answer(self, raw_path: str, host: str) -> Response:
        try:
            return self._answer(raw_path, host)
        except ApiError as exc:
            return error_response(exc.status, exc.detail)

    def _answer(self, raw_path: str, host: str) -> Response:
        split = urlsplit(raw_path)
        pairs = parse_qsl(split.query, keep_blank_values=True)
        params: dict[str, list[str]] = {}
        for key, value in pairs:
            params.setdefault(key, []).append(value)
        segments = [unquote(part) for part in split.path.split("/") if part]
        if not segments or segments[0] != "v3" or len(segments) < 2:
            raise ApiError(404, f"Not found: {split.path}")
        route, rest = segments[1], segments[2:]
        page = _Page.parse(params, host, split.path, pairs)
        if route in _META_ROUTES and len(rest) <= 1:
            return self._metadata(route, rest[0] if rest else None, params, page)
        if route in _DATA_DIMENSIONS:
            return self._data_route(route, rest, params, page)
        raise ApiError(404, f"Not found: {split.path}")

    def _metadata(self, route: str, ids: str | None, params: dict[str, list[str]], page: _Page) -> Response:
        items: Sequence[MetaItem] = self._meta[route]
        if ids is not None:
            wanted = set(_id_list([ids], route))
            items = [item for item in items if item.id in wanted]
        title = _single(params, "title")
        if title:
            needle = title.casefold()
            items = [item for item in items if needle in item.title_folded]
        if route == "municipality" and _single(params, "type"):
            types = set(_id_list(params["type"], "type"))
            items = [item for item in items if str(item.item.get("type")) in types]
        if route == "ou" and "municipality" in params:
            municipalities = set(_id_list(params["municipality"], "municipality"))
            items = [item for item in items if str(item.item.get("municipality")) in municipalities]
        return page.envelope(len(items), [item.encoded for item in page.slice(items)])

    def _data_route(self, route: str, rest: list[str], params: dict[str, list[str]], page: _Page) -> Response:
        dimensions = _DATA_DIMENSIONS[route]
        area_name = "municipality" if route == "data" else "ou"
        given: dict[str, list[str]] = {}
        if len(rest) % 2:
            raise ApiError(404, f"Not found: /v3/{route}/{'/'.join(rest)}")
        for index in range(0, len(rest), 2):
            name, value = rest[index], rest[index + 1]
            if name not in dimensions or name in given:
                raise ApiError(404, f"Not found: /v3/{route}/{'/'.join(rest)}")
            given[name] = [value]
        for name, param in dimensions.items():
            if param in params:
                if name in given:
                    raise ApiError(400, f"{name} is given both in the path and as ?{param}=")
                given[name] = params[param]
        if len(given) < 2:
            names = ", ".join(dimensions)
            raise ApiError(400, f"Give at least two of {names} (as path segments or query parameters)")
        kpis = tuple(_id_list(given["kpi"], "kpi")) if "kpi" in given else None
        areas = tuple(_id_list(given[area_name], area_name)) if area_name in given else None
        years = tuple(_years(given["year"])) if "year" in given else None
        query = DataQuery(kpis=kpis, areas=areas, years=years, from_date=_from_date(params))
        selector = self._data if route == "data" else self._oudata
        rows = selector.select(query)
        shown: list[StoredRow] = page.slice(rows)
        response = page.envelope(len(rows), [row.encoded for row in shown])
        if any(row.example for row in shown):
            response.headers.append((EXAMPLE_HEADER, "1"))
        return response


@dataclass(frozen=True, slots=True)
class _Page:
    """The requested page and how to build the URLs of its neighbours."""

    number: int
    size: int
    base: str
    pairs: list[tuple[str, str]]

    @classmethod
    def parse(cls, params: dict[str, list[str]], host: str, path: str, pairs: list[tuple[str, str]]) -> _Page:
        number = _int_param(params, "page", 1)
        size = _int_param(params, "per_page", MAX_PER_PAGE)
        if number < 1:
            raise ApiError(400, f"page must be 1 or more, got {number}")
        if not 1 <= size <= MAX_PER_PAGE:
            raise ApiError(400, f"per_page must be between 1 and {MAX_PER_PAGE}, got {size}")
        return cls(number=number, size=size, base=f"http://{host}{path}", pairs=pairs)

    def slice(self, items: Sequence[_T]) -> list[_T]:
        start = (self.number - 1) * self.size
        return list(items[start : start + self.size])

    def url(self, number: int) -> str:
        pairs = [(key, value) for key, value in self.pairs if key != "page"]
        pairs.append(("page", str(number)))
        return f"{self.base}?{urlencode(pairs, safe=',', quote_via=quote)}"

    def envelope(self, count: int, encoded: list[bytes]) -> Response:
        has_next = self.number * self.size < count
        next_url = self.url(self.number + 1) if has_next else None
        previous_url = self.url(self.number - 1) if self.number > 1 else None
        body = b"".join(
            (
                b'{"count":',
                str(count).encode(),
                b',"values":[',
                b",".join(encoded),
                b'],"next_url":',
                encode_json(next_url),
                b',"previous_url":',
                encode_json(previous_url),
                b"}",
            )
        )
        return Response(200, body)


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[-1] if values else None


def _int_param(params: dict[str, list[str]], name: str, default: int) -> int:
    raw = _single(params, name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be an integer, got {raw!r}") from None


def _id_list(raw_values: list[str], name: str) -> list[str]:
    """Split comma-separated and repeated values, drop empties and duplicates, enforce the 25-id limit."""
    ids: list[str] = []
    seen: set[str] = set()
    for raw in raw_values:
        for part in raw.split(","):
            part = part.strip()
            if part and part not in seen:
                seen.add(part)
                ids.append(part)
    if not ids:
        raise ApiError(400, f"{name}: no id given")
    if len(ids) > MAX_IDS:
        raise ApiError(400, f"{name}: at most {MAX_IDS} ids per request, got {len(ids)}")
    return ids


def _years(raw_values: list[str]) -> list[int]:
    years: list[int] = []
    for text in _id_list(raw_values, "year"):
        try:
            years.append(int(text))
        except ValueError:
            raise ApiError(400, f"year must be an integer, got {text!r}") from None
    return years


def _from_date(params: dict[str, list[str]]) -> dt.date | None:
    raw = _single(params, "from_date")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, f"from_date must be YYYY-MM-DD, got {raw!r}") from None
