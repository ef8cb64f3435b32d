"""Forms for managing members (create, roles with their units, password) and for filtering the audit log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator

from barnbokslut.web.accounts.models import UNIT_ROLES, Role
from barnbokslut.web.organisations.models import Organisation, Unit

PASSWORD_HELP = "Lämna tomt så skapas ett slumpat lösenord som visas en gång."


class UnitsField(forms.ModelMultipleChoiceField):
    """The organisation's units as checkboxes; the template renders them in tree order."""

    def __init__(self, organisation: Organisation, label: str = "Enheter", **kwargs: Any) -> None:
        super().__init__(
            queryset=Unit.objects.filter(organisation=organisation),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=label,
            error_messages={
                "invalid_choice": "Enheten finns inte i organisationen.",
                "invalid_pk_value": "Okänd enhet.",
            },
            **kwargs,
        )


def _check_password(password: str, user: Any = None) -> str:
    if password:
        password_validation.validate_password(password, user)
    return password


class MemberCreateForm(forms.Form):
    username = forms.CharField(
        label="Användarnamn",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Bokstäver, siffror och @ . + - _ (t.ex. förnamn.efternamn).",
    )
    first_name = forms.CharField(label="Förnamn", max_length=150, required=False)
    last_name = forms.CharField(label="Efternamn", max_length=150, required=False)
    email = forms.EmailField(label="E-post", required=False)
    # Preselect the least-privileged role: a username-only form makes a reader, never an administratör.
    role = forms.ChoiceField(label="Roll", choices=Role.choices, initial=Role.READER)
    password = forms.CharField(
        label="Lösenord",
        required=False,
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(f"Användarnamnet {username} är upptaget. Välj ett annat.")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The similarity check needs the new user's names: an unsaved user with them.
        fields = ("username", "first_name", "last_name", "email")
        user = get_user_model()(**{name: cleaned.get(name) or "" for name in fields})
        try:
            _check_password(cleaned.get("password", ""), user)
        except forms.ValidationError as error:
            self.add_error("password", error)
        return cleaned


class UnitsForm(forms.Form):
    """The units of the new user's role (used when it is skribent or granskare)."""

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"] = UnitsField(organisation)


#: The units field of each role that has units, and its legend on the page.
ROLE_UNITS = {Role.WRITER: ("writer_units", "Skriver för"), Role.REVIEWER: ("reviewer_units", "Granskar")}


class RolesForm(forms.Form):
    """All of a member's roles in the organisation, each skribent or granskare role with its units."""

    roles = forms.MultipleChoiceField(
        label="Roller",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Välj minst en roll.", "invalid_choice": "Okänd roll."},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, legend in ROLE_UNITS.values():
            self.fields[name] = UnitsField(organisation, label=legend)

    def chosen(self) -> dict[Role, list[Unit]]:
        """The roles ticked, each with its units (none for the roles that have no units)."""
        return {
            Role(value): list(self.cleaned_data[ROLE_UNITS[Role(value)][0]]) if value in UNIT_ROLES else []
            for value in self.cleaned_data["roles"]
        }


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label="Nytt lösenord",
        required=False,
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        return _check_password(self.cleaned_data.get("password", ""), self.user)


class MemberDetailsForm(forms.Form):
    """An administrator's change of a member's name and e-mail: a valid address no other account has."""

    first_name = forms.CharField(label="Förnamn", max_length=150, required=False)
    last_name = forms.CharField(label="Efternamn", max_length=150, required=False)
    email = forms.EmailField(
        label="E-post",
        required=False,
        max_length=254,
        error_messages={"invalid": "Skriv en giltig e-postadress, till exempel namn@kommun.se."},
        help_text="Hit går aviseringarna. Ingen annan användare får ha samma adress.",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email") or "").strip()
        if not email:
            return ""
        taken = get_user_model().objects.filter(email__iexact=email)
        if self.user is not None:
            taken = taken.exclude(pk=self.user.pk)
        if taken.exists():
            raise forms.ValidationError(f"En annan användare har redan e-postadressen {email}.")
        return email


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="Händelse", required=False)
    user = forms.TypedChoiceField(label="Användare", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, users: list[Any], actions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Alla händelser"), *actions]  # type: ignore[attr-defined]
        self.fields["user"].choices = [  # type: ignore[attr-defined]
            ("", "Alla användare"),
            *(
                (u.pk, f"{u.get_full_name()} ({u.get_username()})" if u.get_full_name() else u.get_username())
                for u in users
            ),
        ]
