"""The message catalogue: lookups by language and key, English fallback, query summaries."""

from __future__ import annotations

import pytest

from bot.dialogue import texts
from bot.dialogue.slash import COMMANDS, description
from bot.dialogue.texts import describe, genre, t
from recommender.nlp.query import Query


def test_a_language_without_a_key_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(texts.CATALOGUES, "xx", {"button.more": "Mehr", "genre.Comedy": "Komödie"})
    assert t("xx", "button.more") == "Mehr"
    assert t("xx", "button.start_over") == t("en", "button.start_over") == "Start over"
    assert t("unknown", "history.title", count=3) == "Your ratings (3):"
    assert genre("xx", "Comedy") == "Komödie" and genre("xx", "Drama") == "Drama"
    summary = describe("xx", Query(genres_all=["Comedy"], year_min=1990, year_max=1999))
    assert summary == "Komödie · 1990–1999"


def test_an_unknown_key_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        t("en", "no.such.key")


def test_every_command_has_a_description() -> None:
    assert all(description(name) for name in COMMANDS)


def test_the_chinese_catalogue_has_every_key_with_the_same_fields() -> None:
    import re
    import string

    from bot.dialogue.texts.en import EN
    from bot.dialogue.texts.zh import ZH

    assert set(EN) <= set(ZH)
    fields = string.Formatter()
    for key, template in EN.items():
        want = {f for _, f, _, _ in fields.parse(template) if f}
        got = {f for _, f, _, _ in fields.parse(ZH[key]) if f}
        assert got == want, key
    for key in ZH:  # shown text is Chinese (a title or a /command may be Latin)
        if key.startswith("query.") or key in ("history.line", "relaxed.separator", "genre.IMAX"):
            continue
        assert re.search(r"[\u4e00-\u9fff]", ZH[key]), key
    assert genre("zh", "Sci-Fi") == "科幻" and t("zh", "button.more") == "再来几部"
