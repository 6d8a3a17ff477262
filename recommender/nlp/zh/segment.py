"""Chinese word segmentation: rjieba (the Rust port of jieba) plus the lexicon's words.

Building a ``Segmenter`` loads jieba's dictionary (about 0.2-0.3 s) and adds every
lexicon word (``lexicon.user_words``) so that "浪漫喜剧", "评分高" or "再来几部" come out
as one unit. Build it once, when the engine loads, never per message; segmenting a
message is then a few microseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import rjieba

from recommender.nlp.zh import lexicon


@dataclass(frozen=True)
class Segment:
    """One word of a message: its ``text`` and character offsets ``[start, end)``."""

    text: str
    start: int
    end: int


class Segmenter:
    """Splits Chinese text into words; the lexicon's words are never split."""

    def __init__(self, extra_words: Iterable[str] = ()) -> None:
        self._jieba = rjieba.Jieba()
        for word in [*lexicon.user_words(), *extra_words]:
            # freq None: jieba picks a frequency just high enough to keep the word whole.
            self._jieba.add_word(word, None, None)

    def segments(self, text: str) -> list[Segment]:
        """The words of ``text`` with offsets; whitespace-only pieces are dropped."""
        return [
            Segment(word, start, end)
            for word, start, end in self._jieba.tokenize(text)
            if word.strip()
        ]
