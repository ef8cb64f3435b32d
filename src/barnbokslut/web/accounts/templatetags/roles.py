"""Template helpers that ask ``accounts.permissions`` what the current user may do, to show or hide buttons.

Hiding a button is cosmetic: the view behind it checks again on the server. Load with ``{% load roles %}``::

    {% can "manage" organisation as allowed %}{% if allowed %}<a href="…">Ändra</a>{% endif %}
    {% can_write section as writable %}
    {% can_review section as reviewable %}
    {% roles_in organisation as roles %}{{ roles }}   (all roles: "Skribent (BOU), Granskare (SVF)")
    {% membership_in organisation as membership %}   (the most privileged membership only)
    {% role_in organisation as role %}{% if role == "skribent" %}…{% endif %}   (the most privileged role only)

Action names are the values of ``accounts.permissions.Action``: view, write, review, manage, manage_users,
read_audit. An unknown name raises ``TemplateSyntaxError`` at render time rather than silently hiding a button.
"""

from __future__ import annotations

from typing import Any

from django import template

from barnbokslut.web.accounts import permissions
from barnbokslut.web.accounts.models import Membership, roles_label
from barnbokslut.web.accounts.permissions import Action

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    if request is not None:
        return request.user
    return context.get("user")


def _action(name: str) -> Action:
    try:
        return Action(name)
    except ValueError:
        known = ", ".join(a.value for a in Action)
        raise template.TemplateSyntaxError(f"Okänd behörighet {name!r}; välj en av {known}.") from None


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, organisation: Any) -> bool:
    """True when the current user may do ``action`` in ``organisation`` (False for anonymous or no organisation)."""
    user = _user(context)
    if user is None or organisation is None:
        return False
    return permissions.can(user, _action(action), organisation)


@register.simple_tag(takes_context=True)
def can_write(context: template.Context, section: Any) -> bool:
    """True when the current user may write ``section`` (their own unit, an assigned section, or a manager)."""
    user = _user(context)
    return user is not None and section is not None and permissions.can_write_section(user, section)


@register.simple_tag(takes_context=True)
def can_review(context: template.Context, section: Any) -> bool:
    """True when the current user may approve or send back ``section``."""
    user = _user(context)
    return user is not None and section is not None and permissions.can_review_section(user, section)


@register.simple_tag(takes_context=True)
def roles_in(context: template.Context, organisation: Any) -> str:
    """All the current user's roles in ``organisation`` as shown ("Skribent (BOU), Granskare (SVF)"), or ""."""
    user = _user(context)
    if user is None or organisation is None:
        return ""
    return roles_label(permissions.memberships(user, organisation))


@register.simple_tag(takes_context=True)
def membership_in(context: template.Context, organisation: Any) -> Membership | None:
    """The current user's most privileged membership in ``organisation`` (role and units), or None."""
    user = _user(context)
    if user is None or organisation is None:
        return None
    return permissions.membership(user, organisation)


@register.simple_tag(takes_context=True)
def role_in(context: template.Context, organisation: Any) -> str:
    """The current user's most privileged role value in ``organisation`` (e.g. "samordnare"), or ""."""
    found = membership_in(context, organisation)
    return found.role if found is not None else ""
