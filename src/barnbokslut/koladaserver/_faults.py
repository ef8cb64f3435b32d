"""Faults the server can be told to inject into its next responses (for retry, timeout and decoding tests)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from ._snapshot import encode_json

FaultKind = Literal["status", "truncate", "malformed", "drop", "delay"]
FAULT_KINDS: tuple[str, ...] = ("status", "truncate", "malformed", "drop", "delay")


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected fault; each queued fault is applied to exactly one request, in order.

    Build them with the class methods: `Fault.status(429, retry_after=1)`, `Fault.truncate()`,
    `Fault.malformed()`, `Fault.drop()`, `Fault.delay(2.0)`.
    """

    kind: FaultKind
    code: int = 200
    retry_after: str | None = None
    body: bytes | None = None
    seconds: float = 0.0

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
    def from_json(cls, spec: Any) -> Fault:
        """Build a fault from its control-endpoint form, e.g. `{"kind": "status", "status": 429}`.

        Kinds: status (status, retry_after, body), truncate, malformed, drop, delay (seconds or delay_ms).
        Raises `ValueError` with a readable message on a bad spec.
        """
        if not isinstance(spec, dict):
            raise ValueError(f"a fault must be a JSON object, got {spec!r}")
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
        raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(FAULT_KINDS)}")


MALFORMED_BODY = b'{"count": 1, "values": [{"kpi": "N15428", "municipality": "0138", "period": 20'


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
