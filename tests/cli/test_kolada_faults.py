"""`barnbokslut indikatorer` through our Kolada server (the example snapshot) with each quiet fault of issue 11,
cold cache, warm cache (3 days old) and `--uppdatera`: exit code, message, what reached the output and what the
cache holds afterwards; `bygg` and `katalog` on a catalogue KPI Kolada doesn't know, and `bygg`'s progress
lines while the client retries. The client's own view of the same faults is in tests/kolada/test_quiet_faults.py,
the web app's Kolada refresh in tests/web/editions/test_kolada_refresh_faults.py.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from barnbokslut.cli import app
from barnbokslut.example import EXAMPLE_SNAPSHOT
from barnbokslut.kolada import ResponseCache
from barnbokslut.koladaserver import Fault, KoladaServer
from example_kolada import example_server, unused_kolada_url

runner = CliRunner()
DEFAULT_CATALOGUE = Path(__file__).parents[2] / "src" / "barnbokslut" / "indicators" / "default.toml"
EXAMPLE_FOLDER = Path(__file__).parents[2] / "examples" / "barnbokslut-exempel"
#: Retries and backoff off unless a test is about them: each fault is then one request per query.
QUICK = {"BARNBOKSLUT_KOLADA_RETRIES": "0"}

QUIET_FAULTS = [
    pytest.param(Fault.short(), "sidan är ofullständig", id="short-page"),
    pytest.param(Fault.cut(), "sidan är ofullständig", id="cut-at-a-row"),
    pytest.param(Fault.shape("values"), 'saknar fältet "values"', id="rows-without-values"),
    pytest.param(Fault.shape("value"), 'saknar fältet "value"', id="entries-without-value"),
    pytest.param(Fault.token("true"), '"value" true, inte ett tal', id="true"),
    pytest.param(Fault.token("NaN"), "NaN, som inte är ett ändligt tal", id="NaN"),
    pytest.param(Fault.token("Infinity"), "Infinity, som inte är ett ändligt tal", id="Infinity"),
    pytest.param(Fault.loop(), "samma sida två gånger", id="looping-next-url"),
]


@pytest.fixture(scope="module")
def server() -> Iterator[KoladaServer]:
    with example_server(port=0) as running:
        yield running


@pytest.fixture(autouse=True)
def _clean_server(server: KoladaServer) -> Iterator[None]:
    server.reset()
    yield
    server.reset()


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first three indicators of the default catalogue: the same code paths, a fifth of the rows."""
    head, _comment, *blocks = DEFAULT_CATALOGUE.read_text(encoding="utf-8").split("[[indikator]]")
    path = tmp_path_factory.mktemp("katalog") / "katalog.toml"
    path.write_text(
        head + _comment + "".join("[[indikator]]" + block for block in blocks[:3]), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def good(server: KoladaServer, catalogue: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One good run: its cache file, its JSON output and what the cache holds."""
    cache = tmp_path_factory.mktemp("good") / "kolada.sqlite3"
    result = indikatorer(server, catalogue, cache)
    assert result.exit_code == 0, result.output
    return {"cache": cache, "figures": figures(result.stdout), "holds": holdings(cache)}


def indikatorer(
    server: KoladaServer | str, catalogue: Path, cache: Path, *extra: str, env: dict[str, str] | None = None
) -> Any:
    url = server if isinstance(server, str) else server.url
    args = [
        "indikatorer",
        "--kommun",
        "2182",
        "--år",
        "2025",
        "--format",
        "json",
        "--katalog",
        str(catalogue),
    ]
    return runner.invoke(
        app, [*args, "--kolada-url", url, "--cache", str(cache), *extra], env={**QUICK, **(env or {})}
    )


def holdings(cache: Path) -> dict[str, tuple[datetime, int]]:
    """What the cache holds: per query, when it was fetched and how many rows."""
    with ResponseCache(cache) as opened:
        return {key: (found.fetched_at, len(found.values)) for key in opened if (found := opened.get(key))}


def warm_cache(good: dict[str, Any], tmp_path: Path, *, fetched: datetime) -> tuple[Path, dict[str, Any]]:
    """A copy of the good cache, every answer made to look fetched at ``fetched``."""
    cache = tmp_path / "kolada.sqlite3"
    shutil.copy(good["cache"], cache)
    with ResponseCache(cache) as opened:
        for key in opened:
            found = opened.get(key)
            assert found is not None
            opened.put(key, found.values, fetched_at=fetched, is_example=found.is_example)
    return cache, holdings(cache)


def strict_json(text: str) -> Any:
    def refuse(token: str) -> None:
        raise ValueError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def figures(output: str) -> Any:
    """The indicators of a JSON output (strict JSON: no NaN, no Infinity), without the fetch dates."""

    def undated(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: undated(v) for k, v in value.items() if k != "hämtad"}
        if isinstance(value, list):
            return [undated(v) for v in value]
        return re.sub(r", hämtad [^,.]*", "", value) if isinstance(value, str) else value

    return undated(strict_json(output)["nyckeltal"])


def data_keys(holds: dict[str, Any]) -> list[str]:
    return [key for key in holds if "/data/" in key]


THREE_DAYS_AGO = datetime.now(UTC) - timedelta(days=3)
#: Before the example data changed (2026-03-15): `--uppdatera` then gets every row again, faults and all.
BEFORE_THE_CHANGE = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


# -- rows 1-4: a cold cache ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("fault", "said"), QUIET_FAULTS)
def test_a_quiet_fault_with_a_cold_cache_fails_clearly_and_caches_no_data(
    server: KoladaServer, catalogue: Path, tmp_path: Path, fault: Fault, said: str
) -> None:
    cache = tmp_path / "kolada.sqlite3"
    server.inject(fault.on("/data/").always())

    result = indikatorer(server, catalogue, cache)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Kunde inte hämta data från Kolada: Kolada ")
    assert said in result.stderr
    assert "Traceback" not in result.output
    assert data_keys(holdings(cache)) == []  # the metadata is fine and cached; no data


# -- rows 1-4: a warm cache, 3 days old, and with --uppdatera -----------------------------------------------


@pytest.mark.parametrize(
    ("mode", "fetched", "age"),
    [
        pytest.param((), THREE_DAYS_AGO, "(3 dagar sedan)", id="3-days-old"),
        pytest.param(("--uppdatera",), BEFORE_THE_CHANGE, "1 mars 2026", id="uppdatera"),
    ],
)
@pytest.mark.parametrize(("fault", "said"), QUIET_FAULTS)
def test_a_quiet_fault_with_a_warm_cache_shows_the_last_good_data_and_its_age(
    server: KoladaServer,
    catalogue: Path,
    good: dict[str, Any],
    tmp_path: Path,
    fault: Fault,
    said: str,
    mode: tuple[str, ...],
    fetched: datetime,
    age: str,
) -> None:
    cache, before = warm_cache(good, tmp_path, fetched=fetched)
    server.inject(fault.on("/data/").always())

    result = indikatorer(server, catalogue, cache, *mode)

    assert result.exit_code == 0, result.output
    assert figures(result.stdout) == good["figures"]
    assert "Kolada kunde inte nås eller svarade fel; visar senast hämtade data." in result.stderr
    assert "Data hämtad " in result.stderr and age in result.stderr
    assert "Varning: Kolada gav inget användbart svar: " in result.stderr and said in result.stderr
    after = holdings(cache)
    assert {key: after[key] for key in data_keys(before)} == {key: before[key] for key in data_keys(before)}


# -- row 5: next_url to another host ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def forged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KoladaServer]:
    """Another server, on 127.0.0.2, whose every value is 1.0."""
    folder = tmp_path_factory.mktemp("forged")
    for name in ("kpi.json.gz", "municipality.json", "municipality_groups.json.gz"):
        shutil.copy(EXAMPLE_SNAPSHOT / name, folder / name)
    rows = [
        {
            "kpi": kpi,
            "municipality": area,
            "period": year,
            "values": [{"gender": "T", "status": "", "value": 1.0}],
        }
        for kpi in ("U31803", "N66077", "N02903")
        for area in ("2182", "0000", "G176409")
        for year in range(2016, 2026)
    ]
    (folder / "data.json").write_text(json.dumps({"count": len(rows), "values": rows}), encoding="utf-8")
    with KoladaServer(folder, host="127.0.0.2") as running:
        yield running


def test_a_next_url_to_another_host_is_not_followed_cold(
    server: KoladaServer, forged: KoladaServer, catalogue: Path, tmp_path: Path
) -> None:
    server.inject(Fault.foreign_next(forged.url).on("/data/").always())

    result = indikatorer(server, catalogue, tmp_path / "kolada.sqlite3")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert "pekade ut nästa sida på en annan adress (http://127.0.0.2:" in result.stderr
    assert "den följs inte" in result.stderr
    assert forged.requests == []


def test_a_next_url_to_another_host_with_a_warm_cache_never_shows_forged_values(
    server: KoladaServer, forged: KoladaServer, catalogue: Path, good: dict[str, Any], tmp_path: Path
) -> None:
    cache, before = warm_cache(good, tmp_path, fetched=THREE_DAYS_AGO)
    server.inject(Fault.foreign_next(forged.url).on("/data/").always())

    result = indikatorer(server, catalogue, cache)

    assert result.exit_code == 0, result.output
    assert figures(result.stdout) == good["figures"]
    assert forged.requests == []
    assert "(3 dagar sedan)" in result.stderr
    assert {k: holdings(cache)[k] for k in data_keys(before)} == {k: before[k] for k in data_keys(before)}


# -- row 6: a catalogue KPI Kolada doesn't know, in indikatorer, bygg and katalog ----------------------------


def unknown_kpi(catalogue: Path, target: Path) -> tuple[Path, str]:
    """The catalogue with N02903 renamed to N99999, and the warning every command must print for it."""
    text = catalogue.read_text(encoding="utf-8").replace('kpi = "N02903"', 'kpi = "N99999"')
    target.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    at = next(n for n, row in enumerate(lines) if row == 'kpi = "N99999"')
    header = max(n for n in range(at) if lines[n] == "[[indikator]]") + 1
    short = next(row for row in lines[at:] if row.startswith("kort_titel = ")).split('"')[1]
    return target, (
        f"Varning: Nyckeltalet N99999 ({short}, katalogen rad {header}) finns inte längre i Kolada; "
        "byt id i katalogen."
    )


def report_folder(tmp_path: Path, catalogue: Path | None = None) -> Path:
    """A copy of the example report folder; with ``catalogue``, the folder names that catalogue."""
    folder = tmp_path / "rapport"
    shutil.copytree(EXAMPLE_FOLDER, folder)
    if catalogue is not None:
        shutil.copy(catalogue, folder / "katalog.toml")
        settings = folder / "barnbokslut.toml"
        text = settings.read_text(encoding="utf-8")
        settings.write_text(
            text.replace("[rapport]\n", '[rapport]\nkatalog = "katalog.toml"\n', 1), encoding="utf-8"
        )
    return folder


def bygg(
    server: KoladaServer, folder: Path, out: Path, cache: Path, *, env: dict[str, str] | None = None
) -> Any:
    args = ["bygg", str(folder), "--format", "html", "--out", str(out), "--kolada-url", server.url]
    return runner.invoke(app, [*args, "--cache", str(cache)], env={**QUICK, **(env or {})})


def test_a_catalogue_kpi_that_kolada_does_not_know_is_named(
    server: KoladaServer, catalogue: Path, tmp_path: Path
) -> None:
    unknown, warning = unknown_kpi(catalogue, tmp_path / "katalog.toml")

    result = indikatorer(server, unknown, tmp_path / "kolada.sqlite3")

    assert result.exit_code == 0, result.output
    assert warning in result.stderr.splitlines()
    assert any("N99999" in w for w in strict_json(result.stdout)["hämtning"]["varningar"])


def test_bygg_names_a_catalogue_kpi_that_kolada_does_not_know(
    server: KoladaServer, catalogue: Path, tmp_path: Path
) -> None:
    unknown, warning = unknown_kpi(catalogue, tmp_path / "katalog.toml")
    folder = report_folder(tmp_path, unknown)

    result = bygg(server, folder, tmp_path / "ut", tmp_path / "kolada.sqlite3")

    assert result.exit_code == 0, result.output
    assert warning in result.stderr.splitlines()
    assert "Frågor till Kolada: " in result.stderr
    (html,) = (tmp_path / "ut").glob("*kommun.html")  # the report (the barnversion is beside it)
    assert "N66077" in html.read_text(encoding="utf-8")  # the KPIs Kolada has are in the report


def test_katalog_names_unknown_and_retired_kpis_and_still_lists_the_catalogue(
    server: KoladaServer, catalogue: Path, tmp_path: Path
) -> None:
    unknown, warning = unknown_kpi(catalogue, tmp_path / "katalog.toml")
    # N01928 is retired in the snapshot: "Invånare 13-15 år, antal (-2023)".
    unknown.write_text(
        unknown.read_text(encoding="utf-8").replace('kpi = "N66077"', 'kpi = "N01928"'), encoding="utf-8"
    )
    cache = tmp_path / "kolada.sqlite3"

    result = runner.invoke(
        app, ["katalog", str(unknown), "--kolada-url", server.url, "--cache", str(cache)], env=QUICK
    )

    assert result.exit_code == 0, result.output
    assert "  N99999  " in result.stdout and "  N01928  " in result.stdout
    assert result.stdout.endswith(f"3 nyckeltal i {unknown}\n")
    assert result.stderr.splitlines() == [  # in catalogue order
        "Varning: Nyckeltalet N01928 har upphört i Kolada: Invånare 13-15 år, antal (-2023).",
        warning,
        "Frågor till Kolada: 1.",
    ]
    assert [key for key in holdings(cache) if "/kpi/" in key]  # the KPI list is cached as usual
    assert [request for request in server.requests if "/data/" in request] == []  # no data asked for


def test_katalog_on_a_good_catalogue_says_all_kpis_are_in_kolada(
    server: KoladaServer, tmp_path: Path
) -> None:
    cache = tmp_path / "kolada.sqlite3"
    first = runner.invoke(app, ["katalog", "--kolada-url", server.url, "--cache", str(cache)], env=QUICK)
    asked = len(server.requests)
    again = runner.invoke(
        app, ["katalog", "--offline", "--kolada-url", server.url, "--cache", str(cache)], env=QUICK
    )

    assert first.exit_code == 0, first.output
    assert "Alla 19 nyckeltal finns i Kolada." in first.stderr
    assert "Varning" not in first.stderr
    assert again.exit_code == 0, again.output
    assert len(server.requests) == asked  # --offline: the cached KPI list, nothing sent
    assert "Alla 19 nyckeltal finns i Kolada." in again.stderr
    assert "Data hämtad " in again.stderr and "(i dag)" in again.stderr


@pytest.mark.parametrize(
    ("how", "said"),
    [
        pytest.param("down", "Anslutningen till Kolada misslyckades", id="kolada-down"),
        pytest.param("offline", "Offlineläge: frågan ", id="offline-without-cache"),
        pytest.param("short", "sidan är ofullständig", id="short-page"),
    ],
)
def test_katalog_without_an_answer_from_kolada_says_the_check_was_not_made_and_exits_0(
    server: KoladaServer, catalogue: Path, tmp_path: Path, how: str, said: str
) -> None:
    args = ["katalog", str(catalogue), "--cache", str(tmp_path / "kolada.sqlite3")]
    if how == "down":
        args += ["--kolada-url", unused_kolada_url()]
    elif how == "offline":
        args += ["--offline"]
    else:
        server.inject(Fault.short().on("/kpi/").always())
        args += ["--kolada-url", server.url]

    result = runner.invoke(app, args, env=QUICK)

    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"3 nyckeltal i {catalogue}\n")
    (line,) = result.stderr.splitlines()
    assert line.startswith("Kontrollen mot Kolada kunde inte göras: ")
    assert said in line
    assert line.endswith(" Katalogfilen i sig är godkänd.")
    assert "Traceback" not in result.output


def test_katalog_with_a_bad_file_still_exits_2_without_asking_kolada(
    server: KoladaServer, tmp_path: Path
) -> None:
    bad = tmp_path / "katalog.toml"
    bad.write_text('[[indikator]]\nkpi = "U31803"\n', encoding="utf-8")
    asked = len(server.requests)

    result = runner.invoke(app, ["katalog", str(bad), "--kolada-url", server.url], env=QUICK)

    assert result.exit_code == 2
    assert "katalog.toml" in result.stderr
    assert len(server.requests) == asked


# -- row 7: a cache that cannot be written ------------------------------------------------------------------


def test_a_cache_folder_that_cannot_be_made_is_a_warning_not_a_failure(
    server: KoladaServer, catalogue: Path, good: dict[str, Any], tmp_path: Path
) -> None:
    blocker = tmp_path / "en-fil"
    blocker.write_text("x", encoding="utf-8")

    result = indikatorer(server, catalogue, blocker / "kolada.sqlite3")

    assert result.exit_code == 0, result.output
    assert figures(result.stdout) == good["figures"]
    assert f"Varning: Cachefilen {blocker / 'kolada.sqlite3'} kan inte öppnas: " in result.stderr
    assert "Hämtar utan cache" in result.stderr
    assert "Kunde inte hämta data från Kolada" not in result.stderr


def test_a_read_only_cache_is_a_warning_and_the_fetched_data_is_shown(
    server: KoladaServer,
    catalogue: Path,
    good: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache, before = warm_cache(good, tmp_path, fetched=THREE_DAYS_AGO)
    # SQLite's own SQLITE_READONLY, as for a read-only folder or file (we run as root: chmod would not do).
    unwritable(monkeypatch, "PRAGMA query_only = ON")

    result = indikatorer(server, catalogue, cache)

    assert result.exit_code == 0, result.output
    assert figures(result.stdout) == good["figures"]
    assert (
        f"Varning: Cachefilen {cache} kan inte skrivas: attempt to write a readonly database."
        in result.stderr
    )
    assert "är skrivbar och att disken inte är full" in result.stderr
    assert "Uppgifterna från Kolada används ändå, men sparas inte till nästa gång." in result.stderr
    assert result.stderr.count("Varning: Cachefilen") == 1
    assert "Kunde inte hämta data från Kolada" not in result.stderr
    assert "Ta bort filen" not in result.stderr
    assert "Kolada kunde inte nås" not in result.stderr
    assert "Data hämtad" not in result.stderr  # the data shown is today's
    monkeypatch.undo()
    assert holdings(cache) == before  # the old copy is still there for next time


def test_a_full_disk_is_a_warning_and_the_fetched_data_is_shown(
    server: KoladaServer,
    catalogue: Path,
    good: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = tmp_path / "kolada.sqlite3"
    unwritable(monkeypatch, "full")

    result = indikatorer(server, catalogue, cache)

    assert result.exit_code == 0, result.output
    assert figures(result.stdout) == good["figures"]
    assert f"Varning: Cachefilen {cache} kan inte skrivas: database or disk is full." in result.stderr
    assert "Kunde inte hämta data från Kolada" not in result.stderr


def unwritable(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Make every cache opened from now on unwritable: read-only, or on a disk with no room left."""
    opened = ResponseCache.__init__

    def open_unwritable(self: ResponseCache, path: Any = None) -> None:
        opened(self, path)
        connection: sqlite3.Connection = self._connection
        if how == "full":
            # SQLite's own SQLITE_FULL, as on a full disk: not one page more.
            (pages,) = connection.execute("PRAGMA page_count").fetchone()
            connection.execute(f"PRAGMA max_page_count = {pages}")
        else:
            connection.execute(how)

    monkeypatch.setattr(ResponseCache, "__init__", open_unwritable)


# -- row 8: Kolada hangs, or answers 503 for ever -----------------------------------------------------------


def test_kolada_hanging_with_a_cold_cache_stops_at_the_deadline(
    server: KoladaServer, catalogue: Path, tmp_path: Path
) -> None:
    server.inject(Fault.hang(30.0).always())
    started = time.monotonic()

    result = indikatorer(
        server, catalogue, tmp_path / "kolada.sqlite3", env={"BARNBOKSLUT_KOLADA_DEADLINE": "1"}
    )

    assert time.monotonic() - started < 3.0
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        "Kunde inte hämta data från Kolada: Tidsgränsen på 1 s för hela hämtningen från Kolada"
        in result.stderr
    )
    assert "BARNBOKSLUT_KOLADA_DEADLINE" in result.stderr


@pytest.mark.parametrize(
    "fault", [pytest.param(Fault.hang(30.0), id="hang"), pytest.param(Fault.status(503), id="503-for-ever")]
)
def test_kolada_hanging_or_503_for_ever_with_a_warm_cache_falls_back_at_the_deadline_and_says_so(
    server: KoladaServer, catalogue: Path, good: dict[str, Any], tmp_path: Path, fault: Fault
) -> None:
    cache, before = warm_cache(good, tmp_path, fetched=THREE_DAYS_AGO)
    server.inject(fault.on("/data/").always())
    started = time.monotonic()

    env = {"BARNBOKSLUT_KOLADA_DEADLINE": "1.5", "BARNBOKSLUT_KOLADA_RETRIES": "6"}
    result = indikatorer(server, catalogue, cache, env=env)

    assert time.monotonic() - started < 4.0
    assert result.exit_code == 0, result.output
    assert figures(result.stdout) == good["figures"]
    assert "Tidsgränsen på 1,5 s" in result.stderr
    assert "Data hämtad " in result.stderr and "(3 dagar sedan)" in result.stderr
    if fault.kind == "status":
        assert "Väntar på Kolada … försök 2 av 7 om " in result.stderr
        assert "(Kolada svarade 503)" in result.stderr
    assert {k: holdings(cache)[k] for k in data_keys(before)} == {k: before[k] for k in data_keys(before)}


def test_bygg_prints_the_clients_progress_while_it_retries(
    server: KoladaServer, catalogue: Path, tmp_path: Path
) -> None:
    folder = report_folder(tmp_path, catalogue)
    server.inject(
        Fault.status(503, retry_after=0).on("/data/"), Fault.status(503, retry_after=0).on("/data/")
    )

    result = bygg(
        server, folder, tmp_path / "ut", tmp_path / "kolada.sqlite3", env={"BARNBOKSLUT_KOLADA_RETRIES": "2"}
    )

    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "Väntar på Kolada … försök 2 av 3 om 0 s (Kolada svarade 503)" in lines
    assert "Väntar på Kolada … försök 3 av 3 om 0 s (Kolada svarade 503)" in lines
    assert "Kolada kunde inte nås" not in result.stderr  # the third try got the data
    assert list((tmp_path / "ut").glob("*.html"))


def test_bygg_gives_up_after_the_retries_it_was_told(
    server: KoladaServer, catalogue: Path, tmp_path: Path
) -> None:
    folder = report_folder(tmp_path, catalogue)
    server.inject(Fault.status(503, retry_after=0).on("/data/").always())

    result = bygg(
        server, folder, tmp_path / "ut", tmp_path / "kolada.sqlite3", env={"BARNBOKSLUT_KOLADA_RETRIES": "1"}
    )

    assert result.exit_code == 1
    assert "Väntar på Kolada … försök 2 av 2 om 0 s (Kolada svarade 503)" in result.stderr.splitlines()
    assert "Kunde inte hämta data från Kolada: " in result.stderr
    assert not (tmp_path / "ut").exists() or not list((tmp_path / "ut").glob("*.html"))


def test_a_bad_deadline_in_the_environment_is_a_clear_message(catalogue: Path, tmp_path: Path) -> None:
    env = {"BARNBOKSLUT_KOLADA_DEADLINE": "snart"}
    result = indikatorer("http://127.0.0.1:9/v3", catalogue, tmp_path / "c.sqlite3", env=env)
    assert result.exit_code == 1
    assert "Miljövariabeln BARNBOKSLUT_KOLADA_DEADLINE ska vara ett antal sekunder" in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_rate_in_the_environment_is_a_clear_message(catalogue: Path, tmp_path: Path) -> None:
    env = {"BARNBOKSLUT_KOLADA_RATE": "0"}
    result = indikatorer("http://127.0.0.1:9/v3", catalogue, tmp_path / "c.sqlite3", env=env)
    assert result.exit_code == 1
    assert "Miljövariabeln BARNBOKSLUT_KOLADA_RATE ska vara högsta antal frågor per sekund" in result.stderr
    assert "Traceback" not in result.output
