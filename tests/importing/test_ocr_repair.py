"""OCR repair of Swedish text (issue 14, part 3): damage patterns, valid words kept, every change listed."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

import bench_module
from barnbokslut.importing.ocr_repair import (
    WordList,
    WordListMissing,
    load_word_list,
    repair,
)
from pathology import time_ratio

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not Path("/usr/share/dict/swedish").exists(),
    reason="Debian-paketet wswedish saknas (scripts/bootstrap.sh)",
)


@pytest.fixture(scope="module")
def words() -> WordList:
    return load_word_list()


def fixed(text: str, words: WordList) -> str:
    return repair(text, words).text


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        ("Barns réttigheter gäller alla.", "Barns rättigheter gäller alla."),
        ("Barns rittigheter gäller alla.", "Barns rättigheter gäller alla."),
        ("Det &r så.", "Det är så."),
        ("Det é&r så.", "Det är så."),
        ("i Goteborg idag", "i Göteborg idag"),
        ("som r6r barn", "som rör barn"),
        ("frédgor som ror", "frågor som ror"),  # "ror" is a valid word: left alone
        ("Ovriga barn", "Övriga barn"),
        ("&tgirder for barn", "åtgärder for barn"),
        ("en nuldgesanalys", "en nulägesanalys"),
        ("under 18 &r enligt", "under 18 år enligt"),
    ],
)
def test_single_patterns(damaged: str, clean: str, words: WordList) -> None:
    assert fixed(damaged, words) == clean


def test_case_is_preserved(words: WordList) -> None:
    assert fixed("Goteborg GOTEBORG goteborg", words) == "Göteborg GÖTEBORG göteborg"
    assert fixed("Atgirder", words) == "Åtgärder"
    assert fixed("HilsoSAMS och Goteborgs", words) == "HälsoSAMS och Göteborgs"
    assert fixed("FORUTSÉTTNINGAR", words) == "FÖRUTSÄTTNINGAR"


def test_valid_words_are_untouched(words: WordList) -> None:
    text = "Det var for länge sedan. Barnen om ar och basta vid arenan. Signs of Safety, LOSA och SVF."
    result = repair(text, words)
    assert result.text == text
    assert result.applied == []


def test_for_beside_many_fors_is_only_a_suggestion(words: WordList) -> None:
    text = "för barnen, för alla, för skolan, för dem. Det gäller for barnet."
    result = repair(text, words)
    assert result.text == text
    [suggestion] = result.suggestions
    assert (suggestion.original, suggestion.replacement, suggestion.applied) == ("for", "för", False)
    assert suggestion.reason.startswith("Förslag, inte ändrat")
    applied = repair(text, words, apply_suggestions=True)
    assert applied.text == text.replace("for barnet", "för barnet")


def test_hyphen_at_line_end_is_joined(words: WordList) -> None:
    result = repair("barnets utveck-\nling och hälsa\n", words)
    assert result.text == "barnets utveckling\noch hälsa\n"
    [join] = result.repairs
    assert (join.line, join.column, join.original) == (1, 9, "utveck-\nling ")
    assert "avstavning" in join.reason


def test_hyphen_join_repairs_the_joined_word(words: WordList) -> None:
    assert repair("alla rét-\ntigheter", words).text == "alla rättigheter\n"


def test_hyphen_kept_when_the_join_is_no_word(words: WordList) -> None:
    text = "besluts-\noch arbetsprocesser"
    assert repair(text, words).text == text


def test_every_repair_is_listed_with_its_place(words: WordList) -> None:
    text = "Inledning\nBarns réttigheter &r\nviktiga i Goteborg."
    result = repair(text, words)
    listed = [(r.line, r.column, r.offset, r.original, r.replacement) for r in result.repairs]
    assert listed == [
        (2, 7, 16, "réttigheter", "rättigheter"),
        (2, 19, 28, "&r", "är"),
        (3, 11, 41, "Goteborg", "Göteborg"),
    ]
    assert result.repairs[0].reason == "OCR-skada: é → ä"
    assert all(r.applied for r in result.repairs)
    # Nothing else changed: undoing the listed repairs gives the original back.
    undone = result.text
    for r in reversed(result.repairs):
        undone = undone.replace(r.replacement, r.original)
    assert undone == text


def test_mojibake(words: WordList) -> None:
    result = repair("Barns rÃ¤ttigheter i GÃ¶teborg", words)
    assert result.text == "Barns rättigheter i Göteborg"
    assert [r.original for r in result.repairs] == ["rÃ¤ttigheter", "GÃ¶teborg"]


def test_the_documents_own_words_count(words: WordList) -> None:
    # "Fjällbacka" is in no word list: its undamaged spelling in the document repairs the damaged one.
    result = repair("Fjällbacka ligger vid havet. Fjéllbacka har en hamn.", words)
    assert result.text == "Fjällbacka ligger vid havet. Fjällbacka har en hamn."


def test_small_word_list() -> None:
    small = WordList.from_words(["rättigheter", "barn"])
    assert repair("barn réttigheter rattigheter", small).text == "barn rättigheter rättigheter"
    assert repair("barnrattigheter", small).text == "barnrättigheter"  # a compound of the list's words


def test_a_long_random_text_is_bounded(words: WordList) -> None:
    rng = random.Random(14)
    alphabet = "aoeiudé&60rstnlmkgbv"
    tokens = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 39))) for _ in range(1000)]
    text = " ".join(tokens) + " " + "a" * 5000
    start = time.process_time()
    result = repair(text, words)
    assert time.process_time() - start < 10  # a few ms a token of pure garbage, on a busy CI machine
    assert len(result.text) >= len(text) - 100


def test_missing_word_list_says_so_in_swedish(tmp_path: Path) -> None:
    with pytest.raises(WordListMissing, match="wswedish"):
        load_word_list(tmp_path / "saknas", None)


def _bench():  # type: ignore[no-untyped-def]
    return bench_module.load("ocr_repair_quality")


def test_goteborg_excerpt_quality() -> None:
    """The issue's goal on the hand-corrected Göteborg excerpt (bench/ocr_repair_quality.py): at least 95 % of
    the damaged words repaired, at most 1 % of the changes wrong, no undamaged word changed."""
    bench = _bench()
    score = bench.measure()
    assert score.damaged == 240
    assert score.unaligned_lines == 0
    assert score.right_pct >= 95
    assert score.broken == 0
    assert score.wrong_pct <= 1.0
    with_suggestions = bench.measure(apply_suggestions=True)
    assert with_suggestions.right_pct >= 95
    assert with_suggestions.broken == 0


def test_held_out_text_quality() -> None:
    """On other texts (the Söderhamn seed, the example folders' texts and the documentation's prose, damaged the
    Göteborg OCR's way) the repair gets most damaged words right and few changes wrong. Measured 97.2 % / 1.0 %,
    95.9 % / 1.8 % and 93.0 % / 5.1 %; the first two were looked at when the rules were made, the third was not
    (before the frequency rules it was 91.3 % / 4.4 %): its floor is the lowest."""
    bench = _bench()
    examples = bench.measure_examples()
    assert examples.damaged > 500
    assert examples.right_pct >= 95
    assert examples.wrong_pct <= 2.0
    docs = bench.measure_docs()
    assert docs.damaged > 300
    assert docs.right_pct >= 91
    assert docs.wrong_pct <= 6.0
    score = bench.measure_held_out()
    if score is None:
        pytest.skip("Söderhamnsfröet finns inte på den här maskinen")
    assert score.damaged > 500
    assert score.right_pct >= 96
    assert score.wrong_pct <= 1.5


def _damaged_document(extra: str) -> str:
    """Five or more certain repairs of each o → ö, a → ä and a → å ("Goteborg", "langre", "manga" …), then
    ``extra``."""
    return (
        "Goteborg och mojligt, hogre, storre, fortsatt och ovriga. Langre, battre, tillrackligt, sarskilt, "
        "halsa. Hallbart, omraden, manga, nagon, fraga. " + extra
    )


def test_context_repairs_a_valid_word_in_a_damaged_document(words: WordList) -> None:
    result = repair(_damaged_document("Det gäller for barnet."), words)
    [context] = [r for r in result.repairs if r.original == "for"]
    assert (context.replacement, context.applied) == ("för", True)
    assert context.reason.startswith("Sammanhanget: 'for' är ett giltigt ord")
    assert "(o → ö) lagad" in context.reason
    assert result.text.endswith("Det gäller för barnet.")


def test_without_that_damage_a_valid_word_stays(words: WordList) -> None:
    # Only two o → ö repairs: not enough to say the document is damaged so.
    result = repair("Goteborg och mojligt. Det gäller for barnet.", words)
    assert "for barnet" in result.text


def test_ar_is_ar_or_year_by_its_neighbours(words: WordList) -> None:
    text = _damaged_document("Det ar viktigt. Under ar 2022 och varje ar. Barnen ar 12 ar.")
    fixed = repair(text, words).text
    assert fixed.endswith("Det är viktigt. Under år 2022 och varje år. Barnen är 12 år.")


def test_a_word_with_one_letter_right_and_another_damaged(words: WordList) -> None:
    # "förbattra" has its ö, so it looked like the document's own spelling; one change makes a word of the list.
    result = repair("Vi vill förbattra det. Alla föräldrar och foräldrar.", words)
    assert result.text == "Vi vill förbättra det. Alla föräldrar och föräldrar."
    assert all("övriga å, ä, ö var hela" in r.reason for r in result.repairs)


def test_far_and_satt_by_their_neighbours(words: WordList) -> None:
    text = _damaged_document("Barnen far stöd. Barn som far illa. Det görs på samma satt. Hon satt still.")
    fixed = repair(text, words).text
    assert fixed.endswith("Barnen får stöd. Barn som far illa. Det görs på samma sätt. Hon satt still.")


def test_a_verb_needs_its_word_before(words: WordList) -> None:
    text = (
        "Hallbart, langre, battre, tillrackligt, sarskilt, vardag och halsa. Att starka barnen; starka sidor."
    )
    result = repair(text, words)
    assert "Att stärka barnen; starka sidor." in result.text


def test_addresses_are_never_repaired(words: WordList) -> None:
    text = _damaged_document("Skriv till kundtjanst@soderhamn.se eller se www.soderhamn.se/for-barn.")
    assert repair(text, words).text.endswith("kundtjanst@soderhamn.se eller se www.soderhamn.se/for-barn.")


def test_the_seed_in_bounded_time(words: WordList) -> None:
    seed = Path("/work/shared/seeds/001_eba51dd164c3257f.txt")
    if not seed.exists():
        pytest.skip("Göteborgsfröet finns inte på den här maskinen")
    text = seed.read_text(encoding="utf-8")
    start = time.process_time()
    repair(text + text, words)
    assert time.process_time() - start < 5


def test_a_long_run_without_spaces_costs_linear_time(words: WordList) -> None:
    # Hostile text: one "word" of tens of thousands of letters. Both the line-end hyphen pattern and the e-mail
    # pattern were tried at every letter of it and cost the square of its length: 16 times the run took about
    # 250 times as long. Linear is about 16.
    ratio = time_ratio(lambda: repair("for" * 16_000, words), lambda: repair("for" * 1_000, words))
    assert ratio < 45, ratio
    hostile = "for" * 16_000 + "-\nrätt " + "a@" * 5_000
    assert repair(hostile, words).text.startswith("for" * 16_000)


def test_a_compound_with_one_letter_right_is_still_repaired(words: WordList) -> None:
    # "forstärka" is "for" + "stärka" to the compound check, and has its ä: it looked like the document's own
    # spelling. One change makes a plain word of the list of it.
    result = repair("Vi vill forstärka arbetet.", words)
    assert result.text == "Vi vill förstärka arbetet."


def test_a_far_more_frequent_word_wins_with_one_change_more(words: WordList) -> None:
    # "förbittring" (bitterness) is one change away, "förbättring" two; wordfreq has the latter 25 times as often.
    [repaired] = repair("En forbittring av arbetet.", words).repairs
    assert repaired.replacement == "förbättring"


def test_ties_go_to_the_more_frequent_word(words: WordList) -> None:
    # d → ä ("nätt") and d → å ("nått") are as likely; "nått" is the more frequent word.
    assert repair("Vi har ndtt målet.", words).text == "Vi har nått målet."


def test_a_rare_valid_word_is_repaired_to_a_far_more_frequent_one_only_in_a_damaged_document(
    words: WordList,
) -> None:
    clean = "Barnets rost och om du hor mig."
    assert repair(clean, words).text == clean
    fixed = repair(_damaged_document(clean), words)
    assert fixed.text.endswith("Barnets röst och om du hör mig.")
    [rost] = [r for r in fixed.repairs if r.original == "rost"]
    assert "mycket vanligare ord" in rost.reason and rost.applied
    # The Zipf values the Swedish way, with a decimal comma (wordfreq's own values, read independently).
    from wordfreq import zipf_frequency

    high, low = (f"{zipf_frequency(w, 'sv'):.1f}".replace(".", ",") for w in ("röst", "rost"))
    assert f"(ordfrekvens {high} mot {low})" in rost.reason


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        ("som behodver nås", "som behöver nås"),
        ("blir hoérda", "blir hörda"),
        ("stdédmaterial", "stödmaterial"),
    ],
)
def test_o_umlaut_read_as_two_letters(damaged: str, clean: str, words: WordList) -> None:
    assert repair(damaged, words).text == clean


def test_words_that_only_look_damaged_stay(words: WordList) -> None:
    # "tilliten" is a word (wordfreq has it), not a damaged "tillåten"; SiS is an abbreviation; "tilgodosedda"
    # lost an l, and "tålgödosedda" is no word whose parts are frequent enough to be a compound repair.
    text = _damaged_document("Tilliten till SiS och barnens behov tilgodosedda.")
    assert repair(text, words).text.endswith("Tilliten till SiS och barnens behov tilgodosedda.")


def test_the_note_on_the_repairs_writes_numbers_the_swedish_way() -> None:
    from barnbokslut.importing.text_reader import _repair_notes

    # Babel's Swedish group separator, a no-break space.
    assert _repair_notes(1097, 1100) == [
        "1\xa0097 ord rättade efter OCR-skador och 3 förslag som inte ändrats; se rättelserna."
    ]
    assert _repair_notes(0, 0) == []


def test_a_word_with_many_places_that_could_be_damaged_still_gets_three_changes(words: WordList) -> None:
    # The Göteborg key's "F = Forsorjningsstod": three o → ö, among 16 places that could be damaged.
    assert repair("F = Forsorjningsstod\n", words).text == "F = Försörjningsstöd\n"


def test_a_lost_double_letter_is_restored_from_the_documents_own_spelling(words: WordList) -> None:
    text = "Behoven blir tillgodosedda. Alla får sina behov tilgodosedda. De är tillgodosedda.\n"
    result = repair(text, words)
    assert result.text == text.replace("tilgodosedda", "tillgodosedda")
    [lost] = result.repairs
    assert "dubbelteckningen ll saknas" in lost.reason
    # Seen once only: not enough to say so.
    once = "Alla får sina behov tilgodosedda. De är tillgodosedda.\n"
    assert repair(once, words).text == once


def test_an_action_or_area_begins_with_a_verb(words: WordList) -> None:
    # At the start of a line or numbered item, with a capital, "Starka" and "Fortsatta" are the verbs of a
    # development area; within a sentence "fortsatta studier" is right and only suggested.
    text = _damaged_document(
        "\n2. Starka samverkan med skolan\nFortsatta påbörjat arbete\nEfter gymnasiet\nfortsatta studier.\n"
    )
    result = repair(text, words)
    assert result.text.endswith(
        "\n2. Stärka samverkan med skolan\nFortsätta påbörjat arbete\nEfter gymnasiet\nfortsatta studier.\n"
    )
    [studies] = [r for r in result.repairs if r.original == "fortsatta"]
    assert not studies.applied


def test_an_is_an_and_the_passive_of_starka_needs_its_verb_before(words: WordList) -> None:
    # In a document with a → ä repaired many times "an" is the comparison "än"; "starkas" is "stärkas" after a
    # modal verb or "fortsatt" (the verb before damaged too), and stays within other words.
    text = _damaged_document(
        "Mer an förra året. Behover fortsatt starkas. Samverkan ska starkas. De starkas lag vann."
    )
    result = repair(text, words)
    assert result.text.endswith(
        "Mer än förra året. Behöver fortsatt stärkas. Samverkan ska stärkas. De starkas lag vann."
    )


def test_a_compound_of_fewer_parts_wins_with_one_change_more(words: WordList) -> None:
    # One change gives "aren" + "degen" + "omgångar"; two give "ärende" + "genomgångar".
    result = repair("Barnen och arendegenomgangar.", words)
    assert result.text == "Barnen och ärendegenomgångar."


def test_the_rest_of_a_word_a_narrow_column_broke_is_left_for_the_join(words: WordList) -> None:
    # The seed's follow-up table: "Kompetensut" / "veckling (F &": the column broke "Kompetensutveckling"
    # without a hyphen. Its rest is no word, but it is not damaged either.
    path = Path("/work/shared/seeds/001_eba51dd164c3257f.txt")
    if not path.exists():
        pytest.skip("Göteborgsfröet finns inte på den här maskinen")
    seed = path.read_text(encoding="utf-8")
    assert "Kompetensut | 1. Genomféra" in seed and "\nveckling (F & |" in seed

    def tail_repairs(text: str) -> list[str]:
        return [r.replacement for r in repair(text, words).repairs if r.original == "veckling"]

    assert tail_repairs(seed) == []
    # Without its head on the line before, the same rest is taken for a damaged word ("vecklång").
    assert tail_repairs(seed.replace("Kompetensut | 1. Genomféra", "Kompetens | 1. Genomféra")) != []


def test_a_compound_wordfreq_knows_is_not_outweighed_by_its_damaged_form(words: WordList) -> None:
    # wordfreq has "familjehemsvård" (rarely), the damaged "familjehemsvärd" not at all: before, the unknown one
    # weighed more (its parts' frequency) and won in the seed. "Familjehemsvdrd": d is ä or å.
    path = Path("/work/shared/seeds/001_eba51dd164c3257f.txt")
    if not path.exists():
        pytest.skip("Göteborgsfröet finns inte på den här maskinen")
    result = repair(path.read_text(encoding="utf-8"), words)
    repaired = {r.original: r.replacement for r in result.repairs if r.original.startswith("Familjehemsv")}
    assert repaired == {"Familjehemsvdrd": "Familjehemsvård", "Familjehemsvard": "Familjehemsvård"}


def test_a_valid_compound_whose_rare_part_one_change_makes_frequent_is_repaired(words: WordList) -> None:
    # "kontaktvag" is "kontakt" + "vag" (vague) to the lists; "väg" is a hundred times more frequent.
    assert fixed("Etablera lokal kontaktvag med myndigheten.", words) == (
        "Etablera lokal kontaktväg med myndigheten."
    )
    # A valid compound whose parts are as frequent stays ("dagbok", not "dågbok").
    assert fixed("Hon skriver dagbok.", words) == "Hon skriver dagbok."


def test_between_equal_candidates_the_common_beginning_wins(words: WordList) -> None:
    # "åter…" and "äter…" both make compounds with one change each and parts as frequent; many words of the
    # list begin "åt", few "ät".
    assert fixed("Tydliggöra arbetet i ateransokningar.", words) == "Tydliggöra arbetet i återansökningar."


def test_the_word_before_chooses_between_two_repairs(words: WordList) -> None:
    result = repair(
        "Föräldrar ska lättare forsta vad som behövs. Den forsta gången. Vi fdr säga vad vi tycker. "
        "Tack fdr hjälpen.",
        words,
    )
    assert result.text == (
        "Föräldrar ska lättare förstå vad som behövs. Den första gången. Vi får säga vad vi tycker. "
        "Tack för hjälpen."
    )
    [because] = [r for r in result.repairs if r.replacement == "förstå"]
    assert "efter 'lättare'" in because.reason


def test_a_year_after_fler_or_tidigare_and_year_for_year(words: WordList) -> None:
    text = _damaged_document(
        "Med fler ar i registret. Jämfört med tidigare dr. Utvecklas ar for ar. Det ar bra."
    )
    assert fixed(text, words).endswith(
        "Med fler år i registret. Jämfört med tidigare år. Utvecklas år för år. Det är bra."
    )


def test_a_long_english_word_stays(words: WordList) -> None:
    # "Informed" is no Swedish word, and o → ö makes the compound "in" + "förmed"; wordfreq has it as a
    # frequent English word. A damaged Swedish word beside it is still repaired.
    assert fixed("Arbetet enligt Trauma Informed Care ger battre stöd.", words) == (
        "Arbetet enligt Trauma Informed Care ger bättre stöd."
    )
