"""The data job: fetch from Kolada everything one report (or all 290) needs, and hold it for the analysis.

One report needs, for the catalogue's KPIs and ten years: the KPI metadata, all municipalities (names, the
ranking, the country), the municipality's "liknande kommuner" group resolved by title, and the data of every
municipality, Riket and the group. For the catalogue's KPIs that Kolada has per organisational unit
(``has_ou_data``: schools, preschools) it adds the municipality's units (``/ou?municipality=…``) and their values
(``/oudata``). The job asks for all of it in as few requests as the API allows.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from barnbokslut.indicators.catalogue import Catalogue
from barnbokslut.kolada import (
    KPI,
    DataPoint,
    KoladaClient,
    Municipality,
    MunicipalityGroup,
    OrganisationalUnit,
)

__all__ = [
    "COUNTRY_ID",
    "PEER_GROUP_AREA",
    "YEARS_OF_HISTORY",
    "Dataset",
    "GroupValue",
    "UnknownMunicipalityError",
    "fetch_dataset",
    "resolve_municipality",
]

COUNTRY_ID = "0000"
#: RKA's similar-municipalities area the seed report compares with ("samma socioekonomiska struktur").
PEER_GROUP_AREA = "socioekonomi"
YEARS_OF_HISTORY = 10


@dataclass(frozen=True)
class GroupValue:
    """The value of a group of municipalities for one KPI, period and gender.

    ``computed`` is true when Kolada had no row for the group and we took the unweighted mean of the members
    that have a value ourselves; ``count`` is the number of members behind the value.
    """

    value: float
    count: int
    computed: bool
    fetched_at: datetime | None = None
    is_example: bool = False


class UnknownMunicipalityError(LookupError):
    """No municipality matches what the user typed; ``suggestions`` holds close matches."""

    def __init__(self, query: str, suggestions: list[Municipality], *, where: str = "") -> None:
        self.query = query
        self.suggestions = suggestions
        hint = (
            " Menade du: " + ", ".join(f"{m.title} ({m.id})" for m in suggestions) + "?"
            if suggestions
            else ""
        )
        super().__init__(f"Hittar ingen kommun som heter {query!r}{where}.{hint}")


def _fold(text: str) -> str:
    """Lower-case and strip accents and a trailing "kommun", so "Söderhamns kommun" finds "Söderhamn"."""
    text = text.casefold().strip()
    text = re.sub(r"\s+kommun$", "", text)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def resolve_municipality(
    query: str, municipalities: Iterable[Municipality], *, where: str = ""
) -> Municipality:
    """Find a kommun by id ("2182") or name, forgivingly ("söderhamn", "Soderhamn", "Söderhamns kommun").

    ``where`` goes into the error message (" bland jämförelsekommunerna")."""
    kommuner = [m for m in municipalities if m.is_kommun]
    wanted = query.strip()
    for m in kommuner:
        if m.id == wanted or m.id == wanted.zfill(4):
            return m
    folded = _fold(wanted)
    for m in kommuner:
        if _fold(m.title) == folded:
            return m
    # Genitive forms: "Söderhamns" → "Söderhamn".
    if folded.endswith("s"):
        for m in kommuner:
            if _fold(m.title) == folded[:-1]:
                return m
    by_folded = {_fold(m.title): m for m in kommuner}
    close = difflib.get_close_matches(folded, list(by_folded), n=5, cutoff=0.6)
    close += [name for name in by_folded if folded and name.startswith(folded) and name not in close]
    raise UnknownMunicipalityError(query, [by_folded[name] for name in close[:5]], where=where)


def _peer_group_title(municipality: Municipality, area: str = PEER_GROUP_AREA) -> re.Pattern[str]:
    name = re.escape(municipality.title)
    return re.compile(rf"^Liknande kommuner,? {re.escape(area)}, {name}, (\d{{4}})$")


def _newest_peer_group(
    municipality: Municipality, groups: Iterable[MunicipalityGroup], area: str = PEER_GROUP_AREA
) -> MunicipalityGroup | None:
    """RKA's newest "Liknande kommuner <area>, <Kommun>, <år>" group (ids change when RKA recomputes them)."""
    pattern = _peer_group_title(municipality, area)
    matches = [(int(m.group(1)), g) for g in groups if (m := pattern.match(g.title))]
    if not matches:
        return None
    return max(matches, key=lambda pair: pair[0])[1]


@dataclass
class Dataset:
    """Everything fetched for one or more reports: metadata, peer groups and data points with provenance."""

    years: tuple[int, ...]
    kpis: dict[str, KPI]
    municipalities: dict[str, Municipality]
    peer_groups: dict[str, MunicipalityGroup]
    points: dict[tuple[str, str, int, str], DataPoint] = field(default_factory=dict)
    fetched_at: datetime | None = None
    #: The groups of the other RKA areas the catalogue uses, by (municipality id, area).
    area_groups: dict[tuple[str, str], MunicipalityGroup] = field(default_factory=dict)
    #: The user's own comparison kommuner (the catalogue's "jämförelsekommuner"), resolved.
    comparison: tuple[Municipality, ...] = ()
    #: The report municipality's organisational units (schools, preschools) by id, from ``/ou``; their values
    #: (from ``/oudata``) are in ``points`` under the unit's id. Empty for the national job.
    units: dict[str, OrganisationalUnit] = field(default_factory=dict)
    #: Derived values the analysis asks for again and again (e.g. one ranking per KPI and period, shared by
    #: all 290 municipalities of a national run); emptied whenever points are added.
    memo: dict[tuple[object, ...], object] = field(default_factory=dict, repr=False, compare=False)

    def add(self, points: Iterable[DataPoint]) -> None:
        for p in points:
            self.points[(p.kpi, p.area, p.period, p.gender)] = p
        self.memo.clear()

    @property
    def is_example(self) -> bool:
        """True when any value is generated example data ("Exempeldata")."""
        return any(p.is_example for p in self.points.values())

    def unit_kpis(self) -> list[str]:
        """The KPIs Kolada has per organisational unit (``has_ou_data``), in id order."""
        return sorted(kpi for kpi, meta in self.kpis.items() if meta.has_ou_data)

    @property
    def kommuner(self) -> list[Municipality]:
        return sorted((m for m in self.municipalities.values() if m.is_kommun), key=lambda m: m.id)

    def point(self, kpi: str, area: str, period: int, gender: str = "T") -> DataPoint | None:
        return self.points.get((kpi, area, period, gender))

    def series(self, kpi: str, area: str, gender: str = "T") -> dict[int, DataPoint]:
        """Return the data points of ``area`` for ``kpi`` by period, ascending (missing values included)."""
        found = {
            period: self.points[(kpi, area, period, gender)]
            for period in self.years
            if (kpi, area, period, gender) in self.points
        }
        return dict(sorted(found.items()))

    def peer_group(self, municipality_id: str, area: str = PEER_GROUP_AREA) -> MunicipalityGroup | None:
        """The municipality's "Liknande kommuner" group of ``area`` (socioekonomi unless the catalogue says)."""
        if area == PEER_GROUP_AREA:
            return self.peer_groups.get(municipality_id)
        return self.area_groups.get((municipality_id, area))

    def group_value(
        self, kpi: str, group: MunicipalityGroup, period: int, gender: str = "T"
    ) -> GroupValue | None:
        """Kolada's value for ``group``; else the unweighted mean of its members with a value (``computed``).

        A group row our example server computed (``DataPoint.computed``) counts as computed too: it is not a
        figure Kolada published.
        """
        row = self.point(kpi, group.id, period, gender)
        if row is not None and row.value is not None:
            return GroupValue(row.value, row.count or 0, row.computed, row.fetched_at, row.is_example)
        return self.mean_of(kpi, group.member_ids, period, gender)

    def mean_of(self, kpi: str, area_ids: Sequence[str], period: int, gender: str = "T") -> GroupValue | None:
        """The unweighted mean of the areas that have a value, as Kolada computes group values."""
        members = [self.point(kpi, area, period, gender) for area in area_ids]
        present = [p for p in members if p is not None and p.value is not None]
        if not present:
            return None
        mean = sum(p.value for p in present if p.value is not None) / len(present)
        fetched = min((p.fetched_at for p in present if p.fetched_at), default=None)
        return GroupValue(mean, len(present), True, fetched, any(p.is_example for p in present))


def _ranking_periods(dataset: Dataset, kpi_ids: Sequence[str], municipality_id: str, year: int) -> set[int]:
    periods = set()
    for kpi in kpi_ids:
        present = [p for p, point in dataset.series(kpi, municipality_id).items() if point.value is not None]
        periods.add(max(present) if present else year)
    return periods


def fetch_dataset(
    client: KoladaClient,
    catalogue: Catalogue,
    year: int,
    *,
    municipality: str | None = None,
    years: int = YEARS_OF_HISTORY,
) -> tuple[Dataset, Municipality | None]:
    """Fetch what the report for ``municipality`` and ``year`` needs; ``municipality=None`` fetches for all 290.

    Returns the dataset and the resolved municipality. Raises ``UnknownMunicipalityError`` for an unknown name
    and the client's ``KoladaError`` subclasses when Kolada cannot be reached.
    """
    span = tuple(range(year - years + 1, year + 1))
    kpi_ids = catalogue.kpi_ids
    kpis = {k.id: k for k in client.kpis(kpi_ids)}
    areas = {m.id: m for m in client.municipalities()}
    target = resolve_municipality(municipality, areas.values()) if municipality is not None else None

    # One request per RKA area the catalogue compares with (socioekonomi always: the report names it).
    by_area: dict[str, dict[str, MunicipalityGroup]] = {}
    for area in dict.fromkeys([PEER_GROUP_AREA, *catalogue.peer_areas]):
        if target is not None:
            candidates = client.municipality_groups(title=f"{area}, {target.title},")
            by_area[area] = {target.id: g} if (g := _newest_peer_group(target, candidates, area)) else {}
        else:
            candidates = client.municipality_groups(title=f"{area}, ")
            by_area[area] = {
                m.id: g
                for m in areas.values()
                if m.is_kommun and (g := _newest_peer_group(m, candidates, area)) is not None
            }
    groups = by_area.pop(PEER_GROUP_AREA)
    comparison = tuple(
        resolve_municipality(name, areas.values(), where=" bland jämförelsekommunerna")
        for name in catalogue.comparison_kommuner
    )

    dataset = Dataset(
        years=span, kpis=dict(kpis), municipalities=areas, peer_groups=groups, comparison=comparison,
        area_groups={(mid, area): g for area, found in by_area.items() for mid, g in found.items()},
    )  # fmt: skip
    if target is not None:
        # 1) Ten years of the municipality, its peer groups, their members (to compute a group's mean where
        #    Kolada has no group row), the own comparison kommuner and Riket: one request.
        used = [g for g in (groups.get(target.id), *(f.get(target.id) for f in by_area.values())) if g]
        members = [area for g in used for area in (g.id, *g.member_ids)]
        history_areas = list(dict.fromkeys([target.id, COUNTRY_ID, *members, *(m.id for m in comparison)]))
        # The retired KPIs the indicators replaced ride along in the same query (for the charts' history).
        dataset.add(client.data(catalogue.history_kpi_ids, history_areas, list(span)))
        # 2) Every municipality, but only at the periods the ranking needs (the municipality's latest period
        #    of each KPI): without a municipality segment the API answers for all of them, paged.
        dataset.add(client.data(kpi_ids, None, sorted(_ranking_periods(dataset, kpi_ids, target.id, year))))
        # 3) Per school and preschool, only when a catalogue KPI has unit data: the municipality's units (one
        #    request) and the ten years of those KPIs for all of them (one request per 25 units).
        unit_kpis = dataset.unit_kpis()
        if unit_kpis:
            dataset.units = {u.id: u for u in client.ous(municipality=target.id)}
            if dataset.units:
                dataset.add(client.oudata(unit_kpis, sorted(dataset.units), list(span)))
    else:
        # All 290: every municipality's ten years. Peer-group values are then the unweighted mean of the
        # members, computed from these rows exactly as Kolada computes them (and marked as computed).
        dataset.add(client.data(kpi_ids, None, list(span)))
    dataset.fetched_at = min((p.fetched_at for p in dataset.points.values() if p.fetched_at), default=None)
    return dataset, target
