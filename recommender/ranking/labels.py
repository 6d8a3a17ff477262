"""The words the ranking core puts in front of users, per language: reasons and the labels
of relaxed constraints ("Sci-Fi · 1980s · because you liked Alien", "no Horror").

``text(lang, key, **fields)`` formats one entry of ``TEXTS`` (English when ``lang`` has
no table); ``genre_label`` gives a catalog genre's name in a language ("Sci-Fi" ->
"科幻", from the Chinese lexicon, so the words understood and shown are the same).
Titles are never translated.
"""

from __future__ import annotations

from collections.abc import Mapping

from recommender.nlp.languages import NAMES as LANGUAGE_NAMES
from recommender.nlp.zh.lexicon import GENRE_NAMES
from recommender.nlp.zh.lexicon import LANGUAGE_NAMES as ZH_LANGUAGE_NAMES

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "similar": "similar to {title}", "liked": "because you liked {title}",
        "cold": "popular and well rated", "taste": "fits your taste",
        "decade": "{decade}s", "year": "{year}", "years": "{lo}–{hi}",
        "from_year": "{year} or later", "until_year": "up to {year}", "any_year": "any year",
        "rating": "rated {stars}+", "or": " or ", "no_genre": "no {genre}",
        "runtime": "up to {minutes} min", "language": "in {names}", "not_english": "not in English",
        "nothing_left": "nothing left that you have not rated or seen",
    },
    "zh": {
        "similar": "与《{title}》相似", "liked": "因为你喜欢《{title}》",
        "cold": "热门且评分高", "taste": "符合你的口味",
        "decade": "{decade}年代", "year": "{year}年", "years": "{lo}–{hi}年",
        "from_year": "{year}年及以后", "until_year": "{year}年及以前", "any_year": "任何年份",
        "rating": "评分 {stars}+", "or": "或", "no_genre": "不要{genre}",
        "runtime": "{minutes}分钟以内", "language": "{names}", "not_english": "外语片",
        "nothing_left": "你没评过、也没看过的电影已经没有了",
    },
}  # fmt: skip
_GENRE_NAMES = {"zh": GENRE_NAMES}
_LANGUAGE_NAMES = {"en": LANGUAGE_NAMES, "zh": ZH_LANGUAGE_NAMES}


def text(lang: str, key: str, **fields: object) -> str:
    """The ``key`` phrase in ``lang``, formatted with ``fields`` (English as fallback)."""
    return _lookup(TEXTS, lang, key).format(**fields)


def genre_label(genre: str, lang: str) -> str:
    """A catalog genre's name in ``lang`` ("Sci-Fi" -> "科幻"); the catalog name otherwise."""
    return _lookup(_GENRE_NAMES, lang, genre, default=genre)


def language_label(code: str, lang: str) -> str:
    """A film language's name in ``lang`` ("fr" -> "French", "法语"); the code otherwise."""
    return _lookup(_LANGUAGE_NAMES, lang, code, default=code)


def _lookup(
    tables: Mapping[str, Mapping[str, str]], lang: str, key: str, default: str | None = None
) -> str:
    """``key`` in the table of ``lang`` (the English one when ``lang`` has none, else an
    empty one); a key it lacks is ``default``, or a KeyError without one."""
    table = tables.get(lang, tables.get("en", {}))
    return table[key] if default is None else table.get(key, default)
