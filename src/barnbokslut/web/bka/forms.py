"""The forms of the register: one decision (the questions of Barnombudsmannen's checklist for "prövning av barnets
bästa" as labels and help texts), the filters of the list, and the import of a diarium export.

A decision is checked by the register's own rules (``report.bka.check_decision`` through ``services.check``),
so the form refuses exactly what a file's row would be refused for, with the same Swedish messages.
"""

from __future__ import annotations

from typing import Any

from django import forms

from barnbokslut.report.bka import notices
from barnbokslut.web.bka import services
from barnbokslut.web.bka.models import Analysis, Decision, Outcome
from barnbokslut.web.organisations.models import Organisation, Unit

#: The form's fields under the register's column keys (``report.bka.COLUMNS``).
FIELD_KEYS = {
    "diarienummer": "diarienummer",
    "unit": "enhet",
    "decided_on": "datum",
    "decision": "beslut",
    "analysis": "analys",
    "affected_children": "berörda_barn",
    "articles": "artiklar",
    "knowledge": "kunskap",
    "children_heard": "barn_hörda",
    "how_heard": "hur_hörda",
    "heard_count": "antal_hörda",
    "ages": "åldrar",
    "weighing": "avvägning",
    "outcome": "utfall",
    "compensating": "kompenserande_åtgärder",
    "status": "status",
}
_ROWS = {"rows": 3}


class DecisionForm(forms.ModelForm):
    """One decision; the units offered are those the user writes for (``unit_ids``, None for all)."""

    children_heard = forms.TypedChoiceField(
        label="Har barnen fått komma till tals?",
        choices=[("ja", "Ja"), ("nej", "Nej")],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        help_text="Artikel 12: barn har rätt att uttrycka sina åsikter i frågor som rör dem.",
    )

    class Meta:
        model = Decision
        fields = list(FIELD_KEYS)
        labels = {
            "diarienummer": "Diarienummer",
            "unit": "Enhet",
            "decided_on": "Beslutsdatum",
            "decision": "Vad gällde beslutet?",
            "analysis": "Har barnets bästa prövats?",
            "affected_children": "Vilka barn berörs av beslutet?",
            "articles": "Vilka artiklar i barnkonventionen berörs?",
            "knowledge": "Vilken kunskap har hämtats in?",
            "how_heard": "Hur har barnen kommit till tals?",
            "heard_count": "Hur många barn har hörts?",
            "ages": "Vilka åldrar har barnen som hörts?",
            "weighing": "Hur har barnets bästa vägts mot andra intressen?",
            "outcome": "Utfall för barnen",
            "compensating": "Kompenserande åtgärder",
            "status": "Status",
        }
        help_texts = {
            "diarienummer": "Ärendets nummer i diariet, t.ex. BOL 2025/17. Samma nummer får bara finnas en gång.",
            "decided_on": "Året räknas från datumet: beslutet räknas i det årets barnbokslut.",
            "analysis": "En snabb analys (checklista) eller en fullständig barnkonsekvensanalys. "
            "Välj ”Ingen” om barnets bästa inte prövades.",
            "affected_children": "T.ex. elever i åk 4–6 i Bergvik, barn i familjer med försörjningsstöd.",
            "articles": "Artiklarnas nummer (1–54), med kommatecken, t.ex. 3, 12.",
            "knowledge": "Statistik, forskning, barnens egna åsikter, personalens erfarenheter.",
            "how_heard": "T.ex. samtal, enkät, elevråd eller barnråd.",
            "heard_count": "Ett heltal, eller tomt om det inte är känt.",
            "ages": "T.ex. 10–12.",
            "weighing": "Vilka andra intressen fanns (t.ex. ekonomi, andra grupper) och hur vägdes de?",
            "outcome": "Blev beslutet för barnets bästa, mot barnets bästa eller neutralt för barnen?",
            "compensating": "Går beslutet emot barnets bästa: vad görs för att mildra följderna för barnen? "
            "Ett beslut mot barnets bästa utan åtgärder räknas som ”utan kompenserande åtgärder”.",
            "status": "T.ex. beslutad eller pågår.",
        }
        widgets = {
            "decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "decision": forms.Textarea(attrs=_ROWS),
            "analysis": forms.RadioSelect,
            "affected_children": forms.Textarea(attrs=_ROWS),
            "knowledge": forms.Textarea(attrs=_ROWS),
            "how_heard": forms.Textarea(attrs=_ROWS),
            "weighing": forms.Textarea(attrs=_ROWS),
            "outcome": forms.RadioSelect,
            "compensating": forms.Textarea(attrs=_ROWS),
        }

    def __init__(
        self, *args: Any, organisation: Organisation, unit_ids: set[int] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        units = Unit.objects.filter(organisation=organisation).order_by("order", "name")
        if unit_ids is not None:
            units = units.filter(pk__in=unit_ids)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        unit_field.label_from_instance = lambda u: f"{u.label} ({u.abbreviation})"
        unit_field.empty_label = "Välj enhet"
        for name in ("analysis", "outcome"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = list(Analysis.choices if name == "analysis" else Outcome.choices)
        if self.instance.pk is not None:
            self.initial["children_heard"] = "ja" if self.instance.children_heard else "nej"
        self.notices: list[str] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        values = {
            key: self._as_text(name, data.get(name)) for name, key in FIELD_KEYS.items() if name in data
        }
        decision, problems = services.check(values, self.organisation)
        for name, key in FIELD_KEYS.items():
            if key in problems:
                message = problems[key]
                self.add_error(name, message[:1].upper() + message[1:])
        duplicate = Decision.objects.filter(
            organisation=self.organisation, diarienummer=values["diarienummer"]
        )
        if self.instance.pk is not None:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if "diarienummer" not in self.errors and duplicate.exists():
            self.add_error("diarienummer", f"”{values['diarienummer']}” finns redan i registret.")
        if decision is not None:
            self.notices = notices(decision)
            data["articles"] = ", ".join(str(a) for a in decision.articles)
        return data

    @staticmethod
    def _as_text(name: str, value: Any) -> str:
        if value is None:
            return ""
        if name == "unit":
            return str(value.abbreviation)
        if name == "decided_on":
            return str(value.isoformat())
        if name == "children_heard":
            return "ja" if value else "nej"
        return str(value).strip()


class FilterForm(forms.Form):
    """The list's filters: a unit and a year (both optional), sent with GET."""

    enhet = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label="Enhet", empty_label="Alla"
    )
    ar = forms.TypedChoiceField(label="År", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, organisation: Organisation, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["enhet"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = Unit.objects.filter(organisation=organisation).order_by("order", "name")
        unit_field.label_from_instance = lambda u: f"{u.label} ({u.abbreviation})"
        year_field = self.fields["ar"]
        assert isinstance(year_field, forms.ChoiceField)
        year_field.choices = [("", "Alla"), *((str(y), str(y)) for y in years)]


class ExportForm(forms.Form):
    file = forms.FileField(
        label="Export från diariet (CSV eller Excel)",
        allow_empty_file=True,  # the reader says "Filen är tom" in its own words
        help_text="Ett beslut per rad, med rubrikerna diarienummer, enhet, datum, beslut, analys, barn_hörda och "
        "utfall (och gärna checklistans övriga frågor). CSV i UTF-8 eller Windows-1252, eller .xlsx (första "
        "bladet).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )


class ConfirmForm(forms.Form):
    #: The previewed file's sha256; the decisions come from the server's copy of that file, never from the form.
    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
