"""Find the movie titles a person mentions anywhere in a longer message.

People write "i watched Click (2006) and i liked it", "maybe Men in Black (1997)",
"Spider-Man: Homecoming (2017", "Have you seen The Dark Knight?" — the title is not
announced by a cue and sits among ordinary words. ``spot_titles`` reads a tokenised
message (tokens with ``text`` lower-cased, ``raw`` as typed, character ``start``/``end``)
and returns the titles it is sure of, strongest evidence first:

1. **a title bound to its year**: the words right before "(YYYY)" (closing bracket
   optional): the longest run of them that is a catalog title of that year (±1), else the
   closest spelling among that year's titles (typos). The year belongs to the title; it
   is never a year filter.
2. **a quoted title**: "…" or “…”.
3. **a capitalised run** ("The Dark Knight", "Lord of the Rings"): the longest exact
   title starting there; one capitalised word counts only mid-sentence ("I loved Click"),
   and never a pronoun ("It", "Her").
4. **lower-case words after a viewing cue** ("i watched the dark knight"): an exact
   title of two or more words, or one rarer word, that the catalog knows well.
5. **lower-case words that open a sentence before a verdict** ("the godfather is my
   favorite", "inception was amazing"): as after a viewing cue.
6. **the whole message** is a well-known title, in any case ("Inception", "interstellar?").

Tokens where ``free`` is False are never read (another pass explained them). Pure and
cheap: dictionary look-ups on token n-grams; fuzzy matching against the few hundred
titles of a stated year, or against all titles only when a word after a cue or in a
capitalised run is one the catalog never writes ("i like the excorcist", "Seven Samori").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from recommender.nlp import lexicon
from recommender.nlp.titles import TitleIndex, TitleMatch, title_key

MAX_TITLE_WORDS = 10
YEAR_TYPO_CUTOFF = 82.0  # rapidfuzz ratio among the titles of the stated year
# A title found without a year or a capital letter must be this well known (ratings in
# the catalog): "about time", "last night" are ordinary words more often than films.
LOWER_CASE_MIN_RATINGS = 20
SINGLE_WORD_MIN_RATINGS = 10
# A title said without its year or exact spelling: at most this many words, and one of
# them a word no catalog text contains (``_misspelt``).
MAX_MISSPELT_WORDS = 6
MISSPELT_MIN_CHARS = 4
# What ends a misspelt title: a sentence mark or comma, or a word that continues the
# sentence ("i like the excorcist but ...", "... because it ...").
_TYPO_GAP = re.compile(r"[\s:\-–'&]*")
_TYPO_STOP = frozenset(
    {"but", "and", "or", "because", "it", "was", "is", "its", "so", "too", "with", "from",
     "by", "in", "on", "when", "which", "that", "if", "as", "a", "i", "you", "very", "really"}
)  # fmt: skip
_YEAR_BRACKET = re.compile(r"\(\s*(?P<year>(?:18|19|20)\d\d)\s*\)?")
_QUOTED = re.compile(r"[\"“”](?P<t>[^\"“”]{2,80})[\"“”]")
# Small words that may sit lower-case inside a capitalised title ("Lord of the Rings").
_CONNECTORS = frozenset(
    {"of", "the", "a", "an", "and", "in", "on", "to", "at", "for", "with", "vs", "from", "&"}
)
# What may separate two words of one title.
_TITLE_GAP = re.compile(r"[\s:\-–'.&!,]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s*|\n\s*)$")
# Words after which lower-case words may be a title: "i watched the dark knight".
VIEWING_CUES = frozenset(
    {"watched", "seen", "saw", "liked", "loved", "enjoyed", "hated", "disliked", "like", "love",
     "about", "called", "titled", "recommend", "try", "watching", "see",
     "watch", "adore", "adored"}
)  # fmt: skip
# Words after which a lower-case series name is one ("no star wars").
NEGATION_CUES = frozenset({"no", "not", "except", "without", "but", "nor", "nothing"})
# Words between such a cue and the name: "nothing with james bond", "not any star wars".
_NEGATION_SKIP = ("the", "any", "a", "with", "about", "from", "of")
_PRONOUNS = frozenset({"it", "her", "him", "us", "them", "me", "you", "this", "that", "one", "i"})
# Cues right before a capitalised small word that make it a title ("like Up").
_NAMING_CUES = frozenset({"like", "loved", "liked", "love", "enjoyed", "watched", "seen", "saw"})
_NEVER_A_TITLE = frozenset({"it", "i", "me", "you", "this", "that", "one", "the", "a", "an", "them"})


class TokenLike(Protocol):
    """A word of the message, read-only (the parser's frozen ``Token`` is one)."""

    @property
    def text(self) -> str: ...
    @property
    def raw(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class Spot:
    """A title at tokens ``[first, stop)``; ``hint`` the tokens of its bound year."""

    first: int
    stop: int
    match: TitleMatch | None  # None: clearly a title ("… (2017)"), but not in the catalog
    hint: range | None = None
    how: str = "exact"  # "year" | "quoted" | "capitals" | "cue" | "whole" | "negation" | "unknown"


def spot_titles(
    text: str, tokens: Sequence[TokenLike], free: Sequence[bool], titles: TitleIndex,
    rating_count: Sequence[int] | np.ndarray,
) -> list[Spot]:
    """Titles mentioned in ``text`` (see the module docstring), in message order."""
    keys = [title_key(t.text) for t in tokens]
    taken = list(not f for f in free)
    spots: list[Spot] = []

    def keep(spot: Spot) -> None:
        spots.append(spot)
        for i in range(spot.first, spot.stop):
            taken[i] = True
        if spot.hint:
            for i in spot.hint:
                taken[i] = True

    for spot in _year_bound(text, tokens, keys, taken, titles):
        keep(spot)
    for spot in _quoted(text, tokens, taken, titles):
        keep(spot)
    for spot in _capitalised(text, tokens, keys, taken, titles, rating_count):
        keep(_with_year(text, tokens, keys, taken, titles, spot))
    for spot in _after_cue(text, tokens, keys, taken, titles, rating_count):
        keep(_with_year(text, tokens, keys, taken, titles, spot))
    for spot in _before_verdict(text, tokens, keys, taken, titles, rating_count):
        keep(_with_year(text, tokens, keys, taken, titles, spot))
    for spot in _whole_message(tokens, keys, taken, titles, rating_count):
        keep(spot)
    for spot in _franchise_after_negation(tokens, keys, taken, titles):
        keep(spot)
    for spot in _unknown_after_watching(text, tokens, taken):
        keep(spot)
    return sorted(spots, key=lambda s: s.first)


# A verdict on what opens a sentence: "the godfather is my favorite", "inception was
# amazing". The verb and the word after it; the lower-case words before are the title.
_VERDICT_VERBS = frozenset({"is", "was", "'s", "are", "were"})
_VERDICT_WORDS = frozenset(
    {"my", "one", "a", "the", "so", "really", "very", "great", "amazing", "awesome", "good",
     "excellent", "fantastic", "brilliant", "incredible", "still", "definitely",
     "hilarious", "boring", "terrible", "awful", "overrated", "underrated", "fun", "funny",
     "scary", "beautiful", "perfect", "epic", "classic", "such", "probably", "also", "too"}
)  # fmt: skip


def _well_known(match: TitleMatch, n_words: int, rating_count: Sequence[int] | np.ndarray) -> bool:
    """Whether a title typed in lower case is known enough to be meant: two or more words
    with ``LOWER_CASE_MIN_RATINGS`` ratings, one word with five times that."""
    need = LOWER_CASE_MIN_RATINGS if n_words >= 2 else 5 * LOWER_CASE_MIN_RATINGS
    return int(rating_count[match.idx]) >= need


def _before_verdict(text: str, tokens: Sequence[TokenLike], keys: Sequence[str], taken: list[bool],
                    titles: TitleIndex, rating_count: Sequence[int] | np.ndarray) -> list[Spot]:
    """Lower-case words that open a sentence and are followed by a verdict ("the
    godfather is my favorite"): a well-known exact title (``_well_known``), as after a
    viewing cue."""
    spots = []
    for first, tok in enumerate(tokens):
        if taken[first] or not _SENTENCE_START.search(text[: tok.start]):
            continue
        for end in range(min(len(tokens) - 1, first + MAX_TITLE_WORDS), first, -1):
            verb, after = tokens[end].text, tokens[end + 1].text if end + 1 < len(tokens) else ""
            if verb not in _VERDICT_VERBS or after not in _VERDICT_WORDS or any(taken[first:end]):
                continue
            words = keys[first:end]
            # "the movie was great", "this one is my favorite": no title of their own
            # ("The Movie" is a part of Mystery Science Theater 3000's)
            if all(w in _PRONOUNS or w in lexicon.FILLER_WORDS for w in words):
                continue
            match = titles.by_key(_key_of(keys, first, end))
            if match is not None and _well_known(match, len(words), rating_count):
                spots.append(Spot(first, end, match, None, "cue"))
                for j in range(first, end):
                    taken[j] = True
                break
    return spots


# Past viewing: what follows is a film the person saw, known to the catalog or not.
_WATCHED_CUES = frozenset({"watched", "saw", "seen"})
# Capitalised words after "watched" that are no film: where and when one watches.
_NOT_A_FILM = frozenset(
    {"netflix", "hulu", "hbo", "amazon", "prime", "disney", "youtube", "tv", "tonight", "today",
     "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
     "christmas", "it", "that", "this", "them", "all", "both", "everything", "i", "most"}
)  # fmt: skip


def _unknown_after_watching(text: str, tokens: Sequence[TokenLike], taken: list[bool]) -> list[Spot]:
    """A capitalised title no catalog entry has, right after "watched", "saw" or "seen"
    ("I just watched Parasite and loved it"): a film the catalog lacks (newer than it),
    spotted so that the reply says so and "it" stays that film. Before, "it" was the
    first film on screen, which got the 👍."""
    spots = []
    for _c, first in _after_words(tokens, taken, _WATCHED_CUES, ("the", "a", "an")):
        if first >= len(tokens) or taken[first] or not _is_capital(tokens[first].raw):
            continue
        if tokens[first].text in _NOT_A_FILM or len(tokens[first].text) < 3:
            continue
        stop = first + 1
        while stop < len(tokens) and not taken[stop] and stop - first < MAX_TITLE_WORDS and _joinable(
            text, tokens, stop
        ) and (_is_capital(tokens[stop].raw) or tokens[stop].text in _CONNECTORS):
            stop += 1
        while stop - 1 > first and tokens[stop - 1].text in _CONNECTORS:
            stop -= 1
        spots.append(Spot(first, stop, None, None, "unknown"))
        for j in range(first, stop):
            taken[j] = True
    return spots


def _whole_message(tokens: Sequence[TokenLike], keys: Sequence[str], taken: list[bool],
                   titles: TitleIndex, rating_count) -> list[Spot]:
    """A message that is nothing but a well-known title, in any case ("Inception",
    "interstellar?", "the dark knight"): the film, as a bare title with its year is. One
    word must not be a pronoun, filler, genre word or number ("It", "kids", "2012")."""
    if not tokens or len(tokens) > MAX_TITLE_WORDS or any(taken):
        return []
    match = titles.by_key(_key_of(keys, 0, len(tokens)))
    if match is None or int(rating_count[match.idx]) < LOWER_CASE_MIN_RATINGS:
        return []
    word = tokens[0].text
    if len(tokens) == 1 and (word in _PRONOUNS or word in lexicon.FILLER_WORDS or word.isdigit()
                             or lexicon.genres_of(word)):
        return []
    return [Spot(0, len(tokens), match, None, "whole")]


def year_bound_spans(text: str, tokens: Sequence[TokenLike], titles: TitleIndex) -> list[tuple[int, int]]:
    """Character spans of the catalog titles bound to a "(Year)" in ``text`` (rule 1 of
    the module docstring, every token free): words another pass must leave to the title
    ("with Black Panther (2018)" names no Jack Black)."""
    keys = [title_key(t.text) for t in tokens]
    spots = _year_bound(text, tokens, keys, [False] * len(tokens), titles)
    return [(tokens[s.first].start, tokens[s.stop - 1].end) for s in spots if s.match is not None]


def _joinable(text: str, tokens: Sequence[TokenLike], i: int) -> bool:
    """Whether token ``i`` may continue a title that token ``i - 1`` is part of."""
    return i > 0 and bool(_TITLE_GAP.fullmatch(text[tokens[i - 1].end : tokens[i].start]))


def _key_of(keys: Sequence[str], first: int, stop: int) -> str:
    key = " ".join(k for k in keys[first:stop] if k)
    for article in ("the ", "a ", "an "):
        if key.startswith(article) and len(key) > len(article):
            return key[len(article) :]
    return key


def _year_bound(text, tokens, keys, taken, titles: TitleIndex) -> list[Spot]:
    spots = []
    for m in _YEAR_BRACKET.finditer(text):
        year = int(m.group("year"))
        year_tok = next((i for i, t in enumerate(tokens) if t.start == m.start("year")), None)
        if year_tok is None or year_tok == 0 or taken[year_tok]:
            continue
        last = year_tok - 1
        if taken[last]:
            continue
        first = last
        while first > 0 and last - first + 1 < MAX_TITLE_WORDS and not taken[first - 1] and _joinable(
            text, tokens, first
        ) and "(" not in text[tokens[first - 1].end : tokens[first].start]:
            first -= 1
        best: tuple[float, int, TitleMatch] | None = None
        for start in range(first, last + 1):  # longest first
            key = _key_of(keys, start, last + 1)
            match = titles.by_key(key, year, year_slack=1) if key else None
            if match is not None:
                best = (100.0, start, match)
                break
        if best is None:
            for start in range(first, last + 1):
                key = _key_of(keys, start, last + 1)
                if len(key) < 3 or _weak_start(tokens[start].text):
                    continue
                match = titles.fuzzy_in_year(key, year, YEAR_TYPO_CUTOFF)
                if match is not None and (best is None or match.score > best[0]):
                    best = (match.score, start, match)
        if best is None:  # the words before the year are a title of another year
            for start in range(first, last):
                match = titles.by_key(_key_of(keys, start, last + 1))
                if match is not None:
                    best = (100.0, start, match)
                    break
        hint = range(year_tok, year_tok + 1)
        if best is not None:
            spots.append(Spot(best[1], last + 1, best[2], hint, "year"))
            for i in range(best[1], year_tok + 1):
                taken[i] = True
            continue
        start = last + 1  # not in the catalog: the capitalised words before the year
        while start > first and (_is_capital(tokens[start - 1].raw) or tokens[start - 1].text in _CONNECTORS):
            start -= 1
        while start <= last and tokens[start].text in _CONNECTORS:
            start += 1
        if start <= last:
            spots.append(Spot(start, last + 1, None, hint, "year"))
            for i in range(start, year_tok + 1):
                taken[i] = True
    return spots


def _weak_start(word: str) -> bool:
    """A word a misspelt title is unlikely to start with ("or the forest", "maybe men")."""
    return word in lexicon.FILLER_WORDS or word in VIEWING_CUES or word in {"or", "and", "then", "also"}


def _quoted(text, tokens, taken, titles: TitleIndex) -> list[Spot]:
    spots = []
    for m in _QUOTED.finditer(text):
        inside = [i for i, t in enumerate(tokens) if t.start >= m.start("t") and t.end <= m.end("t")]
        if not inside or any(taken[i] for i in inside):
            continue
        match = titles.resolve(m.group("t"))
        if match is not None:
            spots.append(Spot(inside[0], inside[-1] + 1, match, None, "quoted"))
            for i in inside:
                taken[i] = True
    return spots


def _capitalised(text, tokens, keys, taken, titles: TitleIndex, rating_count) -> list[Spot]:
    spots = []
    i = 0
    while i < len(tokens):
        if taken[i] or not _is_capital(tokens[i].raw):
            i += 1
            continue
        stop = i + 1  # the run: capitalised words and connectors between them
        while stop < len(tokens) and not taken[stop] and stop - i < MAX_TITLE_WORDS and _joinable(
            text, tokens, stop
        ) and (_is_capital(tokens[stop].raw) or tokens[stop].text in _CONNECTORS):
            stop += 1
        found = _misspelt(text, tokens, keys, taken, titles, rating_count, i, stop, "capitals")
        for end in range(stop, i, -1) if found is None else ():
            if tokens[end - 1].text in _CONNECTORS:
                continue
            match = titles.by_key(_key_of(keys, i, end))
            if match is not None and _plausible_capitalised(text, tokens, i, end, match, rating_count):
                found = Spot(i, end, match, None, "capitals")
                break
        if found is not None:
            spots.append(found)
            for j in range(found.first, found.stop):
                taken[j] = True
            i = found.stop
        else:
            i += 1
    return spots


def _plausible_capitalised(text, tokens, first, stop, match: TitleMatch, rating_count) -> bool:
    if stop - first >= 2:
        return True
    word = tokens[first]
    if lexicon.genres_of(word.text):
        return False
    # A capitalised small word right after a cue, mid-sentence, is a film: "movies like
    # Up", "I loved Her" (no one capitalises "her" there); "It" and "I" never are.
    small = word.text in _PRONOUNS or word.text in lexicon.FILLER_WORDS
    named = first > 0 and tokens[first - 1].text in _NAMING_CUES and word.text not in _NEVER_A_TITLE
    if small and not named:
        return False
    if (word.raw.isupper() and len(word.raw) > 1) or word.text.isdigit():  # "LOL", "2010"
        return False
    mid_sentence = not _SENTENCE_START.search(text[: word.start])
    return mid_sentence and int(rating_count[match.idx]) >= SINGLE_WORD_MIN_RATINGS


def _after_words(tokens: Sequence[TokenLike], taken: list[bool], cues: frozenset[str],
                 skip: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """(cue, first word after it) for each free cue word, past the ``skip`` words."""
    for c, tok in enumerate(tokens):
        if tok.text not in cues or taken[c]:
            continue
        first = c + 1
        while first < len(tokens) and tokens[first].text in skip and not taken[first]:
            first += 1
        yield c, first


def _after_cue(text, tokens, keys, taken, titles: TitleIndex, rating_count) -> list[Spot]:
    spots = []
    for c, first in _after_words(tokens, taken, VIEWING_CUES, ("the", "a", "an")):
        # "watched the dark knight": the article is part of the title key
        if first >= len(tokens) or taken[first]:
            continue
        # "watch a scary movie" describes a kind of film; "watched a quiet place" names
        # A Quiet Place: an indefinite article must be the title's own.
        article = tokens[first - 1].text if first > c + 1 and tokens[first - 1].text in ("a", "an") else None
        stop = first
        while stop < len(tokens) and not taken[stop] and stop - first < MAX_TITLE_WORDS:
            stop += 1
        for end in range(stop, first, -1):
            words = keys[first:end]
            if len(words) == 1 and (
                words[0] in _PRONOUNS or words[0] in lexicon.FILLER_WORDS or lexicon.genres_of(words[0])
            ):
                continue
            match = titles.by_key(_key_of(keys, first, end))
            if match is not None and article and not lexicon.normalize(match.label).startswith(article + " "):
                break
            if match is not None and _well_known(match, len(words), rating_count):
                spots.append(Spot(c + 1, end, match, None, "cue"))
                for j in range(c + 1, end):
                    taken[j] = True
                break
        else:  # no exact title: a misspelt one ("i do like the excorcist")
            typo = None if article else _misspelt(text, tokens, keys, taken, titles, rating_count,
                                                  first, stop, "cue", _TYPO_STOP)
            if typo is not None:
                spots.append(typo)
                for j in range(typo.first, typo.stop):
                    taken[j] = True
    return spots


def _franchise_after_negation(tokens: Sequence[TokenLike], keys: Sequence[str], taken: list[bool],
                              titles: TitleIndex) -> list[Spot]:
    """Series names in lower case after a negation ("no star wars", "sci-fi but not
    harry potter", "anything except batman"): the words are the franchise, not the
    genre War or a topic "star" (``TitleIndex.franchise``)."""
    spots = []
    for _, first in _after_words(tokens, taken, NEGATION_CUES, _NEGATION_SKIP):
        stop = first
        while stop < len(tokens) and not taken[stop] and stop - first < MAX_TITLE_WORDS:
            stop += 1
        for end in range(stop, first, -1):
            match = titles.franchise(_key_of(keys, first, end))
            if match is not None:
                spots.append(Spot(first, end, match, None, "negation"))
                for j in range(first, end):
                    taken[j] = True
                break
    return spots


def _misspelt(text, tokens, keys, taken, titles: TitleIndex, rating_count, first: int, stop: int,
              how: str, stop_words: frozenset[str] = frozenset()) -> Spot | None:
    """A well-known title misspelt in the words ``[first, stop)`` ("i like the
    excorcist", "Seven Samori"): only when one of them is a word the catalog never
    writes, the closest spelling of the longest span that ends at or after that word.
    The span ends at a sentence mark or at one of ``stop_words``."""
    last = first
    while last < min(stop, first + MAX_MISSPELT_WORDS) and not taken[last] and (
        last == first or _TYPO_GAP.fullmatch(text[tokens[last - 1].end : tokens[last].start])
    ) and keys[last] not in stop_words:
        last += 1
    unknown = next((i for i in range(first, last) if _unknown_word(keys[i], titles)), None)
    if unknown is None:
        return None
    for end in range(last, unknown, -1):
        match = titles.resolve(_key_of(keys, first, end))
        if (match is not None and match.score < 100.0
                and int(rating_count[match.idx]) >= LOWER_CASE_MIN_RATINGS):
            return Spot(first, end, match, None, how)
    return None


def _unknown_word(key: str, titles: TitleIndex) -> bool:
    """A word long enough to be a misspelt title word that no catalog text contains (a
    token's key may hold several: "it's" is "it s", two short known words)."""
    return any(len(word) >= MISSPELT_MIN_CHARS and sum(c.isalpha() for c in word) >= 3
               and not titles.knows_word(word) and not lexicon.genres_of(word)
               and word not in lexicon.FILLER_WORDS for word in key.split())


def _with_year(text, tokens, keys, taken, titles: TitleIndex, spot: Spot) -> Spot:
    """A bare year right after a title ("like alien 1979") belongs to it: it picks the
    film of that year when there is one, and is claimed so it is no year filter."""
    i = spot.stop
    if i >= len(tokens) or taken[i] or not re.fullmatch(r"(?:18|19|20)\d\d", tokens[i].text):
        return spot
    if not re.fullmatch(r"[\s,(]*", text[tokens[i - 1].end : tokens[i].start]):
        return spot
    year = int(tokens[i].text)
    match = titles.by_key(_key_of(keys, spot.first, spot.stop), year, year_slack=1) or spot.match
    return Spot(spot.first, spot.stop, match, range(i, i + 1), spot.how)


def _is_capital(raw: str) -> bool:
    return bool(raw) and (raw[0].isupper() or raw[0].isdigit())
