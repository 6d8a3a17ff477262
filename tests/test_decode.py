"""Constrained BIO decoding (recommender.nlp.decode): the tagger never emits a stray
``I-X``, and where the per-word argmax is already valid it is kept."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from recommender.nlp.bio import decode_spans, split_tag
from recommender.nlp.decode import (
    BioDecoder,
    Transitions,
    allowed_transitions,
    estimate_transitions,
    log_softmax,
    viterbi,
)

LABELS = ["O", "B-TITLE", "I-TITLE", "B-GENRE", "I-GENRE"]
ID2LABEL = dict(enumerate(LABELS))


def _logits(rows: list[dict[str, float]]) -> np.ndarray:
    """Per-word logits: 0 everywhere except the given label scores."""
    out = np.zeros((len(rows), len(LABELS)))
    for i, row in enumerate(rows):
        for label, value in row.items():
            out[i, LABELS.index(label)] = value
    return out


def _valid(tags: list[str]) -> bool:
    prev_type = ""
    for tag in tags:
        prefix, typ = split_tag(tag)
        if prefix == "I" and typ != prev_type:
            return False
        prev_type = typ if prefix != "O" else ""
    return True


def test_a_valid_argmax_is_kept() -> None:
    logits = _logits([{"O": 5}, {"B-TITLE": 5}, {"I-TITLE": 5}, {"O": 5}])
    assert BioDecoder(ID2LABEL).decode(logits) == ["O", "B-TITLE", "I-TITLE", "O"]


def test_a_stray_inside_tag_after_outside_becomes_the_likelier_valid_reading() -> None:
    # "watch alien": argmax says O I-TITLE; B-TITLE is the runner-up on word 2.
    logits = _logits([{"O": 5}, {"I-TITLE": 4, "B-TITLE": 3, "O": 1}])
    assert BioDecoder(ID2LABEL).decode(logits) == ["O", "B-TITLE"]


def test_a_type_switch_inside_an_entity_is_resolved_to_one_type() -> None:
    # B-TITLE I-GENRE is invalid; the sequence-level best is one TITLE span.
    logits = _logits([{"B-TITLE": 6}, {"I-GENRE": 3, "I-TITLE": 2.5}])
    tags = BioDecoder(ID2LABEL).decode(logits)
    assert tags == ["B-TITLE", "I-TITLE"]
    assert [s.type for s in decode_spans(tags)] == ["TITLE"]


def test_a_sentence_never_starts_inside_an_entity() -> None:
    logits = _logits([{"I-GENRE": 9, "B-GENRE": 1}])
    assert BioDecoder(ID2LABEL).decode(logits) == ["B-GENRE"]


def test_empty_sentence_decodes_to_nothing() -> None:
    assert BioDecoder(ID2LABEL).decode(np.zeros((0, len(LABELS)))) == []


@pytest.mark.parametrize("seed", range(20))
def test_viterbi_is_the_best_valid_sequence_by_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    emissions = log_softmax(rng.normal(size=(4, len(LABELS))) * 3)
    start, trans = allowed_transitions(LABELS)
    best = max(
        (
            path
            for path in itertools.product(range(len(LABELS)), repeat=4)
            if _valid([LABELS[j] for j in path])
        ),
        key=lambda path: sum(emissions[t, j] for t, j in enumerate(path)),
    )
    assert viterbi(emissions, start, trans) == list(best)


def test_counted_transitions_prefer_the_continuation_seen_in_training(tmp_path) -> None:
    # In training a TITLE always runs on for a second word; the model is unsure whether
    # word 2 continues the title or is outside. The counted transitions settle it.
    training = [["B-TITLE", "I-TITLE", "O"]] * 20 + [["O", "B-GENRE"]] * 5
    transitions = estimate_transitions(training, LABELS)
    transitions.save(tmp_path)
    loaded = Transitions.load(tmp_path)
    assert loaded is not None and loaded.labels == tuple(LABELS)
    logits = _logits([{"B-TITLE": 6}, {"O": 2.0, "I-TITLE": 1.9}, {"O": 5}])
    assert BioDecoder(ID2LABEL).decode(logits)[:2] == ["B-TITLE", "O"]
    assert BioDecoder(ID2LABEL, loaded, weight=1.0).decode(logits)[:2] == ["B-TITLE", "I-TITLE"]
    # weight 0 is the constrained decoder alone
    assert BioDecoder(ID2LABEL, loaded, weight=0.0).decode(logits)[:2] == ["B-TITLE", "O"]


def test_transitions_follow_the_decoders_label_order_and_never_lift_a_bio_constraint() -> None:
    transitions = estimate_transitions([["O", "I-GENRE"]] * 50, LABELS)  # invalid data
    reversed_labels = dict(enumerate(reversed(LABELS)))
    decoder = BioDecoder(reversed_labels, transitions, weight=1.0)
    logits = np.zeros((2, len(LABELS)))
    logits[1, list(reversed(LABELS)).index("I-GENRE")] = 3.0
    assert _valid(decoder.decode(logits))


def test_an_older_tagger_directory_has_no_transitions(tmp_path) -> None:
    assert Transitions.load(tmp_path) is None
