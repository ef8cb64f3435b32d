"""Selects the data rows a /data or /oudata request asks for, computing municipality-group means on demand.

Group rule (ids starting with "G" that are listed in municipality_groups): a row the snapshot holds for the
group itself is served as it is. Otherwise, per kpi and period, the row is computed from the members' rows
(rows marked `isdeleted` are ignored): for each gender seen in any member row, the unweighted mean of the
members that have a non-null value, `count` = how many members had one, `status` "". A gender for which
member rows exist but every value is null gets `{"count": 0, "status": "Missing", "value": null}`. When no
member has a row for that kpi and period, the group has no row for it. A computed row carries the newest
change date of its member rows, says `"beräknat": true` (our mean, which a client must not present as a
figure Kolada published) and counts as generated (`"exempeldata": true`) if any member row is.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ._snapshot import COMPUTED_ROW_KEY, EXAMPLE_ROW_KEY, RowTable, StoredRow

_GENDER_ORDER = {"T": 0, "K": 1, "M": 2}
_CACHE_SIZE = 64


@dataclass(frozen=True, slots=True)
class DataQuery:
    """The three dimensions of a data request (None = not given) and the optional `from_date`."""

    kpis: tuple[str, ...] | None
    areas: tuple[str, ...] | None
    years: tuple[int, ...] | None
    from_date: dt.date | None = None


class DataSelector:
    """Answers `DataQuery`s from one `RowTable`; thread-safe (the table is never changed after loading)."""

    def __init__(
        self, table: RowTable, *, area_key: str, group_members: dict[str, tuple[str, ...]] | None = None
    ) -> None:
        self._table = table
        self._area_key = area_key
        self._groups = group_members or {}
        self._computed: dict[tuple[str, str, int], StoredRow | None] = {}
        self._results: OrderedDict[DataQuery, list[StoredRow]] = OrderedDict()
        self._lock = threading.Lock()

    def select(self, query: DataQuery) -> list[StoredRow]:
        """All rows matching `query`, ordered by kpi, area, period (cached, so paging is cheap)."""
        with self._lock:
            cached = self._results.get(query)
            if cached is not None:
                self._results.move_to_end(query)
                return cached
        rows = list(self._select(query))
        if query.from_date is not None:
            since = query.from_date
            rows = [row for row in rows if row.updated >= since]
        with self._lock:
            self._results[query] = rows
            while len(self._results) > _CACHE_SIZE:
                self._results.popitem(last=False)
        return rows

    def _select(self, query: DataQuery) -> Iterable[StoredRow]:
        years = sorted(set(query.years)) if query.years is not None else None
        if query.areas is None:
            # No area given: every area that has rows for these kpis, never groups.
            for kpi in sorted(set(query.kpis or ())):
                areas = self._table.areas(kpi)
                for area in sorted(areas):
                    if self._excluded_from_all(area):
                        continue
                    yield from _pick(areas[area], years)
            return
        areas = sorted(set(query.areas))
        kpis = (
            set(query.kpis)
            if query.kpis is not None
            else set().union(*(self._kpis_of(area) for area in areas))
        )
        for kpi in sorted(kpis):
            for area in areas:
                yield from self._area_rows(kpi, area, years)

    def _is_group(self, area: str) -> bool:
        return area in self._groups

    def _excluded_from_all(self, area: str) -> bool:
        # Municipality ids starting with "G" are groups, even ones missing from municipality_groups.
        return self._area_key == "municipality" and (area.startswith("G") or area in self._groups)

    def _kpis_of(self, area: str) -> set[str]:
        kpis = set(self._table.kpis(area))
        for member in self._groups.get(area, ()):
            kpis |= self._table.kpis(member)
        return kpis

    def _area_rows(self, kpi: str, area: str, years: list[int] | None) -> Iterable[StoredRow]:
        served = self._table.periods(kpi, area)
        if not self._is_group(area):
            yield from _pick(served, years)
            return
        if years is None:
            periods: set[int] = set(served)
            for member in self._groups[area]:
                periods.update(self._table.periods(kpi, member))
            years = sorted(periods)
        for period in years:
            row = served.get(period)
            if row is None:
                row = self._group_row(kpi, area, period)
            if row is not None:
                yield row

    def _group_row(self, kpi: str, group: str, period: int) -> StoredRow | None:
        key = (kpi, group, period)
        if key in self._computed:
            return self._computed[key]
        row = self._compute(kpi, group, period)
        self._computed[key] = row
        return row

    def _compute(self, kpi: str, group: str, period: int) -> StoredRow | None:
        by_area = self._table.areas(kpi)
        rows: list[StoredRow] = []
        for member in self._groups[group]:
            periods = by_area.get(member)
            row = periods.get(period) if periods else None
            if row is not None and not row.deleted:
                rows.append(row)
        if not rows:
            return None
        values: dict[str, list[float]] = {}
        for row in rows:
            for entry in row.row.get("values") or ():
                if not isinstance(entry, dict):
                    continue
                gender = str(entry.get("gender"))
                found = values.get(gender)
                if found is None:
                    found = values[gender] = []
                value = entry.get("value")
                if value is not None and type(value) in (int, float) and math.isfinite(value):
                    found.append(float(value))
        entries: list[dict[str, Any]] = []
        for gender in sorted(values, key=lambda g: (_GENDER_ORDER.get(g, 9), g)):
            found = values[gender]
            if found:
                mean = math.fsum(found) / len(found)
                entries.append({"count": len(found), "gender": gender, "status": "", "value": mean})
            else:
                entries.append({"count": 0, "gender": gender, "status": "Missing", "value": None})
        example = any(row.example for row in rows)
        served: dict[str, Any] = {"kpi": kpi, self._area_key: group, "period": period, "values": entries}
        served[COMPUTED_ROW_KEY] = True  # our mean, not a figure Kolada published: the client says so
        if example:
            served[EXAMPLE_ROW_KEY] = True
        return StoredRow(
            kpi=kpi,
            area=group,
            period=period,
            row=served,
            updated=max(row.updated for row in rows),
            example=example,
        )


def _pick(periods: dict[int, StoredRow], years: list[int] | None) -> Iterable[StoredRow]:
    if years is None:
        for period in sorted(periods):
            yield periods[period]
        return
    for year in years:
        row = periods.get(year)
        if row is not None:
            yield row
