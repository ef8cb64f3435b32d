"""Benchmark: how well OCR damage is repaired on 150 lines of the Göteborg seed (issue 14, part 3).

``tests/importing/data/goteborg_ocr_excerpt.txt`` is the first 150 lines of the OCR'd Göteborg seed as they
are; ``goteborg_clean_excerpt.txt`` is the same lines corrected by hand (the reference). Word by word, line by
line: a damaged word is one the reference spells differently; it is repaired right when the repaired text has
the reference's word, missed when it is left as it was, wrong when it is changed into anything else. A change
of an undamaged word is wrong too. Printed for the default repair (valid words never changed) and with the
suggestions applied, then the time (CPU time of this process: a busy machine does not count) of a repair of
the whole seed and of a 30-page text. Goals (issue 14):
≥ 95 % of damaged words repaired, ≤ 1 % of repairs wrong. The exit code is 0 either way (this is a benchmark).

The excerpt is also what the repair's rules were tuned on, so a second, held-out measure follows: the clean
Söderhamn seed (``000_…txt``, when it is on this machine) damaged by a fixed random draw of the Göteborg OCR's
own patterns (ä → é, a, i, &, d; ö → o, 6, é; å → a, d, &; 85 % of the letters), then repaired.

Run from the project root::

    .venv/bin/python bench/ocr_repair_quality.py
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from barnbokslut.importing.ocr_repair import TOKEN, load_word_list, repair  # noqa: E402

DATA = ROOT / "tests" / "importing" / "data"
SEED = Path("/work/shared/seeds/001_eba51dd164c3257f.txt")
HELD_OUT = Path("/work/shared/seeds/000_cfc47c81a872754b.txt")
# The Göteborg OCR's damage per letter, as weighted choices (counted on its excerpt, rounded).
SYNTHETIC_DAMAGE = {
    "ä": ("é", "é", "é", "é", "a", "a", "a", "i", "i", "&", "d"),
    "ö": ("o", "o", "o", "o", "o", "o", "6", "é"),
    "å": ("a", "a", "a", "a", "a", "d", "&"),
    "Ä": ("A",),
    "Ö": ("O",),
    "Å": ("A",),
}
SYNTHETIC_RATE = 0.85


@dataclass
class Score:
    damaged: int = 0
    right: int = 0
    wrong: int = 0
    missed: int = 0
    changed: int = 0  # words the repair changed, damaged or not
    broken: int = 0  # undamaged words the repair changed
    unaligned_lines: int = 0

    def percent(self, part: int, whole: int) -> float:
        return 100.0 * part / whole if whole else 0.0

    @property
    def right_pct(self) -> float:
        return self.percent(self.right, self.damaged)

    @property
    def wrong_pct(self) -> float:
        """Wrong repairs as a share of all changes made (the issue's "≤ 1 % of repairs wrong")."""
        return self.percent(self.wrong + self.broken, self.changed)

    @property
    def missed_pct(self) -> float:
        return self.percent(self.missed, self.damaged)


def score(damaged_text: str, clean_text: str, repaired_text: str) -> Score:
    result = Score()
    for ocr, clean, fixed in zip(
        damaged_text.split("\n"), clean_text.split("\n"), repaired_text.split("\n"), strict=True
    ):
        o, c, f = (TOKEN.findall(line) for line in (ocr, clean, fixed))
        if not len(o) == len(c) == len(f):
            result.unaligned_lines += 1
            result.damaged += sum(1 for a, b in zip(o, c, strict=False) if a != b)
            result.missed += sum(1 for a, b in zip(o, c, strict=False) if a != b)
            continue
        for a, b, r in zip(o, c, f, strict=True):
            if r != a:
                result.changed += 1
            if a == b:
                result.broken += r != a
                continue
            result.damaged += 1
            if r == b:
                result.right += 1
            elif r == a:
                result.missed += 1
            else:
                result.wrong += 1
    return result


def measure(apply_suggestions: bool = False) -> Score:
    damaged = (DATA / "goteborg_ocr_excerpt.txt").read_text(encoding="utf-8")
    clean = (DATA / "goteborg_clean_excerpt.txt").read_text(encoding="utf-8")
    return score(damaged, clean, repair(damaged, apply_suggestions=apply_suggestions).text)


def damage(clean: str, seed: int = 1) -> str:
    """``clean`` with its å, ä, ö replaced as the Göteborg OCR does, by a fixed random draw."""
    rng = random.Random(seed)
    return "".join(
        rng.choice(SYNTHETIC_DAMAGE[c]) if c in SYNTHETIC_DAMAGE and rng.random() < SYNTHETIC_RATE else c
        for c in clean
    )


def measure_held_out() -> Score | None:
    """The repair of the Söderhamn seed damaged synthetically (None when the seed is not on this machine)."""
    if not HELD_OUT.exists():
        return None
    clean = HELD_OUT.read_text(encoding="utf-8")
    damaged = damage(clean)
    return score(damaged, clean, repair(damaged).text)


EXAMPLE_TEXTS = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*/texter/**/*.md"))


def measure_examples() -> Score:
    """The repair of the example folders' texts damaged synthetically: a second text the rules were not
    developed on (added when the Söderhamn check had been looked at)."""
    clean = "\n".join(path.read_text(encoding="utf-8") for path in EXAMPLE_TEXTS)
    damaged = damage(clean)
    return score(damaged, clean, repair(damaged).text)


DOC_TEXTS = (
    ROOT / "docs" / "rapportstruktur.md",
    *sorted((ROOT / "src" / "barnbokslut" / "report" / "standard").glob("*.md")),
)


def measure_docs() -> Score:
    """The repair of the user documentation's prose (``docs/rapportstruktur.md``, code left out) and the shipped
    standard texts, damaged synthetically: a third text, added before the frequency rules were made and whose
    misses were not looked at (before those rules: 91.3 % right, 4.4 % of the changes wrong)."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in DOC_TEXTS)
    clean = re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", text, flags=re.S))
    damaged = damage(clean)
    return score(damaged, clean, repair(damaged).text)


KPI_METADATA = Path("/work/shared/kolada/samples/kpi_metadata_barnbokslut.json")


def measure_kolada() -> Score | None:
    """The repair of Kolada's own KPI titles and descriptions (real recorded metadata, 39 KPIs, about 2,800
    words of another genre: definitions), damaged synthetically. Added on 2026-12-04 as the held-out check
    once the examples' and the documentation's misses had been looked at; its misses were not looked at when
    the rules were made. None when the sample is not on this machine."""
    if not KPI_METADATA.exists():
        return None
    values = json.loads(KPI_METADATA.read_text(encoding="utf-8"))["values"]
    clean = "\n".join(f"{v['title']}\n{v.get('description') or ''}" for v in values)
    damaged = damage(clean)
    return score(damaged, clean, repair(damaged).text)


def main() -> None:
    start = time.process_time()
    load_word_list()
    print(f"Ordlistan laddad på {time.process_time() - start:.2f} s")
    for label, apply in (("standard (giltiga ord ändras aldrig)", False), ("med förslagen tillämpade", True)):
        s = measure(apply)
        print(
            f"{label}: skadade ord {s.damaged}, rätt {s.right} ({s.right_pct:.1f} %), fel {s.wrong}, "
            f"missade {s.missed} ({s.missed_pct:.1f} %), oskadade ord ändrade {s.broken}, ändringar {s.changed}, "
            f"fel av ändringarna {s.wrong_pct:.1f} %, rader som inte gick att jämföra {s.unaligned_lines}"
        )
        ok = s.right_pct >= 95 and s.wrong_pct <= 1
        print(f"  mål ≥ 95 % lagade och ≤ 1 % fel: {'PASS' if ok else 'FAIL'}")
    held_out = measure_held_out()
    if held_out is not None:
        print(
            f"kontroll på annan text (Söderhamn, syntetiskt skadad): skadade ord {held_out.damaged}, "
            f"rätt {held_out.right_pct:.1f} %, fel av ändringarna {held_out.wrong_pct:.1f} %, "
            f"missade {held_out.missed_pct:.1f} %, oskadade ord ändrade {held_out.broken}"
        )
    examples = measure_examples()
    print(
        f"kontroll på exempelmapparnas texter (syntetiskt skadade): skadade ord {examples.damaged}, "
        f"rätt {examples.right_pct:.1f} %, fel av ändringarna {examples.wrong_pct:.1f} %, "
        f"missade {examples.missed_pct:.1f} %, oskadade ord ändrade {examples.broken}"
    )
    docs = measure_docs()
    print(
        f"kontroll på dokumentationens och standardtexternas text (syntetiskt skadad, inte granskad): skadade ord "
        f"{docs.damaged}, rätt {docs.right_pct:.1f} %, fel av ändringarna {docs.wrong_pct:.1f} %, "
        f"missade {docs.missed_pct:.1f} %, oskadade ord ändrade {docs.broken}"
    )
    kolada = measure_kolada()
    if kolada is not None:
        print(
            f"kontroll på Koladas nyckeltalsbeskrivningar (syntetiskt skadade, inte granskade): skadade ord "
            f"{kolada.damaged}, rätt {kolada.right_pct:.1f} %, fel av ändringarna {kolada.wrong_pct:.1f} %, "
            f"missade {kolada.missed_pct:.1f} %, oskadade ord ändrade {kolada.broken}"
        )
    if SEED.exists():
        seed = SEED.read_text(encoding="utf-8")
        for label, text in (
            ("hela Göteborgsfröet (14 sidor)", seed),
            ("30 sidor (fröet två gånger)", seed + seed),
        ):
            start = time.process_time()
            result = repair(text)
            elapsed = time.process_time() - start
            print(f"{label}: {len(text.split())} ord, {len(result.repairs)} lagningar, {elapsed:.2f} s")


if __name__ == "__main__":
    main()
