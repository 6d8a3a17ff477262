"""Time expressions: decades, years, ranges, relations ("before 1970"), relative years.

``find_time_spans`` reads a (lower-cased, partly blanked-out) message and returns every
time constraint it states, with character offsets, as inclusive year windows. It is
pure: the anchor year ("the last 5 years") comes in as an argument, never the clock.
Impossible years ("99999") come back as spans with a note and no window.

Directions: "before"/"older than" bound from above, "after"/"newer than"/"since" from
below; a negated relation turns round and includes its year ("nothing older than 2005"
-> 2005 or later, "not after 1990" -> 1990 or earlier). "Not too old" / "nothing old"
means the catalog's last ``NOT_OLD_SPAN`` years; "the last 10 years", "the past few
years", "less than 10 years old" count back from the anchor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recommender.nlp import lexicon
from recommender.nlp.patterns import NUM, alternation, parse_number

MIN_YEAR, MAX_YEAR = 1870, 2100  # outside this a "year" is a typo or a joke
# "not too old", "nothing old", "the kids won't watch anything that old": the last this
# many years of the catalog (looser than "recent", the last 5: the wish is only to avoid
# old films, and a 5-year window over-restricts a catalog that ends in 2018).
NOT_OLD_SPAN = 15
# "the last few years" / "a couple of years" as numbers of years.
FEW_YEARS, COUPLE_YEARS = 5, 2


@dataclass(frozen=True)
class TimeSpan:
    """One time constraint found at ``[start, end)``: ``lo``..``hi`` inclusive (None =
    open). ``note`` explains a normalisation; a span with neither bound was dropped."""

    start: int
    end: int
    lo: int | None
    hi: int | None
    note: str | None = None


_DECADE_WORD = alternation(lexicon.DECADE_WORDS)
# One point in time: a decade (with early/mid/late) or a single year.
_TIME = (
    rf"(?:(?:early|mid|late)[\s-]*)?(?:the\s+)?"
    rf"(?:(?:1[89]|20)\d0\s?'?s|'?\d0\s?'?s|(?:{_DECADE_WORD})|(?:1[89]|20)\d\d)"
)
_BETWEEN_RE = re.compile(
    rf"\b(?:between|from|in the range)\s+(?P<a>{_TIME})\s*(?:and|to|till|until|through|thru|-|–)\s*"
    rf"(?P<b>{_TIME})(?![\w'])|(?<![\w'])(?P<c>(?:1[89]|20)\d\d)\s*(?:-|–|to)\s*(?P<d>(?:1[89]|20)\d\d)\b"
)
_BEFORE_RE = re.compile(
    rf"\b(?P<cue>before|prior to|until|till|up to|older than|earlier than|no later than|pre)"
    rf"[\s-]*(?P<t>{_TIME})(?![\w'])"
)
_AFTER_RE = re.compile(
    rf"\b(?P<cue>after|since|newer than|later than|post|starting(?:\s+(?:from|in))?|no earlier than)"
    rf"[\s-]*(?P<t>{_TIME})(?![\w'])|(?<![\w'])(?P<t2>{_TIME})\s+(?:or later|and later|onwards|"
    rf"onward|or newer|and up|and newer|on)\b"
)
# A negated relation ("nothing older than 2005", "not before 1990", "I don't want anything
# newer than 2000"): up to three words may sit between the negation and the relation, but
# no punctuation (a comma ends the clause).
_NEGATION = (
    r"(?:(?:do|does|did|don|doesn|didn|won|wouldn|can|couldn|isn|aren|wasn|shouldn)'?t|not|no|"
    r"nothing|none|never|cannot)"
)
_NEGATED_RE = re.compile(
    rf"\b{_NEGATION}(?:\s+[a-z'\x00]+){{0,3}}?\s+(?P<cue>older than|earlier than|before|prior to|"
    rf"newer than|later than|after)[\s-]*(?P<t>{_TIME})(?![\w'])"
)
# "not from the 70s", "nothing from the 80s": a window asked away. A query holds one
# window, so it becomes the side of it the catalog has more of: after an old window,
# before a recent one (with a note saying so). Read as a plain window it was the opposite.
_NOT_FROM_RE = re.compile(
    rf"\b(?:not|nothing|none|no\s+(?:movies?|films?|ones?))\s+(?:[a-z']+\s+){{0,2}}?(?:from|in|of)\s+"
    rf"(?P<t>{_TIME})(?![\w'])"
)
# "the 80s or 90s", "the 80s and 90s": adjacent windows are one.
_EITHER_RE = re.compile(
    rf"(?<![\w'])(?P<a>{_TIME})\s*(?:or|and|/|&|,)\s*(?:the\s+)?(?P<b>{_TIME})(?![\w'])"
)
_NOT_OLD_RE = re.compile(
    rf"\b(?P<neg>{_NEGATION})(?P<gap>(?:\s+[a-z'\x00]+){{0,10}}?)\s+(?P<old>(?:(?:too|that|so|very|super|really)\s+)?"
    rf"(?:old|older|dated))\b(?!\s+(?:than|school|man|woman|west|days|friends?|lady|boy|girl|timers?))"
)
_NOT_OLD_GAP_STOP = frozenset({"but", "and", "or", "year", "years", "yr", "yrs"})
_POINT_RE = re.compile(rf"(?<![\w'#])(?P<t>{_TIME})(?![\w'])")
_RELATIVE_RE = re.compile(
    rf"\b(?:(?:last|past|previous)\s+(?P<n>{NUM})\s+years?|(?:last|past)\s+(?P<dec>decade)|"
    rf"(?:last|past|previous)\s+(?P<few>few|couple(?:\s+of)?)\s+years|(?P<this>this year)|"
    rf"(?P<last>last year)|(?P<thisdec>this decade)|"
    rf"(?:less than|under|no more than|not more than|at most)\s+(?P<age>{NUM})\s+years?\s+old|"
    # "no older than 20 years": at most 20 years old; "older than 20 years": more
    rf"(?:no|not|nothing)\s+older\s+than\s+(?P<most>{NUM})\s+years?(?:\s+old)?|"
    rf"(?:older\s+than|at\s+least)\s+(?P<least>{NUM})\s+years?(?:\s+old)?)\b"
)
# "from '85", "made in 99"; not an age ("a group of 40 year old men", "of 12 yr olds").
_SHORT_YEAR_RE = re.compile(
    r"\b(?:from|in|of|made in|released in)\s+'?(?P<yy>\d\d)(?![\w'])"
    r"(?![\s-]*(?:years?|yrs?|year-old|-year)\b)"
)
_BAD_YEAR_RE = re.compile(
    r"\b(?:year|in|from|before|after|since|until|made in|released in)\s+(?P<y>\d{3,})\b"
    r"|(?<![\w.])(?P<big>\d{5,})(?![\w.])"
)


def time_window(text: str, anchor: int) -> tuple[int, int] | None:
    """Inclusive year range of one time point: "80s" -> (1980, 1989), "1995" -> (1995,
    1995), "late 90s" -> (1996, 1999), "eighties" -> (1980, 1989); None if unparseable."""
    t = re.sub(r"\s+", " ", text.lower().replace("'", "")).strip()
    part = None
    m = re.match(r"(early|mid|late)[\s-]*", t)
    if m:
        part, t = m.group(1), t[m.end() :]
    t = re.sub(r"^the ", "", t).replace("–", "-")
    if t in lexicon.DECADE_WORDS:
        start, span = lexicon.DECADE_WORDS[t], 10
    elif m4 := re.fullmatch(r"((?:1[89]|20)\d0) ?s", t):
        start, span = int(m4.group(1)), 10
    elif m2 := re.fullmatch(r"(\d)0 ?s", t):
        tens = int(m2.group(1))
        # "20s" is the 2020s only once the catalog reaches them; otherwise the 1920s.
        start = 2000 + 10 * tens if tens < 2 or (tens == 2 and anchor >= 2022) else 1900 + 10 * tens
        span = 10
    elif re.fullmatch(r"(?:1[89]|20)\d\d", t):
        start, span = int(t), 1
    else:
        return None
    lo, hi = start, start + span - 1
    if span == 10 and part == "early":
        hi = start + 3
    elif span == 10 and part == "mid":
        lo, hi = start + 3, start + 6
    elif span == 10 and part == "late":
        lo = start + 6
    return lo, hi


def find_time_spans(masked: str, anchor: int) -> list[TimeSpan]:
    """Every time constraint in ``masked``, most specific patterns first.

    ``masked`` is the lower-cased message with already-explained characters replaced by
    ``"\\x00"`` (offsets unchanged); spans found here never overlap each other.
    """
    text = masked
    found: list[TimeSpan] = []

    def take(
        m: re.Match[str],
        lo: int | None,
        hi: int | None,
        note: str | None = None,
        group: int | str = 0,
    ) -> None:
        nonlocal text
        start, end = m.start(group), m.end(group)
        found.append(TimeSpan(start, end, lo, hi, note))
        text = text[:start] + "\x00" * (end - start) + text[end:]

    for m in list(_BAD_YEAR_RE.finditer(text)):
        raw = m.group("y") or m.group("big")
        value = int(raw) if len(raw) < 12 else MAX_YEAR + 1
        if not MIN_YEAR <= value <= MAX_YEAR:
            take(m, None, None, f"ignored the year {raw[:12]} (not a plausible release year)")
    for m in list(_SHORT_YEAR_RE.finditer(text)):
        yy = int(m.group("yy"))
        year = 2000 + yy if 2000 + yy <= anchor else 1900 + yy
        take(m, year, year, group="yy")
    for m in list(_NEGATED_RE.finditer(text)):
        window = time_window(m.group("t"), anchor)
        if window:
            if m.group("cue") in ("older than", "earlier than", "before", "prior to"):
                take(m, window[0], None)  # "nothing older than 2005": 2005 or later
            else:
                take(m, None, window[1])  # "not after 1990": 1990 or earlier
    for m in list(_NOT_FROM_RE.finditer(text)):
        window = time_window(m.group("t"), anchor)
        if window:
            lo, hi = window
            if hi >= anchor - NOT_OLD_SPAN:  # a recent window: before it
                take(m, None, lo - 1, f"read '{m.group().strip()}' as {lo - 1} or earlier")
            else:
                take(m, hi + 1, None, f"read '{m.group().strip()}' as {hi + 1} or later")
    for m in list(_EITHER_RE.finditer(text)):
        wa, wb = time_window(m.group("a"), anchor), time_window(m.group("b"), anchor)
        if wa and wb and max(wa[0], wb[0]) <= min(wa[1], wb[1]) + 1:
            take(m, min(wa[0], wb[0]), max(wa[1], wb[1]))
    for m in list(_NOT_OLD_RE.finditer(text)):
        if not _NOT_OLD_GAP_STOP.intersection(m.group("gap").split()):
            take(m, anchor - NOT_OLD_SPAN + 1, None, group="old")  # the rest stays readable
    for m in list(_BETWEEN_RE.finditer(text)):
        a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
        wa, wb = time_window(a, anchor), time_window(b, anchor)
        if not (wa and wb):
            continue
        lo, hi, note = wa[0], wb[1], None
        if lo > hi:
            lo, hi = wb[0], wa[1]
            note = f"read '{m.group().strip()}' as {lo} to {hi}"
        take(m, lo, hi, note)
    for m in list(_BEFORE_RE.finditer(text)):
        window = time_window(m.group("t"), anchor)
        if window:
            inclusive = m.group("cue") in ("until", "till", "up to", "no later than")
            take(m, None, window[1] if inclusive else window[0] - 1)
    for m in list(_AFTER_RE.finditer(text)):
        window = time_window(m.group("t") or m.group("t2"), anchor)
        if window:
            exclusive = (m.group("cue") or "") in ("after", "newer than", "later than", "post")
            take(m, window[1] + 1 if exclusive else window[0], None)
    for m in list(_RELATIVE_RE.finditer(text)):
        if m.group("most") or m.group("least"):
            n = max(int(parse_number(m.group("most") or m.group("least")) or 1), 1)
            if m.group("most"):
                take(m, anchor - n, None)
            else:
                take(m, None, anchor - n)
        elif m.group("n") or m.group("age"):
            n = max(int(parse_number(m.group("n") or m.group("age")) or 1), 1)
            take(m, anchor - n + 1, None)
        elif m.group("few"):
            take(m, anchor - (FEW_YEARS if m.group("few") == "few" else COUPLE_YEARS) + 1, None)
        elif m.group("thisdec"):
            take(m, anchor // 10 * 10, None)
        elif m.group("dec"):
            take(m, anchor - 9, None)
        elif m.group("this"):
            take(m, anchor, anchor)
        else:
            take(m, anchor - 1, anchor - 1)
    for m in list(_POINT_RE.finditer(text)):
        window = time_window(m.group("t"), anchor)
        if window:
            take(m, *window)
    return found
