"""Typed records for what Kolada returns: KPI metadata, areas, groups and data points with provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "GENDERS",
    "KPI",
    "DataPoint",
    "Municipality",
    "MunicipalityGroup",
    "OrganisationalUnit",
    "parse_data_values",
]

#: Kolada's gender codes: T total, K kvinnor/flickor, M män/pojkar.
GENDERS = ("T", "K", "M")


@dataclass(frozen=True)
class KPI:
    """One key figure (nyckeltal) as described by ``/v3/kpi``."""

    id: str
    title: str
    description: str = ""
    is_divided_by_gender: bool = False
    municipality_type: str = ""
    operating_area: str = ""
    publ_period: str | None = None
    publication_date: str | None = None
    has_ou_data: bool = False

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> KPI:
        return cls(
            id=str(raw["id"]),
            title=str(raw.get("title") or ""),
            description=str(raw.get("description") or ""),
            is_divided_by_gender=bool(raw.get("is_divided_by_gender")),
            municipality_type=str(raw.get("municipality_type") or ""),
            operating_area=str(raw.get("operating_area") or ""),
            publ_period=None if raw.get("publ_period") is None else str(raw["publ_period"]),
            publication_date=raw.get("publication_date"),
            has_ou_data=bool(raw.get("has_ou_data")),
        )

    @property
    def is_discontinued(self) -> bool:
        """Kolada marks retired KPIs with a title ending in "(-YYYY)"."""
        return self.title.rstrip().endswith(")") and "(-" in self.title


@dataclass(frozen=True)
class Municipality:
    """A kommun (type K), a region (L/R) or the country ``0000`` Riket."""

    id: str
    title: str
    type: str

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Municipality:
        return cls(id=str(raw["id"]), title=str(raw["title"]), type=str(raw.get("type") or ""))

    @property
    def is_kommun(self) -> bool:
        return self.type == "K"


@dataclass(frozen=True)
class MunicipalityGroup:
    """A group of municipalities (``G…``), such as RKA's "Liknande kommuner socioekonomi, X, 2024"."""

    id: str
    title: str
    members: tuple[Municipality, ...] = field(default_factory=tuple)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> MunicipalityGroup:
        members = tuple(
            Municipality(id=str(m["id"]), title=str(m["title"]), type="K") for m in raw.get("members") or []
        )
        return cls(id=str(raw["id"]), title=str(raw["title"]), members=members)

    @property
    def member_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.members)


@dataclass(frozen=True)
class OrganisationalUnit:
    """An organisational unit (school, preschool) from ``/v3/ou``."""

    id: str
    title: str
    municipality: str

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> OrganisationalUnit:
        return cls(
            id=str(raw["id"]), title=str(raw["title"]), municipality=str(raw.get("municipality") or "")
        )


@dataclass(frozen=True)
class DataPoint:
    """One value of one KPI for one area (municipality, group or unit), period and gender.

    ``value`` is ``None`` when Kolada has no value (``status`` then says why, often "Missing"):
    a missing value is never 0. ``fetched_at`` and ``source`` trace the figure back to Kolada.
    ``is_example`` marks a generated value (our example server's "exempeldata"); ``computed`` a group value
    our example server computed from the members rather than one Kolada published ("beräknat").
    """

    kpi: str
    area: str
    period: int
    gender: str
    value: float | None
    status: str = ""
    count: int | None = None
    fetched_at: datetime | None = None
    is_example: bool = False
    computed: bool = False

    @property
    def is_missing(self) -> bool:
        return self.value is None

    def provenance(self) -> dict[str, Any]:
        """Return where the figure comes from, for outputs and footnotes."""
        return {
            "källa": "Kolada (Exempeldata)" if self.is_example else "Kolada",
            "kpi": self.kpi,
            "område": self.area,
            "period": self.period,
            "kön": self.gender,
            "hämtad": self.fetched_at.isoformat(timespec="seconds") if self.fetched_at else None,
        }


def parse_data_values(
    values: list[dict[str, Any]], *, fetched_at: datetime | None = None, is_example: bool = False
) -> list[DataPoint]:
    """Turn the ``values`` of a ``/data`` or ``/oudata`` response into data points.

    Rows marked ``isdeleted`` are dropped; ``period`` may be a string or an int; a ``null`` value
    stays ``None`` (missing), never 0. Raises ``ValueError`` naming the row when a row is malformed.

    A row our example server marks ``"exempeldata": true`` is generated, row by row; ``is_example`` (the
    answer's header) decides only for an answer whose rows carry no marks at all (one cached before rows
    were marked), so a mixed answer never labels a real value as generated or a generated one as Kolada's.
    """
    marked = any(isinstance(row, dict) and "exempeldata" in row for row in values)
    points: list[DataPoint] = []
    for index, row in enumerate(values):
        if row.get("isdeleted"):
            continue
        try:
            area = str(row.get("municipality") or row.get("ou") or row["municipality_id"])
            kpi = str(row["kpi"])
            period = int(row["period"])
            entries = row.get("values") or []
            example = row.get("exempeldata") is True if marked else is_example
            computed = row.get("beräknat") is True
            for entry in entries:
                if entry.get("isdeleted"):
                    continue
                raw_value = entry.get("value")
                points.append(
                    DataPoint(
                        kpi=kpi,
                        area=area,
                        period=period,
                        gender=str(entry.get("gender") or "T"),
                        value=None if raw_value is None else float(raw_value),
                        status=str(entry.get("status") or ""),
                        count=None if entry.get("count") is None else int(entry["count"]),
                        fetched_at=fetched_at,
                        is_example=example,
                        computed=computed,
                    )
                )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"Ogiltig datarad nr {index + 1} från Kolada: {exc!r} i {row!r:.200}") from exc
    return points
