"""Swedish formatting of numbers, percentages and dates, through Babel, for every output.

Kolada shows a missing value as "..", never as 0; so do we.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

__all__ = [
    "LOCALE",
    "MISSING",
    "format_count",
    "format_date_sv",
    "format_number",
    "format_signed",
    "format_value",
    "round_value",
]

LOCALE = "sv_SE"
#: How Kolada shows a value that is missing.
MISSING = ".."


def round_value(value: float, decimals: int = 1) -> float:
    """Round ``value`` exactly as the formatting shows it (Babel: decimal text, half to even): 0.25 → 0.2.

    Comparisons "equal after rounding to the displayed precision" use this, so two values that print the same
    compare equal. Never returns -0.0.
    """
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    return float(rounded) + 0.0


def format_number(value: float | None, *, decimals: int = 1) -> str:
    """Format ``value`` the Swedish way with ``decimals`` decimals: 14.7 → "14,7", 1200000 → "1 200 000"."""
    if value is None:
        return MISSING
    if round_value(value, decimals) == 0:
        value = 0.0  # no "-0,0" for a tiny negative value
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    # Babel uses a narrow no-break space as the Swedish group separator; keep it (it never wraps).
    return format_decimal(value, format=pattern, locale=LOCALE)


def format_value(value: float | None, unit: str, *, decimals: int = 1) -> str:
    """Format a value with its unit: "14,7 %" for shares, the bare number otherwise."""
    text = format_number(value, decimals=decimals)
    if value is not None and unit.strip() == "%":
        return f"{text}\u00a0%"
    return text


def format_signed(value: float, *, decimals: int = 1) -> str:
    """Format a difference with its sign: "+1,2", "−0,4" (a real minus sign), "0,0"."""
    text = format_number(abs(value), decimals=decimals)
    rounded = round_value(value, decimals)
    if rounded > 0:
        return "+" + text
    if rounded < 0:
        return "\u2212" + text
    return text


def format_count(count: int, singular: str, plural: str) -> str:
    """The count with the words that agree with it: only 1 takes the singular ("1 försenat avsnitt",
    "0 försenade avsnitt", "3 försenade avsnitt")."""
    return f"{count} {singular if count == 1 else plural}"


def format_date_sv(value: date | datetime) -> str:
    """Format a date as "25 november 2026"."""
    return format_date(value, format="d MMMM y", locale=LOCALE)
