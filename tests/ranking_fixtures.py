"""A tiny hand-made catalog, a transparent item-item CF model and fake NLP parts.

Shared by the ranking and engine unit tests: everything is small enough to reason
about by hand, and nothing loads real weights.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp

from recommender.cf.base import Recommender
from recommender.data.catalog import Catalog
from recommender.engine import Engine
from recommender.nlp.query import Query

# id, title, year, genres, mean rating, rating count
ITEMS = [
    (1, "Alien", 1979, ("Horror", "Sci-Fi"), 4.1, 120),
    (2, "Aliens", 1986, ("Action", "Horror", "Sci-Fi"), 4.0, 110),
    (3, "Star Wars", 1977, ("Action", "Adventure", "Sci-Fi"), 4.3, 250),
    (4, "The Empire Strikes Back", 1980, ("Action", "Adventure", "Sci-Fi"), 4.2, 220),
    (5, "Return of the Jedi", 1983, ("Action", "Adventure", "Sci-Fi"), 4.0, 200),
    (6, "Blade Runner", 1982, ("Sci-Fi", "Thriller"), 4.1, 150),
    (7, "Notting Hill", 1999, ("Comedy", "Romance"), 3.6, 80),
    (8, "Love Actually", 2003, ("Comedy", "Drama", "Romance"), 3.5, 70),
    (9, "The Shining", 1980, ("Horror",), 4.0, 130),
    (10, "Toy Story", 1995, ("Animation", "Children", "Comedy"), 3.9, 215),
    (11, "Obscure Gem", 1985, ("Sci-Fi",), 5.0, 2),
    (12, "Unknown Year", 0, ("Drama",), 3.0, 5),
]

# Item "topics" for the fake embeddings: 0 = space saga, 1 = alien horror, 2 = romance,
# 3 = family, 4 = dystopia, 5 = horror
TOPIC = {1: 1, 2: 1, 3: 0, 4: 0, 5: 0, 6: 4, 7: 2, 8: 2, 9: 5, 10: 3, 11: 4, 12: 2}
WORDS = {"space": 0, "saga": 0, "alien": 1, "romance": 2, "love": 2, "family": 3,
         "dystopia": 4, "scary": 5, "horror": 5, "sci-fi": 0}


def make_catalog() -> Catalog:
    ids = np.array([i[0] for i in ITEMS], dtype=np.int64)
    mean = np.array([i[4] for i in ITEMS], dtype=np.float32)
    count = np.array([i[5] for i in ITEMS], dtype=np.int32)
    quality = ((10 * 3.5 + mean * count) / (10 + count)).astype(np.float32)
    return Catalog(
        item_ids=ids,
        raw_titles=[i[1] for i in ITEMS],
        titles=[i[1] for i in ITEMS],
        years=np.array([i[2] for i in ITEMS], dtype=np.int32),
        genres=[i[3] for i in ITEMS],
        rating_count=count,
        rating_mean=mean,
        quality=quality,
    )


def item_vectors(noise: float = 0.05, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = np.zeros((len(ITEMS), 8), np.float32)
    for row, (item_id, *_rest) in enumerate(ITEMS):
        v[row, TOPIC[item_id]] = 1.0
    v += noise * rng.standard_normal(v.shape).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


class ItemItemModel(Recommender):
    """score = history @ S for a fixed item-item matrix S (a hand-made EASE)."""

    name = "item-item-test"

    def __init__(self, sim: np.ndarray) -> None:
        self.sim = sim.astype(np.float32)
        self.calls = 0

    def fit(self, ratings: sp.csr_matrix, *, show_progress: bool = False) -> ItemItemModel:
        return self

    def score(self, history: sp.csr_matrix) -> np.ndarray:
        self.calls += 1
        return np.asarray(history @ self.sim, dtype=np.float32)

    def similar_items(self, item, k=10, *, items=None):  # pragma: no cover - unused
        raise NotImplementedError

    def save(self, path: Path) -> None:  # pragma: no cover - unused
        raise NotImplementedError

    @classmethod
    def load(cls, path: Path) -> ItemItemModel:  # pragma: no cover - unused
        raise NotImplementedError


def topic_model() -> ItemItemModel:
    """Items of the same topic are similar; Star Wars fans also like Blade Runner."""
    n = len(ITEMS)
    sim = np.zeros((n, n), np.float32)
    for a in range(n):
        for b in range(n):
            if a != b and TOPIC[ITEMS[a][0]] == TOPIC[ITEMS[b][0]]:
                sim[a, b] = 1.0
    sim[2, 5] = sim[3, 5] = sim[4, 5] = 0.8  # saga -> Blade Runner
    return ItemItemModel(sim)


class WordEncoder:
    """Encodes text as a bag of topic words, in the space of ``item_vectors``."""

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts, batch_size: int = 64, show_progress: bool = False) -> np.ndarray:
        self.calls += len(texts)
        out = np.full((len(texts), 8), 1e-3, np.float32)
        for n, text in enumerate(texts):
            for word in text.lower().split():
                if word in WORDS:
                    out[n, WORDS[word]] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


class FixedParser:
    """Returns a canned Query per text (the real parser is tested elsewhere)."""

    def __init__(self, queries: dict[str, Query]) -> None:
        self.queries = queries

    def parse(self, text: str, entities) -> Query:
        return self.queries.get(text, Query(text=text))


class NoTagger:
    def tag(self, text: str) -> list:
        return []


def make_engine(alpha: float | None = None, queries: dict[str, Query] | None = None) -> Engine:
    return Engine(
        make_catalog(), topic_model(), item_vectors(), WordEncoder(), NoTagger(),
        FixedParser(queries or {}), alpha=alpha,
    )
