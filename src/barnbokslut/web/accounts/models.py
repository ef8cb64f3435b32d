"""Roles (administratör, samordnare, skribent, granskare, läsare) and the audit log.

A user holds one or more roles per organisation, one ``Membership`` row per role (skribent for BOU and granskare
for SVF are two rows). A skribent writes only for the units listed on that membership; a granskare with units
reviews only those units' sections, a granskare without units reviews all of them. What each role may do is
decided in ``permissions.py``, never in templates alone. ``Preferences`` holds a user's own settings (e-mail
notifications on or off, Mitt konto).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models

from barnbokslut.web.organisations.models import Organisation, Unit


class Role(models.TextChoices):
    ADMIN = "administrator", "Administratör"
    COORDINATOR = "samordnare", "Samordnare"
    WRITER = "skribent", "Skribent"
    REVIEWER = "granskare", "Granskare"
    READER = "lasare", "Läsare"


#: Roles whose membership lists units: the skribent writes for them, the granskare reviews them (none = all).
UNIT_ROLES = (Role.WRITER, Role.REVIEWER)
_ROLE_ORDER = {role: index for index, role in enumerate(Role)}


class Membership(models.Model):
    """One role of a user in an organisation; for a skribent or granskare also the units it covers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("roll", max_length=20, choices=Role.choices)
    units = models.ManyToManyField(Unit, blank=True, related_name="memberships", verbose_name="enheter")

    class Meta:
        verbose_name = "medlemskap"
        verbose_name_plural = "medlemskap"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="one_membership_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.label} i {self.organisation}"

    @property
    def label(self) -> str:
        """The role as shown: "Skribent (BOU, SVF)", "Skribent (inga enheter)", "Granskare (SVF)", "Granskare"."""
        name = Role(self.role).label
        if self.role not in UNIT_ROLES:
            return name
        units = sorted(unit.abbreviation for unit in self.units.all())
        if units:
            return f"{name} ({', '.join(units)})"
        return f"{name} (inga enheter)" if self.role == Role.WRITER else name


def by_role_order(memberships: Iterable[Membership]) -> list[Membership]:
    """Most privileged role first (administratör, samordnare, skribent, granskare, läsare)."""
    return sorted(memberships, key=lambda m: _ROLE_ORDER[Role(m.role)])


def roles_label(memberships: Iterable[Membership]) -> str:
    """All of a person's roles in one organisation: "Skribent (BOU), Granskare (SVF)"."""
    return ", ".join(m.label for m in by_role_order(memberships))


class OidcIdentity(models.Model):
    """The municipality's account a user signs in with: the provider (issuer) and its fixed id for the person.

    A user is found by this pair on every sign-in (never by e-mail, which a person may change or share), and a
    first sign-in creates the user and this row (accounts/oidc.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities"
    )
    issuer = models.CharField("inloggningstjänst", max_length=300)
    subject = models.CharField("id hos inloggningstjänsten", max_length=255)
    created_at = models.DateTimeField("första inloggning", auto_now_add=True)

    class Meta:
        verbose_name = "konto hos kommunens inloggning"
        verbose_name_plural = "konton hos kommunens inloggning"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_oidc_subject")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.subject} hos {self.issuer})"


class AuditAction(models.TextChoices):
    LOGIN = "login", "Inloggning"
    LOGIN_FAILED = "login_failed", "Misslyckad inloggning"
    LOGOUT = "logout", "Utloggning"
    ROLE_CHANGED = "role_changed", "Ändrad roll"
    UNITS_CHANGED = "units_changed", "Ändrade enheter"
    STATUS_CHANGED = "status_changed", "Ändrad status"
    EDITION_CREATED = "edition_created", "Ny årgång"
    IMPORTED = "imported", "Importerade data"
    PUBLISHED = "published", "Publicering"
    DENIED = "denied", "Nekad åtgärd"
    USER_CREATED = "user_created", "Ny användare"
    USER_DEACTIVATED = "user_deactivated", "Inaktiverad användare"
    USER_ACTIVATED = "user_activated", "Återaktiverad användare"
    USER_CHANGED = "user_changed", "Ändrade användaruppgifter"
    PASSWORD_RESET = "password_reset", "Återställt lösenord"
    PASSWORD_CHANGED = "password_changed", "Bytt lösenord"
    ORGANISATION_CHANGED = "organisation_changed", "Ändrad organisation"
    LOGIN_LOCKED = "login_locked", "Spärrad inloggning"
    TABLE_CHANGED = "table_changed", "Ändrad tabell"
    ASSIGNED = "assigned", "Ändrad tilldelning"
    INDICATORS_CHANGED = "indicators_changed", "Ändrade nyckeltal"
    KOLADA_REFRESHED = "kolada_refreshed", "Uppdaterade Kolada-data"
    DATA_DELETED = "data_deleted", "Borttagna data"
    PUBLICATION_FINISHED = "publication_finished", "Publicerad version"
    PUBLICATION_FAILED = "publication_failed", "Misslyckad publicering"
    SECTION_SAVED = "section_saved", "Sparad text"
    AUDIT_EXPORTED = "audit_exported", "Exporterad logg"


class AuditEventImmutableError(RuntimeError):
    """Raised on any attempt to change or delete an audit event: the log is append-only."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    # Bulk writes would bypass AuditEvent.save/delete; Django's own SET_NULL cascades use UpdateQuery directly.
    def update(self, **kwargs: Any) -> int:
        raise AuditEventImmutableError("Granskningsloggen kan inte ändras.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditEventImmutableError("Granskningsloggen kan inte raderas.")


class AuditEvent(models.Model):
    """One entry in the audit log: who did what, when, to which object. Never edited, never deleted."""

    created_at = models.DateTimeField("tid", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField("användarnamn", max_length=150, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField("händelse", max_length=30, choices=AuditAction.choices)
    object_type = models.CharField("objekttyp", max_length=50, blank=True)
    object_id = models.CharField("objekt-id", max_length=50, blank=True)
    description = models.TextField("beskrivning")
    ip = models.GenericIPAddressField("ip-adress", null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "logghändelse"
        verbose_name_plural = "granskningslogg"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username}: {self.description}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert the event once; saving an event that already exists raises ``AuditEventImmutableError``."""
        if self.pk is not None or not self._state.adding:
            raise AuditEventImmutableError("En händelse i granskningsloggen kan inte ändras.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditEventImmutableError("En händelse i granskningsloggen kan inte raderas.")


class Preferences(models.Model):
    """A user's own settings, changed on Mitt konto; a user without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    email_notifications = models.BooleanField(
        "aviseringar per e-post",
        default=True,
        help_text="E-post när du får ett avsnitt, när ett avsnitt kommer tillbaka, godkänns eller väntar på "
        "granskning, före och efter sista dag, och när en version är publicerad.",
    )

    class Meta:
        verbose_name = "inställningar"
        verbose_name_plural = "inställningar"

    def __str__(self) -> str:
        return f"Inställningar för {self.user}"


def wants_email(user: Any) -> bool:
    """Does ``user`` want notifications by e-mail (the default), and can get them (active, has an address)?"""
    if not getattr(user, "is_active", False) or not getattr(user, "email", ""):
        return False
    found = Preferences.objects.filter(user=user).values_list("email_notifications", flat=True).first()
    return True if found is None else bool(found)
