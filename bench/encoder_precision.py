"""Does int8 hurt the sentence encoder's free-text retrieval? fp32 vs int8, same protocol.

Relevance data for free-text movie queries: MovieLens user tags. Every tag applied to at
least ``--min-items`` movies becomes a query ("dark comedy", "space", "twist ending");
its relevant items are the movies carrying it. Items are embedded WITHOUT their tags
(title, year, genres, people only), so a query can't simply find its own string in the
item text. For each precision the items and the queries are embedded by the same model,
as in the product. Prints NDCG@20 and Recall@50 over the tag queries, the agreement of
the two precisions' top 20, and the time to encode one query (one thread).

    .venv/bin/python bench/encoder_precision.py [DATA_DIR] [--min-items 10] [--json]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recommender.data.catalog import Catalog  # noqa: E402
from recommender.data.loaders import load_dataset  # noqa: E402
from recommender.evaluation.metrics import ndcg_at_k, recall_at_k  # noqa: E402
from recommender.nlp.backbone import default_backbone_dir  # noqa: E402
from recommender.nlp.encoder import SentenceEncoder  # noqa: E402
from recommender.semantic import item_embeddings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "movielens" / "ml-latest-small"


def tag_queries(catalog: Catalog, min_items: int) -> dict[str, list[int]]:
    """Lower-cased tag -> item indices carrying it, for tags on >= ``min_items`` items."""
    carriers: dict[str, set[int]] = {}
    for idx, tags in enumerate(catalog.tags):
        for tag in tags:
            carriers.setdefault(tag.strip().lower(), set()).add(idx)
    return {t: sorted(items) for t, items in sorted(carriers.items()) if len(items) >= min_items}


def evaluate(vectors: np.ndarray, queries: np.ndarray, relevant: list[list[int]]) -> dict[str, float]:
    ndcg, recall, tops = [], [], []
    for q, rel in zip(queries, relevant, strict=True):
        ranked = np.argsort(-(vectors @ q))[:50].tolist()
        ndcg.append(ndcg_at_k(ranked, rel, 20))
        recall.append(recall_at_k(ranked, rel, 50))
        tops.append(ranked[:20])
    return {"ndcg@20": statistics.fmean(ndcg), "recall@50": statistics.fmean(recall), "tops": tops}


def query_ms(encoder: SentenceEncoder, texts: list[str]) -> float:
    times = []
    for text in texts:
        start = time.perf_counter()
        encoder.encode([text])
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--min-items", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2, help="torch threads for the item build")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    catalog = load_dataset(args.data).catalog
    queries = tag_queries(catalog, args.min_items)
    untagged = dataclasses.replace(catalog, tags=[() for _ in range(catalog.n_items)])
    texts, relevant = list(queries), list(queries.values())
    results: dict[str, dict[str, float]] = {}
    tops: dict[str, list[list[int]]] = {}
    for name, quantize in (("fp32", False), ("int8", True)):
        torch.set_num_threads(args.threads)
        encoder = SentenceEncoder(default_backbone_dir(), quantize=quantize)
        with tempfile.TemporaryDirectory() as tmp:
            vectors = item_embeddings(untagged, encoder, Path(tmp), "bench", show_progress=False)
        row = evaluate(vectors, encoder.encode(texts), relevant)
        tops[name] = row.pop("tops")
        torch.set_num_threads(1)
        row["query_ms_p50_1_thread"] = query_ms(encoder, texts)
        results[name] = row
    overlap = statistics.fmean(
        len(set(a) & set(b)) / 20 for a, b in zip(tops["fp32"], tops["int8"], strict=True)
    )
    summary = {"tag_queries": len(texts), "min_items": args.min_items, **results,
               "top20_overlap": overlap}
    if args.json:
        print(json.dumps(summary))
        return 0
    print(f"{len(texts)} tag queries (tags on >= {args.min_items} movies), items embedded without tags")
    for name, row in results.items():
        print(f"  {name}: NDCG@20 {row['ndcg@20']:.4f}  Recall@50 {row['recall@50']:.4f}  "
              f"query encode p50 {row['query_ms_p50_1_thread']:.2f} ms (1 thread)")
    print(f"  fp32 vs int8 top-20 overlap {overlap:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
