"""The recommendation engine: understand a message, rank the catalog for one user.

``Engine.understand(text)`` runs the tagger and the query parser. ``Engine.recommend``
turns a ``Query`` and the user's ``history`` (item_id -> stars) into a ``RankResult``:

1. candidates: the catalog minus every item the user rated (liked, disliked: a rated
   item is never recommended again), ``exclude`` (e.g. already shown) and the reference
   items themselves, filtered by the query's hard constraints (genres, years, rating,
   people: role-aware), relaxed softest-first when nothing is left (``ranking.filters``);
2. signals: one CF ``score`` call on a small batch (the history row, one-hot rows of the
   best-liked items for the explanations); the semantic match f_LM (item vectors against
   the encoded free text, cached per text, plus the lexical topic match of keywords and
   plots, plus at ``PROFILE_SHARE`` the centroid of the user's liked items: a
   content-based taste profile); for "like <title>" the item-item similarity to the
   references (``knowledge.similarity``); the static quality/popularity prior;
3. the blend (``ranking.blend``) — with references, the similarity leads and the blend
   of taste and prior only breaks ties (``TASTE_SHARE``) —, MMR over the best ``POOL``
   candidates (``ranking.diversity``), "newer"/"older" ordering by release year, and a
   reason per pick (``ranking.reasons``, ``knowledge.explain``).

Nothing here does I/O; everything arrives as constructor arguments.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from recommender.cf.base import Recommender
from recommender.data.catalog import Catalog
from recommender.data.matrix import rows_to_csr
from recommender.knowledge.explain import Explainer
from recommender.knowledge.people import PeopleIndex
from recommender.knowledge.series import (
    few_of_each_series,
    in_series,
    one_of_each_series,
    same_series,
)
from recommender.knowledge.similarity import ItemSimilarity
from recommender.knowledge.topics import TopicIndex
from recommender.nlp.language import has_han
from recommender.nlp.parser.lexical import lexicon_only
from recommender.nlp.query import Query
from recommender.ranking.blend import (
    DEFAULT_ALPHA,
    BlendWeights,
    blend,
    prior_scores,
    prior_weight,
    semantic_term,
)
from recommender.ranking.diversity import cover, mmr
from recommender.ranking.filters import (
    SOFTNESS_MIN_RATING,
    CatalogIndex,
    alternative_directors,
    fill_candidates,
    query_constraints,
    select_candidates,
    sort_constraints,
)
from recommender.ranking.genre_fit import (
    FIT_Z_CAP,
    GENRE_FIT_SHARE,
    TONE_GENRES,
    genre_directions,
    genre_fit,
    tone_fit,
)
from recommender.ranking.labels import text as label
from recommender.ranking.normalize import standardize
from recommender.ranking.reasons import best_sources, join_reason

log = logging.getLogger(__name__)

# A rating at or above this counts as "liked" (explanations). Rated items, liked or not,
# are never candidates.
LIKED = 4.0
# Stars of the one-hot rows of liked items fed to the CF model (explanations).
REFERENCE_STARS = 5.0
# With "like <title>": weight of the user's taste + prior blend next to the unit-weight
# item-item similarity (like X first; personal and popular second).
TASTE_SHARE = 0.25
# With "like <title>" and words of the message's own ("but less dark", "about a heist"):
# weight of their semantic match next to the unit-weight similarity. At the blend's
# share alone (alpha x TASTE_SHARE, about 0.18) "like The Dark Knight, something
# lighter" listed the same five films.
TEXT_WITH_REFERENCE_SHARE = 1.0
TEXT_POOL = 50
LIKE_CAP_WITH_TEXT = 4.0
# The prior is standardised among this many best matches of a request's own match.
MATCH_LEAD = 200
# A film whose raters panned it (mean at most FLOP_MEAN stars from FLOP_MIN_RATINGS or
# more) moves down every list by FLOP_PENALTY z-units: the Bayesian average shrinks a few
# ratings towards the mean, so the prior's quality floor let Catwoman (★1.3) lead "action
# movies with a female lead" and Gone (★1.5) sit third "like Gone Girl".
FLOP_MEAN = 2.25
FLOP_MIN_RATINGS = 1
FLOP_PENALTY = 2.0
# Fewer exact matches than this, and the list goes on with the nearest misses after
# them (``filters.fill_candidates``), the exact ones first.
FILL_BELOW = 5
FILL_TO = 5  # candidates the fill relaxes for: a page, no more than it takes
# Weight of the lexical topic match (keywords, plots) next to the embedding match.
TOPIC_SHARE = 1.0
# Weight of a tone's lean between genres (``genre_fit.tone_fit``) next to the words' match.
TONE_SHARE = 2.0
# Semantic-vs-CF weight, at least, for a request with free text (a topic).
TOPIC_ALPHA = 0.7
# Cap of each standardised query-text match (embedding, topic): beyond it a film matches
# for certain, and more only says how loudly its title repeats the words. Uncapped, a
# one-word query's cosine runs to z = 14 for "The Maiden Heist" (★2.5, one rating) and
# buries The Italian Job under title matches; capped, the prior orders the films that
# match. `recbot eval knowledge` topic precision 0.900 -> 0.917 (at 2 and at 3; 2 let a
# popular film that does not match overtake obscure ones that do, in a small catalog).
SEMANTIC_Z_CAP = 3.0
# "newer" / "older" without a year window: the k newest / oldest of this many best.
SORT_POOL = 20
# ... leaving out the films whose shown average is below this many stars, while enough
# others remain. Ordered by year alone, the newest of a pool are often films of the data's
# last months with one or two ratings, which the prior's Bayesian average cannot tell
# from good ones: "a funny animated movie for my kids", then "newer", listed Ferdinand
# (★1.5) and The Emoji Movie (★0.5) first.
SORT_MIN_STARS = 2.5
# Liked items considered when explaining picks ("because you liked X"), best rated first.
MAX_EXPLAINING_ITEMS = 30
# Films of one series in a list (other than a reference's, of which one: ``knowledge.series``).
SERIES_CAP = 2
# MMR runs over this many best-scored candidates (diversity beyond it is not worth time).
POOL = 50
# Recent query texts whose item-similarity vectors (n_items floats each) are kept.
SEMANTIC_CACHE_SIZE = 256
# What ``warm_up`` asks: a genre, a decade and free text, so every model runs once.
WARM_UP_TEXT = "a funny sci-fi movie from the 90s"


@dataclass(frozen=True)
class Recommendation:
    item_id: int
    score: float
    why: str


@dataclass(frozen=True)
class RankResult:
    """The picks, best first, and the labels of the constraints relaxed to find them.

    ``items`` is empty only when the user has rated or been shown every item; then
    ``relaxed`` says so.
    """

    items: list[Recommendation]
    relaxed: list[str] = field(default_factory=list)
    # Too few exact matches: after them, films that miss these constraints (the exact
    # ones first; ``filters.fill_candidates``). ``exact`` how many picks match in full.
    filled: list[str] = field(default_factory=list)
    exact: int = 0


@dataclass
class Signals:
    """Raw per-candidate scores of one request; ``Engine.rank`` blends them.

    Split from ranking so an evaluation can re-blend one request under many weights.
    """

    query: Query
    candidates: np.ndarray  # item indices
    relaxed: list[str]
    f_lm: np.ndarray | None  # semantic match, or None without text / references
    f_profile: np.ndarray | None  # content match to the user's liked items, or None
    f_cf: np.ndarray | None  # collaborative score, or None without history
    f_like: np.ndarray | None  # item-item similarity to the references, or None
    prior: np.ndarray
    cold_start: bool
    liked: np.ndarray  # item indices of liked history items (explanations)
    liked_cf: np.ndarray | None  # CF similarity rows of ``liked`` over all items
    references: np.ndarray  # item indices of the query's reference items
    exact: np.ndarray | None = None  # per candidate, meets every constraint (None: all do)
    # The constraints relaxed for the others, each with whom of the candidates it holds.
    filled: list[tuple[str, np.ndarray]] = field(default_factory=list)
    # How typical each candidate is of the genres asked (``ranking.genre_fit``), or None.
    f_genre: np.ndarray | None = None
    # How far each candidate leans to the tone asked ("lighter": ``genre_fit.tone_fit``).
    f_tone: np.ndarray | None = None


class Engine:
    """Tagger + parser + CF model + item vectors + ranking, for one catalog.

    ``item_vectors`` are the L2-normalised item embeddings (n_items x d, the rows of
    ``recommender.semantic.item_embeddings``); ``encoder`` encodes query text into the
    same space. ``alpha`` weighs semantic match against CF (None: ``DEFAULT_ALPHA``).
    ``similarity`` serves "like <title>" (None: content only, no co-occurrence term).
    ``zh_parser`` (a ``recommender.nlp.zh.parser.ChineseParser``) reads Chinese
    messages; without it they go through the English tagger and parser.
    """

    def __init__(
        self,
        catalog: Catalog,
        cf_model: Recommender,
        item_vectors: np.ndarray,
        encoder: Any,
        tagger: Any,
        parser: Any,
        alpha: float | None = None,
        similarity: ItemSimilarity | None = None,
        zh_parser: Any | None = None,
    ) -> None:
        if item_vectors.shape[0] != catalog.n_items:
            raise ValueError(
                f"item_vectors has {item_vectors.shape[0]} rows for {catalog.n_items} items"
            )
        self.catalog = catalog
        self.cf_model = cf_model
        self.item_vectors = np.ascontiguousarray(item_vectors, dtype=np.float32)
        self.encoder = encoder
        self.tagger = tagger
        self.parser = parser
        self.zh_parser = zh_parser
        self.alpha = DEFAULT_ALPHA if alpha is None else float(alpha)
        shared = getattr(parser, "people", None)
        self.index = CatalogIndex(catalog, people=shared if isinstance(shared, PeopleIndex) else None)
        self.people = self.index.people
        topics = getattr(parser, "topics", None)
        self.topics = (topics if isinstance(topics, TopicIndex) and topics.catalog is catalog
                       else TopicIndex(catalog))
        self.similarity = similarity or ItemSimilarity(catalog, self.item_vectors)
        self.explainer = Explainer(self.index, self.topics, self.similarity)
        self._series = self.topics.series_keys  # ``catalog_series_keys``, built once
        self._prior = prior_scores(catalog)
        self._quality_prior = prior_scores(catalog, quality_intent=True)
        # Films their raters panned, by enough of them to say so (``FLOP_*``).
        self._flops = (np.asarray(catalog.rating_mean, np.float32) <= FLOP_MEAN) & (
            np.asarray(catalog.rating_count) >= FLOP_MIN_RATINGS)
        self._gem_prior = prior_scores(catalog, obscure=True)
        self._confident_prior = prior_scores(catalog, confident=True)
        self._genre_fits = genre_directions(self.item_vectors, self.index.genre_matrix,
                                            self.index.genre_names)
        self._semantic_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._members_cache: dict[int, list[int]] = {}

    def warm_up(self) -> None:
        """Run every model once, so the first user does not pay lazy set-up.

        The parser builds its genre vectors on first need, and the first calls of a traced
        forward pass run the TorchScript profiler: measured, the first message after
        start took 33 ms in ``understand`` instead of 3 ms.
        """
        warm = getattr(self.parser, "warm_up", None)
        if callable(warm):
            warm()
        if self.zh_parser is not None:
            self.zh_parser.warm_up()
        query = self.understand(WARM_UP_TEXT)
        self.recommend(query, {}, k=1)
        if self.catalog.n_items:
            self.recommend(query, {int(self.catalog.item_ids[0]): REFERENCE_STARS}, k=1)
        self._semantic_cache.clear()

    # -- language -------------------------------------------------------------------

    def understand(self, text: str) -> Query:
        """The ``Query`` of one message, its people resolved against the catalog's credits.

        A message with Chinese characters goes to the Chinese parser (the tagger cannot
        read Chinese: its tokenizer maps most of it to [UNK]); any other to the tagger's
        entities (none for a message of lexicon words only: ``parser.lexical``), then the
        English parser.
        """
        if self.zh_parser is not None and has_han(text):
            return self.resolve_people(self.zh_parser.parse(text))
        # A message of lexicon words only ("more", "no horror", "comedy from the 90s")
        # reads the same without entities: the tagger's forward pass is skipped.
        entities = () if lexicon_only(text) else self.tagger.tag(text)
        return self.resolve_people(self.parser.parse(text, entities))

    def resolve_people(self, query: Query) -> Query:
        """``query`` with every named person matched to catalog credits (fuzzy); a name
        that matches nobody stays, marked unknown, with a note saying so."""
        if query.people:
            query.people, notes = self.people.resolve_all(query.people)
            query.notes.extend(n for n in notes if n not in query.notes)
        return query

    def text_similarity(self, text: str) -> np.ndarray:
        """Cosine of every item's vector with the encoding of ``text`` (n_items).

        Cached per text: the same phrasings recur, and the encoder is the costly part.
        """
        sims = self._semantic_cache.get(text)
        if sims is None:
            vec = np.asarray(self.encoder.encode([text])[0], dtype=np.float32)
            sims = self.item_vectors @ vec
            self._semantic_cache[text] = sims
            if len(self._semantic_cache) > SEMANTIC_CACHE_SIZE:
                self._semantic_cache.popitem(last=False)
        else:
            self._semantic_cache.move_to_end(text)
        return sims

    def series_of(self, item_ids: Collection[int]) -> list[int]:
        """Item ids of the films in the series of ``item_ids`` (``knowledge.series``),
        those films included; cached per film."""
        out: list[int] = []
        for item in item_ids:
            if not self.catalog.has(item):
                continue
            idx = self.catalog.index(item)
            members = self._members_cache.get(idx)
            if members is None:
                key = self._series[idx]
                members = [int(self.catalog.item_ids[j]) for j, other in enumerate(self._series)
                           if same_series(key, other)]
                self._members_cache[idx] = members
            out.extend(members)
        return out

    # -- ranking --------------------------------------------------------------------

    def recommend(
        self,
        query: Query,
        history: Mapping[int, float],
        *,
        exclude: Collection[int] = (),
        k: int = 5,
        weights: BlendWeights | None = None,
        fill: bool = True,
    ) -> RankResult:
        """Top-``k`` items for ``query`` given the user's ``history`` (item_id -> stars).

        Rated items and ``exclude`` are never returned. ``weights`` overrides the blend
        (default: this engine's alpha with the default prior and diversity). ``fill``:
        one or two exact matches are followed by the nearest misses (``FILL_BELOW``);
        a next page keeps to what is left of the exact ones instead.
        """
        return self.rank(self.signals(query, history, exclude=exclude, fill=fill), k=k, weights=weights)

    def signals(
        self,
        query: Query,
        history: Mapping[int, float],
        *,
        exclude: Collection[int] = (),
        use_filters: bool = True,
        fill: bool = True,
    ) -> Signals:
        """Candidates and their raw scores (see the module docstring, steps 1-2)."""
        catalog = self.catalog
        rated = {int(i): float(s) for i, s in history.items() if catalog.has(i)}
        # A reference the user rated stays one only if they liked it ("I loved Alien, more
        # like it" both stores the like and asks for films like it).
        references = catalog.indices(
            i for i in query.reference_items if rated.get(int(i), LIKED) >= LIKED
        )
        allowed = np.ones(catalog.n_items, dtype=bool)
        allowed[catalog.indices(rated)] = False
        allowed[catalog.indices(exclude)] = False
        allowed[references] = False
        avoided = self.topics.avoided(query.avoid_text)
        if avoided is not None:  # "no gore": films whose keywords or plot say it
            allowed &= ~avoided
        constraints = []
        if use_filters:
            constraints = [*query_constraints(query, self.index),
                           *sort_constraints(query, self.index, references)]
        candidates, relaxed = select_candidates(constraints, allowed)
        if not candidates.size:
            relaxed = [*relaxed, label(query.lang, "nothing_left")]
        exact: np.ndarray | None = None
        filled: list[tuple[str, np.ndarray]] = []
        if fill and 0 < candidates.size < FILL_BELOW and constraints:
            wider, dropped = fill_candidates(constraints, allowed, relaxed, FILL_TO)
            # With an order by year only the rating floor may give: films past the years
            # would be sorted in ("like Alien but older"); "her older stuff" after "her
            # best ones" listed two films, and goes on with her other old ones.
            sortable = not query.sort or all(c.softness <= SOFTNESS_MIN_RATING for c in dropped)
            if dropped and sortable and wider.size > candidates.size:
                exact = np.isin(wider, candidates)
                candidates = wider
                filled = [(c.label, c.mask[wider]) for c in dropped]

        liked = _best_liked(rated, catalog)
        cf_user, liked_cf = self._cf_scores(rated, liked)
        # "like Get Out but not horror": no candidate shares a genre with Get Out, so the
        # co-ratings that only count within a genre are gone and the title's words led
        # (In & Out, Inside Out); across genres they say what its fans also liked.
        across = bool(query.genres_none) and all(
            set(catalog.genres[r]) <= set(query.genres_none) for r in references)
        f_like = (self.similarity.scores(references, across_genres=across)[candidates]
                  if references.size else None)
        # Only where the genre is the topic: in "comedies with Jim Carrey" it narrows his
        # films, and the fit there lifted Dumb and Dumber To (a comedy and nothing else,
        # 2.3 stars) over The Mask. A person left out ("no Jennifer Aniston") narrows
        # nothing: the genre stays the topic (without the fit Shrek led the romcoms).
        topic = all(p.excluded for p in query.people) and not references.size
        fit = genre_fit(self._genre_fits, [*query.genres_all, *query.genres_any]) if topic else None
        tone = tone_fit(self._genre_fits, query.text)
        return Signals(
            query=query,
            candidates=candidates,
            relaxed=relaxed,
            f_lm=self._semantic(query, candidates),
            f_profile=self._profile(liked, candidates),
            f_cf=cf_user[candidates] if cf_user is not None else None,
            f_like=f_like,
            prior=self._prior_for(query)[candidates],
            cold_start=not rated,
            liked=liked,
            liked_cf=liked_cf,
            references=references,
            exact=exact,
            filled=filled,
            f_genre=fit[candidates] if fit is not None else None,
            f_tone=tone[candidates] if tone is not None else None,
        )

    def rank(self, signals: Signals, *, k: int = 5, weights: BlendWeights | None = None) -> RankResult:
        """Blend, diversify and explain: the top ``k`` of ``signals``."""
        weights = weights or BlendWeights(alpha=self.alpha)
        cands = signals.candidates
        if not cands.size:
            return RankResult([], list(signals.relaxed))
        w_prior = prior_weight(weights, cold_start=signals.cold_start,
                               quality_intent=signals.query.quality)
        f_lm = semantic_term(signals.f_lm, signals.f_profile)
        # A request that names a topic ("about time travel") is about that topic first,
        # with the user's taste second; ``alpha`` alone (tuned on genre requests, which
        # carry no text) let CF bury the topic once a user had a few ratings.
        alpha = max(weights.alpha, TOPIC_ALPHA) if signals.f_lm is not None else weights.alpha
        # The prior compares the films that match the request (the best by the query's
        # own match): against the catalog's best, every film outside them sat at the
        # floor, a film with fourteen ratings level with one with one.
        own = signals.f_like if signals.f_like is not None else signals.f_lm
        among = _top(own, MATCH_LEAD) if own is not None else None
        score = blend(f_lm, signals.f_cf, signals.prior, alpha, w_prior, prior_among=among)
        if signals.f_genre is not None:  # of two films as popular, the one more of the genre
            score += w_prior * GENRE_FIT_SHARE * np.minimum(standardize(signals.f_genre), FIT_Z_CAP)
        if signals.f_like is not None:
            like = standardize(signals.f_like)
            if signals.f_lm is not None or signals.f_tone is not None:
                like = _shaped_by_text(like, signals.f_lm)
            score = like + TASTE_SHARE * score
        score = score - FLOP_PENALTY * self._flops[cands]
        if signals.f_tone is not None:
            score = _toned(score, signals.f_tone)
        pool = _top(score, POOL if weights.diversity > 0 else k)
        lead = 0  # the few exact matches lead the pool and the picks; the fill follows
        if signals.exact is not None:
            first = np.flatnonzero(signals.exact)
            pool, lead = np.concatenate([first, pool[~signals.exact[pool]]]), len(first)
        # "like X": when films of X's series are among the best, extra picks, so those
        # past the first can go (``knowledge.series``: one per list, never first).
        refs = [self._series[int(r)] for r in signals.references]
        keys = [self._series[int(i)] for i in cands[pool]]
        # As many extra picks as the pool holds films of the series (seven Harry Potters),
        # and of any series past its first SERIES_CAP.
        extra = sum(in_series([key], refs) for key in keys) if refs else 0
        extra += len(keys) - len(few_of_each_series(keys, SERIES_CAP))
        order = mmr(score[pool], self.item_vectors[cands[pool]], k + extra, weights.diversity)
        if lead:
            order = np.concatenate([np.arange(lead), order[order >= lead]])
        if refs and extra:
            order = order[one_of_each_series([keys[o] for o in order], refs)]
        # Toy Story, Toy Story 2 and Toy Story 3 were three of five picks "like Ted": one
        # film of a series says what the others are (only with room for other films).
        capped = order[few_of_each_series([keys[o] for o in order], SERIES_CAP)]
        if len(capped) >= min(k, len(order)):
            order = capped
        picks = pool[order[:k]]
        # "westerns and action", "Wes Anderson and Tarantino": either will do, and
        # each has a place among the picks.
        kinds = [self.index.genre_mask(g) for g in signals.query.genres_any] if len(signals.query.genres_any) > 1 else []
        kinds += [self.index.people.mask(ref) for ref in alternative_directors(signals.query)]
        if kinds:
            picks = pool[cover(order[:k], np.arange(len(pool)), np.stack([m[cands[pool]] for m in kinds], axis=1))]
        if signals.query.sort:
            picks = self._by_year(score, cands, picks, signals.query.sort, k)
            if signals.exact is not None:  # the exact matches by year, then the fill by year
                picks = picks[np.argsort(~signals.exact[picks], kind="stable")]
        chosen = cands[picks]
        use_history = signals.f_cf is not None and weights.alpha < 1.0
        why = self._reasons(signals, chosen, use_history)
        items = [
            Recommendation(int(self.catalog.item_ids[i]), float(score[p]), w)
            for i, p, w in zip(chosen, picks, why, strict=True)
        ]
        if signals.exact is None:
            return RankResult(items, list(signals.relaxed))
        # Say only what the listed films miss: the fill may have relaxed "Thriller" to
        # find enough films, and still list thrillers.
        filled = [name for name, holds in signals.filled if not holds[picks].all()]
        return RankResult(items, list(signals.relaxed), filled, int(signals.exact[picks].sum()))

    # -- internals ------------------------------------------------------------------

    def _prior_for(self, query: Query) -> np.ndarray:
        """The prior a request asks for: hidden gems, best-rated first, popular now, or
        for a topic or a past window popular now as far as the rating count vouches for it."""
        if query.obscure:
            return self._gem_prior
        if query.quality:
            return self._quality_prior
        # A topic's matches, and the films of a window that ends in the past, include films
        # rated once in the data's last months, whose rate (one rating over a quarter-year)
        # ties with a classic's: "a Christmas movie" led with A Cosmic Christmas and Saving
        # Christmas, "horror from the 80s" had Microwave Massacre and Blood Beach third to
        # fifth. There popularity counts only as far as the count vouches for it. Genre and
        # "like X" lists keep the plain rate (the humans of ReDial name such recent films).
        dated = query.year_max is not None
        return self._confident_prior if semantic_text(query) or dated else self._prior

    def _cf_scores(
        self, rated: Mapping[int, float], liked: np.ndarray
    ) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(user scores, liked-item rows) from ONE ``score`` call."""
        if not rated:
            return None, None
        cols = self.catalog.indices(rated)
        rows = [(cols, np.fromiter(rated.values(), np.float32, len(rated)))]
        for idx in liked:
            rows.append((np.array([idx]), np.array([REFERENCE_STARS], np.float32)))
        batch = rows_to_csr(rows, self.catalog.n_items)
        scores = np.asarray(self.cf_model.score(batch), dtype=np.float32)
        return scores[0], (scores[1:] if liked.size else None)

    def _semantic(self, query: Query, candidates: np.ndarray) -> np.ndarray | None:
        """Embedding match of the free text plus the lexical topic match (keywords,
        plots); None without free text."""
        text = semantic_text(query)
        if not text:
            return None
        parts = []
        if self.encoder is not None:
            parts.append(_capped(standardize(self.text_similarity(text)[candidates])))
        topic = self.topics.scores(text)
        if topic is not None:
            parts.append(TOPIC_SHARE * _capped(standardize(topic[candidates])))
        return np.sum(parts, axis=0).astype(np.float32) if parts else None

    def _by_year(self, score: np.ndarray, cands: np.ndarray, picks: np.ndarray,
                 sort: str, k: int) -> np.ndarray:
        """The ``k`` newest (or oldest) of the ``SORT_POOL`` best, in year order (those
        rated below ``SORT_MIN_STARS`` left out while ``k`` others remain)."""
        pool = _top(score, max(SORT_POOL, k))
        years = self.index.years[cands[pool]]
        sign = -1 if sort == "newest" else 1
        known = pool[years > 0]
        liked = known[self.index.rating_mean[cands[known]] >= SORT_MIN_STARS]
        if liked.size >= k:
            known = liked
        order = known[np.argsort(sign * self.index.years[cands[known]], kind="stable")]
        return order[:k] if order.size else picks

    def _profile(self, liked: np.ndarray, candidates: np.ndarray) -> np.ndarray | None:
        """Content-based taste: similarity to the centroid of the user's liked items."""
        return self._centroid_similarity(liked, candidates) if liked.size else None

    def _centroid_similarity(self, items: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        centre = self.item_vectors[items].mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-9)
        # One matrix-vector product over all rows, then the candidates: indexing first
        # would copy most of the (n_items x d) matrix on every request.
        return (self.item_vectors @ centre)[candidates]

    def _reasons(self, signals: Signals, chosen: np.ndarray, use_history: bool) -> list[str]:
        catalog = self.catalog
        query = signals.query
        lang = query.lang
        parts = [self.explainer.parts(query, int(i)) for i in chosen]
        if signals.references.size:
            sim = self.item_vectors[signals.references] @ self.item_vectors[chosen].T
            # Every pick was ranked by its similarity to the references: name the closest.
            for p, i, src in zip(parts, chosen, best_sources(sim, threshold=-np.inf), strict=True):
                ref = int(signals.references[src])
                p.append(self.explainer.like(ref, int(i)) if lang == "en"
                         else label(lang, "similar", title=catalog.titles[ref]))
        elif use_history and signals.liked.size:
            sources = best_sources(signals.liked_cf[:, chosen]) if signals.liked_cf is not None else []
            fallback = best_sources(self.item_vectors[signals.liked] @ self.item_vectors[chosen].T)
            for n, p in enumerate(parts):
                src = sources[n] if sources and sources[n] is not None else fallback[n]
                if src is not None:
                    p.append(label(lang, "liked", title=catalog.titles[signals.liked[src]]))
        default = label(lang, "cold" if signals.cold_start else "taste")
        return [join_reason(p, default) for p in parts]


def semantic_text(query: Query) -> str:
    """The text matched against item texts: the free text.

    Genre and year words are left out on purpose: the hard filter already enforces
    them, and ranking *within* a genre by how "typical" an item's text is for that genre
    word is noise (``recbot eval dialogue`` measured it lowering NDCG for every weight).
    People are left out too: they are a hard constraint on credits, and a name matched
    as text finds titles that share a word with it ("Tom Hanks" -> "Tom and Jerry").
    Empty when nothing but constraints was said; f_LM then rests on the user's content
    profile, or drops out.

    Tone words ("feel-good" for "lighter") next to other facets are left out: they
    reorder the list by the tone's lean between genres (``Signals.f_tone``); matched as
    words, Fight Club was the most "feel-good" film near The Dark Knight. Alone ("a
    feel-good movie") they are the topic and stay.
    """
    text = query.text.strip()
    words = text.lower().split()
    faceted = (query.genres_all or query.genres_any or query.reference_items
               or query.wanted_people() or query.year_min is not None or query.year_max is not None)
    if words and faceted and all(w in TONE_GENRES for w in words):
        return ""
    return text


def _shaped_by_text(like: np.ndarray, f_lm: np.ndarray | None) -> np.ndarray:
    """The similarity ``like`` (z-scores) reshaped by the message's own words ("like
    Inception, about a heist", "like The Dark Knight, lighter"): capped at
    ``LIKE_CAP_WITH_TEXT`` (a sequel's z of 15 would outweigh any words), and the nearest
    ``TEXT_POOL`` films reordered by the words' match (``f_lm``, if any), standardised
    among them: against the whole catalog every film near Inception is about as far from
    "heist"."""
    capped = np.minimum(like, LIKE_CAP_WITH_TEXT)
    return _lift_best(capped, like, f_lm, TEXT_WITH_REFERENCE_SHARE) if f_lm is not None else capped


def _toned(score: np.ndarray, tone: np.ndarray) -> np.ndarray:
    """``score`` with its best ``TEXT_POOL`` films reordered toward a tone ("lighter") at
    ``TONE_SHARE``. Only among the best, so a lighter list of thrillers is still one of
    known thrillers (over the whole genre the lean led with Coraline and Smilla's Sense
    of Snow)."""
    return _lift_best(score, score, tone, TONE_SHARE)


def _lift_best(score: np.ndarray, by: np.ndarray, signal: np.ndarray, share: float) -> np.ndarray:
    """A copy of ``score`` where the best ``TEXT_POOL`` items by ``by`` gain ``share`` times
    ``signal`` standardised among them (and capped): a reordering of those few."""
    pool = _top(by, TEXT_POOL)
    out = score.copy()
    out[pool] += share * _capped(standardize(signal[pool]))
    return out


def _capped(z: np.ndarray) -> np.ndarray:
    return np.minimum(z, SEMANTIC_Z_CAP)


def _best_liked(rated: Mapping[int, float], catalog: Catalog) -> np.ndarray:
    liked = sorted(((s, i) for i, s in rated.items() if s >= LIKED), reverse=True)
    return catalog.indices(i for _, i in liked[:MAX_EXPLAINING_ITEMS])


def _top(score: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` best scores, best first."""
    n = min(n, score.shape[0])
    part = np.argpartition(-score, n - 1)[:n] if n < score.shape[0] else np.arange(score.shape[0])
    return part[np.argsort(-score[part], kind="stable")]
