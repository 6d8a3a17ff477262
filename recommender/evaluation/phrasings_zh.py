"""Chinese requests with the constraints they clearly state, for ``bench/zh_eval.py``.

Unlike ``phrasings.PHRASINGS`` (scored against what the parser produced), each entry
here carries the *intended* constraints as a ``Query``: an answer item counts only if it
satisfies them (``dialogue.satisfies``), so a misread request scores low. "评分高" and
its kin mean ★ 3.8+, as "highly rated" does in English. None of these phrasings is a
row of ``tests/test_parser_zh.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from recommender.nlp.query import Query


@dataclass(frozen=True)
class ZhRequest:
    text: str
    intended: Query


def _q(
    all_: tuple[str, ...] = (),
    none: tuple[str, ...] = (),
    any_: tuple[str, ...] = (),
    years: tuple[int | None, int | None] = (None, None),
    rating: float | None = None,
) -> Query:
    return Query(genres_all=list(all_), genres_none=list(none), genres_any=list(any_),
                 year_min=years[0], year_max=years[1], min_rating=rating,
                 quality=rating is not None)  # fmt: skip


R = ZhRequest
HIGH = 3.8

ZH_REQUESTS: tuple[ZhRequest, ...] = (
    R("推荐一部评分高的科幻电影", _q(("Sci-Fi",), rating=HIGH)),
    R("我想看九十年代的喜剧片", _q(("Comedy",), years=(1990, 1999))),
    R("来几部八十年代的恐怖电影", _q(("Horror",), years=(1980, 1989))),
    R("有没有好看的动画片推荐", _q(("Animation",), rating=3.5)),
    R("给我找几部2000年以后的爱情片", _q(("Romance",), years=(2000, None))),
    R("想看科幻片，但是不要恐怖的", _q(("Sci-Fi",), none=("Horror",))),
    R("高分的纪录片有哪些", _q(("Documentary",), rating=HIGH)),
    R("推荐几部经典的黑色电影", _q(("Film-Noir",), rating=HIGH)),
    R("有什么好看的音乐剧吗", _q(("Musical",), rating=3.5)),
    R("浪漫喜剧，最好是九十年代的", _q(("Comedy", "Romance"), years=(1990, 1999))),
    R("动作片，不要科幻", _q(("Action",), none=("Sci-Fi",))),
    R("最近几年的惊悚片", _q(("Thriller",), years=(2014, None))),
    R("七十年代的犯罪片", _q(("Crime",), years=(1970, 1979))),
    R("评分高的战争片", _q(("War",), rating=HIGH)),
    R("西部片，1970年以前的", _q(("Western",), years=(None, 1969))),
    R("适合孩子看的电影", _q(("Children",))),
    R("奇幻冒险片，别太老，2000年以后的", _q(("Fantasy", "Adventure"), years=(2000, None))),
    R("悬疑片，评分8分以上", _q(("Mystery",), rating=4.0)),
    R("剧情片但不要爱情片", _q(("Drama",), none=("Romance",))),
    R("喜剧或者动画都行，要评分高的", _q(any_=("Comedy", "Animation"), rating=HIGH)),
    R("不要恐怖片和惊悚片，来点喜剧", _q(("Comedy",), none=("Horror", "Thriller"))),
    R("90年代末的科幻动作片", _q(("Sci-Fi", "Action"), years=(1996, 1999))),
    R("有没有2010年之后的高分动画电影", _q(("Animation",), years=(2010, None), rating=HIGH)),
    R("上世纪六十年代的经典电影", _q(years=(1960, 1969), rating=HIGH)),
    R("除了恐怖片，推荐几部八十年代的电影", _q(none=("Horror",), years=(1980, 1989))),
    R("像The Matrix那样的科幻片，不要太老的，2000年以后", _q(("Sci-Fi",), years=(2000, None))),
    R("家庭片，适合全家一起看，不要动画", _q(("Children",), none=("Animation",))),
    R("好评如潮的犯罪惊悚片", _q(("Crime", "Thriller"), rating=HIGH)),
    R("1995到2005年之间的冒险片", _q(("Adventure",), years=(1995, 2005))),
    R("我不想看剧情片，来点动作或者冒险的", _q(none=("Drama",), any_=("Action", "Adventure"))),
)
