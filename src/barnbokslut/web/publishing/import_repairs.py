"""The OCR repairs of an import review grouped for the review screen: one row per word repaired the same way.

An OCR'd report has a thousand repairs or more, most of them the same few words ("for" → "för" 91 times in the
Göteborg seed, 1,100 repairs in 528 groups). The coordinator decides per group: "Avvisa" rejects every place of
a repair, "Godta" accepts every place of a suggestion (a single place is changed in the text itself). Groups
that need a look come first: suggestions, repairs with several possible words, repairs of a compound and
repairs of a valid word by context; the sure ones ("pa" → "på") after them. Within each, in the order of the
text. A group's number is its place in the text order, so it is the same on the page and in the posted form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["RepairGroup", "chosen_repairs", "repair_groups"]

#: A reason with one of these needs a human look (``ocr_repair`` writes them).
DOUBTFUL_REASONS = ("flera möjliga", "sammansatt ord", "Sammanhanget:", "Förslag")
#: At most this many line numbers are listed for a group.
LINES_SHOWN = 8


@dataclass(frozen=True)
class RepairGroup:
    number: int  # the group's place in the text order
    original: str
    replacement: str
    applied: bool  # a repair made (True) or a suggestion (False)
    indices: tuple[int, ...]  # into the review's ``repairs``
    lines: tuple[int, ...]
    reasons: tuple[str, ...]  # the distinct reasons, in the text order
    accepted: bool  # the coordinator's choice (the same for every place of the group)

    @property
    def doubtful(self) -> bool:
        return not self.applied or any(mark in r for r in self.reasons for mark in DOUBTFUL_REASONS)

    @property
    def changed(self) -> bool:
        """The choice differs from the reader's: the group's checkbox is ticked."""
        return self.accepted != self.applied

    @property
    def places(self) -> str:
        """ "rad 12", "rad 12, 45 och 78", "rad 12, 45, … (91 ställen)"."""
        lines = [str(n) for n in self.lines[:LINES_SHOWN]]
        if len(self.lines) > LINES_SHOWN:
            return f"rad {', '.join(lines)} … ({len(self.lines)} ställen)"
        if len(lines) > 1:
            return f"rad {', '.join(lines[:-1])} och {lines[-1]}"
        return f"rad {lines[0]}"


def repair_groups(repairs: Sequence[Mapping[str, Any]]) -> list[RepairGroup]:
    """The review's repairs grouped by (original, replacement, made or suggested), doubtful groups first."""
    found: dict[tuple[str, str, bool], list[int]] = {}
    for i, repair in enumerate(repairs):
        found.setdefault((repair["original"], repair["ersättning"], bool(repair["tillämpad"])), []).append(i)
    groups = []
    for number, ((original, replacement, applied), indices) in enumerate(found.items()):
        reasons = list(dict.fromkeys(str(repairs[i]["skäl"]) for i in indices))
        groups.append(
            RepairGroup(
                number=number,
                original=original,
                replacement=replacement,
                applied=applied,
                indices=tuple(indices),
                lines=tuple(dict.fromkeys(int(repairs[i]["rad"]) for i in indices)),
                reasons=tuple(reasons),
                accepted=bool(repairs[indices[0]].get("accepted", applied)),
            )
        )
    return sorted(groups, key=lambda g: (not g.doubtful, g.number))


def chosen_repairs(repairs: Sequence[Mapping[str, Any]], ticked: set[int]) -> list[bool]:
    """Each repair's ``accepted`` after a form whose groups ``ticked`` (by number) turn the reader's choice."""
    accepted = [bool(r["tillämpad"]) for r in repairs]
    for group in repair_groups(repairs):
        if group.number in ticked:
            for i in group.indices:
                accepted[i] = not group.applied
    return accepted
