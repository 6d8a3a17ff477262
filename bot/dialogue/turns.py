"""Search turns: understand a message, refine the session query, rank, answer, save.

``Turns`` does the work behind a text message, "more", "start over" and "more like
this": the model work (``engine.understand``, ``refine``, ``engine.recommend``) runs on
the model executor (``bot.runtime``), then the list reply is built and the new session
stored in one write. Contracts:

- A rated item is never recommended again (the history is excluded); "more", "more
  like #2" and "more like this" also exclude what this session already showed
  (``Refinement.excludes_shown``), while a refinement ("no horror", "newer") keeps a
  shown film that still fits.
- A list reply carries its items, the header above them and the footer below, plus
  the ``[More] [Start over]`` row and its share payload; the items' genres are shown
  through the catalogue. ``k`` (the user's /settings) overrides the list length.
- ``similar`` only accepts an item this user was shown.
- The session is written with the turn's generation: if the user was forgotten while
  the turn ran, nothing is written and the reply says so.
- What a message says about movies (``bot.dialogue.mentions``) is applied in the same
  turn: stated likes/dislikes are stored as ratings and rank this very answer, seen
  movies are excluded, and a message with no request (``Turn.CHAT``) gets a line and
  keeps the list.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

from bot.dialogue.mentions import Said, chat_reply, feedback_notes, read_turn, session_after
from bot.dialogue.ports import EngineLike, StoreLike
from bot.dialogue.render import feedback_data, format_list, nav_row, start_over_row
from bot.dialogue.texts import DEFAULT_LANG, describe, genre, t
from bot.dialogue.types import ItemView, Reply
from bot.runtime import run_off_loop
from bot.session import Session
from bot.store import TurnState
from recommender.engine import RankResult, Recommendation
from recommender.nlp.query import Query
from recommender.ranking.filters import people_kept, satisfies
from recommender.refine import Refinement, Turn, refine, similar_to

NO_GENRE = "(no genres listed)"
# Gives the deep-link payload that reopens a list (``Sharing.payload``): ids, query.
SharePayload = Callable[[list[int], Query | None], str | None]  # MovieLens' placeholder: shown as no genres at all


@dataclass(frozen=True)
class Thought:
    """A message understood: how it changes the session, and the ranking if it needs one."""

    refinement: Refinement
    result: RankResult | None  # None when no search was needed
    said: Said | None = None  # what the message said about movies (text turns only)


class Turns:
    """Search turns of one dialogue (see module docstring)."""

    def __init__(
        self, engine: EngineLike, store: StoreLike, k: int, executor: Executor | None = None,
        *, share: SharePayload | None = None,
    ) -> None:
        self.engine = engine
        self.store = store
        self.k = k
        self._executor = executor
        self._share = share

    async def think(
        self, text: str, state: TurnState, k: int | None = None, lang: str = DEFAULT_LANG
    ) -> Thought:
        """Understand ``text`` against the session (and rank ``k`` items, default ``self.k``,
        when it asks for a list); ``lang`` is the reply language, which the query (reasons,
        notes) then carries."""
        return await run_off_loop(self._executor, self._think, text, state, k, lang)

    async def more(self, user_id: int, state: TurnState, lang: str = DEFAULT_LANG,
                   k: int | None = None) -> Reply:
        """The next page of the session query."""
        ref = Refinement(state.session.query or Query(), Turn.MORE)
        return await self._search(user_id, state, ref, lang, k)

    async def reset(self, user_id: int, state: TurnState, lang: str = DEFAULT_LANG) -> Reply:
        """Clear the session."""
        return await self.answer(user_id, state, Thought(Refinement(Query(), Turn.RESET), None), lang=lang)

    async def may_show_similar(self, user_id: int, item_id: int | None) -> bool:
        """Whether "more like this" may use ``item_id``: an item this user was shown."""
        if item_id is None or not self.engine.catalog.has(item_id):
            return False
        return await self.store.was_shown(user_id, item_id)

    async def similar(self, user_id: int, state: TurnState, item_id: int,
                      lang: str = DEFAULT_LANG, k: int | None = None) -> Reply | None:
        """Items like ``item_id``; None when this user was never shown it."""
        if not await self.may_show_similar(user_id, item_id):
            return None
        ref = Refinement(similar_to(state.session.query, item_id), Turn.REFINE, unseen_only=True)
        return await self._search(user_id, state, ref, lang, k)

    async def answer(
        self, user_id: int, state: TurnState, thought: Thought, extra_notes: Sequence[str] = (),
        lang: str = DEFAULT_LANG,
    ) -> Reply:
        """Turn a refinement (+ ranking) into a reply and store the new session."""
        ref, session, said = thought.refinement, state.session, thought.said
        notes = [*extra_notes, *ref.notes]
        if said is not None:
            notes += feedback_notes(said.query, self.engine.catalog, lang)
            if said.stated and not await self.store.record_stated(
                user_id, said.stated, generation=state.generation
            ):
                return Reply(t(lang, "forgotten_meanwhile"))
        if ref.kind is Turn.CHAT and said is not None:
            if not await self.store.save_session(user_id, session_after(session, said, []),
                                                 generation=state.generation):
                return Reply(t(lang, "forgotten_meanwhile"))
            line = chat_reply(said.query, self.engine.catalog, has_list=bool(session.shown), lang=lang)
            return Reply(join_notes(line, notes), buttons=[nav_row(lang)])
        if ref.kind is Turn.RESET:
            await self.store.clear_session(user_id)
            return Reply(join_notes(t(lang, "reset_done"), notes))
        if ref.kind is Turn.UNRESOLVED:
            return Reply(join_notes("", notes), buttons=[nav_row(lang)])
        assert thought.result is not None  # every other kind was ranked
        result = thought.result
        views = [self.view(rec, lang) for rec in result.items]
        ids = [v.item_id for v in views]
        new_session = next_session(session, ref, ids)
        if said is not None:
            new_session = session_after(new_session, said, ids)
            pointed = [i for i in ref.query.reference_items if i in session.shown]
            if pointed:
                # A film of the list the answer is like ("like the second one", "the
                # third one looks good"): "what is it about?" next asks about that film,
                # not about the first of the new list.
                new_session = dataclasses.replace(new_session, focus=int(pointed[-1]))
        if not await self.store.save_session(user_id, new_session, ids, generation=state.generation):
            return Reply(t(lang, "forgotten_meanwhile"))
        refs = ref.query.reference_items
        summary = describe(lang, ref.query, lambda i: self.title_of(i, lang, refs))
        if not views:
            header = t(lang, "nothing_new", summary=summary or t(lang, "nothing_new.that"))
            return Reply(join_notes(header, notes), buttons=[start_over_row(lang)], header=header)
        header = _header(lang, ref.kind, summary, new_session.page, bool(state.history))
        if result.relaxed:
            notes.append(_relaxed(lang, ref.query, result.relaxed))
        if result.filled:
            notes.append(t(lang, "filled.one" if result.exact == 1 else "filled", n=result.exact,
                           constraints=t(lang, "relaxed.separator").join(result.filled)))
        header = join_notes(header, notes)
        footer = t(lang, "footer")
        share = self._share(ids, ref.query) if self._share else None
        return Reply(format_list(header, views, footer), items=views, buttons=[nav_row(lang)],
                     header=header, footer=footer, share=share)

    # -- model work, on a worker thread ------------------------------------------------
    def _think(self, text: str, state: TurnState, k: int | None, lang: str) -> Thought:
        session = state.session
        said = read_turn(self.engine.understand(text), session, state.history, self.engine.catalog)
        query = said.query
        if query.lang != lang:  # e.g. "#2" from a Chinese user: English parse, Chinese reply
            query = dataclasses.replace(query, lang=lang)
        catalog = self.engine.catalog
        years = [int(catalog.years[catalog.index(i)]) for i in session.shown if catalog.has(i)]
        ref = refine(session.query, query, text=text, shown=session.shown, fits=self._fits,
                     shown_years=years)
        if ref.kind is Turn.COMMAND:
            # Keep the command visible to the caller (refine drops it from the query).
            ref = Refinement(query, Turn.COMMAND, ref.notes)
        if ref.kind in (Turn.COMMAND, Turn.RESET, Turn.UNRESOLVED, Turn.CHAT):
            return Thought(ref, None, said)
        return Thought(ref, self._rank(ref, state, k, lang, said), said)

    def _rank(
        self, ref: Refinement, state: TurnState, k: int | None = None, lang: str | None = None,
        said: Said | None = None,
    ) -> RankResult:
        if lang is not None:
            # The query is this turn's copy (refined or freshly read): it is stored in the
            # session with the reply language, so later button presses answer in it too.
            ref.query.lang = lang
        # Stated likes fold in at once; seen movies (this session's) are left out.
        history = said.history if said is not None else state.history
        exclude = set(history) | set(said.exclude if said is not None else state.session.excluded)
        if ref.excludes_shown:
            exclude.update(state.session.session_shown)
        if said is not None:  # "The Hobbit was too tedious!": nor its sequels, in this answer
            exclude.update(self.engine.series_of(said.query.disliked))
        return self.engine.recommend(ref.query, history, exclude=exclude, k=k or self.k,
                                     fill=ref.kind is not Turn.MORE)

    async def _search(self, user_id: int, state: TurnState, ref: Refinement, lang: str,
                      k: int | None = None) -> Reply:
        result = await run_off_loop(self._executor, self._rank, ref, state, k, lang)
        return await self.answer(user_id, state, Thought(ref, result), lang=lang)

    # -- items -------------------------------------------------------------------------
    def view(self, rec: Recommendation, lang: str) -> ItemView:
        """How one pick is shown: title, year, genres in ``lang``, rating, reason, links."""
        catalog = self.engine.catalog
        idx = catalog.index(rec.item_id)
        year = int(catalog.years[idx])
        count = int(catalog.rating_count[idx])
        item_id = int(rec.item_id)
        like, dislike = feedback_data(item_id)
        return ItemView(
            item_id=item_id,
            title=catalog.titles[idx],
            year=year or None,
            genres=[genre(lang, g) for g in catalog.genres[idx] if g != NO_GENRE],
            avg_rating=round(float(catalog.rating_mean[idx]), 1) if count else None,
            why=str(rec.why or ""),
            like=like,
            dislike=dislike,
            url=catalog.imdb_url(idx),
            poster_url=_poster(catalog, idx),
        )

    def _fits(self, query: Query, item_ids: Sequence[int]) -> list[bool]:
        """Per item id, whether it meets ``query``'s constraints, for ``refine`` (rules 6,
        6b); an id the catalog lacks does not."""
        catalog = self.engine.catalog
        known = [i for i in item_ids if catalog.has(i)]
        ok = dict(zip(known, satisfies(query, self.engine.index, catalog.indices(known)).tolist(), strict=True))
        return [ok.get(i, False) for i in item_ids]

    def title_of(self, item_id: int, lang: str, among: Sequence[int] = ()) -> str:
        """The title of ``item_id`` for query summaries ("like Alien"), with its year when
        another item of ``among`` has the same title ("like A Nightmare on Elm Street
        (1984), A Nightmare on Elm Street (2010)")."""
        catalog = self.engine.catalog
        if not catalog.has(item_id):
            return t(lang, "untitled_item", item_id=item_id)
        idx = catalog.index(item_id)
        title = str(catalog.titles[idx])
        twins = [i for i in among if i != item_id and catalog.has(i)
                 and catalog.titles[catalog.index(i)] == title]
        year = int(catalog.years[idx])
        return f"{title} ({year})" if twins and year > 0 else title


def _poster(catalog: object, idx: int) -> str | None:
    # Poster URLs come with items_meta.csv (``Catalog.poster_urls``); a catalog loaded
    # without it has none.
    posters = getattr(catalog, "poster_urls", None)
    return posters[idx] if posters else None


def next_session(session: Session, ref: Refinement, ids: list[int]) -> Session:
    """The session after showing ``ids`` for ``ref``."""
    if ref.kind is Turn.NEW:
        shown_so_far, page = [], 0
    elif ref.kind is Turn.MORE:
        shown_so_far, page = list(session.session_shown), session.page + 1
    else:
        shown_so_far, page = list(session.session_shown), 0
    return Session(
        query=ref.query,
        shown=ids or list(session.shown),
        session_shown=list(dict.fromkeys(shown_so_far + ids)),
        page=page,
        forget_until=session.forget_until,
        focus=session.focus,
        excluded=list(session.excluded),
    )


def _header(lang: str, kind: Turn, summary: str, page: int, has_history: bool) -> str:
    if kind is Turn.MORE:
        if summary:
            return t(lang, "header.more", summary=summary, page=page + 1)
        return t(lang, "header.more_picks", page=page + 1)
    if kind is Turn.REFINE:
        return t(lang, "header.refined", summary=summary) if summary else t(lang, "header.refined_plain")
    if summary:
        return t(lang, "header.found", summary=summary)
    return t(lang, "header.top_picks") if has_history else t(lang, "header.popular")


def join_notes(head: str, notes: Sequence[str]) -> str:
    """``head`` and the notes, one per line, blanks dropped."""
    return "\n".join(part for part in [head, *notes] if part)


def _relaxed(lang: str, query: Query, relaxed: list[str]) -> str:
    """ "No Western film with Tom Hanks; here are films with Tom Hanks." when the people were
    kept, else "No exact matches, so I relaxed: ..."."""
    constraints = t(lang, "relaxed.separator").join(relaxed)
    kept = people_kept(query, relaxed)
    if not kept:
        return t(lang, "relaxed", constraints=constraints)
    people = t(lang, "relaxed.people_separator").join(p.label() for p in kept)
    return t(lang, "relaxed.people", constraints=constraints, people=people)
