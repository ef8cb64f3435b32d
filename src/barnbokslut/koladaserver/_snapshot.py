"""Loads a snapshot folder in Kolada's own JSON format once and indexes its rows for fast lookup.

The folder holds `kpi.json`, `municipality.json` and `municipality_groups.json` (required), `kpi_groups.json`
and `ou.json` (optional) and any number of `data*.json` / `oudata*.json` files; every file may also be gzipped
(`.json.gz`). Data rows are indexed by (kpi, area, period); when two files hold the same key, the row with the
later change date wins (on equal dates the file that sorts last wins).

A snapshot may mix real Kolada values with generated ones: every row of a file marked `"exempeldata": true`
is served with `"exempeldata": true` in the row itself, so a client labels the values KPI by KPI and row by
row (a page or a cached answer can hold both). Rows of other files are served exactly as stored.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Row keys our server adds and Kolada never sends: generated values, and group means we computed.
EXAMPLE_ROW_KEY = "exempeldata"
COMPUTED_ROW_KEY = "beräknat"


class SnapshotError(Exception):
    """A snapshot file is missing or malformed; the message names the file."""


def encode_json(obj: Any) -> bytes:
    """Serialise `obj` compactly as UTF-8 JSON (the form every response body uses)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True, slots=True)
class MetaItem:
    """One metadata record (KPI, municipality, group, unit) with its pre-encoded JSON."""

    id: str
    title_folded: str
    item: dict[str, Any]
    encoded: bytes

    @classmethod
    def of(cls, item: dict[str, Any]) -> MetaItem:
        return cls(
            id=str(item.get("id", "")),
            title_folded=str(item.get("title") or "").casefold(),
            item=item,
            encoded=encode_json(item),
        )


@dataclass(frozen=True, slots=True)
class StoredRow:
    """One data row as it is served, with its change date and whether its values are generated.

    Its JSON is made the first time the row is served and kept (``encoded``): a snapshot holds far more rows
    than one server is asked for, and encoding all 135,000 of the example's took 40 % of loading it.
    """

    kpi: str
    area: str
    period: int
    row: dict[str, Any]
    updated: dt.date
    example: bool
    _encoded: bytes | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def encoded(self) -> bytes:
        """The row as served, compact UTF-8 JSON (the row is never changed after loading)."""
        encoded = self._encoded
        if encoded is None:
            encoded = encode_json(self.row)
            object.__setattr__(self, "_encoded", encoded)  # a cache: two threads at once make the same bytes
        return encoded

    @property
    def deleted(self) -> bool:
        return bool(self.row.get("isdeleted"))


@dataclass(slots=True)
class RowTable:
    """Data rows indexed kpi -> area -> period, plus the kpis present per area."""

    by_kpi: dict[str, dict[str, dict[int, StoredRow]]] = field(default_factory=dict)
    kpis_by_area: dict[str, set[str]] = field(default_factory=dict)
    size: int = 0

    def put(self, row: StoredRow) -> None:
        """Store `row` unless a row for the same key with a later change date is already stored."""
        periods = self.by_kpi.setdefault(row.kpi, {}).setdefault(row.area, {})
        existing = periods.get(row.period)
        if existing is None:
            self.size += 1
            self.kpis_by_area.setdefault(row.area, set()).add(row.kpi)
        elif existing.updated > row.updated:
            return
        periods[row.period] = row

    def get(self, kpi: str, area: str, period: int) -> StoredRow | None:
        return self.by_kpi.get(kpi, {}).get(area, {}).get(period)

    def periods(self, kpi: str, area: str) -> dict[int, StoredRow]:
        return self.by_kpi.get(kpi, {}).get(area, {})

    def areas(self, kpi: str) -> dict[str, dict[int, StoredRow]]:
        return self.by_kpi.get(kpi, {})

    def kpis(self, area: str) -> set[str]:
        return self.kpis_by_area.get(area, set())

    def __iter__(self) -> Iterator[StoredRow]:
        for areas in self.by_kpi.values():
            for periods in areas.values():
                yield from periods.values()


@dataclass(slots=True)
class Snapshot:
    """Everything a snapshot folder holds, loaded into memory and indexed."""

    directory: Path
    kpis: list[MetaItem]
    kpi_groups: list[MetaItem]
    municipalities: list[MetaItem]
    municipality_groups: list[MetaItem]
    ous: list[MetaItem]
    data: RowTable
    oudata: RowTable
    group_members: dict[str, tuple[str, ...]]
    files: list[str]

    @classmethod
    def load(cls, directory: str | Path) -> Snapshot:
        """Read the folder `directory`; raises `SnapshotError` naming the file on any problem."""
        folder = Path(directory)
        if not folder.is_dir():
            raise SnapshotError(f"Snapshot folder {folder} does not exist or is not a folder")
        files: list[str] = []

        def meta(stem: str, *, required: bool) -> list[MetaItem]:
            path = _find(folder, stem)
            if path is None:
                if required:
                    raise SnapshotError(f"Snapshot folder {folder} has no {stem}.json (or {stem}.json.gz)")
                return []
            files.append(path.name)
            return [MetaItem.of(item) for item in _values(path, _read_json(path))]

        kpis = meta("kpi", required=True)
        municipalities = meta("municipality", required=True)
        groups = meta("municipality_groups", required=True)
        kpi_groups = meta("kpi_groups", required=False)
        ous = meta("ou", required=False)

        group_members: dict[str, tuple[str, ...]] = {}
        for group in groups:
            members = group.item.get("members") or []
            if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
                raise SnapshotError(
                    f"{_find(folder, 'municipality_groups')}: group {group.id} has bad members"
                )
            group_members[group.id] = tuple(str(m.get("id")) for m in members)

        data = RowTable()
        oudata = RowTable()
        for path in _data_files(folder, "data"):
            files.append(path.name)
            _load_rows(path, data, area_key="municipality")
        for path in _data_files(folder, "oudata"):
            files.append(path.name)
            _load_rows(path, oudata, area_key="ou")

        return cls(
            directory=folder,
            kpis=kpis,
            kpi_groups=kpi_groups,
            municipalities=municipalities,
            municipality_groups=groups,
            ous=ous,
            data=data,
            oudata=oudata,
            group_members=group_members,
            files=files,
        )


def _find(folder: Path, stem: str) -> Path | None:
    for name in (f"{stem}.json", f"{stem}.json.gz"):
        path = folder / name
        if path.is_file():
            return path
    return None


def _data_files(folder: Path, prefix: str) -> list[Path]:
    paths = [
        path
        for path in folder.iterdir()
        if path.is_file() and path.name.startswith(prefix) and path.name.endswith((".json", ".json.gz"))
    ]
    return sorted(paths, key=lambda p: p.name)


def _read_json(path: Path) -> Any:
    try:
        raw = path.read_bytes()
        if path.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        return json.loads(raw.decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SnapshotError(f"{path}: cannot read as JSON: {exc}") from exc


def _values(path: Path, doc: Any) -> list[dict[str, Any]]:
    if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
        raise SnapshotError(f'{path}: expected an object {{"count": ..., "values": [...]}}')
    values = doc["values"]
    for index, item in enumerate(values):
        if not isinstance(item, dict):
            raise SnapshotError(f"{path}: values[{index}] is not an object")
    return values


def _change_date(path: Path, doc: dict[str, Any]) -> dt.date:
    updated = doc.get("updated")
    if updated is None:
        return dt.date.fromtimestamp(path.stat().st_mtime)
    try:
        return dt.date.fromisoformat(str(updated))
    except ValueError as exc:
        raise SnapshotError(f'{path}: "updated" must be YYYY-MM-DD, got {updated!r}') from exc


def _load_rows(path: Path, table: RowTable, *, area_key: str) -> None:
    doc = _read_json(path)
    values = _values(path, doc)
    updated = _change_date(path, doc)
    example = doc.get("exempeldata") is True
    for index, raw in enumerate(values):
        try:
            kpi = raw["kpi"]
            area = raw[area_key]
            period = int(raw["period"])
            entries = raw["values"]
        except (KeyError, TypeError, ValueError) as exc:
            raise SnapshotError(
                f"{path}: values[{index}] is not a data row with kpi, {area_key}, integer period and values"
                f" ({exc!r})"
            ) from exc
        if not isinstance(kpi, str) or not isinstance(area, str) or not isinstance(entries, list):
            raise SnapshotError(f"{path}: values[{index}] has a bad kpi, {area_key} or values field")
        row = raw  # parsed here and never shared: no copy needed
        row["period"] = period
        if example:
            row[EXAMPLE_ROW_KEY] = True
        table.put(
            StoredRow(
                kpi=kpi,
                area=area,
                period=period,
                row=row,
                updated=updated,
                example=example,
            )
        )
