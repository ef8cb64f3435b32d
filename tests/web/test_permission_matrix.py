"""The permission matrix: every view and action of the web app × every role, checked on the server.

Each row names a URL (by its name), the method, how to build its arguments and POST data from the world below,
and which roles may do it. Every role (and an anonymous visitor) then makes the request:

- allowed: 200/204, or a redirect that is not to the login page; a write (``writes=True``) changed the database;
- refused: 403 or 404 for a logged-in user, a redirect to the login page for an anonymous one; and the database
  is exactly as before (a crafted POST to another unit's section writes nothing).

Each role's request runs in a savepoint that is rolled back, so every role meets the same world. The last test
walks the URL configuration: a new view without a row here fails it.

The cast (tests/web/conftest.py): alva administratör, sam samordnare, siri skribent for BOU (the section's own
unit), sven skribent for SVF (another unit), greta granskare, lars läsare, olle samordnare in another
organisation; and two people with two roles each (issue 13): kim skribent for BOU and granskare for SVF (writes the
section, may not review it), vera granskare for BOU and skribent for SVF (reviews the section, may not write it).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from barnbokslut.web.accounts.models import Membership, Role
from barnbokslut.web.bka.models import Decision
from barnbokslut.web.editions import workflow
from barnbokslut.web.editions.models import (
    DevelopmentArea,
    Edition,
    EditionIndicator,
    FollowUp,
    KoladaRefresh,
    Section,
    SectionKind,
)
from barnbokslut.web.localdata.models import LocalTable
from barnbokslut.web.organisations.models import Unit
from barnbokslut.web.publishing.models import Publication
from example_kolada import example_server

WRITES_OWN = "writes_own_reviews_other"
REVIEWS_OWN = "reviews_own_writes_other"
ROLES = (
    "admin", "coordinator", "writer_own", "writer_other", "reviewer", "reader", WRITES_OWN, REVIEWS_OWN,
    "outsider", "anonymous",
)  # fmt: skip
MEMBERS = frozenset(
    {"admin", "coordinator", "writer_own", "writer_other", "reviewer", "reader", WRITES_OWN, REVIEWS_OWN}
)
LOGGED_IN = MEMBERS | {"outsider"}
MANAGERS = frozenset({"admin", "coordinator"})
ADMINS = frozenset({"admin"})
BOU_WRITERS = frozenset({"admin", "coordinator", "writer_own", WRITES_OWN})
REVIEWERS = frozenset({"admin", "coordinator", "reviewer", REVIEWS_OWN})
BOARD = MEMBERS - {"reader"}
#: Who may add to the register of barnkonsekvensanalyser: the managers and every skribent with a unit.
BKA_WRITERS = MANAGERS | {"writer_own", "writer_other", WRITES_OWN, REVIEWS_OWN}

#: URLs outside the matrix, each checked by its own test below: public, or not a permission question.
EXEMPT = {
    "login",
    "logout",
    "oidc_login",
    "oidc_callback",
    "core:health",
    "publishing:public_html",
    "publishing:public_pdf",
    "publishing:public_docx",
    "publishing:public_child_html",
    "publishing:public_child_pdf",
    "publishing:public_about",
    "publishing:archive",
}

CSV = b"Skola;2024;2025\nBergvik skola;81,2;83,5\nCentralskolan;76,4;74,9\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4e20000000049454e44ae426082"
)


@dataclass
class World:
    cast: Any
    edition: Edition
    draft: Section  # BOU Förutsättningar, Utkast, version 1 (siri's unit)
    ready: Section  # BOU Styrkor, Klar för granskning
    follow_up: FollowUp
    development: DevelopmentArea
    refresh: KoladaRefresh
    table: LocalTable
    unit: Unit  # a unit with no texts, free to edit or delete
    publication: Publication
    kim: Any  # skribent for BOU, granskare for SVF
    vera: Any  # granskare for BOU, skribent for SVF
    decision: Any = None  # a BOU decision in the register of barnkonsekvensanalyser

    @property
    def org(self) -> int:
        return self.cast.organisation.pk

    def user(self, role: str) -> Any:
        return {
            "admin": self.cast.alva,
            "coordinator": self.cast.sam,
            "writer_own": self.cast.siri,
            "writer_other": self.cast.sven,
            "reviewer": self.cast.greta,
            "reader": self.cast.lars,
            WRITES_OWN: self.kim,
            REVIEWS_OWN: self.vera,
            "outsider": self.cast.olle,
        }[role]


@pytest.fixture(scope="module")
def kolada_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The example snapshot fetched once into a cache file, so the indicator pages and charts have data."""
    from barnbokslut.indicators.dataset import fetch_dataset
    from barnbokslut.kolada import KoladaClient
    from barnbokslut.web.editions.analysis import full_catalogue

    cache = tmp_path_factory.mktemp("kolada") / "kolada-cache.sqlite3"
    with example_server(port=0) as server:
        with KoladaClient(base_url=server.url, cache=cache, max_requests_per_second=1000.0) as client:
            fetch_dataset(client, full_catalogue(), 2025, municipality="2182")
        yield server.url, cache


@pytest.fixture
def world(
    cast: Any, edition: Edition, kolada_cache: tuple[str, Path], settings: Any, tmp_path: Path
) -> World:
    settings.KOLADA_URL, settings.KOLADA_CACHE = kolada_cache
    settings.MEDIA_ROOT = tmp_path / "media"
    from barnbokslut.web.editions import analysis

    analysis.clear_memory()
    organisation = cast.organisation
    organisation.logo.save("logo.png", ContentFile(PNG))
    bou = {s.kind: s for s in edition.sections.filter(unit=cast.bou).select_related("edition__organisation")}
    draft = workflow.save(
        bou[SectionKind.FORUTSATTNINGAR], cast.siri, body="Första texten.", base_version=0
    ).section
    ready = workflow.submit(bou[SectionKind.STYRKOR], cast.siri, body="Klar text.", base_version=0)
    for order, kpi in enumerate(("U31803", "N15428")):
        EditionIndicator.objects.create(edition=edition, kpi=kpi, order=order)
    kof = Unit.objects.create(
        organisation=organisation, name="Kultur och fritid", abbreviation="KOF", order=9
    )
    return World(
        cast=cast,
        edition=edition,
        draft=draft,
        ready=ready,
        follow_up=FollowUp.objects.create(edition=edition, area="Trygghet", action="Fler vuxna", order=0),
        development=DevelopmentArea.objects.create(
            edition=edition, area="Delaktighet", measures="Elevråd", order=0
        ),
        refresh=KoladaRefresh.objects.create(
            edition=edition, requested_by=cast.sam, state=KoladaRefresh.State.DONE, progress=100
        ),
        table=LocalTable.objects.create(
            edition=edition,
            title="Behörighet",
            source_filename="b.csv",
            sha256="0" * 64,
            columns=["Skola", "2025"],
            rows=[["Bergvik", 83.5]],
            uploaded_by=cast.sam,
        ),
        unit=kof,
        publication=Publication.objects.create(
            edition=edition, version=1, created_by=cast.sam, state=Publication.State.FAILED
        ),
        kim=_two_roles("kim", organisation, writes=cast.bou, reviews=cast.svf),
        vera=_two_roles("vera", organisation, writes=cast.svf, reviews=cast.bou),
        decision=Decision.objects.create(
            organisation=organisation,
            unit=cast.bou,
            diarienummer="BOU 2025/1",
            decided_on=datetime.date(2025, 3, 4),
            decision="Ny skolskjuts",
            analysis="snabb",
            children_heard=True,
            outcome="för",
        ),
    )


def _two_roles(username: str, organisation: Any, *, writes: Unit, reviews: Unit) -> Any:
    user = get_user_model().objects.create_user(username=username, password="losenord-123")
    Membership.objects.create(user=user, organisation=organisation, role=Role.WRITER).units.set([writes])
    Membership.objects.create(user=user, organisation=organisation, role=Role.REVIEWER).units.set([reviews])
    return user


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    allowed: frozenset[str]
    kwargs: Callable[[World], dict[str, Any]]
    data: Callable[[World, Client], dict[str, Any]] | None = None
    writes: bool = False
    htmx: bool = False
    note: str = field(default="")

    @property
    def id(self) -> str:
        return f"{self.name}:{self.method}" + (f":{self.note}" if self.note else "")


def edition_kw(w: World) -> dict[str, Any]:
    return {"pk": w.edition.pk}


def edition_pk_kw(w: World) -> dict[str, Any]:
    return {"edition_pk": w.edition.pk}


def org_kw(w: World) -> dict[str, Any]:
    return {"pk": w.org}


def member_kw(w: World) -> dict[str, Any]:
    return {"pk": w.org, "user_pk": w.cast.lars.pk}


def draft_kw(w: World) -> dict[str, Any]:
    return {"pk": w.draft.pk}


def ready_kw(w: World) -> dict[str, Any]:
    return {"pk": w.ready.pk}


def body(text: str) -> Callable[[World, Client], dict[str, Any]]:
    return lambda w, c: {"body": text, "version": w.draft.version}


def fixed(**values: Any) -> Callable[[World, Client], dict[str, Any]]:
    return lambda w, c: dict(values)


def table_rows(table: str, row: Callable[[World], Any], form: dict[str, Any]) -> list[Row]:
    """The page, a row, add, edit, delete and move of one table (forms prefixed "ny" and "rad-<pk>")."""

    def row_kw(w: World) -> dict[str, Any]:
        return {"pk": w.edition.pk, "row_pk": row(w).pk}

    def new_row(w: World, c: Client) -> dict[str, Any]:
        return {f"ny-{key}": value for key, value in form.items()}

    def changed_row(w: World, c: Client) -> dict[str, Any]:
        return {f"rad-{row(w).pk}-{key}": value for key, value in {**form, "area": "Ändrad"}.items()}

    return [
        Row(f"editions:{table}", "get", MEMBERS, edition_kw),
        Row(f"editions:{table}_row", "get", MEMBERS, row_kw),
        Row(f"editions:{table}_add", "post", MANAGERS, edition_kw, new_row, writes=True),
        Row(f"editions:{table}_edit", "get", MANAGERS, row_kw),
        Row(f"editions:{table}_edit", "post", MANAGERS, row_kw, changed_row, writes=True),
        Row(f"editions:{table}_delete", "get", MANAGERS, row_kw),
        Row(f"editions:{table}_delete", "post", MANAGERS, row_kw, fixed(), writes=True),
        Row(
            f"editions:{table}_move", "post", MANAGERS, row_kw, fixed(riktning="down"), note="last row stays"
        ),
    ]


def follow_up_kw(w: World) -> dict[str, Any]:
    return {"pk": w.edition.pk, "row_pk": w.follow_up.pk}


def preview_then_import(w: World, client: Client) -> dict[str, Any]:
    details = {"title": "Ny tabell", "unit": "%", "chart": "stapel", "description": ""}
    upload = ContentFile(CSV, name="skolor.csv")
    client.post(reverse("localdata:preview", kwargs=edition_pk_kw(w)), {**details, "file": upload})
    return {**details, "sha256": hashlib.sha256(CSV).hexdigest()}


#: Last year's barnbokslut as plain text: its year (so the import makes 2026, beside the world's 2025) and a part.
LAST_YEAR = "Barnbokslut 2025\n\nInledning\n\nBarnets rättigheter gäller alla barn.\n".encode()


def import_review_kw(owner: str) -> Callable[[World], dict[str, Any]]:
    """A review waiting for the organisation, uploaded by ``owner`` (made in the row's savepoint): only that
    user may open, change, confirm or discard it, not the organisation's other manager."""

    def kwargs(w: World) -> dict[str, Any]:
        from barnbokslut.web.publishing.import_reading import start_review

        upload = ContentFile(LAST_YEAR, name="forra-aret.txt")
        review = start_review(w.cast.organisation, w.user(owner), upload)  # type: ignore[arg-type]
        return {"org_pk": w.org, "pk": review.pk}

    return kwargs


def import_review_rows() -> list[Row]:
    """The review's pages, once with the samordnare's review and once with the administratör's."""
    rows: list[Row] = []
    for owner in ("coordinator", "admin"):
        kw, only = import_review_kw(owner), frozenset({owner})
        rows += [
            Row("publishing:import_review", "get", only, kw, note=f"{owner}'s"),
            Row(
                "publishing:import_review",
                "post",
                only,
                kw,
                fixed(
                    year="2026", **{"del-0-rubrik": "Inledning", "del-0-text": "Ändrad text.", "gor": "spara"}
                ),
                writes=True,
                note=f"{owner}'s",
            ),
            Row(
                "publishing:import_review",
                "post",
                only,
                kw,
                fixed(
                    year="2026", **{"del-0-rubrik": "Inledning", "del-0-text": "Texten.", "gor": "importera"}
                ),
                writes=True,
                note=f"import {owner}'s",
            ),
            Row("publishing:import_cancel", "post", only, kw, fixed(), writes=True, note=f"{owner}'s"),
        ]
    return rows


BKA_CSV = (
    "diarienummer;enhet;datum;beslut;analys;barn_hörda;utfall\n"
    "BOU 2024/9;BOU;2024-05-02;Nya öppettider;ingen;nej;neutral\n"
).encode()


def bka_kw(w: World) -> dict[str, Any]:
    return {"pk": w.org, "decision_pk": w.decision.pk}


def bka_form(unit: Callable[[World], Unit], diarienummer: str) -> Callable[[World, Client], dict[str, Any]]:
    return lambda w, c: {
        "diarienummer": diarienummer, "unit": unit(w).pk, "decided_on": "2025-04-01", "decision": "Beslut",
        "analysis": "fullständig", "children_heard": "ja", "outcome": "mot", "compensating": "Stöd",
    }  # fmt: skip


def bka_preview_then_import(w: World, client: Client) -> dict[str, Any]:
    client.post(reverse("bka:import", kwargs=org_kw(w)), {"file": ContentFile(BKA_CSV, name="diariet.csv")})
    return {"sha256": hashlib.sha256(BKA_CSV).hexdigest()}


MATRIX: list[Row] = [
    Row("core:home", "get", LOGGED_IN, lambda w: {}),
    Row("accounts:account", "get", LOGGED_IN, lambda w: {}),
    Row(
        "accounts:password_change",
        "post",
        LOGGED_IN,
        lambda w: {},
        fixed(
            old_password="losenord-123",
            new_password1="ett-nytt-losenord-9",
            new_password2="ett-nytt-losenord-9",
        ),
        writes=True,
    ),
    # Each user turns their own e-mail notifications off (the box not ticked) or on.
    Row("accounts:notifications", "post", LOGGED_IN, lambda w: {}, fixed(), writes=True),
    # Users and roles: the administratör only.
    Row("accounts:members", "get", ADMINS, org_kw),
    Row("accounts:member_create", "get", ADMINS, org_kw),
    Row(
        "accounts:member_create",
        "post",
        ADMINS,
        org_kw,
        fixed(username="nyanvandare", role="lasare"),
        writes=True,
    ),
    Row("accounts:member_detail", "get", ADMINS, member_kw),
    Row("accounts:member_roles", "post", ADMINS, member_kw, fixed(roles=["granskare"]), writes=True),
    Row(
        "accounts:member_roles",
        "post",
        ADMINS,
        lambda w: {"pk": w.org, "user_pk": w.cast.siri.pk},
        lambda w, c: {
            "roles": ["skribent", "granskare"],
            "writer_units": [w.cast.bou.pk, w.unit.pk],
            "reviewer_units": [w.cast.svf.pk],
        },
        writes=True,
        note="several roles",
    ),
    Row(
        "accounts:member_details",
        "post",
        ADMINS,
        member_kw,
        fixed(first_name="Lars", last_name="Läsare", email="lars.lasare@soderhamn.example"),
        writes=True,
    ),
    Row(
        "accounts:member_password",
        "post",
        ADMINS,
        member_kw,
        fixed(password="ett-nytt-losenord-9"),
        writes=True,
    ),
    Row("accounts:member_deactivate", "post", ADMINS, member_kw, fixed(), writes=True),
    Row("accounts:member_activate", "post", ADMINS, member_kw, fixed(), note="already active"),
    Row("accounts:audit_log", "get", MANAGERS, org_kw),
    Row("accounts:audit_log_csv", "get", ADMINS, org_kw),
    # A new organisation (an administratör of any organisation, or a superuser), the organisation and its units.
    Row("organisations:create", "get", ADMINS, lambda w: {}),
    Row(
        "organisations:create",
        "post",
        ADMINS,
        lambda w: {},
        fixed(name="Ljusdals kommun", kind="kommun", kommun="2161"),
        writes=True,
    ),
    Row("organisations:detail", "get", MANAGERS, org_kw),
    Row("organisations:update", "get", ADMINS, org_kw),
    Row("organisations:update", "post", ADMINS, org_kw, fixed(name="Söderhamn", kommun="2182"), writes=True),
    Row("organisations:logo", "get", MEMBERS, org_kw),
    Row("organisations:unit_create", "get", ADMINS, org_kw),
    Row(
        "organisations:unit_create",
        "post",
        ADMINS,
        org_kw,
        fixed(name="Fritid", abbreviation="FRI", parent="", order="5"),
        writes=True,
    ),
    Row("organisations:unit_edit", "get", ADMINS, lambda w: {"pk": w.org, "unit_pk": w.unit.pk}),
    Row(
        "organisations:unit_edit",
        "post",
        ADMINS,
        lambda w: {"pk": w.org, "unit_pk": w.unit.pk},
        fixed(name="Kultur", abbreviation="KOF", parent="", order="9"),
        writes=True,
    ),
    Row("organisations:unit_delete", "get", ADMINS, lambda w: {"pk": w.org, "unit_pk": w.unit.pk}),
    Row(
        "organisations:unit_delete",
        "post",
        ADMINS,
        lambda w: {"pk": w.org, "unit_pk": w.unit.pk},
        fixed(),
        writes=True,
    ),
    # Editions.
    Row("editions:detail", "get", MEMBERS, edition_kw),
    Row("editions:new", "get", MANAGERS, lambda w: {"org_pk": w.org}),
    Row("editions:new", "post", MANAGERS, lambda w: {"org_pk": w.org}, fixed(year="2026"), writes=True),
    Row("editions:standard_texts", "get", MANAGERS, edition_kw),
    Row(
        "editions:standard_texts",
        "post",
        MANAGERS,
        edition_kw,
        fixed(
            syfte="Eget syfte.", begrepp="## Nytt begrepp\n\nText.", grundprinciper="## Artikel 2\n\nText."
        ),
        writes=True,
    ),
    Row("editions:child_version", "get", MEMBERS, edition_kw),
    Row(
        "editions:child_version",
        "post",
        MANAGERS,
        edition_kw,
        fixed(version="0", lix_target="30", gjort="Vi har byggt en lekplats."),
        writes=True,
    ),
    Row("editions:child_version_lix", "post", MANAGERS, edition_kw, fixed(gjort="Vi har byggt en lekplats.")),
    Row("editions:child_version_preview", "get", MEMBERS, edition_kw),
    Row("editions:structure", "get", MANAGERS, edition_kw),
    Row(
        "editions:structure",
        "post",
        MANAGERS,
        edition_kw,
        fixed(gor="bekrafta-mall", mall="namnd"),
        writes=True,
    ),
    *table_rows("follow_up", lambda w: w.follow_up, {"area": "Ny rad", "action": "Gör något", "status": ""}),
    Row("editions:follow_up_actions", "get", MANAGERS, follow_up_kw),
    Row(
        "editions:follow_up_actions",
        "post",
        MANAGERS,
        follow_up_kw,
        lambda w, c: {
            f"atgarder-{w.follow_up.pk}-{key}": value
            for key, value in {
                "antal": "1",
                "status": "",
                "1-text": "Fler vuxna",
                "1-status": "genomford",
            }.items()
        },
        writes=True,
    ),
    *table_rows("development", lambda w: w.development, {"area": "Nytt område", "measures": "Åtgärd"}),
    Row("editions:indicators", "get", MEMBERS, edition_kw),
    Row("editions:indicator_chart", "get", MEMBERS, lambda w: {"pk": w.edition.pk, "kpi": "U31803"}),
    Row("editions:indicator_selection", "get", MANAGERS, edition_kw),
    Row("editions:indicator_selection", "post", MANAGERS, edition_kw, fixed(kpis=["N15428"]), writes=True),
    Row("editions:indicator_comment", "get", MANAGERS, lambda w: {"pk": w.edition.pk, "kpi": "U31803"}),
    Row(
        "editions:indicator_comment",
        "post",
        MANAGERS,
        lambda w: {"pk": w.edition.pk, "kpi": "U31803"},
        fixed(**{"k-U31803-comment": "Bra."}),
        writes=True,
    ),
    Row("editions:kolada_refresh", "post", MANAGERS, edition_kw, fixed(), writes=True),
    Row(
        "editions:kolada_refresh_status",
        "get",
        MEMBERS,
        lambda w: {"pk": w.edition.pk, "refresh_pk": w.refresh.pk},
    ),
    # Sections: the board, writing (own unit only), review, history.
    Row("editions:board", "get", BOARD, edition_pk_kw),
    Row("editions:section_edit", "get", MEMBERS, draft_kw),
    Row(
        "editions:section_save", "post", BOU_WRITERS, draft_kw, body("Ny text."), writes=True, note="crafted"
    ),
    Row("editions:section_submit", "post", BOU_WRITERS, draft_kw, body("Klar."), writes=True, note="crafted"),
    Row("editions:section_preview", "post", BOU_WRITERS, draft_kw, body("*Förhandsvisning*"), htmx=True),
    Row("editions:section_draft", "post", BOU_WRITERS, draft_kw, body("Halvfärdig."), writes=True, htmx=True),
    Row("editions:section_draft_discard", "post", MEMBERS, draft_kw, fixed(), note="own draft only"),
    Row(
        "editions:section_approve",
        "post",
        REVIEWERS,
        ready_kw,
        lambda w, c: {"version": w.ready.version},
        writes=True,
    ),
    Row(
        "editions:section_return",
        "post",
        REVIEWERS,
        ready_kw,
        lambda w, c: {"version": w.ready.version, "comment": "Lägg till en siffra."},
        writes=True,
    ),
    Row("editions:section_history", "get", MEMBERS, draft_kw),
    Row("editions:section_version", "get", MEMBERS, lambda w: {"pk": w.draft.pk, "number": 1}),
    Row(
        "editions:section_assign",
        "post",
        MANAGERS,
        draft_kw,
        lambda w, c: {
            "writer": w.cast.siri.pk,
            "deadline": (datetime.date.today() + datetime.timedelta(days=9)).isoformat(),
        },
        writes=True,
    ),
    Row(
        "editions:board_assign",
        "post",
        MANAGERS,
        edition_pk_kw,
        lambda w, c: {"avsnitt": [w.draft.pk], "skribent": w.cast.siri.pk},
        writes=True,
    ),
    # Local data.
    Row("localdata:list", "get", MEMBERS, edition_pk_kw),
    Row(
        "localdata:preview",
        "post",
        MANAGERS,
        edition_pk_kw,
        lambda w, c: {
            "title": "T",
            "unit": "%",
            "chart": "stapel",
            "description": "",
            "file": ContentFile(CSV, name="t.csv"),
        },
    ),
    Row("localdata:import", "post", MANAGERS, edition_pk_kw, preview_then_import, writes=True),
    Row("localdata:detail", "get", MEMBERS, lambda w: {"edition_pk": w.edition.pk, "table_pk": w.table.pk}),
    Row(
        "localdata:delete",
        "post",
        MANAGERS,
        lambda w: {"edition_pk": w.edition.pk, "table_pk": w.table.pk},
        fixed(),
        writes=True,
    ),
    # The register of barnkonsekvensanalyser (issue 15): skribenter for their own units, the import for managers.
    Row("bka:list", "get", MEMBERS, org_kw),
    Row("bka:detail", "get", MEMBERS, bka_kw),
    Row("bka:add", "get", BKA_WRITERS, org_kw),
    Row("bka:add", "post", BOU_WRITERS, org_kw, bka_form(lambda w: w.cast.bou, "BOU 2025/2"), writes=True),
    Row("bka:edit", "get", BOU_WRITERS, bka_kw),
    Row("bka:edit", "post", BOU_WRITERS, bka_kw, bka_form(lambda w: w.cast.bou, "BOU 2025/1"), writes=True),
    Row(
        "bka:edit",
        "post",
        MANAGERS,
        bka_kw,
        bka_form(lambda w: w.cast.svf, "BOU 2025/1"),
        writes=True,
        note="moved to SVF",
    ),
    Row("bka:delete", "get", BOU_WRITERS, bka_kw),
    Row("bka:delete", "post", BOU_WRITERS, bka_kw, fixed(), writes=True),
    Row("bka:import", "get", MANAGERS, org_kw),
    Row(
        "bka:import",
        "post",
        MANAGERS,
        org_kw,
        lambda w, c: {"file": ContentFile(BKA_CSV, name="diariet.csv")},
    ),
    Row("bka:import_confirm", "post", MANAGERS, org_kw, bka_preview_then_import, writes=True),
    # Preview and publishing.
    Row("publishing:preview", "get", MEMBERS, edition_pk_kw),
    Row("publishing:preview_document", "get", MEMBERS, edition_pk_kw),
    Row("publishing:publish", "get", MANAGERS, edition_pk_kw),
    Row("publishing:publish", "post", MANAGERS, edition_pk_kw, fixed(note="Version 2"), writes=True),
    Row("publishing:status", "get", MANAGERS, edition_pk_kw),
    # Importing last year's barnbokslut into a new edition (issue 14): samordnare and administratör.
    Row("publishing:import_start", "get", MANAGERS, lambda w: {"org_pk": w.org}),
    Row(
        "publishing:import_start",
        "post",
        MANAGERS,
        lambda w: {"org_pk": w.org},
        lambda w, c: {"fil": ContentFile(LAST_YEAR, name="forra-aret.txt")},
        writes=True,
    ),
    # The review itself: only the user who uploaded the file (another manager of the organisation gets 403).
    *import_review_rows(),
]

#: Children's voices (issue 15): quotes and proposals, written by every skribent, samordnare and administratör.
VOICE_WRITERS = MANAGERS | {"writer_own", "writer_other", WRITES_OWN, REVIEWS_OWN}


def _voice_kw(kind: str) -> Callable[[World], dict[str, Any]]:
    """A quote or proposal made for the request (inside its savepoint, so every role meets a fresh one)."""
    from barnbokslut.web.voices.models import ChildProposal, ChildQuote

    def kwargs(w: World) -> dict[str, Any]:
        if kind == "citat":
            item: Any = ChildQuote.objects.create(edition=w.edition, text="Fler bänkar.", consent=True)
        else:
            item = ChildProposal.objects.create(
                edition=w.edition, text="Ljus vid hållplatsen.", status="pågår"
            )
        return {"pk": w.edition.pk, "kind": kind, "item_pk": item.pk}

    return kwargs


def _survey_kw(w: World) -> dict[str, Any]:
    from barnbokslut.web.voices.models import SurveyFile

    survey = SurveyFile.objects.create(edition=w.edition, name="LUPP", filename="lupp.csv", sha256="0" * 64)
    return {"pk": w.edition.pk, "survey_pk": survey.pk}


SURVEY_CSV = "fråga;år;indelning;antal_svar;andel\nTrygg;2025;totalt;40;75\n".encode()


def SURVEY_UPLOAD(w: World, c: Client) -> dict[str, Any]:
    return {"name": "LUPP", "file": ContentFile(SURVEY_CSV, name="lupp.csv")}


QUOTE_FORM = fixed(text="Det är bra med läxhjälp.", age="12", context="Biblioteket", consent="on")
PROPOSAL_FORM = fixed(text="Längre öppettider", status="inte genomfört", feedback="Inga pengar i år.")
MATRIX += [
    Row("voices:page", "get", MEMBERS, edition_kw),
    Row("voices:add", "get", VOICE_WRITERS, lambda w: {"pk": w.edition.pk, "kind": "citat"}),
    Row("voices:add", "post", VOICE_WRITERS, lambda w: {"pk": w.edition.pk, "kind": "citat"}, QUOTE_FORM,
        writes=True),
    Row("voices:add", "post", VOICE_WRITERS, lambda w: {"pk": w.edition.pk, "kind": "forslag"}, PROPOSAL_FORM,
        writes=True, note="förslag"),
    Row("voices:edit", "get", VOICE_WRITERS, _voice_kw("citat")),
    Row("voices:edit", "post", VOICE_WRITERS, _voice_kw("citat"), QUOTE_FORM, writes=True),
    Row("voices:edit", "post", VOICE_WRITERS, _voice_kw("forslag"), PROPOSAL_FORM, writes=True, note="förslag"),
    Row("voices:delete", "get", VOICE_WRITERS, _voice_kw("forslag")),
    Row("voices:delete", "post", VOICE_WRITERS, _voice_kw("citat"), fixed(), writes=True),
    Row("voices:survey_upload", "post", MANAGERS, edition_kw, SURVEY_UPLOAD, writes=True),
    Row("voices:survey_delete", "post", MANAGERS, _survey_kw, fixed(), writes=True),
]  # fmt: skip


def fingerprint() -> list[Any]:
    """Everything a request could change, except the audit log (a refusal may be logged) and sessions."""
    skip = {"accounts.auditevent"}
    state: list[Any] = []
    for label in (
        "auth",
        "organisations",
        "accounts",
        "editions",
        "localdata",
        "bka",
        "publishing",
        "notifications",
        "django_tasks_database",
        "voices",
    ):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower in skip:
                continue
            fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
            state.append((model._meta.label_lower, list(model.objects.order_by("pk").values_list(*fields))))
    return state


def outcome(response: Any) -> str:
    """ "allowed", "login" (sent to the login page) or "refused" (403/404)."""
    if response.status_code in (403, 404):
        return "refused"
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    if response.status_code in (200, 204, 302):
        return "allowed"
    return f"status {response.status_code}"


def attempt(world: World, row: Row, role: str) -> str:
    """Make the row's request as ``role`` in a savepoint that is rolled back; return what went wrong, or ""."""
    with transaction.atomic():
        client = Client()
        if role != "anonymous":
            client.force_login(world.user(role))
        world.draft.refresh_from_db()
        world.ready.refresh_from_db()
        url = reverse(row.name, kwargs=row.kwargs(world))
        data = row.data(world, client) if row.data else {}
        before = fingerprint()
        headers = {"HTTP_HX_REQUEST": "true"} if row.htmx else {}
        response = client.post(url, data, **headers) if row.method == "post" else client.get(url, **headers)
        if response.streaming:  # a file: reading it to the end closes it, as a WSGI server would
            b"".join(response.streaming_content)
        after = fingerprint()
        transaction.set_rollback(True)
    got = outcome(response)
    expected = "allowed" if role in row.allowed else "login" if role == "anonymous" else "refused"
    if got != expected:
        return f"{role}: expected {expected}, got {got} ({response.status_code})"
    if row.method == "post" and expected != "allowed" and after != before:
        return f"{role}: refused, but the database changed"
    if row.writes and expected == "allowed" and after == before:
        return f"{role}: allowed, but nothing was saved"
    return ""


@pytest.mark.parametrize("row", MATRIX, ids=[row.id for row in MATRIX])
def test_every_role_gets_exactly_the_access_the_matrix_gives(world: World, row: Row) -> None:
    problems = [problem for role in ROLES if (problem := attempt(world, row, role))]
    assert not problems, f"{row.id}:\n  " + "\n  ".join(problems)


#: Posts to an edition that change nothing in it: the preview of a text, publishing (a new version of what the
#: edition holds; a closed edition can be published again), and a new edition (of the organisation), also by
#: importing last year's barnbokslut.
NOT_EDITION_WRITES = {
    "editions:section_preview", "editions:child_version_lix", "editions:new", "publishing:publish",
    "publishing:import_start", "publishing:import_review", "publishing:import_cancel",
}  # fmt: skip
CLOSED_WRITES = [
    replace(row, allowed=frozenset(), writes=False)
    for row in MATRIX
    if row.method == "post"
    and row.name.split(":")[0] in ("editions", "localdata", "publishing", "voices")
    and row.name not in NOT_EDITION_WRITES
]


@pytest.mark.parametrize("row", CLOSED_WRITES, ids=[row.id for row in CLOSED_WRITES])
def test_a_closed_edition_is_read_only_for_every_role(world: World, row: Row) -> None:
    """Issue 12, row 6: on a closed edition the indicator comments, the indicator selection (19 → 1), local-data
    import and delete and the Kolada refresh all took effect. Now every write to it is refused, by one check
    (``permissions.require_open``), with the database unchanged."""
    Edition.objects.filter(pk=world.edition.pk).update(state=Edition.State.CLOSED)
    world.edition.refresh_from_db()
    problems = [problem for role in ROLES if (problem := attempt(world, row, role))]
    assert not problems, f"{row.id} (closed edition):\n  " + "\n  ".join(problems)


def test_the_closed_edition_rows_cover_every_write_to_an_edition() -> None:
    names = {row.name for row in CLOSED_WRITES}
    expected = {
        "editions:standard_texts", "editions:child_version", "editions:structure", "editions:follow_up_add",
        "editions:follow_up_edit", "editions:follow_up_delete", "editions:follow_up_move", "editions:follow_up_actions",
        "editions:development_add", "editions:development_edit", "editions:development_delete",
        "editions:development_move", "editions:indicator_selection", "editions:indicator_comment",
        "editions:kolada_refresh", "editions:section_save", "editions:section_submit", "editions:section_draft",
        "editions:section_draft_discard", "editions:section_approve", "editions:section_return",
        "editions:section_assign", "editions:board_assign", "localdata:preview", "localdata:import", "localdata:delete",
        "voices:add", "voices:edit", "voices:delete", "voices:survey_upload", "voices:survey_delete",
    }  # fmt: skip
    assert names == expected


def test_a_writer_cannot_save_another_units_section_by_a_crafted_post(world: World) -> None:
    sven = Client()
    sven.force_login(world.cast.sven)
    before = (world.draft.body, world.draft.version, world.draft.status)
    for name in ("editions:section_save", "editions:section_submit", "editions:section_draft"):
        response = sven.post(
            reverse(name, args=[world.draft.pk]), {"body": "Kapat!", "version": world.draft.version}
        )
        assert response.status_code == 403, name
    world.draft.refresh_from_db()
    assert (world.draft.body, world.draft.version, world.draft.status) == before
    assert not world.draft.drafts.exists()
    assert not world.draft.versions.filter(body__contains="Kapat").exists()


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        else:
            yield f"{namespace}{entry.name}", entry


def test_every_url_of_the_project_has_a_row_in_the_matrix() -> None:
    covered = {row.name for row in MATRIX}
    missing = sorted(name for name, _ in _patterns(get_resolver()) if name not in covered | EXEMPT)
    assert not missing, f"URLs without a row in the permission matrix: {missing}"
    unknown = sorted(covered - {name for name, _ in _patterns(get_resolver())})
    assert not unknown, f"Matrix rows for URLs that do not exist: {unknown}"


def test_the_exempt_urls_are_public_on_purpose(world: World) -> None:
    anonymous = Client()
    assert anonymous.get(reverse("core:health")).json() == {"status": "ok"}
    assert anonymous.get(reverse("login")).status_code == 200
    # Sign-in with the municipality's account is for anyone, and not there until it is configured
    # (tests/web/oidc tests it configured).
    assert anonymous.get(reverse("oidc_login")).status_code == 404
    assert anonymous.get(reverse("oidc_callback")).status_code == 404
    assert (
        anonymous.get(reverse("publishing:archive", args=[world.cast.organisation.slug])).status_code == 200
    )
    # Only a published version is public: version 1 failed, so its files are not found.
    for name in (
        "publishing:public_html",
        "publishing:public_pdf",
        "publishing:public_docx",
        "publishing:public_child_html",
        "publishing:public_child_pdf",
        "publishing:public_about",
    ):
        assert anonymous.get(reverse(name, args=[world.publication.public_id])).status_code == 404, name
