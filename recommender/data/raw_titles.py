"""Display titles and years from MovieLens-style raw titles.

MovieLens writes titles as ``"Matrix, The (1999)"``: a leading article moved to the end,
an optional alternate title in parentheses, and the year last. ``parse_title`` undoes
that: ``"Matrix, The (1999)"`` -> ``("The Matrix", 1999)``,
``"Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)"`` -> ``("Amelie", 2001)``.
"""

from __future__ import annotations

import re

# Articles that MovieLens (and ml-100k) move to the end of a title, in several languages.
ARTICLES = frozenset(
    {
        "the", "a", "an",  # English
        "les", "la", "le", "l'", "un", "une", "des",  # French
        "il", "lo", "gli", "i", "uno",  # Italian
        "die", "das", "der", "den", "ein", "eine",  # German / Scandinavian
        "el", "los", "las",  # Spanish
        "o", "os", "as",  # Portuguese
        "de", "het", "det",  # Dutch / Scandinavian
    }
)  # fmt: skip

# "(1999)", "(2006–2007)", "(2007- )": the year is the first four digits.
_YEAR = re.compile(r"\s*\((\d{4})(?:\s*[-–]\s*(?:\d{4})?\s*)?\)\s*$")
# A trailing parenthesised alternate title: "(Fabuleux destin d'Amélie Poulain, Le)".
_ALT = re.compile(r"\s*\(([^()]*)\)\s*$")
# A connector left at the end once a bracketed subtitle is gone: ": Or", ":", " -".
_DANGLING = re.compile(r"(?:\s*[:;,-]\s*(?:or)?|\s+or)\s*$", re.IGNORECASE)
# "Matrix, The" / "Avventura, L'": the article after the last comma.
_TRAILING_ARTICLE = re.compile(r"^(?P<body>.+),\s*(?P<article>[^\s,]+)$")


def split_year(raw: str) -> tuple[str, int]:
    """Strip a trailing ``(YYYY)`` and return ``(rest, year)``; year 0 when absent."""
    match = _YEAR.search(raw)
    if not match:
        return raw.strip(), 0
    return raw[: match.start()].strip(), int(match.group(1))


def move_article_front(title: str) -> str:
    """``"Matrix, The"`` -> ``"The Matrix"``; titles without a moved article unchanged."""
    match = _TRAILING_ARTICLE.match(title.strip())
    if not match or match.group("article").lower() not in ARTICLES:
        return title.strip()
    article, body = match.group("article"), match.group("body").strip()
    # "L'Avventura" has no space after an elided article.
    return f"{article}{body}" if article.endswith("'") else f"{article} {body}"


def parse_title(raw: str) -> tuple[str, int]:
    """Display title and year (0 if unknown) of a raw MovieLens title.

    Drops trailing alternate titles in parentheses (``"Seven (a.k.a. Se7en)"`` ->
    ``"Seven"``) unless that would leave nothing, then moves a trailing article to the
    front.
    """
    rest, year = split_year(raw)
    whole = rest
    while True:
        match = _ALT.search(rest)
        if not match or match.start() == 0:
            break
        rest = rest[: match.start()].strip()
    if rest != whole:
        # "Birdman: Or (The Unexpected Virtue of Ignorance)": the bracket was a subtitle
        # after a connector, which must not dangle ("Birdman: Or").
        rest = _DANGLING.sub("", rest) or rest
    display = move_article_front(rest)
    return (display or raw.strip()), year
