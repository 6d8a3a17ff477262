"""Which films belong to the same series, for "like <title>" lists.

Asked for films like Alien, the list was Aliens, Alien: Resurrection, Alien³, Prometheus:
the person named the series they know. A "like X" list keeps at most one film of X's
series, and not as its first pick (``Engine.rank``). On the ReDial replay the human
recommenders suggested a film of the named film's series for 11 of 334 "like X" lists,
while the bot led 71 of them with one.

``series_keys`` gives each title a key, and ``same_series`` compares two keys: the title
before a colon or dash, without a leading article, a trailing sequel number ("Toy Story
3", "Rocky II", "Alien³") or a plural "s" ("Aliens"). Two keys are one series when equal,
or when the shorter has two words or more and starts the longer ("The Dark Knight" and
"The Dark Knight Rises"); one-word keys must be equal ("It" and "It Follows" are not),
unless the films share a director or lead actor (``series_keys`` with credits: "The
Matrix Reloaded" is of "The Matrix"). Titles that go on from one name of two or three
words with "and the" are one series too ("Harry Potter and the …").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence

from recommender.data.catalog import Catalog

_ROMAN = r"(?:ii|iii|iv|v|vi|vii|viii|ix|x)"
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_SEQUEL = re.compile(rf"\s+(?:part\s+|chapter\s+)?(?:\d+|{_ROMAN})$")
_SUPERSCRIPT = re.compile(r"[²³]$")
# Lead actors that tie a sequel to its film when the title alone does not ("Rocky Balboa").
SERIES_CAST = 3
# A keyword a film without keywords takes from its series: on this share of the members
# that have keywords at least.
INHERIT_SHARE = 0.5
_HERO_AND = re.compile(r"^(?P<hero>\S+(?: \S+){1,2}) (?:and|&) the ")


def series_key(title: str) -> str:
    """The series part of a display title (see the module docstring)."""
    key = re.split(r":| - | – ", title.lower(), maxsplit=1)[0].strip()
    key = _ARTICLE.sub("", key)
    key = _SUPERSCRIPT.sub("", _SEQUEL.sub("", key)).strip()
    return key[:-1] if len(key) > 3 and key.endswith("s") and not key.endswith("ss") else key


def series_keys(titles: Sequence[str], credits: Sequence[Collection[str]] | None = None) -> list[str]:
    """``series_key`` of every title; with ``credits`` (per title, the names of its
    directors and lead cast) a title that is a one-word series key and more ("The Matrix
    Reloaded", "Rocky Balboa") joins that series when the two films share a credit, which
    "It Follows" and "It" do not."""
    keys = [series_key(t) for t in titles]
    if credits is None:
        return keys
    one_word: dict[str, list[int]] = {}
    for pos, key in enumerate(keys):
        if key and " " not in key:
            one_word.setdefault(key, []).append(pos)
    count = Counter(keys)
    for pos, key in enumerate(keys):
        head = key.split(" ", 1)[0]
        # A key that other titles share is a series already ("Toy Story 2" is of "Toy
        # Story", never of "The Toy", whatever credits the films share).
        if " " in key and head in one_word and count[key] == 1:
            mine = set(credits[pos])
            if any(mine & set(credits[other]) for other in one_word[head]):
                keys[pos] = head
    return keys


def same_series(a: str, b: str) -> bool:
    """Whether two series keys name one series."""
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short.split()) >= 2 and long.startswith(short + " "):
        return True
    # "Harry Potter and the Chamber of Secrets", "Indiana Jones and the Last Crusade":
    # a hero's name of two words or more, then "and the" and each film's own subtitle.
    hero_a, hero_b = _HERO_AND.match(a), _HERO_AND.match(b)
    return bool(hero_a and hero_b and hero_a.group("hero") == hero_b.group("hero"))


def in_series(keys: Sequence[str], reference_keys: Sequence[str]) -> bool:
    """Whether any of ``keys`` is in a series of ``reference_keys``."""
    return any(same_series(key, ref) for key in keys for ref in reference_keys)


def one_of_each_series(keys: Sequence[str], reference_keys: Sequence[str]) -> list[int]:
    """Positions of ranked items ``keys`` to keep, in order: of the items in a series of
    ``reference_keys`` only the best stays, and never first while another item is there."""
    members = [pos for pos, key in enumerate(keys) if in_series([key], reference_keys)]
    if not members:
        return list(range(len(keys)))
    best = members[0]
    others = [pos for pos in range(len(keys)) if pos not in members]
    # The best member keeps its place among the others, but not the first one.
    at = max(sum(pos < best for pos in others), 1)
    return [*others[:at], best, *others[at:]]


def few_of_each_series(keys: Sequence[str], cap: int) -> list[int]:
    """Positions of ranked items ``keys`` to keep, in order: at most ``cap`` of any one
    series (the best ranked). Items without a series key are all kept."""
    kept: list[int] = []
    for pos, key in enumerate(keys):
        if sum(same_series(key, keys[other]) for other in kept) < cap:
            kept.append(pos)
    return kept


def catalog_series_keys(catalog: Catalog) -> list[str]:
    """``series_keys`` of a catalog's titles, with its directors and lead cast as credits."""
    credits = [(*d, *c[:SERIES_CAST]) for d, c in zip(catalog.directors, catalog.cast, strict=True)]
    return series_keys(catalog.titles, credits)


def inherited_keywords(catalog: Catalog, keys: Sequence[str] | None = None) -> list[tuple[str, ...]]:
    """Per item, the keywords of its series when it has none of its own, else ().

    The newest films often come without keywords (Deadpool 2, Avengers: Infinity War):
    "no superheroes" could not leave them out. A film without keywords takes those on at
    least ``INHERIT_SHARE`` of its series' films that have keywords (same key).
    ``keys``: the catalog's ``catalog_series_keys`` when already at hand.
    """
    keys = catalog_series_keys(catalog) if keys is None else keys
    members: dict[str, list[int]] = {}
    for idx, key in enumerate(keys):
        if key and catalog.keywords[idx]:
            members.setdefault(key, []).append(idx)
    out: list[tuple[str, ...]] = []
    for idx, key in enumerate(keys):
        donors = members.get(key, []) if not catalog.keywords[idx] else []
        if not donors:
            out.append(())
            continue
        votes = Counter(k for d in donors for k in dict.fromkeys(catalog.keywords[d]))
        need = INHERIT_SHARE * len(donors)
        out.append(tuple(k for k, n in votes.items() if n >= need))
    return out
