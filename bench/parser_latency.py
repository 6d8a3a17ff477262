"""Parser latency per message (tagger excluded), on the full ml-latest-small catalog.

Run by hand: ``.venv/bin/python bench/parser_latency.py [DATA_DIR] [--rounds 20] [--zh]``.
Parses the 105 phrasings of ``tests/test_parser.py`` (plus a few long messages) with no
entities (the lexicon-fallback path, the heavier one) and with stand-in tagger entities,
and prints p50 / p99 / mean milliseconds per message (wall clock, and the p99 of the
parse's own CPU time, which a busy shared machine does not inflate) and the one-off
build time.
``--zh``: the Chinese phrasings of ``tests/test_parser_zh.py`` (plus long ones) through
language detection and the Chinese parser instead, and the segmenter's build time.
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
from tests.nlp_support import FakeTagger  # noqa: E402
from tests.test_parser import CASES  # noqa: E402
from tests.test_parser_zh import CASES as ZH_CASES  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "movielens" / "ml-latest-small"
LONG = [
    "hey, could you recommend me some highly rated 90s sci-fi thrillers like The Matrix "
    "but without horror or romance, maybe with Keanu Reeves, nothing before 1990 please",
    "i'm in the mood for something funny and light, an animated movie for the kids, or "
    "a family adventure from the last 10 years, rated at least 4 stars",
    "like toy stroy but newer",  # fuzzy title path
]
ZH_LONG = [
    "你好，能不能给我推荐几部九十年代评分高的科幻惊悚片，像The Matrix那样的，但是不要恐怖片"
    "和爱情片，最好是Keanu Reeves演的，1990年以前的就算了",
    "今天晚上想和孩子一起看电影，适合孩子的动画片或者家庭冒险片都可以，最近十年的，评分4分以上",
    "有没有类似Toy Stroy的",  # fuzzy title path
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--zh", action="store_true", help="the Chinese parser instead")
    args = ap.parse_args()
    catalog = load_dataset(args.data).catalog
    started = time.perf_counter()
    parser = QueryParser(catalog)
    build_ms = (time.perf_counter() - started) * 1000
    if args.zh:
        started = time.perf_counter()
        chinese = ChineseParser(parser)  # loads the segmenter's dictionary
        zh_ms = (time.perf_counter() - started) * 1000
        texts = [c[0] for c in ZH_CASES] + ZH_LONG
        runs = [("chinese", [(t, []) for t in texts], lambda t, _: _parse_zh(chinese, t))]
    else:
        texts = [c[0] for c in CASES] + LONG
        tagger = FakeTagger(catalog)
        tagged = [(t, tagger.tag(t)) for t in texts]
        runs = [("no entities", [(t, []) for t in texts], parser.parse),
                ("stand-in entities", tagged, parser.parse)]  # fmt: skip
    for label, inputs, parse in runs:
        for text, ents in inputs:  # warm-up: regex caches, lazy state
            parse(text, ents)
        times, cpu = [], []
        best = [float("inf")] * len(inputs)  # per message: the least disturbed run
        for _ in range(args.rounds):
            for i, (text, ents) in enumerate(inputs):
                t0, c0 = time.perf_counter(), time.thread_time()
                parse(text, ents)
                cpu.append((time.thread_time() - c0) * 1000)
                times.append((time.perf_counter() - t0) * 1000)
                best[i] = min(best[i], times[-1])
        times.sort()
        cpu.sort()
        # cpu_p99: this thread's own CPU time, which other jobs on a shared machine do not
        # inflate (the wall-clock p99 there is mostly time spent preempted).
        print(
            f"{label:18s} messages={len(times)} p50_ms={statistics.median(times):.3f} "
            f"p99_ms={_p99(times):.3f} mean_ms={statistics.fmean(times):.3f} max_ms={times[-1]:.3f}"
            f" slowest_message_best_of_rounds_ms={max(best):.3f} cpu_p99_ms={_p99(cpu):.3f}"
        )
    print(f"parser build (title index over {len(catalog)} items): {build_ms:.0f} ms")
    if args.zh:
        print(f"Chinese parser build (jieba dictionary + lexicon words): {zh_ms:.0f} ms")


def _p99(sorted_ms: list[float]) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(0.99 * len(sorted_ms)))]


def _parse_zh(chinese: ChineseParser, text: str) -> object:
    """What ``Engine.understand`` does with a message in Chinese: detect, then parse."""
    return chinese.parse(text) if detect_language(text) == "zh" else None


if __name__ == "__main__":
    main()
