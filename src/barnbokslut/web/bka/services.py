"""The register of barnkonsekvensanalyser in the database: checking, saving, importing, and the report's view of it.

- Checking: every record, written in the form or imported, goes through ``report.bka.check_decision`` (the
  form) or ``report.bka.parse_register`` (a file), the same rules a report folder's register meets.
- Import (``plan_import`` → ``import_register``): a diarium export (CSV or XLSX, read by the one local-data reader
  through ``parse_register``, bounded by ``settings.MAX_UPLOAD_BYTES``) **replaces the organisation's decisions of
  the years the file covers**; decisions of other years stay. A diarium export is the full list of a period's
  decisions, so importing a corrected export again gives the same register (adding would count every decision
  twice), and the preview says how many decisions of those years are removed, and how many of them were written
  in the web app. A diarienummer the file shares with a decision of another year is an error naming its row and
  column. All or nothing: one transaction, nothing saved on any error.
- The report (``register_for``): the organisation's decisions up to the edition's year, as ``report.bka.Register``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from barnbokslut.report import bka
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.bka.models import Decision
from barnbokslut.web.organisations.models import Organisation, Unit

if TYPE_CHECKING:
    from django.http import HttpRequest

    from barnbokslut.web.editions.models import Edition

#: Where the known units come from, in the message about an unknown one.
UNITS_FROM = "organisationens enheter"
#: The source line's name of decisions written in the web app (not imported from a file).
WRITTEN_HERE = "registret över barnkonsekvensanalyser"


def preview_scope(organisation: Organisation) -> str:
    """The key of the organisation's previewed exports among the session's previews (``localdata.services``)."""
    return f"bka-{organisation.pk}"


def units_by_abbreviation(organisation: Organisation) -> dict[str, Unit]:
    return {u.abbreviation: u for u in organisation.units.all()}


def check(values: dict[str, str], organisation: Organisation) -> tuple[bka.Decision | None, dict[str, str]]:
    """One record's values (by column key) checked by the register's rules: the decision, or the problems."""
    return bka.check_decision(values, set(units_by_abbreviation(organisation)), units_from=UNITS_FROM)


def parse_export(organisation: Organisation, filename: str, data: bytes) -> bka.Register:
    """A diarium export read and checked as a register (``BkaError`` with file, row and column otherwise)."""
    return bka.parse_register(
        filename,
        data,
        filename,
        set(units_by_abbreviation(organisation)),
        max_bytes=settings.MAX_UPLOAD_BYTES,
        units_from=UNITS_FROM,
    )


@dataclass(frozen=True)
class ImportPlan:
    """What importing a checked register would do: shown in the preview, done by ``import_register``."""

    register: bka.Register
    years: tuple[int, ...]
    per_year: tuple[tuple[int, int], ...]  # (year, decisions in the file)
    replaced: int  # the organisation's decisions of those years, removed by the import
    replaced_written_here: int  # of them, written in the web app (not imported from a file)
    kept: int  # decisions of other years, kept


def plan_import(organisation: Organisation, register: bka.Register) -> ImportPlan:
    """What the import of ``register`` would replace; ``BkaError`` when a diarienummer of the file is a decision
    of another year already in the register (the import would make it twice)."""
    years = tuple(sorted({d.day.year for d in register.decisions}))
    existing = Decision.objects.filter(organisation=organisation)
    replaced = existing.filter(decided_on__year__in=years)
    others = dict(existing.exclude(decided_on__year__in=years).values_list("diarienummer", "decided_on"))
    problems = [
        f"{register.file}, rad {d.row}, kolumn ”diarienummer”: ”{d.diarienummer}” finns redan i registret, "
        f"beslutat {others[d.diarienummer].isoformat()} (ett annat år än filens); ändra eller ta bort det "
        "beslutet först, eller ta med det året i filen."
        for d in register.decisions
        if d.diarienummer in others
    ]
    if problems:
        raise bka.BkaError(problems)
    counts = Counter(d.day.year for d in register.decisions)
    return ImportPlan(
        register=register,
        years=years,
        per_year=tuple(sorted(counts.items())),
        replaced=replaced.count(),
        replaced_written_here=replaced.filter(source_filename="").count(),
        kept=len(others),
    )


def _fields(decision: bka.Decision, units: dict[str, Unit]) -> dict[str, Any]:
    return {
        "unit": units[decision.unit],
        "diarienummer": decision.diarienummer,
        "decided_on": decision.day,
        "decision": decision.decision,
        "analysis": decision.analysis,
        "children_heard": decision.heard,
        "outcome": decision.outcome,
        "compensating": decision.compensating,
        "articles": ", ".join(str(a) for a in decision.articles),
        "heard_count": decision.heard_count,
        "status": decision.status,
        "affected_children": decision.affected_children,
        "knowledge": decision.knowledge,
        "how_heard": decision.how_heard,
        "ages": decision.ages,
        "weighing": decision.weighing,
    }


def import_register(
    organisation: Organisation,
    plan: ImportPlan,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    is_example: bool = False,
) -> int:
    """Replace the decisions of the plan's years by the register's, with the audit event, in one transaction.

    Returns the number of decisions imported."""
    units = units_by_abbreviation(organisation)
    register = plan.register
    with transaction.atomic():
        Decision.objects.filter(organisation=organisation, decided_on__year__in=plan.years).delete()
        Decision.objects.bulk_create(
            Decision(
                organisation=organisation,
                **_fields(d, units),
                is_example=is_example,
                source_filename=register.file,
                source_row=d.row,
                updated_by=user if user is not None else getattr(request, "user", None),
            )
            for d in register.decisions
        )
        years = ", ".join(str(y) for y in plan.years)
        record(
            AuditAction.IMPORTED,
            f"Importerade {len(register.decisions)} beslut till registret över barnkonsekvensanalyser från "
            f"{register.file} (år {years}; {plan.replaced} tidigare beslut från de åren ersattes).",
            request=request,
            user=user,
            organisation=organisation,
        )
    return len(register.decisions)


def register_for(edition: Edition) -> bka.Register | None:
    """The organisation's decisions up to ``edition``'s year, as the report counts them; None without any."""
    decisions = list(
        Decision.objects.filter(organisation=edition.organisation, decided_on__year__lte=edition.year)
        .select_related("unit")
        .order_by("decided_on", "diarienummer")
    )
    if not decisions:
        return None
    files = sorted({d.source_filename for d in decisions if d.source_filename})
    if any(not d.source_filename for d in decisions):
        files.append(WRITTEN_HERE)
    label = files[0] if len(files) == 1 else ", ".join(files[:-1]) + " och " + files[-1]
    made = []
    for number, record_ in enumerate(decisions, start=1):
        decision, _errors = bka.check_decision(record_.as_values(), {record_.unit.abbreviation})
        if decision is not None:  # saved through the same check; a record broken since is left out
            made.append(dataclasses.replace(decision, row=record_.source_row or number))
    return bka.Register(label, tuple(made), is_example=any(d.is_example for d in decisions))
