"""A tiny random BERT (and a tiny MIT-style corpus) for tagger unit tests: no real weights."""

from __future__ import annotations

import string
from pathlib import Path

from transformers import BertConfig, BertModel, BertTokenizerFast

WORDS = [
    "show",
    "me",
    "movies",
    "films",
    "with",
    "from",
    "the",
    "a",
    "an",
    "in",
    "of",
    "like",
    "no",
    "not",
    "similar",
    "to",
    "comedy",
    "horror",
    "action",
    "drama",
    "sci",
    "fi",
    "romance",
    "bruce",
    "willis",
    "tom",
    "hanks",
    "1980s",
    "1990s",
    "80s",
    "90s",
    "alien",
    "matrix",
    "toy",
    "story",
    "directed",
    "by",
    "steven",
    "spielberg",
    "best",
    "highly",
    "rated",
    "second",
    "one",
]


def write_vocab(path: Path) -> Path:
    """vocab.txt: specials, whole words, then letters/digits and their ## pieces."""
    chars = list(string.ascii_lowercase + string.digits)
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *dict.fromkeys(WORDS)]
    tokens += chars + [f"##{c}" for c in chars]
    tokens = list(dict.fromkeys(tokens))  # a duplicate line would shift every id after it
    path.write_text("\n".join(tokens) + "\n", encoding="utf-8")
    return path


def make_tiny_backbone(directory: Path) -> Path:
    """Save a 2-layer, 32-wide random BertModel and its tokenizer into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    vocab_file = write_vocab(directory / "vocab.txt")
    tokenizer = BertTokenizerFast.from_pretrained(str(directory), local_files_only=True)
    assert tokenizer.convert_tokens_to_ids("movies") != tokenizer.unk_token_id, vocab_file
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


TINY_CORPUS = [
    ("show me comedy movies", "O O B-GENRE O"),
    ("show me horror films", "O O B-GENRE O"),
    ("action movies with bruce willis", "B-GENRE O O B-ACTOR I-ACTOR"),
    ("drama films from the 1980s", "B-GENRE O O O B-YEAR"),
    ("sci fi movies from the 1990s", "B-GENRE I-GENRE O O O B-YEAR"),
    ("movies with tom hanks", "O O B-ACTOR I-ACTOR"),
    ("movies directed by steven spielberg", "O O O B-DIRECTOR I-DIRECTOR"),
    ("highly rated romance movies", "B-RATINGS_AVERAGE I-RATINGS_AVERAGE B-GENRE O"),
    ("movies like alien", "O O B-TITLE"),
    ("comedy from the 80s", "B-GENRE O O B-YEAR"),
]


def write_tiny_bio(path: Path, repeat: int = 4) -> Path:
    """An engtrain.bio-style file made of ``TINY_CORPUS`` with numbered variants."""
    lines = []
    for r in range(repeat):
        for text, tags in TINY_CORPUS:
            words, labels = text.split(), tags.split()
            if r:  # distinct sentences so the hash-based dev split sees several
                words, labels = [*words, str(r)], [*labels, "O"]
            lines += [f"{t}\t{w}" for w, t in zip(words, labels, strict=True)] + [""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
