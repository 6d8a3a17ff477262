"""Every director and cast member of the catalog, and names resolved against them.

``PeopleIndex(catalog)`` knows, per person, the items they directed, acted in, or are
credited on without a role (the generic layout's ``people`` column). ``resolve`` turns
what a user typed into a ``PersonRef``:

- exact full names, any case and accents ("tom hanks", "Pedro Almodovar");
- typos, by rapidfuzz ratio within the people sharing the first or the last name
  ("Adan Sandler" -> Adam Sandler), so a lookup compares a few dozen names, not all;
- a surname alone when one person clearly dominates it ("Spielberg"; "Scott" stays
  ambiguous between Ridley and Tony);
- families: "the Coen brothers", "the Wachowskis" -> every person of that surname
  (directors first when the role is "director"), any of whom satisfies the constraint.

``find`` scans a message for names (used by the query parser): full names anywhere,
and a lone surname only where it cannot be an ordinary word or a title word (capitalised
or next to a person cue, never a word of a catalog title unless a cue says "person").

``mask`` gives the items a ``PersonRef`` constrains to, role-aware: "directed by" means
the directors' column only; no role means any credit.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz import fuzz, process

from recommender.data.catalog import Catalog
from recommender.nlp.query import CAST, DIRECTOR, PersonRef

# rapidfuzz ratio (0-100) a typed name needs against a catalog name to stand for it.
FUZZY_CUTOFF = 85.0
# ...and each word of a misspelt full name at least this close to the name's word.
WORD_CUTOFF = 75.0
# A surname alone names its most credited bearer only when they have this many times
# the credits of the runner-up ("Spielberg" 32 vs 1; "Scott" 21 vs 15 is ambiguous).
SURNAME_DOMINANCE = 2.0
# Fewest credits for a lone surname to count at all (one-film extras are not "Nolan").
SURNAME_MIN_CREDITS = 3
# A lone word that tags or keywords this many items is a topic or a studio ("Disney"),
# a person only after an explicit cue ("directed by Disney").
SURNAME_TOPIC_ITEMS = 5
_FAMILY = re.compile(r"^(?:the\s+)?(?P<name>[a-z][a-z'-]*?)(?:\s+(?P<kin>brothers|bros|sisters|siblings)|s)$")
_WORD = re.compile(r"[^\W_]+(?:['.-][^\W_]+)*\.?")
# Words that are never part of a name (articles, cues, request words).
_NOT_NAME = frozenset(
    ["a", "an", "the", "and", "or", "with", "by", "of", "in", "on", "at", "to", "for", "from", "movie", "movies", "film", "films", "flick", "flicks", "starring", "featuring", "directed", "director", "actor", "actress", "something", "anything", "like", "some", "any", "no", "not", "but", "without", "except", "nothing", "more", "please", "me", "i", "my", "good", "best", "new", "old", "you", "we", "he", "she", "they", "it", "am", "is", "are", "was"]
)
_CUE_BEFORE = {
    "directed by": DIRECTOR, "direction of": DIRECTOR, "director": DIRECTOR,
    "by": DIRECTOR, "from": None, "starring": CAST, "featuring": CAST, "with": CAST,
    "actor": CAST, "actress": CAST, "stars": CAST, "star": CAST, "films of": None,
    "movies of": None, "work of": None, "anything by": DIRECTOR,
}  # fmt: skip
_CUE_BEFORE_RE = re.compile(
    r"(?:^|\W)(?P<cue>" + "|".join(sorted(map(re.escape, _CUE_BEFORE), key=len, reverse=True))
    + r")\s+(?:the\s+)?$"
)
_DIRECTED_AFTER_RE = re.compile(
    r"^(?:\s+(?:has\s+|had\s+|'s\s+)?directed\b|\s+(?:is|was)\s+(?:the\s+)?director\b"
    r"|[^.!?,;]{0,30}?\b(?:that|which|who|where)?\s*(?:he|she|they)\s+(?:also\s+)?directed\b"
    r"|[^.!?,;]{0,30}?\b(?:directed\s+by\s+(?:him|her|himself|herself)))")
_CUE_AFTER_RE = re.compile(r"^(?:'s\b|\s+(?:films?|movies?|flicks?|pictures?|comed(?:y|ies)"
                           r"|dramas?|westerns?|thrillers?|classics?)\b)")


def normalize_name(text: str) -> str:
    """Lower case, accents and punctuation dropped, one space: "Samuel L. Jackson" ->
    "samuel l jackson"; a trailing possessive goes ("Spielberg's" -> "spielberg")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’]s\b", "", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


@dataclass(frozen=True)
class NameMention:
    """A name found in a message: character span, the resolved person, and whether a
    person cue ("with", "directed by", "'s film") stood next to it."""

    start: int
    end: int
    person: PersonRef
    cued: bool


class PeopleIndex:
    """Directors and cast of one catalog; build once, then lookups are dict hits."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._items: dict[str | None, dict[str, list[int]]] = {
            DIRECTOR: defaultdict(list), CAST: defaultdict(list), None: defaultdict(list)
        }
        for idx in range(catalog.n_items):
            for role, names in ((DIRECTOR, catalog.directors[idx]), (CAST, catalog.cast[idx]),
                                (None, catalog.people[idx])):  # fmt: skip
                for name in names:
                    self._items[role][name].append(idx)
        credits: dict[str, int] = defaultdict(int)
        for table in self._items.values():
            for name, items in table.items():
                credits[name] += len(items)
        self.credits = dict(credits)
        self._by_norm: dict[str, str] = {}
        self._norm_of: dict[str, str] = {}
        self._by_first: dict[str, list[str]] = defaultdict(list)
        self._by_last: dict[str, list[str]] = defaultdict(list)
        for name in sorted(credits, key=lambda n: -credits[n]):  # most credited wins a clash
            norm = normalize_name(name)
            if not norm:
                continue
            self._by_norm.setdefault(norm, name)
            self._norm_of[name] = norm
            words = norm.split()
            self._by_last[words[-1]].append(name)
            if len(words) > 1:
                self._by_first[words[0]].append(name)
        self._surnames = list(self._by_last)
        # Surnames by first letter: a typo rarely changes it, and searching one letter's
        # surnames instead of all keeps the fallback for two misspelt names cheap.
        self._surnames_by_initial: dict[str, list[str]] = defaultdict(list)
        for surname in self._surnames:
            self._surnames_by_initial[surname[:1]].append(surname)
        # Words of catalog titles: a lone capitalised word among them ("Alien", "Heat")
        # is read as a person only next to a person cue.
        self._title_words = {w for t in catalog.titles for w in normalize_name(t).split()}
        topics: dict[str, int] = defaultdict(int)
        for idx in range(catalog.n_items):
            for word in {normalize_name(k) for k in (*catalog.keywords[idx], *catalog.tags[idx])}:
                topics[word] += 1
        self._topic_words = {w for w, n in topics.items() if n >= SURNAME_TOPIC_ITEMS and " " not in w}
        self._masks: dict[tuple[tuple[str, ...], str | None], np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.credits)

    # -- lookups ----------------------------------------------------------------------

    def items_of(self, name: str, role: str | None = None) -> list[int]:
        """Item indices crediting ``name`` in ``role`` (None: any credit)."""
        if role is not None:
            return sorted(set(self._items[role].get(name, ())) | set(self._items[None].get(name, ())))
        return sorted({i for table in self._items.values() for i in table.get(name, ())})

    def mask(self, ref: PersonRef) -> np.ndarray:
        """Bool mask of the items ``ref`` allows (any of its members, in its role)."""
        key = (ref.names(), ref.role)
        mask = self._masks.get(key)
        if mask is None:
            mask = np.zeros(self.catalog.n_items, dtype=bool)
            for name in ref.names():
                mask[self.items_of(name, ref.role)] = True
            if len(self._masks) < 4096:
                self._masks[key] = mask
        return mask

    def credited(self, ref: PersonRef, idx: int) -> bool:
        """True when item ``idx`` credits a member of ``ref`` in its role."""
        return bool(self.mask(ref)[idx])

    def role_credits(self, name: str, role: str | None) -> int:
        return len(self.items_of(name, role))

    # -- resolution -------------------------------------------------------------------

    def resolve(self, text: str, role: str | None = None, *, fuzzy: bool = True) -> PersonRef | None:
        """The person (or family) ``text`` names, in ``role``; None when nobody fits.

        ``fuzzy=False`` skips the typo match of a lone surname (a scan of every
        capitalised word must not turn "Alien" into "Allen")."""
        full = normalize_name(text)
        norm = re.sub(r"^the\s+", "", full)
        if not norm or norm in _NOT_NAME:
            return None
        name = self._by_norm.get(norm)
        if name is not None:
            return self._ref(name, role)
        family = self._family(norm, role, plural_ok=full.startswith("the "))
        if family is not None:
            return family
        words = norm.split()
        if len(words) == 1:
            if self._mostly_first_name(words[0], role):  # "movies with Harry": not Debbie Harry
                return self._first_name(words[0], role)
            return self._surname(words[0], role, fuzzy) or self._first_name(words[0], role)
        name = self._fuzzy(norm, words)
        return self._ref(name, role) if name else None

    def resolve_all(self, refs: Iterable[PersonRef | str]) -> tuple[list[PersonRef], list[str]]:
        """Resolve refs that have no members yet; ``(refs, notes)`` with a note for each
        name that matches nobody (kept with ``known=False``, so it constrains nothing)."""
        out: list[PersonRef] = []
        notes: list[str] = []
        for ref in map(PersonRef.coerce, refs):
            if ref.members or not ref.known:
                out.append(ref)
                continue
            found = self.resolve(ref.name, ref.role)
            if found is None:
                namesakes = self.namesakes(ref.name, ref.role)
                notes.append(which_note(ref.name, namesakes) if namesakes else unknown_note(ref.name))
                out.append(PersonRef(ref.name, ref.role, (), known=False, excluded=ref.excluded))
                continue
            found = replace(found, excluded=ref.excluded)
            if found not in out:
                out.append(found)
        return out, notes

    def find(self, text: str) -> list[NameMention]:
        """Names in ``text``, longest first and not overlapping, in message order."""
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        found: list[NameMention] = []
        taken: set[int] = set()
        for size in (4, 3, 2, 1):
            for first in range(len(words) - size + 1):
                span = range(first, first + size)
                if taken & set(span):
                    continue
                mention = self._mention(text, words, span)
                if mention is not None:
                    found.append(mention)
                    taken |= set(span)
        return sorted(found, key=lambda m: m.start)

    # -- internals --------------------------------------------------------------------

    def _mention(self, text: str, words: list[tuple[int, int, str]], span: range) -> NameMention | None:
        start, end = words[span.start][0], words[span.stop - 1][1]
        raw = text[start:end].rstrip(".")
        tokens = [normalize_name(w[2]) for w in (words[i] for i in span)]
        if tokens[0] == "the" and len(tokens) > 1:  # "the Coen brothers", "the Coens"
            tokens = tokens[1:]
            if len(tokens) == 1:  # "the Coens", never "The Rock" (a nickname, a title)
                family = self._family(tokens[0], role_before(text[:start]), plural_ok=True)
                return NameMention(start, start + len(raw), family, True) if family else None
        if any(not t or t in _NOT_NAME for t in (tokens[0], tokens[-1])):
            return None
        cue = _CUE_BEFORE_RE.search(text[:start].lower())
        # "westerns Clint Eastwood directed", "with Clint Eastwood that he directed": the
        # words after the name say the role, over a "with" before it.
        cue_role = DIRECTOR if _DIRECTED_AFTER_RE.match(text[end:].lower()) else role_before(text[:start])
        cued = cue is not None or bool(_CUE_AFTER_RE.match(text[end:].lower()))
        if len(tokens) == 1:
            lone = tokens[0]
            if lone in self._topic_words and cue is None:
                return None
            if span.start and words[span.start - 1][2].lower() == "the":
                return None  # "The Rock" is a nickname or a title; families: above
            if lone in self._by_first and lone not in self._by_last:
                # A first name alone ("tom") names nobody in particular, unless it is
                # capitalised after a cue and one credited person carries it far more
                # than anyone else ("a crime thriller with Denzel").
                only = self._first_name(lone, cue_role) if cued and raw[:1].isupper() else None
                return NameMention(start, start + len(raw), only, True) if only else None
            capital = raw[:1].isupper()
            if lone in self._title_words and not (capital and cued):
                return None
            if not (cued or capital):
                return None
        person = self.resolve(raw, cue_role, fuzzy=cued and (len(tokens) > 1 or raw[:1].isupper()))
        if person is None:
            return None
        if len(tokens) == 1 and normalize_name(person.name) == tokens[0] and not cued:
            return None  # a one-word "name" that is only an exact catalog credit
        return NameMention(start, start + len(raw), person, cued)

    def _ref(self, name: str, role: str | None) -> PersonRef:
        # A role the person was never credited in would empty the list: drop it.
        if role is not None and not self.role_credits(name, role):
            role = None
        # "a Spielberg film": someone credited mostly as a director is asked for as one.
        if role is None and self.role_credits(name, DIRECTOR) > len(self._items[CAST].get(name, ())):
            role = DIRECTOR
        return PersonRef(name, role, (name,))

    def _surname(self, last: str, role: str | None, fuzzy: bool) -> PersonRef | None:
        names = self._by_last.get(last, ())
        if not names and fuzzy and len(last) >= 5:
            found = process.extractOne(last, self._surnames, scorer=fuzz.ratio,
                                       score_cutoff=FUZZY_CUTOFF)
            names = self._by_last.get(found[0], ()) if found else ()
        return self._dominant(names, role)

    def _first_name(self, first: str, role: str | None) -> PersonRef | None:
        """The one person a lone first name stands for, by the surname rules; None when
        several share it."""
        return self._dominant(self._by_first.get(first, ()), role)

    def namesakes(self, word: str, role: str | None = None, n: int = 3) -> list[str]:
        """Whom a lone name part may mean ("something with Tom", "a film by Scott"): the
        ``n`` people (in ``role``) with ``word`` as first name or surname and
        ``SURNAME_MIN_CREDITS`` credits or more, the best known first (by how often their
        films were rated, so Tom Cruise comes before a prolific character actor). Empty
        for a name of several words or one nobody well known has."""
        words = normalize_name(word).split()
        if len(words) != 1:
            return []
        pool = dict.fromkeys((*self._by_first.get(words[0], ()), *self._by_last.get(words[0], ())))
        known = [m for m in pool if self._weight(m, role) >= SURNAME_MIN_CREDITS]
        return sorted(known, key=lambda m: -self._renown(m, role))[:n]

    def _renown(self, name: str, role: str | None) -> int:
        counts = self.catalog.rating_count
        items = self.items_of(name, role)
        return int(counts[items].sum()) if len(counts) and items else len(items)

    def _mostly_first_name(self, word: str, role: str | None) -> bool:
        """Whether the people with ``word`` as first name have more credits between them
        than those with it as surname: "Harry", "Tom" (not "Ford", "Allen")."""
        first = sum(self._weight(m, role) for m in self._by_first.get(word, ()))
        last = sum(self._weight(m, role) for m in self._by_last.get(word, ()))
        return first > last

    def _dominant(self, names: Iterable[str], role: str | None) -> PersonRef | None:
        """The most credited of ``names`` in ``role`` when they have at least
        ``SURNAME_MIN_CREDITS`` credits and ``SURNAME_DOMINANCE`` times the runner-up's:
        the one person a lone name part stands for."""
        ranked = sorted(names, key=lambda n: -self._weight(n, role))
        if not ranked or self._weight(ranked[0], role) < SURNAME_MIN_CREDITS:
            return None
        runner_up = self._weight(ranked[1], role) if len(ranked) > 1 else 0
        if self._weight(ranked[0], role) < SURNAME_DOMINANCE * runner_up:
            return None
        return self._ref(ranked[0], role)

    def _family(self, norm: str, role: str | None, plural_ok: bool) -> PersonRef | None:
        m = _FAMILY.match(norm)
        if m is None or not (m.group("kin") or plural_ok):  # "zombies" is no family
            return None
        last = m.group("name")
        members = list(self._by_last.get(last, ()))
        directors = [n for n in members if self.role_credits(n, DIRECTOR)]
        if role in (None, DIRECTOR) and len(directors) >= 2:
            members, role = directors, DIRECTOR
        if len(members) < 2:
            return None
        kin = {"bros": "brothers"}.get(m.group("kin") or "", m.group("kin"))
        label = f"the {last.title()} {kin}" if kin else f"the {last.title()}s"
        return PersonRef(label, role, tuple(sorted(members)))

    def _fuzzy(self, norm: str, words: list[str]) -> str | None:
        pool = {*self._by_first.get(words[0], ()), *self._by_last.get(words[-1], ())}
        if not pool and len(words[-1]) >= 5:
            # Both names misspelt ("Silvestor Stalone"): the people with a surname close
            # to the typed one.
            near = process.extract(words[-1], self._surnames_by_initial.get(words[-1][:1], []),
                                   scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5)
            pool = {n for surname, _, _ in near for n in self._by_last.get(surname, ())}
        if not pool:
            return None
        # Most credited first, so that a tie in score goes to the better-known person.
        choices = {n: self._norm_of[n] for n in sorted(pool, key=lambda n: -self.credits[n])}
        hit = process.extractOne(norm, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit and _each_word_close(words, hit[0].split()):
            return hit[2]
        # A short first name with the right surname: "Leo DiCaprio", "Sam Jackson".
        short = [n for n in choices if len(words) == 2 and len(words[0]) >= 3
                 and choices[n].split()[-1] == words[-1] and choices[n].startswith(words[0])]
        return short[0] if short else None

    def _weight(self, name: str, role: str | None) -> int:
        return self.role_credits(name, role) if role is not None else self.credits[name]


def _each_word_close(typed: list[str], name: list[str]) -> bool:
    """Whether every typed word is a spelling of the name's word in its place: a typo sits
    inside words ("Silvestor Stalone"); "James Bond" is not "James Brown", nor "Indiana
    Jones" "Nina Jones", however close the whole strings are."""
    if len(typed) != len(name):
        # A middle name typed or left out ("Philip Hoffman"): the first and last words
        # must still be spellings of the name's; a word that follows a name is not part
        # of it ("movies with Scarlett Johansson after 2010": "after" is no surname).
        ends = ((typed[0], name[0]), (typed[-1], name[-1]))
        return len(typed) == 1 or len(name) == 1 or all(fuzz.ratio(a, b) >= WORD_CUTOFF for a, b in ends)
    return all(fuzz.ratio(a, b) >= WORD_CUTOFF for a, b in zip(typed, name, strict=True))


def role_before(text: str) -> str | None:
    """The role a cue at the end of ``text`` asks for: "directed by " -> director,
    "starring " / "with " -> cast; None without a cue or for "a ... film"."""
    cue = _CUE_BEFORE_RE.search(text.lower())
    return _CUE_BEFORE.get(cue.group("cue")) if cue else None


def which_note(name: str, namesakes: Sequence[str]) -> str:
    """What the user is told about a first name several well-known people share."""
    options = ", ".join(namesakes[:-1]) + f" or {namesakes[-1]}" if len(namesakes) > 1 else namesakes[0]
    return f"Which {name} do you mean: {options}? Say the full name and I'll look."


def unknown_note(name: str) -> str:
    """What the user is told about a name that matches nobody in the catalog."""
    return f"I don't know anyone called {name} in this catalog, so I left the name out."
