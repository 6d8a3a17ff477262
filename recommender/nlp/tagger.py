"""The fine-tuned BERT entity tagger at inference time.

``Tagger.load(dir)`` reads a directory written by ``recommender.nlp.train`` (a
``BertForTokenClassification`` with ``id2label`` in its config, plus its tokenizer).
``tag(text)`` pre-tokenises the text like the MIT corpus (``tokenize.pretokenize``),
labels each word by its first sub-token, decodes the sentence with Viterbi
(``decode.BioDecoder``: BIO constraints plus the label transitions counted at training,
``transitions.json``) and returns ``Entity`` spans with character offsets into the
original text. Dynamic int8 quantisation of the Linear layers is the
default (faster on CPU); ``quantize=False`` keeps the fp32 model. The forward pass is
traced with TorchScript by default (``recommender.nlp.compiled``: half the time per
message, and it releases the GIL so two model threads use two cores); ``jit=False``
keeps the eager forward.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from pathlib import Path

import torch
from transformers import AutoTokenizer, BertForTokenClassification, PreTrainedTokenizerBase

from recommender.errors import ArtifactMissing
from recommender.nlp.bio import OUTSIDE, decode_spans
from recommender.nlp.compiled import Forward, eager_forward, traced_forward
from recommender.nlp.decode import BioDecoder, Transitions
from recommender.nlp.entities import Entity
from recommender.nlp.tokenize import Word, pretokenize

log = logging.getLogger(__name__)

# Cap on sub-tokens per message (incl. [CLS]/[SEP]); longer input is truncated.
DEFAULT_MAX_LENGTH = 512


# FFN up-projections stay fp32: quantising them too cost 0.9 F1 points on the dev split.
FP32_LINEAR_SUFFIXES = ("intermediate.dense",)


def quantize_linear(model: torch.nn.Module) -> torch.nn.Module:
    """Dynamic int8 quantisation of the ``nn.Linear`` layers (per-channel weights when
    available), except the FFN ``intermediate.dense`` layers, which stay fp32.

    Measured on the dev split (988 sentences) with the shipped recipe, one thread, idle
    2-core machine (tag one message, p50 / p99): fp32 F1 0.8763, 11.5 / 15.6 ms; every
    Linear int8 F1 0.8675 (-0.88 points), 4.4 / 6.7 ms; this scheme F1 0.8731
    (-0.32 points), 7.2 / 10.9 ms (eager forward). On a later CPU with AVX-512 VNNI the
    int8 kernels round differently: this scheme F1 0.8720 (-0.43 points). The issue
    allows int8 only within 0.5 points of fp32, so the mixed scheme is the default;
    ``quantize=False`` keeps the fp32 path.
    """
    from torch.ao.quantization import quantize_dynamic

    try:
        from torch.ao.quantization import per_channel_dynamic_qconfig as qconfig
    except ImportError:  # older torch: per-tensor only
        from torch.ao.quantization import default_dynamic_qconfig as qconfig
    spec = {
        name: qconfig
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear) and not name.endswith(FP32_LINEAR_SUFFIXES)
    }
    with warnings.catch_warnings():
        # torch.ao.quantization is deprecated in favour of torchao, which is not a
        # dependency; the eager API still works and is what we measured.
        warnings.simplefilter("ignore")
        return quantize_dynamic(model, spec, dtype=torch.qint8)


def encode_words(
    tokenizer: PreTrainedTokenizerBase,
    batch: Sequence[Sequence[str]],
    max_length: int,
) -> tuple[dict[str, torch.Tensor], list[list[int | None]]]:
    """Tokenise pre-split words (dynamic padding); also return each row's word ids."""
    enc = tokenizer(
        [list(words) for words in batch],
        is_split_into_words=True,
        truncation=True,
        max_length=max_length,
        padding=True,
        return_token_type_ids=False,
        return_tensors="pt",
    )
    word_ids = [enc.word_ids(i) for i in range(len(batch))]
    return dict(enc), word_ids


def first_subtoken_positions(word_ids: Sequence[int | None], n_words: int) -> list[int]:
    """The sub-token position of each word's first piece (-1: the word was truncated)."""
    positions = [-1] * n_words
    for pos, wid in enumerate(word_ids):
        if wid is not None and positions[wid] < 0:
            positions[wid] = pos
    return positions


def word_tags(
    logits: torch.Tensor, word_ids: Sequence[int | None], n_words: int, decoder: BioDecoder
) -> list[str]:
    """Per-word BIO tags of one row: the first sub-token's logits, decoded as a valid
    BIO sequence (``decode.BioDecoder``); words cut off by truncation get ``O``."""
    positions = first_subtoken_positions(word_ids, n_words)
    kept = [p for p in positions if p >= 0]
    decoded = iter(decoder.decode(logits[kept].float().numpy()) if kept else [])
    return [next(decoded) if p >= 0 else OUTSIDE for p in positions]


@torch.inference_mode()
def predict_word_tags(
    forward: Forward,
    tokenizer: PreTrainedTokenizerBase,
    sentences: Sequence[Sequence[str]],
    id2label: dict[int, str],
    *,
    max_length: int = DEFAULT_MAX_LENGTH,
    batch_size: int = 64,
    decoder: BioDecoder | None = None,
) -> list[list[str]]:
    """BIO tags for each word of each sentence (batches sorted by length for speed).

    ``forward`` maps ``(input_ids, attention_mask)`` to logits (``compiled.Forward``).
    Each word is labelled by its first sub-token, and a sentence's labels are the most
    probable valid BIO sequence (``decoder``, built from ``id2label`` when not given).
    """
    decoder = decoder or BioDecoder(id2label)
    out: list[list[str]] = [[] for _ in sentences]
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    for lo in range(0, len(order), batch_size):
        idx = [i for i in order[lo : lo + batch_size] if sentences[i]]
        if not idx:
            continue
        enc, word_ids = encode_words(tokenizer, [sentences[i] for i in idx], max_length)
        logits = forward(enc["input_ids"], enc["attention_mask"])
        for row, i in enumerate(idx):
            out[i] = word_tags(logits[row], word_ids[row], len(sentences[i]), decoder)
    return out


# Characters that join two words into one typed token ("sci-fi", "devil's"): an entity
# boundary never falls there, so same-type spans on both sides are one entity.
_JOINERS = frozenset("-'’‐‑")


def entities_from_tags(text: str, words: Sequence[Word], tags: Sequence[str]) -> list[Entity]:
    """Entities over the original ``text`` from per-word BIO tags."""
    entities: list[Entity] = []
    for span in decode_spans(tags):
        start, end = words[span.start].start, words[span.end - 1].end
        prev = entities[-1] if entities else None
        gap = text[prev.end : start] if prev else ""
        if prev and prev.type == span.type and gap and set(gap) <= _JOINERS:
            start = prev.start
            entities.pop()
        entities.append(Entity(span.type, text[start:end], start, end))
    return entities


class Tagger:
    """A trained entity tagger; thread-compatible for inference (no mutable state)."""

    def __init__(
        self,
        model: torch.nn.Module,
        tokenizer: PreTrainedTokenizerBase,
        id2label: dict[int, str],
        max_length: int = DEFAULT_MAX_LENGTH,
        forward: Forward | None = None,
        transitions: Transitions | None = None,
    ) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.id2label = id2label
        self.max_length = max_length
        self.forward = forward or eager_forward(self.model)
        self.decoder = BioDecoder(id2label, transitions)

    @property
    def labels(self) -> list[str]:
        """Entity types this tagger can produce (without B-/I-)."""
        return sorted({lab[2:] for lab in self.id2label.values() if lab != OUTSIDE})

    @classmethod
    def load(
        cls, path: Path, quantize: bool = True, max_length: int | None = None, jit: bool = True
    ) -> Tagger:
        """Load a trained tagger directory; ``ArtifactMissing`` saying how to build it.

        ``quantize``: dynamic int8 Linear layers (``quantize_linear``); ``jit``: trace the
        forward pass with TorchScript (falls back to eager, logged, if tracing fails).
        """
        path = Path(path)
        if not (path / "config.json").is_file():
            raise ArtifactMissing(
                f"no trained tagger in {path}; build it with `recbot train tagger` "
                "(or `recbot prepare`, which builds every artifact)"
            )
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        bert = BertForTokenClassification.from_pretrained(str(path), local_files_only=True)
        bert.eval()
        config = bert.config
        if config.id2label is None:
            raise ArtifactMissing(f"the tagger in {path} has no label map; rebuild it with `recbot prepare`")
        id2label = {int(k): v for k, v in config.id2label.items()}
        model: torch.nn.Module = quantize_linear(bert) if quantize else bert
        limit = min(config.max_position_embeddings, tokenizer.model_max_length)
        forward = traced_forward(model, tokenizer) if jit else None
        return cls(
            model, tokenizer, id2label, min(max_length or DEFAULT_MAX_LENGTH, limit), forward,
            Transitions.load(path),
        )  # fmt: skip

    def _words(self, text: str) -> list[Word]:
        # Every word is at least one sub-token: more words than max_length can't fit.
        return pretokenize(text, self.max_length)

    def tag_words(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for already-split words (used to score BIO files)."""
        return predict_word_tags(
            self.forward, self.tokenizer, sentences, self.id2label,
            max_length=self.max_length, decoder=self.decoder,
        )  # fmt: skip

    def tag(self, text: str) -> list[Entity]:
        """Entities in ``text`` (any string: empty, huge, emoji, control characters)."""
        return self.tag_batch([text])[0]

    def tag_batch(self, texts: Sequence[str]) -> list[list[Entity]]:
        """``tag`` for several texts in one forward pass per batch."""
        words = [self._words(t) for t in texts]
        tags = self.tag_words([[w.text for w in ws] for ws in words])
        return [
            entities_from_tags(text, ws, ts)
            for text, ws, ts in zip(texts, words, tags, strict=True)
        ]
