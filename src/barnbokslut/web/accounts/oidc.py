"""Sign-in with the municipality's account over OpenID Connect (mozilla-django-oidc), beside local accounts.

Configured from the environment (``oidc_config.py``); when it is not, the two sign-in views answer 404, the login
page shows only the local form and signing out is Django's. When it is:

- ``login_start`` sends the browser to the provider (code flow with PKCE, state and nonce), ``callback`` takes
  it back, checks the ID token (signature from the provider's keys, issuer, audience, nonce) and signs the user
  in; a failure goes back to the login page with a Swedish message.
- ``OidcBackend`` finds the user by the provider's issuer and subject (``OidcIdentity``), never by e-mail. A
  first sign-in creates the user with no role at all (and no usable password); the audit log says so. When a
  local account already has the e-mail of a first sign-in (``link_decision``), the app neither creates a second
  user nor takes the account over silently: it links the identity to that account only when an operator allowed
  it (``BARNBOKSLUT_OIDC_LINK_VERIFIED_EMAIL``) and the provider says the address is verified, and otherwise
  refuses the sign-in with a Swedish message; both are audited.
- The group map (``BARNBOKSLUT_OIDC_GROUP_MAP``) then decides the memberships it names: every (organisation,
  role) that appears in the map is given or taken away on each sign-in from the person's groups, with the union
  of the units of the rules that match; roles the map does not name stay as an administrator set them. The
  map never takes the role of the organisation's last active administratör (it is kept, logged and audited).
- ``SignOutView`` logs out locally and, for a session that came from the provider, sends the browser on to the
  provider's end-session endpoint (when it has one), which comes back to the login page.

The provider's endpoints come from the settings or, when only the issuer is set, from its discovery document,
fetched on first use (not at start-up, so the local login works while the provider is down).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction, Membership, OidcIdentity, Role
from barnbokslut.web.accounts.oidc_config import DISCOVERY_KEYS, GroupRule
from barnbokslut.web.organisations.models import Organisation, Unit

LOGGER = logging.getLogger(__name__)
#: Where mozilla-django-oidc keeps the ID token in the session (OIDC_STORE_ID_TOKEN).
ID_TOKEN = "oidc_id_token"
PROVIDER_DOWN = (
    "Kommunens inloggning svarar inte just nu. Försök igen om en stund, eller logga in med lösenord."
)
SIGN_IN_FAILED = (
    "Inloggningen med kommunens konto misslyckades. "
    "Försök igen, eller logga in med användarnamn och lösenord."
)
ACCOUNT_EXISTS = (
    "Det finns redan ett konto här med e-postadressen {email}. Logga in med användarnamn och lösenord, "
    "eller be en administratör om hjälp att koppla kontot till kommunens konto."
)
#: What a failed request to the provider raises: no answer, an error status, or an answer that is not JSON.
PROVIDER_ERRORS = (requests.RequestException, ValueError)


class ProviderError(ValueError):
    """The provider's discovery document is missing an address or names another issuer."""


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


@lru_cache(maxsize=4)
def discovery(issuer: str) -> dict[str, Any]:
    """The provider's ``/.well-known/openid-configuration`` (kept for the process; a failure is not kept)."""
    response = requests.get(
        f"{issuer}/.well-known/openid-configuration", timeout=getattr(settings, "OIDC_TIMEOUT", 10)
    )
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderError(f"the discovery document of {issuer} names the issuer {document.get('issuer')!r}")
    return document


def provider_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's setting ``attr``; a provider address not set explicitly comes from discovery."""
    value = getattr(settings, attr, None)
    if value:
        return value
    issuer = getattr(settings, "OIDC_OP_ISSUER", "")
    if attr in DISCOVERY_KEYS and issuer:
        if found := discovery(issuer).get(DISCOVERY_KEYS[attr]):
            return found
        if not default:
            raise ProviderError(f"the discovery document of {issuer} has no {DISCOVERY_KEYS[attr]}")
    return import_from_settings(attr, *default)


def groups_of(claims: dict[str, Any]) -> set[str]:
    """The person's groups from the configured claim (a list of names or ids, or one string)."""
    value = claims.get(getattr(settings, "OIDC_GROUPS_CLAIM", "groups"))
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return {str(item) for item in value}
    return set()


def apply_group_map(
    request: HttpRequest | None, user: Any, groups: Iterable[str], rules: Iterable[GroupRule] | None = None
) -> None:
    """Give and take away the memberships the group map names, from ``groups``; each change is audited."""
    rules = tuple(getattr(settings, "OIDC_GROUP_MAP", ()) if rules is None else rules)
    if not rules:
        return
    groups = set(groups)
    managed = {(rule.organisation, rule.role) for rule in rules}
    wanted: dict[tuple[str, str], set[str]] = {}
    for rule in rules:
        if rule.group in groups:
            wanted.setdefault((rule.organisation, rule.role), set()).update(rule.units)
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in={slug for slug, _ in managed})}
    name = user.get_full_name() or user.get_username()
    for slug, role_value in sorted(managed):
        organisation = organisations.get(slug)
        if organisation is None:
            LOGGER.warning(
                "%s names the organisation %r, which does not exist", "BARNBOKSLUT_OIDC_GROUP_MAP", slug
            )
            continue
        role = Role(role_value)
        membership = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
        if (slug, role_value) not in wanted:
            if membership is not None and _is_last_admin(membership):
                LOGGER.warning(
                    "Kept the administratör role of %s in %s: the group map would take it, but %s is the "
                    "organisation's last active administrator",
                    user.get_username(), slug, user.get_username(),
                )  # fmt: skip
                record(
                    AuditAction.ROLE_CHANGED,
                    f"{name} behöll rollen {role.label} trots grupperna i kommunens inloggning: "
                    f"hen är den enda aktiva administratören i {organisation}",
                    request=request,
                    user=user,
                    organisation=organisation,
                )
            elif membership is not None:
                membership.delete()
                record(
                    AuditAction.ROLE_CHANGED,
                    f"{name} har inte längre rollen {role.label} (enligt grupperna i kommunens inloggning)",
                    request=request,
                    user=user,
                    organisation=organisation,
                )
            continue
        abbreviations = wanted[(slug, role_value)]
        units = list(Unit.objects.filter(organisation=organisation, abbreviation__in=abbreviations))
        if missing := abbreviations - {unit.abbreviation for unit in units}:
            LOGGER.warning(
                "BARNBOKSLUT_OIDC_GROUP_MAP names units not in %s: %s", slug, ", ".join(sorted(missing))
            )
        if membership is None:
            membership = Membership.objects.create(user=user, organisation=organisation, role=role)
            membership.units.set(units)
            record(
                AuditAction.ROLE_CHANGED,
                f"{name} fick rollen {membership.label} (enligt grupperna i kommunens inloggning)",
                request=request,
                user=user,
                organisation=organisation,
            )
        elif {unit.pk for unit in membership.units.all()} != {unit.pk for unit in units}:
            membership.units.set(units)
            record(
                AuditAction.UNITS_CHANGED,
                f"{name} har nu rollen {membership.label} (enligt grupperna i kommunens inloggning)",
                request=request,
                user=user,
                organisation=organisation,
            )


def _is_last_admin(membership: Membership) -> bool:
    """True when ``membership`` is the only active administratör of its organisation (the rows are locked)."""
    if membership.role != Role.ADMIN or not membership.user.is_active:
        return False
    with transaction.atomic():
        admins = Membership.objects.select_for_update().filter(
            organisation=membership.organisation, role=Role.ADMIN, user__is_active=True
        )
        return [found.pk for found in admins] == [membership.pk]


def _free_username(wish: str) -> str:
    model = get_user_model()
    base = re.sub(r"[^\w.@+-]", "", wish)[:140] or "konto"
    candidate, number = base, 1
    while model._default_manager.filter(**{f"{model.USERNAME_FIELD}__iexact": candidate}).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _verified(claims: dict[str, Any]) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def link_decision(claims: dict[str, Any], issuer: str) -> tuple[Any, str | None]:
    """For a first sign-in (no ``OidcIdentity`` yet): ``(user, None)`` to link the identity to the local account
    with the same e-mail, ``(None, reason)`` to refuse the sign-in, ``(None, None)`` to create a new user.

    Linking needs all of: ``OIDC_LINK_VERIFIED_EMAIL`` on, ``email_verified`` true from the provider, exactly one
    account with the address (case-insensitive), active, not a system account, and not already linked to
    another person at this provider. ``reason`` is for the audit log (the person is told ``ACCOUNT_EXISTS``)."""
    email = str(claims.get("email") or "").strip()
    if not email:
        return None, None
    found = list(get_user_model()._default_manager.filter(email__iexact=email).order_by("pk")[:2])
    if not found:
        return None, None
    names = ", ".join(user.get_username() for user in found)
    if not getattr(settings, "OIDC_LINK_VERIFIED_EMAIL", False):
        return None, f"kontot {names} har redan e-postadressen {email} och koppling är inte påslagen"
    if not _verified(claims):
        return (
            None,
            f"kontot {names} har redan e-postadressen {email}, som kommunens inloggning inte har bekräftat",
        )
    if len(found) > 1:
        return None, f"flera konton har e-postadressen {email}"
    user = found[0]
    if not user.is_active or user.is_superuser or user.is_staff:
        return None, f"kontot {names} med e-postadressen {email} är inaktiverat eller ett systemkonto"
    if OidcIdentity.objects.filter(user=user, issuer=issuer).exists():
        return None, f"kontot {names} är redan kopplat till en annan person i kommunens inloggning"
    return user, None


class OidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, finding users by issuer and subject; provider settings read when used."""

    _DEFAULTS: dict[str, Any] = {"OIDC_OP_JWKS_ENDPOINT": None, "OIDC_RP_IDP_SIGN_KEY": None}
    get_settings = staticmethod(provider_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds every backend for every authenticate(): reading the provider's addresses here (as
        # mozilla-django-oidc does) would ask the provider on each local login too.
        self.UserModel = get_user_model()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("OIDC_"):
            return provider_setting(name, *([self._DEFAULTS[name]] if name in self._DEFAULTS else []))
        raise AttributeError(name)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not enabled() or request is None or "code" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except PROVIDER_ERRORS as exc:
            LOGGER.warning("OpenID Connect sign-in failed: %s", exc)
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        issuer = getattr(settings, "OIDC_OP_ISSUER", "")
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is not meant for this client.")
        if not payload.get("sub"):
            raise SuspiciousOperation("The ID token has no subject.")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        userinfo: dict[str, Any] = self.get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub")) != str(payload["sub"]):
            raise SuspiciousOperation("The userinfo answer is about someone else than the ID token.")
        # The userinfo answer wins; the ID token fills in what it lacks (Entra ID sends groups only there).
        claims = {**payload, **userinfo}
        issuer = str(payload.get("iss") or settings.OIDC_OP_ISSUER).rstrip("/")
        subject = str(payload["sub"])
        with transaction.atomic():
            identity = (
                OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
            )
            if identity is None:
                linked, refusal = link_decision(claims, issuer)
                if refusal is not None:
                    self._refuse(claims, refusal)
                    return None
            if identity is None and linked is not None:
                user = self._update(linked, claims)
                OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
                record(
                    AuditAction.USER_CHANGED,
                    f"{user.get_username()} kopplades till kommunens konto vid inloggningen (e-postadressen "
                    f"{user.email}, bekräftad av kommunens inloggning)",
                    request=self.request,
                    user=user,
                )
            elif identity is None:
                user = self._create(claims)
                OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
                record(
                    AuditAction.USER_CREATED,
                    f"{user.get_username()} skapades vid första inloggningen med kommunens konto, utan roll",
                    request=self.request,
                    user=user,
                )
            else:
                user = self._update(identity.user, claims)
            if user.is_active:
                apply_group_map(self.request, user, groups_of(claims))
        return user

    def _refuse(self, claims: dict[str, Any], reason: str) -> None:
        """Refuse a first sign-in whose e-mail a local account has: audited, and the person is told why."""
        email = str(claims.get("email") or "").strip()
        LOGGER.warning("Refused an OpenID Connect first sign-in: %s", reason)
        record(
            AuditAction.LOGIN_FAILED,
            f"Inloggning med kommunens konto nekad: {reason}",
            request=self.request,
        )
        self.request.oidc_refusal = ACCOUNT_EXISTS.format(email=email)  # type: ignore[attr-defined]

    def _names(self, claims: dict[str, Any]) -> dict[str, str]:
        return {
            "first_name": str(claims.get("given_name") or "")[:150],
            "last_name": str(claims.get("family_name") or "")[:150],
            "email": str(claims.get("email") or "")[:254],
        }

    def _create(self, claims: dict[str, Any]) -> Any:
        wish = str(
            claims.get(getattr(settings, "OIDC_USERNAME_CLAIM", "preferred_username"))
            or claims.get("email")
            or f"konto-{claims['sub']}"
        )
        user = self.UserModel(username=_free_username(wish.split("@")[0] if "@" in wish else wish))
        for field, value in self._names(claims).items():
            setattr(user, field, value)
        user.set_unusable_password()
        user.save()
        return user

    def _update(self, user: Any, claims: dict[str, Any]) -> Any:
        names = {field: value for field, value in self._names(claims).items() if value}
        if any(getattr(user, field) != value for field, value in names.items()):
            for field, value in names.items():
                setattr(user, field, value)
            user.save(update_fields=list(names))
        return user


class _RequestView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(provider_setting)


class _CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(provider_setting)

    @property
    def failure_url(self) -> str:
        return reverse("login")

    def login_failure(self) -> HttpResponse:
        user = getattr(self, "user", None)
        refusal = getattr(self.request, "oidc_refusal", None)
        if refusal:
            messages.error(self.request, refusal)
        elif user is not None and not user.is_active:
            messages.error(self.request, "Ditt konto är inaktiverat. Be en administratör om hjälp.")
        else:
            messages.error(self.request, SIGN_IN_FAILED)
        return HttpResponseRedirect(self.failure_url)


def login_start(request: HttpRequest) -> HttpResponse:
    """GET: on to the provider's sign-in page (``?next=`` is kept for the way back)."""
    if not enabled():
        raise Http404("Inloggning med kommunens konto är inte påslagen.")
    try:
        response: HttpResponse = _RequestView.as_view()(request)
    except PROVIDER_ERRORS as exc:
        LOGGER.warning("OpenID Connect provider unavailable: %s", exc)
        messages.error(request, PROVIDER_DOWN)
        return redirect("login")
    return response


def callback(request: HttpRequest) -> HttpResponse:
    """GET: back from the provider with a code (or an error); signed in, or to the login page with a message."""
    if not enabled():
        raise Http404("Inloggning med kommunens konto är inte påslagen.")
    response: HttpResponse = _CallbackView.as_view()(request)
    return response


class SignInView(auth_views.LoginView):
    """Django's login page, with the button for the municipality's account when that is configured."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "oidc_enabled": enabled()}


class SignOutView(auth_views.LogoutView):
    """Django's logout (POST); a session from the provider then goes on to its end-session endpoint."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get(ID_TOKEN)
        response: HttpResponse = super().post(request, *args, **kwargs)
        if not (id_token and enabled()):
            return response
        try:
            end_session = provider_setting("OIDC_OP_END_SESSION_ENDPOINT", None)
        except PROVIDER_ERRORS as exc:
            LOGGER.warning("OpenID Connect provider unavailable at sign-out: %s", exc)
            return response
        if not end_session:
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "post_logout_redirect_uri": request.build_absolute_uri(
                    resolve_url(settings.LOGOUT_REDIRECT_URL)
                ),
                "client_id": settings.OIDC_RP_CLIENT_ID,
            }
        )
        return HttpResponseRedirect(f"{end_session}{'&' if '?' in end_session else '?'}{query}")
