"""Fixtures for the analysis tests; the cast and the builders live in ``analysis_cast.py``."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from analysis_cast import INDICATORS, catalogue_of, make_dataset

from barnbokslut.indicators.catalogue import Catalogue
from barnbokslut.indicators.dataset import Dataset


@pytest.fixture
def dataset_of() -> Callable[..., Dataset]:
    return make_dataset


@pytest.fixture
def catalogue() -> Catalogue:
    return catalogue_of(*INDICATORS)
