"""Generate the example data snapshot ("Exempeldata") in Kolada's own format under data/example/kolada/.

No machine of ours reaches Kolada and no recorded values of the barnbokslut KPIs exist, so the example
snapshot pairs REAL Kolada metadata (the KPI catalogue, the 312 areas and the 3 630 municipality groups,
recorded via rKolada, see data/README.md) with GENERATED values for the 19 KPIs of the default indicator pack
(src/barnbokslut/indicators/default.toml), for all 290 kommuner and Riket (0000), periods 2014 to each KPI's
last period. The values are plausible but invented; every data file carries ``"exempeldata": true`` and the
server labels responses built from them, so every report made from them says "Exempeldata".

Real values win: a ``data_<KPI>.json.gz`` in data/example/kolada without ``"exempeldata": true`` holds real
Kolada values (brought in from /work/shared/kolada/real, see data/README.md). The generator never overwrites
or deletes such a file, writes no generated file for its KPI, and copies it when writing elsewhere (``--out``).

The output is deterministic: all randomness comes from ``random.Random`` streams seeded with SHA-256 of
stable keys (kpi, area, purpose), JSON is written with sorted keys and gzip with ``mtime=0``, so re-running
reproduces the files byte for byte (given the same zlib).

Model, per KPI: a national path (the kommun mean per year) plus, per kommun, a latent socio-economic
vulnerability score (seeded noise smoothed over RKA's "Liknande kommuner socioekonomi" peer groups, so peers
are alike), an own level, a slow own trend and yearly noise that grows as the kommun gets smaller (a pseudo
population drawn inside the kommun's real RKA size class). Shares move on an additive scale, rates and small
shares on a log scale. K/M values are written exactly for KPIs with ``kön = true`` in the catalogue; T is the
girls' share-weighted mean of K and M. Riket is the population-weighted mean of the kommuner. A few rows of
small kommuner are missing. Söderhamn (2182) is anchored loosely to its Barnbokslut 2022 and carries two
deliberate edge cases: N15901 missing in its latest period and N11808 unchanged over its last two periods.

Per school and preschool (organisational units, ``/v3/ou`` and ``/v3/oudata``): ``ou.json`` lists invented
but plausible units of a handful of kommuner around Söderhamn (Söderhamn's schools named as its seed report names
them), and ``oudata_<KPI>.json.gz`` holds generated unit values (T only, marked ``"exempeldata": true``) for the
default pack's KPIs that Kolada says have unit data and whose units we can tell apart: preschools for N11808 and
N11811, schools with årskurs 5 for N15613 and with årskurs 8 for N15643. U31803 also has ``has_ou_data`` in
Kolada's metadata, but its units are not schools and we do not invent them: it gets no unit values. A unit's
value is its kommun's generated value plus a seeded unit level and yearly noise; Söderhamn has one deliberate
gap (Ljusne skola, N15643, latest period: ``"Privacy"``).

Usage:
    python scripts/generate_example_data.py                 # regenerate data/example/kolada in place
    python scripts/generate_example_data.py --out DIR       # write a complete snapshot to DIR
    python scripts/generate_example_data.py --samples /work/shared/kolada/samples   # re-copy the metadata
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import math
import random
import re
import shutil
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "example" / "kolada"
CATALOGUE = REPO / "src" / "barnbokslut" / "indicators" / "default.toml"

#: Snapshot file name -> file name in the folder of recorded rKolada samples (``--samples``).
METADATA_FILES: dict[str, str] = {
    "kpi.json.gz": "kpi_catalogue_full_2026-03.json.gz",
    "municipality.json": "municipality.json",
    "municipality_groups.json.gz": "municipality_groups_full_2026-03.json.gz",
}

UPDATED = "2026-03-15"
FIRST_PERIOD = 2014
MIN_PERIODS = 10
COUNTRY = "0000"
SODERHAMN = "2182"
SOURCE = (
    "Exempeldata: genererade exempelvärden, inte Koladas siffror. Generated example values, NOT Kolada's "
    "figures (scripts/generate_example_data.py); only the metadata (KPIs, kommuner, grupper) is real."
)
PEER_TITLE = re.compile(r"^Liknande kommuner socioekonomi, (?P<name>.+), (?P<year>\d{4})$")
BARE_KEY = re.compile(r"^(?P<indent>[ \t]*)(?P<key>[^\s=\"'\[#]+)[ \t]*=", re.MULTILINE)
SIZE_TITLE = re.compile(r"^Kommuner med (?P<what>.+) invånare \(ovägt medel\)$")

#: Share of girls among the children behind a K/M split (T = w*K + (1 - w)*M).
GIRLS_SHARE = 0.487
#: Pseudo population at which the yearly noise has its nominal size.
REFERENCE_POPULATION = 20_000
#: Kommuner below this pseudo population are "small": they get the occasional missing value.
SMALL_POPULATION = 10_000
MISSING_RATE = 0.02
ABSENT_RATE = 0.004

#: Nudges (in SDs) to the latent vulnerability seed of a few kommuner and, half as strongly, their peers, so
#: the example is not upside down for well-known cases. Söderhamn is vulnerable, as its report describes.
LATENT_HINTS: dict[str, tuple[str, float]] = {
    "2182": ("Söderhamn", 1.6),
    "0162": ("Danderyd", -2.0),
    "1262": ("Lomma", -1.8),
    "1233": ("Vellinge", -1.8),
    "0160": ("Täby", -1.6),
    "0186": ("Lidingö", -1.5),
    "1280": ("Malmö", 1.6),
    "0127": ("Botkyrka", 1.8),
    "0181": ("Södertälje", 1.6),
    "1782": ("Filipstad", 1.6),
    "1864": ("Ljusnarsberg", 1.6),
    "1282": ("Landskrona", 1.4),
}


@dataclass(frozen=True)
class Spec:
    """How one KPI's values are generated.

    ``path`` gives the kommun mean at some years (linear in between). On the ``"add"`` scale the kommun's
    effects are in the KPI's unit; on ``"log"`` they are log factors. ``beta`` is the effect of one SD of
    latent vulnerability, ``idio`` the SD of the kommun's own level, ``slope`` the SD of its own trend per
    year, ``noise`` the SD of yearly noise at the reference population. ``gap`` is K - M (add) or log(K/M)
    (log), varying between kommuner with ``gap_sd`` and yearly with ``gap_noise``. With ``base`` the
    generated series is combined with that KPI's values so related KPIs stay consistent: ``op="minus"``
    subtracts it (N11800 = N11801 - pedagogisk omsorg; N15508 = N15428 - pupils eligible but missing a
    grade), ``op="per"`` divides it by the base share (N11811 = children per full-time employee / the share
    of licensed teachers N11808). Shares on the additive scale bend softly below 100 (no pile of 100.0s).
    """

    last: int
    path: Mapping[int, float]
    scale: str
    beta: float
    idio: float
    slope: float
    noise: float
    lo: float = 0.0
    hi: float = 100.0
    gap: float = 0.0
    gap_sd: float = 0.0
    gap_noise: float | None = None
    base: str | None = None
    op: str = ""
    decimals: int = 1
    counts: bool = False  # U00915: Poisson counts of children per 100 000 inhabitants


@dataclass(frozen=True)
class Anchor:
    """Söderhamn's noise-free level at ``year`` and optionally its own yearly trend (after the seed)."""

    year: int
    value: float
    trend: float | None = None


SPECS: dict[str, Spec] = {
    # Ekonomisk utsatthet
    "U31803": Spec(2024, {2014: 7.8, 2017: 7.2, 2020: 6.3, 2022: 5.8, 2024: 5.9}, "log",
                   beta=0.5, idio=0.22, slope=0.02, noise=0.07, lo=0.1, hi=60.0),
    "N66077": Spec(2025, {2014: 14.8, 2017: 14.5, 2020: 13.0, 2022: 12.5, 2025: 13.3}, "log",
                   beta=0.35, idio=0.15, slope=0.012, noise=0.035, lo=0.5),
    "N02903": Spec(2024, {2014: 4.1, 2018: 3.5, 2021: 3.0, 2024: 2.8}, "log",
                   beta=0.3, idio=0.18, slope=0.015, noise=0.06, lo=0.1, hi=30.0),
    "N02901": Spec(2025, {2014: 10.8, 2018: 12.2, 2022: 12.3, 2025: 12.0}, "log",
                   beta=0.4, idio=0.2, slope=0.012, noise=0.04, lo=0.1, gap=0.0, gap_sd=0.03),
    "N02902": Spec(2024, {2014: 5.3, 2017: 4.8, 2019: 3.9, 2021: 4.6, 2024: 4.0}, "log",
                   beta=0.45, idio=0.2, slope=0.02, noise=0.08, lo=0.1, hi=40.0),
    "U00915": Spec(2025, {2014: 4.6, 2018: 3.7, 2021: 2.6, 2025: 2.9}, "log",
                   beta=0.45, idio=0.35, slope=0.0, noise=0.0, lo=0.0, hi=1e6, counts=True),
    # Förskola
    "N11801": Spec(2025, {2014: 84.8, 2018: 85.8, 2022: 86.4, 2025: 86.8}, "add",
                   beta=-1.5, idio=2.5, slope=0.12, noise=0.9, lo=50.0),
    "N11800": Spec(2025, {2014: 1.6, 2020: 1.1, 2025: 0.9}, "log",
                   beta=0.0, idio=0.8, slope=0.03, noise=0.1, base="N11801", op="minus"),
    "N11811": Spec(2024, {2014: 4.9, 2018: 4.8, 2022: 4.6, 2024: 4.5}, "log",
                   beta=0.02, idio=0.07, slope=0.004, noise=0.03, lo=3.0, hi=40.0, base="N11808", op="per"),
    "N11808": Spec(2025, {2014: 40.5, 2018: 41.5, 2022: 40.0, 2025: 39.5}, "add",
                   beta=-3.0, idio=6.0, slope=0.4, noise=1.8),
    # Skola
    "N15428": Spec(2025, {2014: 84.5, 2017: 82.5, 2020: 85.3, 2023: 84.6, 2025: 84.0}, "add",
                   beta=-4.0, idio=3.0, slope=0.3, noise=2.2, gap=3.0, gap_sd=1.5),
    "N15508": Spec(2025, {2014: 11.5, 2020: 11.0, 2025: 12.0}, "log",
                   beta=0.12, idio=0.12, slope=0.01, noise=0.12, gap=-0.39, gap_sd=0.15,
                   base="N15428", op="minus"),
    "N17457": Spec(2025, {2014: 76.5, 2018: 77.5, 2022: 78.3, 2025: 78.0}, "add",
                   beta=-3.5, idio=3.0, slope=0.25, noise=2.5, gap=5.0, gap_sd=2.0),
    "N15901": Spec(2025, {2014: 3.4, 2015: 4.3, 2016: 5.6, 2017: 5.2, 2018: 4.0, 2019: 3.0, 2020: 2.3,
                          2021: 1.8, 2022: 2.4, 2023: 2.3, 2024: 1.9, 2025: 1.7}, "log",
                   beta=0.25, idio=0.45, slope=0.02, noise=0.18, gap=-0.1, gap_sd=0.15),
    # Trygghet
    "N15613": Spec(2025, {2014: 89.0, 2018: 88.0, 2022: 88.5, 2025: 87.8}, "add",
                   beta=-1.2, idio=2.0, slope=0.2, noise=2.0, gap=0.5, gap_sd=1.5),
    "N15643": Spec(2025, {2014: 78.0, 2018: 76.5, 2022: 75.5, 2025: 75.8}, "add",
                   beta=-2.0, idio=3.0, slope=0.3, noise=3.0, gap=-3.0, gap_sd=2.0),
    # Fritid och kultur
    "N09890": Spec(2023, {2014: 22.5, 2017: 21.5, 2019: 20.8, 2020: 18.0, 2021: 17.5, 2022: 19.3, 2023: 20.0},
                   "log", beta=-0.12, idio=0.3, slope=0.015, noise=0.07, gap=0.53, gap_sd=0.12),
    "N09811": Spec(2025, {2014: 11.5, 2017: 10.8, 2020: 9.3, 2021: 9.6, 2023: 10.0, 2025: 9.9}, "log",
                   beta=-0.08, idio=0.28, slope=0.015, noise=0.06, lo=0.5, hi=60.0),
    "U09800": Spec(2025, {2014: 33.0, 2017: 32.0, 2019: 31.0, 2020: 24.0, 2021: 23.5, 2022: 28.0,
                          2023: 27.8, 2024: 27.5, 2025: 27.2}, "log",
                   beta=-0.15, idio=0.2, slope=0.01, noise=0.06, gap=-0.22, gap_sd=0.08, lo=1.0, hi=150.0),
}  # fmt: skip

#: Söderhamn, loosely after its Barnbokslut 2022 (values for the year the report cites).
SODERHAMN_ANCHORS: dict[str, Anchor] = {
    "U31803": Anchor(2021, 14.7, trend=-0.03),
    "N02903": Anchor(2021, 2.8, trend=-0.02),
    "N11801": Anchor(2022, 87.0, trend=0.3),
    "N11808": Anchor(2022, 44.0),
    "N11811": Anchor(2022, 11.8),
    "N15428": Anchor(2022, 76.7, trend=-0.6),
    "N15508": Anchor(2022, 66.3),
    "N17457": Anchor(2022, 74.0, trend=0.8),
    "N15643": Anchor(2021, 81.0),
    "N15901": Anchor(2022, 4.0),
    "N09890": Anchor(2020, 18.8),
    "N09811": Anchor(2022, 9.1, trend=-0.03),
    "U09800": Anchor(2022, 20.3, trend=-0.02),
}


# --------------------------------------------------------------------------------------------- randomness


def rng_for(*parts: object) -> random.Random:
    """A random stream that depends only on ``parts`` (never on Python's salted ``hash``)."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def normal(rng: random.Random) -> float:
    """A standard normal draw by Box-Muller from ``rng.random()`` only (stable across Python versions)."""
    u1 = 1.0 - rng.random()
    u2 = rng.random()
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth's method; ``lam`` is small here)."""
    limit = math.exp(-lam)
    k = 0
    p = rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


# ------------------------------------------------------------------------------------------------ inputs


@dataclass
class Areas:
    """The kommuner, their peer groups, pseudo populations and latent vulnerability scores."""

    kommuner: list[str]
    titles: dict[str, str]
    peers: dict[str, list[str]]
    population: dict[str, float]
    growth: dict[str, float]
    latent: dict[str, float] = field(default_factory=dict)

    def pop(self, area: str, year: int) -> float:
        return self.population[area] * (1.0 + self.growth[area]) ** (year - 2020)

    def size_factor(self, area: str) -> float:
        return min(2.5, max(0.4, math.sqrt(REFERENCE_POPULATION / self.population[area])))

    def is_small(self, area: str) -> bool:
        return self.population[area] < SMALL_POPULATION


def read_json(path: Path) -> Any:
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return json.loads(raw.decode("utf-8"))


def read_catalogue(path: Path) -> dict[str, bool]:
    """KPI id -> ``kön`` for every ``[[indikator]]`` of the catalogue, in order.

    TOML 1.0 (Python's ``tomllib``) allows only ASCII bare keys, while the catalogue writes ``område`` and
    ``kön`` bare; if the file does not parse as it is, the bare keys are quoted and it is parsed again.
    """
    text = path.read_text(encoding="utf-8")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        doc = tomllib.loads(BARE_KEY.sub(r'\g<indent>"\g<key>" =', text))
    return {str(entry["kpi"]): bool(entry["kön"]) for entry in doc["indikator"]}


def size_range(what: str) -> tuple[float, float]:
    """Pseudo population bounds for an RKA size class title ("10 000 - 14 999", "fler än 200 000")."""
    numbers = [float(n.replace(" ", "")) for n in re.findall(r"\d[\d ]*\d|\d", what)]
    if what.startswith("fler än"):
        return numbers[0], 1_000_000.0
    low, high = numbers
    return max(low, 2_400.0), high + 1.0


def load_areas(folder: Path) -> Areas:
    municipalities = read_json(folder / "municipality.json")["values"]
    groups = read_json(folder / "municipality_groups.json.gz")["values"]
    titles = {str(m["id"]): str(m["title"]) for m in municipalities}
    kommuner = sorted(str(m["id"]) for m in municipalities if m.get("type") == "K")
    by_title = {titles[k]: k for k in kommuner}

    peers: dict[str, list[str]] = {}
    population: dict[str, float] = {}
    for group in groups:
        title = str(group["title"])
        members = sorted(str(m["id"]) for m in group.get("members") or [])
        peer = PEER_TITLE.match(title)
        if peer and peer["name"] in by_title:
            peers[by_title[peer["name"]]] = [m for m in members if m in by_title.values()]
        size = SIZE_TITLE.match(title)
        if size:
            low, high = size_range(size["what"])
            for member in members:
                u = rng_for("population", member).random()
                population[member] = math.exp(math.log(low) + u * (math.log(high) - math.log(low)))
    missing = [k for k in kommuner if k not in peers or k not in population]
    if missing:
        raise SystemExit(f"no socioekonomi peer group or size class for kommuner {missing}")
    growth = {k: 0.004 + 0.006 * normal(rng_for("growth", k)) for k in kommuner}
    for area, (name, _) in LATENT_HINTS.items():
        if titles.get(area) != name:
            raise SystemExit(f"LATENT_HINTS: {area} is {titles.get(area)!r}, expected {name!r}")
    areas = Areas(kommuner, titles, peers, population, growth)
    areas.latent = latent_scores(areas)
    return areas


def latent_scores(areas: Areas) -> dict[str, float]:
    """Seeded noise (plus the hints), smoothed three times over each kommun's peer group, standardised."""
    score = {k: normal(rng_for("latent", k)) for k in areas.kommuner}
    for area, (_, hint) in sorted(LATENT_HINTS.items()):
        score[area] += hint
        for peer in areas.peers[area]:
            score[peer] += hint / 2
    for _ in range(3):
        score = {k: 0.3 * score[k] + 0.7 * sum(score[p] for p in areas.peers[k]) / len(areas.peers[k])
                 for k in areas.kommuner}  # fmt: skip
    mean = sum(score.values()) / len(score)
    sd = math.sqrt(sum((v - mean) ** 2 for v in score.values()) / len(score))
    return {k: (v - mean) / sd for k, v in score.items()}


# ----------------------------------------------------------------------------------------------- the model

#: One generated value per gender ("T", "K", "M"), unrounded; None where not generated.
Values = dict[str, float]


def path_at(path: Mapping[int, float], year: int) -> float:
    years = sorted(path)
    if year <= years[0]:
        return path[years[0]]
    if year >= years[-1]:
        return path[years[-1]]
    for a, b in itertools.pairwise(years):
        if a <= year <= b:
            return path[a] + (path[b] - path[a]) * (year - a) / (b - a)
    raise AssertionError(year)


def periods(spec: Spec) -> range:
    return range(FIRST_PERIOD, spec.last + 1)


def clamp(value: float, spec: Spec) -> float:
    """Keep ``value`` in [lo, hi]; additive shares approach ``hi`` softly over its last 5 units."""
    if spec.scale == "add" and value > spec.hi - 5.0:
        value = spec.hi - 5.0 * math.exp(-(value - spec.hi + 5.0) / 5.0)
    return min(spec.hi, max(spec.lo, value))


def combine(spec: Spec, base: float, own: float) -> float:
    """The KPI's value from its base KPI's value and the generated series (see ``Spec``)."""
    if spec.op == "minus":
        return base - own
    if spec.op == "per":
        return own / (base / 100.0)
    raise ValueError(f"unknown op {spec.op!r}")


def uncombine(spec: Spec, base: float, value: float) -> float:
    """The generated series' value that gives the KPI ``value`` on top of ``base`` (inverts ``combine``)."""
    if spec.op == "minus":
        return base - value
    if spec.op == "per":
        return value * base / 100.0
    raise ValueError(f"unknown op {spec.op!r}")


def kommun_series(kpi: str, spec: Spec, area: str, areas: Areas, by_gender: bool,
                  base: dict[int, Values] | None, base_level: dict[int, float] | None,
                  ) -> tuple[dict[int, Values], dict[int, float]]:  # fmt: skip
    """The unrounded values of one kommun per period, and its noise-free T level (for anchoring)."""
    params = rng_for(kpi, area, "params")
    own = spec.idio * normal(params)
    slope = spec.slope * normal(params)
    gap = spec.gap + spec.gap_sd * normal(params)
    girls = GIRLS_SHARE + 0.01 * normal(params)
    s = areas.latent[area]
    size = areas.size_factor(area)
    var = spec.beta**2 + spec.idio**2 if spec.scale == "log" else 0.0

    def level(year: int, own_level: float, own_slope: float) -> float:
        eta = spec.beta * s + own_level + own_slope * (year - 2020)
        if spec.scale == "log":
            return path_at(spec.path, year) * math.exp(eta - var / 2)
        return path_at(spec.path, year) + eta

    anchor = SODERHAMN_ANCHORS.get(kpi) if area == SODERHAMN else None
    if anchor is not None:
        if anchor.trend is not None:
            slope = anchor.trend
        target = anchor.value
        if base_level is not None:
            target = uncombine(spec, base_level[anchor.year], anchor.value)
        # Solve the kommun's own level so that the noise-free level passes through the anchor.
        rest = level(anchor.year, 0.0, slope)
        own = math.log(target / rest) if spec.scale == "log" else target - rest

    series: dict[int, Values] = {}
    levels: dict[int, float] = {}
    for year in periods(spec):
        noise = rng_for(kpi, area, "noise", year)
        mid = level(year, own, slope)
        levels[year] = mid
        if spec.counts:
            pop = areas.pop(area, year)
            children = sum(1 + poisson(noise, 1.2) for _ in range(poisson(noise, mid * pop / 1e5 / 2.2)))
            series[year] = {"T": children / pop * 1e5}
            continue
        eps = spec.noise * size * normal(noise)
        total = mid * math.exp(eps) if spec.scale == "log" else mid + eps
        if not by_gender:
            values: Values = {"T": total}
        else:
            gap_noise = spec.gap_noise if spec.gap_noise is not None else 1.5 * spec.noise
            g = gap + gap_noise * size * normal(noise)
            if spec.scale == "log":  # K/M = exp(g) with w*K + (1 - w)*M = total
                boys_v = total / (girls * math.exp(g) + 1 - girls)
                girls_v = boys_v * math.exp(g)
            else:
                girls_v, boys_v = total + (1 - girls) * g, total - girls * g
            values = {"K": girls_v, "M": boys_v}
        if base is not None:
            values = {gender: combine(spec, base[year][gender], v) for gender, v in values.items()}
        values = {gender: clamp(v, spec) for gender, v in values.items()}
        if by_gender:
            values["T"] = girls * values["K"] + (1 - girls) * values["M"]
        series[year] = values
    if base_level is not None:
        levels = {year: combine(spec, base_level[year], level) for year, level in levels.items()}
    return series, levels


def generate_kpi(kpi: str, spec: Spec, areas: Areas, by_gender: bool,
                 generated: Mapping[str, tuple[dict[str, dict[int, Values]], dict[str, dict[int, float]]]],
                 ) -> tuple[dict[str, dict[int, Values]], dict[str, dict[int, float]]]:  # fmt: skip
    """Unrounded values for every kommun and Riket, plus the kommuner's noise-free levels."""
    values: dict[str, dict[int, Values]] = {}
    levels: dict[str, dict[int, float]] = {}
    base_values, base_levels = generated[spec.base] if spec.base is not None else ({}, {})
    for area in areas.kommuner:
        values[area], levels[area] = kommun_series(
            kpi, spec, area, areas, by_gender, base_values.get(area), base_levels.get(area)
        )
    values[COUNTRY] = {}
    for year in periods(spec):
        weights = {area: areas.pop(area, year) for area in areas.kommuner}
        total = sum(weights.values())
        values[COUNTRY][year] = {
            gender: sum(weights[a] * values[a][year][gender] for a in areas.kommuner) / total
            for gender in values[areas.kommuner[0]][year]
        }
    return values, levels


# ---------------------------------------------------------------------------------------------- the rows


def entry(gender: str, value: float | None, decimals: int) -> dict[str, Any]:
    if value is None:
        return {"count": 0, "gender": gender, "status": "Missing", "value": None}
    return {"count": 1, "gender": gender, "status": "", "value": round(value, decimals)}


def kpi_rows(kpi: str, spec: Spec, areas: Areas, by_gender: bool,
             values: dict[str, dict[int, Values]]) -> list[dict[str, Any]]:  # fmt: skip
    """The data rows of one KPI, as the API returns them, including the deliberate gaps."""
    genders = ("T", "K", "M") if by_gender else ("T",)
    years = list(periods(spec))
    rows: list[dict[str, Any]] = []
    for area in [COUNTRY, *areas.kommuner]:
        absent_left = len(years) - MIN_PERIODS
        for year in years:
            entries = [entry(g, values[area][year][g], spec.decimals) for g in genders]
            if area not in (COUNTRY, SODERHAMN) and areas.is_small(area):
                u = rng_for(kpi, area, "missing", year).random()
                if u < MISSING_RATE:
                    # K and M suppressed (T kept) or everything missing, as Kolada does for few pupils.
                    hide = ("K", "M") if by_gender and u < MISSING_RATE * 0.6 else genders
                    entries = [entry(e["gender"], None, 0) if e["gender"] in hide else e for e in entries]
                elif u < MISSING_RATE + ABSENT_RATE and absent_left > 0:
                    absent_left -= 1
                    continue
            rows.append({"kpi": kpi, "municipality": area, "period": year, "values": entries})
    apply_soderhamn_cases(kpi, spec, rows)
    return rows


def apply_soderhamn_cases(kpi: str, spec: Spec, rows: list[dict[str, Any]]) -> None:
    """N15901: latest value missing; N11808: the last two periods exactly equal (an unchanged trend).

    Every other KPI gets a changed latest T value (nudged by 0.1 if rounding made the last two equal), so
    N11808 is Söderhamn's only unchanged trend.
    """
    mine = {row["period"]: row for row in rows if row["municipality"] == SODERHAMN}
    latest, previous = mine[spec.last], mine[spec.last - 1]
    if kpi == "N15901":
        latest["values"] = [entry(e["gender"], None, 0) for e in latest["values"]]
    elif kpi == "N11808":
        latest["values"] = [dict(e) for e in previous["values"]]
    elif latest["values"][0]["value"] == previous["values"][0]["value"]:
        total = latest["values"][0]
        others = [e["value"] for e in latest["values"][1:]]
        step = -0.1 if others and total["value"] + 0.1 > max(others) else 0.1
        total["value"] = round(total["value"] + step, spec.decimals)


# --------------------------------------------------------------------------------------------- the files


def encode(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def data_document(rows: Sequence[dict[str, Any]], source: str = SOURCE) -> bytes:
    """A data file: the API's ``{"count", "values"}`` plus ``exempeldata``, ``source`` and ``updated``, one
    row per line (keys sorted), so a decompressed file diffs and greps well."""
    head = {"count": len(rows), "exempeldata": True, "source": source, "updated": UPDATED}
    lines = [encode(head)[:-1] + ',"values":[']
    lines.append(",\n".join(encode(row) for row in rows))
    lines.append("]}\n")
    return "\n".join(lines).encode("utf-8")


def write_gzip(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def copy_metadata(out: Path, samples: Path | None) -> None:
    """Put the three real metadata files into ``out``, from ``samples`` if given, else the shipped copies."""
    for name, sample_name in METADATA_FILES.items():
        source = samples / sample_name if samples is not None else DEFAULT_OUT / name
        target = out / name
        if not source.is_file():
            raise SystemExit(f"missing metadata file {source}")
        if source.resolve() != target.resolve():
            shutil.copyfile(source, target)


def real_data_files(folder: Path) -> dict[str, Path]:
    """The data files of ``folder`` that hold real Kolada values (no ``"exempeldata": true``), by KPI."""
    found = {}
    for path in sorted(folder.glob("data_*.json.gz")):
        if read_json(path).get("exempeldata") is not True:
            found[path.name.removeprefix("data_").removesuffix(".json.gz")] = path
    return found


def check_metadata(out: Path, catalogue: Mapping[str, bool]) -> None:
    kpis = {str(k["id"]): k for k in read_json(out / "kpi.json.gz")["values"]}
    absent = [kpi for kpi in catalogue if kpi not in kpis]
    if absent:
        raise SystemExit(f"catalogue KPIs not in kpi.json.gz: {absent}")
    for kpi, by_gender in catalogue.items():
        divided = bool(kpis[kpi].get("is_divided_by_gender"))
        if by_gender and not divided:
            raise SystemExit(f"{kpi}: catalogue says kön = true but Kolada does not divide it by gender")
        if divided and not by_gender:
            print(f"note: {kpi} is divided by gender in Kolada but kön = false in the catalogue: T only")


# ------------------------------------------------------------------------------ organisational units

OU_SOURCE = (
    "Exempeldata: påhittade enheter och genererade värden per enhet, inte Koladas. Invented units and generated "
    "values per unit, NOT Kolada's (scripts/generate_example_data.py)."
)
#: The unit KPIs: which units report them ("förskola", or the grade a school must have), the SD of a unit's
#: own level and of its yearly noise (additive: in the KPI's unit; "log": log factors), and the scale.
OU_SPECS: dict[str, tuple[str | int, float, float, str]] = {
    "N11808": ("förskola", 9.0, 3.0, "add"),
    "N11811": ("förskola", 0.18, 0.06, "log"),
    "N15613": (5, 5.0, 3.0, "add"),
    "N15643": (8, 7.0, 4.0, "add"),
}
#: Per kommun, its units: (title, kind) with kind "förskola" or the grades (5 and/or 8) a school has.
#: Söderhamn's schools are those its Barnbokslut 2022 names (Bergviksskolan, Vågbro, Stenberga, Trönö, Sandarne).
OU_UNITS: dict[str, tuple[tuple[str, str | tuple[int, ...]], ...]] = {
    "2182": (
        ("Bergviksskolan", (5, 8)), ("Vågbroskolan", (8,)), ("Stenberga skola", (5,)), ("Trönö skola", (5,)),
        ("Sandarne skola", (5,)), ("Ljusne skola", (5, 8)), ("Söderala skola", (5,)), ("Mohedskolan", (5,)),
        ("Kungsgårdens förskola", "förskola"), ("Ljusne förskola", "förskola"),
        ("Sandarne förskola", "förskola"), ("Stenbergs förskola", "förskola"),
        ("Söderala förskola", "förskola"), ("Trönö förskola", "förskola"), ("Åsens förskola", "förskola"),
    ),
    "2183": (
        ("Gärdesskolan", (5,)), ("Granskolan", (8,)), ("Torsbergsskolan", (5, 8)), ("Kilafors skola", (5, 8)),
        ("Arbrå skola", (5, 8)), ("Kilafors förskola", "förskola"), ("Arbrå förskola", "förskola"),
        ("Gärdets förskola", "förskola"), ("Rengsjö förskola", "förskola"),
    ),
    "2184": (
        ("Håstaskolan", (8,)), ("Östra skolan", (5,)), ("Iggesunds skola", (5, 8)), ("Delsbo skola", (5, 8)),
        ("Forsa skola", (5,)), ("Iggesunds förskola", "förskola"), ("Delsbo förskola", "förskola"),
        ("Forsa förskola", "förskola"), ("Näsvikens förskola", "förskola"),
    ),
    "2132": (
        ("Bergsjö skola", (5, 8)), ("Harmångers skola", (5,)), ("Gnarps skola", (5, 8)),
        ("Bergsjö förskola", "förskola"), ("Gnarps förskola", "förskola"),
    ),
}  # fmt: skip
#: Söderhamn's deliberate gap in the unit data: (KPI, unit title, status) at the KPI's latest period.
OU_GAP = ("N15643", "Ljusne skola", "Privacy")


def ou_id(kommun: str, kind: str | tuple[int, ...], number: int) -> str:
    """A Kolada-style unit id: V11E (förskola) or V15E (grundskola), the kommun, a running number."""
    return f"{'V11E' if kind == 'förskola' else 'V15E'}{kommun}{number:05d}"


def ou_units() -> list[dict[str, Any]]:
    """The ``/v3/ou`` entries of the example: ``{"id", "municipality", "title"}``, sorted by id."""
    units = [
        {"id": ou_id(kommun, kind, number), "municipality": kommun, "title": title}
        for kommun, entries in OU_UNITS.items()
        for number, (title, kind) in enumerate(entries, start=1)
    ]
    return sorted(units, key=lambda unit: unit["id"])


def ou_rows(kpi: str, spec: Spec, values: dict[str, dict[int, Values]]) -> list[dict[str, Any]]:
    """The ``/v3/oudata`` rows of one KPI: every unit that reports it, every period its kommun has."""
    reports, level_sd, noise_sd, scale = OU_SPECS[kpi]
    rows: list[dict[str, Any]] = []
    for kommun, entries in OU_UNITS.items():
        for number, (title, kind) in enumerate(entries, start=1):
            if not (
                kind == reports if reports == "förskola" else isinstance(kind, tuple) and reports in kind
            ):
                continue
            unit = ou_id(kommun, kind, number)
            own = level_sd * normal(rng_for(kpi, unit, "ou level"))
            for year in periods(spec):
                base = values[kommun][year]["T"]
                eps = own + noise_sd * normal(rng_for(kpi, unit, "ou noise", year))
                value = clamp(base * math.exp(eps) if scale == "log" else base + eps, spec)
                entries_out = [entry("T", value, spec.decimals)]
                if (kpi, title, year) == (OU_GAP[0], OU_GAP[1], spec.last) and kommun == SODERHAMN:
                    entries_out = [{"count": 0, "gender": "T", "status": OU_GAP[2], "value": None}]
                rows.append({"kpi": kpi, "ou": unit, "period": year, "values": entries_out})
    return rows


def ou_document(units: Sequence[dict[str, Any]]) -> bytes:
    """``ou.json``: the API's ``{"count", "values"}`` plus ``source``, one unit per line."""
    head = {"count": len(units), "source": OU_SOURCE}
    lines = [encode(head)[:-1] + ',"values":[', ",\n".join(encode(unit) for unit in units), "]}\n"]
    return "\n".join(lines).encode("utf-8")


def write_ou_files(
    out: Path, generated: Mapping[str, tuple[dict[str, dict[int, Values]], Any]]
) -> list[Path]:
    """Write ``ou.json`` and one ``oudata_<KPI>.json.gz`` per unit KPI; returns the files written."""
    for stale in [*out.glob("oudata_*.json*"), *out.glob("ou.json*")]:
        stale.unlink()
    path = out / "ou.json"
    path.write_bytes(ou_document(ou_units()))
    written = [path]
    for kpi in OU_SPECS:
        rows = ou_rows(kpi, SPECS[kpi], generated[kpi][0])
        path = out / f"oudata_{kpi}.json.gz"
        write_gzip(path, data_document(rows, OU_SOURCE))
        written.append(path)
    return written


def generate(out: Path, samples: Path | None = None, catalogue_path: Path = CATALOGUE) -> list[Path]:
    """Write the complete example snapshot to ``out``; returns the data files written."""
    out.mkdir(parents=True, exist_ok=True)
    copy_metadata(out, samples)
    catalogue = read_catalogue(catalogue_path)
    unknown = [kpi for kpi in catalogue if kpi not in SPECS]
    if unknown:
        raise SystemExit(f"no generator spec for catalogue KPIs {unknown}: add them to SPECS")
    check_metadata(out, catalogue)
    areas = load_areas(out)

    real = real_data_files(DEFAULT_OUT)
    for stale in out.glob("data_*.json*"):
        if stale.name not in {path.name for path in real.values()}:
            stale.unlink()
    for path in real.values():
        if path.resolve() != (out / path.name).resolve():
            shutil.copyfile(path, out / path.name)
    generated: dict[str, tuple[dict[str, dict[int, Values]], dict[str, dict[int, float]]]] = {}
    written: list[Path] = []
    # Base KPIs before the KPIs derived from them; otherwise catalogue order.
    order = sorted(catalogue, key=lambda kpi: SPECS[kpi].base is not None)
    for kpi in order:
        spec = SPECS[kpi]
        if spec.base is not None and (spec.base not in catalogue or catalogue[kpi] > catalogue[spec.base]):
            raise SystemExit(f"{kpi} is derived from {spec.base}, which the catalogue lacks (or its K/M)")
        generated[kpi] = generate_kpi(kpi, spec, areas, catalogue[kpi], generated)
    for kpi in catalogue:
        if kpi in real:
            continue  # Kolada's real values: never replaced by generated ones
        rows = kpi_rows(kpi, SPECS[kpi], areas, catalogue[kpi], generated[kpi][0])
        path = out / f"data_{kpi}.json.gz"
        write_gzip(path, data_document(rows))
        written.append(path)
    missing = [kpi for kpi in OU_SPECS if kpi not in catalogue]
    if missing:
        raise SystemExit(f"OU_SPECS names KPIs the catalogue lacks: {missing}")
    return written + write_ou_files(out, generated)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (data/example/kolada)")
    parser.add_argument(
        "--samples",
        type=Path,
        default=None,
        help="folder of recorded rKolada metadata to copy (kpi_catalogue_full_2026-03.json.gz, "
        "municipality.json, municipality_groups_full_2026-03.json.gz); default: the shipped copies",
    )
    parser.add_argument("--catalogue", type=Path, default=CATALOGUE, help="indicator catalogue (TOML)")
    args = parser.parse_args(argv)
    written = generate(args.out, args.samples, args.catalogue)
    total = sum(path.stat().st_size for path in written)
    print(f"wrote {len(written)} data files ({total / 1e6:.2f} MB) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
