"""axe-core in the browser: ``axe_check(page)`` runs the axe-core bundled with axe-playwright-python (no network)
on the loaded page with the WCAG 2.1 A and AA rules and returns the violations as readable lines, so that
``assert not axe_check(page), ...`` says what to fix. ``only``, ``skip`` and ``context`` split one check into
parts (tests/web/browser/test_import_journey.py: colour contrast on fewer rows of a long table)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

__all__ = ["WCAG_21_AA", "Violation", "axe_check"]

#: axe-core tags for WCAG 2.0 and 2.1, levels A and AA.
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_AXE = Axe()


@dataclass(frozen=True)
class Violation:
    """One failed axe rule: its id, impact, what it asks for, and the selectors of the failing elements."""

    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]
    summary: str

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:8]) + (
            f" … (+{len(self.targets) - 8})" if len(self.targets) > 8 else ""
        )
        return (
            f"{self.rule} ({self.impact}): {self.help} [{len(self.targets)} nodes: {shown}]\n  {self.summary}"
        )


def _target(node: dict[str, Any]) -> str:
    # A target is a list of selectors (one per frame / shadow root); join them.
    return " >> ".join(str(part) for part in node.get("target", []))


def axe_check(
    page: Page,
    tags: tuple[str, ...] = WCAG_21_AA,
    *,
    only: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
    context: dict[str, Any] | None = None,
) -> list[Violation]:
    """Run axe-core on ``page`` with the rules tagged ``tags``; return every violation (empty when clean).

    ``only``: just these rules (ids such as ``"color-contrast"``) instead of the tagged ones; ``skip``: the tagged
    rules but these; ``context``: axe's ``{"include": [...], "exclude": [...]}`` (the whole page if not given).
    """
    run_only = {"type": "rule", "values": list(only)} if only else {"type": "tag", "values": list(tags)}
    options: dict[str, Any] = {"runOnly": run_only, "resultTypes": ["violations"]}
    if skip:
        options["rules"] = {rule: {"enabled": False} for rule in skip}
    response = _AXE.run(page, context=context, options=options).response
    violations = []
    for v in response["violations"]:
        nodes = v.get("nodes", [])
        summary = (nodes[0].get("failureSummary") or "").replace("\n", " ") if nodes else ""
        violations.append(
            Violation(
                rule=v["id"],
                impact=str(v.get("impact")),
                help=v["help"],
                help_url=v.get("helpUrl", ""),
                targets=tuple(_target(n) for n in nodes),
                summary=summary,
            )
        )
    return violations
