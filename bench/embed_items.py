"""Time the one-off item-embedding build on ml-latest-small and check it ranks sensibly.

Run by hand: ``.venv/bin/python bench/embed_items.py [DATA_DIR] [--threads 2]``.
Prints the seconds it takes to embed every item (no cache), and the top items and the
Sci-Fi share of the top 20 for a few free-text queries.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from recommender.data.loaders import load_dataset
from recommender.nlp.backbone import default_backbone_dir
from recommender.nlp.encoder import SentenceEncoder
from recommender.semantic import item_embeddings, semantic_scores

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "movielens" / "ml-latest-small"
QUERIES = ("space adventure", "funny animated film for kids", "gritty crime drama", "zombies",
           "a heist in space", "about a shark", "a prison escape movie")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--quantize", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    catalog = load_dataset(args.data).catalog
    encoder = SentenceEncoder(default_backbone_dir(), quantize=args.quantize)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        vectors = item_embeddings(catalog, encoder, Path(tmp), "bench", show_progress=True)
        built = time.perf_counter() - started
        started = time.perf_counter()
        item_embeddings(catalog, encoder, Path(tmp), "bench", show_progress=False)
        cached = time.perf_counter() - started
    print(
        f"items={len(catalog)} threads={args.threads} quantize={args.quantize} "
        f"build_s={built:.1f} cached_load_s={cached:.3f}"
    )
    for query in QUERIES:
        scores = semantic_scores(encoder.encode([query])[0], vectors)
        top = np.argsort(-scores)[:20]
        scifi = np.mean(["Sci-Fi" in catalog.genres[i] for i in top])
        print(
            f"{query!r}: sci-fi share of top 20 = {scifi:.2f}; top 5: "
            + "; ".join(catalog.label(i) for i in top[:5])
        )


if __name__ == "__main__":
    main()
