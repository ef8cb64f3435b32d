"""Benchmark: every kind of user input at its limit, ordinary and pathological (issue 12).

For each input kind, an ordinary input at the limit's size (the "normal" input: a long prose text, the largest
table the limits accept, an ordinary logo) and the pathological inputs that used to blow up (a quote of 12,288
dash lines, two different 99k texts, a million shared strings, a 50 MB cell, a 12000 × 12000 logo, …) are
each run: the fastest of three runs, the peak of Python's allocations (tracemalloc), and both as a ratio to
the normal input of that kind. Goal: every ratio under 20×. PASS/FAIL is printed; the exit code is 0 either
way (this is a benchmark).

Run from the project root (no database, no server)::

    .venv/bin/python bench/pathological.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "barnbokslut.web.test_settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from barnbokslut.localdata.reader import MAX_COLUMNS, MAX_ROWS, parse_table  # noqa: E402
from barnbokslut.report.markdown import to_text  # noqa: E402
from barnbokslut.web.editions.diffs import diff  # noqa: E402
from barnbokslut.web.editions.workflow import MAX_BODY_CHARS  # noqa: E402
from barnbokslut.web.organisations.forms import check_logo  # noqa: E402
from localdata_files import (  # noqa: E402
    csv_table,
    shared_strings,
    sheet,
    xlsx_shared,
    xlsx_table,
    xlsx_with,
)
from pathology import best_time, peak_memory  # noqa: E402

GOAL = 20.0
Case = tuple[str, Callable[[], object]]


def prose(chars: int, seed: int) -> str:
    rng = random.Random(seed)
    words = ["och", "att", "barn", "skola", "elever", "trygghet", "kommun"] + [f"ord{n}" for n in range(2000)]
    paragraphs: list[str] = []
    while sum(len(p) + 2 for p in paragraphs) < chars:
        paragraph = " ".join(rng.choice(words) for _ in range(rng.randint(40, 120)))
        paragraphs.append(paragraph[:1].upper() + paragraph[1:] + ".")
    return "\n\n".join(paragraphs)[:chars]


def formatted(chars: int) -> str:
    """A section text as writers write them: headings, paragraphs with emphasis and links, lists, a quote."""
    parts = prose(chars, 1).split("\n\n")
    out: list[str] = []
    for n, paragraph in enumerate(parts):
        words = paragraph.split(" ")
        words[3] = f"**{words[3]}**"
        words[7] = f"*{words[7]}*"
        words[11] = f"[{words[11]}](https://www.kolada.se/)"
        paragraph = " ".join(words)
        if n % 5 == 0:
            out.append(f"## Rubrik {n}")
        if n % 7 == 3:
            paragraph = "\n".join(f"- {w}" for w in words[:12])
        if n % 11 == 5:
            paragraph = f"> {paragraph}\n>\n> — Elev i årskurs 8"
        out.append(paragraph)
    return "\n\n".join(out)[:chars]


def markdown_cases() -> tuple[Case, list[Case]]:
    limit = MAX_BODY_CHARS
    normal = formatted(limit)
    dash = "> " + "\n>\n> ".join(["— x"] * 12288) + "\n>\n> - item\n"
    return (f"vanlig text {limit // 1000}k", lambda: to_text(normal)), [
        (f"citat, 12288 streckrader ({len(dash) // 1000}k)", lambda: to_text(dash)),
        ("nästlade citat >>>…", lambda: to_text(">" * (limit // 2) + " x")),
        ("emfas *a …", lambda: to_text("*a " * (limit // 3))),
        ("hakparenteser [ …", lambda: to_text("[" * limit)),
        ("länkar [a](b …", lambda: to_text("[a](b " * (limit // 6))),
        (
            "punktlistor i punktlistor",
            lambda: to_text("".join("  " * (n % 40) + "- x\n" for n in range(limit // 50))),
        ),
        ("backticks ` …", lambda: to_text("`a" * (limit // 2))),
    ]


def diff_cases() -> tuple[Case, list[Case]]:
    text = prose(99_000, 2)
    words = text.split(" ")
    for n in range(1, 30):
        words[n * len(words) // 30] = "ändrat"
    edited = " ".join(words)
    other = prose(99_000, 3)
    return ("99k, 30 ändringar", lambda: diff(text, edited)), [
        ("två olika 99k-texter", lambda: diff(text, other)),
        ("ett ord upprepat", lambda: diff("x " * 49_000, "y x " * 24_000)),
        ("en rad upprepad", lambda: diff("a\n" * 49_000, "b\na\n" * 24_000)),
        (
            "långa rader med upprepning",
            lambda: diff(
                " ".join(["x"] * 2000) + "\n" + "z\n" * 2000,
                " ".join(["x", "y"] * 1000) + "\n" + "z\nw\n" * 1000,
            ),
        ),
    ]


def csv_cases() -> tuple[Case, list[Case]]:
    largest = csv_table(MAX_ROWS, MAX_COLUMNS)
    million = b"Skola;Andel\n" + b"a;1\n" * 1_000_000
    blank = b"Skola;Andel\na;1\n" + b"\n" * 4_000_000
    field = b'Skola;Andel\na;1\n"' + b"a" * 4_000_000 + b"\n"
    wide = b"Skola" + b";" * 4_000_000 + b"\n"
    label = b"Skola;Andel\n" + b"N" * 131_000 + b";1\n"
    text = (
        "Skola;"
        + ";".join(f"K{i}" for i in range(1, MAX_COLUMNS))
        + "\n"
        + ("a;" + ";".join(["x"] * (MAX_COLUMNS - 1)) + "\n") * MAX_ROWS
    ).encode()
    return (
        f"{MAX_ROWS} × {MAX_COLUMNS}, godkänd ({len(largest) // 1000} kB)",
        lambda: parse_table("a.csv", largest),
    ), [
        ("1 miljon rader (4 MB)", lambda: parse_table("a.csv", million)),
        ("4 miljoner tomma rader", lambda: parse_table("a.csv", blank)),
        ("ett fält på 4 MB (citattecken öppet)", lambda: parse_table("a.csv", field)),
        ("4 miljoner kolumner på en rad", lambda: parse_table("a.csv", wide)),
        ("en etikett på 131k tecken", lambda: parse_table("a.csv", label)),
        ("text i alla 250k talceller", lambda: parse_table("a.csv", text)),
    ]


def xlsx_cases() -> tuple[Case, list[Case]]:
    largest = xlsx_table(MAX_ROWS, MAX_COLUMNS)
    million = xlsx_shared(shared_strings(b"a", 1_000_000))
    accepted = xlsx_shared(shared_strings(b"a", 255_000))
    cell50 = xlsx_shared(shared_strings(b"a" * 50_000_000))
    cell30 = xlsx_shared(shared_strings(b"a" * 30_000_000))
    far = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Skola</t></is></c><c r="B1"><v>1</v></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    corner = xlsx_with({"xl/worksheets/sheet1.xml": sheet(far, dimension=b"A1:XFD1048576")})
    return (
        f"{MAX_ROWS} × {MAX_COLUMNS}, godkänd ({len(largest) // 1000} kB)",
        lambda: parse_table("a.xlsx", largest),
    ), [
        (f"1 miljon delade texter ({len(million) // 1000} kB)", lambda: parse_table("a.xlsx", million)),
        ("255 000 delade texter (godtas)", lambda: parse_table("a.xlsx", accepted)),
        (f"en cell på 50 MB ({len(cell50) // 1000} kB)", lambda: parse_table("a.xlsx", cell50)),
        ("en cell på 30 MB (under uppackningsgränsen)", lambda: parse_table("a.xlsx", cell30)),
        ("cell i XFD1048576, dimension hela bladet", lambda: parse_table("a.xlsx", corner)),
    ]


def _png(width: int, height: int, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "white" if mode == "RGB" else 0).save(out, format="PNG", optimize=True)
    return out.getvalue()


def logo_cases() -> tuple[Case, list[Case]]:
    normal, at_limit, huge = _png(600, 200), _png(2000, 2000), _png(12_000, 12_000, "1")

    def check(data: bytes) -> Callable[[], object]:
        def run() -> None:
            with contextlib.suppress(Exception):  # refused: that is the point
                check_logo(SimpleUploadedFile("logo.png", data))

        return run

    return ("600 × 200 px", check(normal)), [
        ("2000 × 2000 px (gränsen)", check(at_limit)),
        (f"12000 × 12000 px ({len(huge) // 1000} kB)", check(huge)),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    kinds = {
        "Markdown": markdown_cases,
        "Ordjämförelse": diff_cases,
        "CSV": csv_cases,
        "XLSX": xlsx_cases,
        "Logotyp": logo_cases,
    }
    failures = 0
    print(f"{'slag':<14} {'indata':<46} {'tid':>9} {'minne':>9} {'tid ×':>7} {'minne ×':>8}")
    for kind, build in kinds.items():
        (normal_name, normal), cases = build()
        base_time = best_time(normal, repeat=args.repeat)
        base_memory = max(peak_memory(normal), 1)
        print(
            f"{kind:<14} {normal_name:<46} {base_time:8.3f}s {base_memory / 1e6:7.1f}MB {'1,0':>7} {'1,0':>8}"
        )
        for name, case in cases:
            took = best_time(case, repeat=args.repeat)
            memory = peak_memory(case)
            time_ratio, memory_ratio = took / base_time, memory / base_memory
            ok = time_ratio < GOAL and memory_ratio < GOAL
            failures += not ok
            print(
                f"{'':<14} {name:<46} {took:8.3f}s {memory / 1e6:7.1f}MB {time_ratio:7.1f} {memory_ratio:8.1f}"
                + ("" if ok else "  över målet")
            )
    print(f"\nMål: varje kvot under {GOAL:g}×. {'PASS' if not failures else f'FAIL ({failures} över målet)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
