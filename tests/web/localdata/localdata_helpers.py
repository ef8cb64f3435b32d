"""Upload a file for preview (step 1) and import it (step 2) as a user would; make an XLSX file."""

from __future__ import annotations

import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from barnbokslut.web.editions.models import Edition

DETAILS = {"title": "Gymnasiebehörighet per skola", "unit": "%", "chart": "stapel", "description": ""}


def preview(client: Client, edition: Edition, name: str, data: bytes, **details: str) -> HttpResponse:
    upload = SimpleUploadedFile(name, data)
    return client.post(
        reverse("localdata:preview", args=[edition.pk]), {**DETAILS, **details, "file": upload}
    )


def import_previewed(
    client: Client, edition: Edition, data: bytes, *, resend: bytes | None = None, **details: str
) -> HttpResponse:
    fields = {**DETAILS, **details, "sha256": hashlib.sha256(data).hexdigest()}
    if resend is not None:
        fields["file"] = SimpleUploadedFile("igen.csv", resend)
    return client.post(reverse("localdata:import", args=[edition.pk]), fields)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
