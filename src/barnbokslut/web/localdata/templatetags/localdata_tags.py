"""Template filters for local tables: numbers the Swedish way, a missing value as ".." (never 0)."""

from __future__ import annotations

from typing import Any

from django import template

from barnbokslut.numbers import format_number

register = template.Library()


@register.filter
def cell(value: Any, decimals: int = 1) -> str:
    """ "87,5" for 87.5, ".." for a missing value; text (a row's label) as it is."""
    if value is None or isinstance(value, int | float):
        return format_number(value, decimals=int(decimals))
    return str(value)


@register.filter
def table_decimals(rows: list[list[Any]]) -> int:
    """The most decimals any stored number has (at most 3), to show a stored table as it was written."""
    most = 0
    for row in rows:
        for value in row[1:]:
            if isinstance(value, float) and not value.is_integer():
                most = max(most, len(repr(value).split(".")[1]) if "e" not in repr(value) else 3)
    return min(most, 3)
