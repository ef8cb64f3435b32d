"""Forms for a new organisation, the organisation's details (name, type, Kolada kommun, logo) and its units."""

from __future__ import annotations

import warnings
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from barnbokslut.web.organisations import services
from barnbokslut.web.organisations.models import Organisation, Unit
from barnbokslut.web.organisations.municipalities import kommun_names, resolve_kommun

#: Logos are small pictures in the report's header; anything bigger is a mistake (or an attack).
LOGO_MAX_BYTES: int = getattr(settings, "LOGO_MAX_BYTES", 1024 * 1024)
#: At most this many pixels (width × height): a 17 KB PNG of 12000 × 12000 pixels passed the byte limit and
#: made publishing decode 144 million pixels (1.3 GB). Read from the image's header, before anything is decoded.
LOGO_MAX_PIXELS: int = getattr(settings, "LOGO_MAX_PIXELS", 4_000_000)
#: Raster formats only: an SVG may carry script, and the report renders the logo in HTML, PDF and DOCX.
LOGO_FORMATS = {"PNG": ("png",), "JPEG": ("jpg", "jpeg"), "GIF": ("gif",), "WEBP": ("webp",)}


def check_logo(upload: UploadedFile) -> None:
    """Raise ValidationError unless ``upload`` is a PNG, JPEG, GIF or WebP image under ``LOGO_MAX_BYTES`` and
    ``LOGO_MAX_PIXELS`` (the size from the header, checked before the picture is decoded or verified)."""
    from PIL import Image, UnidentifiedImageError

    if upload.size is not None and upload.size > LOGO_MAX_BYTES:
        raise forms.ValidationError(
            f"Logotypen är för stor ({upload.size // 1024} kB). Den får vara högst {LOGO_MAX_BYTES // 1024} kB."
        )
    extension = (upload.name or "").rsplit(".", 1)[-1].lower()
    allowed = sorted({ext for exts in LOGO_FORMATS.values() for ext in exts})
    message = f"Logotypen måste vara en bild i formatet {', '.join(allowed)}."
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit is lower
            with Image.open(upload) as image:  # reads the header only
                width, height = image.size
                if width * height > LOGO_MAX_PIXELS:
                    raise forms.ValidationError(
                        f"Logotypen är {width} × {height} bildpunkter, men högst {LOGO_MAX_PIXELS:,} bildpunkter "
                        "går (t.ex. 2000 × 2000). Förminska bilden och ladda upp den igen.".replace(",", " ")
                    )
                image.verify()
                kind = image.format or ""
    except Image.DecompressionBombError:  # over twice Pillow's own limit: refused at open
        raise forms.ValidationError(
            f"Logotypen har för många bildpunkter; högst {LOGO_MAX_PIXELS:,} går.".replace(",", " ")
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise forms.ValidationError(f"Filen är ingen bild som går att läsa. {message}") from None
    finally:
        upload.seek(0)
    if kind not in LOGO_FORMATS or extension not in LOGO_FORMATS[kind]:
        raise forms.ValidationError(message)


KOMMUN_HELP = (
    "Koladas kommun-id eller kommunens namn, t.ex. 2182 eller Söderhamn. Nyckeltalen i barnbokslutet hämtas "
    "för den kommunen. Lämna tomt om organisationen inte ska ha nyckeltal från Kolada."
)


def kommun_field() -> forms.CharField:
    """A kommun typed as an id or a name (longer than the 4-character id it is stored as), optional."""
    return forms.CharField(label="Kommun i Kolada", max_length=100, required=False, help_text=KOMMUN_HELP)


class NewOrganisationForm(forms.ModelForm):
    """A new organisation: name, type and (optionally) its Kolada kommun; the slug is made from the name."""

    kommun = kommun_field()

    class Meta:
        model = Organisation
        fields = ["name", "kind", "kommun"]

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_kommun(self) -> str:
        return resolve_kommun(self.cleaned_data.get("kommun") or "")


class OrganisationForm(forms.ModelForm):
    kommun = kommun_field()

    class Meta:
        model = Organisation
        fields = ["name", "kind", "kommun", "logo"]
        # A plain file input: the "current file" link of ClearableFileInput points into MEDIA_URL, which is not
        # served; the logo is served by organisations:logo and removed with the checkbox below.
        widgets = {"logo": forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"})}
        help_texts = {"logo": f"PNG, JPEG, GIF eller WebP, högst {LOGO_MAX_BYTES // 1024} kB."}

    remove_logo = forms.BooleanField(label="Ta bort nuvarande logotyp", required=False)
    comparison = forms.CharField(
        label="Egna jämförelsekommuner",
        max_length=2000,
        required=False,
        help_text=(
            "Kommuner att jämföra varje nyckeltal med utöver liknande kommuner, t.ex. grannarna i länet: namn "
            "eller Kolada-id, åtskilda med komma (Bollnäs, Hudiksvall, 2161). Lämna tomt för ingen egen jämförelse."
        ),
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if data is not None and "kind" not in data and instance is not None:
            data = data.copy()  # a form posted without the type (an older page) keeps the current one
            data["kind"] = instance.kind
        super().__init__(data, *args, **kwargs)
        if not self.instance.logo:
            del self.fields["remove_logo"]
        self.fields["comparison"].initial = ", ".join(kommun_names(self.instance.comparison_kommuner))

    def save(self, commit: bool = True) -> Organisation:
        organisation: Organisation = super().save(commit=False)
        if self.cleaned_data.get("remove_logo") and "logo" not in self.changed_data:
            organisation.logo = ""  # type: ignore[assignment]
        organisation.comparison_kommuner = self.cleaned_data.get("comparison", [])
        if commit:
            organisation.save()
        return organisation

    def clean_kommun(self) -> str:
        return resolve_kommun(self.cleaned_data.get("kommun") or "")

    def clean_comparison(self) -> list[str]:
        """The kommuner typed, as Kolada ids in the order given; each unknown one named in Swedish."""
        ids: list[str] = []
        problems: list[str] = []
        for typed in (part.strip() for part in (self.cleaned_data.get("comparison") or "").split(",")):
            if not typed:
                continue
            try:
                kommun = resolve_kommun(typed)
            except forms.ValidationError as exc:
                problems.append(f"{typed}: {' '.join(exc.messages)}")
                continue
            if kommun == self.cleaned_data.get("kommun"):
                problems.append(f"{typed}: det är organisationens egen kommun.")
            elif kommun not in ids:
                ids.append(kommun)
        if problems:
            raise forms.ValidationError(problems)
        return ids

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            check_logo(logo)
        return logo


class UnitForm(forms.ModelForm):
    """Add or edit a unit; choosing another parent moves it, and a move that would make a cycle is refused."""

    class Meta:
        model = Unit
        fields = ["name", "abbreviation", "parent", "order", "active"]
        help_texts = {
            "parent": "Lämna tomt för en enhet överst i trädet (t.ex. en nämnd eller förvaltning).",
            "order": "Lägre tal kommer först bland enheterna på samma nivå.",
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = Unit.objects.filter(organisation=organisation)
        parent.empty_label = "– ingen (överst i trädet) –"
        flat = services.flatten(services.unit_tree(organisation))
        parent.choices = [("", parent.empty_label)] + [
            (node.unit.pk, f"{'– ' * node.depth}{node.unit.name} ({node.unit.abbreviation})") for node in flat
        ]

    def clean_abbreviation(self) -> str:
        value = self.cleaned_data["abbreviation"].strip()
        taken = Unit.objects.filter(organisation=self.organisation, abbreviation__iexact=value)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"Förkortningen {value} används redan av en annan enhet.")
        return value

    def clean_parent(self) -> Unit | None:
        parent: Unit | None = self.cleaned_data.get("parent")
        error = services.cycle_error(self.instance, parent)
        if error:
            raise forms.ValidationError(error)
        return parent
