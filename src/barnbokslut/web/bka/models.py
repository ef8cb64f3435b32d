"""One decision (beslut or ärende) of the register of barnkonsekvensanalyser, with the questions of
Barnombudsmannen's checklist for "prövning av barnets bästa".

A record belongs to the organisation and one of its units, not to an edition: the register is the
organisation's running list of decisions, and each edition's report counts the decisions up to its year (its
year and the earlier ones, for the comparison). The fields are the columns of ``report.bka.COLUMNS``, and
``as_values`` gives them back under those keys, so the form and the import are checked by the same rules
(``report.bka.check_decision``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from barnbokslut.web.organisations.models import Organisation, Unit


class Analysis(models.TextChoices):
    QUICK = "snabb", "Snabb barnkonsekvensanalys"
    FULL = "fullständig", "Fullständig barnkonsekvensanalys"
    NONE = "ingen", "Ingen barnkonsekvensanalys"


class Outcome(models.TextChoices):
    FOR = "för", "För barnets bästa"
    AGAINST = "mot", "Mot barnets bästa"
    NEUTRAL = "neutral", "Neutral"


class Decision(models.Model):
    """One decision of a unit and what its barnkonsekvensanalys found."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="bka_decisions")
    #: PROTECT: a unit with decisions in the register is not deleted (``organisations.services.delete_refusal``).
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="bka_decisions", verbose_name="enhet"
    )
    diarienummer = models.CharField("diarienummer", max_length=100)
    decided_on = models.DateField("beslutsdatum")
    decision = models.TextField("beslut")
    analysis = models.CharField("analys", max_length=12, choices=Analysis.choices)
    affected_children = models.TextField("berörda barn", blank=True)
    articles = models.CharField("artiklar", max_length=200, blank=True)
    knowledge = models.TextField("kunskap", blank=True)
    children_heard = models.BooleanField("barn hörda")
    how_heard = models.TextField("hur barnen hördes", blank=True)
    heard_count = models.PositiveIntegerField("antal hörda", null=True, blank=True)
    ages = models.CharField("åldrar", max_length=100, blank=True)
    weighing = models.TextField("avvägning", blank=True)
    outcome = models.CharField("utfall", max_length=10, choices=Outcome.choices)
    compensating = models.TextField("kompenserande åtgärder", blank=True)
    status = models.CharField("status", max_length=60, blank=True)
    #: Invented decisions (the example organisation): the report's source line says "(Exempeldata)".
    is_example = models.BooleanField("exempeldata", default=False)
    #: The diarium export the record was imported from, "" when written in the web app.
    source_filename = models.CharField("fil", max_length=255, blank=True)
    source_row = models.PositiveIntegerField("rad i filen", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "beslut med barnkonsekvensanalys"
        verbose_name_plural = "barnkonsekvensanalyser"
        ordering = ["organisation", "-decided_on", "diarienummer"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "diarienummer"], name="one_bka_decision_per_diarienummer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.diarienummer}: {self.decision[:60]}"

    def as_values(self) -> dict[str, str]:
        """The record under the register's column keys, written as in a file (``report.bka.COLUMNS``)."""
        return {
            "diarienummer": self.diarienummer,
            "enhet": self.unit.abbreviation,
            "datum": self.decided_on.isoformat() if self.decided_on else "",
            "beslut": self.decision,
            "analys": self.analysis,
            "berörda_barn": self.affected_children,
            "artiklar": self.articles,
            "kunskap": self.knowledge,
            "barn_hörda": "ja" if self.children_heard else "nej",
            "hur_hörda": self.how_heard,
            "antal_hörda": "" if self.heard_count is None else str(self.heard_count),
            "åldrar": self.ages,
            "avvägning": self.weighing,
            "utfall": self.outcome,
            "kompenserande_åtgärder": self.compensating,
            "status": self.status,
        }
