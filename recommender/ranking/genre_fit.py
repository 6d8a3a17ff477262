"""How much a film *is* of a genre, not merely tagged with it.

MovieLens tags a film with every genre it touches: Forrest Gump, Shrek and WALL·E are all
"Romance", and the most popular of them led "a romantic movie" ahead of Titanic, When
Harry Met Sally... and Amélie. A film's fit for genre ``g`` is the projection of its item
vector (plot, keywords, people, tags: ``recommender.semantic``) on the direction from
the centroid of the films outside ``g`` to the centroid of the films in it (a Rocchio
classifier in embedding space): love stories score high for Romance, a life story with
a romance in it lower. It needs no hand-written genre description and no encoder at
request time: one matrix product per genre, at start-up.

Used as a share of the prior (``Engine.rank``): it orders films of about equal
popularity, and never lifts an unknown film over a well-known one by itself
(``FIT_Z_CAP``).

A tone is a lean between genres (``tone_fit``): "lighter" / "happier" (the parser's
"feel-good") more of a comedy and less of a thriller, "darker" the reverse. The words
alone matched badly: by the encoder and the keywords, Fight Club was the most
"feel-good" film near The Dark Knight.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

# The fit's weight next to the unit-weight standardised prior. On ReDial (all 500 dev
# dialogues, Recall@1/5/10): none 0.032/0.117/0.150, 0.5 0.031/0.114/0.159, 0.75
# 0.029/0.115/0.159, 1.0 0.028/0.114/0.155; the humans there name the season's Deadpool
# for "action", which the fit moves below The Dark Knight. 0.75 is the least at which
# "a romantic movie" opens with a love story.
GENRE_FIT_SHARE = 0.75
# Cap of the standardised fit: past it a film is typical for certain, and more would
# only favour obscure films whose text repeats the genre's vocabulary (Tarantula, Mortuary
# led "horror" at twice the share, uncapped).
FIT_Z_CAP = 2.0
# Genres with fewer films than this get no direction (a centroid of a handful is noise).
MIN_FILMS = 20


def genre_directions(vectors: np.ndarray, genre_matrix: np.ndarray,
                     names: Iterable[str]) -> dict[str, np.ndarray]:
    """Per genre name (lower case), the fit of every item: ``vectors @ d_g`` where ``d_g``
    is the unit vector from the centroid of the items outside the genre to the centroid
    of those in it. ``genre_matrix`` is items x genres (bool), columns in ``names`` order.
    Genres with fewer than ``MIN_FILMS`` films (or with every film) are left out."""
    # Every genre's sum of vectors in one product; the films outside a genre are the
    # total less those in it (no copy of the matrix per genre).
    members = genre_matrix.astype(np.float32)
    counts = members.sum(axis=0)
    inside = members.T @ vectors
    outside = vectors.sum(axis=0) - inside
    out: dict[str, np.ndarray] = {}
    for col, name in enumerate(names):
        n = float(counts[col])
        if n < MIN_FILMS or n == len(vectors):
            continue
        d = inside[col] / n - outside[col] / (len(vectors) - n)
        norm = float(np.linalg.norm(d))
        if norm < 1e-9:
            continue
        out[name.lower()] = (vectors @ (d / norm)).astype(np.float32)
    return out


def genre_fit(fits: dict[str, np.ndarray], genres: Iterable[str]) -> np.ndarray | None:
    """Mean fit over the asked ``genres`` that have a direction; None when none has."""
    rows = [fits[g.lower()] for g in genres if g.lower() in fits]
    if not rows:
        return None
    return rows[0] if len(rows) == 1 else np.mean(rows, axis=0).astype(np.float32)


# tone word (as the parser writes it) -> (genres it leans to, genres it leans from)
_LIGHT = ("comedy", "children", "animation")
_DARK = ("thriller", "horror", "crime", "war")
TONE_GENRES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "feel-good": (_LIGHT, _DARK), "dark": (_DARK, _LIGHT), "gritty": (_DARK, _LIGHT),
    "bleak": (_DARK, _LIGHT), "serious": (("drama",), ("comedy",)),
}  # fmt: skip


def tone_fit(fits: dict[str, np.ndarray], text: str) -> np.ndarray | None:
    """Per item, how far toward the tones of ``text`` it leans (``TONE_GENRES``: mean fit
    of the genres leaned to less that of those leaned from); None without a tone word."""
    rows = []
    for word in dict.fromkeys(text.lower().split()):
        if word in TONE_GENRES:
            to, away = (genre_fit(fits, side) for side in TONE_GENRES[word])
            if to is not None and away is not None:
                rows.append(to - away)
    if not rows:
        return None
    return rows[0] if len(rows) == 1 else np.mean(rows, axis=0).astype(np.float32)
