"""The command menu: every slash command, published in English and in Chinese."""

from __future__ import annotations

from telegram.error import NetworkError

from bot.dialogue.slash import COMMANDS
from bot.telegram.menu import ALLOWED_UPDATES, commands, publish_commands


class _Bot:
    """Records set_my_commands calls; refuses the ones listed in ``refuse``."""

    def __init__(self, refuse: tuple[str | None, ...] = ()) -> None:
        self.calls: dict[str | None, list[tuple[str, str]]] = {}
        self.refuse = refuse

    async def set_my_commands(self, menu, language_code=None):
        if language_code in self.refuse:
            raise NetworkError("refused")
        self.calls[language_code] = [(c.command, c.description) for c in menu]
        return True


async def test_the_menu_is_published_in_english_and_chinese() -> None:
    bot = _Bot()
    await publish_commands(bot)  # type: ignore[arg-type]
    assert set(bot.calls) == {None, "zh"}
    assert [name for name, _ in bot.calls[None]] == list(COMMANDS)
    assert [name for name, _ in bot.calls["zh"]] == list(COMMANDS)
    english, chinese = dict(bot.calls[None]), dict(bot.calls["zh"])
    assert english["settings"] == "list length, posters, language"
    assert chinese["settings"] == "列表长度、海报、语言"
    assert all(english[name] != chinese[name] for name in COMMANDS)  # every one translated
    assert "inline_query" in ALLOWED_UPDATES


async def test_a_refused_menu_is_not_fatal() -> None:
    bot = _Bot(refuse=("zh",))
    await publish_commands(bot)  # type: ignore[arg-type]
    assert set(bot.calls) == {None}
    assert commands("en")[0].command == "start"
