"""Read ReDial-format conversations (Li et al., NeurIPS 2018) and their movie names.

A ReDial directory holds ``dev_dialogues.jsonl`` (one dialogue per line:
``conversationId``, ``messages`` [{``senderWorkerId``, ``text``}], ``movieMentions``
{id: name}, ``initiatorWorkerId``; the initiator is the seeker), ``movies_with_mentions.csv``
(``movieId,movieName,nbMentions``) and optionally ``redial_to_ml_latest_small.csv``
(``redial_id,...,ml_movieId,...``: the ReDial movies that exist in ml-latest-small).
Movies appear in messages as ``@<redial id>``; ``render`` writes them the way a person
would type them, as "Title (Year)".

Pure file reading: no network, no environment. A missing file or a malformed line raises
``DataError`` naming it.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from recommender.errors import DataError

DIALOGUES = "dev_dialogues.jsonl"
MOVIES = "movies_with_mentions.csv"
MAPPING = "redial_to_ml_latest_small.csv"
MENTION = re.compile(r"@(\d+)")


@dataclass(frozen=True)
class Message:
    sender: int
    text: str  # as stored, with "@<id>" movie mentions


@dataclass(frozen=True)
class RedialDialogue:
    """One conversation; ``seeker`` is the worker id of the person looking for a movie."""

    conversation_id: str
    seeker: int
    messages: tuple[Message, ...]
    names: Mapping[int, str]  # the dialogue's own movieMentions (id -> name)


@dataclass(frozen=True)
class RedialData:
    dialogues: list[RedialDialogue]
    names: dict[int, str]  # ReDial movie id -> "Title (Year)" (whitespace tidied)
    to_catalog: dict[int, int]  # ReDial movie id -> catalog item id (empty without MAPPING)


def tidy_name(name: str) -> str:
    """ "Police Academy  (1984)" -> "Police Academy (1984)" (ReDial pads some names)."""
    return re.sub(r"\s+", " ", str(name)).strip()


def render(text: str, names: Mapping[int, str], fallback: Mapping[int, str] = {}) -> str:
    """``text`` with every ``@id`` written as its movie name ("Title (Year)").

    An id with no known name is dropped (a person would not type a number)."""

    def name(m: re.Match[str]) -> str:
        movie = int(m.group(1))
        return tidy_name(names.get(movie) or fallback.get(movie) or "")

    return re.sub(r"\s+", " ", MENTION.sub(name, text)).strip()


def mentions(text: str) -> list[int]:
    """ReDial movie ids mentioned in ``text``, in order."""
    return [int(m) for m in MENTION.findall(text)]


def load_redial(directory: Path) -> RedialData:
    """Everything of a ReDial directory; ``DataError`` when the dialogues are missing."""
    directory = Path(directory)
    path = directory / DIALOGUES
    if not path.is_file():
        raise DataError(f"no {DIALOGUES} in {directory}; pass --redial the ReDial data directory")
    dialogues = [_dialogue(line, path, n) for n, line in enumerate(_lines(path), 1) if line.strip()]
    names: dict[int, str] = {}
    if (directory / MOVIES).is_file():
        for row in _rows(directory / MOVIES):
            names[_int(row, "movieId", directory / MOVIES)] = tidy_name(row.get("movieName", ""))
    to_catalog: dict[int, int] = {}
    if (directory / MAPPING).is_file():
        for row in _rows(directory / MAPPING):
            if (row.get("ml_movieId") or "").strip():
                to_catalog[_int(row, "redial_id", directory / MAPPING)] = _int(
                    row, "ml_movieId", directory / MAPPING
                )
    return RedialData(dialogues, names, to_catalog)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _int(row: Mapping[str, str], column: str, path: Path) -> int:
    try:
        return int(str(row[column]).strip())
    except (KeyError, ValueError):
        raise DataError(f"{path}: column {column!r} is missing or not an integer in {dict(row)}") from None


def _dialogue(line: str, path: Path, number: int) -> RedialDialogue:
    try:
        obj = json.loads(line)
        seeker = int(obj["initiatorWorkerId"])
        messages = tuple(
            Message(int(m["senderWorkerId"]), str(m.get("text") or "")) for m in obj["messages"]
        )
        names = {int(k): tidy_name(v) for k, v in (obj.get("movieMentions") or {}).items() if v}
        return RedialDialogue(str(obj["conversationId"]), seeker, messages, names)
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}, line {number}: not a ReDial dialogue ({exc})") from None
