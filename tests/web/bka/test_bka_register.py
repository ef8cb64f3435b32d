"""The register of barnkonsekvensanalyser in the web app: entry by unit (a skribent for their own units only),
the form's checks (the register's own rules), the import of a diarium export (all or nothing, replacing the
years it covers), and the shares in the published report, computed by hand for a register entered on the web."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html
from taskworker import run_worker

from barnbokslut.web.accounts.models import AuditAction, AuditEvent
from barnbokslut.web.bka.models import Decision
from barnbokslut.web.organisations.models import Unit
from barnbokslut.web.publishing.models import Publication

HEADER = "diarienummer;enhet;datum;beslut;analys;berörda_barn;barn_hörda;antal_hörda;utfall;kompenserande_åtgärder\n"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(unit: Unit, diarienummer: str, **changes: str) -> dict[str, Any]:
    values = {
        "diarienummer": diarienummer, "unit": unit.pk, "decided_on": "2025-04-01", "decision": "Nya öppettider",
        "analysis": "snabb", "children_heard": "ja", "outcome": "för", "compensating": "",
    }  # fmt: skip
    return {**values, **changes}


def existing(cast: Any, diarienummer: str, year: int = 2025, unit: Unit | None = None) -> Decision:
    return Decision.objects.create(
        organisation=cast.organisation, unit=unit or cast.bou, diarienummer=diarienummer,
        decided_on=datetime.date(year, 2, 1), decision="Skolskjuts", analysis="snabb", children_heard=True,
        outcome="för",
    )  # fmt: skip


def state() -> list[tuple[Any, ...]]:
    return list(Decision.objects.order_by("pk").values_list("pk", "diarienummer", "unit_id", "decision"))


# --- entry and permissions ------------------------------------------------------------------------------------


def test_a_writer_adds_a_decision_for_their_own_unit_with_the_checklists_answers(cast: Any) -> None:
    response = login(cast.siri).post(
        reverse("bka:add", args=[cast.organisation.pk]),
        form(cast.bou, "BOU 2025/3", articles="3;12", how_heard="Samtal i klassen", heard_count="14"),
    )

    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.unit, decision.organisation, decision.updated_by) == (
        cast.bou,
        cast.organisation,
        cast.siri,
    )
    assert (decision.articles, decision.heard_count, decision.how_heard) == ("3, 12", 14, "Samtal i klassen")
    assert decision.children_heard is True and decision.source_filename == ""
    assert AuditEvent.objects.filter(action=AuditAction.TABLE_CHANGED, object_id=str(decision.pk)).exists()


def test_a_writer_of_another_unit_is_refused_and_nothing_is_saved(cast: Any) -> None:
    bou = existing(cast, "BOU 2025/1")
    before = state()
    sven = login(cast.sven)  # skribent for SVF

    added = sven.post(reverse("bka:add", args=[cast.organisation.pk]), form(cast.bou, "BOU 2025/9"))
    edited = sven.post(
        reverse("bka:edit", args=[cast.organisation.pk, bou.pk]),
        form(cast.svf, "BOU 2025/1", decision="Kapat"),
    )
    deleted = sven.post(reverse("bka:delete", args=[cast.organisation.pk, bou.pk]))

    assert (added.status_code, edited.status_code, deleted.status_code) == (403, 403, 403)
    assert state() == before
    # A reader may look but not write; the other organisation's coordinator may not even look.
    assert login(cast.lars).get(reverse("bka:list", args=[cast.organisation.pk])).status_code == 200
    assert login(cast.lars).get(reverse("bka:add", args=[cast.organisation.pk])).status_code == 403
    assert login(cast.olle).get(reverse("bka:detail", args=[cast.organisation.pk, bou.pk])).status_code == 403


def test_the_writers_form_offers_only_their_own_units_and_the_coordinator_all(cast: Any) -> None:
    url = reverse("bka:add", args=[cast.organisation.pk])
    siri_page = login(cast.siri).get(url).content.decode()
    sam_page = login(cast.sam).get(url).content.decode()

    assert f'value="{cast.bou.pk}"' in siri_page and f'value="{cast.svf.pk}"' not in siri_page
    assert f'value="{cast.bou.pk}"' in sam_page and f'value="{cast.svf.pk}"' in sam_page


def test_the_form_checks_by_the_registers_rules_in_swedish(cast: Any) -> None:
    existing(cast, "BOU 2025/1")
    url = reverse("bka:add", args=[cast.organisation.pk])

    response = login(cast.siri).post(url, form(cast.bou, "BOU 2025/1", articles="3, 99", heard_count=""))

    assert response.status_code == 400
    page = response.content.decode()
    assert "”99” är ingen artikel i barnkonventionen (1–54); skriv t.ex. 3, 12." in page
    assert "”BOU 2025/1” finns redan i registret." in page
    assert Decision.objects.count() == 1


def test_a_decision_against_the_childs_best_without_measures_is_saved_with_a_warning(cast: Any) -> None:
    client = login(cast.siri)
    response = client.post(
        reverse("bka:add", args=[cast.organisation.pk]), form(cast.bou, "BOU 2025/4", outcome="mot")
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Beslutet går emot barnets bästa men har inga kompenserande åtgärder." in page
    assert Decision.objects.get().outcome == "mot"


def test_the_list_filters_by_unit_and_year(cast: Any) -> None:
    existing(cast, "BOU 2024/1", 2024)
    existing(cast, "BOU 2025/1", 2025)
    existing(cast, "SVF 2025/1", 2025, cast.svf)
    client = login(cast.lars)
    url = reverse("bka:list", args=[cast.organisation.pk])

    page = client.get(url, {"enhet": cast.bou.pk, "ar": "2025"}).content.decode()

    assert "BOU 2025/1" in page and "BOU 2024/1" not in page and "SVF 2025/1" not in page
    assert "(1 av 3)" in page


def test_a_unit_with_decisions_in_the_register_is_not_deleted(cast: Any) -> None:
    unit = Unit.objects.create(organisation=cast.organisation, name="Kultur", abbreviation="KOF")
    existing(cast, "KOF 2025/1", unit=unit)

    login(cast.alva).post(reverse("organisations:unit_delete", args=[cast.organisation.pk, unit.pk]))

    assert Unit.objects.filter(pk=unit.pk).exists()


# --- import -----------------------------------------------------------------------------------------------------


def preview(client: Client, cast: Any, text: str, name: str = "diariet.csv") -> Any:
    upload = ContentFile(text.encode("utf-8"), name=name)
    return client.post(reverse("bka:import", args=[cast.organisation.pk]), {"file": upload})


def confirm(client: Client, cast: Any, text: str) -> Any:
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return client.post(reverse("bka:import_confirm", args=[cast.organisation.pk]), {"sha256": digest})


def test_an_export_with_a_bad_row_imports_nothing_and_names_row_and_column(cast: Any) -> None:
    existing(cast, "BOU 2025/1")
    before = state()
    text = (
        HEADER
        + "BOU 2025/7;BOU;2025-03-01;Skolskjuts;snabb;Elever;ja;4;för;\n"
        + "SVF 2025/2;XYZ;2025-04-01;Fritidsgård;ingen;;nej;;neutral;\n"
        + "SVF 2025/3;SVF;2025-13-01;Fritidsgård;ingen;;kanske;;neutral;\n"
    )
    client = login(cast.sam)

    response = preview(client, cast, text)
    confirmed = confirm(client, cast, text)  # never previewed successfully: refused

    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "diariet.csv, rad 3, kolumn ”enhet”: okänd verksamhet ”XYZ”; välj en förkortning ur organisationens "
        "enheter: BOU, SVF." in page
    )
    assert "diariet.csv, rad 4, kolumn ”datum”: ”2025-13-01” är inget datum" in page
    assert "diariet.csv, rad 4, kolumn ”barn_hörda”: okänt värde ”kanske”; välj ja eller nej." in page
    assert confirmed.status_code == 409
    assert state() == before


def test_an_import_replaces_the_years_of_the_file_and_keeps_the_others(cast: Any) -> None:
    kept = existing(cast, "BOU 2024/1", 2024)
    existing(cast, "BOU 2025/1", 2025)  # written on the web, replaced by the export of 2025
    text = (
        HEADER
        + "BOU 2025/7;BOU;2025-03-01;Skolskjuts;fullständig;Elever i åk 4–6;ja;4;mot;Extra tur på morgonen\n"
        + "SVF 2025/2;SVF;2025-04-01;Fritidsgård;ingen;;nej;;neutral;\n"
    )
    client = login(cast.sam)

    page = preview(client, cast, text).content.decode()
    assert "2025: 2" in page and "1 beslut i registret från samma år, varav 1 skrivna i webbappen" in page
    assert Decision.objects.count() == 2  # the preview saves nothing
    response = confirm(client, cast, text)

    assert response.status_code == 302
    assert sorted(Decision.objects.values_list("diarienummer", flat=True)) == [
        "BOU 2024/1", "BOU 2025/7", "SVF 2025/2",
    ]  # fmt: skip
    imported = Decision.objects.get(diarienummer="BOU 2025/7")
    assert (imported.source_filename, imported.source_row, imported.affected_children) == (
        "diariet.csv", 2, "Elever i åk 4–6",
    )  # fmt: skip
    assert (imported.outcome, imported.compensating, imported.heard_count) == (
        "mot",
        "Extra tur på morgonen",
        4,
    )
    assert Decision.objects.filter(pk=kept.pk).exists()

    # The same export again gives the same register (nothing counted twice).
    preview(client, cast, text)
    confirm(client, cast, text)
    assert Decision.objects.count() == 3


def test_an_import_refuses_a_diarienummer_of_another_year_in_the_register(cast: Any) -> None:
    existing(cast, "BOU 2024/1", 2024)
    text = HEADER + "BOU 2024/1;BOU;2025-03-01;Skolskjuts;snabb;;ja;;för;\n"

    response = preview(login(cast.sam), cast, text)

    assert response.status_code == 400
    assert (
        "diariet.csv, rad 2, kolumn ”diarienummer”: ”BOU 2024/1” finns redan i registret, beslutat 2024-02-01"
        in (response.content.decode())
    )
    assert Decision.objects.count() == 1


def test_an_export_over_the_size_limit_is_refused_unread(cast: Any, settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = 200
    text = HEADER + "".join(f"BOU 2025/{n};BOU;2025-03-01;Skolskjuts;snabb;;ja;;för;\n" for n in range(40))

    response = preview(login(cast.sam), cast, text)

    assert response.status_code == 413
    assert "Filen är för stor" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_writer_may_not_import(cast: Any) -> None:
    text = HEADER + "BOU 2025/7;BOU;2025-03-01;Skolskjuts;snabb;;ja;;för;\n"
    assert preview(login(cast.siri), cast, text).status_code == 403
    assert not Decision.objects.exists()


# --- the published report ---------------------------------------------------------------------------------------

#: A small register, entered through the form: (unit, year, analysis, heard, outcome, compensating), 12 decisions.
REGISTER = [
    # BOU 2024: 5 decisions, 4 with a BKA (80 %), 2 heard (40 %), none against.
    *[("BOU", 2024, "fullständig", "ja", "för", "")] * 2,
    *[("BOU", 2024, "snabb", "nej", "neutral", "")] * 2,
    ("BOU", 2024, "ingen", "nej", "för", ""),
    # BOU 2025: 5 decisions, 3 with a BKA (60 %), 3 heard (60 %), 2 against: 1 with measures, 1 without.
    ("BOU", 2025, "fullständig", "ja", "mot", "Skolskjuts till den gamla skolan"),
    ("BOU", 2025, "snabb", "ja", "mot", ""),
    ("BOU", 2025, "snabb", "ja", "för", ""),
    *[("BOU", 2025, "ingen", "nej", "neutral", "")] * 2,
    # SVF 2025: 2 decisions (fewer than 5: shares "–"), both with a BKA, 1 heard.
    ("SVF", 2025, "fullständig", "ja", "för", ""),
    ("SVF", 2025, "snabb", "nej", "för", ""),
]


def enter_register(cast: Any) -> None:
    client = login(cast.sam)
    units = {"BOU": cast.bou, "SVF": cast.svf}
    for number, (unit, year, analysis, heard, outcome, measures) in enumerate(REGISTER, start=1):
        response = client.post(
            reverse("bka:add", args=[cast.organisation.pk]),
            form(
                units[unit], f"{unit} {year}/{number}", decided_on=f"{year}-05-{number:02d}", analysis=analysis,
                children_heard=heard, outcome=outcome, compensating=measures,
            ),
        )  # fmt: skip
        assert response.status_code == 302, response.content.decode()


def table_rows(page: str, caption: str) -> list[list[str]]:
    tree = lxml_html.fromstring(page)
    (table,) = tree.xpath(f"//table[caption[normalize-space()='{caption}']]")
    return [
        [" ".join(cell.text_content().replace("\xa0", " ").split()) for cell in row.xpath("./th|./td")]
        for row in table.xpath("./tbody/tr")
    ]


def test_the_published_report_has_the_shares_of_the_register_entered_on_the_web(
    cast: Any, edition: Any, folders: Any
) -> None:
    enter_register(cast)
    login(cast.sam).post(reverse("publishing:publish", args=[edition.pk]))
    run_worker()
    publication = Publication.objects.get()
    assert publication.state == Publication.State.PUBLISHED, publication.error
    page = (folders / publication.html_path).read_text(encoding="utf-8")

    # Verksamhet, Beslut, Med BKA, Andel, Barn hörda, Andel, Mot barnets bästa, med åtgärder, utan åtgärder.
    assert table_rows(page, "Barnkonsekvensanalyser 2024") == [
        ["BOU", "5", "4", "80 %", "2", "40 %", "0", "0", "0"],
        ["Totalt", "5", "4", "80 %", "2", "40 %", "0", "0", "0"],
    ]
    assert table_rows(page, "Barnkonsekvensanalyser 2025") == [
        ["BOU", "5", "3", "60 %", "3", "60 %", "2", "1", "1"],
        ["SVF", "2", "2", "–", "1", "–", "0", "0", "0"],
        # 7 decisions: 5 with a BKA = 71,4 % → 71 %; 4 heard = 57,1 % → 57 %.
        ["Totalt", "7", "5", "71 %", "4", "57 %", "2", "1", "1"],
    ]
    text = " ".join(lxml_html.fromstring(page).text_content().replace("\xa0", " ").split())
    assert (
        "Andelen beslut med barnkonsekvensanalys sjönk från 80 % (2024) till 60 % (2025) i BOU (Barn och unga)."
        in text
    )
    assert "sjönk från 80 % (2024) till 71 % (2025) totalt." in text
    assert "där barn hördes sjönk" not in text  # 40 % → 60 % in BOU, 40 % → 57 % in total: rose
    assert "Källa: egen sammanställning av registret över barnkonsekvensanalyser" in text
    assert "färre än 5 beslut" in text
    assert "Exempeldata" not in text
    docx = folders / publication.docx_path
    assert docx.is_file() and b"word/document.xml" in docx.read_bytes()
