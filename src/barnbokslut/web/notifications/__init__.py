"""E-mail notifications (issue 13): who is told what, in Swedish, with a link to the page concerned.

- A writer is told when sections are assigned to them (one message for a whole bulk assignment on the board).
- The writer is told when a reviewer sends a section back, with the reviewer's comment.
- Everyone who may review a section (``accounts.permissions.reviewers_for``) is told when it is submitted.
- The writer is reminded ``REMINDER_DAYS_BEFORE`` days before a section's deadline, and told once it has passed
  (the day after the last day, when the board calls it Försenat), while the section is Utkast or Återremitterad:
  ``tasks.send_deadline_reminders``, run by the task worker every hour (``tasks.ensure_scheduled``); each
  reminder is sent once per section, kind and deadline (``SentReminder``).
- The coordinators are told when a version is published.

Nobody is told of what they did themselves; a user who turned notifications off on Mitt konto
(``accounts.Preferences``), has no e-mail address or is inactive gets nothing.

The app listens to the signals of ``editions.signals`` and ``publishing.signals``; those apps never import it.
A message is handed to the task worker after the change is committed (``transaction.on_commit``), so a slow or
broken mail server never slows or breaks the user's action: sending errors are logged, never raised.
"""
