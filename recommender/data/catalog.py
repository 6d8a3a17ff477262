"""The item catalog and the ratings table: the two data structures everything shares.

Items are addressed two ways: ``item_id`` (the catalog id from the data files, stable,
what Redis and the outside world see) and the *item index* (0..n_items-1, the column
of the user-item matrix, what models use). ``Catalog.index`` / ``Catalog.item_ids``
convert between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Ratings:
    """A ratings table as parallel arrays (one row per rating).

    ``users`` and ``items`` hold *ids* (``user_id``, ``item_id``), not indices.
    """

    users: np.ndarray  # int64
    items: np.ndarray  # int64
    ratings: np.ndarray  # float32, 0.5..5 stars
    timestamps: np.ndarray  # int64, unix seconds (0 when unknown)

    def __len__(self) -> int:
        return int(self.users.shape[0])


@dataclass
class Catalog:
    """All items with their metadata and rating statistics, in matrix-column order.

    ``titles`` are display titles ("The Matrix"); ``raw_titles`` keep the original text
    ("Matrix, The (1999)"). ``years`` is 0 where unknown. ``quality`` is the Bayesian
    average rating (shrunk towards the global mean), ``rating_mean`` the plain mean
    (0 when unrated), ``rating_count`` the number of ratings, ``rating_rate`` its
    ratings per year since its first rating (``stats.rating_rate``: "popular now";
    the plain count when not given).

    Knowledge from the optional ``items_meta.csv`` (``recommender.data.meta``):
    ``directors`` and ``cast`` (names, role known), ``keywords`` (topics such as "time
    travel"), ``poster_urls``, ``languages`` and ``runtimes`` (None = unknown).
    ``people`` holds names whose role the data does not say (the generic layout's
    ``people`` column); ``descriptions`` the layout's description, else the overview.
    """

    item_ids: np.ndarray  # int64, shape (n,)
    raw_titles: list[str]
    titles: list[str]
    years: np.ndarray  # int32, 0 = unknown
    genres: list[tuple[str, ...]]
    tags: list[tuple[str, ...]] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    people: list[tuple[str, ...]] = field(default_factory=list)
    imdb_ids: list[str | None] = field(default_factory=list)
    directors: list[tuple[str, ...]] = field(default_factory=list)
    cast: list[tuple[str, ...]] = field(default_factory=list)
    keywords: list[tuple[str, ...]] = field(default_factory=list)
    poster_urls: list[str | None] = field(default_factory=list)
    languages: list[str | None] = field(default_factory=list)
    runtimes: list[int | None] = field(default_factory=list)
    rating_count: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    rating_mean: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    quality: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    rating_rate: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))

    def __post_init__(self) -> None:
        n = len(self.item_ids)
        # Optional columns default to empty: fill them so every column has n rows.
        if not self.tags:
            self.tags = [()] * n
        if not self.descriptions:
            self.descriptions = [""] * n
        if not self.people:
            self.people = [()] * n
        if not self.imdb_ids:
            self.imdb_ids = [None] * n
        for name in ("directors", "cast", "keywords"):
            if not getattr(self, name):
                setattr(self, name, [()] * n)
        for name in ("poster_urls", "languages", "runtimes"):
            if not getattr(self, name):
                setattr(self, name, [None] * n)
        if len(self.rating_count) == 0:
            self.rating_count = np.zeros(n, np.int32)
        if len(self.rating_mean) == 0:
            self.rating_mean = np.zeros(n, np.float32)
        if len(self.quality) == 0:
            self.quality = np.zeros(n, np.float32)
        if len(self.rating_rate) != n:
            self.rating_rate = np.asarray(self.rating_count, dtype=np.float32)
        self._index = {int(i): k for k, i in enumerate(self.item_ids)}

    def __len__(self) -> int:
        return len(self.item_ids)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    def index(self, item_id: int) -> int:
        """Matrix column of ``item_id``; KeyError if the catalog has no such item."""
        return self._index[int(item_id)]

    def has(self, item_id: int) -> bool:
        return int(item_id) in self._index

    def indices(self, item_ids: Iterable[int]) -> np.ndarray:
        """Columns of the known ``item_ids`` (unknown ids are skipped)."""
        return np.fromiter(
            (self._index[int(i)] for i in item_ids if int(i) in self._index), dtype=np.int64
        )

    def all_genres(self) -> list[str]:
        """Sorted distinct genres that occur in the catalog."""
        return sorted({g for gs in self.genres for g in gs})

    def label(self, idx: int) -> str:
        """"Title (year)" for messages and logs."""
        year = int(self.years[idx])
        return f"{self.titles[idx]} ({year})" if year else self.titles[idx]

    def people_of(self, idx: int) -> tuple[str, ...]:
        """Everyone credited on item ``idx``: directors, cast, then unroled names."""
        return tuple(dict.fromkeys((*self.directors[idx], *self.cast[idx], *self.people[idx])))

    def imdb_url(self, idx: int) -> str | None:
        imdb = self.imdb_ids[idx]
        return f"https://www.imdb.com/title/tt{imdb}/" if imdb else None


@dataclass(frozen=True)
class Dataset:
    """A catalog plus its ratings, as loaded from one data directory."""

    catalog: Catalog
    ratings: Ratings
    layout: str  # "ml-latest-small" | "ml-100k" | "generic"
    source: str  # the directory it was read from
    fingerprint: str  # content hash of the files read: keys caches and artifacts
    # Hash of items_meta.csv ("" without one). Kept apart from ``fingerprint`` so that
    # new plots or posters rebuild the item embeddings only, not the CF model or tagger.
    meta_fingerprint: str = ""
