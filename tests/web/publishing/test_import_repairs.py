"""The review screen's OCR repairs grouped by word (publishing/import_repairs.py): one choice per group."""

from __future__ import annotations

from typing import Any

from barnbokslut.web.publishing.import_repairs import chosen_repairs, repair_groups


def _repair(original: str, replacement: str, line: int, reason: str, applied: bool = True) -> dict[str, Any]:
    return {
        "original": original,
        "ersättning": replacement,
        "rad": line,
        "kolumn": 1,
        "skäl": reason,
        "tillämpad": applied,
        "accepted": applied,
    }


CONTEXT = "Sammanhanget: 'for' är ett giltigt ord …"
SURE = "OCR-skada: a → å"
REPAIRS = [
    _repair("for", "för", 1, CONTEXT),
    _repair("pa", "på", 2, SURE),
    _repair("for", "för", 5, CONTEXT),
    _repair("Starka", "Stärka", 7, "Förslag, inte ändrat: …", applied=False),
    _repair("pa", "på", 9, SURE),
]


def test_a_word_repaired_the_same_way_is_one_group_and_the_doubtful_come_first() -> None:
    groups = repair_groups(REPAIRS)
    assert [(g.number, g.original, g.indices) for g in groups] == [
        (0, "for", (0, 2)),  # by context: doubtful
        (2, "Starka", (3,)),  # a suggestion: doubtful
        (1, "pa", (1, 4)),  # sure
    ]
    assert [g.doubtful for g in groups] == [True, True, False]
    assert groups[0].places == "rad 1 och 5"
    assert groups[1].places == "rad 7"
    assert groups[0].reasons == (CONTEXT,)


def test_many_places_are_listed_up_to_eight_lines() -> None:
    [group] = repair_groups([_repair("pa", "på", n, SURE) for n in range(10, 20)])
    assert group.places == "rad 10, 11, 12, 13, 14, 15, 16, 17 … (10 ställen)"


def test_a_ticked_group_turns_the_choice_of_every_place() -> None:
    # Group 1 ("pa" → "på", made) rejected everywhere, group 2 (the suggestion) accepted.
    assert chosen_repairs(REPAIRS, {1, 2}) == [True, False, True, True, False]
    assert chosen_repairs(REPAIRS, set()) == [True, True, True, False, True]


def test_the_same_word_repaired_and_suggested_are_two_groups() -> None:
    repairs = [
        _repair("for", "för", 1, CONTEXT),
        _repair("for", "för", 3, "Förslag, inte ändrat", applied=False),
    ]
    groups = repair_groups(repairs)
    assert len(groups) == 2
    assert chosen_repairs(repairs, {1}) == [True, True]
