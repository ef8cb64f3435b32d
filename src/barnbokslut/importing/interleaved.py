"""Cells of a follow-up table that OCR read line by line across the page (issue 14).

OCR output of a four-column table (område | åtgärder | status | kommentar) has no cells: each text line holds a
piece of every column that has text at that height, left to right ("Skola som Tydlighet i värdskapet på Påbörj
Ett arbete pågår om att"). Word positions are lost, so the columns are told apart by what a table's text is
like, a best effort whose result is listed for review:

- a row begins where its status cell begins (a status word broken over two lines, "Påbörj" / "ad", "Geno" /
  "mförd"); the status fragments split their two lines into what stands left and right of them;
- the område ends with its unit abbreviations in parentheses; until then each line begins with a piece of it,
  at most as wide as the narrow first column;
- a cell begins with a capital or a number; a numbered item belongs to the column whose last item is the one
  before it; a word ending in a period followed by a lower-case word is a column seam; a word pair that the
  document's own prose has is not; a line wider than a column holds two columns, and a column that has ended
  takes no more lines (cells are filled from the top);
- words broken by the narrow first column without a hyphen are joined when the word list knows the result.

Rows whose text is mostly OCR debris ("mOJllghe.t.er.ng") are read the same way and reported as uncertain.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from barnbokslut.importing.ocr_repair import WordList

#: Status words as written in the follow-up tables, folded (no diacritics), and how they are shown.
STATUS_WORDS = {"paborjad": "Påbörjad", "genomford": "Genomförd", "pagar": "Pågår", "avslutad": "Avslutad"}
MAX_LINE_TOKENS = 40  # a longer line is not a table's: taken as it stands (bounded work on hostile text)
SLACK = 3  # characters a line of a proportional font may exceed a column's typical width by
_NUMBER = re.compile(r"^(\d{1,2})(?:\s*[-–]\s*\d{1,2})?\.$")
_FUNCTION_WORDS = frozenset(
    {"på", "i", "av", "för", "att", "med", "och", "som", "om", "under", "till", "en", "ett", "de", "det", "den",
     "samt", "eller", "från", "inom", "vid", "mot", "hur", "vad", "där", "när", "kring", "både", "även", "ska",
     "kan", "har", "är"}
)  # fmt: skip
_NEGATIONS = frozenset({"ej", "inte"})
_HEADER_WORDS = ("utvecklingso", "foregaende", "oregaende", "ar", "omraden")


def fold(text: str) -> str:
    """Lower case without diacritics (å, ä → a, ö → o, é → e)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _bare(token: str) -> str:
    return re.sub(r"^[^\w]+|[^\w]+$", "", fold(token))


def _near(a: str, b: str) -> bool:
    """Equal, or one substitution apart (OCR's "d" for "ö", "]" for "j")."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def status_start(token: str) -> str | None:
    """The status word ``token`` begins ("Paborj", "Pabor]", "Geno", "Pågår"), or None."""
    bare = fold(token).replace("]", "j").strip("|.,;:")
    if len(bare) < 3:
        return None
    for word in STATUS_WORDS:
        if len(bare) <= len(word) and _near(bare, word[: len(bare)]):
            return word
    return None


def _shown(word: str, negated: bool) -> str:
    shown = STATUS_WORDS[word]
    return f"Ej {shown.lower()}" if negated else shown


def status_end(token: str, word: str) -> bool:
    """``token`` is the rest of ``word`` on the status cell's second line ("ad", "mförd")."""
    bare = fold(token).strip("|.,;:")
    if not 2 <= len(bare) < len(word):
        return False
    rest = word[-len(bare) :]
    return bare == rest or (len(bare) >= 4 and _near(bare, rest))


def _capital(token: str) -> bool:
    return bool(_NUMBER.match(token)) or token[:1].isupper() or token[:1].isdigit()


def _length(tokens: list[str]) -> int:
    return len(" ".join(tokens))


def _junk(token: str) -> bool:
    """OCR debris: no word in it ("e", ". ;"), or characters text does not have ("fr?mat", "sonatve_r")."""
    if re.search(r"[?%_;!\\\"]|[a-zåäö][A-ZÅÄÖ]{2}", token):
        return True
    if re.fullmatch(r"\d{1,4}[.,)]?|[&–-]|[iIåÅöÖ]|\(?[A-ZÅÄÖ]{1,5}[,)&]?", token):
        return False
    return not re.search(r"[^\W\d_]{2}", token)


@dataclass
class Widths:
    """Typical widths in characters: the område column, the åtgärder column, the kommentar column."""

    area: int
    actions: int
    comment: int

    @classmethod
    def of(cls, header_first: str, page_width: int) -> Widths:
        area = max(len(header_first), 10) + 2
        rest = max((page_width - area - 8) // 2, 16)
        return cls(area, rest, rest)


@dataclass
class ReadRow:
    """A row's four cells as read, and why it is uncertain ("" when it is not)."""

    area: str
    actions: str
    status: str
    comment: str
    uncertain: str = ""

    def cells(self) -> tuple[str, str, str, str]:
        return (self.area, self.actions, self.status, self.comment)


@dataclass
class _Row:
    lines: list[str]
    area: list[list[str]] = field(default_factory=list)
    columns: dict[int, list[list[str]]] = field(default_factory=lambda: {2: [], 4: []})
    status: str | None = None
    ended: set[int] = field(default_factory=set)
    numbers: dict[int, int] = field(default_factory=lambda: {2: 0, 4: 0})


def is_header_line(line: str) -> bool:
    folded = fold(line)
    return ("tgard" in folded or "tgird" in folded) and ("status" in folded or "kommentar" in folded)


def read_rows(
    lines: list[str],
    units: Iterable[str],
    widths: Widths,
    words: WordList | None = None,
    bigrams: frozenset[tuple[str, str]] = frozenset(),
) -> list[ReadRow]:
    """The rows of the table whose text is ``lines`` (its header lines included, they are dropped)."""
    content = _without_headers(lines)
    unit_set = set(units)
    reader = _Reader(widths, unit_set, words, bigrams)
    return [reader.read(row) for row in _rows(content, unit_set)]


def _without_headers(lines: list[str]) -> list[str]:
    drop: set[int] = set()
    for i, line in enumerate(lines):
        if is_header_line(line):
            drop.add(i)
            for j in (*range(i - 1, max(i - 3, -1), -1), *range(i + 1, min(i + 4, len(lines)))):
                bare = _bare(lines[j])
                if len(lines[j].strip()) <= 14 and (
                    not bare or bare.startswith(_HEADER_WORDS) or len(bare) <= 2
                ):
                    drop.add(j)
                elif j > i:
                    break
    return [line.strip() for i, line in enumerate(lines) if i not in drop and line.strip()]


@functools.lru_cache(maxsize=8)
def _unit_pattern(units: frozenset[str]) -> re.Pattern[str]:
    return re.compile(r"\(?(?:" + "|".join(map(re.escape, sorted(units))) + r")[,)&]?")


def _unit_token(token: str, units: set[str]) -> bool:
    """``token`` is a unit abbreviation, perhaps with its parenthesis or comma ("(SVF,", "FOR)")."""
    return bool(units) and _unit_pattern(frozenset(units)).fullmatch(token) is not None


def _paren_lines(lines: list[str], units: set[str]) -> list[tuple[int, int]]:
    """(first line, last line) of each unit parenthesis: "(SVF)", "(SVF, FIP," … "FOR)"."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for i, line in enumerate(lines):
        for token in line.split():
            if token.startswith("(") and _unit_token(token, units):
                open_at = i
            if open_at is not None and token.endswith(")") and _unit_token(token.lstrip("("), units):
                if i - open_at <= 3:
                    spans.append((open_at, i))
                open_at = None
    return spans


def _start_token(line: str, next_line: str) -> int | None:
    """The index of the token that begins a status cell on ``line``: a fragment whose rest is on the next line
    ("Påbörj" / "ad"), or a whole status word next to a rule ("| Pågår"); the first of them."""
    tokens = line.split()
    nexts = next_line.split()
    best: tuple[int, int] | None = None
    for i, token in enumerate(tokens):
        if _bare(token) in _NEGATIONS and token[:1].isupper() and any(status_start(t) for t in nexts):
            negation = (0, i)
            if best is None or negation < best:
                best = negation
            continue
        word = status_start(token)
        if word is None:
            continue
        bare = fold(token).replace("]", "j").strip("|.,;:")
        continued = any(status_end(t, word) for t in nexts)
        ruled = len(bare) == len(word) and "|" in tokens[max(i - 1, 0) : i + 2]
        if not (continued or ruled):
            continue  # "genom", "pågår" in a sentence
        if i > 0 and _bare(tokens[i - 1]) in _NEGATIONS and tokens[i - 1][:1].isupper():
            i -= 1  # "Ej påb" / "örjad"
        key = (0 if continued else 1, i)
        if best is None or key < best:
            best = key
    return None if best is None else best[1]


def _rows(lines: list[str], units: set[str]) -> list[list[str]]:
    starts = [
        i
        for i in range(len(lines))
        if _start_token(lines[i], lines[i + 1] if i + 1 < len(lines) else "") is not None
    ]
    parens = _paren_lines(lines, units)
    if not parens:
        return []
    if not starts or starts[0] > parens[0][0]:
        starts = [0, *[s for s in starts if s > 0]]
    rows: list[list[str]] = []
    for a, b in zip(starts, [*starts[1:], len(lines)], strict=True):
        segment = lines[a:b]
        inside = [(p, q) for p, q in parens if a <= p < b]
        if not inside:
            if rows:
                rows[-1].extend(segment)  # the rest of the row before, after a page break
            continue
        cut = a
        for (_p, q), (p2, _q2) in itertools.pairwise(inside):
            # Two areas in one status stretch (a status the OCR lost): the second row begins at the first line
            # after the first parenthesis that begins with a capital.
            new = next(
                (
                    j
                    for j in range(q + 1, p2 + 1)
                    if lines[j][:1].isupper() and not _NUMBER.match(lines[j].split()[0])
                ),
                p2,
            )
            rows.append(lines[cut:new])
            cut = new
        rows.append(lines[cut:b])
    return rows


class _Reader:
    def __init__(
        self, widths: Widths, units: set[str], words: WordList | None, bigrams: frozenset[tuple[str, str]]
    ) -> None:
        self.widths = widths
        self.units = units
        self.words = words
        self.bigrams = bigrams

    # ------------------------------------------------------------ one row

    def read(self, lines: list[str]) -> ReadRow:
        row = _Row(lines)
        parens = _paren_lines(lines, self.units)
        first_paren, last_paren = parens[0] if parens else (len(lines), len(lines))
        area_state = "before"
        status_word: str | None = None
        negated = False  # "Ej" / "påbörj" / "ad": the status begins with a negation on a line of its own
        for i, line in enumerate(lines):
            tokens = line.split()
            following = lines[i + 1] if i + 1 < len(lines) else ""
            # The status cell's fragments split their lines.
            anchor: int | None = None
            span = 1
            if status_word is None and not negated:
                start = _start_token(line, following)
                if start is not None:
                    anchor = start
                    negated = _bare(tokens[start]) in _NEGATIONS
                    status_word = (
                        status_start(tokens[start + 1]) if negated and start + 1 < len(tokens) else None
                    )
                    if negated and status_word is not None:
                        span = 2
                    elif not negated:
                        status_word = status_start(tokens[start])
            elif status_word is None:
                starts = [j for j, t in enumerate(tokens) if status_start(t)]
                if starts:
                    anchor = starts[0]
                    status_word = status_start(tokens[anchor])
            elif row.status is None:
                ends = [j for j, t in enumerate(tokens) if status_end(t, status_word)]
                if ends:
                    anchor = ends[-1] if len(ends) > 1 and ends[-1] > 0 else ends[0]
                    row.status = _shown(status_word, negated)
            left, right = (tokens[:anchor], tokens[anchor + span :]) if anchor is not None else (tokens, None)
            # The område: from the line it begins on until its unit parenthesis closes.
            if area_state == "before" and left and (i >= first_paren or self._may_begin_area(left)):
                area_state = "open"
            if area_state == "open":
                take = self._area_part(left, row, i, first_paren, last_paren)
                if take:
                    row.area.append(left[:take])
                left = left[take:]
                if i >= last_paren:
                    area_state = "closed"
            left = [t for t in left if t != "|"]
            if right is not None:
                right = [t for t in right if t != "|"]
                self._add(row, 2, left)
                self._add(row, 4, right)
            else:
                self._split(row, left)
        if status_word is not None and row.status is None:
            row.status = _shown(status_word, negated)
        return self._result(row)

    def _may_begin_area(self, tokens: list[str]) -> bool:
        first = tokens[0]
        return first[:1].isupper() and not _NUMBER.match(first) and status_start(first) is None

    def _area_part(self, tokens: list[str], row: _Row, i: int, first_paren: int, last_paren: int) -> int:
        """How many of the line's first tokens are the område's."""
        if first_paren <= i <= last_paren:
            # The unit parenthesis: what stands before it on its first line, and the abbreviations.
            n = 0
            opened = i > first_paren
            for j, token in enumerate(tokens):
                if token.startswith("(") and _unit_token(token, self.units):
                    opened = True
                if opened:
                    if not (_unit_token(token.lstrip("("), self.units) or token in ("&", ",", "och")):
                        break
                    n = j + 1
                    if token.endswith(")"):
                        break
                elif i == first_paren:
                    n = j + 1
            return n if (n and (opened or i == first_paren)) else 0
        if tokens and tokens[0] == "|":
            return 0
        candidates = []
        for k in range(1, len(tokens) + 1):
            if _length(tokens[:k]) > self.widths.area:
                break
            if _NUMBER.match(tokens[k - 1]) or tokens[k - 1] == "|":
                break
            candidates.append(k)
        if not candidates:
            return 0
        if "|" in tokens[: candidates[-1] + 1]:
            return tokens.index("|")

        def score(k: int) -> float:
            rest = tokens[k:]
            s = 0.0
            if rest and not row.columns[2] and not _capital(rest[0]):
                s -= 5
            if rest and row.columns[2] and self._seen(row.columns[2][-1][-1], rest[0]):
                s += 2
            if rest and self._seen(tokens[k - 1], rest[0]):
                s -= 2
            s += 0.01 * k
            return s

        return max(candidates, key=score)

    def _seen(self, a: str, b: str) -> bool:
        return (_bare(a), _bare(b)) in self.bigrams

    def _add(self, row: _Row, column: int, tokens: list[str]) -> None:
        if not tokens:
            return
        row.columns[column].append(tokens)
        for token in tokens[:1]:
            number = _NUMBER.match(token)
            if number:
                row.numbers[column] = int(number.group(1))

    def _split(self, row: _Row, tokens: list[str]) -> None:
        """A line without a status fragment: åtgärder on the left, kommentar on the right, or one of them."""
        if not tokens:
            return
        if len(tokens) > MAX_LINE_TOKENS:
            self._add(row, 2, tokens)
            return
        n = len(tokens)
        width2, width4 = self.widths.actions, self.widths.comment
        col2, col4 = row.columns[2], row.columns[4]

        def score(k: int) -> float:
            left, right = tokens[:k], tokens[k:]
            s = 0.0
            for part, width, col, column in ((left, width2, col2, 2), (right, width4, col4, 4)):
                if not part:
                    continue
                excess = _length(part) - width - SLACK
                if excess > 0:
                    s -= 2 + excess
                if column in row.ended:
                    s -= 3
                if col and col[-1][-1].endswith(".") and part[0][:1].islower():
                    s -= 3  # a sentence does not go on in lower case
                if not col and not _capital(part[0]):
                    s -= 5
                number = _NUMBER.match(part[0])
                if number:
                    s += 4 if int(number.group(1)) == row.numbers[column] + 1 else -2
                if col and self._seen(col[-1][-1], part[0]):
                    s += 1
                elif col and _bare(col[-1][-1]) in _FUNCTION_WORDS and _bare(part[0]) in _FUNCTION_WORDS:
                    s -= 1  # "under" / "och": two function words the document's prose never has in a row
            for j in range(1, n):
                number = _NUMBER.match(tokens[j])
                if number and k != j:
                    s -= 3
            if 0 < k < n:
                a, b = tokens[k - 1], tokens[k]
                if a.endswith(".") and b[:1].islower():
                    s += 3
                if self._seen(a, b):
                    s -= 2
                if b[:1].isupper() and a.endswith("."):
                    s += 0.3  # a sentence ends and another begins: in one column, or at a seam
                s -= 0.05 * abs(_length(left) - _length(right))
                # Both columns stopped mid-sentence ("genomgång av" | "fortsätter under"): both go on here.
                s += sum(1 for col in (col2, col4) if col and _bare(col[-1][-1]) in _FUNCTION_WORDS)
            else:
                single = 2 if k == n else 4
                other = 4 if single == 2 else 2
                wider = _length(tokens) - (width2 if single == 2 else width4)
                if wider > 0 and n > 1:
                    s -= 0.7 * wider
                if row.columns[single] and _bare(row.columns[single][-1][-1]) in _FUNCTION_WORDS:
                    s += 1
                if row.columns[other] and _bare(row.columns[other][-1][-1]) in _FUNCTION_WORDS:
                    s -= 1
                if row.columns[single] and row.columns[single][-1][-1].endswith("."):
                    s -= 0.5
            return s

        k = max(range(n + 1), key=lambda k: (score(k), k))
        left, right = tokens[:k], tokens[k:]
        if not right and col4 and col2:
            row.ended.add(4)
        if not left and col2 and col4:
            row.ended.add(2)
        self._add(row, 2, left)
        self._add(row, 4, right)

    # ------------------------------------------------------------ cell text

    def _result(self, row: _Row) -> ReadRow:
        all_tokens = [t for line in row.lines for t in line.split()]
        junk = sum(_junk(t) for t in all_tokens)
        uncertain = ""
        if all_tokens and junk / len(all_tokens) > 0.06:
            uncertain = f"{junk} av radens {len(all_tokens)} ord är skadade av OCR"
        if not row.area:
            uncertain = uncertain or "området hittades inte"
        return ReadRow(
            self._cell(row.area, numbered=False),
            self._cell(row.columns[2]),
            row.status or "",
            self._cell(row.columns[4]),
            uncertain,
        )

    def _cell(self, fragments: list[list[str]], numbered: bool = True) -> str:
        text = ""
        for fragment in fragments:
            tokens = [t for t in fragment if not _junk(t) or re.search(r"\w{3}", t)]
            if not tokens:
                continue
            piece = " ".join(tokens)
            if not text:
                text = piece
            elif numbered and _NUMBER.match(tokens[0]):
                text = f"{text}\n{piece}"
            elif self._joins(text.rsplit(None, 1)[-1], tokens[0]):
                text = text + piece
            elif text.endswith("-") and tokens[0][:1].islower() and tokens[0] not in ("och", "eller"):
                text = text[:-1] + piece
            else:
                text = f"{text} {piece}"
        return text

    def _joins(self, before: str, after: str) -> bool:
        """A word broken by a narrow column without a hyphen: the word list knows the whole, not the parts."""
        if self.words is None or not before[-1:].isalpha() or not after[:1].islower():
            return False
        whole = (before + after).lower().strip(".,;:()")
        head, tail = before.lower().strip(".,;:()"), after.lower().strip(".,;:()")
        if head in self.words or tail in self.words:
            return False
        # The whole is a known word, or the first half filled the narrow column's line.
        return whole in self.words or self.words.is_compound(whole) or (head.isalpha() and len(head) >= 8)
