"""Semantic scorer: item texts, the on-disk embedding cache, cosine scores.

Unit tests use a counting fake encoder; the slow test embeds the most-rated
ml-latest-small items with the real MiniLM and checks that "space adventure" ranks
science fiction first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from recommender.data.catalog import Catalog
from recommender.semantic import item_embeddings, item_text, semantic_scores
from tests.data_paths import require_movielens
from tests.nlp_support import make_catalog


class CountingEncoder:
    """Deterministic pseudo-embeddings from a text hash; counts how many texts it saw."""

    def __init__(self, model_id: str = "fake-1", dim: int = 8) -> None:
        self.model_id, self.dim, self.seen = model_id, dim, 0

    def encode(
        self, texts: Sequence[str], batch_size: int = 64, show_progress: bool = False
    ) -> np.ndarray:
        self.seen += len(texts)
        rows = []
        for t in texts:
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:4], "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            rows.append(v / np.linalg.norm(v))
        return np.stack(rows)


def test_item_text_has_title_year_genres_tags_people() -> None:
    catalog = make_catalog()
    idx = catalog.index(10)
    catalog.tags[idx] = ("space", "scary", "Space", "ridley scott")
    catalog.people[idx] = ("Sigourney Weaver",)
    text = item_text(catalog, idx)
    assert text.startswith("Alien (1979).")
    assert "Genres: Horror, Sci-Fi" in text
    assert "Tags: space, scary, ridley scott" in text  # duplicates folded, most frequent first
    assert "Sigourney Weaver" in text


def test_item_text_without_optional_columns() -> None:
    catalog = Catalog(
        item_ids=np.array([7]), raw_titles=["X (2000)"], titles=["X"],
        years=np.array([0], np.int32), genres=[("(no genres listed)",)],
    )  # fmt: skip
    assert item_text(catalog, 0) == "X."


def test_embeddings_are_computed_once_and_cached(tmp_path: Path) -> None:
    catalog = make_catalog()
    enc = CountingEncoder()
    first = item_embeddings(catalog, enc, tmp_path, "fp-1", show_progress=False)
    assert first.shape == (len(catalog), enc.dim) and first.dtype == np.float32
    assert enc.seen == len(catalog)
    again = item_embeddings(catalog, enc, tmp_path, "fp-1", show_progress=False)
    assert enc.seen == len(catalog)  # served from disk
    assert np.array_equal(first, again)
    assert not list(tmp_path.glob("*.tmp"))


def test_new_catalog_or_model_does_not_reuse_the_cache(tmp_path: Path) -> None:
    catalog = make_catalog()
    enc = CountingEncoder()
    item_embeddings(catalog, enc, tmp_path, "fp-1", show_progress=False)
    item_embeddings(catalog, enc, tmp_path, "fp-2", show_progress=False)
    assert enc.seen == 2 * len(catalog)
    other = CountingEncoder(model_id="fake-2")
    item_embeddings(catalog, other, tmp_path, "fp-1", show_progress=False)
    assert other.seen == len(catalog)


def test_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    catalog = make_catalog()
    enc = CountingEncoder()
    item_embeddings(catalog, enc, tmp_path, "fp", show_progress=False)
    (cache,) = tmp_path.glob("*.npy")
    cache.write_bytes(b"not a numpy file")
    vectors = item_embeddings(catalog, enc, tmp_path, "fp", show_progress=False)
    assert vectors.shape == (len(catalog), enc.dim) and enc.seen == 2 * len(catalog)


def test_semantic_scores_are_cosines() -> None:
    items = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0], [0.0, 0.0]], np.float32)
    scores = semantic_scores(np.array([3.0, 0.0]), items)
    assert np.allclose(scores, [1.0, 0.0, np.sqrt(0.5), 0.0], atol=1e-6)
    assert np.all(semantic_scores(np.zeros(2), items) == 0)
    assert semantic_scores(np.ones(2), np.zeros((0, 2))).shape == (0,)


@pytest.mark.slow
def test_space_adventure_ranks_sci_fi_high(tmp_path: Path) -> None:
    import torch

    from recommender.data.loaders import load_dataset
    from recommender.nlp.backbone import default_backbone_dir
    from recommender.nlp.encoder import SentenceEncoder

    data = require_movielens()
    torch.set_num_threads(2)
    full = load_dataset(data).catalog
    keep = np.argsort(-full.rating_count)[:400]  # the 400 most-rated films keep it quick
    catalog = Catalog(
        item_ids=full.item_ids[keep], raw_titles=[full.raw_titles[i] for i in keep],
        titles=[full.titles[i] for i in keep], years=full.years[keep],
        genres=[full.genres[i] for i in keep], tags=[full.tags[i] for i in keep],
        rating_count=full.rating_count[keep],
    )  # fmt: skip
    enc = SentenceEncoder(default_backbone_dir())
    vectors = item_embeddings(catalog, enc, tmp_path, "top400", show_progress=False)
    scores = semantic_scores(enc.encode(["space adventure"])[0], vectors)
    top = np.argsort(-scores)[:10]
    scifi_top = np.mean(["Sci-Fi" in catalog.genres[i] for i in top])
    scifi_all = np.mean(["Sci-Fi" in g for g in catalog.genres])
    assert scifi_top >= 0.7, [catalog.label(i) for i in top]
    assert scifi_top > 2 * scifi_all
