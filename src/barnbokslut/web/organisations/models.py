"""An organisation (kommun, nämnd, förvaltning or bolag) and its units (departments, committees) as a tree."""

from __future__ import annotations

from django.db import models


class Organisation(models.Model):
    """The body that writes a barnbokslut: a municipality, one of its committees/administrations, or a company.

    ``kommun`` is the Kolada municipality whose key figures the report shows; empty when there is none (a
    company, say), and then the edition simply has no Kolada figures.
    """

    class Kind(models.TextChoices):
        KOMMUN = "kommun", "Kommun"
        NAMND = "namnd", "Nämnd"
        FORVALTNING = "forvaltning", "Förvaltning"
        BOLAG = "bolag", "Bolag"

    name = models.CharField("namn", max_length=200)
    slug = models.SlugField("kortnamn i adresser", unique=True)
    kind = models.CharField("typ", max_length=12, choices=Kind.choices, default=Kind.KOMMUN)
    kommun = models.CharField(
        "kommun i Kolada",
        max_length=4,
        blank=True,
        help_text="Koladas kommun-id, t.ex. 2182 för Söderhamn. Tomt om organisationen inte har någon.",
    )
    logo = models.FileField("logotyp", upload_to="logotyper/", blank=True)
    #: The organisation's own comparison kommuner (Kolada ids), e.g. the neighbours in the county: every
    #: indicator is also compared with their unweighted mean.
    comparison_kommuner = models.JSONField("egna jämförelsekommuner", default=list, blank=True)

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisationer"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A department, committee or unit that writes its own texts, e.g. "Barn och lärande" (BOU)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="ingår i",
    )
    name = models.CharField("namn", max_length=200)
    abbreviation = models.CharField("förkortning", max_length=20)
    order = models.PositiveIntegerField("ordning", default=0)
    active = models.BooleanField(
        "aktiv",
        default=True,
        help_text=(
            "Avmarkera för att avveckla enheten: den får inga avsnitt i nya årgångar, "
            "och dess texter i tidigare årgångar finns kvar."
        ),
    )

    class Meta:
        verbose_name = "enhet"
        verbose_name_plural = "enheter"
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "abbreviation"], name="unique_unit_abbreviation")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})"

    @property
    def label(self) -> str:
        """The unit's name for lists, with "(avvecklad)" when it is no longer active."""
        return f"{self.name} (avvecklad)" if not self.active else self.name

    def ancestors(self) -> list[Unit]:
        chain: list[Unit] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]
