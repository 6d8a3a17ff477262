"""What a person says about each movie they mention: liked, disliked, seen, not seen,
asked about, or a reference for the search ("something like X").

``stances(text, spans)`` classifies every mention (character spans of the titles) by
scoped rules: the clause around a mention (a sentence, cut at "but" / "however" /
"although") is read for cues, and a following sentence that only says "it" / "that one"
("I watched Click. I loved it") adds its cues to the mention before it. A question
("Is X any good?", "Have you seen X?") asks about X unless the person speaks of
themselves in it ("I haven't seen X, is it good?"). Priorities when cues disagree:
not seen > disliked > liked > seen > asked > reference (who has not seen a film
cannot have liked it: "I haven't seen X, is it good?"). A mention with no cue at all is
a reference (a bare title asks for films like it).

``pronoun_stance(text)`` is the same reading for "it" / "that one" in a message that
names no title; the dialogue resolves the pronoun to the last movie mentioned or shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from recommender.nlp import lexicon
from recommender.nlp.patterns import alternation


class Stance(StrEnum):
    LIKED = "liked"
    DISLIKED = "disliked"
    UNSEEN = "unseen"
    SEEN = "seen"
    ASKED = "asked"
    REFERENCE = "reference"
    REJECTED = "rejected"  # "anything with Keanu Reeves that's not John Wick": leave it out


_PRIORITY = (Stance.UNSEEN, Stance.DISLIKED, Stance.REJECTED, Stance.LIKED, Stance.SEEN, Stance.ASKED, Stance.REFERENCE)
_NOT = r"(?:(?:did|do|does|could|would|was|is|have|has)\s?n[o']?t|not|never|cannot|can't)"
_CUES: dict[Stance, re.Pattern[str]] = {
    Stance.DISLIKED: re.compile(
        rf"\b{_NOT}\s+(?:really\s+|much\s+|quite\s+|that\s+)?(?:like|enjoy|love|care for|get into|stand)\b"
        r"|\bhate[ds]?\b|\bhating\b|\bdislike[ds]?\b|\bnot\s+(?:a|much of a|really a|the biggest|into)\b"
        r"|\b(?:boring|terrible|awful|horrible|worst|stupid|overrated|disappointing|disappointed"
        r"|waste of time|lame|meh|bad|tedious|dull|mediocre|forgettable|predictable|unwatchable"
        r"|cringe(?:y|worthy)?|too slow|so slow)\b|\b(?:was|is|were|it's|its)\s?n[o']?t\s+(?:that\s+|very\s+|really\s+|as\s+|so\s+|quite\s+)?"
        r"(?:good|great|funny|fun|scary)\b|\bturned it off\b|\bfell asleep\b"
    ),
    Stance.LIKED: re.compile(
        r"\b(?:(?:i|we|really|also|do|did|kids|totally|both|all|they|you)\s+like|liked|loved?|loving|enjoy(?:ed|s)?|adored?|favou?rites?|fan of|a fan"
        # "I'm into X", not "I'll look into it"
        r"|(?:'m|am|are|is|really|so|totally|also|big|very)\s+into"
        r"|great|awesome|amazing|fantastic|excellent|brilliant|hilarious|funny|good|best"
        r"|fun|classic|masterpiece|wonderful|cool|perfect|laughed|rewatch\w*|obsessed|epic"
        r"|beautiful|scary|creepy|touching)\b"
    ),
    Stance.UNSEEN: re.compile(
        rf"\b{_NOT}\s+(?:\w+\s+)?(?:seen|see|saw|watched|watch|heard (?:of|about)|gotten to)\b|\byet to (?:see|watch)\b"
        r"|\b(?:want(?:ed)?|love|like|wanna)\s+to\s+(?:see|watch)\b|\bon my (?:watch\s?)?list\b|\bnew to me\b|\bmissed\b"
    ),
    Stance.SEEN: re.compile(r"\b(?:seen|saw|watched|already|rewatched|was in theaters)\b"),
    # "I don't want to watch Interstellar": leave it out (it read as not seen yet, and
    # the reply encouraged watching it).
    Stance.REJECTED: re.compile(
        rf"\b{_NOT}\s+(?:really\s+)?(?:want|wanna|feel like|care)\s+(?:to\s+)?(?:see|watch|seeing|watching)\b"),
}
# Verb "like" vs preposition: "I like X" is taste, "a movie like X" asks for similar ones.
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:what about|how about|similar to|such as|in the vein of|reminds? me of|along the lines of|similar|more like"
    r"|something like|anything like|movies? like|films? like|ones? like|stuff like|like"
    # "what's good for fans of The Matrix?": films for its fans (it read as a question
    # about The Matrix and answered with its card)
    r"|for (?:a |the )?fans? of|for (?:people|someone|anyone) who (?:liked?|loved?|enjoyed))\s*)$"
)
# A negation right before the title, with no other stance in its clause: the film is
# what the person does not want ("not John Wick"; "anything but Star Wars" is
# ``_EXCEPT_BEFORE``; "nothing about Star Wars" too). It asked for films like John Wick before. "I have seen It, but
# not It (1990)" stays unseen.
_REJECTED_BEFORE = re.compile(r"\b(?:not|no|nothing(?:\s+(?:with|about|from|of))?)\s+(?:the\s+|any\s+)?$")
# "something by Nolan that isn't Batman", "sci-fi that's not Star Wars": a relative
# clause that says what the answer is not (it read as a question about the film).
_RELATIVE_NOT_BEFORE = re.compile(
    r"\b(?:that|which|one|ones|something|anything)\s*(?:'s|\s+is|\s+are)?\s+"
    r"(?:is\s*n[o'’]?t|isnt|are\s*n[o'’]?t|arent|not)\s+(?:the\s+|a\s+|an\s+|any\s+)?$"
)
# "nothing like Star Wars", "not anything similar to Saw", "unlike Titanic": the film is
# what the answer must not be (it was a reference: films like Star Wars).
_NOT_LIKE_BEFORE = re.compile(
    r"\b(?:(?:nothing|none|not\s+(?:anything|something|one|too\s+much)|no\s+(?:movies?|films?|ones?))"
    r"\s+(?:(?:too|at\s+all|remotely|even)\s+)?(?:like|similar\s+to)|not\s+similar\s+to|unlike)"
    r"\s+(?:the\s+)?$"
)
# "any Sherlock Holmes films?", "more Star Wars movies": a request for the films of a
# name, not a question about one film.
_ANY_BEFORE = re.compile(r"\b(?:any|some|more|other|good|great)\s+(?:of\s+the\s+)?$")
_FILMS_AFTER = re.compile(r"\s+(?:movies|films|flicks|sequels)\b")
_SEEN_VERB = re.compile(r"\b(?:seen|saw|watched)\b")
_LIKED_VERB = re.compile(r"\b(?:liked|loved|enjoyed|i (?:really )?(?:like|love|enjoy))\b")
# Who may be the subject of the verb "like" ("he like", "my boyfriend like X"), besides
# the pronouns of each rule (shared with ``parser.mentions``).
LIKE_SUBJECTS = ("he", "she", "boyfriend", "girlfriend", "husband", "wife", "son", "daughter",
                 "family", "friends", "mom", "dad")  # fmt: skip
_VERB_LIKE_BEFORE = re.compile(
    r"\b(?:i|we|you|they|really|also|do|did|not|never|don't|dont|didn't|didnt|doesn't|would|i'd"
    rf"|kids|both|all|totally|just|so|definitely|{'|'.join(LIKE_SUBJECTS)})\s+like\s*$"
)
_QUESTION_START = re.compile(
    r"^\s*(?:is|are|was|were|have|has|had|did|do|does|what|how|who|which|would|could|can|should"
    r"|will|any|ever|heard|tell\s+me\s+(?:more\s+|a\s+bit\s+|a\s+little\s+)?about|describe)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:i|i've|ive|i'm|im|i'd|me|my|we|we've)\b")
# A bare "that" / "this" is a film only as the object of a stance verb at the end of a
# clause ("we've seen that", "I loved this!"); "that's great", "something that ..." are not.
_BARE_DEMONSTRATIVE = (r"(?:(?<=seen )|(?<=saw )|(?<=watched )|(?<=loved )|(?<=liked )|(?<=hated )"
                       r"|(?<=enjoyed )"
                       # "more like that", "something similar to this": films like the film
                       r"|(?<=more like )|(?<=something like )|(?<=anything like )|(?<=similar to )"
                       r"|(?<=movies like )|(?<=films like )|(?<=ones like )|(?<=stuff like )"
                       # "what is that about?": asked about the film
                       r"|(?<=what is )|(?<=what's )|(?<=whats ))"
                       r"(?:that|this)(?=\s*(?:[.!?,;)]|$|\s(?:already|before|too|yet|please|one|about)\b))")
# Several films of the list on screen: "both", "all of them", "the first two".
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}
_PLURAL = (r"both(?:\s+of\s+(?:them|those|these))?|all\s+(?:of\s+)?(?:them|those|these)"
           r"|(?:them|those|these)\s+all|(?:the\s+)?(?:first|top)\s+(?:two|three|four|2|3|4)")
_PLURAL_RE = re.compile(rf"\b(?:{_PLURAL})\b")
_PLAIN_PRONOUN = (rf"{_PLURAL}|it|that one|this one|that movie|this movie|that film|this film|the movie"
                  rf"|the film|them|those|these|{_BARE_DEMONSTRATIVE}")
# "the second one", "the last film": an item of the list shown. It carries a stance as "it"
# does, but its words are left to the ordinals pass (``Query.ordinal`` says which item).
_ORDINAL_ONE = (rf"the (?:{alternation(lexicon.ORDINAL_WORDS)})"
                # "I've seen the third" at the end of a clause, as "the third one"
                r"(?: (?:one|movie|film)|(?=\s*(?:[.!?,;]|$)))")
_PRONOUN = re.compile(rf"\b(?:{_ORDINAL_ONE}|{_PLAIN_PRONOUN})\b")
_CLAIMED_PRONOUN = re.compile(rf"\b(?:{_PLAIN_PRONOUN})\b")
# Between two titles of one list: "and", "or", commas, and the first title's "(year)".
_LIST_GLUE = re.compile(r"\s*(?:\(\s*\d{4}\s*\)?)?\s*(?:,|and|or|&|as well as|,\s*and|,\s*or)\s*")
# A cue whose object is other films ("I hated X and never watched any of the others",
# "loved X, haven't seen the sequels") says nothing about the mention itself.
_ABOUT_OTHERS = re.compile(
    rf"(?:{_NOT}\s+)?(?:\w+\s+)?(?:seen|see|saw|watched|watch|like[ds]?|loved?|enjoy(?:ed)?|hated?"
    r"|heard of|gotten to)\s+(?:(?:any|all|one|some|none|each|most|either)\s+of\s+)?"
    r"the\s+(?:others|rest|sequels?|prequels?|remakes?|other\s+(?:ones|movies|films|parts))\b"
)
_SENTENCE_END = re.compile(r"[.!?;\n]+")
# After these words "but" means "except" ("anything but Harry Potter", "I've seen them all
# but Lady Bird"): no clause break, and what follows is the exception (``_EXCEPT_BEFORE``).
_BUT_MEANS_EXCEPT_AFTER = ("anything", "everything", "nothing", "all", "them")
_CLAUSE_BREAK = re.compile(
    rf"\b(?:{''.join(f'(?<!{w} )' for w in _BUT_MEANS_EXCEPT_AFTER)}but|however|although|though"
    r"|whereas)\b"
)
# "all but X", "everything except X": X is the exception to the clause's verb ("I've seen
# them all but Lady Bird": not seen), or with no verb simply left out.
_EXCEPT_BEFORE = re.compile(
    rf"\b(?:(?:{'|'.join(_BUT_MEANS_EXCEPT_AFTER)})\s+but|except(?:\s+for)?|other\s+than|besides"
    r"|excluding|apart\s+from)\s+(?:the\s+)?$"
)


def stances(text: str, spans: Sequence[tuple[int, int]]) -> list[Stance]:
    """The stance of each mention at ``spans`` (character offsets into ``text``)."""
    low = _blank(text.lower(), spans)
    sentences = _sentences(low)
    out: list[Stance] = []
    for n, (start, end) in enumerate(spans):
        if n and _LIST_GLUE.fullmatch(low[spans[n - 1][1] : start]):
            out.append(out[-1])  # "like X and Y", "I loved X, Y and Z": one stance for the list
            continue
        s_lo, s_hi = next(((a, b) for a, b in sentences if a <= start < b), (0, len(low)))
        c_lo, c_hi = _clause(low, s_lo, s_hi, start, end, spans)
        before = low[c_lo:start]
        if _NOT_LIKE_BEFORE.search(before) or _RELATIVE_NOT_BEFORE.search(before):
            out.append(Stance.REJECTED)
            continue
        if _ANY_BEFORE.search(before) and _FILMS_AFTER.match(low, end):
            out.append(Stance.REFERENCE)  # "any Sherlock Holmes films?" asks for films
            continue
        if m := _EXCEPT_BEFORE.search(before):
            out.append(_elided(low[s_lo : c_lo + m.start()]))
            continue
        if _REFERENCE_BEFORE.search(before) and not _VERB_LIKE_BEFORE.search(before):
            out.append(Stance.REFERENCE)
            continue
        found = _read(low[c_lo:c_hi], question=_mention_in_question(text, low, s_lo, s_hi, start))
        if not found and _REJECTED_BEFORE.search(before):
            out.append(_elided(low[s_lo:c_lo]))
            continue
        last_in_sentence = all(not (s_lo <= a < s_hi) for a, _ in spans[n + 1 :])
        if last_in_sentence:  # "I watched X. I loved it.": the next "it" sentences add to X
            for a, b in sentences:
                if a < s_hi or any(a <= x < b for x, _ in spans):
                    continue
                if not _PRONOUN.search(low[a:b]):
                    break
                found |= _read(low[a:b], question=_is_question(text, low, a, b))
        out.append(_strongest(found) or Stance.REFERENCE)
    return out


def _elided(earlier: str) -> Stance:
    """The stance of "not X" after an ``earlier`` clause of the sentence: its verb,
    negated ("I have seen It, but not It (1990)": unseen; "I loved X but not Y":
    disliked); with no such verb, X is rejected (a request adjective such as "a good
    comedy but not Click" states no taste)."""
    if _SEEN_VERB.search(earlier):
        return Stance.UNSEEN
    if _LIKED_VERB.search(earlier):
        return Stance.DISLIKED
    return Stance.REJECTED


def cue_spans(text: str, spans: Sequence[tuple[int, int]], *, pronoun: bool = False) -> list[tuple[int, int]]:
    """Where the stance cues are ("liked", "have never seen") in the sentences that talk
    about the mentions at ``spans`` (or, with ``pronoun``, about "it"): the words that
    said how the person feels, which are not part of any request."""
    low = _blank(text.lower(), spans)
    out: list[tuple[int, int]] = []
    for a, b in _sentences(low):
        about = any(a <= x < b for x, _ in spans) or (pronoun and _PRONOUN.search(low[a:b]))
        if not about:
            continue
        for cue in _CUES.values():
            out.extend((m.start(), m.end()) for m in cue.finditer(low, a, b))
        out.extend((m.start(), m.end()) for m in _CLAIMED_PRONOUN.finditer(low, a, b))
    return out


# An answer with the verb left out, to "have you seen it?": "No, I haven't!", "Yes I have".
_NOT_SEEN_ANSWER = re.compile(
    r"^\W*(?:(?:no|nope|nah)\b\W*)?(?:i|we)\s+(?:have\s*n[o'’]?t|havent|have\s+not|did\s*n[o'’]?t|didnt"
    r"|did\s+not|never\s+have)(?:\s+(?:yet|either|no|sadly|unfortunately))*\W*$"
)
_SEEN_ANSWER = re.compile(r"^\W*(?:(?:yes|yeah|yep|yup)\b\W*)?(?:i|we)\s+(?:have|did)(?:\s+(?:already|before|too))*\W*$")


# A whole message that turns the film on screen down: "not that one", "no, not this one".
_NOT_THAT_ONE = re.compile(
    r"^\W*(?:(?:no+|nah+|nope|hmm+|ugh)\W+)?(?:not|anything but|something other than)\s+"
    r"(?:that|this)(?:\s+(?:one|movie|film))?(?:\W+(?:please|thanks))?\W*$"
)


# A whole message that asks for more of the kind on screen: "I like that kind of movies",
# "I love those types of films" (films like it; not a 👍 for a film not seen yet).
_THAT_KIND = re.compile(
    r"^\W*(?:(?:yes|yeah|oh|ok|okay)\W+)?i\s+(?:really\s+|do\s+)?(?:like|love|enjoy|am into|'m into|im into)\s+"
    r"(?:that|this|those|these)\s+(?:kinds?|types?|sorts?|genres?)\s+of\s+(?:movies?|films?|stuff|things?)\W*$"
)


def answer_stance(message: str) -> Stance | None:
    """A whole message that answers "have you seen it?" without the verb ("No, I
    haven't!": not seen; "Yes I have": seen) or turns the film down ("not that one":
    rejected), or None."""
    low = message.lower()
    if _NOT_THAT_ONE.match(low):
        return Stance.REJECTED
    if _THAT_KIND.match(low):
        return Stance.REFERENCE
    if _NOT_SEEN_ANSWER.match(low):
        return Stance.UNSEEN
    return Stance.SEEN if _SEEN_ANSWER.match(low) else None


def plural_count(text: str) -> int | None:
    """How many films of the list on screen a message speaks of: 0 for all of them ("all
    of those", "them all"), 2 for "both", n for "the first n"; None for one or none."""
    m = _PLURAL_RE.search(text.lower())
    if m is None:
        return None
    words = m.group().split()
    if words[0] == "both":
        return 2
    return _NUMBER_WORDS.get(words[-1], 0)


def pronoun_stance(text: str) -> Stance | None:
    """What a message without a title says about "it" / "that one", or None."""
    low = text.lower()
    found: set[Stance] = set()
    for a, b in _sentences(low):
        part = low[a:b]
        pron = _PRONOUN.search(part)
        if pron is None:
            continue
        if _REFERENCE_BEFORE.search(part[: pron.start()]) and not _VERB_LIKE_BEFORE.search(part[: pron.start()]):
            found.add(Stance.REFERENCE)
            continue
        found |= _read(part, question=_is_question(text, low, a, b))
    return _strongest(found)


def _read(clause: str, *, question: bool) -> set[Stance]:
    clause = _ABOUT_OTHERS.sub(lambda m: " " * len(m.group()), clause)
    if question:
        # Cues in a question count only when the person speaks of themselves in it.
        me = _FIRST_PERSON.search(clause)
        if me is None:
            return {Stance.ASKED}
        clause = clause[me.start() :]
        found = {stance for stance, cue in _CUES.items() if cue.search(clause)}
        return _settle(found) or {Stance.ASKED}
    return _settle({stance for stance, cue in _CUES.items() if cue.search(clause)})


def _settle(found: set[Stance]) -> set[Stance]:
    # "didn't like" also contains "like", "haven't seen" also "seen": the negated cue wins.
    if Stance.DISLIKED in found:
        found.discard(Stance.LIKED)
    if Stance.UNSEEN in found:
        found.discard(Stance.SEEN)
    if Stance.REJECTED in found:  # "don't want to watch" also holds "want to watch"
        found -= {Stance.UNSEEN, Stance.SEEN}
    return found


def _strongest(found: set[Stance]) -> Stance | None:
    return next((s for s in _PRIORITY if s in found), None)


def _blank(low: str, spans: Sequence[tuple[int, int]]) -> str:
    """The titles replaced by a neutral word, so "The Best Man" gives no "best" cue."""
    chars = list(low)
    for start, end in spans:
        chars[start:end] = list("x" * (end - start))
    return "".join(chars)


def _sentences(low: str) -> list[tuple[int, int]]:
    out, lo = [], 0
    for m in _SENTENCE_END.finditer(low):
        out.append((lo, m.end()))
        lo = m.end()
    if lo < len(low):
        out.append((lo, len(low)))
    return out or [(0, len(low))]


def _clause(low: str, s_lo: int, s_hi: int, start: int, end: int, spans) -> tuple[int, int]:
    """The part of the sentence around one mention: cut at "but"-like words and at the
    neighbouring mentions' clauses ("I liked X but hated Y")."""
    lo, hi = s_lo, s_hi
    for m in _CLAUSE_BREAK.finditer(low, s_lo, s_hi):
        if m.end() <= start:
            lo = max(lo, m.end())
        elif m.start() >= end:
            hi = min(hi, m.start())
            break
    return lo, hi


def _mention_in_question(text: str, low: str, a: int, b: int, at: int) -> bool:
    """Whether the mention at ``at`` is asked about: the sentence opens like a question,
    or the comma-separated part holding the mention ends with "?" ("X was great,
    something similar?" asks for films, not about X)."""
    if _QUESTION_START.match(low[a:b]):
        return True
    cut = low.find(",", at, b)
    return _is_question(text, low, a, b) if cut < 0 else text[a:cut].rstrip().endswith("?")


def _is_question(text: str, low: str, a: int, b: int) -> bool:
    return text[a:b].rstrip().endswith("?") or bool(_QUESTION_START.match(low[a:b]))
