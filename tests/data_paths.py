"""Where the tests find the real data sets, and the skip when they are absent.

Order: ``RECBOT_DATA`` / ``RECBOT_TAGGER_DATA`` when set, else ``../shared/data`` beside
the checkout (development and CI). A clone without either still passes ``make test``:
the tests that need real data skip, naming the data set and how to provide it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"


def movielens_dir() -> Path:
    """The MovieLens directory the tests use (may not exist)."""
    return Path(os.environ.get("RECBOT_DATA") or SHARED_DATA / "movielens" / "ml-latest-small")


def mit_movie_dir() -> Path:
    """The MIT Movie corpus directory the tests use (may not exist)."""
    return Path(os.environ.get("RECBOT_TAGGER_DATA") or SHARED_DATA / "mit-movie")


def has_movielens() -> bool:
    return (movielens_dir() / "ratings.csv").is_file()


def has_mit_movie() -> bool:
    return (mit_movie_dir() / "engtrain.bio").is_file()


MISSING_MOVIELENS = (
    f"needs MovieLens ml-latest-small: none at {movielens_dir()} "
    "(set RECBOT_DATA or put shared/data beside the checkout)"
)
MISSING_MIT_MOVIE = (
    f"needs the MIT Movie corpus (engtrain.bio): none at {mit_movie_dir()} "
    "(set RECBOT_TAGGER_DATA or put shared/data beside the checkout)"
)


def require_movielens() -> Path:
    """``movielens_dir()``, or skip the calling test saying which data is missing."""
    if not has_movielens():
        pytest.skip(MISSING_MOVIELENS)
    return movielens_dir()
