"""Issue 12, row 10: a logo's pixels are limited, read from the header before the picture is decoded.

Before: a 17 KB PNG of 12000 × 12000 pixels passed the byte limit, and publishing then peaked at 1.3 GB.
"""

from __future__ import annotations

import contextlib
import io
from functools import lru_cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from barnbokslut.web.organisations.forms import LOGO_MAX_PIXELS, check_logo
from barnbokslut.web.organisations.models import Organisation
from pathology import peak_memory


@lru_cache(maxsize=1)
def huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_a_small_file_of_many_pixels_is_refused_without_decoding_it(cast) -> None:
    data = huge_png()
    assert len(data) < 100_000
    client = Client()
    client.force_login(cast.alva)
    response = client.post(
        reverse("organisations:update", args=[cast.organisation.pk]),
        {"name": cast.organisation.name, "kommun": "2182", "logo": SimpleUploadedFile("logo.png", data)},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "12000 × 12000 bildpunkter" in text and f"högst {LOGO_MAX_PIXELS:,}".replace(",", " ") in text
    assert not Organisation.objects.get(pk=cast.organisation.pk).logo

    def check() -> None:
        with contextlib.suppress(Exception):
            check_logo(SimpleUploadedFile("logo.png", data))

    assert peak_memory(check) < 2_000_000  # 144 million pixels decoded would be 18 MB at one bit each


def test_a_logo_at_the_limit_passes() -> None:
    out = io.BytesIO()
    Image.new("RGB", (2000, 2000), "white").save(out, format="PNG")
    check_logo(SimpleUploadedFile("logo.png", out.getvalue()))
