"""The parser never fails: any Unicode text, any (even nonsensical) entity spans.

The parser has a last-resort guard that turns an internal error into a bland Query;
these tests assert that the guard is *not* what saves it (no error is logged).
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.nlp.entities import Entity
from recommender.nlp.parser import QueryParser
from recommender.nlp.query import Query
from tests.nlp_support import make_catalog

TYPES = ["GENRE", "NEG_GENRE", "YEAR", "TITLE", "ACTOR", "DIRECTOR", "ORDINAL",
         "RATINGS_AVERAGE", "RATING", "PLOT", "REVIEW", "CHARACTER", "SONG", "TRAILER", "???"]  # fmt: skip
WORDS = ["no", "horror", "80s", "like", "alien", "1979", "between", "2020", "and", "1990",
         "#2", "the", "second", "one", "rated", "above", "4", "stars", "sci-fi", "or", "not",
         "year", "99999", "more", "best", ",", ".", "🎬", "é", "\u200b", "\n"]  # fmt: skip

PARSER = QueryParser(make_catalog())


@st.composite
def message_with_entities(draw: st.DrawFn) -> tuple[str, list[Entity]]:
    if draw(st.booleans()):
        text = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=25)))
    else:
        text = draw(st.text(max_size=300))
    entities = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(-3, len(text) + 3))
        end = draw(st.integers(-3, len(text) + 5))
        kind = draw(st.sampled_from(TYPES))
        span = (
            text[max(start, 0) : max(end, 0)] if draw(st.booleans()) else draw(st.text(max_size=8))
        )
        entities.append(Entity(kind, span, start, end))
    return text, entities


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(message_with_entities())
def test_any_message_parses_without_error(case: tuple[str, list[Entity]]) -> None:
    text, entities = case
    logger = logging.getLogger("recommender.nlp.parser")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger.addHandler(handler)
    try:
        query = PARSER.parse(text, entities)
    finally:
        logger.removeHandler(handler)
    assert isinstance(query, Query)
    assert not [r for r in records if r.levelno >= logging.ERROR], records
    if query.year_min is not None and query.year_max is not None:
        assert query.year_min <= query.year_max
    if query.min_rating is not None:
        assert 0.5 <= query.min_rating <= 5


@pytest.mark.parametrize(
    "text",
    ["", " ", "\x00\x01", "💀" * 3000, "a" * 100_000, "١٩٨٠s", "ＳＣＩ－ＦＩ", "İstanbul", "ß" * 50,
     "between 9999999999999999999999 and 1", "rated 1e309 stars", "#99999999999999999999"],
)  # fmt: skip
def test_odd_inputs(text: str) -> None:
    query = PARSER.parse(text, [])
    assert isinstance(query, Query)
    assert "could not fully understand that" not in query.notes


def test_non_string_input_is_not_an_exception() -> None:
    assert isinstance(PARSER.parse(None, None), Query)  # type: ignore[arg-type]
