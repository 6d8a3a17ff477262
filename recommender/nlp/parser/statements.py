"""The parser pass for real messages: small talk, movie mentions and what is said about
them. It runs before every other pass, so the titles it finds (with their bound years)
are claimed before a year rule or the tagger can misread them.

1. Small-talk phrases (``intent.small_talk``) are claimed and recorded in
   ``Query.small_talk``: they never become a title or free text.
2. Titles anywhere in the message (``spotting.spot_titles``) are claimed; each goes to
   the query list of its stance (``sentiment.stances``): a reference ("like X", a bare
   title) to ``reference_items``, liked / disliked / seen / not seen / asked about to
   ``liked`` ... ``asked``. A "Title (Year)" the catalog lacks is noted, not searched.
3. Without a title, "it" / "that one" with a stance sets ``Query.pronoun``.
4. The words that only said how the person feels ("loved", "have never seen") are
   claimed, so they do not become free text for the semantic search.

``chatty_free_text`` then prunes what is left for the semantic search: chat words
("think", "sounds", "theaters") never describe a film, and in a message that chats
(small talk, mentions, "it") only words after a content cue ("about", "with") are kept:
"I saw it in theaters, it had me on the edge of my seat" is no request for films about
seats.

The state is the parser's working state (``tokens``, ``claims``, ``take``, ``claim``,
``note``, ``query``, ``text``).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from recommender.data.catalog import Catalog
from recommender.knowledge.people import PeopleIndex
from recommender.knowledge.topics import TopicIndex, content_words, stem
from recommender.nlp import lexicon
from recommender.nlp.intent import NOT_ABOUT_FILMS, Intent, small_talk
from recommender.nlp.patterns import TASTE_VERB
from recommender.nlp.query import join_avoid_terms
from recommender.nlp.sentiment import (
    LIKE_SUBJECTS,
    Stance,
    answer_stance,
    cue_spans,
    plural_count,
    pronoun_stance,
    stances,
)
from recommender.nlp.spotting import spot_titles
from recommender.nlp.titles import SERIES_MAX, TitleIndex, TitleMatch, title_key

_TARGET = {
    Stance.LIKED: "liked", Stance.DISLIKED: "disliked", Stance.SEEN: "seen",
    Stance.UNSEEN: "unseen", Stance.ASKED: "asked", Stance.REFERENCE: "reference_items",
    Stance.REJECTED: "rejected",
}  # fmt: skip


def add_mention(query: Any, item_id: int, stance: Stance) -> None:
    """Put a mentioned film where its stance says (liked, seen, ..., a reference)."""
    target = getattr(query, _TARGET[stance])
    if item_id not in target:
        target.append(item_id)


def unknown_film_note(title: str) -> str:
    """What the user is told about a title the catalog lacks ("Parasite": newer than it)."""
    return f"I don't know the film '{title}' yet"


def claim_title(
    state: Any, titles: TitleIndex, match: TitleMatch, span: range, hint_span: range | None,
    stance: Stance = Stance.REFERENCE,
) -> None:
    """Claim a resolved title (and its bound year) and put the film where its stance says.

    A film the message leaves out ("not Star Wars") goes with the rest of its series when
    the words name one (``TitleIndex.series``) and no year pins the one film; then no
    single title was "meant", so no "took … as the title you meant" note."""
    series: list[int] = []
    start, end = state.tokens[span.start].start, state.tokens[span.stop - 1].end
    if hint_span is None and (stance is Stance.REJECTED or (
            stance in _WHOLE_SERIES_STANCES and _names_whole_series(state.text, start, end))):
        series = titles.franchise_members(state.text[start:end])
    for item_id in dict.fromkeys((match.item_id, *series)):
        add_mention(state.query, item_id, stance)
    if match.score < 100 and not series:
        state.note(f"took '{match.label}' as the title you meant")
    state.claim(span, "title")
    if hint_span:
        state.claim(hint_span, "title")


# What is said of a whole series ("I have seen all the Harry Potter movies", "I loved the
# Toy Story films") is said of each of its films; a reference stays one film to match.
_WHOLE_SERIES_STANCES = (Stance.SEEN, Stance.LIKED, Stance.DISLIKED)
_QUANTIFIER_BEFORE = re.compile(
    r"\b(?:all|every|each|both)\s+(?:(?:of|the|those|these|them|his|her)\s+){0,2}$", re.IGNORECASE)
_SERIES_AFTER = re.compile(r"\s*(?:movies|films|series|franchise|trilogy|saga)\b", re.IGNORECASE)


def _names_whole_series(text: str, start: int, end: int) -> bool:
    """Whether the title at ``text[start:end]`` is written as a whole series: after "all
    (of) the" / "every" / "both", or before "movies", "films", "series", "trilogy"."""
    return bool(_QUANTIFIER_BEFORE.search(text, 0, start) or _SERIES_AFTER.match(text, end))


def _written_titles(state: Any, titles: TitleIndex, catalog: Catalog,
                    chat: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans of catalog titles written with their year ("True Lies (1994)"),
    looked for only when such a year follows a chat span (else none can hold one)."""
    if not chat or not _YEAR_IN_BRACKETS.search(state.text, min(end for _, end in chat)):
        return []
    tokens = state.tokens
    spots = spot_titles(state.text, tokens, [claim is None for claim in state.claims], titles,
                        catalog.rating_count)
    return [(tokens[s.first].start, tokens[s.stop - 1].end) for s in spots
            if s.match is not None and s.hint is not None]


def read_statements(state: Any, titles: TitleIndex, catalog: Catalog) -> None:
    """Apply steps 1-4 of the module docstring to the parser ``state``."""
    chat = small_talk(state.text)
    written = _written_titles(state, titles, catalog, chat.spans)
    kinds = []
    for (start, end), kind in zip(chat.spans, chat.span_kinds, strict=True):
        # A chat word inside a title written with its year is the title's: "True Lies
        # (1994)", "28 Days Later (2002)" (read as "true!" and "see you later").
        if not any(a < end and start < b for a, b in written):
            state.take(start, end, "chat")
            kinds.append(kind)
    state.query.small_talk = [kind.value for kind in dict.fromkeys(kinds)]
    tokens = state.tokens
    free = [claim is None for claim in state.claims]
    spots = spot_titles(state.text, tokens, free, titles, catalog.rating_count)
    spans = [(tokens[s.first].start, tokens[s.stop - 1].end) for s in spots]
    said = stances(state.text, spans)
    for spot, (start, end), stance in zip(spots, spans, said, strict=True):
        if spot.match is not None:
            claim_title(state, titles, spot.match, range(spot.first, spot.stop), spot.hint, stance)
            continue
        state.claim(range(spot.first, spot.stop), "title")
        if spot.hint:
            state.claim(spot.hint, "title")
        state.note(unknown_film_note(state.text[start:end]))
    if (state.query.liked or state.query.seen) and _WANTS_SIMILAR.search(state.text):
        # "I loved Alien, give me more like it", "I've seen all the Star Wars movies, what
        # else?": the film liked or seen is also what to match (seen, it is not listed).
        for item_id in (*state.query.liked, *state.query.seen):
            if item_id not in state.query.reference_items:
                state.query.reference_items.append(item_id)
    if not spots:
        # Small talk says nothing about a film: "it was nice talking to you" likes nothing.
        about_it = answer_stance(state.text) or pronoun_stance(
            _blanked(state.text, chat.spans_of(NOT_ABOUT_FILMS)))
        if about_it is Stance.LIKED and (Intent.TRY in chat.kinds or _SOUNDS_GOOD.search(state.text)):
            # "that's cool, I should watch it", "the second one sounds good": not seen
            # yet, so not liked
            about_it = None
        state.query.pronoun = about_it.value if about_it is not None else None
        if about_it is not None:  # "I have seen both movies!", "I've seen the first two"
            state.query.plural = plural_count(state.text)
    # The words of a stance are claimed where a film has one; "like Alien but funny"
    # states none about Alien, so "funny" still asks for comedies.
    stated = [span for span, stance in zip(spans, said, strict=True)
              if stance not in (Stance.REFERENCE, Stance.REJECTED)]
    if stated or state.query.pronoun:
        for start, end in cue_spans(state.text, stated, pronoun=not spots):
            span = state.token_range(start, end)
            if span and state.free(span):
                state.claim(span, "stance")


# "I've seen every Tom Hanks movie", "I have watched all of Nolan's films": the person's
# films are seen, and their best known are the taste to match.
_SEEN_ALL = re.compile(
    r"\b(?:seen|watched|saw)\s+(?:just\s+about\s+|almost\s+|pretty\s+much\s+|basically\s+)?"
    r"(?:all|every|everything|each)\b(?:\s+(?:of|the|by|with|from|single|one|movies|films|starring))*\s+(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)
SEEN_PERSON_REFERENCES = 3  # of the person's films, the best known matched


def read_seen_people(state: Any, people: PeopleIndex | None, catalog: Catalog) -> None:
    """A credited person of whom the message says every film was seen: their films
    (most rated first, at most ``SERIES_MAX`` of them) go to ``Query.seen``, the best
    known ``SEEN_PERSON_REFERENCES`` to ``reference_items``, and the person is no
    filter (every film of theirs would be left out)."""
    m = _SEEN_ALL.search(state.text)
    if not m or people is None:
        return
    rest = title_key(m.group("rest"))
    for ref in [p for p in state.query.people if p.known and not p.excluded]:
        if not rest.startswith(title_key(ref.name)) and not rest.startswith(title_key(ref.name.split()[-1])):
            continue
        films = np.flatnonzero(people.mask(ref))  # their credits, in the role named
        films = films[np.argsort(-catalog.rating_count[films], kind="stable")]
        ids = [int(catalog.item_ids[i]) for i in films[:SERIES_MAX]]
        if not ids:
            continue
        state.query.people.remove(ref)
        for item_id in ids:
            add_mention(state.query, item_id, Stance.SEEN)
        for item_id in ids[:SEEN_PERSON_REFERENCES]:
            add_mention(state.query, item_id, Stance.REFERENCE)


# "... the Marvel movies", "... every James Bond film", "... the movies about time travel".
_SEEN_TOPIC = re.compile(r"^(?:(?P<topic>[\w' -]{2,40}?)\s+(?:movies?|films?|series|franchise)\b"
                         r"|about\s+(?P<about>[\w' -]{2,40}?)\s*(?:[.,!?;]|$))", re.IGNORECASE)


def read_seen_topic(state: Any, topics: TopicIndex, catalog: Catalog) -> None:
    """A topic of which the message says every film was seen ("I've seen all the Marvel
    movies", "every James Bond film"): as for a person (``read_seen_people``), its films
    go to ``Query.seen`` and the best known to ``reference_items``, and the topic is no
    search (it would list only films already seen). Runs after the free text is put
    together; a title, a person or a genre said so is read by their own passes."""
    query = state.query
    m = _SEEN_ALL.search(state.text)
    if not m or query.seen or query.people or query.genres_all or query.genres_any:
        return
    words = _SEEN_TOPIC.match(m.group("rest").strip())
    if words is None:
        return
    topic = words.group("topic") or words.group("about")
    # Every word of it, not any: "James Bond" is no keyword phrase, and any of its words
    # would take Twelve Monkeys (a James in the plot) for a Bond film.
    about = topics.scores(topic)
    films = np.flatnonzero(about >= ALL_WORDS) if about is not None else np.zeros(0, np.int64)
    if films.size < SEEN_TOPIC_MIN_FILMS:
        return
    films = films[np.argsort(-catalog.rating_count[films], kind="stable")]
    ids = [int(catalog.item_ids[i]) for i in films[:SEEN_TOPIC_MAX]]
    for item_id in ids:
        add_mention(query, item_id, Stance.SEEN)
    for item_id in ids[:SEEN_PERSON_REFERENCES]:
        add_mention(query, item_id, Stance.REFERENCE)
    said = {w.lower() for w in content_words(topic)} | _QUANTIFIER_WORDS
    query.text = " ".join(w for w in query.text.split() if w.lower() not in said
                          and stem(w.lower()) not in said)


_QUANTIFIER_WORDS = frozenset({"all", "every", "each", "single", "the", "of"})
ALL_WORDS = 1.0 - 1e-6  # ``TopicIndex.scores`` of a film with every word of the topic
# Fewer films than this with every word, and the words are no topic the catalog knows
# well: "James Bond" is five parodies whose keywords say it (Austin Powers), not the
# Bond films; they stay a search.
SEEN_TOPIC_MIN_FILMS = 8
# Films of the topic marked seen, most rated first: all of Marvel's (about 60 here), not
# the 30 of ``SERIES_MAX`` (Thor: Ragnarok and Guardians 2 came back as "what else").
SEEN_TOPIC_MAX = 80


# Interest in a film not seen yet: "the second one sounds good", "that looks great".
_SOUNDS_GOOD = re.compile(r"\b(?:sounds?|looks?|seems?)\s+(?:really\s+|very\s+|pretty\s+|so\s+)?"
                          r"(?:good|great|fun|interesting|exciting|awesome|cool|amazing|perfect)\b",
                          re.IGNORECASE)
# A request for films like the ones just praised ("more like it", "what else").
_WANTS_SIMILAR = re.compile(
    r"\b(?:more like|like (?:it|that|this|them|those)|similar|what else|anything else|"
    r"something else|others like|the same kind)\b",
    re.IGNORECASE,
)

# Words of chat that never describe a film (kept out of the semantic search).
CHAT_WORDS = frozenset(
    {"think", "thought", "mean", "meant", "sounds", "sound", "seems", "looks", "guess", "hope",
     "helping", "help", "appreciate", "ready", "theaters", "theater", "theatres", "cinema",
     "seat", "whole", "watched", "seen", "saw", "enjoyed", "liked", "loved", "heard", "know",
     "yes", "no", "yeah", "sure", "okay", "actually", "probably", "definitely", "honestly",
     "night", "weekend", "wife", "husband", "girlfriend", "boyfriend", "son", "daughter",
     "friends", "friend", "family", "again", "recently", "last", "week", "remember",
     "younger", "older", "grew", "growing", "favorite", "favourite", "great", "awesome",
     "amazing", "cool", "nice", "wonderful", "fun", "enjoy", "recommended", "suggested",
     "try", "check", "out", "watching", "tonight", "kind", "sorts", "type", "types", "lots",
     "lot", "many", "much", "well", "still", "ever", "never", "already", "yet", "loves",
     "knows", "especially", "specifically", "sorry", "whatever", "open", "option", "options",
     "fave", "faves", "fav", "favs", "fan", "fans", "huge", "lately", "combines", "combine",
     "combining", "combination", "worry", "worried", "highly", "talking", "chatting",
     "seeker", "recommender", "thinking", "checking", "agree", "totally", "always", "sometimes",
     "having", "surprised", "right", "wait", "forward", "seeing", "though", "prefer", "wrong",
     "anyway", "taste", "came", "moment", "example", "examples", "hear", "excited", "soon",
     "related", "interests", "interested", "finding", "might", "ads", "kidding", "lol", "haha",
     "version", "plot", "characters", "gonna", "twice", "thrice", "rewatch", "rewatched",
     "reminds", "remind", "reminded", "reminding"}
)  # fmt: skip
# A message that asks for films ("something heartwarming", "a movie that ...") describes
# what it wants in its free text whatever the words: the vocabulary gate does not apply.
# Words that cannot be what a film is about on their own: pronouns, auxiliaries,
# quantities, comparisons and words about a film rather than of it ("the old one", "both",
# "I am open to any movie", "Didnt like the ending"). A bare free text made only of these
# (and chat words) searches for nothing. ``lexicon.FILLER_WORDS`` already drops the
# commonest ones from every free text; these stay in a text that has other words.
NON_TOPIC_WORDS = frozenset(
    {"coming", "upcoming", "big", "means", "specific", "start", "titles", "title", "able",
     "mind", "name", "day", "man", "guy", "person", "case", "themselves", "hopefully",
     "opinion", "opinions", "conversation", "bored", "boring", "tonight", "weekend",
     "am", "did", "didn't", "didnt", "doing", "done", "been", "being", "your", "yours",
     "you're", "youre", "you've", "youve", "you'd", "you'll", "they've", "we've", "u", "ur", "his", "their", "mine", "myself", "yourself", "it’s",
     "isn't", "wasn't", "haven't", "havent", "hasn't", "don't", "dont", "doesn't", "won't",
     "can't", "cant", "couldn't", "wouldn't", "i've", "ive", "i'll", "ill", "i'd", "we're",
     "they're", "there's", "there’s", "here", "because", "since", "if", "when", "then",
     "how", "why", "who", "whom", "whose", "where", "while", "even", "though", "although", "not",
     "no", "yes", "yea", "yeah", "both", "either", "neither", "each", "every", "few",
     "several", "various", "couple", "two", "three", "enough", "little", "bit", "pretty",
     "quite", "rather", "more", "most", "less", "least", "better", "best", "worse",
     "worst", "same", "different", "else", "old", "new", "newer", "older", "right",
     "times", "time", "make", "makes", "made", "come", "go", "going", "take", "say",
     "said", "tell", "ask", "asked", "mentioned", "question", "questions", "answer",
     "answering", "fine", "true", "favorites", "favourites", "ending", "end", "beginning",
     "scene", "scenes", "part", "parts", "sequel", "original", "version", "first",
     "second", "third", "next", "others", "another", "always", "sometimes", "usually",
     "often", "everything", "nothing", "anyone", "someone", "everyone", "people", "got",
     "get", "gets", "getting", "gotten", "any"}
)  # fmt: skip

# Request words as people mistype them ("reccomend", "sugestions", "recommendaitons"):
# close enough to one of these (``fuzz.ratio``) they are a request, not a search.
_REQUEST_WORDS = ("recommend", "recommendation", "recommendations", "suggest", "suggestion",
                  "suggestions")
_REQUEST_TYPO_RATIO = 80.0

_REQUEST_CUE = re.compile(
    r"\b(?:something|anything|movies?|films?|flicks?|recommend\w*|suggest\w*|show me|looking for|"
    r"want|wanna|in the mood)\b"
)
# Praise of what was suggested, which asks for nothing even though it names a film word:
# "That's a good suggestion!", "sounds like a good movie", "it is a good one".
_PRAISE_OF_SHOWN = re.compile(
    r"\b(?:that'?s|that is|this is|it'?s|it is|sounds like|seems like|what)\s+(?:a |an |such a )?"
    r"(?:really |very |pretty )?(?:good|decent|nice|great)\s+"
    r"(?:suggestion|recommendation|choice|pick|idea|one|movie|film)s?\b"
)
# Words about one particular film, the one suggested or shown ("they are firemen in that
# movie", "the rock is in that one, right?", "is this the one with the deaf woman"): the
# message chats about it and asks for no films of its words.
_ONE_FILM = re.compile(
    r"\b(?:in|of|from)\s+(?:that|this|the)\s+(?:movie|film|one)\b|\b(?:that|this)\s+one\b"
    r"|\bthe\s+one\s+(?:with|where|about|that)\b"
)
# A sentence with nothing but free text is a search only when it asks ("something
# intense", "a movie about poverty"), states a taste ("I like disney especially", "I am a
# holiday lover") or is a short answer to a question ("superhero", "more of a hip hop
# vibe", "a heist in space"). Longer sentences without either chat about a film or the day: "They kind of
# had the same hair cut back then", "Where i live thats not the case", "He knows how to
# make people smile", "there was a happy ending" searched for haircuts, smiles and
# endings (ReDial replay, both halves).
SHORT_ANSWER_WORDS = 3
_TASTE_CUE = re.compile(
    rf"\b(?:{TASTE_VERB}|fan|fans|lover|lovers|junkie|buff|favou?rites?|more of|type of"
    r"|preferably|especially"
    # someone else's taste: "my son likes dinosaurs", "my wife wants a romantic movie"
    rf"|(?:{'|'.join(LIKE_SUBJECTS)}|kids|children|they)\s+(?:really\s+|also\s+|mostly\s+)?"
    r"(?:likes?|loves?|enjoys?|prefers?|wants?|(?:is|are)\s+into))\b"
)
# A phrase rather than a sentence answers what kind ("a heist in space", "or cults").
_PHRASE_ANSWER = re.compile(r"\W*(?:a|an|some|any|more|maybe|perhaps|or|and|preferably)\b")
_YEAR_IN_BRACKETS = re.compile(r"\((?:18|19|20)\d\d\)?")
_CONTENT_CUE = re.compile(r"\b(?:about|involving|featuring|where|set in|based on|with)\s+(?P<rest>.+)$")
# A word right before "movies" (or before "and <word> movies"), after a word of taste or
# asking, says what kind of films are wanted: "yes, I like sports and comedy movies", "hi!
# any marvel films?"; "it was a superhero movie" describes a film and asks nothing.
_FILM_KIND = re.compile(
    r"\b(?:like|love|enjoy|prefer|into|want|wanna|need|for|any|some|more|other|recommend|suggest)"
    r"\s+(?:(?:a|an|the|good|great|fun|funny|old|new|many|few|of|those|kinds? of)\s+)*"
    r"(?P<kind>[a-z][\w-]*)\s+(?:(?:and|or|&)\s+[\w-]+\s+)?(?:movies?|films?|flicks?)\b"
)


def chatty_free_text(query: Any, text: str, searchable: frozenset[str] = frozenset(),
                     message: str = "", *, known: frozenset[str] = frozenset()) -> str:
    """The free text left for the semantic search, pruned as the module docstring says.

    Text that would be the whole request (no genre, person, title, year or rating; no
    content cue, no request word such as "something" or "movie") is kept only if one of its words is ``searchable`` (a catalog keyword or
    tag word; ``message`` is read for the cue): "Heloo", "whatever you recommend", "I'm open to any option" ask for
    nothing to search, "heist" and "marvel" do. An empty ``searchable`` gates nothing.
    A word none of the catalog's texts hold (``known``: ``topics.catalog_words``; empty:
    no such check) is dropped: "looking for a movie night with firends" searches nothing.
    """
    words = [w for w in text.split() if w.lower() not in CHAT_WORDS and not _request_typo(w)
             and _in_catalog(w, known)]
    if all(_plain(w) in NON_TOPIC_WORDS for w in words):
        return ""
    lowered = message.lower()
    chatty = query.small_talk or query.says_about_movies() or _ONE_FILM.search(lowered)
    if chatty and words:
        # The cue is read in the whole message: "about" itself is filler, gone from words
        # ("thanks! anything about time travel?" keeps "time travel"); "the one with the
        # deaf woman" describes one film, no films to search.
        lowered = _ONE_FILM.sub(" ", lowered) or " ".join(words).lower()
        cued = _CONTENT_CUE.search(lowered)
        rest = {_plain(w) for w in cued.group("rest").split()} if cued else set()
        # Without a cue, a catalog keyword that names the kind of films asked for.
        kinds = {m.group("kind") for m in _FILM_KIND.finditer(lowered)}
        topic = [w for w in words if _plain(w) in rest
                 or (_plain(w) in kinds and _searchable(w, searchable))]
        return "" if all(_plain(w) in NON_TOPIC_WORDS for w in topic) else " ".join(topic)
    kept = " ".join(words)
    asks = _CONTENT_CUE.search(lowered) or _REQUEST_CUE.search(lowered)
    gated = searchable and kept and _bare_text(query) and not asks
    if gated and not any(w in searchable for w in content_words(kept)):
        return ""
    if (gated and not _TASTE_CUE.search(lowered) and not _PHRASE_ANSWER.match(lowered)
            and len(lowered.split()) > SHORT_ANSWER_WORDS):
        return ""  # a sentence that neither asks nor states a taste: chat
    return kept


def avoid_text(words: list[str], searchable: frozenset[str] = frozenset()) -> str:
    """``Query.avoid_text`` from the negated free-text words: the topic words among them
    (not chat or function words; with a ``searchable`` vocabulary, only words the
    catalog's keywords or tags hold: "I hate gore" avoids "gore", "I don't like the
    ending" avoids nothing). An entry of several words is a keyword phrase ("time
    travel") and kept whole, whatever its words are."""
    kept = [w for w in words if " " in w or (_plain(w) not in CHAT_WORDS and _plain(w) not in NON_TOPIC_WORDS)]
    if searchable:
        kept = [w for w in kept if " " in w or _searchable(w, searchable)]
    return join_avoid_terms(kept)


def bare_praise(query: Any, message: str) -> bool:
    """True when a message's only facet is a floor-only quality word and it asks for
    nothing ("Good!", "very good, thanks"): praise, not a request for films rated 3.5+.
    "something good" or "any good ones?" still ask."""
    floors = {lexicon.QUALITY_WORDS[w] for w in lexicon.FLOOR_ONLY_QUALITY_WORDS}
    if query.min_rating not in floors or query.sort:
        return False
    if not dataclasses.replace(query, min_rating=None).is_empty():
        return False
    lowered = message.lower()
    if _PRAISE_OF_SHOWN.search(lowered) and "?" not in lowered:
        return True
    return not (_REQUEST_CUE.search(lowered) or re.search(r"\bones?\b|\d", lowered))


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by spaces (offsets kept)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _in_catalog(word: str, known: frozenset[str]) -> bool:
    """Whether a catalog text holds ``word`` (always, without a vocabulary or for a word
    with no content word in it)."""
    return not known or all(w in known for w in content_words(word))


def _searchable(word: str, searchable: frozenset[str]) -> bool:
    """Whether every content word of ``word`` is a catalog keyword or tag word."""
    words = content_words(word)
    return bool(words) and all(w in searchable for w in words)


def _plain(word: str) -> str:
    return word.lower().strip(".,!?;:\"'()*…")


def _request_typo(word: str) -> bool:
    """A mistyped request word ("reccomend", "suggestiong"); the right spelling is filler."""
    plain = _plain(word)
    if len(plain) < 6 or plain[:3] not in ("rec", "rek", "sug", "sog"):
        return False
    return any(fuzz.ratio(plain, w) >= _REQUEST_TYPO_RATIO for w in _REQUEST_WORDS)


def _bare_text(query: Any) -> bool:
    """True when nothing but free text would be left of the request."""
    return not (query.genres_all or query.genres_any or query.genres_none or query.people
                or query.reference_items or query.year_min is not None
                or query.year_max is not None or query.min_rating is not None
                or query.quality or query.sort or query.ordinal is not None)
