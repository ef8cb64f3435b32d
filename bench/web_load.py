"""Benchmark: 20 people using the web app at once, against the production server, on SQLite and PostgreSQL.

For each database: a fresh data folder, ``barnbokslut webb migrate`` and ``load_example`` (the example
organisation with one user per role), then ``barnbokslut serve`` (gunicorn + the job worker, production
settings: DEBUG off, a real secret key, only 127.0.0.1 allowed) in a subprocess on a free loopback port. Our
Kolada server serves the example snapshot for the indicator pages. PostgreSQL is a throwaway cluster
(scripts/pgcluster.py), removed afterwards.

Then ``--users`` threads (default 20), each an httpx client logged in as one of the example users (round
robin over the six roles), run for ``--seconds`` (default 60) a mix of what people do, with a short random
pause (``--think``) between requests:

- page views: the dashboard, the edition, the board (not the läsare: refused to them), the indicators, the
  follow-up table and a section;
- saves: everyone who may write owns one section and saves a new text in it with the version it last saw
  (POST ``spara``; a 302 is a save);
- previews: the live Markdown preview of the section being written (POST ``forhandsvisning``).

At the end the database is read directly: every owned section must hold exactly the text its user saved last,
its version must have moved by the number of successful saves, and it must have one new SectionVersion per
save; anything else is a lost write. Printed per database: requests/s, p50/p95/p99 per kind, errors (any
unexpected status or exception), conflicts and lost writes, and PASS/FAIL against the goals: p95 < 150 ms for
page views and saves, zero errors, zero lost writes. The exit code is 0 (a benchmark), unless the run itself
breaks.

Run from the project root::

    .venv/bin/python bench/web_load.py                      # both databases, 20 users, 60 s each
    .venv/bin/python bench/web_load.py --seconds 10 --db sqlite
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import random
import re
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ROLES = ("admin", "samordnare", "skribent", "skribent2", "granskare", "lasare")
#: Units each example writer writes for (load_example's _example_data.USERS); the others write everywhere.
WRITER_UNITS = {"skribent": ("BOU", "BOL"), "skribent2": ("SVF", "KOF")}
WRITES_ANYWHERE = {"admin", "samordnare"}
GOAL_P95_MS = 150.0
VERSION_RE = re.compile(r'name="version" id="id_version" value="(\d+)"')


def _pgcluster() -> Any:
    spec = importlib.util.spec_from_file_location("pgcluster", ROOT / "scripts" / "pgcluster.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["pgcluster"] = module
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    by_path: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, path: str, seconds: float) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.by_path[f"{path.split('?')[0]} ({kind})"].append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            if len(self.errors) < 1000:
                self.errors.append(message)


@dataclass
class Owned:
    """A section one simulated user writes in, and what that user saved there."""

    pk: int
    start_version: int
    version: int
    saves: int = 0
    last_text: str | None = None


class User(threading.Thread):
    def __init__(
        self, index: int, username: str, password: str, base: str, pages: dict[str, Any], stats: Stats,
        owned: Owned | None, stop_at: float, think: float,
    ) -> None:  # fmt: skip
        super().__init__(name=f"user-{index}", daemon=True)
        self.index, self.username, self.password, self.base = index, username, password, base
        self.pages, self.stats, self.owned, self.stop_at, self.think = pages, stats, owned, stop_at, think
        self.random = random.Random(index)
        self.client = httpx.Client(base_url=base, follow_redirects=False, timeout=30.0)

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def log_in(self) -> None:
        self.client.get("/logga-in/")
        response = self.client.post(
            "/logga-in/",
            data={"username": self.username, "password": self.password, "csrfmiddlewaretoken": self.csrf()},
            headers={"Referer": f"{self.base}/logga-in/"},
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} kunde inte logga in: {response.status_code}")

    def timed(
        self, kind: str, method: str, url: str, expect: tuple[int, ...], **kwargs: Any
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self.stats.error(f"{self.username} {method} {url}: {type(exc).__name__}: {exc}")
            return None
        self.stats.record(kind, re.sub(r"\d+", "N", url), time.perf_counter() - started)
        if response.status_code not in expect:
            self.stats.error(f"{self.username} {method} {url}: HTTP {response.status_code}")
        return response

    def view(self) -> None:
        choices = list(self.pages["all"]) + ([self.pages["board"]] if self.username != "lasare" else [])
        if self.owned is not None:
            choices.append(f"/avsnitt/{self.owned.pk}/")
        self.timed("page view", "GET", self.random.choice(choices), (200,))

    def save(self) -> None:
        assert self.owned is not None
        text = f"{self.username} (användare {self.index}) sparar för {self.owned.saves + 1}:e gången."
        response = self.timed(
            "save", "POST", f"/avsnitt/{self.owned.pk}/spara/", (302, 409),
            data={"body": text, "version": str(self.owned.version), "csrfmiddlewaretoken": self.csrf()},
        )  # fmt: skip
        if response is None:
            return
        if response.status_code == 302:
            match = re.search(r"sparad=(\d+)", response.headers.get("location", ""))
            if match is None:
                self.stats.error(f"{self.username}: a save redirected without a version")
                return
            self.owned.version = int(match.group(1))
            self.owned.saves += 1
            self.owned.last_text = text
        else:  # someone else saved in between: read the section again, as a person would
            with self.stats.lock:
                self.stats.conflicts += 1
            page = self.client.get(f"/avsnitt/{self.owned.pk}/")
            if match := VERSION_RE.search(page.text):
                self.owned.version = int(match.group(1))

    def preview(self) -> None:
        assert self.owned is not None
        self.timed(
            "preview", "POST", f"/avsnitt/{self.owned.pk}/forhandsvisning/", (200,),
            data={"body": "Ett **utkast** med en [länk](https://example.org).", "csrfmiddlewaretoken": self.csrf()},
            headers={"HX-Request": "true"},
        )  # fmt: skip

    def run(self) -> None:
        try:
            self.log_in()
        except Exception as exc:  # a failed login is an error of the run, not a crash
            self.stats.error(str(exc))
            return
        while time.monotonic() < self.stop_at:
            roll = self.random.random()
            if self.owned is not None and roll < 0.25:
                self.save()
            elif self.owned is not None and roll < 0.35:
                self.preview()
            else:
                self.view()
            if self.think:
                time.sleep(self.random.uniform(0, 2 * self.think))
        self.client.close()


class Database:
    """Direct reads of the database (no Django in this process), for setting up and checking writes."""

    def __init__(self, url: str | None, sqlite_path: Path) -> None:
        self.url, self.sqlite_path = url, sqlite_path

    @contextlib.contextmanager
    def connect(self) -> Iterator[Any]:
        if self.url:
            import psycopg

            with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1)) as connection:
                yield connection
        else:
            connection = sqlite3.connect(self.sqlite_path)
            try:
                yield connection
            finally:
                connection.close()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        placeholder = "%s" if self.url else "?"
        with self.connect() as connection:
            return list(connection.execute(sql.replace("?", placeholder), params).fetchall())


SECTIONS_SQL = """
SELECT s.id, s.version, COALESCE(u.abbreviation, '') FROM editions_section s
JOIN editions_edition e ON e.id = s.edition_id JOIN organisations_organisation o ON o.id = e.organisation_id
LEFT JOIN organisations_unit u ON u.id = s.unit_id
WHERE o.slug = 'soderhamn' AND e.state = 'oppen' AND s.status IN ('utkast', 'aterremitterad', 'klar')
ORDER BY s.id
"""


def assign_sections(db: Database, usernames: list[str]) -> list[Owned | None]:
    """Give every simulated user who may write a section of their own (never shared, so no write is contested)."""
    free = db.query(SECTIONS_SQL)
    owned: list[Owned | None] = []
    for username in usernames:
        units = WRITER_UNITS.get(username)
        pick = next(
            (row for row in free if username in WRITES_ANYWHERE or (units and row[2] in units)), None
        ) if (username in WRITES_ANYWHERE or units) else None  # fmt: skip
        if pick is None:
            owned.append(None)
            continue
        free.remove(pick)
        owned.append(Owned(pk=int(pick[0]), start_version=int(pick[1]), version=int(pick[1])))
    return owned


def lost_writes(db: Database, owned: list[Owned | None]) -> list[str]:
    problems = []
    for item in owned:
        if item is None or item.saves == 0:
            continue
        body, version = db.query("SELECT body, version FROM editions_section WHERE id = ?", (item.pk,))[0]
        versions = db.query(
            "SELECT COUNT(*) FROM editions_sectionversion WHERE section_id = ? AND number > ?",
            (item.pk, item.start_version),
        )[0][0]
        if body != item.last_text:
            problems.append(f"avsnitt {item.pk}: databasen har {body!r}, sist sparat var {item.last_text!r}")
        if version - item.start_version != item.saves or versions != item.saves:
            problems.append(
                f"avsnitt {item.pk}: {item.saves} sparningar men versionen ökade {version - item.start_version} "
                f"och {versions} nya versioner"
            )
    return problems


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000


def wait_until_up(base: str, process: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"servern avslutades med kod {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/halsa/", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise RuntimeError("servern svarade inte inom två minuter")


def run_one(label: str, database_url: str | None, args: argparse.Namespace) -> bool:
    from barnbokslut.example import EXAMPLE_SNAPSHOT
    from barnbokslut.koladaserver import KoladaServer

    data_dir = Path(tempfile.mkdtemp(prefix=f"barnbokslut-bench-{label}-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with KoladaServer(EXAMPLE_SNAPSHOT, port=0) as kolada:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("BARNBOKSLUT_", "DATABASE_URL"))},
            "BARNBOKSLUT_DATA_DIR": str(data_dir),
            "BARNBOKSLUT_SECRET_KEY": secrets.token_urlsafe(50),
            "BARNBOKSLUT_ALLOWED_HOSTS": "127.0.0.1",
            "BARNBOKSLUT_SECURE_COOKIES": "0",  # plain http on loopback; behind HTTPS in production
            "BARNBOKSLUT_KOLADA_URL": kolada.url,
            "BARNBOKSLUT_LOG_LEVEL": "WARNING",
        }
        if database_url:
            env["DATABASE_URL"] = database_url
        barnbokslut = str(BIN / "barnbokslut")
        subprocess.run([barnbokslut, "webb", "migrate", "-v0"], env=env, check=True)
        subprocess.run([barnbokslut, "webb", "load_example", "--no-publish", "-v0"], env=env, check=True)
        passwords = {}
        for line in (data_dir / "exempel-anvandare.txt").read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[-2] in ROLES:
                passwords[parts[-2]] = parts[-1]
        db = Database(database_url, data_dir / "barnbokslut.sqlite3")
        edition = db.query(
            "SELECT e.id FROM editions_edition e JOIN organisations_organisation o ON o.id = e.organisation_id "
            "WHERE o.slug = 'soderhamn' AND e.state = 'oppen'"
        )[0][0]
        pages = {
            "all": [
                "/",
                f"/arsgang/{edition}/",
                f"/arsgang/{edition}/nyckeltal/",
                f"/arsgang/{edition}/uppfoljning/",
            ],
            "board": f"/arsgang/{edition}/tavla/",
        }
        server = subprocess.Popen(
            [barnbokslut, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--threads", str(args.threads), "--no-access-log"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if not args.verbose else None,
        )  # fmt: skip
        try:
            wait_until_up(base, server)
            usernames = [ROLES[i % len(ROLES)] for i in range(args.users)]
            owned = assign_sections(db, usernames)
            stats = Stats()
            warm = httpx.Client(base_url=base)  # one request to each page first, so no user pays a cold start
            for path in [*pages["all"], pages["board"]]:
                warm.get(path)
            warm.close()
            stop_at = time.monotonic() + args.seconds
            users = [
                User(i, name, passwords[name], base, pages, stats, owned[i], stop_at, args.think)
                for i, name in enumerate(usernames)
            ]
            started = time.monotonic()
            for user in users:
                user.start()
            for user in users:
                user.join(args.seconds + 60)
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        lost = lost_writes(db, owned)
    return report(label, stats, elapsed, owned, lost, args)


def report(
    label: str,
    stats: Stats,
    elapsed: float,
    owned: list[Owned | None],
    lost: list[str],
    args: argparse.Namespace,
) -> bool:
    total = sum(len(v) for v in stats.latencies.values())
    saves = sum(item.saves for item in owned if item)
    print(f"\n== {label}: {args.users} användare, {elapsed:.0f} s, serve --workers {args.workers} "
          f"--threads {args.threads}, betänketid 0–{2 * args.think:.2f} s ==")  # fmt: skip
    print(f"{total} förfrågningar, {total / elapsed:.1f} förfrågningar/s, {saves} sparningar")
    print(f"{'slag':<10} {'antal':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    ok = True
    for kind in ("page view", "save", "preview"):
        values = stats.latencies.get(kind, [])
        if not values:
            continue
        p95 = percentile(values, 95)
        goal = "" if kind == "preview" else ("  ok" if p95 < GOAL_P95_MS else f"  > {GOAL_P95_MS:.0f} ms")
        ok &= kind == "preview" or p95 < GOAL_P95_MS
        print(f"{kind:<10} {len(values):>7} {statistics.median(values) * 1000:>8.1f} {p95:>8.1f} "
              f"{percentile(values, 99):>8.1f} {max(values) * 1000:>8.1f}{goal}")  # fmt: skip
    slowest = sorted(stats.by_path.items(), key=lambda item: -percentile(item[1], 95))[:4]
    print("långsammast (p95): " + ", ".join(f"{path} {percentile(v, 95):.0f} ms" for path, v in slowest))
    print(f"fel: {len(stats.errors)}, konflikter: {stats.conflicts}, förlorade skrivningar: {len(lost)}")
    for message in stats.errors[:10] + lost[:10]:
        print(f"  {message}")
    ok &= not stats.errors and not lost and saves > 0
    print(f"{label}: {'PASS' if ok else 'FAIL'} (mål: p95 < {GOAL_P95_MS:.0f} ms för sidvisningar och "
          "sparningar, inga fel, inga förlorade skrivningar)")  # fmt: skip
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long each database is loaded")
    parser.add_argument("--users", type=int, default=20, help="simulated users at once")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn processes (barnbokslut serve --workers)"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument(
        "--think", type=float, default=0.25, help="mean pause between a user's requests, seconds"
    )
    parser.add_argument("--verbose", action="store_true", help="show the server's log")
    args = parser.parse_args()
    results = {}
    if args.db in ("sqlite", "both"):
        results["SQLite"] = run_one("SQLite", None, args)
    if args.db in ("postgres", "both"):
        with _pgcluster().ThrowawayPostgres() as pg:
            results["PostgreSQL"] = run_one("PostgreSQL", pg.url, args)
    print("\n" + ", ".join(f"{name}: {'PASS' if ok else 'FAIL'}" for name, ok in results.items()))
    print("PASS" if all(results.values()) else "FAIL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
