"""TorchScript-traced forward passes: same outputs as eager, eager fallback on failure."""

from __future__ import annotations

import logging
import threading

import pytest
import torch
from transformers import AutoTokenizer, BertModel

from recommender.nlp.compiled import eager_forward, traced_forward
from recommender.nlp.encoder import SentenceEncoder
from recommender.nlp.tagger import Tagger
from tests.test_tagger import tiny_backbone, tiny_data, trained  # noqa: F401 - fixtures

TEXTS = ["show me comedy movies", "no horror", "a drama with tom hanks from the 1990s like alien"]


def _batch(tokenizer, texts):
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    return enc["input_ids"], enc["attention_mask"]


def test_traced_forward_matches_eager_on_padded_and_unpadded_batches(tiny_backbone) -> None:  # noqa: F811
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_backbone), local_files_only=True)
    model = BertModel.from_pretrained(str(tiny_backbone), local_files_only=True).eval()
    traced = traced_forward(model, tokenizer)
    assert isinstance(traced, torch.jit.ScriptModule)
    eager = eager_forward(model)
    with torch.inference_mode():
        for texts in (TEXTS, TEXTS[:1], TEXTS[1:2]):
            batch = _batch(tokenizer, texts)
            torch.testing.assert_close(traced(*batch), eager(*batch))


class _Untraceable(torch.nn.Module):
    """Returns a dict: ``return_dict=False`` is ignored, so tracing cannot produce a tensor."""

    def forward(self, input_ids, attention_mask, return_dict=None):  # noqa: ARG002
        if int(input_ids.sum()) % 2:  # data-dependent Python branch
            return {"x": input_ids.float()}
        return {"x": -input_ids.float()}


def test_a_model_that_cannot_be_traced_falls_back_to_eager(tiny_backbone, caplog) -> None:  # noqa: F811
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_backbone), local_files_only=True)
    with caplog.at_level(logging.WARNING, logger="recommender.nlp.compiled"):
        forward = traced_forward(_Untraceable(), tokenizer)
    assert not isinstance(forward, torch.jit.ScriptModule)
    assert "eager" in caplog.text


def test_traced_tagger_tags_exactly_like_the_eager_one(trained) -> None:  # noqa: F811
    jit = Tagger.load(trained[0], jit=True)
    eager = Tagger.load(trained[0], jit=False)
    assert isinstance(jit.forward, torch.jit.ScriptModule)
    texts = [*TEXTS, "", "x" * 3000, "Bruce Willis " * 400]
    assert jit.tag_batch(texts) == eager.tag_batch(texts)


def test_traced_tagger_is_safe_to_call_from_two_threads(trained) -> None:  # noqa: F811
    tagger = Tagger.load(trained[0], jit=True)
    expected = {t: tagger.tag(t) for t in TEXTS}
    errors: list[str] = []

    def work() -> None:
        for _ in range(20):
            for text in TEXTS:
                if tagger.tag(text) != expected[text]:
                    errors.append(text)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.parametrize("quantize", [False, True])
def test_traced_encoder_gives_the_eager_vectors(tiny_backbone, quantize) -> None:  # noqa: F811
    jit = SentenceEncoder(tiny_backbone, quantize=quantize, jit=True)
    eager = SentenceEncoder(tiny_backbone, quantize=quantize, jit=False)
    texts = [*TEXTS, "", "comedy " * 300]
    torch.testing.assert_close(
        torch.from_numpy(jit.encode(texts)), torch.from_numpy(eager.encode(texts))
    )
