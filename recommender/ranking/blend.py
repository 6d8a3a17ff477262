"""The blend: ``score = alpha·f_LM + (1 − alpha)·f_CF + w·prior`` over the candidates.

Every term is standardised over the candidates of this request (``normalize``), so the
weights mean the same for every query. ``f_LM`` is the semantic match of the query's
free text and reference items to each item, plus the user's content profile (similarity
to the centroid of their liked items); ``f_CF`` the collaborative score from the user's
history (and the item-item similarity to reference items); the prior is popularity now
(log rating rate) with quality as a floor, or quality first for "highly rated".

``DEFAULT_ALPHA`` was chosen with ``recbot eval dialogue`` on ml-latest-small (604 test
users, 6172 "<genre> movies" requests, rating-aware EASE): NDCG@10 by alpha 0.0 0.4081,
0.1 0.4102, 0.2 0.4112 (best), 0.3 0.4102, 0.4 0.4059, 0.5 0.392, 0.7 0.2785, 1.0 0.0412.
``Settings.alpha`` / ``RECBOT_ALPHA`` overrides it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommender.data.catalog import Catalog
from recommender.ranking.normalize import standardize

# Chosen by `recbot eval dialogue` (NDCG@10 vs alpha on the protocol split).
DEFAULT_ALPHA = 0.2
# Weight of the quality/popularity prior against the unit-weight blend: a tie-breaker.
# `recbot eval dialogue` with the rating-aware EASE: 0.05 costs at most 0.002 NDCG@10
# (the CF model already knows popularity) and keeps obscure items off the top.
PRIOR_WEIGHT = 0.05
# With no personal history the prior is what stands in for taste.
COLD_START_PRIOR_WEIGHT = 0.5
# "Highly rated" / "the best" without a number: lean on quality instead of filtering.
QUALITY_INTENT_PRIOR_WEIGHT = 0.6
# The default prior is popularity ("popular now": log of the rating rate,
# ``stats.rating_rate``) with quality as a floor: only a low Bayesian rating pulls an
# item down. Quality added in full dominated it instead, because Bayesian averages sit
# close together (their robust z-scores reach 10 for a few classics while the rate's
# top out at 5): the list was the all-time canon, not what people watch and name now.
# The floor is in stars, not in z-units: the robust z of the quality saturates at -3
# already at 3.4 stars, so a z floor gave a recent film with a few middling ratings
# (It 2017 at 3.42, A Quiet Place at 3.29) or a well-loved comedy (Ace Ventura, 3.07)
# the same full penalty as a flop (Batman v Superman, 2.79).
QUALITY_FLOOR_STARS = 3.25
# Penalty per star below the floor, in popularity z-units.
QUALITY_FLOOR_SLOPE = 2.0
# "Highly rated" / "the best": quality leads, popularity breaks ties between equals.
QUALITY_INTENT_POPULARITY_SHARE = 0.25
# "Hidden gems": quality leads and the number of ratings counts against a film at this
# share (both as percentiles, ``_gem_prior``), so the well-rated that fewer people know
# come first: Memories of Murder, Yi Yi, In the Loop for the 2000s, not The Departed and
# The Dark Knight. Films with fewer ratings than GEM_MIN_RATINGS come last: their
# Bayesian average says little (Children of the Corn IV: 3 ratings, 4.7 stars). At 0.7
# and 1.0 the lists were the same films in another order, with more five-rating ones.
GEM_POPULARITY_SHARE = 0.5
GEM_MIN_RATINGS = 5
# ``confident``: the rate times ``1 - CONFIDENT_RATE_SD / sqrt(count)``, i.e. the count
# less this many Poisson standard deviations: one rating vouches for nothing (0), four
# for half, a hundred for 90 %. Only for topics and windows that end in the past
# (``Engine._prior_for``): on ReDial's genre and "like X"
# lists the plain rate's recent few-rating films are what the humans suggest (with it
# everywhere Recall@5 fell from 0.111 to 0.094 on the tune half).
CONFIDENT_RATE_SD = 1.0
# A film rated fewer times than this has no rate of its own (popularity 0): one rating in
# the data's last months is a rate level with a classic's, and stand-up specials rated
# once (Jeff Ross Roasts Criminals, Craig Ferguson: I'm Here To Help) led "a funny
# documentary" after Super Size Me, The Purple Sea (one rating) was second of "a drama".
# ReDial all 500, Recall@1/5/10: 0.0286/0.1151/0.1594 -> 0.0279/0.1179/0.1594.
MIN_RATINGS_FOR_RATE = 2
# Weight of the user's content profile (similarity to liked items) inside f_LM, next to
# the unit-weight match of the query text.
PROFILE_SHARE = 0.5
# MMR trade-off: 0 = plain top-k by score, 1 = only diversity. 0.1 is enough to break
# up runs of sequels and cost about 0.001 NDCG@10 in `recbot eval dialogue`.
DIVERSITY = 0.1


@dataclass(frozen=True)
class BlendWeights:
    """The knobs of one ranking: ``alpha`` (semantic vs CF), prior weight, diversity.

    ``prior=None`` picks the default for the situation (cold start, quality intent).
    """

    alpha: float = DEFAULT_ALPHA
    prior: float | None = None
    diversity: float = DIVERSITY


def prior_scores(catalog: Catalog, *, quality_intent: bool = False, obscure: bool = False,
                 confident: bool = False) -> np.ndarray:
    """Static prior per catalog item (raw; standardised per request).

    Default: popularity, "popular now" (``Catalog.rating_rate``: ratings per year since
    an item's first rating, not the all-time count, which ranks the classics everyone
    has rated over the years above what people watch and talk about now; 0 below
    ``MIN_RATINGS_FOR_RATE`` ratings), minus
    ``QUALITY_FLOOR_SLOPE`` per star its Bayesian rating lies below
    ``QUALITY_FLOOR_STARS``. ``quality_intent``
    ("highly rated"): the Bayesian-average rating, popularity a tie-breaker. ``obscure``
    ("hidden gems"): the Bayesian-average rating's percentile minus
    ``GEM_POPULARITY_SHARE`` of the rating count's, films with fewer than
    ``GEM_MIN_RATINGS`` ratings last (``_gem_prior``). ``confident``: popularity from the
    rate as far as the rating count vouches for it (``CONFIDENT_RATE_SD``).
    """
    n = catalog.n_items
    stars = np.asarray(catalog.quality, dtype=np.float32)
    if obscure:
        return _gem_prior(stars, np.asarray(catalog.rating_count, np.float32))
    counts = np.asarray(catalog.rating_count, np.float32)
    rate = np.where(counts < MIN_RATINGS_FOR_RATE, 0.0, np.asarray(catalog.rating_rate, np.float32))
    if confident:
        rate = rate * np.maximum(1.0 - CONFIDENT_RATE_SD / np.sqrt(np.maximum(counts, 1.0)), 0.0)
    popularity = standardize(np.log1p(rate), top_m=n)
    if quality_intent:
        quality = standardize(stars, top_m=n)
        return (quality + QUALITY_INTENT_POPULARITY_SHARE * popularity).astype(np.float32)
    below = np.maximum(QUALITY_FLOOR_STARS - stars, 0.0)
    return (popularity - QUALITY_FLOOR_SLOPE * below).astype(np.float32)


def _gem_prior(stars: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Quality percentile minus ``GEM_POPULARITY_SHARE`` of the rating-count percentile,
    among the films with ``GEM_MIN_RATINGS`` or more ratings; the others last.

    Percentiles, not z-scores: the robust z of the Bayesian average reaches 10 for a few
    classics, which no popularity penalty in z-units outweighed (The Departed and The
    Dark Knight led "underrated gems from the 2000s").
    """
    rated = counts >= GEM_MIN_RATINGS
    out = np.full(stars.shape, -2.0, np.float32)
    if rated.any():
        out[rated] = _percentile(stars[rated]) - GEM_POPULARITY_SHARE * _percentile(counts[rated])
    return out


def _percentile(values: np.ndarray) -> np.ndarray:
    """Rank of each value in ``values`` scaled to 0..1 (ties share the lowest rank)."""
    order = np.sort(values)
    return (np.searchsorted(order, values, side="left") / max(len(values) - 1, 1)).astype(np.float32)


def prior_weight(weights: BlendWeights, *, cold_start: bool, quality_intent: bool) -> float:
    """The prior weight to use: explicit, else the default for the situation."""
    if weights.prior is not None:
        return weights.prior
    if quality_intent:
        return QUALITY_INTENT_PRIOR_WEIGHT
    return COLD_START_PRIOR_WEIGHT if cold_start else PRIOR_WEIGHT


def semantic_term(
    f_query: np.ndarray | None, f_profile: np.ndarray | None, share: float = PROFILE_SHARE
) -> np.ndarray | None:
    """f_LM: the query's semantic match plus ``share`` of the content-profile match.

    Either part may be missing (no text; no liked items); both missing gives None.
    """
    if f_query is None or f_profile is None:
        return f_query if f_profile is None else f_profile
    return (standardize(f_query) + share * standardize(f_profile)).astype(np.float32)


def blend(
    f_lm: np.ndarray | None,
    f_cf: np.ndarray | None,
    prior: np.ndarray,
    alpha: float,
    w_prior: float,
    prior_among: np.ndarray | None = None,
) -> np.ndarray:
    """Blended score per candidate; every input is raw, over the same candidates.

    A missing term (``None``: no query text, no history) drops out and the other one
    takes the whole unit weight, so a cold-start user is ranked by semantic match plus
    prior rather than by a scaled-down copy of it.
    """
    score = w_prior * standardize(prior, among=prior_among)
    if f_lm is not None and f_cf is not None:
        score += alpha * standardize(f_lm) + (1.0 - alpha) * standardize(f_cf)
    elif f_lm is not None:
        score += standardize(f_lm)
    elif f_cf is not None:
        score += standardize(f_cf)
    return score.astype(np.float32, copy=False)
