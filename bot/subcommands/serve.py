"""``recbot serve``: run the Telegram bot (polling, or webhook mode when WEBHOOK_URL is set)."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.cli import CommandTree


def register(tree: CommandTree) -> None:
    """Add ``recbot serve`` to the command tree."""
    parser = tree.command(
        "serve",
        help="run the Telegram bot: polling by default, webhook server when WEBHOOK_URL is set",
    )
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=0.0,
        help="seconds to wait between two getUpdates calls (polling mode; default 0)",
    )
    parser.add_argument(
        "--poll-timeout",
        type=int,
        default=10,
        help="long-polling timeout in whole seconds (the Bot API's unit); 0 for Bot API "
        "servers without long polling",
    )
    parser.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.runtime import one_torch_thread_per_pass
    from bot.telegram.app import require_token
    from bot.telegram.logsafe import protect_logs
    from bot.telegram.service import serve

    settings = load_settings()
    token = require_token(settings)
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    protect_logs(token, secret)
    one_torch_thread_per_pass()
    asyncio.run(
        serve(settings, poll_interval=args.poll_interval, poll_timeout=args.poll_timeout)
    )
    return 0
