"""Faults the server can be told to inject into its next responses (for retry, timeout and decoding tests).

Loud faults break the transport or the JSON: `status`, `truncate`, `malformed`, `drop`, `delay`, `hang`.
Quiet faults answer 200 with valid-looking JSON that is wrong (`short`, `cut`, `shape`, `token`,
`foreign_next`, `loop`): what a misbehaving proxy or a buggy server sends. A quiet fault rewrites the
answer the server would have given; on a response that is not a 200 JSON page it changes nothing.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, urlsplit

from ._snapshot import encode_json

FaultKind = Literal[
    "status",
    "truncate",
    "malformed",
    "drop",
    "delay",
    "hang",
    "short",
    "cut",
    "shape",
    "token",
    "foreign_next",
    "loop",
]
FAULT_KINDS: tuple[str, ...] = (
    "status",
    "truncate",
    "malformed",
    "drop",
    "delay",
    "hang",
    "short",
    "cut",
    "shape",
    "token",
    "foreign_next",
    "loop",
)
#: What `Fault.shape` can leave out: `values` of each data row, or `value` of each entry.
SHAPE_DROPS: tuple[str, ...] = ("values", "value")
#: What `Fault.token` can put where the values belong, as it appears in the JSON.
TOKENS: tuple[str, ...] = ("true", "NaN", "Infinity", "-Infinity", "1e999")
#: Faults that rewrite a normal answer rather than replace it.
REWRITING_KINDS: frozenset[str] = frozenset({"short", "cut", "shape", "token", "foreign_next", "loop"})


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected fault; each queued fault is applied to exactly one request, in order.

    Build them with the class methods: `Fault.status(429, retry_after=1)`, `Fault.truncate()`,
    `Fault.malformed()`, `Fault.drop()`, `Fault.delay(2.0)`, `Fault.hang()`, `Fault.short()`, `Fault.cut()`,
    `Fault.shape("values")`, `Fault.token("NaN")`, `Fault.foreign_next(url)`, `Fault.loop()`.
    Two modifiers: `.on("/data/")` waits in the queue (holding back the faults behind it) for the first
    request whose path contains that text, and `.always()` stays at the head of the queue, applied to every
    request (that matches) until `reset()`: `Fault.status(503).always()` is an outage that never ends.
    """

    kind: FaultKind
    code: int = 200
    retry_after: str | None = None
    body: bytes | None = None
    seconds: float = 0.0
    variant: str = ""
    url: str = ""
    path: str | None = None
    repeat: bool = False

    @classmethod
    def status(
        cls,
        code: int,
        retry_after: float | str | None = None,
        body: bytes | str | dict[str, Any] | None = None,
    ) -> Fault:
        """Answer with HTTP `code` (e.g. 429, 500, 503), an optional `Retry-After` header and body.

        The default body is `{"detail": "..."}`; a dict is sent as JSON, str/bytes as they are.
        """
        if not 100 <= int(code) <= 599:
            raise ValueError(f"HTTP status must be 100..599, got {code}")
        return cls(
            kind="status", code=int(code), retry_after=_retry_after(retry_after), body=_body(body, code)
        )

    @classmethod
    def truncate(cls) -> Fault:
        """Answer 200 with the Content-Length of the full body but only half of it, then close."""
        return cls(kind="truncate")

    @classmethod
    def malformed(cls) -> Fault:
        """Answer 200 with a body that is not valid JSON."""
        return cls(kind="malformed")

    @classmethod
    def drop(cls) -> Fault:
        """Close the connection without sending any response."""
        return cls(kind="drop")

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Answer normally, but only after `seconds` (one slow response)."""
        if not (seconds >= 0 and math.isfinite(seconds)):
            raise ValueError(f"delay must be a finite number of seconds >= 0, got {seconds}")
        return cls(kind="delay", seconds=float(seconds))

    @classmethod
    def hang(cls, seconds: float = 60.0) -> Fault:
        """Read the request and send nothing for `seconds` (or until the server stops), then close.

        A server that hangs: beyond any client's timeout, no status line, no bytes.
        """
        if not (seconds >= 0 and math.isfinite(seconds)):
            raise ValueError(f"hang must be a finite number of seconds >= 0, got {seconds}")
        return cls(kind="hang", seconds=float(seconds))

    @classmethod
    def short(cls) -> Fault:
        """Answer 200 with the first half of the page's rows (none of one row), the full `count`, `next_url` null.

        Well-formed JSON that says it has more rows than it holds, and no next page to find them on.
        """
        return cls(kind="short")

    @classmethod
    def cut(cls) -> Fault:
        """Answer 200 with the page cut after the last complete row of its first half and closed with `]}`.

        Valid JSON with a matching Content-Length, but everything after the cut is gone: the rest of the
        rows, `next_url` and `previous_url`. `count` still counts all rows.
        """
        return cls(kind="cut")

    @classmethod
    def shape(cls, drop: str = "values") -> Fault:
        """Answer 200 with every data row missing `values` (`drop="values"`) or every entry missing `value`."""
        if drop not in SHAPE_DROPS:
            raise ValueError(f"shape drops one of {', '.join(SHAPE_DROPS)}, got {drop!r}")
        return cls(kind="shape", variant=drop)

    @classmethod
    def token(cls, token: str = "NaN") -> Fault:
        """Answer 200 with `token` (`true`, `NaN`, `Infinity`, `-Infinity`, `1e999`) for every non-null value."""
        if token not in TOKENS:
            raise ValueError(f"token must be one of {', '.join(TOKENS)}, got {token!r}")
        return cls(kind="token", variant=token)

    @classmethod
    def foreign_next(cls, base_url: str = "http://127.0.0.2:9/v3") -> Fault:
        """Answer 200 with `next_url` on another server: `base_url` + this request's path (after /v3) and query.

        A server at `base_url` (e.g. a second `KoladaServer` with forged values) would then be asked for the
        same query: a client that follows it mixes foreign rows into Kolada's.
        """
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"foreign_next needs an http(s) base URL, got {base_url!r}")
        return cls(kind="foreign_next", url=base_url.rstrip("/"))

    @classmethod
    def loop(cls) -> Fault:
        """Answer 200 with `next_url` pointing back to this same page, spelled differently each time.

        The n-th loop (counted by the server) pads `page` with n zeros and also varies the order of the
        parameters, their percent-encoding and doubled slashes. With `.always()` a client that compares
        next_url as text never stops.
        """
        return cls(kind="loop")

    def on(self, path_part: str) -> Fault:
        """This fault, applied only to a request whose path contains `path_part` (e.g. "/data/")."""
        return dataclasses.replace(self, path=path_part)

    def always(self) -> Fault:
        """This fault for every (matching) request until the server is reset, instead of once."""
        return dataclasses.replace(self, repeat=True)

    def applies_to(self, path: str) -> bool:
        return self.path is None or self.path in path

    @classmethod
    def from_json(cls, spec: Any) -> Fault:
        """Build a fault from its control-endpoint form, e.g. `{"kind": "status", "status": 429}`.

        Kinds: status (status, retry_after, body), truncate, malformed, drop, delay (seconds or delay_ms),
        hang (seconds), short, cut, shape (drop: values or value), token (token), foreign_next (url), loop.
        Any fault may also say `"on": "/data/"` and `"repeat": true` (see `on` and `always`).
        Raises `ValueError` with a readable message on a bad spec.
        """
        if not isinstance(spec, dict):
            raise ValueError(f"a fault must be a JSON object, got {spec!r}")
        fault = cls._from_json(spec)
        on = spec.get("on")
        if on is not None:
            if not isinstance(on, str) or not on:
                raise ValueError(f'"on" must be a non-empty text, got {on!r}')
            fault = fault.on(on)
        repeat = spec.get("repeat", False)
        if not isinstance(repeat, bool):
            raise ValueError(f'"repeat" must be true or false, got {repeat!r}')
        return fault.always() if repeat else fault

    @classmethod
    def _from_json(cls, spec: dict[str, Any]) -> Fault:
        kind = spec.get("kind")
        if kind == "status":
            code = spec.get("status")
            if not isinstance(code, int) or isinstance(code, bool):
                raise ValueError('a "status" fault needs an integer "status"')
            return cls.status(code, retry_after=spec.get("retry_after"), body=spec.get("body"))
        if kind == "truncate":
            return cls.truncate()
        if kind == "malformed":
            return cls.malformed()
        if kind == "drop":
            return cls.drop()
        if kind == "delay":
            if "delay_ms" in spec:
                seconds = _number(spec["delay_ms"], "delay_ms") / 1000.0
            else:
                seconds = _number(spec.get("seconds"), "seconds")
            return cls.delay(seconds)
        if kind == "hang":
            return cls.hang(_number(spec.get("seconds", 60.0), "seconds"))
        if kind == "short":
            return cls.short()
        if kind == "cut":
            return cls.cut()
        if kind == "shape":
            return cls.shape(str(spec.get("drop", "values")))
        if kind == "token":
            return cls.token(str(spec.get("token", "NaN")))
        if kind == "foreign_next":
            url = spec.get("url", "http://127.0.0.2:9/v3")
            if not isinstance(url, str):
                raise ValueError(f'"url" must be a text, got {url!r}')
            return cls.foreign_next(url)
        if kind == "loop":
            return cls.loop()
        raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(FAULT_KINDS)}")


MALFORMED_BODY = b'{"count": 1, "values": [{"kpi": "N15428", "municipality": "0138", "period": 20'
_TOKEN_VALUES: dict[str, Any] = {
    "true": True,
    "NaN": math.nan,
    "Infinity": math.inf,
    "-Infinity": -math.inf,
}


def rewrite(fault: Fault, body: bytes, *, request_path: str, host: str, loop_number: int) -> bytes:
    """Return `body`, a normal 200 answer to `request_path`, as the quiet `fault` makes it.

    `host` is the Host the request was sent to; `loop_number` counts the loops served so far (from 1).
    """
    try:
        page: Any = json.loads(body)
    except ValueError:
        return body
    if not isinstance(page, dict) or not isinstance(page.get("values"), list):
        return body
    rows: list[Any] = page["values"]
    if fault.kind in ("short", "cut"):
        kept = rows[: len(rows) // 2]
        count = page.get("count")
        count = count if isinstance(count, int) and count > len(kept) else len(kept) + 1
        if fault.kind == "cut":
            return b"".join(
                (
                    b'{"count":',
                    str(count).encode(),
                    b',"values":[',
                    b",".join(encode_json(r) for r in kept),
                    b"]}",
                )
            )
        page.update(count=count, values=kept, next_url=None)
        return encode_json(page)
    if fault.kind == "shape":
        for row in rows:
            if not isinstance(row, dict):
                continue
            if fault.variant == "values":
                row.pop("values", None)
            else:
                for entry in row.get("values") or ():
                    if isinstance(entry, dict):
                        entry.pop("value", None)
        return encode_json(page)
    if fault.kind == "token":
        marker = "__barnbokslut_token__"
        for row in rows:
            for entry in (row.get("values") or ()) if isinstance(row, dict) else ():
                if isinstance(entry, dict) and entry.get("value") is not None:
                    entry["value"] = _TOKEN_VALUES.get(fault.variant, marker)
        text = json.dumps(page, ensure_ascii=False, separators=(",", ":"), allow_nan=True)
        # 1e999 has no Python value that prints as such: put it in as text.
        return text.replace(json.dumps(marker), fault.variant).encode("utf-8")
    if fault.kind == "foreign_next":
        split = urlsplit(request_path)
        path = split.path.removeprefix("/v3")
        page["next_url"] = f"{fault.url}{path}" + (f"?{split.query}" if split.query else "")
        return encode_json(page)
    if fault.kind == "loop":
        page["next_url"] = _loop_url(request_path, host, loop_number)
        return encode_json(page)
    return body


def _loop_url(request_path: str, host: str, n: int) -> str:
    """The page `request_path` asks for, spelled in the n-th way: never the same text twice."""
    split = urlsplit(request_path)
    pairs = [(key, value) for key, value in parse_qsl(split.query, keep_blank_values=True) if key != "page"]
    page = next((value for key, value in parse_qsl(split.query) if key == "page"), "1")
    pairs.append(("page", "0" * n + page.lstrip("0")))
    if n % 2:
        pairs.reverse()
    encoded = [f"{_spell_key(key, n)}={quote(value, safe=',')}" for key, value in pairs]
    path = split.path
    if n % 4 == 3:
        path = path.replace("/v3/", "/v3//", 1)
    return f"http://{host}{path}?{'&'.join(encoded)}"


def _spell_key(key: str, n: int) -> str:
    """`page`, `%70age` or `%70AGE`-style: the first letter percent-encoded in upper or lower hex."""
    if n % 3 == 0 or not key:
        return key
    code = format(ord(key[0]), "02X" if n % 3 == 1 else "02x")
    return f"%{code}{key[1:]}"


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f'"{name}" must be a number, got {value!r}')
    return float(value)


def _retry_after(value: float | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not value.is_integer():
        return str(value)
    return str(int(value))


def _body(body: bytes | str | dict[str, Any] | None, code: int) -> bytes:
    if body is None:
        return encode_json({"detail": f"Injected fault: HTTP {code}"})
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return encode_json(body)
