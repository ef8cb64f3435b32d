"""The forms for a quote and a proposal, with the folder's rules: an age or age band, and a reason when a
proposal is not carried out."""

from __future__ import annotations

from typing import Any

from django import forms

from barnbokslut.report.voices import age_label
from barnbokslut.web.voices.models import ChildProposal, ChildQuote


class QuoteForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ChildQuote
        fields = ["text", "age", "context", "consent"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": "Skriv citatet."}}

    def clean_age(self) -> str:
        label = age_label(self.cleaned_data.get("age", ""))
        if label is None:
            raise forms.ValidationError("Skriv en ålder eller ett åldersspann, t.ex. 11 eller 13–15.")
        return label


class ProposalForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ChildProposal
        fields = ["text", "origin", "proposed_on", "status", "feedback"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "feedback": forms.Textarea(attrs={"rows": 3}),
            "proposed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "text": {"required": "Skriv förslaget."},
            "proposed_on": {"invalid": "Skriv ett datum ÅÅÅÅ-MM-DD, t.ex. 2025-03-14."},
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ChildProposal.Status.NOT_DONE and not (data.get("feedback") or "").strip():
            self.add_error(
                "feedback",
                "Skriv varför förslaget inte genomförs, så att barnen får veta (krävs för inte genomfört).",
            )
        return data


class SurveyForm(forms.Form):
    name = forms.CharField(
        label="Enkätens namn", max_length=120, help_text="Som det ska stå i källraderna, t.ex. LUPP.",
        error_messages={"required": "Skriv enkätens namn."},
    )  # fmt: skip
    file = forms.FileField(
        label="Fil (CSV eller XLSX)",
        help_text="En rad per fråga, år och grupp: fråga, svar, år, indelning, grupp, antal_svar, andel.",
        error_messages={"required": "Välj en fil."},
    )
    text = forms.CharField(
        label="Beskrivning", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Valfri. Visas under enkätens rubrik i barnbokslutet, t.ex. vilka som svarade och när.",
        error_messages={"max_length": "Högst %(limit_value)d tecken (nu %(show_value)d)."},
    )  # fmt: skip
