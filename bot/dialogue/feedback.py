"""Feedback: 👍/👎/star presses, the /history list of ratings, and the /forget flow.

Contracts:

- Feedback is accepted only for items this user was shown (the store's ``seen`` set);
  anything else gets ``not_shown`` and changes nothing. A press delivered twice is
  noted once. The reply edits the keyboard of the last list so it shows the rating.
- A press that would write counts against the per-user rate limit (``rate_limit``).
- /forget only asks; the data goes when "Yes, forget me" is pressed within
  ``FORGET_WINDOW_S``. Cancel keeps everything. A press or a turn that races the
  confirmation writes nothing (the store checks the user's generation) and says so.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from bot.dialogue.callbacks import Action, Callback
from bot.dialogue.ports import EngineLike, StoreLike
from bot.dialogue.render import forget_row, keyboard, nav_row
from bot.dialogue.texts import DEFAULT_LANG, t
from bot.dialogue.types import Reply
from bot.store import FeedbackOutcome, TurnState

LIKE_STARS = 5.0
DISLIKE_STARS = 1.0
LIKED_FROM = 3.5  # /history marks ratings at or above this 👍, below it 👎
FORGET_WINDOW_S = 300  # how long the /forget confirmation button stays valid
HISTORY_LINES = 50


class Feedback:
    """Ratings and the privacy flow of one dialogue (see module docstring)."""

    def __init__(self, engine: EngineLike, store: StoreLike) -> None:
        self.engine = engine
        self.store = store

    async def rate(
        self, user_id: int, cb: Callback, lang: str = DEFAULT_LANG, *, rate_limit: int | None = None
    ) -> Reply:
        """Record a like, dislike or star rating (``cb`` is an item action)."""
        assert cb.item_id is not None
        catalog = self.engine.catalog
        if not catalog.has(cb.item_id):
            return not_shown(lang)
        stars = {Action.LIKE: LIKE_STARS, Action.DISLIKE: DISLIKE_STARS}.get(cb.action, float(cb.value or 0))
        outcome = await self.store.record_feedback(
            user_id, cb.item_id, stars, cb.action.value, rate_limit=rate_limit
        )
        if outcome is FeedbackOutcome.NOT_SHOWN:
            return not_shown(lang)
        if outcome in (FeedbackOutcome.RATE_LIMITED, FeedbackOutcome.FORGOTTEN):
            text = t(lang, "rate_limited" if outcome is FeedbackOutcome.RATE_LIMITED else "forgotten_meanwhile")
            return Reply(text, notice=text)
        label = catalog.label(catalog.index(cb.item_id))
        if outcome is FeedbackOutcome.DUPLICATE:
            text = t(lang, "feedback.duplicate", label=label)
        elif cb.action is Action.DISLIKE:
            text = t(lang, "feedback.disliked", label=label)
        elif cb.action is Action.LIKE:
            text = t(lang, "feedback.liked", label=label)
        else:
            text = t(lang, "feedback.rated", label=label, stars=f"{stars:g}")
        session, history = await self.store.load(user_id)
        edited = None
        if cb.item_id in session.shown:
            edited = keyboard(session.shown, [nav_row(lang)], history)
        return Reply(text, notice=text, edited_buttons=edited)

    def history(self, history: Mapping[int, float], lang: str = DEFAULT_LANG) -> Reply:
        """The user's ratings, best first, at most ``HISTORY_LINES`` of them."""
        catalog = self.engine.catalog
        rated = [(stars, catalog.index(i)) for i, stars in history.items() if catalog.has(i)]
        if not rated:
            return Reply(t(lang, "history.empty"))
        rated.sort(key=lambda p: (-p[0], catalog.titles[p[1]]))
        lines = [t(lang, "history.line", mark="👍" if stars >= LIKED_FROM else "👎",
                   stars=f"{stars:g}", label=catalog.label(idx))
                 for stars, idx in rated[:HISTORY_LINES]]
        if len(rated) > HISTORY_LINES:
            lines.append(t(lang, "history.more", count=len(rated) - HISTORY_LINES))
        return Reply(t(lang, "history.title", count=len(rated)) + "\n" + "\n".join(lines))

    async def ask_forget(self, user_id: int, state: TurnState, lang: str = DEFAULT_LANG) -> Reply:
        """/forget: ask for confirmation, valid for ``FORGET_WINDOW_S``."""
        session = state.session
        session.forget_until = time.time() + FORGET_WINDOW_S
        if not await self.store.save_session(user_id, session, generation=state.generation):
            return Reply(t(lang, "forgotten_meanwhile"))
        return Reply(t(lang, "forget.ask"), buttons=[forget_row(lang)])

    async def confirm_forget(self, user_id: int, lang: str = DEFAULT_LANG) -> Reply:
        """"Yes, forget me": delete everything, unless the question has expired."""
        session, _ = await self.store.load(user_id)
        if session.forget_until < time.time():
            text = t(lang, "forget.expired")
            return Reply(text, notice=text)
        await self.store.forget(user_id)
        return Reply(t(lang, "forget.done"), notice=t(lang, "forget.done_notice"), edited_buttons=[])

    async def cancel_forget(self, user_id: int, lang: str = DEFAULT_LANG) -> Reply:
        """"Cancel": keep everything and void the question."""
        # The generation first: a /forget after it makes the write below a no-op (WATCH).
        generation = await self.store.generation(user_id)  # None: forgotten, nothing to keep
        session, _ = await self.store.load(user_id)
        if session.forget_until and generation is not None:
            session.forget_until = 0.0
            await self.store.save_session(user_id, session, generation=generation)
        text = t(lang, "forget.kept")
        return Reply(text, notice=text, edited_buttons=[])


def not_shown(lang: str = DEFAULT_LANG) -> Reply:
    """The answer to feedback on an item this user was not shown."""
    text = t(lang, "not_shown")
    return Reply(text, notice=text)
