"""Seeded, deterministic tagger training queries generated from the catalog.

The MIT Movie corpus does not know this project's conversational phrasings, so we mix
in generated queries (``train --generated-share``). Vocabulary comes from
``recommender.nlp.lexicon`` (shared with the parser); titles come from the catalog.

Labelling conventions (what the parser can rely on; MIT conventions where MIT has one):

- ``GENRE``: a genre word or alias ("sci fi", "romcom", "cartoons", typos too).
- ``NEG_GENRE``: a genre inside a negation; the cue itself is ``O`` ("no [horror]",
  "anything but [comedy]", "not [animated]").
- ``YEAR``: a decade ("[80s]", "[1980 s]", "[eighties]"), a year ("in [1999]"), a
  relation with its years ("[before 1970]", "[after 2015]", "[between 1995 and
  2005]"), recency words ("[recent]", "[new]", "[old]", "[classic]").
- ``RATINGS_AVERAGE``: quality words ("[highly rated]", "[best]", "[top rated]").
- ``TITLE``: a catalog title, also after reference cues ("like [alien]").
- ``ORDINAL``: the position word or number only ("the [second] one", "#[2]",
  "number [3]", "the [last] one").

Everything is produced as text first and then split with ``pretokenize`` so training
words match inference words exactly (mixed case is generated; the split lower-cases).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import TypeVar

from recommender.nlp import lexicon
from recommender.nlp.bio import BioSentence
from recommender.nlp.tokenize import words_of

T = TypeVar("T")

Segment = tuple[str, str | None]  # (surface text, entity type or None)

# Used when no catalog is given (tests, or training without catalog data).
FALLBACK_TITLES: tuple[str, ...] = (
    "Alien", "The Matrix", "Toy Story", "Heat", "Jumanji", "Casablanca", "Fargo",
    "The Godfather", "Pulp Fiction", "Amelie", "Blade Runner", "Up", "Se7en",
    "Star Wars: Episode IV - A New Hope", "The Devil's Advocate", "Spirited Away",
)  # fmt: skip

_LEADS = (
    "", "", "", "show me", "i want", "recommend", "recommend me", "any", "any good",
    "find me some", "looking for", "suggest a", "i'm in the mood for", "give me",
    "can you suggest", "i'd like to watch", "what are some", "got any", "i feel like",
    "list", "please find", "could you recommend some",
)  # fmt: skip
_NOUNS = ("", "", "movies", "movies", "films", "movie", "film", "flicks", "stuff", "ones")
_TAILS = ("", "", "", " please", " for tonight", " to watch", "?", "!", " pls", " thanks")
_YEAR_TEMPLATES = ("in {y}", "from {y}", "made in {y}", "released in {y}", "{y}")
_REL_TEMPLATES = (
    ("before {y}", "before"), ("after {y}", "after"), ("since {y}", "after"),
    ("prior to {y}", "before"), ("until {y}", "before"), ("older than {y}", "before"),
    ("newer than {y}", "after"), ("post {y}", "after"), ("pre {y}", "before"),
)  # fmt: skip
_ORDINAL_FRAMES = (
    "the {o} one", "tell me more about the {o} one", "i like the {o}", "the {o} movie",
    "what about the {o} one", "{o} one please", "more like the {o} one", "show the {o}",
    "the {o}", "i'll take the {o} one", "info on the {o} film",
)  # fmt: skip
_NUMBER_FRAMES = ("#{n}", "number {n}", "option {n}", "#{n} please", "i pick {n}", "nr {n}")
_CHATTER = (
    "hi", "hello there", "thanks", "thank you so much", "ok", "cool", "that sounds good",
    "what can you do", "who are you", "good night", "lol", "nope", "yes", "maybe later",
)  # fmt: skip


def _typo(word: str, rng: random.Random) -> str:
    """One random edit (drop, swap, double a letter) of a word longer than 3 letters."""
    if len(word) <= 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(3)
    if op == 0:
        return word[:i] + word[i + 1 :]
    if op == 1:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _casing(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.1:
        return text.upper()
    if roll < 0.25:
        return text.title()
    return text


class QueryGenerator:
    """Draws labelled queries; deterministic for a given ``seed`` and title list."""

    def __init__(self, titles: Sequence[str], seed: int = 0, typo_rate: float = 0.08) -> None:
        self.rng = random.Random(seed)
        self.typo_rate = typo_rate
        self.titles = [t for t in titles if 1 <= len(words_of(t)) <= 6] or list(FALLBACK_TITLES)
        self.genres = [g for g in lexicon.CATALOG_GENRES if lexicon.genre_surface_forms(g)]
        self.multi_genre = [a for a, gs in lexicon.GENRE_ALIASES.items() if len(gs) > 1]
        self.typos = sorted(lexicon.GENRE_TYPOS)
        self.decades = sorted(lexicon.DECADE_WORDS)
        self.quality = sorted(lexicon.QUALITY_WORDS)
        self.negations = [c for c in lexicon.NEGATION_CUES if c not in ("hate", "never")]
        self.references = list(lexicon.REFERENCE_CUES)
        self.ordinals = sorted(lexicon.ORDINAL_WORDS)
        self.numbers = sorted(lexicon.NUMBER_WORDS)
        self.commands = sorted(lexicon.COMMAND_PHRASES)
        self._templates: list[tuple[Callable[[], list[Segment]], float]] = [
            (self._genre_request, 3.0),
            (self._genre_year, 3.0),
            (self._quality, 2.0),
            (self._negation, 3.0),
            (self._reference, 2.0),
            (self._ordinal, 1.5),
            (self._combo, 3.0),
            (self._chatter, 0.7),
        ]

    # -- building blocks ---------------------------------------------------------
    def _pick(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def genre(self) -> str:
        r = self.rng.random()
        if r < 0.06:
            return self._pick(self.typos)
        if r < 0.14:
            return self._pick(self.multi_genre)
        forms = lexicon.genre_surface_forms(self._pick(self.genres))
        # Canonical names are what people type most: weight them up.
        word = forms[0] if self.rng.random() < 0.45 else self._pick(forms)
        return _typo(word, self.rng) if self.rng.random() < self.typo_rate else word

    def title(self) -> str:
        title = self._pick(self.titles)
        if self.rng.random() < self.typo_rate:
            words = title.split()
            k = self.rng.randrange(len(words))
            words[k] = _typo(words[k], self.rng)
            title = " ".join(words)
        return title if self.rng.random() < 0.7 else title.lower()

    def year(self) -> int:
        return self.rng.randint(1920, 2024)

    def year_phrase(self) -> list[Segment]:
        """A time constraint: decade, year, relation, range or recency word."""
        r = self.rng.random()
        if r < 0.3:
            decade = self.rng.randrange(1920, 2030, 10)
            form = self._pick(
                (f"{decade}s", f"{decade % 100:02d}s", f"'{decade % 100:02d}s",
                 f"{decade}'s", f"{decade % 100:02d}'s")
            )  # fmt: skip
            if self.rng.random() < 0.3:
                form = self._pick(self.decades)
            return [(self._pick(("from the ", "in the ", "the ", "")), None), (form, "YEAR")]
        if r < 0.45:
            return [(self._pick(_YEAR_TEMPLATES).format(y="").strip() + " ", None),
                    (str(self.year()), "YEAR")]  # fmt: skip
        if r < 0.65:
            template, _ = self._pick(_REL_TEMPLATES)
            return [(template.format(y=self.year()), "YEAR")]
        if r < 0.8:
            a, b = sorted((self.year(), self.year()))
            frame = self._pick(("between {a} and {b}", "from {a} to {b}", "{a} to {b}",
                                "{a}-{b}", "{a} through {b}"))  # fmt: skip
            return [(frame.format(a=a, b=b), "YEAR")]
        if r < 0.9:
            return [(self._pick(lexicon.RECENT_WORDS), "YEAR")]
        return [(self._pick(lexicon.OLD_WORDS), "YEAR")]

    def negation(self) -> list[Segment]:
        cue = self._pick(self.negations)
        return [(cue + " ", None), (self.genre(), "NEG_GENRE")]

    # -- templates ---------------------------------------------------------------
    def _frame(self, core: list[Segment]) -> list[Segment]:
        return [(self._pick(_LEADS) + " ", None), *core, (self._pick(_TAILS), None)]

    def _genre_request(self) -> list[Segment]:
        core: list[Segment] = [(self.genre(), "GENRE")]
        if self.rng.random() < 0.25:
            core += [(self._pick((" and ", " or ", " ", ", ")), None), (self.genre(), "GENRE")]
        return self._frame([*core, (" " + self._pick(_NOUNS), None)])

    def _genre_year(self) -> list[Segment]:
        years = self.year_phrase()
        genre: list[Segment] = [(self.genre(), "GENRE"), (" " + self._pick(_NOUNS) + " ", None)]
        if years[-1][1] == "YEAR" and len(years) == 1 and self.rng.random() < 0.5:
            return self._frame([*years, (" ", None), *genre])
        return self._frame([*genre, *years])

    def _quality(self) -> list[Segment]:
        q: Segment = (self._pick(self.quality), "RATINGS_AVERAGE")
        genre: Segment = (self.genre(), "GENRE")
        noun = " " + self._pick(_NOUNS) + " "
        if self.rng.random() < 0.6:
            return self._frame([q, (" ", None), genre, (noun, None)])
        return self._frame([genre, (noun + self._pick(("that are ", "which are ", "")), None), q])

    def _negation(self) -> list[Segment]:
        r = self.rng.random()
        if r < 0.35:
            return [(self._pick(("", "", "but ", "and ", "ok ")), None), *self.negation(),
                    (self._pick(("", "", " please", " this time", " movies")), None)]  # fmt: skip
        if r < 0.75:
            return self._frame([(self.genre(), "GENRE"), (" " + self._pick(_NOUNS) + " ", None),
                                (self._pick(("but ", "", "and ", ", ")), None), *self.negation()])  # fmt: skip
        return self._frame([(self._pick(("something ", "a movie ", "anything ")), None),
                            *self.negation()])  # fmt: skip

    def _reference(self) -> list[Segment]:
        cue = self._pick(self.references)
        core: list[Segment] = [(cue + " ", None), (self.title(), "TITLE")]
        if self.rng.random() < 0.3:
            core = [(self.genre(), "GENRE"), (" " + self._pick(_NOUNS) + " ", None), *core]
        if self.rng.random() < 0.2:
            core += [(" but ", None), *self.year_phrase()]
        return self._frame(core)

    def _ordinal(self) -> list[Segment]:
        if self.rng.random() < 0.6:
            frame = self._pick(_ORDINAL_FRAMES)
            before, _, after = frame.partition("{o}")
            return [(before, None), (self._pick(self.ordinals), "ORDINAL"), (after, None)]
        frame = self._pick(_NUMBER_FRAMES)
        before, _, after = frame.partition("{n}")
        n = str(self.rng.randint(1, 10)) if self.rng.random() < 0.7 else self._pick(self.numbers)
        return [(before, None), (n, "ORDINAL"), (after, None)]

    def _combo(self) -> list[Segment]:
        parts: list[list[Segment]] = [[(self.genre(), "GENRE")]]
        if self.rng.random() < 0.6:
            parts.append(self.year_phrase())
        if self.rng.random() < 0.5:
            parts.append(self.negation())
        if self.rng.random() < 0.3:
            parts.insert(0, [(self._pick(self.quality), "RATINGS_AVERAGE")])
        out: list[Segment] = []
        for part in parts:
            out += [*part, (self._pick((" ", " ", ", ", " and ", " movies ")), None)]
        return self._frame(out)

    def _chatter(self) -> list[Segment]:
        return [(self._pick(self.commands if self.rng.random() < 0.6 else _CHATTER), None)]

    # -- public ------------------------------------------------------------------
    def sample(self) -> BioSentence:
        """One labelled query (never empty)."""
        while True:
            funcs, weights = zip(*self._templates, strict=True)
            segments = self.rng.choices(funcs, weights=weights)[0]()
            sentence = segments_to_bio(segments, self.rng)
            if sentence.tokens:
                return sentence


def segments_to_bio(segments: Sequence[Segment], rng: random.Random | None = None) -> BioSentence:
    """Split labelled text segments into words and BIO tags (random casing if ``rng``)."""
    tokens: list[str] = []
    tags: list[str] = []
    for text, label in segments:
        words = words_of(_casing(text, rng) if rng is not None else text)
        tokens += words
        if label is None:
            tags += ["O"] * len(words)
        else:
            tags += [("B-" if i == 0 else "I-") + label for i in range(len(words))]
    return BioSentence(tuple(tokens), tuple(tags))


def generate_queries(
    n: int, titles: Sequence[str] = FALLBACK_TITLES, seed: int = 0
) -> list[BioSentence]:
    """``n`` labelled queries; the same ``(n, titles, seed)`` always gives the same list."""
    gen = QueryGenerator(titles, seed=seed)
    return [gen.sample() for _ in range(n)]
