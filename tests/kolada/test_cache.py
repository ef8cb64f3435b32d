"""Unit tests of the SQLite response cache and of merging incremental answers."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from barnbokslut.kolada import KoladaCacheError, ResponseCache, default_cache_path
from barnbokslut.kolada._cache import merge_changes, row_key

from .snapshots import row

KEY = "https://api.kolada.se/v3/data/kpi/N15428/municipality/2182/year/2023"
FETCHED = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def test_it_keeps_values_fetch_time_and_example_flag_across_instances(cache_path: Path) -> None:
    values = [row("N15428", "2182", 2023, T=71.5, K=None)]
    with ResponseCache(cache_path) as cache:
        cache.put(KEY, values, fetched_at=FETCHED, is_example=True)
    with ResponseCache(cache_path) as cache:
        cached = cache.get(KEY)
        assert cached is not None
        assert cached.values == values
        assert cached.fetched_at == FETCHED
        assert cached.fetched_at.tzinfo is not None
        assert cached.is_example is True
        assert cache.keys() == [KEY]
        assert len(cache) == 1
        assert KEY in cache


def test_it_stores_fetch_times_in_utc(open_cache: Callable[[], ResponseCache]) -> None:
    cache = open_cache()
    stockholm = timezone(timedelta(hours=1))
    cache.put(KEY, [], fetched_at=datetime(2026, 11, 20, 9, 30, tzinfo=stockholm))
    cached = cache.get(KEY)
    assert cached is not None
    assert cached.fetched_at == FETCHED
    assert cached.fetched_at.utcoffset() == timedelta(0)


def test_it_refuses_a_naive_fetch_time(open_cache: Callable[[], ResponseCache]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        open_cache().put(KEY, [], fetched_at=datetime(2026, 11, 20, 8, 30))


def test_a_missing_query_is_none_and_put_replaces(open_cache: Callable[[], ResponseCache]) -> None:
    cache = open_cache()
    assert cache.get(KEY) is None
    cache.put(KEY, [row("N15428", "2182", 2023, T=1.0)], fetched_at=FETCHED)
    cache.put(KEY, [row("N15428", "2182", 2023, T=2.0)], fetched_at=FETCHED + timedelta(days=1))
    cached = cache.get(KEY)
    assert cached is not None
    assert cached.values[0]["values"][0]["value"] == 2.0
    assert cached.age(FETCHED + timedelta(days=3)) == timedelta(days=2)
    assert len(cache) == 1


def test_delete_and_clear_forget_answers(open_cache: Callable[[], ResponseCache]) -> None:
    cache = open_cache()
    cache.put(KEY, [], fetched_at=FETCHED)
    cache.put(KEY + "x", [], fetched_at=FETCHED)
    assert cache.delete(KEY) is True
    assert cache.delete(KEY) is False
    cache.clear()
    assert len(cache) == 0


def test_it_empties_a_cache_written_by_another_schema_version(cache_path: Path) -> None:
    with ResponseCache(cache_path) as cache:
        cache.put(KEY, [], fetched_at=FETCHED)
    connection = sqlite3.connect(cache_path)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    with ResponseCache(cache_path) as cache:
        assert len(cache) == 0
        cache.put(KEY, [], fetched_at=FETCHED)
        assert cache.get(KEY) is not None


def test_a_file_that_is_not_a_cache_gives_a_swedish_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "not-a-cache.sqlite3"
    path.write_bytes(b"this is not a SQLite database, just text" * 100)
    with pytest.raises(KoladaCacheError, match=r"Cachefilen .*not-a-cache\.sqlite3 kan inte läsas") as info:
        ResponseCache(path)
    assert info.value.path == str(path)


def test_a_damaged_row_counts_as_not_cached(cache_path: Path) -> None:
    with ResponseCache(cache_path) as cache:
        cache.put(KEY, [], fetched_at=FETCHED)
    connection = sqlite3.connect(cache_path)
    connection.execute('UPDATE responses SET "values" = ?', ("[{broken",))
    connection.commit()
    connection.close()
    with ResponseCache(cache_path) as cache:
        assert cache.get(KEY) is None


def test_the_default_path_is_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("platformdirs.user_data_dir", lambda appname: str(tmp_path / appname))
    assert default_cache_path() == tmp_path / "barnbokslut" / "kolada-cache.sqlite3"
    with ResponseCache() as cache:
        assert cache.path == tmp_path / "barnbokslut" / "kolada-cache.sqlite3"
        assert cache.path.is_file()


def test_row_keys_treat_string_and_integer_periods_alike() -> None:
    assert row_key(row("N1", "0180", "2023", T=1.0)) == row_key(row("N1", "0180", 2023, T=2.0))
    assert row_key(row("N1", "V15E1", 2023, area_key="ou", T=1.0)) == ("N1", "V15E1", "2023")


def test_merging_replaces_changed_rows_adds_new_ones_and_removes_deleted_ones() -> None:
    cached = [
        row("N1", "0180", 2022, T=1.0),
        row("N1", "0180", 2023, T=2.0),
        row("N1", "1280", 2023, T=3.0),
    ]
    changes = [
        row("N1", "0180", "2023", T=20.0),
        row("N1", "1280", 2023, isdeleted=True, T=3.0),
        row("N1", "1480", 2023, T=4.0),
    ]
    merged = merge_changes(cached, changes)
    assert [(r["municipality"], str(r["period"]), r["values"][0]["value"]) for r in merged] == [
        ("0180", "2022", 1.0),
        ("0180", "2023", 20.0),
        ("1480", "2023", 4.0),
    ]
    assert cached[1]["values"][0]["value"] == 2.0  # the cached list itself is left alone
