"""Type aliases shared by the Kolada client modules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, TypeAlias

__all__ = ["IdArg", "JSONDict", "Mode", "YearArg"]

JSONDict: TypeAlias = dict[str, Any]

#: How the client uses its cache: see ``KoladaClient``.
Mode: TypeAlias = Literal["normal", "offline", "refresh"]

#: One id or several: ``"0180"`` or ``["0180", "1280"]``.
IdArg: TypeAlias = str | Iterable[str]

#: One year or several: ``2023``, ``"2023"`` or ``range(2015, 2024)``.
YearArg: TypeAlias = int | str | Iterable[int | str]
