"""What the dialogue does with what a message says about movies (``Query.liked`` ...):

- "it" / "that one" (``Query.pronoun``) is resolved to the session's ``focus``: the last
  movie the user named, or the first of the last list shown, whichever came last;
- liked / disliked movies become ratings at once (as a 👍 / 👎 would: stored, logged, and
  used by the very answer to this message), and the reply says so;
- seen movies, and the films named as examples ("like X"), are excluded for the rest of
  the session;
- a movie asked about ("what is it about?", "Is Titanic any good?") gets a short
  description;
- small talk gets a short natural answer (the ``chat.*`` texts).

Pure functions over the catalog, the query and the session; the turn logic
(``bot.dialogue.turns``) does the I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.dialogue.feedback import DISLIKE_STARS, LIKE_STARS
from bot.dialogue.texts import genre, t
from bot.session import Session
from recommender.data.catalog import Catalog
from recommender.nlp.intent import Intent
from recommender.nlp.query import Query
from recommender.nlp.sentiment import Stance
from recommender.refine import name_some

DESCRIPTION_CHARS = 300
# Notes with a wording for several films ("I'll leave them out"; "Leaving out ..." has one).
_PLURAL_KEYS = frozenset({"said.liked", "said.disliked", "said.seen"})
# Which small talk answers first when a message holds several kinds ("thanks, bye").
_CHAT_ORDER = (Intent.BYE, Intent.DECLINE, Intent.THANKS, Intent.TRY, Intent.ABOUT_BOT, Intent.GREETING)
_ONTO = {
    Stance.LIKED.value: "liked", Stance.DISLIKED.value: "disliked", Stance.SEEN.value: "seen",
    Stance.UNSEEN.value: "unseen", Stance.ASKED.value: "asked",
    Stance.REFERENCE.value: "reference_items", Stance.REJECTED.value: "rejected",
}  # fmt: skip


def resolve_pronoun(query: Query, focus: int | None, shown: Sequence[int] = ()) -> Query:
    """``query`` with its "it" stance moved onto the focus movie (dropped without one).

    With an ordinal ("what is the second one about?", "I loved the last one") the stance
    goes to that item of the list ``shown`` instead, and the ordinal is used up; "like
    the second one" stays an ordinal (``refine`` makes it "more like #2")."""
    stance = query.pronoun
    if stance not in _ONTO:  # None too
        return query
    if query.ordinal is not None:
        if stance == Stance.REFERENCE.value:
            return dataclasses.replace(query, pronoun=None)
        index = query.ordinal + len(shown) if query.ordinal < 0 else query.ordinal
        if not 0 <= index < len(shown):
            return dataclasses.replace(query, pronoun=None)  # refine says there is no #N
        focus = int(shown[index])
        query = dataclasses.replace(query, ordinal=None)
    out = dataclasses.replace(query, pronoun=None, plural=None)
    name = _ONTO[stance]
    if query.plural is not None and shown and query.ordinal is None:
        # "I have seen both", "I loved all of them": the first n films of the list, or all
        many = shown if query.plural == 0 else shown[: query.plural]
        setattr(out, name, list(dict.fromkeys([*getattr(query, name), *(int(i) for i in many)])))
        return out
    if focus is None:
        return out  # "No, I haven't" with nothing named or shown: about no film
    setattr(out, name, [*getattr(query, name), int(focus)])
    return out


def stated_ratings(query: Query, catalog: Catalog, history: Mapping[int, float]) -> dict[int, float]:
    """Ratings the message states (liked / disliked catalog movies), minus ones already
    stored with the same stars."""
    stated = {int(i): LIKE_STARS for i in query.liked}  # as a 👍 would
    stated.update({int(i): DISLIKE_STARS for i in query.disliked})
    return {i: s for i, s in stated.items() if catalog.has(i) and history.get(i) != s}


def feedback_notes(query: Query, catalog: Catalog, lang: str) -> list[str]:
    """ "Noted that you liked Click (2006).", "Leaving out John Wick (2014)." and the like,
    one line per kind."""
    notes = []
    for key, ids in (("said.liked", query.liked), ("said.disliked", query.disliked), ("said.seen", query.seen),
                     ("said.rejected", query.rejected)):
        labels = [catalog.label(catalog.index(i)) for i in dict.fromkeys(ids) if catalog.has(i)]
        if not labels:
            continue
        # "not Star Wars" leaves out the saga: name the best known, count the rest.
        titles = name_some(labels, ", ", t(lang, "said.and_more"))
        plural = len(labels) > 1 and key in _PLURAL_KEYS  # "I'll leave them out"
        notes.append(t(lang, f"{key}.many" if plural else key, titles=titles))
    return notes


def describe(catalog: Catalog, item_id: int, lang: str) -> str:
    """A few lines about a movie: title, year, genres, average rating; director and cast
    where known; plot."""
    idx = catalog.index(item_id)
    genres = ", ".join(genre(lang, g) for g in catalog.genres[idx] if g != "(no genres listed)")
    line = catalog.label(idx) + (f" — {genres}" if genres else "")
    if int(catalog.rating_count[idx]):
        line += f" — ★ {float(catalog.rating_mean[idx]):.1f}"
    directors = catalog.directors[idx] if idx < len(catalog.directors) else ()
    cast = catalog.cast[idx] if idx < len(catalog.cast) else ()
    credits = [t(lang, "describe.directed_by", people=", ".join(directors)) if directors else "",
               t(lang, "describe.with", people=", ".join(cast)) if cast else ""]
    if any(credits):  # "Who directed Inception?", "who is in Click?"
        line += "\n" + " · ".join(c for c in credits if c)
    plot = (catalog.descriptions[idx] or "").strip() if idx < len(catalog.descriptions) else ""
    if plot:
        line += "\n" + (plot if len(plot) <= DESCRIPTION_CHARS else plot[: DESCRIPTION_CHARS - 1] + "…")
    return line


def chat_reply(query: Query, catalog: Catalog, *, has_list: bool, lang: str) -> str:
    """The answer to a message with no request: descriptions of the movies asked about,
    else a line for the small talk, else how to go on."""
    asked = [i for i in dict.fromkeys(query.asked) if catalog.has(i)]
    if asked:
        return "\n\n".join(describe(catalog, i, lang) for i in asked[:3])
    kinds = [Intent(k) for k in query.small_talk if k in Intent._value2member_map_]
    if kinds:
        first = next((k for k in _CHAT_ORDER if k in kinds), None)
        if first in (Intent.THANKS, Intent.DECLINE) and not has_list:
            return t(lang, "chat.nothing")  # their texts offer "more" of a list there is not
        if first is not None:
            return t(lang, f"chat.{first.value}")
        return t(lang, "chat.praise" if has_list else "chat.nothing")
    if query.unseen or query.pronoun == Stance.UNSEEN.value:
        return t(lang, "said.unseen")
    return t(lang, "said.noted") if query.says_about_movies() else ""


def next_focus(query: Query, shown: Sequence[int], focus: int | None) -> int | None:
    """The movie "it" will mean in the next message."""
    named = [*query.reference_items, *query.liked, *query.disliked, *query.seen,
             *query.unseen, *query.asked]
    if shown:
        return int(shown[0])
    return int(named[-1]) if named else focus


@dataclass(frozen=True)
class Said:
    """One message's statements, ready for the turn: ``query`` with "it" resolved,
    ``stated`` ratings to store, the ``history`` to rank with (stored + stated), what
    to ``exclude`` (seen movies of the session and of this message)."""

    query: Query
    stated: dict[int, float]
    history: dict[int, float]
    exclude: frozenset[int]


def read_turn(query: Query, session: Session, history: Mapping[int, float], catalog: Catalog) -> Said:
    """What the turn does with the statements of ``query`` (see the module docstring)."""
    query = resolve_pronoun(query, session.focus, session.shown)
    stated = stated_ratings(query, catalog, history)
    exclude = frozenset(int(i) for i in [*session.excluded, *query.left_out_items()])
    return Said(query, stated, {**history, **stated}, exclude)


def session_after(session: Session, said: Said, shown: Sequence[int]) -> Session:
    """``session`` with the new focus and the seen and rejected movies added to its
    exclusions, and the films named as examples ("like The Shawshank Redemption": the
    person knows it; a later "something with Morgan Freeman" listed it first)."""
    named = [*said.query.left_out_items(), *said.query.reference_items]
    excluded = list(dict.fromkeys([*session.excluded, *named]))
    return dataclasses.replace(session, focus=next_focus(said.query, shown, session.focus), excluded=excluded)
