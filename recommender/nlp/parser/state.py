"""The shared working state of one parse and the small helpers every pass uses.

A message is split into word :class:`Token` s (with character offsets). Each token can
be *claimed* once, by the first pass that explains it; the claim kind ("title",
"person", "genre", "neg", "year", "rating", "ordinal", "cue", "text", "ignored") tells
later passes what a word already means. ``ParseState.masked()`` is the lower-cased text
with claimed words blanked out (offsets unchanged), so a pass's regexes never re-read a
span an earlier pass gave another meaning.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from recommender.nlp import lexicon
from recommender.nlp.query import PersonRef, Query

# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Token:
    """A word of the message: lower-case ``text``, original ``raw``, char offsets."""

    text: str
    raw: str
    start: int
    end: int


_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[#&/?]")


def tokenize(text: str) -> list[Token]:
    """Word tokens of ``text`` (apostrophes kept inside words, '#', '&', '/', '?' alone)."""
    lowered = same_length_lower(text)
    return [
        Token(m.group(), text[m.start() : m.end()], m.start(), m.end())
        for m in _TOKEN.finditer(lowered)
    ]


def same_length_lower(text: str) -> str:
    """Lower case and straight quotes without changing any character offset."""
    out = []
    for ch in text:
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out).replace("\u2019", "'").replace("\u2018", "'")


# --------------------------------------------------------------------------- state


@dataclass
class GenreMention:
    """One genre mention: which catalog genres, where (token index), and whether negated."""

    genres: tuple[str, ...]
    token: int
    negated: bool | None = None  # None: decided by the negation-scope walk
    any_of: bool = False  # "kids": Children or Animation, not both (lexicon.ANY_OF_ALIASES)


@dataclass
class ParseState:
    """Mutable working state of one parse (made by ``QueryParser``, read by the passes)."""

    text: str
    lowered: str
    tokens: list[Token]
    anchor: int
    claims: list[str | None] = field(default_factory=list)
    genres: list[GenreMention] = field(default_factory=list)
    years: list[tuple[int | None, int | None]] = field(default_factory=list)
    vague_old: bool = False  # a window came from an "old" word ("old movies", "classics")
    query: Query = field(default_factory=Query)
    person_at: dict[int, PersonRef] = field(default_factory=dict)  # first token -> person named
    tone: list[str] = field(default_factory=list)  # words a comparative adds to the free text
    avoid: list[str] = field(default_factory=list)  # topic words a comparative leaves out
    # Genres an occasion suits ("for date night"): used only when no genre is asked for.
    occasion: list[GenreMention] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.claims = [None] * len(self.tokens)

    @classmethod
    def of(cls, text: str, anchor: int) -> ParseState:
        """The fresh state of a message (nothing claimed yet)."""
        return cls(text, same_length_lower(text), tokenize(text), anchor)

    def token_range(self, start: int, end: int) -> range:
        """Indices of the tokens overlapping ``[start, end)``."""
        idx = [i for i, t in enumerate(self.tokens) if t.start < end and t.end > start]
        return range(idx[0], idx[-1] + 1) if idx else range(0)

    def free(self, span: range) -> bool:
        return all(self.claims[i] is None for i in span)

    def claim(self, span: range, kind: str) -> None:
        for i in span:
            self.claims[i] = kind

    def add_person(self, span: range, person: PersonRef) -> None:
        """Claim ``span`` as the name of ``person`` and add them to the query (once)."""
        self.claim(span, "person")
        self.person_at[span.start] = person
        if person not in self.query.people:
            self.query.people.append(person)

    def exclude_person(self, token: int) -> None:
        """The person named at ``token`` is to be left out ("nothing with Adam Sandler")."""
        person = self.person_at[token]
        left_out = dataclasses.replace(person, excluded=True)
        self.query.people = [left_out if p == person else p for p in self.query.people]
        self.person_at[token] = left_out

    def masked(self, spaced: frozenset[str] = frozenset()) -> str:
        """The lower-cased text with claimed tokens blanked out (NULs), offsets unchanged;
        tokens claimed as one of the ``spaced`` kinds become spaces instead, so a pattern
        reads them as a gap ("the second one [sounds good]": the phrase ends there)."""
        chars = list(self.lowered)
        for tok, claim in zip(self.tokens, self.claims, strict=True):
            if claim is not None:
                chars[tok.start : tok.end] = (" " if claim in spaced else "\x00") * (tok.end - tok.start)
        return "".join(chars)

    def take(self, match_start: int, match_end: int, kind: str) -> range | None:
        """Claim the tokens of a regex match if none is claimed yet; their range or None."""
        span = self.token_range(match_start, match_end)
        if not span or not self.free(span):
            return None
        self.claim(span, kind)
        return span

    def note(self, message: str) -> None:
        if message not in self.query.notes:
            self.query.notes.append(message)


# --------------------------------------------------------------------------- helpers


def _norm_phrase(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.strip())


_PHRASE_INDEX = {
    _norm_phrase(k): k for table in (lexicon.GENRE_ALIASES, lexicon.QUALITY_WORDS) for k in table
} | {_norm_phrase(k): k for k in (*lexicon.NEGATION_CUES, *lexicon.REFERENCE_CUES)}


def phrase_key(matched: str) -> str:
    """A regex match of a lexicon phrase back to its table key ("sci - fi" -> "sci-fi")."""
    norm = _norm_phrase(matched)
    return _PHRASE_INDEX.get(norm, norm)


def title_case(name: str) -> str:
    """ "tom hanks" -> "Tom Hanks"; names the user capitalised are kept as typed."""
    name = re.sub(r"'s$", "", name.strip())
    return name.title() if name.islower() else name


def proper_noun_follows(state: ParseState, end: int) -> bool:
    """True when the next word starts with a capital letter (part of a name)."""
    rest = state.text[end:].lstrip()
    if re.match(r"I(?:'\w+)?\b", rest):
        return False  # "classics I can watch": the pronoun, not a name
    return bool(rest) and rest[0].isupper() and not state.text[end : end + 1].isalnum()


# Words said *of* a film ("That was a good movie as well", "Moana is great!", "Those are
# some good movies", "its a good one", "they're such classics!") praise it; they are no
# wish for films rated 3.5+ (ratings, tagger entities) nor for old films (years): the
# copula or "sounds/looks" comes right before the word. On the ReDial tune half such
# statements had set a rating floor on 60 of 461 lists, and it stayed for the turns
# after. A question keeps its request: "what's a good horror?", "which is the best?".
_SAID_OF_A_FILM = re.compile(
    r"(?:(?<![\w'])(?:was|were|is|are|its|thats|been|looks?|looked|sounds?|sounded|seems?|seemed)"
    r"|(?<=\w)(?:'s|'re|’s|’re))\s+"
    r"(?:(?:a|an|such a|such|so|really|very|pretty|quite|also|too|as|just|definitely|actually|"
    r"super|some|all|both|very very)\s+)*$"
)
_ASKS_BEFORE = re.compile(r"\b(?:what|whats|which|who|how|where|there|any)(?:'s|s)?\s+\S*\s*$")
_CLAUSE_MARK = re.compile(r"[.!?;,]")


def said_of_a_film(state: ParseState, start: int) -> bool:
    """Whether the word at character ``start`` is said of a film rather than asked for
    (``_SAID_OF_A_FILM``), within its clause."""
    before = _CLAUSE_MARK.split(state.text[max(0, start - 60) : start].lower())[-1]
    m = _SAID_OF_A_FILM.search(before)
    if m is None:
        return False
    head = before[: m.start()]
    return not _ASKS_BEFORE.search(head) and not head.strip().endswith(("what", "which"))


def praise(state: ParseState) -> None:
    """Mark the message as praise (small talk; "praise" answers it when it asks nothing)."""
    if "praise" not in state.query.small_talk:
        state.query.small_talk.append("praise")


def clause_break(gap: str) -> bool:
    """True when the text between two words ends a clause (sentence or bracket mark)."""
    return any(c in gap for c in ".;!?:()")


def extend_unique(target: list[str], values: Iterable[str]) -> None:
    for value in values:
        if value not in target:
            target.append(value)
