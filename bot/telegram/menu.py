"""The bot's command menu, in English and Chinese, and the update kinds it asks for.

``publish_commands`` registers the menu once at start-up: English for everyone, Chinese
for clients whose language is Chinese (``language_code="zh"`` scope; Telegram picks the
list matching the user's app language and falls back to the default one).
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand
from telegram.error import TelegramError

from bot.dialogue.slash import COMMANDS, description
from bot.dialogue.texts import DEFAULT_LANG

log = logging.getLogger(__name__)

# The updates the bot handles (polling and the webhook both ask for exactly these).
ALLOWED_UPDATES = ["message", "callback_query", "inline_query"]

# Telegram's language scopes: the default menu (English) and one per other catalogue.
MENU_LANGUAGES: dict[str | None, str] = {None: DEFAULT_LANG, "zh": "zh"}


def commands(lang: str = DEFAULT_LANG) -> list[BotCommand]:
    """The menu in ``lang``: every slash command with its description."""
    return [BotCommand(name, description(name, lang)) for name in COMMANDS]


async def publish_commands(bot: Bot) -> None:
    """Register every menu; a server that refuses one is logged, never fatal."""
    for language, lang in MENU_LANGUAGES.items():
        try:
            await bot.set_my_commands(commands(lang), language_code=language)
        except TelegramError as exc:
            log.warning("could not publish the %s command menu: %s", language or "default", exc)
