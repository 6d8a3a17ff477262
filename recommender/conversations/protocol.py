"""The conversation benchmark: how a ReDial dialogue is replayed and scored.

Protocol (``recbot eval conversations``):

1. Each dialogue is played by a fresh user. Only the seeker's messages are sent to the
   bot, one by one, in order, with every ``@id`` written as "Title (Year)" (``say``
   steps); the human recommender's messages are never shown to the bot.
2. At every recommender message that suggests a movie which maps into the catalog and
   was not mentioned before in the dialogue (by either side), each such movie is one
   instance (``score`` steps), scored against the list the seeker has in front of them:
   the items of the bot's latest reply that listed any (a small-talk answer keeps the
   list). Recall@1 / @5: the movie is among the first 1 / 5 items of that list;
   Recall@10: among those plus the next page ("more"). A suggestion before the seeker
   said anything is not scored (the bot was not asked yet); it still counts as mentioned.
3. Popularity baseline on the same instances: the catalog's most-rated items, minus the
   movies mentioned so far in the dialogue.
4. ``empty_share``: the share of instances at which the seeker has no list (the bot
   never listed anything in this dialogue so far).

How it differs from the published ReDial figures (``../shared/data/README.md``): those
systems rank ReDial's own ~6.9k movies and see both sides of the dialogue; here the bot
ranks the ~9.7k ml-latest-small movies (only the ~87 % of suggestions that map into it
are scored) and sees the seeker's messages only, as it would in a chat. Recall@10 is the
reply plus one "more" page rather than a top-10 list.

Everything here is pure: the caller drives the real dialogue layer (``bot/``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from recommender.conversations.redial import RedialData, RedialDialogue, mentions, render
from recommender.data.catalog import Catalog

KS = (1, 5, 10)
PARTS = ("all", "tune", "check")


@dataclass(frozen=True)
class Step:
    """``say``: send ``text`` as the seeker. ``score``: the recommender suggested
    ``targets`` (catalog item ids); ``mentioned`` are the catalog ids mentioned before."""

    kind: Literal["say", "score"]
    text: str = ""
    targets: tuple[int, ...] = ()
    mentioned: frozenset[int] = frozenset()


def in_part(dialogue: RedialDialogue, part: str) -> bool:
    """Whether ``dialogue`` belongs to ``part``: "all", or one of two fixed halves by a
    hash of its id, "tune" (for development) and "check" (held out for one's own check)."""
    if part == "all":
        return True
    half = zlib.crc32(dialogue.conversation_id.encode()) % 2
    return half == (0 if part == "tune" else 1)


def plan(dialogue: RedialDialogue, data: RedialData, catalog_ids: Iterable[int] | Catalog) -> list[Step]:
    """The steps that replay ``dialogue`` (see the module docstring)."""
    known = {int(i) for i in (catalog_ids.item_ids if isinstance(catalog_ids, Catalog) else catalog_ids)}
    steps: list[Step] = []
    said_anything = False
    mentioned_redial: set[int] = set()
    mentioned: set[int] = set()
    for message in dialogue.messages:
        ids = mentions(message.text)
        if message.sender == dialogue.seeker:
            text = render(message.text, data.names, dialogue.names)
            if text:
                steps.append(Step("say", text))
                said_anything = True
        elif said_anything:
            targets = []
            for movie in ids:
                item = data.to_catalog.get(movie)
                new = movie not in mentioned_redial and item is not None and item not in mentioned
                if new and item in known and item not in targets:
                    targets.append(item)
            if targets:
                steps.append(Step("score", targets=tuple(targets), mentioned=frozenset(mentioned)))
        mentioned_redial.update(ids)
        mentioned.update(data.to_catalog[m] for m in ids if m in data.to_catalog)
    return steps


def popularity_order(catalog: Catalog) -> list[int]:
    """Catalog item ids, most ratings first (ties: better mean rating first)."""
    order = np.lexsort((-np.asarray(catalog.rating_mean), -np.asarray(catalog.rating_count)))
    return [int(catalog.item_ids[i]) for i in order]


@dataclass
class RecallScore:
    """Accumulates instances; ``report()`` gives the figures of the benchmark."""

    popularity: Sequence[int]
    instances: int = 0
    empty: int = 0
    hits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(KS, 0))
    pop_hits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(KS, 0))

    def add(self, step: Step, shown: Sequence[int], more: Sequence[int] = ()) -> None:
        """Score one ``score`` step against the list on screen (``shown``) and the next page."""
        ranked = list(dict.fromkeys([*shown[:5], *more]))[: max(KS)]
        top = list(shown)
        baseline = [i for i in _head(self.popularity, step.mentioned, max(KS))]
        for target in step.targets:
            self.instances += 1
            self.empty += not shown
            for k in KS:
                listed = top[:k] if k <= 5 else ranked[:k]
                self.hits[k] += target in listed
                self.pop_hits[k] += target in baseline[:k]

    def report(self) -> dict[str, object]:
        n = max(self.instances, 1)
        return {
            **{f"recall@{k}": round(self.hits[k] / n, 4) for k in KS},
            "instances": self.instances,
            "empty_share": round(self.empty / n, 4),
            "popularity": {f"recall@{k}": round(self.pop_hits[k] / n, 4) for k in KS},
        }


def _head(order: Sequence[int], skip: frozenset[int], n: int) -> Iterable[int]:
    count = 0
    for item in order:
        if item in skip:
            continue
        yield item
        count += 1
        if count == n:
            return
