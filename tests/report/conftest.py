"""Fixtures for the report tests: the example analysis (once per session, from the example snapshot through our
Kolada server), the example folder, the report built from it and its HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from barnbokslut.indicators.catalogue import load_catalogue
from barnbokslut.indicators.job import run_indicator_job
from barnbokslut.indicators.results import Analysis
from barnbokslut.report.folder import load_source
from barnbokslut.report.html import render_html
from barnbokslut.report.model import Report
from barnbokslut.report.source import build_report
from example_kolada import example_server

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_SNAPSHOT = ROOT / "data" / "example" / "kolada"
EXAMPLE_FOLDER = ROOT / "examples" / "barnbokslut-exempel"


@pytest.fixture(scope="session")
def example_analysis() -> Analysis:
    with example_server() as server:
        job = run_indicator_job(
            load_catalogue(None), 2025, municipality="Söderhamn", base_url=server.url, cache=None
        )
    return job.analyses[0]


@pytest.fixture(scope="session")
def example_report(example_analysis: Analysis) -> Report:
    return build_report(load_source(EXAMPLE_FOLDER), example_analysis)


@pytest.fixture(scope="session")
def example_html(example_report: Report) -> str:
    return render_html(example_report)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the example folder, to break in one way per test."""
    target = tmp_path / "exempel"
    shutil.copytree(EXAMPLE_FOLDER, target)
    return target
