"""Template filters for local tables: numbers the Swedish way, a missing value as ".." (never 0)."""

from __future__ import annotations

from typing import Any

from django import template

from barnbokslut.localdata import decimals_for
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
    """The decimals a stored table shows: ``decimals_for`` its numbers (the same rule as the folder's)."""
    return decimals_for(value for row in rows for value in row[1:])
