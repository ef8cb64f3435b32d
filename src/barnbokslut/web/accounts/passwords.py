"""A Swedish companion to Django's CommonPasswordValidator: no common Swedish word dressed up with digits.

Django's list is English (``sommar2025`` is not on it). ``SwedishCommonPasswordValidator`` reads a short shipped
list of words Swedes put in passwords (data/vanliga-losenord.txt: words for passwords, seasons, months, places,
pets, sports clubs, first names) and refuses a password whose letters, with the digits and signs around and
between them taken away, are one of those words or two of them in a row: "Sommar2025", "Hejhej123!",
"Kalle.Anka1". å, ä and ö compare as a, a and o. A passphrase of several words (``ett-langt-losenord``) passes.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

WORD_LIST = Path(__file__).parent / "data" / "vanliga-losenord.txt"
_NOT_LETTERS = re.compile(r"[^a-z]+")
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def _letters(text: str) -> str:
    folded = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
    return _NOT_LETTERS.sub("", folded)


@lru_cache(maxsize=4)
def _words(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(_letters(line) for line in lines if line.strip() and not line.startswith("#"))


class SwedishCommonPasswordValidator:
    """Refuse a common Swedish word (or two) with digits and signs around it."""

    def __init__(self, word_list: str | Path = WORD_LIST) -> None:
        self.words = _words(Path(word_list))

    def _common(self, password: str) -> bool:
        letters = _letters(password)  # digits alone are NumericPasswordValidator's
        if not letters or letters in self.words:
            return bool(letters)
        return any(
            letters[:cut] in self.words and letters[cut:] in self.words for cut in range(2, len(letters) - 1)
        )

    def validate(self, password: str, user: Any = None) -> None:
        if self._common(password):
            raise ValidationError(
                "Lösenordet är för vanligt: det är ett vanligt ord med siffror eller tecken runt om. Välj hellre "
                "flera ord efter varandra, t.ex. ”gul-cykel-under-eken”.",
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return "Lösenordet får inte vara ett vanligt ord med siffror runt om, som ”Sommar2025”."
