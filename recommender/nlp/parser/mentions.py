"""Mentions pass: catalog titles the message refers to ("like Alien", "similar to the
matrix 1999") and the tagger's TITLE spans.

Claims a reference cue ("like", "similar to"; claimed as "cue") together with the
longest catalog title that follows it ("title"), and a year right after the title
("alien 1979", "alien (1979)") as a hint that picks the edition. Adds the item to
``Query.reference_items``, with a note when the title was matched fuzzily. It runs
after ordinals and ratings (so "like the second one" and "4 stars" are taken) and
before years, people and genres: a title's words ("2001: A Space Odyssey", "Scary
Movie") must not become a year or a genre. A title that only names a genre ("something
like horror") or a pronoun ("like it") is no title; "i'd like" is the verb, no cue.
"""

from __future__ import annotations

import re

from recommender.nlp import lexicon
from recommender.nlp.entities import Entity
from recommender.nlp.parser.state import ParseState, clause_break, phrase_key
from recommender.nlp.parser.statements import claim_title, unknown_film_note
from recommender.nlp.patterns import alternation, phrase_regex
from recommender.nlp.sentiment import LIKE_SUBJECTS, stances
from recommender.nlp.titles import TitleIndex, TitleMatch

# Past-liking phrasings the lexicon lacks ("if you liked Stand by Me, what else"); kept
# here, not in the lexicon, because the lexicon also shapes the tagger's training data.
_MORE_CUES = ("if you liked", "if you loved", "if you enjoyed", "i enjoyed", "i really liked",
              "i really loved", "i adored", "reminds me of", "remind me of",
              "reminded me of")  # fmt: skip
_CUES = (*lexicon.REFERENCE_CUES, *_MORE_CUES)
_REF_RE = phrase_regex(_CUES)
_REF_BEFORE = re.compile(rf"(?<![\w'])(?:{alternation(_CUES)})\s+$")
# A comma may sit inside an exact title ("Monsters, Inc."), never inside a fuzzy one.
_EXACT_GAP = re.compile(r"[\s:\-–'.&!,]*")
_TITLE_GAP = re.compile(r"[\s:\-–'.&!]*")  # what may separate the words of one title
# Words after which a fuzzy title try stops ("like alien but newer" tries "alien").
_TITLE_STOP = frozenset(
    {"but", "from", "without", "no", "not", "before", "after", "since", "between", "that",
     "which", "except", "please", "only", "made", "released", "set", "in", "with", "and",
     "or", "though", "starring", "by"}
)  # fmt: skip
_PRONOUNS = frozenset(
    {"it", "this", "that", "these", "those", "her", "him", "them", "me", "us", "you", "one",
     "ones", "this one", "that one", "these ones", "those ones", "it all", "them all"}
)  # fmt: skip

_END_MARKS = " ?!.,;:…\"'"

TitleFind = tuple[TitleMatch, range, range | None]  # match, title tokens, year-hint tokens


def read_references(state: ParseState, titles: TitleIndex) -> None:
    """Claim each unclaimed reference cue that a catalog title follows, and the title."""
    masked = state.masked()
    for m in _REF_RE.finditer(masked):
        cue = phrase_key(m.group())
        if cue == "like" and _is_verb_like(masked, m.start()):
            continue
        span = state.token_range(m.start(), m.end())
        if not span or not state.free(span):
            continue
        found = find_title(state, span.stop, titles)
        if found:
            match, title_span, hint_span = found
            claim_title(state, titles, match, title_span, hint_span)
            state.claim(span, "cue")
        elif (unknown := _unknown_title(state, span.stop)) is not None:
            state.claim(span, "cue")
            state.claim(unknown, "title")
            first, last = state.tokens[unknown.start], state.tokens[unknown.stop - 1]
            state.note(unknown_film_note(state.text[first.start : last.end]))


def _unknown_title(state: ParseState, first: int) -> range | None:
    """A title the catalog lacks after a reference cue ("movies like The Office", "similar
    to Knives Out"): two or more free capitalised words from ``first`` ("The" counts).
    Searched as words, "The Office" listed films about offices. One word stays a topic
    ("like Marvel")."""
    stop = first
    while stop < len(state.tokens) and state.claims[stop] is None and stop - first < 6 and (
        state.tokens[stop].raw[:1].isupper() and not state.tokens[stop].raw.isupper()
    ) and (stop == first or not _word_gap(state, stop)):
        stop += 1
    return range(first, stop) if stop - first >= 2 else None


def _word_gap(state: ParseState, i: int) -> bool:
    """Whether a clause break or a comma separates token ``i`` from the one before."""
    gap = state.text[state.tokens[i - 1].end : state.tokens[i].start]
    return clause_break(gap) or "," in gap


def entity_title(
    state: ParseState, ent: Entity, span: range, titles: TitleIndex, *, quiet: bool = False
) -> None:
    """Resolve a tagger TITLE span; unresolved, it stays unclaimed with a note (none when
    ``quiet``: its words are a topic to search for)."""
    hint_span, year = _year_after(state, span)
    if _is_pronoun(ent.text):
        return  # "i liked it": the thing just shown (the dialogue resolves it), not "It"
    if all(w in lexicon.FILLER_WORDS for w in lexicon.normalize(ent.text).split()):
        return  # "something by Christopher Nolan": a word of the request, no title to look up
    match = titles.resolve(ent.text, year=year)
    if match is not None and match.score < 100 and len(ent.text.split()) == 1:
        match = None  # one word that is only *like* a title ("Awesome" ~ "Superfast!") is no title
    if match is not None and not _articles_agree(_with_article_before(state, span), match.label):
        return  # "a road trip movie" describes a kind of film; the film is "Road Trip"
    if match is None:  # unclaimed: its words still count as genres or free text
        if not quiet:
            state.note(unknown_film_note(ent.text))
            if (after_reference_cue(state.text[: ent.start].lower())
                    and not any(lexicon.genres_of(w) for w in lexicon.normalize(ent.text).split())):
                # "movies like Knives Out" (newer than the catalog): a film, not a search
                # for knives; the note says so.
                state.claim(span, "title")
        return
    # What the message says about the film, as for the titles the statements pass found
    # ("I watched a quiet place": seen; "have you seen alien?": asked; "like alien": a
    # reference).
    start, end = state.tokens[span.start].start, state.tokens[span.stop - 1].end
    claim_title(state, titles, match, span, hint_span, stances(state.text, [(start, end)])[0])


def find_title(state: ParseState, first: int, titles: TitleIndex) -> TitleFind | None:
    """The longest title starting at token ``first``: exact titles first (longest
    wins), then a fuzzy try so typos still resolve. Words that only name a genre
    ("something like horror") or a pronoun ("like it") are not titles."""
    toks = state.tokens
    last = _title_end(state, first, _TITLE_GAP)
    if last == first:
        return None
    spans = [range(first, stop) for stop in range(_title_end(state, first, _EXACT_GAP), first, -1)]
    stop = next((i for i in range(first + 1, last) if toks[i].text in _TITLE_STOP), last)
    fuzzy = [range(first, last)] + ([range(first, stop)] if stop != last else [])
    for span, exact in [(s, True) for s in spans] + [(s, False) for s in fuzzy]:
        phrase = state.text[toks[span.start].start : toks[span.stop - 1].end]
        core = re.sub(r"^(?:the|a|an|some|any)\s+", "", lexicon.normalize(phrase))
        if lexicon.genres_of(core) or all(w in lexicon.FILLER_WORDS for w in core.split()):
            continue
        if _is_pronoun(phrase):
            continue  # "like it", "like her": the thing just shown, not "It" or "Her"
        hint_span, year = _year_after(state, span)
        lookup = titles.exact if exact else titles.resolve
        match = lookup(phrase, year=year)
        if match is not None and _articles_agree(phrase, match.label):
            return match, span, hint_span
    return None


def _title_end(state: ParseState, first: int, gap: re.Pattern[str]) -> int:
    """End of the run of unclaimed tokens from ``first`` that ``gap`` lets one title span
    (a bracket or question mark always ends it; at most 10 words)."""
    toks = state.tokens
    last = first
    while last < len(toks) and last - first < 10 and state.claims[last] is None:
        if last > first and not gap.fullmatch(state.text[toks[last - 1].end : toks[last].start]):
            break
        last += 1
    return last


def after_reference_cue(before: str) -> bool:
    """True when ``before`` ends with a reference cue ("similar to", "like" but not
    the verb in "i'd like")."""
    m = _REF_BEFORE.search(before)
    if m is None:
        return False
    return not (phrase_key(m.group()) == "like" and _is_verb_like(before, m.start()))


def _year_after(state: ParseState, span: range) -> tuple[range | None, int | None]:
    """A year right after a title ("alien 1979", "alien (1979)") as a hint."""
    i = span.stop
    if i < len(state.tokens) and state.claims[i] is None:
        tok = state.tokens[i]
        gap = state.text[state.tokens[i - 1].end : tok.start] if i > 0 else ""
        if re.fullmatch(r"(?:1[89]|20)\d\d", tok.text) and re.fullmatch(r"[\s,(]*", gap):
            return range(i, i + 1), int(tok.text)
    return None, None


def _is_verb_like(masked: str, start: int) -> bool:
    """ "i'd like", "would like", "i like": the verb, not a reference cue."""
    before = masked[max(0, start - 12) : start].rstrip().split()
    return bool(before) and before[-1] in {
        "i'd", "id", "would", "i", "we", "you", "really", "don't", "dont", "not", "do",
        "kids", "they", "we'd", "feel", "might", "also", *LIKE_SUBJECTS,
    }  # fmt: skip


def _is_pronoun(phrase: str) -> bool:
    """A lower-case pronoun ("like it") refers back; a capitalised one may be a title
    ("movies like Her")."""
    # The span may carry the sentence's closing mark ("others like it?").
    return phrase.islower() and lexicon.normalize(phrase).strip(_END_MARKS) in _PRONOUNS


def _with_article_before(state: ParseState, span: range) -> str:
    """The span's text, with an indefinite article right before it ("a road trip")."""
    text = state.text[state.tokens[span.start].start : state.tokens[span.stop - 1].end]
    if span.start > 0 and state.tokens[span.start - 1].text in ("a", "an"):
        return f"{state.tokens[span.start - 1].text} {text}"
    return text


def _articles_agree(phrase: str, label: str) -> bool:
    """ "a boss" is not "The Boss": an indefinite article the title lacks is a mismatch."""
    typed = re.match(r"(a|an)\s", lexicon.normalize(phrase))
    return typed is None or lexicon.normalize(label).startswith(typed.group(0))
