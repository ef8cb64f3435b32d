"""Users' roles in an organisation, the units a writer writes for, who may do what (``permissions``), and the
audit log."""
