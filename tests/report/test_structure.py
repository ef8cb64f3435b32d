"""The report's structure as data: presets, numbering, leads, optional figures, per-action follow-up, the
abbreviation key, and a Swedish message with file, row and field for each kind of bad structure."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from docx import Document

from barnbokslut.report import docx_sections
from barnbokslut.report.docx import write_docx
from barnbokslut.report.folder import load_source, report_from_folder
from barnbokslut.report.html import render_html
from barnbokslut.report.model import Status, derived_status
from barnbokslut.report.registry import KINDS
from barnbokslut.report.source import ReportSourceError, build_report
from barnbokslut.report.structure import PRESETS, parse_structure, to_entries

#: A Kolada address where nothing listens: a build that asks Kolada fails.
NOWHERE = "http://127.0.0.1:9"

COMMITTEE = """
[rapport]
organisation = "Socialförvaltningen Test"
"år" = 2024
numrerade_rubriker = true

[artiklar]
2 = "Principen om icke-diskriminering"

[[verksamhet]]
namn = "Vuxen"
"förkortning" = "V"

[[verksamhet]]
namn = "Försörjningsstöd"
"förkortning" = "F"

[[avsnitt]]
typ = "kapitel"
rubrik = "Inledning"
  [[avsnitt.delar]]
  typ = "inledning"
  rubrik = "Bakgrund och syfte"
  [[avsnitt.delar]]
  typ = "begrepp"

[[avsnitt]]
typ = "upplagg"
rubrik = "Barnbokslut"
  [[avsnitt.delar]]
  typ = "uppfoljning"
  rubrik = "Uppföljning av föregående års utvecklingsområden och åtgärder"
  ingress = "Nedan följer en kort uppföljning."
  forkortningar = true
  [[avsnitt.delar]]
  typ = "nulage"
  gruppering = "omrade"

[[uppfoljning]]
"område" = "Kompetensutveckling"
verksamheter = ["F", "V"]
skiljetecken = " & "
  [[uppfoljning."åtgärder"]]
  text = "Återkommande stormöten"
  status = "Påbörjad"
  kommentar = "Ett bra sätt att arbeta."
  [[uppfoljning."åtgärder"]]
  text = "Arbetsgrupp för barnrätt"
  status = "Påbörjad"
  [[uppfoljning."åtgärder"]]
  text = "Utbildning i barnkonsekvensanalys"
  status = "Ej påbörjad"
"""


@pytest.fixture
def committee(tmp_path: Path) -> Path:
    folder = tmp_path / "namnd"
    (folder / "texter" / "nulage").mkdir(parents=True)
    (folder / "barnbokslut.toml").write_text(COMMITTEE, encoding="utf-8")
    (folder / "texter" / "begrepp.md").write_text(
        "Här beskrivs begreppen.\n\n## Barnperspektiv\n\nVuxnas kunskap om barn.\n", encoding="utf-8"
    )
    (folder / "texter" / "nulage" / "forutsattningar.md").write_text(
        "Goda förutsättningar.\n", encoding="utf-8"
    )
    (folder / "texter" / "nulage" / "artikel-2.md").write_text(
        "## Styrkor\n\nTidiga insatser.\n\n## Utmaningar\n\nTrångboddhet.\n", encoding="utf-8"
    )
    (folder / "texter" / "nulage" / "artikel-3.md").write_text(
        "## Styrkor\n\nBBIC i varje utredning.\n", encoding="utf-8"
    )
    return folder


def test_a_committee_without_kommun_builds_without_kolada_figures_or_example_label(committee: Path) -> None:
    report = report_from_folder(committee, base_url=NOWHERE, cache=None)
    assert report.figures is None and report.summary is None
    assert "siffror" not in report.kinds() and "kallor" not in report.kinds()
    assert not report.is_example and not report.cover.is_example
    html = render_html(report)
    assert "Exempeldata" not in html and "Kolada" not in html


def test_numbered_headings_follow_the_structure(committee: Path) -> None:
    report = build_report(load_source(committee), None)
    headings = [(p.number, p.title) for p in report.all_parts()]
    assert headings == [
        ("1", "Inledning"),
        ("1.1", "Bakgrund och syfte"),
        ("1.2", "Viktiga begrepp"),
        ("2", "Barnbokslut"),
        ("2.1", "Uppföljning av föregående års utvecklingsområden och åtgärder"),
        ("2.2", "Nulägesanalys"),
        ("2.2.1", "Förutsättningar"),
        ("2.2.2", "Styrkor"),
        ("2.2.3", "Utmaningar"),
    ]
    html = render_html(report)
    assert re.search(r'<h4 id="[^"]+"><span class="rubriknummer">2\.2\.1</span> Förutsättningar</h4>', html)
    assert '<h2 id="kapitel-inledning"' not in html  # anchors are slugs of the title
    assert '<span class="rubriknummer">1</span> Inledning</h2>' in html


def test_grouping_by_area_lists_all_strengths_then_all_challenges_with_edited_article_titles(
    committee: Path,
) -> None:
    report = build_report(load_source(committee), None)
    nulage = report.part("nulage")
    assert nulage is not None
    strengths, challenges = nulage.children[1], nulage.children[2]
    assert [title for title, _ in strengths.items] == [
        "Artikel 2 – Principen om icke-diskriminering",
        "Artikel 3 – Barnets bästa",
    ]
    assert [title for title, _ in challenges.items] == ["Artikel 2 – Principen om icke-diskriminering"]


def test_the_lead_before_the_first_heading_of_begrepp_is_kept(committee: Path) -> None:
    report = build_report(load_source(committee), None)
    part = report.part("begrepp")
    assert part is not None and part.lead is not None and "Här beskrivs begreppen" in part.lead.plain
    assert "Här beskrivs begreppen" in render_html(report)


def test_follow_up_gives_a_status_per_action_and_derives_the_row_status(committee: Path) -> None:
    report = build_report(load_source(committee), None)
    (row,) = report.follow_up
    assert [row.action_status(a) for a in row.actions] == [Status.STARTED, Status.STARTED, Status.NOT_STARTED]
    assert row.status is Status.STARTED
    assert row.department_label == "F & V"
    html = render_html(report)
    table = html[html.index("<table>", html.index("avsnitt--uppfoljning")) :]
    table = table[: table.index("</table>")]
    assert table.count("Påbörjad</span></li>") == 2 and table.count("Ej påbörjad</span></li>") == 1
    assert "(F &amp; V)" in table


def test_derived_status_rules() -> None:
    assert derived_status((Status.DONE, Status.DONE)) is Status.DONE
    assert derived_status((Status.NOT_STARTED, Status.NOT_STARTED)) is Status.NOT_STARTED
    assert derived_status((Status.DONE, Status.NOT_STARTED)) is Status.STARTED


def test_the_abbreviation_key_follows_the_table_in_html_and_word(committee: Path, tmp_path: Path) -> None:
    report = build_report(load_source(committee), None)
    html = render_html(report)
    follow_up = html.index("avsnitt--uppfoljning")
    key = html.index('class="forkortningar"', follow_up)
    assert follow_up < html.index("</table>", follow_up) < key < html.index("avsnitt--nulage")
    assert "<dt>V</dt><dd>Vuxen</dd>" in html and "<dt>F</dt><dd>Försörjningsstöd</dd>" in html
    path = write_docx(report, tmp_path / "r.docx")
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert "V = Vuxen" in texts and "F = Försörjningsstöd" in texts
    headings = [p.text for p in Document(str(path)).paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == ["1 Inledning", "1.1 Bakgrund och syfte", "1.2 Viktiga begrepp", "Barnperspektiv"]


def test_the_kommun_preset_is_todays_order_and_round_trips_through_entries() -> None:
    kommun = PRESETS["kommun"]
    assert [p.kind for p in kommun.parts][:5] == [
        "inledning",
        "upplagg",
        "underlag",
        "sammanfattning",
        "siffror",
    ]
    for name, structure in PRESETS.items():
        problems: list[str] = []
        again = parse_structure(
            to_entries(structure), file="x", problems=problems, numbered=structure.numbered
        )
        assert problems == [], name
        assert again.parts == structure.parts


def test_every_kind_has_a_template_and_a_word_function() -> None:
    templates = resources.files("barnbokslut.report") / "templates" / "sections"
    for kind in KINDS.values():
        assert (templates / f"{kind.name}.html.j2").is_file(), kind.name
        assert callable(getattr(docx_sections, kind.docx, None)), kind.name


def _with(folder: Path, old: str, new: str) -> None:
    path = folder / "barnbokslut.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(folder: Path, needle: str) -> str:
    """ "rad N": the line of ``needle`` in the (broken) settings file."""
    lines = (folder / "barnbokslut.toml").read_text(encoding="utf-8").splitlines()
    return f"rad {next(n for n, line in enumerate(lines, start=1) if needle in line)}"


BAD = [
    pytest.param(
        lambda f: _with(f, 'typ = "begrepp"', 'typ = "begreppen"'),
        [
            "barnbokslut.toml",
            "[[avsnitt]] nr 1 › delar nr 2",
            ("line", 'typ = "begreppen"'),
            "typ",
            "begreppen",
        ],
        id="unknown-kind",
    ),
    pytest.param(
        lambda f: _with(f, 'typ = "begrepp"', 'typ = "inledning"'),
        ["[[avsnitt]] nr 1 › delar nr 2", "typ", "finns redan", "[[avsnitt]] nr 1 › delar nr 1"],
        id="duplicate-part",
    ),
    pytest.param(
        lambda f: _with(
            f, '  [[avsnitt.delar]]\n  typ = "nulage"', '  [[avsnitt.delar.delar]]\n  typ = "nulage"'
        ),
        [
            "[[avsnitt]] nr 2 › delar nr 1",
            ("line", "[[avsnitt.delar.delar]]"),
            "delar",
            "uppfoljning",
            "kan inte ha delar",
        ],
        id="child-under-a-table",
    ),
    pytest.param(
        lambda f: _with(f, 'verksamheter = ["F", "V"]', 'verksamheter = ["F", "XYZ"]'),
        ["barnbokslut.toml", "[[uppfoljning]] nr 1", "rad ", "verksamheter", "XYZ", "F, V"],
        id="unknown-abbreviation",
    ),
    pytest.param(
        lambda f: _with(f, 'rubrik = "Barnbokslut"', f'rubrik = "{"Barnbokslut " * 12}"'),
        ["[[avsnitt]] nr 2", ("line", 'rubrik = "Barnbokslut Barnbokslut'), "rubrik", "högst 120"],
        id="heading-too-long",
    ),
    pytest.param(
        lambda f: _with(f, 'gruppering = "omrade"', 'gruppering = "kön"'),
        ["[[avsnitt]] nr 2 › delar nr 2", "gruppering", "kön"],
        id="unknown-grouping",
    ),
    pytest.param(
        lambda f: _with(f, 'status = "Ej påbörjad"', 'status = "Klar"'),
        ["[[uppfoljning]] nr 1, åtgärd 3", "status", "Klar"],
        id="unknown-action-status",
    ),
]


@pytest.mark.parametrize(("breaks", "expected"), BAD)
def test_each_kind_of_bad_structure_is_named_with_file_row_and_field(
    committee: Path, breaks, expected
) -> None:
    breaks(committee)
    with pytest.raises(ReportSourceError) as caught:
        report_from_folder(committee, base_url=NOWHERE, cache=None)
    message = str(caught.value)
    for part in expected:
        wanted = _line(committee, part[1]) if isinstance(part, tuple) else part
        assert wanted in message, (wanted, message)


def test_text_before_the_first_heading_of_a_nulage_file_is_an_error_not_dropped(committee: Path) -> None:
    path = committee / "texter" / "nulage" / "artikel-3.md"
    path.write_text("Inledande text.\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(
        ReportSourceError, match=r"texter/nulage/artikel-3\.md rad 1: text före första rubriken"
    ):
        load_source(committee)


def test_declared_units_without_texts_add_no_empty_department_part(committee: Path) -> None:
    report = build_report(load_source(committee), None)
    assert report.departments == () and "verksamheter" not in report.kinds()


def test_an_empty_indicator_catalogue_means_no_figures_and_no_kolada_call(tmp_path: Path) -> None:
    import shutil

    from tests.report.conftest import EXAMPLE_FOLDER

    folder = tmp_path / "k"
    shutil.copytree(EXAMPLE_FOLDER, folder)
    (folder / "tom.toml").write_text("# inga nyckeltal\n", encoding="utf-8")
    _with(folder, '"år" = 2025', '"år" = 2025\nkatalog = "tom.toml"')
    report = report_from_folder(folder, base_url=NOWHERE, cache=None)
    assert report.figures is None and "siffror" not in report.kinds()
    assert report.part("lokala-data") is not None  # the local figures are still there, marked as example data
    assert report.is_example
