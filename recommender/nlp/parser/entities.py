"""Tagger pass (the first): the BERT tagger's entities claim their spans.

Each entity (TITLE, ACTOR/DIRECTOR, GENRE/NEG_GENRE, ORDINAL, RATINGS_AVERAGE/REVIEW,
RATING, CHARACTER/SONG, TRAILER) is first checked against the text (bad offsets are
repaired or the entity dropped) and against facts the lexicon and catalog know for
certain (:func:`_reconcile`), then claims its tokens with its meaning. It runs before
every lexicon pass because the model's reading of a span wins; titles and people it
claims are opaque to the passes after it. YEAR and PLOT spans stay unclaimed: the time
pass and the free text read them. Unresolvable spans (an unknown title, a genre word
no catalog genre matches) are left unclaimed so the lexicon passes still see them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from recommender.knowledge.people import role_before
from recommender.knowledge.topics import content_words, stem
from recommender.nlp import lexicon
from recommender.nlp.entities import Entity
from recommender.nlp.parser.genres import GENRE_RE, GenreResolver, tagger_negation
from recommender.nlp.parser.mentions import after_reference_cue, entity_title, find_title
from recommender.nlp.parser.ordinals import parse_ordinal
from recommender.nlp.parser.ratings import RATING_RE, names_age_rating, rating_phrase
from recommender.nlp.parser.state import (
    GenreMention,
    ParseState,
    praise,
    said_of_a_film,
    title_case,
)
from recommender.nlp.query import PersonRef
from recommender.nlp.titles import TitleIndex, title_key

_ARTICLE = re.compile(r"^(?:the|a|an|some|any)\s+")
# Words before a place: "set in", "takes place in", "located in".
_SETTING_BEFORE = re.compile(r"\b(?:set|takes?\s+place|taking\s+place|located|based)\s+in\s+(?:the\s+)?$")
_NAMED = frozenset({"ACTOR", "DIRECTOR", "CHARACTER", "TITLE", "GENRE", "NEG_GENRE", "PLOT"})


def apply_entities(
    state: ParseState, entities: Sequence[Entity], titles: TitleIndex, genres: GenreResolver,
    topic_words: frozenset[str] = frozenset(),
    searchable: frozenset[str] = frozenset(),
    phrases: frozenset[str] = frozenset(),
) -> None:
    """Claim the tagger's entity spans, in message order, each with its meaning.

    A TITLE span that is only a common plot keyword of the catalog ("submarine",
    "dragons"; ``topic_words``) and follows no reference cue is what the film should be
    about, not the film of that name: it stays free text. A TITLE span that is no
    catalog title and whose words are all keyword or tag words (``searchable``: "time
    travel") stays free text without the "I don't know the film" note. A name nobody in
    the catalog carries that is a keyword phrase of several films (``phrases``: "James
    Bond") is what the films are about, not a person to look up."""
    q = state.query
    valid = sorted(_valid_entities(state.text, entities), key=lambda e: e.start)
    # The genre spans' phrases resolved together: unknown words share one encoder pass.
    named = genres.genres_of_phrases([e.text for e in valid if e.type in ("GENRE", "NEG_GENRE")])
    for raw_ent in valid:
        ent = _reconcile(state, raw_ent, titles)
        span = state.token_range(ent.start, ent.end)
        if not span or not state.free(span):
            continue
        kind = ent.type
        if kind == "TITLE":
            if _topic_not_title(state, ent, topic_words):
                continue
            if cue := _SETTING_BEFORE.search(state.lowered[: ent.start]):
                # "a crime drama set in New York": a place the film is set in, searched as
                # text (New York Stories is not meant); the cue words say nothing more.
                cue_span = state.token_range(cue.start(), cue.end())
                if cue_span and state.free(cue_span):
                    state.claim(cue_span, "ignored")
                continue
            entity_title(state, ent, span, titles, quiet=_all_searchable(ent.text, searchable))
        elif kind in ("ACTOR", "DIRECTOR") and title_key(ent.text) in phrases:
            state.claim(span, "text")  # the people pass found no such person
        elif kind in ("ACTOR", "DIRECTOR"):
            # Resolved against the catalog's credits by the engine (or said unknown).
            person = PersonRef(title_case(ent.text), role_before(state.text[: ent.start]))
            if person.name:
                state.add_person(span, person)
            else:
                state.claim(span, "person")
        elif kind in ("CHARACTER", "SONG"):
            state.claim(span, "text")  # opaque: kept verbatim as free text
        elif kind in ("GENRE", "NEG_GENRE"):
            # _reconcile may have grown the span or made it a genre: resolve it then.
            found = named[ent.text] if ent.text in named else genres.genre_of_phrase(ent.text)
            if found and _topic_said_away(state, ent, topic_words):
                continue  # "I hate aliens": films about aliens go, not all of Sci-Fi
            if found:
                negated = tagger_negation(state, ent) if kind == "NEG_GENRE" else None
                any_of = lexicon.normalize(ent.text) in lexicon.ANY_OF_ALIASES
                state.genres.append(GenreMention(found, span.start, negated, any_of))
                state.claim(span, "genre")
            # else: left unclaimed, so the lexicon rules and free text still read it
        elif kind == "ORDINAL":
            value = parse_ordinal(ent.text)
            if value is not None:
                q.ordinal = value
                state.claim(span, "ordinal")
        elif kind in ("RATINGS_AVERAGE", "REVIEW"):
            if said_of_a_film(state, ent.start) and not RATING_RE.search(ent.text.lower()):
                state.claim(span, "ignored")  # "that was a good one": praise, no floor
                praise(state)
            elif rating_phrase(state, ent.text):
                state.claim(span, "rating")
            # else: a phrase that names no rating ("funnier") stays free text
        elif kind == "RATING" and names_age_rating(ent.text):
            # MPAA ("pg 13"): this catalog has no such field
            state.claim(span, "ignored")
            state.note(f"ignored the age rating '{ent.text}' (not in this catalog)")
        # else: a "rating" that names none ("I like [Pixar] movies") stays for the lexicon
        elif kind == "TRAILER":
            state.claim(span, "ignored")
        # YEAR and PLOT stay unclaimed: the year rules and free text read them.


def _reconcile(state: ParseState, ent: Entity, titles: TitleIndex) -> Entity:
    """Repair what a tagger gets visibly wrong, using facts the lexicon and the
    catalog know for certain: a genre span cut short ("[sci]-fi") grows to the
    whole alias; a span inside an explicit rating phrase ("rated above [4]") is that
    rating; a "person" or "title" that is only a genre word ("[a comdy]") is a
    genre; a "person" right after "like" that names a catalog title is a title."""
    kind, text = ent.type.upper(), ent.text
    for m in RATING_RE.finditer(state.lowered):
        if m.start() < ent.end and m.end() > ent.start:
            start, end = min(m.start(), ent.start), max(m.end(), ent.end)
            return Entity("RATINGS_AVERAGE", state.text[start:end], start, end)
    after_cue = after_reference_cue(state.masked()[: ent.start])
    core = _ARTICLE.sub("", lexicon.normalize(text))
    span = state.token_range(ent.start, ent.end)
    if after_cue and kind in _NAMED and span and state.free(span):
        # Right after "like": a catalog title starting here beats a fragmented or
        # mislabelled span ("like [Notting]/ACTOR [Hill]/TITLE", "like [toy] stroy").
        found = find_title(state, span.start, titles)
        if found is not None and found[1].stop >= span.stop:
            toks = state.tokens
            start, end = toks[found[1].start].start, toks[found[1].stop - 1].end
            return Entity("TITLE", state.text[start:end], start, end)
    if kind in ("GENRE", "NEG_GENRE"):
        lo, hi = max(0, ent.start - 20), min(len(state.text), ent.end + 20)
        for m in GENRE_RE.finditer(state.lowered, lo, hi):
            if m.start() < ent.end and m.end() > ent.start:
                start, end = min(m.start(), ent.start), max(m.end(), ent.end)
                return Entity(kind, state.text[start:end], start, end)
    elif kind in ("ACTOR", "DIRECTOR", "CHARACTER", "TITLE") and lexicon.genres_of(core):
        if not (kind == "TITLE" and after_cue and titles.exact(text)):
            return Entity("GENRE", text, ent.start, ent.end)
    elif kind in ("ACTOR", "DIRECTOR", "CHARACTER") and after_cue and titles.resolve(text):
        return Entity("TITLE", text, ent.start, ent.end)
    elif kind in ("ACTOR", "DIRECTOR", "CHARACTER") and titles.series(text):
        # "anything but Harry Potter": the name of a series of films, not a person (the
        # people pass already took every name the catalog credits).
        return Entity("TITLE", text, ent.start, ent.end)
    return Entity(kind, text, ent.start, ent.end)


def _valid_entities(text: str, entities: Sequence[Entity]) -> list[Entity]:
    """Entities whose offsets fit the (possibly truncated) text; bad offsets repaired
    by searching the entity text, or the entity dropped."""
    good = []
    for ent in entities or ():
        try:
            start, end, etext = int(ent.start), int(ent.end), str(ent.text)
        except (TypeError, ValueError, AttributeError):
            continue
        if not (0 <= start < end <= len(text)) or text[start:end] != etext:
            found = text.find(etext) if etext.strip() else -1
            if found < 0:
                continue
            start, end = found, found + len(etext)
        good.append(Entity(str(ent.type), text[start:end], start, end))
    return good


def _all_searchable(text: str, searchable: frozenset[str]) -> bool:
    words = content_words(text)
    return bool(searchable) and bool(words) and all(w in searchable for w in words)


def _topic_not_title(state: ParseState, ent: Entity, topic_words: frozenset[str]) -> bool:
    words = [stem(w) for w in re.findall(r"[a-z0-9]+", ent.text.lower())]
    return (bool(words) and all(w in topic_words for w in words)
            and not after_reference_cue(state.masked()[: ent.start]))


def _topic_said_away(state: ParseState, ent: Entity, topic_words: frozenset[str]) -> bool:
    """Whether a negated genre span is a topic the catalog's keywords name ("no aliens",
    "I hate zombies") rather than a genre word: only its films are left out (the free
    text's avoided topics), not the genre the embedding put it nearest to."""
    if lexicon.genres_of(ent.text) or not tagger_negation(state, ent):
        return False
    words = lexicon.normalize(ent.text).split()
    return bool(words) and all(w in topic_words or stem(w) in topic_words for w in words)
