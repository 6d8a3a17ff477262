"""Training knobs of the entity tagger, importable without torch (the CLI reads the
defaults to build ``recbot train tagger``'s flags, and ``recbot --help`` must stay fast)."""

from __future__ import annotations

from dataclasses import dataclass

TRAIN_MAX_LENGTH = 128  # MIT sentences have at most 47 words


@dataclass(frozen=True)
class TrainConfig:
    """Training knobs (CLI flags of ``recbot train tagger`` have the same names).

    Defaults are the measured recipe: 4 epochs at batch 16 and lr 1e-4 with 10 %
    warmup. Dev F1 (fp32, Viterbi decoding with the counted transitions) after epochs
    1/2/3/4: 0.863/0.879/0.886/0.886, against 0.860/0.872/0.877 for a 3-epoch schedule
    (int8 at the end: 0.8885 against 0.8834); batch 32 reached 0.834/0.856/0.869 in 3
    epochs (argmax decoding). ``freeze_word_embeddings`` keeps the 30k x 384 word
    embedding table fixed: it is half of MiniLM's parameters, so updating it dominates
    the optimizer step on CPU while NER fine-tuning gains little from it.
    ``generated_share`` is the fraction of the training mix made of generated queries
    (0.15: 15 % generated, 85 % MIT). ``max_steps`` caps optimizer steps (None: run
    ``epochs`` full epochs). ``lr`` None picks the peak learning rate: 1e-4, or 3e-4
    when ``max_steps`` ends training within the first epoch (a 60-step quick tagger
    reaches dev F1 ~0.55 at 3e-4 against ~0.35 at 1e-4). ``dev_fraction`` of engtrain.bio is held out by a hash of
    the sentence text, so the split does not depend on ``seed`` and duplicates never
    straddle it. ``num_threads`` None means all cores; on a CPU shared with other
    busy processes 1 thread is faster than 2 (threads wait on each other).
    """

    epochs: float = 4.0
    max_steps: int | None = None
    batch_size: int = 16
    lr: float | None = None
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    generated_share: float = 0.15
    seed: int = 13
    dev_fraction: float = 0.1
    max_length: int = TRAIN_MAX_LENGTH
    num_threads: int | None = None
    freeze_word_embeddings: bool = True
