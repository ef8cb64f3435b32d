"""Read a report folder (``barnbokslut.toml``, ``texter/``, ``data/``) into a new edition of an organisation.

``import_folder(folder, organisation, year)`` checks the folder with ``report.folder.load_source`` (a
``ReportSourceError`` names every problem, and nothing is written), then, in one transaction: adds the folder's
units (``[[verksamhet]]``) the organisation does not have yet (a unit is the same when its abbreviation or its
name is, case ignored: ``existing_unit``), starts the edition (``services.start_edition``),
and writes the folder's content where the web app keeps it, so that ``report_from_db`` builds the same report
(``tests/web/publishing/test_parity.py`` compares them part by part):

- ``[rapport]``'s ``mall``/``numrerade_rubriker``/``forkortningar_rubrik``, ``[artiklar]`` and ``[[avsnitt]]`` →
  ``Edition.structure``; the Markdown of parts of kind ``text`` → ``Edition.structure["texter"]``;
  ``texter/siffror.md`` (the figures' own text) → the lead of the structure's figures part.
- ``texter/inledning.md``, ``upplagg.md``, ``underlag.md``, ``sammanfattning.md``, ``slutsatser.md`` → the free
  sections; ``rekommendationer.md`` → the end of Slutsatser under ``## Rekommendationer``.
- ``texter/begrepp.md``, ``grundprinciper.md`` → the edition's standard texts (a text the folder replaces loses
  the previous edition's "från förra året" mark, ``Edition.standard_texts_carried_over``).
- ``[[citat]]`` and ``[[forslag]]`` → the edition's quotes (with their consent flag) and children's proposals
  (``barnbokslut.web.voices``), and the surveys (``[[enkat]]``, with their ``text``) → its survey files.
- ``texter/verksamheter/<förkortning>.md`` → the unit's Förutsättningar (its story under the four articles).
- ``texter/nulage/forutsattningar.md`` and ``artikel-<n>.md`` → the organisation's own Förutsättningar,
  Styrkor and Utmaningar (``## Artikel N`` per article).
- ``[[uppfoljning]]`` → follow-up rows (with ``FollowUp.actions`` for several actions, ``förväntade_resultat`` →
  ``FollowUp.expected_results``), ``[[utvecklingsomrade]]``
  → development areas (``barnens_forslag`` → ``DevelopmentArea.from_children``), ``[kommentarer]`` → the chosen
  indicators' comments, ``[[lokala_data]]`` → local tables.
- The register of barnkonsekvensanalyser → the organisation's register (``bka.services.import_register``: it
  replaces the decisions of the years the file covers), marked as example data when the folder has
  ``exempeldata = true``.

What the web app has no place for is not imported: ``[[kalla]]`` (sources), ``undertitel``, ``logotyp``,
``exempeldata`` and a row's own ``skiljetecken``.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from barnbokslut.report.bka import BkaError
from barnbokslut.report.folder import SETTINGS_FILE, load_source
from barnbokslut.report.model import ChartKind, Status
from barnbokslut.report.sections import ARTICLES, split_headings
from barnbokslut.report.source import ReportSource, ReportSourceError
from barnbokslut.report.structure import to_entries
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.bka import services as bka_services
from barnbokslut.web.editions.followup import actions_markdown, from_report_status
from barnbokslut.web.editions.models import (
    DevelopmentArea,
    Edition,
    EditionIndicator,
    FollowUp,
    Section,
    SectionKind,
    SectionVersion,
)
from barnbokslut.web.editions.services import start_edition
from barnbokslut.web.editions.workflow import normalise
from barnbokslut.web.localdata.models import LocalTable
from barnbokslut.web.organisations.models import Organisation, Unit

__all__ = ["existing_unit", "import_folder"]

_FREE_TEXTS = {
    "inledning": SectionKind.INLEDNING,
    "upplagg": SectionKind.UPPLAGG,
    "underlag": SectionKind.UNDERLAG,
    "sammanfattning": SectionKind.SAMMANFATTNING,
}
_STRUCTURE_KEYS = ("mall", "numrerade_rubriker", "forkortning_skiljetecken", "forkortningar_rubrik")


def _read(folder: Path, relative: str) -> str:
    path = folder / relative
    return path.read_text(encoding="utf-8-sig").strip() if path.is_file() else ""


def _chart(kind: ChartKind | None) -> str:
    if kind is None:
        return LocalTable.Chart.NONE
    if kind is ChartKind.LINE and "linje" in LocalTable.Chart.values:
        return "linje"
    return LocalTable.Chart.BAR  # the web app's local tables have bar charts (or none)


def _structure(data: dict[str, Any], source: ReportSource, folder: Path) -> dict[str, Any]:
    report = data.get("rapport", {})
    structure: dict[str, Any] = {k: report[k] for k in _STRUCTURE_KEYS if k in report}
    structure.setdefault("mall", "kommun" if source.kommun else "namnd")
    if data.get("artiklar"):
        structure["artiklar"] = {str(k): v for k, v in data["artiklar"].items()}
    figures_text = _read(folder, "texter/siffror.md")
    entries = data.get("avsnitt")
    if figures_text and source.structure.has("siffror"):
        entries = to_entries(source.structure)
        for entry in _walk(entries):
            if entry["typ"] == "siffror":
                lead = entry.get("ingress", "")
                entry["ingress"] = f"{lead}\n\n{figures_text}".strip()
    if entries:
        structure["avsnitt"] = entries
    texts = {file: _read(folder, file) for file in source.structure.text_files()}
    if any(texts.values()):
        structure["texter"] = {k: v for k, v in texts.items() if v}
    return structure


def _walk(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [x for e in entries for x in (e, *_walk(e.get("delar", [])))]


def _write(section: Section, body: str, user: Any) -> None:
    body = normalise(body).strip()
    if not body:
        return
    Section.objects.filter(pk=section.pk).update(
        body=body, version=section.version + 1, updated_at=timezone.now(), updated_by=user
    )
    SectionVersion.objects.create(
        section=section,
        number=section.version + 1,
        body=body,
        status=section.status,
        author=user,
        note="Inläst från en barnboksluts-mapp",
    )


def _nulage(folder: Path) -> dict[SectionKind, str]:
    """The folder's Nulägesanalys as the organisation's own sections: Styrkor/Utmaningar under ## Artikel N."""
    found: dict[str, list[str]] = {"styrkor": [], "utmaningar": []}
    for article in ARTICLES:
        _intro, parts = split_headings(_read(folder, f"texter/nulage/artikel-{article}.md"))
        for heading, body, _line in parts:
            key = heading.strip().lower()
            if key in found and body:
                found[key].append(f"## Artikel {article}\n\n{body}")
    return {
        SectionKind.FORUTSATTNINGAR: _read(folder, "texter/nulage/forutsattningar.md"),
        SectionKind.STYRKOR: "\n\n".join(found["styrkor"]),
        SectionKind.UTMANINGAR: "\n\n".join(found["utmaningar"]),
    }


def _row_status(entry: dict[str, Any]) -> str:
    text = str(entry.get("status") or "").strip().lower()
    status = next((s for s in Status if s.value.lower() == text), None)
    return from_report_status(status).value if status is not None else ""


def _voices(edition: Edition, folder: Path, source: ReportSource, user: Any) -> None:
    """``[[citat]]`` (each with its consent flag), ``[[forslag]]`` and ``[[enkat]]`` → the edition's children's
    voices; a survey keeps the folder's path (``data/lupp.csv``) as its file name, as local tables do."""
    import dataclasses

    from barnbokslut.web.voices.models import ChildProposal, ChildQuote, SurveyFile

    for order, quote in enumerate(source.quotes):
        ChildQuote.objects.create(
            edition=edition, text=quote.text, age=quote.age, context=quote.context, consent=quote.consent,
            order=order, updated_by=user,
        )  # fmt: skip
    for order, proposal in enumerate(source.proposals):
        ChildProposal.objects.create(
            edition=edition, text=proposal.text, origin=proposal.origin, proposed_on=proposal.day,
            status=proposal.status.value, feedback=proposal.feedback, order=order, updated_by=user,
        )  # fmt: skip
    for order, survey in enumerate(source.surveys):
        raw = (folder / survey.file).read_bytes()
        SurveyFile.objects.create(
            edition=edition, name=survey.name, filename=survey.file,
            text=survey.text.markdown.strip() if survey.text else "", sha256=hashlib.sha256(raw).hexdigest(),
            rows=[dataclasses.asdict(row) for row in survey.rows], order=order, uploaded_by=user,
        )  # fmt: skip


def existing_unit(organisation: Organisation, abbreviation: str, name: str) -> Unit | None:
    """The organisation's unit with this abbreviation, else with this name (case ignored), else None: a unit
    the organisation already has is used, never made twice."""
    units = Unit.objects.filter(organisation=organisation)
    return (
        units.filter(abbreviation__iexact=abbreviation.strip()).first()
        or units.filter(name__iexact=name.strip()).first()
    )


def import_folder(
    folder: Path, organisation: Organisation, year: int, *, user: Any = None, described_as: str = ""
) -> Edition:
    """Make ``organisation``'s edition for ``year`` from the report folder; raise ``ReportSourceError`` (nothing
    written) when the folder has problems, ``EditionExistsError`` when the year exists. ``described_as`` is
    what the audit log says was read (default: the folder's name)."""
    folder = Path(folder)
    source = load_source(folder)
    data = tomllib.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8-sig"))
    with transaction.atomic():
        units: dict[str, Unit] = {}
        for order, entry in enumerate(source.units):
            unit = existing_unit(organisation, entry.abbreviation, entry.name)
            if unit is None:
                unit = Unit.objects.create(
                    organisation=organisation, abbreviation=entry.abbreviation, name=entry.name, order=order
                )
            units[entry.abbreviation] = unit
        structure = _structure(data, source, folder)
        edition = start_edition(organisation, year, user, preset=structure["mall"])
        edition.title = source.title.removesuffix(f" {year}").strip() or source.title
        edition.structure = structure
        carried = dict(edition.standard_texts)
        standard = dict(carried)
        for key in ("begrepp", "grundprinciper"):
            if own := _read(folder, f"texter/{key}.md"):
                standard[key] = own + "\n"
        edition.standard_texts = standard
        # A text the folder replaced is no longer last year's from the previous edition.
        edition.standard_texts_carried_over = [
            key for key in edition.standard_texts_carried_over if standard.get(key) == carried.get(key)
        ]
        edition.save(update_fields=["title", "structure", "standard_texts", "standard_texts_carried_over"])
        edition.follow_ups.all().delete()  # carried over from last year: the folder's rows replace them

        sections = {(s.unit_id, s.kind): s for s in edition.sections.all()}
        for name, kind in _FREE_TEXTS.items():
            _write(sections[(None, kind)], _read(folder, f"texter/{name}.md"), user)
        conclusions = _read(folder, "texter/slutsatser.md")
        if recommendations := _read(folder, "texter/rekommendationer.md"):
            conclusions = f"{conclusions}\n\n## Rekommendationer\n\n{recommendations}".strip()
        _write(sections[(None, SectionKind.SLUTSATSER)], conclusions, user)
        for kind, body in _nulage(folder).items():
            _write(sections[(None, kind)], body, user)
        for abbreviation, unit in units.items():
            story = _read(folder, f"texter/verksamheter/{abbreviation.lower()}.md")
            if (unit.pk, SectionKind.FORUTSATTNINGAR) in sections:
                _write(sections[(unit.pk, SectionKind.FORUTSATTNINGAR)], story, user)

        _follow_ups(edition, data, units)
        _development_areas(edition, data, units)
        _voices(edition, folder, source, user)
        for kpi, comment in source.comments.items():
            EditionIndicator.objects.update_or_create(
                edition=edition, kpi=kpi, defaults={"comment": comment.markdown.strip()}
            )
        for order, spec in enumerate(source.local_data):
            raw = (folder / spec.file).read_bytes()
            rows = [
                [category, *(column[i] for column in spec.data.values)]
                for i, category in enumerate(spec.data.categories)
            ]
            LocalTable.objects.create(
                edition=edition, title=spec.title, description=spec.text.markdown.strip() if spec.text else "",
                unit=spec.unit, chart=_chart(spec.chart), source_filename=spec.file,
                sha256=hashlib.sha256(raw).hexdigest(), columns=list(spec.data.columns), rows=rows,
                uploaded_by=user, order=order,
            )  # fmt: skip
        if source.bka is not None:
            try:
                plan = bka_services.plan_import(organisation, source.bka)
            except BkaError as exc:
                raise ReportSourceError(exc.problems) from None
            bka_services.import_register(organisation, plan, user=user, is_example=source.is_example)
        record(
            AuditAction.IMPORTED,
            f"Läste in {described_as or f'barnboksluts-mappen {folder.name}'} till {edition.title} {year}",
            user=user,
            organisation=organisation,
            obj=edition,
        )
    return edition


def _abbreviations(entry: dict[str, Any]) -> list[str]:
    value = entry.get("verksamheter", [])
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _follow_ups(edition: Edition, data: dict[str, Any], units: dict[str, Unit]) -> None:
    for order, entry in enumerate(data.get("uppfoljning", [])):
        expected = str(entry.get("förväntade_resultat", "")).strip()
        many = entry.get("åtgärder")
        if many:
            actions = [
                {
                    "text": str(item.get("text", "")).strip(),
                    "status": _row_status(item),
                    "comment": str(item.get("kommentar", "")).strip(),
                }
                for item in many
            ]
            row = FollowUp.objects.create(
                edition=edition, area=str(entry["område"]).strip(),
                action=actions_markdown([a["text"] for a in actions]), status=_row_status(entry),
                comment=str(entry.get("kommentar", "")).strip(), actions=actions, order=order,
                expected_results=expected,
            )  # fmt: skip
        else:
            row = FollowUp.objects.create(
                edition=edition, area=str(entry["område"]).strip(), action=str(entry["åtgärd"]).strip(),
                status=_row_status(entry), comment=str(entry.get("kommentar", "")).strip(), order=order,
                expected_results=expected,
            )  # fmt: skip
        row.units.set([units[a] for a in _abbreviations(entry) if a in units])


def _development_areas(edition: Edition, data: dict[str, Any], units: dict[str, Unit]) -> None:
    for order, entry in enumerate(data.get("utvecklingsomrade", [])):
        area = DevelopmentArea.objects.create(
            edition=edition, area=str(entry["område"]).strip(), measures=str(entry["åtgärder"]).strip(),
            expected_results=str(entry.get("förväntade_resultat", "")).strip(),
            from_children=entry.get("barnens_forslag") is True, order=order,
        )  # fmt: skip
        area.units.set([units[a] for a in _abbreviations(entry) if a in units])
