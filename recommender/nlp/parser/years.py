"""Time pass: release-year windows and sort orders.

Claims (as "year") explicit years, decades and ranges found by
``recommender.nlp.timewords.find_time_spans`` ("from the 90s", "between 1980 and 1990",
"last 5 years"), then recency words: "recent"/"new" (the catalog's last
:data:`RECENT_SPAN` years), "old"/"classic" (before :data:`OLD_BEFORE`), "newest",
"oldest", "newer", "older" (sort orders). :func:`assemble_years` intersects all windows
into ``Query.year_min``/``year_max`` at the end. Relative time is anchored at the
catalog's newest year (``ParseState.anchor``), not the clock, so the same catalog always
parses the same way. Runs after titles (a year right after a title is its edition hint,
not a filter; so is a bracketed year after any word, "Or Yes (2004)") and before
people and genres.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from recommender.nlp import lexicon
from recommender.nlp.parser.state import ParseState, proper_noun_follows, said_of_a_film
from recommender.nlp.patterns import phrase_regex
from recommender.nlp.timewords import MAX_YEAR, MIN_YEAR, find_time_spans

OLD_BEFORE = 1970  # "old" / "classic" means released before this year
RECENT_SPAN = 5  # "recent" / "new" means the catalog's last this-many years

_RECENT_RE = phrase_regex(lexicon.RECENT_WORDS)
_OLD_RE = phrase_regex(lexicon.OLD_WORDS)
_NEWEST_RE = re.compile(r"\b(?:newest|latest|most recent)\b")
_OLDEST_RE = re.compile(r"\b(?:oldest|earliest)\b")
_NAME_AFTER_NEW = re.compile(
    r"\s+(?:york|zealand|orleans|jersey|mexico|world|hope|england|delhi|wave|year's|years"
    # "the new one", "the old version": which film of a remake or series, not a time filter
    r"|one|ones|version|versions|remake|original)\b"
)
# A year in brackets right after a word: how people (and ReDial) write a film's year.
_TITLE_YEAR = re.compile(r"(?<=\w)\s*\((?P<year>(?:18|19|20)\d\d)\)")
_TIME_PREPOSITIONS = frozenset({"from", "in", "since", "before", "after", "around", "circa",
                                "until", "till", "than", "of"})
# Inside a longer message: a sort order; not next to a person ("for older kids", "my
# younger brother", "with someone older", "older than me": who watches, not when the
# film came out).
_PERSON_BEFORE = ("someone", "somebody", "anyone", "anybody", "people", "person", "adults",
                  "adult", "grownups", "us", "them")
_NEWER_OLDER_RE = re.compile(
    "".join(rf"(?<!\b{w} )" for w in _PERSON_BEFORE)
    + r"\b(?:newer|older)\b(?!\s+(?:kids?|children|child|sons?|daughters?|brothers?|sisters?|"
    r"siblings?|people|folks|viewers|audiences?|teens?|teenagers?|boys?|girls?|crowd|ones? in"
    r"|than (?:me|us|him|her|them|you))\b)"
)
# "Those are too old", "these are all way too new": the list on screen, judged by its
# years; not "I'm too old for this" or "not too old" (a window of its own).
_TOO_AGED_RE = re.compile(
    r"\b(?:those|these|they|they're|theyre|that's|thats|it's|its|all|ones)\s+(?:are\s+|were\s+|is\s+|seem\s+"
    r"|look\s+)?(?:all\s+)?(?:a\s+bit\s+|way\s+|kinda\s+|kind\s+of\s+|a\s+little\s+)?"
    r"too\s+(?P<age>old|dated|new|recent|modern)\b"
)
# An "old" word asks for old films only when it says what kind of film: before a film
# noun or a genre, a few words on ("old movies", "classic horror", "an old black and
# white romance"), or after "something"/"anything". Otherwise it praises a film ("that is
# a classic!", "It's classic") or speaks of a person ("they make me feel old", "his old
# movies were better": that person's earlier films), and filters nothing.
_FILM_NOUNS = frozenset(
    {"movie", "movies", "film", "films", "flick", "flicks", "cinema", "stuff", "ones", "classics",
     "cartoons", "cartoon", "tv", "picture", "pictures"}
    | {w for alias in lexicon.GENRE_ALIASES for w in alias.split() if len(alias.split()) == 1}
)  # fmt: skip
_KIND_WINDOW = 4  # words after an "old" word in which a film noun or genre may follow
_SOMETHING_BEFORE = re.compile(r"\b(?:something|anything|some|watch(?:ing)?|prefer|like|love|enjoy)\s*$")
_OWNER_BEFORE = re.compile(r"\b(?:his|her|their|its|feel|feels|felt|am|i'm|im|too|so|how|years?)\s*$")


def read_years(state: ParseState) -> None:
    """Claim the time expressions still unclaimed; windows go to ``state.years``."""
    for m in _TITLE_YEAR.finditer(state.text):
        # "Or Yes (2004)", "Blorgfest (2011)": the release year of a film named just
        # before it, which the titles pass did not take; never a year filter.
        before = state.text[: m.start()].split()
        if not before or before[-1].lower() not in _TIME_PREPOSITIONS:
            state.take(m.start("year"), m.end("year"), "ignored")
    for span in find_time_spans(state.masked(), state.anchor):
        kind = "year" if span.lo is not None or span.hi is not None else "ignored"
        if state.take(span.start, span.end, kind):
            if kind == "year":
                state.years.append((span.lo, span.hi))
            if span.note:
                state.note(span.note)
    _recency(state)


def _recency(state: ParseState) -> None:
    recent = (state.anchor - RECENT_SPAN + 1, None)
    for m in re.finditer(r"\bmost\s+recent\b", state.masked()):
        if state.take(m.start(), m.end(), "year"):
            state.query.sort = "newest"
            state.years.append(recent)
    if _NEWEST_RE.search(state.masked()):
        state.query.sort = "newest"
    for m in _OLDEST_RE.finditer(state.masked()):
        if state.take(m.start(), m.end(), "year"):
            state.query.sort = "oldest"
    for m in _TOO_AGED_RE.finditer(state.masked()):  # "those are too old": newer ones
        if state.take(m.start(), m.end(), "year"):
            state.query.sort = "newest" if m.group("age") in ("old", "dated") else "oldest"
    for m in _NEWER_OLDER_RE.finditer(state.masked()):
        if state.take(m.start(), m.end(), "year"):
            state.query.sort = "newest" if m.group() == "newer" else "oldest"
    for regex, window in ((_RECENT_RE, recent), (_OLD_RE, (None, OLD_BEFORE - 1))):
        for m in regex.finditer(state.masked()):
            if proper_noun_follows(state, m.end()) or _NAME_AFTER_NEW.match(state.lowered, m.end()):
                continue  # "New York", "Old Yeller": part of a name
            if regex is _OLD_RE and not _names_old_films(state, m.start(), m.end()):
                state.take(m.start(), m.end(), "ignored")  # praise or a person, not a filter
                continue
            if state.take(m.start(), m.end(), "year"):
                state.years.append(window)
                state.vague_old = state.vague_old or regex is _OLD_RE


def assemble_years(state: ParseState) -> None:
    """Intersect the windows into ``Query.year_min``/``year_max``; a contradiction keeps
    the last window, an impossible range is dropped (each with a note)."""
    lo, hi, problems = intersect_windows(state.years)
    if "contradiction" in problems:
        state.note("the time constraints contradict each other: kept the last one")
    if "impossible" in problems:
        state.note("ignored an impossible year range")
    if lo is not None and lo > state.anchor:
        # "good movies from 2019" with a catalog that ends in 2018: its newest films, said
        # so (it relaxed the year and listed Deadpool (2016) and Interstellar (2014)).
        state.note(f"My catalog ends in {state.anchor}, so here are its newest films.")
        lo, hi = state.anchor - 1, None
    state.query.year_min, state.query.year_max = lo, hi


def intersect_windows(
    windows: Iterable[tuple[int | None, int | None]],
) -> tuple[int | None, int | None, list[str]]:
    """``(lo, hi, problems)``: the intersection of inclusive year windows, in order
    (shared by the English and Chinese parsers). On a contradiction the later window
    wins ("contradiction" in ``problems``); a range outside ``MIN_YEAR``..``MAX_YEAR``
    is dropped ("impossible")."""
    lo: int | None = None
    hi: int | None = None
    problems: list[str] = []
    for wlo, whi in windows:
        nlo = wlo if lo is None else (lo if wlo is None else max(lo, wlo))
        nhi = whi if hi is None else (hi if whi is None else min(hi, whi))
        if nlo is not None and nhi is not None and nlo > nhi:
            problems.append("contradiction")
            nlo, nhi = wlo, whi
        lo, hi = nlo, nhi
    if lo is not None and lo > MAX_YEAR or hi is not None and hi < MIN_YEAR:
        problems.append("impossible")
        lo = hi = None
    return lo, hi, problems


def _names_old_films(state: ParseState, start: int, end: int) -> bool:
    """Whether the "old" word at ``[start, end)`` asks for old films (see ``_FILM_NOUNS``)."""
    if said_of_a_film(state, start):
        return False  # "Those were classics!", "they're such classics": praise
    if state.lowered[start:end] not in ("old", "classic"):
        return True  # "classics", "oldies", "black and white": films, whatever the words around
    before = state.lowered[:start]
    if _OWNER_BEFORE.search(before):
        return False
    phrase = re.split(r"[.,;:!?()]", state.lowered[end:], maxsplit=1)[0]
    after = re.findall(r"[a-z-]+", phrase)[:_KIND_WINDOW]
    return any(w in _FILM_NOUNS for w in after) or bool(_SOMETHING_BEFORE.search(before))
