"""Forms of the edition pages: a new edition, the follow-up and development-area rows, indicator choices.

Every message a user sees is Swedish; choices (units, indicators) are limited to the edition's organisation
and the catalogue, so a crafted POST cannot link another organisation's unit or an unknown KPI.
"""

from __future__ import annotations

from typing import Any

from django import forms

from barnbokslut.indicators.catalogue import Catalogue
from barnbokslut.web.editions.models import ARTICLES, DevelopmentArea, Edition, FollowUp
from barnbokslut.web.organisations.models import Unit

__all__ = [
    "DevelopmentAreaForm",
    "FollowUpForm",
    "IndicatorCommentForm",
    "IndicatorSelectionForm",
    "NewEditionForm",
]

ARTICLE_CHOICES = [(str(n), f"Artikel {n}") for n in ARTICLES]


class NewEditionForm(forms.Form):
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

    def clean_area(self) -> str:
        area = str(self.cleaned_data["area"]).strip()
        if not area:
            raise forms.ValidationError("Skriv vilket utvecklingsområde raden gäller.")
        return area


_AREA_ERRORS = {"required": "Skriv vilket utvecklingsområde raden gäller.", "max_length": "Högst 300 tecken."}


class FollowUpForm(_RowForm):
    """One row of the follow-up table: område, enheter, åtgärd, status, kommentar, artiklar, nyckeltal."""

    class Meta:
        model = FollowUp
        fields = ["area", "units", "action", "status", "comment", "articles", "indicators"]
        labels = {"area": "Utvecklingsområde", "units": "Enheter", "action": "Åtgärd", "comment": "Kommentar"}
        widgets = {
            "units": forms.CheckboxSelectMultiple,
            "action": forms.Textarea(attrs={"rows": 3}),
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


class DevelopmentAreaForm(_RowForm):
    """One of next year's development areas: område, enheter, åtgärder, förväntade resultat, artiklar, nyckeltal."""

    class Meta:
        model = DevelopmentArea
        fields = ["area", "units", "measures", "expected_results", "articles", "indicators"]
        labels = {
            "area": "Utvecklingsområde",
            "units": "Enheter",
            "measures": "Åtgärder",
            "expected_results": "Förväntade resultat",
        }
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
