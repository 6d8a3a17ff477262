"""Messages the lexicon reads whole skip the tagger; anything that may name something does not."""

from __future__ import annotations

import pytest

from recommender.nlp.parser.lexical import lexicon_only


@pytest.mark.parametrize(
    "text",
    ["more", "#3", "no horror", "comedy movies from the 90s", "highly rated drama films",
     "like the second one", "also sci-fi", "newer", "reset", "more like #2", ""],
)
def test_lexicon_words_only(text: str) -> None:
    assert lexicon_only(text)


@pytest.mark.parametrize(
    "text",
    ["movies with Tom Hanks", "movies with tom hanks", "something like Up",
     "a movie about time travel", "i watched it", "science", "dark thriller"],
)
def test_names_titles_and_other_words_go_through_the_tagger(text: str) -> None:
    assert not lexicon_only(text)
