"""Benchmark: the Kolada data job of one report under each fault of issue 11, cold cache and warm cache.

Runs ``fetch_dataset(client, catalogue, 2025, municipality="Söderhamn")`` (the job ``indikatorer`` and ``bygg``
run) against our Kolada server (``barnbokslut.koladaserver``, in this process, on 127.0.0.1) serving the
example snapshot, with one lasting fault on every ``/data/`` request (``Fault.….on("/data/").always()``;
the metadata requests are answered normally). For each fault and cache it prints:

* ``svar``: what the job got: ``ok`` (fresh data), ``sparat`` (the cached data, marked stale) or the error;
* ``sekunder``: wall-clock time to that answer; ``frågor``: the requests the server received;
* ``bra data kvar``: cold: ``inget cachat`` when no data answer was cached (nothing partial or wrong kept),
  else ``FEL``; warm: ``ja`` when the job's values equal the good run's and the cache still holds the good
  answers (same rows, same fetch time), else ``NEJ``.

Caches: ``kall`` (empty), ``varm`` (the good answers, made 3 days old, normal mode) and ``uppdatera`` (the good
answers made to look fetched 2026-03-01, before the example data changed, ``mode="refresh"``). A fault that
would never end is stopped after ``--cap`` seconds (the server then answers 404) and shown as ``slutade aldrig``.

The client keeps its defaults except the deadline and the timeout, shortened so a run takes a minute rather than
half an hour: ``--deadline`` (default 10 s; the product's default is 180 s) and ``--timeout`` (default 3 s; 30 s).
Not part of ``make test``. Run from the project root::

    .venv/bin/python bench/kolada_faults.py
    .venv/bin/python bench/kolada_faults.py --faults short,hang --deadline 5

Nothing but 127.0.0.1 and 127.0.0.2 (the forged server of the foreign-next_url fault) is contacted.
"""

from __future__ import annotations

import argparse
import inspect
import logging
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from barnbokslut.indicators.catalogue import load_catalogue
from barnbokslut.indicators.dataset import Dataset, fetch_dataset
from barnbokslut.kolada import KoladaClient, KoladaError, ResponseCache
from barnbokslut.koladaserver import Fault, KoladaServer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_SNAPSHOT = ROOT / "data" / "example" / "kolada"
YEAR = 2025
MUNICIPALITY = "Söderhamn"
THREE_DAYS = timedelta(days=3)
BEFORE_THE_CHANGE = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # the example data changed 2026-03-15

PointKey = tuple[str, str, int, str]


@dataclass
class Row:
    fault: str
    cache: str
    answer: str
    seconds: float
    requests: int
    kept: str


def faults(forged_url: str) -> dict[str, Fault | str]:
    """The faults, by name; a string names a fault of the cache rather than of Kolada."""
    return {
        "inget fel": Fault.delay(0.0),
        "short": Fault.short(),
        "cut": Fault.cut(),
        "utan values": Fault.shape("values"),
        "utan value": Fault.shape("value"),
        "true": Fault.token("true"),
        "NaN": Fault.token("NaN"),
        "Infinity": Fault.token("Infinity"),
        "loop": Fault.loop(),
        "främmande next_url": Fault.foreign_next(forged_url),
        "hang": Fault.hang(3600.0),
        "503 för alltid": Fault.status(503),
        "skrivskyddad cache": "read-only",
        "full disk": "full",
    }


def points(dataset: Dataset) -> dict[PointKey, float | None]:
    return {key: point.value for key, point in dataset.points.items()}


def holdings(cache: Path) -> dict[str, tuple[datetime, int]]:
    if not cache.exists():
        return {}
    with ResponseCache(cache) as opened:
        return {key: (found.fetched_at, len(found.values)) for key in opened if (found := opened.get(key))}


def data_part(holds: dict[str, tuple[datetime, int]]) -> dict[str, tuple[datetime, int]]:
    return {key: value for key, value in holds.items() if "/data/" in key}


def make_client(url: str, cache: ResponseCache | Path, mode: str, options: dict[str, Any]) -> KoladaClient:
    """A client with the options this version of the client knows (an older one lacks ``deadline``)."""
    known = inspect.signature(KoladaClient).parameters
    wanted = {"base_url": url, "cache": cache, "mode": mode, **options}
    return KoladaClient(**{k: v for k, v in wanted.items() if k in known})


def unwritable(path: Path, how: str) -> ResponseCache:
    cache = ResponseCache(path)
    connection: sqlite3.Connection = cache._connection
    if how == "full":
        (pages,) = connection.execute("PRAGMA page_count").fetchone()
        connection.execute(f"PRAGMA max_page_count = {pages}")
    else:
        connection.execute("PRAGMA query_only = ON")
    return cache


def run_one(
    server: KoladaServer,
    catalogue: Any,
    name: str,
    fault: Fault | str,
    cache_kind: str,
    good_cache: Path,
    good_points: dict[PointKey, float | None],
    workdir: Path,
    options: dict[str, Any],
    cap: float,
) -> Row:
    cache = workdir / f"{len(list(workdir.iterdir()))}.sqlite3"
    if cache_kind != "kall":
        shutil.copy(good_cache, cache)
        fetched = BEFORE_THE_CHANGE if cache_kind == "uppdatera" else datetime.now(UTC) - THREE_DAYS
        with ResponseCache(cache) as opened:
            for key in opened:
                found = opened.get(key)
                assert found is not None
                opened.put(key, found.values, fetched_at=fetched, is_example=found.is_example)
    before = holdings(cache)
    server.reset()
    if isinstance(fault, Fault):
        server.inject(fault.on("/data/").always())
    stopped = threading.Event()
    before_stop = [0]

    def stop() -> None:
        stopped.set()
        before_stop[0] = len(server.requests)
        server.reset()
        server.inject(Fault.status(404, body={"detail": "stoppad av mätningen"}).always())

    watchdog = threading.Timer(cap, stop)
    watchdog.daemon = True
    mode = "refresh" if cache_kind == "uppdatera" else "normal"
    opened_cache: ResponseCache | Path = unwritable(cache, fault) if isinstance(fault, str) else cache
    started = time.monotonic()
    watchdog.start()
    dataset: Dataset | None = None
    try:
        with make_client(server.url, opened_cache, mode, options) as client:
            dataset, _ = fetch_dataset(client, catalogue, YEAR, municipality=MUNICIPALITY)
            answer = "sparat" if client.stats.stale else "ok"
            if getattr(client, "warnings", None) and isinstance(fault, str):
                answer += " + varning"
    except KoladaError as exc:
        answer = type(exc).__name__
    except Exception as exc:  # an older client's crash is a result here
        answer = f"krasch: {type(exc).__name__}"
    finally:
        watchdog.cancel()
        if isinstance(opened_cache, ResponseCache):
            opened_cache.close()
    seconds = time.monotonic() - started
    if stopped.is_set():
        answer = f"slutade aldrig ({answer})"
    requests = before_stop[0] + len(server.requests)
    after = holdings(cache)
    right = dataset is not None and points(dataset) == good_points
    if cache_kind == "kall":
        if dataset is not None:
            kept = "rätt svar" if right else "FEL i svaret"
        else:
            kept = "FEL: cachat" if data_part(after) else "inget cachat"
    elif dataset is None:
        kept = "NEJ (inget svar)"
    elif answer.startswith("sparat"):
        kept = "ja" if right and data_part(after) == data_part(before) else "NEJ"
    else:
        kept = "ja" if right else "NEJ"
    return Row(name, cache_kind, answer, seconds, requests, kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--deadline", type=float, default=10.0, help="the client's deadline, s (default 10)")
    parser.add_argument(
        "--timeout", type=float, default=3.0, help="the client's timeout per request, s (default 3)"
    )
    parser.add_argument("--cap", type=float, default=60.0, help="stop a fault that never ends after this, s")
    parser.add_argument("--faults", default="", help="comma-separated fault names (default: all)")
    parser.add_argument("--caches", default="kall,varm,uppdatera", help="kall, varm, uppdatera")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    options = {"deadline": args.deadline, "timeout": args.timeout}
    catalogue = load_catalogue()

    with tempfile.TemporaryDirectory(prefix="kolada-faults-") as tmp:
        workdir = Path(tmp)
        forged_dir = workdir / "forged"
        forged_dir.mkdir()
        for item in EXAMPLE_SNAPSHOT.iterdir():
            if not item.name.startswith("data"):
                shutil.copy(item, forged_dir / item.name)
        (forged_dir / "data.json").write_text(
            '{"count":1,"values":[{"kpi":"U31803","municipality":"2182","period":2024,'
            '"values":[{"gender":"T","status":"","value":1.0}]}]}',
            encoding="utf-8",
        )
        caches = workdir / "caches"
        caches.mkdir()
        with KoladaServer(EXAMPLE_SNAPSHOT) as server, KoladaServer(forged_dir, host="127.0.0.2") as forged:
            good_cache = workdir / "good.sqlite3"
            with make_client(server.url, good_cache, "normal", options) as client:
                good, _ = fetch_dataset(client, catalogue, YEAR, municipality=MUNICIPALITY)
            good_points = points(good)
            chosen = faults(forged.url)
            if args.faults:
                names = [name.strip() for name in args.faults.split(",")]
                chosen = {name: chosen[name] for name in names}
            print(
                f"Kolada-jobbet för {MUNICIPALITY} {YEAR} under fel ({len(good_points)} värden; tidsgräns "
                f"{args.deadline:g} s, timeout {args.timeout:g} s per fråga, övriga klientinställningar som standard)"
            )
            header = f"{'fel':<20} {'cache':<10} {'svar':<34} {'sekunder':>8} {'frågor':>7}  bra data kvar"
            print(header)
            print("-" * len(header))
            for name, fault in chosen.items():
                for cache_kind in args.caches.split(","):
                    row = run_one(
                        server,
                        catalogue,
                        name,
                        fault,
                        cache_kind,
                        good_cache,
                        good_points,
                        caches,
                        options,
                        args.cap,
                    )
                    print(
                        f"{row.fault:<20} {row.cache:<10} {row.answer:<34} {row.seconds:>8.2f} {row.requests:>7}  "
                        f"{row.kept}",
                        flush=True,
                    )
            if forged.requests:
                print(f"Den förfalskade servern fick {len(forged.requests)} frågor.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
