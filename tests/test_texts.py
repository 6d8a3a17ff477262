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
