"""A new organisation, and its unit tree: walking it, moving units without cycles, and deleting only empty units.

Views call these after checking permissions; the audit event for each change is written here so every shell
(view, command, test) logs the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.text import slugify

from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction, Membership, Role
from barnbokslut.web.organisations.models import Organisation, Unit

if TYPE_CHECKING:
    from django.http import HttpRequest


class UnitError(Exception):
    """A refused change to the unit tree; ``message`` is shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Node:
    unit: Unit
    depth: int
    children: list[Node] = field(default_factory=list)


def unit_tree(organisation: Organisation) -> list[Node]:
    """Return the root nodes of the organisation's units, children ordered as ``Unit.Meta.ordering``."""
    units = list(Unit.objects.filter(organisation=organisation).order_by("order", "name"))
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)

    def build(parent_id: int | None, depth: int, seen: frozenset[int]) -> list[Node]:
        nodes = []
        for unit in by_parent.get(parent_id, []):
            if unit.pk in seen:  # a cycle written behind our back: show it once rather than loop forever
                continue
            nodes.append(Node(unit, depth, build(unit.pk, depth + 1, seen | {unit.pk})))
        return nodes

    return build(None, 0, frozenset())


def flatten(nodes: list[Node]) -> list[Node]:
    """Return the tree in reading order (parent before its children), for indented lists and checkboxes."""
    flat: list[Node] = []
    for node in nodes:
        flat.append(node)
        flat.extend(flatten(node.children))
    return flat


def descendants(unit: Unit) -> list[Unit]:
    """All units below ``unit`` (not ``unit`` itself), at any depth."""
    found: list[Unit] = []
    frontier = [unit.pk]
    seen = {unit.pk}
    while frontier:
        children = list(Unit.objects.filter(parent_id__in=frontier).exclude(pk__in=seen))
        found.extend(children)
        seen.update(child.pk for child in children)
        frontier = [child.pk for child in children]
    return found


def cycle_error(unit: Unit, new_parent: Unit | None) -> str | None:
    """Return why ``unit`` cannot be placed under ``new_parent``, or None when the move is allowed."""
    if new_parent is None or unit.pk is None:
        return None
    if new_parent.pk == unit.pk:
        return f"{unit.name} kan inte ligga under sig själv. Välj en annan överordnad enhet."
    if any(child.pk == new_parent.pk for child in descendants(unit)):
        return (
            f"{unit.name} kan inte flyttas under {new_parent.name}, eftersom {new_parent.name} redan ligger "
            f"under {unit.name}. Det skulle bli en cirkel i enhetsträdet."
        )
    return None


def describe(unit: Unit) -> str:
    parent = f" under {unit.parent.name}" if unit.parent_id else " överst i trädet"
    return f"{unit.name} ({unit.abbreviation}){parent}"


def save_unit(request: HttpRequest, unit: Unit, *, created: bool, before: str = "") -> Unit:
    """Save a unit edited in a form (already validated) and log the change."""
    error = cycle_error(unit, unit.parent)
    if error:
        raise UnitError(error)
    with transaction.atomic():
        unit.save()
        text = f"Ny enhet: {describe(unit)}" if created else f"Ändrad enhet: {before} → {describe(unit)}"
        record(
            AuditAction.ORGANISATION_CHANGED, text, request=request, organisation=unit.organisation, obj=unit
        )
    return unit


def delete_refusal(unit: Unit) -> str | None:
    """Return why ``unit`` cannot be deleted, or None when it is empty.

    Deleting a unit would cascade to its sections (texts of every edition) and to its sub-units, so a unit that
    still has either is refused. Sections nobody has touched (no text, never saved, no writer, no unsaved
    draft), such as those an open edition gives a new unit, go with it.
    """
    sections = (
        unit.sections.exclude(version=0, body="", writer__isnull=True, drafts__isnull=True)  # type: ignore[attr-defined]
        .distinct()
        .count()
    )
    if sections:
        return (
            f"{unit.name} har fortfarande {sections} avsnitt i årgångarna och kan inte tas bort. "
            "Texterna skulle försvinna ur historiken. Avveckla enheten i stället (Ändra, avmarkera Aktiv): "
            "då får den inga avsnitt i nya årgångar och texterna finns kvar."
        )
    decisions = unit.bka_decisions.count()  # type: ignore[attr-defined]
    if decisions:
        return (
            f"{unit.name} har {decisions} beslut i registret över barnkonsekvensanalyser och kan inte tas bort. "
            "Avveckla enheten i stället (Ändra, avmarkera Aktiv): då finns besluten kvar i registret."
        )
    children = unit.children.count()  # type: ignore[attr-defined]
    if children:
        noun = "underenhet" if children == 1 else "underenheter"
        return f"{unit.name} har {children} {noun}. Flytta eller ta bort {'den' if children == 1 else 'dem'} först."
    return None


def delete_unit(request: HttpRequest, unit: Unit) -> None:
    with transaction.atomic():
        refusal = delete_refusal(unit)
        if refusal:
            raise UnitError(refusal)
        text = f"Borttagen enhet: {describe(unit)}"
        organisation = unit.organisation
        record(AuditAction.ORGANISATION_CHANGED, text, request=request, organisation=organisation, obj=unit)
        unit.delete()


def save_organisation(request: HttpRequest, organisation: Organisation, changed: list[str]) -> None:
    with transaction.atomic():
        organisation.save()
        fields = ", ".join(changed) if changed else "inga fält"
        record(
            AuditAction.ORGANISATION_CHANGED,
            f"Ändrade uppgifter för {organisation.name}: {fields}",
            request=request,
            organisation=organisation,
            obj=organisation,
        )


def unique_slug(name: str) -> str:
    """A free slug made from ``name``: "Söderhamns kommun" → "soderhamns-kommun", then "-2", "-3" … if taken."""
    max_length = Organisation._meta.get_field("slug").max_length or 50
    base = slugify(name)[: max_length - 4].strip("-") or "organisation"
    candidate, number = base, 1
    while Organisation.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def create_organisation(request: HttpRequest, organisation: Organisation) -> Organisation:
    """Save a new organisation (validated, unsaved), make the requesting user its administratör, and log it."""
    with transaction.atomic():
        organisation.slug = unique_slug(organisation.name)
        organisation.save()
        Membership.objects.create(user=request.user, organisation=organisation, role=Role.ADMIN)
        kommun = f", Kolada-kommun {organisation.kommun}" if organisation.kommun else ", ingen Kolada-kommun"
        record(
            AuditAction.ORGANISATION_CHANGED,
            f"Ny organisation: {organisation.name} ({organisation.get_kind_display().lower()}{kommun}, "
            f"adress {organisation.slug}); {request.user.get_username()} är administratör",
            request=request,
            organisation=organisation,
            obj=organisation,
        )
    return organisation
