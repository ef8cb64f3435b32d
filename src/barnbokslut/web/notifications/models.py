"""What the reminder job has already sent, so that a reminder goes out once however often the job runs."""

from __future__ import annotations

from django.db import models

from barnbokslut.web.editions.models import Section


class ReminderKind(models.TextChoices):
    BEFORE = "fore", "Före sista dag"
    PASSED = "passerad", "Sista dag passerad"


class SentReminder(models.Model):
    """One reminder of one kind for one section and deadline (a moved deadline gets its own reminders)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="sent_reminders")
    kind = models.CharField("påminnelse", max_length=10, choices=ReminderKind.choices)
    deadline = models.DateField("sista dag")
    sent_at = models.DateTimeField("skickad", auto_now_add=True)

    class Meta:
        verbose_name = "skickad påminnelse"
        verbose_name_plural = "skickade påminnelser"
        constraints = [
            models.UniqueConstraint(fields=["section", "kind", "deadline"], name="one_reminder_per_deadline")
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.get_kind_display()} ({self.deadline})"
