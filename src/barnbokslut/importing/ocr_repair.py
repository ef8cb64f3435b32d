"""Repair OCR damage in Swedish text: lost diacritics, mojibake and words hyphenated at line ends (issue 14).

OCR of a Swedish report loses å, ä and ö in a few typical ways: "réttigheter", "rittigheter" and "rattigheter"
for "rättigheter", "&r" and "é&r" for "är", "Goteborg" and "r6r" for "Göteborg" and "rör", "omrdden" for
"områden". :func:`repair` finds the tokens that are not Swedish words, generates candidates by substituting those
damage patterns (a bounded number per token), and accepts a candidate only when it is a word of the word list
(Debian's ``wswedish``), a compound of its words, a word the document itself spells undamaged, or a word that
wordfreq's Swedish list has often. Between candidates, fewer changes win, then the document's own words, then
how often wordfreq has the word (``frequency``; "nått" before "nätt"), and a word far more frequent wins with
one change more ("förbättring", not "förbittring"). A token that is already a valid word is changed only when
the context says so: the document has the same damage repaired at least ``CONTEXT_MIN`` times (it is
OCR-damaged in just this way) and the repaired word is one of the frequent words of a barnbokslut ("for" →
"för", "ar" → "är"; "år" after a number or "varje") or far more frequent in Swedish ("rost" → "röst");
otherwise, when the document suggests it ("for" where "för" is common), the case is listed as an unapplied
suggestion. Web and e-mail addresses are left alone. Every change is listed as a :class:`Repair` with its
reason; nothing is silent.

Time is linear in the text: each distinct token is looked at once, with at most ``MAX_CANDIDATES`` candidates.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from barnbokslut.numbers import format_number

WORD_LIST_PATH = Path("/usr/share/dict/swedish")
HUNSPELL_DIC_PATH = Path("/usr/share/hunspell/sv_SE.dic")

#: Upper bound on the candidates generated for one token (the substitutions of a long word multiply).
MAX_CANDIDATES = 300
#: At most this many damaged places are repaired in one token.
MAX_CHANGES = 3
#: At most this many candidates of one token are tried as compounds (the dearest check).
MAX_COMPOUND_CHECKS = 60
#: Tokens longer than this are not repaired (no real word is; keeps the compound search bounded).
MAX_TOKEN_LENGTH = 40

# What OCR printed (lower case) for each Swedish letter. Order matters only for the reason text.
DAMAGE: dict[str, tuple[str, ...]] = {
    "ä": ("é", "d", "&", "a", "i", "ia", "ai", "éi", "é&", "éa", "ié", "ii", "è", "ã¤"),
    "ö": ("o", "6", "0", "é", "d", "ó", "éo", "oé", "od", "dé", "ã¶"),
    "å": ("a", "d", "é", "&", "i", "éd", "ã¥"),
    "é": ("ã©",),
}
# How often OCR makes each damage (a higher weight wins a tie between equally good candidates).
PRIOR: dict[tuple[str, str], int] = {
    ("é", "ä"): 3,
    ("o", "ö"): 3,
    ("a", "ä"): 2,
    ("a", "å"): 2,
    ("d", "ä"): 2,
    ("d", "å"): 2,
    ("i", "ä"): 2,
    ("&", "ä"): 2,
    ("6", "ö"): 3,
    ("0", "ö"): 3,
}
# Frequent Swedish words: between two valid candidates ("från" and "frän") the frequent one wins.
COMMON = frozenset(
    [
        "är",
        "år",
        "på",
        "så",
        "få",
        "gå",
        "för",
        "från",
        "när",
        "där",
        "här",
        "även",
        "också",
        "över",
        "något",
        "några",
        "någon",
        "många",
        "måste",
        "säga",
        "säger",
        "får",
        "går",
        "våra",
        "vår",
        "vårt",
        "också",
        "både",
        "då",
        "nå",
        "själv",
        "skäl",
        "mål",
        "ålder",
        "åtgärd",
        "åtgärder",
        "förstå",
        "förstår",
        "frågor",
        "fråga",
        "områden",
        "område",
        "sätt",
        "ställe",
        "följa",
        "bästa",
        "särskilt",
        "därför",
        "hänsyn",
        "utifrån",
        "rätt",
        "rättigheter",
        "årets",
        "års",
        "fått",
        "rör",
        "stärka",
        "fortsätta",
        "våld",
        "pågår",
        "pågående",
        "påbörjad",
        "påbörjat",
        "genomförd",
        "genomfört",
        "genomföra",
        "föregående",
        "året",
        "stöd",
        "första",
        "nästa",
        "större",
        "ändå",
        "även",
        "hålla",
        "hållas",
        "svårt",
        "svåra",
        "vård",
        "gäller",
        "behövs",
        "behöver",
        "än",
        "stärkas",
    ]
)
#: A word this much more frequent (Zipf scale of wordfreq, a factor of 10 per step) than the word with fewer
#: changes wins with one change more; and a word at least this frequent counts as frequent.
FREQUENCY_MARGIN = 1.0
FREQUENT_ZIPF = 3.5
#: A candidate at least this frequent in wordfreq's list is a word even when the word lists lack it
#: ("försörjningsstöd").
KNOWN_ZIPF = 2.5
#: A token of six letters or more that only an i → ä or å would repair stays when wordfreq has it at least this
#: often ("tilliten"; the damaged "rittigheter" it does not have at all; short ones such as "ir" it has as
#: other languages' words).
I_KEPT_ZIPF = 3.0
#: A word with a lost double letter is repaired when the document has it whole at least this often.
LOST_DOUBLE_MIN = 2
#: The fewest letters of a word's rest that a narrow column broke off without a hyphen (``broken_tail``).
BROKEN_TAIL_MIN = 5
#: … looked for only on a line of at most this many characters (a page's width: a long line is no table's).
BROKEN_TAIL_LINE = 200
#: A compound that is no word of the lists needs parts at least this frequent, by its number of changes
#: ("tilgodosedda", one l lost, is no "tålgödosedda").
COMPOUND_ZIPF = {1: 1.0, 2: 2.0}
#: A valid word is repaired by context when the repaired word is this much more frequent (and the damage is
#: the document's, ``CONTEXT_MIN``).
VALID_MARGIN = 1.5
#: A valid word is repaired by context only when the document has the same damage repaired at least this often.
CONTEXT_MIN = 5
# Repairs by context that also need the word before: "att starka" → "att stärka" (but "starka sidor" stays).
_VERB_BEFORE = re.compile(r"\b(?:att|och|ska|kan|vill|behöver|bör)\s+\Z", re.IGNORECASE)
# The passive after a modal verb or "fortsatt", the words before damaged too ("Behover fortsatt starkas").
_PASSIVE_BEFORE = re.compile(
    r"\b(?:ska|kan|bör|bor|måste|maste|behöver|behover|fortsatt|att)\s+\Z", re.IGNORECASE
)
NEEDS_BEFORE: dict[str, re.Pattern[str]] = {
    "stärka": _VERB_BEFORE,
    "fortsätta": _VERB_BEFORE,
    "stärkas": _PASSIVE_BEFORE,
}
# … or a capital at the start of a line or a numbered item: a development area or an action ("2. Starka
# samverkan", "Fortsatta påbörjat metodarbete") begins with a verb; "fortsatta studier" within a sentence stays.
ITEM_START = re.compile(r"(?:\A|\n)[ \t]*(?:\d{1,2}[.)][ \t]*)?\Z")
# Repairs by context of a valid word that need the word before ("på samma satt" → "sätt", but "hon satt")…
CONTEXT_NEEDS_BEFORE: dict[str, re.Pattern[str]] = {
    "sätt": re.compile(
        r"\b(?:på|ett|samma|bra|nytt|annat|vilket|sitt|olika|detta|eget|tydligt)\s+\Z", re.IGNORECASE
    ),
}
# … or a word after that they do not have ("barn som far illa" is right, "barn far stöd" is "får").
CONTEXT_NOT_AFTER: dict[str, re.Pattern[str]] = {"får": re.compile(r"\s+illa\b", re.IGNORECASE)}
# Frequent valid words that OCR damage could also have made ("har" for "här"): never suggested.
NEVER_SUGGESTED = frozenset(
    [
        "har",
        "vara",
        "var",
        "man",
        "alla",
        "kan",
        "ska",
        "att",
        "mot",
        "som",
        "en",
        "ett",
        "den",
        "det",
        "de",
        "till",
        "sin",
        "sitt",
        "sina",
        "in",
        "vid",
    ]
)
# "varje ar", "18 &r", "nésta ar": a year. The words before may be damaged too (ä, ö, å as OCR prints them).
_YEAR_WORDS = (
    "varje", "nästa", "förra", "föregående", "detta", "samma", "per", "ett", "två", "tre", "fyra", "fem", "under",
    "flera", "många", "några", "senaste", "i", "fler", "tidigare", "kommande",
)  # fmt: skip
_LOOSE = {"ä": "(?:ä|é|a|d|&)", "ö": "(?:ö|o|6|0|é)", "å": "(?:å|a|d|é)"}


def _loose(words: Iterable[str]) -> str:
    """A regular expression of ``words`` that also matches them with their å, ä, ö damaged as OCR prints them."""
    return "|".join("".join(_LOOSE.get(c, c) for c in w) for w in words)


_A_YEAR = r"(?:år|ar|&r|dr|ér)"
YEAR_BEFORE = re.compile(
    rf"(?:(?<!\d)\d{{1,3}}|\b(?:{_loose(_YEAR_WORDS)})|\b{_A_YEAR}\s+{_loose(['för', 'efter'])})\s*\Z",
    re.IGNORECASE,
)
# "ar 2022": a year follows; "ar for ar": a year for a year.
YEAR_AFTER = re.compile(rf"\s*(?:19|20)\d\d\b|\s+(?:{_loose(['för', 'efter'])})\s+{_A_YEAR}\b", re.IGNORECASE)
# The word a repair gave and another of the token's candidates that its word before calls for: "ska forsta" is
# "ska förstå", not "ska första"; "vi fdr" is "vi får", not "vi för".
CONTEXT_CHOICE: dict[str, tuple[str, re.Pattern[str]]] = {
    "första": (
        "förstå",
        re.compile(
            rf"\b(?:{_loose(['att', 'ska', 'kan', 'kunna', 'vill', 'behöver', 'bör', 'måste', 'lättare'])})\s+\Z",
            re.IGNORECASE,
        ),
    ),
    "för": ("får", re.compile(r"\b(?:jag|du|han|hon|vi|ni|man)\s+\Z", re.IGNORECASE)),
}
MOJIBAKE = {"Ã¤": "ä", "Ã¶": "ö", "Ã¥": "å", "Ã©": "é", "Ã„": "Ä", "Ã–": "Ö", "Ã…": "Å"}

_SUBSTITUTIONS: dict[str, list[str]] = {}
for _target, _damaged in DAMAGE.items():
    for _seq in _damaged:
        _SUBSTITUTIONS.setdefault(_seq, []).append(_target)
_FIRST_CHARS = {seq[0] for seq in _SUBSTITUTIONS}

# A token: letters, the damage characters & 6 0, and UTF-8-read-as-Latin-1 pairs ("Ã¤").
TOKEN = re.compile(r"(?:Ã[¤¶¥©„–…]|[^\W\d_]|[&60])*(?:Ã[¤¶¥©„–…]|[^\W\d_])(?:Ã[¤¶¥©„–…]|[^\W\d_]|[&60])*")
# Only from the start of a word: tried at every letter of a long run, it would cost the square of its length.
HYPHENATED = re.compile(r"(?<!(?:[^\W\d_]|[&60]))((?:[^\W\d_]|[&60])+)-\n[ \t]*((?:[^\W\d_]|[&60])+)")
# "besluts- och arbetsprocesser": a hyphen before these words leaves out a shared part, it is no line break.
HYPHEN_NOT_JOINED = frozenset(["och", "eller", "samt", "som", "men", "respektive"])
SWEDISH = frozenset("åäöÅÄÖ")
# Web and e-mail addresses are written without å, ä and ö on purpose ("www.soderhamn.se"): never repaired.
# (An e-mail address only from where a name can begin: tried inside a long run, it costs its square.)
ADDRESS = re.compile(r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# English words of the reports ("Signs of Safety", "Lights on"): never repaired, nor their neighbours.
ENGLISH = frozenset(["of", "on", "the", "and", "signs", "safety", "lights"])
ENGLISH_NEIGHBOURS = frozenset(["of", "the", "and"])
DAMAGE_CHARS = frozenset("&60Ã")


class WordListMissing(RuntimeError):
    """The Swedish word list is not installed."""


@dataclass(frozen=True)
class WordList:
    """Swedish words in lower case: ``words`` the plain list (wswedish), ``forms`` more forms (hunspell-sv's,
    rarer: "dr", "horas" — they keep a word as it is only when no plain word repairs it), and the stems that
    may begin a compound ("barn" in "barnbokslut")."""

    words: frozenset[str]
    stems: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()

    @classmethod
    def from_words(
        cls, words: Iterable[str], stems: Iterable[str] = (), forms: Iterable[str] = ()
    ) -> WordList:
        lowered = frozenset(w.strip().lower() for w in words if w.strip())
        more = frozenset(f.lower() for f in forms) - lowered
        return cls(lowered, frozenset(s.lower() for s in stems) | lowered, more)

    @cached_property
    def ordered(self) -> tuple[str, ...]:
        """The plain words sorted, to count those that begin alike."""
        return tuple(sorted(self.words))

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word.lower() in self.words or word.lower() in self.forms)

    def is_compound(self, word: str) -> bool:
        """``word`` (lower case) is two or three parts of at least three letters, optionally joined by an s."""
        return _compound(word, self, 3, first=True)


# Two-letter words that begin compounds ("utformandet", "åtskillnad"); other heads have three letters or more.
SHORT_HEADS = frozenset({"ut", "in", "av", "om", "åt", "på", "nu"})


def _compound(word: str, words: WordList, parts: int, first: bool = False) -> bool:
    return _parts(word, words, parts, first) > 0


def _parts(word: str, words: WordList, parts: int, first: bool = False) -> int:
    """The fewest parts (at most ``parts``) ``word`` splits into, 0 when it is no compound."""
    if parts < 2:
        return 0
    fewest = 0
    for cut in range(2 if first else 3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if head not in words.stems if cut > 2 else head not in SHORT_HEADS:
            continue
        rests = [tail]
        if tail.startswith("s") and len(tail) > 3:
            rests.append(tail[1:])
        for rest in rests:
            if rest in words.words or rest in words.forms:
                return 2
            more = _parts(rest, words, parts - 1)
            if more and (not fewest or more + 1 < fewest):
                fewest = more + 1
    return fewest


@lru_cache(maxsize=4)
def load_word_list(path: Path = WORD_LIST_PATH, hunspell: Path | None = HUNSPELL_DIC_PATH) -> WordList:
    """The word list, loaded once: wswedish (Latin-1 or UTF-8, one word a line) and, when installed, every
    form of hunspell-sv's sv_SE.dic expanded with the suffix rules of its .aff ("säkring" → "säkringen"); the
    hunspell stems also begin compounds."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WordListMissing(
            f"Den svenska ordlistan saknas ({path}): installera Debian-paketet wswedish "
            "(scripts/bootstrap.sh gör det) för att kunna laga OCR-skador."
        ) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    forms: list[str] = []
    stems: list[str] = []
    if hunspell is not None and hunspell.exists() and hunspell.with_suffix(".aff").exists():
        forms, stems = _hunspell_forms(hunspell, hunspell.with_suffix(".aff"))
    return WordList.from_words(text.splitlines(), stems, forms)


def _hunspell_forms(dic: Path, aff: Path) -> tuple[list[str], list[str]]:
    """(every word form, the stems of four letters or more) of a hunspell dictionary: its suffix rules only
    (sv_SE has no prefix rules), continuation flags ignored; stems only allowed with an affix or in compounds
    (NEEDAFFIX, ONLYINCOMPOUND) or forbidden are not words themselves."""
    rules: dict[str, list[tuple[str, str, re.Pattern[str] | None]]] = {}
    special = {"NEEDAFFIX": "", "ONLYINCOMPOUND": "", "FORBIDDENWORD": ""}
    for line in aff.read_text(encoding="utf-8", errors="replace").splitlines():
        part = line.split()
        if len(part) == 2 and part[0] in special:
            special[part[0]] = part[1]
        if len(part) >= 5 and part[0] == "SFX":
            strip = "" if part[2] == "0" else part[2]
            add = part[3].split("/", 1)[0]
            add = "" if add == "0" else add
            cond = None if part[4] == "." else re.compile(f"(?:{part[4]})$")
            rules.setdefault(part[1], []).append((strip, add, cond))
    not_words = {flag for flag in special.values() if flag}
    forms: list[str] = []
    stems: list[str] = []
    for line in dic.read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
        stem, _, flags = line.partition("/")
        flags = flags.split()[0] if flags.strip() else ""
        if len(stem) >= 4:
            stems.append(stem)
        if not_words.isdisjoint(flags):
            forms.append(stem)
        for flag in flags:
            for strip, add, cond in rules.get(flag, ()):
                if (cond is None or cond.search(stem)) and stem.endswith(strip):
                    forms.append((stem[: len(stem) - len(strip)] if strip else stem) + add)
    return forms, stems


@dataclass(frozen=True)
class Repair:
    """One change (or, with ``applied`` false, one suggestion) at a place of the original text."""

    line: int  # 1-based line of the original text
    column: int  # 1-based column
    offset: int  # 0-based character offset in the original text
    original: str
    replacement: str
    reason: str
    applied: bool = True


@dataclass
class RepairResult:
    text: str
    repairs: list[Repair] = field(default_factory=list)

    @property
    def applied(self) -> list[Repair]:
        return [r for r in self.repairs if r.applied]

    @property
    def suggestions(self) -> list[Repair]:
        return [r for r in self.repairs if not r.applied]


@dataclass(frozen=True)
class _Candidate:
    word: str  # lower case
    changes: tuple[tuple[str, str], ...]  # (damaged, letter)


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """wordfreq's Swedish words with their frequency (share of all words), loaded once (0.2 s)."""
    from wordfreq import get_frequency_dict

    return dict(get_frequency_dict("sv"))


def frequency(word: str) -> float:
    """How frequent ``word`` (lower case) is in Swedish: the Zipf value of wordfreq's list (log10 of the count per
    billion words: 7 for "och", 3 for a word seen once a million words), 0 when the list does not have it. The
    same value as ``wordfreq.zipf_frequency``, read from its dictionary (a thousand times faster)."""
    share = _frequencies().get(word)
    return round(math.log10(share) + 9, 2) if share else 0.0


def _frequent_word(candidate: str) -> bool:
    """A repair candidate (it has å, ä or ö) of four letters or more that wordfreq knows as a frequent Swedish
    word (shorter ones are all in the word lists; wordfreq's short ones include junk such as "åå")."""
    return len(candidate) >= 4 and frequency(candidate) >= KNOWN_ZIPF


#: An English word of at least this many letters, this frequent in English (Zipf) and this much more frequent
#: there than in Swedish, is left as it is ("Informed", not "Införmed").
ENGLISH_MIN_LENGTH = 7
ENGLISH_ZIPF = 4.0
ENGLISH_MARGIN = 2.0


@lru_cache(maxsize=4096)
def _english(lower: str) -> bool:
    """A long word far more frequent in English than in Swedish (a name of a method, a quotation)."""
    if len(lower) < ENGLISH_MIN_LENGTH or not lower.isascii():
        return False
    from wordfreq import zipf_frequency

    english = zipf_frequency(lower, "en")
    return english >= ENGLISH_ZIPF and english >= zipf_frequency(lower, "sv") + ENGLISH_MARGIN


def _candidates(token: str, limit: int = MAX_CANDIDATES) -> Iterator[_Candidate]:
    """Substitutions of the damage patterns in ``token`` (lower case), fewest changes first, at most ``limit``."""
    sites = [
        (i, seq, letter)
        for i in range(len(token))
        if token[i] in _FIRST_CHARS
        for seq in (token[i : i + 1], token[i : i + 2], token[i : i + 3])
        for letter in _SUBSTITUTIONS.get(seq, ())
    ]
    # after[j]: the first site that does not overlap site j (sites are in order of position).
    after = [
        next((k for k in range(j + 1, len(sites)) if sites[k][0] >= i + len(seq)), len(sites))
        for j, (i, seq, _) in enumerate(sites)
    ]
    count = 0
    # A token with many places that could be damaged gets fewer changes (no word has that many); 16 places still
    # get three ("Forsorjningsstod": three o, two d and "od" are 16 places, and it is "Försörjningsstöd").
    most = MAX_CHANGES if len(sites) <= 16 else 2 if len(sites) <= 24 else 1
    for changes in range(1, most + 1):
        for combo in _combos(len(sites), after, 0, changes):
            parts: list[str] = []
            pos = 0
            for j in combo:
                i, seq, letter = sites[j]
                parts.append(token[pos:i])
                parts.append(letter)
                pos = i + len(seq)
            parts.append(token[pos:])
            yield _Candidate("".join(parts), tuple((sites[j][1], sites[j][2]) for j in combo))
            count += 1
            if count >= limit:
                return


def _combos(n: int, after: list[int], start: int, changes: int) -> Iterator[tuple[int, ...]]:
    """Index tuples of ``changes`` sites from ``start`` on, none overlapping the one before."""
    if changes == 0:
        yield ()
        return
    for j in range(start, n):
        for rest in _combos(n, after, after[j], changes - 1):
            yield (j, *rest)


def _with_case(original: str, word: str) -> str:
    """``word`` (lower case) in the case of ``original``: letter by letter when they are as long ("HilsoSAMS" →
    "HälsoSAMS"), else all capitals or a capital first letter."""
    if len(original) == len(word) and not original.isupper():
        return "".join(w.upper() if o.isupper() else w for o, w in zip(original, word, strict=True))
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters) and original[0] not in "&60":
        return word.upper()
    first = original[0]
    if first.isupper() and first not in "Ã":
        return word[:1].upper() + word[1:]
    return word


def _reason(changes: tuple[tuple[str, str], ...], note: str = "") -> str:
    text = "OCR-skada: " + ", ".join(f"{seq} → {letter}" for seq, letter in changes)
    return text + (f" ({note})" if note else "")


class _Repairer:
    def __init__(self, text: str, words: WordList) -> None:
        self.words = words
        # The document's own undamaged words: tokens with å, ä or ö and none of the damage characters.
        self.own: Counter[str] = Counter()
        self.all: Counter[str] = Counter()
        for match in TOKEN.finditer(text):
            lower = match.group().lower()
            self.all[lower] += 1
            if SWEDISH & set(match.group()) and not DAMAGE_CHARS & set(lower):
                self.own[lower] += 1
        self.compounds: dict[str, int] = {}
        self.weights: dict[tuple[str, int], float] = {}
        # Tokens with one letter right and another damaged ("förbattra", "foräldrar"): not the document's own
        # words, but repaired (``_mixed``) when one change makes a single plain word of the list.
        self.mixed: dict[str, _Candidate] = {}
        for lower in list(self.own):
            if lower in words.words or lower in words.forms or self._genitive(lower):
                continue
            # A compound of the list ("forstärka": "for" + "stärka") is still mixed damage when one change
            # makes a plain word of it; a token that is no word at all ("föréldraomsorgen") when one change
            # makes a compound.
            # Two changes only for a word wordfreq has ("forsörjningsstod": "försörjningsstöd").
            valid = self.compound(lower) > 0
            plain: dict[str, _Candidate] = {}
            compounds: dict[str, _Candidate] = {}
            for cand in _candidates(lower, 200):
                if len(cand.changes) > 2:
                    break
                if (len(cand.changes) == 1 and cand.word in words.words) or _frequent_word(cand.word):
                    plain.setdefault(cand.word, cand)
                elif len(cand.changes) == 1 and not valid and self.compound(cand.word):
                    compounds[cand.word] = cand
            fewest = min((len(c.changes) for c in plain.values()), default=0)
            found = {w: c for w, c in plain.items() if len(c.changes) == fewest} or compounds
            if len(found) == 1:
                del self.own[lower]
                self.mixed[lower] = next(iter(found.values()))
        self.cache: dict[str, tuple[str, str, bool] | None] = {}
        # Words repaired without doubt in a first pass: they settle the doubtful ones of the second.
        self.repaired: Counter[str] = Counter()
        self.learning = True
        self.candidates: dict[str, list[_Candidate]] = {}
        # The damage of each token repaired without doubt, and how often each damage was repaired so.
        self.changes: dict[str, tuple[tuple[str, str], ...]] = {}
        self.damage_seen: Counter[tuple[str, str]] = Counter()

    def compound(self, word: str) -> int:
        """The fewest parts of ``word`` as a compound of the list's words (at most three), 0 when it is none."""
        known = self.compounds.get(word)
        if known is None:
            known = self.compounds[word] = _parts(word, self.words, 3, first=True)
        return known

    def _compound_ok(self, cand: _Candidate) -> bool:
        """A compound candidate; one that only turns an i into ä or å needs a part the document has."""
        if not self.compound(cand.word):
            return False
        if all(seq == "i" for seq, _ in cand.changes):
            return self._parts_seen(cand.word) > 0
        return True

    def _parts_seen(self, word: str) -> int:
        """A compound whose last or first part (four letters or more) the document has: "utvecklingsområden"."""
        seen = 0
        for cut in range(4, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            for part in (head, tail):
                if part in self.own or part in self.repaired:
                    seen = max(seen, len(part))
        return seen

    def learn(self, text: str) -> None:
        """First pass: count the words repaired with a single, certain candidate."""
        for match in TOKEN.finditer(text):
            fixed = self.fix(match.group())
            if fixed is not None and fixed[2] and "flera möjliga" not in fixed[1]:
                self.repaired[fixed[0].lower()] += 1
                for change in self.changes.get(match.group().lower(), ()):
                    self.damage_seen[change] += 1
        self.learning = False
        # Certain repairs stay; the doubtful ones and the words left alone are looked at again.
        self.cache = {
            token: fixed
            for token, fixed in self.cache.items()
            if fixed is not None and fixed[2] and "(" not in fixed[1]
        }

    def broken_tail(self, lower: str, heads: Iterable[str]) -> bool:
        """``lower`` (no word) is the rest of a word a narrow column broke without a hyphen, its head on the
        line before, itself no word ("Kompetensut" / "veckling"): left as it is, not "vecklång"."""
        if len(lower) < BROKEN_TAIL_MIN or self.strong(lower):
            return False
        return any(len(head) >= 3 and not self.strong(head) and self.strong(head + lower) for head in heads)

    def strong(self, lower: str) -> bool:
        if lower in self.words.words or lower in self.own or lower in self.repaired:
            return True
        # Genitive s of a known word ("Göteborgs").
        return self._genitive(lower) or (len(lower) > 3 and lower.endswith("s") and lower[:-1] in self.own)

    def known(self, candidate: str) -> bool:
        """A candidate that is a word: a strong one, or one of wordfreq's frequent Swedish words (only for
        candidates: wordfreq's lists also have damaged spellings, "ocksa", "behover")."""
        return self.strong(candidate) or _frequent_word(candidate)

    def weight(self, word: str, parts: int = 3) -> float:
        """How frequent ``word`` is, or as a compound its rarest part's frequency ("barngenomgångar": "barn" and
        "genomgångar"; a part may end in a joining s: "utvecklings"), whichever is higher: wordfreq has some
        compounds, rarely ("föräldraskapsstöd"), and the same compound damaged ("föräldraskapsstod") is not to
        weigh more for being unknown to it."""
        key = (word, parts)
        known = self.weights.get(key)
        if known is None:
            known = self.weights[key] = self._weight(word, parts)
        return known

    def _weight(self, word: str, parts: int) -> float:
        direct = frequency(word)
        if len(word) < 6 or parts < 2:
            return direct
        best = direct
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            heads = [h for h in (head, head[:-1] if head.endswith("s") else "") if h in self.words.stems]
            if not heads:
                continue
            head_weight = max(frequency(h) for h in heads)
            if head_weight <= best:
                continue
            best = max(best, min(head_weight, self.weight(tail, parts - 1)))
        return best

    def valid(self, lower: str) -> bool:
        return self.strong(lower) or lower in self.words.forms or bool(self.compound(lower))

    def fix(self, token: str) -> tuple[str, str, bool] | None:
        """(replacement, reason, applied) for a token, or None when it stays as it is."""
        if token in self.cache:
            return self.cache[token]
        result = self._fix(token)
        self.cache[token] = result
        return result

    def _fix(self, token: str) -> tuple[str, str, bool] | None:
        lower = token.lower()
        if len(lower) > MAX_TOKEN_LENGTH or not _FIRST_CHARS & set(lower) or lower in ENGLISH:
            return None
        if lower not in self.words and _english(lower):
            return None
        if sum(c.isupper() for c in token) >= 2 and len(token) <= 6 and not DAMAGE_CHARS & set(token):
            return None  # an abbreviation: LOSA, FOR, SVF, SiS
        if "ã" in lower:
            original = token
            for bad, good in MOJIBAKE.items():
                token = token.replace(bad, good)
            lower = token.lower()
            if token != original and self.valid(lower):
                return (
                    token,
                    "Fel teckenkodning (UTF-8 läst som Latin-1): "
                    + ", ".join(f"{bad} → {good}" for bad, good in MOJIBAKE.items() if bad in original),
                    True,
                )
        mixed = self._mixed(token, lower)
        if mixed is not None:
            return mixed
        if self.strong(lower):
            return None if self.learning else self._suggestion(token, lower)
        # A word of the list or of the document wins over any compound; fewer changes over more. The candidates
        # are made only up to the first number of changes that gives a word (kept for the second pass).
        candidates = self.candidates.get(lower)
        if candidates is None:
            candidates = []
            fewest = MAX_CHANGES + 1
            for cand in _candidates(lower):
                if len(cand.changes) > fewest + 1:  # one more, for a frequent word (below)
                    break
                candidates.append(cand)
                if len(cand.changes) < fewest and self.known(cand.word):
                    fewest = len(cand.changes)
            self.candidates[lower] = candidates
        found = [c for c in candidates if self.known(c.word)]
        if not found and lower in self.words.forms:
            return None  # a rarer word form, and no plain word repairs it
        if not found:
            found = [c for c in candidates if c.word in self.words.forms]
        if found:
            # The fewest changes win, but a frequent word with one change more beats a rare one ("pågar", the
            # plural of the dialect word "påg", is "pågår" with its å lost).
            fewest = min(len(c.changes) for c in found)
            least = [c for c in found if len(c.changes) == fewest]
            # … and so does a word far more frequent in Swedish ("forbittring": "förbättring", not the rare
            # "förbittring").
            bar = max(frequency(c.word) for c in least) + FREQUENCY_MARGIN
            frequent = [
                c
                for c in found
                if len(c.changes) == fewest + 1
                and (c.word in COMMON or frequency(c.word) >= max(bar, FREQUENT_ZIPF))
            ]
            found = least
            if frequent and not any(c.word in COMMON for c in found):
                found = frequent
            strong = True
        else:
            weak = self.compound(lower)
            seen = self._parts_seen(lower) if weak else 0
            few = [c for c in candidates if len(c.changes) <= 2][:MAX_COMPOUND_CHECKS]
            found = [
                c
                for c in few
                if self._compound_ok(c) and self.weight(c.word) >= COMPOUND_ZIPF[len(c.changes)]
            ]
            if weak:  # both compounds: the candidate needs fewer parts or a longer part the document has, or
                # one change makes its rarest part far more frequent ("kontaktvag": "vag" is "väg")
                rarest = self.weight(lower) + VALID_MARGIN
                found = [
                    c
                    for c in found
                    if self.compound(c.word) < weak
                    or self._parts_seen(c.word) > seen
                    or (len(c.changes) == 1 and self.weight(c.word) >= rarest)
                ]
            found = self._fewer_parts(found)
            strong = False
        best: tuple[tuple[float, ...], _Candidate] | None = None
        ties: set[str] = set()
        for cand in found:
            rank = (
                -len(cand.changes),
                self.own[cand.word] + self.repaired[cand.word],
                1 if cand.word in COMMON else 0,
                0 if strong else self._parts_seen(cand.word),
                round(self.weight(cand.word), 1),
                sum(PRIOR.get(change, 1) for change in cand.changes),
                self._prefix_words(lower, cand.word),
            )
            if best is None or rank > best[0]:
                best, ties = (rank, cand), {cand.word}
            elif rank == best[0]:
                ties.add(cand.word)
        if best is None:
            return self._lost_double(token, lower)
        cand = best[1]
        if len(lower) >= 6 and all(seq == "i" for seq, _ in cand.changes) and frequency(lower) >= I_KEPT_ZIPF:
            return None  # "tilliten" is a word wordfreq knows, not a damaged "tillåten"
        self.changes[lower] = cand.changes
        note = "flera möjliga: " + ", ".join(sorted(ties)) if len(ties) > 1 else ""
        if not strong:
            note = "sammansatt ord" + (f"; {note}" if note else "")
        return _with_case(token, cand.word), _reason(cand.changes, note), True

    def _prefix_words(self, lower: str, word: str) -> int:
        """How many words of the list begin as ``word`` does up to its first repaired letter and the letter
        after: between equal candidates the common beginning wins ("ateransökningar": "åt…", not "ät…")."""
        at = next((i for i, (a, b) in enumerate(zip(lower, word, strict=False)) if a != b), len(word))
        prefix = word[: at + 2]
        ordered = self.words.ordered
        start = bisect_left(ordered, prefix)
        return bisect_left(ordered, prefix + "\uffff", start) - start

    def _fewer_parts(self, found: list[_Candidate]) -> list[_Candidate]:
        """Compound candidates: one change more wins when it makes fewer parts ("arendegenomgangar" is
        "ärende" + "genomgångar", not "aren" + "degen" + "omgångar")."""
        if not found:
            return found
        fewest = min(len(c.changes) for c in found)
        least = [c for c in found if len(c.changes) == fewest]
        parts = min(self.compound(c.word) for c in least)
        fewer = [c for c in found if len(c.changes) == fewest + 1 and self.compound(c.word) < parts]
        return fewer or found

    def _lost_double(self, token: str, lower: str) -> tuple[str, str, bool] | None:
        """A token that OCR gave one letter of a double ("tilgodosedda"), repaired when the document itself has
        the word with the double at least twice and the list knows it."""
        for i in range(1, len(lower)):
            letter = lower[i]
            if not letter.isalpha() or letter in "aeiouyåäöé" or letter == lower[i - 1]:
                continue
            if i + 1 < len(lower) and lower[i + 1] == letter:
                continue
            word = lower[: i + 1] + letter + lower[i + 1 :]
            if self.all[word] >= LOST_DOUBLE_MIN and self.valid(word):
                return (
                    _with_case(token, word),
                    f"OCR-skada: en bokstav av dubbelteckningen {letter}{letter} saknas; dokumentet har "
                    f"'{word}' {self.all[word]} gånger",
                    True,
                )
        return None

    def _mixed(self, token: str, lower: str) -> tuple[str, str, bool] | None:
        """A token with one letter right and another damaged (``self.mixed``), repaired by its one change."""
        cand = self.mixed.get(lower)
        if cand is None:
            return None
        self.changes[lower] = cand.changes
        return _with_case(token, cand.word), _reason(cand.changes, "ordets övriga å, ä, ö var hela"), True

    @staticmethod
    def _frequent_instead(token: str, word: str) -> bool:
        """``word`` is a frequent word of a barnbokslut, or far more frequent in Swedish than the valid
        ``token`` it could be the damage of ("rost" → "röst", "hor" → "hör"; but "far" → "får" is not)."""
        return word in COMMON or (
            frequency(word) >= FREQUENT_ZIPF and frequency(word) >= frequency(token) + VALID_MARGIN
        )

    def _genitive(self, lower: str) -> bool:
        """The genitive s of a word of the list ("barnets", "Göteborgs")."""
        return len(lower) > 3 and lower.endswith("s") and lower[:-1] in self.words.words

    def _suggestion(self, token: str, lower: str) -> tuple[str, str, bool] | None:
        """A valid word whose repaired form the document spells undamaged far more often: suggest, never apply."""
        if lower in NEVER_SUGGESTED:
            return None
        # Longer words only for the verbs that need their word before ("fortsatta" → "fortsätta").
        long = len(lower) > 6
        best: tuple[_Candidate, int] | None = None
        for cand in _candidates(lower, 200):
            if len(cand.changes) > 1:
                break
            if long and cand.word not in NEEDS_BEFORE:
                continue
            count = self.own[cand.word] + self.repaired[cand.word]
            if (count >= 2 or self._frequent_instead(lower, cand.word)) and (best is None or count > best[1]):
                best = (cand, count)
        if best is None:
            return None
        cand, count = best
        [change] = cand.changes
        seen = self.damage_seen[change]
        if self._frequent_instead(lower, cand.word) and seen >= CONTEXT_MIN:
            why = (
                "ett vanligt ord"
                if cand.word in COMMON
                else f"ett mycket vanligare ord än '{lower}' (ordfrekvens {format_number(frequency(cand.word))} "
                f"mot {format_number(frequency(lower))})"
            )
            reason = (
                f"Sammanhanget: '{token}' är ett giltigt ord, men dokumentet har samma OCR-skada "
                f"({change[0]} → {change[1]}) lagad {seen} gånger och '{cand.word}' är {why}; "
                f"{_reason(cand.changes)}"
            )
            return _with_case(token, cand.word), reason, True
        reason = (
            f"Förslag, inte ändrat: '{token}' är ett giltigt ord, men dokumentet har "
            f"'{cand.word}' {count} gånger; {_reason(cand.changes)}"
        )
        return _with_case(token, cand.word), reason, False


def _position(offset: int, line_starts: list[int]) -> tuple[int, int]:
    lo, hi = 0, len(line_starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if line_starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1, offset - line_starts[lo] + 1


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` (start, end) sorted and with the overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def repair(text: str, words: WordList | None = None, *, apply_suggestions: bool = False) -> RepairResult:
    """Repair OCR damage in ``text`` against ``words`` (the Debian word list when None); every change listed.

    A valid word is never changed: where the document suggests it is damaged ("for" beside many "för") the
    repair is listed with ``applied`` false, unless ``apply_suggestions`` (the reviewer's choice) is set.
    """
    words = words if words is not None else load_word_list()
    repairer = _Repairer(text, words)
    repairer.learn(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    edits: list[tuple[int, int, str, Repair]] = []

    def add(start: int, end: int, replacement: str, original: str, reason: str, applied: bool) -> None:
        line, column = _position(start, line_starts)
        # A suggestion lists what it would write but leaves the text alone.
        written = replacement if applied else original
        edits.append(
            (start, end, written, Repair(line, column, start, original, replacement, reason, applied))
        )

    for match in HYPHENATED.finditer(text):
        joined = match.group(1) + match.group(2)
        lower = joined.lower()
        fixed = repairer.fix(joined)
        if fixed is not None and fixed[2]:
            word, reason = fixed[0], f"avstavning vid radslut ihopskriven; {fixed[1]}"
        elif repairer.strong(lower) or (
            repairer.compound(lower) and match.group(2).lower() not in HYPHEN_NOT_JOINED
        ):
            word, reason = joined, "avstavning vid radslut ihopskriven"
        else:
            continue
        end = match.end()
        if end < len(text) and text[end] == " ":
            end += 1
        add(match.start(), end, word + "\n", text[match.start() : end], reason, True)
    hyphen_spans = [(e[0], e[1]) for e in edits]

    skipped = _merged(hyphen_spans + [(m.start(), m.end()) for m in ADDRESS.finditer(text)])
    skipped_starts = [s for s, _ in skipped]
    tokens = list(TOKEN.finditer(text))
    heads: dict[int, set[str]] = {}
    for index, match in enumerate(tokens):
        at = bisect_right(skipped_starts, match.start()) - 1
        if at >= 0 and match.start() < skipped[at][1]:
            continue
        neighbours = {t.group().lower() for t in tokens[max(0, index - 1) : index + 2]}
        if neighbours & ENGLISH_NEIGHBOURS:
            continue
        line = bisect_right(line_starts, match.start()) - 1
        if line > 0:
            if line not in heads:  # the line before's tokens, once per line; a line of a page's width only
                start, end = line_starts[line - 1], line_starts[line]
                heads.clear()
                heads[line] = (
                    {m.group().lower() for m in TOKEN.finditer(text, start, end)}
                    if end - start <= BROKEN_TAIL_LINE
                    else set()
                )
            if repairer.broken_tail(match.group().lower(), heads[line]):
                continue
        fixed = repairer.fix(match.group())
        if fixed is None:
            continue
        replacement, reason, applied = fixed
        before = NEEDS_BEFORE.get(replacement.lower())
        if (
            applied
            and before is not None
            and reason.startswith("Sammanhanget:")  # a valid word repaired; "stdrka" is "stärka" anywhere
            and not before.search(text, max(0, match.start() - 16), match.start())
            and not (
                match.group()[0].isupper()
                and ITEM_START.search(text, max(0, match.start() - 8), match.start())
            )
        ):
            # A repair by context whose word before does not fit: only a suggestion.
            applied, reason = False, reason.replace("Sammanhanget:", "Förslag, inte ändrat:", 1)
        if reason.startswith(("Sammanhanget:", "Förslag")):
            needs = CONTEXT_NEEDS_BEFORE.get(replacement.lower())
            not_after = CONTEXT_NOT_AFTER.get(replacement.lower())
            if not_after is not None and not_after.match(text, match.end()):
                continue  # the valid word is right here
            if needs is not None and not needs.search(text, max(0, match.start() - 16), match.start()):
                continue
        applied = applied or apply_suggestions
        choice = CONTEXT_CHOICE.get(replacement.lower())
        if (
            choice is not None
            and choice[1].search(text, max(0, match.start() - 16), match.start())
            and any(c.word == choice[0] for c in _candidates(match.group().lower(), 200))
        ):
            replacement = _with_case(match.group(), choice[0])
            reason = f"{reason}; {choice[0]}: efter '{text[max(0, match.start() - 16) : match.start()].split()[-1]}'"
        if replacement.lower() in ("är", "år"):
            # Which of the two: "år" after a number or "varje", "nästa" … or before a year ("ar 2022").
            year = YEAR_BEFORE.search(text, max(0, match.start() - 20), match.start()) or YEAR_AFTER.match(
                text, match.end()
            )
            word = "år" if year else "är"
            if word != replacement.lower():
                why = (
                    "efter ett tal eller 'varje', 'nästa', 'tidigare' … eller före ett årtal eller i 'år för år'"
                    if year
                    else "inget årtal nära"
                )
                replacement, reason = _with_case(match.group(), word), f"{reason}; {word}: {why}"
        add(match.start(), match.end(), replacement, match.group(), reason, applied)

    edits.sort(key=lambda e: e[0])
    out: list[str] = []
    pos = 0
    for start, end, replacement, _ in edits:
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
    out.append(text[pos:])
    return RepairResult("".join(out), [e[3] for e in edits])


def apply_repairs(text: str, chosen: Iterable[tuple[int, str, str]]) -> str:
    """``text`` (the original, as :func:`repair` read it) with exactly the ``chosen`` repairs written:
    ``(offset, original, replacement)`` each, as a reviewer accepted them. A repair whose original is not at
    its offset (another text) raises ``ValueError``; overlapping repairs keep the first."""
    out: list[str] = []
    pos = 0
    for offset, original, replacement in sorted(chosen):
        if text[offset : offset + len(original)] != original:
            raise ValueError(f"repair {original!r} is not at offset {offset}")
        if offset < pos:
            continue
        out.append(text[pos:offset])
        out.append(replacement)
        pos = offset + len(original)
    out.append(text[pos:])
    return "".join(out)
