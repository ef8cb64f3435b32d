"""Check every page against the shape of a Kolada answer before any of it is used or cached.

A page is ``{"count": N, "values": [...], "next_url": ...}``. What is required (README of the API):

* ``count``: a whole number >= 0; ``values``: a list of objects.
* A data row (``/data``, ``/oudata``): ``kpi`` (text), the area (``municipality``, or ``ou`` for units;
  older answers say ``municipality_id``), ``period`` (a whole number, or one written as text) and
  ``values``, a list of entries. A row marked ``"isdeleted": true`` needs only its key.
* An entry: ``gender`` (text) and ``value``, which may be ``null`` (missing; ``status`` says why) but
  must otherwise be a finite number: ``true``, ``"74,1"``, ``NaN`` and ``Infinity`` are errors.
  ``status`` (text) and ``count`` (a number) may be left out or ``null``.
* A metadata row: ``id`` and ``title``; a municipality group's ``members`` each have ``id`` and ``title``.
* The rows of a query add up to its ``count``: a page ending the walk with fewer rows than it says
  (cut short by a proxy, say) is an error, whether ``count`` counts the page or the whole query.

The first problem found is reported, with its row, as a ``KoladaShapeError`` or ``KoladaIncompleteError``.
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

from barnbokslut.kolada._errors import KoladaDecodeError, KoladaIncompleteError, KoladaShapeError
from barnbokslut.kolada._types import JSONDict

__all__ = ["DATA_KINDS", "check_count", "check_rows", "decode_page"]

#: The kinds of query whose rows are data rows; any other kind is a metadata entity (``kpi``, …).
DATA_KINDS: Final = ("data", "oudata")


class _NotFinite(ValueError):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _reject_constant(token: str) -> float:
    raise _NotFinite(token)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses as inf
        raise _NotFinite(text)
    return value


def decode_page(content: bytes, url: str) -> JSONDict:
    """Return the JSON object of one page; raise ``KoladaDecodeError`` (or its ``KoladaShapeError``)."""
    try:
        payload: Any = json.loads(content, parse_constant=_reject_constant, parse_float=_finite_float)
    except _NotFinite as exc:
        raise KoladaShapeError(
            f"Kolada skickade {exc.token}, som inte är ett ändligt tal, på {url}; svaret används inte.",
            url=url,
        ) from exc
    except ValueError as exc:
        raise KoladaDecodeError(
            f"Kolada skickade ett avbrutet eller ogiltigt JSON-svar på {url}: {exc}", url=url
        ) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("values"), list):
        text = content[:200].decode("utf-8", "replace")
        raise KoladaShapeError(f'Kolada skickade ett svar utan listan "values" på {url}: {text!r}', url=url)
    count = payload.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise KoladaShapeError(
            f'Kolada skickade ett svar utan giltigt "count" (antal rader) på {url}: {count!r}', url=url
        )
    return payload


def check_count(payload: JSONDict, url: str, *, received: int, has_next: bool) -> None:
    """Check the page's rows against its ``count``, given ``received`` rows on the pages before it.

    Kolada's ``count`` has been seen both as the rows of the page and as the rows of the whole query;
    either reading is accepted, but never fewer rows than it says at the end of the walk.
    """
    count: int = payload["count"]
    rows = len(payload["values"])
    total = received + rows
    if rows == count or (has_next and total <= count) or (not has_next and total == count):
        return
    if total > count:
        raise KoladaIncompleteError(
            f"Kolada skickade fler rader ({total}) än svaret säger ({count}) på {url}; svaret används inte.",
            url=url,
        )
    raise KoladaIncompleteError(
        f"Kolada skickade bara {total} av {count} rader på {url} (sidan är ofullständig och har ingen "
        "nästa sida); svaret används inte.",
        url=url,
    )


def check_rows(values: list[Any], url: str, *, kind: str, first_row: int = 1) -> None:
    """Raise ``KoladaShapeError`` naming the first row of ``values`` not shaped like a ``kind`` row.

    ``first_row`` is the number of the first row in the whole answer (for the message).
    """
    check = _data_row_problem if kind in DATA_KINDS else _metadata_row_problem
    for index, row in enumerate(values):
        problem = check(row, kind)
        if problem is not None:
            raise KoladaShapeError(
                f"Kolada skickade rader som inte går att tolka på {url}: rad {first_row + index} {problem}; "
                "svaret används inte.",
                url=url,
            )


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an integer too large for a float
        return False


def _shown(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)[:60]
    except (TypeError, ValueError):
        return repr(value)[:60]


def _text_field(row: JSONDict, name: str) -> str | None:
    if name not in row or row[name] is None:
        return f'saknar fältet "{name}"'
    if not isinstance(row[name], str) or not row[name].strip():
        return f'har "{name}" {_shown(row[name])}, inte en text'
    return None


def _data_row_problem(row: Any, kind: str) -> str | None:
    if not isinstance(row, dict):
        return f"är inget objekt utan {_shown(row)}"
    problem = _text_field(row, "kpi")
    if problem is not None:
        return problem
    area_keys = ("ou",) if kind == "oudata" else ("municipality", "municipality_id")
    area = next((key for key in area_keys if row.get(key) is not None), area_keys[0])
    problem = _text_field(row, area)
    if problem is not None:
        return problem
    period = row.get("period")
    if not (_is_whole(period) or (isinstance(period, str) and period.strip().isdigit())):
        return (
            f'har "period" {_shown(period)}, inte ett årtal' if "period" in row else 'saknar fältet "period"'
        )
    if row.get("isdeleted") is True:
        return None
    if "values" not in row or row["values"] is None:
        return 'saknar fältet "values"'
    entries = row["values"]
    if not isinstance(entries, list):
        return f'har "values" {_shown(entries)}, inte en lista'
    for number, entry in enumerate(entries, start=1):
        problem = _entry_problem(entry)
        if problem is not None:
            return f'post {number} i "values" {problem}'
    return None


def _entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return f"är inget objekt utan {_shown(entry)}"
    if entry.get("isdeleted") is True:
        return None
    problem = _text_field(entry, "gender")
    if problem is not None:
        return problem
    if "value" not in entry:
        return 'saknar fältet "value"'
    value = entry["value"]
    if value is not None and not _is_number(value):
        return f'har "value" {_shown(value)}, inte ett tal eller null'
    status = entry.get("status")
    if status is not None and not isinstance(status, str):
        return f'har "status" {_shown(status)}, inte en text'
    count = entry.get("count")
    if count is not None and not _is_number(count):
        return f'har "count" {_shown(count)}, inte ett tal'
    return None


def _metadata_row_problem(row: Any, kind: str) -> str | None:
    if not isinstance(row, dict):
        return f"är inget objekt utan {_shown(row)}"
    identity = row.get("id")
    if identity is None:
        return 'saknar fältet "id"'
    if not (isinstance(identity, str) and identity.strip()) and not _is_whole(identity):
        return f'har "id" {_shown(identity)}, inte ett id'
    if not isinstance(row.get("title"), str):
        return 'saknar fältet "title"' if row.get("title") is None else 'har "title" som inte är en text'
    if kind == "municipality_groups":
        members = row.get("members")
        if members is not None and not isinstance(members, list):
            return f'har "members" {_shown(members)}, inte en lista'
        for number, member in enumerate(members or (), start=1):
            if (
                not isinstance(member, dict)
                or member.get("id") is None
                or not isinstance(member.get("title"), str)
            ):
                return f'medlem {number} saknar "id" eller "title"'
    return None
