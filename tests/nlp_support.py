"""Test support for the parser/titles tests: a hand-made catalog and a stand-in tagger.

``FakeTagger`` plays the BERT tagger by simple rules that follow the labelling
conventions of ``recommender.nlp.generate`` (GENRE / NEG_GENRE / YEAR /
RATINGS_AVERAGE / TITLE / ACTOR / ORDINAL spans with character offsets). It is
deliberately *not* the parser's lexicon fallback: it knows a fixed list of titles and
people the way a trained model would, and it labels spans the parser must map.
"""

from __future__ import annotations

import re

import numpy as np

from recommender.data.catalog import Catalog
from recommender.nlp import lexicon
from recommender.nlp.entities import Entity

# id, display title, raw title, year, genres, rating count
ITEMS = [
    (1, "Toy Story", "Toy Story (1995)", 1995, ("Adventure", "Animation", "Children", "Comedy"), 215),
    (2, "Toy Story 2", "Toy Story 2 (1999)", 1999, ("Adventure", "Animation", "Children", "Comedy"), 97),
    (10, "Alien", "Alien (1979)", 1979, ("Horror", "Sci-Fi"), 146),
    (11, "Aliens", "Aliens (1986)", 1986, ("Action", "Adventure", "Horror", "Sci-Fi"), 126),
    (12, "Alien", "Alien (2014)", 2014, ("Drama",), 2),  # an obscure namesake
    (20, "The Matrix", "Matrix, The (1999)", 1999, ("Action", "Sci-Fi", "Thriller"), 278),
    (21, "The Matrix Reloaded", "Matrix Reloaded, The (2003)", 2003, ("Action", "Sci-Fi"), 93),
    (30, "Star Wars: Episode IV - A New Hope", "Star Wars: Episode IV - A New Hope (1977)",
     1977, ("Action", "Adventure", "Sci-Fi"), 251),
    (31, "Star Wars: Episode V - The Empire Strikes Back",
     "Star Wars: Episode V - The Empire Strikes Back (1980)", 1980,
     ("Action", "Adventure", "Sci-Fi"), 211),
    (40, "The Godfather", "Godfather, The (1972)", 1972, ("Crime", "Drama"), 192),
    (41, "Heat", "Heat (1995)", 1995, ("Action", "Crime", "Thriller"), 102),
    (42, "Seven", "Seven (a.k.a. Se7en) (1995)", 1995, ("Mystery", "Thriller"), 203),
    (43, "Amelie", "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)", 2001,
     ("Comedy", "Romance"), 120),
    (50, "Casablanca", "Casablanca (1942)", 1942, ("Drama", "Romance"), 100),
    (51, "The Shining", "Shining, The (1980)", 1980, ("Horror",), 109),
    (52, "Notting Hill", "Notting Hill (1999)", 1999, ("Comedy", "Romance"), 80),
    (53, "Grizzly Man", "Grizzly Man (2005)", 2005, ("Documentary",), 20),
    (54, "Chicago", "Chicago (2002)", 2002, ("Comedy", "Crime", "Drama", "Musical"), 60),
    (55, "The Maltese Falcon", "Maltese Falcon, The (1941)", 1941, ("Film-Noir", "Mystery"), 40),
    (56, "Unforgiven", "Unforgiven (1992)", 1992, ("Drama", "Western"), 80),
    (57, "Saving Private Ryan", "Saving Private Ryan (1998)", 1998, ("Action", "Drama", "War"), 188),
    (58, "Spirited Away", "Spirited Away (Sen to Chihiro no kamikakushi) (2001)", 2001,
     ("Adventure", "Animation", "Fantasy"), 87),
    (59, "Avatar", "Avatar (2009)", 2009, ("Action", "Adventure", "Sci-Fi", "IMAX"), 90),
    (60, "Deadpool 2", "Deadpool 2 (2018)", 2018, ("Action", "Comedy", "Sci-Fi"), 30),
    (61, "Blade Runner 2049", "Blade Runner 2049 (2017)", 2017, ("Sci-Fi",), 40),
    (62, "Blade Runner", "Blade Runner (1982)", 1982, ("Action", "Sci-Fi", "Thriller"), 124),
    (63, "Scary Movie", "Scary Movie (2000)", 2000, ("Comedy", "Horror"), 50),
]  # fmt: skip

PEOPLE = ("tom hanks", "christopher nolan", "steven spielberg", "meryl streep")


def make_catalog() -> Catalog:
    """The hand-made catalog: 27 items, every MovieLens genre, newest year 2018."""
    return Catalog(
        item_ids=np.array([i[0] for i in ITEMS], dtype=np.int64),
        raw_titles=[i[2] for i in ITEMS],
        titles=[i[1] for i in ITEMS],
        years=np.array([i[3] for i in ITEMS], dtype=np.int32),
        genres=[i[4] for i in ITEMS],
        rating_count=np.array([i[5] for i in ITEMS], dtype=np.int32),
    )


_YEAR_SPAN = re.compile(
    r"\b(?:between|from)\s+\d{4}\s+(?:and|to)\s+\d{4}\b"
    r"|\b(?:before|after|since|until|pre|post)[\s-]*(?:the\s+)?(?:\d{4}s?|'?\d0s)\b"
    r"|(?:\b\d{4}s?\b|'?\b\d0'?s\b)"
    r"|\b(?:" + "|".join(sorted(lexicon.DECADE_WORDS, key=len, reverse=True)) + r")\b"
    r"|\b(?:recent|new|latest|old|classic)\b"
)
_GENRE_SPAN = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(a).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+")
        for a in sorted(lexicon.GENRE_ALIASES, key=len, reverse=True)
    )
    + r"|superhero|spy)\b"
)
_NEG_BEFORE = re.compile(
    r"(?:\bno|\bnot|\bwithout|\banything but|\bexcept|\bnothing|\bnon|\bor)[\s-]*$"
)
_QUALITY_SPAN = re.compile(r"\b(?:highly rated|top rated|best|good|rated above \d(?:\.\d)?)\b")
_ORDINAL_SPAN = re.compile(
    r"(?<=the )(?:first|second|third|fourth|fifth|last)\b(?= one\b| movie\b|$)"
    r"|(?<=#)\d+|(?<=number )\d+"
)


class FakeTagger:
    """Rule-based stand-in for ``recommender.nlp.tagger.Tagger`` (same ``tag`` API)."""

    def __init__(self, catalog: Catalog) -> None:
        self.titles = sorted(
            {t.lower() for t in catalog.titles} | {"star wars", "the matrix"},
            key=len,
            reverse=True,
        )

    def tag(self, text: str) -> list[Entity]:
        low = text.lower()
        taken = [False] * len(text)
        out: list[Entity] = []

        def add(kind: str, start: int, end: int) -> None:
            if any(taken[start:end]):
                return
            taken[start:end] = [True] * (end - start)
            out.append(Entity(kind, text[start:end], start, end))

        for title in self.titles:
            for m in re.finditer(rf"(?<!\w){re.escape(title)}(?!\w)", low):
                if re.search(r"\b(?:like|to|than)\s*$", low[: m.start()]):
                    add("TITLE", m.start(), m.end())
        for person in PEOPLE:
            for m in re.finditer(rf"\b{person}\b", low):
                add("DIRECTOR" if "nolan" in person else "ACTOR", m.start(), m.end())
        for m in _ORDINAL_SPAN.finditer(low):
            add("ORDINAL", m.start(), m.end())
        for m in _QUALITY_SPAN.finditer(low):
            add("RATINGS_AVERAGE", m.start(), m.end())
        for m in _YEAR_SPAN.finditer(low):
            add("YEAR", m.start(), m.end())
        negated = False
        for m in _GENRE_SPAN.finditer(low):
            before = low[: m.start()]
            if _NEG_BEFORE.search(before):
                negated = negated or not before.rstrip().endswith(" or")
            else:
                negated = False
            add("NEG_GENRE" if negated else "GENRE", m.start(), m.end())
        return sorted(out, key=lambda e: e.start)
