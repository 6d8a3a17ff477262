"""The Chinese path through the pure core: engine routing, reasons, refinement notes.

The real ``Engine`` over the hand-made catalog of ``tests.ranking_fixtures`` with the real
Chinese parser (on top of the real English ``QueryParser``); the English path keeps its
canned parser, so this also shows the two never mix.
"""

from __future__ import annotations

import dataclasses

import pytest

from recommender.engine import Engine
from recommender.nlp.parser import QueryParser
from recommender.nlp.query import Command, Query
from recommender.nlp.zh.parser import ChineseParser
from recommender.refine import Turn, refine
from tests.ranking_fixtures import make_catalog, make_engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    eng = make_engine(queries={"scary ones": Query(genres_all=["Horror"])})
    eng.zh_parser = ChineseParser(QueryParser(make_catalog()))
    return eng


def test_chinese_text_goes_to_the_chinese_parser(engine: Engine) -> None:
    query = engine.understand("推荐一部评分高的科幻电影")
    assert query.lang == "zh"
    assert query.genres_all == ["Sci-Fi"] and query.min_rating == 3.8
    english = engine.understand("scary ones")
    assert english.lang == "en" and english.genres_all == ["Horror"]


def test_titles_typed_in_latin_resolve_inside_chinese(engine: Engine) -> None:
    query = engine.understand("有没有像Blade Runner那样的电影")
    assert query.reference_items == [6]


def test_reasons_are_chinese_for_a_chinese_query(engine: Engine) -> None:
    query = engine.understand("八十年代评分高的科幻片")
    result = engine.recommend(query, {}, k=3)
    assert result.items
    for rec in result.items:
        assert "科幻" in rec.why and "1980年代" in rec.why and "★" in rec.why
        assert "Sci-Fi" not in rec.why


def test_default_reason_follows_the_language(engine: Engine) -> None:
    zh = engine.recommend(Query(lang="zh"), {}, k=2)
    en = engine.recommend(Query(), {}, k=2)
    assert all(r.why == "热门且评分高" for r in zh.items)
    assert all(r.why == "popular and well rated" for r in en.items)


def test_reference_and_history_reasons_in_chinese(engine: Engine) -> None:
    like = engine.recommend(engine.understand("像Alien那样的"), {}, k=2)
    assert all("与《Alien》相似" in r.why for r in like.items)
    liked = engine.recommend(Query(lang="zh"), {3: 5.0}, k=2)
    assert any("因为你喜欢《" in r.why for r in liked.items)


def test_chinese_refinements_compose(engine: Engine) -> None:
    first = refine(None, engine.understand("八十年代的科幻片"))
    assert first.kind is Turn.NEW
    no_horror = refine(first.query, engine.understand("不要恐怖"))
    assert no_horror.kind is Turn.REFINE
    assert no_horror.query.genres_all == ["Sci-Fi"] and no_horror.query.genres_none == ["Horror"]
    newer = refine(no_horror.query, engine.understand("新一点"))
    assert (newer.query.year_min, newer.query.year_max) == (1990, 1999)
    assert newer.query.genres_none == ["Horror"]
    more = refine(newer.query, engine.understand("再来几部"))
    assert more.kind is Turn.MORE
    also = refine(newer.query, engine.understand("也要动作片"), text="也要动作片")
    assert set(also.query.genres_all) == {"Sci-Fi", "Action"}


def test_refinement_notes_are_in_the_message_language(engine: Engine) -> None:
    prev = Query(genres_all=["Sci-Fi"], lang="zh")
    far = refine(prev, engine.understand("像第九部那样"), shown=[1, 2, 3])
    assert far.kind is Turn.UNRESOLVED
    assert far.notes == ["上一个列表里没有第 9 部（只有 3 部）。"]
    idle = refine(prev, engine.understand("谢谢"), text="谢谢")
    assert idle.kind is Turn.UNRESOLVED and "再来几部" in idle.notes[0]
    english = refine(dataclasses.replace(prev, lang="en"), Query(ordinal=8), shown=[1])
    assert english.notes[0].startswith("There is no #9")


def test_history_command_in_chinese(engine: Engine) -> None:
    assert engine.understand("我的评分").command is Command.HISTORY


def test_relaxed_constraints_are_named_in_chinese(engine: Engine) -> None:
    result = engine.recommend(engine.understand("九十年代的科幻片，不要恐怖"), {}, k=2)
    assert result.items
    assert result.relaxed and set(result.relaxed) <= {"1990年代", "科幻", "不要恐怖"}
    assert all(not any(c.isascii() and c.isalpha() for c in label) for label in result.relaxed)
