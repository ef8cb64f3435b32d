"""Rapportens struktur: the coordinator decides which parts the edition's report has, in which order, under which
heading and with which lead text.

``Edition.structure`` holds the structure as the folder's ``barnbokslut.toml`` writes it (``[[avsnitt]]``
entries, see ``report/structure.py``), read by ``publishing.report_from_db`` through ``parse_settings``. This page
is a plain form with indexed fields: the parts in report order (``d-<n>-typ``, ``d-<n>-niva`` for the depth,
``d-<n>-rubrik``, ``d-<n>-visa``, ``d-<n>-ingress``, …) and the settings (numbered headings, article titles, how
abbreviations are joined). Every button posts the whole form: *Spara*, or an operation on one part (move up or
down, into the part above, out of its part, remove) or adding a part. The result is checked by ``parse_settings``
(and a few rules of the page's own); with any problem nothing is saved and the page shows the messages in
Swedish. Choosing another preset (kommun / nämnd eller förvaltning) replaces the parts after a confirmation.

Only the samordnare and the administratör use it, while the edition is open (else 403). Each change is written
to the audit log; the structure is carried over to next year's edition (``services.start_edition``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from barnbokslut.localdata.suppression import DEFAULT_THRESHOLD
from barnbokslut.report.registry import KINDS
from barnbokslut.report.sections import ARTICLE_TITLES, ARTICLES
from barnbokslut.report.structure import (
    GROUPINGS,
    MAX_DEPTH,
    MAX_HEADING,
    MAX_SMALL_COUNTS,
    PRESET_NAMES,
    PRESETS,
    StructureSettings,
    parse_settings,
    to_entries,
)
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.accounts.permissions import Action, can, require, require_open
from barnbokslut.web.editions.models import Edition
from barnbokslut.web.editions.views_edition import edition_for, edition_links

__all__ = ["JOINERS", "structure_page"]

NOT_MANAGER = "Bara samordnare och administratörer kan ändra rapportens struktur."
FILE, WHERE = "Struktur", "årgången"
MAX_PARTS = 60
MAX_LEAD = 5000
MAX_TEXT = 50000
#: How the abbreviations of the units are joined in the tables: "(SVF, FIP)".
JOINERS = {", ": "Kommatecken: (SVF, FIP)", " & ": "Och-tecken: (F & V)", " / ": "Snedstreck: (F / V)"}
_NULAGE_KEYS = {"forutsattningar": "Förutsättningar", "styrkor": "Styrkor", "utmaningar": "Utmaningar"}
_WHERE = re.compile(r"\[\[avsnitt\]\] nr (\d+)((?: › delar nr \d+)*)")
#: The key of an own text: "egen-text-1" made here, or a folder's file name ("texter/bakgrund.md") when imported.
_TEXT_KEY = re.compile(r"^[\w][\w./-]{0,199}$")


@dataclass
class Item:
    """One part of the form, flat: its depth (1 = main part) and its ``[[avsnitt]]`` entry without children."""

    depth: int
    entry: dict[str, Any]
    text: str = ""  # kind "text": its Markdown (Edition.structure["texter"][fil])
    errors: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return str(self.entry.get("typ", ""))


# ----------------------------------------------------------------------------------------------------
# The structure as a flat list and back


def _settings(edition: Edition, problems: list[str]) -> StructureSettings:
    stored = edition.structure if isinstance(edition.structure, Mapping) else {}
    default = "kommun" if edition.organisation.kommun else "namnd"
    return parse_settings(stored, file=FILE, where=WHERE, problems=problems, default=default)


def _stored_texts(edition: Edition) -> dict[str, str]:
    texts = edition.structure.get("texter") if isinstance(edition.structure, Mapping) else None
    return {str(k): v for k, v in texts.items() if isinstance(v, str)} if isinstance(texts, Mapping) else {}


def _flatten(entries: list[dict[str, Any]], texts: Mapping[str, str], depth: int = 1) -> list[Item]:
    items = []
    for entry in entries:
        own = {k: v for k, v in entry.items() if k != "delar"}
        items.append(Item(depth, own, texts.get(str(own.get("fil", "")), "")))
        items += _flatten(entry.get("delar") or [], texts, depth + 1)
    return items


def _tree(items: list[Item]) -> list[dict[str, Any]]:
    """The flat items as nested entries (depths are checked by ``_depth_problems`` first)."""
    root: list[dict[str, Any]] = []
    stack: list[tuple[int, list[dict[str, Any]]]] = [(0, root)]
    for item in items:
        entry = dict(item.entry)
        while stack[-1][0] >= item.depth:
            stack.pop()
        stack[-1][1].append(entry)
        children: list[dict[str, Any]] = []
        entry["delar"] = children
        stack.append((item.depth, children))

    def clean(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for entry in entries:
            if entry["delar"]:
                clean(entry["delar"])
            else:
                del entry["delar"]
        return entries

    return clean(root)


def _numbers(items: list[Item]) -> list[str]:
    """ "1", "1.1", "2", … for each item by its place in the tree."""
    counters: list[int] = []
    out = []
    for item in items:
        counters = counters[: item.depth]
        while len(counters) < item.depth:
            counters.append(0)
        counters[-1] += 1
        out.append(".".join(str(n) for n in counters))
    return out


def _subtree_end(items: list[Item], index: int) -> int:
    end = index + 1
    while end < len(items) and items[end].depth > items[index].depth:
        end += 1
    return end


def _previous_sibling(items: list[Item], index: int) -> int | None:
    depth = items[index].depth
    for k in range(index - 1, -1, -1):
        if items[k].depth < depth:
            return None
        if items[k].depth == depth:
            return k
    return None


def _parent(items: list[Item], index: int) -> int | None:
    depth = items[index].depth
    return next((k for k in range(index - 1, -1, -1) if items[k].depth < depth), None)


def _subtree_depth(items: list[Item], index: int) -> int:
    return max(item.depth for item in items[index : _subtree_end(items, index)]) - items[index].depth


def _takes_children(item: Item) -> bool:
    spec = KINDS.get(item.kind)
    return spec is not None and spec.children


def _can(items: list[Item], index: int, operation: str) -> bool:
    if not 0 <= index < len(items):
        return False
    if operation == "upp":
        return _previous_sibling(items, index) is not None
    if operation == "ned":
        end = _subtree_end(items, index)
        return end < len(items) and items[end].depth == items[index].depth
    if operation == "in":
        above = _previous_sibling(items, index)
        return (
            above is not None
            and _takes_children(items[above])
            and items[index].depth + _subtree_depth(items, index) < MAX_DEPTH
        )
    if operation == "ut":
        return items[index].depth > 1
    return operation == "bort"


def _apply(items: list[Item], index: int, operation: str) -> list[Item]:
    """``items`` with one operation done on the part at ``index`` (and the parts under it)."""
    end = _subtree_end(items, index)
    block = items[index:end]
    if operation == "upp":
        above = _previous_sibling(items, index)
        assert above is not None
        return items[:above] + block + items[above:index] + items[end:]
    if operation == "ned":
        below_end = _subtree_end(items, end)
        return items[:index] + items[end:below_end] + block + items[below_end:]
    if operation == "in":
        for item in block:
            item.depth += 1
        return items
    if operation == "ut":
        parent = _parent(items, index)
        assert parent is not None
        parent_end = _subtree_end(items, parent)
        for item in block:
            item.depth -= 1
        rest = items[:index] + items[end:parent_end]
        return rest + block + items[parent_end:]
    if operation == "bort":  # the parts under it take its place
        for item in block[1:]:
            item.depth -= 1
        return items[:index] + block[1:] + items[end:]
    raise ValueError(operation)


def _addable(items: list[Item]) -> list[tuple[str, str]]:
    """The kinds that can be added: repeatable ones (kapitel, egen text) and those not yet in the structure."""
    present = {item.kind for item in items}
    choices = []
    for name, spec in KINDS.items():
        if spec.internal or (name in present and not spec.repeatable):
            continue
        label = {"kapitel": "Kapitel (en rubrik med delar under sig)", "text": "Egen text"}.get(name)
        choices.append((name, label or f"{spec.title} – {spec.description}"))
    return choices


def _new_item(kind: str, items: list[Item]) -> Item:
    entry: dict[str, Any] = {"typ": kind}
    if kind == "kapitel":
        entry["rubrik"] = "Nytt kapitel"
    if kind == "text":
        used = {str(item.entry.get("fil", "")) for item in items}
        number = 1
        while f"egen-text-{number}" in used:
            number += 1
        entry.update(rubrik="Egen text", fil=f"egen-text-{number}")
    return Item(1, entry)


# ----------------------------------------------------------------------------------------------------
# The posted form


@dataclass
class Posted:
    items: list[Item]
    numbered: bool
    joiner: str
    abbreviations_title: str
    articles: dict[str, str]
    problems: list[str]
    small_counts: int | str = DEFAULT_THRESHOLD  # as posted ("" or text: a problem)


def _small_counts(raw: str) -> int | str:
    """The posted threshold for small counts: empty is the default; anything but a whole number is kept as
    posted so that ``parse_settings`` names it."""
    if not raw:
        return DEFAULT_THRESHOLD
    number = _whole_number(raw)
    return raw if number is None else number


def _whole_number(raw: str) -> int | None:
    """A posted whole number, or None: a forged form can post "", "-1", "²" (a digit int() refuses) or more
    digits than int() reads."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def _read_post(post: QueryDict) -> Posted:
    """The posted form as items that always make a tree (a part at a wrong level is put at the nearest right
    one and marked), so that numbering, moving and showing the parts cannot fail on a forged form."""
    problems: list[str] = []
    count = _whole_number(post.get("antal", ""))
    if count is None or count > MAX_PARTS:
        problems.append(f"Formuläret är ofullständigt eller har fler än {MAX_PARTS} delar. Ladda om sidan.")
        count = 0
    items = []
    previous = 0
    for n in range(count):

        def value(name: str, n: int = n) -> str:
            return post.get(f"d-{n}-{name}", "").replace("\r\n", "\n")

        kind = value("typ").strip()
        depth = _whole_number(value("niva"))
        allowed = min(previous + 1, MAX_DEPTH)
        misplaced = depth is None or not 1 <= depth <= allowed
        depth = max(1, min(depth or 1, allowed))
        previous = depth
        entry: dict[str, Any] = {"typ": kind}
        title = " ".join(value("rubrik").split())
        if title:
            entry["rubrik"] = title
        if not value("visa"):
            entry["visa"] = False
        lead = value("ingress").strip()
        if lead:
            entry["ingress"] = lead
        if kind == "text":
            entry["fil"] = value("fil").strip()
        if kind == "nulage":
            grouping = value("gruppering") or "artikel"
            if grouping != "artikel":
                entry["gruppering"] = grouping
            headings = {k: " ".join(value(f"rubrik_{k}").split()) for k in _NULAGE_KEYS}
            if any(headings.values()):
                entry["rubriker"] = {k: v for k, v in headings.items() if v}
        spec = KINDS.get(kind)
        if spec is not None and spec.table and value("forkortningar"):
            entry["forkortningar"] = True
        item = Item(depth, entry, value("text").strip() if kind == "text" else "")
        if misplaced:
            item.errors.append("Delen ligger på fel nivå. Ladda om sidan och försök igen.")
        items.append(item)
    articles = {str(a): " ".join(post.get(f"artikel-{a}", "").split()) for a in ARTICLES}
    return Posted(
        items=items,
        numbered=bool(post.get("numrerade_rubriker")),
        joiner=post.get("forkortning_skiljetecken", ", ") or ", ",
        abbreviations_title=" ".join(post.get("forkortningar_rubrik", "").split()),
        articles={k: v for k, v in articles.items() if v},
        problems=problems,
        small_counts=_small_counts(post.get("sma_tal", "").strip()),
    )


def _own_problems(items: list[Item], numbers: list[str]) -> list[str]:
    """The page's rules besides ``parse_settings`` (wrong levels are marked by ``_read_post``): a heading for an
    own text, sizes."""
    problems = []
    if not items:
        problems.append("Rapporten behöver minst en del. Lägg till en del eller välj en mall.")
    for item, number in zip(items, numbers, strict=True):
        label = f"Del {number}"
        lead = str(item.entry.get("ingress", ""))
        if len(lead) > MAX_LEAD:
            item.errors.append(f"Ingressen är {len(lead)} tecken; högst {MAX_LEAD} går.")
        if item.kind == "text":
            if not item.entry.get("rubrik"):
                item.errors.append("En egen text behöver en rubrik.")
            if len(item.text) > MAX_TEXT:
                item.errors.append(f"Texten är {len(item.text)} tecken; högst {MAX_TEXT} går.")
            if not _TEXT_KEY.match(str(item.entry.get("fil", ""))):
                item.errors.append("Textens nyckel är felaktig. Ladda om sidan och försök igen.")
        if item.kind == "nulage" and item.entry.get("gruppering", "artikel") not in GROUPINGS:
            item.errors.append("Välj gruppering per artikel eller per område.")
        problems += [f"{label}: {error}" for error in item.errors]
    return problems


def _friendly(problem: str, items: list[Item], numbers: list[str]) -> tuple[str, int | None]:
    """ "Struktur, [[avsnitt]] nr 2 › delar nr 1, fält ”rubrik”: …" → "Del 2.1 (Upplägg), fält ”rubrik”: …"."""
    article = re.match(rf"{FILE}, \[artiklar\], fält ”(\d+)”: ", problem)
    if article is not None:
        return f"Rubriken för artikel {article.group(1)}: " + problem[article.end() :], None
    match = _WHERE.search(problem)
    if match is None:
        return problem.removeprefix(f"{FILE}, {WHERE}, "), None
    number = ".".join([match.group(1), *re.findall(r"\d+", match.group(2))])
    index = numbers.index(number) if number in numbers else None
    name = ""
    if index is not None:
        entry = items[index].entry
        spec = KINDS.get(items[index].kind)
        name = f" ({entry.get('rubrik') or (spec.title if spec else '') or items[index].kind})"
    text = problem[: match.start()] + f"Del {number}{name}" + problem[match.end() :]
    return text.removeprefix(f"{FILE}, "), index


def _candidate(posted: Posted, mall: str) -> dict[str, Any]:
    structure: dict[str, Any] = {
        "mall": mall,
        "numrerade_rubriker": posted.numbered,
        "avsnitt": _tree(posted.items),
    }
    if posted.articles:
        structure["artiklar"] = posted.articles
    if posted.joiner != ", ":
        structure["forkortning_skiljetecken"] = posted.joiner
    if posted.abbreviations_title and posted.abbreviations_title != "Förkortningar":
        structure["forkortningar_rubrik"] = posted.abbreviations_title
    if posted.small_counts != DEFAULT_THRESHOLD:
        structure["sma_tal"] = posted.small_counts
    texts = {str(i.entry["fil"]): i.text for i in posted.items if i.kind == "text" and i.text}
    if texts:
        structure["texter"] = texts
    return structure


def _check(posted: Posted, mall: str) -> tuple[dict[str, Any], list[str]]:
    """The structure to store and every problem with it (nothing is stored while there is one)."""
    numbers = _numbers(posted.items)
    problems = posted.problems + _own_problems(posted.items, numbers)
    candidate = _candidate(posted, mall)
    found: list[str] = []
    parse_settings(candidate, file=FILE, where=WHERE, problems=found, default=mall)
    for problem in found:
        text, index = _friendly(problem, posted.items, numbers)
        problems.append(text)
        if index is not None:
            posted.items[index].errors.append(text.split(": ", 1)[-1])
    return candidate, problems


def _normalised(edition: Edition) -> dict[str, Any]:
    """The stored structure as this page would store it, to tell whether anything changed."""
    current = _current(edition, _settings(edition, []))
    return _candidate(current, _mall(edition))


def _default(edition: Edition) -> str:
    return "kommun" if edition.organisation.kommun else "namnd"


def _mall(edition: Edition) -> str:
    stored = edition.structure.get("mall") if isinstance(edition.structure, Mapping) else None
    return stored if isinstance(stored, str) and stored in PRESETS else _default(edition)


def _current(edition: Edition, settings: StructureSettings) -> Posted:
    stored = edition.structure if isinstance(edition.structure, Mapping) else {}
    title = settings.abbreviations_title
    return Posted(
        items=_flatten(to_entries(settings.structure), _stored_texts(edition)),
        numbered=settings.structure.numbered,
        joiner=settings.joiner,
        abbreviations_title="" if title == "Förkortningar" else title,
        articles={str(a): t for a, t in settings.article_titles.items()},
        problems=[] if isinstance(stored, Mapping) else ["Den sparade strukturen kunde inte läsas."],
        small_counts=settings.small_counts,
    )


# ----------------------------------------------------------------------------------------------------
# The page


def _editable(request: HttpRequest, pk: int) -> Edition:
    """The edition, if the user manages its organisation and it is still open (404 unknown, else 403)."""
    edition = edition_for(request, pk)
    require(can(request.user, Action.MANAGE, edition.organisation), NOT_MANAGER)
    require_open(edition)
    return edition


def _part_rows(items: list[Item]) -> list[dict[str, Any]]:
    numbers = _numbers(items)
    rows = []
    for n, (item, number) in enumerate(zip(items, numbers, strict=True)):
        spec = KINDS.get(item.kind)
        entry = item.entry
        headings = entry.get("rubriker") if isinstance(entry.get("rubriker"), Mapping) else {}
        rows.append(
            {
                "n": n,
                "number": number,
                "depth": item.depth,
                "kind": item.kind,
                "name": (spec.title if spec else "")
                or {"kapitel": "Kapitel", "text": "Egen text"}.get(item.kind, item.kind),
                "description": spec.description if spec else "",
                "default_title": spec.title if spec else "",
                "title": entry.get("rubrik", ""),
                "enabled": entry.get("visa", True) is not False,
                "lead": entry.get("ingress", ""),
                "file": entry.get("fil", ""),
                "text": item.text,
                "grouping": entry.get("gruppering", "artikel"),
                "headings": [
                    (key, label, (headings or {}).get(key, "")) for key, label in _NULAGE_KEYS.items()
                ],
                "abbreviations": bool(entry.get("forkortningar")),
                "is_table": bool(spec and spec.table),
                "needs_figures": bool(spec and spec.needs_figures),
                "errors": item.errors,
                "can": {op: _can(items, n, op) for op in ("upp", "ned", "in", "ut")},
            }
        )
    return rows


def _render(
    request: HttpRequest,
    edition: Edition,
    posted: Posted,
    mall: str,
    *,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    joiners = dict(JOINERS)
    if posted.joiner not in joiners:
        joiners[posted.joiner] = f"Eget: ({posted.joiner.join(('A', 'B'))})"
    context = {
        "edition": edition,
        "links": edition_links(edition),
        "mall": mall,
        "mall_name": PRESET_NAMES.get(mall, mall),
        "presets": list(PRESET_NAMES.items()),
        "parts": _part_rows(posted.items),
        "count": len(posted.items),
        "numbered": posted.numbered,
        "joiner": posted.joiner,
        "joiners": list(joiners.items()),
        "abbreviations_title": posted.abbreviations_title,
        "small_counts": posted.small_counts,
        "max_small_counts": MAX_SMALL_COUNTS,
        "articles": [(a, ARTICLE_TITLES[a], posted.articles.get(str(a), "")) for a in ARTICLES],
        "addable": _addable(posted.items),
        "groupings": list(GROUPINGS.items()),
        "problems": problems or [],
        "max_heading": MAX_HEADING,
        "has_kommun": bool(edition.organisation.kommun),
    }
    return render(request, "editions/edition/structure.html", context, status=status)


def _save(request: HttpRequest, edition: Edition, structure: dict[str, Any], what: str) -> bool:
    """Store ``structure`` unless it is what is stored already; log the change. Returns whether it changed."""
    with transaction.atomic():
        locked = Edition.objects.select_for_update().select_related("organisation").get(pk=edition.pk)
        if _normalised(locked) == structure:
            return False
        locked.structure = structure
        locked.save(update_fields=["structure"])
        record(
            AuditAction.ORGANISATION_CHANGED,
            f"Ändrade rapportens struktur i {edition.title} {edition.year}: {what}",
            request=request,
            organisation=edition.organisation,
            obj=edition,
        )
    return True


def _operation(post: QueryDict) -> tuple[str, int | None]:
    action = post.get("gor", "spara")
    name, _, raw = action.partition(":")
    if name in ("upp", "ned", "in", "ut", "bort"):
        index = _whole_number(raw)
        return name, -1 if index is None else index  # -1: no such part, "Delen kan inte flyttas dit."
    if name in ("spara", "lagg-till", "byt-mall", "bekrafta-mall"):
        return name, None
    return "okand", None


_DONE = {
    "upp": "flyttade ”{}” uppåt",
    "ned": "flyttade ”{}” nedåt",
    "in": "flyttade ”{}” in under delen ovanför",
    "ut": "flyttade ”{}” ut ur sin del",
    "bort": "tog bort ”{}”",
}


@login_required
@require_http_methods(["GET", "POST"])
def structure_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the report structure of an open edition (samordnare, administratör)."""
    edition = _editable(request, pk)
    mall = _mall(edition)
    if request.method == "GET":
        problems: list[str] = []
        current = _current(edition, _settings(edition, problems))
        shown = [_friendly(p, current.items, _numbers(current.items))[0] for p in problems]
        return _render(request, edition, current, mall, problems=shown + current.problems)

    operation, index = _operation(request.POST)
    if operation in ("byt-mall", "bekrafta-mall"):
        return _change_preset(request, edition, confirmed=operation == "bekrafta-mall")
    posted = _read_post(request.POST)
    what = "sparade delarna och inställningarna"
    if operation == "okand":
        posted.problems.append("Formuläret bad om något sidan inte kan göra. Ladda om sidan och försök igen.")
    elif operation == "lagg-till":
        kind = request.POST.get("ny_typ", "")
        if kind not in dict(_addable(posted.items)):
            posted.problems.append("Välj en del att lägga till.")
        else:
            posted.items.append(_new_item(kind, posted.items))
            what = f"lade till ”{posted.items[-1].entry.get('rubrik') or KINDS[kind].title}”"
    elif index is not None:
        if not _can(posted.items, index, operation):
            posted.problems.append("Delen kan inte flyttas dit.")
        else:
            item = posted.items[index]
            spec = KINDS.get(item.kind)
            what = _DONE[operation].format(item.entry.get("rubrik") or (spec.title if spec else item.kind))
            posted.items = _apply(posted.items, index, operation)
    structure, problems = _check(posted, mall)
    if problems:
        return _render(request, edition, posted, mall, problems=problems, status=400)
    if _save(request, edition, structure, what):
        messages.success(request, f"Rapportens struktur är sparad ({what}).")
    else:
        messages.info(request, "Inget ändrades i rapportens struktur.")
    return redirect("editions:structure", pk=edition.pk)


def _change_preset(request: HttpRequest, edition: Edition, *, confirmed: bool) -> HttpResponse:
    chosen = request.POST.get("mall", "")
    if chosen not in PRESETS:
        messages.error(request, "Välj en av mallarna.")
        return redirect("editions:structure", pk=edition.pk)
    if not confirmed:
        context = {
            "edition": edition,
            "links": edition_links(edition),
            "chosen": chosen,
            "chosen_name": PRESET_NAMES[chosen],
            "parts": [KINDS[p.kind].title or p.title for p in PRESETS[chosen].parts],
            "has_kommun": bool(edition.organisation.kommun),
        }
        return render(request, "editions/edition/structure_preset.html", context)
    problems: list[str] = []
    settings = _settings(edition, problems)
    current = _current(edition, settings)
    preset = PRESETS[chosen]
    current.items = _flatten(to_entries(preset), {})
    current.numbered = preset.numbered
    structure, problems = _check(current, chosen)
    if problems:  # the article titles or the joiner stored before are wrong: show them
        return _render(request, edition, current, chosen, problems=problems, status=400)
    name = PRESET_NAMES[chosen]
    if _save(request, edition, structure, f"valde mallen {name}"):
        messages.success(request, f"Rapporten har nu delarna i mallen {name}.")
    else:
        messages.info(request, "Inget ändrades i rapportens struktur.")
    return redirect("editions:structure", pk=edition.pk)
