"""The edition lifecycle and the tables' business rules: plain functions that views, tasks and commands call.

- ``start_edition``: a new edition from last year's (or a first one from the shipped defaults), in one
  transaction: standard texts (the organisation's own marked "från förra året", ``own_standard_texts``), the
  report's structure, indicator selection, one section per free kind, per unit kind for the organisation as a
  whole and per active unit × unit kind (same writer as last year, last year's text as a draft marked "från
  förra året", last year's deadline a year later), and last year's development areas turned into this year's
  follow-up rows, their ``measures`` split into actions (``followup.split_actions``) that start without a
  status, their förväntade resultat kept beside them. Other apps copy their own parts (local tables) on the
  ``edition_started`` signal, inside the same transaction.
- ``ensure_sections``: the sections an open edition is missing: the organisation's own Nulägesanalys sections
  (Förutsättningar, Styrkor, Utmaningar without a unit) for editions made before they existed, and those of a
  unit added while the edition runs; the edition page, the board and saving a unit call it.
- ``move_row``: reorder a row of the follow-up or development-area table.
- ``set_indicator_selection``: choose the edition's indicators, keeping the comments of those kept.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone

from barnbokslut.indicators.catalogue import Catalogue, load_catalogue
from barnbokslut.report.structure import PRESETS
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.editions.followup import actions_from_text
from barnbokslut.web.editions.models import (
    FREE_KINDS,
    UNIT_KINDS,
    DevelopmentArea,
    Edition,
    EditionIndicator,
    FollowUp,
    Section,
)
from barnbokslut.web.organisations.models import Organisation

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = [
    "DEFAULT_TITLE",
    "STANDARD_TEXTS",
    "EditionExistsError",
    "a_year_later",
    "carried_over_standard_texts",
    "default_preset",
    "default_standard_texts",
    "drop_unstructured_sections",
    "edition_started",
    "ensure_sections",
    "is_overall",
    "move_row",
    "next_order",
    "next_year",
    "own_standard_texts",
    "retire_unit_sections",
    "section_label",
    "set_indicator_selection",
    "start_edition",
    "structured_free_kinds",
    "sync_unit_sections",
]

DEFAULT_TITLE = "Barnbokslut"

#: The keys of ``Edition.standard_texts`` the report reads, in its order, with their Swedish names.
STANDARD_TEXTS: dict[str, str] = {
    "syfte": "Syfte och bakgrund",
    "begrepp": "Viktiga begrepp",
    "grundprinciper": "De fyra grundläggande artiklarna",
}

#: Sent by ``start_edition`` inside its transaction with ``edition`` and ``previous`` (an Edition or None), so
#: the apps that own other parts of an edition (local tables) copy them without editions importing them.
edition_started = Signal()


class EditionExistsError(ValueError):
    """The organisation already has an edition for that year."""

    def __init__(self, organisation: Organisation, year: int) -> None:
        self.organisation = organisation
        self.year = year
        super().__init__(
            f"{organisation.name} har redan en årgång för {year}. Välj ett annat år eller öppna den befintliga."
        )


def default_standard_texts() -> dict[str, str]:
    """The shipped standard texts (``barnbokslut/report/standard/*.md``) by file stem: syfte, begrepp, …"""
    folder = resources.files("barnbokslut.report") / "standard"
    if not folder.is_dir():
        return {}
    return {
        entry.name.removesuffix(".md"): entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".md")
    }


def own_standard_texts(texts: Any) -> list[str]:
    """The keys (of ``STANDARD_TEXTS``, in order) whose text in ``texts`` is the organisation's own: written and
    not one of the shipped texts (a shipped text copied into an edition is the program's, not last year's)."""
    if not isinstance(texts, dict):
        return []

    def plain(text: str) -> str:
        return text.replace("\r\n", "\n").strip()

    shipped = {plain(text) for text in default_standard_texts().values()}
    return [
        key
        for key in STANDARD_TEXTS
        if isinstance(texts.get(key), str) and plain(texts[key]) and plain(texts[key]) not in shipped
    ]


def carried_over_standard_texts(edition: Edition) -> list[str]:
    """The names of the edition's standard texts that are last year's, unchanged, in the report's order."""
    marked = edition.standard_texts_carried_over
    return [name for key, name in STANDARD_TEXTS.items() if isinstance(marked, list) and key in marked]


def default_preset(organisation: Organisation) -> str:
    """The structure a first edition starts from: "kommun" (with Kolada figures) when the organisation has a
    Kolada kommun, else "namnd" (nämnd eller förvaltning, without figures)."""
    return "kommun" if organisation.kommun else "namnd"


def next_year(organisation: Organisation) -> int:
    """The year a new edition gets by default: the newest edition's year + 1, else last calendar year."""
    newest = organisation.editions.aggregate(newest=Max("year"))["newest"]
    return int(newest) + 1 if newest is not None else timezone.localdate().year - 1


def start_edition(
    organisation: Organisation,
    year: int,
    user: Any,
    *,
    request: HttpRequest | None = None,
    catalogue: Catalogue | None = None,
    preset: str | None = None,
) -> Edition:
    """Create ``organisation``'s edition for ``year`` from the newest earlier edition, in one transaction.

    Carries over the title, the standard texts (the organisation's own marked "från förra året" in
    ``standard_texts_carried_over``), the structure and the indicator selection (comments start
    empty), creates every section as a draft (the writer of last year's section with the same unit and kind
    stays; the organisation's own Förutsättningar, Styrkor and Utmaningar too), and turns last year's
    development areas into follow-up rows with an empty status, one action per item of their
    ``measures`` list (plain text: one action), each without a status, with the area's ``expected_results``.
    Without an earlier edition the
    indicators are ``catalogue`` (default: the shipped one), the standard texts the shipped ones and the
    structure the ``preset`` ("kommun" or "namnd"; default ``default_preset``).
    Raises ``EditionExistsError`` if the year exists.
    """
    if preset is not None and preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}")
    if Edition.objects.filter(organisation=organisation, year=year).exists():
        raise EditionExistsError(organisation, year)
    previous = organisation.editions.filter(year__lt=year).order_by("-year").first()
    try:
        with transaction.atomic():
            edition = Edition.objects.create(
                organisation=organisation,
                year=year,
                title=previous.title if previous else DEFAULT_TITLE,
                previous=previous,
                standard_texts=dict(previous.standard_texts) if previous else default_standard_texts(),
                standard_texts_carried_over=own_standard_texts(previous.standard_texts) if previous else [],
                structure=_structure_from(previous, organisation, preset),
            )
            _carry_indicators(edition, previous, catalogue)
            _create_sections(edition, previous)
            if previous is not None:
                _follow_ups_from(edition, previous)
            edition_started.send(sender=Edition, edition=edition, previous=previous, user=user)
            record(
                AuditAction.EDITION_CREATED,
                f"Skapade årgång {year}" + (f" från årgång {previous.year}" if previous else ""),
                request=request,
                user=user,
                organisation=organisation,
                obj=edition,
            )
    except IntegrityError:
        # Someone else created the same year between the check and the insert.
        raise EditionExistsError(organisation, year) from None
    return edition


def _structure_from(
    previous: Edition | None, organisation: Organisation, preset: str | None
) -> dict[str, Any]:
    if previous is not None and isinstance(previous.structure, dict) and previous.structure:
        return copy.deepcopy(previous.structure)
    return {"mall": preset or default_preset(organisation)}


def _carry_indicators(edition: Edition, previous: Edition | None, catalogue: Catalogue | None) -> None:
    if previous is not None:
        kpis = list(previous.indicators.order_by("order", "id").values_list("kpi", flat=True))
    else:
        kpis = (catalogue or load_catalogue()).kpi_ids
    EditionIndicator.objects.bulk_create(
        EditionIndicator(edition=edition, kpi=kpi, order=index) for index, kpi in enumerate(kpis)
    )


def a_year_later(day: datetime.date | None) -> datetime.date | None:
    """The same date next year; 29 February becomes 28 February."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _create_sections(edition: Edition, previous: Edition | None) -> None:
    before: dict[tuple[int | None, str], Section] = {}
    if previous is not None:
        before = {(s.unit_id, s.kind): s for s in previous.sections.all()}

    def section(unit_id: int | None, kind: str) -> Section:
        last = before.get((unit_id, kind))
        if last is None:
            return Section(edition=edition, unit_id=unit_id, kind=kind)
        return Section(
            edition=edition,
            unit_id=unit_id,
            kind=kind,
            writer_id=last.writer_id,
            body=last.body,
            carried_over=bool(last.body.strip()),
            deadline=a_year_later(last.deadline),
        )

    sections = [section(None, kind) for kind in (*FREE_KINDS, *UNIT_KINDS)]
    for unit in edition.organisation.units.filter(active=True).order_by("order", "name"):
        sections += [section(unit.pk, kind) for kind in UNIT_KINDS]
    Section.objects.bulk_create(sections)


def is_overall(section: Section) -> bool:
    """A Förutsättningar, Styrkor or Utmaningar section of the organisation as a whole (no unit)."""
    return section.unit_id is None and section.kind in UNIT_KINDS


def section_label(section: Section) -> str:
    """The section's name for lists: "Styrkor – hela organisationen" for the organisation's own Nulägesanalys."""
    return f"{section.get_kind_display()} – hela organisationen" if is_overall(section) else str(section)


def structured_free_kinds(edition: Edition) -> list[str]:
    """The free kinds whose part the edition's structure has (each free kind is written for the structure's
    part of the same name: Inledning for ``inledning`` …); a part hidden for now (``visa = false``) counts."""
    from barnbokslut.web.editions.structure_settings import edition_settings

    problems: list[str] = []
    parts = {part.kind for part in edition_settings(edition, problems).structure.walk()}
    return [kind for kind in FREE_KINDS if kind in parts]


def drop_unstructured_sections(edition: Edition) -> int:
    """Remove the free sections of parts the edition's structure does not have and that were never written in
    this edition (no saved version, no draft), as an import leaves a part left out; returns how many. A text
    carried over from the earlier edition does not count as written: it stays in that edition, and kept here it
    would be a section to write that the report never shows."""
    count, _ = (
        edition.sections.filter(unit=None, kind__in=FREE_KINDS, version=0, drafts__isnull=True)
        .exclude(kind__in=structured_free_kinds(edition))
        .delete()
    )
    return count


def ensure_sections(edition: Edition) -> int:
    """Create the sections an open edition is missing: one per free kind its structure has a part for and one
    per unit kind for the organisation as a whole (editions made before those existed), and one per unit kind
    for each active unit (a unit added while the edition runs). Returns how many were made; a closed edition is
    left as it was."""
    if edition.state != Edition.State.OPEN:
        return 0
    have = set(edition.sections.values_list("unit_id", "kind"))
    wanted = [(None, kind) for kind in (*structured_free_kinds(edition), *UNIT_KINDS)]
    for unit_id in edition.organisation.units.filter(active=True).values_list("pk", flat=True):
        wanted += [(unit_id, kind) for kind in UNIT_KINDS]
    missing = [
        Section(edition=edition, unit_id=unit_id, kind=kind)
        for unit_id, kind in wanted
        if (unit_id, kind) not in have
    ]
    if missing:
        Section.objects.bulk_create(missing, ignore_conflicts=True)  # a parallel request may have made them
    return len(missing)


def retire_unit_sections(unit: Any) -> int:
    """Remove an inactive unit's untouched sections (no text, never saved) from the open editions, so a unit
    closed in a reorganisation is not waited for; written sections stay. Returns how many were removed."""
    if unit.active:
        return 0
    untouched = Section.objects.filter(
        unit=unit,
        edition__state=Edition.State.OPEN,
        version=0,
        body="",
        writer__isnull=True,
        drafts__isnull=True,
    )
    count, _ = untouched.delete()
    return count


def sync_unit_sections(unit: Any) -> None:
    """After a unit is saved: give it sections in every open edition if it is active, else retire them."""
    if unit.active:
        for edition in Edition.objects.filter(organisation_id=unit.organisation_id, state=Edition.State.OPEN):
            ensure_sections(edition)
    else:
        retire_unit_sections(unit)


def _follow_ups_from(edition: Edition, previous: Edition) -> None:
    for index, area in enumerate(
        previous.development_areas.prefetch_related("units").order_by("order", "id")
    ):
        row = FollowUp.objects.create(
            edition=edition,
            origin=area,
            area=area.area,
            action=area.measures,
            actions=actions_from_text(area.measures),
            expected_results=area.expected_results,
            status="",
            articles=list(area.articles),
            indicators=list(area.indicators),
            order=index,
        )
        row.units.set(area.units.all())


def move_row(row: FollowUp | DevelopmentArea, direction: str) -> bool:
    """Move ``row`` one place "up" or "down" in its edition's table; return whether it moved.

    Renumbers the table 0, 1, 2, … first, so rows created with equal ``order`` still move one step.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    model = type(row)
    with transaction.atomic():
        rows = list(
            model.objects.select_for_update().filter(edition_id=row.edition_id).order_by("order", "id")
        )
        index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(rows):
            return False
        rows[index], rows[target] = rows[target], rows[index]
        for position, item in enumerate(rows):
            item.order = position
        model.objects.bulk_update(rows, ["order"])
    return True


def next_order(model: type[FollowUp] | type[DevelopmentArea], edition: Edition) -> int:
    """The ``order`` for a row added at the end of ``edition``'s table."""
    highest = model.objects.filter(edition=edition).aggregate(highest=Max("order"))["highest"]
    return 0 if highest is None else int(highest) + 1


def set_indicator_selection(edition: Edition, kpis: Iterable[str]) -> None:
    """Make ``kpis`` (in this order) the edition's indicators; kept ones keep their comment."""
    wanted = list(dict.fromkeys(kpis))
    with transaction.atomic():
        existing = {row.kpi: row for row in edition.indicators.select_for_update()}
        edition.indicators.exclude(kpi__in=wanted).delete()
        changed = []
        for index, kpi in enumerate(wanted):
            row = existing.get(kpi)
            if row is None:
                EditionIndicator.objects.create(edition=edition, kpi=kpi, order=index)
            elif row.order != index:
                row.order = index
                changed.append(row)
        EditionIndicator.objects.bulk_update(changed, ["order"])
