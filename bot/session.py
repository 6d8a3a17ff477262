"""The conversation state of one user (``recbot:{u:<id>}:session``) and its JSON form.

``Session`` is what the dialogue keeps between messages; ``to_json`` / ``from_json`` are
the stored form (an absent or unreadable value reads as an empty session, so a session
written by another version never breaks a user's requests). The query inside is stored
with ``query_to_dict`` / ``query_from_dict`` (unknown keys of a newer version are ignored).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from recommender.nlp.query import Command, Query

log = logging.getLogger(__name__)


@dataclass
class Session:
    """The conversation so far: refined query, the last list shown, paging state.

    ``shown`` is the last list in display order (ordinals like "#2" resolve against it);
    ``session_shown`` every item shown since the query was started (never repeated
    while refining or paging). ``forget_until`` is the unix time until which a /forget
    confirmation press is accepted (0 = not pending). ``focus`` is the movie "it" /
    "that one" refers to: the last one the user named, or the first of the last list
    shown, whichever came last. ``excluded`` are movies the user said they have seen
    (never suggested while the session lives).
    """

    query: Query | None = None
    shown: list[int] = field(default_factory=list)
    session_shown: list[int] = field(default_factory=list)
    page: int = 0
    forget_until: float = 0.0
    focus: int | None = None
    excluded: list[int] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "query": query_to_dict(self.query) if self.query is not None else None,
                "shown": self.shown,
                "session_shown": self.session_shown,
                "page": self.page,
                "forget_until": self.forget_until,
                "focus": self.focus,
                "excluded": self.excluded,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str | bytes | None) -> Session:
        """Parse stored JSON; an absent or unreadable value is an empty session."""
        if not raw:
            return cls()
        try:
            data = json.loads(raw)
            query = query_from_dict(data["query"]) if data.get("query") else None
            return cls(
                query=query,
                shown=[int(i) for i in data.get("shown", [])],
                session_shown=[int(i) for i in data.get("session_shown", [])],
                page=int(data.get("page", 0)),
                forget_until=float(data.get("forget_until", 0.0)),
                focus=int(data["focus"]) if data.get("focus") is not None else None,
                excluded=[int(i) for i in data.get("excluded", [])],
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            # A session written by an incompatible version is not worth an error.
            log.warning("discarding unreadable session state")
            return cls()


def query_to_dict(query: Query) -> dict[str, Any]:
    data = dataclasses.asdict(query)
    data["command"] = query.command.value if query.command is not None else None
    return data


def query_from_dict(data: Mapping[str, Any]) -> Query:
    """Inverse of ``query_to_dict``; unknown keys (from a newer version) are ignored."""
    names = {f.name for f in dataclasses.fields(Query)}
    kwargs = {k: v for k, v in data.items() if k in names}
    if kwargs.get("command") is not None:
        kwargs["command"] = Command(kwargs["command"])
    return Query(**kwargs)
