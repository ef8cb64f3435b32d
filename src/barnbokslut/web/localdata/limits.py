"""Refuse an upload larger than ``settings.MAX_UPLOAD_BYTES`` before it is read.

``upload_limit(too_large)`` wraps a view: a request whose ``Content-Length`` is over the limit (plus a small
allowance for the form's other fields) gets ``too_large(request, ...)`` without its body ever being read. A body
that turns out bigger than announced (or chunked) is cut off by ``LimitedUploadHandler``: the file is skipped
and ``request.upload_too_large`` is set, so the view gives the same message. The CSRF check runs inside the
wrapper (Django's documented order when a view changes its upload handlers).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

#: Room for the form's text fields and the multipart framing around the file.
FORM_ALLOWANCE = 64 * 1024

View = Callable[..., HttpResponse]


class LimitedUploadHandler(FileUploadHandler):
    """Skip any uploaded file whose bytes go over ``limit``, and mark the request."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True  # type: ignore[union-attr]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def content_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.MAX_UPLOAD_BYTES + FORM_ALLOWANCE


def upload_limit(too_large: View) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                if content_too_large(request):
                    return too_large(request, *args, **kwargs)
                request.upload_handlers.insert(0, LimitedUploadHandler(request, settings.MAX_UPLOAD_BYTES))
            return protected(request, *args, **kwargs)

        return wrapped

    return decorator
