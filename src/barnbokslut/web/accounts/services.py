"""Managing the members of an organisation: create, set roles (several per person, each with its units),
(de)activate, passwords.

Every function checks on the server that the acting user is an administratör of the organisation (raising
``PermissionDenied``, i.e. 403), refuses what would lock the organisation out (``MemberError`` with a Swedish
message) and writes one audit event naming who changed what from what to what. Users are never deleted: a
deactivated user keeps their name in the history.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model, update_session_auth_hash
from django.db import transaction

from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import UNIT_ROLES, AuditAction, Membership, Role, roles_label
from barnbokslut.web.accounts.permissions import Action, can, require
from barnbokslut.web.organisations.models import Organisation, Unit

if TYPE_CHECKING:
    from django.contrib.auth.forms import PasswordChangeForm
    from django.http import HttpRequest

NOT_ADMIN = "Bara en administratör i organisationen kan hantera användare och roller."
LAST_ADMIN = (
    "{name} är den enda aktiva administratören i {organisation}. Gör först någon annan till administratör, "
    "annars kan ingen längre hantera organisationen."
)
#: No 0/O, 1/l/I: the password is read off the screen and typed in by someone else.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class MemberError(Exception):
    """A refused change to a member; ``message`` is shown to the administrator as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def generate_password() -> str:
    """Return a random initial password such as ``k7pm-x3qa-9tvz`` (about 59 bits, easy to read aloud)."""
    groups = ("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


def who(user: Any) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{user.get_username()} ({full})" if full else user.get_username()


def role_label(value: str) -> str:
    return Role(value).label


def units_label(units: Iterable[Unit]) -> str:
    names = sorted(unit.abbreviation for unit in units)
    return ", ".join(names) if names else "inga enheter"


def require_admin(actor: Any, organisation: Organisation) -> None:
    require(can(actor, Action.MANAGE_USERS, organisation), NOT_ADMIN)


def _active_admins(organisation: Organisation) -> list[Membership]:
    # Locking the admin rows makes two simultaneous demotions wait for each other (SQLite locks the whole file).
    return list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Role.ADMIN, user__is_active=True)
        .order_by("pk")
    )


def _refuse_last_admin(membership: Membership) -> None:
    admins = _active_admins(membership.organisation)
    if membership.role == Role.ADMIN and membership.user.is_active and len(admins) <= 1:
        raise MemberError(LAST_ADMIN.format(name=who(membership.user), organisation=membership.organisation))


def takeover_refusal(actor: Any, membership: Membership) -> str | None:
    """Why ``actor`` may not reset the password of or deactivate this member, or None when allowed.

    An administrator of one organisation must not take over an account that also belongs to an organisation
    they do not administer, nor a Django superuser or staff account.
    """
    target = membership.user
    if target.is_superuser or target.is_staff:
        return f"{who(target)} är ett systemkonto och hanteras av driften, inte här."
    others = Membership.objects.filter(user=target).exclude(organisation=membership.organisation)
    for other in others.select_related("organisation"):
        if not can(actor, Action.MANAGE_USERS, other.organisation):
            return (
                f"{who(target)} är också med i {other.organisation}. Be en administratör där, "
                "eller driften, att göra ändringen."
            )
    return None


def create_member(
    request: HttpRequest,
    organisation: Organisation,
    *,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    role: Role,
    units: Iterable[Unit] = (),
    password: str = "",
) -> tuple[Membership, str]:
    """Create a user with a role in ``organisation``; return the membership and the initial password.

    ``units`` count for a skribent (the units they write for) and a granskare (the units they review; none: all).
    More roles are given afterwards with ``set_roles``."""
    require_admin(request.user, organisation)
    units = [unit for unit in units if unit.organisation_id == organisation.pk] if role in UNIT_ROLES else []
    password = password or generate_password()
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=username, password=password, first_name=first_name, last_name=last_name, email=email
        )
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        membership.units.set(units)
        extra = f" för {units_label(units)}" if role == Role.WRITER or units else ""
        record(
            AuditAction.USER_CREATED,
            f"{who(request.user)} skapade användaren {who(user)} med rollen {role_label(role)}{extra}",
            request=request,
            organisation=organisation,
            obj=user,
        )
    return membership, password


def set_roles(
    request: HttpRequest, organisation: Organisation, user: Any, chosen: Mapping[Role, Iterable[Unit]]
) -> bool:
    """Give ``user`` exactly the roles in ``chosen`` (each skribent/granskare role with its units) in
    ``organisation``; return False when nothing changed.

    Roles not chosen are removed, new ones added, kept ones get their new units. One audit event names the roles
    before and after: ROLE_CHANGED when the roles changed, UNITS_CHANGED when only their units did. Refuses no
    role at all (the person would leave the organisation) and taking the role from the last active admin.
    """
    require_admin(request.user, organisation)
    if not chosen:
        raise MemberError("Välj minst en roll.")
    wanted = {Role(r): list(units) if Role(r) in UNIT_ROLES else [] for r, units in chosen.items()}
    if any(unit.organisation_id != organisation.pk for units in wanted.values() for unit in units):
        raise MemberError("Enheterna måste höra till den här organisationen.")
    with transaction.atomic():
        rows = (
            Membership.objects.select_for_update()
            .filter(user=user, organisation=organisation)
            .select_related("user", "organisation")
        )
        current = {Role(m.role): m for m in rows}
        before = {role: {unit.pk for unit in m.units.all()} for role, m in current.items()}
        after = {role: {unit.pk for unit in units} for role, units in wanted.items()}
        if before == after:
            return False
        old_label = roles_label(current.values())
        if Role.ADMIN in current and Role.ADMIN not in wanted:
            _refuse_last_admin(current[Role.ADMIN])
        for role, found in current.items():
            if role not in wanted:
                found.delete()
        for role, units in wanted.items():
            found = current.get(role) or Membership.objects.create(
                user=user, organisation=organisation, role=role
            )
            if before.get(role, set()) != after[role]:
                found.units.set(units)
        # accounts.permissions caches memberships on the user object; the actor may just have changed their own roles.
        request.user.__dict__.pop("_barnbokslut_memberships", None)
        user.__dict__.pop("_barnbokslut_memberships", None)
        new_label = roles_label(
            Membership.objects.filter(user=user, organisation=organisation).prefetch_related("units")
        )
        if set(before) != set(after):
            noun = "rollen" if len(before) == len(after) == 1 else "rollerna"
            action, what = AuditAction.ROLE_CHANGED, noun
        else:
            action, what = AuditAction.UNITS_CHANGED, "enheterna"
        record(
            action,
            f"{who(request.user)} ändrade {what} för {who(user)} från {old_label} till {new_label}",
            request=request,
            organisation=organisation,
            obj=user,
        )
    return True


def set_active(request: HttpRequest, membership: Membership, active: bool) -> bool:
    """Deactivate (``active=False``) or reactivate a member's account; the user row is never deleted."""
    organisation = membership.organisation
    require_admin(request.user, organisation)
    user = membership.user
    if refusal := takeover_refusal(request.user, membership):
        raise MemberError(refusal)
    if not active and user.pk == request.user.pk:
        raise MemberError("Du kan inte inaktivera ditt eget konto. Be en annan administratör om det.")
    with transaction.atomic():
        if user.is_active == active:
            return False
        if not active:
            _refuse_last_admin(membership)
        user.is_active = active
        user.save(update_fields=["is_active"])
        action = AuditAction.USER_ACTIVATED if active else AuditAction.USER_DEACTIVATED
        verb = "återaktiverade" if active else "inaktiverade"
        record(
            action,
            f"{who(request.user)} {verb} {who(user)}",
            request=request,
            organisation=organisation,
            obj=user,
        )
    return True


def set_details(
    request: HttpRequest, membership: Membership, *, first_name: str, last_name: str, email: str
) -> bool:
    """Change a member's name and e-mail (already validated: ``forms.MemberDetailsForm``); False if unchanged.

    The audit event names each changed field with its old and new value."""
    organisation = membership.organisation
    require_admin(request.user, organisation)
    user = membership.user
    if user.pk != request.user.pk and (refusal := takeover_refusal(request.user, membership)):
        # Someone else's address decides where their mail (and a password reset by the operators) goes.
        raise MemberError(refusal)
    wanted = {"first_name": first_name.strip(), "last_name": last_name.strip(), "email": email.strip()}
    labels = {"first_name": "förnamn", "last_name": "efternamn", "email": "e-post"}
    with transaction.atomic():
        changed = [field for field, value in wanted.items() if getattr(user, field) != value]
        if not changed:
            return False
        before = {field: getattr(user, field) for field in changed}
        for field in changed:
            setattr(user, field, wanted[field])
        user.save(update_fields=changed)
        what = ", ".join(
            f"{labels[field]} från {before[field] or '(tomt)'} till {wanted[field] or '(tomt)'}"
            for field in changed
        )
        record(
            AuditAction.USER_CHANGED,
            f"{who(request.user)} ändrade uppgifterna för {user.get_username()}: {what}",
            request=request,
            organisation=organisation,
            obj=user,
        )
    return True


def reset_password(request: HttpRequest, membership: Membership, password: str = "") -> str:
    """Give the member a new password (generated unless ``password`` is given) and return it, to show once."""
    organisation = membership.organisation
    require_admin(request.user, organisation)
    user = membership.user
    if user.pk == request.user.pk:
        raise MemberError("Byt ditt eget lösenord på sidan Mitt konto.")
    if refusal := takeover_refusal(request.user, membership):
        raise MemberError(refusal)
    password = password or generate_password()
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(
            AuditAction.PASSWORD_RESET,
            f"{who(request.user)} återställde lösenordet för {who(user)}",
            request=request,
            organisation=organisation,
            obj=user,
        )
    return password


def change_own_password(request: HttpRequest, form: PasswordChangeForm) -> None:
    """Save a valid PasswordChangeForm, keep the user logged in, and log it (the event has no organisation)."""
    with transaction.atomic():
        user = form.save()
        update_session_auth_hash(request, user)
        record(AuditAction.PASSWORD_CHANGED, f"{who(user)} bytte sitt lösenord", request=request, user=user)
