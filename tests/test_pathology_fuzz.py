"""Fuzz and pathology suite (issue 12): generated inputs for each text and upload kind, up to and past the limits.

A seeded generator (Hypothesis is not installed; the seeds make every failure reproducible) writes inputs from
small alphabets of the characters each reader treats specially, so runs of markup, separators and quotes come
up often. For each kind:

- time: the same generator at 16 times the size may take about 16 times as long, never the square: the bound is
  a ratio to the small input (tests/pathology.py), never absolute seconds;
- memory: the peak of Python's allocations grows with the input, not with its square;
- answers: a refused upload names what is wrong in Swedish (no English from the csv module or openpyxl).
"""

from __future__ import annotations

import random

import pytest

from barnbokslut.localdata.reader import parse_table
from barnbokslut.report.markdown import to_text
from localdata_files import csv_table, xlsx_table
from pathology import best_time, peak_memory

SEEDS = [1, 2, 3]
GROWTH = 16
#: A ratio bound for 16 times the input: linear is about 16, quadratic 256.
TIME_BOUND = 45
MEMORY_BOUND = 40

MARKDOWN_ALPHABET = [">", "> ", "—", "- ", "* ", "*", "_", "**", "[", "]", "(", ")", "`", "#", "1. ", "\n", "\n\n",
                     " ", "  ", "\\", "<", "&", "a", "ord", "https://x.se", "!"]  # fmt: skip
DIFF_ALPHABET = ["x", "y", "och", " ", "\n", "\n\n", "  "]
CSV_ALPHABET = [";", ",", "\t", '"', '""', "\n", "\r\n", "a", "1", "1,5", "..", " ", "å", "="]


def generated(alphabet: list[str], length: int, seed: int) -> str:
    rng = random.Random(seed)
    pieces: list[str] = []
    size = 0
    while size < length:
        piece = rng.choice(alphabet) * (rng.randint(1, 40) if rng.random() < 0.2 else 1)  # runs, often
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces)[:length]


def _ratios(call, small: str, large: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    time_ratio = best_time(lambda: call(large)) / best_time(lambda: call(small))
    memory_ratio = peak_memory(lambda: call(large)) / max(peak_memory(lambda: call(small)), 1)
    return time_ratio, memory_ratio


@pytest.mark.parametrize("seed", SEEDS)
def test_markdown_work_grows_linearly_with_the_text(seed: int) -> None:
    small = generated(MARKDOWN_ALPHABET, 3_000, seed)
    large = generated(MARKDOWN_ALPHABET, 3_000 * GROWTH, seed)
    time_ratio, memory_ratio = _ratios(to_text, small, large)
    assert time_ratio < TIME_BOUND and memory_ratio < MEMORY_BOUND, (time_ratio, memory_ratio)
    html = to_text(large).html
    assert "<script" not in html and "javascript:" not in html


@pytest.mark.parametrize("seed", SEEDS)
def test_the_word_diff_work_is_bounded(seed: int) -> None:
    from barnbokslut.web.editions.diffs import diff  # Django settings are needed for the HTML helpers

    small_old, small_new = generated(DIFF_ALPHABET, 2_000, seed), generated(DIFF_ALPHABET, 2_000, seed + 100)
    large_old = generated(DIFF_ALPHABET, 2_000 * GROWTH, seed)
    large_new = generated(DIFF_ALPHABET, 2_000 * GROWTH, seed + 100)
    time_ratio = best_time(lambda: diff(large_old, large_new)) / best_time(lambda: diff(small_old, small_new))
    assert time_ratio < TIME_BOUND, time_ratio
    result = diff(large_old, large_new)
    assert result.added <= len(large_new.split()) and result.removed <= len(large_old.split())


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_csv_is_read_in_linear_time_and_refused_in_swedish(seed: int) -> None:
    small = ("Skola;Andel\n" + generated(CSV_ALPHABET, 4_000, seed)).encode()
    large = ("Skola;Andel\n" + generated(CSV_ALPHABET, 4_000 * GROWTH, seed)).encode()
    time_ratio, memory_ratio = _ratios(lambda data: parse_table("a.csv", data), small, large)  # type: ignore[arg-type]
    assert time_ratio < TIME_BOUND and memory_ratio < MEMORY_BOUND, (time_ratio, memory_ratio)
    for data in (small, large):
        for error in parse_table("a.csv", data).errors:
            assert not any(word in error.message for word in ("field", "Error", "expected", "line contains"))


@pytest.mark.parametrize(
    ("name", "small", "large"),
    [
        ("csv", csv_table(100), csv_table(100 * GROWTH)),
        ("xlsx", xlsx_table(100), xlsx_table(100 * GROWTH)),
    ],
)
def test_good_tables_grow_linearly(name: str, small: bytes, large: bytes) -> None:
    time_ratio, memory_ratio = _ratios(lambda data: parse_table(f"a.{name}", data), small, large)  # type: ignore[arg-type]
    assert time_ratio < TIME_BOUND and memory_ratio < MEMORY_BOUND, (time_ratio, memory_ratio)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_bytes_as_xlsx_are_refused_in_swedish(seed: int) -> None:
    rng = random.Random(seed)
    good = bytearray(xlsx_table(20))
    for _ in range(20):  # a damaged workbook: bytes changed here and there
        good[rng.randrange(len(good))] = rng.randrange(256)
    parsed = parse_table("a.xlsx", bytes(good))
    if not parsed.ok:
        message = parsed.errors[0].message
        assert "Excel" in message or "Rad" in message or "Filen" in message or "Kolumn" in message, message
