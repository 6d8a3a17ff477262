"""One item-item similarity for "like <title>", "more like #2" and the similar button.

``ItemSimilarity.scores(refs)`` is, per catalog item, a weighted sum of

- content: cosine of the enriched-text embeddings (``recommender.semantic``), cosine of
  idf-weighted keyword sets (TMDB keywords plus MovieLens tags), same director, shared
  cast, genre Jaccard;
- collaborative: co-occurrence in user histories, corrected for popularity (a cosine
  with shrinkage, then scaled by its best value): items rated by the same people *more
  than their popularity explains*, not the blockbusters everybody rated; counted only
  between films that share a genre (when the reference has any), unless the request
  leaves the reference's genres out (``across_genres``: "like Get Out but not horror").

The weights put content first (what the film is like) and co-occurrence second, so the
neighbours of Alien are space horror rather than The Godfather. Measured with ``recbot
eval knowledge`` ("like X" genre overlap). ``explain`` names what a pick shares with the
reference ("same director, space, aliens").
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommender.data.catalog import Catalog

# A rating at or above this counts as a co-occurrence (someone who watched and liked
# both); lower ratings say "watched", which popular items get from everyone.
CO_RATING = 3.5
# Shrinkage of the co-occurrence cosine: pairs seen by few users count for less.
CO_SHRINK = 10.0
# Keywords on more than this share of the catalog ("based on novel") carry little.
MAX_KEYWORD_SHARE = 0.05
MAX_EXPLAINED_KEYWORDS = 2
# Similarity rows kept per reference item ("more like #2" and paging ask again).
CACHE_SIZE = 256


@dataclass(frozen=True)
class SimilarityWeights:
    """Weights of the terms of ``ItemSimilarity.scores`` (all terms are about 0..1)."""

    embedding: float = 1.0
    keywords: float = 0.6
    director: float = 0.25
    cast: float = 0.2
    # The genre Jaccard is the weakest evidence and the one every obscure film of the
    # same genre set gets in full: at 0.8 "like The Silence of the Lambs" was Hannibal,
    # Henry, Saw IV, Saw V, FearDotCom (3-5 ratings each); at 0.5 Red Dragon, Pulp
    # Fiction and Hannibal Rising come in. ReDial Recall@5 (`recbot eval conversations`,
    # chosen on the tune half; 0.8 / 0.6 / 0.5 / 0.4: 0.094 / 0.094 / 0.098 / 0.097)
    # and on the held-out check half 0.102 -> 0.109; `recbot eval knowledge` like-X genre
    # share 0.975 -> 0.93 (goal 0.90): fewer picks share X's exact genre set.
    genres: float = 0.5
    co_occurrence: float = 0.5


class ItemSimilarity:
    """Item-item similarity over one catalog (see the module docstring).

    ``item_vectors``: unit rows of the item embeddings; ``interactions``: a users x
    items star-rating matrix (None: no collaborative term).
    """

    def __init__(
        self,
        catalog: Catalog,
        item_vectors: np.ndarray,
        interactions: sp.csr_matrix | None = None,
        weights: SimilarityWeights | None = None,
    ) -> None:
        self.catalog = catalog
        self.vectors = np.ascontiguousarray(item_vectors, dtype=np.float32)
        self.weights = weights or SimilarityWeights()
        n = catalog.n_items
        topics = [_topics(catalog, i) for i in range(n)]
        self._keywords, self._vocab, self._idf = _idf_matrix(topics, n)
        self._topics = topics
        self._directors = _incidence(catalog.directors, n)
        self._cast = _incidence(catalog.cast, n)
        genres = sorted({g for gs in catalog.genres for g in gs})
        self._genres = _incidence(catalog.genres, n, vocab=genres)
        self._genre_count = np.asarray(self._genres.sum(axis=1)).ravel()
        # Transposes (feature x item, CSR): one item's row times them is a few row sums.
        self._t = {id(m): sp.csr_matrix(m.T) for m in (self._keywords, self._directors,
                                                       self._cast, self._genres)}  # fmt: skip
        self._liked: sp.csr_matrix | None = None
        if interactions is not None and interactions.shape[1] == n:
            liked = sp.csr_matrix((interactions >= CO_RATING).astype(np.float32))
            self._liked = liked
            self._liked_by = sp.csr_matrix(liked.T)  # items x users
            self._co_count = np.asarray(liked.sum(axis=0)).ravel()
        self._cache: OrderedDict[tuple[int, bool], np.ndarray] = OrderedDict()

    def scores(self, refs: Sequence[int] | np.ndarray, *, across_genres: bool = False) -> np.ndarray:
        """Similarity of every item to the reference item indices (mean over refs);
        the references themselves score -inf. ``across_genres``: co-occurrence counts
        between films of different genres too (for a request that excludes the
        reference's genres, where no candidate shares one and only the text is left)."""
        refs = np.asarray(refs, dtype=np.int64)
        n = self.catalog.n_items
        if not refs.size:
            return np.zeros(n, np.float32)
        total = np.zeros(n, np.float32)
        for r in refs:
            total += self._cached(int(r), across_genres)
        total /= refs.size
        total[refs] = -np.inf
        return total

    def explain(self, ref: int, idx: int) -> list[str]:
        """What item ``idx`` shares with ``ref``: "same director", "also with Sigourney
        Weaver", rare shared keywords; the shared genres when nothing more specific."""
        cat = self.catalog
        parts: list[str] = []
        if set(cat.directors[ref]) & set(cat.directors[idx]):
            parts.append("same director")
        shared_cast = [p for p in cat.cast[ref] if p in set(cat.cast[idx])]
        if shared_cast:
            parts.append(f"also with {shared_cast[0]}")
        shared = set(self._topics[ref]) & set(self._topics[idx])
        rare = sorted((k for k in shared if k in self._vocab),
                      key=lambda k: -self._idf[self._vocab[k]])  # fmt: skip
        parts.extend(rare[:MAX_EXPLAINED_KEYWORDS])
        if not parts:
            genres = [g for g in cat.genres[ref] if g in set(cat.genres[idx])]
            parts.extend(genres[:2])
        return parts

    def _cached(self, r: int, across_genres: bool = False) -> np.ndarray:
        key = (r, across_genres)
        row = self._cache.get(key)
        if row is None:
            row = self._cache[key] = self._one(r, across_genres)
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return row

    def _one(self, r: int, across_genres: bool = False) -> np.ndarray:
        w = self.weights
        score = w.embedding * (self.vectors @ self.vectors[r])
        score += w.keywords * self._dot(self._keywords, r)
        if self._directors[r].nnz:
            score += w.director * (self._dot(self._directors, r) > 0)
        if self._cast[r].nnz:
            score += w.cast * np.minimum(self._dot(self._cast, r) / 2.0, 1.0)  # two shared: full
        shares_genre = np.ones(score.shape, bool)
        if self._genre_count[r]:
            inter = self._dot(self._genres, r)
            union = self._genre_count + self._genre_count[r] - inter
            score += w.genres * np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
            shares_genre = (inter > 0) | across_genres
        if self._liked is not None and self._co_count[r]:
            users = self._liked_by.indices[self._liked_by.indptr[r] : self._liked_by.indptr[r + 1]]
            co = np.asarray(self._liked[users].sum(axis=0), dtype=np.float32).ravel()
            cos = co / (np.sqrt(self._co_count * self._co_count[r]) + CO_SHRINK)
            cos[r] = 0.0
            top = float(cos.max())
            if top > 0:
                # Only between films that share a genre: co-ratings across genres say who
                # rated recent films, not what is alike (Guardians of the Galaxy 2 came
                # second for "like Get Out", sharing nothing with it but its year).
                score += w.co_occurrence * np.where(shares_genre, cos, 0.0) / top
        return score.astype(np.float32, copy=False)

    def _dot(self, matrix: sp.csr_matrix, r: int) -> np.ndarray:
        """Row ``r`` of ``matrix`` dotted with every row: dense, float32."""
        lo, hi = matrix.indptr[r], matrix.indptr[r + 1]
        if lo == hi:
            return np.zeros(matrix.shape[0], np.float32)
        rows = self._t[id(matrix)][matrix.indices[lo:hi]]
        return np.asarray(rows.T @ matrix.data[lo:hi], dtype=np.float32).ravel()


def _topics(catalog: Catalog, idx: int) -> tuple[str, ...]:
    """Lower-cased TMDB keywords and MovieLens tags of an item, distinct."""
    words = [*catalog.keywords[idx], *catalog.tags[idx]]
    return tuple(dict.fromkeys(w.strip().lower() for w in words if w.strip()))


def _idf_matrix(topics: list[tuple[str, ...]], n: int) -> tuple[sp.csr_matrix, dict[str, int], np.ndarray]:
    """Rows: idf-weighted, L2-normalised topic sets; topics on too many items dropped."""
    df: dict[str, int] = {}
    for ts in topics:
        for t in ts:
            df[t] = df.get(t, 0) + 1
    limit = max(2, int(MAX_KEYWORD_SHARE * n))
    vocab = {t: k for k, t in enumerate(sorted(t for t, c in df.items() if 2 <= c <= limit))}
    idf = np.zeros(len(vocab), np.float32)
    for t, k in vocab.items():
        idf[k] = math.log(n / df[t])
    rows, cols, vals = [], [], []
    for i, ts in enumerate(topics):
        ks = [vocab[t] for t in ts if t in vocab]
        if not ks:
            continue
        norm = math.sqrt(sum(float(idf[k]) ** 2 for k in ks))
        for k in ks:
            rows.append(i)
            cols.append(k)
            vals.append(float(idf[k]) / norm)
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float32)
    return matrix, vocab, idf


def _incidence(lists: Sequence[Sequence[str]], n: int, vocab: list[str] | None = None) -> sp.csr_matrix:
    index = {v: k for k, v in enumerate(vocab)} if vocab is not None else {}
    rows, cols = [], []
    for i, names in enumerate(lists):
        for name in names:
            if vocab is None:
                index.setdefault(name, len(index))
            k = index.get(name)
            if k is not None:
                rows.append(i)
                cols.append(k)
    return sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)),
                         shape=(n, max(len(index), 1)))  # fmt: skip
