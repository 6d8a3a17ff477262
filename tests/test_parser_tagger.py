"""The parser fed by the real (quickly trained) BERT tagger instead of the stand-in.

Uses the session's prepared engine (``tests.conftest.engine``: a real tagger trained
for a few steps on the MIT corpus plus generated queries). Even that weak tagger's
entities must parse to the same queries as the stand-in's: the parser repairs cut
genre spans and falls back on the lexicon where the tagger misses.
"""

from __future__ import annotations

from typing import Any

import pytest

from recommender.nlp.parser import QueryParser
from tests.nlp_support import make_catalog
from tests.test_parser import CASES, TAGGER, check

pytestmark = pytest.mark.slow

# Every phrasing that does not need a perfect tagger (lower-case names do).
REAL_TAGGER_CASES = [c for c in CASES if c[2] != TAGGER]


@pytest.fixture(scope="module")
def tagger(request):
    """The real tagger of the session's prepared engine (built once for the suite)."""
    try:
        engine = request.getfixturevalue("engine")
    except ImportError as exc:  # a piece of the app that prepare needs has not landed
        pytest.skip(f"cannot prepare the engine yet: {exc}")
    return engine.tagger


@pytest.fixture(scope="module")
def parser() -> QueryParser:
    # The hand-made catalog keeps the expected item ids of the table; the tagger itself
    # does not depend on the catalog at inference time.
    return QueryParser(make_catalog())


@pytest.mark.parametrize(
    ("text", "expected", "mode"), REAL_TAGGER_CASES, ids=[c[0] for c in REAL_TAGGER_CASES]
)
def test_phrasing_with_real_tagger(
    tagger, parser: QueryParser, text: str, expected: dict[str, Any], mode: str
) -> None:
    check(parser.parse(text, tagger.tag(text)), expected)


def test_real_tagger_and_parser_with_the_full_catalog(tagger) -> None:
    from recommender.data.loaders import load_dataset
    from tests.data_paths import require_movielens

    parser = QueryParser(load_dataset(require_movielens()).catalog)
    text = "highly rated 90s sci-fi like The Matrix but no horror"
    query = parser.parse(text, tagger.tag(text))
    assert query.genres_all == ["Sci-Fi"] and query.genres_none == ["Horror"]
    assert (query.year_min, query.year_max) == (1990, 1999)
    assert query.min_rating is not None and query.quality
    assert query.reference_items == [2571]  # "Matrix, The (1999)" in ml-latest-small
