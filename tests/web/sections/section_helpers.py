"""Post to the section pages the way the editor's forms do (imported by the tests in this folder)."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from barnbokslut.web.editions.models import Section


def save(client: Client, section: Section, body: str, version: int) -> HttpResponse:
    return client.post(
        reverse("editions:section_save", args=[section.pk]), {"body": body, "version": version}
    )


def submit(client: Client, section: Section, body: str, version: int) -> HttpResponse:
    return client.post(
        reverse("editions:section_submit", args=[section.pk]), {"body": body, "version": version}
    )


def approve(client: Client, section: Section, version: int) -> HttpResponse:
    return client.post(reverse("editions:section_approve", args=[section.pk]), {"version": version})


def send_back(client: Client, section: Section, version: int, comment: str) -> HttpResponse:
    return client.post(
        reverse("editions:section_return", args=[section.pk]), {"version": version, "comment": comment}
    )
