"""The indicator job as the CLI (and later the web app) runs it: fetch, check, analyse, and say how it went.

One call opens a Kolada client, fetches the dataset for one municipality or all 290, checks the catalogue
against Kolada's live metadata (a KPI Kolada has renamed away or retired is reported, not silently dropped),
analyses, and returns the analyses with the request counts and data age the user should see.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from barnbokslut.indicators.analysis import analyse
from barnbokslut.indicators.catalogue import Catalogue
from barnbokslut.indicators.dataset import Dataset, fetch_dataset
from barnbokslut.indicators.export import analysis_to_dict
from barnbokslut.indicators.results import Analysis
from barnbokslut.kolada import KoladaClient, Mode

__all__ = ["JobResult", "catalogue_warnings", "run_indicator_job"]


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


def catalogue_warnings(catalogue: Catalogue, dataset: Dataset) -> list[str]:
    """Name every catalogue KPI that Kolada no longer has or has retired, in Swedish."""
    warnings = []
    for indicator in catalogue:
        meta = dataset.kpis.get(indicator.kpi)
        if meta is None:
            warnings.append(
                f"Nyckeltalet {indicator.kpi} ({indicator.short_title}, katalogen rad {indicator.line}) "
                "finns inte längre i Kolada; byt id i katalogen."
            )
        elif meta.is_discontinued:
            warnings.append(f"Nyckeltalet {indicator.kpi} har upphört i Kolada: {meta.title}.")
    return warnings


def run_indicator_job(
    catalogue: Catalogue,
    year: int,
    *,
    municipality: str | None,
    base_url: str,
    cache: str | os.PathLike[str] | Literal["default"] | None = "default",
    mode: Mode = "normal",
    max_retries: int | None = None,
    deadline: float | Literal["default"] | None = "default",
    progress: Callable[[str], None] | None = None,
) -> JobResult:
    """Fetch and analyse ``municipality`` (name or id; ``None`` = all 290 kommuner) for report year ``year``.

    ``deadline`` bounds the whole fetch in seconds (``"default"``: the client's, 180 s or
    ``$BARNBOKSLUT_KOLADA_DEADLINE``); ``progress`` gets the client's lines while it waits and retries.
    The result's warnings add what the client had to say (a cache not written, stale answers and why).
    """
    options: dict[str, Any] = {"base_url": base_url, "mode": mode, "progress": progress}
    if cache != "default":
        options["cache"] = cache
    if max_retries is not None:
        options["max_retries"] = max_retries
    if deadline != "default":
        options["deadline"] = deadline
    with KoladaClient(**options) as client:
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
        warnings=[*catalogue_warnings(catalogue, dataset), *client_warnings],
    )
