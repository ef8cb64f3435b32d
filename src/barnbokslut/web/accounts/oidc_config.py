"""Sign-in with the municipality's account (OpenID Connect): the settings, read from the environment.

Imported by ``settings.py`` before Django is set up, so it imports no models. Nothing is configured unless
``BARNBOKSLUT_OIDC_CLIENT_ID`` is set; then the provider is named by ``BARNBOKSLUT_OIDC_ISSUER`` (its endpoints
are read from ``ISSUER/.well-known/openid-configuration`` on first use) and/or by explicit endpoints, which win
over the discovered ones. See docs/deployment.md, "Inloggning med kommunens konto".

``BARNBOKSLUT_OIDC_GROUP_MAP`` maps the provider's groups to our roles, one rule per line or separated by ``;``::

    GRUPP = organisation:roll[:ENHET,ENHET]

``organisation`` is the organisation's short name in addresses (its slug), ``roll`` one of administrator,
samordnare, skribent, granskare, lasare (the Swedish labels also do), the units are abbreviations (only for
skribent and granskare). A group may have several rules; several groups may give the same role.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

PREFIX = "BARNBOKSLUT_OIDC_"
GROUP_MAP = PREFIX + "GROUP_MAP"
BACKEND = "barnbokslut.web.accounts.oidc.OidcBackend"

#: The role values of ``accounts.models.Role`` (models can't be imported here), with the labels also accepted.
ROLE_NAMES: dict[str, str] = {
    "administrator": "administrator",
    "administratör": "administrator",
    "samordnare": "samordnare",
    "skribent": "skribent",
    "granskare": "granskare",
    "lasare": "lasare",
    "läsare": "lasare",
}
UNIT_ROLE_NAMES = frozenset({"skribent", "granskare"})

#: Explicit endpoints: environment suffix → mozilla-django-oidc setting.
ENDPOINTS = {
    "AUTHORIZATION_ENDPOINT": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "TOKEN_ENDPOINT": "OIDC_OP_TOKEN_ENDPOINT",
    "USERINFO_ENDPOINT": "OIDC_OP_USER_ENDPOINT",
    "JWKS_ENDPOINT": "OIDC_OP_JWKS_ENDPOINT",
    "END_SESSION_ENDPOINT": "OIDC_OP_END_SESSION_ENDPOINT",
}
#: mozilla-django-oidc setting → the key of the provider's discovery document that fills it.
DISCOVERY_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_END_SESSION_ENDPOINT": "end_session_endpoint",
}
_KNOWN = {
    "ISSUER", "CLIENT_ID", "CLIENT_SECRET", "CLIENT_SECRET_FILE", "SCOPES", "GROUPS_CLAIM", "USERNAME_CLAIM",
    "GROUP_MAP", "SIGN_ALGO", "TIMEOUT", "LINK_VERIFIED_EMAIL", *ENDPOINTS,
}  # fmt: skip
_YES = {"1", "ja", "true", "yes", "on"}
_NO = {"", "0", "nej", "false", "no", "off"}
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass(frozen=True)
class GroupRule:
    """One rule of the group map: members of ``group`` get ``role`` in ``organisation`` (for ``units``)."""

    group: str
    organisation: str
    role: str
    units: tuple[str, ...] = ()


def parse_group_map(text: str, variable: str = GROUP_MAP) -> tuple[GroupRule, ...]:
    """The rules of ``text`` in order; a bad rule raises ImproperlyConfigured naming ``variable`` and the rule."""
    rules: list[GroupRule] = []
    for number, raw in enumerate(re.split(r"[;\n]", text), start=1):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue

        def bad(reason: str, entry: str = entry, number: int = number) -> ImproperlyConfigured:
            return ImproperlyConfigured(
                f"{variable}: regel {number} ({entry!r}) {reason}. Skriv GRUPP = organisation:roll[:ENHET,ENHET], "
                "t.ex. 'barnbokslut-skribent = soderhamn:skribent:BOU,SVF'."
            )

        group, equals, target = entry.partition("=")
        group, target = group.strip(), target.strip()
        if not equals:
            raise bad("saknar '='")
        if not group:
            raise bad("saknar gruppens namn före '='")
        parts = [part.strip() for part in target.split(":")]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            raise bad("ska ha organisation och roll efter '=', åtskilda av ':'")
        organisation, role_name = parts[0], parts[1]
        if not _SLUG.match(organisation):
            raise bad(
                f"har organisationen {organisation!r}, som inte är ett kortnamn (bokstäver, siffror, -)"
            )
        role = ROLE_NAMES.get(role_name.lower())
        if role is None:
            raise bad(
                f"har den okända rollen {role_name!r} (roller: administrator, samordnare, skribent, granskare, "
                "lasare)"
            )
        units: tuple[str, ...] = ()
        if len(parts) == 3:
            units = tuple(unit.strip() for unit in parts[2].split(","))
            if not all(units):
                raise bad("har en tom enhet i listan")
            if role not in UNIT_ROLE_NAMES:
                raise bad(f"ger enheter till rollen {role_name!r}; bara skribent och granskare har enheter")
        rules.append(GroupRule(group, organisation, role, units))
    return tuple(rules)


def _secret(environ: Mapping[str, str], name: str) -> str:
    if value := environ.get(name, "").strip():
        return value
    if path := environ.get(f"{name}_FILE", "").strip():
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"Kunde inte läsa {name}_FILE ({path}): {exc}") from exc
    return ""


def _url(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name, "").strip()
    if value and urlsplit(value).scheme not in ("http", "https"):
        raise ImproperlyConfigured(f"{name} ska vara en adress som börjar med https://, inte {value!r}")
    return value


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def oidc_settings(environ: Mapping[str, str], *, backends: list[str], csp: dict[str, Any]) -> dict[str, Any]:
    """The Django settings for OpenID Connect sign-in from ``environ``: ``{"OIDC_ENABLED": False}`` when it is not
    configured, else mozilla-django-oidc's settings, the backends with ours added and the CSP with the provider's
    address allowed as a form target (signing out sends the browser there)."""
    present = sorted(key for key, value in environ.items() if key.startswith(PREFIX) and value.strip())
    unknown = [key for key in present if key.removeprefix(PREFIX) not in _KNOWN]
    if unknown:
        raise ImproperlyConfigured(
            f"Okänd inställning för inloggning med kommunens konto: {', '.join(unknown)}"
        )
    client_id = environ.get(PREFIX + "CLIENT_ID", "").strip()
    if not client_id:
        if present:
            raise ImproperlyConfigured(
                f"{PREFIX}CLIENT_ID saknas, men {', '.join(present)} är satt: inloggning med kommunens konto "
                "behöver klient-id:t som webbappen har hos kommunens inloggningstjänst."
            )
        return {"OIDC_ENABLED": False}
    secret = _secret(environ, PREFIX + "CLIENT_SECRET")
    if not secret:
        raise ImproperlyConfigured(f"{PREFIX}CLIENT_SECRET (eller {PREFIX}CLIENT_SECRET_FILE) saknas.")
    issuer = _url(environ, PREFIX + "ISSUER").rstrip("/")
    endpoints = {setting: _url(environ, PREFIX + suffix) for suffix, setting in ENDPOINTS.items()}
    required = [s for s in ENDPOINTS if s != "END_SESSION_ENDPOINT" and not endpoints[ENDPOINTS[s]]]
    if not issuer and required:
        raise ImproperlyConfigured(
            f"Sätt {PREFIX}ISSUER (adressen till kommunens inloggningstjänst), eller alla adresser: "
            + ", ".join(PREFIX + s for s in required)
            + "."
        )
    sign_algo = environ.get(PREFIX + "SIGN_ALGO", "").strip() or "RS256"
    if not re.fullmatch(r"(RS|ES|PS)(256|384|512)", sign_algo):
        raise ImproperlyConfigured(f"{PREFIX}SIGN_ALGO ska vara t.ex. RS256 eller ES256, inte {sign_algo!r}")
    timeout_text = environ.get(PREFIX + "TIMEOUT", "").strip() or "10"
    try:
        timeout = float(timeout_text)
    except ValueError:
        raise ImproperlyConfigured(
            f"{PREFIX}TIMEOUT ska vara ett antal sekunder, inte {timeout_text!r}"
        ) from None
    scopes = " ".join(environ.get(PREFIX + "SCOPES", "").replace(",", " ").split()) or "openid email profile"
    if "openid" not in scopes.split():
        raise ImproperlyConfigured(f"{PREFIX}SCOPES ska innehålla openid, inte {scopes!r}")

    link_text = environ.get(PREFIX + "LINK_VERIFIED_EMAIL", "").strip().lower()
    if link_text not in _YES | _NO:
        raise ImproperlyConfigured(f"{PREFIX}LINK_VERIFIED_EMAIL ska vara ja eller nej, inte {link_text!r}")

    origins = sorted({_origin(url) for url in [issuer, *endpoints.values()] if url})
    directives = dict(csp.get("DIRECTIVES", {}))
    directives["form-action"] = [*directives.get("form-action", []), *origins]
    return {
        "OIDC_ENABLED": True,
        "OIDC_OP_ISSUER": issuer,
        **{setting: url for setting, url in endpoints.items() if url},
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": secret,
        "OIDC_RP_SIGN_ALGO": sign_algo,
        "OIDC_RP_SCOPES": scopes,
        "OIDC_USE_PKCE": True,
        "OIDC_STORE_ID_TOKEN": True,  # the id token is the hint for the provider's end-session endpoint
        "OIDC_TIMEOUT": timeout,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_callback",
        "OIDC_GROUPS_CLAIM": environ.get(PREFIX + "GROUPS_CLAIM", "").strip() or "groups",
        "OIDC_USERNAME_CLAIM": environ.get(PREFIX + "USERNAME_CLAIM", "").strip() or "preferred_username",
        "OIDC_GROUP_MAP": parse_group_map(environ.get(GROUP_MAP, "")),
        "OIDC_LINK_VERIFIED_EMAIL": link_text in _YES,
        "AUTHENTICATION_BACKENDS": [*backends, BACKEND],
        "CONTENT_SECURITY_POLICY": {**csp, "DIRECTIVES": directives},
    }
