"""Table-driven tests of the Chinese parser: phrasing -> expected Query fields.

The same hand-made catalog as the English parser tests (``tests.nlp_support``, newest
year 2018). Fields not listed in a case must keep their defaults; ``note`` asks that a
note containing the given text was made. Every parsed query says it is Chinese.
"""

from __future__ import annotations

from typing import Any

import pytest

from recommender.nlp.language import detect_language
from recommender.nlp.parser import QueryParser
from recommender.nlp.query import Command, Query
from recommender.nlp.zh.parser import ChineseParser
from tests.nlp_support import make_catalog

CASES: list[tuple[str, dict[str, Any]]] = [
    # the system's own example, and plain genres
    ("推荐一部评分高的科幻电影", {"genres_all": {"Sci-Fi"}, "min_rating": 3.8, "quality": True}),
    ("科幻片", {"genres_all": {"Sci-Fi"}}),
    ("来一部喜剧", {"genres_all": {"Comedy"}}),
    ("恐怖片", {"genres_all": {"Horror"}}),
    ("有什么好的恐怖电影", {"genres_all": {"Horror"}}),
    ("动画片", {"genres_all": {"Animation"}}),
    ("想看动画", {"genres_all": {"Animation"}}),
    ("爱情片", {"genres_all": {"Romance"}}),
    ("纪录片", {"genres_all": {"Documentary"}}),
    ("黑色电影", {"genres_all": {"Film-Noir"}}),
    ("音乐剧", {"genres_all": {"Musical"}}),
    ("浪漫喜剧", {"genres_all": {"Comedy", "Romance"}}),
    ("动作片", {"genres_all": {"Action"}}),
    ("惊悚片", {"genres_all": {"Thriller"}}),
    ("悬疑推理片", {"genres_all": {"Mystery"}}),
    ("犯罪片", {"genres_all": {"Crime"}}),
    ("战争片", {"genres_all": {"War"}}),
    ("西部片", {"genres_all": {"Western"}}),
    ("奇幻冒险电影", {"genres_all": {"Fantasy", "Adventure"}}),
    ("剧情片", {"genres_all": {"Drama"}}),
    ("科幻动作片", {"genres_all": {"Sci-Fi", "Action"}}),
    ("喜剧或者爱情片", {"genres_any": {"Comedy", "Romance"}}),
    ("西部片还是战争片", {"genres_any": {"Western", "War"}}),
    ("犯罪和惊悚", {"genres_all": {"Crime", "Thriller"}}),
    # children and family
    ("适合孩子看的电影", {"genres_all": {"Children"}}),
    ("适合孩子的动画片", {"genres_all": {"Children", "Animation"}}),
    ("全家一起看的家庭片", {"genres_all": {"Children"}}),
    ("儿童电影", {"genres_all": {"Children"}}),
    ("有没有适合小朋友看的动画", {"genres_all": {"Children", "Animation"}}),
    # negation scope
    ("不要恐怖片", {"genres_none": {"Horror"}}),
    ("不要恐怖", {"genres_none": {"Horror"}}),
    ("不是动画片", {"genres_none": {"Animation"}}),
    ("别给我推荐恐怖和惊悚", {"genres_none": {"Horror", "Thriller"}}),
    ("不要那种很血腥的恐怖片", {"genres_none": {"Horror"}}),
    ("除了恐怖片都可以", {"genres_none": {"Horror"}}),
    ("除了喜剧以外的电影", {"genres_none": {"Comedy"}}),
    ("除了喜剧还要动作片", {"genres_all": {"Comedy", "Action"}}),
    ("不要恐怖片，要喜剧", {"genres_all": {"Comedy"}, "genres_none": {"Horror"}}),
    ("科幻片，不要恐怖的", {"genres_all": {"Sci-Fi"}, "genres_none": {"Horror"}}),
    ("冒险片但不要动画", {"genres_all": {"Adventure"}, "genres_none": {"Animation"}}),
    ("不喜欢爱情片和歌舞片", {"genres_none": {"Romance", "Musical"}}),
    ("我不想看战争片", {"genres_none": {"War"}}),
    ("想看点轻松的喜剧，别是爱情片", {"genres_all": {"Comedy"}, "genres_none": {"Romance"}}),
    ("恐怖片除外", {"genres_none": {"Horror"}}),
    ("动作片都行，爱情片和歌舞片就算了", {"genres_all": {"Action"}, "genres_none": {"Romance", "Musical"}}),
    ("喜剧可以，恐怖片不要", {"genres_all": {"Comedy"}, "genres_none": {"Horror"}}),
    ("有没有别的喜剧", {"genres_all": {"Comedy"}}),  # 别的: "other", not 别 "don't"
    # decades and years
    ("九十年代的喜剧", {"genres_all": {"Comedy"}, "year_min": 1990, "year_max": 1999}),
    ("90年代的动作片", {"genres_all": {"Action"}, "year_min": 1990, "year_max": 1999}),
    ("八十年代科幻", {"genres_all": {"Sci-Fi"}, "year_min": 1980, "year_max": 1989}),
    ("九零年代的好电影", {"year_min": 1990, "year_max": 1999, "min_rating": 3.5, "quality": True}),
    ("近年来的战争片", {"genres_all": {"War"}, "year_min": 2014}),
    ("上世纪七十年代的西部片", {"genres_all": {"Western"}, "year_min": 1970, "year_max": 1979}),
    ("七八十年代的动作片", {"genres_all": {"Action"}, "year_min": 1970, "year_max": 1989}),
    ("80年代到90年代的科幻", {"genres_all": {"Sci-Fi"}, "year_min": 1980, "year_max": 1999}),
    ("九十年代或者两千年代的喜剧", {"genres_all": {"Comedy"}, "year_min": 1990, "year_max": 2009}),
    ("2005年左右的奇幻片", {"genres_all": {"Fantasy"}, "year_min": 2003, "year_max": 2007}),
    ("90年代末的惊悚片", {"genres_all": {"Thriller"}, "year_min": 1996, "year_max": 1999}),
    ("2000年以后的浪漫喜剧", {"genres_all": {"Comedy", "Romance"}, "year_min": 2000}),
    ("2010年之后的电影", {"year_min": 2010}),
    ("1970年以前的音乐剧", {"genres_all": {"Musical"}, "year_max": 1969}),
    ("80年代以前的恐怖片", {"genres_all": {"Horror"}, "year_max": 1979}),
    ("1995年的剧情片", {"genres_all": {"Drama"}, "year_min": 1995, "year_max": 1995}),
    ("95年的电影", {"year_min": 1995, "year_max": 1995}),
    ("1990到1999年的犯罪片", {"genres_all": {"Crime"}, "year_min": 1990, "year_max": 1999}),
    ("最近几年的惊悚片", {"genres_all": {"Thriller"}, "year_min": 2014}),
    ("近十年的纪录片", {"genres_all": {"Documentary"}, "year_min": 2009}),
    ("最新的悬疑片", {"genres_all": {"Mystery"}, "year_min": 2014, "sort": "newest"}),
    ("老电影", {"year_max": 1969}),
    ("有没有经典的老西部片", {"genres_all": {"Western"}, "year_max": 1969, "min_rating": 3.8, "quality": True}),
    ("最近有什么新的动作片", {"genres_all": {"Action"}, "year_min": 2014}),
    ("别太老的喜剧", {"genres_all": {"Comedy"}, "year_min": 1970}),
    ("不要太新的科幻片", {"genres_all": {"Sci-Fi"}, "year_max": 2013}),
    ("老片就算了，2000年以后的", {"year_min": 2000, "note": "矛盾"}),
    ("３０００年以后的喜剧", {"genres_all": {"Comedy"}, "note": "3000"}),
    # quality
    ("高分爱情片", {"genres_all": {"Romance"}, "min_rating": 3.8, "quality": True}),
    ("好看的音乐剧", {"genres_all": {"Musical"}, "min_rating": 3.5, "quality": True}),
    ("经典西部片", {"genres_all": {"Western"}, "min_rating": 3.8, "quality": True}),
    ("评分很高的战争片", {"genres_all": {"War"}, "min_rating": 3.8, "quality": True}),
    ("口碑好的剧情片", {"genres_all": {"Drama"}, "min_rating": 3.8, "quality": True}),
    ("8分以上的战争片", {"genres_all": {"War"}, "min_rating": 4.0, "quality": True, "note": "十分制"}),
    ("评分4分以上", {"min_rating": 4.0, "quality": True}),
    ("4.5星以上的动画", {"genres_all": {"Animation"}, "min_rating": 4.5, "quality": True}),
    ("评分40分以上", {"note": "忽略了评分"}),
    # several constraints at once
    ("推荐几部九十年代评分高的科幻片，不要恐怖的",
     {"genres_all": {"Sci-Fi"}, "genres_none": {"Horror"}, "year_min": 1990, "year_max": 1999,
      "min_rating": 3.8, "quality": True}),
    ("2000年以后的高分动画片，不要儿童片",
     {"genres_all": {"Animation"}, "genres_none": {"Children"}, "year_min": 2000,
      "min_rating": 3.8, "quality": True}),
    # English titles and names inside Chinese
    ("有没有像Alien那样的科幻片", {"genres_all": {"Sci-Fi"}, "reference_items": [10]}),
    ("类似The Matrix的电影", {"reference_items": [20]}),
    ("我喜欢Toy Story", {"reference_items": [1]}),
    ("像Star Wors那样的", {"reference_items": [30], "note": "Star Wars"}),
    ("和Blade Runner 2049差不多的", {"reference_items": [61]}),
    ("Tom Hanks演的电影", {"people": ["Tom Hanks"]}),
    ("推荐Meryl Streep的电影", {"people": ["Meryl Streep"]}),
    ("80年代的sci-fi", {"genres_all": {"Sci-Fi"}, "year_min": 1980, "year_max": 1989}),
    ("不要horror", {"genres_none": {"Horror"}}),
    # topics become English free text for the sentence encoder
    ("关于太空的电影", {"text": "space"}),
    ("有机器人的科幻片", {"genres_all": {"Sci-Fi"}, "text": "robots"}),
    ("悬疑片，不要日本的", {"genres_all": {"Mystery"}}),  # an excluded topic is no search text
    # ordinals
    ("像第二部那样", {"ordinal": 1}),
    ("第三个", {"ordinal": 2}),
    ("和第1部类似的", {"ordinal": 0}),
    ("像#2那样的", {"ordinal": 1}),
    ("像最后一部那样的", {"ordinal": -1}),
    ("第二次世界大战的电影", {"genres_all": {"War"}}),  # 第二次: no ordinal
    # commands
    ("再来几部", {"command": Command.MORE}),
    ("换一批", {"command": Command.MORE}),
    ("请再来几部吧！", {"command": Command.MORE}),
    ("更多", {"command": Command.MORE}),
    ("新一点", {"command": Command.NEWER}),
    ("新一点的", {"command": Command.NEWER}),
    ("老一点", {"command": Command.OLDER}),
    ("重新开始", {"command": Command.RESET}),
    ("帮助", {"command": Command.HELP}),
    ("我的评分", {"command": Command.HISTORY}),
    ("忘记我", {"command": Command.FORGET}),
    # the language a film is in
    ("法国电影", {"languages": ["fr"]}),
    ("有没有韩国的惊悚片", {"genres_all": {"Thriller"}, "languages": ["ko"]}),
    ("推荐一部日本动画", {"genres_all": {"Animation"}, "languages": ["ja"]}),
    ("港片", {"languages": ["cn"]}),
    # nothing to act on
    ("你好", {}),
    ("谢谢", {}),
]  # fmt: skip

_SET_FIELDS = ("genres_all", "genres_any", "genres_none")


@pytest.fixture(scope="module")
def parser() -> ChineseParser:
    return ChineseParser(QueryParser(make_catalog()))


def _check(query: Query, expected: dict[str, Any]) -> None:
    expected = dict(expected)
    note = expected.pop("note", None)
    default = Query()
    for name in ("genres_all", "genres_any", "genres_none", "year_min", "year_max",
                 "min_rating", "quality", "reference_items", "people", "text", "ordinal",
                 "command", "sort", "languages"):  # fmt: skip
        got = getattr(query, name)
        if name in _SET_FIELDS:
            got = set(got)
        want = expected.get(name, set() if name in _SET_FIELDS else getattr(default, name))
        assert got == want, f"{name}: got {got!r}, want {want!r}"
    if note is not None:
        assert any(note in n for n in query.notes), query.notes
    assert query.lang == "zh"


def test_at_least_sixty_phrasings() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_phrasing(parser: ChineseParser, text: str, expected: dict[str, Any]) -> None:
    _check(parser.parse(text), expected)


@pytest.mark.parametrize("junk", ["", "的的的", "不要不要不要", "第", "年代", "评分", "💩" * 50,
                                  "科幻" * 600, "\x00\x01", "像那样", "除了"])  # fmt: skip
def test_never_raises_and_stays_chinese(parser: ChineseParser, junk: str) -> None:
    query = parser.parse(junk)
    assert query.lang == "zh"


def test_long_message_is_cut_with_a_note(parser: ChineseParser) -> None:
    query = parser.parse("科幻" * 600)
    assert query.genres_all == ["Sci-Fi"]
    assert any("1000" in n for n in query.notes)


@pytest.mark.parametrize(
    ("text", "hint", "lang"),
    [
        ("推荐一部评分高的科幻电影", None, "zh"),
        ("像Alien那样的", None, "zh"),
        ("a funny sci-fi movie", None, "en"),
        ("a funny sci-fi movie", "zh-hans", "en"),  # Latin words: the text decides
        ("#2", "zh-hans", "zh"),  # no words at all: the client's language decides
        ("#2", "en", "en"),
        ("👍", None, "en"),
        ("1990", "zh-TW", "zh"),
    ],
)
def test_language_detection(text: str, hint: str | None, lang: str) -> None:
    assert detect_language(text, hint) == lang
