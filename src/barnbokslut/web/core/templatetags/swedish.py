"""Swedish wording in templates, loaded with ``{% load swedish %}``.

``{{ late_count|antal:"försenat avsnitt,försenade avsnitt" }}`` gives "1 försenat avsnitt", "3 försenade avsnitt".
"""

from __future__ import annotations

from django import template

from barnbokslut.numbers import format_count

register = template.Library()


@register.filter
def antal(count: int, words: str) -> str:
    """The count with the singular or the plural of ``words`` ("singular,plural")."""
    singular, plural = words.split(",")
    return format_count(int(count), singular, plural)
