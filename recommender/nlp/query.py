"""The structured query a message is parsed into (pure data, no logic beyond merging)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

DIRECTOR = "director"
CAST = "cast"


class Command(StrEnum):
    MORE = "more"
    RESET = "reset"
    NEWER = "newer"
    OLDER = "older"
    HELP = "help"
    HISTORY = "history"
    FORGET = "forget"


@dataclass(frozen=True)
class PersonRef:
    """A person the user named, as a hard constraint.

    ``name`` is what is shown ("Tom Hanks", "the Coen brothers"); ``role`` is
    ``DIRECTOR``, ``CAST`` or None (either: "a Spielberg film"); ``members`` are the
    catalog names it stands for, any of which satisfies it (two for "the Coen brothers");
    empty while unresolved. ``known`` is False for a name that matches nobody.
    ``excluded``: the person was named to be left out ("nothing with Adam Sandler",
    "not directed by Spielberg"): the films crediting them are excluded instead.
    """

    name: str
    role: str | None = None
    members: tuple[str, ...] = ()
    known: bool = True
    excluded: bool = False

    def names(self) -> tuple[str, ...]:
        return self.members or (self.name,)

    def label(self) -> str:
        """ "directed by Ridley Scott", "with Tom Hanks"; "not directed by Steven
        Spielberg", "without Adam Sandler" when excluded."""
        if self.role == DIRECTOR:
            return f"{'not ' if self.excluded else ''}directed by {self.name}"
        return f"{'without' if self.excluded else 'with'} {self.name}"

    @classmethod
    def coerce(cls, value: PersonRef | str | Mapping[str, Any]) -> PersonRef:
        """A ``PersonRef`` from itself, a bare name, or its ``dataclasses.asdict`` form."""
        if isinstance(value, PersonRef):
            return value
        if isinstance(value, Mapping):
            return cls(str(value.get("name", "")), value.get("role"),
                       tuple(value.get("members") or ()), bool(value.get("known", True)),
                       bool(value.get("excluded", False)))
        return cls(str(value))


def avoid_terms(avoid_text: str) -> list[str]:
    """The entries of a ``Query.avoid_text``, separated by commas ("time travel, gore":
    a keyword phrase is one entry)."""
    return list(dict.fromkeys(p.strip() for p in avoid_text.split(",") if p.strip()))


def join_avoid_terms(terms: Sequence[str]) -> str:
    """``Query.avoid_text`` of ``terms`` (the inverse of :func:`avoid_terms`)."""
    return ", ".join(dict.fromkeys(t.strip() for t in terms if t.strip()))


@dataclass
class Query:
    """What the user asked for in one message.

    Genre names are catalog genres ("Sci-Fi", "Romance"). ``genres_all`` must all be
    present, ``genres_any`` at least one of them, ``genres_none`` none. Years are an
    inclusive window (None = open). ``min_rating`` is on the 0.5-5 star scale (quality
    intent such as "highly rated" sets it). ``reference_items`` are catalog item *ids*
    resolved from titles ("like Alien"). ``ordinal`` is 0-based ("the second one" -> 1)
    and refers to the last list shown. ``text`` is what is left for semantic matching;
    ``avoid_text`` the topic words the message rejects ("no gore", "I hate zombies",
    "no time travel"; entries separated by commas, :func:`avoid_terms`): films whose
    keywords or plot hold one of them are left out.
    ``people`` are hard, role-aware constraints (``PersonRef``; bare names given here
    are coerced). ``sort`` orders the picks by release year. ``max_runtime`` is a
    length limit in minutes ("under 90 minutes", "something short"). ``languages``: ISO
    639-1 codes of the original language, any of them ("a French film": ``["fr"]``;
    ``nlp.languages``). ``obscure``: "hidden
    gems", "underrated": well-rated films fewer people know (with ``quality``).
    ``relative``: the message asks for a change to the current list rather than for new
    films ("funnier", "something darker", "less violent"): its wishes are added to the
    session's query.
    ``notes`` explain normalisations made ("ignored the year 99999"). ``lang`` is the
    language the message was written in ("en", "zh"; ``recommender.nlp.language``), so
    that the answer, reasons included, can be given in it.
    What the message says about movies it names (catalog item ids; see
    ``recommender.nlp.sentiment``) is not a search constraint: ``liked`` / ``disliked``
    become feedback (as 👍/👎 would), ``seen`` is excluded, ``asked`` gets a description,
    ``unseen`` changes nothing, ``rejected`` ("not John Wick") is left out of this and
    later answers, as a request would be. ``pronoun`` is the stance about "it" / "that one" (a
    ``Stance`` value), resolved by the dialogue to the last movie mentioned or shown.
    ``small_talk`` lists the ``Intent`` kinds of greetings, thanks, "I'll try it" found.
    """

    genres_all: list[str] = field(default_factory=list)
    genres_any: list[str] = field(default_factory=list)
    genres_none: list[str] = field(default_factory=list)
    year_min: int | None = None
    year_max: int | None = None
    min_rating: float | None = None
    quality: bool = False
    obscure: bool = False
    reference_items: list[int] = field(default_factory=list)
    people: list[PersonRef] = field(default_factory=list)
    text: str = ""
    avoid_text: str = ""
    ordinal: int | None = None
    command: Command | None = None
    sort: str | None = None  # "newest" | "oldest" | None
    max_runtime: int | None = None
    languages: list[str] = field(default_factory=list)
    relative: bool = False
    notes: list[str] = field(default_factory=list)
    lang: str = "en"
    liked: list[int] = field(default_factory=list)
    disliked: list[int] = field(default_factory=list)
    seen: list[int] = field(default_factory=list)
    unseen: list[int] = field(default_factory=list)
    asked: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)
    pronoun: str | None = None
    plural: int | None = None  # the pronoun's films of the list: 0 all, n the first n
    small_talk: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.people = [PersonRef.coerce(p) for p in self.people]

    def wanted_people(self) -> list[PersonRef]:
        """The people asked for (not those named to be left out)."""
        return [p for p in self.people if not p.excluded]

    def excluded_people(self) -> list[PersonRef]:
        """The people named to be left out ("nothing with Adam Sandler")."""
        return [p for p in self.people if p.excluded]

    def left_out_items(self) -> list[int]:
        """The films this message leaves out of this and later answers: seen, rejected."""
        return [*self.seen, *self.rejected]

    def says_about_movies(self) -> bool:
        """True when the message states something about named movies (or "it")."""
        return bool(self.liked or self.disliked or self.seen or self.unseen or self.asked
                    or self.pronoun)

    def is_empty(self) -> bool:
        """True when the message carried no constraint, reference, text or command."""
        return not (
            self.genres_all
            or self.genres_any
            or self.genres_none
            or self.year_min is not None
            or self.year_max is not None
            or self.min_rating is not None
            or self.max_runtime is not None
            or bool(self.languages)
            or self.quality
            or self.obscure
            or self.reference_items
            or self.people
            or self.text.strip()
            or self.avoid_text.strip()
            or self.ordinal is not None
            or self.command is not None
            or bool(self.rejected)
        )
