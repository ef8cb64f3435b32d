"""An imported local table (e.g. gymnasiebehörighet per skola) belonging to an edition."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from barnbokslut.web.editions.models import Edition


class LocalTable(models.Model):
    """A table of the municipality's own figures, imported from one uploaded file."""

    class Chart(models.TextChoices):
        BAR = "stapel", "Stapeldiagram"
        NONE = "ingen", "Bara tabell"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="local_tables")
    title = models.CharField("rubrik", max_length=200)
    description = models.TextField("beskrivning", blank=True)
    unit = models.CharField("enhet", max_length=40, blank=True, help_text="t.ex. % eller antal")
    chart = models.CharField("diagram", max_length=10, choices=Chart.choices, default=Chart.BAR)
    source_filename = models.CharField("fil", max_length=255)
    sha256 = models.CharField(max_length=64)
    columns = models.JSONField("kolumner", default=list)
    rows = models.JSONField("rader", default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    order = models.PositiveIntegerField(default=0)
    carried_over = models.BooleanField(
        "från förra året",
        default=False,
        help_text="Kopierad från förra årets årgång: ladda upp årets siffror och ta bort den här.",
    )

    class Meta:
        verbose_name = "lokal tabell"
        verbose_name_plural = "lokala tabeller"
        ordering = ["edition", "order", "id"]

    def __str__(self) -> str:
        return self.title
