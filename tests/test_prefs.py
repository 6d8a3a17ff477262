"""The /settings menu: what it shows and what each press changes (pure)."""

from __future__ import annotations

from bot.dialogue import prefs
from bot.dialogue.callbacks import decode
from bot.dialogue.types import Preferences


def _labels(rows) -> list[str]:
    return [b.text for row in rows for b in row]


def test_menu_marks_the_current_choices() -> None:
    rows = prefs.menu(Preferences(), 5, "en")
    labels = _labels(rows)
    assert "✅ 5" in labels and "3" in labels and "10" in labels
    assert "✅ 🖼 Posters on" in labels and "Posters off" in labels
    assert "✅ English" in labels and "中文" in labels
    assert all(decode(b.data) is not None for row in rows for b in row)


def test_each_press_changes_one_preference_and_says_so_in_the_new_language() -> None:
    current = Preferences()
    for label, expected, toast in [
        ("8", Preferences(items=8), "Saved: 8 movies per list."),
        ("Posters off", Preferences(items=8, posters=False), "Saved: posters off."),
        ("中文", Preferences(items=8, posters=False, lang="zh"), "已保存：中文。"),
    ]:
        lang = current.lang or "en"
        button = next(b for row in prefs.menu(current, 5, lang) for b in row if b.text == label)
        cb = decode(button.data)
        current = prefs.apply(current, cb)
        assert current == expected
        assert prefs.saved(current, cb, current.lang or "en") == toast
    assert "✅ 8" in _labels(prefs.menu(current, 5, "zh"))
    assert "✅ 不显示海报" in _labels(prefs.menu(current, 5, "zh"))
    assert prefs.menu_reply(current, 5, "zh").text.startswith("你的设置")
