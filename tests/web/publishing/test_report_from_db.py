"""The report built from the database fills the one ``ReportSource`` the folder fills: the edition's structure,
the organisation's own Nulägesanalys before the units', follow-up rows action by action, the abbreviation key,
recommendations after a "## Rekommendationer" heading, and no figures without a Kolada kommun."""

from __future__ import annotations

import pytest

from barnbokslut.report.model import Status
from barnbokslut.web.editions.models import Edition, FollowUp, Section, SectionKind
from barnbokslut.web.editions.services import ensure_sections
from barnbokslut.web.publishing import report_from_db
from barnbokslut.web.publishing.report_from_db import edition_report


def write(edition: Edition, kind: SectionKind, body: str, unit=None) -> None:  # type: ignore[no-untyped-def]
    Section.objects.filter(edition=edition, unit=unit, kind=kind).update(body=body)


@pytest.fixture
def overall(written: Edition) -> Edition:
    ensure_sections(written)
    write(written, SectionKind.FORUTSATTNINGAR, "Förvaltningen har 900 anställda.")
    write(written, SectionKind.STYRKOR, "## Artikel 3\n\nAlla utredningar har en barnkonsekvensanalys.")
    write(written, SectionKind.UTMANINGAR, "## Artikel 3\n\nFör få barnsamtal.\n\n## Övrigt\n\nLokalerna.")
    return written


def test_the_organisations_own_nulage_comes_first_then_each_unit(overall) -> None:
    report = edition_report(overall, analysis=None).report

    analysis = report.current_analysis
    assert analysis.conditions.plain.startswith("Förvaltningen har 900 anställda.")
    assert "Lokalerna." in analysis.conditions.plain  # outside an article: kept, after Förutsättningar
    (article,) = analysis.articles
    strengths = article.strengths.plain
    assert strengths.index("barnkonsekvensanalys") < strengths.index("Stadsområde, välfärd och fritid (SVF)")
    assert "För få barnsamtal." in article.challenges.plain
    nulage = report.part("nulage")
    assert [c.title for c in nulage.children] == ["Förutsättningar", "Artikel 3 – Barnets bästa"]


def test_the_nulage_grouped_per_area(overall) -> None:
    Edition.objects.filter(pk=overall.pk).update(
        structure={"mall": "kommun", "avsnitt": [{"typ": "nulage", "gruppering": "omrade"}]}
    )
    overall.refresh_from_db()

    nulage = edition_report(overall, analysis=None).report.part("nulage")

    assert [c.title for c in nulage.children] == ["Förutsättningar", "Styrkor", "Utmaningar"]


def test_follow_up_rows_action_by_action(written) -> None:
    row = FollowUp.objects.create(
        edition=written,
        area="Barns delaktighet",
        action="1. Elevråd\n2. Barnsamtal",
        actions=[
            {"text": "Elevråd", "status": "genomford", "comment": "I alla skolor."},
            {"text": "Barnsamtal", "status": "paborjad", "comment": ""},
        ],
        order=5,
    )
    row.units.set([written.organisation.units.get(abbreviation="BOU")])
    FollowUp.objects.create(
        edition=written,
        area="Ofärdig",
        action="Två saker",
        actions=[{"text": "En", "status": "genomford"}, {"text": "Två", "status": ""}],
        order=6,
    )

    built = edition_report(written, analysis=None)

    by_area = {r.area: r for r in built.report.follow_up}
    assert set(by_area) == {"Delaktighet", "Barns delaktighet"}
    rows = by_area["Barns delaktighet"]
    assert rows.status is Status.STARTED  # derived: one done, one started
    assert [a.status for a in rows.actions] == [Status.DONE, Status.STARTED]
    assert rows.actions[0].comment.plain == "I alla skolor." and rows.actions[1].comment is None
    assert rows.departments == ("BOU",)
    single = by_area["Delaktighet"]
    assert len(single.actions) == 1 and single.actions[0].status is None and single.status is Status.DONE
    assert any("2 uppföljningsrader saknar status" in note for note in built.notes)


def test_a_rows_own_status_wins_over_its_actions(written) -> None:
    FollowUp.objects.create(
        edition=written,
        area="Satt",
        action="x",
        status="ej_paborjad",
        actions=[{"text": "En", "status": ""}],
    )

    row = next(r for r in edition_report(written, analysis=None).report.follow_up if r.area == "Satt")

    assert row.status is Status.NOT_STARTED and row.actions[0].status is None


def test_the_abbreviation_key_and_the_joiner(written) -> None:
    Edition.objects.filter(pk=written.pk).update(structure={"forkortning_skiljetecken": " & "})
    written.refresh_from_db()
    row = FollowUp.objects.create(edition=written, area="Båda", action="Gör", status="paborjad")
    row.units.set(written.organisation.units.all())

    report = edition_report(written, analysis=None).report

    assert [(u.abbreviation, u.name) for u in report.units] == [
        ("BOU", "Barn och unga"),
        ("SVF", "Stadsområde, välfärd och fritid"),
    ]
    assert next(r for r in report.follow_up if r.area == "Båda").department_label == "BOU & SVF"


def test_recommendations_follow_a_heading_in_the_conclusions(written) -> None:
    write(
        written, SectionKind.SLUTSATSER, "Barnen vill bli hörda.\n\n## Rekommendationer\n\nFler barnsamtal."
    )

    conclusions = edition_report(written, analysis=None).report.conclusions

    assert conclusions.text.plain == "Barnen vill bli hörda."
    assert conclusions.recommendations.plain == "Fler barnsamtal."


def test_without_a_kolada_kommun_there_are_no_figures_and_no_note(written, monkeypatch) -> None:
    written.organisation.kommun = ""
    written.organisation.save()
    asked = []
    monkeypatch.setattr(report_from_db, "load_analysis", lambda edition, notes: asked.append(1))

    built = edition_report(written)

    assert asked == []
    assert built.report.figures is None and "siffror" not in built.report.kinds()
    assert not any("Nyckeltalen" in note for note in built.notes)
    # namnd is the default preset without a kommun, and its shipped purpose does not speak of Kolada
    assert "Kolada" not in built.report.introduction.purpose.plain


def test_a_structure_without_figures_does_not_load_the_analysis(written, monkeypatch) -> None:
    Edition.objects.filter(pk=written.pk).update(structure={"mall": "namnd"})
    written.refresh_from_db()
    asked = []
    monkeypatch.setattr(report_from_db, "load_analysis", lambda edition, notes: asked.append(1))

    built = edition_report(written)

    assert asked == [] and built.report.figures is None
    assert built.report.numbered and built.report.parts[0].number == "1"


def test_an_edited_purpose_is_kept_whatever_the_structure(written) -> None:
    Edition.objects.filter(pk=written.pk).update(
        standard_texts={"syfte": "Vårt eget syfte."}, structure={"mall": "namnd"}
    )
    written.refresh_from_db()
    write(
        written, SectionKind.INLEDNING, ""
    )  # no Inledning text of its own: the purpose is the standard text

    assert edition_report(written, analysis=None).report.introduction.purpose.plain == "Vårt eget syfte."


def test_a_bad_stored_structure_gives_notes_not_an_error(written) -> None:
    Edition.objects.filter(pk=written.pk).update(structure={"avsnitt": [{"typ": "okand"}], "mall": "x"})
    written.refresh_from_db()

    built = edition_report(written, analysis=None)

    assert any("okänd mall" in note for note in built.notes)
    assert any("okänd typ ”okand”" in note for note in built.notes)


def test_the_sections_list_names_the_organisations_own(overall) -> None:
    titles = [s.title for s in edition_report(overall, analysis=None).sections]

    assert "Styrkor – hela organisationen" in titles


def test_without_verksamhetsberattelser_a_units_text_outside_articles_goes_to_the_nulage(overall) -> None:
    unit = overall.organisation.units.get(abbreviation="BOU")
    Section.objects.filter(edition=overall, unit=unit, kind=SectionKind.FORUTSATTNINGAR).update(
        body="Enheten har fått två nya socialsekreterare."
    )
    Section.objects.filter(edition=overall, unit=unit, kind=SectionKind.STYRKOR).update(
        body="Ett stycke utan artikelrubrik om hembesök."
    )
    Edition.objects.filter(pk=overall.pk).update(structure={"mall": "namnd"})
    overall.refresh_from_db()

    report = edition_report(overall, analysis=None).report

    assert "verksamheter" not in report.kinds() and report.departments == ()
    conditions = report.current_analysis.conditions.plain
    assert "två nya socialsekreterare" in conditions and "utan artikelrubrik om hembesök" in conditions
    assert f"{unit.name} ({unit.abbreviation})" in conditions


def test_an_article_has_one_title_in_the_whole_report(overall) -> None:
    overall.standard_texts = {
        **overall.standard_texts,
        "grundprinciper": "## Artikel 2 – A\n\nx\n\n## Artikel 3 – Bästa för barnet\n\ny\n\n"
        "## Artikel 6 – C\n\nz\n\n## Artikel 12 – D\n\nw\n",
    }
    overall.save()

    report = edition_report(overall, analysis=None).report

    principle = next(p for p in report.introduction.principles if p.article == 3)
    (article,) = report.current_analysis.articles
    assert principle.title == article.title == "Bästa för barnet"


def test_a_writers_article_heading_at_any_level_files_the_text_under_that_article_in_word(
    written: Edition, cast, tmp_path
) -> None:
    from docx import Document

    from barnbokslut.report.docx import write_docx

    write(
        written, SectionKind.UTMANINGAR, "### Artikel 2\n\nTolk saknas ibland vid barnsamtal.", unit=cast.bou
    )
    report = edition_report(written, analysis=None).report

    article = next(a for a in report.current_analysis.articles if a.article == 2)
    assert "Tolk saknas ibland vid barnsamtal." in article.challenges.plain
    assert "Artikel 2" not in article.challenges.plain  # the writer's heading became the article, not a text
    write_docx(report, tmp_path / "r.docx")
    headings = [
        (p.style.name, p.text)
        for p in Document(str(tmp_path / "r.docx")).paragraphs
        if p.style.name.startswith("Heading")
    ]
    # the last "Artikel 2" heading is the Nulägesanalys' (the first is the basic principles' introduction)
    at = max(i for i, (_, text) in enumerate(headings) if text == "Artikel 2 – Icke-diskriminering")
    article_level = int(headings[at][0].split()[-1])
    challenges_style, challenges = headings[at + 1]
    assert challenges == "Utmaningar" and int(challenges_style.split()[-1]) == article_level + 1
    assert [text for _, text in headings].count("Artikel 2") == 0
