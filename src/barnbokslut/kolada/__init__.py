"""The Kolada API v3 client: ``from barnbokslut.kolada import KoladaClient``.

Everything public is re-exported here; the ``_``-modules behind it are private.
"""

from __future__ import annotations

from barnbokslut.kolada._cache import CachedResponse, ResponseCache, default_cache_path
from barnbokslut.kolada._client import (
    DEFAULT_DEADLINE,
    DEFAULT_RATE,
    KoladaClient,
    default_deadline,
    default_rate,
)
from barnbokslut.kolada._errors import (
    KoladaCacheError,
    KoladaConnectionError,
    KoladaDeadlineError,
    KoladaDecodeError,
    KoladaError,
    KoladaHTTPError,
    KoladaIncompleteError,
    KoladaOfflineError,
    KoladaPagingError,
    KoladaShapeError,
    KoladaTimeoutError,
    KoladaTransportError,
)
from barnbokslut.kolada._fetch import (
    DEADLINE_ENV,
    EXAMPLE_HEADER,
    MAX_PAGES,
    RATE_ENV,
    Progress,
    RequestStats,
)
from barnbokslut.kolada._models import (
    GENDERS,
    KPI,
    DataPoint,
    Municipality,
    MunicipalityGroup,
    OrganisationalUnit,
    parse_data_values,
)
from barnbokslut.kolada._types import Mode
from barnbokslut.kolada._urls import BASE_URL_ENV, DEFAULT_BASE_URL, default_base_url

__all__ = [
    "BASE_URL_ENV",
    "DEADLINE_ENV",
    "DEFAULT_BASE_URL",
    "DEFAULT_DEADLINE",
    "DEFAULT_RATE",
    "EXAMPLE_HEADER",
    "GENDERS",
    "KPI",
    "MAX_PAGES",
    "RATE_ENV",
    "CachedResponse",
    "DataPoint",
    "KoladaCacheError",
    "KoladaClient",
    "KoladaConnectionError",
    "KoladaDeadlineError",
    "KoladaDecodeError",
    "KoladaError",
    "KoladaHTTPError",
    "KoladaIncompleteError",
    "KoladaOfflineError",
    "KoladaPagingError",
    "KoladaShapeError",
    "KoladaTimeoutError",
    "KoladaTransportError",
    "Mode",
    "Municipality",
    "MunicipalityGroup",
    "OrganisationalUnit",
    "Progress",
    "RequestStats",
    "ResponseCache",
    "default_base_url",
    "default_cache_path",
    "default_deadline",
    "default_rate",
    "parse_data_values",
]
