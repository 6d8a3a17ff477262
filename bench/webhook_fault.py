"""Fault test of the durable webhook intake: is any acknowledged update lost when a
replica is SIGKILLed?

Two `recbot serve` replicas in webhook mode on one Redis (a throwaway redis-server with
AOF), the patched Bot API emulator (tests/e2e/emulator.js) as Telegram. Per repetition a
fresh replica A is started; for each of --users users a request is answered first, then
A is sent the user's next message and a 👍 (2 updates per user); right after A answered
200 to all of them it is killed with SIGKILL. Replica B keeps running; an update is lost
if it never had an effect (no reply / no stored rating). See tests/e2e/fault.py.

Needs artifacts under RECBOT_HOME (`recbot prepare`), node and tests/e2e/node_modules.

    .venv/bin/python bench/webhook_fault.py --repetitions 5 --users 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from tests.e2e.fault import run_fault_test  # noqa: E402
from tests.e2e.harness import Emulator  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=int, default=5, help="trials (default 5)")
    parser.add_argument("--users", type=int, default=50, help="users per trial; 2 updates each (default 50)")
    parser.add_argument("--lease-s", type=float, default=2.0, help="RECBOT_INTAKE_LEASE_S of the replicas")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args()

    home = load_settings().home

    def report(n: int, r) -> None:
        if not args.json:
            print(f"trial {n}: {r.acknowledged} acknowledged by A before SIGKILL, {r.lost} lost "
                  f"({r.lost_messages} messages, {r.lost_likes} 👍), {r.duplicate_replies} duplicate "
                  f"replies, {r.redelivered} posts redelivered after a non-200, all effects "
                  f"{r.seconds_to_all_effects} s after the kill", flush=True)

    emulator = Emulator()
    work = Path(tempfile.mkdtemp(prefix="recbot-fault-"))
    try:
        results = asyncio.run(run_fault_test(
            emulator, home, work, repetitions=args.repetitions, users_per_trial=args.users,
            lease_s=args.lease_s, on_result=report))
    finally:
        emulator.stop()
    rows = [
        {"acknowledged": r.acknowledged, "lost": r.lost, "lost_messages": r.lost_messages,
         "lost_likes": r.lost_likes, "duplicate_replies": r.duplicate_replies,
         "seconds_to_all_effects": r.seconds_to_all_effects, "redelivered": r.redelivered}
        for r in results
    ]  # fmt: skip
    if args.json:
        print(json.dumps({"trials": rows, "logs": str(work)}))
    else:
        print(f"lost in total: {sum(r['lost'] for r in rows)} of {sum(r['acknowledged'] for r in rows)} "
              f"(replica logs: {work})")
    return 0 if all(r.lost == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
