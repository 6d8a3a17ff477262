"""Chinese numbers and time expressions: 九十年代, 90年代末, 2000年以后, 最近几年, 1995年.

``find_time_spans`` has the English module's contract (``recommender.nlp.timewords``):
it reads the message with explained characters blanked out (``"\\x00"``), returns every
time constraint as an inclusive year window with character offsets, and is pure (the
anchor year comes in as an argument). Decades go through the English ``time_window`` so
"20年代" means the 1920s or 2020s by the same rule as "the 20s".

Chinese convention decides the bounds: 以后/之后/以来/起 include the year named
("2000年以后" starts in 2000), 以前/之前 exclude it ("1990年以前" ends in 1989).
"""

from __future__ import annotations

import re

from recommender.nlp.parser.years import RECENT_SPAN  # "最近几年": as English "recent"
from recommender.nlp.timewords import MAX_YEAR, MIN_YEAR, TimeSpan, time_window
from recommender.nlp.zh import lexicon

ZH_NUM = r"[零〇一二两三四五六七八九十]{1,3}"
_NUM = rf"(?:\d{{1,3}}|{ZH_NUM})"
AROUND = 2  # "2005年左右": this many years either side


def _decade(tag: str = "") -> str:
    """One decade ("上世纪八十年代末"); ``tag`` suffixes the group names (two in one regex)."""
    return (
        rf"(?P<century{tag}>上世纪|上个世纪|20世纪|二十世纪|21世纪|二十一世纪)?"
        rf"(?P<d{tag}>(?:18|19|20)\d0|\d0|[一二三四五六七八九][十零]|零零|两千)年代"
        rf"(?P<part{tag}>初期|初|早期|中期|中|末期|末|后期|晚期)?"
    )


_DECADE = _decade()
# "80年代到90年代", "九十年代或者两千年代": one window from the first to the last.
_DECADE_PAIR_RE = re.compile(
    rf"{_decade('a')}(?:的)?\s*(?:到|至|-|~|—|–|或者|或|和|、|还是|跟)\s*{_decade('b')}"
)
# "七八十年代", "80、90年代": two neighbouring decades in one word.
_TWO_DECADES_RE = re.compile(
    r"(?P<century>上世纪|上个世纪|20世纪|二十世纪)?"
    r"(?:(?P<a>[一二三四五六七八九])(?P<b>[一二三四五六七八九])十|(?P<a2>\d)0\s*[、,/和]?\s*(?P<b2>\d)0)年代"
)
_YEAR = r"(?P<y>(?:18|19|20)\d\d|\d\d)年(?!代)"
_AFTER = r"(?P<after>以后|之后|以来|往后|后|起|开始|至今)"
_BEFORE = r"(?P<before>以前|之前|前)"
_DECADE_RE = re.compile(rf"{_DECADE}(?:的)?\s*(?:{_AFTER}|{_BEFORE})?")
_RANGE_RE = re.compile(
    r"(?P<a>(?:18|19|20)\d\d)年?\s*(?:到|至|-|~|—|–)\s*(?P<b>(?:18|19|20)\d\d)年?"
)
_YEAR_RE = re.compile(rf"{_YEAR}\s*(?:{_AFTER}|{_BEFORE}|(?P<around>左右|前后|上下))?")
_BARE_YEAR_RE = re.compile(
    rf"(?<![\d.])(?P<y>(?:18|19|20)\d\d)(?![\d.])\s*(?:{_AFTER}|{_BEFORE}|(?P<around>左右|前后))?"
)
_RELATIVE_RE = re.compile(
    rf"(?:最近|近|过去|这)(?:的)?(?P<n>{_NUM}|几|些)年(?:来|内|里|之内|以来)?"
)
_BAD_YEAR_RE = re.compile(r"(?<!\d)(?P<y>\d{5,}|[3-9]\d{3})年")
_PARTS = {"初期": "early", "初": "early", "早期": "early", "中期": "mid", "中": "mid",
          "末期": "late", "末": "late", "后期": "late", "晚期": "late"}  # fmt: skip


def zh_number(text: str) -> int | None:
    """``"12"`` -> 12, ``"十二"`` -> 12, ``"二十"`` -> 20, ``"两"`` -> 2; None otherwise."""
    if text.isdigit():
        return int(text)
    digits = [lexicon.DIGITS.get(c) for c in text]
    if not digits or any(d is None for d in digits):
        return None
    if "十" not in text:
        return int("".join(str(d) for d in digits)) if len(digits) <= 4 else None
    tens, _, ones = text.partition("十")
    high = lexicon.DIGITS.get(tens, 0) if tens else 1
    low = lexicon.DIGITS.get(ones, 0) if ones else 0
    return high * 10 + low if len(text) <= 3 else None


def find_time_spans(masked: str, anchor: int) -> list[TimeSpan]:
    """Every time constraint in ``masked`` (see the module docstring), never overlapping."""
    text = masked
    found: list[TimeSpan] = []

    def take(m: re.Match[str], lo: int | None, hi: int | None, note: str | None = None) -> None:
        nonlocal text
        found.append(TimeSpan(m.start(), m.end(), lo, hi, note))
        text = text[: m.start()] + "\x00" * (m.end() - m.start()) + text[m.end() :]

    for m in list(_BAD_YEAR_RE.finditer(text)):
        if not MIN_YEAR <= int(m.group("y")[:6]) <= MAX_YEAR:
            take(m, None, None, f"忽略了年份 {m.group('y')[:12]}（不像是上映年份）")
    for m in list(_DECADE_PAIR_RE.finditer(text)):
        wa, wb = _decade_window(m, anchor, "a"), _decade_window(m, anchor, "b")
        if wa and wb:
            take(m, min(wa[0], wb[0]), max(wa[1], wb[1]))
    for m in list(_TWO_DECADES_RE.finditer(text)):
        a, b = m.group("a") or m.group("a2"), m.group("b") or m.group("b2")
        century = m.group("century") or ""
        wa, wb = (_decade_of(f"{zh_number(x)}0", century, anchor) for x in (a, b))
        if wa and wb:
            take(m, min(wa[0], wb[0]), max(wa[1], wb[1]))
    for m in list(_DECADE_RE.finditer(text)):
        window = _decade_window(m, anchor)
        if window:
            lo, hi = window
            if m.group("after"):
                take(m, lo, None)
            elif m.group("before"):
                take(m, None, lo - 1)
            else:
                take(m, lo, hi)
    for m in list(_RANGE_RE.finditer(text)):
        lo, hi = sorted((int(m.group("a")), int(m.group("b"))))
        take(m, lo, hi)
    for m in list(_RELATIVE_RE.finditer(text)):
        n = RECENT_SPAN if m.group("n") in ("几", "些") else zh_number(m.group("n"))
        if n:
            take(m, anchor - max(n, 1) + 1, None)
    for regex in (_YEAR_RE, _BARE_YEAR_RE):
        for m in list(regex.finditer(text)):
            year = _full_year(m.group("y"), anchor)
            if m.group("after"):
                take(m, year, None)
            elif m.group("before"):
                take(m, None, year - 1)
            elif m.group("around"):
                take(m, year - AROUND, year + AROUND)
            else:
                take(m, year, year)
    return found


def _decade_window(m: re.Match[str], anchor: int, tag: str = "") -> tuple[int, int] | None:
    raw = {"零零": "00", "两千": "2000"}.get(m.group(f"d{tag}"), m.group(f"d{tag}"))
    if not raw.isdigit():  # 九十 / 九零 -> 90
        raw = str(zh_number(raw) or "")
    part = _PARTS.get(m.group(f"part{tag}") or "")
    return _decade_of(raw, m.group(f"century{tag}") or "", anchor, part) if raw else None


def _decade_of(
    raw: str, century: str, anchor: int, part: str | None = None
) -> tuple[int, int] | None:
    """The window of decade ``raw`` ("90", "1990"), in ``century`` when it names one."""
    if len(raw) == 2 and century:
        raw = ("20" if century.startswith(("21", "二十一")) else "19") + raw
    return time_window(f"{part + ' ' if part else ''}{raw}s", anchor)


def _full_year(raw: str, anchor: int) -> int:
    """ "95" -> 1995, "05" -> 2005 (the 2000s once the catalog reaches that year)."""
    if len(raw) == 4:
        return int(raw)
    yy = int(raw)
    return 2000 + yy if 2000 + yy <= anchor else 1900 + yy
