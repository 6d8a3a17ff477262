"""/settings: the menu of one user's preferences and what a press on it changes.

Pure: ``menu`` lays the preferences out as buttons (the chosen value of each marked ✅),
``apply`` turns a decoded settings press into new preferences, ``saved`` is the toast
that confirms it. The dialogue layer stores the result (``RedisStore.save_preferences``)
and edits the menu's keyboard in place. Texts come in every language of
``types.LANGUAGES``.
"""

from __future__ import annotations

import dataclasses

from bot.dialogue.callbacks import Action, Callback, encode
from bot.dialogue.types import LANGUAGES, MAX_ITEMS, MIN_ITEMS, Button, Preferences, Reply

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
TEXTS = {
    "en": {
        "menu": "Your settings — tap a button to change it:\n"
                "• movies per list (the first two rows)\n• posters on or off\n• language",
        "on": "🖼 Posters on", "off": "Posters off",
        "items": "Saved: {n} movies per list.", "posters_on": "Saved: posters on.",
        "posters_off": "Saved: posters off.", "lang": "Saved: English.",
    },
    "zh": {
        "menu": "你的设置 — 点按钮即可修改：\n• 每个列表的电影数（前两行）\n• 是否显示海报\n• 语言",
        "on": "🖼 显示海报", "off": "不显示海报",
        "items": "已保存：每个列表 {n} 部电影。", "posters_on": "已保存：显示海报。",
        "posters_off": "已保存：不显示海报。", "lang": "已保存：中文。",
    },
}


def _mark(label: str, chosen: bool) -> str:
    return f"✅ {label}" if chosen else label


def menu(prefs: Preferences, default_items: int, lang: str) -> list[list[Button]]:
    """The settings keyboard in ``lang`` (the language in effect): list lengths, posters,
    languages; current choices marked."""
    texts = TEXTS[lang]
    items = prefs.items or default_items
    lengths = [
        Button(_mark(str(n), n == items), encode(Action.SET_ITEMS, value=n))
        for n in range(MIN_ITEMS, MAX_ITEMS + 1)
    ]
    half = (len(lengths) + 1) // 2
    return [
        lengths[:half],
        lengths[half:],
        [Button(_mark(texts["on"], prefs.posters), encode(Action.SET_POSTERS, value=1)),
         Button(_mark(texts["off"], not prefs.posters), encode(Action.SET_POSTERS, value=0))],
        [Button(_mark(LANGUAGE_NAMES[code], code == lang), encode(Action.SET_LANG, value=k))
         for k, code in enumerate(LANGUAGES)],
    ]


def menu_reply(prefs: Preferences, default_items: int, lang: str) -> Reply:
    """The /settings message in ``lang``."""
    return Reply(TEXTS[lang]["menu"], buttons=menu(prefs, default_items, lang),
                 prefs=dataclasses.replace(prefs, lang=lang))


def apply(prefs: Preferences, cb: Callback) -> Preferences:
    """``prefs`` changed by a settings press (``cb`` from ``callbacks.decode``, so in range)."""
    if cb.action is Action.SET_ITEMS:
        return dataclasses.replace(prefs, items=cb.value)
    if cb.action is Action.SET_POSTERS:
        return dataclasses.replace(prefs, posters=bool(cb.value))
    if cb.action is Action.SET_LANG:
        return dataclasses.replace(prefs, lang=LANGUAGES[cb.value or 0])
    raise ValueError(f"not a settings press: {cb!r}")


def saved(prefs: Preferences, cb: Callback, lang: str) -> str:
    """The toast confirming the press ``cb`` that produced ``prefs``, in ``lang``."""
    texts = TEXTS[lang]
    if cb.action is Action.SET_ITEMS:
        return texts["items"].format(n=prefs.items)
    if cb.action is Action.SET_POSTERS:
        return texts["posters_on" if prefs.posters else "posters_off"]
    return texts["lang"]
