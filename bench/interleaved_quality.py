"""Benchmark: how well the columns of an OCR'd follow-up table are told apart (``importing/interleaved.py``).

Two measures, each printed as cells equal / compared and the share of words that landed in the right cell
(diacritics folded, so that OCR repair errors do not count here; the cells-equal figure counts them):

- **the Göteborg seed** against its hand-made reference (tests/importing/data/goteborg_tables.json, written by
  reading the OCR text, not from the program's output) — the table the reader's rules were developed on;
- **held out**: the follow-up rows of both example folders (texts the rules were not tuned on), laid out as
  OCR reads a four-column table: each cell wrapped at its column's width, the lines of a row read across the
  page (``interleave``).

Run from the project root::

    .venv/bin/python bench/interleaved_quality.py
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from barnbokslut.importing import read_document, understand  # noqa: E402
from barnbokslut.importing.interleaved import Widths, read_rows  # noqa: E402
from barnbokslut.importing.interleaved import fold as _fold  # noqa: E402
from barnbokslut.importing.ocr_repair import load_word_list  # noqa: E402
from barnbokslut.importing.understand import DevelopmentRow, FollowUpRow  # noqa: E402

SEED = Path("/work/shared/seeds/001_eba51dd164c3257f.txt")
REFERENCE = ROOT / "tests" / "importing" / "data" / "goteborg_tables.json"
EXAMPLES = (ROOT / "examples" / "barnbokslut-namnd", ROOT / "examples" / "barnbokslut-exempel")
#: Column widths in characters of the laid-out held-out table: område, åtgärder, status, kommentar.
LAYOUT = (13, 29, 6, 29)

Cells = tuple[str, ...]  # follow-up: område (units in parentheses), åtgärder, status, kommentar


@dataclass
class Score:
    equal: int  # cells equal (spaces folded)
    cells: int
    words_right: int
    words: int
    equal_folded: int = 0  # cells equal but for diacritics and case: the columns right, an OCR repair wrong

    @property
    def words_pct(self) -> float:
        return 100 * self.words_right / self.words if self.words else 0.0


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", _fold(text)))


def score(expected: Sequence[Cells], got: Sequence[Cells]) -> Score:
    """Row by row in order: cells equal (spaces folded) and words of each expected cell found in that cell."""
    result = Score(0, 0, 0, 0)
    for index, want in enumerate(expected):
        have = got[index] if index < len(got) else ("",) * len(want)
        for a, b in zip(want, have, strict=True):
            result.cells += 1
            result.equal += _norm(a) == _norm(b)
            result.equal_folded += _norm(_fold(a)) == _norm(_fold(b))
            words = _words(a)
            result.words += sum(words.values())
            result.words_right += sum((words & _words(b)).values())
    return result


def found_cells(row: FollowUpRow) -> Cells:
    """A found row as the four cells of the table: the actions numbered when there are several."""
    area = f"{row.omrade} ({', '.join(row.verksamheter)})" if row.verksamheter else row.omrade
    several = len(row.atgarder) > 1
    actions = "\n".join(f"{n}. {a.text}" if several else a.text for n, a in enumerate(row.atgarder, 1))
    comments = "\n".join(
        f"{n}. {a.kommentar}" if several else a.kommentar
        for n, a in enumerate(row.atgarder, 1)
        if a.kommentar
    )
    statuses = {a.status for a in row.atgarder if a.status}
    return (area, actions, statuses.pop() if len(statuses) == 1 else "", comments)


def reference_cells() -> list[Cells]:
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return [
        (
            f"{r['omrade']} ({', '.join(r['verksamheter'])})",
            r["atgarder"],
            r["status"] if "\n" not in r["status"] else "",
            r["kommentar"],
        )
        for r in data["uppfoljning"]
    ]


def development_reference() -> list[Cells]:
    """The seed's development areas, hand-made: område (units), åtgärder, förväntade resultat."""
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return [
        (f"{r['omrade']} ({', '.join(r['verksamheter'])})", r["atgarder"], r["forvantade_resultat"])
        for r in data["utvecklingsomraden"]
    ]


def development_cells(row: DevelopmentRow) -> Cells:
    area = f"{row.omrade} ({', '.join(row.verksamheter)})" if row.verksamheter else row.omrade
    return (area, row.atgarder, row.forvantade_resultat)


def example_cells() -> list[Cells]:
    """The follow-up rows of the example folders as table cells (status: the first action's)."""
    rows: list[Cells] = []
    for folder in EXAMPLES:
        data = tomllib.loads((folder / "barnbokslut.toml").read_text(encoding="utf-8"))
        for item in data.get("uppfoljning", []):
            area = f"{item['område']} ({', '.join(item.get('verksamheter', []))})"
            if "åtgärder" in item:
                actions = item["åtgärder"]
                several = len(actions) > 1
                text = "\n".join(
                    f"{n}. {a['text']}" if several else a["text"] for n, a in enumerate(actions, 1)
                )
                comment = "\n".join(
                    f"{n}. {a.get('kommentar', '')}" if several else a.get("kommentar", "")
                    for n, a in enumerate(actions, 1)
                    if a.get("kommentar")
                )
                statuses = {a.get("status", "") for a in actions}
                rows.append((area, text, statuses.pop() if len(statuses) == 1 else "", comment))
            else:
                rows.append((area, item["åtgärd"], item.get("status", ""), item.get("kommentar", "")))
    return rows


def interleave(rows: Iterable[Cells], widths: Sequence[int] = LAYOUT) -> list[str]:
    """The text OCR makes of a four-column table: each cell wrapped at its column's width (a word longer than
    the column broken without a hyphen), numbered items on their own lines, each row's lines read across."""
    lines = ["Utvecklingso", "mråden Åtgärder Status | Ev. kommentar", "föregående", "år"]
    for row in rows:
        columns = []
        for cell, width in zip(row, widths, strict=True):
            wrapped: list[str] = []
            for item in cell.split("\n"):
                wrapped += textwrap.wrap(item, width, break_long_words=True, break_on_hyphens=False)
            columns.append(wrapped)
        for i in range(max(len(c) for c in columns)):
            lines.append(" ".join(c[i] for c in columns if i < len(c)))
    return lines


def held_out() -> tuple[list[Cells], list[Cells]]:
    expected = example_cells()
    units = sorted({u for area, *_ in expected for u in re.findall(r"[A-ZÅÄÖ]{2,5}|\b[A-Z]\b", area)})
    area, actions, _, comment = LAYOUT
    widths = Widths(area + 1, actions, comment)
    got = read_rows(interleave(expected), units, widths, load_word_list())
    return expected, [(r.area, r.actions, r.status, r.comment) for r in got]


def seed() -> tuple[list[Cells], list[Cells], list[Cells], list[Cells]] | None:
    """The seed's follow-up table as expected and as found, then its development areas as expected and found."""
    if not SEED.is_file() or not REFERENCE.is_file():
        return None
    found = understand(read_document(SEED))
    return (
        reference_cells(),
        [found_cells(r) for r in found.followup],
        development_reference(),
        [development_cells(r) for r in found.development],
    )


def main() -> None:
    measured = seed()
    if measured is None:
        print(f"Göteborgsfröet eller referensen saknas ({SEED}, {REFERENCE}).")
    else:
        for label, want, have in (
            ("uppföljningstabellen", measured[0], measured[1]),
            ("utvecklingsområdena", measured[2], measured[3]),
        ):
            s = score(want, have)
            print(
                f"Göteborg (OCR-text, {label}): {len(have)}/{len(want)} rader, celler lika {s.equal}/{s.cells} "
                f"(bortsett från å, ä, ö och versaler {s.equal_folded}), ord i rätt cell {s.words_pct:.1f} % "
                f"({s.words_right}/{s.words})"
            )
    expected, got = held_out()
    s = score(expected, got)
    print(
        f"exemplen utlagda som OCR-text (inte använda för att ta fram reglerna): {len(got)}/{len(expected)} rader, "
        f"celler lika {s.equal}/{s.cells}, ord i rätt cell {s.words_pct:.1f} % ({s.words_right}/{s.words})"
    )
    rows = reference_cells()
    got = read_rows(
        interleave(rows), ["SVF", "FIP", "FOR", "BOU", "V", "F"], Widths(14, 29, 29), load_word_list()
    )
    s = score(rows, [(r.area, r.actions, r.status, r.comment) for r in got])
    print(
        f"Göteborgsreferensen utlagd som OCR-text (rena rader, samma regler): celler lika {s.equal}/{s.cells}, "
        f"ord i rätt cell {s.words_pct:.1f} %"
    )


if __name__ == "__main__":
    main()
