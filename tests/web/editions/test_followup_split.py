"""Splitting a development area's åtgärder into numbered actions, and the row status they give (pure)."""

from __future__ import annotations

import pytest

from barnbokslut.report.model import Status
from barnbokslut.web.editions.followup import (
    MAX_ACTIONS,
    REPORT_STATUS,
    actions_markdown,
    derived_row_status,
    from_report_status,
    report_status,
    split_actions,
)
from barnbokslut.web.editions.models import FollowUpStatus


@pytest.mark.parametrize(
    ("text", "actions"),
    [
        ("1. a\n2. b\n3. c", ["a", "b", "c"]),
        ("3. a\n4. b", ["a", "b"]),
        ("1) a\n2) b", ["a", "b"]),
        ("- a\n- b", ["a", "b"]),
        ("* a\n+ b", ["a", "b"]),
        ("\n\n1. a\n\n2. b\n\n", ["a", "b"]),
        (
            "1. Fler vuxna\npå rasterna\n2. Trygghetsvandring",
            ["Fler vuxna\npå rasterna", "Trygghetsvandring"],
        ),
        (
            "1. Fler vuxna\n   på rasterna\n\n   Två per skola.\n2. b",
            ["Fler vuxna\npå rasterna\n\nTvå per skola.", "b"],
        ),
        ("1. Enkät\n   - elever\n   - vårdnadshavare\n2. b", ["Enkät\n- elever\n- vårdnadshavare", "b"]),
        ("1. a\r\n2. b", ["a", "b"]),
    ],
)
def test_a_list_gives_one_action_per_item(text: str, actions: list[str]) -> None:
    assert split_actions(text) == actions


def test_plain_text_is_one_action_and_empty_text_none() -> None:
    assert split_actions("  Fler vuxna på rasterna.\nOch i matsalen.  ") == [
        "Fler vuxna på rasterna.\nOch i matsalen."
    ]
    assert split_actions("   \n ") == []


def test_text_before_the_list_goes_in_front_of_the_first_action_and_after_it_behind_the_last() -> None:
    text = "Under året ska vi:\n\n1. Fler vuxna\n2. Elevråd\n\nAnsvarig: rektor."

    assert split_actions(text) == ["Under året ska vi:\n\nFler vuxna", "Elevråd\n\nAnsvarig: rektor."]


def test_a_number_inside_a_sentence_is_not_a_list() -> None:
    assert split_actions("Arbetet påbörjades\n2024. Det fortsätter.") == [
        "Arbetet påbörjades\n2024. Det fortsätter."
    ]


def test_more_items_than_a_row_may_have_stay_one_action() -> None:
    text = "\n".join(f"{n}. Åtgärd {n}" for n in range(1, MAX_ACTIONS + 2))

    assert split_actions(text) == [text]


def test_the_stored_action_text_splits_back_into_the_same_actions() -> None:
    texts = ["a", "Vi ska:\n\nb\nc", "- x\n- y"]

    assert actions_markdown(texts) == "1. a\n2. Vi ska:\n\n   b\n   c\n3. - x\n   - y"
    assert split_actions(actions_markdown(texts)) == texts
    assert actions_markdown(["Bara en"]) == "Bara en"


def test_statuses_map_both_ways() -> None:
    assert {from_report_status(report) for report in REPORT_STATUS.values()} == set(FollowUpStatus)
    assert report_status("genomford") is Status.DONE
    assert report_status("") is None


@pytest.mark.parametrize(
    ("statuses", "row"),
    [
        (["genomford", "genomford"], FollowUpStatus.DONE),
        (["ej_paborjad", "ej_paborjad"], FollowUpStatus.NOT_STARTED),
        (["genomford", "ej_paborjad"], FollowUpStatus.STARTED),
        (["paborjad", "paborjad", "ej_paborjad"], FollowUpStatus.STARTED),
        (["genomford", ""], None),
        ([], None),
    ],
)
def test_the_row_status_is_derived_once_every_action_has_one(statuses: list[str], row) -> None:  # type: ignore[no-untyped-def]
    assert derived_row_status([{"text": "x", "status": s, "comment": ""} for s in statuses]) == row
