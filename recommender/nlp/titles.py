"""Resolve a title the user typed ("the matrix", "Alien 1979") to a catalog item.

Titles are compared in a *key* form: lower case, accents and punctuation removed, a
leading article dropped ("The Matrix" and "Matrix, The (1999)" both become
``"matrix"``). An exact key match wins; otherwise rapidfuzz's ``ratio`` finds near
spellings above a cutoff. Ties and ambiguity ("Alien" the 1979 film vs. a later
"Alien") are settled by a year hint when the user gave one, then by popularity
(``rating_count``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from recommender.data.catalog import Catalog

_LEADING_ARTICLES = ("the ", "a ", "an ")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PAREN = re.compile(r"\(([^()]*)\)")
_SERIAL = re.compile(r"^(?:part|episode|vol\.?|volume|chapter|book)\b", re.IGNORECASE)
_AKA = re.compile(r"^\s*a\.?k\.?a\.?\s*", re.IGNORECASE)
# "alien 1979", "alien (1979)", "alien, 1979": a trailing year is a hint, not part of
# the title. Titles that *are* a year ("1917", "2012") keep it when nothing else is left.
_TRAILING_YEAR = re.compile(r"^(?P<title>.*?)[\s,(]+(?P<year>(?:18|19|20)\d\d)\)?\s*$")

DEFAULT_CUTOFF = 88.0  # rapidfuzz ratio (0..100) below which a fuzzy match is rejected
PREFIX_SCORE = 90.0  # score reported for a match on the start of a longer title
# A one-word name is a series only through numbered sequels and colon subtitles ("Alien
# 3", "Alien: Covenant"): "Alien Nation" shares the word, not the films.
_SEQUEL_AFTER = re.compile(r"^(?:\d+|[ivx]+|part|chapter|episode)\b")
# Words that start a clause, never a franchise name ("but i want to", "not it").
_PRONOUN_WORDS = frozenset({"i", "it", "you", "we", "they", "he", "she", "that", "this", "in", "a", "an"})
SERIES_MAX = 30  # "not Star Wars" leaves out the saga, not every film with a common word
KEYWORD_SERIES_MIN = 3  # films a keyword phrase needs to be a franchise ("sherlock holmes")


def title_key(title: str) -> str:
    """Comparable form of a title: ASCII lower case words, no leading article."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("&", " and ")
    text = _NON_ALNUM.sub(" ", text).strip()
    for article in _LEADING_ARTICLES:
        if text.startswith(article) and len(text) > len(article):
            text = text[len(article) :]
            break
    return text


def split_year_hint(text: str) -> tuple[str, int | None]:
    """``"alien 1979"`` -> ``("alien", 1979)``; text without a trailing year unchanged."""
    match = _TRAILING_YEAR.match(text.strip())
    if not match or not match.group("title").strip(" ,("):
        return text.strip(), None
    return match.group("title").strip(" ,("), int(match.group("year"))


def _title_keys(display: str, raw: str, people: frozenset[str] = frozenset()) -> set[str]:
    """Every key a user could plausibly type for one item.

    The display title; the raw title minus its year; alternate titles in parentheses
    ("Seven (a.k.a. Se7en)" -> "se7en"); and the part before a colon ("Star Wars:
    Episode IV - A New Hope" -> "star wars", resolved to the most popular such item),
    and a subtitle of two or more words ("the empire strikes back"); a trailing part
    number after " - " may be left out ("avengers infinity war", "infinity war").
    """
    texts = [display]
    rest = _PAREN.sub("", raw).strip()
    texts.append(rest)
    texts.extend(_AKA.sub("", alt) for alt in _PAREN.findall(raw) if not alt.isdigit())
    # The part before a colon, unless it is a credited person's name: "I love Chris Rock"
    # is the comedian, not "Chris Rock: Bigger & Blacker".
    texts.extend(head for t in (display, rest) if ":" in t
                 if title_key(head := t.split(":", 1)[0]) not in people)
    parts = [p.strip() for p in re.split(r":| - ", display)]
    if len(parts) > 1 and _SERIAL.match(parts[-1]) and " - " in display:
        # "Avengers: Infinity War - Part I": people say "Avengers: Infinity War" (and
        # "Infinity War", the subtitle below); the part number is the catalog's.
        texts.append(display.rsplit(" - ", 1)[0])
        parts = parts[:-1]
    if ":" in display:  # the subtitle alone: "Star Wars: Episode V - The Empire Strikes Back"
        subtitle = parts[-1]
        if len(parts) > 1 and len(subtitle.split()) >= 2 and not _SERIAL.match(subtitle):
            texts.append(subtitle)
    return {k for k in map(title_key, texts) if k}


def _series_parts(title: str) -> list[tuple[str, str]]:
    """(key, role) of the parts of a display title a series name may match: the whole
    title, the part before its first colon (when it has a subtitle) and each subtitle."""
    whole, *subtitles = title.split(":")
    parts = [(title_key(title), "whole")]
    if subtitles:
        parts.append((title_key(whole), "head"))
        parts.extend((title_key(sub), "sub") for sub in subtitles)
    return [(k, role) for k, role in parts if k]


def _in_series(key: str, part: str, role: str) -> bool:
    """Whether a title part (key, role) puts its title in the series named ``key``, given
    that ``part`` starts with ``key`` (see ``TitleIndex.series``)."""
    if part == key:
        return True
    if part[len(key) : len(key) + 1] != " ":
        return False  # "alien" is no word of "aliens"
    if " " in key:
        return role in ("whole", "sub")
    return role == "whole" and bool(_SEQUEL_AFTER.match(part[len(key) + 1 :]))


@dataclass(frozen=True)
class TitleMatch:
    """A resolved title: the item's index and id, and how sure the match is (0..100)."""

    idx: int
    item_id: int
    score: float
    label: str


class TitleIndex:
    """Title look-up over one catalog; build once, query many times (read-only)."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._by_key: dict[str, list[int]] = {}
        people = frozenset(title_key(name) for names in (*catalog.cast, *catalog.directors)
                           for name in names)
        for idx in range(len(catalog)):
            raw = catalog.raw_titles[idx] if idx < len(catalog.raw_titles) else ""
            for key in _title_keys(catalog.titles[idx], raw, people):
                if key:
                    self._by_key.setdefault(key, []).append(idx)
        self._keys = list(self._by_key)
        # Title parts in key order, for ``series``: a name's titles are one sorted range.
        self._parts = sorted((key, role, idx) for idx, title in enumerate(catalog.titles)
                             for key, role in _series_parts(title))
        self._part_keys = [key for key, _, _ in self._parts]
        self._sorted_keys = sorted(self._keys)
        self._popularity = np.asarray(catalog.rating_count, dtype=np.float64)
        self._keys_by_year: dict[int, list[str]] = {}
        for key, items in self._by_key.items():
            for year in {int(catalog.years[i]) for i in items}:
                self._keys_by_year.setdefault(year, []).append(key)
        # Every word the catalog writes (titles, plots, names, keywords). A word outside
        # it is most likely a misspelling ("the excorcist", "Interstelar"): the one case
        # in which a title said without its year is looked for by spelling.
        names = (*catalog.titles, *(" ".join(n) for n in catalog.cast),
                 *(" ".join(n) for n in catalog.directors))
        words = {word for text in names for word in title_key(text).split()}
        # Plots and keywords are plain English: a quick split (accents matter only in names).
        for text in (*catalog.descriptions, *(" ".join(k) for k in catalog.keywords)):
            words.update(_NON_ALNUM.split(text.lower()))
        self._words = frozenset(words)
        # Title parts (split at colons) as keys, and sorted with each part also less its
        # first word, for ``_led_by``: a series name may follow one word of a part ("The
        # Amazing Spider-Man", "The Lego Batman Movie").
        self._title_parts = [[title_key(part) for part in title.split(":")] for title in catalog.titles]
        self._led = sorted({(key, idx) for idx, parts in enumerate(self._title_parts) for part in parts
                            for key in (part, part.partition(" ")[2]) if key})
        self._led_keys = [key for key, _ in self._led]
        # Keywords in title-key form ("batman", "spider man"), for ``series``: a film of a
        # franchise need not carry its name in the title (The Dark Knight).
        self._names_it: dict[str, list[int]] = {}  # ``_keyword_films``, per keyword
        self._by_keyword: dict[str, list[int]] = {}
        for idx, keywords in enumerate(catalog.keywords):
            for keyword in keywords:
                self._by_keyword.setdefault(title_key(keyword), []).append(idx)

    def by_key(self, key: str, year: int | None = None, *, year_slack: int = 0) -> TitleMatch | None:
        """The item whose title key is ``key`` (already in ``title_key`` form), or None.

        With ``year``, only items released within ``year_slack`` years of it count."""
        candidates = self._by_key.get(key)
        if not candidates:
            return None
        if year is not None:
            years = self._catalog.years
            candidates = [i for i in candidates if abs(int(years[i]) - year) <= year_slack]
            if not candidates:
                return None
        return self._pick(candidates, year, 100.0)

    def fuzzy_in_year(self, key: str, year: int, cutoff: float, *, year_slack: int = 1) -> TitleMatch | None:
        """The closest title (rapidfuzz ratio >= ``cutoff``) among items released within
        ``year_slack`` years of ``year``: a misspelt title with its year ("Jurasic Park
        (1993)") is looked for among that year's few hundred titles only."""
        keys = self._year_keys(year, year_slack)
        hit = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff) if keys else None
        if hit is None:
            return None
        match = self.by_key(hit[0], year, year_slack=year_slack)
        return None if match is None else TitleMatch(match.idx, match.item_id, float(hit[1]), match.label)

    def _year_keys(self, year: int, slack: int) -> list[str]:
        return [k for y in range(year - slack, year + slack + 1) for k in self._keys_by_year.get(y, ())]

    def knows_word(self, word: str) -> bool:
        """Whether the catalog writes ``word`` (key form) anywhere: a title, a plot, a name."""
        return word in self._words

    def __contains__(self, text: str) -> bool:
        """True when ``text`` is exactly (in key form) some catalog title."""
        return title_key(text) in self._by_key

    def exact(self, text: str, year: int | None = None) -> TitleMatch | None:
        """The catalog item whose title key equals ``text``'s, or None (no fuzzing)."""
        candidates = self._by_key.get(title_key(text))
        if not candidates:
            return None
        return self._pick(candidates, year, 100.0)

    def resolve(
        self, text: str, year: int | None = None, cutoff: float = DEFAULT_CUTOFF
    ) -> TitleMatch | None:
        """Best catalog item for a typed title, or None when nothing is close enough.

        A trailing year in ``text`` ("alien 1979") is used as ``year`` when none is given.
        """
        whole = title_key(text)
        if whole in self._by_key:  # before splitting: "Blade Runner 2049" is a title
            return self._pick(self._by_key[whole], year, 100.0)
        title, hint = split_year_hint(text)
        if year is None:
            year = hint
        key = title_key(title)
        if not key:
            return None
        if key in self._by_key:
            return self._pick(self._by_key[key], year, 100.0)
        hits = process.extract(key, self._keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
        if not hits:
            return self._prefix(key, year)
        best = max(score for _, score, _ in hits)
        # Near-equal spellings compete on year hint and popularity, not on 1 point of ratio.
        close = [idx for k, score, _ in hits if score >= best - 2.0 for idx in self._by_key[k]]
        return self._pick(close, year, float(best))

    def series(self, text: str) -> list[int]:
        """The item ids of the series a typed name stands for, most popular first, or [].

        "Star Wars" is the saga: every title with a part (split at colons) that starts
        with the name ("Star Wars: The Last Jedi", "Rogue One: A Star Wars Story"); a
        one-word name ("Alien") only its numbered sequels and colon subtitles ("Alien 3",
        "Alien: Covenant"; "Alien Nation" shares the word, not the films). A name with a
        year ("It (1990)") is one film, and a name only one title or only namesakes have
        ("Titanic", 1997 and 1953) is no series: []. A series also holds the films whose
        keywords and plot name it ("Batman": The Dark Knight) and, for a name of
        two or more words or a keyword's, the titles with a part led by it, after at most
        one word ("The Amazing Spider-Man 2", "Batman Begins").
        """
        title, year = split_year_hint(text)
        key = title_key(title)
        if year is not None or not key:
            return []
        lo = bisect.bisect_left(self._part_keys, key)
        hi = bisect.bisect_left(self._part_keys, key + "\x7f")  # past every "key..." key
        found = [(idx, part) for part, role, idx in self._parts[lo:hi] if _in_series(key, part, role)]
        members = list(dict.fromkeys(idx for idx, _ in found))
        if len(members) < 2 or all(part == key for _, part in found):
            return []  # namesakes ("Titanic" 1997 and 1953) are no series: the best known is meant
        within = self._led_by(key) if " " in key or key in self._by_keyword else []
        members = list(dict.fromkeys([*members, *within, *self._keyword_films(key)]))
        pop = self._popularity
        members.sort(key=lambda i: (-(pop[i] if i < len(pop) else 0.0), i))
        return [int(self._catalog.item_ids[i]) for i in members[:SERIES_MAX]]

    def franchise_members(self, text: str) -> list[int]:
        """``series(text)``, or else the films of a keyword phrase that names a franchise
        no title does ("Sherlock Holmes": The Great Mouse Detective), most popular first."""
        return self.series(text) or self._keyword_series(title_key(split_year_hint(text)[0]))

    def _keyword_series(self, key: str) -> list[int]:
        """The films, most popular first, of a keyword of two or more words that at least
        ``KEYWORD_SERIES_MIN`` films carry and name in their title or plot ("sherlock
        holmes"); else []."""
        films = self._keyword_films(key) if " " in key else []
        if len(films) < KEYWORD_SERIES_MIN:
            return []
        pop = self._popularity
        ranked = sorted(films, key=lambda i: (-(pop[i] if i < len(pop) else 0.0), i))
        return [int(self._catalog.item_ids[i]) for i in ranked[:SERIES_MAX]]

    def _keyword_films(self, key: str) -> list[int]:
        """Indices of the films with keyword ``key`` whose title names it, or whose plot
        names it as a name, capitalised: Shrek carries "robin hood" for one scene, The
        Dark Knight's plot says Batman. A plot's "time travel" or "serial killer" is a
        topic, no franchise ("a sci-fi movie without time travel" had asked for films
        like Looper)."""
        films = self._names_it.get(key)
        if films is None:
            catalog = self._catalog
            name = re.compile(r"\b" + r"\W+".join(re.escape(w.capitalize()) for w in key.split()) + r"\b")
            films = [i for i in self._by_keyword.get(key, [])
                     if f" {key} " in f" {title_key(catalog.titles[i])} "
                     or name.search(catalog.descriptions[i] or "")]
            self._names_it[key] = films
        return films

    def _is_part(self, key: str) -> bool:
        """Whether ``key`` is a whole title or a whole part of one (split at colons)."""
        lo = bisect.bisect_left(self._part_keys, key)
        return lo < len(self._part_keys) and self._part_keys[lo] == key

    def _led_by(self, key: str) -> list[int]:
        """Indices of the titles with a part that starts with ``key`` or with one word
        and then ``key``; a title that names it later ("The Story of the 'Star Wars'
        Trilogy") is about the series, not of it."""
        lo = bisect.bisect_left(self._led_keys, key)
        hi = bisect.bisect_left(self._led_keys, key + "\x7f")  # past every "key..." key
        return list(dict.fromkeys(idx for part, idx in self._led[lo:hi]
                                  if len(part) == len(key) or part[len(key)] == " "))

    def franchise(self, key: str) -> TitleMatch | None:
        """The best-known film of the series a lower-case name in ``title_key`` form
        stands for ("star wars", "spider man", "batman"), or None. The name must be a whole
        title or title part of two or more words with a series ("star wars", not the
        prefix "i saw" of I Saw the Devil and I Saw What You Did); one word must also be a
        keyword of several films titled with it ("batman"): one plain word ("alien", "plan", "scary") is
        too ambiguous to be a franchise without capitals."""
        if key.split(" ", 1)[0] in _PRONOUN_WORDS:
            return None  # "but i saw ...", "not it": a clause, not I Saw the Devil
        # One word is a franchise when it is a keyword of films that bear it in their
        # titles ("batman": Batman vs. Robin, The Lego Batman Movie), not of a plot
        # ("plan": Vertigo).
        named = sum(f" {key} " in f" {' '.join(self._title_parts[i])} "
                    for i in self._by_keyword.get(key, ())) >= 2
        if self._is_part(key) and (" " in key or named):
            members = self.series(key)
        else:
            members = self._keyword_series(key)
        if not members:
            return None
        idx = self._catalog.index(members[0])
        return TitleMatch(idx=idx, item_id=members[0], score=100.0, label=self._catalog.label(idx))

    def _prefix(self, key: str, year: int | None) -> TitleMatch | None:
        """Titles that start with a typed multi-word key ("harry potter" -> "Harry Potter
        and the ..."), the most popular first; single words are too ambiguous for this."""
        if " " not in key:
            return None
        lo = bisect.bisect_left(self._sorted_keys, key + " ")
        hi = bisect.bisect_left(self._sorted_keys, key + "!")  # "!" sorts right after " "
        found = [idx for k in self._sorted_keys[lo:hi] for idx in self._by_key[k]]
        return self._pick(found, year, PREFIX_SCORE) if found else None

    def _pick(self, candidates: list[int], year: int | None, score: float) -> TitleMatch:
        years = self._catalog.years
        if year is not None:
            same_year = [i for i in candidates if int(years[i]) == year]
            if same_year:
                candidates = same_year
        pop = self._popularity
        idx = max(candidates, key=lambda i: (pop[i] if i < len(pop) else 0.0, -i))
        return TitleMatch(
            idx=idx,
            item_id=int(self._catalog.item_ids[idx]),
            score=score,
            label=self._catalog.label(idx),
        )
