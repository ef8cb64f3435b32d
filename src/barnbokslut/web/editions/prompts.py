"""What a writer is asked to write about in a section: guiding questions per basic principle.

Both seeds write Styrkor and Utmaningar per article of the Convention (2, 3, 6, 12) and Förutsättningar as one
text. The editor shows these questions beside the text box, and for an empty Styrkor or Utmaningar text offers a
skeleton with one ``## Artikel N – Titel`` heading per article: the headings the report splits the text by. A
heading left without text is left out of the report, so a half-filled skeleton publishes only what was written.
"""

from __future__ import annotations

from dataclasses import dataclass

from barnbokslut.report.sections import ARTICLE_TITLES, ARTICLES, article_heading
from barnbokslut.web.editions.models import SectionKind

#: What each basic principle asks of a unit, in the words of a barnrättsstrateg.
ARTICLE_QUESTIONS: dict[int, str] = {
    2: "Får alla barn samma möjligheter, oavsett kön, funktionsnedsättning, ursprung, ekonomi eller var de bor? "
    "Vilka barn riskerar att inte nås, och vad gör ni åt det?",
    3: "Hur prövas barnets bästa inför beslut som rör barn? Görs barnkonsekvensanalyser, och hur påverkade de "
    "besluten?",
    6: "Hur bidrar verksamheten till barns hälsa, trygghet, lärande och fritid, och till att barn utvecklas "
    "så långt det är möjligt?",
    12: "Hur får barn säga vad de tycker i frågor som rör dem, och hur får de veta vad deras åsikter ledde till?",
}

#: What the kind of text is for, shown above the questions.
KIND_LEADS: dict[str, str] = {
    SectionKind.FORUTSATTNINGAR: "Beskriv verksamheten och vilka barn den möter: uppdrag, resurser, styrdokument "
    "och samverkan som påverkar arbetet med barnets rättigheter.",
    SectionKind.STYRKOR: "Skriv per artikel vad som fungerar bra, med exempel från året.",
    SectionKind.UTMANINGAR: "Skriv per artikel vad som behöver bli bättre och varför.",
}


@dataclass(frozen=True)
class Question:
    heading: str
    text: str


@dataclass(frozen=True)
class Prompt:
    """The guidance for one section: a lead, questions, and the skeleton offered for an empty text."""

    lead: str
    questions: tuple[Question, ...]
    skeleton: str

    @property
    def per_article(self) -> bool:
        return bool(self.skeleton)


def skeleton() -> str:
    """One ``## Artikel N – Titel`` heading per basic principle, with an empty line to write on under each."""
    return "\n\n".join(f"## {article_heading(a, ARTICLE_TITLES[a])}\n\n" for a in ARTICLES).rstrip() + "\n\n"


def prompt_for(kind: str) -> Prompt | None:
    """The guidance for a section of ``kind``; None for kinds without prompts (Inledning, Slutsatser …)."""
    if kind not in KIND_LEADS:
        return None
    questions = tuple(Question(article_heading(a, ARTICLE_TITLES[a]), ARTICLE_QUESTIONS[a]) for a in ARTICLES)
    per_article = kind in (SectionKind.STYRKOR, SectionKind.UTMANINGAR)
    return Prompt(KIND_LEADS[kind], questions, skeleton() if per_article else "")
