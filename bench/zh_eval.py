"""Chinese requests through the real dialogue: constraint precision, empty and non-Chinese replies.

Run by hand (needs a prepared RECBOT_HOME and a Redis server)::

    RECBOT_HOME=/work/home .venv/bin/python bench/zh_eval.py \\
        --redis-url redis://127.0.0.1:6379/6 [--json]

Each of the requests of ``recommender.evaluation.phrasings_zh`` is sent as the first message
of a fresh user to ``bot.dialogue.core.Dialogue`` (real engine, real Redis). Scored:

- constraint precision: the share of listed items that satisfy the request's *intended*
  constraints (``recommender.evaluation.dialogue.satisfies``, the check ``recbot eval
  dialogue`` uses), so a misread request counts against it;
- empty replies: replies that list no item;
- non-Chinese replies: replies whose text, once the catalog titles (listed or named by
  the user) are taken out, has no Chinese character or still has an English word
  (buttons included; ``tests.dialogue_support.english_left``);
- parse agreement: requests whose parsed genres, years and rating floor equal the
  intended ones.

The users are deleted (``/forget``) at the end; the database is not flushed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.dialogue.core import Dialogue  # noqa: E402
from bot.ops.artifacts import load_engine  # noqa: E402
from bot.redis_conn import connect  # noqa: E402
from bot.store import RedisStore  # noqa: E402
from recommender.evaluation.dialogue import satisfies  # noqa: E402
from recommender.evaluation.phrasings_zh import ZH_REQUESTS  # noqa: E402
from recommender.nlp.language import has_han  # noqa: E402
from recommender.nlp.query import Query  # noqa: E402
from tests.dialogue_support import english_left  # noqa: E402

FIRST_USER = 9_130_000  # user ids of this bench, far from real Telegram ids in a test db
def _agrees(parsed: Query, intended: Query) -> bool:
    fields = ("year_min", "year_max", "min_rating")
    sets = ("genres_all", "genres_any", "genres_none")
    return all(getattr(parsed, f) == getattr(intended, f) for f in fields) and all(
        set(getattr(parsed, f)) == set(getattr(intended, f)) for f in sets
    )


async def run(redis_url: str) -> dict[str, Any]:
    settings = load_settings(REDIS_URL=redis_url)
    engine = load_engine(settings)
    store = RedisStore(connect(settings), settings.session_ttl_s)
    dialogue = Dialogue(engine, store, settings)
    ok = listed = empty = agreed = 0
    not_chinese: list[dict[str, Any]] = []
    misses: list[dict[str, Any]] = []
    users = []
    for n, request in enumerate(ZH_REQUESTS):
        user = FIRST_USER + n
        users.append(user)
        reply = await dialogue.handle_text(user, request.text)
        parsed = engine.understand(request.text)
        agreed += _agrees(parsed, request.intended)
        empty += not reply.items
        named = [engine.catalog.titles[engine.catalog.index(i)] for i in parsed.reference_items]
        left = english_left(reply, named)  # titles the user named are shown as in the catalog
        if left or not has_han(reply.text):
            not_chinese.append({"text": request.text, "english": left[:8]})
        for item in reply.items:
            idx = engine.catalog.index(item.item_id)
            good = satisfies(request.intended, engine.catalog, idx)
            ok += good
            listed += 1
            if not good and len(misses) < 20:
                misses.append({"text": request.text, "item": engine.catalog.label(idx)})
    for user in users:
        await store.forget(user)
    return {
        "requests": len(ZH_REQUESTS),
        "constraint_precision": round(ok / max(listed, 1), 4),
        "items": listed,
        "empty_replies": empty,
        "non_chinese_replies": len(not_chinese),
        "parse_agreement": round(agreed / len(ZH_REQUESTS), 4),
        "misses": misses,
        "not_chinese": not_chinese,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--redis-url", required=True, help="a test database, e.g. redis://127.0.0.1:6379/6")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    report = asyncio.run(run(args.redis_url))
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return
    print(f"{report['requests']} Chinese requests: constraint precision "
          f"{report['constraint_precision']:.4f} over {report['items']} items, "
          f"{report['empty_replies']} empty replies, {report['non_chinese_replies']} not in "
          f"Chinese, parse agreement {report['parse_agreement']:.1%}")  # fmt: skip
    for miss in report["misses"]:
        print(f"  miss: {miss['text']} -> {miss['item']}")
    for bad in report["not_chinese"]:
        print(f"  not Chinese: {bad['text']} ({' '.join(bad['english'])})")


if __name__ == "__main__":
    main()
