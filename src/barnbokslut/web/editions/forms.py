"""Forms of the edition pages: a new edition, the follow-up and development-area rows, indicator choices.

Every message a user sees is Swedish; choices (units, indicators) are limited to the edition's organisation
and the catalogue, so a crafted POST cannot link another organisation's unit or an unknown KPI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator

from barnbokslut.indicators.catalogue import Catalogue
from barnbokslut.report.structure import PRESET_NAMES
from barnbokslut.web.editions.followup import (
    MAX_ACTION_TEXT,
    MAX_ACTIONS,
    MAX_COMMENT,
    action_items,
    actions_from_text,
)
from barnbokslut.web.editions.models import ARTICLES, DevelopmentArea, Edition, FollowUp, FollowUpStatus
from barnbokslut.web.organisations.models import Unit

__all__ = [
    "DevelopmentAreaForm",
    "FollowUpActionForm",
    "FollowUpActionsEditor",
    "FollowUpForm",
    "IndicatorCommentForm",
    "IndicatorSelectionForm",
    "NewEditionForm",
    "limit_length",
]

ARTICLE_CHOICES = [(str(n), f"Artikel {n}") for n in ARTICLES]


class NewEditionForm(forms.Form):
    """The year, and for an organisation's first edition the structure it starts from (``mall``); later ones
    take last year's structure."""

    year = forms.IntegerField(
        label="År",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Ange ett år.",
            "invalid": "Ange året med fyra siffror, t.ex. 2026.",
            "min_value": "Året ska vara 2000 eller senare.",
            "max_value": "Året ska vara 2100 eller tidigare.",
        },
    )

    def __init__(self, *args: Any, first: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if first:
            self.fields["mall"] = forms.ChoiceField(
                label="Rapportens mall",
                choices=list(PRESET_NAMES.items()),
                help_text=(
                    "Kommun: med nyckeltal från Kolada, som Söderhamns barnbokslut. Nämnd eller förvaltning: "
                    "utan nyckeltal, med numrerade rubriker. Du kan ändra delarna sedan under Rapportens struktur."
                ),
                error_messages={
                    "required": "Välj en mall.",
                    "invalid_choice": "Välj kommun eller nämnd eller förvaltning.",
                },
            )


#: The longest text of a table row's text fields (the model's TextFields have no length of their own).
MAX_ROW_TEXT = 10_000
_ROW_TEXT_LIMITS = {
    "action": MAX_ROW_TEXT,
    "comment": MAX_COMMENT,
    "measures": MAX_ROW_TEXT,
    "expected_results": MAX_ROW_TEXT,
}


def limit_length(field: forms.Field, limit: int) -> None:
    """Give a text field ``limit`` characters at most, with the Swedish message (and the browser's maxlength)."""
    assert isinstance(field, forms.CharField)
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.error_messages["max_length"] = _LENGTH_ERROR
    field.widget.attrs["maxlength"] = str(limit)


class _RowForm(forms.ModelForm):
    """The fields both tables share: område, units (abbreviations), articles and indicators."""

    articles = forms.TypedMultipleChoiceField(
        label="Artiklar i barnkonventionen",
        choices=ARTICLE_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Välj bland artiklarna 2, 3, 6 och 12."},
    )
    indicators = forms.MultipleChoiceField(
        label="Nyckeltal",
        choices=[],
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Håll ned Ctrl (Cmd på Mac) för att välja flera.",
        error_messages={"invalid_choice": "%(value)s finns inte i nyckeltalskatalogen."},
    )

    def __init__(self, *args: Any, edition: Edition, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        units = self.fields["units"]
        assert isinstance(units, forms.ModelMultipleChoiceField)
        units.queryset = Unit.objects.filter(organisation=edition.organisation).order_by("order", "name")
        units.label_from_instance = lambda unit: f"{unit.abbreviation} – {unit.name}"
        units.error_messages["invalid_choice"] = "Välj bland organisationens enheter."
        units.error_messages["invalid_pk_value"] = "Välj bland organisationens enheter."
        indicator_choices = [(i.kpi, f"{i.short_title} ({i.kpi})") for i in catalogue]
        known = {kpi for kpi, _ in indicator_choices}
        # A KPI linked earlier that the catalogue no longer has stays choosable, so saving does not drop it.
        if self.instance.pk:
            indicator_choices += [(k, k) for k in self.instance.indicators if k not in known]
        indicators = self.fields["indicators"]
        assert isinstance(indicators, forms.MultipleChoiceField)
        indicators.choices = indicator_choices
        for name, limit in _ROW_TEXT_LIMITS.items():
            if name in self.fields:
                limit_length(self.fields[name], limit)

    def clean_area(self) -> str:
        area = str(self.cleaned_data["area"]).strip()
        if not area:
            raise forms.ValidationError("Skriv vilket utvecklingsområde raden gäller.")
        return area


_AREA_ERRORS = {"required": "Skriv vilket utvecklingsområde raden gäller.", "max_length": "Högst 300 tecken."}


class FollowUpForm(_RowForm):
    """One row of the follow-up table: område, enheter, åtgärd, förväntade resultat förra året, status,
    kommentar, artiklar, nyckeltal."""

    class Meta:
        model = FollowUp
        fields = [
            "area",
            "units",
            "action",
            "expected_results",
            "status",
            "comment",
            "articles",
            "indicators",
        ]
        labels = {
            "area": "Utvecklingsområde",
            "units": "Enheter",
            "action": "Åtgärd",
            "expected_results": "Förväntade resultat förra året",
            "comment": "Kommentar",
        }
        help_texts = {
            "expected_results": "Vad förra årets utvecklingsområde skulle leda till. Ett stöd när du följer "
            "upp; det visas inte i barnbokslutets tabell."
        }
        widgets = {
            "units": forms.CheckboxSelectMultiple,
            "action": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "area": _AREA_ERRORS,
            "action": {"required": "Beskriv åtgärden."},
            "status": {"invalid_choice": "Välj Påbörjad, Genomförd, Ej påbörjad eller ingen status."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.label = "Status"
        status.choices = [("", "Ej angiven"), *FollowUp._meta.get_field("status").choices]
        if self.instance.pk and action_items(self.instance):
            # A row with actions changes them and its status in the actions editor (FollowUpActionsEditor).
            del self.fields["action"], self.fields["status"]
            self.fields["comment"].label = "Kommentar för hela raden"


_STATUS_ERROR = "Välj Påbörjad, Genomförd, Ej påbörjad eller ingen status."
_LENGTH_ERROR = "Högst %(limit_value)d tecken (nu %(show_value)d)."


class FollowUpActionForm(forms.Form):
    """One numbered action of a follow-up row: text, its own status (or none yet) and a comment."""

    text = forms.CharField(
        label="Text",
        max_length=MAX_ACTION_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Skriv vad åtgärden går ut på.", "max_length": _LENGTH_ERROR},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Ej angiven"), *FollowUpStatus.choices],
        required=False,
        error_messages={"invalid_choice": _STATUS_ERROR},
    )
    comment = forms.CharField(
        label="Kommentar",
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _LENGTH_ERROR},
    )


class _RowStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Radens status",
        choices=[("", "Härled från åtgärderna"), *FollowUpStatus.choices],
        required=False,
        help_text="Härledd: alla genomförda ger Genomförd, inga påbörjade Ej påbörjad, annars Påbörjad.",
        error_messages={
            "invalid_choice": "Välj Härled från åtgärderna, Påbörjad, Genomförd eller Ej påbörjad."
        },
    )


class FollowUpActionsEditor:
    """The actions of one follow-up row, numbered from 1, and the row's own status ("" = derive it).

    Fields are indexed, ``atgarder-<row>-antal`` (how many), ``atgarder-<row>-status`` and
    ``atgarder-<row>-<n>-text|status|comment``; at most ``MAX_ACTIONS``. ``from_post`` reads them and applies
    "Lägg till en åtgärd" (``lagg-till``) or "Ta bort åtgärd n" (``ta-bort=n``), which only re-render; anything
    else is "Spara", validated by ``is_valid`` (then ``actions`` and ``row_status`` are what to save).
    A row without actions starts from its ``action`` split into actions (``split_actions``), its status kept as
    the row's own.
    """

    def __init__(
        self,
        row: FollowUp,
        items: list[dict[str, str]],
        status: str,
        *,
        bind: bool,
        errors: Sequence[str] = (),
    ) -> None:
        self.row = row
        self.prefix = f"atgarder-{row.pk}"
        self.items = items
        self.problems = list(errors)
        self.count = len(items)
        data = {f"{self.prefix}-status": status} if bind else None
        self.status_form = _RowStatusForm(data, prefix=self.prefix, initial={"status": status})
        self.forms = []
        for number, item in enumerate(items, start=1):
            prefix = f"{self.prefix}-{number}"
            data = {f"{prefix}-{key}": item.get(key, "") for key in ("text", "status", "comment")}
            form = FollowUpActionForm(data if bind else None, prefix=prefix, initial=item)
            form.number = number  # type: ignore[attr-defined]
            self.forms.append(form)

    @classmethod
    def for_row(cls, row: FollowUp) -> FollowUpActionsEditor:
        items = (
            action_items(row) or actions_from_text(row.action) or [{"text": "", "status": "", "comment": ""}]
        )
        return cls(row, items, row.status, bind=False)

    @classmethod
    def from_post(cls, row: FollowUp, data: Any) -> tuple[FollowUpActionsEditor, bool]:
        """The editor as posted, after adding or removing an action; and whether to save (not add/remove)."""
        prefix = f"atgarder-{row.pk}"
        problems = []
        try:
            count = int(data.get(f"{prefix}-antal", ""))
        except ValueError:
            count = -1
        if count < 0:
            problems.append("Formuläret är ofullständigt. Ladda om sidan och försök igen.")
            count = 0
        elif count > MAX_ACTIONS:
            problems.append(f"En rad kan ha högst {MAX_ACTIONS} åtgärder.")
            count = MAX_ACTIONS
        items = [
            {key: str(data.get(f"{prefix}-{n}-{key}", "")) for key in ("text", "status", "comment")}
            for n in range(1, count + 1)
        ]
        status = str(data.get(f"{prefix}-status", ""))
        if "lagg-till" in data:
            if len(items) >= MAX_ACTIONS:
                problems.append(f"En rad kan ha högst {MAX_ACTIONS} åtgärder.")
            else:
                items.append({"text": "", "status": "", "comment": ""})
            return cls(row, items, status, bind=False, errors=problems), False
        if "ta-bort" in data:
            try:
                number = int(data["ta-bort"])
            except ValueError:
                number = 0
            if 1 <= number <= len(items):
                del items[number - 1]
            return cls(row, items, status, bind=False, errors=problems), False
        if not items:
            problems.append("Raden behöver minst en åtgärd.")
        return cls(row, items, status, bind=True, errors=problems), True

    def is_valid(self) -> bool:
        valid = self.status_form.is_valid()
        valid = all([form.is_valid() for form in self.forms]) and valid
        return valid and not self.problems

    @property
    def actions(self) -> list[dict[str, str]]:
        return [
            {key: str(form.cleaned_data[key]).strip() for key in ("text", "status", "comment")}
            for form in self.forms
        ]

    @property
    def row_status(self) -> str:
        return str(self.status_form.cleaned_data["status"])

    def error_list(self) -> list[tuple[str, str]]:
        """Every error as (field id or "", Swedish message naming the action and the field)."""
        errors: list[tuple[str, str]] = [("", problem) for problem in self.problems]
        for field in self.status_form:
            errors += [(field.auto_id, f"{field.label}: {error}") for error in field.errors]
        for form in self.forms:
            for field in form:
                errors += [
                    (field.auto_id, f"Åtgärd {form.number}, {field.label.lower()}: {error}")  # type: ignore[attr-defined]
                    for error in field.errors
                ]
        return errors


class DevelopmentAreaForm(_RowForm):
    """One of next year's development areas: område, enheter, åtgärder, förväntade resultat, förslag från barn,
    artiklar, nyckeltal."""

    class Meta:
        model = DevelopmentArea
        fields = ["area", "units", "measures", "expected_results", "from_children", "articles", "indicators"]
        labels = {
            "area": "Utvecklingsområde",
            "units": "Enheter",
            "measures": "Åtgärder",
            "expected_results": "Förväntade resultat",
            "from_children": "Förslag från barn",
        }
        help_texts = {"from_children": "Markera om barn föreslog området. Det visas i barnbokslutet."}
        widgets = {
            "units": forms.CheckboxSelectMultiple,
            "measures": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"area": _AREA_ERRORS, "measures": {"required": "Beskriv minst en åtgärd."}}


class IndicatorCommentForm(forms.Form):
    comment = forms.CharField(
        label="Samordnarens kommentar",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown. Visas under nyckeltalet i barnbokslutet.",
        error_messages={"max_length": "Högst %(limit_value)d tecken (nu %(show_value)d)."},
    )


class IndicatorSelectionForm(forms.Form):
    """The catalogue's indicators as checkboxes; at least one must be chosen."""

    kpis = forms.MultipleChoiceField(
        label="Nyckeltal i barnbokslutet",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Välj minst ett nyckeltal.",
            "invalid_choice": "%(value)s finns inte i nyckeltalskatalogen.",
        },
    )

    def __init__(self, *args: Any, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        kpis = self.fields["kpis"]
        assert isinstance(kpis, forms.MultipleChoiceField)
        kpis.choices = [(i.kpi, f"{i.short_title} ({i.kpi})") for i in catalogue]

    def ordered(self) -> list[str]:
        """The chosen KPIs in catalogue order."""
        chosen = set(self.cleaned_data["kpis"])
        return [i.kpi for i in self.catalogue if i.kpi in chosen]
