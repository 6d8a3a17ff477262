"""Model names -> classes; build a model by name or load one from its ``.npz`` file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from recommender.cf.base import Recommender
from recommender.cf.ease import EASE, RatingEASE
from recommender.cf.knn import ItemKNN, Popularity, UserKNN
from recommender.cf.storage import read_model_name
from recommender.errors import DataError, RecbotError

MODELS: dict[str, type[Recommender]] = {
    cls.name: cls for cls in (RatingEASE, EASE, ItemKNN, UserKNN, Popularity)
}
DEFAULT_MODEL: str = RatingEASE.name


def make_model(name: str | None = None, **params: Any) -> Recommender:
    """A new, unfitted model (``DEFAULT_MODEL`` when ``name`` is None)."""
    name = name or DEFAULT_MODEL
    if name not in MODELS:
        raise RecbotError(f"Unknown CF model {name!r}; choose one of {', '.join(MODELS)}.")
    try:
        return MODELS[name](**params)
    except TypeError as exc:
        raise RecbotError(f"Bad parameters for model {name!r}: {exc}.") from exc


def load_model(path: Path) -> Recommender:
    """Load a model saved by ``Recommender.save``; the file says which class it is."""
    name = read_model_name(Path(path))
    if name not in MODELS:
        raise DataError(f"{path} holds an unknown model type {name!r}; run `recbot prepare`.")
    return MODELS[name].load(Path(path))
