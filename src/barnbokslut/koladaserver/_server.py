"""HTTP plumbing: a threading HTTP/1.1 server on loopback, fault injection, request log, control endpoints.

Control endpoints (not logged, no latency, no faults):
- `POST /_control/faults` with `{"latency_ms": 50, "faults": [{"kind": "status", "status": 429,
  "retry_after": 1}, {"kind": "drop"}, {"kind": "short", "on": "/data/"}, {"kind": "loop", "repeat": true},
  ...]}`: set the latency (if given) and queue the faults (see `Fault.from_json`).
- `GET /_control/requests`: `{"count": N, "requests": ["/v3/kpi?title=x", ...]}`.
- `POST /_control/reset`: clear the request log and the fault queue, restore the starting latency.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from ._faults import MALFORMED_BODY, REWRITING_KINDS, Fault, rewrite
from ._routes import Api, Response, error_response
from ._snapshot import Snapshot, encode_json

CONTROL_PREFIX = "/_control/"
# How often the serving loop checks for a shutdown request (seconds); small so stop() is quick.
_POLL_INTERVAL = 0.05


class KoladaServer:
    """A Kolada-compatible API v3 server for one snapshot folder, with fault injection.

    `with KoladaServer(path) as server:` starts it in a daemon thread (port 0 = a free port) and stops it
    on exit; `server.url` is then `http://127.0.0.1:PORT/v3`.
    """

    def __init__(
        self, data_dir: str | Path | Snapshot, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0
    ) -> None:
        self.snapshot = data_dir if isinstance(data_dir, Snapshot) else Snapshot.load(data_dir)
        self.api = Api(self.snapshot)
        self._host = host
        self._requested_port = port
        self._initial_latency = float(latency)
        self._latency = float(latency)
        self._lock = threading.Lock()
        self._requests: list[str] = []
        self._faults: deque[Fault] = deque()
        self._loops = 0
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._handler_threads: set[threading.Thread] = set()

    # --- lifecycle ---

    def start(self) -> KoladaServer:
        """Bind and serve in a daemon thread; returns self."""
        httpd = self._bind()
        self._thread = threading.Thread(
            target=httpd.serve_forever, args=(_POLL_INTERVAL,), name="koladaserver", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Bind (if not yet bound) and serve in the calling thread until `stop()` or Ctrl-C."""
        httpd = self._bind()
        try:
            httpd.serve_forever(_POLL_INTERVAL)
        except KeyboardInterrupt:
            pass
        finally:
            self._close()

    def stop(self) -> None:
        """Stop serving, close open connections and release the port. Safe to call twice."""
        httpd = self._httpd
        if httpd is None:
            return
        self._stopping.set()
        if self._thread is not None:
            httpd.shutdown()
            self._thread.join()
            self._thread = None
            self._close()
        else:
            # serve_forever() runs in another thread; it closes everything when it returns.
            httpd.shutdown()

    def _bind(self) -> _HTTPServer:
        if self._httpd is not None:
            return self._httpd
        self._stopping.clear()
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        server_class = type("_BoundHTTPServer", (_HTTPServer,), {"address_family": family})
        httpd: _HTTPServer = server_class((self._host, self._requested_port), _Handler)
        httpd.owner = self
        self._httpd = httpd
        return httpd

    def _close(self) -> None:
        httpd = self._httpd
        if httpd is None:
            return
        self._stopping.set()
        with self._lock:
            connections = list(self._connections)
            threads = list(self._handler_threads)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5.0)
        httpd.server_close()
        self._httpd = None

    def __enter__(self) -> KoladaServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- public state ---

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("KoladaServer is not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """`http://HOST:PORT/v3` (the API base URL)."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}/v3"

    @property
    def requests(self) -> list[str]:
        """A copy of the `path?query` of every API request received so far (control requests excluded)."""
        with self._lock:
            return list(self._requests)

    @property
    def latency(self) -> float:
        return self._latency

    def set_latency(self, seconds: float) -> None:
        """Add `seconds` of latency to every following API request."""
        if seconds < 0:
            raise ValueError(f"latency must be >= 0, got {seconds}")
        self._latency = float(seconds)

    def inject(self, *faults: Fault) -> None:
        """Queue faults; each following API request consumes one, in order.

        A fault made with `.on(text)` waits for a request whose path contains `text` (the faults behind it
        wait too); one made with `.always()` is never used up, so it applies to every request until `reset()`.
        """
        for fault in faults:
            if not isinstance(fault, Fault):
                raise TypeError(f"expected Fault, got {fault!r}")
        with self._lock:
            self._faults.extend(faults)

    @property
    def pending_faults(self) -> int:
        with self._lock:
            return len(self._faults)

    def reset(self) -> None:
        """Clear the request log and the fault queue and restore the starting latency."""
        with self._lock:
            self._requests.clear()
            self._faults.clear()
            self._loops = 0
        self._latency = self._initial_latency

    # --- used by the handler ---

    def _admit(self, path: str) -> Fault | None:
        """Log an API request and hand out the next queued fault that applies to it, if any."""
        with self._lock:
            self._requests.append(path)
            if not self._faults or not self._faults[0].applies_to(path):
                return None
            fault = self._faults[0]
            if not fault.repeat:
                self._faults.popleft()
            return fault

    def _next_loop(self) -> int:
        with self._lock:
            self._loops += 1
            return self._loops

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def _register(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
                self._handler_threads.add(threading.current_thread())
            else:
                self._connections.discard(conn)
                self._handler_threads.discard(threading.current_thread())

    def _control(self, method: str, path: str, body: bytes) -> Response:
        name = path[len(CONTROL_PREFIX) :].strip("/")
        if name == "requests" and method == "GET":
            log = self.requests
            return Response(200, encode_json({"count": len(log), "requests": log}))
        if name == "reset" and method == "POST":
            self.reset()
            return Response(200, encode_json({"reset": True}))
        if name == "faults" and method == "POST":
            return self._control_faults(body)
        if name in ("requests", "reset", "faults"):
            return error_response(405, f"{method} is not allowed on {path}")
        return error_response(404, f"Not found: {path}")

    def _control_faults(self, body: bytes) -> Response:
        try:
            spec: Any = json.loads(body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return error_response(400, f"body is not valid JSON: {exc}")
        if not isinstance(spec, dict):
            return error_response(400, 'body must be an object {"latency_ms": ..., "faults": [...]}')
        try:
            faults = [Fault.from_json(item) for item in spec.get("faults") or []]
            latency_ms = spec.get("latency_ms")
            if latency_ms is not None:
                if isinstance(latency_ms, bool) or not isinstance(latency_ms, int | float) or latency_ms < 0:
                    raise ValueError(f'"latency_ms" must be a number >= 0, got {latency_ms!r}')
                self.set_latency(latency_ms / 1000.0)
        except ValueError as exc:
            return error_response(400, str(exc))
        self.inject(*faults)
        return Response(
            200, encode_json({"queued": self.pending_faults, "latency_ms": round(self._latency * 1000.0, 3)})
        )


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: KoladaServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up (timeouts, drop tests) are normal here; report anything else.
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "barnbokslut-koladaserver/1"
    # Headers and body go out in two writes; without TCP_NODELAY, delayed ACKs add ~40 ms per response.
    disable_nagle_algorithm = True
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.owner._register(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner._register(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        # Quiet: the request log is available as `server.requests`.
        return

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Used by http.server for malformed requests and unsupported methods: answer JSON like the API does.
        self.close_connection = True
        self._send(error_response(code, message or explain or f"HTTP {code}"))

    def _dispatch(self, method: str) -> None:
        owner = self.server.owner
        try:
            body = self._read_body()
            path = urlsplit(self.path).path
            if path.startswith(CONTROL_PREFIX):
                self._send(owner._control(method, path, body))
                return
            fault = owner._admit(self.path)
            owner._pause(owner.latency)
            if fault is not None and fault.kind == "drop":
                self.close_connection = True
                return
            if fault is not None and fault.kind == "delay":
                owner._pause(fault.seconds)
            if fault is not None and fault.kind == "hang":
                owner._pause(fault.seconds)
                self.close_connection = True
                return
            if fault is not None and fault.kind == "status":
                headers = [("Retry-After", fault.retry_after)] if fault.retry_after is not None else []
                self._send(Response(fault.code, fault.body or b"", headers))
                return
            if fault is not None and fault.kind == "malformed":
                self._send(Response(200, MALFORMED_BODY))
                return
            if method != "GET":
                response = error_response(405, f"{method} is not allowed on {path}")
            else:
                response = owner.api.answer(self.path, self.headers.get("Host") or self._own_host())
            if fault is not None and fault.kind == "truncate":
                self._send(response, truncate=True)
                return
            if fault is not None and fault.kind in REWRITING_KINDS and response.status == 200:
                host = self.headers.get("Host") or self._own_host()
                loop_number = owner._next_loop() if fault.kind == "loop" else 0
                body = rewrite(
                    fault, response.body, request_path=self.path, host=host, loop_number=loop_number
                )
                response = Response(response.status, body, response.headers, response.content_type)
            self._send(response)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception as exc:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self._send(error_response(500, f"Internal server error: {type(exc).__name__}: {exc}"))

    def _own_host(self) -> str:
        host, port = self.server.server_address[:2]
        return f"{host}:{port}"

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError:
            return b""
        return self.rfile.read(size) if size > 0 else b""

    def _send(self, response: Response, *, truncate: bool = False) -> None:
        body = response.body
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers:
            self.send_header(name, value)
        if truncate or self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if truncate:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)
        self.wfile.flush()


def run(data_dir: str | Path, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0) -> None:
    """Serve `data_dir` in the foreground: print one line with the URL, serve until Ctrl-C."""
    server = KoladaServer(data_dir, host=host, port=port, latency=latency)
    server._bind()
    print(f"Kolada-server på {server.url} (snapshot {Path(data_dir)}), avsluta med Ctrl-C", flush=True)
    server.serve_forever()
