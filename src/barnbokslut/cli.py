"""The ``barnbokslut`` command line: a thin shell around the core (kolada, indicators).

Commands are Swedish verbs for Swedish users: ``indikatorer`` prints the indicator analysis, ``bygg`` builds the
report from a folder (HTML, PDF, DOCX), ``importera`` turns last year's report (DOCX, PDF, text) into a report
folder, ``katalog`` checks and lists an indicator catalogue (and checks its KPIs
against Kolada's list), ``kolada-server``
serves a Kolada snapshot over loopback, ``serve`` runs the web app with its production server and ``webb`` runs
the web app's Django management commands (migrate, createsuperuser, db_worker, load_example, …).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Protocol

import typer

from barnbokslut.example import EXAMPLE_SNAPSHOT
from barnbokslut.indicators.catalogue import Catalogue, CatalogueError, load_catalogue
from barnbokslut.indicators.dataset import UnknownMunicipalityError
from barnbokslut.indicators.job import JobResult, check_catalogue, run_indicator_job
from barnbokslut.indicators.render_text import render_csv, render_table
from barnbokslut.kolada import KoladaCacheError, KoladaError, Mode, default_base_url
from barnbokslut.numbers import format_date_sv, format_number

app = typer.Typer(
    help="Barnbokslut: kommunens redovisning av barnets rättigheter, från Kolada till färdig rapport.",
    no_args_is_help=True,
    add_completion=False,
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


#: What the web app needs beyond the core: the ``[web]`` extra (``pip install 'barnbokslut[web]'``).
WEB_MODULES = (
    "django",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "dj_database_url",
    "whitenoise",
    "gunicorn",
)


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # a broken or blocked package counts as missing
        return False


def _require_web() -> None:
    """The web commands need the web app's packages; a core-only install says how to get them."""
    missing = [name for name in WEB_MODULES if not _installed(name)]
    if missing:
        raise _fail(
            f"Webbappen är inte installerad (saknar {', '.join(missing)}). "
            "Installera den med: pip install 'barnbokslut[web]'",
            2,
        )


def _load_catalogue(path: Path | None) -> Catalogue:
    try:
        return load_catalogue(path)
    except CatalogueError as exc:
        raise _fail(str(exc), 2) from exc


@contextlib.contextmanager
def _example_server(enabled: bool) -> Iterator[str | None]:
    """Serve the bundled example snapshot over loopback while the command runs."""
    if not enabled:
        yield None
        return
    from barnbokslut.koladaserver import KoladaServer

    if not EXAMPLE_SNAPSHOT.is_dir():
        raise _fail(f"Exempeldata saknas: mappen {EXAMPLE_SNAPSHOT} finns inte.")
    with KoladaServer(EXAMPLE_SNAPSHOT, port=0) as server:
        yield server.url


def _env_int(name: str) -> int | None:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise _fail(f"Miljövariabeln {name} ska vara ett heltal, inte {raw!r}.", 2) from None


def _age_words(fetched: datetime) -> str:
    days = (datetime.now(UTC) - fetched).days
    when = format_date_sv(fetched)
    if days <= 0:
        return f"{when} (i dag)"
    return f"{when} ({days} {'dag' if days == 1 else 'dagar'} sedan)"


#: The Kolada options ``indikatorer``, ``bygg`` and ``katalog`` share.
KoladaUrlOption = Annotated[
    str | None,
    typer.Option("--kolada-url", help="Koladas API-adress (miljövariabel BARNBOKSLUT_KOLADA_URL)."),
]
OfflineOption = Annotated[
    bool, typer.Option("--offline", help="Använd bara cachen; skicka inga frågor till Kolada.")
]
CacheOption = Annotated[
    Path | None, typer.Option("--cache", help="Cachefil (SQLite) för Koladas svar.", dir_okay=False)
]
ExampleOption = Annotated[
    bool, typer.Option("--exempeldata", help="Använd den medföljande exempeldatan i stället för Kolada.")
]


def _cache_arg(cache: Path | None, exempeldata: bool) -> Path | str | None:
    # The example server gets a new port every run: caching its answers would only fill the disk.
    if exempeldata:
        return None
    return cache if cache is not None else "default"


@app.command("indikatorer")
def indikatorer(
    year: Annotated[int, typer.Option("--år", "--ar", help="Rapportåret, t.ex. 2025.", min=1990, max=2100)],
    kommun: Annotated[
        str | None, typer.Option("--kommun", help="Kommunens namn eller id, t.ex. Söderhamn eller 2182.")
    ] = None,
    alla: Annotated[bool, typer.Option("--alla", help="Analysera alla 290 kommuner på en gång.")] = False,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table (läsbar tabell), json eller csv.")
    ] = OutputFormat.table,
    offline: OfflineOption = False,
    uppdatera: Annotated[
        bool, typer.Option("--uppdatera", help="Hämta bara det som ändrats i Kolada sedan förra hämtningen.")
    ] = False,
    katalog: Annotated[
        Path | None,
        typer.Option("--katalog", help="Egen nyckeltalskatalog (TOML).", exists=True, dir_okay=False),
    ] = None,
    kolada_url: KoladaUrlOption = None,
    cache: CacheOption = None,
    exempeldata: ExampleOption = False,
    ut: Annotated[
        Path | None,
        typer.Option("--ut", help="Skriv analysen som JSON och CSV i denna mapp.", file_okay=False),
    ] = None,
) -> None:
    """Visa nyckeltalsanalysen för en kommun och ett år.

    Hämtar nyckeltalen i katalogen från Kolada (med cache), jämför kommunen med liknande kommuner och riket,
    och skriver trender, placering, skillnader mellan flickor och pojkar och sammanfattningen.
    """
    if (kommun is None) == (not alla):
        raise _fail("Ange antingen --kommun NAMN eller --alla.", 2)
    if offline and uppdatera:
        raise _fail("--offline och --uppdatera går inte att kombinera.", 2)
    if offline and exempeldata:
        raise _fail("--offline och --exempeldata går inte att kombinera.", 2)
    catalogue = _load_catalogue(katalog)
    mode: Mode = "offline" if offline else "refresh" if uppdatera else "normal"
    with _example_server(exempeldata) as example_url:
        base_url = example_url or kolada_url or default_base_url()
        try:
            result = run_indicator_job(
                catalogue,
                year,
                municipality=kommun,
                base_url=base_url,
                cache=_cache_arg(cache, exempeldata),
                mode=mode,
                max_retries=_env_int("BARNBOKSLUT_KOLADA_RETRIES"),
                progress=_progress,
            )
        except UnknownMunicipalityError as exc:
            raise _fail(str(exc), 2) from exc
        except KoladaCacheError as exc:
            raise _fail(str(exc)) from exc  # our file, not Kolada
        except KoladaError as exc:
            raise _fail(f"Kunde inte hämta data från Kolada: {exc}") from exc

    _print(result, output_format, alla=alla)
    if ut is not None:
        written = _write_outputs(result, ut)
        typer.echo("Skrev " + ", ".join(str(p) for p in written), err=True)


def _progress(line: str) -> None:
    """The Kolada client's lines while it waits and retries, on stderr."""
    typer.echo(line, err=True)


def _print(result: JobResult, output_format: OutputFormat, *, alla: bool) -> None:
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif output_format is OutputFormat.csv:
        typer.echo(render_csv(result.analyses), nl=False)
    else:
        if alla:
            typer.echo(render_csv(result.analyses), nl=False)
        else:
            render_table(result.analyses[0])
    for note in _job_notes(result):
        typer.echo(note, err=True)


class _Fetched(Protocol):
    """What a run that asked Kolada tells about its data (``JobResult``, ``CatalogueCheck``)."""

    @property
    def warnings(self) -> list[str]: ...
    @property
    def mode(self) -> Mode: ...
    @property
    def requests(self) -> int: ...
    @property
    def stale(self) -> bool: ...
    @property
    def oldest_fetch(self) -> datetime | None: ...


def _job_notes(result: _Fetched) -> list[str]:
    """What a run tells about its data, the same for ``indikatorer``, ``bygg`` and ``katalog``: warnings
    (catalogue KPIs Kolada doesn't have), stale data and its age, requests sent."""
    notes = [f"Varning: {warning}" for warning in result.warnings]
    if result.stale:
        notes.append("Kolada kunde inte nås eller svarade fel; visar senast hämtade data.")
    if result.oldest_fetch is not None and (result.mode == "offline" or result.stale):
        notes.append(f"Data hämtad {_age_words(result.oldest_fetch)}.")
    notes.append(f"Frågor till Kolada: {result.requests}.")
    return notes


def _write_outputs(result: JobResult, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stem = result.file_stem()
    json_path = folder / f"{stem}.json"
    csv_path = folder / f"{stem}.csv"
    json_path.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # utf-8-sig so Excel opens the Swedish characters right.
    csv_path.write_text(render_csv(result.analyses), encoding="utf-8-sig")
    return [json_path, csv_path]


@app.command("bygg")
def bygg(
    mapp: Annotated[
        Path,
        typer.Argument(help="Mappen med barnbokslut.toml, texter/ och data/.", exists=True, file_okay=False),
    ],
    format_: Annotated[
        str, typer.Option("--format", help="Ett eller flera format, kommaseparerade: html,pdf,docx.")
    ] = "html",
    ut: Annotated[
        Path, typer.Option("--out", "--ut", help="Mapp att skriva rapporten i.", file_okay=False)
    ] = Path("out"),
    exempeldata: ExampleOption = False,
    kolada_url: KoladaUrlOption = None,
    offline: OfflineOption = False,
    cache: CacheOption = None,
) -> None:
    """Bygg barnbokslutet från en mapp, som webbsida (HTML), PDF och/eller Word (DOCX).

    Läser inställningar (barnbokslut.toml), texter (Markdown) och lokala siffror (CSV) ur mappen, hämtar
    kommunens nyckeltal från Kolada och skriver en fil per format. Fel i mappen anges med fil, rad och fält.
    """
    from barnbokslut.report.build import FORMATS, OutputError, build_outputs
    from barnbokslut.report.source import ReportSourceError

    formats = [f.strip().lower() for f in format_.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise _fail(f"Okänt format: {', '.join(unknown) or '(inget)'}. Välj bland {', '.join(FORMATS)}.", 2)
    if offline and exempeldata:
        raise _fail("--offline och --exempeldata går inte att kombinera.", 2)
    with _example_server(exempeldata) as example_url:
        try:
            built = build_outputs(
                mapp,
                formats,
                ut,
                base_url=example_url or kolada_url or default_base_url(),
                cache=_cache_arg(cache, exempeldata),
                mode="offline" if offline else "normal",
                max_retries=_env_int("BARNBOKSLUT_KOLADA_RETRIES"),
                progress=_progress,
            )
        except ReportSourceError as exc:
            raise _fail(str(exc), 2) from exc
        except UnknownMunicipalityError as exc:
            raise _fail(str(exc), 2) from exc
        except KoladaError as exc:
            raise _fail(f"Kunde inte hämta data från Kolada: {exc}") from exc
        except OutputError as exc:
            raise _fail(f"{exc} Inga filer har bytts ut.") from exc
    for path, seconds in built.written:
        typer.echo(f"Skrev {path} ({format_number(seconds, decimals=2)} s)")
    for warning in built.loaded.warnings:
        typer.echo(f"Varning: {warning}", err=True)
    job = built.loaded.job
    if job is None:
        typer.echo("Inga nyckeltal i rapporten: Kolada har inte frågats.", err=True)
    else:
        for note in _job_notes(job):
            typer.echo(note, err=True)


class ImportFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("importera")
def importera(
    fil: Annotated[
        Path,
        typer.Argument(
            help="Förra årets barnbokslut: Word (.docx), PDF (.pdf) eller text (.txt, även OCR-text).",
            dir_okay=False,
        ),
    ],
    ut: Annotated[
        Path | None, typer.Option("--ut", "--out", help="Mappen att skriva (ny eller tom).", file_okay=False)
    ] = None,
    format_: Annotated[
        ImportFormat,
        typer.Option("--format", help="text: en sammanfattning; json: allt som hittades, som JSON."),
    ] = ImportFormat.text,
) -> None:
    """Importera förra årets barnbokslut till en rapportmapp som bygg kan bygga.

    Läser rubriker, texter och tabeller, hittar rapportens delar (inledning, begrepp, grundprinciper,
    uppföljning, nulägesanalys, utvecklingsområden, slutsatser, förkortningar) och skriver barnbokslut.toml
    och texter/. Förra årets utvecklingsområden blir årets uppföljning, åtgärd för åtgärd; texterna blir
    utkast från förra året. Utan --ut skrivs ingenting; mappen skrivs helt eller inte alls.
    """
    from barnbokslut.importing import FolderError, ImportFault, read_document, understand, write_folder

    try:
        found = understand(read_document(fil))
    except ImportFault as exc:
        raise _fail(str(exc), 2) from exc
    written: list[Path] = []
    if ut is not None:
        try:
            written = write_folder(found, ut)
        except FolderError as exc:
            raise _fail(str(exc), 2) from exc
    if format_ is ImportFormat.json:
        data = found.to_json()
        data["skrivet"] = [str(ut / p) for p in written] if ut is not None else []
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(f"Hittade i {fil.name}: {', '.join(found.present()) or 'inga delar'}.")
    if found.missing():
        typer.echo(f"Hittades inte: {', '.join(found.missing())}.")
    typer.echo(
        f"Uppföljning: {len(found.followup)} rader; utvecklingsområden: {len(found.development)} rader; "
        f"verksamheter: {', '.join(found.units) or 'inga'}."
    )
    for note in found.notes:
        typer.echo(f"Obs: {note}", err=True)
    if ut is not None:
        typer.echo(f"Skrev {len(written)} filer i {ut}. Bygg med: barnbokslut bygg {ut}")


@app.command("katalog")
def katalog(
    fil: Annotated[
        Path | None, typer.Argument(help="Katalogfilen (TOML); utelämnad: standardkatalogen.", dir_okay=False)
    ] = None,
    kolada_url: KoladaUrlOption = None,
    offline: OfflineOption = False,
    cache: CacheOption = None,
    exempeldata: ExampleOption = False,
) -> None:
    """Kontrollera en nyckeltalskatalog, lista dess nyckeltal och kontrollera dem mot Kolada.

    Varje fel i filen anges med fil, rad och fält. Standardkatalogen ligger i paketet (indicators/default.toml).
    Nyckeltal som Kolada inte har eller som har upphört anges som varningar, som i indikatorer. Kan Kolada
    inte nås sägs det, men katalogen i sig är då ändå godkänd.
    """
    if offline and exempeldata:
        raise _fail("--offline och --exempeldata går inte att kombinera.", 2)
    catalogue = _load_catalogue(fil)
    for area in catalogue.areas:
        typer.echo(area)
        for indicator in catalogue:
            if indicator.area == area:
                typer.echo(f"  {indicator.kpi}  {indicator.short_title} ({indicator.direction.value} är bra)")
    typer.echo(f"{len(catalogue)} nyckeltal i {catalogue.path}")
    with _example_server(exempeldata) as example_url:
        try:
            check = check_catalogue(
                catalogue,
                base_url=example_url or kolada_url or default_base_url(),
                cache=_cache_arg(cache, exempeldata),
                mode="offline" if offline else "normal",
                max_retries=_env_int("BARNBOKSLUT_KOLADA_RETRIES"),
                progress=_progress,
            )
        except KoladaError as exc:
            # The file itself is fine; only the check against Kolada is missing.
            typer.echo(
                f"Kontrollen mot Kolada kunde inte göras: {exc} Katalogfilen i sig är godkänd.", err=True
            )
            return
    for note in _job_notes(check):
        typer.echo(note, err=True)
    if check.unknown == 0:
        typer.echo(f"Alla {len(catalogue)} nyckeltal finns i Kolada.", err=True)


@app.command("kolada-server")
def kolada_server(
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="Mapp med Kolada-svar (kpi.json, municipality.json, data*.json).",
            exists=True,
            file_okay=False,
        ),
    ] = EXAMPLE_SNAPSHOT,
    port: Annotated[int, typer.Option("--port", help="Port att lyssna på.", min=0, max=65535)] = 8123,
    host: Annotated[str, typer.Option("--host", help="Adress att lyssna på (bara loopback).")] = "127.0.0.1",
    latency_ms: Annotated[
        int, typer.Option("--latency-ms", help="Extra fördröjning per fråga, i millisekunder.", min=0)
    ] = 0,
) -> None:
    """Kör en Kolada-kompatibel server på den här datorn.

    Svarar på samma adresser som api.kolada.se/v3 med samma JSON, från en mapp i Koladas eget format, och kan
    lägga in fel på begäran (POST /_control/faults). Används av testerna, exemplet och mätningarna.
    """
    from barnbokslut.koladaserver import run

    run(data, host, port, latency_ms / 1000)


@app.command(
    "webb",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
)
def webb(ctx: typer.Context) -> None:
    """Kör webbappens Django-kommandon, t.ex. migrate, createsuperuser, db_worker eller load_example.

    Argumenten skickas oförändrade till Django med barnbokslut.web.settings (som läser miljövariablerna i
    docs/deployment.md): `barnbokslut webb migrate`, `barnbokslut webb help` listar alla kommandon.
    """
    _require_web()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "barnbokslut.web.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # The SQLite file, media and static files live here; a fresh checkout has no var/ yet.
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    except ImproperlyConfigured as exc:
        raise _fail(f"Fel i inställningarna: {exc}", 2) from exc
    execute_from_command_line(["barnbokslut webb", *ctx.args])


@app.command("serve")
def serve(
    bind: Annotated[
        str,
        typer.Option(
            "--bind", help="Adress och port att lyssna på, t.ex. 127.0.0.1:8000 eller unix:/run/b.sock."
        ),
    ] = "127.0.0.1:8000",
    workers: Annotated[int, typer.Option("--workers", help="Antal gunicorn-processer.", min=1, max=64)] = 2,
    threads: Annotated[int, typer.Option("--threads", help="Trådar per process.", min=1, max=64)] = 4,
    worker: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker", help="Starta bakgrundsarbetaren (publicering, Kolada) som barnprocess."
        ),
    ] = True,
    exempel: Annotated[
        bool,
        typer.Option(
            "--exempel", help="Läs in exemplet och servera exemplets Kolada-data på loopback (make run)."
        ),
    ] = False,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Logga varje förfrågan till stdout.")
    ] = True,
) -> None:
    """Kör webbappen med produktionsservern (gunicorn) och bakgrundsarbetaren.

    Kör först migrate och collectstatic, startar sedan gunicorn med barnbokslut.web.wsgi och jobbarbetaren
    (db_worker) som barnprocess, som startas om om den dör och stoppas med servern. DEBUG är alltid av;
    inställningarna kommer från miljön (se docs/deployment.md). Avsluta med Ctrl-C.
    """
    _require_web()
    from django.core.exceptions import ImproperlyConfigured

    from barnbokslut.web.serve import serve as run_server

    try:
        run_server(
            bind=bind, workers=workers, threads=threads, worker=worker, example=exempel, access_log=access_log
        )
    except ImproperlyConfigured as exc:
        raise _fail(f"Fel i inställningarna: {exc}", 2) from exc


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
