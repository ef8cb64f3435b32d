"""The Kolada API v3 client: ``from barnbokslut.kolada import KoladaClient``.

Everything public is re-exported here; the ``_``-modules behind it are private.
"""

from __future__ import annotations

from barnbokslut.kolada._cache import CachedResponse, ResponseCache, default_cache_path
from barnbokslut.kolada._client import KoladaClient
from barnbokslut.kolada._errors import (
    KoladaCacheError,
    KoladaConnectionError,
    KoladaDecodeError,
    KoladaError,
    KoladaHTTPError,
    KoladaOfflineError,
    KoladaTimeoutError,
    KoladaTransportError,
)
from barnbokslut.kolada._fetch import EXAMPLE_HEADER, RequestStats
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
    "DEFAULT_BASE_URL",
    "EXAMPLE_HEADER",
    "GENDERS",
    "KPI",
    "CachedResponse",
    "DataPoint",
    "KoladaCacheError",
    "KoladaClient",
    "KoladaConnectionError",
    "KoladaDecodeError",
    "KoladaError",
    "KoladaHTTPError",
    "KoladaOfflineError",
    "KoladaTimeoutError",
    "KoladaTransportError",
    "Mode",
    "Municipality",
    "MunicipalityGroup",
    "OrganisationalUnit",
    "RequestStats",
    "ResponseCache",
    "default_base_url",
    "default_cache_path",
    "parse_data_values",
]
