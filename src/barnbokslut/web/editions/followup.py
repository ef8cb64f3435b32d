"""A follow-up row's actions one by one: the status mapping, the row's effective status, the action splitter.

A ``FollowUp`` row either has ``actions`` (``[{"text", "status", "comment"}]``, each with its own status) or
is one action (``action`` with ``status`` and ``comment``, as before). With actions, the row's ``status`` is an
override: when blank, the row's status is derived from the actions' by ``barnbokslut.report.model.
derived_status`` (all Genomförd → Genomförd, all Ej påbörjad → Ej påbörjad, else Påbörjad). The derivation
needs every action's status: while one is not set (and no override is), the row has no status yet, exactly
like a row without actions whose status is not set. Carried-over actions start without a status, so nothing
is reported as "Ej påbörjad" before anyone has looked.

When the actions are saved, ``action`` is rewritten as their numbered Markdown list (``actions_markdown``), so
whatever reads only ``action`` still sees every action. ``split_actions`` turns Markdown (last year's
``measures`` or a row's ``action``) into action texts; see its docstring for the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from barnbokslut.report.model import Status, derived_status
from barnbokslut.web.editions.models import FollowUp, FollowUpStatus

__all__ = [
    "MAX_ACTIONS",
    "MAX_ACTION_TEXT",
    "MAX_COMMENT",
    "REPORT_STATUS",
    "RowStatus",
    "action_items",
    "actions_from_text",
    "actions_markdown",
    "derived_row_status",
    "effective_status",
    "from_report_status",
    "report_status",
    "row_status",
    "split_actions",
]

MAX_ACTIONS = 20
MAX_ACTION_TEXT = 2000
MAX_COMMENT = 5000

#: The web app's follow-up status (stored value) ↔ the report's.
REPORT_STATUS: dict[FollowUpStatus, Status] = {
    FollowUpStatus.STARTED: Status.STARTED,
    FollowUpStatus.DONE: Status.DONE,
    FollowUpStatus.NOT_STARTED: Status.NOT_STARTED,
}
_FROM_REPORT = {report: web for web, report in REPORT_STATUS.items()}
_VALUES = frozenset(FollowUpStatus.values)


def report_status(value: str) -> Status | None:
    """The report's status for a stored status value; ``None`` for blank (or an unknown value)."""
    return REPORT_STATUS[FollowUpStatus(value)] if value in _VALUES else None


def from_report_status(status: Status) -> FollowUpStatus:
    return _FROM_REPORT[status]


def action_items(row: FollowUp) -> list[dict[str, str]]:
    """The row's ``actions`` as clean dicts (text, status, comment); entries of another shape are skipped."""
    items = []
    for entry in row.actions if isinstance(row.actions, list) else []:
        if not isinstance(entry, dict):
            continue
        status = entry.get("status")
        items.append(
            {
                "text": str(entry.get("text") or ""),
                "status": status if status in _VALUES else "",
                "comment": str(entry.get("comment") or ""),
            }
        )
    return items


def derived_row_status(actions: list[dict[str, str]]) -> FollowUpStatus | None:
    """The status derived from the actions'; ``None`` without actions or while one has no status."""
    statuses = [report_status(action.get("status", "")) for action in actions]
    if not statuses or any(status is None for status in statuses):
        return None
    return from_report_status(derived_status(tuple(s for s in statuses if s is not None)))


def effective_status(row: FollowUp) -> FollowUpStatus | None:
    """The row's status as the report shows it: its own when set, else derived from its actions (if any)."""
    if row.status in _VALUES:
        return FollowUpStatus(row.status)
    items = action_items(row)
    return derived_row_status(items) if items else None


@dataclass(frozen=True)
class RowStatus:
    """What the table says about a row's status, in words."""

    status: FollowUpStatus | None
    derived: bool  # from the actions (no override)
    missing: tuple[int, ...]  # numbers (1, 2, …) of actions without a status, when derived

    @property
    def label(self) -> str:
        return self.status.label if self.status is not None else "Ej angiven"

    @property
    def note(self) -> str:
        if not self.derived:
            return ""
        if self.missing:
            if len(self.missing) == 1:
                return f"åtgärd {self.missing[0]} saknar status"
            numbers = ", ".join(str(n) for n in self.missing[:-1])
            return f"åtgärderna {numbers} och {self.missing[-1]} saknar status"
        return "härledd ur åtgärderna"


def row_status(row: FollowUp) -> RowStatus:
    items = action_items(row)
    if row.status in _VALUES or not items:
        return RowStatus(effective_status(row), derived=False, missing=())
    missing = tuple(n for n, item in enumerate(items, start=1) if not item["status"])
    return RowStatus(derived_row_status(items), derived=True, missing=missing)


def actions_markdown(texts: list[str]) -> str:
    """The action texts as ``action`` stores them: one as is, several as a numbered list (1., 2., …)."""
    texts = [text.strip() for text in texts]
    if len(texts) == 1:
        return texts[0]
    items = []
    for number, text in enumerate(texts, start=1):
        marker = f"{number}. "
        first, *rest = text.split("\n")
        items.append(
            "\n".join(
                [marker + first, *((" " * len(marker) + line) if line.strip() else "" for line in rest)]
            )
        )
    return "\n".join(items)


_ORDERED = re.compile(r"^( {0,3})(\d{1,9})[.)](?:[ \t]+|$)")
_BULLET = re.compile(r"^( {0,3})[-*+](?:[ \t]+|$)")


@dataclass
class _Block:
    item: bool
    lines: list[str]
    column: int = 0  # where an item's content starts; lines indented this far continue it

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


def split_actions(markdown: str) -> list[str]:
    """Split Markdown into action texts: one per top-level list item, or the whole text as one action.

    - A numbered list (``1.`` or ``1)``, starting at any number; the numbers themselves are not kept) or a
      bullet list (``-``, ``*``, ``+``) gives one action per top-level item. An item spans its following
      lines, indented (nested lists, further paragraphs) or not (a wrapped line right below it).
    - Text outside the list is never an action of its own, so action n is item n of the list: text before the
      first item is put in front of the first action, text after an item (after the list, or between two
      parts of it) after that item's action, each as its own paragraph.
    - As in CommonMark, a numbered line continues a paragraph of plain text unless it is numbered 1 or follows
      a blank line ("… under\\n2024. …" is not a list).
    - Text without a list is one action (stripped); empty text none. A list of more than ``MAX_ACTIONS``
      items is not split either: the whole text is one action, for the coordinator to divide.
    """
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")
    blocks: list[_Block] = []
    current: _Block | None = None
    after_blank = True
    for line in lines:
        if not line.strip():
            if current is not None:
                current.lines.append("")
            after_blank = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        marker = _ORDERED.match(line) or _BULLET.match(line)
        interrupts = marker is not None and not (
            current is not None
            and not current.item
            and not after_blank
            and marker.re is _ORDERED
            and int(marker.group(2)) != 1
        )
        if current is not None and current.item and indent >= current.column:
            current.lines.append(line[current.column :])
        elif marker is not None and interrupts:
            column = (
                len(marker.group(0)) if line[len(marker.group(0)) :].strip() else len(marker.group(0)) + 1
            )
            current = _Block(True, [line[len(marker.group(0)) :]], column)
            blocks.append(current)
        elif current is not None and (not current.item or not after_blank):
            # A paragraph of plain text goes on; an item's wrapped line right below it (lazy continuation).
            current.lines.append(line if not current.item else line.lstrip(" "))
        else:
            current = _Block(False, [line])
            blocks.append(current)
        after_blank = False

    whole = markdown.strip()
    items = [block for block in blocks if block.item]
    if not items or len(items) > MAX_ACTIONS:
        return [whole] if whole else []
    actions: list[list[str]] = []
    lead: list[str] = []
    for block in blocks:
        text = block.text
        if block.item:
            actions.append([*lead, text] if text else lead[:])
            lead = []
        elif text and actions:
            actions[-1].append(text)
        elif text:
            lead.append(text)
    return [text for parts in actions if (text := "\n\n".join(p for p in parts if p))]


def actions_from_text(markdown: str) -> list[dict[str, Any]]:
    """``split_actions`` as stored actions, each without a status or comment."""
    return [{"text": text, "status": "", "comment": ""} for text in split_actions(markdown)]
