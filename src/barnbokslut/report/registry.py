"""The one registry of report parts: for each kind its default Swedish heading, the rules of the structure, when
it has content, and how it is rendered.

A kind's HTML (web page and PDF) is the template ``templates/sections/<kind>.html.j2``; its Word rendering is the
function named ``docx`` in ``docx_sections``. Adding a kind is one entry here, its template and its Word function;
``tests/report/test_structure.py`` checks that every kind has both.

``present(report, part)`` says whether a part has content of its own (a part without content, lead or present
children is left out of the report and its table of contents).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from barnbokslut.report.model import Report, ReportPart

__all__ = ["KINDS", "Kind", "kind_names"]


@dataclass(frozen=True)
class Kind:
    name: str
    title: str  # the default Swedish heading
    description: str  # what the part holds, for the docs and the web app's structure editor
    present: Callable[[Report, ReportPart], bool]
    children: bool = False  # may have parts under it
    repeatable: bool = False  # may appear more than once
    table: bool = False  # a table that can be followed by the abbreviation key
    internal: bool = False  # made by the build (Nulägesanalys' sub-parts), never written in a structure
    needs_figures: bool = False  # only with a kommun and indicators (Kolada)

    @property
    def template(self) -> str:
        return f"sections/{self.name}.html.j2"

    @property
    def docx(self) -> str:
        return "part_" + self.name.replace("-", "_")


def _has_text(report: Report, part: ReportPart) -> bool:
    return bool(part.text)


_ENTRIES = (
    Kind("kapitel", "", "En rubrik med ingress och delar under sig", lambda r, p: False, children=True,
         repeatable=True),
    Kind("text", "", "En egen text ur en Markdown-fil", _has_text, children=True, repeatable=True),
    Kind("inledning", "Inledning", "Bakgrund och syfte (texter/inledning.md, annars standardtexten)", _has_text,
         children=True),
    Kind("begrepp", "Viktiga begrepp", "Begreppen i barnrättsarbetet (texter/begrepp.md)",
         lambda r, p: bool(r.introduction and r.introduction.concepts)),
    Kind("grundprinciper", "Barnkonventionens fyra grundprinciper",
         "Artiklarna 2, 3, 6 och 12 (texter/grundprinciper.md)",
         lambda r, p: bool(r.introduction and r.introduction.principles)),
    Kind("upplagg", "Upplägg", "Hur barnbokslutet är upplagt (texter/upplagg.md)", _has_text, children=True),
    Kind("underlag", "Underlag", "Vad barnbokslutet bygger på (texter/underlag.md)", _has_text, children=True),
    Kind("sammanfattning", "Sammanfattning", "Räkningarna ur nyckeltalsanalysen och en egen text",
         lambda r, p: r.summary is not None, children=True),
    Kind("siffror", "Situationen i siffror", "Nyckeltalen från Kolada: översikt, diagram och meningar",
         lambda r, p: r.figures is not None, needs_figures=True),
    Kind("lokala-data", "Lokala uppgifter", "Egna tabeller och diagram ur CSV- eller XLSX-filer",
         lambda r, p: bool(r.local_data)),
    Kind("verksamheter", "Verksamhetsberättelser utifrån barnkonventionens grundprinciper",
         "En berättelse per verksamhet och grundprincip", lambda r, p: bool(r.departments)),
    Kind("barnkonsekvensanalyser", "Barnkonsekvensanalyser",
         "Beslut med barnkonsekvensanalys och där barn hörts, per verksamhet och år (data/barnkonsekvensanalyser.csv)",
         lambda r, p: r.bka is not None, table=True),
    Kind("barnens-roster", "Det här säger barnen",
         "Barnens röster: enkäter (LUPP, elevenkäten, egna) med trend och indelning, citat med samtycke och "
         "barnens förslag med vad som hände ([[enkat]], [[citat]], [[forslag]])",
         lambda r, p: r.voices is not None),
    Kind("uppfoljning", "Uppföljning av förra årets utvecklingsområden",
         "Förra årets utvecklingsområden, åtgärd för åtgärd med status", lambda r, p: bool(r.follow_up),
         table=True),
    Kind("nulage", "Nulägesanalys", "Förutsättningar, styrkor och utmaningar per artikel",
         lambda r, p: r.current_analysis is not None),
    Kind("nulage-del", "", "", _has_text, internal=True, repeatable=True),
    Kind("utvecklingsomraden", "Utvecklingsområden för nästa år",
         "Nästa års utvecklingsområden, åtgärder och förväntade resultat",
         lambda r, p: bool(r.development_areas), table=True),
    Kind("forkortningar", "Förkortningar", "Förkortningarna av verksamheterna", lambda r, p: bool(r.units)),
    Kind("slutsatser", "Slutsatser och rekommendationer", "Slutsatser och rekommendationer (texter/slutsatser.md)",
         lambda r, p: r.conclusions is not None, children=True),
    Kind("barnversion", "Barnbokslut för barn och unga",
         "Barnversionen i rapporten: de fyra delarna för barn (texter/barnversion.md); också egen sida och affisch",
         lambda r, p: r.child_version is not None),
    Kind("kallor", "Källor", "Källorna till siffrorna och texterna", lambda r, p: bool(r.sources)),
)  # fmt: skip

#: Every kind by name, in the default report order.
KINDS: dict[str, Kind] = {k.name: k for k in _ENTRIES}


def kind_names() -> str:
    return ", ".join(name for name, kind in KINDS.items() if not kind.internal)
