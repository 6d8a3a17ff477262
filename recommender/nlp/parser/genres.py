"""Genres pass: genre words, their typos, negation cues, and which genres are excluded.

:func:`read_genres` claims genre aliases ("sci-fi", "romcom", "something scary"; as
"genre"), misspelt genre words ("comdy"; with a note) and negation cues ("no",
"without", "anything but"; as "neg"). :func:`negation_scope` then walks the tokens and
marks each mention inside a negation; :func:`assemble_genres` turns the mentions into
``Query.genres_all`` / ``genres_any`` ("or" between genres makes them any-of; a slash
names a hybrid, "horror/thriller": both) / ``genres_none``; before that,
:func:`drop_described` forgets the genre words of a question about what a film is ("Is
Inglourious Basterds (2009) a comedy?"). Genres run after titles, years and people, so "Scary Movie", "New
York" or "Tom Horror" keep their meaning; the scope walk runs after every claiming pass
because a title, person, year or rating ends a negation ("no horror from the 90s").

:class:`GenreResolver` (one per catalog, built by ``QueryParser``) maps lexicon genre
names and free genre phrases to the catalog's genres, with an optional sentence encoder
for words the alias table lacks ("superhero").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from recommender.knowledge.topics import stem
from recommender.nlp import lexicon
from recommender.nlp.entities import Entity
from recommender.nlp.parser.state import (
    GenreMention,
    ParseState,
    clause_break,
    extend_unique,
    phrase_key,
)
from recommender.nlp.patterns import NUM, TASTE_VERB, parse_number, phrase_regex
from recommender.nlp.query import Query
from recommender.semantic import TextEncoder

logger = logging.getLogger(__name__)

TYPO_CUTOFF = 85.0  # rapidfuzz ratio for a misspelt genre word ("comdy" -> comedy)
# An unknown genre word maps to the nearest catalog genre only when the cosine is at
# least GENRE_SIMILARITY and beats the runner-up by GENRE_MARGIN. Measured with MiniLM:
# "satire"/"parody" -> Comedy, "period drama" -> Drama pass; "biopic" (nearest: Sci-Fi),
# "godfather", "dogs" do not and stay free text for semantic matching.
GENRE_SIMILARITY = 0.5
GENRE_MARGIN = 0.08

GENRE_RE = phrase_regex(lexicon.GENRE_ALIASES)
_NEG_RE = phrase_regex(lexicon.NEGATION_CUES)
# "a horror movie that isn't too gory": a negated copula in a relative clause is a cue
# (it searched for gory films). Alone it is not ("Isn't there a sequel?" asks).
_RELATIVE_NEG_RE = re.compile(r"\b(?:that|which|one|something|anything)\s+(?:is|are|was)?\s*(?:isn'?t|aren'?t|wasn'?t|not)\b")
_NEG_SCOPE_END = re.compile(
    r"[.;!?:()]|\b(?:but|however|though|although|instead|rather|prefer|want|like|love)\b"
)
# Words whose typo-distance to a genre alias is small but which are ordinary words.
# A child's age ("for my 8 year old", "my 12 yr olds sleepover", "our toddler"): films
# for kids, as "for my kids". An adult's age ("40 year old men") asks for nothing.
_CHILD_AGE = re.compile(
    rf"\b(?:(?P<age>{NUM})[\s-]*(?:yr|yrs|year|years)[\s-]*olds?(?:'?s)?"
    r"|toddlers?|preschoolers?|little ones)\b"
)
CHILD_MAX_AGE = 12
# A film without swearing, nudity or crude jokes: the catalog carries no content rating,
# so this reads as "family friendly" does (Children or Animation, and with a genre asked,
# "a comedy with no swearing", family films of that genre). "a movie with no swearing for
# my grandma" had listed Deadpool 2 (nothing asked), "something clean" searched "clean".
_CLEAN = re.compile(
    r"\b(?:no|without(?:\s+any)?|with\s+no|not\s+(?:much|a\s+lot\s+of|too\s+much)|nothing\s+with|free\s+of)\s+"
    r"(?:swearing|swear\s*words|cursing|cussing|curse\s*words|cuss\s*words|bad\s+language"
    r"|foul\s+language|strong\s+language|profanity|vulgarity|f[\s-]?bombs?|nudity|sex\s+scenes?)\b"
    r"|\bnothing\s+(?:vulgar|crude|explicit|raunchy|dirty|inappropriate)\b"
    r"|\bclean(?=\s+(?:movies?|films?|comed(?:y|ies)|humou?r|fun|language)\b)|\b(?:something|anything)\s+clean\b"
    r"|\bwholesome\b|\bfamily[\s-]safe\b|\bsafe\s+for\s+(?:the\s+)?(?:whole\s+)?family\b"
)
# When and with whom a film is watched, not what it is about. Searched as words, "for
# my 12 yr olds sleepover" found films about sleep and "something for date night" was
# the film Date Night. Claimed (no topic); a few say what kind of film suits them. A
# word that is also a title ("Date Night", "Sausage Party") is an occasion only after
# "for", "on", "at" or "during".
_OCCASION_CUE = r"(?:for|on|at|during|to\s+watch\s+(?:on|at|during))\s+(?:(?:a|an|my|our|the)\s+)?"
_OCCASIONS = (
    # "a date night movie" (not the film Date Night) had searched "date": X-Men: Days of
    # Future Past.
    (re.compile(rf"\b{_OCCASION_CUE}(?:first\s+)?date(?:\s+night)?\b|\bdate\s+movies?\b|\bdate[\s-]night\s+(?:movies?|films?|picks?)\b"
                r"|\b(?:girls?'?|ladies'?)\s+night(?:\s+(?:in|out))?\b"), ("Romance", "Comedy"), False),
    (re.compile(rf"\b{_OCCASION_CUE}(?:(?:house|birthday|office|christmas)\s+)?party\b"), ("Comedy",), False),
    # "family night" is "a family movie": "something for family night, but not Disney"
    # had asked for nothing but "not Disney", and listed Deadpool 2.
    (re.compile(r"\bfamily\s+(?:movie\s+)?nights?\b"), lexicon.GENRE_ALIASES["family"],
     "family" in lexicon.ANY_OF_ALIASES),
    # Who watches along says nothing of the film: "for my grandma" searched "grandma",
    # "a movie for my parents" was read as films for children.
    (re.compile(r"\b(?:(?:for|with)\s+(?:my|our|the)\s+|my\s+(?=\w+\s+(?:would|will|might|could|can)\b))"
                r"(?:grand(?:parents|ma|pa|mother|father|mom|mum|dad)s?|nana|nan|granny|gran|parents|folks"
                r"|mom|mum|mother|dad|father|wife|husband|girlfriend|boyfriend|partner|friends?|in-?laws"
                r"|sister|brother|roommates?|coworkers?|colleagues|boss)\b"), (), False),
    (re.compile(r"\b(?:sleepovers?|slumber\s+part(?:y|ies)|movie\s+nights?"
                r"|(?:long\s+)?(?:flights?|plane\s+rides?)|rainy\s+(?:days?|nights?|afternoons?|sundays?)"
                r"|lazy\s+(?:days?|sundays?|afternoons?|weekends?))\b"), (), False),
)  # pattern, the genres that suit it, any of them (True: as the alias "family" reads)
# or all (False: a date is a romantic comedy)
_NOT_TYPOS = frozenset({"thrilled", "drams", "warm", "crimea", "dramamine", "horrid", "kind", "kinds"})
# Tokens that end a negation scope ("no horror but comedy is fine").
SCOPE_BREAK = frozenset(
    {"but", "however", "though", "although", "instead", "rather", "prefer", "want", "like",
     "love", "with", "yes", "ok", "okay", "only", "just", "more", "please", "plus"}
)  # fmt: skip
# Words after a cue that make the pair an idiom, no negation and no topic either (claimed
# "ignored" by ``read_genres``): "not sure", "no problem", "in no way" ("I am in no way
# easily offended" left out the films whose plot says "way"), "no doubt, something
# funny" (it excluded Comedy).
_NOT_A_NEGATION = frozenset({"sure", "problem", "worries", "idea", "clue", "matter", "thanks",
                             "way", "doubt", "seen", "watched", "heard"})
_IDIOM_TAIL = frozenset({"before", "yet", "already"})
# Scope breaks that, before the scope has reached anything, introduce what is negated:
# "nothing with zombies", "no movies with gore" ("with" otherwise ends a scope: "no
# horror with Tom Hanks" keeps Tom Hanks). Before this, "a scary movie but nothing with
# zombies" searched for zombie films.
_NEGATION_COMPLEMENTS = frozenset({"with"})


def breaks_scope(word: str, reached: bool) -> bool:
    """Whether ``word`` ends a negation scope that has ``reached`` something already."""
    return word in SCOPE_BREAK and (reached or word not in _NEGATION_COMPLEMENTS)

# Tokens allowed between genres of one negated list ("no horror movies or romance").
_LIST_GLUE = frozenset(
    {"or", "and", "nor", "either", "neither", "&", "/", "movies", "movie", "films", "film",
     "flicks", "stuff", "ones", "any", "anything", "too", "much", "of", "the"}
)  # fmt: skip
# A list of this many genres or more, joined by commas and "and", names tastes, any of
# which will do: "I like comedy, action, and musicals" asked for films that are all
# three at once (Scott Pilgrim, Blues Brothers 2000, Mulan II). Two stay a combination.
LISTED_TASTES = 3
# Two genres joined by "and" after a statement of taste ("I like action and comedy", "I
# love horror and thrillers", "big fan of sci-fi and fantasy") are two tastes as well:
# the person watches either, and the ReDial recommenders answered them with plain
# action films and plain comedies (34 of the 92 suggestions that such lists left out on
# the tune half met one of the two genres). Without the cue ("an action and comedy
# movie", "funny and scary") two genres stay a combination.
_TASTE_CUE = re.compile(
    rf"\b(?:{TASTE_VERB}|fan of|fans of|favou?rite genres?(?: are| is)?|favou?rites are"
    r"|my genres? (?:are|is))\b[^.!?;]*$"
)
_ONE_FILM_BEFORE = re.compile(r"\b(?:an?|one)\s+$")  # "an action and comedy movie": one film
# Words that name a genre itself, not a topic within it, although TMDB also uses them as
# plot keywords: the genre filter says all they say. Searched as text as well, "suspense"
# (a keyword of 200 films, 80 % of them thrillers) put The Deaths of Ian Stone (★3.0) and
# With a Friend Like Harry... first for "I like suspense movies", where "thrillers" lists
# Inception and The Matrix. Unlike "zombie" or "heist", which narrow their genre.
GENRE_NAME_WORDS: frozenset[str] = frozenset({"suspense", "suspenseful", "scary", "funny"})
# What each catalog genre means, embedded to place genre words the alias table lacks.
_DESCRIPTIONS = {
    "action": "action", "adventure": "adventure", "animation": "animation, animated cartoon",
    "children": "children, kids, family", "comedy": "comedy, funny", "crime": "crime, gangsters",
    "documentary": "documentary, non-fiction", "drama": "drama", "fantasy": "fantasy, magic",
    "film-noir": "film noir", "horror": "horror, scary", "imax": "imax",
    "musical": "musical, songs", "mystery": "mystery", "romance": "romance, love story",
    "sci-fi": "science fiction, sci-fi", "thriller": "thriller, suspense", "war": "war",
    "western": "western, cowboys",
}  # fmt: skip


class GenreResolver:
    """Genre names and phrases -> this catalog's genre spellings."""

    def __init__(
        self,
        catalog_genres: list[str],
        encoder: TextEncoder | None = None,
        similarity: float = GENRE_SIMILARITY,
    ) -> None:
        self.encoder = encoder
        self.similarity = similarity
        self._catalog_genres = catalog_genres
        self._genre_keys = {_key(g): g for g in catalog_genres}
        self.single_aliases = [a for a in lexicon.GENRE_ALIASES if " " not in a and len(a) >= 4]
        self._genre_vectors: np.ndarray | None = None
        self._embedded: dict[str, str | None] = {}

    def warm_up(self) -> None:
        """Build the lazily made genre vectors now (start-up), not on a user's message."""
        if self.encoder is not None and self._catalog_genres and self._genre_vectors is None:
            self._genre_vectors = self._embed_genres()

    def catalog_genre(self, name: str) -> str | None:
        """The catalog's spelling of a lexicon genre ("Children" -> "Children's" in
        ml-100k); None when the catalog has no such genre."""
        key = _key(name)
        if key in self._genre_keys:
            return self._genre_keys[key]
        hit = process.extractOne(key, list(self._genre_keys), scorer=fuzz.ratio, score_cutoff=80)
        return self._genre_keys[hit[0]] if hit else None

    def catalog_genres(self, forms: Sequence[str]) -> tuple[str, ...]:
        """The catalog genres of lexicon genre names, those it lacks left out."""
        return tuple(g for g in (self.catalog_genre(f) for f in forms) if g)

    def genre_of_phrase(self, phrase: str) -> tuple[str, ...]:
        """Catalog genres a genre phrase names: alias table, then typo match, then the
        nearest genre by embedding (when an encoder is set and it is close enough)."""
        return self.genres_of_phrases([phrase])[phrase]

    def genres_of_phrases(self, phrases: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """``genre_of_phrase`` of each phrase, the ones left to the embedding embedded in
        ONE encoder call: a forward pass costs about the same for one short phrase as for
        several (the weights are read once), and a message can carry a few unknown genre
        words."""
        out: dict[str, tuple[str, ...]] = {}
        unknown: list[str] = []
        for phrase in dict.fromkeys(phrases):
            out[phrase] = self.catalog_genres(self._lexicon_forms(phrase))
            if not out[phrase]:
                unknown.append(phrase)
        for phrase, nearest in zip(unknown, self._nearest_genres(unknown), strict=True):
            out[phrase] = (nearest,) if nearest else ()
        return out

    def _lexicon_forms(self, phrase: str) -> tuple[str, ...]:
        """Lexicon genres of ``phrase``: the alias table, then a typo of a one-word alias."""
        forms = lexicon.genres_of(phrase)
        if not forms:
            key = lexicon.normalize(phrase).replace("-", " ")
            forms = lexicon.GENRE_ALIASES.get(key, ())
        if not forms and len(phrase) >= 4:
            hit = self.typo_alias(lexicon.normalize(phrase))
            if hit:
                forms = lexicon.GENRE_ALIASES[hit]
        return tuple(forms)

    def typo_alias(self, word: str) -> str | None:
        """The one-word genre alias ``word`` is a typo of ("comdy" -> "comedy"), or None."""
        hit = process.extractOne(
            word, self.single_aliases, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
        )
        return hit[0] if hit else None

    def _nearest_genres(self, phrases: Sequence[str]) -> list[str | None]:
        """Nearest catalog genre of each phrase by sentence embedding, or None (no
        encoder / too far); the phrases not seen before are encoded together."""
        if self.encoder is None or not self._catalog_genres:
            return [None] * len(phrases)
        keys = [lexicon.normalize(p) if p.strip() else "" for p in phrases]
        fresh = [k for k in dict.fromkeys(keys) if k and k not in self._embedded]
        found = {k: self._embedded[k] for k in keys if k in self._embedded}
        if fresh:
            for key, vec in zip(fresh, self.encoder.encode(fresh), strict=True):
                found[key] = self._decide(key, vec)
                if len(self._embedded) < 4096:
                    self._embedded[key] = found[key]
        return [found.get(k) for k in keys]

    def _decide(self, key: str, vec: np.ndarray) -> str | None:
        """The catalog genre ``vec`` (the embedding of ``key``) is close enough to."""
        if self._genre_vectors is None:
            self._genre_vectors = self._embed_genres()
        sims = self._genre_vectors @ vec
        order = np.argsort(-sims)
        best = int(order[0])
        margin = float(sims[best] - sims[order[1]]) if len(order) > 1 else 1.0
        close = sims[best] >= self.similarity and margin >= GENRE_MARGIN
        found = self._catalog_genres[best] if close else None
        logger.debug("genre %r -> %s (cosine %.2f)", key, found, float(sims[best]))
        return found

    def _embed_genres(self) -> np.ndarray:
        assert self.encoder is not None
        return self.encoder.encode(
            [_DESCRIPTIONS.get(g.lower(), g.lower()) for g in self._catalog_genres]
        )


def read_child_ages(state: ParseState, resolver: GenreResolver) -> None:
    """Claim a child's age ("for my 8 year old") as films for kids; runs before the
    tagger's spans and the time pass, which read "8 year" as a year."""
    for m in _CHILD_AGE.finditer(state.masked()):
        age = parse_number(m.group("age")) if m.group("age") else 0
        if age is None or age > CHILD_MAX_AGE:
            continue
        _claim_alias(state, resolver, m, "kids")


def read_clean_requests(state: ParseState, resolver: GenreResolver) -> None:
    """Claim "no swearing", "something clean", "wholesome" as family films (``_CLEAN``);
    runs before the negation pass, which would read "no" as excluding what follows."""
    for m in _CLEAN.finditer(state.masked()):
        _claim_alias(state, resolver, m, "family friendly")


def _claim_alias(state: ParseState, resolver: GenreResolver, m: re.Match[str], alias: str) -> None:
    """Claim the match as a genre mention: any of the catalog genres of ``alias``."""
    span = state.take(m.start(), m.end(), "genre")
    genres = resolver.catalog_genres(lexicon.GENRE_ALIASES[alias])
    if span is not None and genres:
        state.genres.append(GenreMention(genres, span.start, any_of=True))


def read_occasions(state: ParseState, resolver: GenreResolver) -> None:
    """Claim the occasion a film is for ("date night", "a sleepover", "for a party"),
    with the genres that suit it (``ParseState.occasion``: the genres asked for win,
    "a horror movie for date night"); runs before titles are spotted."""
    for pattern, suits, any_of in _OCCASIONS:
        for m in pattern.finditer(state.masked()):
            span = state.take(m.start(), m.end(), "ignored")
            genres = resolver.catalog_genres(suits) if suits else ()
            if span is not None and genres:
                state.occasion.append(GenreMention(genres, span.start, any_of=any_of))


def read_genres(state: ParseState, resolver: GenreResolver) -> None:
    """Claim unclaimed genre aliases, genre typos and negation cues; with no genre
    named (here or by the tagger), the genres of an occasion (``read_occasions``)."""
    for m in GENRE_RE.finditer(state.masked()):
        span = state.take(m.start(), m.end(), "genre")
        if span:
            forms = lexicon.GENRE_ALIASES[phrase_key(m.group())]
            genres = resolver.catalog_genres(forms)
            if genres:
                any_of = phrase_key(m.group()) in lexicon.ANY_OF_ALIASES
                state.genres.append(GenreMention(genres, span.start, any_of=any_of))
            else:
                state.note(f"this catalog has no {'/'.join(forms)} genre")
    for i, tok in enumerate(state.tokens):
        if state.claims[i] is not None or len(tok.text) < 5 or not tok.text.isalpha():
            continue
        if tok.text in lexicon.FILLER_WORDS or tok.text in _NOT_TYPOS:
            continue
        hit = resolver.typo_alias(tok.text)
        if hit:
            genres = resolver.catalog_genres(lexicon.GENRE_ALIASES[hit])
            if genres:
                state.claim(range(i, i + 1), "genre")
                state.genres.append(GenreMention(genres, i))
                state.note(f"read '{tok.raw}' as {'/'.join(genres)}")
    for m in _RELATIVE_NEG_RE.finditer(state.masked()):
        state.take(m.start(), m.end(), "neg")
    for m in _NEG_RE.finditer(state.masked()):
        span = state.take(m.start(), m.end(), "neg")
        if span is not None and _idiom_follows(state, span.stop):
            # "no way", "not sure": explained, neither a negation nor a topic ("never seen
            # before": nor is "before" a topic).
            end = span.stop + 1
            if end < len(state.tokens) and state.claims[end] is None and state.tokens[end].text in _IDIOM_TAIL:
                end += 1
            state.claim(range(span.start, end), "ignored")
    if not state.genres:  # "for date night" suits romantic comedies, unless a genre is asked
        state.genres.extend(state.occasion)


def _idiom_follows(state: ParseState, i: int) -> bool:
    """Whether token ``i``, right after a negation cue, makes the pair an idiom."""
    return i < len(state.tokens) and state.claims[i] is None and state.tokens[i].text in _NOT_A_NEGATION


def tagger_negation(state: ParseState, ent: Entity) -> bool | None:
    """Whether a tagger NEG_GENRE span really is negated: True when a negation cue
    precedes it with no scope break in between; otherwise None (the scope walk decides).
    The tagger learnt negation from the lexicon's cues, so a NEG_GENRE with no cue
    before it ("something like [horror]") is a tagging slip, not a hidden negation."""
    before = state.lowered[: ent.start]
    cues = list(_NEG_RE.finditer(before))
    if not cues:
        return None
    return True if not _NEG_SCOPE_END.search(before[cues[-1].end() :]) else None


def negation_scope(state: ParseState) -> None:
    """Mark genre mentions inside a negation: from a cue, over at most three words
    to the first genre, then along a list of genres joined by or/and/commas."""
    by_token = {m.token: m for m in state.genres}
    open_scope, gap, in_list = False, 0, False
    for i, tok in enumerate(state.tokens):
        claim = state.claims[i]
        if i > 0 and clause_break(state.text[state.tokens[i - 1].end : tok.start]):
            open_scope = False
        if claim == "neg":
            open_scope, gap, in_list = True, 0, False
            continue
        if claim == "genre" and i in by_token:
            mention = by_token[i]
            if mention.negated is None:
                mention.negated = open_scope
            if mention.negated:
                open_scope, in_list, gap = True, True, 0
            continue
        if claim == "genre":  # continuation token of a multi-word genre
            continue
        if not open_scope:
            continue
        if claim == "person" and i in state.person_at and not in_list:
            # "nothing with Adam Sandler", "not directed by Spielberg": left out.
            state.exclude_person(i)
        ends_scope = breaks_scope(tok.text, in_list) or claim in ("title", "person", "year", "rating")
        if ends_scope or (in_list and tok.text not in _LIST_GLUE):
            open_scope = False
        elif not in_list:
            gap += 1
            if gap > 3:
                open_scope = False


# A question whose subject is a film: "Is Inglourious Basterds (2009) a comedy?", "is it
# scary?", "are those funny?". Its genre words say what the film is asked to be, and
# request nothing.
_FILM_SUBJECT_WORDS = frozenset({"it", "that", "this", "those", "these", "they", "he", "she"})
_BE = frozenset({"is", "are", "was", "were", "isn't", "aren't", "wasn't"})
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def drop_described(state: ParseState) -> None:
    """Forget the genre mentions of a question about what a film is (see above)."""
    for m in _SENTENCE.finditer(state.text):
        if not m.group().rstrip().endswith("?"):
            continue
        span = state.token_range(m.start(), m.end())
        if len(span) < 3 or state.tokens[span.start].text not in _BE:
            continue
        subject = span.start + 1
        if state.claims[subject] == "title" or state.tokens[subject].text in _FILM_SUBJECT_WORDS:
            state.genres = [g for g in state.genres if g.token not in span]


def assemble_genres(state: ParseState, topic_words: frozenset[str] = frozenset()) -> None:
    """Mentions -> ``genres_all`` / ``genres_any`` / ``genres_none``; a genre both asked
    for and excluded is excluded (with a note), unless the excluding word is a plot
    keyword ("a horror movie without zombies": Horror stays; the free-text pass leaves
    out the zombie films)."""
    positives = [m for m in state.genres if not m.negated]
    wanted = {g for m in positives for g in m.genres}
    for m in state.genres:
        if m.negated and _narrows_genre(state, m, wanted, topic_words):
            m.negated = None  # neither wanted nor excluded: ``Query.avoid_text`` has it
        elif m.negated and not m.any_of and len(m.genres) > 1:
            # "not a romcom": no romantic comedies. Excluding both genres had turned
            # "something funny" + "not a romcom" into no comedy at all; the qualifier,
            # the combination's last genre (lexicon: "romcom" is Comedy, Romance), is
            # left out and the comedy asked for stays.
            m.genres = m.genres[-1:]
        elif m.negated and m.any_of and set(m.genres) & wanted and set(m.genres) - wanted:
            # "an animated movie that isn't for kids": the alias (Children or Animation)
            # excludes what was not asked for by name, Children.
            m.genres = tuple(g for g in m.genres if g not in wanted)
    negated = [m for m in state.genres if m.negated]
    any_group: set[int] = set()
    run = positives[:1]  # the current list of genres joined by glue only
    for a, b in zip(positives, positives[1:], strict=False):
        between = state.tokens[a.token + 1 : b.token]
        words = {t.text for t in between}
        # "horror/thriller", "action/comedy" name a hybrid: films of both genres, which
        # also answer the either-or reading (any-of ranked Inception and The Matrix first
        # for "horror/thriller" on Thriller's popularity alone).
        if "or" in words:
            any_group.update((id(a), id(b)))
        if _only_glue(state, a, b, between):
            run.append(b)
            continue
        if _tastes(state, run):
            any_group.update(id(m) for m in run)
        run = [b]
    if _tastes(state, run):  # "I like comedy, action, and musicals": any of them
        any_group.update(id(m) for m in run)
    clash = place_genres(
        state.query,
        [m.genres for m in negated],
        [(m.genres, (id(m) in any_group and len(m.genres) == 1) or m.any_of) for m in positives],
    )
    if clash:
        state.note(f"{', '.join(clash)} both asked for and excluded: excluded it")


def _narrows_genre(
    state: ParseState, m: GenreMention, wanted: set[str], topic_words: frozenset[str]
) -> bool:
    """Whether a negated genre word is a plot keyword that names a kind of film within
    its genre ("zombies", "slashers", "heist"), so that saying it away leaves out those
    films only: "no zombies please" had excluded all of Horror. An either-of alias
    ("no family movies") still excludes its genres unless they were asked for."""
    if stem(state.tokens[m.token].text) not in topic_words:
        return False
    return set(m.genres) <= wanted or not m.any_of


def _tastes(state: ParseState, run: Sequence[GenreMention]) -> bool:
    """Whether a run of genres joined by glue names tastes (any of them will do): three
    or more, or two after a statement of taste in the same sentence (``_TASTE_CUE``)."""
    if len(run) >= LISTED_TASTES:
        return True
    if len(run) != 2:
        return False
    first, second = state.tokens[run[0].token], state.tokens[run[1].token]
    if re.search(r"[/&]", state.text[first.end : second.start]):  # "horror/thriller": a hybrid
        return False
    before = state.text[: first.start].lower()
    return _TASTE_CUE.search(before) is not None and not _ONE_FILM_BEFORE.search(before)


def _only_glue(state: ParseState, a: GenreMention, b: GenreMention, between: Sequence[Any]) -> bool:
    """Whether only commas and list glue (the tokens ``between``) stand between mentions
    ``a`` and ``b``."""
    gap = state.text[state.tokens[a.token].end : state.tokens[b.token].start]
    if any(mark in gap for mark in ".;!?:()"):
        return False
    return all(t.text in _LIST_GLUE or state.claims[a.token + 1 + k] == "genre"
               for k, t in enumerate(between))


def place_genres(
    query: Query,
    excluded: Sequence[tuple[str, ...]],
    wanted: Sequence[tuple[tuple[str, ...], bool]],
) -> list[str]:
    """Put genre mentions into ``query`` (shared by the English and Chinese parsers).

    ``excluded`` go to ``genres_none``; each ``wanted`` mention ``(genres, any_of)`` goes
    to ``genres_any`` when ``any_of`` (joined by "or" and naming one genre, or an either-of
    alias such as "kids"), else to ``genres_all``. A genre both wanted and excluded is excluded; an any-of group left
    with one genre becomes a requirement. Returns the genres that clashed.
    """
    for genres in excluded:
        extend_unique(query.genres_none, genres)
    for genres, any_of in wanted:
        extend_unique(query.genres_any if any_of else query.genres_all, genres)
    clash = [g for g in query.genres_all + query.genres_any if g in query.genres_none]
    query.genres_all = [g for g in query.genres_all if g not in clash]
    query.genres_any = [g for g in query.genres_any if g not in clash and g not in query.genres_all]
    if len(query.genres_any) == 1:  # "or" with only one side left is a plain requirement
        extend_unique(query.genres_all, query.genres_any)
        query.genres_any = []
    return clash


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", name.lower())
