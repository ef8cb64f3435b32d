"""Import last year's barnbokslut through the web app (issue 14, point 4): upload → review → all or nothing.

- ``read_file(path)`` reads an upload with ``barnbokslut.importing`` (one reader per kind: DOCX, PDF, text with
  OCR repair) within the readers' own bounds (zip bomb and page checks, the upload size limit) and
  ``ready_fields`` turns what was found into an ``ImportReview`` row's fields (``models.ImportReview`` says why
  not the session). Where that runs, in the request or in the task worker, is ``import_reading``'s business.
  An ``ImportFault`` (encrypted or image-only PDF, not a DOCX, too many pages, not a barnbokslut) is raised with
  its Swedish message.
- The review state, ``{"current", "base", "repairs", "derived_with", "meta"}``: ``current`` holds what the
  coordinator sees and edits — the year, every text part (heading, text, "ta inte med"), last year's development
  areas as this year's follow-up rows (område, enheter, one action per line, last year's förväntade resultat,
  "ta inte med"), the units of the abbreviation key — and ``base`` the same as read. ``repairs`` are the OCR
  repairs and suggestions with the coordinator's choice (``accepted``); ``apply_form`` takes a posted review
  form into the state.
- ``rederive``: when the choice of repairs changed, a plain-text source is read again from its original text
  with exactly the accepted repairs (``text_reader.reread_text``), and the result is merged three ways: what the
  coordinator edited stays, what they did not takes the newly read value.
- ``version(review)`` / ``bump_version(review)``: a count of the review's saves, kept in the state; the review
  form posts it back, so the view can refuse a form from a tab opened before the last save.
- ``confirm(review, user)``: the reviewed content becomes a report folder (``importing.write_folder``, checked
  by the builder's own reader; a part left out is left out of its structure too, ``Found.left_out``) that
  ``import_folder`` reads into a new edition (whose free sections of parts not in the structure are removed:
  ``editions.services.drop_unstructured_sections``), in one transaction with marking the texts "från förra
  året" (``Section.carried_over``; the standard texts read from the file in ``Edition.
  standard_texts_carried_over``), clearing the follow-up rows' status (as the new-year carry-over leaves it
  for this year) and deleting the review. Last year's förväntade resultat reach the follow-up rows
  (``FollowUp.expected_results``) through the folder's ``förväntade_resultat``. Any failure: nothing is saved.
"""

from __future__ import annotations

import copy
import re
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from barnbokslut.importing import Document, ImportFault, read_document, understand, write_folder
from barnbokslut.importing.folder import structure_parts
from barnbokslut.importing.text_reader import reread_text
from barnbokslut.importing.understand import TEXT_FILES, Found
from barnbokslut.importing.understand import DevelopmentRow as FoundRow
from barnbokslut.web.editions.forms import MAX_ROW_TEXT
from barnbokslut.web.editions.models import Edition, FollowUp
from barnbokslut.web.editions.services import STANDARD_TEXTS, drop_unstructured_sections, own_standard_texts
from barnbokslut.web.publishing.import_folder import existing_unit, import_folder
from barnbokslut.web.publishing.import_repairs import chosen_repairs
from barnbokslut.web.publishing.models import ImportReview

__all__ = [
    "PART_LABELS",
    "REVIEW_HOURS",
    "apply_form",
    "bump_version",
    "confirm",
    "read_file",
    "ready_fields",
    "rederive",
    "structure",
    "unit_matches",
    "version",
]

#: How long a review waits for its confirmation.
REVIEW_HOURS = 24
MAX_PART_TEXT = 100_000
MAX_HEADING = 120

#: Each text part: its name on the review page, and where it goes in the edition.
PART_LABELS: dict[str, tuple[str, str]] = {
    "inledning": ("Inledning", "avsnittet Inledning"),
    "begrepp": ("Begrepp", "standardtexten Begrepp"),
    "grundprinciper": ("Grundprinciper", "standardtexten Grundprinciper"),
    "upplagg": ("Upplägg", "avsnittet Upplägg"),
    "underlag": ("Underlag", "avsnittet Underlag"),
    "nulage/forutsattningar": (
        "Nulägesanalys: förutsättningar",
        "avsnittet Förutsättningar – hela organisationen",
    ),
    **{
        f"nulage/artikel-{n}": (
            f"Nulägesanalys: artikel {n}",
            "avsnitten Styrkor och Utmaningar – hela organisationen",
        )
        for n in (2, 3, 6, 12)
    },
    "slutsatser": ("Slutsatser", "avsnittet Slutsatser"),
    "rekommendationer": ("Rekommendationer", "slutet av avsnittet Slutsatser"),
}


class ReviewFormError(ValueError):
    """The posted review has problems; ``problems`` lists each in Swedish, naming the part, row or field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _review(found: Found, year: int) -> dict[str, Any]:
    """The review's editable content, as read."""
    parts = [
        {
            "key": key,
            "heading": found.headings.get(key) or "",
            "text": found.parts[key].strip(),
            "include": True,
        }
        for key in TEXT_FILES
        if key in found.parts
    ]
    units = [{"abbreviation": a, "name": n, "include": True} for a, n in found.units.items()]
    named = set(found.units)
    for row in found.development:
        for abbreviation in row.verksamheter:
            if abbreviation not in named:  # outside the key: named by itself until someone names it
                named.add(abbreviation)
                units.append({"abbreviation": abbreviation, "name": abbreviation, "include": True})
    rows = [
        {
            "area": row.omrade,
            "units": ", ".join(row.verksamheter),
            "actions": "\n".join(row.actions()),
            "results": row.forvantade_resultat,
            "include": True,
        }
        for row in found.development
    ]
    return {"year": year, "parts": parts, "rows": rows, "units": units}


def _meta(found: Found) -> dict[str, Any]:
    return {
        "source_year": found.year,
        "articles": {str(k): v for k, v in found.articles.items()},
        "headings": {k: v for k, v in found.headings.items() if k not in TEXT_FILES},
        "numbered": found.numbered,
        "nulage_grouping": found.nulage_grouping,
        "notes": found.notes,
        "skipped": found.skipped,
        "present": found.present(),
        "missing": found.missing(),
        "followup": [
            {
                "area": row.omrade,
                "units": ", ".join(row.verksamheter),
                "actions": [
                    {"text": a.text, "status": a.status or "", "comment": a.kommentar} for a in row.atgarder
                ],
            }
            for row in found.followup
        ],
    }


def read_file(path: Path) -> tuple[Document, Found]:
    """Read the file at ``path`` (its name is the upload's) and understand it; raise ``ImportFault`` with the
    reader's Swedish message when it can't be read or is no barnbokslut. Used in the request (DOCX, text) and by
    the task worker (PDF, ``import_reading.read_upload``)."""
    document = read_document(path)
    found = understand(document)
    if not found.parts and not found.followup and not found.development:
        raise ImportFault(
            path.name,
            "det här ser inte ut som ett barnbokslut: inga kända rubriker (Inledning, Uppföljning, "
            "Nulägesanalys, Utvecklingsområden …) och inga tabeller hittades.",
        )
    return document, found


def ready_fields(document: Document, found: Found) -> dict[str, Any]:
    """The ``ImportReview`` fields of a review ready to be reviewed: what was read, as the review state."""
    year = (found.year + 1) if found.year else timezone.localdate().year
    review = _review(found, year)
    repairs = [{**r, "accepted": bool(r.get("tillämpad"))} for r in found.repairs]
    state = {
        "current": review,
        "base": copy.deepcopy(review),
        "repairs": repairs,
        "derived_with": sorted(i for i, r in enumerate(repairs) if r["accepted"]),
        "meta": _meta(found),
    }
    return {
        "kind": document.kind,
        "original_text": document.original_text,
        "state": state,
        "status": ImportReview.Status.READY,
        "expires_at": timezone.now() + timedelta(hours=REVIEW_HOURS),
    }


# ---------------------------------------------------------------- the posted form


def version(review: ImportReview) -> int:
    """How many times the review was saved (0 as read)."""
    return int(review.state.get("version", 0))


def bump_version(review: ImportReview) -> None:
    review.state["version"] = version(review) + 1


def _abbreviations(text: str) -> list[str]:
    return [u.strip() for u in re.split(r"[,;]", text) if u.strip()]


def apply_form(review: ImportReview, post: QueryDict) -> None:
    """Take the posted review form into ``review.state`` (not saved); raise ``ReviewFormError`` naming every
    problem, the state then unchanged. Checkboxes: ``*-bort`` leaves a part, row or unit out, ``andra-N``
    turns every repair of group N (``import_repairs``: one word repaired the same way) from the reader's choice
    (a repair rejected, a suggestion accepted): only the choices that differ are posted, so a text with a
    thousand repairs stays under Django's limit of fields."""
    state = copy.deepcopy(review.state)
    current = state["current"]
    problems: list[str] = []
    year_text = post.get("year", str(current["year"])).strip()
    if not re.fullmatch(r"\d{4}", year_text) or not 2000 <= int(year_text) <= 2100:
        problems.append(f"Årgångens år: ”{year_text}” är inget år mellan 2000 och 2100.")
    else:
        current["year"] = int(year_text)

    for i, part in enumerate(current["parts"]):
        label = PART_LABELS.get(part["key"], (part["key"], ""))[0]
        part["heading"] = post.get(f"del-{i}-rubrik", part["heading"]).strip()
        part["text"] = post.get(f"del-{i}-text", part["text"]).replace("\r\n", "\n").strip()
        part["include"] = f"del-{i}-bort" not in post
        if len(part["heading"]) > MAX_HEADING:
            problems.append(
                f"Del {i + 1} ({label}), Rubrik: högst {MAX_HEADING} tecken (nu {len(part['heading'])})."
            )
        if len(part["text"]) > MAX_PART_TEXT:
            problems.append(
                f"Del {i + 1} ({label}), Text: högst {MAX_PART_TEXT} tecken (nu {len(part['text'])})."
            )

    renamed: dict[str, str] = {}
    for i, unit in enumerate(current["units"]):
        before = unit["abbreviation"]
        unit["abbreviation"] = post.get(f"enhet-{i}-forkortning", before).strip()
        unit["name"] = post.get(f"enhet-{i}-namn", unit["name"]).strip()
        unit["include"] = f"enhet-{i}-bort" not in post
        if unit["abbreviation"] != before:
            renamed[before] = unit["abbreviation"]
        if unit["include"]:
            where = f"Enhet {i + 1}"
            if not unit["abbreviation"]:
                problems.append(f"{where}, Förkortning: fyll i förkortningen.")
            elif len(unit["abbreviation"]) > 20:
                problems.append(f"{where}, Förkortning: högst 20 tecken.")
            if not unit["name"]:
                problems.append(f"{where}, Namn: fyll i enhetens namn.")
            elif len(unit["name"]) > 200:
                problems.append(f"{where}, Namn: högst 200 tecken.")
    included = [u["abbreviation"] for u in current["units"] if u["include"]]
    for abbreviation in sorted({a for a in included if included.count(a) > 1}):
        problems.append(
            f"Enheter: förkortningen ”{abbreviation}” finns flera gånger; ge varje enhet sin egen."
        )
    left_out = {u["abbreviation"] for u in current["units"] if not u["include"]}

    for i, row in enumerate(current["rows"]):
        row["area"] = re.sub(r"\s+", " ", post.get(f"rad-{i}-omrade", row["area"])).strip()
        row["actions"] = post.get(f"rad-{i}-atgarder", row["actions"]).replace("\r\n", "\n").strip()
        row["results"] = post.get(f"rad-{i}-resultat", row["results"]).replace("\r\n", "\n").strip()
        row["include"] = f"rad-{i}-bort" not in post
        units = [renamed.get(u, u) for u in _abbreviations(post.get(f"rad-{i}-enheter", row["units"]))]
        units = [u for u in units if u not in left_out]  # a unit left out is left out of the rows too
        row["units"] = ", ".join(units)
        if not row["include"]:
            continue
        where = f"Rad {i + 1} ({row['area'] or 'utan område'})"
        if not row["area"]:
            problems.append(f"{where}, Område: fyll i området.")
        elif len(row["area"]) > 300:
            problems.append(f"{where}, Område: högst 300 tecken.")
        if not row["actions"]:
            problems.append(f"{where}, Åtgärder: skriv minst en åtgärd (en per rad) eller ta inte med raden.")
        elif len(row["actions"]) > MAX_ROW_TEXT:
            problems.append(f"{where}, Åtgärder: högst {MAX_ROW_TEXT} tecken.")
        if len(row["results"]) > MAX_ROW_TEXT:
            problems.append(f"{where}, Förväntade resultat: högst {MAX_ROW_TEXT} tecken.")
        for abbreviation in units:
            if abbreviation not in included:
                problems.append(
                    f"{where}, Enheter: ”{abbreviation}” finns inte bland enheterna nedan; lägg till den "
                    "där eller ta bort den ur raden."
                )

    ticked = {int(key.removeprefix("andra-")) for key in post if re.fullmatch(r"andra-\d{1,6}", key)}
    for repair, accepted in zip(state["repairs"], chosen_repairs(state["repairs"], ticked), strict=True):
        repair["accepted"] = accepted
    if problems:
        raise ReviewFormError(problems)
    review.state = state


# ---------------------------------------------------------------- repairs chosen: read the text again


def _merge(old: Any, current: Any, new: Any) -> Any:
    """Three-way merge: what was not edited (``current == old``) takes ``new``; edits stay."""
    if current == old:
        return new
    if isinstance(current, dict) and isinstance(old, dict) and isinstance(new, dict):
        return {k: _merge(old.get(k), current.get(k), new.get(k)) for k in {*current, *new}}
    lists = isinstance(current, list) and isinstance(old, list) and isinstance(new, list)
    if lists and len(current) == len(old) == len(new):
        return [_merge(o, c, n) for o, c, n in zip(old, current, new, strict=True)]
    return current


def rederive(review: ImportReview) -> bool:
    """Read a plain-text source again when the accepted repairs are not those its content was read with, and
    merge (edits stay); returns whether it was read again. DOCX and PDF have no repairs."""
    state = review.state
    accepted = {i for i, r in enumerate(state["repairs"]) if r["accepted"]}
    if review.kind != "text" or accepted == set(state["derived_with"]):
        return False
    document = reread_text(Path(review.filename), review.original_text, state["repairs"], accepted)
    found = understand(document)
    new = _review(found, state["current"]["year"])
    old, current = state["base"], state["current"]

    def by_key(review_: dict[str, Any]) -> dict[str, Any]:
        return {p["key"]: p for p in review_["parts"]}

    parts = _merge(by_key(old), by_key(current), by_key(new))
    merged = {
        "year": current["year"],
        "parts": [parts[key] for key in TEXT_FILES if parts.get(key) is not None],
        "rows": _merge(old["rows"], current["rows"], new["rows"]),
        "units": _merge(old["units"], current["units"], new["units"]),
    }
    meta = _meta(found)
    state.update(current=merged, base=new, derived_with=sorted(accepted), meta=meta)
    review.state = state
    return True


def unit_matches(review: ImportReview) -> dict[int, str]:
    """Unit index → what the page says of the organisation's unit it will be (matched by abbreviation, else by
    name), in Swedish: a unit found by its abbreviation under another name, or by its name under another
    abbreviation, is said to be so, as the rows with that abbreviation go to it."""
    matches: dict[int, str] = {}
    for i, unit in enumerate(review.state["current"]["units"]):
        abbreviation, name = unit["abbreviation"].strip(), unit["name"].strip()
        found = existing_unit(review.organisation, abbreviation, name)
        if found is None:
            continue
        same_abbreviation = found.abbreviation.casefold() == abbreviation.casefold()
        if same_abbreviation and found.name.casefold() != name.casefold():
            matches[i] = (
                f"Finns redan en enhet med förkortningen {abbreviation}: {found}, med ett annat namn än här. "
                f"Ingen ny enhet skapas, och raderna med {abbreviation} hör till {found}. Är det en annan "
                "enhet, ge den en egen förkortning."
            )
        elif not same_abbreviation:
            matches[i] = (
                f"Finns redan: {found}, med en annan förkortning än här. Ingen ny enhet skapas, och raderna "
                f"med {abbreviation} hör till {found}."
            )
        else:
            matches[i] = f"Finns redan: {found}. Ingen ny enhet skapas."
    return matches


@dataclass(frozen=True)
class StructurePart:
    """One part of the new edition's structure as the review page lists it."""

    kind: str  # the structure's "typ"
    label: str
    heading: str  # last year's heading, "" when none
    nested: bool  # a sub-part of Inledning (Begrepp, Grundprinciper)
    found: bool  # False: not in the file, this year's to write


#: The structure's parts that are no text part of the review (labels for the page).
STRUCTURE_LABELS = {
    "uppfoljning": "Uppföljning av förra årets utvecklingsområden",
    "nulage": "Nulägesanalys",
    "utvecklingsomraden": "Utvecklingsområden",
}


def structure(review: ImportReview) -> list[StructurePart]:
    """The structure the new edition gets as the review stands: the one ``confirm`` writes, in its order."""
    found = _found(review)
    present = set(review.state["meta"]["present"])
    parts = []
    for kind, nested in structure_parts(found):
        label = STRUCTURE_LABELS.get(kind) or PART_LABELS.get(kind, (kind, ""))[0]
        there = kind in present or (kind == "nulage" and any(k.startswith("nulage/") for k in present))
        heading = "" if kind == "uppfoljning" else found.headings.get(kind, "")
        parts.append(StructurePart(kind, label, heading, nested, there))
    return parts


# ---------------------------------------------------------------- confirm: all or nothing


def _found(review: ImportReview) -> Found:
    """The reviewed content as ``importing`` has it, for ``write_folder``."""
    state, organisation = review.state, review.organisation
    current, meta = state["current"], state["meta"]
    found = Found(source=Path(review.filename), kind=review.kind)
    found.year = int(current["year"]) - 1
    found.organisation = organisation.name
    found.numbered = bool(meta["numbered"])
    found.nulage_grouping = str(meta["nulage_grouping"])
    found.articles = {int(k): v for k, v in meta["articles"].items()}
    found.notes = list(meta["notes"])
    found.repairs = [r for r in state["repairs"] if r["accepted"]]
    found.headings = dict(meta["headings"])
    found.units = {u["abbreviation"]: u["name"] for u in current["units"] if u["include"]}
    found.left_out = {part["key"] for part in current["parts"] if not part["include"]}
    for part in current["parts"]:
        if part["include"] and part["text"].strip():
            found.parts[part["key"]] = part["text"].strip() + "\n"
            if part["heading"]:
                found.headings[part["key"]] = part["heading"]
    for row in current["rows"]:
        if not row["include"]:
            continue
        actions = [line.strip() for line in row["actions"].splitlines() if line.strip()]
        measures = "\n".join(f"- {a}" for a in actions) if len(actions) > 1 else actions[0]
        units = [u for u in _abbreviations(row["units"]) if u in found.units]
        found.development.append(FoundRow(row["area"], units, measures, row["results"]))
    return found


def confirm(review: ImportReview, user: Any) -> Edition:
    """Make the organisation's edition from the review, all or nothing; raises ``FolderError`` (the content
    would not build), ``ReportSourceError`` or ``EditionExistsError`` with nothing saved."""
    found = _found(review)
    year = int(review.state["current"]["year"])
    with tempfile.TemporaryDirectory(prefix="barnbokslut-import-") as folder:
        target = Path(folder) / "mapp"
        write_folder(found, target)
        with transaction.atomic():
            edition = import_folder(
                target,
                review.organisation,
                year,
                user=user,
                described_as=f"förra årets barnbokslut {review.filename}",
            )
            # A part left out ("ta inte med") is not in the structure: nobody is asked to write it.
            drop_unstructured_sections(edition)
            # Last year's texts are this year's drafts "från förra året", as the new-year carry-over marks them;
            # so are the standard texts read from the file (Begrepp, Grundprinciper) when they are its own.
            edition.sections.exclude(body="").update(carried_over=True)
            imported = set(edition.standard_texts_carried_over) | {
                key for key in own_standard_texts(edition.standard_texts) if key in found.parts
            }
            edition.standard_texts_carried_over = [key for key in STANDARD_TEXTS if key in imported]
            edition.save(update_fields=["standard_texts_carried_over"])
            # Last year's development areas are this year's follow-up rows, action by action, none assessed yet.
            for row in FollowUp.objects.filter(edition=edition):
                row.status = ""
                row.actions = [{**action, "status": ""} for action in row.actions]
                row.save(update_fields=["status", "actions"])
            deleted, _ = ImportReview.objects.filter(pk=review.pk).delete()
            if not deleted:
                raise ImportFault(review.filename, "granskningen är redan importerad eller borttagen.")
    return edition
