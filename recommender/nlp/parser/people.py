"""People pass: actors and directors the tagger missed ("starring Tom Hanks",
"directed by Christopher Nolan").

Claims (as "person") a capitalised two- or three-word name after a cue word and adds it
to ``Query.people``. It only runs when the tagger found no person (the model's reading
wins), after the titles pass (a name that begins a catalog title, "with Star Wars
vibes", is left alone) and before genres, so a name's words are never genre typos.
"""

from __future__ import annotations

import re

from recommender.nlp.parser.state import ParseState, title_case
from recommender.nlp.titles import TitleIndex

_PEOPLE_RE = re.compile(
    r"\b(?i:starring|with|featuring|by|directed by|director|actor|actress)\s+"
    r"(?P<name>[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){1,2})"
)


def read_people(state: ParseState, titles: TitleIndex) -> None:
    """Add the capitalised names after a people cue to ``Query.people``."""
    if state.query.people:
        return  # the tagger found the people; don't second-guess it
    masked_original = "".join(
        "\x00" if c == "\x00" else o for c, o in zip(state.masked(), state.text, strict=True)
    )
    for m in _PEOPLE_RE.finditer(masked_original):
        name = m.group("name")
        words = name.split()
        if any(titles.exact(" ".join(words[:k])) for k in range(2, len(words) + 1)):
            continue  # "with Star Wars vibes": a title, not a person
        if state.take(m.start("name"), m.end("name"), "person"):
            state.query.people.append(title_case(name))
