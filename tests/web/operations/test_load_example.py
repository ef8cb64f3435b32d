"""``load_example``: the example organisation with one user per role, a published 2024 and an open 2025."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from barnbokslut.web.accounts.models import Membership, Role
from barnbokslut.web.bka.models import Decision
from barnbokslut.web.editions.models import Edition, FollowUp, SectionStatus
from barnbokslut.web.editions.workflow import is_late
from barnbokslut.web.organisations.models import Organisation
from barnbokslut.web.publishing import report_from_db
from barnbokslut.web.publishing.models import Publication


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KOLADA_CACHE = tmp_path / "kolada-cache.sqlite3"
    # The one seam patched: no indicator analysis in the published report, so it builds in seconds.
    monkeypatch.setattr(report_from_db, "load_analysis", lambda edition, notes: None)
    return tmp_path


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_example", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_loads_an_organisation_with_a_published_last_year_and_an_open_this_year(data_dir: Path) -> None:
    output = load()

    soderhamn = Organisation.objects.get(slug="soderhamn")
    assert soderhamn.kommun == "2182"
    socialforvaltningen = soderhamn.units.get(abbreviation="SOC")
    assert {u.abbreviation for u in socialforvaltningen.children.all()} == {
        "SVF",
        "FIP",
        "FOR",
        "BOU",
        "V",
        "F",
    }
    assert {m.role for m in Membership.objects.filter(organisation=soderhamn)} == set(Role)

    last, this = Edition.objects.get(year=2024), Edition.objects.get(year=2025)
    assert last.state == Edition.State.CLOSED
    assert set(last.sections.values_list("status", flat=True)) == {SectionStatus.APPROVED}
    assert not last.sections.filter(body="").exists()
    publication = Publication.objects.get(edition=last)
    assert publication.state == Publication.State.PUBLISHED and len(publication.sha256) == 64
    assert (data_dir / "media" / publication.pdf_path).is_file()

    assert this.state == Edition.State.OPEN and this.previous_id == last.pk
    assert list(FollowUp.objects.filter(edition=this).values_list("area", flat=True)) == list(
        last.development_areas.values_list("area", flat=True)
    )
    statuses = set(this.sections.values_list("status", flat=True))
    assert {
        SectionStatus.DRAFT,
        SectionStatus.READY,
        SectionStatus.RETURNED,
        SectionStatus.APPROVED,
    } <= statuses
    returned = this.sections.get(status=SectionStatus.RETURNED)
    assert returned.reviewer_comment
    assert sum(is_late(section) for section in this.sections.all()) == 1

    # The example folder's register of barnkonsekvensanalyser, KFI as the example's KOF, marked as example data:
    # 15 decisions in 2024 (BOL 6, KOF 4, SVF 5) and 16 in 2025 (BOL 6, KOF 5, SVF 5).
    register = Decision.objects.filter(organisation=soderhamn)
    assert register.count() == 31 and not register.filter(is_example=False).exists()
    assert register.filter(decided_on__year=2024).count() == 15
    assert dict(register.filter(decided_on__year=2025).values_list("unit__abbreviation").annotate(n=Count("id"))) == {
        "BOL": 6, "KOF": 5, "SVF": 5,
    }  # fmt: skip
    last_report = report_from_db.edition_report(last).report
    this_report = report_from_db.edition_report(this).report
    assert last_report.bka is not None and last_report.bka.years == (2024,)  # up to the edition's year
    assert this_report.bka is not None and this_report.bka.years == (2024, 2025)
    assert this_report.bka.source.endswith("(Exempeldata)")

    # Every password printed works, and the same lines are in the users file.
    users_file = (data_dir / "exempel-anvandare.txt").read_text(encoding="utf-8")
    for username in ("admin", "samordnare", "skribent", "skribent2", "granskare", "lasare"):
        line = next(line for line in output.splitlines() if f" {username} " in line)
        assert line in users_file
        assert authenticate(username=username, password=line.split()[-1]) is not None


@pytest.mark.django_db
def test_it_is_idempotent_and_prints_the_same_users_again() -> None:
    first = load("--no-publish")
    second = load()
    assert "Exemplet finns redan" in second
    assert first.split("Exempelanvändare")[1] == second.split("Exempelanvändare")[1]
    assert Organisation.objects.count() == 1 and Edition.objects.count() == 2


@pytest.mark.django_db
def test_it_refuses_a_database_with_other_data_unless_forced() -> None:
    get_user_model().objects.create_user(username="kalle", password="losenord-123")
    with pytest.raises(CommandError, match="andra data"):
        load("--no-publish")
    assert not Organisation.objects.exists()
    load("--no-publish", "--force")
    assert Organisation.objects.filter(slug="soderhamn").exists()


@pytest.mark.django_db
def test_it_loads_the_example_folders_childrens_voices_labelled_as_example_data() -> None:
    from barnbokslut.web.voices.models import ChildProposal, ChildQuote, SurveyFile

    load("--no-publish")

    this = Edition.objects.get(year=2025)
    # examples/barnbokslut-exempel/barnbokslut.toml: three [[citat]] (the third without samtycke), three
    # [[forslag]] (genomfört, pågår, inte genomfört), one [[enkat]] (LUPP, data/lupp.csv: 25 rows under the
    # header) and one [[utvecklingsomrade]] with barnens_forslag = true (Barns röster i besluten, KFI = KOF).
    quotes = ChildQuote.objects.filter(edition=this)
    assert [q.consent for q in quotes] == [True, True, False]
    assert all(q.context.endswith(" (Exempeldata)") for q in quotes)
    proposals = ChildProposal.objects.filter(edition=this)
    assert [p.status for p in proposals] == ["genomfört", "pågår", "inte genomfört"]
    assert all(p.origin.endswith(" (Exempeldata)") for p in proposals)
    survey = SurveyFile.objects.get(edition=this)
    assert (survey.name, survey.filename, len(survey.rows)) == ("LUPP (Exempeldata)", "lupp.csv", 25)
    areas = this.development_areas.order_by("order")
    assert [(a.area, a.from_children) for a in areas] == [
        ("Frånvaro i grundskolan", False),
        ("Barns röster i besluten", True),
    ]
    assert list(areas[1].units.values_list("abbreviation", flat=True)) == ["KOF"]
    assert not ChildQuote.objects.exclude(edition=this).exists()  # last year's edition has none

    voices = report_from_db.edition_report(this).report.voices
    assert voices is not None
    assert len(voices.quotes) == 2  # only the consented ones
    assert len(voices.proposals) == 3
    assert voices.child_areas == ("Barns röster i besluten (KOF)",)
    assert [s.name for s in voices.surveys] == ["LUPP (Exempeldata)"]
