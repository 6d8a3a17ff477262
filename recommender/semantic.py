"""The semantic score f_LM: sentence embeddings of item texts against the query text.

Each item is described by one text (title, year, genres, director and cast, keywords,
tags, overview), embedded once with the sentence encoder and cached on disk as
``.npy``: topic requests ("a heist in space", "about a shark") then meet what a film is
about, not only its title and the tags MovieLens users happened to give it. The
cache file name carries the catalog fingerprint and the encoder's model id, so a new
catalog or model never reads stale vectors. Scores are cosines (rows are unit length).
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from recommender.data.catalog import Catalog

logger = logging.getLogger(__name__)

MAX_TAGS = 20  # the most-frequent tags are enough; more only dilutes the text
MAX_PEOPLE = 6
MAX_KEYWORDS = 12
# The encoder reads 256 word pieces (encoder.DEFAULT_MAX_LENGTH); the short facts come first so a long
# overview is what gets cut.
MAX_DESCRIPTION_CHARS = 600


class TextEncoder(Protocol):
    """The core's one notion of a sentence encoder (``nlp.encoder.SentenceEncoder`` is it).

    ``encode`` returns float32 L2-normalised rows, one per text; ``model_id`` names the
    model and its precision (cache keys); ``dim`` is the row width. ``item_embeddings``
    takes one; the query parser's genre vectors and free-text match use only ``encode``.
    """

    model_id: str
    dim: int

    def encode(
        self, texts: Sequence[str], batch_size: int = 64, show_progress: bool = False
    ) -> np.ndarray: ...


def item_text(catalog: Catalog, idx: int) -> str:
    """One descriptive sentence-ish text for item ``idx`` (matrix column order).

    ``"Alien (1979). Genres: Horror, Sci-Fi. Directed by Ridley Scott. With Sigourney
    Weaver, Tom Skerritt. Keywords: android, space. Tags: space, scary. <overview>."``;
    parts the catalog does not have are left out. Names without a known role follow
    as "People: ...".
    """
    parts = [catalog.label(idx)]
    genres = [g for g in catalog.genres[idx] if not g.startswith("(")]  # "(no genres listed)"
    if genres:
        parts.append("Genres: " + ", ".join(genres))
    if catalog.directors[idx]:
        parts.append("Directed by " + ", ".join(catalog.directors[idx][:2]))
    if catalog.cast[idx]:
        parts.append("With " + ", ".join(catalog.cast[idx][:MAX_PEOPLE]))
    keywords = _unique(catalog.keywords[idx])[:MAX_KEYWORDS]
    if keywords:
        parts.append("Keywords: " + ", ".join(keywords))
    tags = _unique(catalog.tags[idx])[:MAX_TAGS]
    if tags:
        parts.append("Tags: " + ", ".join(tags))
    description = catalog.descriptions[idx].strip()
    if description:
        parts.append(description[:MAX_DESCRIPTION_CHARS])
    people = list(catalog.people[idx])[:MAX_PEOPLE]
    if people:
        parts.append("People: " + ", ".join(people))
    return ". ".join(p.rstrip(". ") for p in parts) + "."


def item_embeddings(
    catalog: Catalog,
    encoder: TextEncoder,
    cache_dir: Path,
    fingerprint: str,
    batch_size: int = 64,
    show_progress: bool = True,
) -> np.ndarray:
    """``(n_items, dim)`` float32 unit rows, in matrix-column order; cached on disk.

    The cache file is ``items-<fingerprint>-<model_id>.npy`` under ``cache_dir``; it is
    reused only when its shape matches the catalog. Written atomically (temp file then
    rename), so an interrupted build never leaves a truncated cache behind.
    """
    cache_dir = Path(cache_dir)
    path = cache_dir / f"items-{_safe(fingerprint)[:24]}-{_safe(encoder.model_id)}.npy"
    if path.is_file():
        try:
            vectors = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            logger.warning("item embedding cache %s unreadable (%s); rebuilding", path, exc)
        else:
            if vectors.shape == (len(catalog), encoder.dim):
                return vectors.astype(np.float32, copy=False)
            logger.warning("item embedding cache %s has shape %s; rebuilding", path, vectors.shape)
    texts = [item_text(catalog, i) for i in range(len(catalog))]
    started = time.perf_counter()
    vectors = encoder.encode(texts, batch_size=batch_size, show_progress=show_progress)
    vectors = np.asarray(vectors, dtype=np.float32)
    logger.info("embedded %d items in %.1fs", len(texts), time.perf_counter() - started)
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".npy.tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, vectors, allow_pickle=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return vectors


def semantic_scores(query_vec: np.ndarray, item_vectors: np.ndarray) -> np.ndarray:
    """Cosine similarity of one query vector to every item row (float32, -1..1).

    Rows need not be normalised beforehand; a zero query (or zero row) scores 0.
    """
    q = np.asarray(query_vec, dtype=np.float32).reshape(-1)
    items = np.asarray(item_vectors, dtype=np.float32)
    q_norm = float(np.linalg.norm(q))
    if items.size == 0 or q_norm == 0.0:
        return np.zeros(items.shape[0], dtype=np.float32)
    row_norms = np.linalg.norm(items, axis=1)
    row_norms[row_norms == 0] = 1.0
    return ((items @ q) / (row_norms * q_norm)).astype(np.float32)


def _unique(values: Sequence[str]) -> list[str]:
    """Distinct values, case-insensitively, most frequent first (ties: first seen)."""
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for v in values:
        key = v.strip().lower()
        if key:
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, v.strip())
    order = sorted(counts, key=lambda k: -counts[k])  # stable: ties keep first-seen order
    return [first[k] for k in order]


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)
