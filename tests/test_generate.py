"""Generated tagger training queries: deterministic, well-formed, covering every kind."""

from __future__ import annotations

from collections import Counter

from recommender.nlp.bio import decode_spans
from recommender.nlp.generate import generate_queries, segments_to_bio
from recommender.nlp.train import ENTITY_TYPES, LABELS


def _entities(sentences) -> Counter[str]:
    return Counter(span.type for s in sentences for span in decode_spans(s.tags))


def _phrases(sentences, typ: str) -> set[str]:
    return {
        " ".join(s.tokens[sp.start : sp.end])
        for s in sentences
        for sp in decode_spans(s.tags)
        if sp.type == typ
    }


def test_same_seed_same_queries_other_seed_other_queries() -> None:
    assert generate_queries(200, seed=7) == generate_queries(200, seed=7)
    assert generate_queries(200, seed=7) != generate_queries(200, seed=8)


def test_queries_are_valid_iob2_with_known_labels() -> None:
    for s in generate_queries(1000, seed=3):
        assert s.tokens and len(s.tokens) == len(s.tags)
        assert set(s.tags) <= set(LABELS)
        for i, tag in enumerate(s.tags):
            if tag.startswith("I-"):
                assert s.tags[i - 1][2:] == tag[2:], s
        assert all(t == t.lower() and t.isalnum() for t in s.tokens), s


def test_generated_mix_covers_all_conversational_kinds() -> None:
    sentences = generate_queries(3000, seed=0)
    counts = _entities(sentences)
    for typ in ("GENRE", "NEG_GENRE", "YEAR", "RATINGS_AVERAGE", "TITLE", "ORDINAL"):
        assert counts[typ] > 50, (typ, counts)
    assert set(counts) <= set(ENTITY_TYPES)
    genres = _phrases(sentences, "GENRE") | _phrases(sentences, "NEG_GENRE")
    assert {"sci fi", "scifi", "science fiction", "rom com", "romcom", "docs", "cartoons"} <= genres
    years = _phrases(sentences, "YEAR")
    assert any(y.startswith("between ") for y in years)
    assert any(y.startswith("before ") for y in years)
    assert any(y.startswith("after ") for y in years)
    assert {"80s", "1980s", "eighties"} & years
    assert {"recent", "classic"} <= years
    assert any(o in _phrases(sentences, "ORDINAL") for o in ("second", "2"))
    # typos of genre words are in the mix (the lexicon's and random ones)
    assert genres & {"horor", "comdy", "thriler", "mistery"}
    # some messages carry no entity at all (commands, chit-chat)
    assert any(set(s.tags) == {"O"} for s in sentences)


def test_titles_come_from_the_catalog_given() -> None:
    sentences = generate_queries(800, titles=["Zorblax Returns"], seed=1)
    titles = _phrases(sentences, "TITLE")
    assert titles and all("zorblax" in t or "returns" in t for t in titles)


def test_segments_split_like_user_text() -> None:
    s = segments_to_bio([("anything but ", None), ("Sci-Fi", "NEG_GENRE"), (" #2", "ORDINAL")])
    assert s.tokens == ("anything", "but", "sci", "fi", "2")
    assert s.tags == ("O", "O", "B-NEG_GENRE", "I-NEG_GENRE", "B-ORDINAL")
