"""Chinese parser latency per message, on the full ml-latest-small catalog.

Run by hand: ``.venv/bin/python bench/parser_latency_zh.py [DATA_DIR] [--rounds 20]``.
Parses the phrasings of ``tests/test_parser_zh.py`` plus a few long messages (language
detection included, as ``Engine.understand`` does it) and prints p50 / p99 / mean
milliseconds per message, the slowest message's best round (what it costs
undisturbed on a shared machine), and the one-off build times of the segmenter and the parser.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recommender.data.loaders import load_dataset  # noqa: E402
from recommender.nlp.language import detect_language  # noqa: E402
from recommender.nlp.parser import QueryParser  # noqa: E402
from recommender.nlp.zh.parser import ChineseParser  # noqa: E402
from recommender.nlp.zh.segment import Segmenter  # noqa: E402
from tests.test_parser_zh import CASES  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "movielens" / "ml-latest-small"
LONG = [
    "你好，能不能给我推荐几部九十年代评分高的科幻惊悚片，像The Matrix那样的，但是不要恐怖片"
    "和爱情片，最好是Keanu Reeves演的，1990年以前的就算了",
    "今天晚上想和孩子一起看电影，适合孩子的动画片或者家庭冒险片都可以，最近十年的，评分4分以上",
    "有没有类似Toy Stroy的",  # fuzzy title path
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    catalog = load_dataset(args.data).catalog
    english = QueryParser(catalog)
    started = time.perf_counter()
    segmenter = Segmenter()
    seg_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    parser = ChineseParser(english, segmenter)
    build_ms = (time.perf_counter() - started) * 1000
    texts = [c[0] for c in CASES] + LONG
    for text in texts:  # warm-up: regex caches
        parser.parse(text)
    times = []
    best = [float("inf")] * len(texts)  # per message: the least disturbed run
    for _ in range(args.rounds):
        for i, text in enumerate(texts):
            t0 = time.perf_counter()
            if detect_language(text) == "zh":
                parser.parse(text)
            times.append((time.perf_counter() - t0) * 1000)
            best[i] = min(best[i], times[-1])
    times.sort()
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
    print(
        f"chinese messages={len(times)} p50_ms={statistics.median(times):.3f} "
        f"p99_ms={p99:.3f} mean_ms={statistics.fmean(times):.3f} max_ms={times[-1]:.3f}"
        f" slowest_message_best_of_rounds_ms={max(best):.3f}"
    )
    print(f"segmenter build (jieba dictionary + lexicon words): {seg_ms:.0f} ms")
    print(f"Chinese parser build on top of it: {build_ms:.0f} ms")


if __name__ == "__main__":
    main()
