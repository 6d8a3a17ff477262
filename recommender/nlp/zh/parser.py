"""Turn one Chinese message into the same typed :class:`Query` the English parser makes.

How it works (each step claims the characters it explains, so no later step re-reads
them; ``parse`` never raises on any ``str``):

1. whole-message commands ("再来几部", "换一批", "新一点") end parsing at once;
2. an ordinal ("像第二部那样", "#2") refers to the last list shown;
3. Latin runs ("Star Wars", "Tom Hanks", "sci-fi") go to the English side: a catalog
   title (exactly, or fuzzily after "像"/before "那样"), a person ("X 演的"), or
   else whatever the English parser reads in the run (genres, years, free text);
4. ratings ("8分以上", "评分很高") and time expressions (``zh.timewords``);
5. the rest is segmented (``zh.segment``) and looked up in ``zh.lexicon``: genres,
   quality, recency, negation cues, topics ("太空" -> "space");
6. negation scope: from a cue over at most ``MAX_GAP`` words to the first genre, then
   along a list joined by 和/、/或者; "除了喜剧还要动作" ("besides") is not negated;
   "或者" between genres makes them any-of, otherwise genres are all-of.

Relative time ("最近几年", "最新") is anchored at the catalog's newest year, like the
English parser's. Chinese words the lexicon does not know are not free text: the
sentence encoder only reads English, so ``Query.text`` holds the English topic words
and unresolved Latin words only.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from recommender.nlp import lexicon as en_lexicon
from recommender.nlp.language import CHINESE
from recommender.nlp.parser.genres import place_genres
from recommender.nlp.parser.years import OLD_BEFORE, RECENT_SPAN, intersect_windows
from recommender.nlp.query import Query
from recommender.nlp.zh import lexicon
from recommender.nlp.zh.commands import detect_command, find_ordinal
from recommender.nlp.zh.latin import LatinReader
from recommender.nlp.zh.segment import Segmenter
from recommender.nlp.zh.timewords import ZH_NUM, find_time_spans, zh_number

logger = logging.getLogger(__name__)

MAX_CHARS = 1000  # as the English parser: nobody types a longer request
MAX_GAP = 3  # words allowed between a negation cue and its first genre ("不要太吓人的恐怖片")
HIGH_RATING = en_lexicon.QUALITY_WORDS["highly rated"]  # "评分很高"

_CLAUSE_END = frozenset(",.;!?:()，。；！？：（）")
_RATING_RE = re.compile(
    rf"(?:(?P<pre>评分|分数|评价|豆瓣|imdb|打分|得分)\s*(?:在|高于|大于|超过|不低于|至少|>=?|≥)?\s*)?"
    rf"(?P<n>\d{{1,2}}(?:\.\d)?|{ZH_NUM}(?:点[一二三四五六七八九])?)\s*(?P<unit>分|星)?(?!钟|之|类)"
    rf"\s*(?P<rel>以上|及以上|或以上|起|往上|或更高|\+)?",
    re.IGNORECASE,
)
_HIGH_RE = re.compile(r"(?:评分|分数|口碑|评价|得分)(?:很|比较|特别|非常|超|最|挺|都|要)?(?:高|好)")
# "不要太老的", "别太新": the opposite window of 老 / 新.
_NOT_AGE_RE = re.compile(r"(?:不要|别|不能|不想要)(?:太|那么|很|特别)?(?P<age>老|旧|新)(?:的)?")
# "老西部片": 老 right before a genre word or 片/电影 means old (not "老师", "不老").
_OLD_ADJ_RE = re.compile(
    r"(?<![不别太很])老(?:的)?(?=(?:"
    + "|".join(sorted(lexicon.GENRE_WORDS, key=len, reverse=True))
    + r"|片|电影))"
)
# What a film is about, asked ("讲什么", "讲的是什么", "是关于什么的", "什么剧情").
_ASKED_ABOUT_RE = re.compile(r"讲(?:的)?(?:是)?(?:什么|啥)|(?:是)?关于什么|什么(?:剧情|内容|故事)|剧情是什么")
_SORT = {"最新": "newest", "最近的": "newest", "最老": "oldest", "最早": "oldest"}

# Every segment-level word the lexicon knows: word -> (kind, payload).
_WORDS: dict[str, tuple[str, Any]] = {}
for _w in lexicon.TOPIC_WORDS:
    _WORDS[_w] = ("topic", lexicon.TOPIC_WORDS[_w])
for _w in (*lexicon.SCOPE_BREAKS, *lexicon.BESIDES_CUES):
    _WORDS[_w] = ("break", None)
for _w in lexicon.LIST_GLUE:
    _WORDS[_w] = ("any" if _w in lexicon.ANY_GLUE else "glue", None)
for _w in lexicon.NEGATION_CUES:
    _WORDS[_w] = ("neg", None)
for _w in lexicon.POSTFIX_NEGATION:
    _WORDS[_w] = ("postneg", None)
for _w in lexicon.RECENT_WORDS:
    _WORDS[_w] = ("recent", None)
for _w in lexicon.OLD_WORDS:
    _WORDS[_w] = ("old", None)
for _w, _v in lexicon.QUALITY_WORDS.items():
    _WORDS[_w] = ("quality", _v)
for _w, _g in lexicon.GENRE_WORDS.items():
    _WORDS[_w] = ("genre", _g)
for _w, _codes in lexicon.LANGUAGE_WORDS.items():
    _WORDS[_w] = ("language", _codes)
# Found inside a longer segment too ("恐怖电影" -> 恐怖); cues never are ("别的" is not "别").
_INNER = sorted((w for w, (k, _) in _WORDS.items() if k in ("genre", "quality", "topic", "language")),
                key=len, reverse=True)  # fmt: skip
_MAX_JOIN = 3  # segments joined to find a lexicon word jieba split ("黑色"+"电影")


@dataclass
class Unit:
    """One explained piece of the message, in order: its ``kind`` and position."""

    kind: str
    text: str
    start: int
    genres: tuple[str, ...] = ()  # a genre's catalog genres; a topic's English words; a language's codes
    negated: bool | None = None  # genres and topics; None: decided by the negation walk


@dataclass
class _State:
    text: str  # NFKC, original case
    lowered: str
    claimed: list[bool]
    units: list[Unit] = field(default_factory=list)
    years: list[tuple[int, int | None, int | None]] = field(default_factory=list)  # at, lo, hi
    query: Query = field(default_factory=lambda: Query(lang=CHINESE))

    def take(self, start: int, end: int, kind: str, **unit: Any) -> bool:
        """Claim ``[start, end)`` as one unit, unless any of it is claimed already."""
        if start >= end or any(self.claimed[start:end]):
            return False
        self.claimed[start:end] = [True] * (end - start)
        self.units.append(Unit(kind, self.text[start:end], start, **unit))
        return True

    def masked(self) -> str:
        """The lower-cased text with claimed characters as "\\x00" (offsets kept)."""
        return "".join(
            "\x00" if c else ch for ch, c in zip(self.lowered, self.claimed, strict=True)
        )

    def note(self, message: str) -> None:
        if message not in self.query.notes:
            self.query.notes.append(message)


class ChineseParser:
    """Parses Chinese messages for the catalog of an English ``QueryParser``, whose title
    index, genre spelling and anchor year it shares. Build once (the segmenter loads its
    dictionary here, about 0.3 s); ``parse`` is then cheap and pure."""

    def __init__(self, english: Any, segmenter: Segmenter | None = None) -> None:
        self.english = english
        self.anchor_year = int(english.anchor_year)
        self.segmenter = segmenter or Segmenter()
        self.latin = LatinReader(english)

    def warm_up(self) -> None:
        """Parse once, so the first user pays no lazy set-up."""
        self.parse("推荐一部九十年代评分高的科幻电影，不要恐怖片")

    def parse(self, text: str) -> Query:
        """The :class:`Query` a Chinese message asks for; ``Query.lang`` is "zh"."""
        try:
            return self._parse(text if isinstance(text, str) else str(text))
        except Exception:  # a message must never crash the bot; log it and degrade
            logger.exception("Chinese parser failed on %r", str(text)[:200])
            return Query(notes=["没能完全理解这句话"], lang=CHINESE)

    # ------------------------------------------------------------------ pipeline

    def _parse(self, raw: str) -> Query:
        text = _normalize(raw[:MAX_CHARS])
        command = detect_command(text)
        if command is not None:
            return Query(command=command, lang=CHINESE)
        state = _State(text, text.lower(), [False] * len(text))
        if len(raw) > MAX_CHARS:
            state.note(f"只读了前 {MAX_CHARS} 个字")
        self._ordinal(state)
        self._asked_about(state)
        self.latin.read(state)
        self._ratings(state)
        self._years(state)
        self._words(state)
        _negation_scope(state.units)
        _assemble(state)
        return state.query

    def _asked_about(self, state: _State) -> None:
        """"第一部讲什么", "它讲的是什么": a question about the film on screen (the
        ordinal's, else the last one shown), answered with its description."""
        m = _ASKED_ABOUT_RE.search(state.lowered)
        if m and state.take(m.start(), m.end(), "ignored"):
            state.query.pronoun = "asked"

    def _ordinal(self, state: _State) -> None:
        found = find_ordinal(state.lowered)
        if found and state.take(found[0], found[1], "ordinal"):
            state.query.ordinal = found[2]

    def _ratings(self, state: _State) -> None:
        for m in _RATING_RE.finditer(state.masked()):
            pre, unit, rel = m.group("pre"), m.group("unit"), m.group("rel")
            if not ((pre and (unit or rel)) or (unit and rel) or unit == "星"):
                continue
            value = _rating_number(m.group("n"))
            if value is None:
                continue
            if unit != "星" and 5 < value <= 10:
                state.note(f"把 {m.group('n')} 分（十分制）理解为 {value / 2:g} 星")
                value /= 2
            if not 0.5 <= value <= 5:
                state.take(m.start(), m.end(), "ignored")
                state.note(f"忽略了评分 {m.group('n')}（评分在 0.5 到 5 星之间）")
                continue
            if state.take(m.start(), m.end(), "rating"):
                _raise_min_rating(state.query, value)
        for m in _HIGH_RE.finditer(state.masked()):
            if state.take(m.start(), m.end(), "rating"):
                _raise_min_rating(state.query, HIGH_RATING)

    def _years(self, state: _State) -> None:
        for span in find_time_spans(state.masked(), self.anchor_year):
            kind = "year" if span.lo is not None or span.hi is not None else "ignored"
            if state.take(span.start, span.end, kind) and kind == "year":
                state.years.append((span.start, span.lo, span.hi))
            if span.note:
                state.note(span.note)
        for m in _OLD_ADJ_RE.finditer(state.masked()):
            if state.take(m.start(), m.end(), "year"):
                state.years.append((m.start(), None, OLD_BEFORE - 1))
        for m in _NOT_AGE_RE.finditer(state.masked()):
            if state.take(m.start(), m.end(), "year"):
                newest_old = self.anchor_year - RECENT_SPAN
                window = (OLD_BEFORE, None) if m.group("age") != "新" else (None, newest_old)
                state.years.append((m.start(), *window))

    def _words(self, state: _State) -> None:
        masked = state.masked().replace("\x00", " ")
        segs = [s for s in self.segmenter.segments(masked) if not state.claimed[s.start]]
        i = 0
        while i < len(segs):
            used = 1
            for n in range(min(_MAX_JOIN, len(segs) - i), 1, -1):
                group = segs[i : i + n]
                if all(a.end == b.start for a, b in zip(group, group[1:], strict=False)):
                    word = "".join(s.text for s in group)
                    if word in _WORDS:
                        self._lexicon_unit(state, group[0].start, group[-1].end, word)
                        used = n
                        break
            else:
                self._segment(state, segs[i].start, segs[i].text)
            i += used

    def _segment(self, state: _State, start: int, word: str) -> None:
        if word in _WORDS:
            self._lexicon_unit(state, start, start + len(word), word)
            return
        if all(c in _CLAUSE_END for c in word):
            state.take(start, start + len(word), "punct")
            return
        pos = 0
        while pos < len(word):  # lexicon words inside a longer jieba word
            inner = next((w for w in _INNER if word.startswith(w, pos)), None)
            if inner:
                self._lexicon_unit(state, start + pos, start + pos + len(inner), inner)
                pos += len(inner)
            else:
                pos += 1
        if not any(state.claimed[start : start + len(word)]):
            filler = word in lexicon.FILLER_WORDS
            state.take(start, start + len(word), "filler" if filler else "word")

    def _lexicon_unit(self, state: _State, start: int, end: int, word: str) -> None:
        kind, payload = _WORDS[word]
        if kind == "genre":
            genres = tuple(g for g in (self.english.catalog_genre(f) for f in payload) if g)
            if not genres:
                state.note(f"这个片库没有“{word}”这一类")
                state.take(start, end, "ignored")
                return
            state.take(start, end, "genre", genres=genres)
        elif kind == "quality":
            if state.take(start, end, "rating"):
                _raise_min_rating(state.query, float(payload))
        elif kind in ("recent", "old"):
            if state.take(start, end, "year"):
                recent = (self.anchor_year - RECENT_SPAN + 1, None)
                state.years.append(
                    (start, *(recent if kind == "recent" else (None, OLD_BEFORE - 1)))
                )
                state.query.sort = _SORT.get(word, state.query.sort)
        elif kind == "topic":
            state.take(start, end, "topic", genres=(str(payload),))
        elif kind == "language":
            state.take(start, end, "language", genres=tuple(payload))
        else:
            state.take(start, end, kind)


# --------------------------------------------------------------------------- helpers


def _normalize(text: str) -> str:
    """NFKC one character at a time (full-width "，９０" -> ",90") so offsets stay put."""
    out = []
    for ch in text:
        norm = unicodedata.normalize("NFKC", ch)
        out.append(norm if len(norm) == 1 else ch)
    return "".join(out)


def _rating_number(raw: str) -> float | None:
    """ "8" -> 8.0, "4.5" -> 4.5, "八" -> 8.0, "八点五" -> 8.5."""
    try:
        return float(raw)
    except ValueError:
        pass
    whole, _, frac = raw.partition("点")
    value = zh_number(whole)
    if value is None:
        return None
    return value + (lexicon.DIGITS.get(frac, 0) / 10 if frac else 0.0)


def _raise_min_rating(query: Query, value: float) -> None:
    query.min_rating = value if query.min_rating is None else max(query.min_rating, value)
    query.quality = True


def _negation_scope(units: list[Unit]) -> None:
    """Decide ``negated`` for every genre unit (see the module docstring, step 6)."""
    units.sort(key=lambda u: u.start)
    open_scope, gap, in_list, cue = False, 0, False, -1
    scoped: list[tuple[Unit, int, int]] = []  # negated genre, index of its cue, its index
    for i, unit in enumerate(units):
        if unit.kind == "neg":
            open_scope, gap, in_list, cue = True, 0, False, i
        elif unit.kind == "genre":
            if unit.negated is None:
                unit.negated = open_scope
            if unit.negated:
                open_scope, in_list, gap = True, True, 0
                scoped.append((unit, cue, i))
        elif not open_scope:
            continue
        elif unit.kind in ("topic", "language"):  # "不要日本的": not a subject to look for
            unit.negated = True
            gap += 1
        elif unit.kind in ("punct", "break", "postneg", "title", "person", "year", "rating",
                           "ordinal"):  # fmt: skip
            open_scope = False
        elif unit.kind in ("glue", "any"):
            continue
        elif in_list or unit.kind != "filler":
            gap += 1
            if in_list or gap > MAX_GAP:
                open_scope = False
    for unit, cue, i in scoped:  # "除了喜剧还要动作": besides, not except
        if cue >= 0 and units[cue].text == "除了" and _besides_follows(units, i):
            unit.negated = False
    captured = {cue for _, cue, _ in scoped}
    for i, unit in enumerate(units):  # "恐怖片除外", "爱情片不要": the list before the cue
        if unit.kind == "postneg" or (unit.kind == "neg" and i not in captured):
            for prev in reversed(units[:i]):
                if prev.kind == "genre":
                    prev.negated = True
                elif prev.kind not in ("glue", "any", "filler"):
                    break


def _besides_follows(units: list[Unit], i: int) -> bool:
    for unit in units[i + 1 :]:
        if unit.kind in ("genre", "glue", "any", "filler", "punct"):
            continue
        return unit.text.startswith(lexicon.BESIDES_CUES)
    return False


def _assemble(state: _State) -> None:
    q = state.query
    genres = [u for u in state.units if u.kind == "genre"]
    positives = [u for u in genres if not u.negated]
    any_pair: set[int] = set()
    for a, b in zip(positives, positives[1:], strict=False):
        if any(u.kind == "any" and a.start < u.start < b.start for u in state.units):
            any_pair.update((id(a), id(b)))
    clash = place_genres(
        q, [u.genres for u in genres if u.negated], [(u.genres, id(u) in any_pair and len(u.genres) == 1) for u in positives]
    )
    if clash:
        state.note(f"{'、'.join(clash)} 既要又不要：按不要处理")
    windows = [(lo, hi) for _, lo, hi in sorted(state.years, key=lambda w: w[0])]
    q.year_min, q.year_max, problems = intersect_windows(windows)
    if "contradiction" in problems:
        state.note("时间条件互相矛盾：按后面的那个处理")
    if "impossible" in problems:
        state.note("忽略了不可能的年份范围")
    topics = [u.genres[0] for u in state.units if u.kind == "topic" and not u.negated]
    # A language said away ("不要日本的") asks for nothing: the catalog has no way to
    # leave out a language it does not know for most films.
    q.languages = list(dict.fromkeys(c for u in state.units if u.kind == "language" and not u.negated
                                     for c in u.genres))
    q.text = " ".join(dict.fromkeys([*topics, q.text] if q.text else topics)).strip()
