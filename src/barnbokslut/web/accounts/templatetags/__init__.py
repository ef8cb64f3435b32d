"""Template tag libraries of the accounts app (``{% load roles %}``)."""
