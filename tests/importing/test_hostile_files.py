"""Hostile and broken files given to the readers (found by uploading them to the web app): each is refused with a
Swedish message naming the file, what is wrong and where, or read as the text it is (UTF-16 with its byte order
mark), before any costly step. The web's own handling of them is in tests/web/publishing/test_import_review.py."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from barnbokslut.importing import ImportFault, read_document
from barnbokslut.importing.text_reader import MAX_CHARS, MAX_LINE

assert MAX_CHARS == 1_000_000 and MAX_LINE == 20_000  # the figures the messages below are written with

REPORT = "Barnbokslut 2024\n\nInledning\n\nBarnen i Söderhamn har rätt att bli hörda i frågor som rör dem.\n"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _texts(path: Path) -> list[str]:
    return [getattr(block, "text", "") for block in read_document(path).blocks]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_text_with_its_byte_order_mark_is_read_as_its_text(tmp_path: Path, encoding: str) -> None:
    plain = tmp_path / "utf8.txt"
    plain.write_text(REPORT, encoding="utf-8")
    wide = tmp_path / "unicode.txt"
    data = REPORT.encode(encoding)
    if encoding != "utf-16":  # the codecs with an explicit order write no mark; Notepad does
        data = ("\ufeff" + REPORT).encode(encoding)
    wide.write_bytes(data)
    assert _texts(wide) == _texts(plain)
    assert "Barnen i Söderhamn har rätt att bli hörda i frågor som rör dem." in _texts(wide)


def test_a_nul_character_after_the_first_4_kb_is_refused_naming_its_line(tmp_path: Path) -> None:
    text = tmp_path / "nul.txt"
    body = "Inledning\n\n" + "Barnen har rätt att bli hörda.\n" * 200  # 2 + 200 lines, 6 611 bytes
    text.write_bytes(body.encode() + b"\x00" + b"mer text\n")
    with pytest.raises(
        ImportFault, match=r"^Kan inte importera nul\.txt: filen är ingen textfil: rad 203 har ett NUL"
    ):
        read_document(text)


def test_a_text_longer_than_300_pages_is_refused_before_it_is_repaired(tmp_path: Path) -> None:
    text = tmp_path / "lang.txt"
    line = "Barnen har rätt att bli hörda i frågor som rör dem.\n"  # 52 characters
    text.write_text(
        line * 19_231, encoding="utf-8"
    )  # 1 000 012 characters, 12 over; grouped by no-break spaces
    with pytest.raises(
        ImportFault,
        match=r"lang\.txt: texten har 1\u00a0000\u00a0012 tecken; högst 1\u00a0000\u00a0000 \(ungefär 300",
    ):
        read_document(text)


def test_a_line_longer_than_the_limit_is_refused_naming_it(tmp_path: Path) -> None:
    text = tmp_path / "en-rad.txt"
    text.write_text("Inledning\n\n" + "a" * (MAX_LINE + 1) + "\n", encoding="utf-8")
    with pytest.raises(
        ImportFault, match=r"en-rad\.txt: rad 3 har 20\u00a0001 tecken; en rad får ha högst 20\u00a0000"
    ):
        read_document(text)


def test_a_jpeg_named_pdf_is_named_for_what_it_is(tmp_path: Path) -> None:
    from PIL import Image

    fake = tmp_path / "rapport.pdf"
    Image.new("RGB", (20, 20), "red").save(fake, "JPEG")
    with pytest.raises(
        ImportFault, match=r"^Kan inte importera rapport\.pdf: filen är ingen PDF: den är en JPEG-bild\.$"
    ):
        read_document(fake)
    (tmp_path / "tom.pdf").write_bytes(b"")
    with pytest.raises(ImportFault, match=r"tom\.pdf: filen är tom\."):
        read_document(tmp_path / "tom.pdf")


def test_a_truncated_pdf_is_said_to_be_broken(tmp_path: Path) -> None:
    from PIL import Image

    whole = tmp_path / "hel.pdf"
    pages = [Image.new("RGB", (60, 80), "white") for _ in range(20)]
    pages[0].save(whole, "PDF", save_all=True, append_images=pages[1:])
    cut = tmp_path / "avkortad.pdf"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(
        ImportFault, match=r"avkortad\.pdf: PDF:en är trasig eller avkortad och går inte att läsa"
    ):
        read_document(cut)


def _docx(tmp_path: Path, name: str, document_xml: str) -> Path:
    import docx

    plain = tmp_path / "vanlig.docx"
    made = docx.Document()
    made.add_heading("Inledning", 1)
    made.save(str(plain))
    path = tmp_path / name
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = document_xml.encode() if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item, data)
    return path


def test_a_docx_of_a_billion_laughs_is_refused_in_swedish(tmp_path: Path) -> None:
    entities = '<!ENTITY l0 "ha">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = f'<?xml version="1.0"?><!DOCTYPE d [{entities}]><w:document {W}><w:body><w:p><w:r><w:t>&l9;</w:t>'
    bomb = _docx(tmp_path, "skratt.docx", xml + "</w:r></w:p></w:body></w:document>")
    with pytest.raises(ImportFault, match=r"skratt\.docx: Word-dokumentets XML definierar på rad 1, kolumn \d+ "
                       r"entiteter som växer till enorma mängder text"):  # fmt: skip
        read_document(bomb)


def test_a_docx_nested_thousands_deep_is_refused_in_swedish(tmp_path: Path) -> None:
    deep = "<w:tbl><w:tr><w:tc>" * 2000 + "</w:tc></w:tr></w:tbl>" * 2000
    path = _docx(
        tmp_path, "djup.docx", f'<?xml version="1.0"?><w:document {W}><w:body>{deep}</w:body></w:document>'
    )
    with pytest.raises(
        ImportFault, match=r"djup\.docx: Word-dokumentets XML är nästlad djupare än 256 nivåer"
    ):
        read_document(path)


def test_a_docx_of_broken_xml_is_refused_in_swedish(tmp_path: Path) -> None:
    path = _docx(tmp_path, "trasig.docx", "inte xml <<<")
    with pytest.raises(
        ImportFault, match=r"trasig\.docx: Word-dokumentets XML är trasig på rad 1, kolumn 1\. Spara"
    ):
        read_document(path)


def test_a_docx_naming_an_external_entity_never_reads_it(tmp_path: Path) -> None:
    secret = tmp_path / "hemlig.txt"
    secret.write_text("HEMLIGT-LÖSENORD", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]><w:document {W}><w:body>'
        '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Inledning</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>Före &x; efter</w:t></w:r></w:p></w:body></w:document>"
    )
    texts = _texts(_docx(tmp_path, "xxe.docx", xml))
    # The entity is left unresolved (python-docx's parser), and the text of its run ends there: none of the file.
    assert texts == ["Inledning", "Före"]
