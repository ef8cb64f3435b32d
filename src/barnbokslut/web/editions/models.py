"""One barnbokslut per organisation and year, and everything written for it.

- ``Edition``: the year's barnbokslut; a new one starts from last year's (see ``services.start_edition``).
- ``Section``: one text with a writer, a deadline and a status (Utkast → Klar för granskning → Godkänd, or
  Återremitterad with the reviewer's comment). Free sections (Inledning, Sammanfattning, Slutsatser, …) have no
  unit; unit sections hold the unit's förutsättningar, styrkor or utmaningar under the four basic principles.
  ``version`` is the optimistic lock: a save names the version it started from and is refused if it moved.
- ``SectionVersion``: every saved version (who, when, the text), for history and diffs.
- ``SectionDraft``: what a user typed but has not saved (autosave), per user and section.
- ``FollowUp``: last year's development areas followed up (åtgärd, status, kommentar, and last year's
  förväntade resultat beside them).
- ``DevelopmentArea``: next year's development areas (område, åtgärder, förväntade resultat), each marked
  ``from_children`` when children proposed it (the folder's ``barnens_forslag``).
- ``EditionIndicator``: the indicators chosen for the edition, with the coordinator's comment.
- ``KoladaRefresh``: one "Uppdatera från Kolada" run in the background, with its progress.
- ``ChildVersionText``: the barnversion, a short page for children (four texts and a LIX target).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from barnbokslut.web.organisations.models import Organisation, Unit

ARTICLES = (2, 3, 6, 12)


class Edition(models.Model):
    """The barnbokslut of one organisation for one year."""

    class State(models.TextChoices):
        OPEN = "oppen", "Pågår"
        CLOSED = "avslutad", "Avslutad"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="editions")
    year = models.PositiveIntegerField("år")
    title = models.CharField("titel", max_length=200)
    state = models.CharField("läge", max_length=10, choices=State.choices, default=State.OPEN)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="förra årets"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: Standard texts (syfte, begrepp, grundprinciper) as edited for this edition; carried over each year.
    standard_texts = models.JSONField("standardtexter", default=dict, blank=True)
    #: The report's structure, as the folder's barnbokslut.toml writes it (see ``report/structure.py``):
    #: {"mall": "kommun" | "namnd", "numrerade_rubriker": bool, "avsnitt": [[avsnitt]] entries,
    #:  "artiklar": {"2": "title", …}, "forkortning_skiljetecken": ", ", "forkortningar_rubrik": "…"}.
    #: Empty: the "kommun" preset. Carried over to next year's edition.
    structure = models.JSONField("struktur", default=dict, blank=True)
    #: The keys of ``standard_texts`` that are last year's own text, unchanged since the edition started (a new
    #: year or an import): shown "från förra året" on the standard-texts page; a key goes when its text is saved
    #: changed (``views_standard_texts``).
    standard_texts_carried_over = models.JSONField("standardtexter från förra året", default=list, blank=True)

    class Meta:
        verbose_name = "årgång"
        verbose_name_plural = "årgångar"
        ordering = ["organisation", "-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_edition_per_year")]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"


class SectionKind(models.TextChoices):
    INLEDNING = "inledning", "Inledning"
    UPPLAGG = "upplagg", "Upplägg"
    UNDERLAG = "underlag", "Underlag"
    SAMMANFATTNING = "sammanfattning", "Sammanfattning"
    SLUTSATSER = "slutsatser", "Slutsatser"
    FORUTSATTNINGAR = "forutsattningar", "Förutsättningar"
    STYRKOR = "styrkor", "Styrkor"
    UTMANINGAR = "utmaningar", "Utmaningar"


#: Kinds written per unit (under the four basic principles); the others are free sections of the edition.
UNIT_KINDS = (SectionKind.FORUTSATTNINGAR, SectionKind.STYRKOR, SectionKind.UTMANINGAR)
FREE_KINDS = (
    SectionKind.INLEDNING,
    SectionKind.UPPLAGG,
    SectionKind.UNDERLAG,
    SectionKind.SAMMANFATTNING,
    SectionKind.SLUTSATSER,
)


class SectionStatus(models.TextChoices):
    DRAFT = "utkast", "Utkast"
    READY = "klar", "Klar för granskning"
    APPROVED = "godkand", "Godkänd"
    RETURNED = "aterremitterad", "Återremitterad"


class Section(models.Model):
    """One text of an edition, written by one writer and reviewed before it goes to the committee."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sections")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="sections")
    kind = models.CharField("avsnitt", max_length=20, choices=SectionKind.choices)
    body = models.TextField("text (Markdown)", blank=True)
    status = models.CharField(
        "status", max_length=20, choices=SectionStatus.choices, default=SectionStatus.DRAFT
    )
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sections",
        verbose_name="skribent",
    )
    deadline = models.DateField("senast klar", null=True, blank=True)
    reviewer_comment = models.TextField("granskarens kommentar", blank=True)
    carried_over = models.BooleanField(
        "från förra året",
        default=False,
        help_text="Texten är förra årets och har inte ändrats sedan årgången startade.",
    )
    version = models.PositiveIntegerField("version", default=0)
    updated_at = models.DateTimeField("senast ändrad", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "avsnitt"
        verbose_name_plural = "avsnitt"
        ordering = ["edition", "unit__order", "unit__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "unit", "kind"], name="one_section_per_unit_and_kind"),
            models.UniqueConstraint(
                fields=["edition", "kind"],
                condition=models.Q(unit__isnull=True),
                name="one_free_section_per_kind",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label} – {self.unit}" if self.unit_id else label

    @property
    def title(self) -> str:
        return str(self)


class SectionVersion(models.Model):
    """A saved version of a section's text (or a status change), kept for history and diffs."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    body = models.TextField("text")
    status = models.CharField("status", max_length=20, choices=SectionStatus.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField("händelse", max_length=200, blank=True)

    class Meta:
        ordering = ["section", "-number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="unique_section_version")]


class SectionDraft(models.Model):
    """Text a user has typed but not saved yet (autosave); removed when the section is saved."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    base_version = models.PositiveIntegerField()
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["section", "user"], name="one_draft_per_user")]


class FollowUpStatus(models.TextChoices):
    STARTED = "paborjad", "Påbörjad"
    DONE = "genomford", "Genomförd"
    NOT_STARTED = "ej_paborjad", "Ej påbörjad"


class DevelopmentArea(models.Model):
    """One of next year's development areas: område, åtgärder, förväntade resultat."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="development_areas")
    area = models.CharField("utvecklingsområde", max_length=300)
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="enheter")
    measures = models.TextField("åtgärder")
    expected_results = models.TextField("förväntade resultat", blank=True)
    articles = models.JSONField("artiklar", default=list, blank=True)
    indicators = models.JSONField("nyckeltal (KPI-id)", default=list, blank=True)
    from_children = models.BooleanField(
        "förslag från barn", default=False, help_text="Området föreslogs av barn (visas ”Förslag från barn”)."
    )
    order = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "utvecklingsområde"
        verbose_name_plural = "utvecklingsområden"
        ordering = ["edition", "order", "id"]

    def __str__(self) -> str:
        return self.area


class FollowUp(models.Model):
    """Last year's development area followed up this year: åtgärd, status, kommentar.

    ``expected_results`` is what last year's development area expected (its ``expected_results``), kept for the
    writer to follow up against; the report's follow-up table does not show it.

    ``actions`` holds the numbered actions one by one, ``[{"text": …, "status": "paborjad" | "genomford" |
    "ej_paborjad" | "", "comment": …}]``, each with its own status; ``status`` is then the row's own status when
    set, else derived from the actions' (all done → Genomförd, none started → Ej påbörjad, else Påbörjad).
    Without ``actions`` the row is one action: ``action`` with ``status`` and ``comment``.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="follow_ups")
    origin = models.ForeignKey(
        DevelopmentArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    area = models.CharField("utvecklingsområde", max_length=300)
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="enheter")
    action = models.TextField("åtgärd")
    status = models.CharField("status", max_length=20, choices=FollowUpStatus.choices, blank=True)
    comment = models.TextField("kommentar", blank=True)
    expected_results = models.TextField("förväntade resultat förra året", blank=True)
    actions = models.JSONField("åtgärder", default=list, blank=True)
    articles = models.JSONField("artiklar", default=list, blank=True)
    indicators = models.JSONField("nyckeltal (KPI-id)", default=list, blank=True)
    order = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "uppföljning"
        verbose_name_plural = "uppföljningar"
        ordering = ["edition", "order", "id"]

    def __str__(self) -> str:
        return self.area


class EditionIndicator(models.Model):
    """An indicator chosen for the edition (a KPI of the catalogue) with the coordinator's comment."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="indicators")
    kpi = models.CharField("KPI", max_length=10)
    comment = models.TextField("kommentar", blank=True)
    order = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        ordering = ["edition", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "kpi"], name="unique_edition_kpi")]


class KoladaRefresh(models.Model):
    """One "Uppdatera från Kolada" run in the background, with progress the page polls."""

    class State(models.TextChoices):
        QUEUED = "koad", "I kö"
        RUNNING = "pagar", "Pågår"
        DONE = "klar", "Klar"
        FAILED = "misslyckad", "Misslyckades"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="refreshes")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    requests = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class ChildVersionText(models.Model):
    """The edition's barnversion: a lead and four short texts for children, with the coordinator's LIX target.

    ``version`` is the optimistic lock, as on ``Section``: a save names the version it started from."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="child_version")
    lead = models.TextField("ingress", blank=True)
    gjort = models.TextField("Det här har vi gjort", blank=True)
    battre = models.TextField("Det här ska bli bättre", blank=True)
    sa_ni = models.TextField("Det här sa ni", blank=True)
    tycker = models.TextField("Så kan du säga vad du tycker", blank=True)
    lix_target = models.PositiveSmallIntegerField("mål för läsbarheten (LIX högst)", default=30)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "barnversion"
        verbose_name_plural = "barnversioner"

    def texts(self) -> dict[str, str]:
        return {"gjort": self.gjort, "battre": self.battre, "sa_ni": self.sa_ni, "tycker": self.tycker}
