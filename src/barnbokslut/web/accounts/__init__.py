"""Users' roles in an organisation, the units a writer writes for, and the audit log."""
