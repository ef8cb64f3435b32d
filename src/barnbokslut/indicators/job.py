"""The indicator job as the CLI (and later the web app) runs it: fetch, check, analyse, and say how it went.

One call opens a Kolada client, fetches the dataset for one municipality or all 290, checks the catalogue
against Kolada's live metadata (a KPI Kolada has renamed away or retired is reported, not silently dropped),
analyses, and returns the analyses with the request counts and data age the user should see.
``check_catalogue`` is the same check on its own (``barnbokslut katalog``): only Kolada's KPI list is asked for.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from barnbokslut.indicators.analysis import analyse
from barnbokslut.indicators.catalogue import Catalogue
from barnbokslut.indicators.dataset import fetch_dataset
from barnbokslut.indicators.export import analysis_to_dict
from barnbokslut.indicators.results import Analysis
from barnbokslut.kolada import KPI, KoladaClient, Mode, Progress

__all__ = ["CatalogueCheck", "JobResult", "catalogue_warnings", "check_catalogue", "run_indicator_job"]

#: Where the Kolada cache is: ``"default"`` (the user's file), a path, or ``None`` (no cache).
CacheArg = str | os.PathLike[str] | Literal["default"] | None
#: The deadline of a whole fetch in seconds: ``"default"`` (the client's), a number, or ``None`` (none).
DeadlineArg = float | Literal["default"] | None


@dataclass
class JobResult:
    """What one run of the indicator job produced."""

    analyses: list[Analysis]
    year: int
    mode: Mode
    requests: int
    cache_hits: int
    stale: bool
    oldest_fetch: datetime | None
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON (docs/json-format.md): one analysis, or ``{"kommuner": [...]}`` for many."""
        meta = {
            "källa": "Kolada",
            "hämtad": self.oldest_fetch.isoformat(timespec="seconds") if self.oldest_fetch else None,
            "varningar": self.warnings,
        }
        if len(self.analyses) == 1:
            return {**analysis_to_dict(self.analyses[0]), "hämtning": meta}
        return {"år": self.year, "hämtning": meta, "kommuner": [analysis_to_dict(a) for a in self.analyses]}

    def file_stem(self) -> str:
        if len(self.analyses) == 1:
            m = self.analyses[0].municipality
            return f"indikatorer-{m.id}-{_slug(m.title)}-{self.year}"
        return f"indikatorer-alla-{self.year}"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def catalogue_warnings(catalogue: Catalogue, kpis: Mapping[str, KPI]) -> list[str]:
    """Name every catalogue KPI that Kolada no longer has or has retired, in Swedish.

    ``kpis`` is Kolada's metadata by KPI id (``Dataset.kpis``, or what ``client.kpis(catalogue.kpi_ids)`` gave).
    """
    warnings = []
    for indicator in catalogue:
        meta = kpis.get(indicator.kpi)
        if meta is None:
            warnings.append(
                f"Nyckeltalet {indicator.kpi} ({indicator.short_title}, katalogen rad {indicator.line}) "
                "finns inte längre i Kolada; byt id i katalogen."
            )
        elif meta.is_discontinued:
            warnings.append(f"Nyckeltalet {indicator.kpi} har upphört i Kolada: {meta.title}.")
    return warnings


def _client(
    base_url: str,
    cache: CacheArg,
    mode: Mode,
    max_retries: int | None,
    deadline: DeadlineArg,
    progress: Progress | None,
) -> KoladaClient:
    """The Kolada client of one job: the client's own defaults for whatever is ``"default"`` or ``None``."""
    options: dict[str, Any] = {"base_url": base_url, "mode": mode, "progress": progress}
    if cache != "default":
        options["cache"] = cache
    if max_retries is not None:
        options["max_retries"] = max_retries
    if deadline != "default":
        options["deadline"] = deadline
    return KoladaClient(**options)


@dataclass(frozen=True)
class CatalogueCheck:
    """The catalogue checked against Kolada's KPI list: what to warn about, and how the answer was got.

    ``unknown`` counts the catalogue's KPIs that Kolada doesn't have or has retired; ``warnings`` names them
    first, then adds what the client had to say (a cache not written, stale answers and why).
    """

    unknown: int
    warnings: list[str]
    mode: Mode
    requests: int
    stale: bool
    oldest_fetch: datetime | None


def check_catalogue(
    catalogue: Catalogue,
    *,
    base_url: str,
    cache: CacheArg = "default",
    mode: Mode = "normal",
    max_retries: int | None = None,
    deadline: DeadlineArg = "default",
    progress: Progress | None = None,
) -> CatalogueCheck:
    """Ask Kolada (or the cache) for the catalogue's KPIs and name those it doesn't have or has retired.

    The same query as the job's first one, so the two share the cache. Raises the client's ``KoladaError``
    when neither Kolada nor the cache can answer.
    """
    with _client(base_url, cache, mode, max_retries, deadline, progress) as client:
        kpis = {k.id: k for k in client.kpis(catalogue.kpi_ids)}
        named = catalogue_warnings(catalogue, kpis)
        return CatalogueCheck(
            unknown=len(named),
            warnings=[*named, *client.warnings],
            mode=mode,
            requests=client.stats.requests,
            stale=client.stats.stale,
            oldest_fetch=client.oldest_fetch,
        )


def run_indicator_job(
    catalogue: Catalogue,
    year: int,
    *,
    municipality: str | None,
    base_url: str,
    cache: CacheArg = "default",
    mode: Mode = "normal",
    max_retries: int | None = None,
    deadline: DeadlineArg = "default",
    progress: Progress | None = None,
) -> JobResult:
    """Fetch and analyse ``municipality`` (name or id; ``None`` = all 290 kommuner) for report year ``year``.

    ``deadline`` bounds the whole fetch in seconds (``"default"``: the client's, 180 s or
    ``$BARNBOKSLUT_KOLADA_DEADLINE``); ``progress`` gets the client's lines while it waits and retries.
    The result's warnings add what the client had to say (a cache not written, stale answers and why).
    """
    with _client(base_url, cache, mode, max_retries, deadline, progress) as client:
        dataset, target = fetch_dataset(client, catalogue, year, municipality=municipality)
        stats = client.stats
        oldest = client.oldest_fetch
        client_warnings = client.warnings
    targets = [target] if target is not None else dataset.kommuner
    analyses = [analyse(dataset, catalogue, m, year) for m in targets]
    return JobResult(
        analyses=analyses,
        year=year,
        mode=mode,
        requests=stats.requests,
        cache_hits=stats.cache_hits,
        stale=stats.stale,
        oldest_fetch=oldest or dataset.fetched_at,
        warnings=[*catalogue_warnings(catalogue, dataset.kpis), *client_warnings],
    )
