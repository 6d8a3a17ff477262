"""English inside Chinese: titles, names and English words typed in a Chinese message.

Each Latin run ("Star Wars", "Tom Hanks", "sci-fi 90s") is read, in this order, as:

1. a genre phrase of the English lexicon ("sci-fi") -> a genre unit, so Chinese
   negation around it still applies ("不要horror");
2. a person when a Chinese cue says so ("Tom Hanks 演的", "Nolan 导演的");
3. a catalog title: exactly, or fuzzily ("Star Wors") when a reference cue stands
   around it ("像 X 那样", "类似 X 的");
4. whatever the English parser reads in the run alone (years, ratings, genres, people,
   free text);
5. a capitalised two- or three-word name ("推荐 Meryl Streep 的电影") -> a person.
"""

from __future__ import annotations

import re
from typing import Any

from recommender.nlp import lexicon as en_lexicon
from recommender.nlp.zh import lexicon

_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’&:.\-]*(?:\s+[A-Za-z0-9'’&:.\-]+)*")
_NAME = re.compile(r"[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){1,2}")


class LatinReader:
    """Reads the Latin runs of a message with an English ``QueryParser``'s resources."""

    def __init__(self, english: Any) -> None:
        self.english = english

    def read(self, state: Any) -> None:
        """Claim every Latin run of ``state`` (a ``zh.parser._State``) it can explain."""
        for m in list(_RUN.finditer(state.masked())):
            run = state.text[m.start() : m.end()].rstrip(" .:-'")
            if not any(c.isalpha() for c in run) or any(state.claimed[m.start() : m.end()]):
                continue
            self._run(state, m.start(), m.start() + len(run), run)

    def _run(self, state: Any, start: int, end: int, run: str) -> None:
        before = state.text[:start].rstrip()
        after = state.text[end:].lstrip()
        q = state.query
        genres = self.english.genre_of_phrase(run) if en_lexicon.genres_of(run) else ()
        if genres:
            state.take(start, end, "genre", genres=genres)
            return
        if after.startswith(lexicon.PERSON_AFTER):
            _add(q.people, _title_case(run))
            state.take(start, end, "person")
            return
        cue = before.endswith(lexicon.REFERENCE_BEFORE) or after.startswith(lexicon.REFERENCE_AFTER)
        titles = self.english.titles
        match = titles.exact(run) or (titles.resolve(run) if cue else None)
        if match is not None:
            _add(q.reference_items, match.item_id)
            if match.score < 100:
                state.note(f"把“{run}”理解为《{match.label}》")
            state.take(start, end, "title")
            return
        sub = self.english.parse(run)
        found = sub.genres_all or sub.genres_any or sub.genres_none or sub.people
        timed = sub.year_min is not None or sub.year_max is not None
        if found or timed or sub.min_rating is not None or sub.reference_items:
            self._merge(state, start, end, sub)
        elif _NAME.fullmatch(run):
            _add(q.people, run)
            state.take(start, end, "person")
        elif sub.text:
            q.text = f"{q.text} {sub.text}".strip()
            state.take(start, end, "latin")

    @staticmethod
    def _merge(state: Any, start: int, end: int, sub: Any) -> None:
        """What the English parser read in a run, as units of this message."""
        q = state.query
        if not state.take(start, end, "latin"):
            return
        unit = state.units[-1]
        unit.kind = "genre" if sub.genres_all or sub.genres_any else "latin"
        unit.genres = tuple(sub.genres_all + sub.genres_any)
        for genre in sub.genres_none:
            _add(q.genres_none, genre)
        if sub.year_min is not None or sub.year_max is not None:
            state.years.append((start, sub.year_min, sub.year_max))
        if sub.min_rating is not None:
            q.min_rating = max(q.min_rating or 0.0, sub.min_rating)
        q.quality = q.quality or sub.quality
        for item in sub.reference_items:
            _add(q.reference_items, item)
        for person in sub.people:
            _add(q.people, person)
        if sub.text:
            q.text = f"{q.text} {sub.text}".strip()
        q.sort = q.sort or sub.sort


def _add(target: list, value: Any) -> None:
    if value not in target:
        target.append(value)


def _title_case(name: str) -> str:
    return name.title() if name.islower() else name
