"""The production server behind ``barnbokslut serve``: gunicorn plus the django-tasks database worker.

``serve(bind="127.0.0.1:8000", workers=2)`` first brings the database up to date (``migrate``) and collects the
static files (``collectstatic``; WhiteNoise serves them), queues the first run of the hourly deadline reminders
(``notifications.tasks.ensure_scheduled``), then runs gunicorn in the foreground with
``barnbokslut.web.wsgi`` and starts the background job worker (``db_worker``, which builds publications,
fetches Kolada data and sends e-mail) as a child process. The worker is restarted if it dies and stopped when the
server stops (Ctrl-C or SIGTERM). Everything logs to stdout/stderr, for systemd's journal or a container log.

``example=True`` (``barnbokslut serve --exempel``, used by ``make run``) also serves the bundled Kolada snapshot
on a free loopback port and points ``BARNBOKSLUT_KOLADA_URL`` of the web app and its worker at it, so the
example's indicator pages work offline.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

__all__ = ["BarnbokslutServer", "WorkerSupervisor", "prepare", "serve"]

logger = logging.getLogger("barnbokslut.serve")

#: Held while the worker is spawned, and by every ``os.fork`` of this process (gunicorn forking its web
#: workers). ``Popen`` waits on a pipe until the child has exec'd; a web worker forked in that window inherits
#: the pipe's write end and keeps it open for its whole life, so ``Popen`` never returned and the supervisor
#: never restarted a dead worker (the CI failure of 2026-12-03, 4 runs in 6 on this machine).
_FORK_LOCK = threading.RLock()


def _reset_fork_lock_in_child() -> None:
    global _FORK_LOCK
    _FORK_LOCK = threading.RLock()


os.register_at_fork(
    before=_FORK_LOCK.acquire, after_in_parent=_FORK_LOCK.release, after_in_child=_reset_fork_lock_in_child
)

SETTINGS_MODULE = "barnbokslut.web.settings"


def _with_parent_death_signal(command: list[str]) -> list[str]:
    """The command run through util-linux ``setpriv --pdeathsig TERM``: Linux sends the worker SIGTERM when the
    server dies, even by SIGKILL.

    ``setpriv`` sets the signal and execs the command (same pid, the worker's own command line). It replaces a
    ``preexec_fn`` that did the same in Python between fork and exec: in a threaded server that child could hang
    before exec now and then (a restart that never came, 1 run in 8), and without ``preexec_fn`` Python starts the
    child with vfork, which cannot.
    """
    setpriv = shutil.which("setpriv")
    if setpriv is None or not sys.platform.startswith("linux"):
        return command
    return [setpriv, "--pdeathsig", "TERM", "--", *command]


class WorkerSupervisor:
    """Keep one ``db_worker`` child process running; restart it when it exits, stop it on ``stop()``.

    ``WorkerSupervisor(command).start()`` runs the command in a thread-watched child in its own session (so a
    Ctrl-C in the terminal reaches the server, which then stops the worker in order). A worker that keeps dying
    is restarted with a growing pause (1 s, 2 s, … up to 30 s) so a broken configuration does not spin.
    """

    def __init__(self, command: list[str], *, env: dict[str, str] | None = None) -> None:
        self.command = command
        self.env = env
        self.restarts = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, name="db-worker-supervisor", daemon=True)

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None else None

    def start(self) -> WorkerSupervisor:
        self._thread.start()
        return self

    def _spawn(self) -> subprocess.Popen[bytes] | None:
        with self._lock, _FORK_LOCK:
            if self._stopping.is_set():
                return None
            self._process = subprocess.Popen(
                _with_parent_death_signal(self.command), env=self.env, start_new_session=True
            )
            logger.info("Bakgrundsarbetaren startad (pid %s)", self._process.pid)
            return self._process

    def _watch(self) -> None:
        pause = 1.0
        while not self._stopping.is_set():
            started = time.monotonic()
            process = self._spawn()
            if process is None:
                return
            try:
                code = process.wait()
            except ChildProcessError:  # gunicorn's arbiter reaped it first
                code = None
            if self._stopping.is_set():
                return
            if time.monotonic() - started > 60:
                pause = 1.0
            logger.warning("Bakgrundsarbetaren avslutades (kod %s); startar om om %.0f s", code, pause)
            self.restarts += 1
            if self._stopping.wait(pause):
                return
            pause = min(pause * 2, 30.0)

    def stop(self, timeout: float = 20.0) -> None:
        """Ask the worker to finish its current task (SIGTERM), then kill it after ``timeout`` seconds."""
        with self._lock:
            self._stopping.set()
            process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                with contextlib.suppress(Exception):
                    process.wait(5)
            except ChildProcessError:
                pass
            logger.info("Bakgrundsarbetaren stoppad")
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(5)


def worker_command() -> list[str]:
    """The command line of the background job worker, run with this Python and the production settings."""
    return [sys.executable, "-m", "django", "db_worker", f"--settings={SETTINGS_MODULE}", "--interval", "1"]


def prepare(*, collectstatic: bool = True, load_example: bool = False) -> None:
    """Set Django up in this process, migrate the database, load the example if asked, collect static files."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=1)
    from barnbokslut.web.notifications.tasks import ensure_scheduled

    ensure_scheduled()  # the hourly deadline reminders, run by the worker below
    if load_example:
        call_command("load_example", verbosity=0)  # the banner prints the users
    if collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
    # Never hand an open database connection to the forked gunicorn workers.
    connections.close_all()


class BarnbokslutServer(BaseApplication):  # type: ignore[misc]
    """gunicorn running ``barnbokslut.web.wsgi`` with options given as a dict (no config file, no argv)."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self) -> Callable[..., Any]:
        from barnbokslut.web.wsgi import application

        return application


#: The example Kolada server's preferred port (the ``kolada-server`` default): a stable address lets the web
#: app reuse what it cached from it last time (cache and analysis are keyed by the Kolada URL).
EXAMPLE_KOLADA_PORT = 8123


def start_example_kolada() -> Any:
    """Start the bundled Kolada snapshot's server on loopback (port 8123, or a free one); return it."""
    from barnbokslut.example import EXAMPLE_SNAPSHOT
    from barnbokslut.koladaserver import KoladaServer

    preferred = int(os.environ.get("BARNBOKSLUT_EXEMPEL_KOLADA_PORT", EXAMPLE_KOLADA_PORT))
    try:
        return KoladaServer(EXAMPLE_SNAPSHOT, port=preferred).start()
    except OSError:  # taken: any free port works, the cache is only filled again
        return KoladaServer(EXAMPLE_SNAPSHOT, port=0).start()


@contextlib.contextmanager
def example_kolada() -> Iterator[str]:
    """Serve the bundled Kolada snapshot on loopback while the block runs; yield its URL."""
    server = start_example_kolada()
    try:
        yield server.url
    finally:
        server.stop()


def _banner(bind: str, example: bool) -> str:
    from django.conf import settings

    host, _, port = bind.rpartition(":")
    url = f"http://{host or '127.0.0.1'}:{port}/" if not bind.startswith("unix:") else bind
    lines = ["", "=" * 72, f"Barnbokslut körs på {url}  (avsluta med Ctrl-C)"]
    if example:
        users = Path(settings.DATA_DIR) / "exempel-anvandare.txt"
        if users.is_file():
            lines += ["", users.read_text(encoding="utf-8").rstrip()]
    lines.append("=" * 72)
    return "\n".join(lines)


def serve(
    *,
    bind: str = "127.0.0.1:8000",
    workers: int = 2,
    threads: int = 4,
    worker: bool = True,
    example: bool = False,
    access_log: bool = True,
    timeout: int = 120,
) -> None:
    """Run the production server in the foreground until SIGINT/SIGTERM; see the module docstring."""
    logging.basicConfig(level=logging.INFO, format="[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s")
    # gunicorn forks its workers from this process, and a worker leaves by raising SystemExit through this very
    # stack: only the process that started things may stop them (else a worker would wait for the Kolada
    # thread, which exists only here, and hang until it is killed).
    owner = os.getpid()
    if os.environ.get("BARNBOKSLUT_DEBUG", "") not in ("", "0"):
        logger.warning("BARNBOKSLUT_DEBUG gäller inte för produktionsservern; DEBUG är av.")
    os.environ["BARNBOKSLUT_DEBUG"] = "0"  # never tracebacks to the browser from the production server
    kolada: Any = None
    supervisor: WorkerSupervisor | None = None
    try:
        if example:
            kolada = start_example_kolada()
            os.environ["BARNBOKSLUT_KOLADA_URL"] = kolada.url
            logger.info("Exempeldata från Kolada-servern på %s", kolada.url)
        prepare(load_example=example)
        if worker:
            supervisor = WorkerSupervisor(worker_command(), env=dict(os.environ))

        def when_ready(_arbiter: Any) -> None:
            if supervisor is not None:
                supervisor.start()
            print(_banner(bind, example), flush=True)

        def on_exit(_arbiter: Any) -> None:
            if supervisor is not None:
                supervisor.stop()

        options: dict[str, Any] = {
            "bind": [bind],
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": timeout,
            "graceful_timeout": 20,
            "accesslog": "-" if access_log else None,
            "errorlog": "-",
            "loglevel": "info",
            "control_socket_disable": True,
            "proc_name": "barnbokslut",
            "when_ready": when_ready,
            "on_exit": on_exit,
        }
        BarnbokslutServer(options).run()
    finally:
        if os.getpid() == owner:
            # gunicorn calls on_exit on a normal halt; this also covers a failed start.
            if supervisor is not None:
                supervisor.stop()
            if kolada is not None:
                kolada.stop()
