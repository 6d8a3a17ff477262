"""BIO tagging helpers: read MIT-format files, decode tags into spans, score entities.

The MIT Movie corpus writes one token per line as ``TAG<TAB>token`` with a blank line
between sentences (IOB2 tags, e.g. ``B-ACTOR`` / ``I-ACTOR`` / ``O``). Scoring follows
seqeval's default (conlleval) mode: an entity is a maximal run that starts at ``B-X``
(or at an ``I-X`` that does not continue an ``X`` entity) and an entity counts as
correct only when both its span and its type match the gold entity exactly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from recommender.errors import DataError

OUTSIDE = "O"


@dataclass(frozen=True)
class BioSentence:
    """One sentence: parallel lists of lower-case tokens and their BIO tags."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.tokens)


@dataclass(frozen=True)
class Span:
    """An entity over tokens ``start`` (inclusive) .. ``end`` (exclusive)."""

    type: str
    start: int
    end: int


def parse_bio(text: str, source: str = "<text>") -> list[BioSentence]:
    """Parse MIT-format BIO text into sentences.

    Raises ``DataError`` naming ``source`` and the line number when a non-blank line is
    not ``TAG<TAB>token`` or the tag is not ``O`` / ``B-X`` / ``I-X``.
    """
    sentences: list[BioSentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            if tokens:
                sentences.append(BioSentence(tuple(tokens), tuple(tags)))
                tokens, tags = [], []
            continue
        tag, sep, token = line.partition("\t")
        tag = tag.strip()
        if not sep or not token.strip() or not _valid_tag(tag):
            raise DataError(
                f"{source}:{lineno}: expected 'TAG<TAB>token' with TAG O, B-X or I-X, "
                f"got {line[:60]!r}; fix or remove that line"
            )
        tokens.append(token.strip())
        tags.append(tag)
    if tokens:
        sentences.append(BioSentence(tuple(tokens), tuple(tags)))
    return sentences


def read_bio(path: Path) -> list[BioSentence]:
    """Read a BIO file in MIT format (see ``parse_bio``)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"BIO file {path} does not exist; check the path") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason}); pass a BIO file") from None
    return parse_bio(text, source=str(path))


def format_bio(sentences: Iterable[BioSentence]) -> str:
    """Inverse of ``parse_bio``: MIT-format text, a blank line after every sentence."""
    return "".join(
        "".join(f"{tag}\t{tok}\n" for tok, tag in zip(s.tokens, s.tags, strict=True)) + "\n"
        for s in sentences
    )


def _valid_tag(tag: str) -> bool:
    return tag == OUTSIDE or (len(tag) > 2 and tag[:2] in ("B-", "I-"))


def split_tag(tag: str) -> tuple[str, str]:
    """``"B-GENRE"`` -> ``("B", "GENRE")``; ``"O"`` (or anything unprefixed) -> ``("O", "")``."""
    if len(tag) > 2 and tag[1] == "-" and tag[0] in "BI":
        return tag[0], tag[2:]
    return OUTSIDE, ""


def decode_spans(tags: Sequence[str]) -> list[Span]:
    """Entity spans of a BIO tag sequence (seqeval default / conlleval rules).

    ``B-X`` always starts an entity; ``I-X`` continues the current entity when it has
    type X and otherwise starts a new one (so an invalid ``I-X`` after ``O`` still
    yields an entity, as conlleval does); ``O`` or an unknown tag ends it.
    """
    spans: list[Span] = []
    cur_type, cur_start = "", -1
    for i, tag in enumerate(tags):
        prefix, typ = split_tag(tag)
        continues = prefix == "I" and typ == cur_type and cur_start >= 0
        if continues:
            continue
        if cur_start >= 0:
            spans.append(Span(cur_type, cur_start, i))
            cur_type, cur_start = "", -1
        if prefix in ("B", "I"):
            cur_type, cur_start = typ, i
    if cur_start >= 0:
        spans.append(Span(cur_type, cur_start, len(tags)))
    return spans


def encode_spans(n_tokens: int, spans: Iterable[Span]) -> list[str]:
    """BIO tags of length ``n_tokens`` for non-overlapping ``spans`` (inverse of decode)."""
    tags = [OUTSIDE] * n_tokens
    for span in spans:
        for i in range(span.start, span.end):
            tags[i] = ("B-" if i == span.start else "I-") + span.type
    return tags


@dataclass(frozen=True)
class EntityScores:
    """Entity-level scores. ``per_type`` maps type -> (precision, recall, f1, support)."""

    precision: float
    recall: float
    f1: float
    sentences: int
    per_type: dict[str, tuple[float, float, float, int]] = field(default_factory=dict)

    def per_type_f1(self) -> dict[str, float]:
        return {t: v[2] for t, v in self.per_type.items()}


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def entity_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> EntityScores:
    """Micro precision/recall/F1 over exact (span, type) matches, plus per-type scores.

    ``gold`` and ``pred`` are parallel lists of tag sequences; each pair must have the
    same length (ValueError otherwise). Types that occur in either side are reported.
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for g_tags, p_tags in zip(gold, pred, strict=True):
        if len(g_tags) != len(p_tags):
            raise ValueError(f"tag sequences differ in length: {len(g_tags)} vs {len(p_tags)}")
        g_spans = set(decode_spans(g_tags))
        p_spans = set(decode_spans(p_tags))
        n_gold.update(s.type for s in g_spans)
        n_pred.update(s.type for s in p_spans)
        tp.update(s.type for s in g_spans & p_spans)
    per_type = {
        t: (*_prf(tp[t], n_pred[t], n_gold[t]), n_gold[t])
        for t in sorted(set(n_gold) | set(n_pred))
    }
    p, r, f = _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return EntityScores(precision=p, recall=r, f1=f, sentences=len(gold), per_type=per_type)


def map_types(tags: Sequence[str], mapping: dict[str, str | None]) -> list[str]:
    """Rename entity types in a tag sequence; a type mapped to ``None`` becomes ``O``."""
    out: list[str] = []
    for tag in tags:
        prefix, typ = split_tag(tag)
        if prefix == OUTSIDE or typ not in mapping:
            out.append(tag)
            continue
        new = mapping[typ]
        out.append(OUTSIDE if new is None else f"{prefix}-{new}")
    return out
