"""The results of the indicator analysis as typed records: what a report says about each indicator.

``analysis.py`` computes them (with ``summary.py`` for the Sammanfattning's counts and sentences);
``sentences.py``, ``export.py`` and the report read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from barnbokslut.indicators.catalogue import Indicator
from barnbokslut.kolada import Municipality, MunicipalityGroup
from barnbokslut.numbers import round_value

__all__ = [
    "DECIMALS",
    "SOURCE",
    "SOURCE_EXAMPLE",
    "Analysis",
    "Colour",
    "Comparison",
    "Development",
    "GenderGap",
    "HistoryPoint",
    "IndicatorResult",
    "Judgement",
    "Measurement",
    "Movement",
    "Provenance",
    "Rank",
    "Relation",
    "Scope",
    "SourceKind",
    "Summary",
    "Texts",
    "Trend",
    "UnitSpread",
    "UnitValue",
    "YearCounts",
]

#: The displayed precision: values are compared after rounding to this many decimals.
DECIMALS = 1

SOURCE = "Källa: Kolada"
#: Generated values are never labelled as Kolada's.
SOURCE_EXAMPLE = "Exempeldata (genererade värden, inte Koladas)"
#: Kolada's terms: a figure we computed from Kolada's values must not be given Kolada as its source.
OWN_PROCESSING = "Egen bearbetning av data från Kolada"


class SourceKind(StrEnum):
    """Where one figure comes from: a value Kolada returned as it is, our own processing of Kolada's values
    (a mean computed from members, a rank, a difference, a gender gap), or generated example data."""

    KOLADA = "kolada"
    OWN = "egen bearbetning"
    EXAMPLE = "exempeldata"

    @property
    def label(self) -> str:
        return {
            SourceKind.KOLADA: SOURCE,
            SourceKind.OWN: OWN_PROCESSING,
            SourceKind.EXAMPLE: SOURCE_EXAMPLE,
        }[self]

    @classmethod
    def of(cls, *, is_example: bool, computed: bool) -> SourceKind:
        if is_example:
            return cls.EXAMPLE
        return cls.OWN if computed else cls.KOLADA


class Movement(StrEnum):
    """How the value moved from the previous measurement to the latest, without judging it."""

    UP = "ökat"
    DOWN = "minskat"
    SAME = "oförändrad"
    UNKNOWN = "okänd"


class Trend(StrEnum):
    """The movement judged against the desired direction.

    ``NOT_JUDGED`` is a neutral indicator with two measurements; ``UNKNOWN`` means there is no previous
    measurement (or no value at all). Only positive, negative and unchanged count in the summary.
    """

    POSITIVE = "positiv"
    NEGATIVE = "negativ"
    UNCHANGED = "oförändrad"
    NOT_JUDGED = "ej bedömd"
    UNKNOWN = "okänd"

    @property
    def is_judged(self) -> bool:
        return self in (Trend.POSITIVE, Trend.NEGATIVE, Trend.UNCHANGED)


class Relation(StrEnum):
    """How one (rounded) value relates to another: the municipality's to a comparison, girls' to boys'."""

    HIGHER = "högre"
    LOWER = "lägre"
    EQUAL = "lika"
    UNKNOWN = "okänd"


class Judgement(StrEnum):
    """A relation judged against the desired direction (``NOT_JUDGED`` for neutral indicators)."""

    BETTER = "bättre"
    WORSE = "sämre"
    EQUAL = "lika"
    NOT_JUDGED = "ej bedömd"
    UNKNOWN = "okänd"

    @property
    def is_judged(self) -> bool:
        return self in (Judgement.BETTER, Judgement.WORSE, Judgement.EQUAL)


class Scope(StrEnum):
    """What a comparison value stands for."""

    PEER = "liknande kommuner"
    COUNTRY = "riket"
    ALL_KOMMUNER = "alla kommuner"
    OWN = "jämförelsekommuner"  # the user's own list (the catalogue's "jämförelsekommuner")


class Colour(StrEnum):
    """Kolada's colours: best quarter green, middle half yellow, worst quarter red; none for neutral."""

    GREEN = "grön"
    YELLOW = "gul"
    RED = "röd"
    NONE = "ingen"


@dataclass(frozen=True)
class Measurement:
    """One value of the municipality (gender T) as Kolada gave it."""

    period: int
    value: float
    fetched_at: datetime | None = None
    is_example: bool = False

    @property
    def rounded(self) -> float:
        return round_value(self.value, DECIMALS)


@dataclass(frozen=True)
class Comparison:
    """A comparison value (peer group or country) at the period of the municipality's latest value.

    ``computed`` is true when the value is our unweighted mean of ``count`` kommuner (Kolada had no row for
    the group, or no value for Riket); ``area`` is the group id, ``"0000"``, or ``None`` for the mean of all
    kommuner or when there is no peer group. ``relation`` is the municipality's value relative to this one.
    """

    scope: Scope
    area: str | None
    title: str
    period: int | None
    value: float | None
    computed: bool
    count: int
    relation: Relation
    judgement: Judgement
    is_example: bool = False

    @property
    def source_kind(self) -> SourceKind:
        """Kolada's own group or Riket row, our mean of kommuner, or example data."""
        return SourceKind.of(is_example=self.is_example, computed=self.computed)


@dataclass(frozen=True)
class Rank:
    """The municipality's place among all kommuner with a value at ``period``.

    ``position`` 1 is the best by the desired direction (neutral: the highest value, with ``colour`` NONE);
    kommuner with the same rounded value share the best position (``tied``). Colour rule, with ``of`` = n:
    green when 4·position ≤ n, red when 4·(n − position + 1) ≤ n, else yellow (8 kommuner: places 1–2 green,
    3–6 yellow, 7–8 red; 290: 1–72 green, 73–218 yellow, 219–290 red).
    """

    period: int | None
    position: int | None
    of: int
    tied: bool
    colour: Colour


@dataclass(frozen=True)
class GenderGap:
    """Girls (K) and boys (M) at the latest period up to the report year where both have a value.

    ``gap`` is the rounded girls' value minus the rounded boys' value; ``relation`` is girls relative to boys.
    All ``None`` (relation UNKNOWN) when no period has both.
    """

    period: int | None
    girls: float | None
    boys: float | None
    gap: float | None
    relation: Relation
    #: Why there is no gap, in words (Kolada's status of the girls' or boys' value), else "".
    reason: str = ""


@dataclass(frozen=True)
class HistoryPoint:
    """A chart period: the municipality, its peer group and the national comparison (None: missing)."""

    period: int
    value: float | None
    peer: float | None
    peer_computed: bool
    national: float | None
    national_computed: bool
    national_count: int
    #: Why the municipality's value is missing, in words (Kolada's status), else "".
    reason: str = ""
    #: The municipality's value of the retired KPI the indicator replaced (``Indicator.predecessor``).
    predecessor: float | None = None


@dataclass(frozen=True)
class Provenance:
    """Where the figure comes from: the KPI, its Kolada title, the period, when it was fetched."""

    kpi: str
    kpi_title: str
    period: int | None
    fetched_at: datetime | None
    is_example: bool

    @property
    def source_kind(self) -> SourceKind:
        """The municipality's own values: Kolada's as they are, or generated."""
        return SourceKind.of(is_example=self.is_example, computed=False)

    @property
    def source(self) -> str:
        """ "Källa: Kolada", or "Exempeldata (…)" for generated values."""
        return self.source_kind.label


@dataclass(frozen=True)
class UnitValue:
    """One organisational unit (school, preschool) at the period of a ``UnitSpread``.

    ``value`` is Kolada's value as it is (``None``: missing, and ``reason`` says why in words, never 0).
    """

    id: str
    title: str
    value: float | None
    reason: str = ""
    is_example: bool = False

    @property
    def source_kind(self) -> SourceKind:
        return SourceKind.of(is_example=self.is_example, computed=False)


@dataclass(frozen=True)
class UnitSpread:
    """The municipality's units for one indicator at one period (Kolada's ``/oudata``), and how far apart they are.

    ``period`` is the indicator's latest period when units have values then, else the newest period up to the
    report year with unit values. ``units`` are the units with a row at ``period`` (and those with one at the
    unit data's period before it, which say "no row" now), highest value first, missing last. ``lowest`` and
    ``highest`` are the units at the lowest and highest rounded value (several when tied); ``spread`` is the
    rounded highest minus the rounded lowest (our own processing), ``None`` with fewer than two values.
    ``noun`` is what the units are called, singular and plural ("skola", "skolor").
    """

    period: int
    units: tuple[UnitValue, ...]
    lowest: tuple[UnitValue, ...]
    highest: tuple[UnitValue, ...]
    spread: float | None
    noun: tuple[str, str]
    fetched_at: datetime | None = None

    @property
    def valued(self) -> tuple[UnitValue, ...]:
        return tuple(unit for unit in self.units if unit.value is not None)

    @property
    def missing(self) -> tuple[UnitValue, ...]:
        return tuple(unit for unit in self.units if unit.value is None)

    @property
    def example_count(self) -> int:
        return sum(1 for unit in self.units if unit.is_example)

    @property
    def is_example(self) -> bool:
        """True when any unit's row is generated example data."""
        return self.example_count > 0

    @property
    def source(self) -> str:
        """ "Källa: Kolada", "Exempeldata (…)", or both with the counts when the units mix them."""
        if not self.is_example:
            return SOURCE
        if self.example_count == len(self.units):
            return SOURCE_EXAMPLE
        real = len(self.units) - self.example_count
        return f"{SOURCE} för {real} av {len(self.units)} enheter; övriga: {SOURCE_EXAMPLE}"


@dataclass(frozen=True)
class Texts:
    """The Swedish texts of one result (see ``sentences.py`` for every template)."""

    sentence: str
    change: str
    peer: str
    national: str
    rank: str
    gender: str | None
    source: str
    own: str = ""  # the own comparison kommuner, "" without a list
    #: The units' spread in words ("Bland kommunens 5 skolor varierar andelen …"), None without unit data.
    units: str | None = None
    #: The source line of the unit figures ("Källa: Kolada, nyckeltal …, enheter (oudata) …"), None without.
    units_source: str | None = None


@dataclass(frozen=True)
class IndicatorResult:
    """Everything the report says about one indicator for one municipality and report year.

    ``latest`` is the newest period ≤ ``year`` with a value, ``previous`` the newest earlier one.
    ``status`` is Kolada's status (e.g. "Missing") of the newest missing row that is newer than ``latest``
    (or of the newest row at all when there is no value), else "". ``missing_period`` is the newest period
    after ``latest`` (≤ ``year``) for which the municipality's value is missing while Kolada has the period
    (a row saying missing, or values for Riket or other kommuner); ``None`` when the latest value is simply
    the newest published. ``change`` is rounded latest minus rounded previous.
    """

    indicator: Indicator
    municipality: Municipality
    year: int
    kpi_title: str
    latest: Measurement | None
    previous: Measurement | None
    status: str
    missing_period: int | None
    change: float | None
    movement: Movement
    trend: Trend
    peer: Comparison
    national: Comparison
    rank: Rank
    gender: GenderGap | None
    history: tuple[HistoryPoint, ...]
    provenance: Provenance
    texts: Texts
    #: Kolada's ``status`` in words when a value is missing (``status_words``): "uppgiften är skyddad av
    #: sekretesskäl", …; "" when no value is missing.
    reason: str = ""
    #: Periods before ``latest`` that repeat its measurement (an every-other-year KPI); ``previous`` is the
    #: newest earlier period with a different value.
    repeated: tuple[int, ...] = ()
    #: The mean of the user's own comparison kommuner; ``None`` without a list.
    own: Comparison | None = None
    #: The first period of this KPI after its predecessor's values (the series break); ``None`` without one.
    break_period: int | None = None
    #: The figures per school or preschool (Kolada's ``/oudata``), ``None`` when Kolada has none for the kommun.
    units: UnitSpread | None = None

    @property
    def kpi(self) -> str:
        return self.indicator.kpi

    @property
    def has_value(self) -> bool:
        return self.latest is not None

    @property
    def sentence(self) -> str:
        return self.texts.sentence


class Development(StrEnum):
    """The report year compared with an earlier year."""

    IMPROVEMENT = "förbättring"
    DETERIORATION = "försämring"
    SAME = "oförändrad"
    UNKNOWN = "okänd"


@dataclass(frozen=True)
class YearCounts:
    """The counts behind the summary for one (report) year.

    ``judged`` = positive + negative + unchanged: the indicators whose trend can be judged (not neutral, not
    without a previous measurement). ``not_judged`` counts neutral indicators with two measurements,
    ``unknown`` those without a previous measurement or without any value. ``compared`` = better + worse +
    equal: the indicators compared with liknande kommuner (a value for both, not neutral).
    """

    year: int
    judged: int
    positive: int
    negative: int
    unchanged: int
    not_judged: int
    unknown: int
    compared: int
    better: int
    worse: int
    equal: int


@dataclass(frozen=True)
class Summary:
    """The Sammanfattning: counts for the report year and earlier years, the developments, and the sentences.

    ``earlier`` holds the counts for year − 1, year − 2, … (newest first); ``trend_development[i]`` and
    ``peer_development[i]`` compare the report year with ``earlier[i]``.
    """

    year: int
    current: YearCounts
    earlier: tuple[YearCounts, ...]
    trend_development: tuple[Development, ...]
    peer_development: tuple[Development, ...]
    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


@dataclass(frozen=True)
class Analysis:
    """The analysis of one municipality for one report year: one result per catalogue indicator, in order."""

    municipality: Municipality
    year: int
    peer_group: MunicipalityGroup | None
    results: tuple[IndicatorResult, ...]
    summary: Summary
    is_example: bool
    fetched_at: datetime | None
    #: The user's own comparison kommuner (the catalogue's "jämförelsekommuner"); empty without a list.
    comparison: tuple[Municipality, ...] = ()

    @property
    def source(self) -> str:
        """ "Källa: Kolada" when every figure is Kolada's; which are generated otherwise (see ``example_count``)."""
        if not self.is_example:
            return SOURCE
        if self.real_count == 0:
            return SOURCE_EXAMPLE
        return f"{SOURCE} för {self.real_count} av {len(self.results)} nyckeltal; övriga: {SOURCE_EXAMPLE}"

    @property
    def example_count(self) -> int:
        """How many indicators rest on generated values."""
        return sum(1 for result in self.results if result.provenance.is_example)

    @property
    def real_count(self) -> int:
        """How many indicators have a value that is Kolada's real one (not generated)."""
        return sum(1 for r in self.results if r.latest is not None and not r.provenance.is_example)

    def by_kpi(self, kpi: str) -> IndicatorResult:
        for result in self.results:
            if result.indicator.kpi == kpi:
                return result
        raise KeyError(kpi)
