"""An organisation (kommun, nämnd or förvaltning) and its units (departments, committees) as a tree."""

from __future__ import annotations

from django.db import models


class Organisation(models.Model):
    """The body that writes a barnbokslut: a municipality or one of its committees/administrations."""

    name = models.CharField("namn", max_length=200)
    slug = models.SlugField("kortnamn i adresser", unique=True)
    kommun = models.CharField(
        "kommun i Kolada", max_length=4, help_text="Koladas kommun-id, t.ex. 2182 för Söderhamn."
    )
    logo = models.FileField("logotyp", upload_to="logotyper/", blank=True)

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
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="ingår i"
    )
    name = models.CharField("namn", max_length=200)
    abbreviation = models.CharField("förkortning", max_length=20)
    order = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "enhet"
        verbose_name_plural = "enheter"
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "abbreviation"], name="unique_unit_abbreviation")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})"

    def ancestors(self) -> list[Unit]:
        chain: list[Unit] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]
