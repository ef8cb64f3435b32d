"""Forms of the local-data pages: the upload (step 1, preview) and the import of a previewed file (step 2)."""

from __future__ import annotations

from django import forms

from barnbokslut.web.localdata.models import LocalTable


class TableDetailsForm(forms.Form):
    title = forms.CharField(label="Rubrik", max_length=200, help_text="Visas över tabellen i rapporten.")
    unit = forms.CharField(
        label="Enhet",
        max_length=40,
        required=False,
        help_text="T.ex. % eller antal. Lämna tomt om tal saknar enhet.",
    )
    chart = forms.ChoiceField(label="Diagram", choices=LocalTable.Chart.choices, initial=LocalTable.Chart.BAR)
    description = forms.CharField(
        label="Text till tabellen (Markdown)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Högst %(limit_value)d tecken (nu %(show_value)d)."},
    )


class UploadForm(TableDetailsForm):
    file = forms.FileField(
        label="Fil (CSV eller Excel)",
        allow_empty_file=True,  # the importer says "Filen är tom" in its own words
        help_text="CSV (semikolon- eller kommaavgränsad, UTF-8 eller Windows-1252) eller .xlsx (första bladet). "
        "Första kolumnen: namn (t.ex. skola eller grupp); övriga kolumner: tal. "
        "Tomma celler betyder att värdet saknas.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    field_order = ["file", "title", "unit", "chart", "description"]


class ImportForm(TableDetailsForm):
    #: The previewed file's sha256; the rows come from the server's copy of that file, never from the form.
    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
