"""``recbot eval conversations --redial DIR [--json]``: replay real ReDial conversations
through the dialogue layer (the one ``recbot chat --jsonl`` uses) and score them.

The protocol is ``recommender.conversations.protocol``; this module only drives the real
``Dialogue`` (real engine, real Redis: ``REDIS_URL``, else the embedded server) with one
fresh user per dialogue, and deletes that user's keys afterwards. The "more" page used
for Recall@10 is fetched as the More button would, then the user's session and seen set
are put back as they were, so the probe does not change what the next seeker message
refines.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

USER_BASE = 7_000_000_000  # replay users live far from real Telegram ids
CONCURRENCY = 4  # dialogues in flight (the model executor has 2 workers)


def register(tree: Any) -> None:
    parser = tree.command(
        "eval conversations",
        help="replay ReDial dialogues (seeker turns only) through the dialogue layer: "
        "Recall@1/5/10 of the movie the human recommender suggested, vs popularity",
    )
    parser.add_argument("--redial", type=Path, required=True,
                        help="directory with dev_dialogues.jsonl, movies_with_mentions.csv "
                        "and redial_to_ml_latest_small.csv")
    parser.add_argument("--part", choices=("all", "tune", "check"), default="all",
                        help="all dialogues, or one fixed half: tune (for development) or "
                        "check (held out)")
    parser.add_argument("--max-dialogues", type=int, default=None, help="only the first N")
    parser.add_argument("--trace", type=Path, default=None,
                        help="write every turn (message, reply header, items, targets) as JSON lines")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.ops.artifacts import load_engine
    from bot.runtime import one_torch_thread_per_pass
    from recommender.conversations.protocol import in_part
    from recommender.conversations.redial import load_redial

    data = load_redial(args.redial)
    dialogues = [d for d in data.dialogues if in_part(d, args.part)][: args.max_dialogues]
    # The replay sends a whole dialogue within seconds: no per-minute limit applies.
    settings = load_settings(RECBOT_RATE_LIMIT=1_000_000)
    engine = load_engine(settings)
    one_torch_thread_per_pass()
    report = asyncio.run(_replay(settings, engine, data, dialogues, args))
    report["part"] = args.part
    if args.json:
        print(json.dumps(report))
    else:
        print(format_report(report))
    return 0


async def _replay(settings: Any, engine: Any, data: Any, dialogues: list, args: argparse.Namespace) -> dict:
    from tqdm.auto import tqdm

    from bot.dialogue.core import Dialogue
    from bot.redis_conn import connect
    from bot.store import RedisStore
    from recommender.conversations.protocol import RecallScore, plan, popularity_order

    redis = connect(settings)
    store = RedisStore(redis, settings.session_ttl_s)
    dialogue = Dialogue(engine, store, settings)
    score = RecallScore(popularity_order(engine.catalog))
    counts = {"dialogues": len(dialogues), "seeker_turns": 0, "replies_without_items": 0}
    trace = args.trace.open("w", encoding="utf-8") if args.trace else None
    gate = asyncio.Semaphore(CONCURRENCY)
    bar = tqdm(total=len(dialogues), desc="dialogues", disable=args.no_progress)

    async def one(number: int, conv: Any) -> None:
        user = USER_BASE + number
        async with gate:
            await store.forget(user)
            shown: list[int] = []
            try:
                for step in plan(conv, data, engine.catalog):
                    if step.kind == "say":
                        reply = await dialogue.handle_text(user, step.text)
                        counts["seeker_turns"] += 1
                        counts["replies_without_items"] += not reply.items
                        if reply.items:
                            shown = [item.item_id for item in reply.items]
                        _trace(trace, conv, step, reply=reply)
                        continue
                    more = await _peek_more(dialogue, store, user) if shown else []
                    score.add(step, shown, more)
                    _trace(trace, conv, step, shown=shown, more=more)
            finally:
                await store.forget(user)
                bar.update()

    try:
        await asyncio.gather(*(one(n, conv) for n, conv in enumerate(dialogues)))
    finally:
        bar.close()
        if trace:
            trace.close()
        await redis.aclose()
    turns = max(counts["seeker_turns"], 1)
    return {**score.report(), **counts,
            "replies_without_items_share": round(counts["replies_without_items"] / turns, 4)}


async def _peek_more(dialogue: Any, store: Any, user: int) -> list[int]:
    """The next page ("more") without changing the user's session or seen set."""
    from bot.store import user_key

    keys = [user_key(user, "session"), user_key(user, "seen")]
    saved = [(key, await store.redis.dump(key), await store.redis.pttl(key)) for key in keys]
    try:
        reply = await dialogue.handle_command(user, "more")
        return [item.item_id for item in reply.items]
    finally:
        for key, blob, ttl in saved:
            if blob is None:
                await store.redis.delete(key)
            else:
                await store.redis.restore(key, max(int(ttl), 0), blob, replace=True)


def _trace(out: Any, conv: Any, step: Any, *, reply: Any = None, shown: Sequence[int] = (),
           more: Sequence[int] = ()) -> None:
    if out is None:
        return
    if reply is not None:
        row = {"conversation": conv.conversation_id, "say": step.text,
               "reply": reply.text.split("\n", 1)[0], "items": [i.item_id for i in reply.items]}
    else:
        row = {"conversation": conv.conversation_id, "targets": list(step.targets),
               "shown": list(shown), "more": list(more)}
    out.write(json.dumps(row) + "\n")


def format_report(report: dict) -> str:
    """The report as a few readable lines."""
    pop = report["popularity"]
    return "\n".join([
        f"{report['instances']} suggestions scored in {report['dialogues']} dialogues "
        f"({report['seeker_turns']} seeker turns, part {report.get('part', 'all')})",
        "            recall@1  recall@5  recall@10",
        f"  recbot    {report['recall@1']:.4f}    {report['recall@5']:.4f}    {report['recall@10']:.4f}",
        f"  popular   {pop['recall@1']:.4f}    {pop['recall@5']:.4f}    {pop['recall@10']:.4f}",
        f"no list on screen: {report['empty_share']:.1%} of instances; replies without items: "
        f"{report['replies_without_items_share']:.1%} of seeker turns",
    ])
