"""SentenceEncoder: mean pooling, unit rows, input order, batching, model ids.

Unit tests use a tiny randomly initialised BERT written to a temp dir (no real
weights); one slow test uses the real packaged MiniLM.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import BertConfig, BertModel, BertTokenizer

from recommender.errors import RecbotError
from recommender.nlp.encoder import SentenceEncoder, mean_pool

WORDS = ["space", "adventure", "alien", "love", "story", "funny", "dog", "war", "the", "a"]


@pytest.fixture(scope="module")
def tiny_bert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiny-bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n")
    BertTokenizer(vocab_file=str(path / "vocab.txt")).save_pretrained(str(path))
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=64,
    )  # fmt: skip
    BertModel(config).save_pretrained(str(path))
    return path


def test_rows_are_unit_length_float32_in_input_order(tiny_bert_dir: Path) -> None:
    enc = SentenceEncoder(tiny_bert_dir)
    texts = ["space adventure", "a", "funny dog story about love and war", "alien"]
    vectors = enc.encode(texts, batch_size=2)
    assert vectors.shape == (4, 16) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Batching and length sorting must not change any row or its position.
    one_by_one = np.stack([enc.encode([t])[0] for t in texts])
    assert np.allclose(vectors, one_by_one, atol=1e-5)


def test_empty_inputs(tiny_bert_dir: Path) -> None:
    enc = SentenceEncoder(tiny_bert_dir)
    assert enc.encode([]).shape == (0, 16)
    assert np.isfinite(enc.encode([""])).all()


def test_long_text_is_truncated_not_an_error(tiny_bert_dir: Path) -> None:
    enc = SentenceEncoder(tiny_bert_dir)
    assert enc.encode(["space " * 5000]).shape == (1, 16)


def test_model_id_separates_quantised_and_fp32(tiny_bert_dir: Path) -> None:
    fp32 = SentenceEncoder(tiny_bert_dir)
    q8 = SentenceEncoder(tiny_bert_dir, quantize=True)
    assert fp32.model_id != q8.model_id
    assert fp32.model_id == SentenceEncoder(tiny_bert_dir).model_id
    assert q8.encode(["space adventure"]).shape == (1, 16)


def test_mean_pool_ignores_padding() -> None:
    hidden = torch.tensor([[[1.0, 0.0], [3.0, 0.0], [100.0, 100.0]]])
    mask = torch.tensor([[1, 1, 0]])
    assert torch.allclose(mean_pool(hidden, mask), torch.tensor([[1.0, 0.0]]))


def test_missing_model_dir_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(RecbotError, match="BERT"):
        SentenceEncoder(tmp_path)


@pytest.mark.slow
def test_real_minilm_puts_paraphrases_together() -> None:
    from recommender.nlp.backbone import default_backbone_dir

    torch.set_num_threads(2)
    enc = SentenceEncoder(default_backbone_dir())
    v = enc.encode(
        ["A man is eating food.", "A man is eating a piece of bread.", "A plane is taking off."]
    )
    assert v.shape == (3, 384)
    # The published all-MiniLM-L6-v2 similarity of the first pair is about 0.755.
    assert abs(float(v[0] @ v[1]) - 0.755) < 0.01
    assert float(v[0] @ v[2]) < 0.3


def test_cached_encoder_returns_the_encoders_rows_and_encodes_each_phrase_once(
    tiny_bert_dir: Path,
) -> None:
    from recommender.nlp.encode_cache import CachedEncoder

    enc = SentenceEncoder(tiny_bert_dir)
    calls: list[list[str]] = []
    plain = enc.encode

    def counting(texts: list[str], batch_size: int = 64, show_progress: bool = False) -> np.ndarray:
        calls.append(list(texts))
        return plain(texts, batch_size=batch_size)

    enc.encode = counting  # type: ignore[method-assign]
    cached = CachedEncoder(enc, size=2)
    assert (cached.model_id, cached.dim) == (enc.model_id, enc.dim)
    first = cached.encode(["space adventure", "alien"])
    again = cached.encode(["alien", "space adventure"])
    assert np.allclose(again, first[::-1]) and np.allclose(first, plain(["space adventure", "alien"]))
    assert calls == [["space adventure", "alien"]]  # the second call hit the cache
    # "alien" was read before "space adventure": a third phrase evicts it, not the other.
    cached.encode(["love story"])
    cached.encode(["space adventure"])
    assert calls[-1] == ["love story"]
    cached.encode(["alien"])
    assert calls[-1] == ["alien"]
    # A large batch (item texts at prepare) goes straight through, unstored.
    many = [f"story {n}" for n in range(20)]
    assert np.allclose(cached.encode(many), plain(many), atol=1e-6)
