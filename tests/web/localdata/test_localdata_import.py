"""Local data: a good CSV or XLSX is previewed (nothing saved) and then imported exactly as previewed; every
malformed upload gives a clear Swedish message naming the row and column, and imports nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from localdata_helpers import import_previewed, preview, xlsx_bytes

from barnbokslut.web.accounts.models import AuditAction, AuditEvent
from barnbokslut.web.localdata.models import LocalTable


def login(client, user):
    client.force_login(user)
    return client


GOOD_CSV = (
    "\ufeffSkola;Andel (%);Antal elever\nNorrskolan;87,5;120\nSöderskolan;..;95\nVästskolan;91,25;\n".encode()
)


def test_preview_shows_the_rows_and_saves_nothing(client, cast, edition):
    response = preview(login(client, cast.sam), edition, "behorighet.csv", GOOD_CSV)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Förhandsgranskning av behorighet.csv" in page
    assert "Norrskolan" in page and "87,50" in page and "91,25" in page
    assert "UTF-8 med BOM" in page
    assert "<dt>Rader med värden</dt><dd>3</dd>" in page
    assert "<dt>Kolumner</dt><dd>3" in page
    assert "Importera</button>" in page
    assert LocalTable.objects.count() == 0


def test_a_csv_with_decimal_comma_and_bom_imports_exactly_the_previewed_rows(client, cast, edition):
    login(client, cast.sam)
    preview(client, edition, "behorighet.csv", GOOD_CSV)

    response = import_previewed(client, edition, GOOD_CSV)

    assert response.status_code == 302
    table = LocalTable.objects.get()
    assert table.edition == edition
    assert table.columns == ["Skola", "Andel (%)", "Antal elever"]
    assert table.rows == [
        ["Norrskolan", 87.5, 120.0],
        ["Söderskolan", None, 95.0],
        ["Västskolan", 91.25, None],
    ]
    assert (table.title, table.unit, table.chart) == ("Gymnasiebehörighet per skola", "%", "stapel")
    assert table.source_filename == "behorighet.csv"
    assert table.uploaded_by == cast.sam
    event = AuditEvent.objects.get(action=AuditAction.IMPORTED)
    assert event.organisation == cast.organisation and "3 rader" in event.description


def test_missing_values_are_shown_as_two_dots_never_as_zero(client, cast, edition):
    login(client, cast.sam)
    preview(client, edition, "behorighet.csv", GOOD_CSV)
    import_previewed(client, edition, GOOD_CSV)
    table = LocalTable.objects.get()

    page = client.get(reverse("localdata:detail", args=[edition.pk, table.pk])).content.decode()

    assert '<td class="num">..</td>' in page
    assert '<td class="num">0,00</td>' not in page


def test_a_windows_1252_csv_with_commas_and_decimal_points_imports(client, cast, edition):
    data = "Grupp,Andel\nFlickor i åk 9,81.5\nPojkar i åk 9,76\n".encode("cp1252")
    login(client, cast.alva)

    page = preview(client, edition, "grupper.csv", data).content.decode()
    import_previewed(client, edition, data)

    assert "Windows-1252" in page
    assert LocalTable.objects.get().rows == [["Flickor i åk 9", 81.5], ["Pojkar i åk 9", 76.0]]


def test_an_xlsx_file_imports_its_first_sheet(client, cast, edition):
    data = xlsx_bytes([["Skola", "Andel (%)"], ["Norrskolan", 87.5], ["Söderskolan", None], [2024, 90]])
    login(client, cast.sam)

    response = preview(client, edition, "behorighet.xlsx", data)
    assert response.status_code == 200
    import_previewed(client, edition, data)

    assert LocalTable.objects.get().rows == [["Norrskolan", 87.5], ["Söderskolan", None], ["2024", 90.0]]


MALFORMED = [
    pytest.param(
        "skolor.csv",
        "Skola;Kommentar\nNorrskolan;bra\nSöderskolan;sämre\n".encode(),
        "Kolumn ”Kommentar” innehåller inga tal",
        id="no-numeric-column",
    ),
    pytest.param(
        "skolor.csv",
        b"Skola\nNorrskolan\n",
        "Rubrikraden har bara en kolumn",
        id="only-one-column",
    ),
    pytest.param(
        "skolor.csv",
        b"Skola;Andel (%)\nA;1\nB;2\nC;12,x\n",
        "Rad 4, kolumn ”Andel (%)”: ”12,x” är inget tal",
        id="bad-number-with-row-and-column",
    ),
    pytest.param(
        "skolor.csv",
        b"Skola;Andel\nA;1.234,5\nB;2\n",
        "Rad 2, kolumn ”Andel”: ”1.234,5” är inget tal",
        id="mixed-separators",
    ),
    pytest.param(
        "skolor.csv",
        b"Skola;Andel\nN\x81rrskolan;1\n",
        "byte 0x81 på rad 2 är inget tecken i UTF-8 eller Windows-1252",
        id="wrong-encoding",
    ),
    pytest.param(
        "skolor.csv",
        "Skola;Andel\nA;1\n".encode("utf-16"),
        "UTF-16",
        id="utf-16",
    ),
    pytest.param("skolor.csv", b"", "Filen är tom", id="empty-file"),
    pytest.param("skolor.csv", b"\xef\xbb\xbf\n\n", "Filen är tom", id="only-a-bom"),
    pytest.param(
        "skolor.xlsx",
        b"Skola;Andel\nA;1\n",
        "Filen är ingen giltig Excel-fil (.xlsx): den är inte en zip-fil",
        id="fake-xlsx",
    ),
    pytest.param(
        "skolor.csv",
        b"Skola;Andel;andel\nA;1;2\n",
        "kolumnrubriken ”andel” finns två gånger (kolumn 2 och 3)",
        id="duplicate-headers",
    ),
    pytest.param(
        "skolor.csv",
        b"Skola;;Antal\nA;1;2\n",
        "Rad 1, kolumn 2: kolumnen saknar rubrik",
        id="empty-header",
    ),
    pytest.param(
        "skolor.csv",
        b"Skola;Andel\n",
        "Filen har bara en rubrikrad",
        id="header-only",
    ),
    pytest.param(
        "skolor.csv",
        b"Skola;Andel\nA;1;5\n",
        "Rad 2 har 3 kolumner, men rubrikraden har 2",
        id="long-row",
    ),
    pytest.param(
        "skolor.csv",
        ("Skola;Andel\n" + "".join(f"S{i};{i}\n" for i in range(5001))).encode(),
        "Filen har fler än 5000 rader",
        id="too-many-rows",
    ),
    pytest.param(
        "skolor.csv",
        (";".join(["Skola"] + [f"K{i}" for i in range(51)]) + "\n" + ";".join(["A"] + ["1"] * 51)).encode(),
        "Filen har fler än 50 kolumner",
        id="too-many-columns",
    ),
    pytest.param("skolor.xls", b"\xd0\xcf\x11\xe0rest", "gamla Excel-formatet (.xls)", id="old-xls"),
    pytest.param("skolor.pdf", b"%PDF-1.7", "Filtypen stöds inte", id="unknown-type"),
]


@pytest.mark.parametrize(("name", "data", "message"), MALFORMED)
def test_a_malformed_upload_gives_its_message_and_imports_nothing(client, cast, edition, name, data, message):
    login(client, cast.sam)
    before = LocalTable.objects.count()

    response = preview(client, edition, name, data)
    import_response = import_previewed(client, edition, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Inget har importerats" in response.content.decode()
    assert "Importera</button>" not in response.content.decode()
    assert import_response.status_code == 409
    assert LocalTable.objects.count() == before == 0
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORTED).exists()


def test_every_bad_cell_is_listed_with_its_row_and_column(client, cast, edition):
    data = b"Skola;Andel;Antal\nA;x;1\nB;2;y\nC;3;4\nD;z;5\n"

    page = preview(login(client, cast.sam), edition, "skolor.csv", data).content.decode()

    assert "Filen kan inte importeras: 3 fel" in page
    for message in ("Rad 2, kolumn ”Andel”: ”x”", "Rad 3, kolumn ”Antal”: ”y”", "Rad 5, kolumn ”Andel”: ”z”"):
        assert message in page


def test_a_file_over_the_size_limit_is_refused_while_streaming(client, cast, edition, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    data = ("Skola;Andel\n" + "Norrskolan;1\n" * 200).encode()  # 2.6 kB: cut off by the upload handler

    response = preview(login(client, cast.sam), edition, "stor.csv", data)

    assert response.status_code == 413
    assert "Filen är för stor: största tillåtna storlek är 1000 byte" in response.content.decode()
    assert LocalTable.objects.count() == 0


def test_a_request_announcing_a_huge_body_is_refused_before_it_is_read(client, cast, edition, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    data = ("Skola;Andel\n" + "Norrskolan;1\n" * 10_000).encode()  # 130 kB: refused by Content-Length

    login(client, cast.sam)
    response = preview(client, edition, "stor.csv", data)
    import_response = import_previewed(client, edition, data, resend=data)

    assert response.status_code == import_response.status_code == 413
    assert "Filen är för stor" in response.content.decode()
    assert LocalTable.objects.count() == 0


def test_the_import_refuses_a_file_changed_since_the_preview(client, cast, edition):
    login(client, cast.sam)
    preview(client, edition, "behorighet.csv", GOOD_CSV)
    changed = GOOD_CSV.replace(b"87,5", b"97,5")

    response = import_previewed(client, edition, GOOD_CSV, resend=changed)

    assert response.status_code == 409
    assert "Filen har ändrats sedan förhandsgranskningen" in response.content.decode()
    assert LocalTable.objects.count() == 0


def test_the_import_takes_the_rows_from_the_server_not_from_the_form(client, cast, edition):
    login(client, cast.sam)
    preview(client, edition, "behorighet.csv", GOOD_CSV)

    client.post(
        reverse("localdata:import", args=[edition.pk]),
        {"title": "T", "unit": "", "chart": "ingen", "sha256": import_sha(GOOD_CSV), "rows": '[["X", 0]]'},
    )

    assert LocalTable.objects.get().rows[0] == ["Norrskolan", 87.5, 120.0]


def test_an_import_of_a_file_never_previewed_in_this_session_is_refused(client, cast, edition):
    preview(login(client, cast.alva), edition, "behorighet.csv", GOOD_CSV)

    response = import_previewed(login(client, cast.sam), edition, GOOD_CSV)  # another user's preview

    assert response.status_code == 409
    assert "Förhandsgranskningen hittades inte" in response.content.decode()
    assert LocalTable.objects.count() == 0


def test_the_same_preview_cannot_be_imported_twice(client, cast, edition):
    login(client, cast.sam)
    preview(client, edition, "behorighet.csv", GOOD_CSV)

    first = import_previewed(client, edition, GOOD_CSV)
    second = import_previewed(client, edition, GOOD_CSV)

    assert (first.status_code, second.status_code) == (302, 409)
    assert LocalTable.objects.count() == 1


def test_a_coordinator_deletes_a_table(client, cast, edition):
    login(client, cast.sam)
    preview(client, edition, "behorighet.csv", GOOD_CSV)
    import_previewed(client, edition, GOOD_CSV)
    table = LocalTable.objects.get()

    response = client.post(reverse("localdata:delete", args=[edition.pk, table.pk]))

    assert response.status_code == 302
    assert LocalTable.objects.count() == 0
    assert AuditEvent.objects.filter(description__contains="Tog bort den lokala tabellen").exists()


def import_sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


SMALL_COUNTS_CSV = "Skola;Antal elever\nNorrskolan;3\nSöderskolan;12\nVästskolan;20\n".encode()


def test_the_preview_and_the_table_page_mark_the_counts_the_report_hides(client, cast, edition):
    page = preview(login(client, cast.sam), edition, "elever.csv", SMALL_COUNTS_CSV, unit="").content.decode()

    # the uploader sees the real 3 and that readers will see "–" (below 5), the others shown as they are
    assert '<td class="num dold-i-rapporten">3<span class="hint"> (visas som –)</span></td>' in page
    assert page.count('<span class="hint"> (visas som –)</span>') == 1
    assert "färre än 5 svar eller barn" in page
    assert import_previewed(client, edition, SMALL_COUNTS_CSV, unit="").status_code == 302
    table = LocalTable.objects.get()
    detail = client.get(reverse("localdata:detail", args=[edition.pk, table.pk])).content.decode()
    assert detail.count('<span class="hint"> (visas som –)</span>') == 1 and 'dold-i-rapporten">3<' in detail
