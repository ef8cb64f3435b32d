"""Shared web parts: the base templates, the site context, permissions, the home page and health check."""
