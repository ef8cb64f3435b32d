"""Shared web parts: the base templates, the site context, the home page and health check, and the example
loader (``load_example``). Permissions live with the roles, in ``accounts.permissions``."""
