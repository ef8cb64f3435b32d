"""``barnbokslut serve`` and ``barnbokslut webb``, run as an operator would: real processes, production settings."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent


def production_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BARNBOKSLUT_", "DJANGO_"))}
    return {
        **env,
        "BARNBOKSLUT_DATA_DIR": str(data_dir),
        "BARNBOKSLUT_SECRET_KEY": secrets.token_urlsafe(50),
        "BARNBOKSLUT_ALLOWED_HOSTS": "127.0.0.1",
        "BARNBOKSLUT_SECURE_COOKIES": "0",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(pid: int) -> dict[int, str]:
    """The child processes of ``pid`` and their command lines (Linux /proc)."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            found[int(child)] = cmdline
    return found


def worker_pid(server: int) -> int | None:
    return next((pid for pid, cmd in children(server).items() if "db_worker" in cmd), None)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


def wait_for(condition, timeout: float = 60.0, log: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    told = log.read_text(errors="replace")[-4000:] if log is not None and log.exists() else ""
    raise AssertionError(f"timed out after {timeout} s\n{told}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [
            str(BIN / "barnbokslut"),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=production_env(tmp_path / "data"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        try:
            return httpx.get(f"{base}/halsa/", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(up)
    yield process, base
    if process.poll() is None:
        process.kill()
        process.wait()
    log.close()


def test_serve_migrates_serves_static_files_and_runs_the_worker_in_production_mode(
    server: tuple[subprocess.Popen[bytes], str], tmp_path: Path
) -> None:
    process, base = server
    login = httpx.get(f"{base}/logga-in/")
    assert login.status_code == 200 and "Logga in" in login.text
    css = re.search(r'href="(/static/barnbokslut/site\.[0-9a-f]{12}\.css)"', login.text)
    assert css, "the stylesheet should have a hashed name (manifest storage)"
    static = httpx.get(f"{base}{css.group(1)}")
    assert static.status_code == 200 and "immutable" in static.headers["cache-control"]
    assert httpx.get(f"{base}/").headers["location"].startswith("/logga-in/")
    missing = httpx.get(f"{base}/finns-inte/")
    assert missing.status_code == 404 and "URLconf" not in missing.text  # DEBUG is off

    first = worker_pid(process.pid)
    assert first is not None
    os.kill(first, signal.SIGKILL)
    # a liveness bound, not a speed goal: a busy CI machine restarts the worker slowly
    wait_for(lambda: worker_pid(process.pid) not in (None, first), timeout=60, log=tmp_path / "serve.log")

    second = worker_pid(process.pid)
    assert second is not None
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0
    wait_for(lambda: not alive(second), timeout=10)


def test_the_worker_stops_when_the_server_is_killed(server: tuple[subprocess.Popen[bytes], str]) -> None:
    """SIGKILL gives the server no chance to stop its worker: the parent-death signal must."""
    process, _base = server
    worker = worker_pid(process.pid)
    assert worker is not None
    process.kill()
    process.wait(10)
    wait_for(lambda: not alive(worker), timeout=30)


def test_webb_runs_django_commands_with_the_production_settings(tmp_path: Path) -> None:
    env = production_env(tmp_path / "data")
    env.pop("DATABASE_URL", None)  # a fresh SQLite file, whatever database the suite runs on
    result = subprocess.run(
        [str(BIN / "barnbokslut"), "webb", "showmigrations", "editions"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "[ ] 0001_initial" in result.stdout
    del env["BARNBOKSLUT_SECRET_KEY"]
    refused = subprocess.run(
        [str(BIN / "barnbokslut"), "webb", "migrate"], env=env, capture_output=True, text=True
    )
    assert refused.returncode == 2
    assert "BARNBOKSLUT_SECRET_KEY saknas" in refused.stderr


REMINDERS = "barnbokslut.web.notifications.tasks.send_deadline_reminders"
REMINDER_RUNS = (
    "from django_tasks_db.models import DBTaskResult as R; "
    f"print(sorted(R.objects.filter(task_path={REMINDERS!r}).values_list('status', flat=True)))"
)


def test_serve_queues_the_deadline_reminders_and_the_worker_keeps_them_scheduled(
    server: tuple[subprocess.Popen[bytes], str], tmp_path: Path
) -> None:
    """At start-up serve queues a reminder run; the worker runs it, and the run queues the next one (an hour on)."""

    def runs() -> str:
        result = subprocess.run(
            [str(BIN / "barnbokslut"), "webb", "shell", "--no-imports", "-c", REMINDER_RUNS],
            env=production_env(tmp_path / "data"),
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]  # after "N objects imported automatically"

    wait_for(lambda: runs() == "['READY', 'SUCCESSFUL']", timeout=60, log=tmp_path / "serve.log")
