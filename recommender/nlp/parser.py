"""Turn one message plus the tagger's entities into a typed :class:`Query`.

How it works: the message is split into word tokens (with character offsets). Each
token can be *claimed* once, by the first reading that explains it:

1. whole-message commands ("more", "start over") end parsing at once;
2. the tagger's entities, when present (titles, people, genres, years, quality,
   ordinals), claim their spans; titles and people are then opaque to step 3;
3. lexicon rules (``recommender.nlp.lexicon``) read what is still unclaimed: ordinals,
   ratings, years and decades, "like <title>", genre words and typos, negation cues.
   They never re-read a span the tagger gave another meaning;
4. negation scope decides which genre mentions are excluded; "or" between genres makes
   them any-of, otherwise genres are all-of;
5. what is left, minus filler words, is the free text for semantic matching.

Impossible values are normalised (a reversed range is swapped) or dropped, each with a
note in ``Query.notes``. ``parse`` never raises on any ``str``.

Relative time ("recent", "old", "last 5 years") is anchored at the catalog's newest
year, not at the clock, so the same catalog always parses the same way.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz, process

from recommender.data.catalog import Catalog
from recommender.nlp import lexicon
from recommender.nlp.commands import detect_command
from recommender.nlp.entities import Entity
from recommender.nlp.patterns import NUM, NUMWORD, alternation, parse_number, phrase_regex
from recommender.nlp.query import Query
from recommender.nlp.timewords import MAX_YEAR, MIN_YEAR, find_time_spans
from recommender.nlp.titles import TitleIndex, TitleMatch

logger = logging.getLogger(__name__)

MAX_CHARS = (
    1000  # longer messages are cut here (Telegram allows 4096; nobody types a query that long)
)
OLD_BEFORE = 1970  # "old" / "classic" means released before this year
RECENT_SPAN = 5  # "recent" / "new" means the catalog's last this-many years
DEFAULT_ANCHOR_YEAR = 2018  # anchor when the catalog has no years at all
TYPO_CUTOFF = 85.0  # rapidfuzz ratio for a misspelt genre word ("comdy" -> comedy)
# An unknown genre word maps to the nearest catalog genre only when the cosine is at
# least GENRE_SIMILARITY and beats the runner-up by GENRE_MARGIN. Measured with MiniLM:
# "satire"/"parody" -> Comedy, "period drama" -> Drama pass; "biopic" (nearest: Sci-Fi),
# "godfather", "dogs" do not and stay free text for semantic matching.
GENRE_SIMILARITY = 0.5
GENRE_MARGIN = 0.08
NUMERIC_RATING_QUALITY = True  # "rated above 4" also sets the quality flag

# Words whose typo-distance to a genre alias is small but which are ordinary words.
_NOT_TYPOS = frozenset({"thrilled", "drams", "warm", "crimea", "dramamine", "horrid"})
# Tokens that end a negation scope ("no horror but comedy is fine").
_SCOPE_BREAK = frozenset(
    {"but", "however", "though", "although", "instead", "rather", "prefer", "want", "like",
     "love", "with", "yes", "ok", "okay", "only", "just", "more", "please", "plus"}
)  # fmt: skip
# Tokens allowed between genres of one negated list ("no horror movies or romance").
_LIST_GLUE = frozenset(
    {"or", "and", "nor", "either", "neither", "&", "/", "movies", "movie", "films", "film",
     "flicks", "stuff", "ones", "any", "anything", "too", "much", "of", "the"}
)  # fmt: skip
_ORDINAL_NOUNS = r"(?:one|movie|film|item|option|suggestion|result|pick|title|choice|entry)"
# What each catalog genre means, embedded to place genre words the alias table lacks.
_DESCRIPTIONS = {
    "action": "action", "adventure": "adventure", "animation": "animation, animated cartoon",
    "children": "children, kids, family", "comedy": "comedy, funny", "crime": "crime, gangsters",
    "documentary": "documentary, non-fiction", "drama": "drama", "fantasy": "fantasy, magic",
    "film-noir": "film noir", "horror": "horror, scary", "imax": "imax",
    "musical": "musical, songs", "mystery": "mystery", "romance": "romance, love story",
    "sci-fi": "science fiction, sci-fi", "thriller": "thriller, suspense", "war": "war",
    "western": "western, cowboys",
}  # fmt: skip


class TextEncoder(Protocol):
    """Anything that embeds texts into L2-normalised rows (``SentenceEncoder`` does)."""

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray: ...


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
    lowered = _same_length_lower(text)
    return [
        Token(m.group(), text[m.start() : m.end()], m.start(), m.end())
        for m in _TOKEN.finditer(lowered)
    ]


def _same_length_lower(text: str) -> str:
    """Lower case and straight quotes without changing any character offset."""
    out = []
    for ch in text:
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out).replace("\u2019", "'").replace("\u2018", "'")


# --------------------------------------------------------------------------- regexes


_GENRE_RE = phrase_regex(lexicon.GENRE_ALIASES)
_NEG_RE = phrase_regex(lexicon.NEGATION_CUES)
_QUALITY_RE = phrase_regex(lexicon.QUALITY_WORDS)
_REF_RE = phrase_regex(lexicon.REFERENCE_CUES)
_REF_BEFORE = re.compile(rf"(?<![\w'])(?:{alternation(lexicon.REFERENCE_CUES)})\s+$")
_RECENT_RE = phrase_regex(lexicon.RECENT_WORDS)
_OLD_RE = phrase_regex(lexicon.OLD_WORDS)
_NEWEST_RE = re.compile(r"\b(?:newest|latest|most recent)\b")
_OLDEST_RE = re.compile(r"\b(?:oldest|earliest)\b")
_NAME_AFTER_NEW = re.compile(
    r"\s+(?:york|zealand|orleans|jersey|mexico|world|hope|england|delhi|wave|year's|years)\b"
)
_NEWER_OLDER_RE = re.compile(r"\b(?:newer|older)\b")  # inside a longer message: a sort order

_ORDWORD = alternation(w for w in lexicon.ORDINAL_WORDS if not w[0].isdigit())
_ORDNUM = r"(?:\d{1,2}(?:st|nd|rd|th))"

_TOP_N_RE = re.compile(r"\btop\s+(?:\d{1,3}|" + NUMWORD + r")\b")
_MPAA_RE = re.compile(
    r"\b(?:rated\s+(?:g|pg(?:[\s-]?13)?|r|nc[\s-]?17)|pg[\s-]?13|nc[\s-]?17|pg)(?![\w'])"
)
_RATING_RE = re.compile(
    rf"\b(?:(?:rated|rating|ratings|score|scored|scoring|stars?)\s+(?:of\s+)?)"
    rf"(?:(?:above|over|at least|more than|higher than|greater than|better than|>=?|minimum|min"
    rf"|of at least)\s+)?(?P<a>{NUM})(?:\s*(?:/|out of)\s*(?P<sa>5|10)|\s*\+?\s*stars?)?"
    rf"(?:\s+(?:and up|or more|or higher|or better|plus))?(?![\w.])"
    rf"|\b(?:above|over|at least|more than|higher than|minimum of)\s+(?P<b>{NUM})"
    rf"(?:\s*(?:/|out of)\s*(?P<sb>5|10)|\s*stars?)(?![\w.])"
    rf"|(?<![\w.])(?P<c>{NUM})\s*(?:\+|plus)?\s*(?:/\s*(?P<sc>5|10)|stars?(?!\s+wars)|out of (?P<sd>5|10))"
    rf"(?:\s+(?:and up|or more|or higher|or better|plus|minimum))?(?![\w.])"
)
_ORDINAL_RE = re.compile(
    rf"#\s*(?P<hash>\d{{1,3}})\b"
    rf"|\b(?:number|no\.|nr\.?|num|option|item|pick|choice)\s*#?\s*(?P<num>\d{{1,2}}|{NUMWORD})\b"
    rf"|(?:^\s*|\bthe\s+)(?P<ord>{_ORDWORD}|{_ORDNUM})(?:\s+{_ORDINAL_NOUNS})?"
    rf"(?=\s*$|\s*[.!?,;]|\s+(?:please|pls|on|in|you|from|was|is|looks|sounds)\b)"
    rf"|^\s*(?P<ord2>{_ORDWORD}|{_ORDNUM})\s+{_ORDINAL_NOUNS}\b"
    rf"|\b(?P<ord3>{_ORDWORD}|{_ORDNUM})\s+{_ORDINAL_NOUNS}(?=\s*$|\s*[.!?,;])"
)
_BARE_NUMBER_RE = re.compile(r"^\s*#?\s*(?P<n>\d{1,2})\s*[.!)]?\s*$")
_PEOPLE_RE = re.compile(
    r"\b(?i:starring|with|featuring|by|directed by|director|actor|actress)\s+"
    r"(?P<name>[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){1,2})"
)
_TITLE_GAP = re.compile(r"[\s:\-–'.&!]*")  # what may separate the words of one title


# --------------------------------------------------------------------------- helpers


def parse_ordinal(text: str) -> int | None:
    """0-based position from an ordinal phrase: "second" -> 1, "#2" -> 1, "last" -> -1."""
    words = re.findall(r"[^\W_]+", text.lower())
    for word in reversed(words):
        if word in lexicon.ORDINAL_WORDS:
            value = lexicon.ORDINAL_WORDS[word]
            return -1 if value < 0 else value - 1
        digits = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)?", word)
        if digits:
            value = int(digits.group(1))
            return value - 1 if value >= 1 else None
        if word in lexicon.NUMBER_WORDS:
            return lexicon.NUMBER_WORDS[word] - 1
    return None


def _title_case(name: str) -> str:
    """ "tom hanks" -> "Tom Hanks"; names the user capitalised are kept as typed."""
    name = re.sub(r"'s$", "", name.strip())
    return name.title() if name.islower() else name


# --------------------------------------------------------------------------- state


@dataclass
class _Mention:
    """One genre mention: which catalog genres, where (token index), and whether negated."""

    genres: tuple[str, ...]
    token: int
    negated: bool | None = None  # None: decided by the negation-scope walk


@dataclass
class _State:
    """Mutable working state of one parse (private to ``QueryParser._parse``)."""

    text: str
    lowered: str
    tokens: list[Token]
    anchor: int
    claims: list[str | None] = field(default_factory=list)
    genres: list[_Mention] = field(default_factory=list)
    years: list[tuple[int | None, int | None]] = field(default_factory=list)
    query: Query = field(default_factory=Query)

    def __post_init__(self) -> None:
        self.claims = [None] * len(self.tokens)

    def token_range(self, start: int, end: int) -> range:
        """Indices of the tokens overlapping ``[start, end)``."""
        idx = [i for i, t in enumerate(self.tokens) if t.start < end and t.end > start]
        return range(idx[0], idx[-1] + 1) if idx else range(0)

    def free(self, span: range) -> bool:
        return all(self.claims[i] is None for i in span)

    def claim(self, span: range, kind: str) -> None:
        for i in span:
            self.claims[i] = kind

    def masked(self) -> str:
        """The lower-cased text with claimed tokens blanked out, offsets unchanged."""
        chars = list(self.lowered)
        for tok, claim in zip(self.tokens, self.claims, strict=True):
            if claim is not None:
                chars[tok.start : tok.end] = "\x00" * (tok.end - tok.start)
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


# --------------------------------------------------------------------------- parser


class QueryParser:
    """Parses messages for one catalog. Build once; ``parse`` is then cheap and pure.

    ``encoder`` (optional) maps genre words the alias table does not know ("superhero")
    to the nearest catalog genre by sentence embedding. ``anchor_year`` defaults to the
    catalog's newest year.
    """

    def __init__(
        self,
        catalog: Catalog,
        encoder: TextEncoder | None = None,
        anchor_year: int | None = None,
        genre_similarity: float = GENRE_SIMILARITY,
    ) -> None:
        self.catalog = catalog
        self.encoder = encoder
        self.genre_similarity = genre_similarity
        years = np.asarray(catalog.years)
        known = years[years > 0]
        self.anchor_year = int(anchor_year or (known.max() if known.size else DEFAULT_ANCHOR_YEAR))
        self.titles = TitleIndex(catalog)
        self._catalog_genres = catalog.all_genres()
        self._genre_keys = {_key(g): g for g in self._catalog_genres}
        self._single_aliases = [a for a in lexicon.GENRE_ALIASES if " " not in a and len(a) >= 4]
        self._genre_vectors: np.ndarray | None = None
        self._embedded: dict[str, str | None] = {}

    # ------------------------------------------------------------------ public

    def warm_up(self) -> None:
        """Build the lazily made genre vectors now (start-up), not on a user's message."""
        if self.encoder is not None and self._catalog_genres and self._genre_vectors is None:
            self._genre_vectors = self._embed_genres()

    def parse(self, text: str, entities: Sequence[Entity] = ()) -> Query:
        """The :class:`Query` a message asks for. Never raises on any ``str`` input."""
        try:
            return self._parse(text if isinstance(text, str) else str(text), entities)
        except Exception:  # a message must never crash the bot; log it and degrade
            logger.exception("query parser failed on %r", str(text)[:200])
            return Query(text=str(text)[:200].strip(), notes=["could not fully understand that"])

    def catalog_genre(self, name: str) -> str | None:
        """The catalog's spelling of a lexicon genre ("Children" -> "Children's" in
        ml-100k); None when the catalog has no such genre."""
        key = _key(name)
        if key in self._genre_keys:
            return self._genre_keys[key]
        hit = process.extractOne(key, list(self._genre_keys), scorer=fuzz.ratio, score_cutoff=80)
        return self._genre_keys[hit[0]] if hit else None

    def genre_of_phrase(self, phrase: str) -> tuple[str, ...]:
        """Catalog genres a genre phrase names: alias table, then typo match, then the
        nearest genre by embedding (when an encoder is set and it is close enough)."""
        forms = lexicon.genres_of(phrase)
        if not forms:
            key = lexicon.normalize(phrase).replace("-", " ")
            forms = lexicon.GENRE_ALIASES.get(key, ())
        if not forms and len(phrase) >= 4:
            hit = process.extractOne(
                lexicon.normalize(phrase),
                self._single_aliases,
                scorer=fuzz.ratio,
                score_cutoff=TYPO_CUTOFF,
            )
            if hit:
                forms = lexicon.GENRE_ALIASES[hit[0]]
        resolved = tuple(g for g in (self.catalog_genre(f) for f in forms) if g)
        if resolved:
            return resolved
        nearest = self._nearest_genre(phrase)
        return (nearest,) if nearest else ()

    # ------------------------------------------------------------------ pipeline

    def _parse(self, text: str, entities: Sequence[Entity]) -> Query:
        notes: list[str] = []
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
            notes.append(f"only read the first {MAX_CHARS} characters")
        command = detect_command(text)
        if command is not None:
            return Query(command=command, notes=notes)
        state = _State(text, _same_length_lower(text), tokenize(text), self.anchor_year)
        state.query.notes.extend(notes)
        self._apply_entities(state, entities)
        self._ordinals(state)
        self._ratings(state)
        self._references(state)
        self._years(state)
        self._people(state)
        self._genres(state)
        self._negation_scope(state)
        self._assemble_genres(state)
        self._assemble_years(state)
        state.query.text = _free_text(state)
        return state.query

    # ------------------------------------------------------------------ entities

    def _apply_entities(self, state: _State, entities: Sequence[Entity]) -> None:
        q = state.query
        for raw_ent in sorted(_valid_entities(state.text, entities), key=lambda e: e.start):
            ent = self._reconcile(state, raw_ent)
            span = state.token_range(ent.start, ent.end)
            if not span or not state.free(span):
                continue
            kind = ent.type
            if kind == "TITLE":
                self._entity_title(state, ent, span)
            elif kind in ("ACTOR", "DIRECTOR"):
                name = _title_case(ent.text)
                if name and name not in q.people:
                    q.people.append(name)
                state.claim(span, "person")
            elif kind in ("CHARACTER", "SONG"):
                state.claim(span, "text")  # opaque: kept verbatim as free text
            elif kind in ("GENRE", "NEG_GENRE"):
                genres = self.genre_of_phrase(ent.text)
                if genres:
                    negated = _tagger_negation(state, ent) if kind == "NEG_GENRE" else None
                    state.genres.append(_Mention(genres, span.start, negated))
                    state.claim(span, "genre")
                # else: left unclaimed, so the lexicon rules and free text still read it
            elif kind == "ORDINAL":
                value = parse_ordinal(ent.text)
                if value is not None:
                    q.ordinal = value
                    state.claim(span, "ordinal")
            elif kind in ("RATINGS_AVERAGE", "REVIEW"):
                if self._rating_phrase(state, ent.text):
                    state.claim(span, "rating")
                # else: a phrase that names no rating ("funnier") stays free text
            elif kind == "RATING":  # MPAA ("pg 13"): this catalog has no such field
                state.claim(span, "ignored")
                state.note(f"ignored the age rating '{ent.text}' (not in this catalog)")
            elif kind == "TRAILER":
                state.claim(span, "ignored")
            # YEAR and PLOT stay unclaimed: the year rules and free text read them.

    def _reconcile(self, state: _State, ent: Entity) -> Entity:
        """Repair what a tagger gets visibly wrong, using facts the lexicon and the
        catalog know for certain: a genre span cut short ("[sci]-fi") grows to the
        whole alias; a span inside an explicit rating phrase ("rated above [4]") is that
        rating; a "person" or "title" that is only a genre word ("[a comdy]") is a
        genre; a "person" right after "like" that names a catalog title is a title."""
        kind, text = ent.type.upper(), ent.text
        for m in _RATING_RE.finditer(state.lowered):
            if m.start() < ent.end and m.end() > ent.start:
                start, end = min(m.start(), ent.start), max(m.end(), ent.end)
                return Entity("RATINGS_AVERAGE", state.text[start:end], start, end)
        after_cue = _after_reference_cue(state.masked()[: ent.start])
        core = _ARTICLE.sub("", lexicon.normalize(text))
        span = state.token_range(ent.start, ent.end)
        if after_cue and kind in _NAMED and span and state.free(span):
            # Right after "like": a catalog title starting here beats a fragmented or
            # mislabelled span ("like [Notting]/ACTOR [Hill]/TITLE", "like [toy] stroy").
            found = self._find_title(state, span.start)
            if found is not None and found[1].stop >= span.stop:
                toks = state.tokens
                start, end = toks[found[1].start].start, toks[found[1].stop - 1].end
                return Entity("TITLE", state.text[start:end], start, end)
        if kind in ("GENRE", "NEG_GENRE"):
            lo, hi = max(0, ent.start - 20), min(len(state.text), ent.end + 20)
            for m in _GENRE_RE.finditer(state.lowered, lo, hi):
                if m.start() < ent.end and m.end() > ent.start:
                    start, end = min(m.start(), ent.start), max(m.end(), ent.end)
                    return Entity(kind, state.text[start:end], start, end)
        elif kind in ("ACTOR", "DIRECTOR", "CHARACTER", "TITLE") and lexicon.genres_of(core):
            if not (kind == "TITLE" and after_cue and self.titles.exact(text)):
                return Entity("GENRE", text, ent.start, ent.end)
        elif kind in ("ACTOR", "DIRECTOR", "CHARACTER") and after_cue and self.titles.resolve(text):
            return Entity("TITLE", text, ent.start, ent.end)
        return Entity(kind, text, ent.start, ent.end)

    def _entity_title(self, state: _State, ent: Entity, span: range) -> None:
        hint_span, year = _year_after(state, span)
        match = self.titles.resolve(ent.text, year=year)
        if match is None:  # unclaimed: its words still count as genres or free text
            state.note(f"did not find the title '{ent.text}' in the catalog")
            return
        _add_reference(state.query, match)
        state.claim(span, "title")
        if hint_span:
            state.claim(hint_span, "title")

    # ------------------------------------------------------------------ lexicon rules

    def _ordinals(self, state: _State) -> None:
        masked = state.masked()
        bare = _BARE_NUMBER_RE.match(masked)
        if bare and state.query.ordinal is None:
            value = int(bare.group("n"))
            if value >= 1 and state.take(bare.start("n"), bare.end("n"), "ordinal"):
                state.query.ordinal = value - 1
            return
        for m in _ORDINAL_RE.finditer(masked):
            group = next(g for g in ("hash", "num", "ord", "ord2", "ord3") if m.group(g))
            value = parse_ordinal(m.group(group))
            if value is None or state.query.ordinal is not None:
                continue
            if state.take(m.start(), m.end(), "ordinal"):
                state.query.ordinal = value

    def _ratings(self, state: _State) -> None:
        masked = state.masked()
        for m in _RATING_RE.finditer(masked):
            value = self._numeric_rating(state, m)
            if value is not None and state.take(m.start(), m.end(), "rating"):
                _raise_min_rating(state.query, value)
                state.query.quality = state.query.quality or NUMERIC_RATING_QUALITY
        for m in _MPAA_RE.finditer(state.masked()):
            if state.take(m.start(), m.end(), "ignored"):
                state.note(f"ignored the age rating '{m.group()}' (not in this catalog)")
        for m in _TOP_N_RE.finditer(state.masked()):  # "top 10 comedies": the best ones
            if state.take(m.start(), m.end(), "rating"):
                _raise_min_rating(state.query, lexicon.QUALITY_WORDS["top rated"])
                state.query.quality = True
        masked = state.masked()
        for m in _QUALITY_RE.finditer(masked):
            if state.take(m.start(), m.end(), "rating"):
                _raise_min_rating(state.query, lexicon.QUALITY_WORDS[_phrase_key(m.group())])
                state.query.quality = True

    def _numeric_rating(self, state: _State, m: re.Match[str]) -> float | None:
        raw = m.group("a") or m.group("b") or m.group("c")
        scale = m.group("sa") or m.group("sb") or m.group("sc") or m.group("sd")
        value = parse_number(raw) if raw else None
        if value is None:
            return None
        if scale == "10" or (scale is None and 5 < value <= 10):
            state.note(f"read {raw} out of 10 as {value / 2:g} stars")
            value = value / 2
        if not 0.5 <= value <= 5:
            state.note(f"ignored the rating {raw} (ratings go from 0.5 to 5 stars)")
            state.take(m.start(), m.end(), "ignored")
            return None
        return value

    def _rating_phrase(self, state: _State, phrase: str) -> bool:
        """Apply a tagger RATINGS_AVERAGE/REVIEW phrase; False when it says nothing."""
        low = _same_length_lower(phrase)
        m = _RATING_RE.search(low)
        if m:
            value = self._numeric_rating(state, m)
            if value is not None:
                _raise_min_rating(state.query, value)
                state.query.quality = True
                return True
        words = [lexicon.QUALITY_WORDS[_phrase_key(w.group())] for w in _QUALITY_RE.finditer(low)]
        if words:
            _raise_min_rating(state.query, max(words))
            state.query.quality = True
            return True
        if re.search(r"\b(?:popular|liked|loved|acclaimed|praised|rave|good)\b", low):
            state.query.quality = True
            return True
        return False

    def _references(self, state: _State) -> None:
        masked = state.masked()
        for m in _REF_RE.finditer(masked):
            cue = _phrase_key(m.group())
            if cue == "like" and _is_verb_like(masked, m.start()):
                continue
            span = state.token_range(m.start(), m.end())
            if not span or not state.free(span):
                continue
            found = self._title_after(state, span.stop)
            if found:
                state.claim(span, "cue")

    def _title_after(self, state: _State, first: int) -> bool:
        """Claim the title starting at token ``first`` as a reference, if there is one."""
        found = self._find_title(state, first)
        if found is None:
            return False
        match, span, hint_span = found
        _add_reference(state.query, match)
        state.claim(span, "title")
        if hint_span:
            state.claim(hint_span, "title")
        return True

    def _find_title(
        self, state: _State, first: int
    ) -> tuple[TitleMatch, range, range | None] | None:
        """The longest title starting at token ``first``: exact titles first (longest
        wins), then a fuzzy try so typos still resolve. Words that only name a genre
        ("something like horror") or a pronoun ("like it") are not titles."""
        toks = state.tokens
        last = first
        while last < len(toks) and last - first < 10 and state.claims[last] is None:
            if last > first and not _TITLE_GAP.fullmatch(
                state.text[toks[last - 1].end : toks[last].start]
            ):
                break  # a comma, bracket or question mark ends the title
            last += 1
        if last == first:
            return None
        spans = [range(first, stop) for stop in range(last, first, -1)]
        stop = next((i for i in range(first + 1, last) if toks[i].text in _TITLE_STOP), last)
        fuzzy = [range(first, last)] + ([range(first, stop)] if stop != last else [])
        for span, exact in [(s, True) for s in spans] + [(s, False) for s in fuzzy]:
            phrase = state.text[toks[span.start].start : toks[span.stop - 1].end]
            core = re.sub(r"^(?:the|a|an|some|any)\s+", "", lexicon.normalize(phrase))
            if lexicon.genres_of(core) or all(w in lexicon.FILLER_WORDS for w in core.split()):
                continue
            if _is_pronoun(phrase):
                continue  # "like it", "like her": the thing just shown, not "It" or "Her"
            hint_span, year = _year_after(state, span)
            if exact:
                match = self.titles.exact(phrase, year=year)
            else:
                match = self.titles.resolve(phrase, year=year)
            if match is not None and _articles_agree(phrase, match.label):
                return match, span, hint_span
        return None

    def _years(self, state: _State) -> None:
        for span in find_time_spans(state.masked(), state.anchor):
            kind = "year" if span.lo is not None or span.hi is not None else "ignored"
            if state.take(span.start, span.end, kind):
                if kind == "year":
                    state.years.append((span.lo, span.hi))
                if span.note:
                    state.note(span.note)
        self._recency(state)

    def _recency(self, state: _State) -> None:
        recent = (state.anchor - RECENT_SPAN + 1, None)
        for m in re.finditer(r"\bmost\s+recent\b", state.masked()):
            if state.take(m.start(), m.end(), "year"):
                state.query.sort = "newest"
                state.years.append(recent)
        if _NEWEST_RE.search(state.masked()):
            state.query.sort = "newest"
        for m in _OLDEST_RE.finditer(state.masked()):
            if state.take(m.start(), m.end(), "year"):
                state.query.sort = "oldest"
        for m in _NEWER_OLDER_RE.finditer(state.masked()):
            if state.take(m.start(), m.end(), "year"):
                state.query.sort = "newest" if m.group() == "newer" else "oldest"
        for regex, window in ((_RECENT_RE, recent), (_OLD_RE, (None, OLD_BEFORE - 1))):
            for m in regex.finditer(state.masked()):
                if _proper_noun_follows(state, m.end()) or _NAME_AFTER_NEW.match(
                    state.lowered, m.end()
                ):
                    continue  # "New York", "Old Yeller": part of a name
                if state.take(m.start(), m.end(), "year"):
                    state.years.append(window)

    def _people(self, state: _State) -> None:
        if state.query.people:
            return  # the tagger found the people; don't second-guess it
        masked_original = "".join(
            "\x00" if c == "\x00" else o for c, o in zip(state.masked(), state.text, strict=True)
        )
        for m in _PEOPLE_RE.finditer(masked_original):
            name = m.group("name")
            words = name.split()
            if any(self.titles.exact(" ".join(words[:k])) for k in range(2, len(words) + 1)):
                continue  # "with Star Wars vibes": a title, not a person
            if state.take(m.start("name"), m.end("name"), "person"):
                state.query.people.append(_title_case(name))

    def _genres(self, state: _State) -> None:
        for m in _GENRE_RE.finditer(state.masked()):
            span = state.take(m.start(), m.end(), "genre")
            if span:
                forms = lexicon.GENRE_ALIASES[_phrase_key(m.group())]
                genres = tuple(g for g in (self.catalog_genre(f) for f in forms) if g)
                if genres:
                    state.genres.append(_Mention(genres, span.start))
                else:
                    state.note(f"this catalog has no {'/'.join(forms)} genre")
        for i, tok in enumerate(state.tokens):
            if state.claims[i] is not None or len(tok.text) < 5 or not tok.text.isalpha():
                continue
            if tok.text in lexicon.FILLER_WORDS or tok.text in _NOT_TYPOS:
                continue
            hit = process.extractOne(
                tok.text, self._single_aliases, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
            )
            if hit:
                forms = lexicon.GENRE_ALIASES[hit[0]]
                genres = tuple(g for g in (self.catalog_genre(f) for f in forms) if g)
                if genres:
                    state.claim(range(i, i + 1), "genre")
                    state.genres.append(_Mention(genres, i))
                    state.note(f"read '{tok.raw}' as {'/'.join(genres)}")
        for m in _NEG_RE.finditer(state.masked()):
            state.take(m.start(), m.end(), "neg")

    def _negation_scope(self, state: _State) -> None:
        """Mark genre mentions inside a negation: from a cue, over at most three words
        to the first genre, then along a list of genres joined by or/and/commas."""
        by_token = {m.token: m for m in state.genres}
        open_scope, gap, in_list = False, 0, False
        for i, tok in enumerate(state.tokens):
            claim = state.claims[i]
            if i > 0 and _clause_break(state.text[state.tokens[i - 1].end : tok.start]):
                open_scope = False
            if claim == "neg":
                open_scope, gap, in_list = True, 0, False
                continue
            if claim == "genre" and i in by_token:
                mention = by_token[i]
                if mention.negated is None:
                    mention.negated = open_scope
                if mention.negated:
                    open_scope, in_list, gap = True, True, 0
                continue
            if claim == "genre":  # continuation token of a multi-word genre
                continue
            if not open_scope:
                continue
            ends_scope = tok.text in _SCOPE_BREAK or claim in ("title", "person", "year", "rating")
            if ends_scope or (in_list and tok.text not in _LIST_GLUE):
                open_scope = False
            elif not in_list:
                gap += 1
                if gap > 3:
                    open_scope = False

    def _assemble_genres(self, state: _State) -> None:
        q = state.query
        positives = [m for m in state.genres if not m.negated]
        for m in state.genres:
            if m.negated:
                _extend_unique(q.genres_none, m.genres)
        any_group: set[int] = set()
        for a, b in zip(positives, positives[1:], strict=False):
            between = state.tokens[a.token + 1 : b.token]
            words = {t.text for t in between}
            if "or" in words or "/" in words:
                any_group.update((id(a), id(b)))
        for m in positives:
            target = q.genres_any if id(m) in any_group and len(m.genres) == 1 else q.genres_all
            _extend_unique(target, m.genres)
        clash = [g for g in q.genres_all + q.genres_any if g in q.genres_none]
        if clash:
            q.genres_all = [g for g in q.genres_all if g not in clash]
            q.genres_any = [g for g in q.genres_any if g not in clash]
            state.note(f"{', '.join(clash)} both asked for and excluded: excluded it")
        q.genres_any = [g for g in q.genres_any if g not in q.genres_all]
        if len(q.genres_any) == 1:  # "or" with only one side left is a plain requirement
            _extend_unique(q.genres_all, q.genres_any)
            q.genres_any = []

    def _assemble_years(self, state: _State) -> None:
        lo: int | None = None
        hi: int | None = None
        for wlo, whi in state.years:
            nlo = wlo if lo is None else (lo if wlo is None else max(lo, wlo))
            nhi = whi if hi is None else (hi if whi is None else min(hi, whi))
            if nlo is not None and nhi is not None and nlo > nhi:
                state.note("the time constraints contradict each other: kept the last one")
                nlo, nhi = wlo, whi
            lo, hi = nlo, nhi
        if lo is not None and lo > MAX_YEAR or hi is not None and hi < MIN_YEAR:
            state.note("ignored an impossible year range")
            lo = hi = None
        state.query.year_min, state.query.year_max = lo, hi

    def _nearest_genre(self, phrase: str) -> str | None:
        """Nearest catalog genre by sentence embedding, or None (no encoder / too far)."""
        if self.encoder is None or not self._catalog_genres or not phrase.strip():
            return None
        key = lexicon.normalize(phrase)
        if key in self._embedded:
            return self._embedded[key]
        if self._genre_vectors is None:
            self._genre_vectors = self._embed_genres()
        sims = self._genre_vectors @ self.encoder.encode([key])[0]
        order = np.argsort(-sims)
        best = int(order[0])
        margin = float(sims[best] - sims[order[1]]) if len(order) > 1 else 1.0
        close = sims[best] >= self.genre_similarity and margin >= GENRE_MARGIN
        found = self._catalog_genres[best] if close else None
        if len(self._embedded) < 4096:
            self._embedded[key] = found
        logger.debug("genre %r -> %s (cosine %.2f)", phrase, found, float(sims[best]))
        return found

    def _embed_genres(self) -> np.ndarray:
        assert self.encoder is not None
        return self.encoder.encode(
            [_DESCRIPTIONS.get(g.lower(), g.lower()) for g in self._catalog_genres]
        )


# --------------------------------------------------------------------------- helpers


_TITLE_STOP = frozenset(
    {"but", "from", "without", "no", "not", "before", "after", "since", "between", "that",
     "which", "except", "please", "only", "made", "released", "set", "in", "with", "and",
     "or", "though", "starring", "by"}
)  # fmt: skip


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", name.lower())


def _norm_phrase(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.strip())


_PHRASE_INDEX = {
    _norm_phrase(k): k for table in (lexicon.GENRE_ALIASES, lexicon.QUALITY_WORDS) for k in table
} | {_norm_phrase(k): k for k in (*lexicon.NEGATION_CUES, *lexicon.REFERENCE_CUES)}


def _phrase_key(matched: str) -> str:
    """A regex match of a lexicon phrase back to its table key ("sci - fi" -> "sci-fi")."""
    norm = _norm_phrase(matched)
    return _PHRASE_INDEX.get(norm, norm)


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


_ARTICLE = re.compile(r"^(?:the|a|an|some|any)\s+")
_NAMED = frozenset({"ACTOR", "DIRECTOR", "CHARACTER", "TITLE", "GENRE", "NEG_GENRE", "PLOT"})


def _after_reference_cue(before: str) -> bool:
    """True when ``before`` ends with a reference cue ("similar to", "like" but not
    the verb in "i'd like")."""
    m = _REF_BEFORE.search(before)
    if m is None:
        return False
    return not (_phrase_key(m.group()) == "like" and _is_verb_like(before, m.start()))


_NEG_SCOPE_END = re.compile(
    r"[.;!?:()]|\b(?:but|however|though|although|instead|rather|prefer|want|like|love)\b"
)


def _tagger_negation(state: _State, ent: Entity) -> bool | None:
    """Whether a tagger NEG_GENRE span really is negated: True when a negation cue
    precedes it with no scope break in between; otherwise None (the scope walk decides).
    The tagger learnt negation from the lexicon's cues, so a NEG_GENRE with no cue
    before it ("something like [horror]") is a tagging slip, not a hidden negation."""
    before = state.lowered[: ent.start]
    cues = list(_NEG_RE.finditer(before))
    if not cues:
        return None
    return True if not _NEG_SCOPE_END.search(before[cues[-1].end() :]) else None


def _year_after(state: _State, span: range) -> tuple[range | None, int | None]:
    """A year right after a title ("alien 1979", "alien (1979)") as a hint."""
    i = span.stop
    if i < len(state.tokens) and state.claims[i] is None:
        tok = state.tokens[i]
        gap = state.text[state.tokens[i - 1].end : tok.start] if i > 0 else ""
        if re.fullmatch(r"(?:1[89]|20)\d\d", tok.text) and re.fullmatch(r"[\s,(]*", gap):
            return range(i, i + 1), int(tok.text)
    return None, None


def _add_reference(query: Query, match: TitleMatch) -> None:
    if match.item_id not in query.reference_items:
        query.reference_items.append(match.item_id)
    if match.score < 100:
        query.notes.append(f"took '{match.label}' as the title you meant")


def _is_verb_like(masked: str, start: int) -> bool:
    """ "i'd like", "would like", "i like": the verb, not a reference cue."""
    before = masked[max(0, start - 12) : start].rstrip().split()
    return bool(before) and before[-1] in {
        "i'd", "id", "would", "i", "we", "you", "really", "don't", "dont", "not", "do",
        "kids", "they", "we'd", "feel", "might",
    }  # fmt: skip


_PRONOUNS = frozenset(
    {"it", "this", "that", "these", "those", "her", "him", "them", "me", "us", "you", "one",
     "ones", "this one", "that one", "these ones", "those ones", "it all", "them all"}
)  # fmt: skip


def _is_pronoun(phrase: str) -> bool:
    """A lower-case pronoun ("like it") refers back; a capitalised one may be a title
    ("movies like Her")."""
    return phrase.islower() and lexicon.normalize(phrase) in _PRONOUNS


def _articles_agree(phrase: str, label: str) -> bool:
    """ "a boss" is not "The Boss": an indefinite article the title lacks is a mismatch."""
    typed = re.match(r"(a|an)\s", lexicon.normalize(phrase))
    return typed is None or lexicon.normalize(label).startswith(typed.group(0))


def _proper_noun_follows(state: _State, end: int) -> bool:
    """True when the next word starts with a capital letter (part of a name)."""
    rest = state.text[end:].lstrip()
    return bool(rest) and rest[0].isupper() and not state.text[end : end + 1].isalnum()


def _clause_break(gap: str) -> bool:
    return any(c in gap for c in ".;!?:()")


def _raise_min_rating(query: Query, value: float) -> None:
    query.min_rating = value if query.min_rating is None else max(query.min_rating, value)


def _extend_unique(target: list[str], values: Iterable[str]) -> None:
    for value in values:
        if value not in target:
            target.append(value)


def _free_text(state: _State) -> str:
    """Unclaimed words (and opaque 'text' spans) minus filler, in message order."""
    words = []
    for tok, claim in zip(state.tokens, state.claims, strict=True):
        if claim == "text" or (claim is None and _is_content(tok.text)):
            words.append(tok.raw)
    return " ".join(words)


def _is_content(word: str) -> bool:
    return (
        word not in lexicon.FILLER_WORDS
        and word not in _CUE_WORDS
        and any(c.isalpha() for c in word)  # bare numbers say nothing to embeddings
    )


_CUE_WORDS = frozenset(
    w
    for phrase in (*lexicon.NEGATION_CUES, *lexicon.REFERENCE_CUES, *lexicon.COMMAND_POLITENESS)
    for w in phrase.split()
) | {"similar", "suggest", "recommend", "d", "s", "ll", "i'd", "i'll", "m"}
