"""Write what :mod:`understand` found as a report folder that ``barnbokslut bygg`` builds: ``barnbokslut.toml``
(organisation, next year, the structure found as ``[[avsnitt]]`` with last year's headings, ``[artiklar]``,
``[[verksamhet]]`` from the abbreviation key, and last year's development areas as this year's
``[[uppfoljning]]`` rows, action by action, each "Ej påbörjad" until someone writes otherwise, with the area's
``förväntade_resultat`` kept on the row) and
``texter/*.md`` with last year's texts as drafts.

"Från förra året": Markdown in this project is rendered with HTML off, so a marker inside a text would be
printed in the report. The marker is therefore kept beside the texts: a comment at the top of
``barnbokslut.toml`` and ``import.json`` (which the builder ignores) listing every file that is last year's text,
with the source file and the date of the import. The web app's import (a later step) sets its
``carried_over`` flag ("från förra året") from the same list.

All or nothing: everything is written to a temporary folder beside the target, checked with the builder's
own reader (:func:`barnbokslut.report.folder.load_source`), and only then renamed into place. A target that
exists and is not empty is refused.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

from barnbokslut.importing.understand import TEXT_FILES, Found

MARKER = "från förra året"


class FolderError(Exception):
    """The folder can't be written; the message is Swedish and says nothing has been written."""


def _s(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _escape_markdown(text: str) -> str:
    """A paragraph that would be read as a list or heading stays a paragraph: "3. Ett …" → "3\\. Ett …"."""
    out: list[str] = []
    for block in text.split("\n\n"):
        if block.startswith(("## ", "- ", "1. ")) and not re.match(r"^\d+\. .*\n", block):
            out.append(block)  # our own headings and list items
            continue
        block = re.sub(r"^(\d{1,3})([.)])(\s)", r"\1\\\2\3", block)
        block = re.sub(r"^([#>*+])", r"\\\1", block)
        out.append(block)
    return "\n\n".join(out)


#: The only "##" headings the builder accepts in these files; any other becomes a bold line.
_ALLOWED_HEADINGS = {
    "texter/grundprinciper.md": re.compile(r"^## Artikel (?:2|3|6|12)$"),
    **{f"texter/nulage/artikel-{n}.md": re.compile(r"^## (?:Styrkor|Utmaningar)$") for n in (2, 3, 6, 12)},
}


def _fit(relative: str, text: str) -> str:
    """Keep a text inside its file's format: a heading the builder would refuse becomes a bold line."""
    allowed = _ALLOWED_HEADINGS.get(relative)
    lines = []
    for line in text.split("\n"):
        heading = re.match(r"^#{1,6}\s+(.*)$", line)
        if heading and allowed is not None and not allowed.match(line):
            line = f"**{heading.group(1).strip('*_ ')}**"
        lines.append(line)
    return "\n".join(lines)


def render_settings(found: Found) -> str:
    year = (found.year + 1) if found.year else date.today().year
    units = dict(found.units)
    for row in found.development:
        for unit in row.verksamheter:
            units.setdefault(unit, unit)  # an abbreviation outside the key: named by itself, to be filled in
    lines = [
        f"# Importerad med `barnbokslut importera` från {found.source.name} ({found.kind}), {date.today()}.",
        f"# Texterna i texter/ är {MARKER} ({found.year or 'okänt år'}) och är utkast: se import.json.",
        "# Uppföljningen nedan är förra årets utvecklingsområden, åtgärd för åtgärd: skriv årets status och kommentar.",
        "",
        "[rapport]",
        f"organisation = {_s(found.organisation or 'Organisationens namn (fyll i)')}",
        f'"år" = {year}',
        f"titel = {_s(f'Barnbokslut {year}')}",
        f"numrerade_rubriker = {'true' if found.numbered else 'false'}",
    ]
    if units:
        lines.append('forkortningar_rubrik = "Förkortningar"')
    if found.articles:
        lines += ["", "[artiklar]"]
        lines += [f"{n} = {_s(title)}" for n, title in sorted(found.articles.items()) if n in (2, 3, 6, 12)]
    for abbreviation, name in units.items():
        lines += ["", "[[verksamhet]]", f"namn = {_s(name)}", f'"förkortning" = {_s(abbreviation)}']
    lines += ["", *_structure(found, bool(units))]
    for row in found.development:
        lines += ["", "[[uppfoljning]]", f'"område" = {_s(row.omrade)}']
        if row.verksamheter:
            lines.append(f"verksamheter = [{', '.join(_s(u) for u in row.verksamheter)}]")
        if row.forvantade_resultat.strip():
            lines.append(f'"förväntade_resultat" = {_s(row.forvantade_resultat.strip())}')
        for action in row.actions():
            lines += [
                "",
                '  [[uppfoljning."åtgärder"]]',
                f"  text = {_s(action)}",
                '  status = "Ej påbörjad"',
            ]
    return "\n".join(lines) + "\n"


def structure_parts(found: Found) -> list[tuple[str, bool]]:
    """The new edition's parts in the report's order, each with whether it is a sub-part of Inledning: those
    found, and Inledning, Uppföljning, Utvecklingsområden and Slutsatser also when not found (this year's to
    write), unless ``found.left_out``. The review page lists these; ``_structure`` writes them."""
    have = set(found.present())
    parts: list[tuple[str, bool]] = []
    if "inledning" in found.left_out:  # its own text left out: Begrepp and Grundprinciper stand on their own
        parts += [(sub, False) for sub in ("begrepp", "grundprinciper") if sub in have]
    else:
        parts.append(("inledning", False))
        parts += [(sub, True) for sub in ("begrepp", "grundprinciper") if sub in have]
    parts += [(top, False) for top in ("upplagg", "underlag") if top in have]
    parts.append(("uppfoljning", False))
    if any(k.startswith("nulage/") for k in have):
        parts.append(("nulage", False))
    parts.append(("utvecklingsomraden", False))
    # Slutsatser stays while Rekommendationer (written at its end) does.
    if "slutsatser" not in found.left_out or "rekommendationer" in have:
        parts.append(("slutsatser", False))
    return parts


def _structure(found: Found, has_units: bool) -> list[str]:
    """The structure file's parts (``structure_parts``) with last year's headings."""
    lines: list[str] = []
    for kind, nested in structure_parts(found):
        indent, table = ("  ", "avsnitt.delar") if nested else ("", "avsnitt")
        lines += [""] if lines else []
        lines += [f"{indent}[[{table}]]", f'{indent}typ = "{kind}"']
        heading = found.headings.get(kind)
        if heading and kind != "uppfoljning":
            lines.append(f"{indent}rubrik = {_s(heading[:120])}")
        if kind == "uppfoljning" and has_units:
            lines.append("forkortningar = true")
        if kind == "nulage":
            lines.append(f'gruppering = "{found.nulage_grouping}"')
        if kind == "utvecklingsomraden" and has_units:
            lines.append("forkortningar = true")
    return lines


def write_folder(found: Found, target: Path) -> list[Path]:
    """Write the folder all or nothing; returns the files written (relative to ``target``)."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FolderError(
            f"Mappen {target} finns redan och är inte tom; välj en ny mapp. Inget har skrivits."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}-import-", dir=target.parent))
    try:
        written: list[Path] = []
        (temp / "barnbokslut.toml").write_text(render_settings(found), encoding="utf-8")
        written.append(Path("barnbokslut.toml"))
        drafts: list[str] = []
        for key, text in found.parts.items():
            relative = TEXT_FILES.get(key)
            if relative is None:
                continue
            path = temp / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_fit(relative, _escape_markdown(text.strip())) + "\n", encoding="utf-8")
            written.append(Path(relative))
            drafts.append(relative)
        manifest = {
            "importerad_från": str(found.source.name),
            "typ": found.kind,
            "datum": date.today().isoformat(),
            "förra_året": found.year,
            MARKER.replace(" ", "_"): drafts,
            "delar_funna": found.present(),
            "delar_saknas": found.missing(),
            "anteckningar": found.notes,
            "rättelser": found.repairs,
        }
        (temp / "import.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        written.append(Path("import.json"))
        _check(temp)
        if target.exists():
            target.rmdir()
        temp.rename(target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return written


def _check(folder: Path) -> None:
    from barnbokslut.report.folder import load_source
    from barnbokslut.report.source import ReportSourceError

    try:
        load_source(folder)
    except ReportSourceError as exc:
        raise FolderError(
            f"Den importerade mappen skulle inte gå att bygga, så inget har skrivits:\n{exc}"
        ) from exc
