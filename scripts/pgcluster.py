"""A throwaway PostgreSQL server for the tests and the benchmark: started in a temporary folder, removed after.

``python scripts/pgcluster.py -- COMMAND ARGS…`` starts a fresh cluster with Debian's PostgreSQL
(``initdb`` + ``pg_ctl`` from ``/usr/lib/postgresql/<version>/bin``), listening on a unix socket in the folder
and on 127.0.0.1 at a free port, creates a role ``barnbokslut`` (with CREATEDB, so pytest-django can create its
test database) and a database ``barnbokslut``, runs COMMAND with ``DATABASE_URL`` pointing there, then stops the
server and deletes the folder, and exits with COMMAND's exit code. As root, the server runs as the ``postgres``
user (PostgreSQL refuses to run as root); as anyone else, as that user.

From Python (the benchmark)::

    with ThrowawayPostgres() as pg:
        os.environ["DATABASE_URL"] = pg.url

Durability is switched off (fsync, synchronous_commit, full_page_writes): the data is thrown away anyway.
Standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

__all__ = ["PostgresError", "ThrowawayPostgres", "find_bin_dir"]


class PostgresError(RuntimeError):
    """The throwaway server could not be started."""


def find_bin_dir() -> Path:
    """The newest ``/usr/lib/postgresql/<version>/bin`` with initdb (or ``PG_BIN_DIR``)."""
    if explicit := os.environ.get("PG_BIN_DIR"):
        return Path(explicit)
    candidates = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin") if (Path(p) / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    if found := shutil.which("initdb"):
        return Path(found).parent
    raise PostgresError(
        "PostgreSQL saknas: hittade inget initdb i /usr/lib/postgresql/*/bin. Installera Debian-paketet "
        "postgresql (scripts/bootstrap.sh gör det)."
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThrowawayPostgres:
    """A PostgreSQL server in a temporary folder; ``url`` is its ``DATABASE_URL``. See the module docstring."""

    def __init__(
        self, *, user: str = "barnbokslut", database: str = "barnbokslut", password: str = "barnbokslut"
    ):
        self.user = user
        self.database = database
        self.password = password
        self.bin_dir = find_bin_dir()
        self.port = 0
        self.folder: Path | None = None
        self._run_as: list[str] = []
        self._started = False

    @property
    def url(self) -> str:
        return f"postgres://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"

    def _cmd(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [*self._run_as, *args], capture_output=True, text=True, check=False, cwd=self.folder or "/"
        )
        if check and result.returncode != 0:
            raise PostgresError(
                f"{' '.join(args)} misslyckades ({result.returncode}):\n{result.stdout}{result.stderr}"
            )
        return result

    def _psql(self, sql: str, database: str = "postgres") -> None:
        assert self.folder is not None
        self._cmd(
            str(self.bin_dir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.folder / "socket"),
            "-p", str(self.port), "-U", "postgres", "-d", database, "-c", sql,
        )  # fmt: skip

    def start(self) -> ThrowawayPostgres:
        self.folder = Path(tempfile.mkdtemp(prefix="barnbokslut-pg-"))
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: hand the folder to the postgres user and run as it.
            shutil.chown(self.folder, "postgres", "postgres")
            runuser = shutil.which("runuser")
            if not runuser:
                raise PostgresError(
                    "runuser saknas (paketet util-linux); kan inte starta PostgreSQL som postgres."
                )
            self._run_as = [runuser, "-u", "postgres", "--"]
        data = self.folder / "data"
        sockets = self.folder / "socket"
        for path in (data, sockets):
            path.mkdir()
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        self._cmd(
            str(self.bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-locale", "--no-instructions",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={sockets} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB"
        )
        for _attempt in range(5):
            self.port = _free_port()
            result = self._cmd(
                str(self.bin_dir / "pg_ctl"), "-D", str(data), "-l", str(self.folder / "server.log"),
                "-o", f"-p {self.port} {options}", "-w", "-t", "60", "start", check=False,
            )  # fmt: skip
            if result.returncode == 0:
                break
            time.sleep(0.2)  # most likely the port was taken between the check and the start; try another
        else:
            log = (self.folder / "server.log").read_text(errors="replace")[-3000:]
            raise PostgresError(f"PostgreSQL startade inte:\n{log}")
        self._started = True
        self._psql(f"CREATE ROLE {self.user} LOGIN CREATEDB PASSWORD '{self.password}'")
        self._psql(f"CREATE DATABASE {self.database} OWNER {self.user}")
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its folder. Safe to call twice."""
        if self.folder is None:
            return
        if self._started:
            self._cmd(
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "fast",
                "-w",
                "stop",
                check=False,
            )
            self._started = False
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def __enter__(self) -> ThrowawayPostgres:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run with DATABASE_URL set")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("ange ett kommando, t.ex. -- pytest tests/web")
    pg = ThrowawayPostgres()

    def _stop(signum: int, _frame: object) -> None:
        pg.stop()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, _stop)
    with pg:
        print(
            f"PostgreSQL {pg.bin_dir.parent.name} på 127.0.0.1:{pg.port} ({pg.folder})",
            file=sys.stderr,
            flush=True,
        )
        env = {**os.environ, "DATABASE_URL": pg.url}
        with contextlib.suppress(KeyboardInterrupt):
            return subprocess.run(command, env=env, check=False).returncode
    return 130


if __name__ == "__main__":
    sys.exit(main())
