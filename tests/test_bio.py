"""BIO reading, span decoding, entity metrics and MIT-style word splitting."""

from __future__ import annotations

import pytest

from recommender.errors import DataError
from recommender.nlp.bio import (
    BioSentence,
    Span,
    decode_spans,
    encode_spans,
    entity_scores,
    format_bio,
    map_types,
    parse_bio,
    read_bio,
)
from recommender.nlp.tokenize import pretokenize, words_of

MIT_SAMPLE = "O\twhat\nO\tmovies\nO\tstar\nB-ACTOR\tbruce\nI-ACTOR\twillis\n\nB-GENRE\tcomedy\n\n"


def test_parse_bio_reads_sentences_and_round_trips() -> None:
    sentences = parse_bio(MIT_SAMPLE)
    assert sentences == [
        BioSentence(
            ("what", "movies", "star", "bruce", "willis"), ("O", "O", "O", "B-ACTOR", "I-ACTOR")
        ),
        BioSentence(("comedy",), ("B-GENRE",)),
    ]
    assert format_bio(sentences) == MIT_SAMPLE


def test_read_bio_names_file_and_line_of_a_bad_line(tmp_path) -> None:
    path = tmp_path / "bad.bio"
    path.write_text("O\twhat\nX-FOO\tmovies\n\n")
    with pytest.raises(DataError, match=r"bad\.bio:2"):
        read_bio(path)
    with pytest.raises(DataError, match="does not exist"):
        read_bio(tmp_path / "missing.bio")


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["O", "B-ACTOR", "I-ACTOR", "O"], [Span("ACTOR", 1, 3)]),
        (["B-GENRE", "B-GENRE"], [Span("GENRE", 0, 1), Span("GENRE", 1, 2)]),
        # invalid I- after O starts an entity (conlleval / seqeval default mode)
        (["O", "I-YEAR", "I-YEAR"], [Span("YEAR", 1, 3)]),
        # I- of another type ends the entity and starts a new one
        (["B-ACTOR", "I-TITLE"], [Span("ACTOR", 0, 1), Span("TITLE", 1, 2)]),
        (["O", "O"], []),
        ([], []),
        (["B-TITLE", "I-TITLE"], [Span("TITLE", 0, 2)]),
    ],
)
def test_decode_spans(tags: list[str], spans: list[Span]) -> None:
    assert decode_spans(tags) == spans


def test_encode_spans_inverts_decode() -> None:
    tags = ["B-GENRE", "I-GENRE", "O", "B-YEAR"]
    assert encode_spans(4, decode_spans(tags)) == tags


def test_entity_scores_exact_span_and_type() -> None:
    gold = [["B-ACTOR", "I-ACTOR", "O", "B-YEAR"], ["B-GENRE", "O"]]
    pred = [
        ["B-ACTOR", "O", "O", "B-YEAR"],  # ACTOR span too short: wrong; YEAR right
        ["B-TITLE", "O"],  # right span, wrong type: wrong
    ]
    scores = entity_scores(gold, pred)
    assert scores.precision == pytest.approx(1 / 3)
    assert scores.recall == pytest.approx(1 / 3)
    assert scores.f1 == pytest.approx(1 / 3)
    assert scores.sentences == 2
    f1 = scores.per_type_f1()
    assert f1["YEAR"] == 1.0
    assert f1["ACTOR"] == 0.0 and f1["GENRE"] == 0.0 and f1["TITLE"] == 0.0


def test_entity_scores_perfect_and_empty() -> None:
    gold = [["B-GENRE", "I-GENRE", "O"]]
    assert entity_scores(gold, gold).f1 == 1.0
    nothing = entity_scores([["O"]], [["O"]])
    assert (nothing.precision, nothing.recall, nothing.f1) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        entity_scores([["O"]], [["O", "O"]])


def test_map_types_renames_and_drops() -> None:
    tags = ["O", "B-NEG_GENRE", "I-NEG_GENRE", "B-ORDINAL", "B-YEAR"]
    assert map_types(tags, {"NEG_GENRE": "GENRE", "ORDINAL": None}) == [
        "O", "B-GENRE", "I-GENRE", "O", "B-YEAR",
    ]  # fmt: skip


def test_pretokenize_like_the_mit_corpus_with_original_offsets() -> None:
    text = "The DEVIL's Advocate, sci-fi from the '80s!"
    words = pretokenize(text)
    assert [w.text for w in words] == [
        "the", "devil", "s", "advocate", "sci", "fi", "from", "the", "80s",
    ]  # fmt: skip
    for w in words:
        assert text[w.start : w.end].lower() == w.text


def test_pretokenize_odd_input() -> None:
    assert pretokenize("") == []
    assert pretokenize("🎬🍿 \x00\x07 ...") == []
    assert words_of("Amélie 🎬 #2") == ["amélie", "2"]
    assert len(pretokenize("word " * 10_000, max_words=100)) == 100
