"""Score a trained tagger on a BIO file (``recbot eval tagger``).

Entity-level precision/recall/F1, exact span and type (``bio.entity_scores``). Project
types the file cannot contain are mapped back onto the file's types before scoring,
so that a correct project-specific label is not counted as an error: ``NEG_GENRE`` ->
``GENRE`` and ``ORDINAL`` -> ``O`` when the gold labels do not use those types.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TypedDict

from recommender.nlp.bio import BioSentence, decode_spans, entity_scores, map_types, read_bio

# Project type -> the MIT type it refines (None: MIT has no such entity).
PROJECT_TO_MIT: dict[str, str | None] = {"NEG_GENRE": "GENRE", "ORDINAL": None}


class WordTagger(Protocol):
    def tag_words(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]: ...


def gold_types(sentences: Sequence[BioSentence]) -> set[str]:
    return {span.type for s in sentences for span in decode_spans(s.tags)}


class TaggerScores(TypedDict):
    """The ``eval tagger --json`` object (docs/design.md)."""

    micro_f1: float
    precision: float
    recall: float
    per_type: dict[str, float]
    sentences: int


def score_sentences(tagger: WordTagger, sentences: Sequence[BioSentence]) -> TaggerScores:
    """The ``eval tagger`` JSON object for ``sentences`` (see module docstring)."""
    present = gold_types(sentences)
    mapping = {t: m for t, m in PROJECT_TO_MIT.items() if t not in present}
    predicted = [
        map_types(tags, mapping) for tags in tagger.tag_words([s.tokens for s in sentences])
    ]
    scores = entity_scores([s.tags for s in sentences], predicted)
    return {
        "micro_f1": scores.f1,
        "precision": scores.precision,
        "recall": scores.recall,
        "per_type": scores.per_type_f1(),
        "sentences": scores.sentences,
    }


def evaluate_bio(tagger: WordTagger, path: Path) -> TaggerScores:
    """Read an MIT-format BIO file and score ``tagger`` on it."""
    return score_sentences(tagger, read_bio(Path(path)))
