"""Multi-turn refinement: combine the session's query with the query of a new message.

Pure functions, no I/O: the dialogue layer calls ``refine(previous, new, text=...,
shown=...)`` where ``previous`` is the query kept in the session, ``new`` the parsed new
message, ``text`` its wording and ``shown`` the item ids of the last list in display
order. The rules, in the order they are tried:

1. **reset** ("reset", "start over", /reset) clears the session: empty query, nothing
   excluded any more.
2. **more** ("more", "next", /more, the More button) keeps the query and shows the next
   page; everything shown since the query started is excluded, so pages never repeat.
3. **newer / older** shift the year window by its width, at least a decade:
   1990–1999 -> newer 2000–2009, older 1980–1989; "after 2000" -> newer: after 2010,
   older: 1990–1999; "before 1980" -> older: before 1970, newer: 1981–1990. Without a
   window they sort by release year (newest / oldest first); asked again of a list
   sorted that way ("even older"), they move past the middle year of the list shown
   (oldest first 1955, 1975, 1979, 1980, 1986 -> 1978 or earlier).
4. **"like the second one" / "#2"** resolves the ordinal against the last list shown and
   asks for items similar to that one, keeping the exclusions ("no horror") and the
   minimum rating of the session ("the last one" is the last item of the list); an
   ordinal past the end of the list (or with no list yet) changes nothing and says so.
5. Without a previous query every message **starts a new query**; a message that only
   says which movies the person liked ("I loved Click (2006)") asks for films like them.
6. **Additive wording** — the message starts with "also", "and", "plus", "add", or says
   "too" / "as well" ("also comedy", "and from the 90s"), or in Chinese starts with
   也要 / 还要 / 再加上 ("也要喜剧") — adds to the session: genres
   are added (all of them required), exclusions accumulate, a new year window or
   minimum rating replaces the old one, titles and people are added. An earlier title
   that does not fit the merged genres and years is dropped ("also scary movies" after
   "like Avengers: Infinity War" asks for horror); when the message's own titles do not
   fit the session's genres, the message leads and only the frame stays. "Only …"
   ("only comedies") and a fragment with a person ("with Harrison Ford", "any with Tom
   Hanks?") narrow the same way. A message of comparatives only ("funnier", "something
   darker", "less violent"; ``Query.relative``) is added too, keeping every earlier
   title: it changes the list on screen ("but funnier" after "like Alien").
6b. **A taste statement** — only liked movies ("I really liked Annabelle (2014)"), no
   other request — adds them as references to the session's query: taste refines the
   current topic. A liked movie outside the topic's genres or years (the session asks
   for comedies, the person loved Get Out) moves to a new topic instead: films like the
   liked ones, keeping only the frame (exclusions, rating). (Liked movies named
   alongside a request become its references too.)
7. **A message with only modifiers** — "no X" / "without X" exclusions, a year window,
   a rating wish ("highly rated"), a length ("under 90 minutes"), a sort — is applied on top of the session query:
   "no horror" excludes Horror (and drops it from the wanted genres).
8. **A plain genre request** ("comedy", "westerns from the 60s") with no title, person or
   other content is a new topic: it **replaces the genres** and drops the session's
   titles, people and free text, and keeps the frame (exclusions, rating; the year
   window unless the message gives one).
9. Anything else — a title ("like Alien"), a person, a free description — is **a fresh,
   unrelated request and starts a new query** (pages and exclusions start over).
10. A message with nothing to act on changes nothing and says how to go on; as the
    first message it asks for popular picks. Small talk ("thanks", "awesome", "I'll try
    it") and statements with no request ("I have seen American Pie (1999)", "I haven't
    seen it") are such messages (``Turn.CHAT``: the dialogue answers in a line and keeps
    the list); "any others?" is "more".

Genres named both wanted and excluded are resolved in favour of the latest message.
The notes refine adds are in the new message's language (``Query.lang``, ``NOTES``).
Paging and "more like #2" (rules 2, 4) never show again what was shown since the query
started. The other refinements (rules 3, 6-8) narrow or re-aim the same search, so the
catalog is ranked afresh and a film on screen that still fits stays ("no romance" drops
Forrest Gump from a list of 90s comedies and keeps Pulp Fiction and Fargo). A new query
(rules 5, 9) or a reset starts afresh. Rated items (👍 or 👎) are never recommended
again either way.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from recommender.nlp import lexicon
from recommender.nlp.languages import NOT_ENGLISH
from recommender.nlp.parser import hash_ordinal
from recommender.nlp.parser.comparatives import OPPOSITE_TONES
from recommender.nlp.query import DIRECTOR, Command, Query, avoid_terms, join_avoid_terms
from recommender.nlp.zh import lexicon as zh_lexicon
from recommender.ranking.labels import language_label

DECADE = 10


class Turn(StrEnum):
    NEW = "new"  # a new session query: paging and session exclusions start over
    REFINE = "refine"  # the session query changed: keep excluding what was shown
    MORE = "more"  # same query, next page
    RESET = "reset"  # session cleared
    COMMAND = "command"  # help / history / forget: not a search
    UNRESOLVED = "unresolved"  # an ordinal that points at nothing: no new list
    CHAT = "chat"  # small talk or a statement with no request: no new list, keep the old


@dataclass(frozen=True)
class Refinement:
    """The session query after a message, how it was reached, and notes for the user.

    ``excludes_shown``: the answer leaves out everything shown since the query started:
    a page ("more") and, with ``unseen_only``, "more like the second one". Any other
    refinement narrows or re-aims the same search ("no horror", "from the 90s", "I
    loved Click"): the catalog is ranked afresh, and a film already on screen that
    still fits stays in the answer.
    """

    query: Query
    kind: Turn
    notes: list[str] = field(default_factory=list)
    unseen_only: bool = False

    @property
    def excludes_shown(self) -> bool:
        return self.unseen_only or self.kind is Turn.MORE


_ADDITIVE_START = frozenset({"also", "and", "plus", "add"})
# Narrowing openings: "only comedies" after "movies with Tom Hanks" are his comedies; a
# fragment that goes on from the last request ("with Harrison Ford" after "thrillers
# from the 80s", "any with Tom Hanks?") adds its person to it, and one that says what
# they are about ("about music" after "a good documentary") its topic.
_NARROWING_START = re.compile(
    r"(?:only|(?:any|anything|ones|the ones|any of them|some|something|one)?\s*"
    r"(?:with|starring|featuring|about|involving)(?!\s+\d))\b")
# "by a different director", "from other filmmakers", "with someone else", "not by him".
_OTHER_MAKER = re.compile(
    r"\b(?:by|from|with|starring)\s+(?:a\s+|an\s+|some\s+)?(?:different|another|other)\s+"
    r"(?:director|filmmaker|actor|actress|person|people|guy|one)s?\b"
    r"|\b(?:by|from|with)\s+(?:someone|somebody|anyone)\s+else\b|\bnot\s+(?:by|with|from)\s+(?:him|her|them)\b")
OTHER_MAKER_REFERENCES = 3  # of the list shown, the films to match
_ABOUT_START = re.compile(r"(?:(?:any|anything|ones|the ones|any of them|some|something|one|how)\s+)?about\b")
# Chinese additive openings ("也要喜剧", "再加上动作片"): the Chinese lexicon's.
_ADDITIVE_START_ZH = zh_lexicon.ADDITIVE_CUES
# The notes refine adds, by language (English when a language has no table).
NOTES: dict[str, dict[str, str]] = {
    "en": {
        "no_such_item": "There is no #{n} in the last list (it had {count}).",
        "no_list_yet": "There is no #{n} in the last list — I haven't shown you one yet.",
        "nothing_to_do": "I didn't catch a request in that. Say “more”, refine (“no horror”, "
        "“newer”), or describe what you'd like to watch.",
    },
    "zh": {
        "no_such_item": "上一个列表里没有第 {n} 部（只有 {count} 部）。",
        "no_list_yet": "上一个列表里没有第 {n} 部——我还没给你推荐过。",
        "nothing_to_do": "我没听出这句话里的请求。可以说“再来几部”，调整条件（“不要恐怖片”“新一点”），"
        "或者描述你想看的电影。",
    },
}
_ADDITIVE_ANYWHERE = re.compile(r"\b(too|as well|additionally|also)\b")
_WORD = re.compile(r"[a-z0-9']+")
# Words that carry no request of their own (``lexicon.FOLLOW_UP_FILLER``): a message whose
# leftover text is only these is not "new content" (so "comedy movies please" still just
# replaces the genre).
_FILLER = lexicon.FOLLOW_UP_FILLER


# Per item id, whether it meets a query's hard constraints (``ranking.filters.satisfies``
# over the catalog). Without it every liked movie is taken to fit the topic (rules 6, 6b).
Fits = Callable[[Query, Sequence[int]], Sequence[bool]]


def refine(
    previous: Query | None, new: Query, *, text: str = "", shown: Sequence[int] = (),
    fits: Fits | None = None, shown_years: Sequence[int] = (),
) -> Refinement:
    """Apply the module's rules; never mutates its arguments. ``shown_years``: the
    release years of ``shown`` (rule 3, asked again)."""
    notes = list(new.notes)
    prev = copy.deepcopy(previous) if previous is not None and not previous.is_empty() else None
    command = new.command
    if command is Command.RESET:
        return Refinement(Query(), Turn.RESET, notes)
    if command in (Command.HELP, Command.HISTORY, Command.FORGET):
        return Refinement(prev or Query(), Turn.COMMAND, notes)
    if command is Command.MORE:
        return Refinement(prev or Query(), Turn.MORE, notes)

    if command is None and (prev is not None or shown) and "more" in new.small_talk and not _requests(new):
        # "thanks! any others?"; after "surprise me" too (a list for an empty query)
        return Refinement(prev or Query(), Turn.MORE, notes)
    if prev is not None and new.rejected and not _requests(new) and not new.small_talk:
        # "not that one", "I don't want to watch John Wick": the list again without it.
        return Refinement(prev, Turn.REFINE, notes)
    if shown and set(shown) <= set(new.seen) and not _requests(new):
        # "I've seen all of those": nothing on screen is left to watch, so the next ones
        # (it answered "Say more for other picks").
        return Refinement(prev or Query(), Turn.MORE, notes)
    ordinal = new.ordinal if new.ordinal is not None else hash_ordinal(text)
    if ordinal is not None and ordinal < 0 and shown:
        ordinal += len(shown)  # "like the last one": the last item of the list
    if ordinal is not None:
        if ordinal < 0:  # "the last one" with no list yet
            notes.append("I haven't shown you a list yet — tell me what you'd like to watch.")
            return Refinement(prev or Query(), Turn.UNRESOLVED, notes)
        if not 0 <= ordinal < len(shown):
            key = "no_such_item" if shown else "no_list_yet"
            notes.append(_note(new.lang, key, n=ordinal + 1, count=len(shown)))
            return Refinement(prev or Query(), Turn.UNRESOLVED, notes)
        return Refinement(similar_to(prev, shown[ordinal]), Turn.REFINE, notes, unseen_only=True)
    if prev is not None and shown and prev.wanted_people() and _OTHER_MAKER.search(text.lower()) \
            and not set(new.reference_items) - set(shown) and not new.wanted_people():
        # "something similar by a different director" after Nolan's films: films like the
        # ones shown (or the one named of them), without him (it was not understood).
        other = _like_in_frame(prev, new.reference_items or shown[:OTHER_MAKER_REFERENCES])
        other.people = _dedupe([*other.people, *(dataclasses.replace(p, excluded=True)
                                                 for p in prev.wanted_people())])
        return Refinement(other, Turn.REFINE, notes)

    if command is None and new.sort and _strip(new).is_empty():
        # "can you recommend something newer?": the order is the whole request, as "newer".
        command = Command.NEWER if new.sort == "newest" else Command.OLDER
    if command in (Command.NEWER, Command.OLDER):
        base = _overlay(prev, _strip(new)) if prev is not None else _strip(new)
        return Refinement(shift_years(base, newer=command is Command.NEWER, shown_years=shown_years),
                          Turn.REFINE if prev is not None else Turn.NEW, notes)

    fresh = _strip(new)
    if "open" in new.small_talk and not _requests(new) and not new.liked:
        return Refinement(Query(), Turn.NEW, notes)  # "I like all movies": nothing to filter
    if not _requests(new) and (new.small_talk or new.says_about_movies()):
        if new.liked:  # rule 6b: taste refines the current topic, or moves to a new one
            taste = Query(reference_items=list(new.liked))
            if prev is None:
                return Refinement(taste, Turn.NEW, notes)
            if fits is not None and not all(fits(_topic(prev), new.liked)):
                return Refinement(_like_in_frame(prev, new.liked), Turn.NEW, notes)
            return Refinement(_union(prev, taste), Turn.REFINE, notes)
        # A greeting, "ok!" or "fine, thanks" before any request gets starter picks;
        # "bye" and "no thanks" get their answer and no list.
        if prev is not None or not new.small_talk or new.says_about_movies() or _closing(new):
            return Refinement(prev or Query(), Turn.CHAT, notes)
    if prev is None:
        return Refinement(fresh, Turn.NEW, notes)
    if (completed := _name_completed(prev, fresh)) is not None:
        # "a comedy with Tom" ("Which Tom do you mean?"), then "Tom Hanks": his comedies.
        return Refinement(_union(completed, fresh), Turn.REFINE, notes)
    if new.relative and not fresh.reference_items:
        # "but funnier" after "like Alien": comedies like Alien, the reference stays.
        return Refinement(_union(_without_opposite_tones(prev, fresh.text), fresh), Turn.REFINE, notes)
    if _is_additive(text):
        merged = _union_fitting(prev, fresh, fits)
        if _ABOUT_START.match(text.strip().lower()) and prev.text.strip() and fresh.text.strip():
            # "one about sports" after "documentaries about food": another topic in the
            # same frame, not films about both (it searched "food sports")
            merged.text = fresh.text
        return Refinement(merged, Turn.REFINE, notes)
    if _has_content(fresh):
        return Refinement(fresh, Turn.NEW, notes)
    if fresh.genres_all or fresh.genres_any:
        merged = _overlay(prev, fresh)
        merged.reference_items, merged.text = [], ""  # a new topic
        merged.people = merged.excluded_people()  # the frame stays
        merged.genres_all = list(fresh.genres_all)
        merged.genres_any = list(fresh.genres_any)
        merged.genres_none = [g for g in merged.genres_none if g not in _wanted(fresh)]
        return Refinement(merged, Turn.REFINE, notes)
    if fresh.is_empty():
        notes.append(_note(new.lang, "nothing_to_do"))
        return Refinement(prev, Turn.UNRESOLVED, notes)
    return Refinement(_overlay(prev, fresh), Turn.REFINE, notes)


def merge(previous: Query | None, new: Query, *, text: str = "", shown: Sequence[int] = ()) -> Query:
    """Just the resulting query of ``refine``."""
    return refine(previous, new, text=text, shown=shown).query


def similar_to(previous: Query | None, item_id: int) -> Query:
    """A query for items like ``item_id``, keeping the session's exclusions and rating floor."""
    return _like_in_frame(previous, [item_id])


def _like_in_frame(previous: Query | None, item_ids: Sequence[int]) -> Query:
    """Items like ``item_ids``, in the frame of ``previous``: its exclusions and rating."""
    query = Query(reference_items=[int(i) for i in item_ids])
    if previous is not None:
        query.genres_none = list(previous.genres_none)
        query.people = previous.excluded_people()
        query.avoid_text = previous.avoid_text
        query.min_rating = previous.min_rating
        query.quality = previous.quality
        query.obscure = previous.obscure
    return query


def shift_years(query: Query, *, newer: bool, shown_years: Sequence[int] = ()) -> Query:
    """The rule-3 shift of the year window (or a sort when there is no window)."""
    out = copy.deepcopy(query)
    lo, hi = out.year_min, out.year_max
    sort = "newest" if newer else "oldest"
    years = sorted(y for y in shown_years if y > 0)
    if lo is None and hi is None and out.sort == sort and years:
        middle = years[len(years) // 2]  # "even older": older than most of the list
        out.year_min, out.year_max = (middle + 1, None) if newer else (None, middle - 1)
        return out
    if lo is None and hi is None:
        out.sort = sort
        return out
    out.sort = None
    if lo is not None and hi is not None:
        span = max(hi - lo + 1, DECADE)
        out.year_min, out.year_max = (hi + 1, hi + span) if newer else (lo - span, lo - 1)
    elif lo is not None:
        out.year_min, out.year_max = (lo + DECADE, None) if newer else (lo - DECADE, lo - 1)
    else:
        assert hi is not None
        out.year_min, out.year_max = (hi + 1, hi + DECADE) if newer else (None, hi - DECADE)
    return out


# The words of ``describe`` in English, by key; a front end passes its own catalogue's
# (bot.dialogue.texts) to summarise in another language. ``str.format`` templates.
SUMMARY_WORDS: dict[str, str] = {
    "separator": " · ",
    "all_genres": " + ",
    "any_genre": " or ",
    "list": ", ",
    "years": "{start}–{end}",
    "from_year": "{year} or later",
    "until_year": "{year} or earlier",
    "not_genres": "not {genres}",
    "not_text": "nothing about {text}",
    "not_people": "without {people}",
    "not_directed_by": "not directed by {people}",
    "min_rating": "★ {stars}+",
    "highly_rated": "highly rated",
    "hidden_gems": "hidden gems",
    "max_runtime": "up to {minutes} min",
    "languages": "in {names}",
    "not_english": "not in English",
    "like": "like {titles}",
    "more_titles": "{titles} and {n} more",
    "with_people": "with {people}",
    "directed_by": "directed by {people}",
    "text": "“{text}”",
    "sort": "{sort} first",
}


def describe(
    query: Query,
    title_of: Callable[[int], str] | None = None,
    *,
    words: Mapping[str, str] = SUMMARY_WORDS,
    display: Callable[[str, str], str] | None = None,
) -> str:
    """A short human summary of a query: "Comedy · 1990–1999 · not Horror · ★ 4+".

    ``words`` overrides ``SUMMARY_WORDS`` (missing keys stay English); ``display(kind,
    name)`` gives the shown name of a ``"genre"`` or ``"sort"`` (default: ``name``).
    """
    def say(key: str, **fields: object) -> str:
        return words.get(key, SUMMARY_WORDS[key]).format(**fields)

    def genres(names: list[str], joiner: str) -> str:
        return say(joiner).join(display("genre", g) if display else g for g in names)

    parts: list[str] = []
    if query.genres_all:
        parts.append(genres(query.genres_all, "all_genres"))
    if query.genres_any:
        parts.append(genres(query.genres_any, "any_genre"))
    if query.year_min is not None and query.year_max is not None:
        parts.append(str(query.year_min) if query.year_min == query.year_max
                     else say("years", start=query.year_min, end=query.year_max))
    elif query.year_min is not None:
        parts.append(say("from_year", year=query.year_min))
    elif query.year_max is not None:
        parts.append(say("until_year", year=query.year_max))
    if query.genres_none:
        parts.append(say("not_genres", genres=genres(query.genres_none, "list")))
    if query.avoid_text.strip():
        parts.append(say("not_text", text=say("list").join(avoid_terms(query.avoid_text))))
    if query.max_runtime is not None:
        parts.append(say("max_runtime", minutes=query.max_runtime))
    if query.languages and set(query.languages) >= set(NOT_ENGLISH):  # "foreign films"
        parts.append(say("not_english"))
    elif query.languages:
        shown = (display("language", code) if display else language_label(code, "en")
                 for code in query.languages)
        parts.append(say("languages", names=say("any_genre").join(dict.fromkeys(shown))))
    if query.min_rating is not None:
        parts.append(say("min_rating", stars=f"{query.min_rating:g}"))
    elif query.obscure:
        parts.append(say("hidden_gems"))
    elif query.quality:
        parts.append(say("highly_rated"))
    if query.reference_items:
        names = [title_of(i) if title_of else f"#{i}" for i in query.reference_items]
        # a whole series: "like Star Wars: ..., and 9 more"
        parts.append(say("like", titles=name_some(names, say("list"), words.get("more_titles", SUMMARY_WORDS["more_titles"]))))
    for refs, cast_key, director_key in ((query.wanted_people(), "with_people", "directed_by"),
                                         (query.excluded_people(), "not_people", "not_directed_by")):
        known = [ref for ref in refs if ref.known]
        for key, names in ((cast_key, [r.name for r in known if r.role != DIRECTOR]),
                           (director_key, [r.name for r in known if r.role == DIRECTOR])):
            # Two directors asked for are alternatives (``filters.alternative_directors``).
            joiner = say("any_genre") if key == "directed_by" else say("list")
            if names:
                parts.append(say(key, people=joiner.join(names)))
    # The words are the request when nothing else is; next to other facets a few words
    # say how the list differs ("like The Dark Knight · “feel-good”", "Thriller · “heist”").
    if query.text.strip() and (not parts or len(query.text.split()) <= SHOWN_TEXT_WORDS):
        parts.append(say("text", text=query.text.strip()[:60]))
    if query.sort:
        parts.append(say("sort", sort=display("sort", query.sort) if display else query.sort))
    return say("separator").join(parts)


# At most this many words of free text are shown next to other facets.
SHOWN_TEXT_WORDS = 3
# At most this many titles are named in a summary or a note; the rest are counted.
SHOWN_TITLES = 3


def name_some(names: Sequence[str], joiner: str, more: str, limit: int = SHOWN_TITLES) -> str:
    """``names`` joined, or the first ``limit`` of them and a count of the rest through the
    ``more`` template (fields ``titles`` and ``n``: "{titles} and {n} more")."""
    if len(names) <= limit:
        return joiner.join(names)
    return more.format(titles=joiner.join(names[:limit]), n=len(names) - limit)


def _strip(query: Query) -> Query:
    """The message's search facets without its one-shot parts (command, ordinal, what it
    says about movies, small talk); liked movies named with a request are its references."""
    out = copy.deepcopy(query)
    out.command = None
    out.ordinal = None
    out.notes = []
    out.reference_items = _dedupe(out.reference_items + out.liked)
    out.liked, out.disliked, out.seen, out.unseen, out.asked = [], [], [], [], []
    out.pronoun, out.plural, out.small_talk = None, None, []
    out.relative = False  # how this message relates to the session, not what it asks
    return out


def _requests(query: Query) -> bool:
    """Whether a message asks for something beyond statements about movies and small talk."""
    return not Query(**{**vars(_strip(query)), "reference_items": list(query.reference_items)}).is_empty()


def _wanted(query: Query) -> set[str]:
    return set(query.genres_all) | set(query.genres_any)


def _overlay(base: Query, mod: Query) -> Query:
    """``mod``'s modifiers applied on top of ``base`` (rule 7)."""
    out = copy.deepcopy(base)
    out.notes = []
    if mod.genres_none:
        banned = set(mod.genres_none)
        out.genres_none = _dedupe(out.genres_none + mod.genres_none)
        out.genres_all = [g for g in out.genres_all if g not in banned]
        out.genres_any = [g for g in out.genres_any if g not in banned]
    if mod.avoid_text.strip():
        out.avoid_text = join_avoid_terms(avoid_terms(out.avoid_text) + avoid_terms(mod.avoid_text))
    left_out = mod.excluded_people()
    if left_out:  # "nothing with Adam Sandler": a frame, like "no horror"
        names = {p.names() for p in left_out}
        out.people = _dedupe([p for p in out.people if p.excluded or p.names() not in names] + left_out)
    if mod.year_min is not None or mod.year_max is not None:
        out.year_min, out.year_max = mod.year_min, mod.year_max
        out.sort = None
    if mod.min_rating is not None:
        out.min_rating = mod.min_rating
    if mod.max_runtime is not None:
        out.max_runtime = mod.max_runtime
    if mod.languages:
        out.languages = list(mod.languages)
    out.quality = out.quality or mod.quality
    out.obscure = out.obscure or mod.obscure
    if mod.sort:
        out.sort = mod.sort
    return out


def _without_opposite_tones(prev: Query, text: str) -> Query:
    """``prev`` without the tone words that ``text``'s tones replace ("happier" after
    "make me cry": no "sadness"; ``comparatives.OPPOSITE_TONES``)."""
    gone = set().union(*(OPPOSITE_TONES.get(w, frozenset()) for w in text.split()))
    if not gone or not gone & set(prev.text.split()):
        return prev
    out = copy.deepcopy(prev)
    out.text = " ".join(w for w in prev.text.split() if w not in gone)
    return out


def _name_completed(prev: Query, fresh: Query) -> Query | None:
    """``prev`` without the names nobody was found for ("Tom", kept unknown) that a
    person of ``fresh`` completes ("Tom Hanks"); None when ``fresh`` completes none."""
    vague = [p for p in prev.people if not p.known and not p.excluded]
    words = {w for p in vague for w in p.name.lower().split()}
    if not words or not any(p.known and words & set(p.name.lower().split()) for p in fresh.people):
        return None
    out = copy.deepcopy(prev)
    out.people = [p for p in out.people if p not in vague]
    return out


def _union(base: Query, add: Query) -> Query:
    """Rule 6: everything in ``add`` added to ``base``."""
    out = _overlay(base, add)
    wanted = _wanted(add)
    # Alternatives stay alternatives: "a comedy" + "also for kids" is a comedy for
    # children or an animated one, not both at once. The query holds one group of
    # alternatives: next to one already there ("I like action and comedy" + "also family
    # films") the new ones are required, so the list changes to family films that are
    # action or comedy (Zootopia, Big Hero 6) instead of staying the same.
    if add.genres_any and not out.genres_any:
        out.genres_all = _dedupe(out.genres_all + add.genres_all)
        out.genres_any = [g for g in add.genres_any if g not in out.genres_all]
    else:
        out.genres_all = _dedupe(out.genres_all + add.genres_all + add.genres_any)
    out.genres_none = [g for g in out.genres_none if g not in wanted]
    out.reference_items = _dedupe(out.reference_items + add.reference_items)
    out.people = _dedupe(out.people + add.people)
    extra = add.text.strip()
    # A tone is meaningful whatever its words ("feel-good": "feel" and "good" are filler).
    if extra and (_meaningful_words(extra) or any(w in OPPOSITE_TONES for w in extra.split())):
        out.text = f"{out.text.strip()} {extra}".strip()
    return out


def _topic(query: Query) -> Query:
    """The genres, years and people asked for in ``query``: what a liked film must meet
    to stay in it ("I love Titanic" after films with Harrison Ford is a new topic, not
    Harrison Ford films like Titanic)."""
    return Query(genres_all=list(query.genres_all), genres_any=list(query.genres_any),
                 year_min=query.year_min, year_max=query.year_max,
                 people=[p for p in query.people if not p.excluded])


def _union_fitting(base: Query, add: Query, fits: Fits | None) -> Query:
    """Rule 6 with films that no longer fit left out: an earlier reference outside the
    merged genres and years goes ("also scary movies" after "like Avengers: Infinity
    War" is horror, not horror like Infinity War); when the message's own films do not
    fit the session's genres ("I also like comedies like Click" after action films), the
    message leads and only the session's frame stays."""
    out = _union(base, add)
    if fits is None:
        return out
    topic = _topic(out)
    if not all(fits(topic, add.reference_items)):
        return _union(_like_in_frame(base, []), add)
    own = set(add.reference_items)
    out.reference_items = [i for i, ok in zip(out.reference_items, fits(topic, out.reference_items), strict=True)
                           if ok or i in own]
    return out


_CLOSING = frozenset({"bye", "decline"})


def _closing(query: Query) -> bool:
    """Small talk that ends or declines ("bye", "no thanks"), with no greeting or
    question to the bot in it."""
    kinds = set(query.small_talk)
    return bool(kinds & _CLOSING) and not kinds & {"greeting", "about_bot", "more", "open"}


def _has_content(query: Query) -> bool:
    return bool(query.reference_items or query.wanted_people() or _meaningful_words(query.text))


def _meaningful_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _FILLER and not w.isdigit()]


def _note(lang: str, key: str, **fields: object) -> str:
    return NOTES.get(lang, NOTES["en"])[key].format(**fields)


def _is_additive(text: str) -> bool:
    if text.lstrip().startswith(_ADDITIVE_START_ZH):
        return True
    if _NARROWING_START.match(text.strip().lower()):
        return True
    words = _WORD.findall(text.lower())
    return bool(words) and (words[0] in _ADDITIVE_START or bool(_ADDITIVE_ANYWHERE.search(text.lower())))


def _dedupe(values: list) -> list:
    return list(dict.fromkeys(values))
