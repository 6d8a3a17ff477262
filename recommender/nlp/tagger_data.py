"""The layout of the tagger's training-data directory (MIT Movie corpus, eng).

The directory holds ``engtrain.bio`` (BIO, one ``tag<TAB>word`` per line). Finding or
downloading it is the bot's job (``bot.ops.downloads.resolve_tagger_data``); the core
only checks a directory it is given.
"""

from __future__ import annotations

from pathlib import Path

from recommender.errors import DataError

ENG_TRAIN = "engtrain.bio"


def require_tagger_dir(data_dir: Path) -> Path:
    """``data_dir`` if it contains ``engtrain.bio``, else ``DataError`` saying what to set."""
    if not (data_dir / ENG_TRAIN).is_file():
        raise DataError(
            f"{data_dir} has no {ENG_TRAIN}; set RECBOT_TAGGER_DATA (or --data) to the "
            "directory holding the MIT Movie corpus file engtrain.bio"
        )
    return data_dir
