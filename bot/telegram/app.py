"""Build the python-telegram-bot ``Application`` and run it by polling.

The application holds no user state (no persistence, no ConversationHandler): the
dialogue layer keeps everything in Redis, so updates are processed concurrently.
Outgoing requests go through ``AIORateLimiter`` (Telegram allows about 30 messages per
second per bot). ``Settings.telegram_api_base_url`` has PTB's ``base_url`` meaning, so
the same code talks to Telegram, a self-hosted Bot API server or a test emulator.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.config import Settings
from bot.errors import RecbotError
from bot.telegram.handlers import BotHandlers, DialogueLike, register
from bot.telegram.menu import ALLOWED_UPDATES, publish_commands

log = logging.getLogger(__name__)


def require_token(settings: Settings) -> str:
    """The bot token, or ``RecbotError`` saying how to provide one."""
    if settings.telegram_bot_token is None:
        raise RecbotError(
            "TELEGRAM_BOT_TOKEN is not set: set it to the token @BotFather gave you, "
            "or use `recbot chat` to talk to the bot in the console"
        )
    return settings.telegram_bot_token.get_secret_value()


async def _publish_commands(application: Application) -> None:
    # The command menu is a convenience: a server that refuses it must not stop the bot.
    await publish_commands(application.bot)


def build_application(
    settings: Settings,
    dialogue: DialogueLike,
    *,
    webhook: bool = False,
    rate_limit: bool = True,
) -> Application:
    """A ready-to-initialize application wired to ``dialogue``.

    ``webhook=True`` builds it without an ``Updater``: updates are then put on
    ``application.update_queue`` by the ASGI app of ``bot.telegram.webhook``.
    """
    builder: ApplicationBuilder = (
        Application.builder()
        .token(require_token(settings))
        .base_url(settings.telegram_api_base_url)
        .concurrent_updates(True)
        .post_init(_publish_commands)
    )
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter())
    if webhook:
        builder = builder.updater(None)
    application = builder.build()
    register(application, BotHandlers(dialogue, debug=settings.debug))
    return application


async def run_polling(
    application: Application,
    stop: asyncio.Event,
    *,
    poll_interval: float = 0.0,
    timeout: int = 10,
) -> None:
    """Poll for updates until ``stop`` is set, then shut down cleanly.

    The updates are handled while polling; pending handler tasks finish before this
    returns. ``timeout`` is the long-polling timeout (0 for servers without long polling).
    """
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        assert application.updater is not None, "built with webhook=True"
        await application.updater.start_polling(
            poll_interval=poll_interval,
            timeout=timeout,
            allowed_updates=ALLOWED_UPDATES,
            bootstrap_retries=3,
        )
        await application.start()
        log.info("polling for updates as @%s", application.bot.username)
        try:
            await stop.wait()
        finally:
            await application.updater.stop()
            await application.stop()
    log.info("stopped polling")
