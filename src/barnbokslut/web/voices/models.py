"""An edition's quotes from children and children's proposals: what the part "Det här säger barnen" shows.

A quote has no name field, by design; one without consent is kept (so the writer sees it) but never reaches the
report (``report.voices.voices_section`` drops it). A proposal that is not carried out needs its reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from barnbokslut.report.model import ProposalStatus
from barnbokslut.web.editions.models import Edition


class ChildQuote(models.Model):
    """Something a child said: the text, age or age band, where and when, and whether the child consented."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="child_quotes")
    text = models.TextField("citat", max_length=1000)
    age = models.CharField("ålder", max_length=20, blank=True, help_text="t.ex. 11 eller 13–15")
    context = models.CharField(
        "sammanhang", max_length=200, blank=True, help_text="var och när, t.ex. Barnrådet, mars 2025"
    )
    consent = models.BooleanField(
        "barnet har samtyckt till att citatet publiceras",
        default=False,
        help_text="Utan samtycke kommer citatet aldrig med i barnbokslutet.",
    )
    order = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "citat"
        verbose_name_plural = "citat"
        ordering = ["edition", "order", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ChildProposal(models.Model):
    """A proposal from children: what, from which group or place (no names), when, and what happened."""

    class Status(models.TextChoices):
        DONE = ProposalStatus.DONE.value, "Genomfört"
        ONGOING = ProposalStatus.ONGOING.value, "Pågår"
        NOT_DONE = ProposalStatus.NOT_DONE.value, "Inte genomfört"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="child_proposals")
    text = models.TextField("förslag", max_length=1000)
    origin = models.CharField(
        "från",
        max_length=200,
        blank=True,
        help_text="vilken grupp eller plats, t.ex. Elevrådet; aldrig ett namn",
    )
    proposed_on = models.DateField("datum", null=True, blank=True)
    status = models.CharField("vad som hände", max_length=20, choices=Status.choices, default=Status.ONGOING)
    feedback = models.TextField(
        "återkoppling",
        max_length=2000,
        blank=True,
        help_text="Vad som hände med förslaget. Krävs när det inte genomförs: skriv varför.",
    )
    order = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "förslag från barn"
        verbose_name_plural = "förslag från barn"
        ordering = ["edition", "order", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class SurveyFile(models.Model):
    """A survey's results (LUPP, elevenkäten, an own survey) uploaded for the edition: one row per question ×
    year × group, checked by ``report.voices.parse_survey`` before anything is saved (all or nothing); ``text``
    is the survey's description (the folder's ``[[enkat]]`` ``text``)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="survey_files")
    name = models.CharField("enkätens namn", max_length=120, help_text="t.ex. LUPP eller Elevenkäten")
    filename = models.CharField("fil", max_length=255)
    text = models.TextField(
        "beskrivning", max_length=2000, blank=True, help_text="Markdown. Visas under enkätens rubrik."
    )
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField("rader", default=list)
    order = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "enkät"
        verbose_name_plural = "enkäter"
        ordering = ["edition", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.filename})"
