"""People pass: directors and cast members named in the message.

It runs first, before the tagger's spans: names the catalog credits
(``recommender.knowledge.people.PeopleIndex.find``: full names in any case, typos after
a cue, a dominant surname, "the Coen brothers") claim their words as "person", so a
name is never read as title words ("a tom hanks comedy" is not "Tom and Jerry") or as
genre typos. A span that is exactly a catalog title stays a title when a reference cue
comes before it or no person cue is next to it ("movies like Ed Wood", "Frida").

``read_unknown_people`` runs later (after the titles pass: "with Star Wars vibes" is a
title) and adds capitalised names after a cue ("starring Jon Smithee") that nobody in
the catalog carries; the engine then says it does not know them. The tagger's ACTOR and
DIRECTOR spans (``entities``) go the same way: resolved, or said to be unknown.
"""

from __future__ import annotations

import re

from recommender.knowledge.people import PeopleIndex, role_before
from recommender.nlp.parser.mentions import after_reference_cue
from recommender.nlp.parser.state import ParseState, title_case
from recommender.nlp.query import PersonRef
from recommender.nlp.spotting import year_bound_spans
from recommender.nlp.titles import TitleIndex, title_key

_PEOPLE_RE = re.compile(
    r"\b(?i:starring|with|featuring|by|directed by|director|actor|actress)\s+"
    r"(?P<name>[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){1,2})"
)


def read_people(
    state: ParseState, people: PeopleIndex | None, titles: TitleIndex,
    names: frozenset[str] = frozenset(),
) -> None:
    """Claim the names of credited people and add them, resolved, to ``Query.people``.

    A match that is only part of, or a near spelling of, a name that films are about
    (``names``: "movies with James Bond" is no Kevin James film) or of a series of films
    ("any Harry Potter movies?" is no Monica Potter film) is skipped."""
    if people is None or not len(people):
        return
    bound = year_bound_spans(state.text, state.tokens, titles)
    words = list(re.finditer(r"[A-Za-z]+", state.text))
    for m in people.find(state.text):
        span = state.token_range(m.start, m.end)
        if not span or not state.free(span):
            continue
        if any(a < m.end and m.start < b for a, b in bound):
            continue  # "the girl from Harry Potter and the Philosopher's Stone (2001)"
        if _inside_a_name(state.text, words, m.start, m.end, title_key(m.person.name), names, titles):
            continue  # "James Bond", "Harry Potter"; "Tyler Perry" is still the man
        phrase = state.text[m.start : m.end]
        if titles.exact(phrase) and (not m.cued or after_reference_cue(state.masked()[: m.start])):
            continue  # "movies like Ed Wood": the film, not the man
        state.add_person(span, m.person)


def _inside_a_name(
    text: str, words: list[re.Match[str]], start: int, end: int, person: str,
    names: frozenset[str], titles: TitleIndex,
) -> bool:
    """Whether a run of two or three ``words`` around ``[start, end)`` is one of ``names``
    or the name of a series of films (any case), other than the ``person``'s own name."""
    for size in (3, 2):
        for i in range(len(words) - size + 1):
            group = words[i : i + size]
            if not (group[0].start() < end and start < group[-1].end()):
                continue
            phrase = text[group[0].start() : group[-1].end()]
            key = title_key(phrase)  # "a Tyler Perry comedy": "tyler perry", no article
            if key != person and (key in names or titles.series(phrase)):
                return True
    return False


def read_unknown_people(
    state: ParseState, titles: TitleIndex, names: frozenset[str] = frozenset()
) -> None:
    """Capitalised names after a people cue that no pass claimed: unresolved people. A
    name films are about (``names``: "with James Bond") stays free text."""
    masked_original = "".join(
        "\x00" if c == "\x00" else o for c, o in zip(state.masked(), state.text, strict=True)
    )
    for m in _PEOPLE_RE.finditer(masked_original):
        name = m.group("name")
        words = name.split()
        if any(titles.exact(" ".join(words[:k])) for k in range(2, len(words) + 1)):
            continue  # "with Star Wars vibes": a title, not a person
        if title_key(name) in names:
            continue
        span = state.token_range(m.start("name"), m.end("name"))
        if span and state.free(span):
            state.add_person(span, PersonRef(title_case(name), role_before(state.text[: m.start("name")])))
