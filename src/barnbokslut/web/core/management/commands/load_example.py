"""``load_example``: the example organisation (Söderhamns kommun) with users, a finished and an open edition.

Creates the unit tree, one user per role with random passwords (printed, and written to
``<BARNBOKSLUT_DATA_DIR>/exempel-anvandare.txt``), last year's edition with every section written and approved,
development areas filled, published and closed, the register of barnkonsekvensanalyser (the example folder's,
marked as example data), and this year's edition started from it with
``editions.services.start_edition`` (so last year's development areas are this year's follow-up rows) with
sections in different states and deadlines, one of them late, and the example folder's children's voices
(quotes, proposals, the LUPP survey and the development area marked "Förslag från barn", labelled Exempeldata).
Everything is written through the same services the views use (``workflow.save``/``submit``/``approve``/
``send_back``), so history and audit log are real.

Idempotent: when the example is already there it prints the users again. Refuses to run when the database
holds other organisations or users, unless ``--force``.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.utils import timezone

from barnbokslut.web.accounts.models import Membership
from barnbokslut.web.core.management.commands import _example_data as data
from barnbokslut.web.editions import services, workflow
from barnbokslut.web.editions.models import (
    DevelopmentArea,
    Edition,
    EditionIndicator,
    FollowUpStatus,
    KoladaRefresh,
    Section,
    SectionKind,
)
from barnbokslut.web.organisations.models import Organisation, Unit

PUBLIC_KOLADA = "https://api.kolada.se/v3"
EXAMPLE_FOLDER = Path(__file__).resolve().parents[6] / "examples" / "barnbokslut-exempel"


class Command(BaseCommand):
    help = "Läs in exemplet: Söderhamns kommun med en användare per roll, en färdig och en pågående årgång."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, default=2025, help="Den pågående årgångens år (förra året blir klart)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Läs in exemplet även om det finns andra data."
        )
        parser.add_argument(
            "--no-publish", action="store_true", help="Publicera inte förra årets årgång (snabbare)."
        )

    def handle(self, *args: Any, year: int, force: bool, no_publish: bool, **options: Any) -> None:
        self.verbosity = int(options.get("verbosity", 1))
        users_file = Path(settings.DATA_DIR) / data.USERS_FILE
        existing = Organisation.objects.filter(slug=data.ORGANISATION["slug"]).first()
        if existing is not None and existing.editions.filter(year=year).exists():
            passwords = _read_passwords(users_file) or self._reset_passwords(users_file)
            self._ensure_indicators(list(existing.editions.all()))
            self._say("Exemplet finns redan.")
            self._say(_users_table(passwords))
            return
        if existing is not None:
            raise CommandError(
                f"Exemplets organisation finns men utan årgång {year}. Ta bort databasen och läs in exemplet igen."
            )
        self._refuse_other_data(force)
        passwords = {user.username: secrets.token_urlsafe(9) for user in data.USERS}
        with transaction.atomic():
            organisation, units = _organisation()
            users = _users(organisation, units, passwords)
            _bka_register(organisation, users["samordnare"])
            previous = _finished_edition(organisation, units, users, year - 1)
            current = _open_edition(organisation, users, year)
        with _example_kolada(), _quiet("weasyprint", "fontTools", "httpx"):
            self._refresh_indicators([previous, current], users["samordnare"])
            published = (
                "inte publicerad (--no-publish)"
                if no_publish
                else self._publish(previous, users["samordnare"])
            )
        Edition.objects.filter(pk=previous.pk).update(state=Edition.State.CLOSED)
        _write_users_file(users_file, passwords)
        self._say(
            self.style.SUCCESS(f"Exemplet är inläst: {organisation.name}, årgång {year - 1} och {year}.")
        )
        self._say(f"Årgång {year - 1}: {published}.")
        self._say(_users_table(passwords))

    def _say(self, text: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(text)

    def _refuse_other_data(self, force: bool) -> None:
        others = Organisation.objects.exclude(slug=data.ORGANISATION["slug"]).count()
        usernames = {user.username for user in data.USERS}
        other_users = get_user_model().objects.exclude(username__in=usernames).count()
        if (others or other_users) and not force:
            raise CommandError(
                f"Databasen har redan andra data ({others} organisationer, {other_users} användare). "
                "Exemplet läses bara in i en tom databas; använd --force för att läsa in det ändå."
            )

    def _reset_passwords(self, users_file: Path) -> dict[str, str]:
        """The example is there but its password file is gone: give the example users new passwords."""
        passwords: dict[str, str] = {}
        for user in get_user_model().objects.filter(username__in=[u.username for u in data.USERS]):
            passwords[user.username] = secrets.token_urlsafe(9)
            user.set_password(passwords[user.username])
            user.save(update_fields=["password"])
        _write_users_file(users_file, passwords)
        return passwords

    def _publish(self, edition: Edition, user: Any) -> str:
        """Publish ``edition`` now, in this process, with the publishing service (HTML, PDF, DOCX)."""
        from barnbokslut.web.publishing import services as publishing

        request = RequestFactory().post("/")
        request.user = user
        publication = publishing.start_publication(edition, request=request, note="Exemplets publicering")
        # Built here rather than by the worker, so the example is complete when the command ends; the queued
        # task finds the publication published and does nothing.
        publication = publishing.build_publication_files(publication.pk)
        if publication.state != "publicerad":
            return f"INTE publicerad: {publication.error}"
        return f"publicerad som version {publication.version}"

    def _refresh_indicators(self, editions: list[Edition], user: Any) -> None:
        """Fetch the editions' Kolada data into the shared cache and analyse it, as the refresh task does.

        Done here with a client without the rate limit (our own server on loopback), so it takes seconds.
        """
        from barnbokslut.kolada import KoladaClient, KoladaError
        from barnbokslut.web.editions import analysis

        options = {"base_url": settings.KOLADA_URL, "cache": settings.KOLADA_CACHE, "mode": "normal"}
        with KoladaClient(**options, max_requests_per_second=1000.0, max_retries=1) as client:
            for edition in editions:
                try:
                    dataset, municipality = analysis.fetch_edition_dataset(edition, client)
                except KoladaError as exc:
                    self.stderr.write(f"Nyckeltalen för {edition.year} kunde inte hämtas: {exc}")
                    continue
                analysis.analyse_dataset(edition, dataset, municipality)
                KoladaRefresh.objects.create(
                    edition=edition, requested_by=user, state=KoladaRefresh.State.DONE, progress=100,
                    requests=client.stats.requests, message="Hämtat när exemplet lästes in.",
                    finished_at=timezone.now(),
                )  # fmt: skip

    def _ensure_indicators(self, editions: list[Edition]) -> None:
        """Fetch again when the cache has nothing for the current Kolada address (a new example port)."""
        from barnbokslut.web.editions import analysis

        missing = [edition for edition in editions if analysis.edition_analysis(edition) is None]
        if missing:
            coordinator = get_user_model().objects.filter(username="samordnare").first()
            with _example_kolada(), _quiet("httpx"):
                self._refresh_indicators(missing, coordinator)


@contextlib.contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """Silence chatty libraries (WeasyPrint logs every CSS step at INFO) while the example is built."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@contextlib.contextmanager
def _example_kolada() -> Iterator[None]:
    """Point KOLADA_URL at the bundled snapshot unless it already points somewhere other than the public API."""
    if settings.KOLADA_URL.rstrip("/") != PUBLIC_KOLADA:
        yield
        return
    from barnbokslut.web.serve import example_kolada

    with example_kolada() as url, override_settings(KOLADA_URL=url):
        yield


def _organisation() -> tuple[Organisation, dict[str, Unit]]:
    organisation = Organisation.objects.create(**data.ORGANISATION)
    units: dict[str, Unit] = {}
    for order, (abbreviation, name, parent) in enumerate(data.UNITS):
        units[abbreviation] = Unit.objects.create(
            organisation=organisation,
            name=name,
            abbreviation=abbreviation,
            parent=units[parent] if parent else None,
            order=order,
        )
    return organisation, units


def _users(organisation: Organisation, units: dict[str, Unit], passwords: dict[str, str]) -> dict[str, Any]:
    users: dict[str, Any] = {}
    for spec in data.USERS:
        user, _created = get_user_model().objects.get_or_create(username=spec.username)
        user.first_name, user.last_name = spec.first_name, spec.last_name
        user.set_password(passwords[spec.username])
        user.save()
        # A person may hold several roles; the example gives each user exactly the one of their spec.
        Membership.objects.filter(user=user, organisation=organisation).exclude(role=spec.role).delete()
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=spec.role
        )
        membership.units.set([units[a] for a in spec.units])
        users[spec.username] = user
    return users


def _writer_for(section: Section, users: dict[str, Any]) -> Any:
    if section.unit is None:
        return users["samordnare"]
    for spec in data.USERS:
        if section.unit.abbreviation in spec.units:
            return users[spec.username]
    return users["samordnare"]


def _text(section: Section, year: int) -> str:
    if section.unit is None:
        return data.FREE_TEXTS.get(section.kind) or data.OVERALL_TEXTS[section.kind]
    return data.UNIT_TEXTS[section.kind].format(name=section.unit.name, year=year)


def _areas(edition: Edition, units: dict[str, Unit], rows: tuple[Any, ...]) -> None:
    for order, (area, abbreviations, measures, results, articles, kpis) in enumerate(rows):
        row = DevelopmentArea.objects.create(
            edition=edition, area=area, measures=measures, expected_results=results,
            articles=articles, indicators=kpis, order=order,
        )  # fmt: skip
        row.units.set([units[a] for a in abbreviations])


def _local_table(edition: Edition, user: Any) -> None:
    from barnbokslut.web.localdata.importer import parse_upload
    from barnbokslut.web.localdata.services import import_table

    path = (
        Path(__file__).resolve().parents[6]
        / "examples"
        / "barnbokslut-exempel"
        / "data"
        / data.LOCAL_TABLE["file"]
    )
    if not path.is_file():
        return
    parsed = parse_upload(path.name, path.read_bytes())
    request = RequestFactory().post("/")
    request.user = user
    import_table(
        edition, parsed, title=data.LOCAL_TABLE["title"], unit=data.LOCAL_TABLE["unit"], chart="stapel",
        description=data.LOCAL_TABLE["description"], request=request,
    )  # fmt: skip


def _bka_register(organisation: Organisation, user: Any) -> None:
    """The example folder's register of barnkonsekvensanalyser (invented decisions of 2024 and 2025), imported
    as a diarium export is and marked as example data; the folder's KFI is the example organisation's KOF."""
    from barnbokslut.web.bka import services as bka

    path = Path(__file__).resolve().parents[6] / "examples" / "barnbokslut-exempel" / data.BKA_FILE
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8-sig")
    for folder_unit, unit in data.BKA_UNITS.items():
        text = text.replace(f";{folder_unit};", f";{unit};").replace(f"{folder_unit} 20", f"{unit} 20")
    register = bka.parse_export(organisation, path.name, text.encode("utf-8"))
    bka.import_register(organisation, bka.plan_import(organisation, register), user=user, is_example=True)


def _finished_edition(
    organisation: Organisation, units: dict[str, Unit], users: dict[str, Any], year: int
) -> Edition:
    """Last year's edition: every section written, submitted and approved; development areas filled."""
    edition = services.start_edition(organisation, year, users["admin"])
    reviewer = users["granskare"]
    for section in edition.sections.select_related("edition__organisation", "unit"):
        writer = _writer_for(section, users)
        Section.objects.filter(pk=section.pk).update(writer=writer)
        section.refresh_from_db()
        section = workflow.save(section, writer, body=_text(section, year), base_version=0).section
        section = workflow.submit(section, writer, body=section.body, base_version=section.version)
        workflow.approve(section, reviewer, base_version=section.version)
    _areas(edition, units, data.DEVELOPMENT_AREAS)
    for kpi, comment in data.INDICATOR_COMMENTS.items():
        EditionIndicator.objects.filter(edition=edition, kpi=kpi).update(comment=comment)
    _local_table(edition, users["samordnare"])
    return edition


def _open_edition(organisation: Organisation, users: dict[str, Any], year: int) -> Edition:
    """This year's edition from last year's, with sections in different states and one late deadline."""
    coordinator, reviewer = users["samordnare"], users["granskare"]
    edition = services.start_edition(organisation, year, coordinator)
    today = timezone.localdate()
    sections = {
        (s.unit.abbreviation if s.unit else None, s.kind): s
        for s in edition.sections.select_related("edition__organisation", "unit")
    }
    for section in sections.values():
        workflow.assign(
            section,
            coordinator,
            writer=_writer_for(section, users),
            deadline=today + datetime.timedelta(days=21),
        )

    def fresh(unit: str | None, kind: str) -> Section:
        return Section.objects.select_related("edition__organisation", "unit").get(
            pk=sections[(unit, kind)].pk
        )

    writer = users["skribent"]
    # Utkast, deadline passed: late.
    late = fresh("BOU", SectionKind.FORUTSATTNINGAR)
    workflow.save(
        late, writer, body=_text(late, year) + "\n\nTexten är inte färdig än.", base_version=late.version
    )
    workflow.assign(late, coordinator, writer=writer, deadline=today - datetime.timedelta(days=5))
    # Klar för granskning.
    ready = fresh("BOU", SectionKind.STYRKOR)
    workflow.submit(ready, writer, body=_text(ready, year), base_version=ready.version)
    # Återremitterad with the reviewer's comment.
    returned = fresh("BOL", SectionKind.UTMANINGAR)
    returned = workflow.submit(returned, writer, body=_text(returned, year), base_version=returned.version)
    workflow.send_back(returned, reviewer, base_version=returned.version, comment=data.RETURN_COMMENT)
    # Godkänd.
    intro = fresh(None, SectionKind.INLEDNING)
    intro = workflow.submit(intro, coordinator, body=data.FREE_TEXTS["inledning"], base_version=intro.version)
    workflow.approve(intro, reviewer, base_version=intro.version)
    # Follow-up of last year's development areas: one done, one started, the rest still empty.
    for row, (status, comment) in zip(
        edition.follow_ups.order_by("order", "id"),
        [
            (FollowUpStatus.DONE, "Rutinen används på alla skolor."),
            (FollowUpStatus.STARTED, "Pågår i två av fem verksamheter."),
        ],
        strict=False,
    ):
        row.status, row.comment = status, comment
        row.save(update_fields=["status", "comment"])
    units = {u.abbreviation: u for u in organisation.units.all()}
    _areas(edition, units, data.NEW_DEVELOPMENT_AREAS)
    _voices(edition, units, coordinator)
    return edition


def _voices(edition: Edition, units: dict[str, Unit], user: Any) -> None:
    """The example folder's children's voices, read by the folder's reader: its quotes (consent flags kept),
    proposals and surveys into the edition's Barnens röster, and its development areas marked
    ``barnens_forslag`` as the edition's development areas marked ``from_children`` (added when the edition
    lacks them). The web app's voices have no example flag of their own, so the label the folder's
    ``exempeldata = true`` gives them is kept in their text: "(Exempeldata)" after the context, origin and
    survey name."""
    import dataclasses
    import hashlib

    from barnbokslut.report.folder import load_source
    from barnbokslut.web.voices.models import ChildProposal, ChildQuote, SurveyFile

    if not (EXAMPLE_FOLDER / "barnbokslut.toml").is_file():
        return
    source = load_source(EXAMPLE_FOLDER)
    label = " (Exempeldata)" if source.is_example else ""
    for order, quote in enumerate(source.quotes):
        ChildQuote.objects.create(
            edition=edition, text=quote.text, age=quote.age, context=f"{quote.context}{label}".strip(),
            consent=quote.consent, order=order, updated_by=user,
        )  # fmt: skip
    for order, proposal in enumerate(source.proposals):
        ChildProposal.objects.create(
            edition=edition, text=proposal.text, origin=f"{proposal.origin}{label}".strip(),
            proposed_on=proposal.day, status=proposal.status.value, feedback=proposal.feedback, order=order,
            updated_by=user,
        )  # fmt: skip
    for order, survey in enumerate(source.surveys):
        raw = (EXAMPLE_FOLDER / survey.file).read_bytes()
        SurveyFile.objects.create(
            edition=edition, name=f"{survey.name}{label}", filename=Path(survey.file).name,
            text=survey.text.markdown.strip() if survey.text else "",
            sha256=hashlib.sha256(raw).hexdigest(), rows=[dataclasses.asdict(row) for row in survey.rows],
            order=order, uploaded_by=user,
        )  # fmt: skip
    order = edition.development_areas.count()
    for area in source.development_areas:
        if not area.from_children:
            continue
        row = edition.development_areas.filter(area=area.area).first()
        if row is None:
            row = DevelopmentArea.objects.create(
                edition=edition, area=area.area, measures=area.actions.markdown.strip(),
                expected_results=area.expected.markdown.strip(), order=order,
            )  # fmt: skip
            order += 1
            abbreviations = [data.BKA_UNITS.get(a, a) for a in area.departments]
            row.units.set([units[a] for a in abbreviations if a in units])
        row.from_children = True
        row.save(update_fields=["from_children"])


def _read_passwords(path: Path) -> dict[str, str]:
    passwords: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[-2] in {u.username for u in data.USERS}:
                passwords[parts[-2]] = parts[-1]
    return passwords


def _users_table(passwords: dict[str, str]) -> str:
    lines = ["Exempelanvändare (lösenorden slumpades när exemplet lästes in):", ""]
    lines.append(f"  {'Roll':<34} {'Användarnamn':<13} Lösenord")
    for spec in data.USERS:
        role = spec.role.label + (f" ({', '.join(spec.units)})" if spec.units else "")
        lines.append(f"  {role:<34} {spec.username:<13} {passwords.get(spec.username, '?')}")
    return "\n".join(lines)


def _write_users_file(path: Path, passwords: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_users_table(passwords) + "\n", encoding="utf-8")
    path.chmod(0o600)
