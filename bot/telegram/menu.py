"""The bot's command menu, in English and Chinese, and the update kinds it asks for.

``publish_commands`` registers the menu once at start-up: English for everyone, Chinese
for clients whose language is Chinese (``language_code="zh"`` scope; Telegram picks the
list matching the user's app language and falls back to the default one).
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand
from telegram.error import TelegramError

log = logging.getLogger(__name__)

# The updates the bot handles (polling and the webhook both ask for exactly these).
ALLOWED_UPDATES = ["message", "callback_query", "inline_query"]

COMMANDS = {
    "start": "welcome, what to type, quick-start buttons",
    "help": "how to ask for movies",
    "more": "more results for the last request",
    "reset": "start a new search",
    "history": "what you have rated",
    "settings": "list length, posters, language",
    "about": "where the movie data and posters come from",
    "forget": "delete everything the bot knows about you (asks to confirm)",
}
COMMANDS_ZH = {
    "start": "欢迎、示例和快速开始按钮",
    "help": "如何让我推荐电影",
    "more": "上一个请求的更多结果",
    "reset": "开始新的搜索",
    "history": "你评过分的电影",
    "settings": "列表长度、海报、语言",
    "about": "电影数据和海报的来源",
    "forget": "删除我关于你的所有数据（会先确认）",
}
MENUS = {None: COMMANDS, "zh": COMMANDS_ZH}


async def publish_commands(bot: Bot) -> None:
    """Register every menu; a server that refuses one is logged, never fatal."""
    for language, commands in MENUS.items():
        try:
            await bot.set_my_commands(
                [BotCommand(name, description) for name, description in commands.items()],
                language_code=language,
            )
        except TelegramError as exc:
            log.warning("could not publish the %s command menu: %s", language or "default", exc)
