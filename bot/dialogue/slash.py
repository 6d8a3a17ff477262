"""The bot's slash commands: one table for every front end, and the one parser of ``/name``.

``COMMANDS`` lists the commands in menu order; the Telegram front end registers a
handler per name and the dialogue answers each (``Dialogue.handle_command``), so a
command is added here once. ``parse_slash`` splits a typed ``/name@bot args`` message
(the one test of "is this a slash command", also for the Telegram metrics) and
``command_name`` is the one normal form of a name ("/More " -> "more"). Commands said in
words ("more please", "start over") are the parser's (``recommender.nlp.commands``).
"""

from __future__ import annotations

from bot.dialogue.texts import DEFAULT_LANG, t

COMMANDS: tuple[str, ...] = (
    "start", "help", "more", "reset", "history", "settings", "about", "forget",
)


def description(name: str, lang: str = DEFAULT_LANG) -> str:
    """The one-line description of command ``name`` (Telegram's command menu)."""
    return t(lang, f"command.{name}")


def parse_slash(text: str) -> tuple[str, str] | None:
    """``("more", "args")`` for ``"/more@recbot args"``; None when ``text`` is no command."""
    if not text.startswith("/"):
        return None
    head, _, args = text[1:].partition(" ")
    return head.split("@", 1)[0], args


def command_name(name: str) -> str:
    """The name as ``COMMANDS`` spells it: trimmed, lower case, without a leading "/"."""
    return name.strip().lower().lstrip("/")
